/// [web]: the team's web inbox (docs/web.md).
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace otklik::config_detail {
namespace {

/// An IP address or a CIDR block ("10.0.0.0/8", "fd00::/8"); the problem, or nullopt.
std::optional<std::string> check_proxy_address(const std::string& entry) {
  boost::system::error_code ec;
  if (entry.find('/') == std::string::npos) {
    (void)boost::asio::ip::make_address(entry, ec);
    if (!ec) return std::nullopt;
    return "\"" + entry + "\" is not an IP address or a CIDR block";
  }
  // Host bits below the prefix ("10.0.0.1/8") are most likely a typo: trusting a wider block than
  // meant is the risk, so they are refused.
  const auto v4 = boost::asio::ip::make_network_v4(entry, ec);
  if (!ec && v4.address() == v4.network()) return std::nullopt;
  if (ec) {
    ec.clear();
    const auto v6 = boost::asio::ip::make_network_v6(entry, ec);
    if (!ec && v6.address() == v6.network()) return std::nullopt;
  }
  return "\"" + entry + "\" is not a CIDR block (address/prefix with no host bits set, e.g. 10.0.0.0/8)";
}

void read_tls_file(TableReader& r, std::string_view key, std::string& out, const std::filesystem::path& base_dir) {
  std::string value;
  if (!r.string(key, value) || value.empty()) return;
  auto p = resolve_path(value, base_dir);
  if (readable_file(p))
    out = p.string();
  else
    r.error(key, "cannot read " + p.string());
}

}  // namespace

void load_web(const toml::node& node, WebConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "web", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "web", line_of(node), ctx.problems);

  std::string listen;
  if (r.string("listen", listen)) {
    if (listen.empty()) {
      out.listen.clear();
    } else if (ListenCheck check = check_listen(listen); check.error) {
      r.error("listen", *check.error);
    } else {
      out.listen = listen;
    }
  }
  read_tls_file(r, "tls_certificate", out.tls_certificate, ctx.base_dir);
  read_tls_file(r, "tls_key", out.tls_key, ctx.base_dir);
  if (t->contains("tls_certificate") != t->contains("tls_key"))
    r.error(t->contains("tls_certificate") ? "tls_certificate" : "tls_key",
            "tls_certificate and tls_key go together: give both for HTTPS, or neither");

  r.duration("session_idle", out.session_idle, std::chrono::minutes(5));
  r.duration("session_lifetime", out.session_lifetime, std::chrono::minutes(5));
  if (out.session_lifetime < out.session_idle)
    r.warn("session_lifetime", "is shorter than session_idle: sessions end at session_lifetime");
  r.boolean("secure_cookies", out.secure_cookies);

  std::string header;
  if (r.string("proxy_user_header", header)) {
    const bool token = std::all_of(header.begin(), header.end(), [](unsigned char c) {
      return std::isalnum(c) != 0 || c == '-' || c == '_';
    });
    if (!token)
      r.error("proxy_user_header", "must be a header name (letters, digits, '-', '_'), e.g. \"X-Remote-User\"");
    else
      out.proxy_user_header = header;
  }
  std::vector<std::string> proxies;
  if (r.string_list("trusted_proxies", proxies)) {
    for (const auto& p : proxies) {
      if (auto problem = check_proxy_address(p)) r.error("trusted_proxies", *problem);
    }
    out.trusted_proxies = std::move(proxies);
  }
  if (!out.proxy_user_header.empty() && out.trusted_proxies.empty())
    r.error("proxy_user_header", "needs trusted_proxies: the addresses of the reverse proxies that set it");

  r.integer("login_attempts", out.login_attempts, 1, 1000);
  r.integer("login_attempts_per_address", out.login_attempts_per_address, 1, 100000);
  r.duration("login_window", out.login_window, std::chrono::minutes(1));
  r.integer("max_connections", out.max_connections, 4, 100000);
  r.integer("max_live_clients", out.max_live_clients, 0, 100000);
  r.integer("page_size", out.page_size, 1, 200);
  if (!out.listen.empty() && out.secure_cookies == false && out.tls_certificate.empty())
    r.warn("secure_cookies", "off without TLS: session cookies travel in clear text");
  r.report_unknown("[web]");
}

}  // namespace otklik::config_detail
