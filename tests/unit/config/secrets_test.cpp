// Secrets in channel keys: env: and file: references resolved, literal ones warned about, and no
// value ever shown in a problem message.
#include "tests/unit/config/config_test_support.hpp"

using namespace otklik;
using otklik::test::has_problem;

TEST_CASE("secrets from env: and file: are resolved and never shown", "[config][secret]") {
  test::TempDir dir;
  const std::string token = "987654:SECRET-token-value";
  const std::string hook = "https://hooks.example.org/services/T000/B000/XXXXSECRETXXXX";
  test::ScopedEnv env("OTKLIK_CONFIG_TEST_TG_TOKEN", token.c_str());
  dir.write("secrets/slack-hook", hook + "\n");
  std::string text = std::string(R"(
[[channel]]
name = "tg"
type = "telegram"
token = "env:OTKLIK_CONFIG_TEST_TG_TOKEN"
chat_id = "@otklik_alerts"

[[channel]]
name = "team"
type = "slack"
webhook_url = "file:secrets/slack-hook"

[[channel]]
name = "hook"
type = "webhook"
url = "https://example.org/hook"
headers = { Authorization = "env:OTKLIK_CONFIG_TEST_TG_TOKEN", X-Origin = "otklik" }
)") + "[[route]]\nchannel = \"tg\"\n[[route]]\nchannel = \"team\"\n[[route]]\nchannel = \"hook\"\n";
  auto loaded = load_config_text(text, dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.problems.empty());  // X-Origin is no credential: no literal warning
  const Config& c = *loaded.config;
  CHECK(c.find_channel("tg")->token.value() == token);
  CHECK(c.find_channel("tg")->token.describe() == "env:OTKLIK_CONFIG_TEST_TG_TOKEN");
  CHECK(c.find_channel("team")->webhook_url.value() == hook);
  const auto& headers = c.find_channel("hook")->headers;
  REQUIRE(headers.size() == 2);
  CHECK(headers[0].first == "Authorization");
  CHECK(headers[0].second.value() == token);
  CHECK(headers[1].first == "X-Origin");
}

TEST_CASE("a relative file: secret is looked up in $CREDENTIALS_DIRECTORY first", "[config][secret]") {
  test::TempDir dir;
  test::TempDir creds;
  dir.write("tg-token", "1:from-config-dir\n");
  creds.write("tg-token", "2:from-credentials\n");
  const std::string text = "[[channel]]\nname = \"tg\"\ntype = \"telegram\"\ntoken = \"file:tg-token\"\nchat_id = 7\n";
  {
    test::ScopedEnv env("CREDENTIALS_DIRECTORY", creds.path().c_str());
    auto loaded = load_config_text(text, dir.path(), nullptr);
    REQUIRE(loaded.config.has_value());
    CHECK(loaded.config->channels[0].token.value() == "2:from-credentials");
  }
  {
    test::ScopedEnv env("CREDENTIALS_DIRECTORY", nullptr);
    auto loaded = load_config_text(text, dir.path(), nullptr);
    REQUIRE(loaded.config.has_value());
    CHECK(loaded.config->channels[0].token.value() == "1:from-config-dir");
  }
}

TEST_CASE("unresolvable secrets are errors naming the key and the reference, never a value", "[config][secret]") {
  test::TempDir dir;
  test::ScopedEnv unset("OTKLIK_CONFIG_TEST_UNSET", nullptr);
  const std::string literal = "555:literal-SECRET-do-not-print";
  const std::string text = "[[channel]]\nname = \"tg\"\ntype = \"telegram\"\ntoken = \"env:OTKLIK_CONFIG_TEST_UNSET\"\n"
                           "chat_id = 7\n"
                           "[[channel]]\nname = \"team\"\ntype = \"mattermost\"\nwebhook_url = \"file:missing/hook\"\n"
                           "[[channel]]\nname = \"lit\"\ntype = \"telegram\"\ntoken = \"" + literal + "\"\nchat_id = \"x y\"\n";
  auto loaded = load_config_text(text, dir.path(), nullptr);
  std::string all = test::describe(loaded.problems);
  INFO(all);
  REQUIRE_FALSE(loaded.config.has_value());
  CHECK(has_problem(loaded.problems, "channel[\"tg\"].token", 4,
                    "cannot resolve the secret \"env:OTKLIK_CONFIG_TEST_UNSET\""));
  CHECK(has_problem(loaded.problems, "channel[\"team\"].webhook_url", 9, "cannot resolve the secret \"file:missing/hook\""));
  CHECK(has_problem(loaded.problems, "channel[\"lit\"].token", 13, "put it in", true));
  CHECK(all.find(literal) == std::string::npos);
  CHECK(all.find("SECRET") == std::string::npos);
}

TEST_CASE("a resolved secret that is unusable is reported without its value", "[config][secret]") {
  test::TempDir dir;
  const std::string value = "not-a-url-SECRET-value";
  test::ScopedEnv env("OTKLIK_CONFIG_TEST_BAD_HOOK", value.c_str());
  test::ScopedEnv header("OTKLIK_CONFIG_TEST_BAD_HEADER", "Bearer SECRET\r\nX-Injected: 1");
  auto loaded = load_config_text(
      "[[channel]]\nname = \"team\"\ntype = \"slack\"\nwebhook_url = \"env:OTKLIK_CONFIG_TEST_BAD_HOOK\"\n"
      "[[channel]]\nname = \"crm\"\ntype = \"webhook\"\nurl = \"https://e.org/\"\n"
      "headers = { Authorization = \"env:OTKLIK_CONFIG_TEST_BAD_HEADER\" }\n"
      "[[channel]]\nname = \"tg\"\ntype = \"telegram\"\ntoken = [\"SECRET-in-an-array\"]\nchat_id = 1\n",
      dir.path(), nullptr);
  std::string all = test::describe(loaded.problems);
  INFO(all);
  REQUIRE_FALSE(loaded.config.has_value());
  CHECK(has_problem(loaded.problems, "channel[\"team\"].webhook_url", 4, "not an http(s) URL"));
  CHECK(has_problem(loaded.problems, "channel[\"crm\"].headers.Authorization", 9, "control characters"));
  CHECK(has_problem(loaded.problems, "channel[\"tg\"].token", 13, "expected a string, got an array"));
  CHECK(all.find("SECRET") == std::string::npos);
}
