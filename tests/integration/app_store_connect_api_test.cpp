// The app_store_connect preset through the real daemon against a fake App Store Connect API on
// 127.0.0.1. The fake checks every request as Apple does: GET on the customerReviews path with the
// documented query, and an ES256 JWT verified with the public half of the test key
// (tests/fixtures/app_store_connect) — alg, kid, typ, iss, aud, a lifetime of at most 20 minutes.

#include "harness.hpp"
#include "preset_config.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/es256_jwt.hpp"
#include "tests/support/fixture.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <mutex>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kKeyId = "TEST2K7Q9Z";
constexpr const char* kIssuer = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";
const std::string kFirst =
    "/v1/apps/1492000001/customerReviews?sort=-createdDate&limit=200&include=response"
    "&fields%5BcustomerReviews%5D=rating,title,body,reviewerNickname,createdDate,territory,response"
    "&fields%5BcustomerReviewResponses%5D=responseBody,lastModifiedDate,state";
const std::string kAnswered = kFirst + "&exists%5BpublishedResponse%5D=true";
// The path and query of links.next in reviews_page1.json.
const std::string kNext =
    "/v1/apps/1492000001/customerReviews?cursor=Nw.AO7Fz2M&sort=-createdDate&limit=200&include=response"
    "&fields%5BcustomerReviews%5D=rating%2Ctitle%2Cbody%2CreviewerNickname%2CcreatedDate%2Cterritory%2Cresponse"
    "&fields%5BcustomerReviewResponses%5D=responseBody%2ClastModifiedDate%2Cstate";

/// One request as the fake API saw it.
struct Seen {
  std::string method;
  std::string target;
  std::string accept;
  std::string token;                       ///< the bearer token
  std::string refused;                     ///< why the token was refused ("" = accepted)
  int status = 0;
  std::chrono::steady_clock::time_point at;
};

/// The App Store Connect API as far as the preset uses it.
class FakeAppStoreConnect {
 public:
  FakeAppStoreConnect() {
    trusted_ = read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.pub.pem");
    server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
  }

  [[nodiscard]] std::string base_url() const { return server_->base_url(); }
  void put(const std::string& target, std::string body) {
    std::lock_guard lock(mu_);
    docs_[target] = std::move(body);
  }
  /// The public key the API trusts (another key's: every token is refused).
  void trust(std::string public_pem) {
    std::lock_guard lock(mu_);
    trusted_ = std::move(public_pem);
  }
  /// The next `n` accepted requests are answered 429 with `retry_after` ("" = no Retry-After).
  void limit_next(int n, std::string retry_after) {
    std::lock_guard lock(mu_);
    limited_ = n;
    retry_after_ = std::move(retry_after);
  }
  [[nodiscard]] std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  [[nodiscard]] std::size_t hits(const std::string& target) const {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(
        std::count_if(seen_.begin(), seen_.end(), [&](const Seen& s) { return s.target == target; }));
  }

 private:
  /// "" when `authorization` carries a token Apple would take; why not otherwise.
  std::string refuse(std::string_view authorization, std::string& token) const {
    if (!authorization.starts_with("Bearer ")) return "no bearer token";
    token = std::string(authorization.substr(7));
    const JwtCheck check = check_es256_jwt(token, trusted_);
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
    if (str(check.header, "kid") != kKeyId) return "kid is not the key's id";
    if (str(check.header, "typ") != "JWT") return "typ is not JWT";
    if (str(check.payload, "iss") != kIssuer) return "iss is not the issuer id";
    if (str(check.payload, "aud") != "appstoreconnect-v1") return "aud is not appstoreconnect-v1";
    const std::int64_t iat = num(check.payload, "iat");
    const std::int64_t exp = num(check.payload, "exp");
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (iat < 0 || exp <= iat || exp - iat > 1200) return "lifetime over 20 minutes or no iat/exp";
    if (iat > now + 60 || exp < now) return "expired or issued in the future";
    return {};
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard lock(mu_);
    Seen s;
    s.method = r.method;
    s.target = r.target;
    s.accept = std::string(r.header("Accept").value_or(""));
    s.at = std::chrono::steady_clock::now();
    s.refused = refuse(r.header("Authorization").value_or(""), s.token);
    FakeResponse out;
    if (!s.refused.empty()) {
      out = FakeResponse::json(401, read_fixture("app_store_connect/error_401.json"));
    } else if (limited_ > 0) {
      --limited_;
      out = FakeResponse::json(429, read_fixture("app_store_connect/error_429.json"));
      out.headers.emplace_back("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:0;");
      if (!retry_after_.empty()) out.headers.emplace_back("Retry-After", retry_after_);
    } else if (r.method != "GET") {
      out = FakeResponse::json(405, R"({"errors":[{"status":"405","code":"METHOD_NOT_ALLOWED","title":"no"}]})");
    } else if (auto it = docs_.find(r.target); it != docs_.end()) {
      out = FakeResponse::json(200, it->second);
      out.headers.emplace_back("X-Rate-Limit", "user-hour-lim:3600;user-hour-rem:3590;");
    } else {
      out = FakeResponse::json(404, R"({"errors":[{"status":"404","code":"NOT_FOUND","title":"The specified resource does not exist","detail":"unknown target"}]})");
    }
    s.status = out.status;
    seen_.push_back(std::move(s));
    return out;
  }

  mutable std::mutex mu_;
  std::string trusted_;
  std::map<std::string, std::string> docs_;
  int limited_ = 0;
  std::string retry_after_;
  std::vector<Seen> seen_;
  std::unique_ptr<FakeHttpServer> server_;
};

/// The daemon's config: the preset with its keys, the key file next to the config.
void configure(DaemonHarness& h, const FakeAppStoreConnect& api, const FakeTelegram& tg) {
  {
    std::ofstream key(h.dir() / "AuthKey_TEST2K7Q9Z.p8");
    key << read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.p8");
  }
  h.write_config(preset_config(fmt::format(R"(alert_max_age = "87600h"
brand = "Рокетбанк"
type = "app_store_connect"
url = "{}"
app_id = "1492000001"
issuer_id = "{}"
key_id = "{}"
private_key = "file:AuthKey_TEST2K7Q9Z.p8"
app_name = "Рокетбанк")",
                                           api.base_url(), kIssuer, kKeyId),
                               tg));
}

std::string all_text(const FakeTelegram& tg) {
  std::string all;
  for (const auto& m : tg.messages()) all += m.visible_text + "\n-----\n";
  return all;
}

/// The key's base64 lines and every token the API saw: none may reach the log or the chat.
void check_no_secret(const std::string& text, const FakeAppStoreConnect& api) {
  const std::string key = read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.p8");
  std::size_t start = 0;
  while (start < key.size()) {
    const std::size_t end = std::min(key.find('\n', start), key.size());
    const std::string line = key.substr(start, end - start);
    if (!line.starts_with("-----") && line.size() > 16) CHECK(text.find(line) == std::string::npos);
    start = end + 1;
  }
  for (const auto& s : api.seen()) {
    if (s.token.empty()) continue;
    CHECK(text.find(s.token) == std::string::npos);
    CHECK(text.find(s.token.substr(s.token.rfind('.') + 1)) == std::string::npos);  // the signature alone
  }
}

std::size_t count_of(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("App Store Connect: signed calls, alerts naming the app, a later answer, older pages, the budget",
          "[integration][app_store_connect]") {
  FakeAppStoreConnect api;
  api.put(kFirst, read_fixture("app_store_connect/reviews_page1.json"));
  api.put(kAnswered, read_fixture("app_store_connect/answered.json"));
  api.put(kNext, read_fixture("app_store_connect/reviews_page2_last.json"));
  FakeTelegram tg;
  DaemonHarness h;
  configure(h, api, tg);
  h.start();
  REQUIRE(wait_until([&] { return api.hits(kFirst) >= 3 && tg.messages().size() >= 3; }, 20s));

  {
    const auto seen = api.seen();
    REQUIRE(seen.size() >= 2);
    // Each poll: the newest reviews, then the answered list; the first poll reads one page.
    CHECK(seen[0].target == kFirst);
    CHECK(seen[1].target == kAnswered);
    for (const auto& s : seen) {
      CAPTURE(s.target);
      CHECK(s.method == "GET");
      CHECK(s.refused.empty());
      CHECK(s.status == 200);
      CHECK(s.accept == "application/json");
    }
    CHECK(api.hits(kNext) == 0);  // later polls found page 1's reviews seen
    // The token is signed once and reused, not signed per call.
    CHECK(seen[0].token == seen[1].token);
  }
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find("Не входит после обновления") != std::string::npos);
    CHECK(all.find("Рокетбанк · Россия") != std::string::npos);  // the subject: the app and the territory
    CHECK(all.find("💬 Ответ компании на сайте:\nАйдар, здравствуйте!") != std::string::npos);
    CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
    CHECK(all.find("Finally a bank app that just works") == std::string::npos);  // five stars: no alert
  }

  // The company answers the first review on App Store Connect: the answered list brings it back.
  auto marina = [&] {
    for (const auto& m : tg.messages())
      if (m.visible_text.find("Не входит после обновления") != std::string::npos) return m.visible_text;
    return std::string();
  };
  CHECK(marina().find("Ответили") == std::string::npos);
  api.put(kAnswered, read_fixture("app_store_connect/answered_later.json"));
  REQUIRE(wait_until([&] { return marina().find("✅ Ответили: на сайте") != std::string::npos; }, 20s));

  // Eight new reviews at once: page 1 holds only new ones, so the walk follows links.next.
  std::string fresh = read_fixture("app_store_connect/reviews_page1.json");
  replace_all(fresh, "0c1d0000000", "0c1d0000010");
  api.put(kFirst, fresh);
  REQUIRE(wait_until([&] { return api.hits(kNext) >= 1; }, 20s));
  REQUIRE(wait_until([&] { return all_text(tg).find("Перевод по СБП шёл двое суток") != std::string::npos; }, 20s));

  CHECK(h.stop() == 0);
  // The budget: one call every 1.2 s per key, whatever the 1 s interval asks.
  const auto seen = api.seen();
  for (std::size_t i = 1; i < seen.size(); ++i) {
    CAPTURE(i);
    CHECK(seen[i].at - seen[i - 1].at >= 1150ms);
  }
  check_no_secret(h.log(), api);
  check_no_secret(all_text(tg), api);
}

TEST_CASE("App Store Connect: a 429 with Retry-After is waited out, a long one pauses the source",
          "[integration][app_store_connect]") {
  FakeAppStoreConnect api;
  api.put(kFirst, read_fixture("app_store_connect/reviews_page1.json"));
  api.put(kAnswered, read_fixture("app_store_connect/answered.json"));
  api.limit_next(1, "2");
  FakeTelegram tg;
  DaemonHarness h;
  configure(h, api, tg);
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= 3; }, 20s));
  {
    const auto seen = api.seen();
    REQUIRE(seen.size() >= 2);
    CHECK(seen[0].status == 429);
    CHECK(seen[1].target == kFirst);  // the same call again …
    CHECK(seen[1].status == 200);
    CHECK(seen[1].at - seen[0].at >= 1900ms);  // … after the two seconds asked for
    CHECK(seen[1].at - seen[0].at < 8s);
  }
  // An hour spent: Apple asks for two minutes, more than a poll waits; the source pauses.
  REQUIRE(wait_until([&] { return api.hits(kFirst) >= 3; }, 20s));
  api.limit_next(1, "120");
  REQUIRE(wait_until([&] {
    const auto seen = api.seen();
    return !seen.empty() && seen.back().status == 429;
  }, 10s));
  const std::size_t after_limit = api.seen().size();
  std::this_thread::sleep_for(4s);
  CHECK(api.seen().size() == after_limit);  // nothing asked while the API said to wait
  CHECK(api.seen().back().status == 429);
  CHECK(h.stop() == 0);
  const std::string log = h.log();
  CHECK(log.find("RATE_LIMIT_EXCEEDED") != std::string::npos);
  check_no_secret(log, api);
}

TEST_CASE("App Store Connect: a refused key breaks the source once with Apple's reason and recovers once",
          "[integration][app_store_connect]") {
  FakeAppStoreConnect api;
  api.put(kFirst, read_fixture("app_store_connect/reviews_page1.json"));
  api.put(kAnswered, read_fixture("app_store_connect/answered.json"));
  // The API knows another key under this id (revoked and made anew): every token fails its check.
  api.trust(make_p256_pem().second);
  FakeTelegram tg;
  DaemonHarness h;
  configure(h, api, tg);
  h.start();
  REQUIRE(wait_until([&] { return api.seen().size() >= 6; }, 30s));  // three polls, each with a fresh token once
  {
    const auto seen = api.seen();
    for (const auto& s : seen) {
      CHECK(s.status == 401);
      CHECK(s.refused == "ES256 signature does not verify with the public key");
    }
    CHECK(seen[0].token != seen[1].token);  // the 401 made the client sign a new token
  }
  REQUIRE(wait_until([&] { return all_text(tg).find("API не принимает ключ") != std::string::npos; }, 10s));
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(count_of(all, "API не принимает ключ") == 1);
    CHECK(all.find("NOT_AUTHORIZED: Provide a properly configured and signed bearer token") != std::string::npos);
  }

  // The key works again.
  api.trust(read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.pub.pem"));
  REQUIRE(wait_until([&] { return all_text(tg).find("снова работает") != std::string::npos; }, 30s));
  REQUIRE(wait_until([&] { return api.hits(kFirst) >= 12; }, 30s));
  const std::string all = all_text(tg);
  INFO(all);
  CHECK(count_of(all, "API не принимает ключ") == 1);
  CHECK(count_of(all, "снова работает") == 1);
  CHECK(h.stop() == 0);
  check_no_secret(h.log(), api);
  check_no_secret(all, api);
}
