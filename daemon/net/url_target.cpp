#include "daemon/net/url_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cctype>

namespace otklik {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string UrlTarget::authority() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

std::string url_scheme(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return {};
  return lower(parsed->scheme());
}

Result<UrlTarget> parse_http_url(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Failure(errc::invalid_input, "not a URL: '" + std::string(url) + "'");
  const auto scheme = lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") {
    return Failure(errc::unsupported_scheme, "scheme '" + scheme + "' in " + std::string(url));
  }
  UrlTarget t;
  t.tls = scheme == "https";
  switch (parsed->host_type()) {
    case boost::urls::host_type::name:
      t.host = lower(parsed->host());
      break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      t.host = parsed->host_address();
      t.ip_literal = true;
      break;
    default:
      return Failure(errc::invalid_input, "no usable host in " + std::string(url));
  }
  if (t.host.empty()) return Failure(errc::invalid_input, "no host in " + std::string(url));
  const std::string default_port = t.tls ? "443" : "80";
  t.port = parsed->has_port() && !parsed->port().empty() ? std::string(parsed->port()) : default_port;
  if (parsed->has_port() && parsed->port_number() == 0) {
    return Failure(errc::invalid_input, "bad port in " + std::string(url));
  }
  t.host_header = parsed->host_type() == boost::urls::host_type::ipv6 ? "[" + t.host + "]" : t.host;
  if (t.port != default_port) t.host_header += ":" + t.port;
  t.target = std::string(parsed->encoded_target());
  if (t.target.empty() || t.target.front() != '/') t.target = "/" + t.target;
  return t;
}

Result<std::string> resolve_redirect(std::string_view base, std::string_view location) {
  auto base_url = boost::urls::parse_uri(base);
  auto ref = boost::urls::parse_uri_reference(location);
  if (!base_url || !ref) {
    return Failure(errc::bad_redirect, "unparsable Location '" + std::string(location) + "'");
  }
  boost::urls::url resolved;
  if (!boost::urls::resolve(*base_url, *ref, resolved)) {
    return Failure(errc::bad_redirect, "cannot resolve Location '" + std::string(location) + "'");
  }
  resolved.remove_fragment();
  const auto scheme = lower(resolved.scheme());
  if (scheme != "http" && scheme != "https") {
    return Failure(errc::bad_redirect, "redirect to non-http(s) URL '" + std::string(resolved.buffer()) + "'");
  }
  if (resolved.encoded_host().empty()) {
    return Failure(errc::bad_redirect, "redirect without a host '" + std::string(resolved.buffer()) + "'");
  }
  return std::string(resolved.buffer());
}

Result<std::string> file_url_path(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || lower(parsed->scheme()) != "file") {
    return Failure(errc::invalid_input, "not a file URL: '" + std::string(url) + "'");
  }
  const auto host = lower(parsed->host());
  if (!host.empty() && host != "localhost") {
    return Failure(errc::invalid_input, "file URL on another host: '" + std::string(url) + "'");
  }
  std::string path = parsed->path();
  if (path.empty()) return Failure(errc::invalid_input, "file URL without a path: '" + std::string(url) + "'");
  return path;
}

}  // namespace otklik
