// Answers to Ozon reviews through the Seller API's ReviewAPI on a scripted client: the comment
// create call with Client-Id and Api-Key, the seller's current comment from the comment list, an
// edit as delete + create, and the API's refusals as the client reports them.
#include "sources/generic/dates.hpp"
#include "sources/ozon/ozon_reply.hpp"
#include "sources/source.hpp"
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

SourceConfig ozon_config() {
  SourceConfig s;
  s.name = "ozon-shop";
  s.type = "ozon";
  s.brand = "teplo";
  s.url = "https://api-seller.ozon.ru";
  s.line = 1;
  s.api_key = Secret("env:OZON_KEY", "ozon-secret-key-0001");
  s.options = toml::parse(R"(client_id = "778899")", std::string("test.toml"));
  return s;
}

std::unique_ptr<ReplyPoster> replier() {
  static const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto poster = registry.create_replier(ozon_config());
  REQUIRE(poster != nullptr);
  return poster;
}

Mention review(std::string id) {
  Mention m;
  m.source = "ozon-shop";
  m.external_id = std::move(id);
  return m;
}

ApiContext context(HttpClient& http) { return ApiContext{http, *make_utc(2026, 12, 7, 9, 0, 0), "otklik-test", {}}; }

boost::json::value body_of(const HttpRequest& r) { return boost::json::parse(r.body); }

void check_auth(const HttpRequest& r) {
  CHECK(r.method == "POST");
  CHECK(find_header(r.headers, "Client-Id") == std::optional<std::string_view>("778899"));
  CHECK(find_header(r.headers, "Api-Key") == std::optional<std::string_view>("ozon-secret-key-0001"));
  CHECK(find_header(r.headers, "Content-Type") == std::optional<std::string_view>("application/json"));
}

}  // namespace

TEST_CASE("Ozon answers a review: POST /v1/review/comment/create marking it processed", "[ozon_reply]") {
  auto poster = replier();
  CHECK(poster->site() == "Ozon");
  CHECK(poster->limits().max_chars == 0);  // Ozon documents no limit
  CHECK(poster->limits().can_edit);

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, R"({"comment_id":"c-7001"})"));
  ApiContext ctx = context(http);
  const Mention m = review("0199a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b");
  auto posted = run_sync(poster->post(ctx, m, "Здравствуйте! Заменим пуховик.", false));
  REQUIRE(posted);
  CHECK(posted->id == "c-7001");
  CHECK(posted->text == "Здравствуйте! Заменим пуховик.");
  REQUIRE(http.requests.size() == 1);
  check_auth(http.requests[0]);
  CHECK(http.requests[0].url == "https://api-seller.ozon.ru/v1/review/comment/create");
  CHECK(body_of(http.requests[0]) ==
        boost::json::parse(R"({"review_id":"0199a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b","text":"Здравствуйте! Заменим пуховик.",)"
                           R"("mark_review_as_processed":true})"));

  // An empty text goes nowhere.
  auto empty = run_sync(poster->post(ctx, m, "  \n", false));
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == make_error_code(errc::invalid_input));
  CHECK(http.requests.size() == 1);
}

TEST_CASE("Ozon current answer: the seller's newest comment on the review from /v1/review/comment/list",
          "[ozon_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, read_fixture("ozon/comments_answered.json")));
  http.answers.push_back(json_answer(
      200, R"({"comments":[{"id":"c-1","is_owner":false,"is_official":false,"text":"У меня то же самое"},)"
           R"({"id":"c-2","is_owner":true,"parent_comment_id":"c-1","text":"Ответ в ветке, не на отзыв"}],"offset":2})"));
  http.answers.push_back(json_answer(200, R"({"comments":[],"offset":0})"));
  ApiContext ctx = context(http);
  const Mention m = review("r-1");

  auto answered = run_sync(poster->current_answer(ctx, m));
  REQUIRE(answered);
  REQUIRE(answered->has_value());
  CHECK((*answered)->id == "c-0002");
  CHECK((*answered)->text ==
        "Здравствуйте! Нам очень жаль. Напишите нам в чат заказа — заменим пуховик или вернём деньги.");
  CHECK((*answered)->at == make_utc(2026, 11, 28, 8, 0, 0));
  check_auth(http.requests[0]);
  CHECK(http.requests[0].url == "https://api-seller.ozon.ru/v1/review/comment/list");
  CHECK(body_of(http.requests[0]) ==
        boost::json::parse(R"({"review_id":"r-1","limit":100,"offset":0,"sort_dir":"ASC"})"));

  auto only_thread = run_sync(poster->current_answer(ctx, m));
  REQUIRE(only_thread);
  CHECK_FALSE(only_thread->has_value());
  auto none = run_sync(poster->current_answer(ctx, m));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());

  // Two answers of the seller: the later one is the answer now.
  auto two = parse_ozon_answer(
      R"({"comments":[{"id":"a","is_owner":true,"text":"Первый","published_at":"2026-11-28T08:00:00Z"},)"
      R"({"id":"b","is_owner":true,"text":"Второй","published_at":"2026-11-29T08:00:00Z"}]})");
  REQUIRE(two);
  REQUIRE(two->has_value());
  CHECK((*two)->id == "b");
  CHECK_FALSE(parse_ozon_answer("[1,2]"));
}

TEST_CASE("Ozon edit: the seller's comment is deleted, then the new one created", "[ozon_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, read_fixture("ozon/comments_answered.json")));
  http.answers.push_back(json_answer(200, "{}"));
  http.answers.push_back(json_answer(200, R"({"comment_id":"c-7002"})"));
  ApiContext ctx = context(http);
  const Mention m = review("r-1");
  auto posted = run_sync(poster->post(ctx, m, "Новый ответ", true));
  REQUIRE(posted);
  CHECK(posted->id == "c-7002");
  REQUIRE(http.requests.size() == 3);
  for (const auto& r : http.requests) check_auth(r);
  CHECK(http.requests[0].url == "https://api-seller.ozon.ru/v1/review/comment/list");
  CHECK(http.requests[1].url == "https://api-seller.ozon.ru/v1/review/comment/delete");
  CHECK(body_of(http.requests[1]) == boost::json::parse(R"({"comment_id":"c-0002"})"));
  CHECK(http.requests[2].url == "https://api-seller.ozon.ru/v1/review/comment/create");
  CHECK(body_of(http.requests[2]).as_object().at("text").as_string() == "Новый ответ");

  // Nothing to replace: only the create.
  ScriptedHttpClient fresh;
  fresh.answers.push_back(json_answer(200, R"({"comments":[]})"));
  fresh.answers.push_back(json_answer(200, R"({"comment_id":"c-7003"})"));
  ApiContext fresh_ctx = context(fresh);
  auto created = run_sync(poster->post(fresh_ctx, m, "Новый ответ", true));
  REQUIRE(created);
  REQUIRE(fresh.requests.size() == 2);
  CHECK(fresh.requests[1].url == "https://api-seller.ozon.ru/v1/review/comment/create");

  // A refused delete stops before the create.
  ScriptedHttpClient refused;
  refused.answers.push_back(json_answer(200, read_fixture("ozon/comments_answered.json")));
  refused.answers.push_back(json_answer(404, R"({"code":5,"message":"comment not found","details":[]})"));
  ApiContext refused_ctx = context(refused);
  auto failed = run_sync(poster->post(refused_ctx, m, "Новый ответ", true));
  REQUIRE_FALSE(failed);
  CHECK(failed.error().http_status == 404);
  CHECK(refused.requests.size() == 2);
}

TEST_CASE("Ozon refusals: 404 with the API's words, a refused key, 429 waited out", "[ozon_reply]") {
  auto poster = replier();
  const Mention m = review("r-gone");

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(404, R"({"code":5,"message":"review not found","details":[]})"));
  ApiContext ctx = context(http);
  auto missing = run_sync(poster->post(ctx, m, "Спасибо", false));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::http_status));
  CHECK(missing.error().http_status == 404);
  CHECK_FALSE(missing.error().transient());
  CHECK(missing.error().message().find("review not found (code 5)") != std::string::npos);

  ScriptedHttpClient refused_http;
  refused_http.answers.push_back(json_answer(403, read_fixture("ozon/error_invalid_key.json")));
  ApiContext refused_ctx = context(refused_http);
  auto refused = run_sync(poster->post(refused_ctx, m, "Спасибо", false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::unauthorized));
  CHECK(refused.error().message().find("ozon-secret-key-0001") == std::string::npos);

  ScriptedHttpClient busy_http;
  busy_http.answers.push_back(json_answer(429, read_fixture("ozon/error_rate_limit.json")));
  busy_http.answers.push_back(json_answer(200, R"({"comment_id":"c-8"})"));
  ApiContext busy_ctx = context(busy_http);
  auto after_wait = run_sync(poster->post(busy_ctx, m, "Спасибо", false));
  REQUIRE(after_wait);
  CHECK(after_wait->id == "c-8");
  CHECK(busy_http.requests.size() == 2);

  // A 200 without the comment's id is not taken for a success.
  ScriptedHttpClient odd;
  odd.answers.push_back(json_answer(200, "{}"));
  ApiContext odd_ctx = context(odd);
  auto no_id = run_sync(poster->post(odd_ctx, m, "Спасибо", false));
  REQUIRE_FALSE(no_id);
  CHECK(no_id.error().code == make_error_code(errc::parse_failed));
}
