// [calendar], [sla], [quiet_hours], [lifecycle], [smtp], [digest] and the channel keys of the alert
// lifecycle: a full example read into the structs, and a table of broken ones.
#include "daemon/config/checks.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace otklik;
using otklik::test::has_problem;

namespace {

constexpr std::string_view kChannels = R"(
[[channel]]
name = "support"
type = "telegram"
token = "env:OTKLIK_TEST_TOKEN"
chat_id = -100123
allowed_users = ["123456", "@ivanova"]

[[channel]]
name = "managers"
type = "slack"
webhook_url = "env:OTKLIK_TEST_HOOK"
signing_secret = "env:OTKLIK_TEST_SIGNING"

[[channel]]
name = "mail"
type = "email"
to = ["lead@example.org"]

[[brand]]
name = "Звезда"
)";

LoadedConfig load_with_channels(const test::TempDir& dir, std::string_view rest) {
  test::FakeCatalog catalog;
  std::string text(kChannels);
  text += rest;
  return load_config_text(text, dir.path(), &catalog);
}

struct Env {
  test::ScopedEnv token{"OTKLIK_TEST_TOKEN", "123:abc"};
  test::ScopedEnv hook{"OTKLIK_TEST_HOOK", "https://hooks.slack.com/services/T/B/x"};
  test::ScopedEnv signing{"OTKLIK_TEST_SIGNING", "8f742231b10e8888abcd99yyyzzz85a5"};
  test::ScopedEnv password{"OTKLIK_TEST_SMTP", "s3cret"};
};

}  // namespace

TEST_CASE("the lifecycle, SLA, quiet hours, SMTP and digest sections are read", "[config]") {
  test::TempDir dir;
  Env env;
  auto loaded = load_with_channels(dir, R"(
[calendar]
timezone = "Europe/Moscow"
workdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
hours = "10:00-19:30"
holidays = ["2027-01-01", "2026-12-31", "2027-01-01"]
extra_workdays = ["2027-01-09"]

[sla]
take = "15m"
resolve = "2h"
check_interval = "10s"

[[sla.policy]]
min_severity = "high"
take = "5m"
resolve = "1h"
business_hours = false

[[sla.policy]]
channels = ["support"]
take = "20m"

[[sla.escalation]]
channel = "managers"
mention = ["@boss"]

[[sla.escalation]]
after = "1h"
channel = "support"

[quiet_hours]
urgent_severity = "medium"

[lifecycle]
follow_up = "48h"
telegram_poll_timeout = "30s"
slack_actions_path = "/hooks/slack"

[smtp]
host = "smtp.example.org"
security = "tls"
username = "otklik@example.org"
password = "env:OTKLIK_TEST_SMTP"
from = "Отклик <otklik@example.org>"

[digest]
day = "friday"
time = "17:30"
timezone = "Europe/Moscow"
to = ["lead@example.org", "boss@example.org"]

[[digest.list]]
to = ["zvezda-team@example.org"]
brands = ["Звезда"]
)");
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  const Config& c = *loaded.config;

  CHECK(c.calendar.configured);
  CHECK(c.calendar.timezone == "Europe/Moscow");
  CHECK(c.calendar.workdays == std::vector<int>{1, 2, 3, 4, 5, 6});
  CHECK(c.calendar.day_start_minutes == 600);
  CHECK(c.calendar.day_end_minutes == 19 * 60 + 30);
  CHECK(c.calendar.holidays == std::vector<std::string>{"2026-12-31", "2027-01-01"});
  CHECK(c.calendar.extra_workdays == std::vector<std::string>{"2027-01-09"});

  CHECK(c.sla.enabled);
  CHECK(c.sla.defaults.take == 15min);
  CHECK(c.sla.defaults.resolve == 2h);
  CHECK(c.sla.check_interval == 10s);
  REQUIRE(c.sla.policies.size() == 2);
  CHECK(c.sla.policies[0].min_severity == Severity::high);
  CHECK(c.sla.policies[0].take == 5min);
  CHECK_FALSE(c.sla.policies[0].business_hours);
  CHECK(c.sla.policies[1].channels == std::vector<std::string>{"support"});
  CHECK(c.sla.policies[1].take == 20min);
  CHECK(c.sla.policies[1].resolve == 2h);  // inherited from [sla]
  REQUIRE(c.sla.escalation.size() == 2);
  CHECK(c.sla.escalation[0].after == 0s);
  CHECK(c.sla.escalation[0].mention == std::vector<std::string>{"@boss"});
  CHECK(c.sla.escalation[1].after == 1h);

  CHECK(c.quiet_hours.enabled);
  CHECK(c.quiet_hours.urgent_severity == Severity::medium);
  CHECK(c.lifecycle.follow_up == 48h);
  CHECK(c.lifecycle.telegram_poll_timeout == 30s);
  CHECK(c.lifecycle.slack_actions_path == "/hooks/slack");

  CHECK(c.smtp.enabled);
  CHECK(c.smtp.security == "tls");
  CHECK(c.smtp.port == 0);
  CHECK(c.smtp.password.value() == "s3cret");
  CHECK(c.smtp.from == "Отклик <otklik@example.org>");

  CHECK(c.digest.enabled);
  CHECK(c.digest.day == 5);
  CHECK(c.digest.time_minutes == 17 * 60 + 30);
  REQUIRE(c.digest.audiences.size() == 2);
  CHECK(c.digest.audiences[0].to.size() == 2);
  CHECK(c.digest.audiences[0].brands.empty());
  CHECK(c.digest.audiences[1].brands == std::vector<std::string>{"Звезда"});

  const ChannelConfig* tg = c.find_channel("support");
  REQUIRE(tg != nullptr);
  CHECK(tg->actions);
  CHECK(tg->allowed_users == std::vector<std::string>{"123456", "@ivanova"});
  const ChannelConfig* slack = c.find_channel("managers");
  REQUIRE(slack != nullptr);
  CHECK(slack->actions);
  CHECK(slack->signing_secret.value() == "8f742231b10e8888abcd99yyyzzz85a5");
  const ChannelConfig* mail = c.find_channel("mail");
  REQUIRE(mail != nullptr);
  CHECK_FALSE(mail->actions);
  CHECK(mail->to == std::vector<std::string>{"lead@example.org"});
}

TEST_CASE("without the new sections the defaults hold and nothing is enabled", "[config]") {
  test::TempDir dir;
  test::FakeCatalog catalog;
  auto loaded = load_config_text("[daemon]\nlocale = \"en\"\n", dir.path(), &catalog);
  REQUIRE(loaded.config.has_value());
  const Config& c = *loaded.config;
  CHECK_FALSE(c.sla.enabled);
  CHECK_FALSE(c.quiet_hours.enabled);
  CHECK_FALSE(c.smtp.enabled);
  CHECK_FALSE(c.digest.enabled);
  CHECK_FALSE(c.calendar.configured);
  CHECK(c.calendar.workdays == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(c.lifecycle.follow_up == 24h);
}

namespace {

struct BrokenCase {
  std::string_view what;
  std::string_view toml;  ///< appended after kChannels (31 lines)
  std::string_view key;
  std::string_view fragment;
};

const BrokenCase kBroken[] = {
    {"calendar day name", "[calendar]\nworkdays = [\"mon\"]\n", "calendar.workdays", "is not a day name"},
    {"calendar hours shape", "[calendar]\nhours = \"9-18\"\n", "calendar.hours", "HH:MM-HH:MM"},
    {"calendar hours reversed", "[calendar]\nhours = \"18:00-09:00\"\n", "calendar.hours", "after the start"},
    {"calendar bad date", "[calendar]\nholidays = [\"2027-02-30\"]\n", "calendar.holidays", "YYYY-MM-DD"},
    {"calendar both lists", "[calendar]\nholidays = [\"2027-01-09\"]\nextra_workdays = [\"2027-01-09\"]\n",
     "calendar.extra_workdays", "also listed in holidays"},
    {"calendar unknown key", "[calendar]\ntimezone = \"UTC\"\nweekend = []\n", "calendar.weekend", "unknown key"},
    {"sla resolve before take", "[sla]\ntake = \"2h\"\nresolve = \"1h\"\n", "sla.resolve", "shorter than take"},
    {"sla policy severity", "[sla]\n[[sla.policy]]\nmin_severity = \"urgent\"\n", "sla.policy[1].min_severity",
     "expected \"low\""},
    {"sla policy channel", "[sla]\n[[sla.policy]]\nchannels = [\"nowhere\"]\n", "sla.policy[1].channels",
     "no [[channel]] named \"nowhere\""},
    {"sla escalation without channel", "[sla]\n[[sla.escalation]]\nafter = \"1h\"\n", "sla.escalation[1].channel",
     "is required"},
    {"sla escalation order",
     "[sla]\n[[sla.escalation]]\nafter = \"2h\"\nchannel = \"support\"\n[[sla.escalation]]\nafter = \"1h\"\n"
     "channel = \"support\"\n",
     "sla.escalation[2]", "in order"},
    {"sla single policy table", "[sla]\n[sla.policy]\ntake = \"1h\"\n", "sla.policy", "write [[sla.policy]]"},
    {"quiet hours severity", "[quiet_hours]\nurgent_severity = \"critical\"\n", "quiet_hours.urgent_severity",
     "expected \"low\""},
    {"lifecycle poll timeout", "[lifecycle]\ntelegram_poll_timeout = \"10m\"\n", "lifecycle.telegram_poll_timeout",
     "at most 5m"},
    {"lifecycle path", "[lifecycle]\nslack_actions_path = \"slack\"\n", "lifecycle.slack_actions_path",
     "starting with \"/\""},
    {"lifecycle path taken", "[lifecycle]\nslack_actions_path = \"/metrics\"\n", "lifecycle.slack_actions_path",
     "taken by the health endpoint"},
    {"smtp without host", "[smtp]\nfrom = \"a@example.org\"\n", "smtp.host", "is required"},
    {"smtp host with scheme", "[smtp]\nhost = \"smtp://mail.example.org\"\nfrom = \"a@example.org\"\n", "smtp.host",
     "without scheme"},
    {"smtp security", "[smtp]\nhost = \"mail.example.org\"\nsecurity = \"ssl\"\nfrom = \"a@example.org\"\n",
     "smtp.security", "expected \"starttls\""},
    {"smtp plain to a remote host", "[smtp]\nhost = \"mail.example.org\"\nsecurity = \"none\"\nfrom = \"a@example.org\"\n",
     "smtp.security", "only to a relay on this machine"},
    {"smtp user without password", "[smtp]\nhost = \"mail.example.org\"\nusername = \"u\"\nfrom = \"a@example.org\"\n",
     "smtp.password", "required when username"},
    {"smtp from", "[smtp]\nhost = \"mail.example.org\"\nfrom = \"Otklik <otklik@mailhost>\"\n", "smtp.from", "domain without a dot"},
    {"smtp port", "[smtp]\nhost = \"mail.example.org\"\nport = 70000\nfrom = \"a@example.org\"\n", "smtp.port",
     "between 1 and 65535"},
    {"digest day", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\nday = \"Monday\"\nto = [\"a@example.org\"]\n",
     "digest.day", "is not a day name"},
    {"digest time", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\ntime = \"9:00\"\nto = [\"a@example.org\"]\n",
     "digest.time", "HH:MM"},
    {"digest without recipients", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\nday = \"monday\"\n",
     "digest.to", "is required"},
    {"digest bad address", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\nto = [\"lead example.org\"]\n",
     "digest.to", "exactly one \"@\""},
    {"digest unknown brand",
     "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\nto = [\"a@example.org\"]\nbrands = [\"Луна\"]\n",
     "digest.brands", "no [[brand]] named \"Луна\""},
    {"digest list without to",
     "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\n[[digest.list]]\nbrands = [\"Звезда\"]\n",
     "digest.list[1].to", "is required"},
    {"digest same recipients twice",
     "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[digest]\nto = [\"a@example.org\"]\n[[digest.list]]\n"
     "to = [\"a@example.org\"]\nbrands = [\"Звезда\"]\n",
     "digest", "same addresses"},
    {"digest without smtp", "[digest]\nto = [\"a@example.org\"]\n", "digest", "add an [smtp] section"},
    {"email channel without smtp", "", "smtp", "needs an [smtp] section"},
    {"telegram allowed user", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[[channel]]\nname = \"t2\"\n"
     "type = \"telegram\"\ntoken = \"env:OTKLIK_TEST_TOKEN\"\nchat_id = 1\nallowed_users = [\"ivanova\"]\n",
     "channel[\"t2\"].allowed_users", "@username"},
    {"slack actions without secret", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[[channel]]\n"
     "name = \"s2\"\ntype = \"slack\"\nwebhook_url = \"env:OTKLIK_TEST_HOOK\"\nactions = true\n",
     "channel[\"s2\"].actions", "needs signing_secret"},
    {"email channel without to", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[[channel]]\nname = \"e2\"\ntype = \"email\"\n",
     "channel[\"e2\"].to", "is required"},
    {"key of another channel type", "[smtp]\nhost = \"m.example.org\"\nfrom = \"a@example.org\"\n[[channel]]\nname = \"e3\"\n"
     "type = \"email\"\nto = [\"a@example.org\"]\nsigning_secret = \"x\"\n",
     "channel[\"e3\"].signing_secret", "belongs to slack"},
};

bool has_key_problem(const std::vector<ConfigProblem>& problems, std::string_view key, std::string_view fragment) {
  return std::any_of(problems.begin(), problems.end(), [&](const ConfigProblem& p) {
    return !p.warning && p.key == key && p.message.find(fragment) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("broken lifecycle, SLA, SMTP and digest sections report their problem", "[config]") {
  test::TempDir dir;
  Env env;
  for (const auto& c : kBroken) {
    INFO(c.what);
    auto loaded = load_with_channels(dir, c.toml);
    INFO(test::describe(loaded.problems));
    CHECK_FALSE(loaded.config.has_value());
    CHECK(has_key_problem(loaded.problems, c.key, c.fragment));
  }
}

TEST_CASE("SLA or quiet hours without a [calendar] warn about the default working time", "[config]") {
  test::TempDir dir;
  test::FakeCatalog catalog;
  auto loaded = load_config_text("[quiet_hours]\n", dir.path(), &catalog);
  REQUIRE(loaded.config.has_value());
  CHECK(has_problem(loaded.problems, "calendar", 0, "Monday–Friday 09:00–18:00 UTC", /*warning=*/true));
}

TEST_CASE("clock times, weekdays, dates and addresses", "[config]") {
  using namespace otklik::config_detail;
  CHECK(parse_clock_time("00:00") == 0);
  CHECK(parse_clock_time("23:59") == 1439);
  CHECK_FALSE(parse_clock_time("24:00").has_value());
  CHECK(parse_clock_time("24:00", true) == 1440);
  CHECK_FALSE(parse_clock_time("9:00").has_value());
  CHECK_FALSE(parse_clock_time("12:60").has_value());
  CHECK(parse_weekday("monday") == 1);
  CHECK(parse_weekday("sunday") == 7);
  CHECK_FALSE(parse_weekday("Sunday").has_value());
  CHECK(valid_date("2028-02-29"));
  CHECK_FALSE(valid_date("2027-02-29"));
  CHECK_FALSE(valid_date("2027-1-01"));
  CHECK_FALSE(check_email("lead@example.org").has_value());
  CHECK_FALSE(check_email("ops@localhost").has_value());
  CHECK(check_email("a@@example.org").has_value());
  CHECK(check_email("a b@example.org").has_value());
  CHECK(check_email("a@example.org\r\nBcc: x@y.org").has_value());
  CHECK(check_email("лид@example.org").has_value());
  CHECK_FALSE(check_mailbox("Отклик <otklik@example.org>").has_value());
  CHECK(check_mailbox("Evil\r\nBcc: x <a@example.org>").has_value());
  CHECK(check_mailbox("<a@example.org>").has_value());
  CHECK(loopback_host("127.0.0.1"));
  CHECK(loopback_host("localhost"));
  CHECK(loopback_host("::1"));
  CHECK_FALSE(loopback_host("127.0.0.1.example.org"));
  CHECK_FALSE(loopback_host("10.0.0.1"));
}
