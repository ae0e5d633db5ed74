// The yandex_market preset through the real daemon against a fake Partner API on 127.0.0.1: the
// requests as the API wants them (POST, /v2/businesses/ID/goods-feedback, limit and page_token,
// JSON body, Api-Key), alerts naming the offer with its rating, the business's comment marking the
// case, a 420 "Enhance Your Calm" waited out within the budget, a refused token reported once and
// its recovery once, and the token never in the log.

#include "harness.hpp"
#include "preset_config.hpp"
#include "sources/generic/paging.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <mutex>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kToken = "ACMA:Xq7PfZr2mT9vLk3Wc8NbYd4Hs6Ga1Je5:0f3c2b1a";
constexpr const char* kFeedbackPath = "/v2/businesses/778899/goods-feedback";
constexpr const char* kCommentsPath = "/v2/businesses/778899/goods-feedback/comments";
constexpr const char* kOffersPath = "/v2/businesses/778899/offer-mappings";

/// The Partner API's goods-feedback methods, scripted by the test while the daemon runs.
class FakeMarket {
 public:
  struct Seen {
    std::chrono::steady_clock::time_point at;
    std::string target;
    std::string body;
    int status = 0;
  };

  FakeMarket()
      : first_page_(read_fixture("yandex_market/feedback_page1.json")),
        server_([this](const FakeRequest& r) { return handle(r); }) {}

  [[nodiscard]] std::string url() const { return server_.base_url(); }
  [[nodiscard]] std::vector<FakeRequest> requests() const { return server_.requests(); }
  void set_first_page(std::string body) {
    std::lock_guard lock(mu_);
    first_page_ = std::move(body);
  }
  void refuse(bool on) {
    std::lock_guard lock(mu_);
    refuse_ = on;
  }
  void calm_down_once() {
    std::lock_guard lock(mu_);
    calm_ = 1;
  }
  [[nodiscard]] std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  [[nodiscard]] std::size_t count(std::string_view path) const {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(std::count_if(seen_.begin(), seen_.end(), [&](const Seen& s) {
      return s.target.substr(0, s.target.find('?')) == path;
    }));
  }

 private:
  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    FakeResponse out = answer(r);
    seen_.push_back({std::chrono::steady_clock::now(), r.target, r.body, out.status});
    return out;
  }

  FakeResponse answer(const FakeRequest& r) {
    if (r.method != "POST")
      return FakeResponse::json(405, R"({"status": "ERROR", "errors": [{"code": "METHOD_NOT_ALLOWED"}]})");
    if (refuse_ || r.header("Api-Key") != std::optional<std::string_view>(kToken))
      return FakeResponse::json(401, read_fixture("yandex_market/error_unauthorized.json"));
    if (calm_ > 0) {
      --calm_;
      return FakeResponse::json(420, read_fixture("yandex_market/error_limit.json"));
    }
    if (r.path == kOffersPath) {
      boost::system::error_code ec;
      const auto body = boost::json::parse(r.body, ec);
      if (ec || body != boost::json::parse(R"({"offerIds": ["JKT-WINTER-42"]})"))
        return FakeResponse::json(400, R"({"status": "ERROR", "errors": [{"code": "BAD_REQUEST", "message": "offerIds"}]})");
      return FakeResponse::json(200, read_fixture("yandex_market/offer_mappings.json"));
    }
    if (query_param(r.target, "limit") != std::optional<std::string>("50"))
      return FakeResponse::json(400, R"({"status": "ERROR", "errors": [{"code": "BAD_REQUEST", "message": "limit"}]})");
    if (r.path == kFeedbackPath) {
      if (query_param(r.target, "page_token") == std::optional<std::string>("eyJvZmZzZXQiOjN9"))
        return FakeResponse::json(200, read_fixture("yandex_market/feedback_page2.json"));
      return FakeResponse::json(200, first_page_);
    }
    if (r.path == kCommentsPath) {
      boost::system::error_code ec;
      const auto body = boost::json::parse(r.body, ec);
      if (!ec && body.is_object() && body.get_object().contains("feedbackId") &&
          body.get_object().at("feedbackId") == boost::json::value(3400100002))
        return FakeResponse::json(200, read_fixture("yandex_market/comments.json"));
      return FakeResponse::json(200, R"({"status": "OK", "result": {"comments": []}})");
    }
    return FakeResponse::json(404, R"({"status": "ERROR", "errors": [{"code": "NOT_FOUND"}]})");
  }

  mutable std::mutex mu_;
  std::string first_page_;
  bool refuse_ = false;
  int calm_ = 0;
  std::vector<Seen> seen_;
  FakeHttpServer server_;
};

std::string all_text(const FakeTelegram& tg) {
  std::string all;
  for (const auto& m : tg.messages()) all += m.visible_text + "\n-----\n";
  return all;
}

std::size_t count_with(const FakeTelegram& tg, std::string_view fragment) {
  const auto msgs = tg.messages();
  return static_cast<std::size_t>(std::count_if(
      msgs.begin(), msgs.end(), [&](const TelegramMessage& m) { return m.visible_text.find(fragment) != std::string::npos; }));
}

}  // namespace

TEST_CASE("Yandex Market goods feedback through the Partner API: requests, alerts, answers, 420, a refused token",
          "[integration][yandex_market]") {
  FakeMarket api;
  FakeTelegram tg;
  DaemonHarness h;
  {
    std::ofstream key(h.dir() / "market.key");
    key << kToken << "\n";
  }
  h.write_config(preset_config(fmt::format("type = \"yandex_market\"\nurl = \"{}\"\nbusiness_id = \"778899\"\n"
                                           "api_key = \"file:market.key\"\nalert_max_age = \"87600h\"\n"
                                           "brand = \"Рокетбанк\"",
                                           api.url()),
                               tg));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 15s));
  REQUIRE(wait_until([&] { return api.count(kFeedbackPath) >= 3; }, 15s));  // three polls

  const auto requests = api.requests();
  REQUIRE(requests.size() >= 3);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/v2/businesses/778899/goods-feedback?limit=50");
  CHECK(requests[0].header("Api-Key") == std::optional<std::string_view>(kToken));
  CHECK_FALSE(requests[0].header("Authorization"));
  CHECK(requests[0].header("Content-Type") == std::optional<std::string_view>("application/json"));
  CHECK(boost::json::parse(requests[0].body) == boost::json::parse(R"({"reactionStatus": "ALL"})"));
  CHECK(requests[1].target == kOffersPath);
  CHECK(requests[2].target == "/v2/businesses/778899/goods-feedback/comments?limit=50");
  CHECK(boost::json::parse(requests[2].body) == boost::json::parse(R"({"feedbackId": 3400100002})"));
  CHECK(api.count(kCommentsPath) == 1);  // the answer is known on later polls
  CHECK(api.count(kOffersPath) == 1);    // and so are the names
  {
    const auto seen = api.seen();
    CHECK(std::none_of(seen.begin(), seen.end(),
                       [](const auto& s) { return s.target.find("page_token") != std::string::npos; }));
  }
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(tg.messages().size() == 2);
    CHECK(all.find("Яндекс Маркет") != std::string::npos);
    CHECK(all.find("арт. JKT-WINTER-42 · «Куртка зимняя мужская Тёплый дом, размер 52»") != std::string::npos);
    CHECK(all.find("Молния заедает с первого дня") != std::string::npos);
    CHECK(all.find("★☆☆☆☆ 1/5") != std::string::npos);
    CHECK(all.find("Курьер опоздал на два дня") != std::string::npos);
    CHECK(all.find("💬 Ответ компании на сайте:\nОлег, приносим извинения") != std::string::npos);
    CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
  }

  // New feedback fills page 1, and Market answers 420 once: the wait is kept, then page 2.
  std::string fresh = read_fixture("yandex_market/feedback_page1.json");
  replace_all(fresh, "34001000", "34002000");
  replace_all(fresh, "Отвратительное качество за такие деньги, в поддержке отвечают шаблонами. Верните деньги!",
              "Прислали б/у товар со следами носки, возврат отклонили без объяснений. Больше не закажу.");
  api.calm_down_once();
  api.set_first_page(fresh);
  REQUIRE(wait_until([&] { return count_with(tg, "Прислали б/у товар") >= 1; }, 20s));
  REQUIRE(wait_until([&] {
    const auto seen = api.seen();
    return std::any_of(seen.begin(), seen.end(), [](const auto& s) { return s.target.find("page_token") != std::string::npos; });
  }, 10s));
  {
    const auto seen = api.seen();
    const auto calm = std::find_if(seen.begin(), seen.end(), [](const auto& s) { return s.status == 420; });
    REQUIRE(calm != seen.end());
    REQUIRE(calm + 1 != seen.end());
    CHECK((calm + 1)->target == calm->target);  // the same call again, after the pause
    CHECK((calm + 1)->status == 200);
    // The budget: one call a second, the retry after a 420 included.
    for (std::size_t i = 0; i + 1 < seen.size(); ++i) CHECK(seen[i + 1].at - seen[i].at >= 900ms);
    const auto page2 = std::find_if(seen.begin(), seen.end(), [](const auto& s) { return s.target.find("page_token") != std::string::npos; });
    CHECK(query_param(page2->target, "page_token") == std::optional<std::string>("eyJvZmZzZXQiOjN9"));
    CHECK(query_param(page2->target, "limit") == std::optional<std::string>("50"));
  }

  CHECK(h.log().find("poll failed") == std::string::npos);  // the 420 was waited out inside the poll

  // The token is refused: one notice with the API's reason; the recovery told once.
  api.refuse(true);
  REQUIRE(wait_until([&] { return count_with(tg, "API не принимает ключ") >= 1; }, 15s));
  const std::size_t at_refusal = api.count(kFeedbackPath);
  REQUIRE(wait_until([&] { return api.count(kFeedbackPath) >= at_refusal + 2; }, 30s));
  CHECK(count_with(tg, "API не принимает ключ") == 1);
  CHECK(count_with(tg, "Api-Key token is invalid or revoked") == 1);
  api.refuse(false);
  REQUIRE(wait_until([&] { return count_with(tg, "снова работает") >= 1; }, 60s));
  const std::size_t at_recovery = api.count(kFeedbackPath);
  REQUIRE(wait_until([&] { return api.count(kFeedbackPath) >= at_recovery + 3; }, 20s));
  CHECK(count_with(tg, "снова работает") == 1);
  CHECK(count_with(tg, "API не принимает ключ") == 1);

  CHECK(h.stop() == 0);
  CHECK(h.log().find(kToken) == std::string::npos);
  for (const auto& m : tg.messages()) CHECK(m.visible_text.find(kToken) == std::string::npos);
}
