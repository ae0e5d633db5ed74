#include "daemon/app/web_inbox.hpp"

#include "daemon/app/web_inbox_impl.hpp"
#include "daemon/web/cookies.hpp"
#include "daemon/web/pages/pages.hpp"
#include "daemon/web/session_token.hpp"
#include "daemon/web/web_settings.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <chrono>

namespace otklik {

namespace asio = boost::asio;
using web::WebRequest;
using web::WebResponse;

namespace {

constexpr std::string_view kSessionCookie = "otklik_session";
constexpr auto kTouchEvery = std::chrono::minutes(1);
constexpr auto kPurgeEvery = std::chrono::hours(1);
constexpr auto kHeartbeat = std::chrono::seconds(25);
constexpr auto kFeedEvery = std::chrono::seconds(2);

bool at_least(WebRole role, WebRole min) { return static_cast<int>(role) >= static_cast<int>(min); }

/// A local path to return to after sign-in: "/…" but not "//host" or "/\host" (an open redirect).
std::string safe_next(std::string_view next) {
  if (next.empty() || next.front() != '/' || next.size() > 2000) return "/";
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return "/";
  for (unsigned char c : next)
    if (c < 0x20 || c == 0x7f || c == '\\') return "/";
  return std::string(next);
}

std::string peer_text(const WebRequest& req) { return web::unmapped(req.peer).to_string(); }

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the address that
/// proxy appended to X-Forwarded-For (its last entry; earlier ones are whatever the client sent).
std::string client_address(const WebRequest& req, const web::TrustedProxies& proxies) {
  if (!proxies.empty() && proxies.trusts(req.peer)) {
    if (auto xff = req.header("X-Forwarded-For")) {
      std::string_view last = *xff;
      if (const auto comma = last.rfind(','); comma != std::string_view::npos) last = last.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      boost::system::error_code ec;
      const auto ip = boost::asio::ip::make_address(std::string(last), ec);
      if (!ec) return web::unmapped(ip).to_string();
    }
  }
  return peer_text(req);
}

std::int64_t ms_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::microseconds>(b - a).count();
}

/// Adds Server-Timing (the request's time in the daemon) and keeps pages out of caches.
asio::awaitable<WebResponse> timed(const web::WebHandler& handler, WebRequest req) {
  const auto t0 = std::chrono::steady_clock::now();
  WebResponse r = co_await handler(std::move(req));
  if (!r.stream) {
    const auto us = ms_between(t0, std::chrono::steady_clock::now());
    char dur[32];
    std::snprintf(dur, sizeof dur, "app;dur=%.3f", static_cast<double>(us) / 1000.0);
    r.headers.emplace_back("Server-Timing", dur);
    if (!find_header(r.headers, "Cache-Control")) r.headers.emplace_back("Cache-Control", "no-store");
  }
  co_return r;
}

}  // namespace

WebInbox::Impl::Impl(const WebConfig& w, WebInboxDeps d, web::TrustedProxies p)
    : web(w),
      deps(std::move(d)),
      proxies(std::move(p)),
      hasher(deps.io, deps.work),
      limiter(web::login_limits(w)),
      feed(deps.io, deps.store, kFeedEvery, deps.log),
      sign_ins_ok(deps.metrics.counter("otklik_web_sign_ins_total", "Sign-ins to the web inbox, by result.",
                                       {{"result", "ok"}})),
      sign_ins_failed(deps.metrics.counter("otklik_web_sign_ins_total", "Sign-ins to the web inbox, by result.",
                                           {{"result", "failed"}})),
      sign_ins_limited(deps.metrics.counter("otklik_web_sign_ins_total", "Sign-ins to the web inbox, by result.",
                                            {{"result", "limited"}})),
      live_clients(deps.metrics.gauge("otklik_web_live_clients", "Open web inbox pages receiving new alerts live.")) {}

web::Locale WebInbox::Impl::locale() const {
  return web::parse_locale(runtime ? runtime->config.daemon.locale : std::string("ru"));
}

web::PageContext WebInbox::Impl::context(const WebCaller& caller, web::NavItem nav) const {
  web::PageContext ctx;
  ctx.user = caller.session.user;
  ctx.role = caller.session.role;
  ctx.csrf = caller.session.csrf;
  ctx.locale = locale();
  ctx.zone = zone;
  ctx.nav = nav;
  return ctx;
}

WebResponse WebInbox::Impl::error_page(int status, const WebCaller* caller) const {
  web::PageContext ctx;
  if (caller) ctx = context(*caller, web::NavItem::none);
  else ctx.locale = locale();
  return WebResponse::html(status, web::render_error_page(ctx, status));
}

asio::awaitable<std::optional<WebInbox::Impl::Opened>> WebInbox::Impl::open_session(const WebUser& user,
                                                                                     std::string address,
                                                                                     TimePoint now) {
  Opened out;
  const std::string token = web::random_token();
  WebSession& s = out.session;
  s.token_hash = web::token_key(token);
  s.user = user.name;
  s.role = user.role;
  s.csrf = web::random_token();
  s.created = now;
  s.seen = now;
  s.address = std::move(address);
  auto created = co_await StoreAccess<UserStore>(deps.store)([&](UserStore& st) { return st.create_session(s); });
  if (!created) {
    deps.log->error("web: cannot open a session for {}: {}", s.user, created.error().message());
    co_return std::nullopt;
  }
  out.cookie = web::set_cookie(kSessionCookie, token,
                               {web.secure_cookies, std::chrono::duration_cast<std::chrono::seconds>(web.session_lifetime)});
  co_return out;
}

asio::awaitable<std::optional<WebSession>> WebInbox::Impl::signed_in(const WebRequest& req,
                                                                     std::vector<std::string>& set_cookies) {
  const TimePoint now = deps.clock.now();
  StoreAccess<UserStore> users(deps.store);
  if (auto cookie = req.header("Cookie")) {
    if (auto token = web::cookie_value(*cookie, kSessionCookie); token && web::plausible_token(*token)) {
      const std::string key = web::token_key(*token);
      const TimePoint idle_before = now - web.session_idle;
      const TimePoint created_before = now - web.session_lifetime;
      auto found = co_await users([&](UserStore& s) { return s.session(key, idle_before, created_before); });
      if (!found) {
        deps.log->warn("web: cannot read a session: {}", found.error().message());
      } else if (*found) {
        if (now - (*found)->seen >= kTouchEvery) {
          auto touched = co_await users([&](UserStore& s) { return s.touch_session(key, now); });
          if (!touched) deps.log->warn("web: cannot note a session's use: {}", touched.error().message());
        }
        co_return **found;
      }
    }
  }
  // A trusted reverse proxy names the user: a session is opened for it (the pages need its CSRF
  // token), with the cookie set on this answer.
  if (!web.proxy_user_header.empty() && proxies.trusts(req.peer)) {
    if (auto name = req.header(web.proxy_user_header); name && !name->empty()) {
      // By reference: GCC 12 destroys a by-value capture of a class type twice in this position.
      const std::string wanted(*name);
      auto user = co_await users([&](UserStore& s) { return s.user(wanted); });
      if (!user) {
        deps.log->warn("web: cannot read user {}: {}", *name, user.error().message());
        co_return std::nullopt;
      }
      if (!*user) {
        deps.log->warn("web: the proxy at {} named user \"{}\", who does not exist", peer_text(req), *name);
        co_return std::nullopt;
      }
      auto opened = co_await open_session(**user, peer_text(req), now);
      if (!opened) co_return std::nullopt;
      set_cookies.push_back(std::move(opened->cookie));
      co_return std::move(opened->session);
    }
  }
  co_return std::nullopt;
}

namespace {

/// The guard of route(): a named coroutine (no capturing lambda coroutines).
asio::awaitable<WebResponse> guarded(WebInbox::Impl* self, std::string method, WebRole min_role,
                                     std::shared_ptr<WebPage> page, WebRequest req) {
  if (self->runtime == nullptr) co_return WebResponse::text(503, "starting or reloading: try again in a moment\n");
  std::vector<std::string> cookies;
  auto session = co_await self->signed_in(req, cookies);
  if (!session) {
    if (method == "GET" && req.path != web::paths::kEvents) {
      std::string next = req.target;
      std::string location = std::string(web::paths::kLogin);
      if (next != "/") {
        location += "?next=";
        for (unsigned char c : next) {
          if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            location += static_cast<char>(c);
          } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            location += buf;
          }
        }
      }
      co_return WebResponse::redirect(location);
    }
    co_return WebResponse::text(401, "sign in first\n");
  }
  WebCaller caller{std::move(*session), {}};
  auto answer = [&](WebResponse r) {
    for (auto& c : cookies) r.headers.emplace_back("Set-Cookie", std::move(c));
    return r;
  };
  if (!at_least(caller.session.role, min_role)) co_return answer(self->error_page(403, &caller));
  if (method == "POST") {
    auto form = web::parse_form(req.body);
    if (!form) co_return answer(WebResponse::text(400, "malformed form: " + form.error().detail + "\n"));
    const auto csrf = form->get(web::kCsrfField);
    if (!csrf || !web::tokens_equal(*csrf, caller.session.csrf)) {
      self->deps.log->warn("web: {} {} by {} from {} without a valid CSRF token: refused", req.method, req.path,
                           caller.session.user, peer_text(req));
      co_return answer(self->error_page(403, &caller));
    }
    caller.form = std::move(*form);
  }
  co_return answer(co_await (*page)(req, caller));
}

}  // namespace

void WebInbox::Impl::route(std::string method, std::string path, WebRole min_role, WebPage page, bool prefix) {
  auto shared = std::make_shared<WebPage>(std::move(page));
  web::WebHandler guard = [this, method, min_role, shared](WebRequest req) {
    return guarded(this, method, min_role, shared, std::move(req));
  };
  auto handler = std::make_shared<web::WebHandler>(std::move(guard));
  web::WebHandler outer = [handler](WebRequest req) { return timed(*handler, std::move(req)); };
  if (prefix) server->add_prefix_route(std::move(method), std::move(path), std::move(outer));
  else server->add_route(std::move(method), std::move(path), std::move(outer));
}

namespace {

asio::awaitable<WebResponse> login_get(WebInbox::Impl* self, WebRequest req) {
  if (self->runtime == nullptr) co_return WebResponse::text(503, "starting or reloading: try again in a moment\n");
  std::vector<std::string> cookies;
  web::LoginView view;
  auto query = web::parse_query(req.query);
  if (query) view.next = safe_next(query->get("next").value_or("/"));
  if (auto session = co_await self->signed_in(req, cookies)) {
    WebResponse r = WebResponse::redirect(view.next.empty() ? "/" : view.next);
    for (auto& c : cookies) r.headers.emplace_back("Set-Cookie", std::move(c));
    co_return r;
  }
  web::PageContext ctx;
  ctx.locale = self->locale();
  co_return WebResponse::html(200, web::render_login_page(ctx, view));
}

asio::awaitable<WebResponse> login_post(WebInbox::Impl* self, WebRequest req) {
  if (self->runtime == nullptr) co_return WebResponse::text(503, "starting or reloading: try again in a moment\n");
  web::PageContext ctx;
  ctx.locale = self->locale();
  auto form = web::parse_form(req.body);
  if (!form) co_return WebResponse::text(400, "malformed form: " + form.error().detail + "\n");
  web::LoginView view;
  view.user = std::string(form->get("user").value_or("")).substr(0, 64);
  view.next = safe_next(form->get("next").value_or("/"));
  const std::string password(form->get("password").value_or(""));
  const std::string address = client_address(req, self->proxies);
  const TimePoint now = self->deps.clock.now();

  const web::LoginVerdict verdict = self->limiter.allowed(view.user, address, now);
  if (!verdict.allowed) {
    self->sign_ins_limited.inc();
    self->deps.log->warn("web: sign-in as \"{}\" from {} refused: too many failed attempts", view.user, address);
    view.error = web::LoginError::too_many_attempts;
    WebResponse r = WebResponse::html(429, web::render_login_page(ctx, view));
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(verdict.retry_after).count();
    r.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(secs, 1)));
    co_return r;
  }

  StoreAccess<UserStore> users(self->deps.store);
  auto user = co_await users([&](UserStore& s) { return s.user(view.user); });
  if (!user) {
    self->deps.log->error("web: cannot read user {}: {}", view.user, user.error().message());
    co_return WebResponse::html(500, web::render_error_page(ctx, 500));
  }
  // An unknown name costs the same check as a known one: timing tells nothing of who exists. The
  // hash checked for it is made at the first such sign-in, off the event loop, not at start-up.
  if (!(*user && !(*user)->password_hash.empty()) && self->dummy_hash.empty()) {
    if (auto dummy = co_await self->hasher.hash(web::random_token())) self->dummy_hash = std::move(*dummy);
  }
  const std::string hash = *user && !(*user)->password_hash.empty() ? (*user)->password_hash : self->dummy_hash;
  auto ok = co_await self->hasher.verify(hash, password);
  if (!ok) {
    self->sign_ins_limited.inc();
    view.error = web::LoginError::too_many_attempts;
    WebResponse r = WebResponse::html(429, web::render_login_page(ctx, view));
    r.headers.emplace_back("Retry-After", "5");
    co_return r;
  }
  if (!*ok || !*user || (*user)->password_hash.empty()) {
    self->limiter.failed(view.user, address, now);
    self->sign_ins_failed.inc();
    self->deps.log->warn("web: failed sign-in as \"{}\" from {}", view.user, address);
    view.error = web::LoginError::bad_credentials;
    co_return WebResponse::html(200, web::render_login_page(ctx, view));
  }
  self->limiter.succeeded(view.user);

  auto opened = co_await self->open_session(**user, address, now);
  if (!opened) co_return WebResponse::html(500, web::render_error_page(ctx, 500));
  self->sign_ins_ok.inc();
  self->deps.log->info("web: {} signed in from {}", opened->session.user, address);
  WebResponse r = WebResponse::redirect(view.next);
  r.headers.emplace_back("Set-Cookie", std::move(opened->cookie));
  co_return r;
}

asio::awaitable<WebResponse> logout(WebInbox::Impl* self, const WebRequest& req, const WebCaller& caller,
                                    bool everywhere) {
  StoreAccess<UserStore> users(self->deps.store);
  if (everywhere) {
    auto n = co_await users([&](UserStore& s) { return s.delete_sessions(caller.session.user); });
    if (!n) self->deps.log->error("web: cannot end the sessions of {}: {}", caller.session.user, n.error().message());
    else self->deps.log->info("web: {} signed out everywhere ({} sessions)", caller.session.user, *n);
  } else {
    auto r = co_await users([&](UserStore& s) { return s.delete_session(caller.session.token_hash); });
    if (!r) self->deps.log->error("web: cannot end a session of {}: {}", caller.session.user, r.error().message());
  }
  (void)req;
  WebResponse out = WebResponse::redirect(std::string(web::paths::kLogin));
  out.headers.emplace_back("Set-Cookie", web::clear_cookie(kSessionCookie, self->web.secure_cookies));
  co_return out;
}

/// The live stream of one open inbox page.
asio::awaitable<void> live_stream(WebInbox::Impl* self, web::PageContext ctx, std::vector<web::Choice> topics,
                                  std::shared_ptr<web::EventStream> stream) {
  auto sub = self->feed.subscribe();
  self->live_clients.set(static_cast<double>(self->feed.subscribers()));
  struct Leave {
    WebInbox::Impl* self;
    std::shared_ptr<web::LiveFeed::Subscription> sub;
    ~Leave() {
      self->feed.unsubscribe(sub);
      self->live_clients.set(static_cast<double>(self->feed.subscribers()));
    }
  } leave{self, sub};
  if (!co_await stream->comment("otklik live")) co_return;
  while (stream->open() && !sub->closed()) {
    bool missed = false;
    auto rows = co_await sub->next(kHeartbeat, missed);
    if (!stream->open() || sub->closed()) break;
    if (missed && !co_await stream->send("reload", "{}")) break;
    if (rows.empty() && !missed) {
      if (!co_await stream->comment("ping")) break;
      continue;
    }
    for (const auto& row : rows) {
      boost::json::object o;
      o["id"] = row.id;
      o["html"] = web::render_inbox_row(row, ctx, topics);
      if (!co_await stream->send("alert", boost::json::serialize(o))) co_return;
    }
  }
}

asio::awaitable<WebResponse> static_file(std::string_view content_type, std::string_view body) {
  WebResponse r;
  r.content_type = std::string(content_type);
  r.body = std::string(body);
  r.headers.emplace_back("Cache-Control", "no-cache");
  co_return r;
}

asio::awaitable<void> purge_sessions(WebInbox::Impl* self) {
  asio::steady_timer timer(self->deps.io);
  while (!self->stopped) {
    const TimePoint now = self->deps.clock.now();
    auto n = co_await StoreAccess<UserStore>(self->deps.store)([&](UserStore& s) {
      return s.purge_sessions(now - self->web.session_idle, now - self->web.session_lifetime);
    });
    if (!n) self->deps.log->warn("web: cannot purge ended sessions: {}", n.error().message());
    else if (*n > 0) self->deps.log->debug("web: {} ended sessions purged", *n);
    timer.expires_after(kPurgeEvery);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) break;
  }
}

}  // namespace

void WebInbox::Impl::add_routes() {
  server->add_route("GET", std::string(web::paths::kLogin),
                    [this](WebRequest req) { return login_get(this, std::move(req)); });
  server->add_route("POST", std::string(web::paths::kLogin),
                    [this](WebRequest req) { return login_post(this, std::move(req)); });
  server->add_route("GET", std::string(web::paths::kStylesheet),
                    [](WebRequest) { return static_file("text/css; charset=utf-8", web::stylesheet()); });
  server->add_route("GET", std::string(web::paths::kScript),
                    [](WebRequest) { return static_file("text/javascript; charset=utf-8", web::script()); });
  route("POST", std::string(web::paths::kLogout), WebRole::viewer,
        [this](const WebRequest& req, const WebCaller& c) { return logout(this, req, c, false); });
  route("POST", std::string(web::paths::kLogoutAll), WebRole::viewer,
        [this](const WebRequest& req, const WebCaller& c) { return logout(this, req, c, true); });
  route("GET", std::string(web::paths::kEvents), WebRole::viewer,
        [this](const WebRequest&, const WebCaller& c) -> asio::awaitable<WebResponse> {
          auto ctx = context(c, web::NavItem::inbox);
          auto topics = topic_choices();
          co_return WebResponse::events(
              [this, ctx, topics](std::shared_ptr<web::EventStream> s) { return live_stream(this, ctx, topics, s); });
        });
  add_page_routes();
}

Result<std::unique_ptr<WebInbox>> WebInbox::create(const WebConfig& web, WebInboxDeps deps) {
  auto proxies = web::TrustedProxies::parse(web.trusted_proxies);
  if (!proxies) return proxies.error();
  // The config loader made the TLS paths absolute.
  auto tls = web::tls_context_for(web, {});
  if (!tls) return tls.error();
  auto impl = std::make_unique<Impl>(web, std::move(deps), std::move(*proxies));
  impl->server = std::make_unique<web::WebServer>(impl->deps.io, web::server_options(web), *tls, impl->deps.log);
  auto ep = impl->server->listen(web.listen);
  if (!ep) return ep.error();
  impl->add_routes();
  return std::unique_ptr<WebInbox>(new WebInbox(std::move(impl)));
}

WebInbox::WebInbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebInbox::~WebInbox() = default;

void WebInbox::use(Runtime* runtime) {
  impl_->runtime = runtime;
  impl_->counts_cache.clear();  // a reload may change brands, topics, deadlines
  impl_->overview_cache.reset();
  if (runtime) {
    auto zone = TimeZone::load(runtime->config.daemon.timezone);
    impl_->zone = zone ? *zone : TimeZone{};
  }
}

asio::awaitable<void> WebInbox::run() {
  using namespace boost::asio::experimental::awaitable_operators;
  Impl* self = impl_.get();
  co_await (self->server->run() && self->feed.run() && purge_sessions(self));
}

void WebInbox::stop() {
  impl_->stopped = true;
  impl_->feed.stop();
  impl_->server->stop();
}

asio::ip::tcp::endpoint WebInbox::local_endpoint() const { return impl_->server->local_endpoint(); }

}  // namespace otklik
