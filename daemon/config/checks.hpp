#pragma once
/// Pure checks of single config values (names, addresses, URLs, time zones, paths). Each returns
/// the problem as text, or nothing when the value is fine, so they are tested with tables of cases.

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::config_detail {

/// Names of sources, channels and brands: non-empty, only [A-Za-z0-9_.-].
bool valid_name(std::string_view name) noexcept;

/// The health/metrics listen address: "HOST:PORT" with HOST an IPv4 literal, "[IPv6]" or
/// "localhost" and PORT 0–65535 (0: any free port, for tests). "" (disabled) is valid.
struct ListenCheck {
  std::optional<std::string> error;
  bool loopback = true;  ///< false for an address reachable from the network (a warning)
};
ListenCheck check_listen(std::string_view listen);

/// True for "UTC" or a readable regular file `zoneinfo`/NAME (NAME without ".." or a leading "/").
bool timezone_exists(std::string_view name,
                     const std::filesystem::path& zoneinfo = "/usr/share/zoneinfo");

/// Checks an absolute URL with one of `schemes` (lower case); http(s) need a host, file needs a
/// path. Returns the problem, or nullopt.
std::optional<std::string> check_url(std::string_view url, std::initializer_list<std::string_view> schemes);

/// True for file: URLs and http(s) URLs whose host is loopback (127.0.0.0/8, [::1], localhost):
/// sources there may poll faster than remote sites.
bool local_url(std::string_view url);

/// "file:demo/x.xml" (no "//") → "file:///abs/config/dir/demo/x.xml", relative to `base_dir`;
/// "file:/abs" → "file:///abs". Anything else is returned unchanged. Characters that may not
/// appear in a URL path are percent-encoded.
std::string resolve_file_url(std::string_view url, const std::filesystem::path& base_dir);

/// A relative path made absolute against `base_dir`, lexically normalised; absolute paths unchanged.
std::filesystem::path resolve_path(const std::filesystem::path& path, const std::filesystem::path& base_dir);

/// True when a header value or User-Agent contains a control character (CR/LF would split headers).
bool has_control_chars(std::string_view text) noexcept;

/// "09:30" → minutes after midnight (0–1439); "24:00" → 1440 only when `allow_end_of_day`.
std::optional<int> parse_clock_time(std::string_view text, bool allow_end_of_day = false);

/// "monday" … "sunday" (lower case) → ISO weekday 1 … 7.
std::optional<int> parse_weekday(std::string_view text);

/// "2026-01-07": a valid calendar date (1970–2999).
bool valid_date(std::string_view text);

/// A plain e-mail address "local@domain.tld": printable ASCII without spaces, quotes or angle
/// brackets, one "@", a dotted domain; at most 254 characters. Returns the problem or nullopt.
std::optional<std::string> check_email(std::string_view address);

/// A From value: a plain address or "Display Name <local@domain>" (UTF-8 name, no control
/// characters, no '<' '>' '"' in the name). Returns the problem or nullopt.
std::optional<std::string> check_mailbox(std::string_view mailbox);

/// True for a loopback host name or literal (localhost, 127.0.0.0/8, ::1).
bool loopback_host(std::string_view host);

}  // namespace otklik::config_detail
