// The ozon preset through the real daemon against a fake Seller API on 127.0.0.1: the requests as
// the API wants them (POST, path, JSON body, Client-Id and Api-Key), alerts naming the product
// with its rating, the seller's answer marking the case, a 429 waited out within the budget, a
// refused key reported once and its recovery once, and the key never in the log.

#include "harness.hpp"
#include "preset_config.hpp"
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

constexpr const char* kClientId = "778899";
constexpr const char* kKey = "ozon-api-key-5f1e2d3c4b5a69788796";

/// The Seller API's review methods, scripted by the test while the daemon runs.
class FakeOzon {
 public:
  struct Seen {
    std::chrono::steady_clock::time_point at;
    std::string path;
    std::string body;
    int status = 0;
  };

  FakeOzon()
      : unprocessed_(read_fixture("ozon/reviews_unprocessed_page1.json")),
        server_([this](const FakeRequest& r) { return handle(r); }) {}

  [[nodiscard]] std::string url() const { return server_.base_url(); }
  [[nodiscard]] std::vector<FakeRequest> requests() const { return server_.requests(); }
  void set_unprocessed(std::string body) {
    std::lock_guard lock(mu_);
    unprocessed_ = std::move(body);
  }
  void refuse(bool on) {
    std::lock_guard lock(mu_);
    refuse_ = on;
  }
  void throttle_once() {
    std::lock_guard lock(mu_);
    throttle_ = 1;
  }
  [[nodiscard]] std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  [[nodiscard]] std::size_t count(std::string_view path) const {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(
        std::count_if(seen_.begin(), seen_.end(), [&](const Seen& s) { return s.path == path; }));
  }

 private:
  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    FakeResponse out = answer(r);
    seen_.push_back({std::chrono::steady_clock::now(), r.path, r.body, out.status});
    return out;
  }

  FakeResponse answer(const FakeRequest& r) {
    if (r.method != "POST" || r.header("Content-Type") != std::optional<std::string_view>("application/json"))
      return FakeResponse::json(400, R"({"code": 3, "message": "bad request", "details": []})");
    if (refuse_ || r.header("Client-Id") != std::optional<std::string_view>(kClientId) ||
        r.header("Api-Key") != std::optional<std::string_view>(kKey))
      return FakeResponse::json(401, read_fixture("ozon/error_invalid_key.json"));
    if (throttle_ > 0) {
      --throttle_;
      FakeResponse limited = FakeResponse::json(429, read_fixture("ozon/error_rate_limit.json"));
      limited.headers.emplace_back("Retry-After", "1");
      return limited;
    }
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    if (ec || !body.is_object()) return FakeResponse::json(400, R"({"code": 3, "message": "invalid JSON"})");
    const auto& o = body.get_object();
    if (r.path == "/v1/review/list") {
      const std::string status = o.contains("status") ? std::string(o.at("status").as_string()) : "";
      if (status == "PROCESSED") return FakeResponse::json(200, read_fixture("ozon/reviews_processed.json"));
      if (status != "UNPROCESSED") return FakeResponse::json(400, R"({"code": 3, "message": "status"})");
      if (o.contains("last_id")) return FakeResponse::json(200, read_fixture("ozon/reviews_unprocessed_page2.json"));
      return FakeResponse::json(200, unprocessed_);
    }
    if (r.path == "/v1/review/comment/list") return FakeResponse::json(200, read_fixture("ozon/comments_answered.json"));
    if (r.path == "/v3/product/info/list") return FakeResponse::json(200, read_fixture("ozon/product_info.json"));
    return FakeResponse::json(404, R"({"code": 5, "message": "not found"})");
  }

  mutable std::mutex mu_;
  std::string unprocessed_;
  bool refuse_ = false;
  int throttle_ = 0;
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

TEST_CASE("Ozon reviews through the Seller API: requests, alerts, answers, 429, a refused key",
          "[integration][ozon]") {
  FakeOzon api;
  FakeTelegram tg;
  DaemonHarness h;
  {
    std::ofstream key(h.dir() / "ozon.key");
    key << kKey << "\n";
  }
  h.write_config(preset_config(fmt::format("type = \"ozon\"\nurl = \"{}\"\nclient_id = \"{}\"\napi_key = \"file:ozon.key\"\n"
                                           "alert_max_age = \"87600h\"\nbrand = \"Рокетбанк\"",
                                           api.url(), kClientId),
                               tg));
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 15s));
  REQUIRE(wait_until([&] { return api.count("/v1/review/list") >= 6; }, 15s));  // three polls

  // The first call, exactly as the API wants it.
  const auto requests = api.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/v1/review/list");
  CHECK(requests[0].header("Client-Id") == std::optional<std::string_view>(kClientId));
  CHECK(requests[0].header("Api-Key") == std::optional<std::string_view>(kKey));
  CHECK(requests[0].header("Accept") == std::optional<std::string_view>("application/json"));
  CHECK(boost::json::parse(requests[0].body) ==
        boost::json::parse(R"({"limit": 100, "sort_dir": "DESC", "status": "UNPROCESSED"})"));
  CHECK(boost::json::parse(requests[1].body) ==
        boost::json::parse(R"({"limit": 100, "sort_dir": "DESC", "status": "PROCESSED"})"));
  // The seller's answer is looked up once: later polls see the same comment count.
  CHECK(api.count("/v1/review/comment/list") == 1);
  {
    const auto seen = api.seen();
    CHECK(std::none_of(seen.begin(), seen.end(), [](const auto& s) { return s.body.find("last_id") != std::string::npos; }));
  }
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(tg.messages().size() == 2);  // the two 1-star complaints; the praise is not an alert
    CHECK(all.find("Ozon") != std::string::npos);
    CHECK(all.find("SKU 1783456012 · «Куртка зимняя мужская»") != std::string::npos);
    CHECK(all.find("молния расходится") != std::string::npos);
    CHECK(all.find("★☆☆☆☆ 1/5") != std::string::npos);
    CHECK(all.find("Пуховик линяет") != std::string::npos);
    CHECK(all.find("💬 Ответ компании на сайте:\nЗдравствуйте! Нам очень жаль.") != std::string::npos);
    CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
  }

  // New reviews fill page 1, and the API asks to slow down once: the wait is kept, then page 2.
  std::string fresh = read_fixture("ozon/reviews_unprocessed_page1.json");
  for (const char* tail : {"4d01", "4d02", "4d03"}) replace_all(fresh, std::string("1f6a2b3c") + tail, std::string("1f6a2b3c9") + tail);
  replace_all(fresh,
              "Куртка пришла с браком: молния расходится, на рукаве пятно. Размер маломерит на два, хотя в карточке "
              "«соответствует». Возврат оформить не даёт, пишет «ошибка». Деньги на ветер.",
              "Пальто пришло с браком: оторвана пуговица, подкладка порвана. Продавец не отвечает уже неделю, "
              "это обман.");
  api.throttle_once();
  api.set_unprocessed(fresh);
  REQUIRE(wait_until([&] { return count_with(tg, "Пальто пришло с браком") >= 1; }, 15s));
  REQUIRE(wait_until([&] {
    const auto seen = api.seen();
    return std::any_of(seen.begin(), seen.end(), [](const auto& s) { return s.body.find("last_id") != std::string::npos; });
  }, 10s));
  {
    const auto seen = api.seen();
    const auto limited = std::find_if(seen.begin(), seen.end(), [](const auto& s) { return s.status == 429; });
    REQUIRE(limited != seen.end());
    REQUIRE(limited + 1 != seen.end());
    CHECK((limited + 1)->at - limited->at >= 950ms);  // Retry-After: 1
    CHECK((limited + 1)->path == limited->path);       // the same call again
    CHECK((limited + 1)->status == 200);
    // The budget: never more than five calls in a second.
    for (std::size_t i = 0; i + 5 < seen.size(); ++i) CHECK(seen[i + 5].at - seen[i].at >= 900ms);
    const auto page2 = std::find_if(seen.begin(), seen.end(), [](const auto& s) { return s.body.find("last_id") != std::string::npos; });
    CHECK(boost::json::parse(page2->body).as_object().at("last_id").as_string() == "01939a6e-5c1f-7d2b-9e3a-1f6a2b3c94d03");
  }

  CHECK(h.log().find("poll failed") == std::string::npos);  // the 429 was waited out inside the poll

  // The key is refused: one notice with the API's reason; the recovery told once.
  api.refuse(true);
  REQUIRE(wait_until([&] { return count_with(tg, "API не принимает ключ") >= 1; }, 15s));
  const std::size_t at_refusal = api.count("/v1/review/list");
  REQUIRE(wait_until([&] { return api.count("/v1/review/list") >= at_refusal + 2; }, 30s));
  CHECK(count_with(tg, "API не принимает ключ") == 1);
  CHECK(count_with(tg, "Invalid Api-Key, please check the key and try again") == 1);
  api.refuse(false);
  REQUIRE(wait_until([&] { return count_with(tg, "снова работает") >= 1; }, 60s));
  const std::size_t at_recovery = api.count("/v1/review/list");
  REQUIRE(wait_until([&] { return api.count("/v1/review/list") >= at_recovery + 4; }, 20s));
  CHECK(count_with(tg, "снова работает") == 1);
  CHECK(count_with(tg, "API не принимает ключ") == 1);

  CHECK(h.stop() == 0);
  const std::string log = h.log();
  CHECK(log.find(kKey) == std::string::npos);
  for (const auto& m : tg.messages()) CHECK(m.visible_text.find(kKey) == std::string::npos);
}
