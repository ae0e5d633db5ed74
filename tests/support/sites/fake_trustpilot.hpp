#pragma once
// Trustpilot as far as the `trustpilot` preset and its replier use it, on 127.0.0.1
// (tests/support/http): the company's public review page (the JSON in __NEXT_DATA__ the preset
// reads) and the business API (token endpoint, a review by id, reply and delete reply). Stateful:
// a reply the replier posts shows from then on on the page and in GET /v1/reviews/{id}.
//
//   FakeTrustpilot tp;                                   // domain "rocket-parcel.example"
//   tp.add_review({.id = "65f1c0de0123456789abcdef", .author = "Anna", .title = "Late",
//                  .text = "The parcel came a week late.", .stars = 2});
//   [[source]] type = "trustpilot", url = tp.page_url(), domain = tp.options().domain,
//              api_url = tp.url(), business_user_id = tp.options().business_user_id,
//              business_api_key / business_api_secret = env: holding tp.options().api_key / api_secret
//   tp.reply_of(id), tp.answers() (every POST/DELETE …/reply as received), tp.problems()
//
// The business API (developers.trustpilot.com):
//   POST /v1/oauth/oauth-business-users-for-applications/accesstoken
//        Authorization: Basic base64(key:secret), grant_type=client_credentials (form)
//        → {"access_token", "expires_in": "359999"}; other credentials → 401.
//   GET  /v1/reviews/{id}  (apikey header = the key) → the review with companyReply, or 404.
//   POST /v1/private/reviews/{id}/reply {"authorBusinessUserId", "message"}  (Bearer token)
//        → 201 {}; 404 for an unknown or deleted review; 400 for a body without message or author,
//        or an author other than the business user; 409 when the review has a reply already.
//   DELETE /v1/private/reviews/{id}/reply → 204; 404 when there is no reply.
// Knobs: fail_next_answer_with(status, body[, headers]) answers the next POST …/reply so;
// delete_review().

#include "tests/support/http/fake_http_server.hpp"
#include "tests/support/sites/fake_site_util.hpp"

#include <boost/json.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace otklik::test {

struct FakeTrustpilotOptions {
  std::string domain = "rocket-parcel.example";
  std::string api_key = "tpKey-0123456789abcdef";
  std::string api_secret = "tpSecret-fedcba9876543210";
  std::string business_user_id = "5f0c1b2a3d4e5f6a7b8c9d0e";
  std::string access_token = "tpAccess-token-0123456789";
};

class FakeTrustpilot {
 public:
  using Options = FakeTrustpilotOptions;
  struct Review {
    std::string id;                        ///< 24 hex digits
    std::string author;
    std::string title;
    std::string text;
    int stars = 5;
    std::string published = "2026-11-20T18:05:03.000Z";
    std::optional<std::string> reply;      ///< the company's reply already there
  };
  /// One POST or DELETE of …/reply as received and answered.
  struct Answer {
    std::string method;
    std::string review_id;
    std::string authorization;
    std::string body;
    int status = 0;
  };

  explicit FakeTrustpilot(Options options = {}) : options_(std::move(options)) {
    server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
  }

  [[nodiscard]] const Options& options() const { return options_; }
  /// The business API's base (`api_url`).
  [[nodiscard]] std::string url() const { return server_->base_url(); }
  /// The company's review page (the source's `url`).
  [[nodiscard]] std::string page_url() const {
    return server_->base_url() + "/review/" + options_.domain + "?languages=all&sort=recency";
  }

  void add_review(Review review) {
    std::lock_guard lock(mu_);
    reviews_.push_front(Stored{std::move(review), {}, false});
  }
  void delete_review(const std::string& id) {
    std::lock_guard lock(mu_);
    if (auto* s = find(id)) s->deleted = true;
  }
  [[nodiscard]] std::optional<std::string> reply_of(const std::string& id) const {
    std::lock_guard lock(mu_);
    for (const auto& s : reviews_)
      if (s.review.id == id) return s.review.reply;
    return std::nullopt;
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

 private:
  struct Stored {
    Review review;
    std::string reply_time;
    bool deleted = false;
  };

  Stored* find(const std::string& id) {
    for (auto& s : reviews_)
      if (s.review.id == id && !s.deleted) return &s;
    return nullptr;
  }

  static FakeResponse error(int status, std::string_view message) {
    return FakeResponse::json(status, boost::json::serialize(boost::json::object{{"message", message}}));
  }

  [[nodiscard]] std::string basic() const {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string in = options_.api_key + ":" + options_.api_secret;
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
      const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                         static_cast<unsigned char>(in[i + 2]);
      for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
    }
    if (const std::size_t rest = in.size() - i; rest > 0) {
      unsigned v = static_cast<unsigned char>(in[i]) << 16;
      if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
      out += kAlphabet[(v >> 18) & 63];
      out += kAlphabet[(v >> 12) & 63];
      out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
      out += '=';
    }
    return "Basic " + out;
  }

  FakeResponse page() const {
    boost::json::array list;
    for (const auto& s : reviews_) {
      if (s.deleted) continue;
      const Review& r = s.review;
      boost::json::object o{{"id", r.id},
                            {"consumer", boost::json::object{{"displayName", r.author}, {"id", "c-" + r.id}}},
                            {"title", r.title},
                            {"text", r.text},
                            {"rating", r.stars},
                            {"dates", boost::json::object{{"publishedDate", r.published}}}};
      o["reply"] = r.reply ? boost::json::value(boost::json::object{{"message", *r.reply}, {"publishedDate", s.reply_time}})
                           : boost::json::value(nullptr);
      list.push_back(std::move(o));
    }
    const boost::json::object data{
        {"props",
         boost::json::object{
             {"pageProps",
              boost::json::object{
                  {"reviews", std::move(list)},
                  {"filters", boost::json::object{{"pagination", boost::json::object{{"currentPage", 1}, {"totalPages", 1}}}}}}}}}};
    std::string json = boost::json::serialize(data);
    // Next.js escapes "<" in the embedded JSON.
    for (std::size_t p = json.find('<'); p != std::string::npos; p = json.find('<', p)) json.replace(p, 1, "\\u003c");
    return FakeResponse::text(200,
                              "<!DOCTYPE html><html><head><title>Reviews</title></head><body><div id=\"__next\"></div>"
                              "<script id=\"__NEXT_DATA__\" type=\"application/json\">" +
                                  json + "</script></body></html>",
                              "text/html; charset=utf-8");
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    const auto seg = sites::path_segments(r.path);
    if (r.method == "GET" && seg.size() == 2 && seg[0] == "review") {
      if (seg[1] != options_.domain) return error(404, "Not found");
      return page();
    }
    if (r.path == "/v1/oauth/oauth-business-users-for-applications/accesstoken") {
      if (r.method != "POST") problems_.push_back("token: method " + r.method);
      if (r.header("Content-Type") != std::optional<std::string_view>("application/x-www-form-urlencoded"))
        problems_.push_back("token: Content-Type " + std::string(r.header("Content-Type").value_or("-")));
      if (r.header("Authorization") != std::optional<std::string_view>(basic()) ||
          sites::form_value(r.body, "grant_type") != std::optional<std::string>("client_credentials"))
        return error(401, "Invalid client credentials");
      return FakeResponse::json(200, boost::json::serialize(boost::json::object{
                                         {"access_token", options_.access_token}, {"expires_in", "359999"}}));
    }
    if (r.method == "GET" && seg.size() == 3 && seg[0] == "v1" && seg[1] == "reviews") {
      if (r.header("apikey") != std::optional<std::string_view>(options_.api_key)) return error(401, "Invalid ApiKey");
      const Stored* s = find(seg[2]);
      if (s == nullptr) return error(404, "Review not found");
      boost::json::object o{{"id", s->review.id}, {"stars", s->review.stars}, {"title", s->review.title},
                            {"text", s->review.text}};
      o["companyReply"] = s->review.reply
                              ? boost::json::value(boost::json::object{{"text", *s->review.reply}, {"createdAt", s->reply_time}})
                              : boost::json::value(nullptr);
      return FakeResponse::json(200, boost::json::serialize(o));
    }
    if (seg.size() == 5 && seg[0] == "v1" && seg[1] == "private" && seg[2] == "reviews" && seg[4] == "reply" &&
        (r.method == "POST" || r.method == "DELETE"))
      return reply(r, seg[3]);
    problems_.push_back("unexpected " + r.method + " " + r.target);
    return error(404, "Not found");
  }

  FakeResponse reply(const FakeRequest& r, const std::string& id) {
    Answer a{r.method, id, std::string(r.header("Authorization").value_or("")), r.body, 0};
    auto answer = [&](FakeResponse response) {
      a.status = response.status;
      answers_.push_back(a);
      return response;
    };
    if (a.authorization != "Bearer " + options_.access_token) return answer(error(401, "Unauthorized"));
    if (r.method == "POST" && !failures_.empty()) {
      FakeResponse f = std::move(failures_.front());
      failures_.pop_front();
      return answer(std::move(f));
    }
    Stored* s = find(id);
    if (s == nullptr) return answer(error(404, "Review not found"));
    if (r.method == "DELETE") {
      if (!s->review.reply) return answer(error(404, "Reply not found"));
      s->review.reply.reset();
      FakeResponse gone;
      gone.status = 204;
      return answer(gone);
    }
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    const auto* o = ec ? nullptr : body.if_object();
    const auto* message = o != nullptr ? o->if_contains("message") : nullptr;
    const auto* author = o != nullptr ? o->if_contains("authorBusinessUserId") : nullptr;
    if (message == nullptr || !message->is_string() || message->as_string().empty() || author == nullptr ||
        !author->is_string()) {
      problems_.push_back("reply: not the documented body: " + r.body);
      return answer(error(400, "Invalid request body"));
    }
    if (author->as_string() != options_.business_user_id) return answer(error(400, "Unknown business user"));
    if (s->review.reply) return answer(error(409, "The review already has a reply"));
    s->review.reply = std::string(message->as_string());
    s->reply_time = sites::rfc3339_now();
    return answer(FakeResponse::json(201, "{}"));
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
