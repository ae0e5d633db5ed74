#include "daemon/config/proxy_config.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace otklik {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Failure bad(std::string why) { return Failure(errc::invalid_input, std::move(why)); }

}  // namespace

std::string ProxyConfig::describe() const {
  if (kind == Kind::none) return "none";
  std::string out = kind == Kind::http ? "http://" : "socks5://";
  if (!username.empty()) out += username + "@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return out + ":" + std::to_string(port);
}

Result<ProxyConfig> parse_proxy_url(std::string_view text) {
  ProxyConfig proxy;
  if (text == "none") return proxy;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return bad("expected \"http://host:port\", \"socks5://host:port\" or \"none\"");
  }
  const std::string scheme = lower(text.substr(0, scheme_end));
  if (scheme == "http") {
    proxy.kind = ProxyConfig::Kind::http;
  } else if (scheme == "socks5" || scheme == "socks5h") {
    proxy.kind = ProxyConfig::Kind::socks5;
  } else if (scheme == "https") {
    return bad("a proxy reached over TLS (\"https://\") is not supported; use \"http://\" or \"socks5://\"");
  } else {
    return bad("the proxy scheme \"" + scheme + "\" is not supported (expected http, socks5 or socks5h)");
  }
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return bad("not a valid proxy URL (expected \"" + scheme + "://host:port\")");
  if (parsed->has_password()) {
    return bad("the proxy URL contains a password; write the user only (\"" + scheme +
               "://user@host:port\") and the password in proxy_password (\"env:NAME\" or \"file:PATH\")");
  }
  if (parsed->has_userinfo()) {
    proxy.username = parsed->user();
    if (proxy.username.empty()) return bad("the proxy URL has an empty user name");
    if (proxy.username.size() > 255) return bad("the proxy user name is longer than 255 bytes");
    if (std::any_of(proxy.username.begin(), proxy.username.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
      return bad("the proxy user name contains control characters");
  }
  switch (parsed->host_type()) {
    case boost::urls::host_type::name: proxy.host = lower(parsed->host()); break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6: proxy.host = parsed->host_address(); break;
    default: return bad("the proxy URL has no usable host");
  }
  if (proxy.host.empty()) return bad("the proxy URL has no host");
  if (!parsed->has_port() || parsed->port().empty()) return bad("the proxy URL needs a port (\"" + scheme + "://host:port\")");
  if (parsed->port_number() == 0) return bad("the proxy port must be from 1 to 65535");
  proxy.port = parsed->port_number();
  if (!parsed->encoded_path().empty() && parsed->encoded_path() != "/")
    return bad("a proxy URL has no path (expected \"" + scheme + "://host:port\")");
  if (parsed->has_query() || parsed->has_fragment()) return bad("a proxy URL has no query or fragment");
  return proxy;
}

}  // namespace otklik
