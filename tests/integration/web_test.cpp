// The web inbox against the real daemon, over HTTP: who may see and do what (sessions, roles,
// CSRF, expiry, sign-in limits, a trusted proxy), escaping of hostile reviews, filters that look
// like SQL, case actions and relabels through the same path as the chats, "poll now", and new
// alerts pushed live to an open page.

#include "harness.hpp"
#include "web_client.hpp"
#include "tests/support/catch_result.hpp"

#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/web/password_hash.hpp"
#include "daemon/web/session_token.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/socket.h>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kNegative = "Ужасный сервис: час в очереди, менеджер нагрубил, деньги так и не вернули.";
// As a feed's HTML description carries it: the entities decode to a literal "<script>" in the
// stored text (a feed's tags themselves are stripped by the parser).
const std::string kHostile =
    "&lt;script&gt;alert('x')&lt;/script&gt; \"&gt;&lt;img src=x onerror=alert(1)&gt; ужасно, хамство и обман";

std::string web_config(const std::string& feed_url, const std::string& extra_web = "",
                       const std::string& interval = "1s") {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "en"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"

[[brand]]
name = "bank"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "{}"
brand = "bank"

[[channel]]
name = "console"
type = "console"

[[route]]
channel = "console"
min_severity = "low"

[web]
listen = "127.0.0.1:0"
{}
)",
                     feed_url, interval, extra_web);
}

/// Adds users to the state file before the daemon starts (what `otklik user add` does).
void add_users(const std::filesystem::path& dir, const std::vector<std::pair<std::string, WebRole>>& users) {
  SystemClockSource clock;
  auto store = SqliteStore::open((dir / "state.db").string(), clock);
  REQUIRE(store);
  auto hash = web::hash_password(kPassword);
  REQUIRE(hash);
  for (const auto& [name, role] : users) {
    REQUIRE((*store)->add_user(WebUser{name, role, *hash, clock.now(), clock.now()}));
  }
}

/// Starts a daemon whose first (silent) poll holds an old review, then publishes `items` as new
/// and waits until their alerts are stored.
void start_with_reviews(FakeSite& site, DaemonHarness& h, const std::vector<FeedItem>& fresh,
                        const std::string& extra_web = "", const std::string& interval = "1s") {
  std::vector<FeedItem> items = {{"old", "Old", "Fine.", std::chrono::system_clock::now() - 240h}};
  serve_feed(site, items);
  h.write_config(web_config(site.url("/feed.rss"), extra_web, interval));
  add_users(h.dir(), {{"anna", WebRole::agent}, {"vera", WebRole::viewer}, {"root", WebRole::admin}});
  h.start();
  REQUIRE(wait_for_polls(site, 1, 10s));
  for (const auto& f : fresh) items.push_back(f);
  serve_feed(site, items);
  REQUIRE(wait_until(
      [&] {
        WebClient c(h.web_port());
        c.sign_in("root", kPassword);
        auto page = c.get("/?label=negative");
        return page.status == 200 && page.body.find("/case/") != std::string::npos;
      },
      20s));
}

/// The id of the first case linked from a page.
std::int64_t first_case_id(const std::string& page) {
  const auto at = page.find("/case/");
  REQUIRE(at != std::string::npos);
  return std::stoll(page.substr(at + 6));
}

/// Reads an event stream until `needle` arrives or `timeout` passes.
bool stream_until(unsigned short port, const std::string& cookie, const std::string& needle,
                  std::chrono::milliseconds timeout, const std::function<void()>& after_open) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  const timeval tv{1, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string req = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: otklik_session=" +
                          cookie + "\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(req));
  std::string got;
  bool opened = false;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    const auto n = socket.read_some(boost::asio::buffer(buf), ec);
    if (ec && ec != boost::asio::error::would_block && ec != boost::asio::error::try_again) break;
    got.append(buf, n);
    if (!opened && got.find("otklik live") != std::string::npos) {
      opened = true;
      after_open();
    }
    if (got.find(needle) != std::string::npos) return true;
  }
  INFO(got);
  return false;
}

}  // namespace

TEST_CASE("web: every page needs a session, sign-in sets a safe cookie", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}});
  WebClient anon(h.web_port());

  for (const std::string path : {"/", "/case/1", "/sources", "/overview", "/digest", "/users", "/?label=negative"}) {
    INFO(path);
    auto r = anon.get(path);
    CHECK(r.status == 303);
    CHECK(r.header("Location").rfind("/login", 0) == 0);
  }
  CHECK(anon.get("/events").status == 401);
  for (const std::string path : {"/case/1/action", "/case/1/relabel", "/sources/reviews/poll", "/logout"}) {
    INFO(path);
    CHECK(anon.post(path, {{"action", "take"}}).status == 401);
  }
  // The sign-in page and the static files are open; every answer carries the security headers.
  auto login = anon.get("/login");
  CHECK(login.status == 200);
  CHECK(login.header("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
  CHECK(login.header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
  CHECK(login.header("X-Content-Type-Options") == "nosniff");
  CHECK(anon.get("/static/otklik.js").status == 200);

  auto wrong = anon.sign_in("anna", "not the password");
  CHECK(wrong.status == 200);
  CHECK(anon.session_cookie().empty());
  auto unknown = anon.sign_in("nobody", kPassword);
  CHECK(unknown.status == 200);
  CHECK(anon.session_cookie().empty());

  auto ok = anon.sign_in("anna", kPassword);
  REQUIRE(ok.status == 303);
  CHECK(ok.header("Location") == "/");
  const auto cookie = ok.header("Set-Cookie");
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Lax") != std::string::npos);
  CHECK(cookie.find("Secure") != std::string::npos);
  auto inbox = anon.get("/");
  CHECK(inbox.status == 200);
  CHECK(inbox.header("Server-Timing").rfind("app;dur=", 0) == 0);
  CHECK(inbox.header("Cache-Control") == "no-store");

  // Signing out ends the session: the same cookie no longer works.
  const std::string old = anon.session_cookie();
  anon.get("/");
  CHECK(anon.post("/logout", {{"csrf", anon.csrf()}}).status == 303);
  anon.set_session_cookie(old);
  CHECK(anon.get("/").status == 303);
}

TEST_CASE("web: roles and CSRF guard every change", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}});

  WebClient viewer(h.web_port());
  REQUIRE(viewer.sign_in("vera", kPassword).status == 303);
  const auto id = first_case_id(viewer.get("/?label=negative").body);
  const std::string case_path = "/case/" + std::to_string(id);
  auto page = viewer.get(case_path);
  REQUIRE(page.status == 200);
  // A viewer sees no case buttons, and a forged post is refused.
  CHECK(page.body.find("value=\"take\"") == std::string::npos);
  CHECK(viewer.post(case_path + "/action", {{"csrf", viewer.csrf()}, {"action", "take"}}).status == 403);
  CHECK(viewer.post(case_path + "/relabel", {{"csrf", viewer.csrf()}, {"label", "neutral"}}).status == 403);
  CHECK(viewer.get("/users").status == 403);
  CHECK(viewer.post("/sources/reviews/poll", {{"csrf", viewer.csrf()}}).status == 403);

  WebClient agent(h.web_port());
  REQUIRE(agent.sign_in("anna", kPassword).status == 303);
  REQUIRE(agent.get(case_path).status == 200);
  // Without the token, or with another session's token: refused, nothing changes.
  CHECK(agent.post(case_path + "/action", {{"action", "take"}}).status == 403);
  CHECK(agent.post(case_path + "/action", {{"csrf", viewer.csrf()}, {"action", "take"}}).status == 403);
  CHECK(agent.get("/?state=new").body.find(case_path) != std::string::npos);
  // With it: taken, through the chats' path.
  agent.get(case_path);
  auto took = agent.post(case_path + "/action", {{"csrf", agent.csrf()}, {"action", "take"}});
  CHECK(took.status == 303);
  CHECK(took.header("Location") == case_path + "?done=changed");
  CHECK(agent.get("/?state=taken").body.find(case_path) != std::string::npos);
  CHECK(agent.get("/?state=new").body.find(case_path) == std::string::npos);
  // Taking it again changes nothing; answering does.
  CHECK(agent.post(case_path + "/action", {{"csrf", agent.csrf()}, {"action", "take"}}).header("Location") ==
        case_path + "?done=unchanged");
  CHECK(agent.post(case_path + "/action", {{"csrf", agent.csrf()}, {"action", "answer"}}).header("Location") ==
        case_path + "?done=changed");
  CHECK(agent.get("/?state=answered").body.find(case_path) != std::string::npos);
  CHECK(agent.get("/?state=new").body.find(case_path) == std::string::npos);
  CHECK(agent.post(case_path + "/action", {{"csrf", agent.csrf()}, {"action", "explode"}}).status == 400);
  CHECK(agent.get("/case/999999").status == 404);
}

TEST_CASE("web: a relabel is recorded with who, dismisses an open case, and is exported as feedback", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}});
  WebClient agent(h.web_port());
  REQUIRE(agent.sign_in("anna", kPassword).status == 303);
  const auto id = first_case_id(agent.get("/?label=negative").body);
  const std::string case_path = "/case/" + std::to_string(id);
  agent.get(case_path);
  auto r = agent.post(case_path + "/relabel", {{"csrf", agent.csrf()}, {"label", "neutral"}});
  CHECK(r.status == 303);
  CHECK(agent.get("/?state=dismissed").body.find(case_path) != std::string::npos);
  h.stop();
  SystemClockSource clock;
  auto store = SqliteStore::open((h.dir() / "state.db").string(), clock);
  REQUIRE(store);
  auto relabels = (*store)->relabels(id);
  REQUIRE(relabels);
  REQUIRE(relabels->size() == 1);
  CHECK((*relabels)[0].label == Label::neutral);
  CHECK((*relabels)[0].by.name == "anna");
  auto feedback = (*store)->feedback(TimePoint{});
  REQUIRE(feedback);
  REQUIRE(feedback->size() == 1);
  CHECK(feedback->front().label == "neutral");
  CHECK(feedback->front().by == "anna");
}

TEST_CASE("web: hostile reviews are shown as text, filters that look like SQL find nothing odd", "[web]") {
  FakeSite site;
  DaemonHarness h;
  FeedItem hostile{"h1", "<b>bold</b><script>alert(2)</script>", kHostile, std::chrono::system_clock::now()};
  hostile.author = "\"><svg onload=alert(3)>";
  start_with_reviews(site, h, {hostile});
  WebClient agent(h.web_port());
  REQUIRE(agent.sign_in("anna", kPassword).status == 303);
  const auto inbox = agent.get("/?label=negative");
  REQUIRE(inbox.status == 200);
  for (const auto& page : {inbox, agent.get("/case/" + std::to_string(first_case_id(inbox.body)))}) {
    CHECK(page.body.find("<script>alert") == std::string::npos);
    CHECK(page.body.find("<img src=x") == std::string::npos);
    CHECK(page.body.find("<svg onload") == std::string::npos);
    CHECK(page.body.find("<b>bold") == std::string::npos);
    CHECK(page.body.find("&lt;script&gt;") != std::string::npos);
  }
  // Values that look like SQL or search syntax are plain values: they match nothing.
  for (const std::string q :
       {"/?brand=%27%3B+DROP+TABLE+mentions%3B--", "/?q=%22+OR+1%3D1+--", "/?q=NEAR%28zzz+qqq%29",
        "/?source=reviews%27+OR+%271%27%3D%271", "/?topic=%25", "/?q=%27%29%3B+DELETE+FROM+users%3B--"}) {
    INFO(q);
    auto r = agent.get(q);
    CHECK(r.status == 200);
    CHECK(r.body.find("/case/") == std::string::npos);
  }
  // Values that do not parse are dropped and named on the page; the rest of the page is served.
  for (const std::string q : {"/?state=new%27--", "/?after=1.1%3B+DELETE", "/?label=%27+OR+1%3D1"}) {
    INFO(q);
    auto r = agent.get(q);
    CHECK(r.status == 200);
    CHECK((r.body.find("state:") != std::string::npos || r.body.find("after:") != std::string::npos ||
           r.body.find("label:") != std::string::npos));
  }
  // The table is still there, the search still works.
  CHECK(agent.get("/?label=negative").body.find("/case/") != std::string::npos);
  CHECK(agent.get("/?q=%D1%85%D0%B0%D0%BC%D1%81%D1%82").body.find("/case/") != std::string::npos);  // «хамст»
}

TEST_CASE("web: sessions end when idle or too old, sign-in is rate-limited per user", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}},
                     "session_idle = \"1h\"\nsession_lifetime = \"24h\"\nlogin_attempts = 3\n");
  // Sessions written as if opened earlier: one idle for two hours, one signed in two days ago
  // (used a minute ago), one fresh.
  SystemClockSource clock;
  auto store = SqliteStore::open((h.dir() / "state.db").string(), clock);
  REQUIRE(store);
  const TimePoint now = clock.now();
  auto session = [&](TimePoint created, TimePoint seen) {
    const std::string token = web::random_token();
    REQUIRE((*store)->create_session(WebSession{web::token_key(token), "anna", WebRole::agent, web::random_token(),
                                                created, seen, "127.0.0.1"}));
    return token;
  };
  const auto idle = session(now - 3h, now - 2h);
  const auto old = session(now - 48h, now - 1min);
  const auto fresh = session(now - 10min, now - 1min);
  WebClient c(h.web_port());
  c.set_session_cookie(idle);
  CHECK(c.get("/").status == 303);
  c.set_session_cookie(old);
  CHECK(c.get("/").status == 303);
  c.set_session_cookie(fresh);
  CHECK(c.get("/").status == 200);

  // Three wrong passwords for anna, then even the right one waits.
  WebClient guesser(h.web_port());
  for (int i = 0; i < 3; ++i) CHECK(guesser.sign_in("anna", "wrong password " + std::to_string(i)).status == 200);
  auto limited = guesser.sign_in("anna", kPassword);
  CHECK(limited.status == 429);
  CHECK(!limited.header("Retry-After").empty());
  CHECK(guesser.session_cookie().empty());
  // Another user is not held up by anna's count.
  CHECK(guesser.sign_in("vera", kPassword).status == 303);

  // "Sign out everywhere" ends every session of the user.
  WebClient a2(h.web_port());
  REQUIRE(a2.sign_in("root", kPassword).status == 303);
  WebClient a3(h.web_port());
  REQUIRE(a3.sign_in("root", kPassword).status == 303);
  a2.get("/");
  CHECK(a2.post("/logout/all", {{"csrf", a2.csrf()}}).status == 303);
  CHECK(a3.get("/").status == 303);
}

TEST_CASE("web: a trusted proxy may name the user, others may not", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}},
                     "proxy_user_header = \"X-Remote-User\"\ntrusted_proxies = [\"127.0.0.1\"]\n");
  WebClient c(h.web_port());
  auto page = c.get("/", {{"X-Remote-User", "anna"}});
  CHECK(page.status == 200);
  CHECK(!c.session_cookie().empty());
  WebClient stranger(h.web_port());
  CHECK(stranger.get("/", {{"X-Remote-User", "nobody"}}).status == 303);
  h.stop();

  DaemonHarness h2;
  FakeSite site2;
  start_with_reviews(site2, h2, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}},
                     "proxy_user_header = \"X-Remote-User\"\ntrusted_proxies = [\"10.0.0.0/8\"]\n");
  WebClient untrusted(h2.web_port());
  CHECK(untrusted.get("/", {{"X-Remote-User", "root"}}).status == 303);
}

TEST_CASE("web: behind a trusted proxy the sign-in limit counts each client, not the proxy", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}},
                     "trusted_proxies = [\"127.0.0.1\"]\nlogin_attempts = 100\nlogin_attempts_per_address = 2\n");
  WebClient c(h.web_port());
  const std::vector<std::pair<std::string, std::string>> guesser = {{"X-Forwarded-For", "198.51.100.7"}};
  for (int i = 0; i < 2; ++i)
    CHECK(c.post("/login", {{"user", "anna"}, {"password", "wrong"}, {"next", "/"}}, guesser).status == 200);
  CHECK(c.post("/login", {{"user", "anna"}, {"password", kPassword}, {"next", "/"}}, guesser).status == 429);
  // Another client behind the same proxy signs in (the earlier entries of the header are the
  // client's own and are not believed).
  WebClient other(h.web_port());
  auto ok = other.post("/login", {{"user", "vera"}, {"password", kPassword}, {"next", "/"}},
                       {{"X-Forwarded-For", "198.51.100.7, 203.0.113.9"}});
  CHECK(ok.status == 303);
}

TEST_CASE("web: an admin's \"poll now\" polls a source at once", "[web]") {
  FakeSite site;
  DaemonHarness h;
  start_with_reviews(site, h, {{"n1", "Queue", kNegative, std::chrono::system_clock::now()}}, "", "3s");
  h.stop();
  // The same state, now with an hour between polls: the source has polled recently and waits.
  DaemonHarness h2;
  std::filesystem::copy(h.dir() / "state.db", h2.dir() / "state.db");
  h2.write_config(web_config(site.url("/feed.rss"), "", "1h"));
  h2.start();
  WebClient admin(h2.web_port());
  REQUIRE(admin.sign_in("root", kPassword).status == 303);
  auto sources = admin.get("/sources");
  REQUIRE(sources.status == 200);
  const auto before = site.hits("/feed.rss");
  auto r = admin.post("/sources/reviews/poll", {{"csrf", admin.csrf()}});
  CHECK(r.status == 303);
  CHECK(r.header("Location") == "/sources?done=polling");
  CHECK(wait_until([&] { return site.hits("/feed.rss") > before; }, 10s));
  CHECK(admin.post("/sources/nosuch/poll", {{"csrf", admin.csrf()}}).status == 404);
}

TEST_CASE("web: a new alert reaches an open page live", "[web]") {
  FakeSite site;
  DaemonHarness h;
  std::vector<FeedItem> items = {{"old", "Old", "Fine.", std::chrono::system_clock::now() - 240h},
                                 {"n1", "Queue", kNegative, std::chrono::system_clock::now()}};
  start_with_reviews(site, h, {items[1]});
  WebClient agent(h.web_port());
  REQUIRE(agent.sign_in("anna", kPassword).status == 303);
  const bool pushed = stream_until(h.web_port(), agent.session_cookie(), "event: alert", 20s, [&] {
    items.push_back({"n2", "Rude", "The manager was rude and shouted at me, awful, never again.",
                     std::chrono::system_clock::now()});
    serve_feed(site, items);
  });
  CHECK(pushed);
}
