#pragma once
// The App Store Connect API, as far as the app_store_connect preset and its replier use it, on
// 127.0.0.1 (tests/support/http). Stateful: a response the replier creates shows in the review from
// then on (in the list with include=response and in the review read by id), so that an
// idempotency read sees it.
//
//   FakeAppStoreConnect apple;                      // trusts the test key of tests/fixtures/app_store_connect
//   apple.add_review({.id = "00000042-…", .rating = 2, .title = "Списали комиссию", .body = "…",
//                     .nickname = "Айдар", .created = "2026-11-18T14:30:00+05:00", .territory = "KAZ"});
//   [[source]] type = "app_store_connect", url = apple.url(), app_id = apple.options().app_id,
//              issuer_id / key_id = the options', private_key = "file:…" (the fixture AuthKey_TEST2K7Q9Z.p8)
//   … the daemon polls, a reply is approved …
//   apple.response_of("00000042-…")   → {text, state}: PENDING_PUBLISH until publish_responses()
//   apple.answers()                   → every POST /v1/customerReviewResponses as received
//   apple.problems()                  → requests the real API would not take as sent
//
// Every request must carry "Authorization: Bearer <ES256 JWT>" that verifies with the trusted
// public key, with kid = key_id, iss = issuer_id, aud = appstoreconnect-v1, a lifetime of at most
// 20 minutes; otherwise 401 NOT_AUTHORIZED. What it serves:
//   GET  /v1/apps/APP/customerReviews?…[&exists[publishedResponse]=true|false]&include=response
//        → data[] newest first as added, included[] responses (one page, no links.next).
//   GET  /v1/customerReviews/ID[?include=response…] → the review, its response relationship (null
//        when none) and the response included; 404 NOT_FOUND for an unknown or deleted review.
//   POST /v1/customerReviewResponses (JSON:API body) → 201 and the response, state PENDING_PUBLISH;
//        a review that has one is overwritten (same id). 404 for an unknown or deleted review; 409
//        ENTITY_ERROR.ATTRIBUTE.INVALID for an empty body or one over 5970 characters; 409
//        ENTITY_ERROR for a body that is not the documented shape.
// Knobs: fail_next_answer_with(status, body[, headers]) answers the next POST so and changes
// nothing; delete_review(); publish_responses() flips every response to PUBLISHED (Apple's check).

#include "tests/support/es256_jwt.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/http/fake_http_server.hpp"
#include "tests/support/sites/fake_site_util.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace otklik::test {

/// The credentials and ids the fake takes (its defaults match the tests' fixtures).
struct FakeAppStoreConnectOptions {
  std::string app_id = "1492000001";
  std::string key_id = "TEST2K7Q9Z";
  std::string issuer_id = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";
  /// The public half of the key the API trusts (PEM "PUBLIC KEY").
  std::string public_pem = read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.pub.pem");
};

class FakeAppStoreConnect {
 public:
  using Options = FakeAppStoreConnectOptions;
  struct Review {
    std::string id;
    int rating = 5;
    std::string title;
    std::string body;
    std::string nickname;
    std::string created = "2026-11-18T14:30:00+05:00";
    std::string territory = "RUS";
  };
  struct Response {
    std::string id;
    std::string text;
    std::string state;            ///< PENDING_PUBLISH | PUBLISHED
    std::string last_modified;
  };
  /// One POST /v1/customerReviewResponses as received and answered.
  struct Answer {
    std::string authorization;
    std::string content_type;
    std::string body;
    int status = 0;
  };

  explicit FakeAppStoreConnect(Options options = {}) : options_(std::move(options)) {
    server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
  }

  [[nodiscard]] const Options& options() const { return options_; }
  [[nodiscard]] std::string url() const { return server_->base_url(); }

  /// Adds a review on top of the list (newest first); `response`: the developer's, already there.
  void add_review(Review review, std::optional<Response> response = std::nullopt) {
    std::lock_guard lock(mu_);
    reviews_.push_front(Stored{std::move(review), std::move(response), false});
  }
  void delete_review(const std::string& id) {
    std::lock_guard lock(mu_);
    if (auto* s = find(id)) s->deleted = true;
  }
  [[nodiscard]] std::optional<Response> response_of(const std::string& review_id) const {
    std::lock_guard lock(mu_);
    for (const auto& s : reviews_)
      if (s.review.id == review_id) return s.response;
    return std::nullopt;
  }
  /// Apple has checked every pending response: PUBLISHED.
  void publish_responses() {
    std::lock_guard lock(mu_);
    for (auto& s : reviews_)
      if (s.response) s.response->state = "PUBLISHED";
  }
  void fail_next_answer_with(int status, std::string body, Headers headers = {}) {
    std::lock_guard lock(mu_);
    FakeResponse r = FakeResponse::json(status, std::move(body));
    for (auto& h : headers) r.headers.push_back(std::move(h));
    failures_.push_back(std::move(r));
  }
  [[nodiscard]] std::vector<Answer> answers() const {
    std::lock_guard lock(mu_);
    return answers_;
  }
  [[nodiscard]] std::vector<std::string> problems() const {
    std::lock_guard lock(mu_);
    return problems_;
  }
  [[nodiscard]] std::vector<FakeRequest> requests() const { return server_->requests(); }

  /// Apple's ErrorResponse body.
  static std::string error_body(int status, std::string_view code, std::string_view title, std::string_view detail) {
    return boost::json::serialize(boost::json::object{
        {"errors", boost::json::array{boost::json::object{{"id", "00000000-0000-0000-0000-000000000000"},
                                                          {"status", std::to_string(status)},
                                                          {"code", code},
                                                          {"title", title},
                                                          {"detail", detail}}}}});
  }

 private:
  struct Stored {
    Review review;
    std::optional<Response> response;
    bool deleted = false;
  };

  Stored* find(const std::string& id) {
    for (auto& s : reviews_)
      if (s.review.id == id && !s.deleted) return &s;
    return nullptr;
  }

  /// "" when the request carries a token Apple would take; why not otherwise.
  [[nodiscard]] std::string refuse(std::string_view authorization) const {
    if (!authorization.starts_with("Bearer ")) return "no bearer token";
    const JwtCheck check = check_es256_jwt(authorization.substr(7), options_.public_pem);
    if (!check.ok) return check.why;
    auto str = [](const boost::json::object& o, std::string_view k) {
      const auto* v = o.if_contains(k);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    auto num = [](const boost::json::object& o, std::string_view k) -> std::int64_t {
      const auto* v = o.if_contains(k);
      return v != nullptr && v->is_int64() ? v->as_int64() : -1;
    };
    if (str(check.header, "alg") != "ES256") return "alg is not ES256";
    if (str(check.header, "kid") != options_.key_id) return "kid is not the key's id";
    if (str(check.payload, "iss") != options_.issuer_id) return "iss is not the issuer id";
    if (str(check.payload, "aud") != "appstoreconnect-v1") return "aud is not appstoreconnect-v1";
    const std::int64_t iat = num(check.payload, "iat");
    const std::int64_t exp = num(check.payload, "exp");
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (iat < 0 || exp <= iat || exp - iat > 1200) return "lifetime over 20 minutes or no iat/exp";
    if (iat > now + 60 || exp < now) return "expired or issued in the future";
    return {};
  }

  static boost::json::object response_json(const Response& r) {
    return {{"type", "customerReviewResponses"},
            {"id", r.id},
            {"attributes", boost::json::object{{"responseBody", r.text},
                                               {"lastModifiedDate", r.last_modified},
                                               {"state", r.state}}}};
  }

  static boost::json::object review_json(const Stored& s) {
    const Review& r = s.review;
    boost::json::value link = nullptr;
    if (s.response) link = boost::json::object{{"type", "customerReviewResponses"}, {"id", s.response->id}};
    return {{"type", "customerReviews"},
            {"id", r.id},
            {"attributes", boost::json::object{{"rating", r.rating},
                                               {"title", r.title},
                                               {"body", r.body},
                                               {"reviewerNickname", r.nickname},
                                               {"createdDate", r.created},
                                               {"territory", r.territory}}},
            {"relationships", boost::json::object{{"response", boost::json::object{{"data", std::move(link)}}}}}};
  }

  FakeResponse ok(int status, const boost::json::object& doc) const {
    FakeResponse out = FakeResponse::json(status, boost::json::serialize(doc));
    out.headers.emplace_back("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:3590;");
    return out;
  }
  static FakeResponse not_found(std::string_view what) {
    return FakeResponse::json(404, error_body(404, "NOT_FOUND", "The specified resource does not exist",
                                              "There is no resource of type 'customerReviews' with id '" +
                                                  std::string(what) + "'"));
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    if (const std::string why = refuse(r.header("Authorization").value_or("")); !why.empty()) {
      problems_.push_back(r.method + " " + r.target + ": token refused: " + why);
      return FakeResponse::json(401, error_body(401, "NOT_AUTHORIZED", "Authentication credentials are missing or invalid.",
                                                "Provide a properly configured and signed bearer token."));
    }
    const auto seg = sites::path_segments(r.path);
    if (r.method == "GET" && seg.size() == 4 && seg[0] == "v1" && seg[1] == "apps" && seg[3] == "customerReviews") {
      if (seg[2] != options_.app_id) return not_found(seg[2]);
      return list(r.target);
    }
    if (r.method == "GET" && seg.size() == 3 && seg[0] == "v1" && seg[1] == "customerReviews") {
      const Stored* s = find(seg[2]);
      if (s == nullptr) return not_found(seg[2]);
      boost::json::object doc{{"data", review_json(*s)}};
      if (sites::form_value(r.target, "include") == std::optional<std::string>("response") && s->response)
        doc["included"] = boost::json::array{response_json(*s->response)};
      return ok(200, doc);
    }
    if (r.method == "POST" && r.path == "/v1/customerReviewResponses") return create(r);
    problems_.push_back("unexpected " + r.method + " " + r.target);
    return FakeResponse::json(404, error_body(404, "NOT_FOUND", "The specified resource does not exist", r.path));
  }

  FakeResponse list(const std::string& target) {
    const auto exists = sites::form_value(target, "exists[publishedResponse]");
    boost::json::array data;
    boost::json::array included;
    for (const auto& s : reviews_) {
      if (s.deleted) continue;
      const bool published = s.response && s.response->state == "PUBLISHED";
      if (exists && (*exists == "true") != published) continue;
      data.push_back(review_json(s));
      if (s.response) included.push_back(response_json(*s.response));
    }
    boost::json::object doc{{"data", std::move(data)}};
    if (sites::form_value(target, "include") == std::optional<std::string>("response")) doc["included"] = std::move(included);
    return ok(200, doc);
  }

  FakeResponse create(const FakeRequest& r) {
    Answer a{std::string(r.header("Authorization").value_or("")), std::string(r.header("Content-Type").value_or("")),
             r.body, 0};
    auto answer = [&](FakeResponse response) {
      a.status = response.status;
      answers_.push_back(a);
      return response;
    };
    if (!failures_.empty()) {
      FakeResponse f = std::move(failures_.front());
      failures_.pop_front();
      return answer(std::move(f));
    }
    if (!a.content_type.starts_with("application/json")) problems_.push_back("create: Content-Type " + a.content_type);
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    auto at = [](const boost::json::value* v, std::string_view key) -> const boost::json::value* {
      if (v == nullptr || !v->is_object()) return nullptr;
      return v->as_object().if_contains(key);
    };
    const auto* data = ec ? nullptr : at(&body, "data");
    const auto* type = at(data, "type");
    const auto* text = at(at(data, "attributes"), "responseBody");
    const auto* ref = at(at(at(data, "relationships"), "review"), "data");
    const auto* ref_type = at(ref, "type");
    const auto* ref_id = at(ref, "id");
    if (type == nullptr || *type != "customerReviewResponses" || text == nullptr || !text->is_string() ||
        ref_type == nullptr || *ref_type != "customerReviews" || ref_id == nullptr || !ref_id->is_string()) {
      problems_.push_back("create: not the documented body: " + r.body);
      return answer(FakeResponse::json(
          409, error_body(409, "ENTITY_ERROR", "The request entity is not valid.", "The request body is malformed.")));
    }
    const std::string review_id(ref_id->as_string());
    const std::string words(text->as_string());
    if (words.empty() || sites::utf8_length(words) > 5970)
      return answer(FakeResponse::json(409, error_body(409, "ENTITY_ERROR.ATTRIBUTE.INVALID", "An attribute value is invalid.",
                                                       "The response body is invalid.")));
    Stored* s = find(review_id);
    if (s == nullptr) return answer(not_found(review_id));
    const std::string id = s->response ? s->response->id : "resp-" + review_id;
    s->response = Response{id, words, "PENDING_PUBLISH", sites::rfc3339_now()};
    return answer(ok(201, boost::json::object{{"data", response_json(*s->response)}}));
  }

  Options options_;
  mutable std::mutex mu_;
  std::deque<Stored> reviews_;
  std::deque<FakeResponse> failures_;
  std::vector<Answer> answers_;
  std::vector<std::string> problems_;
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace otklik::test
