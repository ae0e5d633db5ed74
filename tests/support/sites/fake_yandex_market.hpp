#pragma once
// A fake of the Yandex Market Partner API's goods feedback (api.partner.market.yandex.ru) on
// 127.0.0.1, for end-to-end tests of reading feedback and answering it as the business. It answers
// as yandex.ru/dev/market/partner-api/doc/ru/reference/goods-feedback/ documents:
//
//   POST /v2/businesses/{businessId}/goods-feedback?limit=N[&page_token=T]  {"status":"OK","result":
//        {"feedbacks":[…],"paging":{"nextPageToken"}}}, newest first
//   POST /v2/businesses/{businessId}/goods-feedback/comments?limit=N {"feedbackId"}
//        {"status":"OK","result":{"comments":[…],"paging":{}}}
//   POST /v2/businesses/{businessId}/goods-feedback/comments/update {"feedbackId","comment":
//        {"id"?,"parentId"?,"text"}} → {"status":"OK","result":{the comment}}
//   POST /v2/businesses/{businessId}/offer-mappings {"offerIds"}   {"status":"OK","result":
//        {"offerMappings": the names set}}
//
// Every call needs the Api-Key header (401 {"status":"ERROR","errors":[{"code":"UNAUTHORIZED",…}]}
// otherwise) and the business of the constructor (403 otherwise). An update of an unknown feedback
// is 404 NOT_FOUND; a text outside 1..4 096 characters, or a comment id that is not the business's
// comment on that feedback, is 400 BAD_REQUEST. A new comment is the business's (author BUSINESS,
// status PUBLISHED), counts in the feedback's statistics.commentsCount and sets needReaction
// false; an update with comment.id changes that comment's text.
//
// Use:
//   FakeYandexMarket market("778899", "API-KEY");
//   market.add_feedback(R"({"feedbackId":3400100001,"createdAt":"…","needReaction":true,
//       "identifiers":{"offerId":"JKT"},"author":"…","description":{"comment":"…"},
//       "statistics":{"rating":1,"commentsCount":0}})");
//   market.answer_requests();  market.comments("3400100001");
//   market.fail_next_answer_with(420, R"({"status":"ERROR","errors":[{"code":"LIMIT_EXCEEDED"}]})");

#include "tests/support/sites/fake_site.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace otklik::test {

class FakeYandexMarket {
 public:
  FakeYandexMarket(std::string business_id, std::string key)
      : business_(std::move(business_id)), key_(std::move(key)) {}

  [[nodiscard]] std::string base_url() const { return server_.base_url(); }

  void add_feedback(std::string_view json) {
    boost::json::object f = boost::json::parse(json).as_object();
    std::lock_guard lock(mu_);
    const std::string id = id_text(f, "feedbackId");
    order_.push_back(id);
    feedbacks_[id] = std::move(f);
  }
  /// A comment already under a feedback ({"id", "text", "author": {"type"}, "status", …}).
  void add_comment(const std::string& feedback_id, std::string_view json) {
    std::lock_guard lock(mu_);
    comments_[feedback_id].push_back(boost::json::parse(json).as_object());
    bump(feedback_id, 1);
  }
  void set_offer_name(const std::string& offer_id, const std::string& name) {
    std::lock_guard lock(mu_);
    offers_[offer_id] = name;
  }

  [[nodiscard]] std::optional<boost::json::object> feedback(const std::string& id) const {
    std::lock_guard lock(mu_);
    const auto it = feedbacks_.find(id);
    if (it == feedbacks_.end()) return std::nullopt;
    return it->second;
  }
  [[nodiscard]] std::vector<boost::json::object> comments(const std::string& feedback_id) const {
    std::lock_guard lock(mu_);
    const auto it = comments_.find(feedback_id);
    return it == comments_.end() ? std::vector<boost::json::object>() : it->second;
  }

  void fail_next_answer_with(int status, std::string body, Headers headers = {}) {
    std::lock_guard lock(mu_);
    failures_.push_back({status, std::move(body), std::move(headers)});
  }
  void revoke(bool revoked = true) {
    std::lock_guard lock(mu_);
    revoked_ = revoked;
  }

  [[nodiscard]] std::vector<FakeRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  /// The comments/update calls received (refused ones included), in order.
  [[nodiscard]] std::vector<FakeRequest> answer_requests() const {
    std::lock_guard lock(mu_);
    return answers_;
  }

 private:
  static FakeResponse error(int status, std::string_view code, std::string_view message) {
    return FakeResponse::json(
        status, boost::json::serialize(boost::json::object{
                    {"status", "ERROR"},
                    {"errors", boost::json::array{boost::json::object{{"code", code}, {"message", message}}}}}));
  }
  static FakeResponse ok(boost::json::value result) {
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{{"status", "OK"}, {"result", std::move(result)}}));
  }
  /// An id field as text: the API's ids are numbers.
  static std::string id_text(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    return v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v);
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    if (revoked_ || r.header("Api-Key") != std::optional<std::string_view>(key_))
      return error(401, "UNAUTHORIZED", "Api-Key token is invalid or revoked");
    const std::string prefix = "/v2/businesses/" + business_ + "/";
    if (!r.path.starts_with(prefix)) return error(403, "FORBIDDEN", "Access denied to the business");
    const std::string method = r.path.substr(prefix.size());
    if (r.method != "POST") return error(404, "NOT_FOUND", "Resource not found");
    const bool answering = method == "goods-feedback/comments/update";
    if (answering) {
      answers_.push_back(r);
      if (!failures_.empty()) {
        QueuedFailure f = std::move(failures_.front());
        failures_.pop_front();
        return f.response();
      }
    }
    auto body = sends_json(r) ? json_object_body(r) : std::nullopt;
    if (!body) return error(400, "BAD_REQUEST", "Request body is not a JSON object");
    if (method == "goods-feedback") return list(r.target);
    if (method == "goods-feedback/comments") return comment_list(*body);
    if (answering) return update(*body);
    if (method == "offer-mappings") return offers(*body);
    return error(404, "NOT_FOUND", "Resource not found");
  }

  FakeResponse list(const std::string& target) const {
    const int limit = std::max(1, std::atoi(query_value(target, "limit").c_str()));
    const std::size_t start = static_cast<std::size_t>(std::max(0, std::atoi(query_value(target, "page_token").c_str())));
    std::vector<const boost::json::object*> all;
    for (const auto& id : order_) all.push_back(&feedbacks_.at(id));
    std::stable_sort(all.begin(), all.end(), [](const auto* a, const auto* b) {
      return string_at(*a, "createdAt") > string_at(*b, "createdAt");
    });
    boost::json::array page;
    for (std::size_t i = start; i < all.size() && page.size() < static_cast<std::size_t>(limit); ++i) page.push_back(*all[i]);
    boost::json::object paging;
    if (start + page.size() < all.size()) paging["nextPageToken"] = std::to_string(start + page.size());
    return ok(boost::json::object{{"feedbacks", std::move(page)}, {"paging", std::move(paging)}});
  }

  FakeResponse comment_list(const boost::json::object& body) const {
    const std::string id = id_text(body, "feedbackId");
    if (!feedbacks_.contains(id)) return error(404, "NOT_FOUND", "Feedback " + id + " not found");
    boost::json::array out;
    if (const auto it = comments_.find(id); it != comments_.end())
      for (const auto& c : it->second) out.push_back(c);
    return ok(boost::json::object{{"comments", std::move(out)}, {"paging", boost::json::object()}});
  }

  FakeResponse update(const boost::json::object& body) {
    const std::string id = id_text(body, "feedbackId");
    const auto* comment_value = body.if_contains("comment");
    if (id.empty() || comment_value == nullptr || !comment_value->is_object())
      return error(400, "BAD_REQUEST", "feedbackId and comment are required");
    const auto& comment = comment_value->as_object();
    const std::string text = string_at(comment, "text");
    if (utf8_length(text) < 1 || utf8_length(text) > 4096)
      return error(400, "BAD_REQUEST", "comment.text: size must be between 1 and 4096");
    const auto it = feedbacks_.find(id);
    if (it == feedbacks_.end()) return error(404, "NOT_FOUND", "Feedback " + id + " not found");
    auto& list = comments_[id];
    if (const std::string comment_id = id_text(comment, "id"); !comment_id.empty()) {
      const auto c = std::find_if(list.begin(), list.end(), [&](const auto& x) {
        const auto* author = x.if_contains("author");
        return id_text(x, "id") == comment_id && author != nullptr && author->is_object() &&
               string_at(author->as_object(), "type") == "BUSINESS";
      });
      if (c == list.end()) return error(400, "BAD_REQUEST", "Comment " + comment_id + " cannot be modified");
      (*c)["text"] = text;
      return ok(*c);
    }
    boost::json::object created{{"id", ++next_comment_},
                                {"text", text},
                                {"canModify", true},
                                {"author", boost::json::object{{"type", "BUSINESS"}, {"name", "Магазин"}}},
                                {"status", "PUBLISHED"},
                                {"feedbackId", it->second.at("feedbackId")}};
    if (const auto* parent = comment.if_contains("parentId"); parent != nullptr && !parent->is_null())
      created["parentId"] = *parent;
    list.push_back(created);
    bump(id, 1);
    it->second["needReaction"] = false;
    return ok(created);
  }

  FakeResponse offers(const boost::json::object& body) const {
    boost::json::array mappings;
    if (const auto* ids = body.if_contains("offerIds"); ids != nullptr && ids->is_array())
      for (const auto& v : ids->as_array())
        if (v.is_string())
          if (const auto it = offers_.find(std::string(v.as_string())); it != offers_.end())
            mappings.push_back(boost::json::object{{"offer", boost::json::object{{"offerId", it->first}, {"name", it->second}}}});
    return ok(boost::json::object{{"offerMappings", std::move(mappings)}});
  }

  void bump(const std::string& feedback_id, int by) {
    const auto it = feedbacks_.find(feedback_id);
    if (it == feedbacks_.end()) return;
    auto& f = it->second;
    if (!f.contains("statistics") || !f["statistics"].is_object()) f["statistics"] = boost::json::object();
    auto& stats = f["statistics"].as_object();
    const auto* n = stats.if_contains("commentsCount");
    const std::int64_t now = n != nullptr && n->is_int64() ? n->as_int64() : 0;
    stats["commentsCount"] = std::max<std::int64_t>(0, now + by);
  }

  std::string business_;
  std::string key_;
  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, boost::json::object> feedbacks_;
  std::map<std::string, std::vector<boost::json::object>> comments_;
  std::map<std::string, std::string> offers_;
  std::deque<QueuedFailure> failures_;
  bool revoked_ = false;
  std::int64_t next_comment_ = 990100;
  std::vector<FakeRequest> requests_;
  std::vector<FakeRequest> answers_;
  // Last: stopped first, before the state its handler uses goes away.
  FakeHttpServer server_{[this](const FakeRequest& r) { return handle(r); }};
};

}  // namespace otklik::test
