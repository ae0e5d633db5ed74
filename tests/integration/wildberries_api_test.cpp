// The `wildberries` preset through the real daemon against a fake seller API on 127.0.0.1 that
// checks each request as feedbacks-api.wildberries.ru wants it: GET /api/v1/feedbacks (or
// /api/v1/questions) with isAnswered, take, skip and order=dateDesc, the token in Authorization
// without "Bearer"; 429 answers with X-Ratelimit-Retry; 401 for a revoked token.

#include "harness.hpp"
#include "preset_config.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <mutex>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kToken = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYxMjA2djEifQ.wb-seller-token-0123456789";

/// The fake API: what it serves, what it was asked, when.
struct FakeWildberries {
  mutable std::mutex mu;
  std::string unanswered;
  std::string answered;
  std::string questions_unanswered;
  std::string questions_answered;
  std::map<std::string, std::string> by_id;  ///< GET /api/v1/feedback?id=ID answers
  bool revoked = false;                ///< answer 401 to every call
  int throttle_request = 0;            ///< answer 429 to this request (1-based), 0: never
  bool fresh_pages = false;            ///< unanswered pages of 100 new feedbacks on every call
  int fresh_counter = 0;
  std::vector<FakeRequest> requests;
  std::vector<std::chrono::steady_clock::time_point> times;

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu);
    requests.push_back(r);
    times.push_back(std::chrono::steady_clock::now());
    if (revoked)
      return FakeResponse::json(
          401, R"({"title":"unauthorized","detail":"token problem; token is expired","code":"07e4668e--a53a3d31f8b0",)"
               R"("requestId":"7b80742415072fe8b6b7f7761f1d1211","origin":"s2s-api-auth-catalog","status":401,)"
               R"("statusText":"Unauthorized","timestamp":"2026-12-06T06:52:38Z"})");
    if (throttle_request == static_cast<int>(requests.size())) {
      FakeResponse busy = FakeResponse::json(
          429, R"({"title":"too many requests","detail":"limited by c122a060-a7fb-4bb4-abb0-32fd4e18d489",)"
               R"("status":429,"statusText":"Too Many Requests"})");
      busy.headers = {{"X-Ratelimit-Retry", "2"}, {"X-Ratelimit-Limit", "6"}, {"X-Ratelimit-Reset", "2"}};
      return busy;
    }
    const bool is_answered = r.target.find("isAnswered=true") != std::string::npos;
    if (r.path == "/api/v1/feedbacks") {
      if (fresh_pages && !is_answered) return FakeResponse::json(200, fresh_page());
      return FakeResponse::json(200, is_answered ? answered : unanswered);
    }
    if (r.path == "/api/v1/feedback") {
      const std::string id = r.target.substr(r.target.find("id=") + 3);
      if (const auto it = by_id.find(id); it != by_id.end()) return FakeResponse::json(200, it->second);
      return FakeResponse::json(422, R"({"data":null,"error":true,"errorText":"Невозможно получить отзыв по id",)"
                                     R"("additionalErrors":null,"requestId":"87a2fe4d"})");
    }
    if (r.path == "/api/v1/questions") return FakeResponse::json(200, is_answered ? questions_answered : questions_unanswered);
    return FakeResponse::json(404, R"({"title":"path not found","status":404})");
  }

  /// 100 positive feedbacks nobody has seen before.
  std::string fresh_page() {
    boost::json::array items;
    for (int i = 0; i < 100; ++i) {
      ++fresh_counter;
      items.push_back(boost::json::object{{"id", "fresh" + std::to_string(fresh_counter)},
                                          {"text", "Всё отлично, спасибо"},
                                          {"pros", ""},
                                          {"cons", ""},
                                          {"productValuation", 5},
                                          {"createdDate", "2026-12-06T10:00:00+03:00"},
                                          {"answer", nullptr},
                                          {"productDetails", boost::json::object{{"nmId", 12345678},
                                                                                 {"productName", "Куртка зимняя"}}},
                                          {"userName", "Покупатель"}});
    }
    return boost::json::serialize(boost::json::object{
        {"data", boost::json::object{{"countUnanswered", 100000}, {"countArchive", 0}, {"feedbacks", items}}},
        {"error", false},
        {"errorText", ""},
        {"additionalErrors", nullptr}});
  }

  std::vector<FakeRequest> seen() const {
    std::lock_guard lock(mu);
    return requests;
  }
  std::vector<std::chrono::steady_clock::time_point> seen_times() const {
    std::lock_guard lock(mu);
    return times;
  }
  std::size_t count() const {
    std::lock_guard lock(mu);
    return requests.size();
  }
  template <class F>
  void change(F f) {
    std::lock_guard lock(mu);
    f(*this);
  }
};

struct Setup {
  FakeWildberries api;
  FakeHttpServer server{[this](const FakeRequest& r) { return api.handle(r); }};
  FakeTelegram tg;
  DaemonHarness h;

  void configure(const std::string& keys) {
    {
      std::ofstream token(h.dir() / "wb.token");
      token << kToken << "\n";
    }
    h.write_config(preset_config(fmt::format("alert_max_age = \"87600h\"\nbrand = \"Рокетбанк\"\ntype = "
                                             "\"wildberries\"\nurl = \"{}\"\napi_key = \"file:wb.token\"\n{}",
                                             server.base_url(), keys),
                                 tg));
  }
};

std::string all_text(const FakeTelegram& tg) {
  std::string all;
  for (const auto& m : tg.messages()) all += m.visible_text + "\n-----\n";
  return all;
}

std::size_t count_with(const FakeTelegram& tg, std::string_view fragment) {
  const auto msgs = tg.messages();
  return static_cast<std::size_t>(std::count_if(msgs.begin(), msgs.end(), [&](const TelegramMessage& m) {
    return m.visible_text.find(fragment) != std::string::npos;
  }));
}

const TelegramMessage* message_with(const std::vector<TelegramMessage>& msgs, std::string_view fragment) {
  for (const auto& m : msgs)
    if (m.visible_text.find(fragment) != std::string::npos) return &m;
  return nullptr;
}

}  // namespace

TEST_CASE("Wildberries feedbacks: the API's requests, alerts naming the product, answers on the site marked",
          "[integration][wildberries]") {
  Setup s;
  s.api.unanswered = read_fixture("wildberries/feedbacks_unanswered.json");
  s.api.answered = read_fixture("wildberries/feedbacks_answered.json");
  s.configure("");
  s.h.start();
  // Unanswered: the jacket (1★ with cons) and the thermos (1★); answered: the small size (answered)
  // and the leaking thermos (its answer rejected by moderation).
  REQUIRE(wait_until([&] { return s.tg.messages().size() >= 4; }, 15s));
  REQUIRE(wait_until([&] { return s.api.count() >= 4; }, 10s));  // a second poll has run

  const auto requests = s.api.seen();
  REQUIRE(requests.size() >= 4);
  // Each poll: the unanswered list newest first (one page on the first poll; later polls stop at
  // the feedbacks seen last time), then the answered list's first page.
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(requests[i].method == "GET");
    CHECK(requests[i].target == (i % 2 == 0 ? "/api/v1/feedbacks?isAnswered=false&take=100&skip=0&order=dateDesc"
                                            : "/api/v1/feedbacks?isAnswered=true&take=100&skip=0&order=dateDesc"));
    CHECK(requests[i].header("Authorization") == std::optional<std::string_view>(kToken));
    CHECK(requests[i].header("Accept").value_or("").find("application/json") == 0);
    CHECK(requests[i].body.empty());
  }

  {
    const std::string all = all_text(s.tg);
    INFO(all);
    CHECK(all.find("Куртку заказывала на зиму, пришла с дыркой на рукаве") != std::string::npos);
    CHECK(all.find("Недостатки: Молния заедает с первого дня") != std::string::npos);
    CHECK(all.find("Оценка: ★☆☆☆☆ 1/5") != std::string::npos);
    CHECK(all.find("Wildberries") != std::string::npos);
    CHECK(all.find("арт. 12345678 · «Куртка зимняя»") != std::string::npos);
    CHECK(all.find("Ужасно 😡 крышка треснула через неделю") != std::string::npos);
    CHECK(all.find("Great jacket") == std::string::npos);  // positive: no alert
    const auto msgs = s.tg.messages();
    const TelegramMessage* small = message_with(msgs, "Маломерит на два размера");
    REQUIRE(small != nullptr);
    CHECK(small->visible_text.find("💬 Ответ компании на сайте:\nЗдравствуйте, Марина!") != std::string::npos);
    CHECK(small->visible_text.find("✅ Ответили: на сайте") != std::string::npos);
    const TelegramMessage* leaking = message_with(msgs, "Термос течёт");
    REQUIRE(leaking != nullptr);
    CHECK(leaking->visible_text.find("Сами вы течёте") == std::string::npos);  // rejected by moderation
    CHECK(leaking->visible_text.find("Ответили: на сайте") == std::string::npos);
  }

  // The seller answers the jacket on the site: it leaves the unanswered list and comes back in the
  // answered one with the answer, which closes its case and updates the alert.
  s.api.change([](FakeWildberries& api) {
    auto unanswered = boost::json::parse(api.unanswered);
    auto answered = boost::json::parse(api.answered);
    auto& from = unanswered.at("data").at("feedbacks").as_array();
    boost::json::value jacket = from.at(0);
    from.erase(from.begin());
    jacket.as_object()["answer"] = boost::json::object{
        {"text", "Анна, простите! Замену отправили, курьер привезёт завтра."}, {"state", "wbRu"}, {"editable", true}};
    jacket.as_object()["state"] = "wbRu";
    auto& to = answered.at("data").at("feedbacks").as_array();
    to.insert(to.begin(), jacket);
    api.unanswered = boost::json::serialize(unanswered);
    api.answered = boost::json::serialize(answered);
  });
  REQUIRE(wait_until(
      [&] {
        const auto msgs = s.tg.messages();
        const TelegramMessage* jacket = message_with(msgs, "Куртку заказывала на зиму");
        return jacket != nullptr && jacket->edits >= 1 &&
               jacket->visible_text.find("Ответили: на сайте") != std::string::npos;
      },
      15s));
  CHECK(count_with(s.tg, "Куртку заказывала на зиму") == 1);  // updated, not alerted again

  // An answer to an older feedback: it leaves the unanswered list but its place in the answered
  // list (ordered by the feedback's date) is beyond the first page. It is read by its id.
  const std::size_t before = s.api.count();
  s.api.change([](FakeWildberries& api) {
    auto unanswered = boost::json::parse(api.unanswered);
    auto& from = unanswered.at("data").at("feedbacks").as_array();
    auto it = std::find_if(from.begin(), from.end(), [](const boost::json::value& f) {
      return f.at("id").as_string() == "Kx1pRZEBhH9mrcYdE004";
    });
    REQUIRE(it != from.end());
    boost::json::value thermos = *it;
    from.erase(it);
    thermos.as_object()["answer"] = boost::json::object{
        {"text", "Дмитрий, пришлите номер заказа в чат — заменим термос."}, {"state", "wbRu"}, {"editable", true}};
    api.by_id["Kx1pRZEBhH9mrcYdE004"] = boost::json::serialize(boost::json::object{
        {"data", thermos}, {"error", false}, {"errorText", ""}, {"additionalErrors", nullptr}});
    api.unanswered = boost::json::serialize(unanswered);
  });
  REQUIRE(wait_until(
      [&] {
        const auto msgs = s.tg.messages();
        const TelegramMessage* thermos = message_with(msgs, "Ужасно 😡 крышка треснула");
        return thermos != nullptr && thermos->visible_text.find("Ответили: на сайте") != std::string::npos;
      },
      15s));
  {
    const auto all = s.api.seen();
    const auto lookups = std::count_if(all.begin() + static_cast<std::ptrdiff_t>(before), all.end(), [](const FakeRequest& r) {
      return r.target == "/api/v1/feedback?id=Kx1pRZEBhH9mrcYdE004";
    });
    CHECK(lookups == 1);  // once: answered now, it is not followed any more
    CHECK(count_with(s.tg, "Ужасно 😡 крышка треснула") == 1);
  }
  REQUIRE(wait_until([&] { return s.api.count() >= before + 8; }, 15s));
  {
    const auto all = s.api.seen();
    CHECK(std::count_if(all.begin(), all.end(), [](const FakeRequest& r) { return r.path == "/api/v1/feedback"; }) == 1);
  }
  CHECK(s.h.stop() == 0);
  CHECK(s.h.log().find(kToken) == std::string::npos);
  CHECK(s.h.log().find("wb-seller-token") == std::string::npos);
}

TEST_CASE("Wildberries questions: an angry unanswered question alerts without a rating",
          "[integration][wildberries]") {
  Setup s;
  s.api.questions_unanswered = read_fixture("wildberries/questions.json");
  s.api.questions_answered = R"({"data":{"countUnanswered":2,"countArchive":0,"questions":[]},"error":false,"errorText":""})";
  s.configure("kind = \"questions\"\nnm_id = \"12345678\"");
  s.h.start();
  REQUIRE(wait_until([&] { return count_with(s.tg, "Где мой заказ?!") >= 1; }, 15s));
  REQUIRE(wait_until([&] { return s.api.count() >= 2; }, 10s));
  const auto requests = s.api.seen();
  CHECK(requests[0].target == "/api/v1/questions?isAnswered=false&take=100&skip=0&order=dateDesc&nmId=12345678");
  CHECK(requests[1].target == "/api/v1/questions?isAnswered=true&take=100&skip=0&order=dateDesc&nmId=12345678");
  CHECK(requests[0].header("Authorization") == std::optional<std::string_view>(kToken));
  const auto msgs = s.tg.messages();
  const TelegramMessage* angry = message_with(msgs, "Где мой заказ?!");
  REQUIRE(angry != nullptr);
  CHECK(angry->visible_text.find("Оценка:") == std::string::npos);
  CHECK(angry->visible_text.find("арт. 12345678") != std::string::npos);
  CHECK(count_with(s.tg, "на какой рост") == 0);  // a plain question is no complaint
  CHECK(s.h.stop() == 0);
}

TEST_CASE("Wildberries: a 429 is waited out as X-Ratelimit-Retry asks and 3 requests a second are kept",
          "[integration][wildberries]") {
  Setup s;
  s.api.answered = R"({"data":{"countUnanswered":0,"countArchive":0,"feedbacks":[]},"error":false,"errorText":""})";
  s.api.fresh_pages = true;   // every unanswered page is full of new feedbacks: later polls read max_pages
  s.api.throttle_request = 5;  // the third call of the second poll
  s.configure("max_pages = 4");
  s.h.start();
  REQUIRE(wait_until([&] { return s.api.count() >= 16; }, 30s));
  CHECK(s.h.stop() == 0);

  const auto requests = s.api.seen();
  const auto times = s.api.seen_times();
  // The first poll reads one page; the second walks on (every feedback on the page is new).
  CHECK(requests[2].target == "/api/v1/feedbacks?isAnswered=false&take=100&skip=0&order=dateDesc");
  CHECK(requests[3].target == "/api/v1/feedbacks?isAnswered=false&take=100&skip=100&order=dateDesc");
  CHECK(requests[4].target == "/api/v1/feedbacks?isAnswered=false&take=100&skip=200&order=dateDesc");
  // The 429 (request 5) is answered by the same call, X-Ratelimit-Retry = 2 seconds later.
  CHECK(requests[5].target == requests[4].target);
  CHECK(times[5] - times[4] >= 1900ms);
  // No window of one second holds more than three calls.
  for (std::size_t i = 0; i + 3 < times.size(); ++i) {
    CAPTURE(i);
    CHECK(times[i + 3] - times[i] >= 900ms);
  }
  // The poll went on after the wait: the fourth page and the answered list.
  CHECK(requests[6].target == "/api/v1/feedbacks?isAnswered=false&take=100&skip=300&order=dateDesc");
  CHECK(requests[7].target == "/api/v1/feedbacks?isAnswered=true&take=100&skip=0&order=dateDesc");
  CHECK(count_with(s.tg, "не принимает ключ") == 0);
  CHECK(s.h.log().find(kToken) == std::string::npos);
}

TEST_CASE("Wildberries: a revoked token reports the source broken once with the API's reason, and the recovery once",
          "[integration][wildberries]") {
  Setup s;
  s.api.unanswered = read_fixture("wildberries/feedbacks_unanswered.json");
  s.api.answered = read_fixture("wildberries/feedbacks_answered.json");
  s.api.revoked = true;
  s.configure("");
  s.h.start();
  REQUIRE(wait_until([&] { return count_with(s.tg, "не принимает ключ") >= 1; }, 15s));
  REQUIRE(wait_until([&] { return s.api.count() >= 3; }, 20s));  // polls go on (with backoff)
  CHECK(count_with(s.tg, "не принимает ключ") == 1);
  {
    const auto msgs = s.tg.messages();
    const TelegramMessage* broken = message_with(msgs, "не принимает ключ");
    REQUIRE(broken != nullptr);
    INFO(broken->visible_text);
    CHECK(broken->visible_text.find("Wildberries refused the credentials (HTTP 401): unauthorized: token problem; "
                                    "token is expired") != std::string::npos);
    CHECK(broken->visible_text.find(kToken) == std::string::npos);
  }
  // Only the first call of each poll was made: nothing read with a refused token.
  for (const auto& r : s.api.seen()) CHECK(r.target.find("isAnswered=false") != std::string::npos);

  s.api.change([](FakeWildberries& api) { api.revoked = false; });
  REQUIRE(wait_until([&] { return count_with(s.tg, "снова работает") >= 1; }, 60s));
  REQUIRE(wait_until([&] { return count_with(s.tg, "Куртку заказывала на зиму") >= 1; }, 15s));
  const std::size_t after = s.api.count();
  REQUIRE(wait_until([&] { return s.api.count() >= after + 4; }, 20s));
  CHECK(count_with(s.tg, "снова работает") == 1);
  CHECK(count_with(s.tg, "не принимает ключ") == 1);
  CHECK(s.h.stop() == 0);
  CHECK(s.h.log().find(kToken) == std::string::npos);
  CHECK(s.h.log().find("token problem; token is expired") != std::string::npos);  // the reason is logged
}
