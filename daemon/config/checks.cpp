#include "daemon/config/checks.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cctype>
#include <charconv>
#include <fstream>

namespace otklik::config_detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// RFC 3986 pchar plus "/", without "%" (which is encoded too).
bool path_char(unsigned char c) {
  if (std::isalnum(c) != 0) return true;
  return std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

bool valid_name(std::string_view name) noexcept {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x80 && std::isalnum(u) != 0) || c == '_' || c == '.' || c == '-';
  });
}

ListenCheck check_listen(std::string_view listen) {
  ListenCheck out;
  if (listen.empty()) return out;
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    out.error = "expected \"HOST:PORT\" such as \"127.0.0.1:9464\", or \"\" to disable";
    return out;
  }
  std::string_view host = listen.substr(0, colon);
  std::string_view port_text = listen.substr(colon + 1);
  int port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    out.error = "the port must be a number from 0 to 65535";
    return out;
  }
  if (host.empty()) {
    out.error = "give the address to listen on explicitly, e.g. \"127.0.0.1:" + std::string(port_text) + "\"";
    return out;
  }
  if (host == "localhost") return out;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') {
      out.error = "an IPv6 address must be written in brackets, e.g. \"[::1]:9464\"";
      return out;
    }
    std::string inner(host.substr(1, host.size() - 2));
    unsigned char buf[16];
    if (inet_pton(AF_INET6, inner.c_str(), buf) != 1) {
      out.error = "\"" + inner + "\" is not an IPv6 address";
      return out;
    }
    static constexpr unsigned char kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    out.loopback = std::equal(std::begin(buf), std::end(buf), std::begin(kLoopback6));
    return out;
  }
  std::string h(host);
  unsigned char buf[4];
  if (inet_pton(AF_INET, h.c_str(), buf) != 1) {
    out.error = "the host must be an IP address (\"127.0.0.1\", \"[::1]\") or \"localhost\", got \"" + h + "\"";
    return out;
  }
  out.loopback = buf[0] == 127;
  return out;
}

bool timezone_exists(std::string_view name, const std::filesystem::path& zoneinfo) {
  if (name == "UTC") return true;
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) return false;
  std::filesystem::path p = zoneinfo / std::filesystem::path(std::string(name));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(p, ec)) return false;
  std::ifstream in(p, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in && std::string_view(magic, 4) == "TZif";
}

std::optional<std::string> check_url(std::string_view url, std::initializer_list<std::string_view> schemes) {
  std::string allowed;
  for (auto s : schemes) allowed += (allowed.empty() ? "" : ", ") + std::string(s);
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return "\"" + std::string(url) + "\" is not an absolute URL (expected " + allowed + ")";
  std::string scheme = lower(parsed->scheme());
  // Boost.URL 1.81 reads "http://127.0.0.1.example.org/" as host 127.0.0.1 with the path
  // ".example.org/": after an authority, a path must start with "/".
  if (parsed->has_authority() && !parsed->encoded_path().empty() && parsed->encoded_path().front() != '/')
    return "the host of \"" + std::string(url) + "\" is not a valid name or address";
  if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end())
    return "the URL scheme \"" + scheme + "\" is not allowed here (expected " + allowed + ")";
  if (scheme == "file") {
    std::string host = parsed->host();
    if (!host.empty() && host != "localhost") return "a file: URL cannot name a host (\"" + host + "\")";
    if (parsed->path().empty() || parsed->path() == "/") return "a file: URL needs a path";
    return std::nullopt;
  }
  if (!parsed->has_authority() || parsed->host().empty()) return "the URL has no host";
  return std::nullopt;
}

bool local_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return false;
  std::string scheme = lower(parsed->scheme());
  if (scheme == "file") return true;
  if (scheme != "http" && scheme != "https") return false;
  if (!parsed->encoded_path().empty() && parsed->encoded_path().front() != '/') return false;  // see check_url
  std::string host = lower(parsed->host());
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  unsigned char buf[4];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 && buf[0] == 127;
}

std::string resolve_file_url(std::string_view url, const std::filesystem::path& base_dir) {
  if (url.size() < 5 || lower(url.substr(0, 5)) != "file:" || url.substr(5).starts_with("//"))
    return std::string(url);
  std::string_view rest = url.substr(5);
  std::filesystem::path p = resolve_path(std::filesystem::path(std::string(rest)), base_dir);
  std::string out = "file://";
  for (unsigned char c : p.string()) {
    if (path_char(c)) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::filesystem::path resolve_path(const std::filesystem::path& path, const std::filesystem::path& base_dir) {
  if (path.is_absolute()) return path.lexically_normal();
  std::filesystem::path base = base_dir;
  if (base.is_relative()) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(base, ec);
    if (!ec) base = abs;
  }
  return (base / path).lexically_normal();
}

bool has_control_chars(std::string_view text) noexcept {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::optional<int> parse_clock_time(std::string_view text, bool allow_end_of_day) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (allow_end_of_day && h == 24 && m == 0) return 24 * 60;
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::optional<int> parse_weekday(std::string_view text) {
  constexpr std::array<std::string_view, 7> kDays{"monday", "tuesday", "wednesday", "thursday",
                                                  "friday", "saturday", "sunday"};
  for (std::size_t i = 0; i < kDays.size(); ++i)
    if (kDays[i] == text) return static_cast<int>(i) + 1;
  return std::nullopt;
}

bool valid_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (text[i] < '0' || text[i] > '9') return false;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 1970 || y > 2999) return false;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  return ymd.ok();
}

std::optional<std::string> check_email(std::string_view address) {
  if (address.empty()) return "is empty";
  if (address.size() > 254) return "is longer than 254 characters";
  auto at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    return "must contain exactly one \"@\"";
  std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64) return "has an empty or too long local part";
  for (char c : address) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || std::string_view("<>\"(),;:[]\\").find(c) != std::string_view::npos)
      return "contains a character not allowed in an address (spaces, quotes, brackets, control or non-ASCII)";
  }
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return "has an invalid domain";
  if (domain.find('.') == std::string_view::npos && domain != "localhost") return "has a domain without a dot";
  return std::nullopt;
}

std::optional<std::string> check_mailbox(std::string_view mailbox) {
  auto open = mailbox.find('<');
  if (open == std::string_view::npos) return check_email(mailbox);
  if (mailbox.back() != '>') return "expected \"Name <address>\"";
  std::string_view name = mailbox.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  if (name.empty()) return "expected a display name before \"<\"";
  if (has_control_chars(name) || name.find_first_of("<>\"") != std::string_view::npos)
    return "the display name contains control characters, quotes or angle brackets";
  return check_email(mailbox.substr(open + 1, mailbox.size() - open - 2));
}

bool loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  if (host.substr(0, 4) != "127.") return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (c < '0' || c > '9') return false;
  }
  return dots == 3;
}

}  // namespace otklik::config_detail
