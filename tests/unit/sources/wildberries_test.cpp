// The Wildberries preset on hand-written answers in the format of the seller API's feedbacks and
// questions lists (dev.wildberries.ru/openapi/user-communication): the parsers, the calls, the
// error reader, the budget and the config keys.
#include "daemon/config/config_load.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/source.hpp"
#include "sources/wildberries/wildberries_api.hpp"
#include "sources/wildberries/wildberries_parse.hpp"
#include "sources/wildberries/wildberries_source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

#include <cstdlib>
#include <filesystem>

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::read_fixture;

namespace {

constexpr const char* kBase = "https://feedbacks-api.wildberries.ru";

ApiCall list_call(WildberriesKind kind, bool answered, int skip = 0) {
  return wildberries_list_call({kind, answered, kWildberriesPageSize, ""}, skip);
}

ParseInput input(const std::string& body, const ApiCall& call) {
  return test::parse_input(body, kBase + call.target, "wb-shop", "Северный ветер", *make_utc(2026, 12, 6, 12, 0, 0));
}

/// A feedbacks answer with `n` short positive feedbacks (ids "f1"…).
std::string feedbacks_answer(int n, const char* list = "feedbacks") {
  std::string items;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) items += ",";
    items += R"({"id":"f)" + std::to_string(i) +
             R"(","text":"Хорошо","productValuation":5,"createdDate":"2026-12-01T10:00:00Z","productDetails":{"nmId":1}})";
  }
  return std::string(R"({"data":{"countUnanswered":0,")") + list + R"(":[)" + items +
         R"(]},"error":false,"errorText":"","additionalErrors":null})";
}

const SourceRegistry& registry() {
  static const SourceRegistry r = SourceRegistry::with_builtin_types();
  return r;
}

LoadedConfig load(const std::string& source) {
  const std::string text = "[daemon]\nstate = \"s.db\"\n[[source]]\nname = \"s\"\n" + source +
                           "\n[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n";
  return load_config_text(text, std::filesystem::temp_directory_path(), &registry());
}

std::string problems(const LoadedConfig& l) {
  std::string out;
  for (const auto& p : l.problems)
    if (!p.warning) out += p.key + ": " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("Wildberries unanswered feedbacks carry the product, pros and cons, photos and the rating",
          "[sources][wildberries]") {
  const std::string body = read_fixture("wildberries/feedbacks_unanswered.json");
  const ApiCall sent = list_call(WildberriesKind::feedbacks, false);
  auto page = parse_wildberries_feedbacks(sent, input(body, sent));
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 4);  // the fifth has neither text nor a valid rating

  const Mention& a = page->page.mentions[0];
  CHECK(a.source == "wb-shop");
  CHECK(a.brand == "Северный ветер");
  CHECK(a.fetched == *make_utc(2026, 12, 6, 12, 0, 0));
  CHECK(a.external_id == "Kx1pRZEBhH9mrcYdE001");
  CHECK(a.url == "https://www.wildberries.ru/catalog/12345678/detail.aspx");
  CHECK(a.author == "Анна");
  CHECK(a.author_id.empty());
  CHECK(a.title.empty());  // the product is the subject, not the title
  CHECK(a.subject == "арт. 12345678 · «Куртка зимняя» · KZ-2026/черн · размер 48 · цвет черный");
  CHECK(a.text ==
        "Куртку заказывала на зиму, пришла с дыркой на рукаве. Внутри пахнет химией, проветривала три дня — не "
        "помогло.\n"
        "Недостатки: Молния заедает с первого дня, швы кривые, капюшон не держит форму\n"
        "Фото: 3");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 12, 5, 15, 42, 10));  // +03:00
  CHECK(a.company_reply.empty());

  const Mention& b = page->page.mentions[1];  // a rating alone is kept: a silent two-star is a complaint
  CHECK(b.external_id == "Kx1pRZEBhH9mrcYdE002");
  CHECK(b.text.empty());
  CHECK(b.rating == std::optional<double>(2.0));
  CHECK(b.author.empty());
  CHECK(b.subject == "арт. 23456789 · «Термос стальной 1 л» · TRM-1000");  // size "0", colour "colorless": none
  CHECK(b.published == make_utc(2026, 12, 5, 11, 3, 57));

  const Mention& c = page->page.mentions[2];
  CHECK(c.text == "Great jacket: warm, light, fits true to size. Delivered in two days.\nДостоинства: Warm hood\nВидео");
  CHECK(c.rating == std::optional<double>(5.0));
  CHECK(c.author == "Olga");
  CHECK(c.subject == "арт. 12345679 · «Куртка зимняя» · KZ-2026/син · размер 50 · цвет синий");

  const Mention& d = page->page.mentions[3];  // optional fields missing or null
  CHECK(d.text == "Ужасно 😡 крышка треснула через неделю, чай остывает за час. «Держит тепло 24 часа» — неправда!");
  CHECK(d.subject == "арт. 23456789 · «Термос стальной 1 л»");
  CHECK(d.url == "https://www.wildberries.ru/catalog/23456789/detail.aspx");
  CHECK(d.company_reply.empty());

  REQUIRE(page->page.warnings.size() == 2);
  CHECK(page->page.warnings[0] == "feedback Kx1pRZEBhH9mrcYdE005: productValuation out of 1..5, left empty");
  CHECK(page->page.warnings[1] == "feedback Kx1pRZEBhH9mrcYdE005: skipped, neither text nor rating");
  CHECK_FALSE(page->next);  // 5 items < take=100: the last page
}

TEST_CASE("Wildberries answered feedbacks carry the seller's answer unless moderation rejected it",
          "[sources][wildberries]") {
  const std::string body = read_fixture("wildberries/feedbacks_answered.json");
  const ApiCall sent = list_call(WildberriesKind::feedbacks, true);
  auto page = parse_wildberries_feedbacks(sent, input(body, sent));
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 3);
  const Mention& a = page->page.mentions[0];
  CHECK(a.company_reply ==
        "Здравствуйте, Марина! Спасибо, что написали. Мы уточнили размерную сетку в карточке; обменять куртку можно в "
        "любом пункте выдачи.");
  CHECK(a.text ==
        "Маломерит на два размера, рукава короткие. Продавец в карточке пишет «соответствует размеру», это не так.\n"
        "Достоинства: Тёплая\nНедостатки: Размер, короткие рукава");
  CHECK(a.rating == std::optional<double>(2.0));
  CHECK(a.subject == "арт. 12345678 · «Куртка зимняя» · KZ-2026/черн · размер 46 · цвет черный");
  CHECK(page->page.mentions[1].company_reply.empty());  // state "rejected": not on the site
  CHECK(page->page.mentions[2].company_reply == "Спасибо за отзыв! Рады, что термос пригодился.");
  CHECK(page->page.mentions[2].text ==
        "Отличный термос, держит тепло весь день. Спасибо!\nДостоинства: Лёгкий, не течёт\nНедостатки: Нет");
  CHECK(page->page.warnings.empty());
}

TEST_CASE("Wildberries questions: the question as text, no rating, the answer as the company's reply",
          "[sources][wildberries]") {
  const std::string body = read_fixture("wildberries/questions.json");
  const ApiCall sent = list_call(WildberriesKind::questions, false);
  CHECK(sent.target == "/api/v1/questions?isAnswered=false&take=100&skip=0&order=dateDesc");
  auto page = parse_wildberries_questions(sent, input(body, sent));
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 3);
  const Mention& a = page->page.mentions[0];
  CHECK(a.external_id == "q7ncBtX4B9I0UHoorn01");
  CHECK(a.text == "Где мой заказ?! Третью неделю жду куртку, поддержка молчит, деньги списали. Это обман!");
  CHECK_FALSE(a.rating);
  CHECK(a.author.empty());
  CHECK(a.subject == "арт. 12345678 · «Куртка зимняя» · KZ-2026/черн");
  CHECK(a.url == "https://www.wildberries.ru/catalog/12345678/detail.aspx");
  CHECK(a.published == make_utc(2026, 12, 5, 21, 18, 8));  // nanoseconds dropped
  CHECK(a.company_reply.empty());
  CHECK(page->page.mentions[1].text == "Подскажите, на какой рост размер 48?");
  CHECK(page->page.mentions[2].external_id == "q7ncBtX4B9I0UHoorn04");
  CHECK(page->page.mentions[2].company_reply == "Здравствуйте! Колбу можно, крышку лучше мыть вручную.");
  REQUIRE(page->page.warnings.size() == 1);
  CHECK(page->page.warnings[0] == "question q7ncBtX4B9I0UHoorn03: skipped, no text");
  CHECK_FALSE(page->next);
}

TEST_CASE("Wildberries productValuation maps onto 0..5 and odd values are left empty", "[sources][wildberries]") {
  struct Case {
    const char* valuation;
    std::optional<double> expected;
    bool warns;
  };
  const Case cases[] = {
      {"1", 1.0, false},   {"3", 3.0, false}, {"5", 5.0, false},          {"\"4\"", 4.0, false},
      {"0", std::nullopt, true}, {"6", std::nullopt, true}, {"null", std::nullopt, false},
  };
  const ApiCall sent = list_call(WildberriesKind::feedbacks, false);
  for (const auto& c : cases) {
    CAPTURE(c.valuation);
    const std::string body = std::string(R"({"data":{"feedbacks":[{"id":"x","text":"ok","productValuation":)") +
                             c.valuation + "}]},\"error\":false}";
    auto page = parse_wildberries_feedbacks(sent, input(body, sent));
    REQUIRE(page);
    REQUIRE(page->page.mentions.size() == 1);
    CHECK(page->page.mentions[0].rating == c.expected);
    CHECK(page->page.warnings.size() == (c.warns ? 1u : 0u));
    CHECK(page->page.mentions[0].subject.empty());  // no productDetails
    CHECK(page->page.mentions[0].url.empty());
  }
}

TEST_CASE("Wildberries list calls: path, isAnswered, take, skip, order and the product filter",
          "[sources][wildberries]") {
  CHECK(list_call(WildberriesKind::feedbacks, false).target ==
        "/api/v1/feedbacks?isAnswered=false&take=100&skip=0&order=dateDesc");
  CHECK(list_call(WildberriesKind::feedbacks, true, 200).target ==
        "/api/v1/feedbacks?isAnswered=true&take=100&skip=200&order=dateDesc");
  const ApiCall one = wildberries_list_call({WildberriesKind::questions, true, 50, "12345678"}, 0);
  CHECK(one.method == "GET");
  CHECK(one.body.empty());
  CHECK(one.headers.empty());
  CHECK(one.target == "/api/v1/questions?isAnswered=true&take=50&skip=0&order=dateDesc&nmId=12345678");
}

TEST_CASE("Wildberries paging: skip += take while pages are full, within the API's windows", "[sources][wildberries]") {
  const std::string full = feedbacks_answer(100);
  const std::string short_page = feedbacks_answer(99);
  const ApiCall first = list_call(WildberriesKind::feedbacks, false);
  auto page = parse_wildberries_feedbacks(first, input(full, first));
  REQUIRE(page);
  CHECK(page->page.mentions.size() == 100);
  REQUIRE(page->next);
  CHECK(page->next->target == "/api/v1/feedbacks?isAnswered=false&take=100&skip=100&order=dateDesc");

  const ApiCall filtered = wildberries_list_call({WildberriesKind::feedbacks, true, 100, "777"}, 300);
  page = parse_wildberries_feedbacks(filtered, input(full, filtered));
  REQUIRE(page);
  REQUIRE(page->next);
  CHECK(page->next->target == "/api/v1/feedbacks?isAnswered=true&take=100&skip=400&order=dateDesc&nmId=777");

  page = parse_wildberries_feedbacks(first, input(short_page, first));
  REQUIRE(page);
  CHECK_FALSE(page->next);

  // Feedbacks: skip at most 199 990.
  const ApiCall deep = list_call(WildberriesKind::feedbacks, false, 199800);
  page = parse_wildberries_feedbacks(deep, input(full, deep));
  REQUIRE(page);
  REQUIRE(page->next);
  CHECK(page->next->target.find("skip=199900") != std::string::npos);
  const ApiCall deepest = list_call(WildberriesKind::feedbacks, false, 199900);
  page = parse_wildberries_feedbacks(deepest, input(full, deepest));
  REQUIRE(page);
  CHECK_FALSE(page->next);

  // Questions: take + skip at most 10 000.
  const std::string questions = feedbacks_answer(100, "questions");
  const ApiCall q1 = list_call(WildberriesKind::questions, false, 9800);
  auto qpage = parse_wildberries_questions(q1, input(questions, q1));
  REQUIRE(qpage);
  REQUIRE(qpage->next);
  CHECK(qpage->next->target == "/api/v1/questions?isAnswered=false&take=100&skip=9900&order=dateDesc");
  const ApiCall q2 = list_call(WildberriesKind::questions, false, 9900);
  qpage = parse_wildberries_questions(q2, input(questions, q2));
  REQUIRE(qpage);
  CHECK_FALSE(qpage->next);
}

TEST_CASE("Wildberries answers that list nothing, errors inside a 200 and bodies of another shape",
          "[sources][wildberries]") {
  const ApiCall sent = list_call(WildberriesKind::feedbacks, false);
  struct Case {
    const char* body;
    bool ok;
    const char* message;  ///< part of the failure's text
  };
  const Case cases[] = {
      {R"({"data":{"countUnanswered":0,"countArchive":0,"feedbacks":[]},"error":false,"errorText":""})", true, ""},
      {R"({"data":{"feedbacks":null},"error":false})", true, ""},
      {R"({"data":null,"error":false,"errorText":""})", true, ""},
      {R"({"data":null,"error":true,"errorText":"Плохой формат isAnswered","additionalErrors":null})", false,
       "Wildberries answered an error: Плохой формат isAnswered"},
      {R"({"feedbacks":[]})", false, "no \"data\""},
      {R"({"data":{"feedbacks":{"id":"1"}}})", false, "\"feedbacks\" is not an array"},
      {R"([1,2])", false, "not a JSON object"},
      {"<html>502 Bad Gateway</html>", false, "not JSON"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto page = parse_wildberries_feedbacks(sent, input(c.body, sent));
    CHECK(page.has_value() == c.ok);
    if (page) {
      CHECK(page->page.mentions.empty());
      CHECK_FALSE(page->next);
    } else {
      CHECK(page.error().code == make_error_code(errc::parse_failed));
      CHECK(page.error().message().find(c.message) != std::string::npos);
    }
  }
  // A list of non-objects: each skipped with a warning.
  auto page = parse_wildberries_feedbacks(sent, input(R"({"data":{"feedbacks":[1,"x"]}})", sent));
  REQUIRE(page);
  CHECK(page->page.mentions.empty());
  REQUIRE(page->page.warnings.size() == 2);
  CHECK(page->page.warnings[0] == "feedback #1: skipped, not an object");
}

TEST_CASE("Wildberries subjects and product links", "[sources][wildberries]") {
  struct Case {
    const char* nm_id;
    const char* name;
    const char* article;
    const char* size;
    const char* color;
    const char* expected;
  };
  const Case cases[] = {
      {"12345678", "Куртка зимняя", "", "", "", "арт. 12345678 · «Куртка зимняя»"},
      {"12345678", "Куртка зимняя", "KZ-1", "48", "черный", "арт. 12345678 · «Куртка зимняя» · KZ-1 · размер 48 · цвет черный"},
      {"12345678", "", "", "0", "colorless", "арт. 12345678"},
      {"", "Термос", "", "", "", "«Термос»"},
      {"", "", "", "", "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    CHECK(wildberries_subject(c.nm_id, c.name, c.article, c.size, c.color) == c.expected);
  }
  CHECK(wildberries_product_url("12345678") == "https://www.wildberries.ru/catalog/12345678/detail.aspx");
  CHECK(wildberries_product_url("").empty());
}

TEST_CASE("Wildberries error bodies give the API's reason", "[sources][wildberries]") {
  struct Case {
    int status;
    const char* body;
    const char* expected;
  };
  const Case cases[] = {
      {401,
       R"({"title":"unauthorized","detail":"token problem; token is expired","code":"07e4668e--a53a3d31f8b0-[UK-oWaVDUqNrKG]; 03bce=277; 84bd353bf-75","requestId":"7b80742415072fe8b6b7f7761f1d1211","origin":"s2s-api-auth-catalog","status":401,"statusText":"Unauthorized","timestamp":"2026-12-06T06:52:38Z"})",
       "unauthorized: token problem; token is expired"},
      {429,
       R"({"title":"too many requests","detail":"limited by c122a060-a7fb-4bb4-abb0-32fd4e18d489","status":429})",
       "too many requests: limited by c122a060-a7fb-4bb4-abb0-32fd4e18d489"},
      {403, R"({"data":null,"error":true,"errorText":"Ошибка авторизации","additionalErrors":null,"requestId":"734c9ea8"})",
       "Ошибка авторизации"},
      {400, R"({"data":null,"error":true,"errorText":"Something went wrong","additionalErrors":["take: too big"]})",
       "Something went wrong; take: too big"},
      {400, R"({"title":"bad request","requestId":"e6c4","origin":"fbapi"})", "bad request"},
      {502, "<html><body>Bad Gateway</body></html>", ""},
      {500, "upstream timeout", "upstream timeout"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    CHECK(read_wildberries_error(c.status, c.body) == c.expected);
  }
}

TEST_CASE("Wildberries budgets keep the documented limits and the client hides the token", "[sources][wildberries]") {
  const BudgetLimit personal = wildberries_budget_limit(WildberriesToken::personal);
  CHECK(personal.requests == 3);
  CHECK(personal.period == std::chrono::seconds(1));
  const BudgetLimit base = wildberries_budget_limit(WildberriesToken::base);
  CHECK(base.requests == 1);
  CHECK(base.period == std::chrono::minutes(12));
  CHECK(wildberries_token_kind("personal") == WildberriesToken::personal);
  CHECK(wildberries_token_kind("base") == WildberriesToken::base);
  CHECK_FALSE(wildberries_token_kind("service"));

  // 3 a second: the fourth call waits for the first's second to pass.
  RequestBudget budget(personal);
  const auto t0 = RequestBudget::Clock::time_point{} + std::chrono::hours(1);
  CHECK(budget.reserve(t0) == t0);
  CHECK(budget.reserve(t0) == t0);
  CHECK(budget.reserve(t0) == t0);
  CHECK(budget.reserve(t0) == t0 + std::chrono::seconds(1));

  SourceConfig config;
  config.name = "wb";
  config.type = "wildberries";
  config.url = "http://127.0.0.1:8080/";
  config.api_key = Secret("env:WB_TOKEN", "eyJhbGciOiJFUzI1NiJ9.secret-token");
  BudgetBook book;
  ApiClient client = make_wildberries_client(config, book, WildberriesToken::personal);
  CHECK(client.url_of("/api/v1/feedbacks?x=1") == "http://127.0.0.1:8080/api/v1/feedbacks?x=1");
  CHECK(client.options().site == "Wildberries");
  CHECK(client.options().retry_headers == std::vector<std::string>{"X-Ratelimit-Retry", "Retry-After"});
  CHECK(client.options().budget->limit().requests == 3);
  CHECK(client.hide("Authorization: eyJhbGciOiJFUzI1NiJ9.secret-token") == "Authorization: ***");
  // Two sources with one token share one budget; another token has its own.
  ApiClient second = make_wildberries_client(config, book, WildberriesToken::personal);
  CHECK(second.options().budget == client.options().budget);
  config.api_key = Secret("env:WB_TOKEN2", "another-token");
  ApiClient third = make_wildberries_client(config, book, WildberriesToken::personal);
  CHECK(third.options().budget != client.options().budget);
}

TEST_CASE("Wildberries in the config: the official base URL, 15 minutes, the token as a secret",
          "[sources][wildberries][config]") {
  ::setenv("OTKLIK_TEST_WB_TOKEN", "wb-token-123", 1);
  const auto loaded = load("type = \"wildberries\"\napi_key = \"env:OTKLIK_TEST_WB_TOKEN\"\nkind = \"questions\"\n"
                           "nm_id = \"12345678\"\nmax_pages = 5");
  INFO(problems(loaded));
  REQUIRE(loaded.config);
  const SourceConfig& s = loaded.config->sources.at(0);
  CHECK(s.url == "https://feedbacks-api.wildberries.ru");
  CHECK(s.interval == 15min);
  CHECK(s.api_key.value() == "wb-token-123");
  const WildberriesSettings settings = wildberries_settings(s);
  CHECK(settings.kind == WildberriesKind::questions);
  CHECK(settings.nm_id == "12345678");
  CHECK(settings.max_pages == 5);
  CHECK(settings.token == WildberriesToken::personal);
  CHECK(registry().site_name("wildberries") == "Wildberries");

  const auto defaults = wildberries_settings(load("type = \"wildberries\"\napi_key = \"env:OTKLIK_TEST_WB_TOKEN\"")
                                                 .config->sources.at(0));
  CHECK(defaults.kind == WildberriesKind::feedbacks);
  CHECK(defaults.max_pages == 3);
  CHECK(defaults.answered_pages == 1);

  struct Case {
    const char* keys;
    const char* key;
    const char* message;
  };
  const Case cases[] = {
      {"", "source[\"s\"].api_key", "is required for source type \"wildberries\""},
      {"api_key = \"env:OTKLIK_TEST_WB_TOKEN\"\nkind = \"reviews\"", "source[\"s\"].kind",
       "expected \"feedbacks\" or \"questions\", got \"reviews\""},
      {"api_key = \"env:OTKLIK_TEST_WB_TOKEN\"\nnm_id = \"арт123\"", "source[\"s\"].nm_id", "expected digits only"},
      {"api_key = \"env:OTKLIK_TEST_WB_TOKEN\"\ntoken_type = \"service\"", "source[\"s\"].token_type",
       "expected \"personal\" or \"base\", got \"service\""},
      {"api_key = \"env:OTKLIK_TEST_WB_TOKEN\"\nmax_pages = 21", "source[\"s\"].max_pages",
       "expected an integer from 1 to 20"},
      {"api_key = \"env:OTKLIK_TEST_WB_TOKEN\"\nseller_id = \"1\"", "source[\"s\"].seller_id", "unknown key"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.keys);
    const auto bad = load(std::string("type = \"wildberries\"\n") + c.keys);
    CHECK_FALSE(bad.config);
    const std::string text = problems(bad);
    INFO(text);
    CHECK(text.find(std::string(c.key) + ": " + c.message) != std::string::npos);
  }
}

TEST_CASE("Wildberries items read by id: the call and the answer of one feedback or question",
          "[sources][wildberries]") {
  CHECK(wildberries_item_call(WildberriesKind::feedbacks, "Kx1pRZEBhH9mrcYdE004").target ==
        "/api/v1/feedback?id=Kx1pRZEBhH9mrcYdE004");
  CHECK(wildberries_item_call(WildberriesKind::questions, "q7ncBtX4B9I0UHoorn01").target ==
        "/api/v1/question?id=q7ncBtX4B9I0UHoorn01");
  CHECK(wildberries_item_call(WildberriesKind::feedbacks, "a b&c").target == "/api/v1/feedback?id=a%20b%26c");
  CHECK(wildberries_item_call(WildberriesKind::feedbacks, "x").method == "GET");

  const ApiCall sent = wildberries_item_call(WildberriesKind::feedbacks, "Kx1pRZEBhH9mrcYdE004");
  const std::string one = R"({"data":{"id":"Kx1pRZEBhH9mrcYdE004","text":"Крышка треснула","pros":"","cons":"Течёт",)"
                          R"("productValuation":1,"createdDate":"2026-12-03T07:30:00+03:00","answer":{"text":"Заменим)"
                          R"( термос","state":"wbRu","editable":true},"state":"wbRu","productDetails":{"nmId":23456789,)"
                          R"("productName":"Термос стальной 1 л","size":"0"},"userName":"Дмитрий","color":"colorless"},)"
                          R"("error":false,"errorText":"","additionalErrors":null})";
  auto page = parse_wildberries_item(WildberriesKind::feedbacks, input(one, sent));
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 1);
  const Mention& m = page->page.mentions[0];
  CHECK(m.external_id == "Kx1pRZEBhH9mrcYdE004");
  CHECK(m.text == "Крышка треснула\nНедостатки: Течёт");
  CHECK(m.company_reply == "Заменим термос");
  CHECK(m.rating == std::optional<double>(1.0));
  CHECK(m.subject == "арт. 23456789 · «Термос стальной 1 л»");
  CHECK_FALSE(page->next);

  const ApiCall qsent = wildberries_item_call(WildberriesKind::questions, "q1");
  auto question = parse_wildberries_item(
      WildberriesKind::questions,
      input(R"({"data":{"id":"q1","text":"Когда привезут?","createdDate":"2026-12-03T08:00:00Z","state":"wbRu",)"
            R"("answer":{"text":"Завтра","editable":true},"productDetails":{"nmId":1}},"error":false})",
            qsent));
  REQUIRE(question);
  REQUIRE(question->page.mentions.size() == 1);
  CHECK(question->page.mentions[0].company_reply == "Завтра");
  CHECK_FALSE(question->page.mentions[0].rating);

  auto empty = parse_wildberries_item(WildberriesKind::feedbacks, input(R"({"data":null,"error":false})", sent));
  REQUIRE(empty);
  CHECK(empty->page.mentions.empty());
  auto error = parse_wildberries_item(
      WildberriesKind::feedbacks, input(R"({"data":null,"error":true,"errorText":"Невозможно получить отзыв по id"})", sent));
  REQUIRE_FALSE(error);
  CHECK(error.error().message().find("Невозможно получить отзыв по id") != std::string::npos);
  CHECK_FALSE(parse_wildberries_item(WildberriesKind::feedbacks, input("[]", sent)));
}

TEST_CASE("Wildberries cursor: the ids seen and the ids still unanswered", "[sources][wildberries]") {
  std::vector<Mention> unanswered(2), answered(1);
  unanswered[0].external_id = "u1";
  unanswered[1].external_id = "u2";
  answered[0].external_id = "a1";
  const std::string cursor = wildberries_cursor({&unanswered, &answered}, {"u1", "u2", "old"});
  CHECK(cursor == R"({"seen":["u1","u2","a1"],"open":["u1","u2","old"]})");
  CHECK(seen_ids(cursor) == std::set<std::string>{"u1", "u2", "a1"});
  CHECK(wildberries_open_ids(cursor) == std::vector<std::string>{"u1", "u2", "old"});
  CHECK(wildberries_cursor({&answered}, {}) == R"({"seen":["a1"]})");
  CHECK(wildberries_cursor({}, {}).empty());
  CHECK(wildberries_open_ids("").empty());
  CHECK(wildberries_open_ids(R"({"seen":["x"]})").empty());
  CHECK(wildberries_open_ids("not json").empty());
}
