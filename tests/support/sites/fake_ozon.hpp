#pragma once
// A fake of the Ozon Seller API's ReviewAPI (api-seller.ozon.ru) on 127.0.0.1, for end-to-end
// tests of reading reviews and answering them as the seller. It answers as docs.ozon.ru/api/seller
// documents:
//
//   POST /v1/review/list {"limit","sort_dir","status","last_id"}       {"reviews","has_next","last_id"}
//   POST /v2/review/list {"filters":{"status"},"limit","sort_dir","last_id"}   the same
//   POST /v1/review/comment/list {"review_id","limit","offset","sort_dir"}  {"comments","offset"}
//   POST /v1/review/comment/create {"review_id","text","mark_review_as_processed","parent_comment_id"}
//                                                                        → {"comment_id"}
//   POST /v1/review/comment/delete {"comment_id"}                        → {}
//   POST /v3/product/info/list {"sku":[…]}                               {"items": the names set}
//
// Every call needs the Client-Id and Api-Key headers (403 {"code":16,"message":"Invalid Api-Key…"}
// otherwise) and a JSON body. A comment on an unknown review is 404 {"code":5,"message":"review
// not found"}; an empty text 400 {"code":3,…}; deleting an unknown comment 404. A comment created
// is the seller's (is_owner, is_official), counts in the review's comments_amount and, with
// mark_review_as_processed, makes the review PROCESSED. Ozon lists only moderated comments:
// hold_new_comments() keeps comments created from then on out of the list until
// publish_held_comments(), to test that lag.
//
// Use:
//   FakeOzon ozon("CLIENT_ID", "KEY");
//   ozon.add_review(R"({"id":"r1","sku":178,"rating":1,"text":"…","published_at":"…",
//                       "status":"UNPROCESSED","comments_amount":0})");
//   ozon.answer_requests();  ozon.comments("r1");
//   ozon.fail_next_answer_with(404, R"({"code":5,"message":"review not found","details":[]})");

#include "tests/support/sites/fake_site.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace otklik::test {

class FakeOzon {
 public:
  FakeOzon(std::string client_id, std::string key) : client_id_(std::move(client_id)), key_(std::move(key)) {}

  [[nodiscard]] std::string base_url() const { return server_.base_url(); }

  void add_review(std::string_view json) {
    boost::json::object review = boost::json::parse(json).as_object();
    std::lock_guard lock(mu_);
    const std::string id = string_at(review, "id");
    order_.push_back(id);
    reviews_[id] = std::move(review);
  }
  /// A comment already under a review (a buyer's, or the seller's from before).
  void add_comment(const std::string& review_id, std::string_view json) {
    std::lock_guard lock(mu_);
    comments_[review_id].push_back(boost::json::parse(json).as_object());
    bump(review_id, 1);
  }
  void set_product_name(const std::string& sku, const std::string& name) {
    std::lock_guard lock(mu_);
    names_[sku] = name;
  }

  [[nodiscard]] std::optional<boost::json::object> review(const std::string& id) const {
    std::lock_guard lock(mu_);
    const auto it = reviews_.find(id);
    if (it == reviews_.end()) return std::nullopt;
    return it->second;
  }
  /// Every comment under the review, held ones included.
  [[nodiscard]] std::vector<boost::json::object> comments(const std::string& review_id) const {
    std::lock_guard lock(mu_);
    const auto it = comments_.find(review_id);
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
  void hold_new_comments(bool hold = true) {
    std::lock_guard lock(mu_);
    hold_ = hold;
  }
  void publish_held_comments() {
    std::lock_guard lock(mu_);
    for (auto& [review, list] : comments_)
      for (auto& c : list) c.erase("held");
  }

  [[nodiscard]] std::vector<FakeRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  /// The comment create and delete calls received (refused ones included), in order.
  [[nodiscard]] std::vector<FakeRequest> answer_requests() const {
    std::lock_guard lock(mu_);
    return answers_;
  }

 private:
  static FakeResponse error(int status, int code, std::string_view message) {
    return FakeResponse::json(status, boost::json::serialize(boost::json::object{
                                          {"code", code}, {"message", message}, {"details", boost::json::array()}}));
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    if (revoked_ || r.header("Client-Id") != std::optional<std::string_view>(client_id_) ||
        r.header("Api-Key") != std::optional<std::string_view>(key_))
      return error(403, 16, "Invalid Api-Key, please check the key and try again");
    if (r.method != "POST") return error(404, 5, "Not Found");
    const bool answering = r.path == "/v1/review/comment/create" || r.path == "/v1/review/comment/delete";
    if (answering) {
      answers_.push_back(r);
      if (!failures_.empty()) {
        QueuedFailure f = std::move(failures_.front());
        failures_.pop_front();
        return f.response();
      }
    }
    auto body = sends_json(r) ? json_object_body(r) : std::nullopt;
    if (!body) return error(400, 3, "invalid request body");
    if (r.path == "/v1/review/list" || r.path == "/v2/review/list") return list(*body, r.path == "/v2/review/list");
    if (r.path == "/v1/review/comment/list") return comment_list(*body);
    if (r.path == "/v1/review/comment/create") return create(*body);
    if (r.path == "/v1/review/comment/delete") return remove(*body);
    if (r.path == "/v3/product/info/list") return products(*body);
    return error(404, 5, "Not Found");
  }

  FakeResponse list(const boost::json::object& body, bool v2) const {
    std::string status = string_at(body, "status");
    if (v2) {
      const auto* f = body.if_contains("filters");
      status = f != nullptr && f->is_object() ? string_at(f->as_object(), "status") : "";
    }
    const auto* limit_value = body.if_contains("limit");
    const std::int64_t limit = limit_value != nullptr && limit_value->is_int64() ? limit_value->as_int64() : 100;
    const std::string last_id = string_at(body, "last_id");
    std::vector<const boost::json::object*> chosen;
    for (const auto& id : order_) {
      const auto& review = reviews_.at(id);
      const std::string s = string_at(review, "status");
      const bool processed = s == "PROCESSED";
      if (status == "UNPROCESSED" && processed) continue;
      if (status == "PROCESSED" && !processed) continue;
      if ((status == "NEW" || status == "VIEWED") && processed) continue;
      chosen.push_back(&review);
    }
    const bool ascending = string_at(body, "sort_dir") == "ASC";
    std::stable_sort(chosen.begin(), chosen.end(), [&](const auto* a, const auto* b) {
      const std::string da = string_at(*a, "published_at");
      const std::string db = string_at(*b, "published_at");
      return ascending ? da < db : da > db;
    });
    std::size_t start = 0;
    if (!last_id.empty())
      for (std::size_t i = 0; i < chosen.size(); ++i)
        if (string_at(*chosen[i], "id") == last_id) start = i + 1;
    boost::json::array page;
    for (std::size_t i = start; i < chosen.size() && page.size() < static_cast<std::size_t>(limit); ++i)
      page.push_back(*chosen[i]);
    const bool more = start + page.size() < chosen.size();
    const std::string last = page.empty() ? std::string() : string_at(page.back().as_object(), "id");
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{
                                       {"reviews", std::move(page)}, {"has_next", more}, {"last_id", last}}));
  }

  FakeResponse comment_list(const boost::json::object& body) const {
    const std::string review = string_at(body, "review_id");
    if (!reviews_.contains(review)) return error(404, 5, "review not found");
    boost::json::array out;
    if (const auto it = comments_.find(review); it != comments_.end())
      for (const auto& c : it->second)
        if (!c.contains("held")) out.push_back(c);
    if (string_at(body, "sort_dir") == "DESC") std::reverse(out.begin(), out.end());
    const auto n = static_cast<std::int64_t>(out.size());
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{{"comments", std::move(out)}, {"offset", n}}));
  }

  FakeResponse create(const boost::json::object& body) {
    const std::string review = string_at(body, "review_id");
    const std::string text = string_at(body, "text");
    if (review.empty() || text.empty()) return error(400, 3, "review_id and text are required");
    const auto it = reviews_.find(review);
    if (it == reviews_.end()) return error(404, 5, "review not found");
    const std::string id = "c-" + std::to_string(++next_comment_);
    boost::json::object comment{{"id", id},
                                {"text", text},
                                {"is_owner", true},
                                {"is_official", true},
                                {"parent_comment_id", string_at(body, "parent_comment_id")},
                                {"published_at", now_iso_utc()}};
    if (hold_) comment["held"] = true;
    comments_[review].push_back(std::move(comment));
    bump(review, 1);
    if (const auto* mark = body.if_contains("mark_review_as_processed"); mark != nullptr && mark->is_bool() && mark->get_bool())
      it->second["status"] = "PROCESSED";
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{{"comment_id", id}}));
  }

  FakeResponse remove(const boost::json::object& body) {
    const std::string id = string_at(body, "comment_id");
    for (auto& [review, list] : comments_) {
      const auto it = std::find_if(list.begin(), list.end(), [&](const auto& c) { return string_at(c, "id") == id; });
      if (it == list.end()) continue;
      list.erase(it);
      bump(review, -1);
      return FakeResponse::json(200, "{}");
    }
    return error(404, 5, "comment not found");
  }

  FakeResponse products(const boost::json::object& body) const {
    boost::json::array items;
    if (const auto* skus = body.if_contains("sku"); skus != nullptr && skus->is_array())
      for (const auto& s : skus->as_array()) {
        const std::string sku = s.is_string() ? std::string(s.as_string()) : boost::json::serialize(s);
        if (const auto it = names_.find(sku); it != names_.end())
          items.push_back(boost::json::object{{"sku", sku}, {"name", it->second}});
      }
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{{"items", std::move(items)}}));
  }

  void bump(const std::string& review_id, int by) {
    const auto it = reviews_.find(review_id);
    if (it == reviews_.end()) return;
    const auto* n = it->second.if_contains("comments_amount");
    const std::int64_t now = n != nullptr && n->is_int64() ? n->as_int64() : 0;
    it->second["comments_amount"] = std::max<std::int64_t>(0, now + by);
  }


  std::string client_id_;
  std::string key_;
  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, boost::json::object> reviews_;
  std::map<std::string, std::vector<boost::json::object>> comments_;
  std::map<std::string, std::string> names_;
  std::deque<QueuedFailure> failures_;
  bool revoked_ = false;
  bool hold_ = false;
  int next_comment_ = 0;
  std::vector<FakeRequest> requests_;
  std::vector<FakeRequest> answers_;
  // Last: stopped first, before the state its handler uses goes away.
  FakeHttpServer server_{[this](const FakeRequest& r) { return handle(r); }};
};

}  // namespace otklik::test
