// Valid configs: defaults, values as read, secrets, reserved sections, the shipped examples.
#include "tests/unit/config/config_test_support.hpp"

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::has_problem;

namespace {

const char* const kMinimal = R"(
[[channel]]
name = "console"
type = "console"

[[route]]
channel = "console"
)";

}  // namespace

TEST_CASE("an empty config gets every default", "[config]") {
  test::TempDir dir;
  auto loaded = load_config_text("", dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.problems.empty());
  const Config& c = *loaded.config;
  const DaemonConfig d;
  CHECK(c.daemon.state == d.state);
  CHECK(c.daemon.listen == "127.0.0.1:9464");
  CHECK(c.daemon.locale == "ru");
  CHECK(c.daemon.timezone == "UTC");
  CHECK(c.daemon.shutdown_timeout == 10s);
  CHECK(c.daemon.log_level == "info");
  CHECK(c.http.connect_timeout == 10s);
  CHECK(c.http.read_timeout == 30s);
  CHECK(c.http.max_body == 8u << 20);
  CHECK(c.http.max_redirects == 5);
  CHECK(c.http.max_idle_per_host == 4);
  CHECK(c.http.max_idle_total == 64);
  CHECK(c.http.idle_timeout == 15s);
  CHECK(c.sentiment.lang == "auto");
  CHECK(c.sources.empty());
  CHECK(c.channels.empty());
}

TEST_CASE("values are read into the structs", "[config]") {
  test::TempDir dir;
  dir.write("extra.tsv", "плохо\t-1\n");
  test::FakeCatalog catalog;
  const std::string text = R"(
[daemon]
state = "state/otklik.db"
listen = ""
locale = "en"
timezone = "UTC"
user_agent = "Test/1"
shutdown_timeout = "1m30s"
log_level = "debug"

[http]
connect_timeout = "5s"
read_timeout = "1m"
max_body = "512KiB"
max_decompressed = "2MiB"
max_redirects = 0
per_host_delay = "0s"

[sentiment]
lexicons = ["extra.tsv"]
lang = "ru"

[[brand]]
name = "zvezda"
aliases = ["Звезда", "Zvezda Bank"]

[[source]]
name = "bank-feed"
type = "html"
url = "file:pages/bank.html"
interval = "10s"
brand = "zvezda"
alert_max_age = "3d"
enabled = false
user_agent = "Other/2"
item = "//div[@class='review']"
fields = { text = ".//p", rating = ".//span/@data-stars" }

[[channel]]
name = "ops"
type = "telegram"
token = "123456:ABC-def"
chat_id = -1001234567890
api_url = "http://127.0.0.1:8081/"
locale = "ru"

[[route]]
channel = "ops"
sources = ["bank-feed"]
brands = ["zvezda"]
min_severity = "medium"

[topics]
disable = ["cleanliness"]
)";
  auto loaded = load_config_text(text, dir.path(), &catalog);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  const Config& c = *loaded.config;
  CHECK(c.daemon.state == (dir.path() / "state/otklik.db").string());
  CHECK(c.daemon.listen.empty());
  CHECK(c.daemon.locale == "en");
  CHECK(c.daemon.user_agent == "Test/1");
  CHECK(c.daemon.shutdown_timeout == 90s);
  CHECK(c.daemon.log_level == "debug");
  CHECK(c.http.connect_timeout == 5s);
  CHECK(c.http.tls_timeout == 10s);
  CHECK(c.http.read_timeout == 60s);
  CHECK(c.http.max_body == 512u * 1024);
  CHECK(c.http.max_decompressed == 2u << 20);
  CHECK(c.http.max_redirects == 0);
  CHECK(c.http.per_host_delay == 0s);
  REQUIRE(c.sentiment.lexicons.size() == 1);
  CHECK(c.sentiment.lexicons[0] == (dir.path() / "extra.tsv").string());
  CHECK(c.sentiment.lang == "ru");

  REQUIRE(c.brands.size() == 1);
  CHECK(c.brands[0].aliases == std::vector<std::string>{"Звезда", "Zvezda Bank"});
  REQUIRE(c.find_brand("zvezda") != nullptr);

  const SourceConfig* s = c.find_source("bank-feed");
  REQUIRE(s != nullptr);
  CHECK(s->type == "html");
  CHECK(s->url == "file://" + (dir.path() / "pages/bank.html").string());
  CHECK(s->interval == 10s);
  CHECK(s->brand == "zvezda");
  CHECK(s->alert_max_age == 72h);
  CHECK_FALSE(s->enabled);
  CHECK(s->user_agent == std::optional<std::string>("Other/2"));
  CHECK(s->options.size() == 2);
  CHECK(s->options.get("item") != nullptr);
  CHECK(s->options.at_path("fields.rating").value<std::string>() == ".//span/@data-stars");
  CHECK(s->options.get("name") == nullptr);
  CHECK(s->line == 27);

  const ChannelConfig* ch = c.find_channel("ops");
  REQUIRE(ch != nullptr);
  CHECK(ch->token.value() == "123456:ABC-def");
  CHECK(ch->chat_id == "-1001234567890");
  CHECK(ch->api_url == "http://127.0.0.1:8081");
  CHECK(ch->locale == std::optional<std::string>("ru"));

  REQUIRE(c.routes.size() == 1);
  CHECK(c.routes[0].min_severity == Severity::medium);
  CHECK(c.routes[0].sources == std::vector<std::string>{"bank-feed"});

  CHECK(c.topics.disable == std::vector<std::string>{"cleanliness"});
  CHECK(c.topics.builtin);

  // The only problem: the literal token.
  REQUIRE(loaded.problems.size() == 1);
  CHECK(has_problem(loaded.problems, "channel[\"ops\"].token", 42, "put it in \"env:NAME\" or \"file:PATH\"", true));
}

TEST_CASE("a source's sensitivity: a word or a threshold, normal and none are the scorer's label",
          "[config][sensitivity]") {
  struct Case {
    std::string_view value;  // the TOML value; "" leaves the key out
    std::optional<double> threshold;
  };
  const Case cases[] = {
      {"", std::nullopt},
      {"\"normal\"", std::nullopt},
      {"\"high\"", -0.05},
      {"\"low\"", -0.30},
      {"-0.2", -0.2},
      {"-1", -1.0},
      {"-0.01", -0.01},
  };
  for (const Case& c : cases) {
    test::TempDir dir;
    std::string text = "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\n";
    if (!c.value.empty()) text += "sensitivity = " + std::string(c.value) + "\n";
    auto loaded = load_config_text(text, dir.path(), nullptr);
    INFO(c.value << "\n" << test::describe(loaded.problems));
    REQUIRE(loaded.config.has_value());
    REQUIRE(loaded.config->sources.size() == 1);
    CHECK(loaded.config->sources[0].negative_threshold == c.threshold);
  }
}

TEST_CASE("a channel without a route and a source no route covers are warnings", "[config]") {
  test::TempDir dir;
  auto loaded = load_config_text(
      "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\n"
      "[[channel]]\nname = \"idle\"\ntype = \"console\"\n",
      dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  CHECK(has_problem(loaded.problems, "channel[\"idle\"]", 5, "no [[route]] sends anything", true));
  CHECK(has_problem(loaded.problems, "source[\"s\"]", 1, "no [[route]] covers this source", true));
}

TEST_CASE("a config file on disk: path, relative state, unreadable file", "[config]") {
  test::TempDir dir;
  auto path = dir.write("conf/otklik.toml", std::string("[daemon]\nstate = \"../var/x.db\"\n") + kMinimal);
  auto loaded = load_config(path, nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.config->path == path);
  CHECK(loaded.config->daemon.state == (dir.path() / "var/x.db").string());

  auto missing = load_config(dir.path() / "nope.toml", nullptr);
  CHECK_FALSE(missing.config.has_value());
  REQUIRE(missing.problems.size() == 1);
  CHECK_THAT(missing.problems[0].message, Catch::Contains("cannot read the config file"));

  auto broken = dir.write("broken.toml", "[daemon]\nlisten = \n");
  auto bad = load_config(broken, nullptr);
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].line == 2);
  CHECK_THAT(format_problems(broken, bad.problems), Catch::StartsWith(broken.string() + ":2: TOML syntax error"));
}

TEST_CASE("keep-alive keys are read, and a total below the per-host bound is a warning", "[config][http]") {
  test::TempDir dir;
  auto set = load_config_text("[http]\nmax_idle_per_host = 2\nmax_idle_total = 16\nidle_timeout = \"5s\"\n",
                              dir.path(), nullptr);
  REQUIRE(set.config.has_value());
  CHECK(set.problems.empty());
  CHECK(set.config->http.max_idle_per_host == 2);
  CHECK(set.config->http.max_idle_total == 16);
  CHECK(set.config->http.idle_timeout == 5s);
  auto loaded = load_config_text("[http]\nmax_idle_per_host = 8\nmax_idle_total = 4\n", dir.path(), nullptr);
  REQUIRE(loaded.config.has_value());
  CHECK(test::has_problem(loaded.problems, "http.max_idle_total", 3, "smaller than max_idle_per_host", true));
  auto off = load_config_text("[http]\nmax_idle_per_host = 0\n", dir.path(), nullptr);
  REQUIRE(off.config.has_value());
  CHECK(off.problems.empty());
  CHECK(off.config->http.max_idle_per_host == 0);
}

TEST_CASE("the shipped configs load cleanly", "[config]") {
  const std::filesystem::path root = OTKLIK_SOURCE_DIR;
  test::FakeCatalog catalog;
  SECTION("demo.toml") {
    for (const SourceCatalog* cat : {static_cast<const SourceCatalog*>(nullptr), static_cast<const SourceCatalog*>(&catalog)}) {
      auto loaded = load_config(root / "config/demo.toml", cat);
      INFO(test::describe(loaded.problems));
      REQUIRE(loaded.config.has_value());
      CHECK(loaded.problems.empty());
      const Config& c = *loaded.config;
      CHECK(c.daemon.state == (root / "var/demo.db").lexically_normal().string());
      CHECK(c.daemon.listen == "127.0.0.1:9464");
      CHECK(c.brands.size() == 2);
      REQUIRE(c.sources.size() == 4);
      for (const auto& s : c.sources) {
        INFO(s.name);
        CHECK(s.url.starts_with("file://" + (root / "config/demo").string()));
        CHECK(std::filesystem::exists(s.url.substr(7)));
        CHECK(s.interval == 30s);
      }
      REQUIRE(c.channels.size() == 1);
      CHECK(c.channels[0].type == "console");
    }
  }
}
