#pragma once
/// The parts of the web inbox shared by its two files: web_inbox.cpp (sign-in, sessions, guards,
/// the live feed, static files) and web_inbox_pages.cpp (the pages and the actions on them).

#include "daemon/app/web_inbox.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/web/form_data.hpp"
#include "daemon/web/live_feed.hpp"
#include "daemon/web/login_limiter.hpp"
#include "daemon/web/pages/views.hpp"
#include "daemon/web/password_hash.hpp"
#include "daemon/web/trusted_proxies.hpp"
#include "daemon/web/web_server.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace otklik {

/// What a signed-in request carries to its page.
struct WebCaller {
  WebSession session;
  web::FormData form;  ///< the POST body's fields (CSRF already checked); empty for GET
};

/// A page's handler: the request, its caller (signed in, role checked).
using WebPage = std::function<boost::asio::awaitable<web::WebResponse>(const web::WebRequest&, const WebCaller&)>;

struct WebInbox::Impl {
  Impl(const WebConfig& web, WebInboxDeps d, web::TrustedProxies proxies);

  WebConfig web;
  WebInboxDeps deps;
  web::TrustedProxies proxies;
  web::PasswordHasher hasher;
  web::LoginLimiter limiter;
  std::unique_ptr<web::WebServer> server;
  web::LiveFeed feed;
  Runtime* runtime = nullptr;
  TimeZone zone;                       ///< the runtime's [daemon] timezone
  std::string dummy_hash;              ///< verified for unknown users: the same cost as a real check
  bool stopped = false;
  /// The inbox's counts by filter (its query string, cursor left out), kept for kCountsFor: the
  /// pages of one filter ("Older", a reload) count once, not at every page.
  struct CachedCounts {
    std::chrono::steady_clock::time_point at;
    InboxCounts counts;
  };
  std::map<std::string, CachedCounts, std::less<>> counts_cache;
  /// The overview's figures, kept for kCountsFor too (the same for every user).
  std::optional<std::pair<std::chrono::steady_clock::time_point, web::OverviewView>> overview_cache;

  health::Counter& sign_ins_ok;
  health::Counter& sign_ins_failed;
  health::Counter& sign_ins_limited;
  health::Gauge& live_clients;

  // web_inbox.cpp
  void add_routes();
  /// Registers `page` for `method` on `path` (or on every path under it when `prefix`), open to
  /// `min_role` and above: no session → the sign-in page (GET) or 401; a lower role → 403; a POST
  /// without the session's CSRF token → 403.
  void route(std::string method, std::string path, WebRole min_role, WebPage page, bool prefix = false);
  /// A new session for `user` and its Set-Cookie value; none (logged) when the store refuses.
  struct Opened {
    WebSession session;
    std::string cookie;
  };
  boost::asio::awaitable<std::optional<Opened>> open_session(const WebUser& user, std::string address, TimePoint now);
  boost::asio::awaitable<std::optional<WebSession>> signed_in(const web::WebRequest& req,
                                                              std::vector<std::string>& set_cookies);
  [[nodiscard]] web::PageContext context(const WebCaller& caller, web::NavItem nav) const;
  [[nodiscard]] web::Locale locale() const;
  web::WebResponse error_page(int status, const WebCaller* caller) const;

  // web_inbox_pages.cpp
  void add_page_routes();
  boost::asio::awaitable<web::WebResponse> inbox(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> case_page(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> case_post(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> sources(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> poll_now(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> overview(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> digests(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> digest(const web::WebRequest& req, const WebCaller& caller);
  boost::asio::awaitable<web::WebResponse> users(const web::WebRequest& req, const WebCaller& caller);
  [[nodiscard]] std::vector<web::Choice> topic_choices() const;
};

}  // namespace otklik
