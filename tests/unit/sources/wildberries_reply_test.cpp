// Answers to Wildberries feedbacks and questions through the seller API on a scripted client: the
// exact requests (method, path, token, JSON body), reading the current answer by id, edits, the
// local length check, and the API's refusals as the client reports them.
#include "daemon/config/config_load.hpp"
#include "sources/generic/dates.hpp"
#include "sources/source.hpp"
#include "sources/wildberries/wildberries_reply.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/scripted_http.hpp"

#include <boost/json.hpp>
#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>

using namespace otklik;
using otklik::test::json_answer;
using otklik::test::run_sync;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kToken = "eyJhbGciOiJFUzI1NiJ9.wb-reply-token-0001";

SourceConfig wb_config(std::string_view options_toml = "") {
  SourceConfig s;
  s.name = "wb";
  s.type = "wildberries";
  s.brand = "Северный ветер";
  s.url = "https://feedbacks-api.wildberries.ru";
  s.line = 1;
  s.api_key = Secret("env:WB_TOKEN", kToken);
  s.options = toml::parse(options_toml, std::string("test.toml"));
  return s;
}

std::unique_ptr<ReplyPoster> replier(std::string_view options_toml = "") {
  static const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto poster = registry.create_replier(wb_config(options_toml));
  REQUIRE(poster != nullptr);
  return poster;
}

Mention review(std::string id) {
  Mention m;
  m.source = "wb";
  m.external_id = std::move(id);
  return m;
}

ApiContext context(HttpClient& http) { return ApiContext{http, *make_utc(2026, 12, 7, 9, 0, 0), "otklik-test", {}}; }

boost::json::value body_of(const HttpRequest& r) { return boost::json::parse(r.body); }

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

const char* kFeedbackAnswered =
    R"({"data":{"id":"J2FMRjUj6hwvwCElqssz","text":"Порвалась через неделю","productValuation":1,)"
    R"("createdDate":"2026-12-01T10:00:00Z","answer":{"text":"Здравствуйте! Заменим по гарантии.","state":"wbRu",)"
    R"("editable":true,"createDate":"2026-12-02T08:24:37.187113704Z"},"productDetails":{"nmId":12345678}},)"
    R"("error":false,"errorText":"","additionalErrors":null})";

}  // namespace

TEST_CASE("Wildberries answers a feedback: POST /api/v1/feedbacks/answer with the token and {id, text}",
          "[wildberries_reply]") {
  auto poster = replier();
  CHECK(poster->site() == "Wildberries");
  CHECK(poster->limits().max_chars == 5000);
  CHECK(poster->limits().min_chars == 2);
  CHECK(poster->limits().can_edit);

  ScriptedHttpClient http;
  http.answers.push_back(no_content());
  ApiContext ctx = context(http);
  const Mention m = review("J2FMRjUj6hwvwCElqssz");
  auto posted = run_sync(poster->post(ctx, m, "Здравствуйте! Заменим по гарантии.", false));
  REQUIRE(posted);
  CHECK(posted->text == "Здравствуйте! Заменим по гарантии.");
  CHECK(posted->id.empty());
  CHECK(posted->at == ctx.now);
  REQUIRE(http.requests.size() == 1);
  const HttpRequest& r = http.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "https://feedbacks-api.wildberries.ru/api/v1/feedbacks/answer");
  CHECK(find_header(r.headers, "Authorization") == std::optional<std::string_view>(kToken));
  CHECK(find_header(r.headers, "Content-Type") == std::optional<std::string_view>("application/json"));
  CHECK(body_of(r) == boost::json::parse(R"({"id":"J2FMRjUj6hwvwCElqssz","text":"Здравствуйте! Заменим по гарантии."})"));
}

TEST_CASE("Wildberries edits a feedback's answer with PATCH of the same body", "[wildberries_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(no_content());
  ApiContext ctx = context(http);
  const Mention m = review("J2FMRjUj6hwvwCElqssz");
  auto posted = run_sync(poster->post(ctx, m, "Исправленный ответ", true));
  REQUIRE(posted);
  REQUIRE(http.requests.size() == 1);
  CHECK(http.requests[0].method == "PATCH");
  CHECK(http.requests[0].url == "https://feedbacks-api.wildberries.ru/api/v1/feedbacks/answer");
  CHECK(body_of(http.requests[0]) == boost::json::parse(R"({"id":"J2FMRjUj6hwvwCElqssz","text":"Исправленный ответ"})"));
}

TEST_CASE("Wildberries answers a question with PATCH /api/v1/questions {id, answer {text}, state wbRu}",
          "[wildberries_reply]") {
  auto poster = replier(R"(kind = "questions")");
  for (const bool edit : {false, true}) {
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, R"({"data":null,"error":false,"errorText":"","additionalErrors":null})"));
    ApiContext ctx = context(http);
    const Mention m = review("n5um6IUBQOOSTxXoo0gV");
    auto posted = run_sync(poster->post(ctx, m, "На следующей неделе", edit));
    REQUIRE(posted);
    REQUIRE(http.requests.size() == 1);
    CHECK(http.requests[0].method == "PATCH");
    CHECK(http.requests[0].url == "https://feedbacks-api.wildberries.ru/api/v1/questions");
    CHECK(body_of(http.requests[0]) ==
          boost::json::parse(R"({"id":"n5um6IUBQOOSTxXoo0gV","answer":{"text":"На следующей неделе"},"state":"wbRu"})"));
  }

  // An error the API puts in a 200 answer is a refusal, not a success.
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, R"({"data":null,"error":true,"errorText":"Вопрос не найден"})"));
  ApiContext ctx = context(http);
  const Mention m = review("n5um6IUBQOOSTxXoo0gV");
  auto refused = run_sync(poster->post(ctx, m, "На следующей неделе", false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::http_status));
  CHECK_FALSE(refused.error().transient());
  CHECK(refused.error().message().find("Вопрос не найден") != std::string::npos);
}

TEST_CASE("Wildberries current answer: GET /api/v1/feedback?id= and the answer's text and date",
          "[wildberries_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, kFeedbackAnswered));
  http.answers.push_back(json_answer(
      200, R"({"data":{"id":"J2FMRjUj6hwvwCElqssz","text":"Плохо","answer":null},"error":false,"errorText":""})"));
  http.answers.push_back(json_answer(
      200, R"({"data":{"id":"J2FMRjUj6hwvwCElqssz","text":"Плохо","answer":{"text":"Ссылка на сайт","state":"rejected"}},)"
           R"("error":false,"errorText":""})"));
  ApiContext ctx = context(http);
  const Mention m = review("J2FMRjUj6hwvwCElqssz");

  auto answered = run_sync(poster->current_answer(ctx, m));
  REQUIRE(answered);
  REQUIRE(answered->has_value());
  CHECK((*answered)->text == "Здравствуйте! Заменим по гарантии.");
  REQUIRE((*answered)->at);
  CHECK(std::chrono::floor<std::chrono::seconds>(*(*answered)->at) == *make_utc(2026, 12, 2, 8, 24, 37));
  REQUIRE(http.requests.size() == 1);
  CHECK(http.requests[0].method == "GET");
  CHECK(http.requests[0].url == "https://feedbacks-api.wildberries.ru/api/v1/feedback?id=J2FMRjUj6hwvwCElqssz");
  CHECK(find_header(http.requests[0].headers, "Authorization") == std::optional<std::string_view>(kToken));

  auto none = run_sync(poster->current_answer(ctx, m));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());

  // An answer moderation rejected is not on the site.
  auto rejected = run_sync(poster->current_answer(ctx, m));
  REQUIRE(rejected);
  CHECK_FALSE(rejected->has_value());

  auto questions = replier(R"(kind = "questions")");
  ScriptedHttpClient qhttp;
  qhttp.answers.push_back(json_answer(
      200, R"({"data":{"id":"TfWOp5QBfEYrrd0AMJau","text":"Когда еще поставите?","state":"wbRu","answer":)"
           R"({"text":"На следующей неделе","editable":true,"createDate":"2026-07-28T08:24:37Z"}},"error":false})"));
  ApiContext qctx = context(qhttp);
  const Mention q = review("TfWOp5QBfEYrrd0AMJau");
  auto question = run_sync(questions->current_answer(qctx, q));
  REQUIRE(question);
  REQUIRE(question->has_value());
  CHECK((*question)->text == "На следующей неделе");
  CHECK(qhttp.requests[0].url == "https://feedbacks-api.wildberries.ru/api/v1/question?id=TfWOp5QBfEYrrd0AMJau");
}

TEST_CASE("Wildberries refuses a text over 5 000 characters or under 2 before any call", "[wildberries_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  ApiContext ctx = context(http);
  const Mention m = review("J2FMRjUj6hwvwCElqssz");
  std::string long_text;
  for (int i = 0; i < 5001; ++i) long_text += "ж";
  auto too_long = run_sync(poster->post(ctx, m, long_text, false));
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().code == make_error_code(errc::invalid_input));
  CHECK(too_long.error().detail == "5001 characters: Wildberries takes at most 5000");
  auto too_short = run_sync(poster->post(ctx, m, "Ы", false));
  REQUIRE_FALSE(too_short);
  CHECK(too_short.error().code == make_error_code(errc::invalid_input));
  std::string exactly(5000, 'a');
  http.answers.push_back(no_content());
  CHECK(run_sync(poster->post(ctx, m, exactly, false)));
  CHECK(http.requests.size() == 1);  // only the text within the limit went out
}

TEST_CASE("Wildberries refusals: 404 with the API's words, 401 unauthorized, 429 waited out",
          "[wildberries_reply]") {
  auto poster = replier();
  const Mention m = review("gone");

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(404, R"({"data":null,"error":true,"errorText":"Не найден отзыв",)"
                                          R"("additionalErrors":null,"requestId":"734c9ea8"})"));
  ApiContext ctx = context(http);
  auto missing = run_sync(poster->post(ctx, m, "Спасибо за отзыв", false));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::http_status));
  CHECK(missing.error().http_status == 404);
  CHECK_FALSE(missing.error().transient());
  CHECK(missing.error().message().find("Не найден отзыв") != std::string::npos);

  ScriptedHttpClient refused_http;
  refused_http.answers.push_back(json_answer(
      401, R"({"title":"unauthorized","detail":"token problem; token is expired","status":401})",
      "application/problem+json"));
  ApiContext refused_ctx = context(refused_http);
  auto refused = run_sync(poster->post(refused_ctx, m, "Спасибо за отзыв", false));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::unauthorized));
  CHECK(refused.error().message().find(kToken) == std::string::npos);

  ScriptedHttpClient busy_http;
  HttpResponse busy = json_answer(429, R"({"title":"too many requests","detail":"limited by c122a060"})");
  busy.headers.emplace_back("X-Ratelimit-Retry", "1");
  busy_http.answers.push_back(busy);
  busy_http.answers.push_back(no_content());
  ApiContext busy_ctx = context(busy_http);
  auto after_wait = run_sync(poster->post(busy_ctx, m, "Спасибо за отзыв", false));
  REQUIRE(after_wait);
  REQUIRE(busy_http.requests.size() == 2);
  CHECK(busy_http.times[1] - busy_http.times[0] >= std::chrono::milliseconds(950));
  CHECK(busy_http.requests[1].body == busy_http.requests[0].body);
}

TEST_CASE("Wildberries answers go out without the blank lines and spaces around them", "[wildberries_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(no_content());
  ApiContext ctx = context(http);
  const Mention m = review("J2FMRjUj6hwvwCElqssz");
  auto posted = run_sync(poster->post(ctx, m, "\n  Спасибо за отзыв!\n\n", false));
  REQUIRE(posted);
  CHECK(posted->text == "Спасибо за отзыв!");
  REQUIRE(http.requests.size() == 1);
  CHECK(body_of(http.requests[0]).as_object().at("text").as_string() == "Спасибо за отзыв!");
  auto blank = run_sync(poster->post(ctx, m, " \n ", false));
  REQUIRE_FALSE(blank);
  CHECK(blank.error().detail == "the answer is empty");
  CHECK(http.requests.size() == 1);
}

TEST_CASE("The marketplaces take answers: auto_reply is accepted on their sources, not on a feed",
          "[wildberries_reply][ozon_reply][yandex_market_reply]") {
  static const SourceRegistry registry = SourceRegistry::with_builtin_types();
  CHECK(registry.takes_replies("wildberries"));
  CHECK(registry.takes_replies("ozon"));
  CHECK(registry.takes_replies("yandex_market"));
  CHECK_FALSE(registry.takes_replies("rss"));
  ::setenv("OTKLIK_TEST_REPLY_KEY", "key-0001", 1);
  auto load = [](const std::string& source) {
    const std::string text = "[daemon]\nstate = \"s.db\"\n[[source]]\nname = \"s\"\n" + source +
                             "\nauto_reply = \"positive\"\n[[channel]]\nname = \"c\"\ntype = \"console\"\n"
                             "[[route]]\nchannel = \"c\"\n";
    return load_config_text(text, std::filesystem::temp_directory_path(), &registry);
  };
  CHECK(load("type = \"wildberries\"\napi_key = \"env:OTKLIK_TEST_REPLY_KEY\"").config);
  CHECK(load("type = \"ozon\"\nclient_id = \"1\"\napi_key = \"env:OTKLIK_TEST_REPLY_KEY\"").config);
  CHECK(load("type = \"yandex_market\"\nbusiness_id = \"1\"\napi_key = \"env:OTKLIK_TEST_REPLY_KEY\"").config);
  const auto feed = load("type = \"rss\"\nurl = \"https://example.org/feed\"");
  CHECK_FALSE(feed.config);
  REQUIRE(feed.problems.size() == 1);
  CHECK(feed.problems[0].key.find("auto_reply") != std::string::npos);
}
