// The google_business preset: its calls and parsers on hand-written answers in the format of the
// Business Profile APIs, the OAuth refresh-token flow against a scripted HTTP client, the config
// keys, and polls through the client (locations, pages, the cursor per location).
#include "daemon/config/config_load.hpp"
#include "daemon/net/http_client.hpp"
#include "sources/api/api_client.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/google_business/google_business_api.hpp"
#include "sources/google_business/google_business_parse.hpp"
#include "sources/google_business/google_oauth.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/parse_input.hpp"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <tuple>

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::read_fixture;

namespace {

constexpr const char* kAccount = "112233445566778899001";
constexpr const char* kTverskaya = "4081234567890123456";
constexpr const char* kArbat = "4081234567890123457";
constexpr const char* kCatering = "4081234567890123458";
constexpr const char* kReviews1 = "/v4/accounts/112233445566778899001/locations/4081234567890123456/reviews?pageSize=50&orderBy=updateTime%20desc";

GoogleLocation tverskaya() {
  return {kTverskaya, "Кофейня «Ромашка»", "Тверская, 12", "https://maps.google.com/maps?cid=9182736450918273645"};
}

ParseInput input(const std::string& body) {
  return test::parse_input(body, "https://mybusiness.googleapis.com" + std::string(kReviews1), "gbp", "romashka",
                           *make_utc(2026, 11, 23, 12, 0, 0));
}

HttpResponse json_response(int status, std::string body, Headers extra = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json; charset=UTF-8"}};
  for (auto& h : extra) r.headers.push_back(std::move(h));
  r.body = std::move(body);
  return r;
}

/// Answers in order from a queue and keeps the requests.
class ScriptedHttpClient final : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    requests.push_back(std::move(request));
    if (answers.empty()) co_return Failure(errc::connect_failed, "no scripted answer");
    Result<HttpResponse> answer = answers.front();
    answers.pop_front();
    co_return answer;
  }
};

/// Answers by URL (path and query after the origin); the token endpoint by its path.
class RoutedHttpClient final : public HttpClient {
 public:
  std::map<std::string, HttpResponse> routes;
  std::vector<HttpRequest> requests;

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    std::string target = request.url.substr(request.url.find('/', request.url.find("//") + 2));
    requests.push_back(std::move(request));
    auto it = routes.find(target);
    if (it == routes.end()) co_return json_response(404, R"({"error": {"code": 404, "message": "not routed", "status": "NOT_FOUND"}})");
    co_return it->second;
  }
  [[nodiscard]] std::vector<std::string> targets() const {
    std::vector<std::string> out;
    for (const auto& r : requests) out.push_back(r.url.substr(r.url.find('/', r.url.find("//") + 2)));
    return out;
  }
};

GoogleOAuthSettings oauth_settings(TimePoint* clock) {
  GoogleOAuthSettings s;
  s.token_url = "https://oauth2.example.test/token";
  s.client_id = "731122334455-abcdefghijklmnop.apps.googleusercontent.com";
  s.client_secret = "GOCSPX-secret-value-0123456789";
  s.refresh_token = "1//0gRefresh-Token_value/with+chars";
  if (clock != nullptr) s.clock = [clock] { return *clock; };
  return s;
}

ApiContext api_context(HttpClient& http) { return ApiContext{http, *make_utc(2026, 11, 23, 12, 0, 0), "otklik-test", {}}; }

const SourceRegistry& registry() {
  static const SourceRegistry r = SourceRegistry::with_builtin_types();
  return r;
}

LoadedConfig load(const std::string& source_keys) {
  const std::string text = "[daemon]\nstate = \"s.db\"\n[[source]]\nname = \"gbp\"\ntype = \"google_business\"\n" +
                           source_keys + "\n[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n";
  return load_config_text(text, std::filesystem::temp_directory_path(), &registry());
}

std::string problems(const LoadedConfig& l) {
  std::string out;
  for (const auto& p : l.problems)
    if (!p.warning) out += p.key + ": " + p.message + "\n";
  return out;
}

constexpr const char* kSecrets = R"(client_id = "env:OTKLIK_GBP_CLIENT_ID"
client_secret = "env:OTKLIK_GBP_CLIENT_SECRET"
refresh_token = "env:OTKLIK_GBP_REFRESH_TOKEN")";

void set_secret_env() {
  ::setenv("OTKLIK_GBP_CLIENT_ID", "731122334455-abcdefghijklmnop.apps.googleusercontent.com", 1);
  ::setenv("OTKLIK_GBP_CLIENT_SECRET", "GOCSPX-secret-value-0123456789", 1);
  ::setenv("OTKLIK_GBP_REFRESH_TOKEN", "1//0gRefresh-Token_value", 1);
}

}  // namespace

TEST_CASE("Google Business Profile calls: paths, page sizes, order and page tokens", "[sources][google_business]") {
  struct Case {
    ApiCall call;
    const char* target;
  };
  const Case cases[] = {
      {google_reviews_call(kAccount, kTverskaya), kReviews1},
      {google_reviews_call(kAccount, kTverskaya, "CiIKHAoWQWJG+/=="),
       "/v4/accounts/112233445566778899001/locations/4081234567890123456/reviews?pageSize=50&orderBy=updateTime%20desc"
       "&pageToken=CiIKHAoWQWJG%2B%2F%3D%3D"},
      {google_locations_call(kAccount),
       "/v1/accounts/112233445566778899001/locations?readMask=name,title,storefrontAddress,metadata.mapsUri&pageSize=100"},
      {google_locations_call(kAccount, "AIe9_BG3kQfzX0p1Wl4mN2bC"),
       "/v1/accounts/112233445566778899001/locations?readMask=name,title,storefrontAddress,metadata.mapsUri&pageSize=100"
       "&pageToken=AIe9_BG3kQfzX0p1Wl4mN2bC"},
  };
  for (const auto& c : cases) {
    CHECK(c.call.method == "GET");
    CHECK(c.call.target == c.target);
    CHECK(c.call.body.empty());
  }
}

TEST_CASE("Google Business Profile locations: ids, names, addresses in words, paging", "[sources][google_business]") {
  const std::string page1 = read_fixture("google_business/locations_page1.json");
  auto first = parse_google_locations(google_locations_call(kAccount), page1, kAccount);
  REQUIRE(first);
  REQUIRE(first->locations.size() == 2);
  CHECK(first->locations[0].id == kTverskaya);
  CHECK(first->locations[0].title == "Кофейня «Ромашка»");
  CHECK(first->locations[0].subject() == "Тверская, 12");
  CHECK(first->locations[0].maps_uri == "https://maps.google.com/maps?cid=9182736450918273645");
  CHECK(first->locations[1].id == kArbat);
  CHECK(first->locations[1].subject() == "Арбат, 24, стр. 1");  // every address line
  REQUIRE(first->next);
  CHECK(first->next->target == google_locations_call(kAccount, "AIe9_BG3kQfzX0p1Wl4mN2bC").target);

  const std::string page2 = read_fixture("google_business/locations_page2.json");
  auto second = parse_google_locations(*first->next, page2, kAccount);
  REQUIRE(second);
  REQUIRE(second->locations.size() == 1);  // the one without a name is left out
  CHECK(second->locations[0].id == kCatering);
  CHECK(second->locations[0].subject() == "Ромашка — кейтеринг");  // no storefront: the title
  CHECK(second->locations[0].maps_uri.empty());
  CHECK_FALSE(second->next);

  auto empty = parse_google_locations(google_locations_call(kAccount), "{}", kAccount);
  REQUIRE(empty);
  CHECK(empty->locations.empty());
  CHECK_FALSE(empty->next);
  CHECK(parse_google_locations(google_locations_call(kAccount), "<html>", kAccount).error().code ==
        make_error_code(errc::parse_failed));
  CHECK(parse_google_locations(google_locations_call(kAccount), R"({"locations": {}})", kAccount).error().code ==
        make_error_code(errc::parse_failed));
}

TEST_CASE("Google Business Profile reviews carry every field, the owner's reply and the location", "[sources][google_business]") {
  const std::string body = read_fixture("google_business/reviews_tverskaya_page1.json");
  auto page = parse_google_reviews(google_reviews_call(kAccount, kTverskaya), input(body), kAccount, tverskaya());
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 3);  // the rating without text is left out
  CHECK(page->page.warnings.empty());

  const Mention& a = page->page.mentions[0];
  CHECK(a.source == "gbp");
  CHECK(a.brand == "romashka");
  CHECK(a.external_id == "gbp:4081234567890123456:AbFvOqm1xKzT0aQ9cR2uYw");
  CHECK(a.url == "https://maps.google.com/maps?cid=9182736450918273645");
  CHECK(a.author == "Алексей Смирнов");
  CHECK(a.author_id.empty());
  CHECK(a.title.empty());
  CHECK(a.subject == "Тверская, 12");
  CHECK(a.text ==
        "Заказал капучино и круассан, ждал 25 минут. Круассан был чёрствый, а кассир нахамил, когда я спросил про заказ.\n"
        "Терминал не принял карту, пришлось переводить по СБП. Больше не приду.");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 21, 7, 42, 18));
  CHECK(a.company_reply.empty());

  const Mention& b = page->page.mentions[1];
  CHECK(b.rating == std::optional<double>(2.0));
  CHECK(b.author == "Марина К.");
  CHECK(b.published == make_utc(2026, 11, 20, 18, 5, 3));  // created, not updated by the reply
  CHECK(b.company_reply ==
        "Здравствуйте, Марина! Спасибо, что написали. Мы поговорили со сменой и добавили уборку зала каждые "
        "полчаса.\nБудем рады угостить вас кофе.");

  const Mention& c = page->page.mentions[2];
  CHECK(c.external_id == "gbp:4081234567890123456:AbFvOqj9GhJk4lZ7xC0vBn");
  CHECK(c.text == "Great coffee, friendly staff. The best oat flat white in the area!");  // the reviewer's words
  CHECK(c.rating == std::optional<double>(5.0));

  REQUIRE(page->next);
  CHECK(page->next->target == google_reviews_call(kAccount, kTverskaya, "CiIKHAoWQWJGdk9xajlHaEprNGxaN3hDMHZCbhAB").target);

  // The last page has no token; an anonymous reviewer has no name.
  const std::string last_body = read_fixture("google_business/reviews_tverskaya_page2.json");
  auto last = parse_google_reviews(*page->next, input(last_body), kAccount, tverskaya());
  REQUIRE(last);
  REQUIRE(last->page.mentions.size() == 2);
  CHECK(last->page.mentions[0].author.empty());
  CHECK(last->page.mentions[0].rating == std::optional<double>(2.0));
  CHECK(last->page.mentions[1].author == "Ольга Ёлкина");
  CHECK(last->page.mentions[1].text == "Уютно, вкусные сырники ☕️🥞 Приду ещё.");
  CHECK_FALSE(last->next);
}

TEST_CASE("Google Business Profile reviews with fields left out", "[sources][google_business]") {
  const std::string body = read_fixture("google_business/reviews_arbat.json");
  GoogleLocation arbat{kArbat, "Кофейня «Ромашка» на Арбате", "Арбат, 24, стр. 1", ""};
  auto page = parse_google_reviews(google_reviews_call(kAccount, kArbat), input(body), kAccount, arbat);
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 2);
  CHECK(page->page.mentions[0].published == make_utc(2026, 11, 19, 20, 11, 9));
  CHECK(page->page.mentions[0].text.find("На письмо никто не ответил 😡") != std::string::npos);
  const Mention& m = page->page.mentions[1];
  CHECK(m.external_id == "gbp:4081234567890123457:AbFvOqd3TyUi7oP0aS9dFg");  // from the name: no reviewId
  CHECK(m.author.empty());                                                    // no reviewer
  CHECK_FALSE(m.rating);                                                      // STAR_RATING_UNSPECIFIED
  CHECK(m.published == make_utc(2026, 11, 17, 8, 0, 0));                      // no createTime: updateTime
  CHECK(m.url.empty());
  CHECK(m.subject == "Арбат, 24, стр. 1");
  CHECK_FALSE(page->next);

  auto empty = parse_google_reviews(google_reviews_call(kAccount, kArbat), input("{}"), kAccount, arbat);
  REQUIRE(empty);
  CHECK(empty->page.mentions.empty());
  CHECK_FALSE(empty->next);
  auto totals_only = parse_google_reviews(google_reviews_call(kAccount, kArbat),
                                          input(R"({"averageRating": 0, "totalReviewCount": 0, "nextPageToken": "x"})"),
                                          kAccount, arbat);
  REQUIRE(totals_only);
  CHECK_FALSE(totals_only->next);  // no reviews on the page: no page after it
  CHECK(parse_google_reviews(google_reviews_call(kAccount, kArbat), input("not json"), kAccount, arbat).error().code ==
        make_error_code(errc::parse_failed));
  CHECK(parse_google_reviews(google_reviews_call(kAccount, kArbat), input(R"({"reviews": "x"})"), kAccount, arbat)
            .error()
            .code == make_error_code(errc::parse_failed));
}

TEST_CASE("Google star ratings and translated comments", "[sources][google_business]") {
  for (auto [value, stars] : {std::pair{"ONE", 1.0}, std::pair{"TWO", 2.0}, std::pair{"THREE", 3.0},
                              std::pair{"FOUR", 4.0}, std::pair{"FIVE", 5.0}}) {
    CAPTURE(value);
    CHECK(google_star_rating(value) == std::optional<double>(stars));
  }
  for (const char* value : {"STAR_RATING_UNSPECIFIED", "", "five", "5"}) CHECK_FALSE(google_star_rating(value));

  struct Case {
    const char* comment;
    const char* text;
  };
  const Case cases[] = {
      {"Всё хорошо", "Всё хорошо"},
      {"(Translated by Google) Good coffee\n\n(Original)\nХороший кофе", "Хороший кофе"},
      {"Хороший кофе\n\n(Translated by Google)\nGood coffee", "Хороший кофе"},
      {"(Original)\nХороший кофе\n\n(Translated by Google)\nGood coffee", "Хороший кофе"},
      {"(Translated by Google) Good coffee", "Good coffee"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.comment);
    CHECK(google_original_text(c.comment) == c.text);
  }
}

TEST_CASE("Google errors read as the API's and the token endpoint's words", "[sources][google_business]") {
  struct Case {
    int status;
    std::string body;
    const char* reason;
  };
  const Case cases[] = {
      {400, read_fixture("google_business/token_invalid_grant.json"), "invalid_grant: Token has been expired or revoked."},
      {401, R"({"error": "invalid_client", "error_description": "Unauthorized"})", "invalid_client: Unauthorized"},
      {403, read_fixture("google_business/error_permission_denied.json"),
       "PERMISSION_DENIED: The caller does not have permission"},
      {429, read_fixture("google_business/error_resource_exhausted.json"),
       "RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service "
       "'mybusiness.googleapis.com' for consumer 'project_number:731122334455'."},
      {500, R"({"error": {"code": 500, "message": "Internal error encountered."}})", "Internal error encountered."},
      {502, "<html><body>Bad Gateway</body></html>", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    CHECK(read_google_error(c.status, c.body) == c.reason);
  }
}

TEST_CASE("Google errors: the wait a RetryInfo detail asks for", "[sources][google_business]") {
  struct Case {
    std::string body;
    std::optional<std::chrono::seconds> wait;
  };
  const std::string error_info =
      R"({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com"})";
  auto with = [&](const std::string& retry) {
    return R"({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED", "details": [)" +
           error_info + (retry.empty() ? "" : ", " + retry) + "]}}";
  };
  const Case cases[] = {
      {with(R"({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "30s"})"), std::chrono::seconds(30)},
      {with(R"({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1.500s"})"), std::chrono::seconds(2)},
      {with(R"({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0s"})"), std::chrono::seconds(0)},
      {with(""), std::nullopt},
      {with(R"({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "soon"})"), std::nullopt},
      {with(R"({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "-5s"})"), std::nullopt},
      {with(R"({"@type": "type.googleapis.com/google.rpc.Help", "retryDelay": "30s"})"), std::nullopt},
      {read_fixture("google_business/error_resource_exhausted.json"), std::nullopt},
      {"not json", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    CHECK(google_retry_delay(c.body) == c.wait);
  }
}

TEST_CASE("Google OAuth: the refresh-token form, a cached token, a new one before expiry", "[sources][google_business][oauth]") {
  TimePoint clock = *make_utc(2026, 11, 23, 12, 0, 0);
  GoogleOAuth auth(oauth_settings(&clock));
  ScriptedHttpClient http;
  http.answers.push_back(json_response(200, read_fixture("google_business/token.json")));
  http.answers.push_back(json_response(
      200, R"({"access_token": "ya29.second-token-abcdef", "expires_in": 3599, "token_type": "Bearer"})"));
  http.answers.push_back(json_response(
      200, R"({"access_token": "ya29.third-token-abcdef", "expires_in": 3599, "token_type": "Bearer"})"));
  auto ctx = api_context(http);

  auto first = test::run_sync(auth.headers(ctx));
  REQUIRE(first);
  CHECK(*first == Headers{{"Authorization", "Bearer ya29.a0AfB_byC-first-access-token-0123456789"}});
  REQUIRE(http.requests.size() == 1);
  const HttpRequest& r = http.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "https://oauth2.example.test/token");
  CHECK(find_header(r.headers, "Content-Type") == std::optional<std::string_view>("application/x-www-form-urlencoded"));
  CHECK(r.body ==
        "grant_type=refresh_token&client_id=731122334455-abcdefghijklmnop.apps.googleusercontent.com"
        "&client_secret=GOCSPX-secret-value-0123456789&refresh_token=1%2F%2F0gRefresh-Token_value%2Fwith%2Bchars");
  CHECK_FALSE(r.follow_redirects);

  // Cached until two minutes before expires_in runs out.
  clock += 57min;
  auto cached = test::run_sync(auth.headers(ctx));
  REQUIRE(cached);
  CHECK(http.requests.size() == 1);
  clock += 1min;  // 58 min of 59:59: inside the margin
  auto renewed = test::run_sync(auth.headers(ctx));
  REQUIRE(renewed);
  CHECK(*renewed == Headers{{"Authorization", "Bearer ya29.second-token-abcdef"}});
  CHECK(http.requests.size() == 2);

  // A 401 from the API forgets the token.
  CHECK(auth.refresh());
  auto after_refresh = test::run_sync(auth.headers(ctx));
  REQUIRE(after_refresh);
  CHECK(*after_refresh == Headers{{"Authorization", "Bearer ya29.third-token-abcdef"}});
  CHECK(auth.tokens_fetched() == 3);

  // Every secret and every token handed out is hidden.
  const auto secrets = auth.secrets();
  for (const char* s : {"GOCSPX-secret-value-0123456789", "1//0gRefresh-Token_value/with+chars",
                        "ya29.a0AfB_byC-first-access-token-0123456789", "ya29.second-token-abcdef",
                        "ya29.third-token-abcdef"}) {
    CAPTURE(s);
    CHECK(std::find(secrets.begin(), secrets.end(), s) != secrets.end());
  }
}

TEST_CASE("Google OAuth: a revoked refresh token is unauthorized with Google's words", "[sources][google_business][oauth]") {
  struct Case {
    HttpResponse answer;
    errc code;
    const char* detail;
  };
  const Case cases[] = {
      {json_response(400, read_fixture("google_business/token_invalid_grant.json")), errc::unauthorized,
       "Google refused the refresh token (HTTP 400): invalid_grant: Token has been expired or revoked."},
      {json_response(401, R"({"error": "invalid_client", "error_description": "The OAuth client was not found."})"),
       errc::unauthorized, "Google refused the refresh token (HTTP 401): invalid_client: The OAuth client was not found."},
      {json_response(503, R"({"error": "temporarily_unavailable"})"), errc::http_status,
       "Google OAuth token endpoint answered HTTP 503: temporarily_unavailable"},
      {json_response(200, R"({"expires_in": 3599})"), errc::protocol_error,
       "Google OAuth token endpoint answered without an access_token"},
      {json_response(200, R"({"access_token": "x", "token_type": "mac"})"), errc::protocol_error,
       "Google OAuth token endpoint answered a token of type \"mac\", not Bearer"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.detail);
    GoogleOAuth auth(oauth_settings(nullptr));
    ScriptedHttpClient http;
    http.answers.push_back(c.answer);
    auto ctx = api_context(http);
    auto headers = test::run_sync(auth.headers(ctx));
    REQUIRE_FALSE(headers);
    CHECK(headers.error().code == make_error_code(c.code));
    CHECK(headers.error().detail == c.detail);
  }
}

TEST_CASE("Google Business Profile client: a 401 refreshes the token once, a revoked one stops", "[sources][google_business][oauth]") {
  set_secret_env();
  auto loaded = load(std::string("account_id = \"112233445566778899001\"\ntoken_url = \"https://oauth2.example.test/token\"\n") +
                     kSecrets);
  REQUIRE(loaded.config);
  BudgetBook budgets;
  auto api = make_google_business_api(loaded.config->sources[0], budgets);
  CHECK(api.reviews.url_of("/v4/x") == "https://mybusiness.googleapis.com/v4/x");
  CHECK(api.info.url_of("/v1/x") == "https://mybusinessbusinessinformation.googleapis.com/v1/x");

  const std::string unauthenticated = read_fixture("google_business/error_unauthenticated.json");
  {
    ScriptedHttpClient http;
    http.answers.push_back(json_response(200, R"({"access_token": "ya29.one", "expires_in": 3599, "token_type": "Bearer"})"));
    http.answers.push_back(json_response(401, unauthenticated));
    http.answers.push_back(json_response(200, R"({"access_token": "ya29.two", "expires_in": 3599, "token_type": "Bearer"})"));
    http.answers.push_back(json_response(200, "{}"));
    auto ctx = api_context(http);
    auto answer = test::run_sync(api.reviews.call(ctx, google_reviews_call(kAccount, kTverskaya)));
    REQUIRE(answer);
    REQUIRE(http.requests.size() == 4);
    CHECK(http.requests[0].url == "https://oauth2.example.test/token");
    CHECK(http.requests[1].url == "https://mybusiness.googleapis.com" + std::string(kReviews1));
    CHECK(find_header(http.requests[1].headers, "Authorization") == std::optional<std::string_view>("Bearer ya29.one"));
    CHECK(http.requests[2].url == "https://oauth2.example.test/token");
    CHECK(find_header(http.requests[3].headers, "Authorization") == std::optional<std::string_view>("Bearer ya29.two"));
  }
  {
    // The API refuses the cached token; the token endpoint says the refresh token is revoked.
    ScriptedHttpClient http;
    http.answers.push_back(json_response(401, unauthenticated));
    http.answers.push_back(json_response(400, read_fixture("google_business/token_invalid_grant.json")));
    auto ctx = api_context(http);
    auto answer = test::run_sync(api.reviews.call(ctx, google_reviews_call(kAccount, kTverskaya)));
    REQUIRE_FALSE(answer);
    CHECK(answer.error().code == make_error_code(errc::unauthorized));
    CHECK(answer.error().detail.find("Token has been expired or revoked.") != std::string::npos);
    CHECK(http.requests.size() == 2);
    CHECK(find_header(http.requests[0].headers, "Authorization") == std::optional<std::string_view>("Bearer ya29.two"));
  }
  {
    // Twice 401 with a fresh token: refused, with the API's words and no token in them.
    ScriptedHttpClient http;
    http.answers.push_back(json_response(200, R"({"access_token": "ya29.three", "expires_in": 3599})"));
    http.answers.push_back(json_response(401, unauthenticated));
    http.answers.push_back(json_response(200, R"({"access_token": "ya29.four", "expires_in": 3599})"));
    http.answers.push_back(json_response(401, R"({"error": {"code": 401, "message": "bad token ya29.four", "status": "UNAUTHENTICATED"}})"));
    auto ctx = api_context(http);
    auto answer = test::run_sync(api.reviews.call(ctx, google_reviews_call(kAccount, kTverskaya)));
    REQUIRE_FALSE(answer);
    CHECK(answer.error().code == make_error_code(errc::unauthorized));
    CHECK(answer.error().detail == "Google Business Profile refused the credentials (HTTP 401): UNAUTHENTICATED: bad token ***");
    CHECK(http.requests.size() == 4);
  }
}

TEST_CASE("google_business in the config: the API base, the pace, the secrets, and mistakes", "[sources][google_business][config]") {
  set_secret_env();
  {
    auto loaded = load(std::string("account_id = \"112233445566778899001\"\nlocation_ids = [\"4081234567890123456\", 4081234567890123457]\n") +
                       kSecrets);
    INFO(problems(loaded));
    REQUIRE(loaded.config);
    const SourceConfig& s = loaded.config->sources[0];
    CHECK(s.url == "https://mybusiness.googleapis.com");
    CHECK(s.interval == 20min);
    CHECK(s.label == "Google · gbp");
    REQUIRE(s.secrets.size() == 3);
    const auto* type = registry().find("google_business");
    REQUIRE(type != nullptr);
    CHECK(type->secrets.size() == 3);
  }
  {
    auto loaded = load(std::string("account_id = \"112233445566778899001\"\nlocation_ids = \"4081234567890123456, locations/4081234567890123457\"\nmax_pages = 5\nurl = \"http://127.0.0.1:9/\"\n") +
                       kSecrets);
    INFO(problems(loaded));
    REQUIRE(loaded.config);
    CHECK(loaded.config->sources[0].url == "http://127.0.0.1:9/");
  }
  struct Case {
    std::string keys;
    const char* key;
    const char* message;
  };
  const Case cases[] = {
      {kSecrets, "source[\"gbp\"].account_id",
       "is required for source type \"google_business\" (the Business Profile account id, the number in accounts/ID)"},
      {std::string("url = \"http://127.0.0.1:9\"\n") + kSecrets, "source[\"gbp\"].account_id",
       "is required for source type \"google_business\" (the Business Profile account id, the number in accounts/ID)"},
      {std::string("account_id = \"accounts/1\"\n") + kSecrets, "source[\"gbp\"].account_id",
       "expected digits only, got \"accounts/1\""},
      {std::string("account_id = \"1\"\nlocation_ids = \"12, x9\"\n") + kSecrets, "source[\"gbp\"].location_ids",
       "expected digits only, got \"x9\""},
      {std::string("account_id = \"1\"\nlocation_ids = []\n") + kSecrets, "source[\"gbp\"].location_ids",
       "names no location (leave it out to read every location)"},
      {std::string("account_id = \"1\"\nplace_id = \"x\"\n") + kSecrets, "source[\"gbp\"].place_id",
       "unknown key for source type \"google_business\" (known: account_id, location_ids, token_url, max_pages)"},
      {std::string("account_id = \"1\"\nmax_pages = 21\n") + kSecrets, "source[\"gbp\"].max_pages",
       "expected an integer from 1 to 20"},
      {std::string("account_id = \"1\"\ntoken_url = \"ftp://x\"\n") + kSecrets, "source[\"gbp\"].token_url",
       "expected an http(s) URL"},
      {"account_id = \"1\"\nclient_id = \"env:OTKLIK_GBP_CLIENT_ID\"\nclient_secret = \"GOCSPX-literal\"\n"
       "refresh_token = \"env:OTKLIK_GBP_REFRESH_TOKEN\"",
       "source[\"gbp\"].client_secret", "must be a secret reference (env:NAME or file:PATH), not the value itself"},
      {"account_id = \"1\"\nclient_id = \"env:OTKLIK_GBP_CLIENT_ID\"\nclient_secret = \"env:OTKLIK_GBP_CLIENT_SECRET\"",
       "source[\"gbp\"].refresh_token", nullptr},
  };
  for (const auto& c : cases) {
    CAPTURE(c.keys);
    const auto loaded = load(c.keys);
    INFO(problems(loaded));
    CHECK_FALSE(loaded.config);
    const auto it = std::find_if(loaded.problems.begin(), loaded.problems.end(),
                                 [&](const ConfigProblem& p) { return p.key == c.key && !p.warning; });
    REQUIRE(it != loaded.problems.end());
    if (c.message != nullptr) CHECK(it->message == c.message);
  }
}

TEST_CASE("google_business polls every location, pages on, and keeps a cursor per location", "[sources][google_business][poll]") {
  set_secret_env();
  auto loaded = load(std::string("account_id = \"112233445566778899001\"\nurl = \"http://api.example.test\"\n"
                                 "token_url = \"http://api.example.test/token\"\nalert_max_age = \"48h\"\n") +
                     kSecrets);
  INFO(problems(loaded));
  REQUIRE(loaded.config);
  auto source = registry().create(loaded.config->sources[0]);

  const std::string locations = "/v1/accounts/112233445566778899001/locations?readMask=name,title,storefrontAddress,metadata.mapsUri&pageSize=100";
  const std::string reviews = "/v4/accounts/112233445566778899001/locations/";
  const std::string order = "/reviews?pageSize=50&orderBy=updateTime%20desc";
  RoutedHttpClient http;
  http.routes["/token"] = json_response(200, read_fixture("google_business/token.json"));
  http.routes[locations] = json_response(200, read_fixture("google_business/locations_page1.json"));
  http.routes[locations + "&pageToken=AIe9_BG3kQfzX0p1Wl4mN2bC"] =
      json_response(200, read_fixture("google_business/locations_page2.json"));
  http.routes[reviews + kTverskaya + order] = json_response(200, read_fixture("google_business/reviews_tverskaya_page1.json"));
  http.routes[reviews + kTverskaya + order + "&pageToken=CiIKHAoWQWJGdk9xajlHaEprNGxaN3hDMHZCbhAB"] =
      json_response(200, read_fixture("google_business/reviews_tverskaya_page2.json"));
  http.routes[reviews + kArbat + order] = json_response(200, read_fixture("google_business/reviews_arbat.json"));
  http.routes[reviews + kCatering + order] = json_response(200, "{}");

  const TimePoint now = *make_utc(2026, 11, 23, 12, 0, 0);
  SourceState state;
  auto first = test::run_sync(source->poll(PollContext{http, state, now, "otklik-test"}));
  REQUIRE(first);
  CHECK(first->warnings.empty());
  CHECK(http.targets() == std::vector<std::string>{"/token", locations, locations + "&pageToken=AIe9_BG3kQfzX0p1Wl4mN2bC",
                                                   reviews + kTverskaya + order, reviews + kArbat + order,
                                                   reviews + kCatering + order});
  for (std::size_t i = 1; i < http.requests.size(); ++i)
    CHECK(find_header(http.requests[i].headers, "Authorization") ==
          std::optional<std::string_view>("Bearer ya29.a0AfB_byC-first-access-token-0123456789"));
  REQUIRE(first->mentions.size() == 5);  // one page per location on the first poll
  CHECK(first->mentions[0].subject == "Тверская, 12");
  CHECK(first->mentions[3].subject == "Арбат, 24, стр. 1");
  const auto seen = seen_ids(first->cursor);
  CHECK(seen.size() == 5);
  CHECK(seen.contains("gbp:4081234567890123457:AbFvOqf8ZxCv1bN4mQ7wEr"));

  // Later: page 1 of Тверская holds only new reviews, so page 2 is read; the list of locations is kept.
  std::string fresh = read_fixture("google_business/reviews_tverskaya_page1.json");
  for (auto [from, to] : {std::pair{"AbFvOqm1xKzT0aQ9cR2uYw", "AbFvOqm1xKzT0aQ9cR2uY1"},
                          std::pair{"AbFvOqn7LmWp3sE8dH5gZq", "AbFvOqn7LmWp3sE8dH5gZ1"},
                          std::pair{"AbFvOqj9GhJk4lZ7xC0vBn", "AbFvOqj9GhJk4lZ7xC0vB1"}})
    test::replace_all(fresh, from, to);
  http.routes[reviews + kTverskaya + order] = json_response(200, fresh);
  http.requests.clear();
  state.cursor = first->cursor;
  state.polls = 1;
  auto second = test::run_sync(source->poll(PollContext{http, state, now + 20min, "otklik-test"}));
  REQUIRE(second);
  CHECK(http.targets() == std::vector<std::string>{reviews + kTverskaya + order,
                                                   reviews + kTverskaya + order +
                                                       "&pageToken=CiIKHAoWQWJGdk9xajlHaEprNGxaN3hDMHZCbhAB",
                                                   reviews + kArbat + order, reviews + kCatering + order});
  CHECK(second->mentions.size() == 7);
  const auto seen2 = seen_ids(second->cursor);
  CHECK(seen2.contains("gbp:4081234567890123456:AbFvOqm1xKzT0aQ9cR2uY1"));
  CHECK(seen2.contains("gbp:4081234567890123456:AbFvOqg1QwEr5tY8uI2oPa"));

  // A location that fails is reported and keeps its ids in the cursor; the others are read. A
  // 403 about one location (the account no longer manages it) is such a failure too.
  for (auto [status, body, reason] :
       {std::tuple{500, std::string(R"({"error": {"code": 500, "message": "Internal error encountered.", "status": "INTERNAL"}})"),
                   "INTERNAL: Internal error encountered."},
        std::tuple{403, read_fixture("google_business/error_permission_denied.json"),
                   "PERMISSION_DENIED: The caller does not have permission"}}) {
    CAPTURE(status);
    http.routes[reviews + kArbat + order] = json_response(status, body);
    state.cursor = second->cursor;
    auto third = test::run_sync(source->poll(PollContext{http, state, now + 40min, "otklik-test"}));
    REQUIRE(third);
    REQUIRE(third->warnings.size() == 1);
    CHECK(third->warnings[0].find("location 4081234567890123457 (Арбат, 24, стр. 1): not read") == 0);
    CHECK(third->warnings[0].find(reason) != std::string::npos);
    CHECK(seen_ids(third->cursor).contains("gbp:4081234567890123457:AbFvOqf8ZxCv1bN4mQ7wEr"));
    CHECK(seen_ids(third->cursor).contains("gbp:4081234567890123456:AbFvOqm1xKzT0aQ9cR2uY1"));
  }
  // Every location refusing: the poll fails as refused credentials.
  {
    const auto denied = json_response(403, read_fixture("google_business/error_permission_denied.json"));
    for (const char* location : {kTverskaya, kArbat, kCatering}) http.routes[reviews + location + order] = denied;
    auto refused = test::run_sync(source->poll(PollContext{http, state, now + 50min, "otklik-test"}));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == make_error_code(errc::unauthorized));
    CHECK(refused.error().detail.find("PERMISSION_DENIED") != std::string::npos);
    http.routes[reviews + kArbat + order] = json_response(200, read_fixture("google_business/reviews_arbat.json"));
    http.routes[reviews + kCatering + order] = json_response(200, "{}");
  }

  // A revoked refresh token ends the poll as unauthorized.
  http.routes[reviews + kTverskaya + order] = json_response(401, read_fixture("google_business/error_unauthenticated.json"));
  http.routes["/token"] = json_response(400, read_fixture("google_business/token_invalid_grant.json"));
  auto fourth = test::run_sync(source->poll(PollContext{http, state, now + 60min, "otklik-test"}));
  REQUIRE_FALSE(fourth);
  CHECK(fourth.error().code == make_error_code(errc::unauthorized));
  CHECK(fourth.error().detail.find("invalid_grant: Token has been expired or revoked.") != std::string::npos);
}

TEST_CASE("google_business: location_ids narrow the account, a new location starts as a baseline", "[sources][google_business][poll]") {
  set_secret_env();
  auto loaded = load(std::string("account_id = \"112233445566778899001\"\nurl = \"http://api.example.test\"\n"
                                 "token_url = \"http://api.example.test/token\"\nlocation_ids = \"4081234567890123457\"\n") +
                     kSecrets);
  REQUIRE(loaded.config);
  auto source = registry().create(loaded.config->sources[0]);
  const std::string locations = "/v1/accounts/112233445566778899001/locations?readMask=name,title,storefrontAddress,metadata.mapsUri&pageSize=100";
  const std::string order = "/reviews?pageSize=50&orderBy=updateTime%20desc";
  const std::string arbat = "/v4/accounts/112233445566778899001/locations/4081234567890123457" + order;
  RoutedHttpClient http;
  http.routes["/token"] = json_response(200, read_fixture("google_business/token.json"));
  http.routes[locations] = json_response(200, R"({"locations": [{"name": "locations/4081234567890123457", "title": "Арбат"}]})");
  http.routes[arbat] = json_response(200, read_fixture("google_business/reviews_arbat.json"));

  // The cursor knows other locations only: Арбат is new, its old reviews are the baseline.
  SourceState state;
  state.polls = 3;
  state.cursor = R"({"seen": ["gbp:4081234567890123456:AbFvOqm1xKzT0aQ9cR2uYw"]})";
  const TimePoint now = *make_utc(2026, 11, 20, 12, 0, 0);  // 16 h after the newest review of Арбат
  auto polled = test::run_sync(source->poll(PollContext{http, state, now, "otklik-test"}));
  REQUIRE(polled);
  CHECK(http.targets() == std::vector<std::string>{"/token", locations, arbat});
  REQUIRE(polled->mentions.size() == 1);  // within alert_max_age (48 h); the one from the 17th is older
  CHECK(polled->mentions[0].external_id == "gbp:4081234567890123457:AbFvOqf8ZxCv1bN4mQ7wEr");
  CHECK(polled->mentions[0].subject == "Арбат");  // no address: the title
  const auto seen = seen_ids(polled->cursor);
  CHECK(seen.contains("gbp:4081234567890123457:AbFvOqd3TyUi7oP0aS9dFg"));  // both kept as seen
  CHECK_FALSE(seen.contains("gbp:4081234567890123456:AbFvOqm1xKzT0aQ9cR2uYw"));  // not a location of this source
}
