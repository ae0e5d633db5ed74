// Replies to Trustpilot reviews through the business API: the business keys in the config (all
// or none), the client-credentials token request, the exact review, reply and delete requests, the
// company reply read back, an edit as delete + post, and the API's refusals.
#include "daemon/config/config_load.hpp"
#include "sources/generic/dates.hpp"
#include "sources/source.hpp"
#include "sources/trustpilot/trustpilot_api.hpp"
#include "sources/trustpilot/trustpilot_reply.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/scripted_http.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

using namespace otklik;
using otklik::test::json_answer;
using otklik::test::ScriptedHttpClient;

namespace {

constexpr const char* kReviewId = "65f1c0de0123456789abcdef";
constexpr const char* kUser = "5f0c1b2a3d4e5f6a7b8c9d0e";
constexpr const char* kToken = R"({"access_token": "tpAccess-1", "expires_in": "359999"})";

LoadedConfig load(const std::string& keys, const SourceRegistry& registry) {
  ::setenv("OTKLIK_TP_KEY", "tpKey-0123", 1);
  ::setenv("OTKLIK_TP_SECRET", "tpSecret-4567", 1);
  const std::string text = "[daemon]\nstate = \"s.db\"\n[[source]]\nname = \"tp\"\ntype = \"trustpilot\"\n"
                           "domain = \"rocket-parcel.example\"\n" +
                           keys + "\n[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n";
  return load_config_text(text, std::filesystem::temp_directory_path(), &registry);
}

constexpr const char* kBusiness = R"(business_api_key = "env:OTKLIK_TP_KEY"
business_api_secret = "env:OTKLIK_TP_SECRET"
business_user_id = "5f0c1b2a3d4e5f6a7b8c9d0e")";

std::unique_ptr<ReplyPoster> replier() {
  const SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto loaded = load(std::string(kBusiness) + "\napi_url = \"https://api.example.test/\"", registry);
  std::string problems;
  for (const auto& p : loaded.problems) problems += p.key + ": " + p.message + "\n";
  INFO(problems);
  REQUIRE(loaded.config);
  auto poster = registry.create_replier(loaded.config->sources[0]);
  REQUIRE(poster != nullptr);
  return poster;
}

Mention review(std::string id = kReviewId) {
  Mention m;
  m.external_id = std::move(id);
  m.url = "https://www.trustpilot.com/reviews/" + m.external_id;
  return m;
}

ApiContext context(HttpClient& http) { return ApiContext{http, *make_utc(2026, 11, 23, 12, 0, 0), "otklik-test", {}}; }

std::string header(const HttpRequest& r, std::string_view name) {
  return std::string(find_header(r.headers, name).value_or("-"));
}

}  // namespace

TEST_CASE("base64 with padding for the Basic credentials", "[trustpilot_reply]") {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"key:secret", "a2V5OnNlY3JldA=="},
      {"\xff\xfe", "//4="}};
  for (const auto& [in, out] : cases) {
    CAPTURE(in);
    CHECK(base64_padded(in) == out);
  }
}

TEST_CASE("trustpilot business keys in the config: all three or none", "[trustpilot_reply][config]") {
  const SourceRegistry registry = SourceRegistry::with_builtin_types();
  {
    auto loaded = load("", registry);
    REQUIRE(loaded.config);
    // The public page alone: no answers through an API.
    CHECK(registry.create_replier(loaded.config->sources[0]) == nullptr);
  }
  {
    auto loaded = load(kBusiness, registry);
    REQUIRE(loaded.config);
    CHECK(registry.create_replier(loaded.config->sources[0]) != nullptr);
  }
  struct Case {
    std::string keys;
    const char* key;
    const char* message;
  };
  const Case cases[] = {
      {"business_user_id = \"5f0c1b2a3d4e5f6a7b8c9d0e\"", "source[\"tp\"].business_api_key",
       "is required with the other business API keys (business_api_key, business_api_secret, business_user_id) to "
       "answer reviews"},
      {"business_api_key = \"env:OTKLIK_TP_KEY\"\nbusiness_api_secret = \"env:OTKLIK_TP_SECRET\"",
       "source[\"tp\"].business_user_id",
       "is required with the other business API keys (business_api_key, business_api_secret, business_user_id) to "
       "answer reviews"},
      {"business_api_key = \"tpKey-literal\"\nbusiness_api_secret = \"env:OTKLIK_TP_SECRET\"\nbusiness_user_id = \"1a\"",
       "source[\"tp\"].business_api_key", "must be a secret reference (env:NAME or file:PATH), not the value itself"},
      {std::string(kBusiness) + "\napi_url = \"ftp://x\"", "source[\"tp\"].api_url", "expected an http(s) URL"},
      {"auto_reply = \"positive\"", "source[\"tp\"].auto_reply",
       "answers need the business API keys (business_api_key, business_api_secret, business_user_id)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.keys);
    const auto loaded = load(c.keys, registry);
    CHECK_FALSE(loaded.config);
    const auto it = std::find_if(loaded.problems.begin(), loaded.problems.end(),
                                 [&](const ConfigProblem& p) { return p.key == c.key && !p.warning; });
    REQUIRE(it != loaded.problems.end());
    CHECK(it->message == c.message);
  }
}

TEST_CASE("Trustpilot reply calls and the company reply of a review", "[trustpilot_reply]") {
  CHECK(trustpilot_review_call(kReviewId).target == "/v1/reviews/65f1c0de0123456789abcdef");
  CHECK(trustpilot_review_call(kReviewId).method == "GET");
  const ApiCall post = trustpilot_reply_call(kReviewId, kUser, "Anna, \"sorry\"!\nWe refunded.");
  CHECK(post.method == "POST");
  CHECK(post.target == "/v1/private/reviews/65f1c0de0123456789abcdef/reply");
  CHECK(boost::json::parse(post.body) ==
        boost::json::parse(R"({"authorBusinessUserId": "5f0c1b2a3d4e5f6a7b8c9d0e", "message": "Anna, \"sorry\"!\nWe refunded."})"));
  const ApiCall del = trustpilot_delete_reply_call(kReviewId);
  CHECK(del.method == "DELETE");
  CHECK(del.target == "/v1/private/reviews/65f1c0de0123456789abcdef/reply");
  CHECK(del.body.empty());

  auto present = parse_trustpilot_company_reply(
      R"({"id": "65f1c0de0123456789abcdef", "stars": 2, "companyReply": {"text": "We are sorry, Anna.", "createdAt": "2026-11-21T09:30:00Z"}})");
  REQUIRE(present);
  REQUIRE(present->has_value());
  CHECK((*present)->text == "We are sorry, Anna.");
  CHECK((*present)->at == make_utc(2026, 11, 21, 9, 30, 0));
  for (const char* none : {R"({"id": "1"})", R"({"companyReply": null})", R"({"companyReply": {"text": ""}})"}) {
    CAPTURE(none);
    auto parsed = parse_trustpilot_company_reply(none);
    REQUIRE(parsed);
    CHECK_FALSE(parsed->has_value());
  }
  for (const char* bad : {"<html>", "[]"}) {
    CAPTURE(bad);
    auto parsed = parse_trustpilot_company_reply(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == make_error_code(errc::parse_failed));
  }
}

TEST_CASE("Trustpilot replier: the token, the review read with the API key, the reply posted", "[trustpilot_reply]") {
  auto poster = replier();
  CHECK(poster->site() == "Trustpilot");
  CHECK(poster->limits().max_chars == 0);

  ScriptedHttpClient http;
  http.answers.push_back(json_answer(200, kToken));
  http.answers.push_back(json_answer(200, R"({"id": "65f1c0de0123456789abcdef", "companyReply": null})"));
  http.answers.push_back(json_answer(201, "{}"));
  auto ctx = context(http);
  auto none = test::run_sync(poster->current_answer(ctx, review()));
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  auto posted = test::run_sync(poster->post(ctx, review(), "Anna, we refunded the delivery.", false));
  REQUIRE(posted);
  CHECK(posted->text == "Anna, we refunded the delivery.");

  REQUIRE(http.requests.size() == 3);
  const auto& token = http.requests[0];
  CHECK(token.method == "POST");
  CHECK(token.url == "https://api.example.test/v1/oauth/oauth-business-users-for-applications/accesstoken");
  CHECK(header(token, "Authorization") == "Basic " + base64_padded("tpKey-0123:tpSecret-4567"));
  CHECK(header(token, "Content-Type") == "application/x-www-form-urlencoded");
  CHECK(token.body == "grant_type=client_credentials");
  CHECK(http.requests[1].method == "GET");
  CHECK(http.requests[1].url == "https://api.example.test/v1/reviews/65f1c0de0123456789abcdef");
  CHECK(header(http.requests[1], "apikey") == "tpKey-0123");
  CHECK(header(http.requests[2], "Authorization") == "Bearer tpAccess-1");
  CHECK(http.requests[2].method == "POST");
  CHECK(http.requests[2].url == "https://api.example.test/v1/private/reviews/65f1c0de0123456789abcdef/reply");
  CHECK(header(http.requests[2], "Content-Type") == "application/json");
  CHECK(boost::json::parse(http.requests[2].body) ==
        boost::json::parse(R"({"authorBusinessUserId": "5f0c1b2a3d4e5f6a7b8c9d0e", "message": "Anna, we refunded the delivery."})"));
}

TEST_CASE("Trustpilot replier: an edit deletes the reply and posts the new one", "[trustpilot_reply]") {
  {
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    HttpResponse deleted;
    deleted.status = 204;
    http.answers.push_back(deleted);
    http.answers.push_back(json_answer(201, "{}"));
    auto ctx = context(http);
    auto edited = test::run_sync(poster->post(ctx, review(), "Anna, the refund is on its way.", true));
    REQUIRE(edited);
    REQUIRE(http.requests.size() == 3);
    CHECK(http.requests[1].method == "DELETE");
    CHECK(http.requests[1].url == "https://api.example.test/v1/private/reviews/65f1c0de0123456789abcdef/reply");
    CHECK(http.requests[2].method == "POST");
  }
  {
    // No reply to delete (404): the new one is posted all the same.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    http.answers.push_back(json_answer(404, R"({"message": "Reply not found"})"));
    http.answers.push_back(json_answer(201, "{}"));
    auto ctx = context(http);
    auto edited = test::run_sync(poster->post(ctx, review(), "Anna, the refund is on its way.", true));
    REQUIRE(edited);
    CHECK(http.requests.size() == 3);
  }
  {
    // The post fails after the delete: the failure says the old reply is gone.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    HttpResponse deleted;
    deleted.status = 204;
    http.answers.push_back(deleted);
    http.answers.push_back(json_answer(400, R"({"message": "Invalid request body"})"));
    auto ctx = context(http);
    auto edited = test::run_sync(poster->post(ctx, review(), "Anna, the refund is on its way.", true));
    REQUIRE_FALSE(edited);
    CHECK(edited.error().http_status == 400);
    CHECK(edited.error().detail.ends_with(": Invalid request body (the previous reply was deleted)"));
  }
}

TEST_CASE("Trustpilot replier: local refusals and the API's", "[trustpilot_reply]") {
  {
    auto poster = replier();
    ScriptedHttpClient http;
    auto ctx = context(http);
    auto empty = test::run_sync(poster->post(ctx, review(), "  ", false));
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == make_error_code(errc::invalid_input));
    CHECK(empty.error().detail == "the answer is empty");
    auto hashed = test::run_sync(poster->current_answer(ctx, review("h:0a1b2c3d")));
    REQUIRE_FALSE(hashed);
    CHECK(hashed.error().code == make_error_code(errc::invalid_input));
    CHECK(http.requests.empty());
  }
  {
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    http.answers.push_back(json_answer(404, R"({"message": "Review not found"})"));
    auto ctx = context(http);
    auto gone = test::run_sync(poster->post(ctx, review(), "Thank you!", false));
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == make_error_code(errc::http_status));
    CHECK(gone.error().http_status == 404);
    CHECK(gone.error().detail ==
          "Trustpilot answered HTTP 404 to POST https://api.example.test/v1/private/reviews/65f1c0de0123456789abcdef/reply: "
          "Review not found");
  }
  {
    // Keys Trustpilot does not know: the token request is refused, with its words and no secret.
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(401, R"({"message": "Invalid client credentials for tpKey-0123"})"));
    auto ctx = context(http);
    auto refused = test::run_sync(poster->current_answer(ctx, review()));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == make_error_code(errc::unauthorized));
    CHECK(refused.error().detail ==
          "Trustpilot refused the API key and secret (HTTP 401): Invalid client credentials for ***");
  }
  {
    auto poster = replier();
    ScriptedHttpClient http;
    http.answers.push_back(json_answer(200, kToken));
    auto busy = json_answer(429, R"({"message": "Too many requests"})");
    busy.headers.emplace_back("Retry-After", "600");
    http.answers.push_back(busy);
    auto ctx = context(http);
    auto limited = test::run_sync(poster->post(ctx, review(), "Thank you!", false));
    REQUIRE_FALSE(limited);
    CHECK(limited.error().code == make_error_code(errc::rate_limited));
    CHECK(limited.error().retry_after == std::chrono::seconds(600));
  }
}
