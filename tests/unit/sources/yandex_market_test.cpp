// The yandex_market preset on hand-written answers in the format of the Yandex Market Partner API
// (goods-feedback): parsers, the calls made, the error reader, config checks, and whole polls on a
// scripted client.
#include "daemon/net/http_client.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/paging.hpp"
#include "sources/source.hpp"
#include "sources/yandex_market/yandex_market_api.hpp"
#include "sources/yandex_market/yandex_market_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/scripted_http.hpp"
#include "tests/unit/sources/parse_input.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <toml++/toml.h>

#include <deque>

using namespace otklik;
using otklik::test::read_fixture;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kFeedbackUrl = "https://api.partner.market.yandex.ru/v2/businesses/778899/goods-feedback?limit=50";

ParseInput input(const std::string& body) {
  return test::parse_input(body, kFeedbackUrl, "market", "teplo", *make_utc(2026, 12, 1, 9, 0, 0));
}

boost::json::value json_of(std::string_view text) { return boost::json::parse(text); }

SourceConfig market_config(std::string_view options_toml) {
  SourceConfig s;
  s.name = "market";
  s.type = "yandex_market";
  s.brand = "teplo";
  s.url = "https://api.partner.market.yandex.ru";
  s.line = 1;
  s.api_key = Secret("env:MARKET_KEY", "ACMA:market-token-0001:abcd");
  s.options = toml::parse(options_toml, std::string("test.toml"));
  return s;
}

std::vector<ConfigProblem> validate(const SourceConfig& s) {
  ConfigProblems problems;
  SourceRegistry::with_builtin_types().validate(s, "source[\"market\"]", problems);
  return problems.items();
}

HttpResponse json_answer(int status, std::string body) {
  return test::json_answer(status, std::move(body), "application/json;charset=UTF-8");
}

Result<PollResult> run_poll(Source& source, HttpClient& http, const SourceState& state) {
  return test::run_poll(source, http, state, *make_utc(2026, 12, 1, 9, 0, 0));
}

}  // namespace

TEST_CASE("yandex_market: feedback becomes mentions with pros, cons, the offer and the next page",
          "[sources][yandex_market]") {
  const std::string body = read_fixture("yandex_market/feedback_page1.json");
  const ApiCall sent = yandex_market_feedback_call("778899");
  auto parsed = parse_yandex_market_feedback(sent, input(body));
  REQUIRE(parsed);
  const auto& page = parsed->page.page;
  REQUIRE(page.mentions.size() == 2);  // the rating without text is skipped

  const Mention& a = page.mentions[0];
  CHECK(a.source == "market");
  CHECK(a.brand == "teplo");
  CHECK(a.external_id == "3400100001");
  CHECK(a.author == "Марина П.");
  CHECK(a.subject == "арт. JKT-WINTER-42");
  CHECK(a.title.empty());
  CHECK(a.url.empty());
  CHECK(a.text ==
        "Отвратительное качество за такие деньги, в поддержке отвечают шаблонами. Верните деньги!\n"
        "Достоинства: Цвет как на фото.\n"
        "Недостатки: Молния заедает с первого дня. Шов на плече разошёлся через неделю.\n"
        "Фото: 2");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 30, 17, 14, 9));  // +03:00
  CHECK(a.company_reply.empty());

  const Mention& b = page.mentions[1];
  CHECK(b.external_id == "3400100002");
  CHECK(b.text == "Курьер опоздал на два дня, коробка мятая, куртку пришлось отпаривать. Ужасная доставка, очень недоволен.");
  CHECK(b.rating == std::optional<double>(2.0));

  REQUIRE(page.warnings.size() == 1);
  CHECK(page.warnings[0] == "feedback 3400100003: skipped, no text (a rating alone)");
  // needReaction false with comments: its answer is looked up; the one that needs a reaction is not.
  REQUIRE(parsed->answered.size() == 1);
  CHECK(parsed->answered[0] == std::pair<std::string, int>("3400100002", 2));

  REQUIRE(parsed->page.next);
  CHECK(parsed->page.next->method == "POST");
  CHECK(parsed->page.next->target.starts_with("/v2/businesses/778899/goods-feedback?"));
  CHECK(query_param(parsed->page.next->target, "page_token") == std::optional<std::string>("eyJvZmZzZXQiOjN9"));
  CHECK(query_param(parsed->page.next->target, "limit") == std::optional<std::string>("50"));
  CHECK(parsed->page.next->body == sent.body);

  auto last = parse_yandex_market_feedback(*parsed->page.next, input(read_fixture("yandex_market/feedback_page2.json")));
  REQUIRE(last);
  REQUIRE(last->page.page.mentions.size() == 1);
  const Mention& c = last->page.page.mentions[0];
  CHECK(c.text == "Great scarf — ¡muy bien! Ношу каждый день.\nДостоинства: Тёплый, мягкий 🧣");
  CHECK(c.author.empty());
  CHECK(c.subject.empty());  // no offerId
  CHECK(c.rating == std::optional<double>(5.0));
  CHECK(c.published == make_utc(2026, 11, 28, 15, 45, 0));
  CHECK(last->answered.empty());  // no comments
  CHECK_FALSE(last->page.next);   // no nextPageToken
}

TEST_CASE("yandex_market: odd answers", "[sources][yandex_market]") {
  struct Case {
    const char* body;
    bool ok;
    std::size_t mentions;
    std::size_t warnings;
    bool next;
  };
  const Case cases[] = {
      {"not json", false, 0, 0, false},
      {R"({"status": "OK"})", false, 0, 0, false},
      {R"({"status": "ERROR", "errors": [{"code": "BAD_REQUEST", "message": "x"}]})", false, 0, 0, false},
      {R"({"status": "OK", "result": {"feedbacks": 3}})", false, 0, 0, false},
      {R"({"status": "OK", "result": {"feedbacks": []}})", true, 0, 0, false},
      {R"({"status": "OK", "result": {"feedbacks": [], "paging": {"nextPageToken": "t"}}})", true, 0, 0, false},
      {R"({"status": "OK", "result": {"feedbacks": [{"feedbackId": 1, "description": {"disadvantages": "Всё"},
           "statistics": {"rating": 0}}], "paging": {"nextPageToken": "t"}}})",
       true, 1, 1, true},
      {R"({"status": "OK", "result": {"feedbacks": [{"description": {"comment": "без id"}}, "x"]}})", true, 0, 2, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    const std::string body = c.body;
    auto parsed = parse_yandex_market_feedback(yandex_market_feedback_call("1"), input(body));
    REQUIRE(static_cast<bool>(parsed) == c.ok);
    if (!c.ok) {
      CHECK(parsed.error().code == make_error_code(errc::parse_failed));
      continue;
    }
    CHECK(parsed->page.page.mentions.size() == c.mentions);
    CHECK(parsed->page.page.warnings.size() == c.warnings);
    CHECK(static_cast<bool>(parsed->page.next) == c.next);
  }
  auto cons_only = parse_yandex_market_feedback(
      yandex_market_feedback_call("1"),
      input(R"({"status": "OK", "result": {"feedbacks": [{"feedbackId": 1, "description": {"disadvantages": "Всё"}}]}})"));
  REQUIRE(cons_only);
  CHECK(cons_only->page.page.mentions[0].text == "Недостатки: Всё");
}

TEST_CASE("yandex_market: the business's comments are the company's answer", "[sources][yandex_market]") {
  auto reply = parse_yandex_market_business_reply(read_fixture("yandex_market/comments.json"));
  REQUIRE(reply);
  CHECK(*reply ==
        "Олег, приносим извинения за задержку! Компенсировали доставку баллами, подробности в чате заказа.");
  struct Case {
    const char* body;
    const char* reply;
  };
  const Case cases[] = {
      {R"({"status": "OK", "result": {"comments": []}})", ""},
      {R"({"status": "OK", "result": {"comments": [{"id": 1, "text": "Покупатель", "author": {"type": "USER"}}]}})", ""},
      {R"({"status": "OK", "result": {"comments": [{"id": 1, "text": "Бренд", "author": {"type": "BRAND"}}]}})", ""},
      {R"({"status": "OK", "result": {"comments": [{"id": 1, "text": "На модерации", "status": "UNMODERATED",
           "author": {"type": "BUSINESS"}}]}})",
       "На модерации"},
      {R"({"status": "OK", "result": {"comments": [{"id": 2, "text": "В ветке", "parentId": 1, "author": {"type": "BUSINESS"}},
           {"id": 3, "text": "На отзыв", "author": {"type": "BUSINESS"}}, {"id": 4, "text": "Скрыт", "status": "BANNED",
           "author": {"type": "BUSINESS"}}]}})",
       "На отзыв\n\nВ ветке"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto r = parse_yandex_market_business_reply(c.body);
    REQUIRE(r);
    CHECK(*r == c.reply);
  }
  CHECK_FALSE(parse_yandex_market_business_reply(R"({"status": "ERROR", "errors": []})"));
}

TEST_CASE("yandex_market: product names and pages by offer id", "[sources][yandex_market]") {
  const ApiCall call = yandex_market_offers_call("778899", {"JKT-WINTER-42", "SCARF-01"});
  CHECK(call.method == "POST");
  CHECK(call.target == "/v2/businesses/778899/offer-mappings");
  CHECK(json_of(call.body) == json_of(R"({"offerIds":["JKT-WINTER-42","SCARF-01"]})"));
  auto offers = parse_yandex_market_offers(read_fixture("yandex_market/offer_mappings.json"));
  REQUIRE(offers);
  REQUIRE(offers->size() == 1);
  const auto& jacket = offers->at("JKT-WINTER-42");
  CHECK(jacket.name == "Куртка зимняя мужская Тёплый дом, размер 52");
  CHECK(jacket.url == "https://market.yandex.ru/product/1700000001?sku=102345678901");  // B2C, not B2B
  auto b2b_only = parse_yandex_market_offers(
      R"~({"status": "OK", "result": {"offerMappings": [{"offer": {"offerId": "A"}, "showcaseUrls": [
          {"showcaseType": "B2B", "showcaseUrl": "https://business.market.yandex.ru/product/1"},
          {"showcaseType": "B2C", "showcaseUrl": "javascript:alert(1)"}]}]}})~");
  REQUIRE(b2b_only);
  CHECK(b2b_only->at("A").name.empty());
  CHECK(b2b_only->at("A").url == "https://business.market.yandex.ru/product/1");
  CHECK(parse_yandex_market_offers(R"({"status": "OK", "result": {"offerMappings": []}})")->empty());
  CHECK_FALSE(parse_yandex_market_offers(R"({"status": "ERROR", "errors": [{"code": "X"}]})"));
  CHECK(yandex_market_subject("JKT-WINTER-42") == "арт. JKT-WINTER-42");
  CHECK(yandex_market_subject("JKT-WINTER-42", "Куртка") == "арт. JKT-WINTER-42 · «Куртка»");
}

TEST_CASE("yandex_market: the calls are the documented ones", "[sources][yandex_market]") {
  const ApiCall list = yandex_market_feedback_call("778899");
  CHECK(list.method == "POST");
  CHECK(list.target == "/v2/businesses/778899/goods-feedback?limit=50");
  CHECK(json_of(list.body) == json_of(R"({"reactionStatus":"ALL"})"));
  const ApiCall comments = yandex_market_comments_call("778899", "3400100002");
  CHECK(comments.method == "POST");
  CHECK(comments.target == "/v2/businesses/778899/goods-feedback/comments?limit=50");
  CHECK(json_of(comments.body) == json_of(R"({"feedbackId":3400100002})"));  // a number, as the API types it
  const auto limit = yandex_market_budget_limit();
  CHECK(static_cast<double>(limit.requests) * 3600.0 / std::chrono::duration<double>(limit.period).count() <= 5000.0);
}

TEST_CASE("yandex_market: the API's error body gives the reason", "[sources][yandex_market]") {
  CHECK(read_yandex_market_error(401, read_fixture("yandex_market/error_unauthorized.json")) ==
        "UNAUTHORIZED: Api-Key token is invalid or revoked");
  CHECK(read_yandex_market_error(420, read_fixture("yandex_market/error_limit.json")) ==
        "LIMIT_EXCEEDED: Hit rate limit of 4 parallel requests for businessId 778899");
  CHECK(read_yandex_market_error(400, R"({"status": "ERROR", "errors": [{"code": "A"}, {"message": "b"}]})") == "A; b");
  CHECK(read_yandex_market_error(500, R"({"message": "oops"})") == "oops");
  CHECK(read_yandex_market_error(503, "<html>busy</html>").empty());
}

TEST_CASE("yandex_market: config keys are checked", "[sources][yandex_market][config]") {
  CHECK(validate(market_config(R"(business_id = "778899")")).empty());
  {
    const auto problems = validate(market_config(""));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "source[\"market\"].business_id");
  }
  {
    const auto problems = validate(market_config(R"(business_id = "77/88")"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("digits only") != std::string::npos);
  }
  {
    const auto problems = validate(market_config("business_id = \"1\"\ncampaign_id = \"2\""));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "source[\"market\"].campaign_id");
  }
  {
    SourceConfig no_key = market_config(R"(business_id = "778899")");
    no_key.api_key = Secret();
    const auto problems = validate(no_key);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "source[\"market\"].api_key");
  }
  const auto registry = SourceRegistry::with_builtin_types();
  const SourceType* type = registry.find("yandex_market");
  REQUIRE(type != nullptr);
  CHECK(type->site == "Яндекс Маркет");
  CHECK(registry.built_url(market_config("")) == "https://api.partner.market.yandex.ru");
}

TEST_CASE("yandex_market: a poll reads the feedback, the answer of a reacted one, a 420 waited out",
          "[sources][yandex_market][http]") {
  const auto registry = SourceRegistry::with_builtin_types();
  auto source = registry.create(market_config(R"(business_id = "778899")"));
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, read_fixture("yandex_market/feedback_page1.json")));
  http.answers.push_back(json_answer(200, read_fixture("yandex_market/offer_mappings.json")));
  HttpResponse calm = json_answer(420, read_fixture("yandex_market/error_limit.json"));
  calm.headers.emplace_back("Retry-After", "0");
  http.answers.push_back(calm);
  http.answers.push_back(json_answer(200, read_fixture("yandex_market/comments.json")));
  SourceState state;
  auto first = run_poll(*source, http, state);
  REQUIRE(first);
  // One page (the first poll), the product names, the comments asked twice (420, then 200).
  REQUIRE(http.requests.size() == 4);
  for (const auto& r : http.requests) {
    CHECK(r.method == "POST");
    CHECK(find_header(r.headers, "Api-Key") == std::optional<std::string_view>("ACMA:market-token-0001:abcd"));
    CHECK_FALSE(find_header(r.headers, "Authorization"));
  }
  CHECK(http.requests[0].url == "https://api.partner.market.yandex.ru/v2/businesses/778899/goods-feedback?limit=50");
  CHECK(http.requests[1].url == "https://api.partner.market.yandex.ru/v2/businesses/778899/offer-mappings");
  CHECK(json_of(http.requests[1].body) == json_of(R"({"offerIds":["JKT-WINTER-42"]})"));
  CHECK(http.requests[2].url ==
        "https://api.partner.market.yandex.ru/v2/businesses/778899/goods-feedback/comments?limit=50");
  CHECK(http.requests[3].body == http.requests[2].body);
  REQUIRE(first->mentions.size() == 2);
  CHECK(first->mentions[0].subject == "арт. JKT-WINTER-42 · «Куртка зимняя мужская Тёплый дом, размер 52»");
  CHECK(first->mentions[0].url == "https://market.yandex.ru/product/1700000001?sku=102345678901");
  CHECK(first->mentions[0].company_reply.empty());
  CHECK(first->mentions[1].company_reply.starts_with("Олег, приносим извинения"));
  CHECK(first->cursor.find("3400100001") != std::string::npos);

  // A later poll where the first page is all new reads the next page, and knows the answer.
  state.cursor = R"({"seen":["3400099990"]})";
  http.requests.clear();
  std::string fresh = read_fixture("yandex_market/feedback_page1.json");
  http.answers.push_back(json_answer(200, fresh));
  http.answers.push_back(json_answer(200, read_fixture("yandex_market/feedback_page2.json")));
  auto second = run_poll(*source, http, state);
  REQUIRE(second);
  REQUIRE(http.requests.size() == 2);  // the names and the answer are known
  CHECK(query_param(http.requests[1].url, "page_token") == std::optional<std::string>("eyJvZmZzZXQiOjN9"));
  REQUIRE(second->mentions.size() == 3);
  CHECK(second->mentions[1].company_reply.starts_with("Олег, приносим извинения"));  // from the last poll
  CHECK(second->mentions[1].subject == "арт. JKT-WINTER-42 · «Куртка зимняя мужская Тёплый дом, размер 52»");
  CHECK(second->mentions[2].subject.empty());

  // A token without access to the catalogue: the feedback is read, the names are not, no failure.
  auto other = registry.create(market_config(R"(business_id = "778899")"));
  http.requests.clear();
  http.answers.push_back(json_answer(200, R"({"status": "OK", "result": {"feedbacks": [{"feedbackId": 7,
      "identifiers": {"offerId": "SCARF-01"}, "description": {"comment": "Колючий"}, "statistics": {"rating": 2}}]}})"));
  http.answers.push_back(json_answer(403, R"({"status": "ERROR", "errors": [{"code": "FORBIDDEN", "message": "Access denied"}]})"));
  auto no_names = run_poll(*other, http, SourceState{});
  REQUIRE(no_names);
  REQUIRE(http.requests.size() == 2);
  REQUIRE(no_names->mentions.size() == 1);
  CHECK(no_names->mentions[0].subject == "арт. SCARF-01");
  REQUIRE(no_names->warnings.size() == 1);
  CHECK(no_names->warnings[0].find("FORBIDDEN: Access denied") != std::string::npos);
  http.requests.clear();
  http.answers.push_back(json_answer(200, R"({"status": "OK", "result": {"feedbacks": [{"feedbackId": 8,
      "identifiers": {"offerId": "CAP-02"}, "description": {"comment": "Мала"}, "statistics": {"rating": 3}}]}})"));
  auto again = run_poll(*other, http, SourceState{});
  REQUIRE(again);
  CHECK(http.requests.size() == 1);  // not asked again with that token

  // A refused token: the API's reason, the token nowhere in it.
  http.requests.clear();
  http.answers.push_back(json_answer(403, read_fixture("yandex_market/error_unauthorized.json")));
  auto refused = run_poll(*source, http, state);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::unauthorized));
  CHECK(refused.error().message().find("Api-Key token is invalid or revoked") != std::string::npos);
  CHECK(refused.error().message().find("market-token-0001") == std::string::npos);
}
