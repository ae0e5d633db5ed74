// Answering from the chat on a real SqliteStore with a manual clock and a scripted site
// (ReplyDesk and SiteReplyChannel): who may publish, the preview, Post exactly once, the idempotency
// read after a restart, how the site's failures are judged, what the alert is told.
#include "daemon/app/replies_runtime.hpp"
#include "daemon/app/reply_desk.hpp"
#include "daemon/replies/reply_book.hpp"
#include "daemon/understanding/topics.hpp"
#include "daemon/app/site_reply_channel.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"

#include <spdlog/sinks/null_sink.h>

#include <set>

using namespace otklik;
using namespace std::chrono_literals;
using channels::ReplyAsker;
using channels::ReplyOutcome;

namespace {

/// A site whose answers the test scripts.
class ScriptedPoster final : public ReplyPoster {
 public:
  std::optional<SiteAnswer> there;            ///< what current_answer() finds
  std::optional<Failure> read_fails, post_fails;
  int reads = 0;
  std::vector<std::pair<std::string, bool>> posts;  ///< text, edit

  std::size_t max_chars = 100;
  [[nodiscard]] ReplyLimits limits() const override { return {max_chars, 1, true}; }
  [[nodiscard]] std::string site() const override { return "Wildberries"; }
  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext&, const Mention&) override {
    ++reads;
    if (read_fails) co_return *read_fails;
    co_return there;
  }
  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext&, const Mention&, std::string text, bool edit) override {
    posts.emplace_back(text, edit);
    if (post_fails) co_return *post_fails;
    there = SiteAnswer{"ans-" + std::to_string(posts.size()), text, std::nullopt};
    co_return *there;
  }
};

/// The HTTP client is never reached: the scripted poster answers.
class NoHttp final : public HttpClient {
 public:
  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest) override {
    co_return Failure(errc::connect_failed, "no network in this test");
  }
};

ChannelConfig chat(std::string name, std::vector<std::string> reply_users) {
  ChannelConfig c;
  c.name = std::move(name);
  c.type = "telegram";
  c.chat_id = "-100";
  c.reply_users = std::move(reply_users);
  return c;
}

struct Fixture {
  ManualClock clock{TimePoint{} + std::chrono::days{20780} + 10h};
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(":memory:", clock).value());
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  Config config;
  SourceConfig source;
  NoHttp http;
  ScriptedPoster* poster = nullptr;
  std::unique_ptr<SiteReplyChannel> site;
  std::unique_ptr<ReplyDesk> desk;
  std::vector<std::string> woken;
  std::shared_ptr<spdlog::logger> log = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());

  Fixture() {
    config.channels = {chat("support", {"@anna", "111"}), chat("managers", {})};
    source.name = "wb";
    source.type = "wildberries";
    auto p = std::make_unique<ScriptedPoster>();
    poster = p.get();
    site = std::make_unique<SiteReplyChannel>(source, std::move(p), http, *exec, clock, "otklik-test",
                                              [this](const std::string& c) { woken.push_back(c); }, log);
    std::map<std::string, ReplySite> sites{{"wb", ReplySite{"Wildberries", poster->limits()}}};
    desk = std::make_unique<ReplyDesk>(
        config, *exec, clock, std::move(sites),
        [](const StoredMention&) { return ComposedDraft{"ru", "Здравствуйте! Вернём деньги до [[дата]]."}; },
        [](std::string_view, std::string_view text) {
          std::vector<std::string> out;
          if (text.find("[[") != std::string_view::npos) out.push_back("a blank is left: [[дата]]");
          return out;
        },
        [this](const std::string& c) { woken.push_back(c); }, log);
  }

  /// A negative review of source `src` alerted to support and managers, both posted.
  std::int64_t posted_alert(const std::string& id, const std::string& src = "wb") {
    Mention m;
    m.source = src;
    m.external_id = id;
    m.author = "Ирина";
    m.text = "Деньги за возврат так и не пришли";
    Sentiment s;
    s.label = Label::negative;
    s.score = -0.8;
    AlertPolicy policy;
    policy.alerts = {{"support", "alert", "", std::nullopt}, {"managers", "alert", "", std::nullopt}};
    policy.severity = "high";
    auto r = store->ingest(m, s, policy);
    REQUIRE(r);
    for (const std::string ch : {"support", "managers"}) {
      auto rows = store->lease(ch, clock.now(), 10s, 10);
      REQUIRE(rows);
      for (const auto& row : *rows) REQUIRE(store->mark_sent(row.id, "77", clock.now()));
    }
    return r->mention_id;
  }

  static ReplyAsker anna() { return ReplyAsker{"support", Actor{"telegram", "111", "@anna"}, "@anna"}; }
  static ReplyAsker bob() { return ReplyAsker{"support", Actor{"telegram", "222", "@bob"}, "@bob"}; }

  /// Leases the site's due rows and delivers each as the dispatcher would.
  std::vector<Delivery> deliver_all() {
    std::vector<Delivery> out;
    auto rows = store->lease(reply_channel("wb"), clock.now(), 30s, 10);
    REQUIRE(rows);
    for (const auto& row : *rows) {
      DeliveryRequest req;
      req.item = row;
      auto m = store->mention(row.mention_id);
      REQUIRE(m);
      req.mention = *m;
      Delivery d = test::run_sync(site->deliver(req));
      if (d.status == Delivery::Status::delivered) REQUIRE(store->mark_sent(row.id, d.remote_id, clock.now()));
      else if (d.status == Delivery::Status::dead) REQUIRE(store->mark_dead(row.id, d.error, clock.now()));
      else REQUIRE(store->mark_retry(row.id, clock.now() + 1min, d.error));
      out.push_back(std::move(d));
    }
    return out;
  }

  std::multiset<std::string> status_rows(const std::string& ch) {
    auto rows = store->lease(ch, clock.now() + 1h, 1s, 100);
    REQUIRE(rows);
    std::multiset<std::string> out;
    for (const auto& r : *rows) out.insert(r.kind + " " + r.payload);
    return out;
  }
};

}  // namespace

TEST_CASE("the draft is given to whoever may act, publishing is for reply_users only", "[app][replies]") {
  Fixture f;
  const auto id = f.posted_alert("fb-1");
  auto d = test::run_sync(f.desk->draft(Fixture::anna(), id, false));
  CHECK(d.outcome == ReplyOutcome::ok);
  CHECK(d.can_publish);
  CHECK(d.draft == "Здравствуйте! Вернём деньги до [[дата]].");
  CHECK(d.heading.find("#" + std::to_string(id)) != std::string::npos);
  auto b = test::run_sync(f.desk->draft(Fixture::bob(), id, false));
  CHECK(b.outcome == ReplyOutcome::ok);
  CHECK_FALSE(b.can_publish);
  CHECK(b.instructions.find("reply_users") != std::string::npos);
  // An empty reply_users list means nobody.
  ReplyAsker lead{"managers", Actor{"telegram", "333", "@lead"}, "@lead"};
  CHECK_FALSE(test::run_sync(f.desk->draft(lead, id, false)).can_publish);
  // A chat that never showed the alert finds nothing (button data can be forged).
  f.config.channels.push_back(chat("other", {"@anna"}));
  ReplyAsker elsewhere{"other", Actor{"telegram", "111", "@anna"}, "@anna"};
  CHECK(test::run_sync(f.desk->draft(elsewhere, id, false)).outcome == ReplyOutcome::not_found);
  CHECK(test::run_sync(f.desk->preview(elsewhere, id, false, "Спасибо!")).outcome == ReplyOutcome::not_found);
}

TEST_CASE("preview, Post exactly once, the case answered and every chat told", "[app][replies]") {
  Fixture f;
  const auto id = f.posted_alert("fb-1");
  CHECK(test::run_sync(f.desk->preview(Fixture::bob(), id, false, "Спасибо!")).outcome == ReplyOutcome::not_allowed);
  auto blank = test::run_sync(f.desk->preview(Fixture::anna(), id, false, "Вернём до [[дата]]."));
  CHECK(blank.outcome == ReplyOutcome::refused);
  CHECK(blank.text.find("[[дата]]") != std::string::npos);
  auto tooLong = test::run_sync(f.desk->preview(Fixture::anna(), id, false, std::string(101, 'x')));
  CHECK(tooLong.outcome == ReplyOutcome::refused);
  CHECK(tooLong.text.find("at most 100") != std::string::npos);

  auto p = test::run_sync(f.desk->preview(Fixture::anna(), id, false, "Вернули деньги 5 декабря.\n\n"));
  REQUIRE(p.outcome == ReplyOutcome::ok);
  CHECK(p.text.find("Вернули деньги 5 декабря.") != std::string::npos);
  CHECK(p.text.find("25 символов из 100") != std::string::npos);
  // Bob cannot press Anna's Post; Anna's double tap queues once.
  CHECK(test::run_sync(f.desk->decide(Fixture::bob(), p.reply_id, true)).outcome == ReplyOutcome::not_allowed);
  CHECK(test::run_sync(f.desk->decide(Fixture::anna(), p.reply_id, true)).outcome == ReplyOutcome::ok);
  CHECK(test::run_sync(f.desk->decide(Fixture::anna(), p.reply_id, true)).outcome == ReplyOutcome::ok);
  CHECK(std::count(f.woken.begin(), f.woken.end(), "reply:wb") == 1);
  // A second text for the same review while the first is being published: busy.
  CHECK(test::run_sync(f.desk->preview(Fixture::anna(), id, false, "Ещё раз")).outcome == ReplyOutcome::conflict);

  auto sent = f.deliver_all();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].status == Delivery::Status::delivered);
  CHECK(sent[0].remote_id == "ans-1");
  REQUIRE(f.poster->posts.size() == 1);
  CHECK(f.poster->posts[0] == std::pair<std::string, bool>{"Вернули деньги 5 декабря.", false});
  auto rec = f.store->reply(p.reply_id);
  REQUIRE(rec);
  REQUIRE(*rec);
  CHECK((*rec)->state == ReplyState::posted);
  CHECK((*rec)->site_answer_id == "ans-1");
  auto c = f.store->case_of(id);
  REQUIRE(c);
  REQUIRE(*c);
  CHECK((*c)->state == CaseState::answered);
  CHECK((*c)->answered->by.name == "@anna");
  const std::string status = "status {\"reply\":" + std::to_string(p.reply_id) + "}";
  CHECK(f.status_rows("support") == std::multiset<std::string>{status});
  CHECK(f.status_rows("managers") == std::multiset<std::string>{status});
  // Nothing more to deliver, and a new answer without Edit is refused.
  CHECK(f.deliver_all().empty());
  CHECK(test::run_sync(f.desk->preview(Fixture::anna(), id, false, "Другой ответ")).outcome == ReplyOutcome::conflict);
  // Edit is an explicit action: it replaces the answer on the site.
  auto e = test::run_sync(f.desk->submit(Fixture::anna(), id, true, "Исправленный ответ", ""));
  REQUIRE(e.outcome == ReplyOutcome::ok);
  REQUIRE(f.deliver_all().size() == 1);
  REQUIRE(f.poster->posts.size() == 2);
  CHECK(f.poster->posts[1] == std::pair<std::string, bool>{"Исправленный ответ", true});
}

TEST_CASE("a restart between the post and its record publishes nothing twice", "[app][replies]") {
  Fixture f;
  const auto id = f.posted_alert("fb-1");
  auto p = test::run_sync(f.desk->submit(Fixture::anna(), id, false, "Вернули деньги 5 декабря.", ""));
  REQUIRE(p.outcome == ReplyOutcome::ok);
  // The site shows the answer already (it was posted, then the process died before the record).
  f.poster->there = SiteAnswer{"ans-0", "Вернули  деньги\n5 декабря. ", std::nullopt};
  auto sent = f.deliver_all();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].status == Delivery::Status::delivered);
  CHECK(sent[0].remote_id == "ans-0");
  CHECK(f.poster->posts.empty());
  CHECK((*f.store->reply(p.reply_id))->state == ReplyState::posted);
}

TEST_CASE("the site's answers to a post: refusals shown, transient failures retried", "[app][replies]") {
  struct Case {
    std::string name;
    std::optional<SiteAnswer> there;
    std::optional<Failure> read_fails, post_fails;
    Delivery::Status status;
    std::string reason;  ///< in the failed reply's error
  };
  auto http = [](int status, std::string detail) {
    Failure f(errc::http_status, std::move(detail));
    f.http_status = status;
    return f;
  };
  Failure limited(errc::rate_limited, "429 Too Many Requests");
  limited.retry_after = 20s;
  const std::vector<Case> cases = {
      {"another answer already there", SiteAnswer{"x", "Ответ коллеги", {}}, {}, {}, Delivery::Status::dead,
       "already has the company's answer: \u00ABОтвет коллеги\u00BB"},
      {"review deleted", {}, {}, http(404, "HTTP 404: Отзыв не найден"), Delivery::Status::dead, "Отзыв не найден"},
      {"text refused", {}, {}, http(400, "HTTP 400: текст слишком длинный"), Delivery::Status::dead, "слишком длинный"},
      {"key refused", {}, Failure(errc::unauthorized, "credentials rejected: token expired"), {}, Delivery::Status::dead,
       "token expired"},
      {"server error", {}, {}, http(503, "HTTP 503"), Delivery::Status::retry, ""},
      {"timeout", {}, Failure(errc::timeout, "read timed out"), {}, Delivery::Status::retry, ""},
      {"rate limited", {}, {}, limited, Delivery::Status::retry, ""},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      Fixture f;
      const auto id = f.posted_alert("fb-1");
      auto p = test::run_sync(f.desk->submit(Fixture::anna(), id, false, "Вернули деньги.", ""));
      REQUIRE(p.outcome == ReplyOutcome::ok);
      f.poster->there = c.there;
      f.poster->read_fails = c.read_fails;
      f.poster->post_fails = c.post_fails;
      auto sent = f.deliver_all();
      REQUIRE(sent.size() == 1);
      CHECK(sent[0].status == c.status);
      const ReplyRecord rec = **f.store->reply(p.reply_id);
      if (c.status == Delivery::Status::dead) {
        CHECK(rec.state == ReplyState::failed);
        CHECK(rec.error.find(c.reason) != std::string::npos);
        CHECK(f.status_rows("support").size() == 1);  // shown under the alert
        CHECK((*f.store->case_of(id))->state == CaseState::fresh);
      } else {
        CHECK(rec.state == ReplyState::queued);
        CHECK(f.status_rows("support").empty());
        if (c.post_fails && c.post_fails->retry_after) CHECK(sent[0].retry_after == c.post_fails->retry_after);
      }
    }
  }
}

TEST_CASE("cancel, and a preview answers only to its own chat", "[app][replies]") {
  Fixture f;
  const auto id = f.posted_alert("fb-1");
  auto p = test::run_sync(f.desk->preview(Fixture::anna(), id, false, "Спасибо!"));
  REQUIRE(p.outcome == ReplyOutcome::ok);
  ReplyAsker managers{"managers", Actor{"telegram", "111", "@anna"}, "@anna"};
  CHECK(test::run_sync(f.desk->decide(managers, p.reply_id, false)).outcome != ReplyOutcome::ok);
  auto c = test::run_sync(f.desk->decide(Fixture::anna(), p.reply_id, false));
  CHECK(c.outcome == ReplyOutcome::ok);
  CHECK_FALSE(c.message.empty());
  CHECK(test::run_sync(f.desk->decide(Fixture::anna(), p.reply_id, true)).outcome == ReplyOutcome::conflict);
  CHECK(f.deliver_all().empty());
  CHECK(f.poster->posts.empty());
}

TEST_CASE("answers compare by their words, whitespace aside", "[app][replies]") {
  CHECK(same_answer("Спасибо, Ирина!", "Спасибо, Ирина!"));
  CHECK(same_answer("  Спасибо,\n\nИрина! ", "Спасибо, Ирина!"));
  CHECK(same_answer("", "   "));
  CHECK_FALSE(same_answer("Спасибо, Ирина!", "Спасибо, Ирина"));
  CHECK_FALSE(same_answer("Спасибо Ирина", "Спасибо, Ирина"));
}

TEST_CASE("automatic thanks: positive reviews after the delay, once, not the site's past, not complaints",
          "[app][replies]") {
  Fixture f;
  f.source.auto_reply = AutoReply::positive;
  f.source.auto_reply_delay = 1h;
  f.source.alert_max_age = 48h;
  auto store_review = [&](const std::string& id, Label label, std::optional<TimePoint> published) {
    Mention m;
    m.source = "wb";
    m.external_id = id;
    m.author = "Ирина";
    m.text = label == Label::positive ? "Отличная куртка, спасибо!" : "Куртка порвалась через день";
    m.published = published;
    Sentiment s;
    s.label = label;
    s.score = label == Label::positive ? 0.8 : -0.8;
    auto r = f.store->ingest(m, s, AlertPolicy{});
    REQUIRE(r);
    return r->mention_id;
  };
  const auto fresh = store_review("fb-new", Label::positive, f.clock.now() - 10min);
  store_review("fb-past", Label::positive, f.clock.now() - 24h * 100);  // a first poll's baseline
  store_review("fb-bad", Label::negative, f.clock.now() - 10min);
  auto book = std::shared_ptr<const replies::ReplyBook>(&replies::builtin_reply_book(), [](const auto*) {});
  AutoReplies auto_replies({{&f.source, "Wildberries"}}, book, *f.exec, f.clock, TimeZone{}, "ru",
                           [&](const std::string& c) { f.woken.push_back(c); }, f.log);

  CHECK(test::run_sync(auto_replies.round()) == 0);  // not before the delay
  f.clock.advance(61min);
  CHECK(test::run_sync(auto_replies.round()) == 1);
  CHECK(test::run_sync(auto_replies.round()) == 0);  // once
  CHECK(std::count(f.woken.begin(), f.woken.end(), "reply:wb") == 1);
  auto latest = f.store->latest_reply(fresh);
  REQUIRE(latest);
  REQUIRE(*latest);
  CHECK((*latest)->automatic);
  CHECK((*latest)->state == ReplyState::queued);
  CHECK((*latest)->text.find("[[") == std::string::npos);  // nothing for a person to fill
  CHECK((*latest)->text.find("Ирина") != std::string::npos);

  // Published through the same path as a person's answer; no case to answer for a positive review.
  f.poster->max_chars = 2000;
  auto sent = f.deliver_all();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].status == Delivery::Status::delivered);
  REQUIRE(f.poster->posts.size() == 1);
  CHECK(f.poster->posts[0].first == (*latest)->text);
  // A day past the delay a review is not thanked any more (turning auto_reply on thanks no backlog).
  const auto late = store_review("fb-late", Label::positive, f.clock.now());
  f.clock.advance(26h);
  CHECK(test::run_sync(auto_replies.round()) == 0);
  CHECK_FALSE(*f.store->latest_reply(late));
}
