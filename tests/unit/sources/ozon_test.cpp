// The ozon preset on hand-written answers in the format of the Ozon Seller API (ReviewAPI):
// parsers, the calls made, the error reader, config checks, and whole polls on a scripted client.
#include "daemon/net/http_client.hpp"
#include "sources/generic/dates.hpp"
#include "sources/ozon/ozon_api.hpp"
#include "sources/ozon/ozon_parse.hpp"
#include "sources/source.hpp"
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
#include <map>

using namespace otklik;
using otklik::test::json_answer;
using otklik::test::read_fixture;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kListUrl = "https://api-seller.ozon.ru/v1/review/list";

ParseInput input(const std::string& body) {
  return test::parse_input(body, kListUrl, "ozon-shop", "teplo", *make_utc(2026, 12, 1, 9, 0, 0));
}

boost::json::value json_of(std::string_view text) { return boost::json::parse(text); }

SourceConfig ozon_config(std::string_view options_toml) {
  SourceConfig s;
  s.name = "ozon-shop";
  s.type = "ozon";
  s.brand = "teplo";
  s.url = "https://api-seller.ozon.ru";
  s.line = 1;
  s.api_key = Secret("env:OZON_KEY", "ozon-secret-key-0001");
  s.options = toml::parse(options_toml, std::string("test.toml"));
  return s;
}

std::vector<ConfigProblem> validate(const SourceConfig& s) {
  ConfigProblems problems;
  SourceRegistry::with_builtin_types().validate(s, "source[\"ozon-shop\"]", problems);
  return problems.items();
}

Result<PollResult> run_poll(Source& source, HttpClient& http, const SourceState& state) {
  return test::run_poll(source, http, state, *make_utc(2026, 12, 1, 9, 0, 0));
}

}  // namespace

TEST_CASE("ozon: a page of reviews becomes mentions with the product and the next page", "[sources][ozon]") {
  const std::string body = read_fixture("ozon/reviews_unprocessed_page1.json");
  const ApiCall sent = ozon_review_list_call("UNPROCESSED");
  auto parsed = parse_ozon_reviews(sent, input(body));
  REQUIRE(parsed);
  const auto& page = parsed->page.page;
  REQUIRE(page.mentions.size() == 2);  // the rating without text is skipped

  const Mention& a = page.mentions[0];
  CHECK(a.source == "ozon-shop");
  CHECK(a.brand == "teplo");
  CHECK(a.external_id == "01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d01");
  CHECK(a.subject == "SKU 1783456012");
  CHECK(a.url == "https://www.ozon.ru/context/detail/id/1783456012/");
  CHECK(a.title.empty());
  CHECK(a.author.empty());
  CHECK(a.text ==
        "Куртка пришла с браком: молния расходится, на рукаве пятно. Размер маломерит на два, хотя в карточке "
        "«соответствует». Возврат оформить не даёт, пишет «ошибка». Деньги на ветер.\nФото: 2");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 30, 18, 42, 5));
  CHECK(a.company_reply.empty());

  const Mention& b = page.mentions[1];
  CHECK(b.external_id == "01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d03");
  CHECK(b.subject == "SKU 902211547");
  CHECK(b.text == "Тёплая, лёгкая, капюшон не продувается 👍 Брала на −25 — не замёрзла. Спасибо!\nВидео: 1");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 29, 18, 3, 44));  // +03:00

  REQUIRE(page.warnings.size() == 1);
  CHECK(page.warnings[0] == "review 01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d02: skipped, no text (a rating alone)");
  CHECK(parsed->commented.empty());

  // The next page: the same request after the answer's last_id.
  REQUIRE(parsed->page.next);
  CHECK(parsed->page.next->method == "POST");
  CHECK(parsed->page.next->target == "/v1/review/list");
  CHECK(json_of(parsed->page.next->body) ==
        json_of(R"({"limit":100,"sort_dir":"DESC","status":"UNPROCESSED","last_id":"01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d03"})"));

  const std::string last = read_fixture("ozon/reviews_unprocessed_page2.json");
  auto second = parse_ozon_reviews(*parsed->page.next, input(last));
  REQUIRE(second);
  CHECK(second->page.page.mentions.size() == 1);
  CHECK_FALSE(second->page.next);  // has_next false
}

TEST_CASE("ozon: processed reviews name those with comments, missing fields stay empty", "[sources][ozon]") {
  const std::string body = read_fixture("ozon/reviews_processed.json");
  auto parsed = parse_ozon_reviews(ozon_review_list_call("PROCESSED"), input(body));
  REQUIRE(parsed);
  const auto& mentions = parsed->page.page.mentions;
  REQUIRE(mentions.size() == 2);
  REQUIRE(parsed->commented.size() == 1);
  CHECK(parsed->commented[0] == std::pair<std::string, int>("01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d10", 2));
  const Mention& bare = mentions[1];
  CHECK(bare.text == "Good jacket, fast delivery.");
  CHECK(bare.subject.empty());
  CHECK(bare.url.empty());
  CHECK_FALSE(bare.rating);
  CHECK(bare.published == make_utc(2026, 11, 26, 9, 0, 0));
  CHECK(parsed->page.page.warnings.empty());
  CHECK_FALSE(parsed->page.next);
}

TEST_CASE("ozon: odd answers", "[sources][ozon]") {
  struct Case {
    const char* body;
    bool ok;
    std::size_t mentions;
    std::size_t warnings;
    bool next;
  };
  const Case cases[] = {
      {"not json", false, 0, 0, false},
      {"[1, 2]", false, 0, 0, false},
      {R"({"result": []})", false, 0, 0, false},
      {R"({"reviews": {"id": "x"}})", false, 0, 0, false},
      {R"({"reviews": [], "has_next": false})", true, 0, 0, false},
      {R"({"has_next": false})", true, 0, 0, false},
      {R"({"reviews": null, "has_next": true, "last_id": "z"})", true, 0, 0, false},  // nothing to page after
      {R"({"reviews": [{"id": "r1", "text": "Плохо", "rating": 7}], "has_next": true, "last_id": "r1"})", true, 1, 1,
       true},
      {R"({"reviews": [{"text": "без id"}, 5], "has_next": false})", true, 0, 2, false},
      {R"({"reviews": [{"id": "r2", "text": "Нет last_id"}], "has_next": true})", true, 1, 0, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    const std::string body = c.body;
    auto parsed = parse_ozon_reviews(ozon_review_list_call("ALL"), input(body));
    REQUIRE(static_cast<bool>(parsed) == c.ok);
    if (!c.ok) {
      CHECK(parsed.error().code == make_error_code(errc::parse_failed));
      continue;
    }
    CHECK(parsed->page.page.mentions.size() == c.mentions);
    CHECK(parsed->page.page.warnings.size() == c.warnings);
    CHECK(static_cast<bool>(parsed->page.next) == c.next);
  }
  auto rated = parse_ozon_reviews(ozon_review_list_call("ALL"),
                                  input(R"({"reviews": [{"id": "r1", "text": "Плохо", "rating": 7}]})"));
  REQUIRE(rated);
  CHECK_FALSE(rated->page.page.mentions[0].rating);  // out of 1..5: left empty, with a warning
}

TEST_CASE("ozon: the seller's comments are the company's answer", "[sources][ozon]") {
  auto reply = parse_ozon_seller_reply(read_fixture("ozon/comments_answered.json"));
  REQUIRE(reply);
  CHECK(*reply == "Здравствуйте! Нам очень жаль. Напишите нам в чат заказа — заменим пуховик или вернём деньги.");

  struct Case {
    const char* body;
    const char* reply;
  };
  const Case cases[] = {
      {R"({"comments": []})", ""},
      {R"({"offset": 0})", ""},
      {R"({"comments": [{"text": "Покупатель", "is_owner": false, "is_official": false}]})", ""},
      {R"({"comments": [{"text": "Официально", "is_official": true}]})", "Официально"},
      {R"({"comments": [{"text": "В ветке", "is_owner": true, "parent_comment_id": "c1"},
                        {"text": "На отзыв", "is_owner": true}]})",
       "На отзыв\n\nВ ветке"},
      {R"({"comments": [{"text": "  ", "is_owner": true}]})", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto r = parse_ozon_seller_reply(c.body);
    REQUIRE(r);
    CHECK(*r == c.reply);
  }
  CHECK_FALSE(parse_ozon_seller_reply("<html>"));
}

TEST_CASE("ozon: product names by SKU", "[sources][ozon]") {
  const ApiCall call = ozon_product_info_call({"1783456012", "902211547"});
  CHECK(call.method == "POST");
  CHECK(call.target == "/v3/product/info/list");
  CHECK(json_of(call.body) == json_of(R"({"sku":["1783456012","902211547"]})"));
  auto names = parse_ozon_product_names(read_fixture("ozon/product_info.json"));
  REQUIRE(names);
  CHECK(*names == std::map<std::string, std::string>{{"1783456012", "Куртка зимняя мужская"},
                                                     {"902211547", "Шарф вязаный, 180 см"}});  // a source's SKU
  CHECK(parse_ozon_product_names(R"({"items": []})")->empty());
  CHECK(parse_ozon_product_names(R"({"result": 1})")->empty());
  CHECK(parse_ozon_product_names(R"({"items": [{"sku": 5, "name": ""}]})")->empty());
  CHECK_FALSE(parse_ozon_product_names("[]"));
  CHECK(ozon_subject("1783456012") == "SKU 1783456012");
  CHECK(ozon_subject("1783456012", "Куртка") == "SKU 1783456012 · «Куртка»");
}

TEST_CASE("ozon: the calls are the documented ones", "[sources][ozon]") {
  const ApiCall list = ozon_review_list_call("PROCESSED", 20);
  CHECK(list.method == "POST");
  CHECK(list.target == "/v1/review/list");
  CHECK(json_of(list.body) == json_of(R"({"limit":20,"sort_dir":"DESC","status":"PROCESSED"})"));
  const ApiCall v2 = ozon_review_list_v2_call("ALL");
  CHECK(v2.method == "POST");
  CHECK(v2.target == "/v2/review/list");
  CHECK(json_of(v2.body) == json_of(R"({"filters":{"status":"ALL"},"limit":100,"sort_dir":"DESC"})"));
  // Its next page: the same body after the answer's last_id.
  auto parsed = parse_ozon_reviews(
      v2, input(R"({"reviews": [{"id": "r9", "text": "Плохо", "rating": 1}], "has_next": true, "last_id": "r9"})"));
  REQUIRE(parsed);
  REQUIRE(parsed->page.next);
  CHECK(parsed->page.next->target == "/v2/review/list");
  CHECK(json_of(parsed->page.next->body) ==
        json_of(R"({"filters":{"status":"ALL"},"limit":100,"sort_dir":"DESC","last_id":"r9"})"));
  const ApiCall comments = ozon_comment_list_call("01939a6e-0001");
  CHECK(comments.method == "POST");
  CHECK(comments.target == "/v1/review/comment/list");
  CHECK(json_of(comments.body) ==
        json_of(R"({"limit":100,"offset":0,"review_id":"01939a6e-0001","sort_dir":"ASC"})"));
  CHECK(ozon_budget_limit().requests <= 50);
  CHECK(ozon_budget_limit().period == std::chrono::seconds(1));
}

TEST_CASE("ozon: the API's error body gives the reason", "[sources][ozon]") {
  CHECK(read_ozon_error(401, read_fixture("ozon/error_invalid_key.json")) ==
        "Invalid Api-Key, please check the key and try again (code 16)");
  CHECK(read_ozon_error(429, read_fixture("ozon/error_rate_limit.json")) ==
        "You have reached request rate limit per second (code 8)");
  CHECK(read_ozon_error(403, R"({"code": 7, "details": []})") == "code 7");
  CHECK(read_ozon_error(500, "Internal error") == "Internal error");
  CHECK(read_ozon_error(502, "<html><body>Bad gateway</body></html>").empty());
}

TEST_CASE("ozon: config keys are checked", "[sources][ozon][config]") {
  CHECK(validate(ozon_config(R"(client_id = "123456")")).empty());
  CHECK(validate(ozon_config("client_id = \"123456\"\nmax_pages = 5")).empty());
  CHECK(validate(ozon_config("client_id = \"123456\"\napi = \"v2\"")).empty());
  CHECK(validate(ozon_config("client_id = \"123456\"\napi = \"v3\"")).size() == 1);
  {
    const auto problems = validate(ozon_config(""));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "source[\"ozon-shop\"].client_id");
  }
  {
    const auto problems = validate(ozon_config(R"(client_id = "12ab")"));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message.find("digits only") != std::string::npos);
  }
  {
    const auto problems = validate(ozon_config("client_id = \"1\"\nsku = \"2\"\nmax_pages = 50"));
    CHECK(problems.size() == 2);  // an unknown key, max_pages beyond 20
  }
  {
    SourceConfig no_key = ozon_config(R"(client_id = "123456")");
    no_key.api_key = Secret();
    const auto problems = validate(no_key);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "source[\"ozon-shop\"].api_key");
  }
  const auto registry = SourceRegistry::with_builtin_types();
  const SourceType* type = registry.find("ozon");
  REQUIRE(type != nullptr);
  CHECK(type->site == "Ozon");
  CHECK(type->api_key == ApiKeyUse::required);
  CHECK(registry.built_url(ozon_config("")) == "https://api-seller.ozon.ru");
  CHECK(registry.default_interval("ozon") == std::optional<Duration>(std::chrono::minutes(30)));
}

TEST_CASE("ozon: a poll reads both lists, looks the seller's answer up once", "[sources][ozon][http]") {
  const auto registry = SourceRegistry::with_builtin_types();
  auto source = registry.create(ozon_config(R"(client_id = "778899")"));
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, read_fixture("ozon/reviews_unprocessed_page1.json")));
  http.answers.push_back(json_answer(200, read_fixture("ozon/reviews_processed.json")));
  http.answers.push_back(json_answer(200, read_fixture("ozon/product_info.json")));
  http.answers.push_back(json_answer(200, read_fixture("ozon/comments_answered.json")));
  SourceState state;
  auto first = run_poll(*source, http, state);
  REQUIRE(first);
  REQUIRE(http.requests.size() == 4);  // one page of each list, the product names, the comments
  for (const auto& r : http.requests) {
    CHECK(r.method == "POST");
    CHECK(find_header(r.headers, "Client-Id") == std::optional<std::string_view>("778899"));
    CHECK(find_header(r.headers, "Api-Key") == std::optional<std::string_view>("ozon-secret-key-0001"));
    CHECK(find_header(r.headers, "Content-Type") == std::optional<std::string_view>("application/json"));
  }
  CHECK(http.requests[0].url == "https://api-seller.ozon.ru/v1/review/list");
  CHECK(json_of(http.requests[0].body) == json_of(R"({"limit":100,"sort_dir":"DESC","status":"UNPROCESSED"})"));
  CHECK(json_of(http.requests[1].body) == json_of(R"({"limit":100,"sort_dir":"DESC","status":"PROCESSED"})"));
  CHECK(http.requests[2].url == "https://api-seller.ozon.ru/v3/product/info/list");
  CHECK(json_of(http.requests[2].body) == json_of(R"({"sku":["1783456012","902211547"]})"));
  CHECK(http.requests[3].url == "https://api-seller.ozon.ru/v1/review/comment/list");
  CHECK(json_of(http.requests[3].body).as_object().at("review_id").as_string() == "01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d10");
  REQUIRE(first->mentions.size() == 4);
  CHECK(first->mentions[0].subject == "SKU 1783456012 · «Куртка зимняя мужская»");
  CHECK(first->mentions[1].subject == "SKU 902211547 · «Шарф вязаный, 180 см»");
  CHECK(first->mentions[3].subject.empty());  // no SKU
  CHECK(first->warnings.size() == 1);          // the rating without text
  CHECK(first->mentions[2].company_reply.starts_with("Здравствуйте! Нам очень жаль."));
  CHECK(first->mentions[3].company_reply.empty());
  CHECK(first->cursor.find("01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d01") != std::string::npos);
  CHECK(first->cursor.find("01939a6e-5c1f-7d2b-9e3a-1f6a2b3c4d10") != std::string::npos);

  // The next poll: the same pages; the answer is known (same comment count), so not asked again.
  state.cursor = first->cursor;
  http.requests.clear();
  http.answers.push_back(json_answer(200, read_fixture("ozon/reviews_unprocessed_page1.json")));
  http.answers.push_back(json_answer(200, read_fixture("ozon/reviews_processed.json")));
  auto second = run_poll(*source, http, state);
  REQUIRE(second);
  CHECK(http.requests.size() == 2);  // names and answer known
  REQUIRE(second->mentions.size() == 4);
  CHECK(second->mentions[2].company_reply == first->mentions[2].company_reply);
  CHECK(second->mentions[2].subject == "SKU 1783456012 · «Куртка зимняя мужская»");

  // api = "v2": one walk over every review.
  auto v2_source = registry.create(ozon_config("client_id = \"778899\"\napi = \"v2\""));
  http.requests.clear();
  http.answers.push_back(json_answer(200, read_fixture("ozon/reviews_unprocessed_page1.json")));
  // A key without the product role: the reviews are read, the names are not, the source is fine.
  http.answers.push_back(json_answer(403, read_fixture("ozon/error_missing_role.json")));
  auto v2_poll = run_poll(*v2_source, http, SourceState{});
  REQUIRE(v2_poll);
  REQUIRE(http.requests.size() == 2);
  CHECK(http.requests[0].url == "https://api-seller.ozon.ru/v2/review/list");
  CHECK(json_of(http.requests[0].body) == json_of(R"({"filters":{"status":"ALL"},"limit":100,"sort_dir":"DESC"})"));
  CHECK(http.requests[1].url == "https://api-seller.ozon.ru/v3/product/info/list");
  REQUIRE(v2_poll->mentions.size() == 2);
  CHECK(v2_poll->mentions[0].subject == "SKU 1783456012");
  REQUIRE(v2_poll->warnings.size() == 2);
  CHECK(v2_poll->warnings[1].find("Api-Key is missing a required role for a method") != std::string::npos);
  http.requests.clear();
  http.answers.push_back(json_answer(200, read_fixture("ozon/reviews_unprocessed_page1.json")));
  auto v2_again = run_poll(*v2_source, http, SourceState{});
  REQUIRE(v2_again);
  CHECK(http.requests.size() == 1);  // names are not asked again with that key
  CHECK(v2_again->warnings.size() == 1);

  // A refused key: the API's reason, the key nowhere in it.
  http.requests.clear();
  http.answers.push_back(json_answer(401, read_fixture("ozon/error_invalid_key.json")));
  auto refused = run_poll(*source, http, state);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::unauthorized));
  CHECK(refused.error().message().find("Invalid Api-Key, please check the key and try again") != std::string::npos);
  CHECK(refused.error().message().find("ozon-secret-key-0001") == std::string::npos);
}
