#pragma once
// A fake of the Wildberries seller API of the category «Вопросы и отзывы»
// (feedbacks-api.wildberries.ru) on 127.0.0.1, for end-to-end tests of reading feedbacks and
// questions and of answering them. It answers as dev.wildberries.ru/openapi/user-communication
// documents:
//
//   GET   /api/v1/feedbacks?isAnswered=&take=&skip=[&order=dateDesc|dateAsc][&nmId=]
//   GET   /api/v1/questions?…                    the lists, {"data": {"countUnanswered",
//                                                "countArchive", "feedbacks"|"questions"}, …}
//   GET   /api/v1/feedback?id=, /api/v1/question?id=   one item; 422 for an unknown id
//   POST  /api/v1/feedbacks/answer {"id","text"}  answers a feedback → 204
//   PATCH /api/v1/feedbacks/answer {"id","text"}  edits the answer → 204
//   PATCH /api/v1/questions {"id","answer":{"text"},"state"}  answers / edits → 200
//
// Every call needs "Authorization: TOKEN" (401 with the gateway's body otherwise); an answer call
// needs Content-Type application/json and a text of 2 to 5 000 characters (400 otherwise). As the
// real API does not, it does not check a feedback's id on POST/PATCH …/feedbacks/answer: an unknown
// id is answered 204 and changes nothing. An answer given is shown from then on in the item's
// "answer" ({"text", "state": "wbRu", "editable", "createDate"}), so the lists and the reads by id
// see it; the feedback moves to the answered list.
//
// Use:
//   FakeWildberries wb("TOKEN");
//   wb.add_feedback(R"({"id":"F1","text":"…","productValuation":1,"createdDate":"…",
//                       "productDetails":{"nmId":123},"answer":null})");
//   … [[source]] type = "wildberries", url = wb.base_url() …
//   wb.answer_requests()   // the POST/PATCH answer calls received, in order
//   wb.fail_next_answer_with(404, R"({"data":null,"error":true,"errorText":"Не найден отзыв"})");
//   wb.fail_next_answer_with(429, R"({"title":"too many requests"})", {{"X-Ratelimit-Retry", "1"}});
//   wb.revoke();           // every call 401 from now on

#include "tests/support/sites/fake_site.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace otklik::test {

class FakeWildberries {
 public:
  explicit FakeWildberries(std::string token) : token_(std::move(token)) {}

  [[nodiscard]] std::string base_url() const { return server_.base_url(); }

  /// A feedback / question as the API lists it (its "id" and "createdDate" are required here).
  void add_feedback(std::string_view json) { add(feedbacks_, json); }
  void add_question(std::string_view json) { add(questions_, json); }

  /// The item as the API shows it now (with any answer given), nullopt when unknown.
  std::optional<boost::json::object> feedback(const std::string& id) const { return find(feedbacks_, id); }
  std::optional<boost::json::object> question(const std::string& id) const { return find(questions_, id); }

  /// The next answer call (POST / PATCH of an answer) gets this answer instead; several queue.
  void fail_next_answer_with(int status, std::string body, Headers headers = {}) {
    std::lock_guard lock(mu_);
    failures_.push_back({status, std::move(body), std::move(headers)});
  }
  /// Every call from now on is refused as with a revoked token.
  void revoke(bool revoked = true) {
    std::lock_guard lock(mu_);
    revoked_ = revoked;
  }

  [[nodiscard]] std::vector<FakeRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  /// The calls that published or edited an answer (refused ones included), in order.
  [[nodiscard]] std::vector<FakeRequest> answer_requests() const {
    std::lock_guard lock(mu_);
    return answers_;
  }

 private:
  using Items = std::map<std::string, boost::json::object>;

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    requests_.push_back(r);
    if (revoked_ || r.header("Authorization") != std::optional<std::string_view>(token_))
      return FakeResponse::json(
          401, R"({"title":"unauthorized","detail":"token problem; token is malformed","code":"07e4668e",)"
               R"("requestId":"7b80742415072fe8b6b7f7761f1d1211","origin":"s2s-api-auth-catalog","status":401,)"
               R"("statusText":"Unauthorized"})");
    const bool answering = (r.method == "POST" || r.method == "PATCH") &&
                           (r.path == "/api/v1/feedbacks/answer" || r.path == "/api/v1/questions");
    if (answering) {
      answers_.push_back(r);
      if (!failures_.empty()) {
        QueuedFailure f = std::move(failures_.front());
        failures_.pop_front();
        return f.response();
      }
      return answer(r);
    }
    if (r.method != "GET") return not_found();
    if (r.path == "/api/v1/feedbacks") return list(feedbacks_, "feedbacks", r.target);
    if (r.path == "/api/v1/questions") return list(questions_, "questions", r.target);
    if (r.path == "/api/v1/feedback") return one(feedbacks_, r.target, "Невозможно получить отзыв по id");
    if (r.path == "/api/v1/question") return one(questions_, r.target, "Невозможно получить вопрос по id");
    return not_found();
  }

  FakeResponse answer(const FakeRequest& r) {
    if (!sends_json(r))
      return FakeResponse::json(400, R"({"title":"bad request","origin":"fbapi","detail":"content-type header not specified"})");
    auto body = json_object_body(r);
    if (!body) return FakeResponse::json(400, R"({"title":"bad request","origin":"fbapi","detail":"Неверный синтаксис JSON"})");
    const std::string id = string_at(*body, "id");
    const bool question = r.path == "/api/v1/questions";
    std::string text;
    if (question) {
      if (const auto* a = body->if_contains("answer"); a != nullptr && a->is_object()) text = string_at(a->as_object(), "text");
    } else {
      text = string_at(*body, "text");
    }
    if (id.empty() || utf8_length(text) < 2 || utf8_length(text) > 5000)
      return FakeResponse::json(400, R"({"data":null,"error":true,"errorText":"Something went wrong","additionalErrors":null})");
    Items& items = question ? questions_ : feedbacks_;
    const auto it = items.find(id);
    if (question) {
      if (it == items.end())
        return FakeResponse::json(404, R"({"data":null,"error":true,"errorText":"Не найден вопрос","additionalErrors":null})");
      set_answer(it->second, text, string_at(*body, "state").empty() ? "wbRu" : string_at(*body, "state"));
      return FakeResponse::json(200, R"({"data":null,"error":false,"errorText":"","additionalErrors":null})");
    }
    // The API does not validate the feedback's id: an unknown one is "answered" all the same.
    if (it != items.end()) set_answer(it->second, text, "wbRu");
    FakeResponse done;
    done.status = 204;
    return done;
  }

  static void set_answer(boost::json::object& item, const std::string& text, const std::string& state) {
    item["answer"] = boost::json::object{{"text", text}, {"state", state}, {"editable", true}, {"createDate", now_iso_utc()}};
    item["state"] = state;
  }

  FakeResponse list(const Items& items, const char* key, const std::string& target) const {
    const bool answered = query_value(target, "isAnswered") == "true";
    const std::string nm_id = query_value(target, "nmId");
    const int take = std::max(0, std::atoi(query_value(target, "take").c_str()));
    const int skip = std::max(0, std::atoi(query_value(target, "skip").c_str()));
    std::vector<const boost::json::object*> chosen;
    int unanswered = 0;
    for (const auto& [id, item] : items) {
      const bool has = has_answer(item);
      if (!has) ++unanswered;
      if (has != answered) continue;
      if (!nm_id.empty()) {
        const auto* details = item.if_contains("productDetails");
        const auto* nm = details != nullptr && details->is_object() ? details->as_object().if_contains("nmId") : nullptr;
        if (nm == nullptr || boost::json::serialize(*nm) != nm_id) continue;
      }
      chosen.push_back(&item);
    }
    const bool ascending = query_value(target, "order") == "dateAsc";
    std::stable_sort(chosen.begin(), chosen.end(), [&](const auto* a, const auto* b) {
      const std::string da = string_at(*a, "createdDate");
      const std::string db = string_at(*b, "createdDate");
      return ascending ? da < db : da > db;
    });
    boost::json::array page;
    for (int i = skip; i < static_cast<int>(chosen.size()) && i < skip + take; ++i) page.push_back(*chosen[i]);
    boost::json::object data{{"countUnanswered", unanswered},
                             {"countArchive", static_cast<int>(items.size()) - unanswered}};
    data[key] = std::move(page);
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{
                                       {"data", std::move(data)}, {"error", false}, {"errorText", ""},
                                       {"additionalErrors", nullptr}}));
  }

  static FakeResponse one(const Items& items, const std::string& target, const char* unknown) {
    const auto it = items.find(query_value(target, "id"));
    if (it == items.end())
      return FakeResponse::json(422, std::string(R"({"data":null,"error":true,"errorText":")") + unknown +
                                         R"(","additionalErrors":null,"requestId":"87a2fe4d"})");
    return FakeResponse::json(200, boost::json::serialize(boost::json::object{
                                       {"data", it->second}, {"error", false}, {"errorText", ""},
                                       {"additionalErrors", nullptr}}));
  }

  static bool has_answer(const boost::json::object& item) {
    const auto* a = item.if_contains("answer");
    return a != nullptr && a->is_object();
  }

  static FakeResponse not_found() { return FakeResponse::json(404, R"({"title":"path not found","status":404})"); }


  void add(Items& items, std::string_view json) {
    boost::json::object item = boost::json::parse(json).as_object();
    std::lock_guard lock(mu_);
    items[string_at(item, "id")] = std::move(item);
  }

  std::optional<boost::json::object> find(const Items& items, const std::string& id) const {
    std::lock_guard lock(mu_);
    const auto it = items.find(id);
    if (it == items.end()) return std::nullopt;
    return it->second;
  }

  std::string token_;
  mutable std::mutex mu_;
  Items feedbacks_;
  Items questions_;
  std::deque<QueuedFailure> failures_;
  bool revoked_ = false;
  std::vector<FakeRequest> requests_;
  std::vector<FakeRequest> answers_;
  // Last: stopped first, before the state its handler uses goes away.
  FakeHttpServer server_{[this](const FakeRequest& r) { return handle(r); }};
};

}  // namespace otklik::test
