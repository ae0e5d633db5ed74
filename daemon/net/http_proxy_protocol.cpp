#include "daemon/net/http_proxy_protocol.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace otklik {

namespace {

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (n > 1) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    if (n > 2) v |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += n > 2 ? kAlphabet[v & 63] : '=';
  }
  return out;
}

/// A status line's text made safe to show: printable ASCII only, at most 80 characters.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 80)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

std::string proxy_authorization(const ProxyConfig& proxy) {
  if (proxy.username.empty()) return {};
  return "Basic " + base64(proxy.username + ":" + proxy.password.value());
}

std::string connect_request(const ProxyConfig& proxy, std::string_view authority) {
  std::string out = "CONNECT " + std::string(authority) + " HTTP/1.1\r\nHost: " + std::string(authority) + "\r\n";
  if (auto auth = proxy_authorization(proxy); !auth.empty()) out += "Proxy-Authorization: " + auth + "\r\n";
  return out + "\r\n";
}

Failure proxy_auth_failure(const ProxyConfig& proxy) {
  const std::string name = "proxy " + proxy.describe();
  if (proxy.username.empty()) {
    return Failure(errc::proxy_failed, name + " requires credentials (407): give a user in proxy and proxy_password");
  }
  return Failure(errc::proxy_failed, name + " refused the credentials (407)");
}

std::optional<Failure> judge_connect_reply(std::string_view head, const ProxyConfig& proxy, std::string_view authority) {
  const std::string name = "proxy " + proxy.describe();
  const auto line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  // "HTTP/1.1 200 Connection established"
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[8] != ' ' ||
      !std::isdigit(static_cast<unsigned char>(line[9])) || !std::isdigit(static_cast<unsigned char>(line[10])) ||
      !std::isdigit(static_cast<unsigned char>(line[11])) || (line.size() > 12 && line[12] != ' ')) {
    return Failure(errc::proxy_failed, name + " answered CONNECT with something other than HTTP");
  }
  const int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (status >= 200 && status < 300) return std::nullopt;
  const std::string status_text = printable(line.substr(9));
  if (status == 407) return proxy_auth_failure(proxy);
  if (status == 500 || status == 502 || status == 503 || status == 504) {
    return Failure(errc::connect_failed, "connect to " + std::string(authority) + " through " + name + ": " + status_text);
  }
  return Failure(errc::proxy_failed, name + " refused CONNECT to " + std::string(authority) + ": " + status_text);
}

}  // namespace otklik
