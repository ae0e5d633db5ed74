// The real daemon on PostgreSQL ([store] backend = "postgresql"): a new negative review → one
// alert to the chat, stored as sent; a restart on the same database alerts nothing again. Each
// test has a database of its own on the server of the PG* environment (pg_virtualenv), dropped
// afterwards; without one the test reports SKIPPED (pg_catch_main.cpp). `otklik feedback export`
// reads the same database.

#include "harness.hpp"
#include "web_client.hpp"
#include "daemon/web/password_hash.hpp"
#include "daemon/app/feedback_command.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/unit/store/pg/pg_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <sstream>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

const auto kNow = [] { return std::chrono::system_clock::now(); };

std::string config(const std::string& feed_url, const FakeTelegram& tg) {
  return fmt::format(R"(
[daemon]
state = "unused.db"
listen = "127.0.0.1:0"
locale = "en"
shutdown_timeout = "5s"

[store]
backend = "postgresql"
url = "env:OTKLIK_PG_DAEMON_TEST_URL"
statement_timeout = "10s"
connect_timeout = "5s"

[http]
per_host_delay = "0s"
read_timeout = "5s"

[[brand]]
name = "Rocketbank"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"
brand = "Rocketbank"

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "-100200300"
api_url = "{}"

[[route]]
channel = "support"
min_severity = "low"
)",
                     feed_url, tg.token(), tg.api_url());
}

FeedItem old_item(std::string id, std::string text) { return {std::move(id), "Old review", std::move(text), kNow() - 240h}; }
FeedItem new_item(std::string id, std::string text) { return {std::move(id), "Review", std::move(text), kNow() - 1min}; }

const std::string kNegative = "Terrible service, the manager was rude and I waited an hour in the queue. Never again.";
const std::string kOldNegative = "They charged me twice and refused to refund. Awful, a scam.";
const std::string kPositive = "Great bank, friendly staff, everything was quick. Thank you!";

/// Sets the store URL the config refers to (env:OTKLIK_PG_DAEMON_TEST_URL) for the scope.
class ScopedUrl {
 public:
  explicit ScopedUrl(const std::string& url) { ::setenv(kName, url.c_str(), 1); }
  ~ScopedUrl() { ::unsetenv(kName); }
  ScopedUrl(const ScopedUrl&) = delete;
  ScopedUrl& operator=(const ScopedUrl&) = delete;

 private:
  static constexpr const char* kName = "OTKLIK_PG_DAEMON_TEST_URL";
};

/// One text cell of `sql`'s first row ("" when there is no row).
std::string scalar(store::pg::Connection& conn, const std::string& sql) {
  auto r = conn.query(sql);
  REQUIRE(r.has_value());
  if (r->rows() == 0) return "";
  auto v = r->text(0, 0);
  REQUIRE(v.has_value());
  return *v;
}

}  // namespace

TEST_CASE("on PostgreSQL: a negative review alerts once, is stored, and a restart repeats nothing",
          "[integration][postgresql]") {
  TestDatabase db;
  ScopedUrl url("dbname=" + db.name());
  FakeSite site;
  FakeTelegram tg;
  std::vector<FeedItem> items = {old_item("a", kOldNegative), old_item("b", kPositive)};
  serve_feed(site, items);
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg));
  h.start();
  CHECK(h.log().find("store postgresql") != std::string::npos);
  CHECK(h.log().find("open and migrated") != std::string::npos);

  // The first poll is a silent baseline.
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 2; }, 10s));
  CHECK(tg.messages().empty());

  items.push_back(new_item("c", kNegative));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_for_polls(site, 3, 10s));
  REQUIRE(tg.messages().size() == 1);
  CHECK(tg.messages()[0].visible_text.find("waited an hour in the queue") != std::string::npos);
  CHECK(h.stop() == 0);

  // What the daemon stored, read back from the database.
  auto conn = db.connect();
  CHECK(scalar(conn, "SELECT count(*) FROM mentions WHERE source = 'reviews'") == "3");
  CHECK(scalar(conn, "SELECT o.state FROM outbox o JOIN mentions m ON m.id = o.mention_id "
                     "WHERE m.external_id = 'c' AND o.channel = 'support'") == "sent");
  CHECK(scalar(conn, "SELECT count(*) FROM outbox WHERE state = 'sent'") == "1");
  CHECK(scalar(conn, "SELECT count(*) FROM outbox WHERE state = 'pending'") == "0");
  CHECK_FALSE(scalar(conn, "SELECT o.remote_id FROM outbox o JOIN mentions m ON m.id = o.mention_id "
                           "WHERE m.external_id = 'c'")
                  .empty());

  // Restart on the same database: the schema is current, nothing is sent again.
  h.start();
  REQUIRE(wait_for_polls(site, 2, 10s));
  CHECK(tg.messages().size() == 1);
  CHECK(h.stop() == 0);
  CHECK(scalar(conn, "SELECT count(*) FROM outbox WHERE state = 'sent'") == "1");

  // The one-shot commands open the same database ([daemon] state is never created).
  std::ostringstream out, err;
  CHECK(run_feedback_export(h.dir() / "otklik.toml", std::nullopt, out, err) == 0);
  CHECK(err.str().find("0 dismissed mention(s) exported") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(h.dir() / "unused.db"));
}

TEST_CASE("on PostgreSQL: a server that cannot be reached stops the start with a reason, no password",
          "[integration][postgresql]") {
  // A port nobody listens on (the discard port on loopback): refused at once.
  ScopedUrl url("postgresql://otklik:pg-secret-pw@127.0.0.1:9/otklik");
  FakeSite site;
  FakeTelegram tg;
  serve_feed(site, {});
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg));
  CHECK(h.try_start() != 0);
  CHECK(h.log().find("store postgresql") != std::string::npos);
  CHECK(h.log().find("pg-secret-pw") == std::string::npos);
}

namespace {

constexpr const char* kSlackSecret = "2f742231b10e8888abcd99yyyzzz85a5-test";

std::string shared_config(const std::string& instance, const std::string& feed_url) {
  return fmt::format(R"(
[daemon]
state = "unused.db"
listen = "127.0.0.1:0"
locale = "ru"
shutdown_timeout = "5s"

[store]
backend = "postgresql"
url = "env:OTKLIK_PG_DAEMON_TEST_URL"
instance = "{}"
lease_ttl = "3s"

[http]
per_host_delay = "0s"
read_timeout = "5s"

[lifecycle]
slack_actions_path = "/hooks/slack"

[[brand]]
name = "Rocketbank"

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"
brand = "Rocketbank"

[[channel]]
name = "slack"
type = "slack"
webhook_url = "env:OTKLIK_PG_DAEMON_TEST_SLACK_URL"
signing_secret = "env:OTKLIK_PG_DAEMON_TEST_SLACK_SECRET"

[[route]]
channel = "slack"
min_severity = "low"
)",
                     instance, feed_url);
}

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE("on PostgreSQL, two instances: one polls the source, one alert, and a Slack tap works on either",
          "[integration][postgresql][leases]") {
  TestDatabase db;
  ScopedUrl url("dbname=" + db.name());
  FakeSite site;
  FakeSlackWebhook slack;
  ::setenv("OTKLIK_PG_DAEMON_TEST_SLACK_URL", slack.url().c_str(), 1);
  ::setenv("OTKLIK_PG_DAEMON_TEST_SLACK_SECRET", kSlackSecret, 1);
  std::vector<FeedItem> items = {old_item("a", kOldNegative), old_item("b", kPositive)};
  serve_feed(site, items);
  DaemonHarness a, b;
  a.write_config(shared_config("a", site.url("/feed.rss")));
  b.write_config(shared_config("b", site.url("/feed.rss")));
  a.start();
  b.start();
  CHECK(a.log().find("[a] instance a") != std::string::npos);
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 2; }, 20s));

  items.push_back(new_item("c", kNegative));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return slack.messages().size() >= 1; }, 20s));
  REQUIRE(wait_for_polls(site, 3, 10s));
  CHECK(slack.messages().size() == 1);  // one alert, whichever instance polled and sent it

  // One holds the source's lease and one the leader's, each exactly once.
  auto conn = db.connect();
  CHECK(scalar(conn, "SELECT count(*) FROM leases WHERE name = 'source:reviews' AND holder IN ('a', 'b')") == "1");
  CHECK(scalar(conn, "SELECT count(*) FROM leases WHERE name = 'leader' AND holder IN ('a', 'b')") == "1");
  const auto [status_a, metrics_a] = a.health_get("/metrics");
  const auto [status_b, metrics_b] = b.health_get("/metrics");
  CHECK(metrics_a.find("otklik_instance_info{instance=\"a\"} 1") != std::string::npos);
  CHECK(metrics_b.find("otklik_instance_info{instance=\"b\"} 1") != std::string::npos);

  // The alert's buttons act whichever instance the load balancer hands the tap to.
  const auto message = boost::json::parse(slack.messages().front()).as_object();
  const auto& buttons = message.at("blocks").as_array().back().as_object().at("elements").as_array();
  const std::string mention = std::string(buttons.at(0).as_object().at("value").as_string());
  const std::string take = slack_click_body({"otk1_take", mention, "U0TEST0001", "ivanova", slack.response_url()});
  CHECK(post_slack_click(fmt::format("http://127.0.0.1:{}/hooks/slack", a.health_port()), kSlackSecret, take,
                         unix_seconds())
            .first == 200);
  REQUIRE(wait_until([&] { return slack.responses().size() >= 1; }, 10s));
  const std::string answer =
      slack_click_body({"otk1_answer", mention, "U0TEST0002", "petrov", slack.response_url()});
  CHECK(post_slack_click(fmt::format("http://127.0.0.1:{}/hooks/slack", b.health_port()), kSlackSecret, answer,
                         unix_seconds())
            .first == 200);
  REQUIRE(wait_until([&] { return slack.responses().size() >= 2; }, 10s));
  CHECK(scalar(conn, "SELECT state FROM cases WHERE mention_id = " + mention) == "answered");
  CHECK(scalar(conn, "SELECT taken_by_name FROM cases WHERE mention_id = " + mention) == "@ivanova");
  CHECK(scalar(conn, "SELECT answered_by_name FROM cases WHERE mention_id = " + mention) == "@petrov");
  CHECK(slack.responses()[1].find("@petrov") != std::string::npos);

  CHECK(a.stop() == 0);
  CHECK(b.stop() == 0);
  // Stopped: their leases are given up at once.
  CHECK(scalar(conn, "SELECT count(*) FROM leases WHERE holder IS NOT NULL") == "0");
  ::unsetenv("OTKLIK_PG_DAEMON_TEST_SLACK_URL");
  ::unsetenv("OTKLIK_PG_DAEMON_TEST_SLACK_SECRET");
}

TEST_CASE("on PostgreSQL, two instances: the web inbox works on either, sessions and cases are shared",
          "[integration][postgresql][web]") {
  TestDatabase db;
  ScopedUrl url("dbname=" + db.name());
  FakeSite site;
  FakeSlackWebhook slack;
  ::setenv("OTKLIK_PG_DAEMON_TEST_SLACK_URL", slack.url().c_str(), 1);
  ::setenv("OTKLIK_PG_DAEMON_TEST_SLACK_SECRET", kSlackSecret, 1);
  std::vector<FeedItem> items = {old_item("a", kOldNegative), old_item("b", kPositive)};
  serve_feed(site, items);
  DaemonHarness a, b;
  const std::string web = "\n[web]\nlisten = \"127.0.0.1:0\"\n";
  a.write_config(shared_config("a", site.url("/feed.rss")) + web);
  b.write_config(shared_config("b", site.url("/feed.rss")) + web);
  a.start();
  b.start();
  // A user, as `otklik user add` stores one.
  const std::string password = "correct horse battery";
  auto hash = web::hash_password(password);
  REQUIRE(hash);
  auto conn = db.connect();
  scalar(conn, "INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES ('anna', 'agent', '" +
                   *hash + "', 0, 0) RETURNING name");
  REQUIRE(wait_until([&] { return site.hits("/feed.rss") >= 2; }, 20s));
  items.push_back(new_item("c", kNegative));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return slack.messages().size() >= 1; }, 20s));

  // Signed in on a, the same session works on b: it is in the store.
  WebClient on_a(a.web_port());
  REQUIRE(on_a.sign_in("anna", password).status == 303);
  WebClient on_b(b.web_port());
  on_b.set_session_cookie(on_a.session_cookie());
  auto inbox = on_b.get("/?label=negative&q=manager+rude");
  REQUIRE(inbox.status == 200);
  const auto at = inbox.body.find("/case/");
  REQUIRE(at != std::string::npos);
  const std::string mention = std::to_string(std::stoll(inbox.body.substr(at + 6)));
  // Taken on b; a shows it taken, and the Slack alert is updated (the chats' path).
  on_b.get("/case/" + mention);
  CHECK(on_b.post("/case/" + mention + "/action", {{"csrf", on_b.csrf()}, {"action", "take"}}).status == 303);
  CHECK(scalar(conn, "SELECT taken_by_name FROM cases WHERE mention_id = " + mention) == "anna");
  CHECK(on_a.get("/?state=taken").body.find("/case/" + mention) != std::string::npos);
  // Signing out on b ends the session on a too.
  CHECK(on_b.post("/logout", {{"csrf", on_b.csrf()}}).status == 303);
  CHECK(on_a.get("/").status == 303);
  CHECK(a.stop() == 0);
  CHECK(b.stop() == 0);
  ::unsetenv("OTKLIK_PG_DAEMON_TEST_SLACK_URL");
  ::unsetenv("OTKLIK_PG_DAEMON_TEST_SLACK_SECRET");
}
