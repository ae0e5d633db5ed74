// The developer's responses to App Store reviews: the review found from the mention, the exact
// read and create requests (path, query, method, the ES256 JWT, the JSON:API body), the response
// read back in either state, the local length refusal, and Apple's refusals as the client reports them.
#include "sources/app_store_connect/app_store_connect_reply.hpp"
#include "sources/generic/dates.hpp"
#include "sources/source.hpp"
#include "tests/support/es256_jwt.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/scripted_http.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace otklik;
using otklik::test::json_answer;
using otklik::test::read_fixture;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kKeyId = "TEST2K7Q9Z";
constexpr const char* kIssuer = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";
constexpr const char* kReviewId = "00000042-b08c-0014-5a1e-0c1d00000003";
constexpr const char* kReadUrl =
    "https://api.appstoreconnect.apple.com/v1/customerReviews/00000042-b08c-0014-5a1e-0c1d00000003"
    "?include=response&fields%5BcustomerReviews%5D=response"
    "&fields%5BcustomerReviewResponses%5D=responseBody,lastModifiedDate,state";
constexpr const char* kPostUrl = "https://api.appstoreconnect.apple.com/v1/customerReviewResponses";

SourceConfig asc_config() {
  SourceConfig c;
  c.name = "asc";
  c.type = "app_store_connect";
  c.brand = "rocketbank";
  c.url = "https://api.appstoreconnect.apple.com";
  c.options.insert("app_id", "1492000001");
  c.options.insert("issuer_id", kIssuer);
  c.options.insert("key_id", kKeyId);
  c.secrets.emplace_back("private_key",
                         Secret("file:AuthKey_TEST2K7Q9Z.p8", read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.p8")));
  return c;
}

Mention review(std::string external_id = std::string("asc:") + kReviewId) {
  Mention m;
  m.external_id = std::move(external_id);
  m.url = "https://appstoreconnect.apple.com/apps/1492000001/distribution/activity/ios/ratingsResponses";
  return m;
}

std::unique_ptr<ReplyPoster> replier() {
  // A registry of its own: a budget held by one case's 429 must not slow the next case.
  const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto poster = registry.create_replier(asc_config());
  REQUIRE(poster != nullptr);
  return poster;
}

ApiContext context(HttpClient& http) {
  return ApiContext{http, SystemClock::now(), "otklik-test", {}};
}

std::string header(const HttpRequest& r, std::string_view name) {
  return std::string(find_header(r.headers, name).value_or("-"));
}

/// "" when the request carries a JWT of the test key that Apple would take; why not otherwise.
std::string token_problem(const HttpRequest& r) {
  const std::string auth = header(r, "Authorization");
  if (!auth.starts_with("Bearer ")) return "no bearer token";
  const auto check = test::check_es256_jwt(auth.substr(7), read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.pub.pem"));
  if (!check.ok) return check.why;
  const auto* kid = check.header.if_contains("kid");
  const auto* iss = check.payload.if_contains("iss");
  const auto* aud = check.payload.if_contains("aud");
  if (kid == nullptr || *kid != kKeyId) return "kid";
  if (iss == nullptr || *iss != kIssuer) return "iss";
  if (aud == nullptr || *aud != "appstoreconnect-v1") return "aud";
  return {};
}

std::string review_document(const std::string& response_link, const std::string& included) {
  return R"({"data": {"type": "customerReviews", "id": "00000042-b08c-0014-5a1e-0c1d00000003",
             "relationships": {"response": {"data": )" +
         response_link + R"(}}}, "included": [)" + included + "]}";
}

constexpr const char* kLink = R"({"type": "customerReviewResponses", "id": "6a1c9e4f-0003"})";
constexpr const char* kPending = R"({"type": "customerReviewResponses", "id": "6a1c9e4f-0003",
    "attributes": {"responseBody": "Айдар, комиссию вернули.", "lastModifiedDate": "2026-11-19T10:02:00-08:00",
                   "state": "PENDING_PUBLISH"}})";

}  // namespace

TEST_CASE("App Store Connect review ids from the mention's external id", "[app_store_connect_reply]") {
  CHECK(asc_review_id("asc:00000042-b08c") == std::optional<std::string>("00000042-b08c"));
  for (const char* bad : {"", "asc:", "gbp:1:2", "00000042", "ASC:1"}) {
    CAPTURE(bad);
    CHECK_FALSE(asc_review_id(bad));
  }
}

TEST_CASE("App Store Connect reply calls: the review with its response, and the JSON:API create body",
          "[app_store_connect_reply]") {
  const ApiCall read = asc_review_response_call(kReviewId);
  CHECK(read.method == "GET");
  CHECK(read.target ==
        "/v1/customerReviews/00000042-b08c-0014-5a1e-0c1d00000003?include=response&fields%5BcustomerReviews%5D=response"
        "&fields%5BcustomerReviewResponses%5D=responseBody,lastModifiedDate,state");
  const ApiCall create = asc_response_post_call(kReviewId, "Айдар, \"спасибо\"!\nВернули.");
  CHECK(create.method == "POST");
  CHECK(create.target == "/v1/customerReviewResponses");
  CHECK(boost::json::parse(create.body) == boost::json::parse(R"({"data": {"type": "customerReviewResponses",
      "attributes": {"responseBody": "Айдар, \"спасибо\"!\nВернули."},
      "relationships": {"review": {"data": {"type": "customerReviews", "id": "00000042-b08c-0014-5a1e-0c1d00000003"}}}}})"));
}

TEST_CASE("App Store Connect reply answers: a response in either state, none, and odd documents",
          "[app_store_connect_reply]") {
  auto pending = parse_asc_review_response(review_document(kLink, kPending));
  REQUIRE(pending);
  REQUIRE(pending->has_value());
  CHECK((*pending)->id == "6a1c9e4f-0003");
  CHECK((*pending)->text == "Айдар, комиссию вернули.");
  CHECK((*pending)->at == make_utc(2026, 11, 19, 18, 2, 0));

  // The answered review of the source's fixture, as the list shows it.
  auto fixture = boost::json::parse(read_fixture("app_store_connect/answered.json")).as_object();
  boost::json::object single{{"data", fixture["data"].as_array()[0]}, {"included", fixture["included"]}};
  auto published = parse_asc_review_response(boost::json::serialize(single));
  REQUIRE(published);
  REQUIRE(published->has_value());
  CHECK((*published)->text.starts_with("Айдар, здравствуйте! Комиссию вернули на карту"));

  for (const std::string& none : {review_document("null", ""),
                                  std::string(R"({"data": {"type": "customerReviews", "id": "1"}})"),
                                  review_document(kLink, R"({"type": "customerReviewResponses", "id": "6a1c9e4f-0003",
                                                             "attributes": {"responseBody": ""}})")}) {
    CAPTURE(none);
    auto parsed = parse_asc_review_response(none);
    REQUIRE(parsed);
    CHECK_FALSE(parsed->has_value());
  }
  auto unlinked = parse_asc_review_response(review_document(kLink, ""));
  REQUIRE_FALSE(unlinked);
  CHECK(unlinked.error().code == make_error_code(errc::protocol_error));
  for (const char* bad : {"<html>", R"({"data": []})", R"({"data": {"type": "apps", "id": "1"}})"}) {
    CAPTURE(bad);
    auto parsed = parse_asc_review_response(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == make_error_code(errc::parse_failed));
  }

  auto created = parse_asc_response_created(std::string(R"({"data": )") + kPending + "}", "x");
  REQUIRE(created);
  CHECK(created->id == "6a1c9e4f-0003");
  CHECK(created->text == "Айдар, комиссию вернули.");
  auto bare = parse_asc_response_created(R"({"data": {"type": "customerReviewResponses", "id": "r1"}})", "Спасибо!");
  REQUIRE(bare);
  CHECK(bare->text == "Спасибо!");
  CHECK_FALSE(parse_asc_response_created(R"({"errors": []})", "x"));
}

TEST_CASE("App Store Connect replier reads the review's response with the source's key", "[app_store_connect_reply]") {
  auto poster = replier();
  CHECK(poster->site() == "App Store");
  CHECK(poster->limits().max_chars == 5970);
  CHECK(poster->limits().can_edit);

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, review_document("null", "")));
  http.answers.push_back(json_answer(200, review_document(kLink, kPending)));
  auto ctx = context(http);
  auto none = test::run_sync(poster->current_answer(ctx, review()));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  auto some = test::run_sync(poster->current_answer(ctx, review()));
  REQUIRE(some);
  REQUIRE(some->has_value());
  CHECK((*some)->text == "Айдар, комиссию вернули.");
  REQUIRE(http.requests.size() == 2);
  for (const auto& r : http.requests) {
    CHECK(r.method == "GET");
    CHECK(r.url == kReadUrl);
    CHECK(token_problem(r).empty());
    CHECK(r.body.empty());
  }
}

TEST_CASE("App Store Connect replier creates the response, an edit posts again and Apple overwrites",
          "[app_store_connect_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(201, std::string(R"({"data": )") + kPending + "}"));
  http.answers.push_back(json_answer(201, R"({"data": {"type": "customerReviewResponses", "id": "6a1c9e4f-0003",
      "attributes": {"responseBody": "Айдар, комиссию вернули 20 ноября.", "state": "PENDING_PUBLISH"}}})"));
  auto ctx = context(http);
  auto first = test::run_sync(poster->post(ctx, review(), "Айдар, комиссию вернули.", false));
  REQUIRE(first);
  CHECK(first->id == "6a1c9e4f-0003");
  auto edited = test::run_sync(poster->post(ctx, review(), "Айдар, комиссию вернули 20 ноября.", true));
  REQUIRE(edited);
  CHECK(edited->text == "Айдар, комиссию вернули 20 ноября.");

  REQUIRE(http.requests.size() == 2);
  const char* texts[] = {"Айдар, комиссию вернули.", "Айдар, комиссию вернули 20 ноября."};
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& r = http.requests[i];
    CHECK(r.method == "POST");
    CHECK(r.url == kPostUrl);
    CHECK(token_problem(r).empty());
    CHECK(header(r, "Content-Type") == "application/json");
    CHECK(boost::json::parse(r.body) == boost::json::parse(asc_response_post_call(kReviewId, texts[i]).body));
  }
}

TEST_CASE("App Store Connect replier refuses over-long and empty texts before any request", "[app_store_connect_reply]") {
  auto poster = replier();
  std::string longest;
  for (int i = 0; i < 5970; ++i) longest += "ж";
  CHECK(reply_text_problem(longest, poster->limits(), poster->site()).empty());
  struct Case {
    std::string text;
    std::string problem;
  };
  const Case cases[] = {
      {longest + "ж", "5971 characters: App Store takes at most 5970"},
      {"\n", "the answer is empty"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.problem);
    ScriptedHttpClient http;
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), c.text, false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::invalid_input));
    CHECK(posted.error().detail == c.problem);
    CHECK(http.requests.empty());
  }
  ScriptedHttpClient http;
  auto ctx = context(http);
  auto foreign = test::run_sync(poster->current_answer(ctx, review("gbp:1:2")));
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().code == make_error_code(errc::invalid_input));
  CHECK(http.requests.empty());
}

TEST_CASE("App Store Connect replier: Apple's refusals as the client reports them", "[app_store_connect_reply]") {
  {
    // The review was deleted.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(404, R"({"errors": [{"status": "404", "code": "NOT_FOUND",
        "title": "The specified resource does not exist",
        "detail": "There is no resource of type 'customerReviews' with id '00000042-b08c-0014-5a1e-0c1d00000003'"}]})"));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::http_status));
    CHECK(posted.error().http_status == 404);
    CHECK(posted.error().detail ==
          std::string("App Store Connect answered HTTP 404 to POST ") + kPostUrl +
              ": NOT_FOUND: There is no resource of type 'customerReviews' with id '00000042-b08c-0014-5a1e-0c1d00000003'");
  }
  {
    // A text Apple refuses.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(409, R"({"errors": [{"status": "409", "code": "ENTITY_ERROR.ATTRIBUTE.INVALID",
        "title": "An attribute value is invalid.", "detail": "The response body is invalid."}]})"));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::http_status));
    CHECK(posted.error().http_status == 409);
    CHECK(posted.error().detail.ends_with(": ENTITY_ERROR.ATTRIBUTE.INVALID: The response body is invalid."));
  }
  {
    // A key whose role may not answer reviews; 401 is retried once with a new token, 403 is not.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(403, R"({"errors": [{"status": "403", "code": "FORBIDDEN_ERROR",
        "title": "This request is forbidden for security reasons", "detail": "The API key in use does not allow this request"}]})"));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::unauthorized));
    CHECK(posted.error().detail.find("FORBIDDEN_ERROR: The API key in use does not allow this request") != std::string::npos);
  }
  {
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(401, read_fixture("app_store_connect/error_401.json")));
    http.answers.push_back(json_answer(401, read_fixture("app_store_connect/error_401.json")));
    auto ctx = context(http);
    auto read = test::run_sync(poster->current_answer(ctx, review()));
    REQUIRE_FALSE(read);
    CHECK(read.error().code == make_error_code(errc::unauthorized));
    CHECK(read.error().detail.find("NOT_AUTHORIZED") != std::string::npos);
  }
  {
    // The hour's requests are spent: Apple sends no wait; the call ends rate_limited at once.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(429, read_fixture("app_store_connect/error_429.json")));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::rate_limited));
    CHECK(posted.error().retry_after == std::chrono::seconds(300));
    CHECK(http.requests.size() == 1);
  }
}

TEST_CASE("App Store Connect replier spends the source's hourly budget, not a budget of its own",
          "[app_store_connect_reply]") {
  // One registry, as in the daemon: the source and the poster of one key draw on one budget of a
  // call every 1.2 s, so the poster's first call waits for the slot after the source's last.
  const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto source = registry.create(asc_config());
  auto poster = registry.create_replier(asc_config());
  REQUIRE(poster != nullptr);
  ScriptedHttpClient http;
  for (int i = 0; i < 2; ++i) http.answers.push_back(json_answer(200, R"({"data": []})"));
  SourceState state;
  auto polled = test::run_poll(*source, http, state, SystemClock::now());
  REQUIRE(polled);
  REQUIRE(http.requests.size() == 2);
  http.answers.push_back(json_answer(200, review_document("null", "")));
  auto ctx = context(http);
  auto read = test::run_sync(poster->current_answer(ctx, review()));
  REQUIRE(read);
  REQUIRE(http.requests.size() == 3);
  CHECK(http.times[2] - http.times[1] >= std::chrono::milliseconds(1100));

  // A poster of another registry (another daemon) has a budget of its own: no wait.
  const SourceRegistry other = SourceRegistry::with_builtin_types();
  auto alone = other.create_replier(asc_config());
  http.answers.push_back(json_answer(200, review_document("null", "")));
  const auto before = std::chrono::steady_clock::now();
  auto quick = test::run_sync(alone->current_answer(ctx, review()));
  REQUIRE(quick);
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::milliseconds(1000));
}
