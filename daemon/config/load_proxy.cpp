/// `proxy` and `proxy_password` (in [http], [[source]] and [[channel]]) and `[http] allow_private`.
#include "daemon/config/load_parts.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace otklik::config_detail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// A DNS name: labels of letters, digits, "-" and "_", separated by single dots.
bool host_name(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  if (host.find("..") != std::string_view::npos) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x80 && std::isalnum(u) != 0) || c == '-' || c == '.' || c == '_';
  });
}

}  // namespace

bool read_proxy(TableReader& r, std::optional<ProxyConfig>& out, const std::filesystem::path& base_dir) {
  std::string text;
  const bool given = r.string("proxy", text);
  const bool password_written = r.get("proxy_password") != nullptr;
  Secret password;
  const bool has_password = read_secret(r, "proxy_password", password, false, true, base_dir);
  if (!given) {
    if (password_written && r.get("proxy") == nullptr)
      r.error("proxy_password", "needs a proxy with a user (proxy = \"http://user@host:port\")");
    return false;
  }
  // The messages of parse_proxy_url never repeat the value: it may hold a password by mistake.
  auto parsed = parse_proxy_url(text);
  if (!parsed) {
    r.error("proxy", parsed.error().detail);
    return false;
  }
  if (has_password) {
    if (parsed->username.empty()) {
      r.error("proxy_password", "needs a user in proxy (\"" + std::string(parsed->kind == ProxyConfig::Kind::socks5 ? "socks5" : "http") +
                                    "://user@host:port\")");
      return false;
    }
    if (parsed->kind == ProxyConfig::Kind::socks5 && password.value().size() > 255) {
      r.error("proxy_password", "the resolved value is longer than 255 bytes, the most SOCKS5 can carry");
      return false;
    }
    parsed->password = std::move(password);
  } else if (password_written) {
    return false;  // the secret did not resolve: reported by read_secret
  }
  out = std::move(*parsed);
  return true;
}

void read_allow_private(TableReader& r, std::vector<std::string>& out) {
  std::vector<std::string> hosts;
  if (!r.string_list("allow_private", hosts)) return;
  out.clear();
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    std::string host = lower(hosts[i]);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned char buf[16];
    const bool ip = inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
    if (!ip && !host_name(host)) {
      r.problems().error(r.path("allow_private") + "[" + std::to_string(i + 1) + "]", r.line("allow_private"),
                         "expected a host name or IP address without scheme, port or path, got \"" + hosts[i] + "\"");
      continue;
    }
    out.push_back(std::move(host));
  }
}

}  // namespace otklik::config_detail
