// The fake marketplace APIs (tests/support/sites/) driven over real HTTP by the presets' sources
// and answer posters: what a poll reads, an answer published and then seen by the idempotency
// read and by the next poll, an edit, and the refusals the fakes can be told to give.
#include "daemon/net/http_client.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/sites/fake_ozon.hpp"
#include "tests/support/sites/fake_wildberries.hpp"
#include "tests/support/sites/fake_yandex_market.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <toml++/toml.h>

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::string_at;

namespace {

/// One coroutine run to its end on `io` (where the HTTP client lives).
template <class T>
T run_on(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

struct Harness {
  boost::asio::io_context io;
  std::unique_ptr<HttpClient> http;
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  TimePoint now = SystemClock::now();

  Harness() {
    HttpConfig config;
    config.per_host_delay = 0ms;
    http = make_http_client(io.get_executor(), config, "otklik-test");
  }

  ApiContext context() { return ApiContext{*http, now, "otklik-test", {}}; }

  Result<PollResult> poll(Source& source) {
    const SourceState state;
    return run_on(io, source.poll(PollContext{*http, state, now, "otklik-test"}));
  }
};

SourceConfig config_of(std::string type, std::string url, std::string key, std::string_view options) {
  SourceConfig s;
  s.name = type + "-shop";
  s.type = std::move(type);
  s.brand = "teplo";
  s.url = std::move(url);
  s.line = 1;
  s.api_key = Secret("env:KEY", std::move(key));
  s.options = toml::parse(options, std::string("test.toml"));
  return s;
}

const Mention* find_mention(const PollResult& r, std::string_view id) {
  for (const auto& m : r.mentions)
    if (m.external_id == id) return &m;
  return nullptr;
}

}  // namespace

TEST_CASE("fake Wildberries: answers show in the item and the lists, refusals as queued", "[site_fakes]") {
  test::FakeWildberries wb("wb-token-0001");
  wb.add_feedback(R"({"id":"F1","text":"Порвалась через неделю","productValuation":1,)"
                  R"("createdDate":"2026-12-01T10:00:00Z","productDetails":{"nmId":12345678},"answer":null})");
  Harness h;
  const SourceConfig config = config_of("wildberries", wb.base_url(), "wb-token-0001", "");
  auto source = h.registry.create(config);
  auto poster = h.registry.create_replier(config);
  REQUIRE(poster != nullptr);
  ApiContext ctx = h.context();

  auto first = h.poll(*source);
  REQUIRE(first);
  const Mention* f1 = find_mention(*first, "F1");
  REQUIRE(f1 != nullptr);
  CHECK(f1->company_reply.empty());
  auto none = run_on(h.io, poster->current_answer(ctx, *f1));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());

  auto posted = run_on(h.io, poster->post(ctx, *f1, "Здравствуйте! Заменим по гарантии.", false));
  REQUIRE(posted);
  REQUIRE(wb.answer_requests().size() == 1);
  CHECK(wb.answer_requests()[0].method == "POST");
  auto seen = run_on(h.io, poster->current_answer(ctx, *f1));
  REQUIRE(seen);
  REQUIRE(seen->has_value());
  CHECK((*seen)->text == "Здравствуйте! Заменим по гарантии.");
  auto second = h.poll(*source);
  REQUIRE(second);
  REQUIRE(find_mention(*second, "F1") != nullptr);
  CHECK(find_mention(*second, "F1")->company_reply == "Здравствуйте! Заменим по гарантии.");

  REQUIRE(run_on(h.io, poster->post(ctx, *f1, "Исправленный ответ", true)));
  CHECK(wb.answer_requests().back().method == "PATCH");
  CHECK(string_at(wb.feedback("F1")->at("answer").as_object(), "text") == "Исправленный ответ");

  wb.fail_next_answer_with(404, R"({"data":null,"error":true,"errorText":"Не найден отзыв"})");
  auto refused = run_on(h.io, poster->post(ctx, *f1, "Ещё раз", true));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().http_status == 404);
  CHECK(refused.error().message().find("Не найден отзыв") != std::string::npos);

  wb.fail_next_answer_with(429, R"({"title":"too many requests"})", {{"X-Ratelimit-Retry", "1"}});
  REQUIRE(run_on(h.io, poster->post(ctx, *f1, "После паузы", true)));
  CHECK(string_at(wb.feedback("F1")->at("answer").as_object(), "text") == "После паузы");

  wb.revoke();
  auto revoked = run_on(h.io, poster->current_answer(ctx, *f1));
  REQUIRE_FALSE(revoked);
  CHECK(revoked.error().code == make_error_code(errc::unauthorized));
}

TEST_CASE("fake Wildberries questions: PATCH /api/v1/questions answers and the item shows it", "[site_fakes]") {
  test::FakeWildberries wb("wb-token-0001");
  wb.add_question(R"({"id":"Q1","text":"Когда поставите?","createdDate":"2026-12-01T10:00:00Z",)"
                  R"("state":"suppliersPortalSynch","productDetails":{"nmId":1},"answer":null})");
  Harness h;
  const SourceConfig config = config_of("wildberries", wb.base_url(), "wb-token-0001", R"(kind = "questions")");
  auto poster = h.registry.create_replier(config);
  ApiContext ctx = h.context();
  Mention q;
  q.external_id = "Q1";
  REQUIRE(run_on(h.io, poster->post(ctx, q, "На следующей неделе", false)));
  auto seen = run_on(h.io, poster->current_answer(ctx, q));
  REQUIRE(seen);
  REQUIRE(seen->has_value());
  CHECK((*seen)->text == "На следующей неделе");
  Mention unknown;
  unknown.external_id = "Q404";
  auto missing = run_on(h.io, poster->post(ctx, unknown, "На следующей неделе", false));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().http_status == 404);
}

TEST_CASE("fake Ozon: comments created, listed once moderated, replaced on edit", "[site_fakes]") {
  test::FakeOzon ozon("778899", "ozon-key-0001");
  ozon.add_review(R"({"id":"r1","sku":1783456012,"rating":1,"text":"Пуховик линяет","published_at":"2026-11-27T12:00:00Z",)"
                  R"("status":"UNPROCESSED","comments_amount":0})");
  Harness h;
  const SourceConfig config = config_of("ozon", ozon.base_url(), "ozon-key-0001", R"(client_id = "778899")");
  auto source = h.registry.create(config);
  auto poster = h.registry.create_replier(config);
  REQUIRE(poster != nullptr);
  ApiContext ctx = h.context();

  auto first = h.poll(*source);
  REQUIRE(first);
  const Mention* r1 = find_mention(*first, "r1");
  REQUIRE(r1 != nullptr);
  auto posted = run_on(h.io, poster->post(ctx, *r1, "Здравствуйте! Заменим пуховик.", false));
  REQUIRE(posted);
  CHECK(posted->id == "c-1");
  CHECK(string_at(*ozon.review("r1"), "status") == "PROCESSED");
  auto seen = run_on(h.io, poster->current_answer(ctx, *r1));
  REQUIRE(seen);
  REQUIRE(seen->has_value());
  CHECK((*seen)->id == "c-1");
  auto second = h.poll(*source);
  REQUIRE(second);
  REQUIRE(find_mention(*second, "r1") != nullptr);
  CHECK(find_mention(*second, "r1")->company_reply == "Здравствуйте! Заменим пуховик.");

  auto edited = run_on(h.io, poster->post(ctx, *r1, "Новый ответ", true));
  REQUIRE(edited);
  const auto comments = ozon.comments("r1");
  REQUIRE(comments.size() == 1);
  CHECK(string_at(comments[0], "text") == "Новый ответ");

  // Moderation lag: a new comment is not listed until published.
  ozon.add_review(R"({"id":"r2","sku":1,"rating":2,"text":"Долго везли","published_at":"2026-11-28T12:00:00Z","status":"UNPROCESSED"})");
  Mention r2;
  r2.external_id = "r2";
  ozon.hold_new_comments();
  REQUIRE(run_on(h.io, poster->post(ctx, r2, "Простите за задержку", false)));
  auto held = run_on(h.io, poster->current_answer(ctx, r2));
  REQUIRE(held);
  CHECK_FALSE(held->has_value());
  ozon.publish_held_comments();
  auto published = run_on(h.io, poster->current_answer(ctx, r2));
  REQUIRE(published);
  CHECK(published->has_value());

  Mention gone;
  gone.external_id = "r404";
  auto missing = run_on(h.io, poster->post(ctx, gone, "Спасибо", false));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().http_status == 404);
  CHECK(missing.error().message().find("review not found") != std::string::npos);
  ozon.fail_next_answer_with(500, R"({"code":13,"message":"internal error","details":[]})");
  auto broken = run_on(h.io, poster->post(ctx, r2, "Спасибо", false));
  REQUIRE_FALSE(broken);
  CHECK(broken.error().transient());
}

TEST_CASE("fake Yandex Market: comments added and changed through comments/update", "[site_fakes]") {
  test::FakeYandexMarket market("778899", "market-key-0001");
  market.add_feedback(R"({"feedbackId":3400100001,"createdAt":"2026-11-30T20:14:09+03:00","needReaction":true,)"
                      R"("identifiers":{"orderId":1,"offerId":"JKT"},"author":"Марина","description":)"
                      R"({"comment":"Молния сломалась"},"statistics":{"rating":1,"commentsCount":0}})");
  Harness h;
  const SourceConfig config = config_of("yandex_market", market.base_url(), "market-key-0001", R"(business_id = "778899")");
  auto source = h.registry.create(config);
  auto poster = h.registry.create_replier(config);
  REQUIRE(poster != nullptr);
  ApiContext ctx = h.context();

  auto first = h.poll(*source);
  REQUIRE(first);
  const Mention* f = find_mention(*first, "3400100001");
  REQUIRE(f != nullptr);
  auto posted = run_on(h.io, poster->post(ctx, *f, "Марина, заменим куртку.", false));
  REQUIRE(posted);
  CHECK(posted->id == "990101");
  auto seen = run_on(h.io, poster->current_answer(ctx, *f));
  REQUIRE(seen);
  REQUIRE(seen->has_value());
  CHECK((*seen)->text == "Марина, заменим куртку.");
  auto second = h.poll(*source);
  REQUIRE(second);
  REQUIRE(find_mention(*second, "3400100001") != nullptr);
  CHECK(find_mention(*second, "3400100001")->company_reply == "Марина, заменим куртку.");

  REQUIRE(run_on(h.io, poster->post(ctx, *f, "Исправленный ответ", true)));
  const auto comments = market.comments("3400100001");
  REQUIRE(comments.size() == 1);
  CHECK(string_at(comments[0], "text") == "Исправленный ответ");

  market.fail_next_answer_with(
      404, R"({"status":"ERROR","errors":[{"code":"NOT_FOUND","message":"Feedback 3400100001 not found"}]})");
  auto refused = run_on(h.io, poster->post(ctx, *f, "Ещё", false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().http_status == 404);
  CHECK(refused.error().message().find("NOT_FOUND") != std::string::npos);
  CHECK(market.answer_requests().size() == 3);
}
