#pragma once
// Google's OAuth token endpoint and the Business Profile APIs, as far as the google_business
// preset and its replier use them, on 127.0.0.1 (tests/support/http). Stateful: an answer the
// replier publishes shows in the review from then on, in the list and in reviews.get, so that an
// idempotency read sees it.
//
//   FakeGoogleBusiness google({.account_id = "112233445566778899001"});
//   google.add_location({"4081234567890123456", "Кофейня «Ромашка»", "Тверская, 12", "https://maps…"});
//   google.add_review("4081234567890123456", {.review_id = "AbFv…", .author = "Марина К.",
//                     .stars = "TWO", .comment = "Кофе остыл", .create_time = "2026-11-20T18:05:03Z"});
//   [[source]] type = "google_business", url = google.url(), token_url = google.token_url(),
//              account_id, client_id / client_secret / refresh_token = the fake's credentials.
//   … the daemon polls, a reply is approved …
//   google.reply_of("4081234567890123456", "AbFv…")   → the published comment
//   google.answers()                                  → every PUT …/reply, in order, as received
//   google.problems()                                 → requests the real API would not take as sent
//
// What it serves (paths as the real APIs; the Authorization header must be "Bearer " + the access
// token the token endpoint handed out, else 401 UNAUTHENTICATED):
//   POST /token  grant_type=refresh_token&client_id&client_secret&refresh_token (form) → a token;
//                wrong credentials → 400 invalid_grant.
//   GET  /v1/accounts/A/locations?readMask=…            → {"locations": [...]} (one page)
//   GET  /v4/accounts/A/locations/L/reviews?pageSize=N[&pageToken=T] → newest first as added,
//        N a page, nextPageToken while more remain; reviewReply when answered.
//   GET  /v4/accounts/A/locations/L/reviews/R           → the review; 404 NOT_FOUND when unknown/deleted
//   PUT  /v4/accounts/A/locations/L/reviews/R/reply {"comment"} → 200 ReviewReply {comment, updateTime};
//        creates or replaces. 404 for an unknown or deleted review; 400 INVALID_ARGUMENT for a body
//        without a comment or a comment over 4096 bytes.
// Knobs: fail_next_answer_with(status, body[, headers]) answers the next PUT …/reply so (a 404 of a
// deleted review, a 500, a 429 with Retry-After) without changing the review; delete_review();
// revoke() makes every token and the refresh token invalid.

#include "tests/support/http/fake_http_server.hpp"
#include "tests/support/sites/fake_site_util.hpp"

#include <boost/json.hpp>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace otklik::test {

/// The credentials and ids the fake takes (its defaults match the tests' fixtures).
struct FakeGoogleBusinessOptions {
  std::string account_id = "112233445566778899001";
  std::string client_id = "731122334455-k9a8b7c6d5e4f3g2.apps.googleusercontent.com";
  std::string client_secret = "GOCSPX-Xy7_fake-client-secret-9Qw2";
  std::string refresh_token = "1//0gFakeRefreshToken-abcdefghijklmnopqrstuvwxyz";
  std::string access_token = "ya29.a0AfB_fake-access-token-0123456789";
};

class FakeGoogleBusiness {
 public:
  using Options = FakeGoogleBusinessOptions;
  struct Location {
    std::string id;
    std::string title;
    std::string address;
    std::string maps_uri;
  };
  struct Review {
    std::string review_id;
    std::string author;
    std::string stars = "FIVE";           ///< "ONE".."FIVE"
    std::string comment;
    std::string create_time = "2026-11-20T18:05:03Z";
    std::optional<std::string> reply;     ///< the owner's reply already there
  };
  /// One PUT …/reply as received and answered.
  struct Answer {
    std::string location_id;
    std::string review_id;
    std::string authorization;
    std::string content_type;
    std::string body;
    int status = 0;
  };

  explicit FakeGoogleBusiness(Options options = {}) : options_(std::move(options)) {
    server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
  }

  [[nodiscard]] const Options& options() const { return options_; }
  /// The `url` of the [[source]]: both APIs are served here.
  [[nodiscard]] std::string url() const { return server_->base_url(); }
  [[nodiscard]] std::string token_url() const { return server_->base_url() + "/token"; }

  void add_location(Location location) {
    std::lock_guard lock(mu_);
    locations_.push_back(std::move(location));
  }
  /// Adds a review on top of the location's list (the newest first, as the source reads them).
  void add_review(const std::string& location_id, Review review) {
    std::lock_guard lock(mu_);
    auto& list = reviews_[location_id];
    list.push_front(Stored{std::move(review), sites::rfc3339_now(), false});
  }
  /// The review disappears (the reviewer deleted it): reads and answers get 404.
  void delete_review(const std::string& location_id, const std::string& review_id) {
    std::lock_guard lock(mu_);
    if (auto* s = find(location_id, review_id)) s->deleted = true;
  }
  /// The owner's reply as the API shows it now; nullopt when none.
  [[nodiscard]] std::optional<std::string> reply_of(const std::string& location_id, const std::string& review_id) const {
    std::lock_guard lock(mu_);
    const Stored* s = find(location_id, review_id);
    return s != nullptr ? s->review.reply : std::nullopt;
  }
  /// The next PUT …/reply is answered with `status` and `body` and changes nothing.
  void fail_next_answer_with(int status, std::string body, Headers headers = {}) {
    std::lock_guard lock(mu_);
    FakeResponse r = FakeResponse::json(status, std::move(body));
    for (auto& h : headers) r.headers.push_back(std::move(h));
    failures_.push_back(std::move(r));
  }
  /// Every token and the refresh token stop working (the owner revoked the consent).
  void revoke() {
    std::lock_guard lock(mu_);
    revoked_ = true;
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

  /// Google's error body.
  static std::string error_body(int code, std::string_view status, std::string_view message) {
    return boost::json::serialize(boost::json::object{
        {"error", boost::json::object{{"code", code}, {"message", message}, {"status", status}}}});
  }

 private:
  struct Stored {
    Review review;
    std::string reply_time;
    bool deleted = false;
  };

  const Stored* find(const std::string& location_id, const std::string& review_id) const {
    auto it = reviews_.find(location_id);
    if (it == reviews_.end()) return nullptr;
    for (const auto& s : it->second)
      if (s.review.review_id == review_id) return &s;
    return nullptr;
  }
  Stored* find(const std::string& location_id, const std::string& review_id) {
    return const_cast<Stored*>(std::as_const(*this).find(location_id, review_id));
  }

  boost::json::object review_json(const std::string& location_id, const Stored& s) const {
    const Review& r = s.review;
    boost::json::object o{
        {"name", "accounts/" + options_.account_id + "/locations/" + location_id + "/reviews/" + r.review_id},
        {"reviewId", r.review_id},
        {"reviewer", boost::json::object{{"displayName", r.author}, {"isAnonymous", r.author.empty()}}},
        {"starRating", r.stars},
        {"comment", r.comment},
        {"createTime", r.create_time},
        {"updateTime", r.create_time}};
    if (r.reply) o["reviewReply"] = boost::json::object{{"comment", *r.reply}, {"updateTime", s.reply_time}};
    return o;
  }

  FakeResponse not_found() const {
    return FakeResponse::json(404, error_body(404, "NOT_FOUND", "Requested entity was not found."));
  }

  FakeResponse token(const FakeRequest& r) {
    if (r.method != "POST") problems_.push_back("token endpoint: method " + r.method);
    if (r.header("Content-Type") != std::optional<std::string_view>("application/x-www-form-urlencoded"))
      problems_.push_back("token endpoint: Content-Type " + std::string(r.header("Content-Type").value_or("-")));
    const bool good = sites::form_value(r.body, "grant_type") == std::optional<std::string>("refresh_token") &&
                      sites::form_value(r.body, "client_id") == options_.client_id &&
                      sites::form_value(r.body, "client_secret") == options_.client_secret &&
                      sites::form_value(r.body, "refresh_token") == options_.refresh_token;
    if (revoked_ || !good)
      return FakeResponse::json(
          400, R"({"error": "invalid_grant", "error_description": "Token has been expired or revoked."})");
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{
                                       {"access_token", options_.access_token},
                                       {"expires_in", 3599},
                                       {"scope", "https://www.googleapis.com/auth/business.manage"},
                                       {"token_type", "Bearer"}}));
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    if (r.path == "/token") return token(r);
    if (revoked_ || r.header("Authorization") != std::optional<std::string_view>("Bearer " + options_.access_token))
      return FakeResponse::json(401, error_body(401, "UNAUTHENTICATED",
                                                "Request had invalid authentication credentials."));
    const auto seg = sites::path_segments(r.path);
    // /v1/accounts/A/locations
    if (seg.size() == 4 && seg[0] == "v1" && seg[1] == "accounts" && seg[3] == "locations" && r.method == "GET") {
      if (seg[2] != options_.account_id) return not_found();
      boost::json::array list;
      for (const auto& l : locations_)
        list.push_back(boost::json::object{
            {"name", "locations/" + l.id},
            {"title", l.title},
            {"storefrontAddress", boost::json::object{{"addressLines", boost::json::array{boost::json::value(l.address)}}}},
            {"metadata", boost::json::object{{"mapsUri", l.maps_uri}}}});
      return FakeResponse::json(200, boost::json::serialize(boost::json::object{{"locations", std::move(list)}}));
    }
    // /v4/accounts/A/locations/L/reviews[/R[/reply]]
    if (seg.size() >= 6 && seg[0] == "v4" && seg[1] == "accounts" && seg[3] == "locations" && seg[5] == "reviews") {
      if (seg[2] != options_.account_id) return not_found();
      const std::string& location = seg[4];
      if (seg.size() == 6 && r.method == "GET") return list_reviews(location, r.target);
      if (seg.size() == 7 && r.method == "GET") {
        const Stored* s = find(location, seg[6]);
        if (s == nullptr || s->deleted) return not_found();
        return FakeResponse::json(200, boost::json::serialize(review_json(location, *s)));
      }
      if (seg.size() == 8 && seg[7] == "reply" && r.method == "PUT") return put_reply(r, location, seg[6]);
    }
    problems_.push_back("unexpected " + r.method + " " + r.target);
    return not_found();
  }

  FakeResponse list_reviews(const std::string& location, const std::string& target) {
    const int size = std::stoi(sites::form_value(target, "pageSize").value_or("50"));
    const std::size_t from = std::stoul(sites::form_value(target, "pageToken").value_or("0"));
    std::vector<const Stored*> live;
    for (const auto& s : reviews_[location])
      if (!s.deleted) live.push_back(&s);
    boost::json::array page;
    for (std::size_t i = from; i < live.size() && page.size() < static_cast<std::size_t>(size); ++i)
      page.push_back(review_json(location, *live[i]));
    boost::json::object out{{"totalReviewCount", live.size()}};
    const std::size_t next = from + page.size();
    if (!page.empty()) out["reviews"] = std::move(page);
    if (next < live.size()) out["nextPageToken"] = std::to_string(next);
    return FakeResponse::json(200, boost::json::serialize(out));
  }

  FakeResponse put_reply(const FakeRequest& r, const std::string& location, const std::string& review_id) {
    Answer a{location, review_id, std::string(r.header("Authorization").value_or("")),
             std::string(r.header("Content-Type").value_or("")), r.body, 0};
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
    if (!a.content_type.starts_with("application/json")) problems_.push_back("reply: Content-Type " + a.content_type);
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    const auto* o = ec ? nullptr : body.if_object();
    const auto* comment = o != nullptr ? o->if_contains("comment") : nullptr;
    if (comment == nullptr || !comment->is_string() || comment->as_string().empty()) {
      problems_.push_back("reply: body without a comment: " + r.body);
      return answer(FakeResponse::json(400, error_body(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")));
    }
    if (comment->as_string().size() > 4096)
      return answer(FakeResponse::json(400, error_body(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")));
    Stored* s = find(location, review_id);
    if (s == nullptr || s->deleted) return answer(not_found());
    s->review.reply = std::string(comment->as_string());
    s->reply_time = sites::rfc3339_now();
    return answer(FakeResponse::json(200, boost::json::serialize(boost::json::object{
                                              {"comment", *s->review.reply}, {"updateTime", s->reply_time}})));
  }

  Options options_;
  mutable std::mutex mu_;
  std::vector<Location> locations_;
  std::map<std::string, std::deque<Stored>> reviews_;
  std::deque<FakeResponse> failures_;
  std::vector<Answer> answers_;
  std::vector<std::string> problems_;
  bool revoked_ = false;
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace otklik::test
