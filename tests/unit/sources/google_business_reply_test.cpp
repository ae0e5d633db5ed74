// The owner's answers to Google Business Profile reviews: the review found from the mention, the
// exact reviews.get and updateReply requests (path, method, Bearer token, JSON body), the answer
// read back, the local 4096-byte refusal, and Google's refusals as the ApiClient reports them.
#include "sources/generic/dates.hpp"
#include "sources/google_business/google_business_reply.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/scripted_http.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace otklik;
using otklik::test::json_answer;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kAccount = "112233445566778899001";
constexpr const char* kReviewUrl =
    "https://mybusiness.googleapis.com/v4/accounts/112233445566778899001/locations/4081234567890123456/reviews/"
    "AbFvOqn7LmWp3sE8dH5gZq";
constexpr const char* kToken = R"({"access_token": "ya29.reply-token", "expires_in": 3599, "token_type": "Bearer"})";

SourceConfig gbp_config() {
  SourceConfig c;
  c.name = "gbp";
  c.type = "google_business";
  c.brand = "romashka";
  c.url = "https://mybusiness.googleapis.com";
  c.options.insert("account_id", kAccount);
  c.options.insert("token_url", "https://oauth2.example.test/token");
  c.secrets.emplace_back("client_id", Secret("env:GBP_ID", "731122334455-abc.apps.googleusercontent.com"));
  c.secrets.emplace_back("client_secret", Secret("env:GBP_SECRET", "GOCSPX-secret"));
  c.secrets.emplace_back("refresh_token", Secret("env:GBP_REFRESH", "1//0gRefresh"));
  return c;
}

Mention review(std::string external_id = "gbp:4081234567890123456:AbFvOqn7LmWp3sE8dH5gZq") {
  Mention m;
  m.external_id = std::move(external_id);
  m.url = "https://maps.google.com/maps?cid=9182736450918273645";
  return m;
}

std::unique_ptr<ReplyPoster> replier() {
  // A registry of its own: a budget held by one case's 429 must not slow the next case.
  const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto poster = registry.create_replier(gbp_config());
  REQUIRE(poster != nullptr);
  return poster;
}

ApiContext context(HttpClient& http) { return ApiContext{http, *make_utc(2026, 11, 23, 12, 0, 0), "otklik-test", {}}; }

std::string header(const HttpRequest& r, std::string_view name) {
  return std::string(find_header(r.headers, name).value_or("-"));
}

}  // namespace

TEST_CASE("Google review ids: location and review from the mention's external id", "[google_business_reply]") {
  CHECK(google_review_ref("gbp:4081234567890123456:AbFvOqn7LmWp3sE8dH5gZq") ==
        GoogleReviewRef{"4081234567890123456", "AbFvOqn7LmWp3sE8dH5gZq"});
  // The review id is Google's opaque text: whatever follows the location, colons included.
  CHECK(google_review_ref("gbp:1:a:b") == GoogleReviewRef{"1", "a:b"});
  for (const char* bad : {"", "gbp:", "gbp:123", "gbp:123:", "gbp::abc", "asc:123", "h:0123abcd"}) {
    CAPTURE(bad);
    CHECK_FALSE(google_review_ref(bad));
  }
}

TEST_CASE("Google reply calls: reviews.get and updateReply on the review's resource name", "[google_business_reply]") {
  const GoogleReviewRef ref{"4081234567890123456", "AbFv/Oq n"};
  const ApiCall get = google_review_get_call(kAccount, ref);
  CHECK(get.method == "GET");
  CHECK(get.target == "/v4/accounts/112233445566778899001/locations/4081234567890123456/reviews/AbFv%2FOq%20n");
  CHECK(get.body.empty());
  const ApiCall put = google_reply_put_call(kAccount, ref, "Спасибо, \"Марина\"!\nЖдём снова.");
  CHECK(put.method == "PUT");
  CHECK(put.target == "/v4/accounts/112233445566778899001/locations/4081234567890123456/reviews/AbFv%2FOq%20n/reply");
  CHECK(boost::json::parse(put.body) == boost::json::parse(R"({"comment": "Спасибо, \"Марина\"!\nЖдём снова."})"));
}

TEST_CASE("Google reply answers: the owner's reply of a review, none, and bodies that are not reviews",
          "[google_business_reply]") {
  auto present = parse_google_review_reply(
      R"({"name": "accounts/1/locations/2/reviews/R", "reviewId": "R", "comment": "Холодный кофе",
          "reviewReply": {"comment": "Простите нас, Марина.", "updateTime": "2026-11-21T09:30:00Z"}})");
  REQUIRE(present);
  REQUIRE(present->has_value());
  CHECK((*present)->text == "Простите нас, Марина.");
  CHECK((*present)->id.empty());
  CHECK((*present)->at == make_utc(2026, 11, 21, 9, 30, 0));

  for (const char* none : {R"({"reviewId": "R", "comment": "Холодный кофе"})",
                           R"({"reviewId": "R", "reviewReply": {"comment": ""}})", R"({"reviewReply": null})"}) {
    CAPTURE(none);
    auto parsed = parse_google_review_reply(none);
    REQUIRE(parsed);
    CHECK_FALSE(parsed->has_value());
  }
  for (const char* bad : {"<html>", "[1]", ""}) {
    CAPTURE(bad);
    auto parsed = parse_google_review_reply(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == make_error_code(errc::parse_failed));
  }
  auto put = parse_google_put_reply(R"({"comment": "Спасибо!", "updateTime": "2026-11-23T12:00:01Z"})", "x");
  REQUIRE(put);
  CHECK(put->text == "Спасибо!");
  CHECK(put->at == make_utc(2026, 11, 23, 12, 0, 1));
  auto bare = parse_google_put_reply("{}", "Спасибо!");
  REQUIRE(bare);
  CHECK(bare->text == "Спасибо!");
  CHECK_FALSE(bare->at);
}

TEST_CASE("Google replier reads the current answer with reviews.get and the source's token",
          "[google_business_reply]") {
  auto poster = replier();
  CHECK(poster->site() == "Google Business Profile");
  CHECK(poster->limits().max_chars == 2048);
  CHECK(poster->limits().can_edit);

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, kToken));
  http.answers.push_back(json_answer(200, R"({"reviewId": "AbFvOqn7LmWp3sE8dH5gZq", "comment": "Кофе остыл"})"));
  http.answers.push_back(json_answer(
      200, R"({"reviewId": "AbFvOqn7LmWp3sE8dH5gZq", "reviewReply": {"comment": "Простите нас!", "updateTime": "2026-11-23T12:00:00Z"}})"));
  auto ctx = context(http);
  auto none = test::run_sync(poster->current_answer(ctx, review()));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  auto some = test::run_sync(poster->current_answer(ctx, review()));
  REQUIRE(some);
  REQUIRE(some->has_value());
  CHECK((*some)->text == "Простите нас!");

  REQUIRE(http.requests.size() == 3);
  CHECK(http.requests[0].url == "https://oauth2.example.test/token");
  for (std::size_t i : {1u, 2u}) {
    CHECK(http.requests[i].method == "GET");
    CHECK(http.requests[i].url == kReviewUrl);
    CHECK(header(http.requests[i], "Authorization") == "Bearer ya29.reply-token");
    CHECK(header(http.requests[i], "Accept") == "application/json");
    CHECK(http.requests[i].body.empty());
  }
}

TEST_CASE("Google replier publishes with updateReply, and an edit is the same call", "[google_business_reply]") {
  auto poster = replier();
  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, kToken));
  http.answers.push_back(json_answer(200, R"({"comment": "Простите нас, Марина.", "updateTime": "2026-11-23T12:00:02Z"})"));
  http.answers.push_back(json_answer(200, R"({"comment": "Исправили: столы моют каждый час.", "updateTime": "2026-11-23T12:05:00Z"})"));
  auto ctx = context(http);
  auto first = test::run_sync(poster->post(ctx, review(), "Простите нас, Марина.", false));
  REQUIRE(first);
  CHECK(first->text == "Простите нас, Марина.");
  CHECK(first->at == make_utc(2026, 11, 23, 12, 0, 2));
  auto edited = test::run_sync(poster->post(ctx, review(), "Исправили: столы моют каждый час.", true));
  REQUIRE(edited);
  CHECK(edited->text == "Исправили: столы моют каждый час.");

  REQUIRE(http.requests.size() == 3);
  for (std::size_t i : {1u, 2u}) {
    CHECK(http.requests[i].method == "PUT");
    CHECK(http.requests[i].url == std::string(kReviewUrl) + "/reply");
    CHECK(header(http.requests[i], "Authorization") == "Bearer ya29.reply-token");
    CHECK(header(http.requests[i], "Content-Type") == "application/json");
  }
  CHECK(boost::json::parse(http.requests[1].body) == boost::json::parse(R"({"comment": "Простите нас, Марина."})"));
  CHECK(boost::json::parse(http.requests[2].body) ==
        boost::json::parse(R"({"comment": "Исправили: столы моют каждый час."})"));
}

TEST_CASE("Google replier refuses locally what Google would refuse, before any request", "[google_business_reply]") {
  auto poster = replier();
  struct Case {
    std::string text;
    std::string problem;
  };
  const Case cases[] = {
      {"", "the answer is empty"},
      {" \n ", "the answer is empty"},
      {std::string(2049, 'a'), "2049 characters: Google Business Profile takes at most 2048"},
      // 1100 four-byte characters: within 2048 characters, over Google's 4096 bytes.
      {[] {
         std::string s;
         for (int i = 0; i < 1100; ++i) s += "\xF0\x9F\x98\x8A";
         return s;
       }(),
       "4400 bytes: Google Business Profile takes at most 4096 bytes of UTF-8"},
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
  // 2048 Cyrillic characters are 4096 bytes: taken.
  std::string longest;
  for (int i = 0; i < 2048; ++i) longest += "ж";
  CHECK(google_reply_bytes_problem(longest).empty());
  CHECK(reply_text_problem(longest, poster->limits(), poster->site()).empty());

  ScriptedHttpClient http;
  auto ctx = context(http);
  auto foreign = test::run_sync(poster->post(ctx, review("asc:123"), "Спасибо!", false));
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().code == make_error_code(errc::invalid_input));
  CHECK(http.requests.empty());
}

TEST_CASE("Google replier: refusals of the API as the client reports them", "[google_business_reply]") {
  {
    // The review was deleted.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    http.answers.push_back(json_answer(
        404, R"({"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}})"));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::http_status));
    CHECK(posted.error().http_status == 404);
    CHECK(posted.error().detail == std::string("Google Business Profile answered HTTP 404 to PUT ") + kReviewUrl +
                                       "/reply: NOT_FOUND: Requested entity was not found.");
  }
  {
    // The consenting user does not manage the location.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    http.answers.push_back(json_answer(
        403, R"({"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}})"));
    auto ctx = context(http);
    auto read = test::run_sync(poster->current_answer(ctx, review()));
    REQUIRE_FALSE(read);
    CHECK(read.error().code == make_error_code(errc::unauthorized));
    CHECK(read.error().detail.find("PERMISSION_DENIED: The caller does not have permission") != std::string::npos);
  }
  {
    // A revoked consent: the token endpoint refuses before the API is asked.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(400, R"({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})"));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::unauthorized));
    CHECK(http.requests.size() == 1);
  }
  {
    // A quota spent for an hour: not waited out inside the call.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    auto busy = json_answer(429, R"({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}})");
    busy.headers.emplace_back("Retry-After", "3600");
    http.answers.push_back(busy);
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE_FALSE(posted);
    CHECK(posted.error().code == make_error_code(errc::rate_limited));
    CHECK(posted.error().retry_after == std::chrono::seconds(3600));
    CHECK(http.requests.size() == 2);
  }
  {
    // A short 429 is waited out and the answer goes through.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    auto busy = json_answer(429, R"({"error": {"code": 429, "message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}})");
    busy.headers.emplace_back("Retry-After", "1");
    http.answers.push_back(busy);
    http.answers.push_back(json_answer(200, R"({"comment": "Спасибо!", "updateTime": "2026-11-23T12:00:03Z"})"));
    auto ctx = context(http);
    auto posted = test::run_sync(poster->post(ctx, review(), "Спасибо!", false));
    REQUIRE(posted);
    REQUIRE(http.requests.size() == 3);
    CHECK(http.times[2] - http.times[1] >= std::chrono::milliseconds(900));
    CHECK(http.requests[2].method == "PUT");
  }
}
