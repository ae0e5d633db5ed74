#pragma once
/// The [web] settings turned into what the server pieces take: server options, login limits and
/// the TLS context (certificate paths relative to the config file's folder).

#include "daemon/config/config.hpp"
#include "daemon/core/error.hpp"
#include "daemon/web/login_limiter.hpp"
#include "daemon/web/web_server.hpp"

#include <filesystem>
#include <memory>

namespace boost::asio::ssl {
class context;
}

namespace otklik::web {

/// max_connections and max_live_clients from `web` (at least 1 each); the rest at their defaults.
WebServerOptions server_options(const WebConfig& web);

/// login_attempts, login_attempts_per_address and login_window from `web`.
LoginLimits login_limits(const WebConfig& web);

/// The TLS context of tls_certificate + tls_key (relative paths: under `config_dir`); null when
/// neither is set (plain HTTP). Fails with errc::invalid_input when only one is set, or as
/// make_server_tls_context() does.
Result<std::shared_ptr<boost::asio::ssl::context>> tls_context_for(const WebConfig& web,
                                                                   const std::filesystem::path& config_dir);

}  // namespace otklik::web
