// The official-API client and the paged walk (sources/api/): statuses, 429 waits, refused keys,
// the request budget, and the walk's stopping rule; against a scripted HTTP client.
#include "sources/api/api_client.hpp"
#include "sources/api/api_walk.hpp"
#include "sources/api/request_budget.hpp"
#include "sources/generic/paged_poll.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/scripted_http.hpp"

#include <boost/json.hpp>

#include <catch2/catch.hpp>

#include <deque>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

using ScriptedHttp = test::ScriptedHttpClient;

HttpResponse answer(int status, std::string body, Headers headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

/// A token that can be renewed once: "old-token-…" first, "new-token-…" after refresh().
class RenewableAuth final : public ApiAuth {
 public:
  int refreshes = 0;
  boost::asio::awaitable<Result<Headers>> headers(ApiContext&) override {
    co_return Headers{{"Authorization", "Bearer " + token()}};
  }
  bool refresh() override {
    ++refreshes;
    return refreshes == 1;
  }
  [[nodiscard]] std::vector<std::string> secrets() const override { return {token()}; }
  [[nodiscard]] std::string token() const { return refreshes == 0 ? "old-token-0123456789" : "new-token-0123456789"; }
};

ApiClientOptions options(std::string base = "https://api.example.test/") {
  ApiClientOptions o;
  o.site = "Example";
  o.base_url = std::move(base);
  o.retry_headers = {"X-Ratelimit-Retry", "Retry-After"};
  return o;
}

Result<HttpResponse> call(ApiClient& client, HttpClient& http, ApiCall c) {
  return test::run_sync([&]() -> boost::asio::awaitable<Result<HttpResponse>> {
    ApiContext ctx{http, SystemClock::now(), "", std::nullopt};
    co_return co_await client.call(ctx, std::move(c));
  }());
}

}  // namespace

TEST_CASE("API client: base URL, auth headers, JSON body and a 2xx answer", "[sources][api]") {
  ScriptedHttp http;
  http.answers.push_back(answer(200, R"({"ok":true})"));
  ApiClient client(options(), std::make_shared<StaticHeadersAuth>(Headers{{"Authorization", "key-abcdefghijklmnop"}}));
  auto r = call(client, http, ApiCall{"POST", "/v1/review/list", R"({"limit":20})", {}});
  REQUIRE(r);
  CHECK(r->body == R"({"ok":true})");
  REQUIRE(http.requests.size() == 1);
  const HttpRequest& q = http.requests[0];
  CHECK(q.method == "POST");
  CHECK(q.url == "https://api.example.test/v1/review/list");
  CHECK(q.body == R"({"limit":20})");
  CHECK(find_header(q.headers, "Authorization") == std::optional<std::string_view>("key-abcdefghijklmnop"));
  CHECK(find_header(q.headers, "Content-Type") == std::optional<std::string_view>("application/json"));
  CHECK(find_header(q.headers, "Accept") == std::optional<std::string_view>("application/json"));
  CHECK_FALSE(q.follow_redirects);
  CHECK(q.configured_url == "https://api.example.test");
  CHECK(client.url_of("https://other.example.test/x") == "https://other.example.test/x");
  CHECK(client.url_of("v1/x") == "https://api.example.test/v1/x");
}

TEST_CASE("API client: a refused key is 'unauthorized' with the API's reason, and the key is hidden", "[sources][api]") {
  ScriptedHttp http;
  // The API echoes the key it refused: it must not reach a log.
  http.answers.push_back(answer(401, R"({"title":"unauthorized","detail":"token key-abcdefghijklmnop expired"})"));
  ApiClient client(options(), std::make_shared<StaticHeadersAuth>(Headers{{"Authorization", "key-abcdefghijklmnop"}}));
  auto r = call(client, http, ApiCall{"GET", "/api/v1/feedbacks?take=10", "", {}});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == make_error_code(errc::unauthorized));
  CHECK(r.error().http_status == 401);
  CHECK(r.error().detail == "Example refused the credentials (HTTP 401): token *** expired");
  CHECK(http.requests.size() == 1);  // a fixed key is not tried twice
}

TEST_CASE("API client: a 401 renews a renewable token once", "[sources][api]") {
  ScriptedHttp http;
  http.answers.push_back(answer(401, R"({"error":{"message":"Request had invalid authentication credentials."}})"));
  http.answers.push_back(answer(200, "{}"));
  auto auth = std::make_shared<RenewableAuth>();
  ApiClient client(options(), auth);
  auto r = call(client, http, ApiCall{"GET", "/v4/x", "", {}});
  REQUIRE(r);
  REQUIRE(http.requests.size() == 2);
  CHECK(find_header(http.requests[0].headers, "Authorization") == std::optional<std::string_view>("Bearer old-token-0123456789"));
  CHECK(find_header(http.requests[1].headers, "Authorization") == std::optional<std::string_view>("Bearer new-token-0123456789"));

  // Refused again after renewing: unauthorized, with Google's message.
  http.answers.push_back(answer(401, R"({"error":{"message":"Request had invalid authentication credentials."}})"));
  http.answers.push_back(answer(401, R"({"error":{"message":"Request had invalid authentication credentials."}})"));
  auto again = call(client, http, ApiCall{"GET", "/v4/x", "", {}});
  REQUIRE_FALSE(again);
  CHECK(again.error().code == make_error_code(errc::unauthorized));
  CHECK(again.error().detail.ends_with(": Request had invalid authentication credentials."));
}

TEST_CASE("API client: a 429 is waited out as its header asks, a long wait ends the call", "[sources][api]") {
  ScriptedHttp http;
  http.answers.push_back(answer(429, R"({"title":"too many requests"})", {{"X-Ratelimit-Retry", "1"}, {"Retry-After", "30"}}));
  http.answers.push_back(answer(200, "[]"));
  auto budget = std::make_shared<RequestBudget>(BudgetLimit{10, 1s});
  ApiClientOptions o = options();
  o.budget = budget;
  ApiClient client(o, nullptr);
  auto r = call(client, http, ApiCall{"GET", "/a", "", {}});
  REQUIRE(r);
  REQUIRE(http.times.size() == 2);
  CHECK(http.times[1] - http.times[0] >= 950ms);  // X-Ratelimit-Retry (1 s) wins over Retry-After

  http.answers.push_back(answer(429, "", {{"Retry-After", "3600"}}));
  auto limited = call(client, http, ApiCall{"GET", "/a", "", {}});
  REQUIRE_FALSE(limited);
  CHECK(limited.error().code == make_error_code(errc::rate_limited));
  CHECK(limited.error().retry_after == std::chrono::seconds(3600));
  CHECK(http.requests.size() == 3);  // not called again within the poll
}

TEST_CASE("API client: a 429 without a retry header waits as its body asks, when the API says so there", "[sources][api]") {
  ScriptedHttp http;
  http.answers.push_back(answer(429, R"({"wait": 1})"));
  http.answers.push_back(answer(200, "{}"));
  ApiClientOptions o = options();
  o.default_wait = std::chrono::seconds(30);  // would end the call: more than max_wait below
  o.max_wait = std::chrono::seconds(5);
  o.retry_from_body = [](std::string_view body) -> std::optional<std::chrono::seconds> {
    if (body == R"({"wait": 1})") return std::chrono::seconds(1);
    return std::nullopt;
  };
  ApiClient client(o, nullptr);
  auto r = call(client, http, ApiCall{"GET", "/a", "", {}});
  REQUIRE(r);
  REQUIRE(http.times.size() == 2);
  CHECK(http.times[1] - http.times[0] >= 950ms);

  http.answers.push_back(answer(429, "{}"));
  auto limited = call(client, http, ApiCall{"GET", "/a", "", {}});
  REQUIRE_FALSE(limited);
  CHECK(limited.error().retry_after == std::chrono::seconds(30));  // the default, beyond max_wait
}

TEST_CASE("API client: other statuses name the API's reason, never the key", "[sources][api]") {
  ScriptedHttp http;
  http.answers.push_back(answer(400, R"({"code":3,"message":"invalid last_id","details":[]})"));
  http.answers.push_back(answer(503, "<html><body>Service Unavailable</body></html>", {{"Retry-After", "120"}}));
  http.answers.push_back(Failure(errc::timeout, "read from api.example.test"));
  ApiClient client(options(), std::make_shared<StaticHeadersAuth>(Headers{{"Api-Key", "secret-abcdefghijkl"}}));
  auto bad = call(client, http, ApiCall{"POST", "/v1/review/list", "{}", {}});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == make_error_code(errc::http_status));
  CHECK(bad.error().http_status == 400);
  CHECK(bad.error().detail == "Example answered HTTP 400 to POST https://api.example.test/v1/review/list: invalid last_id");
  auto down = call(client, http, ApiCall{"GET", "/x", "", {}});
  REQUIRE_FALSE(down);
  CHECK(down.error().http_status == 503);
  CHECK(down.error().retry_after == std::chrono::seconds(120));
  CHECK(down.error().transient());
  auto slow = call(client, http, ApiCall{"GET", "/x", "", {}});
  REQUIRE_FALSE(slow);
  CHECK(slow.error().code == make_error_code(errc::timeout));
}

TEST_CASE("API error bodies: the reason in each common shape", "[sources][api]") {
  struct Case {
    std::string body;
    std::string reason;
  };
  const std::vector<Case> cases{
      {R"({"errorText":"Недопустимый токен"})", "Недопустимый токен"},
      {R"({"error":"invalid_grant","error_description":"Token has been expired or revoked."})",
       "Token has been expired or revoked."},
      {R"({"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}})",
       "The caller does not have permission"},
      {R"({"errors":[{"status":"401","code":"NOT_AUTHORIZED","title":"Authentication credentials are missing or invalid.","detail":"Provide a properly configured and signed bearer token."}]})",
       "Provide a properly configured and signed bearer token."},
      {R"({"status":"ERROR","errors":[{"code":"UNAUTHORIZED","message":"Api-Key is invalid"}]})", "Api-Key is invalid"},
      {R"({"code":7,"message":"Premium Plus subscription required","details":[]})", "Premium Plus subscription required"},
      {R"({"unrelated":1})", ""},
      {"<html>bad gateway</html>", ""},
      {"upstream\nconnect error", "upstream connect error"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    CHECK(reason_from_json_body(400, c.body) == c.reason);
  }
  CHECK(reason_from_json_body(400, R"({"message":")" + std::string(1000, 'x') + R"("})").size() == 300 + std::string("…").size());
}

TEST_CASE("Request budget: calls spread to keep N per period, and a hold pauses them", "[sources][api]") {
  using C = RequestBudget::Clock;
  RequestBudget budget(BudgetLimit{3, 1s});
  const C::time_point t0{};
  std::vector<C::time_point> slots;
  for (int i = 0; i < 7; ++i) slots.push_back(budget.reserve(t0));
  const std::vector<C::time_point> expected{t0, t0, t0, t0 + 1s, t0 + 1s, t0 + 1s, t0 + 2s};
  CHECK(slots == expected);
  // Later calls that find the window free go at once.
  CHECK(budget.reserve(t0 + 10s) == t0 + 10s);
  budget.hold_until(t0 + 20s);
  CHECK(budget.reserve(t0 + 11s) == t0 + 20s);

  RequestBudget one(BudgetLimit{1, 200ms});
  CHECK(one.reserve(t0) == t0);
  CHECK(one.reserve(t0 + 50ms) == t0 + 200ms);
  CHECK(one.reserve(t0 + 50ms) == t0 + 400ms);

  BudgetBook book;
  auto a = book.budget("wb", "key-1", {3, 1s});
  CHECK(book.budget("wb", "key-1", {3, 1s}) == a);  // one key, one budget
  CHECK(book.budget("wb", "key-2", {3, 1s}) != a);
  CHECK(book.budget("ozon", "key-1", {3, 1s}) != a);
}

namespace {

/// A site with pages "?page=N" of two reviews each, ids r{2N-1}, r{2N}; page 3 is the last.
Result<ApiPage> parse_numbered(const ApiCall& sent, const ParseInput& in) {
  const auto v = boost::json::parse(in.body);
  ApiPage page;
  for (const auto& id : v.at("ids").as_array()) {
    Mention m;
    m.external_id = std::string(id.as_string());
    m.text = "text";
    m.source = in.source;
    page.page.mentions.push_back(m);
  }
  const int n = static_cast<int>(v.at("page").as_int64());
  if (n < 3) page.next = ApiCall{"GET", "/list?page=" + std::to_string(n + 1), "", {}};
  (void)sent;
  return page;
}

HttpResponse numbered_page(int n) {
  return answer(200, "{\"page\":" + std::to_string(n) + ",\"ids\":[\"r" + std::to_string(2 * n - 1) + "\",\"r" +
                         std::to_string(2 * n) + "\"]}");
}

Result<WalkResult> walk(ScriptedHttp& http, const std::set<std::string>& seen, int max_pages) {
  ApiClient client(options(), nullptr);
  WalkSettings settings;
  settings.source = "shop";
  settings.max_pages = max_pages;
  settings.what = "unanswered";
  return test::run_sync([&]() -> boost::asio::awaitable<Result<WalkResult>> {
    ApiContext ctx{http, SystemClock::now(), "", std::nullopt};
    // A named call: GCC 12 destroys a braced temporary in a co_await expression twice.
    const ApiCall first{"GET", "/list?page=1", "", {}};
    co_return co_await walk_pages(client, ctx, settings, first, parse_numbered, seen);
  }());
}

std::vector<std::string> ids(const WalkResult& w) {
  std::vector<std::string> out;
  for (const auto& m : w.mentions) out.push_back(m.external_id);
  return out;
}

}  // namespace

TEST_CASE("API walk: first poll one page, later polls down to the reviews seen, limits and failures", "[sources][api]") {
  SECTION("nothing seen yet: one page") {
    ScriptedHttp http;
    http.answers.push_back(numbered_page(1));
    auto w = walk(http, {}, 5);
    REQUIRE(w);
    CHECK(ids(*w) == std::vector<std::string>{"r1", "r2"});
    CHECK(w->complete);
  }
  SECTION("reads on until a page holds a review seen last time") {
    ScriptedHttp http;
    for (int n = 1; n <= 2; ++n) http.answers.push_back(numbered_page(n));
    auto w = walk(http, {"r4", "r5"}, 5);
    REQUIRE(w);
    CHECK(ids(*w) == std::vector<std::string>{"r1", "r2", "r3", "r4"});
    CHECK(http.requests.back().url == "https://api.example.test/list?page=2");
  }
  SECTION("the last page ends the walk") {
    ScriptedHttp http;
    for (int n = 1; n <= 3; ++n) http.answers.push_back(numbered_page(n));
    auto w = walk(http, {"old"}, 5);
    REQUIRE(w);
    CHECK(w->pages == 3);
    CHECK(w->warnings.empty());
  }
  SECTION("max_pages stops it with a warning") {
    ScriptedHttp http;
    for (int n = 1; n <= 2; ++n) http.answers.push_back(numbered_page(n));
    auto w = walk(http, {"old"}, 2);
    REQUIRE(w);
    CHECK(w->pages == 2);
    REQUIRE(w->warnings.size() == 1);
    CHECK(w->warnings[0].starts_with("unanswered: stopped after 2 pages (max_pages)"));
    CHECK(w->complete);
  }
  SECTION("a later page that fails keeps what was read and marks the walk incomplete") {
    ScriptedHttp http;
    http.answers.push_back(numbered_page(1));
    http.answers.push_back(answer(500, R"({"message":"internal"})"));
    auto w = walk(http, {"old"}, 5);
    REQUIRE(w);
    CHECK(ids(*w) == std::vector<std::string>{"r1", "r2"});
    CHECK_FALSE(w->complete);
    REQUIRE(w->warnings.size() == 1);
    CHECK(w->warnings[0].find("page 2 not read") != std::string::npos);
  }
  SECTION("a first page that fails is the walk's failure") {
    ScriptedHttp http;
    http.answers.push_back(answer(401, R"({"message":"bad key"})"));
    auto w = walk(http, {"old"}, 5);
    REQUIRE_FALSE(w);
    CHECK(w.error().code == make_error_code(errc::unauthorized));
  }
}

TEST_CASE("API walk: one cursor for several walks keeps the newest ids of each", "[sources][api]") {
  std::vector<Mention> a(150), b(3);
  for (std::size_t i = 0; i < a.size(); ++i) a[i].external_id = "a" + std::to_string(i);
  for (std::size_t i = 0; i < b.size(); ++i) b[i].external_id = "b" + std::to_string(i);
  const auto seen = seen_ids(make_walks_cursor({&a, &b}));
  CHECK(seen.size() == kCursorIds + 3);
  CHECK(seen.contains("a0"));
  CHECK(seen.contains("a99"));
  CHECK_FALSE(seen.contains("a100"));
  CHECK(seen.contains("b2"));
  CHECK(make_walks_cursor({}).empty());
}
