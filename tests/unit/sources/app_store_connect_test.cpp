// The app_store_connect preset: the customerReviews answers (hand-written in the API's format),
// the calls it makes, Apple's error bodies, the ES256 token (verified with the test key's public
// half), the key checks of the config, and one source's polls through a scripted HTTP client.
#include "daemon/config/config_load.hpp"
#include "daemon/net/http_client.hpp"
#include "sources/app_store_connect/app_store_connect_api.hpp"
#include "sources/app_store_connect/app_store_connect_parse.hpp"
#include "sources/app_store_connect/asc_jwt.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/es256_jwt.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/unit/sources/parse_input.hpp"

#include <deque>
#include <filesystem>

using namespace otklik;
using otklik::test::read_fixture;
using namespace std::chrono_literals;

namespace {

constexpr const char* kFirstTarget =
    "/v1/apps/1492000001/customerReviews?sort=-createdDate&limit=200&include=response"
    "&fields%5BcustomerReviews%5D=rating,title,body,reviewerNickname,createdDate,territory,response"
    "&fields%5BcustomerReviewResponses%5D=responseBody,lastModifiedDate,state";
constexpr const char* kNextTarget =
    "/v1/apps/1492000001/customerReviews?cursor=Nw.AO7Fz2M&sort=-createdDate&limit=200&include=response"
    "&fields%5BcustomerReviews%5D=rating%2Ctitle%2Cbody%2CreviewerNickname%2CcreatedDate%2Cterritory%2Cresponse"
    "&fields%5BcustomerReviewResponses%5D=responseBody%2ClastModifiedDate%2Cstate";
constexpr const char* kKeyId = "TEST2K7Q9Z";
constexpr const char* kIssuer = "69a6de70-03db-47e3-e053-5b8c7c11a4d1";

const AscApp kApp{"1492000001", "Рокетбанк"};

ParseInput input(const std::string& body) {
  return test::parse_input(body, std::string("https://api.appstoreconnect.apple.com") + kFirstTarget, "asc",
                           "rocketbank", *make_utc(2026, 11, 23, 12, 0, 0));
}

Result<ApiPage> parse(const std::string& body, const AscApp& app = kApp) {
  ApiCall sent;
  sent.target = kFirstTarget;
  return parse_asc_reviews(sent, input(body), app);
}

std::string test_key() { return read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.p8"); }
std::string test_public_key() { return read_fixture("app_store_connect/AuthKey_TEST2K7Q9Z.pub.pem"); }

std::int64_t json_int(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_int64() ? v->as_int64() : -1;
}

std::string json_str(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string("<absent>");
}

/// The API as scripted answers by request target; every request kept.
class ScriptedApi final : public HttpClient {
 public:
  std::map<std::string, std::deque<HttpResponse>> answers;  ///< by path and query
  std::vector<HttpRequest> requests;
  std::string rate_limit = "user-hour-lim:3600;user-hour-rem:3597;";  ///< X-Rate-Limit of every answer

  void answer(const std::string& target, std::string body, int status = 200) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers.emplace_back("Content-Type", "application/json");
    answers[target].push_back(std::move(r));
  }

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    requests.push_back(request);
    const std::string origin = "https://api.appstoreconnect.apple.com";
    const std::string target = request.url.starts_with(origin) ? request.url.substr(origin.size()) : request.url;
    auto it = answers.find(target);
    if (it == answers.end() || it->second.empty()) {
      HttpResponse missing;
      missing.status = 404;
      missing.body = R"({"errors":[{"status":"404","code":"NOT_FOUND","title":"not scripted"}]})";
      co_return missing;
    }
    HttpResponse r = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();
    r.final_url = request.url;
    r.headers.emplace_back("X-Rate-Limit", rate_limit);
    co_return r;
  }
};

SourceConfig asc_config(const std::string& pem) {
  SourceConfig c;
  c.name = "asc";
  c.type = "app_store_connect";
  c.brand = "rocketbank";
  c.url = "https://api.appstoreconnect.apple.com";
  c.options.insert("app_id", "1492000001");
  c.options.insert("issuer_id", kIssuer);
  c.options.insert("key_id", kKeyId);
  c.options.insert("app_name", "Рокетбанк");
  c.secrets.emplace_back("private_key", Secret("file:AuthKey_TEST2K7Q9Z.p8", pem));
  return c;
}

const SourceRegistry& registry() {
  static const SourceRegistry r = SourceRegistry::with_builtin_types();
  return r;
}

std::string problems_of(const SourceConfig& c) {
  ConfigProblems problems;
  registry().validate(c, "source[\"asc\"]", problems);
  std::string out;
  for (const auto& p : problems.items())
    if (!p.warning) out += p.key + ": " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("App Store Connect reviews carry every field, the developer responses and warnings",
          "[sources][app_store_connect]") {
  const std::string body = read_fixture("app_store_connect/reviews_page1.json");
  auto page = parse(body);
  REQUIRE(page);
  const auto& mentions = page->page.mentions;
  REQUIRE(mentions.size() == 6);  // the rating without title or text is skipped

  const Mention& a = mentions[0];
  CHECK(a.source == "asc");
  CHECK(a.brand == "rocketbank");
  CHECK(a.fetched == *make_utc(2026, 11, 23, 12, 0, 0));
  CHECK(a.external_id == "asc:00000042-b08c-0014-5a1e-0c1d00000001");
  CHECK(a.url == "https://appstoreconnect.apple.com/apps/1492000001/distribution/activity/ios/ratingsResponses");
  CHECK(a.author == "Марина К.");
  CHECK(a.author_id.empty());
  CHECK(a.title == "Не входит после обновления");
  CHECK(a.text ==
        "После обновления 5.12 приложение вылетает на экране входа.\n"
        "Код из СМС приходит через десять минут, а иногда не приходит вообще.\n"
        "Поддержка в чате отвечает шаблонами и закрывает обращение. Верните старую версию!");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 20, 17, 15, 42));  // -08:00
  CHECK(a.subject == "Рокетбанк · Россия");
  CHECK(a.company_reply.empty());  // "data": null

  const Mention& b = mentions[1];
  CHECK(b.text == "Transfers are instant and the new card screen is lovely. Support answered my question in two minutes <3");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.subject == "Рокетбанк · Великобритания");
  CHECK(b.published == make_utc(2026, 11, 19, 22, 4, 10));

  const Mention& c = mentions[2];
  CHECK(c.external_id == "asc:00000042-b08c-0014-5a1e-0c1d00000003");
  CHECK(c.rating == std::optional<double>(2.0));
  CHECK(c.subject == "Рокетбанк · Казахстан");
  CHECK(c.published == make_utc(2026, 11, 18, 9, 30, 0));  // +05:00
  CHECK(c.company_reply ==
        "Айдар, здравствуйте! Комиссию вернули на карту, кешбэк за октябрь начислим до 25 ноября. Спасибо, что написали.");

  const Mention& d = mentions[3];  // a title and an empty body
  CHECK(d.title == "Нормально, но тормозит");
  CHECK(d.text.empty());
  CHECK(d.rating == std::optional<double>(3.0));

  const Mention& e = mentions[4];  // no title, no nickname, no relationships
  CHECK(e.title.empty());
  CHECK(e.author.empty());
  CHECK(e.text.find("Удобно 🙂") == 0);
  CHECK(e.subject == "Рокетбанк · США");
  CHECK(e.company_reply.empty());

  const Mention& f = mentions[5];  // answered, Apple still checking the response
  CHECK(f.external_id == "asc:00000042-b08c-0014-5a1e-0c1d00000007");
  CHECK(f.company_reply == "Олег, разбираемся: написали вам на почту, какие документы нужны для снятия ограничений.");

  REQUIRE(page->page.warnings.size() == 1);
  CHECK(page->page.warnings[0].find("00000042-b08c-0014-5a1e-0c1d00000006") != std::string::npos);
  CHECK(page->page.warnings[0].find("without title or text") != std::string::npos);

  // links.next: its path and query, asked of the client's own base URL.
  REQUIRE(page->next);
  CHECK(page->next->method == "GET");
  CHECK(page->next->target == kNextTarget);
}

TEST_CASE("App Store Connect: the last page has no next call and the app is named by id without app_name",
          "[sources][app_store_connect]") {
  auto page = parse(read_fixture("app_store_connect/reviews_page2_last.json"), AscApp{"1492000001", ""});
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 2);
  CHECK(page->page.mentions[0].subject == "app 1492000001 · Чехия");
  CHECK(page->page.mentions[1].subject == "app 1492000001 · Россия");
  CHECK_FALSE(page->next);
  CHECK(page->page.warnings.empty());
}

TEST_CASE("App Store Connect ratings map onto 0..5 and odd values are left empty", "[sources][app_store_connect]") {
  struct Case {
    const char* rating;
    std::optional<double> expected;
    bool warns;
  };
  const Case cases[] = {
      {"1", 1.0, false},           {"3", 3.0, false},           {"5", 5.0, false},  {"\"4\"", 4.0, false},
      {"0", std::nullopt, true},   {"6", std::nullopt, true},   {"null", std::nullopt, false},
      {"\"много\"", std::nullopt, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.rating);
    const std::string body = std::string(R"({"data":[{"type":"customerReviews","id":"r1","attributes":{"body":"ok","rating":)") +
                             c.rating + "}}]}";
    auto page = parse(body);
    REQUIRE(page);
    REQUIRE(page->page.mentions.size() == 1);
    CHECK(page->page.mentions[0].rating == c.expected);
    CHECK(page->page.warnings.size() == (c.warns ? 1U : 0U));
  }
}

TEST_CASE("App Store Connect bodies that are not a reviews list fail, odd items are skipped",
          "[sources][app_store_connect]") {
  for (const char* bad : {"not json", "{}", R"({"data":{}})", "[]", R"({"errors":[{"status":"500"}]})"}) {
    CAPTURE(bad);
    auto page = parse(bad);
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
  }
  auto page = parse(R"({"data":[1,{"type":"apps","id":"9"},{"type":"customerReviews","attributes":{"body":"no id"}},
                      {"type":"customerReviews","id":"r2","attributes":{"body":"ok","createdDate":"вчера"}}],
                      "links":{"next":"mailto:someone"}})");
  REQUIRE(page);
  REQUIRE(page->page.mentions.size() == 1);
  CHECK(page->page.mentions[0].external_id == "asc:r2");
  CHECK_FALSE(page->page.mentions[0].published);
  CHECK_FALSE(page->next);
  REQUIRE(page->page.warnings.size() == 5);
  CHECK(page->page.warnings[0].find("not an object") != std::string::npos);
  CHECK(page->page.warnings[1].find("\"apps\"") != std::string::npos);
  CHECK(page->page.warnings[2].find("no id") != std::string::npos);
  CHECK(page->page.warnings[3].find("unparsable createdDate") != std::string::npos);
  CHECK(page->page.warnings[4].find("links.next") != std::string::npos);
}

TEST_CASE("App Store Connect list calls ask for the newest reviews with their responses", "[sources][app_store_connect]") {
  AscReviewsQuery q;
  q.app_id = "1492000001";
  CHECK(asc_reviews_call(q).method == "GET");
  CHECK(asc_reviews_call(q).target == kFirstTarget);
  CHECK(asc_reviews_call(q).body.empty());
  q.territory = "RUS,KAZ";
  CHECK(asc_reviews_call(q).target == std::string(kFirstTarget) + "&filter%5Bterritory%5D=RUS,KAZ");
  q.answered = true;
  CHECK(asc_reviews_call(q).target ==
        std::string(kFirstTarget) + "&filter%5Bterritory%5D=RUS,KAZ&exists%5BpublishedResponse%5D=true");
  q.territory.clear();
  q.answered = false;
  q.limit = 50;
  CHECK(asc_reviews_call(q).target ==
        std::string(kFirstTarget).replace(std::string(kFirstTarget).find("limit=200"), 9, "limit=50") +
            "&exists%5BpublishedResponse%5D=false");
}

TEST_CASE("App Store Connect next links become calls on the client's own host", "[sources][app_store_connect]") {
  struct Case {
    const char* link;
    std::optional<std::string> target;
  };
  const Case cases[] = {
      {"https://api.appstoreconnect.apple.com/v1/apps/1/customerReviews?cursor=Mg.AA&limit=200",
       "/v1/apps/1/customerReviews?cursor=Mg.AA&limit=200"},
      {"https://evil.example/v1/apps/1/customerReviews?cursor=Mg", "/v1/apps/1/customerReviews?cursor=Mg"},
      {"/v1/apps/1/customerReviews?cursor=Mg", "/v1/apps/1/customerReviews?cursor=Mg"},
      {"https://api.appstoreconnect.apple.com/v1/apps/1/customerReviews?fields[customerReviews]=rating&cursor=Mg#x",
       "/v1/apps/1/customerReviews?fields%5BcustomerReviews%5D=rating&cursor=Mg"},
      {" https://api.appstoreconnect.apple.com/v1/x?c=a b ", "/v1/x?c=a%20b"},
      {"", std::nullopt},
      {"https://api.appstoreconnect.apple.com", std::nullopt},
      {"mailto:someone", std::nullopt},
      {"cursor=Mg", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.link);
    const auto call = asc_next_call(c.link);
    CHECK(call.has_value() == c.target.has_value());
    if (call && c.target) CHECK(call->target == *c.target);
  }
}

TEST_CASE("App Store Connect subjects name the app and the territory in words", "[sources][app_store_connect]") {
  struct Case {
    AscApp app;
    const char* territory;
    const char* subject;
  };
  const Case cases[] = {
      {{"1492000001", "Рокетбанк"}, "RUS", "Рокетбанк · Россия"},
      {{"1492000001", "Рокетбанк"}, "USA", "Рокетбанк · США"},
      {{"1492000001", ""}, "KAZ", "app 1492000001 · Казахстан"},
      {{"1492000001", ""}, "XKX", "app 1492000001 · XKX"},  // a code without words stays a code
      {{"1492000001", "Rocket"}, "", "Rocket"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.territory);
    CHECK(asc_subject(c.app, c.territory) == c.subject);
  }
}

TEST_CASE("App Store Connect error bodies give the code and Apple's words", "[sources][app_store_connect]") {
  struct Case {
    int status;
    std::string body;
    std::string reason;
  };
  const Case cases[] = {
      {401, read_fixture("app_store_connect/error_401.json"),
       "NOT_AUTHORIZED: Provide a properly configured and signed bearer token, and make sure that it has not expired. "
       "Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens"},
      {429, read_fixture("app_store_connect/error_429.json"),
       "RATE_LIMIT_EXCEEDED: We've received too many requests for this API. Please wait and try again or slow down "
       "your request rate."},
      {403, R"({"errors":[{"status":"403","code":"FORBIDDEN_ERROR","title":"This request is forbidden for security reasons"}]})",
       "FORBIDDEN_ERROR: This request is forbidden for security reasons"},
      {400,
       R"({"errors":[{"code":"PARAMETER_ERROR.INVALID","detail":"'x' is not a valid field name"},{"code":"PARAMETER_ERROR.INVALID"}]})",
       "PARAMETER_ERROR.INVALID: 'x' is not a valid field name (and 1 more)"},
      {500, R"({"errors":[{"status":"500","detail":"An unexpected error occurred on the server side."}]})",
       "An unexpected error occurred on the server side."},
      {502, "Bad Gateway", "Bad Gateway"},
      {503, "<html><body>Service Unavailable</body></html>", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.status);
    CHECK(read_asc_error(c.status, c.body) == c.reason);
  }
}

TEST_CASE("base64url has no padding and the URL alphabet", "[sources][app_store_connect]") {
  struct Case {
    std::string bytes;
    const char* encoded;
  };
  const Case cases[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"\xff\xfe", "__4"},
      {"\xfb\xff", "-_8"}, {R"({"alg":"ES256"})", "eyJhbGciOiJFUzI1NiJ9"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.encoded);
    CHECK(base64url(c.bytes) == c.encoded);
    CHECK(test::base64url_decode(c.encoded) == std::optional<std::string>(c.bytes));
  }
}

TEST_CASE("App Store Connect tokens are ES256 JWTs that verify with the key's public half",
          "[sources][app_store_connect]") {
  auto key = AscSigningKey::load(test_key());
  REQUIRE(key);
  const std::int64_t iat = 1796000000;
  auto token = make_asc_jwt(**key, kKeyId, kIssuer, iat);
  REQUIRE(token);
  const auto check = test::check_es256_jwt(*token, test_public_key());
  INFO(check.why);
  REQUIRE(check.ok);
  CHECK(boost::json::serialize(check.header) == R"({"alg":"ES256","kid":"TEST2K7Q9Z","typ":"JWT"})");
  CHECK(json_str(check.payload, "iss") == kIssuer);
  CHECK(json_str(check.payload, "aud") == "appstoreconnect-v1");
  CHECK(json_int(check.payload, "iat") == iat);
  CHECK(json_int(check.payload, "exp") == iat + 1200);
  CHECK(check.payload.size() == 4);

  // ECDSA signatures differ each time; both verify.
  auto again = make_asc_jwt(**key, kKeyId, kIssuer, iat);
  REQUIRE(again);
  CHECK(test::check_es256_jwt(*again, test_public_key()).ok);

  // Apple refuses tokens that live longer than 20 minutes: a longer lifetime is cut.
  auto longer = make_asc_jwt(**key, kKeyId, kIssuer, iat, std::chrono::hours(1));
  REQUIRE(longer);
  const auto long_check = test::check_es256_jwt(*longer, test_public_key());
  CHECK(json_int(long_check.payload, "exp") - json_int(long_check.payload, "iat") == 1200);

  // The check can fail: another key's public half, a changed payload.
  CHECK_FALSE(test::check_es256_jwt(*token, test::make_p256_pem().second).ok);
  std::string tampered = *token;
  const auto dot = tampered.find('.');
  tampered.replace(dot + 1, tampered.find('.', dot + 1) - dot - 1,
                   base64url(R"({"iss":"someone-else","iat":1796000000,"exp":1796001200,"aud":"appstoreconnect-v1"})"));
  CHECK_FALSE(test::check_es256_jwt(tampered, test_public_key()).ok);
}

TEST_CASE("App Store Connect private keys are checked without quoting them", "[sources][app_store_connect]") {
  const std::string good = test_key();
  std::string one_line = good;
  test::replace_all(one_line, "\n", "\\n");
  std::string garbled = good;
  garbled.replace(garbled.find('\n') + 10, 8, "AAAAAAAA");
  const auto [other, other_public] = test::make_p256_pem();
  struct Case {
    std::string pem;
    const char* expected;  ///< "" = accepted, else a part of the message
  };
  const Case cases[] = {
      {good, ""},
      {one_line, ""},  // a PEM in an environment variable with \n written out
      {other, ""},
      {read_fixture("app_store_connect/wrong_curve_p384.p8"), "not P-256"},
      {read_fixture("app_store_connect/not_ec_ed25519.p8"), "not the P-256 EC key"},
      {"AuthKey_TEST2K7Q9Z.p8", "file:PATH"},
      {"just some text", "not a PEM key"},
      {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n", "encrypted"},
      {garbled, "not a readable PEM private key"},
      {test_public_key(), "not a readable PEM private key"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    const std::string why = check_asc_private_key(c.pem);
    if (*c.expected == '\0') {
      CHECK(why.empty());
      continue;
    }
    CHECK(why.find(c.expected) != std::string::npos);
    // Never the key's own text.
    const auto body = c.pem.find('\n');
    if (body != std::string::npos && c.pem.size() > body + 20) CHECK(why.find(c.pem.substr(body + 1, 16)) == std::string::npos);
  }
}

TEST_CASE("App Store Connect tokens are kept until a minute before they expire", "[sources][app_store_connect]") {
  AscJwtAuth auth(kKeyId, kIssuer, test_key());
  ScriptedApi http;
  const TimePoint t0 = TimePoint(std::chrono::seconds(1796000000));
  auto bearer_at = [&](TimePoint now) {
    ApiContext ctx{http, now, "", std::nullopt};
    auto headers = test::run_sync(auth.headers(ctx));
    REQUIRE(headers);
    REQUIRE(headers->size() == 1);
    CHECK((*headers)[0].first == "Authorization");
    REQUIRE((*headers)[0].second.starts_with("Bearer "));
    return (*headers)[0].second.substr(7);
  };
  const std::string first = bearer_at(t0);
  const auto check = test::check_es256_jwt(first, test_public_key());
  REQUIRE(check.ok);
  CHECK(json_int(check.payload, "iat") == 1796000000);
  CHECK(auth.current().second == t0 + 20min);

  CHECK(bearer_at(t0 + 10min) == first);
  CHECK(bearer_at(t0 + 18min + 59s) == first);
  const std::string renewed = bearer_at(t0 + 19min);  // a minute before expiry
  CHECK(renewed != first);
  CHECK(json_int(test::check_es256_jwt(renewed, test_public_key()).payload, "iat") == 1796000000 + 19 * 60);

  // After a 401 the client asks for a fresh one.
  CHECK(auth.refresh());
  const std::string after_refresh = bearer_at(t0 + 19min + 5s);
  CHECK(after_refresh != renewed);

  const auto secrets = auth.secrets();
  CHECK(std::find(secrets.begin(), secrets.end(), test_key()) != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), after_refresh) != secrets.end());
  const std::string key = test_key();
  const std::string key_line = key.substr(key.find('\n') + 1, key.find('\n', key.find('\n') + 1) - key.find('\n') - 1);
  CHECK(std::find(secrets.begin(), secrets.end(), key_line) != secrets.end());

  // A key that does not load fails the call, saying why without the key.
  AscJwtAuth broken(kKeyId, kIssuer, "not a key");
  ApiContext ctx{http, t0, "", std::nullopt};
  auto refused = test::run_sync(broken.headers(ctx));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == make_error_code(errc::invalid_input));
  CHECK(refused.error().detail.find("not a PEM key") != std::string::npos);
}

TEST_CASE("app_store_connect config: keys, the private key's check, the built base URL",
          "[sources][app_store_connect][config]") {
  const SourceType* type = registry().find("app_store_connect");
  REQUIRE(type != nullptr);
  CHECK(type->site == "App Store");
  CHECK(type->default_interval == std::optional<Duration>(30min));
  REQUIRE(type->secrets.size() == 1);
  CHECK(type->secrets[0].name == "private_key");
  CHECK(type->secrets[0].required);
  CHECK(type->secrets[0].whole_file);
  CHECK(type->build_url(asc_config(test_key())) == "https://api.appstoreconnect.apple.com");

  CHECK(problems_of(asc_config(test_key())).empty());

  struct Case {
    std::function<void(SourceConfig&)> change;
    const char* expected;
  };
  const Case cases[] = {
      {[](SourceConfig& c) { c.options.erase("app_id"); }, "source[\"asc\"].app_id: is required"},
      {[](SourceConfig& c) { c.options.insert_or_assign("app_id", "id1492000001"); }, "expected digits only"},
      {[](SourceConfig& c) { c.options.erase("key_id"); }, "source[\"asc\"].key_id: is required"},
      {[](SourceConfig& c) { c.options.insert_or_assign("key_id", "TEST 2K7Q9Z"); }, "the key's ID"},
      {[](SourceConfig& c) { c.options.erase("issuer_id"); }, "source[\"asc\"].issuer_id: is required"},
      {[](SourceConfig& c) { c.options.insert_or_assign("issuer_id", "my team"); }, "issuer ID"},
      {[](SourceConfig& c) { c.options.insert_or_assign("territory", "rus"); }, "three-letter territory codes"},
      {[](SourceConfig& c) { c.options.insert_or_assign("territory", "RUS,"); }, "three-letter territory codes"},
      {[](SourceConfig& c) { c.options.insert_or_assign("country", "RU"); }, "unknown key"},
      {[](SourceConfig& c) { c.options.insert_or_assign("max_pages", 21); }, "from 1 to 20"},
      {[](SourceConfig& c) { c.secrets[0].second = Secret("file:AuthKey_P384.p8", read_fixture("app_store_connect/wrong_curve_p384.p8")); },
       "source[\"asc\"].private_key: the key read from file:AuthKey_P384.p8 is an EC key on the curve"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    SourceConfig config = asc_config(test_key());
    c.change(config);
    const std::string problems = problems_of(config);
    CHECK(problems.find(c.expected) != std::string::npos);
    CHECK(problems.find("BEGIN") == std::string::npos);
  }
  // Territories as a list are fine.
  SourceConfig listed = asc_config(test_key());
  listed.options.insert_or_assign("territory", "RUS,KAZ,BLR");
  listed.options.insert_or_assign("max_pages", 20);
  CHECK(problems_of(listed).empty());
}

TEST_CASE("app_store_connect in a config file: the .p8 read whole through file:", "[sources][app_store_connect][config]") {
  const std::string text = R"([daemon]
state = "s.db"
[[source]]
name = "ios"
type = "app_store_connect"
app_id = "1492000001"
issuer_id = "69a6de70-03db-47e3-e053-5b8c7c11a4d1"
key_id = "TEST2K7Q9Z"
private_key = "file:AuthKey_TEST2K7Q9Z.p8"
[[channel]]
name = "c"
type = "console"
[[route]]
channel = "c"
)";
  const auto loaded = load_config_text(text, std::filesystem::path(OTKLIK_FIXTURES_DIR) / "app_store_connect", &registry());
  std::string problems;
  for (const auto& p : loaded.problems)
    if (!p.warning) problems += p.key + ": " + p.message + "\n";
  INFO(problems);
  REQUIRE(problems.empty());
  REQUIRE(loaded.config);
  REQUIRE(loaded.config->sources.size() == 1);
  const SourceConfig& s = loaded.config->sources[0];
  CHECK(s.url == "https://api.appstoreconnect.apple.com");
  CHECK(s.interval == 30min);
  CHECK(s.label == "App Store · ios");
  REQUIRE(s.secrets.size() == 1);
  CHECK(s.secrets[0].second.value() == test_key().substr(0, test_key().find_last_not_of("\n") + 1));
  CHECK_FALSE(s.options.contains("private_key"));
}

TEST_CASE("app_store_connect polls: newest reviews, the answered list, the cursor, older pages",
          "[sources][app_store_connect]") {
  ScriptedApi http;
  const std::string answered_target = std::string(kFirstTarget) + "&exists%5BpublishedResponse%5D=true";
  http.answer(kFirstTarget, read_fixture("app_store_connect/reviews_page1.json"));
  http.answer(answered_target, read_fixture("app_store_connect/answered_later.json"));
  http.answer(kNextTarget, read_fixture("app_store_connect/reviews_page2_last.json"));
  auto source = registry().create(asc_config(test_key()));

  SourceState state;
  const TimePoint now = SystemClock::now();
  auto first = test::run_sync(source->poll(PollContext{http, state, now, "otklik-test"}));
  REQUIRE(first);
  // The first poll reads one page of the list, then the answered list's first page.
  REQUIRE(http.requests.size() == 2);
  CHECK(http.requests[0].url == std::string("https://api.appstoreconnect.apple.com") + kFirstTarget);
  CHECK(http.requests[1].url == std::string("https://api.appstoreconnect.apple.com") + answered_target);
  for (const auto& r : http.requests) {
    CHECK(r.method == "GET");
    CHECK(r.body.empty());
    CHECK(find_header(r.headers, "Accept") == std::optional<std::string_view>("application/json"));
    const auto authorization = find_header(r.headers, "Authorization");
    REQUIRE(authorization);
    REQUIRE(authorization->starts_with("Bearer "));
    const auto check = test::check_es256_jwt(authorization->substr(7), test_public_key());
    CHECK(check.ok);
    CHECK(json_str(check.payload, "iss") == kIssuer);
  }
  // Six reviews of page 1; the answered list holds two of them, one with an answer the list (read a
  // moment before) did not have yet: the answer is kept.
  REQUIRE(first->mentions.size() == 6);
  CHECK(first->mentions[0].company_reply.find("исправили вход") != std::string::npos);
  CHECK(first->mentions[2].company_reply.find("Комиссию вернули") != std::string::npos);
  CHECK(seen_ids(first->cursor).contains("asc:00000042-b08c-0014-5a1e-0c1d00000001"));
  CHECK(seen_ids(first->cursor).size() == 6);

  // A later poll: page 1 is all new, so the walk follows links.next to page 2, the last.
  std::string fresh = read_fixture("app_store_connect/reviews_page1.json");
  test::replace_all(fresh, "0c1d0000000", "0c1d0000010");
  http.answers[kFirstTarget].clear();
  http.answer(kFirstTarget, fresh);
  state.cursor = first->cursor;
  http.requests.clear();
  auto second = test::run_sync(source->poll(PollContext{http, state, now + 30min, "otklik-test"}));
  REQUIRE(second);
  REQUIRE(http.requests.size() == 3);
  CHECK(http.requests[1].url == std::string("https://api.appstoreconnect.apple.com") + kNextTarget);
  CHECK(http.requests[2].url == std::string("https://api.appstoreconnect.apple.com") + answered_target);
  // 6 new + 2 older + the two answered reviews (not in this poll's list under their ids).
  REQUIRE(second->mentions.size() == 10);
  CHECK(second->mentions[6].external_id == "asc:00000042-b08c-0014-5a1e-0c1d00000008");
  CHECK(second->mentions[8].external_id == "asc:00000042-b08c-0014-5a1e-0c1d00000001");
  CHECK(second->mentions[8].company_reply.find("исправили вход") != std::string::npos);
  CHECK(second->mentions[9].external_id == "asc:00000042-b08c-0014-5a1e-0c1d00000003");
  CHECK_FALSE(seen_ids(second->cursor).contains("asc:00000042-b08c-0014-5a1e-0c1d00000001"));
  CHECK(seen_ids(second->cursor).contains("asc:00000042-b08c-0014-5a1e-0c1d00000009"));
  for (const auto& w : second->warnings) CHECK(w.find("calls an hour left") == std::string::npos);

  // Other tools have spent most of the key's hour: the poll says so.
  http.rate_limit = "user-hour-lim:3600;user-hour-rem:212;";
  state.cursor = second->cursor;
  auto third = test::run_sync(source->poll(PollContext{http, state, now + 60min, "otklik-test"}));
  REQUIRE(third);
  REQUIRE_FALSE(third->warnings.empty());
  CHECK(third->warnings.back() ==
        "the API key has 212 of its 3600 calls an hour left (X-Rate-Limit); every tool using the key spends them");
}

TEST_CASE("App Store Connect X-Rate-Limit values are read in any order", "[sources][app_store_connect]") {
  struct Case {
    const char* header;
    std::optional<AscRateLimit> expected;
  };
  const Case cases[] = {
      {"user-hour-lim:3600;user-hour-rem:3599;", AscRateLimit{3600, 3599}},
      {"user-hour-lim:3500;user-hour-rem:500;", AscRateLimit{3500, 500}},
      {"user-hour-rem:0;user-hour-lim:3600", AscRateLimit{3600, 0}},
      {" user-hour-lim:3600 ; other:1; user-hour-rem:12 ;", AscRateLimit{3600, 12}},
      {"user-hour-lim:3600;", std::nullopt},
      {"user-hour-lim:lots;user-hour-rem:1;", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.header);
    CHECK(parse_asc_rate_limit(c.header) == c.expected);
  }
}

TEST_CASE("app_store_connect: a refused key is unauthorized with Apple's reason, after one fresh token",
          "[sources][app_store_connect]") {
  ScriptedApi http;
  http.answer(kFirstTarget, read_fixture("app_store_connect/error_401.json"), 401);
  auto source = registry().create(asc_config(test_key()));
  SourceState state;
  auto polled = test::run_sync(source->poll(PollContext{http, state, SystemClock::now(), ""}));
  REQUIRE_FALSE(polled);
  CHECK(polled.error().code == make_error_code(errc::unauthorized));
  CHECK(polled.error().detail.find("NOT_AUTHORIZED: Provide a properly configured and signed bearer token") !=
        std::string::npos);
  REQUIRE(http.requests.size() == 2);  // once more with a newly signed token
  const auto a = find_header(http.requests[0].headers, "Authorization");
  const auto b = find_header(http.requests[1].headers, "Authorization");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  CHECK(polled.error().detail.find(std::string(a->substr(7))) == std::string::npos);
}
