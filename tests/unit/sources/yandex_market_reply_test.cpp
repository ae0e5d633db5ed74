// Answers to Yandex Market goods feedback through the Partner API on a scripted client: the
// comments/update call with the Api-Key, the business's current comment from the comments list,
// an edit naming the comment's id, the local length check, and the API's refusals.
#include "sources/generic/dates.hpp"
#include "sources/source.hpp"
#include "sources/yandex_market/yandex_market_reply.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/scripted_http.hpp"

#include <boost/json.hpp>
#include <toml++/toml.h>

using namespace otklik;
using otklik::test::json_answer;
using otklik::test::read_fixture;
using otklik::test::run_sync;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kKey = "ACMA:market-reply-token-0001:abcd";
constexpr const char* kUpdateUrl =
    "https://api.partner.market.yandex.ru/v2/businesses/778899/goods-feedback/comments/update";
constexpr const char* kCommentsUrl =
    "https://api.partner.market.yandex.ru/v2/businesses/778899/goods-feedback/comments?limit=50";

SourceConfig market_config() {
  SourceConfig s;
  s.name = "market";
  s.type = "yandex_market";
  s.brand = "teplo";
  s.url = "https://api.partner.market.yandex.ru";
  s.line = 1;
  s.api_key = Secret("env:MARKET_KEY", kKey);
  s.options = toml::parse(R"(business_id = "778899")", std::string("test.toml"));
  return s;
}

std::unique_ptr<ReplyPoster> replier() {
  static const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto poster = registry.create_replier(market_config());
  REQUIRE(poster != nullptr);
  return poster;
}

Mention feedback(std::string id) {
  Mention m;
  m.source = "market";
  m.external_id = std::move(id);
  return m;
}

ApiContext context(HttpClient& http) { return ApiContext{http, *make_utc(2026, 12, 7, 9, 0, 0), "otklik-test", {}}; }

boost::json::value body_of(const HttpRequest& r) { return boost::json::parse(r.body); }

void check_auth(const HttpRequest& r) {
  CHECK(r.method == "POST");
  CHECK(find_header(r.headers, "Api-Key") == std::optional<std::string_view>(kKey));
  CHECK(find_header(r.headers, "Content-Type") == std::optional<std::string_view>("application/json"));
}

std::string updated(long long id, std::string_view text) {
  return R"({"status":"OK","result":{"id":)" + std::to_string(id) + R"(,"text":")" + std::string(text) +
         R"(","canModify":true,"author":{"type":"BUSINESS","name":"Тёплый дом"},"status":"PUBLISHED",)"
         R"("feedbackId":3400100002}})";
}

}  // namespace

TEST_CASE("Yandex Market answers a feedback: comments/update with feedbackId and the comment's text",
          "[yandex_market_reply]") {
  auto poster = replier();
  CHECK(poster->site() == "Yandex Market");
  CHECK(poster->limits().max_chars == 4096);
  CHECK(poster->limits().can_edit);

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, updated(990010, "Спасибо за отзыв!")));
  ApiContext ctx = context(http);
  const Mention m = feedback("3400100002");
  auto posted = run_sync(poster->post(ctx, m, "Спасибо за отзыв!", false));
  REQUIRE(posted);
  CHECK(posted->id == "990010");
  CHECK(posted->text == "Спасибо за отзыв!");
  CHECK(posted->at == ctx.now);
  REQUIRE(http.requests.size() == 1);
  check_auth(http.requests[0]);
  CHECK(http.requests[0].url == kUpdateUrl);
  CHECK(body_of(http.requests[0]) ==
        boost::json::parse(R"({"feedbackId":3400100002,"comment":{"text":"Спасибо за отзыв!"}})"));
}

TEST_CASE("Yandex Market current answer: the business's live comment on the feedback itself",
          "[yandex_market_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, read_fixture("yandex_market/comments.json")));
  http.answers.push_back(json_answer(
      200, R"({"status":"OK","result":{"comments":[{"id":5,"text":"Спасибо","author":{"type":"USER"},)"
           R"("status":"PUBLISHED"},{"id":6,"text":"Ответ в ветке","parentId":5,"author":{"type":"BUSINESS"},)"
           R"("status":"PUBLISHED"}],"paging":{}}})"));
  ApiContext ctx = context(http);
  const Mention m = feedback("3400100002");

  auto answered = run_sync(poster->current_answer(ctx, m));
  REQUIRE(answered);
  REQUIRE(answered->has_value());
  CHECK((*answered)->id == "990001");  // the deleted one after it does not count
  CHECK((*answered)->text ==
        "Олег, приносим извинения за задержку! Компенсировали доставку баллами, подробности в чате заказа.");
  check_auth(http.requests[0]);
  CHECK(http.requests[0].url == kCommentsUrl);
  CHECK(body_of(http.requests[0]) == boost::json::parse(R"({"feedbackId":3400100002})"));

  auto only_thread = run_sync(poster->current_answer(ctx, m));
  REQUIRE(only_thread);
  CHECK_FALSE(only_thread->has_value());

  CHECK_FALSE(parse_yandex_market_answer(R"({"status":"ERROR","errors":[{"code":"NOT_FOUND"}]})"));
}

TEST_CASE("Yandex Market edit: the update names the business's comment by its id", "[yandex_market_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, read_fixture("yandex_market/comments.json")));
  http.answers.push_back(json_answer(200, updated(990001, "Исправленный ответ")));
  ApiContext ctx = context(http);
  const Mention m = feedback("3400100002");
  auto posted = run_sync(poster->post(ctx, m, "Исправленный ответ", true));
  REQUIRE(posted);
  CHECK(posted->id == "990001");
  REQUIRE(http.requests.size() == 2);
  CHECK(http.requests[0].url == kCommentsUrl);
  CHECK(http.requests[1].url == kUpdateUrl);
  CHECK(body_of(http.requests[1]) ==
        boost::json::parse(R"({"feedbackId":3400100002,"comment":{"id":990001,"text":"Исправленный ответ"}})"));

  // No comment to change: the edit adds one.
  ScriptedHttpClient fresh;
  fresh.answers.push_back(json_answer(200, R"({"status":"OK","result":{"comments":[],"paging":{}}})"));
  fresh.answers.push_back(json_answer(200, updated(990020, "Исправленный ответ")));
  ApiContext fresh_ctx = context(fresh);
  REQUIRE(run_sync(poster->post(fresh_ctx, m, "Исправленный ответ", true)));
  CHECK(body_of(fresh.requests[1]) ==
        boost::json::parse(R"({"feedbackId":3400100002,"comment":{"text":"Исправленный ответ"}})"));
}

TEST_CASE("Yandex Market refuses a text over 4 096 characters before any call", "[yandex_market_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  ApiContext ctx = context(http);
  const Mention m = feedback("3400100002");
  std::string long_text;
  for (int i = 0; i < 4097; ++i) long_text += "ё";
  auto too_long = run_sync(poster->post(ctx, m, long_text, false));
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().code == make_error_code(errc::invalid_input));
  CHECK(too_long.error().detail == "4097 characters: Yandex Market takes at most 4096");
  CHECK(http.requests.empty());
}

TEST_CASE("Yandex Market refusals: 404 with the API's words, 401 unauthorized, 420 waited out",
          "[yandex_market_reply]") {
  auto poster = replier();
  const Mention m = feedback("3400100099");

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(
      404, R"({"status":"ERROR","errors":[{"code":"NOT_FOUND","message":"Feedback 3400100099 not found"}]})"));
  ApiContext ctx = context(http);
  auto missing = run_sync(poster->post(ctx, m, "Спасибо", false));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::http_status));
  CHECK(missing.error().http_status == 404);
  CHECK(missing.error().message().find("NOT_FOUND: Feedback 3400100099 not found") != std::string::npos);

  ScriptedHttpClient refused_http;
  refused_http.answers.push_back(json_answer(401, read_fixture("yandex_market/error_unauthorized.json")));
  ApiContext refused_ctx = context(refused_http);
  auto refused = run_sync(poster->post(refused_ctx, m, "Спасибо", false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::unauthorized));
  CHECK(refused.error().message().find(kKey) == std::string::npos);

  ScriptedHttpClient busy_http;
  busy_http.answers.push_back(json_answer(420, read_fixture("yandex_market/error_limit.json")));
  busy_http.answers.push_back(json_answer(200, updated(990030, "Спасибо")));
  ApiContext busy_ctx = context(busy_http);
  auto after_wait = run_sync(poster->post(busy_ctx, m, "Спасибо", false));
  REQUIRE(after_wait);
  CHECK(after_wait->id == "990030");
  CHECK(busy_http.requests.size() == 2);
}
