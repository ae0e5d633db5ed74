#include "daemon/web/web_settings.hpp"

#include "daemon/web/tls_context.hpp"

#include <algorithm>

namespace otklik::web {

WebServerOptions server_options(const WebConfig& web) {
  WebServerOptions o;
  o.max_connections = static_cast<std::size_t>(std::max(1, web.max_connections));
  o.max_streams = static_cast<std::size_t>(std::max(1, web.max_live_clients));
  return o;
}

LoginLimits login_limits(const WebConfig& web) {
  LoginLimits l;
  l.per_user = web.login_attempts;
  l.per_address = web.login_attempts_per_address;
  l.window = web.login_window;
  return l;
}

Result<std::shared_ptr<boost::asio::ssl::context>> tls_context_for(const WebConfig& web,
                                                                   const std::filesystem::path& config_dir) {
  if (web.tls_certificate.empty() && web.tls_key.empty()) return std::shared_ptr<boost::asio::ssl::context>();
  if (web.tls_certificate.empty() || web.tls_key.empty()) {
    return Failure(errc::invalid_input, "web: tls_certificate and tls_key go together (both or neither)");
  }
  const auto under = [&](const std::string& p) {
    const std::filesystem::path path(p);
    return path.is_absolute() ? path : config_dir / path;
  };
  return make_server_tls_context(under(web.tls_certificate), under(web.tls_key));
}

}  // namespace otklik::web
