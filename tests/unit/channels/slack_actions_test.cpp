// Slack interactivity: request signatures (with the example from Slack's documentation), form
// bodies, block_actions payloads, and the endpoint's answers.

#include "daemon/channels/slack_actions.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

using namespace otklik;
using namespace otklik::channels;
using namespace std::chrono_literals;

namespace {

// From "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack):
// a documented example secret, timestamp, body and the signature Slack computes for them.
constexpr std::string_view kDocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::string_view kDocTimestamp = "1531420618";
constexpr std::string_view kDocBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
    "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
    "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
constexpr std::string_view kDocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

TimePoint at_unix(std::int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

std::string url_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string block_actions(std::string action_id, std::string value, std::string response_url) {
  boost::json::object p{
      {"type", "block_actions"},
      {"user", {{"id", "U012AB3CD"}, {"username", "ivanova"}, {"name", "ivanova"}, {"team_id", "T0001"}}},
      {"api_app_id", "A0001"},
      {"token", "verification-token"},
      {"container", {{"type", "message"}, {"message_ts", "1700000000.000100"}, {"channel_id", "C0001"}, {"is_ephemeral", false}}},
      {"trigger_id", "1.2.3"},
      {"team", {{"id", "T0001"}, {"domain", "example"}}},
      {"channel", {{"id", "C0001"}, {"name", "reviews"}}},
      {"response_url", std::move(response_url)},
      {"actions", {{{"action_id", std::move(action_id)}, {"block_id", "otk1_7_take-answer-dismiss"},
                    {"text", {{"type", "plain_text"}, {"text", "Беру"}, {"emoji", true}}},
                    {"value", std::move(value)}, {"type", "button"}, {"action_ts", "1700000001.000200"}}}},
  };
  return "payload=" + url_encode(boost::json::serialize(p));
}

class RecordingHandler final : public ActionHandler {
 public:
  boost::asio::awaitable<ActionResponse> act(ActionRequest r) override {
    requests.push_back(r);
    co_return ActionResponse{ActionResultKind::not_allowed, "no", {}};
  }
  std::vector<ActionRequest> requests;
};

boost::asio::awaitable<std::optional<DeliveryRequest>> no_alert() { co_return std::nullopt; }

class RecordingHttp final : public HttpClient {
 public:
  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest r) override {
    requests.push_back(r);
    HttpResponse resp;
    resp.status = 200;
    co_return resp;
  }
  std::vector<HttpRequest> requests;
};

}  // namespace

TEST_CASE("slack signatures: the documented example", "[channels][slack][signature]") {
  CHECK(slack_signature(kDocSecret, kDocTimestamp, kDocBody) == kDocSignature);
  const TimePoint now = at_unix(1531420618 + 60);
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, kDocSignature, kDocBody, now) == SignatureCheck::ok);
}

TEST_CASE("slack signatures: what is refused", "[channels][slack][signature]") {
  const TimePoint now = at_unix(1531420618);
  using S = SignatureCheck;
  CHECK(verify_slack_signature(kDocSecret, std::nullopt, kDocSignature, kDocBody, now) == S::missing);
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, std::nullopt, kDocBody, now) == S::missing);
  CHECK(verify_slack_signature("", kDocTimestamp, kDocSignature, kDocBody, now) == S::missing);
  CHECK(verify_slack_signature(kDocSecret, "15314x0618", kDocSignature, kDocBody, now) == S::bad_timestamp);
  // The five-minute window, both ways.
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, kDocSignature, kDocBody, now + 300s) == S::ok);
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, kDocSignature, kDocBody, now + 301s) == S::stale);
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, kDocSignature, kDocBody, now - 301s) == S::stale);
  // One byte changed anywhere.
  std::string body(kDocBody);
  body.back() = 'd';
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, kDocSignature, body, now) == S::mismatch);
  std::string sig(kDocSignature);
  sig[10] = sig[10] == 'a' ? 'b' : 'a';
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, sig, kDocBody, now) == S::mismatch);
  CHECK(verify_slack_signature(kDocSecret, kDocTimestamp, sig.substr(0, 20), kDocBody, now) == S::mismatch);
  CHECK(verify_slack_signature("other-secret", kDocTimestamp, kDocSignature, kDocBody, now) == S::mismatch);
  // The timestamp is part of what is signed.
  CHECK(verify_slack_signature(kDocSecret, "1531420619", kDocSignature, kDocBody, now) == S::mismatch);
}

TEST_CASE("form bodies decode as Slack sends them", "[channels][slack]") {
  const auto f = decode_form("a=1&b=x+y%20z&c=%7B%22k%22%3A1%7D&flag&=v&d=%zz&e=%4");
  REQUIRE(f.size() == 7);
  CHECK(f[0] == std::pair<std::string, std::string>{"a", "1"});
  CHECK(f[1].second == "x y z");
  CHECK(f[2].second == R"({"k":1})");
  CHECK(f[3] == std::pair<std::string, std::string>{"flag", ""});
  CHECK(f[4] == std::pair<std::string, std::string>{"", "v"});
  CHECK(f[5].second == "%zz");  // malformed escapes kept
  CHECK(f[6].second == "%4");
}

TEST_CASE("block_actions payloads parse", "[channels][slack]") {
  auto p = parse_slack_interaction(block_actions("otk1_take", "7", "https://hooks.slack.com/actions/T0001/1/abc"));
  REQUIRE(p);
  CHECK(p->type == "block_actions");
  CHECK(p->user_id == "U012AB3CD");
  CHECK(p->user_name == "ivanova");
  CHECK(p->team_id == "T0001");
  CHECK(p->channel_id == "C0001");
  CHECK(p->response_url == "https://hooks.slack.com/actions/T0001/1/abc");
  CHECK(p->action_id == "otk1_take");
  CHECK(p->value == "7");
  CHECK(p->block_id == "otk1_7_take-answer-dismiss");

  CHECK_FALSE(parse_slack_interaction("token=x&team_id=T1"));
  CHECK_FALSE(parse_slack_interaction("payload=not-json"));
  CHECK_FALSE(parse_slack_interaction("payload=%5B1%5D"));  // an array
  auto empty = parse_slack_interaction("payload=%7B%7D");
  REQUIRE(empty);
  CHECK(empty->action_id.empty());
}

TEST_CASE("response_url must be on the webhook's host", "[channels][slack]") {
  const std::string hook = "https://hooks.slack.com/services/T0001/B0001/secret";
  CHECK(response_url_allowed("https://hooks.slack.com/actions/T0001/1/abc", hook));
  CHECK(response_url_allowed("https://HOOKS.slack.com:443/actions/x", hook));
  CHECK_FALSE(response_url_allowed("http://hooks.slack.com/actions/x", hook));
  CHECK_FALSE(response_url_allowed("https://hooks.slack.com.evil.example/actions/x", hook));
  CHECK_FALSE(response_url_allowed("https://evil.example/?https://hooks.slack.com/", hook));
  CHECK_FALSE(response_url_allowed("https://hooks.slack.com:8443/actions/x", hook));
  CHECK_FALSE(response_url_allowed("file:///etc/passwd", hook));
  CHECK(response_url_allowed("http://127.0.0.1:4000/actions/1", "http://127.0.0.1:4000/services/T/B/x"));
}

TEST_CASE("the slack endpoint refuses unsigned and stale requests and acts on signed ones", "[channels][slack]") {
  RecordingHandler handler;
  RecordingHttp http;
  std::vector<std::string> spawned;
  boost::asio::io_context ioc;
  SlackActionChannel ch;
  ch.config.name = "slack-team";
  ch.config.type = "slack";
  ch.config.webhook_url = Secret("env:X", "https://hooks.slack.com/services/T0001/B0001/s");
  ch.config.signing_secret = Secret("env:Y", "signing-secret");
  SlackActions actions({ch}, handler, http, [](std::int64_t, std::string) { return no_alert(); },
                       [&](std::string name, boost::asio::awaitable<void>) { spawned.push_back(name); }, nullptr);

  const std::string body = block_actions("otk1_take", "7", "https://hooks.slack.com/actions/T0001/1/abc");
  const TimePoint now = at_unix(1700000000);
  auto signed_headers = [&](std::string ts, std::string_view b, std::string_view secret = "signing-secret") {
    return Headers{{"Content-Type", "application/x-www-form-urlencoded"},
                   {"X-Slack-Request-Timestamp", ts},
                   {"X-Slack-Signature", slack_signature(secret, ts, b)}};
  };

  CHECK(test::run_sync(actions.handle({}, body, now)).status == 401);
  CHECK(test::run_sync(actions.handle(signed_headers("1700000000", body, "wrong"), body, now)).status == 401);
  CHECK(test::run_sync(actions.handle(signed_headers("1699999000", body), body, now)).status == 401);  // stale
  CHECK(handler.requests.empty());

  const auto ok = test::run_sync(actions.handle(signed_headers("1700000000", body), body, now));
  CHECK(ok.status == 200);
  REQUIRE(handler.requests.size() == 1);
  CHECK(handler.requests[0].channel == "slack-team");
  CHECK(handler.requests[0].actor.platform == "slack");
  CHECK(handler.requests[0].actor.id == "U012AB3CD");
  CHECK(handler.requests[0].actor.name == "@ivanova");
  CHECK(handler.requests[0].data == ActionData{CaseAction::take, 7});
  CHECK(spawned.size() == 1);  // the ephemeral "no" through the response_url

  // A forged button value is ignored; a response_url elsewhere is not used.
  const std::string forged = block_actions("otk1_take", "7 OR 1", "https://hooks.slack.com/actions/T0001/1/abc");
  CHECK(test::run_sync(actions.handle(signed_headers("1700000000", forged), forged, now)).status == 200);
  CHECK(handler.requests.size() == 1);
  const std::string elsewhere = block_actions("otk1_take", "7", "https://evil.example/actions/1");
  CHECK(test::run_sync(actions.handle(signed_headers("1700000000", elsewhere), elsewhere, now)).status == 200);
  CHECK(handler.requests.size() == 2);
  CHECK(spawned.size() == 1);
  // Not a form with a payload.
  const std::string junk = "hello";
  CHECK(test::run_sync(actions.handle(signed_headers("1700000000", junk), junk, now)).status == 400);
}
