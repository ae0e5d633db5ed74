// The google_business preset through the real daemon: a fake on 127.0.0.1 acts as Google's token
// endpoint and as both Business Profile APIs (token_url and url point to it). It checks the
// refresh-token form, the Bearer header, every path and query, answers one 429 with Retry-After,
// revokes the refresh token and restores it.

#include "harness.hpp"
#include "preset_config.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/fixture.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

using Steady = std::chrono::steady_clock;

constexpr const char* kClientId = "731122334455-k9a8b7c6d5e4f3g2.apps.googleusercontent.com";
constexpr const char* kClientSecret = "GOCSPX-Xy7_fake-client-secret-9Qw2";
constexpr const char* kRefreshToken = "1//0gFakeRefreshToken-abcdefghijklmnopqrstuvwxyz";
constexpr const char* kToken1 = "ya29.a0AfB_byC-first-access-token-0123456789";
constexpr const char* kToken2 = "ya29.a0AfB_byD-second-access-token-9876543210";
constexpr const char* kAccount = "112233445566778899001";
constexpr const char* kLocations =
    "/v1/accounts/112233445566778899001/locations?readMask=name,title,storefrontAddress,metadata.mapsUri&pageSize=100";
constexpr const char* kLocationsPage2 = "&pageToken=AIe9_BG3kQfzX0p1Wl4mN2bC";
constexpr const char* kOrder = "/reviews?pageSize=50&orderBy=updateTime%20desc";
constexpr const char* kTverskayaPage2 = "&pageToken=CiIKHAoWQWJGdk9xajlHaEprNGxaN3hDMHZCbhAB";

std::string reviews_target(const char* location) {
  return fmt::format("/v4/accounts/{}/locations/{}{}", kAccount, location, kOrder);
}

/// Google's token endpoint and APIs, scripted.
class FakeGoogle {
 public:
  FakeGoogle() {
    docs_[kLocations] = read_fixture("google_business/locations_page1.json");
    docs_[std::string(kLocations) + kLocationsPage2] = read_fixture("google_business/locations_page2.json");
    docs_[reviews_target("4081234567890123456")] = read_fixture("google_business/reviews_tverskaya_page1.json");
    docs_[reviews_target("4081234567890123456") + kTverskayaPage2] =
        read_fixture("google_business/reviews_tverskaya_page2.json");
    docs_[reviews_target("4081234567890123457")] = read_fixture("google_business/reviews_arbat.json");
    docs_[reviews_target("4081234567890123458")] = read_fixture("google_business/reviews_empty.json");
    server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
  }

  [[nodiscard]] std::string url() const { return server_->base_url(); }
  void put(const std::string& target, std::string body) {
    std::lock_guard lock(mu_);
    docs_[target] = std::move(body);
  }
  /// The API refuses every token and the token endpoint answers invalid_grant.
  void revoke() {
    std::lock_guard lock(mu_);
    revoked_ = true;
  }
  /// A new consent: the token endpoint hands out `token`, and the API takes only it.
  void restore(std::string token) {
    std::lock_guard lock(mu_);
    revoked_ = false;
    token_ = std::move(token);
  }
  [[nodiscard]] std::vector<FakeRequest> requests() const { return server_->requests(); }
  [[nodiscard]] std::size_t token_requests() const {
    std::lock_guard lock(mu_);
    return token_requests_;
  }
  /// The calls of the reviews API: when, and the target.
  [[nodiscard]] std::vector<std::pair<Steady::time_point, std::string>> review_calls() const {
    std::lock_guard lock(mu_);
    return review_calls_;
  }
  [[nodiscard]] std::vector<std::string> problems() const {
    std::lock_guard lock(mu_);
    return problems_;
  }

 private:
  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    if (r.path == "/token") {
      ++token_requests_;
      const std::string form = fmt::format("grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
                                           kClientId, kClientSecret, "1%2F%2F0gFakeRefreshToken-abcdefghijklmnopqrstuvwxyz");
      if (r.method != "POST") problems_.push_back("token endpoint: method " + r.method);
      if (r.header("Content-Type") != std::optional<std::string_view>("application/x-www-form-urlencoded"))
        problems_.push_back("token endpoint: Content-Type " + std::string(r.header("Content-Type").value_or("-")));
      if (r.body != form) problems_.push_back("token endpoint: form " + r.body);
      if (r.header("Authorization")) problems_.push_back("token endpoint: an Authorization header");
      if (revoked_) return FakeResponse::json(400, read_fixture("google_business/token_invalid_grant.json"));
      return FakeResponse::json(200, fmt::format(R"({{"access_token": "{}", "expires_in": 3599, )"
                                                 R"("scope": "https://www.googleapis.com/auth/business.manage", )"
                                                 R"("token_type": "Bearer"}})",
                                                 token_));
    }
    if (r.path.starts_with("/v4/")) review_calls_.emplace_back(Steady::now(), r.target);
    if (r.method != "GET") problems_.push_back(r.target + ": method " + r.method);
    if (r.header("Accept") != std::optional<std::string_view>("application/json"))
      problems_.push_back(r.target + ": Accept " + std::string(r.header("Accept").value_or("-")));
    if (revoked_ || r.header("Authorization") != std::optional<std::string_view>("Bearer " + token_))
      return FakeResponse::json(401, read_fixture("google_business/error_unauthenticated.json"));
    if (r.target == reviews_target("4081234567890123457") && !limited_) {
      limited_ = true;
      auto busy = FakeResponse::json(429, read_fixture("google_business/error_resource_exhausted.json"));
      busy.headers.emplace_back("Retry-After", "1");
      return busy;
    }
    auto it = docs_.find(r.target);
    if (it == docs_.end()) {
      problems_.push_back("unexpected " + r.method + " " + r.target);
      return FakeResponse::json(404, R"({"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}})");
    }
    return FakeResponse::json(200, it->second);
  }

  mutable std::mutex mu_;
  std::map<std::string, std::string> docs_;
  bool revoked_ = false;
  bool limited_ = false;
  std::string token_ = kToken1;
  std::size_t token_requests_ = 0;
  std::vector<std::pair<Steady::time_point, std::string>> review_calls_;
  std::vector<std::string> problems_;
  std::unique_ptr<FakeHttpServer> server_;
};

std::string all_text(const FakeTelegram& tg) {
  std::string all;
  for (const auto& m : tg.messages()) all += m.visible_text + "\n-----\n";
  return all;
}

std::size_t messages_with(const FakeTelegram& tg, std::string_view text) {
  const auto messages = tg.messages();
  return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(), [&](const TelegramMessage& m) {
    return m.visible_text.find(text) != std::string::npos;
  }));
}

}  // namespace

TEST_CASE("Google Business Profile: refresh-token flow, every location's reviews, 429, a revoked token and its return",
          "[integration][google_business]") {
  FakeGoogle google;
  FakeTelegram tg;
  DaemonHarness h;
  for (auto [file, value] : {std::pair{"gbp.client_id", kClientId}, std::pair{"gbp.client_secret", kClientSecret},
                             std::pair{"gbp.refresh_token", kRefreshToken}}) {
    std::ofstream out(h.dir() / file);
    out << value << "\n";
  }
  h.write_config(preset_config(fmt::format(R"(type = "google_business"
brand = "Рокетбанк"
alert_max_age = "87600h"
account_id = "{}"
url = "{}"
token_url = "{}/token"
client_id = "file:gbp.client_id"
client_secret = "file:gbp.client_secret"
refresh_token = "file:gbp.refresh_token")",
                                           kAccount, google.url(), google.url()),
                               tg));
  h.start();

  // The first poll alerts on the negative reviews of each location (one page per location).
  REQUIRE(wait_until([&] { return tg.messages().size() >= 3; }, 15s));
  REQUIRE(wait_until([&] { return google.review_calls().size() >= 7; }, 15s));  // a second poll done
  {
    const auto requests = google.requests();
    REQUIRE(requests.size() >= 7);
    CHECK(requests[0].path == "/token");
    CHECK(requests[1].target == kLocations);
    CHECK(requests[2].target == std::string(kLocations) + kLocationsPage2);
    CHECK(requests[3].target == reviews_target("4081234567890123456"));
    CHECK(requests[4].target == reviews_target("4081234567890123457"));  // answered 429
    CHECK(requests[5].target == reviews_target("4081234567890123457"));
    CHECK(requests[6].target == reviews_target("4081234567890123458"));
    CHECK(google.token_requests() == 1);  // the access token is kept across polls
    // The list of locations is read once, not on every poll.
    CHECK(std::count_if(requests.begin(), requests.end(), [](const FakeRequest& r) { return r.target == kLocations; }) == 1);
  }
  INFO(fmt::format("{}", fmt::join(google.problems(), "\n")));
  CHECK(google.problems().empty());
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find("Круассан был чёрствый, а кассир нахамил") != std::string::npos);
    CHECK(all.find("Тверская, 12") != std::string::npos);
    CHECK(all.find("★☆☆☆☆ 1/5") != std::string::npos);
    CHECK(all.find("Кофе остыл, пока несли до столика") != std::string::npos);
    CHECK(all.find("★★☆☆☆ 2/5") != std::string::npos);
    CHECK(all.find("💬 Ответ компании на сайте:\nЗдравствуйте, Марина!") != std::string::npos);
    CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
    CHECK(all.find("Продали просроченный йогурт") != std::string::npos);
    CHECK(all.find("Арбат, 24, стр. 1") != std::string::npos);
    CHECK(all.find("Wi-Fi не работает") == std::string::npos);  // page 2: not read on the first poll
  }

  // The 429 was waited out (Retry-After: 1), and the reviews API got at most 2 calls a second.
  {
    const auto calls = google.review_calls();
    std::vector<Steady::time_point> arbat;
    for (const auto& [at, target] : calls)
      if (target == reviews_target("4081234567890123457")) arbat.push_back(at);
    REQUIRE(arbat.size() >= 2);
    CHECK(arbat[1] - arbat[0] >= 950ms);
    for (std::size_t i = 2; i < calls.size(); ++i) {
      CAPTURE(i);
      CHECK(calls[i].first - calls[i - 2].first >= 950ms);
    }
  }

  // Four new reviews at Тверская fill page 1: the next poll reads page 2 by its token.
  {
    std::string fresh = read_fixture("google_business/reviews_tverskaya_page1.json");
    for (auto [from, to] : {std::pair{"AbFvOqm1xKzT0aQ9cR2uYw", "AbFvOqm1xKzT0aQ9cR2uY1"},
                            std::pair{"AbFvOqn7LmWp3sE8dH5gZq", "AbFvOqn7LmWp3sE8dH5gZ1"},
                            std::pair{"AbFvOqk2RtYu6iO9pA1sDf", "AbFvOqk2RtYu6iO9pA1sD1"},
                            std::pair{"AbFvOqj9GhJk4lZ7xC0vBn", "AbFvOqj9GhJk4lZ7xC0vB1"}})
      replace_all(fresh, from, to);
    google.put(reviews_target("4081234567890123456"), fresh);
    const std::string page2 = reviews_target("4081234567890123456") + kTverskayaPage2;
    REQUIRE(wait_until(
        [&] {
          const auto calls = google.review_calls();
          return std::any_of(calls.begin(), calls.end(), [&](const auto& c) { return c.second == page2; });
        },
        15s));
    REQUIRE(wait_until([&] { return messages_with(tg, "Wi-Fi не работает") == 1; }, 10s));
  }

  // The owner answers the Арбат review on Google: page 1 is read on every poll, so the posted
  // alert is edited to show the answer and the case is marked answered on the site.
  {
    std::string answered = read_fixture("google_business/reviews_arbat.json");
    const std::string updated = R"("updateTime": "2026-11-19T20:11:09.3Z")";
    REQUIRE(answered.find(updated) != std::string::npos);
    replace_all(answered, updated,
                std::string(R"("updateTime": "2026-11-22T09:00:00Z",)") +
                    R"( "reviewReply": {"comment": "Дмитрий, простите! Деньги за йогурт вернём на карту, )"
                    R"(напишите номер заказа в ответ.", "updateTime": "2026-11-22T09:00:00Z"})");
    google.put(reviews_target("4081234567890123457"), answered);
    REQUIRE(wait_until(
        [&] {
          for (const auto& m : tg.messages())
            if (m.visible_text.find("Продали просроченный йогурт") != std::string::npos &&
                m.visible_text.find("Дмитрий, простите! Деньги за йогурт вернём") != std::string::npos)
              return true;
          return false;
        },
        15s));
  }

  // The owner revokes the access: reported broken once, with Google's words.
  const std::string broken = "API не принимает ключ";
  google.revoke();
  REQUIRE(wait_until([&] { return messages_with(tg, broken) >= 1; }, 20s));
  {
    const std::size_t tokens = google.token_requests();
    REQUIRE(wait_until([&] { return google.token_requests() >= tokens + 2; }, 20s));  // two more failed polls
    CHECK(messages_with(tg, broken) == 1);
    CHECK(messages_with(tg, "invalid_grant: Token has been expired or revoked.") == 1);
  }

  // A new refresh token's consent works again: recovered once, the new access token used.
  google.restore(kToken2);
  const std::string recovered = "снова работает";
  REQUIRE(wait_until([&] { return messages_with(tg, recovered) >= 1; }, 30s));
  {
    const std::size_t calls = google.review_calls().size();
    REQUIRE(wait_until([&] { return google.review_calls().size() >= calls + 6; }, 20s));
    CHECK(messages_with(tg, recovered) == 1);
    CHECK(messages_with(tg, broken) == 1);
    const auto requests = google.requests();
    CHECK(requests.back().header("Authorization") == std::optional<std::string_view>(std::string("Bearer ") + kToken2));
  }
  CHECK(google.problems().empty());

  CHECK(h.stop() == 0);
  const std::string log = h.log();
  for (const char* secret : {kClientSecret, kRefreshToken, kToken1, kToken2, kClientId}) {
    CAPTURE(secret);
    CHECK(log.find(secret) == std::string::npos);
  }
  const std::string all = all_text(tg);
  for (const char* secret : {kClientSecret, kRefreshToken, kToken1, kToken2}) CHECK(all.find(secret) == std::string::npos);
}
