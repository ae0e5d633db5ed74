// [topics], [understanding], [spikes], [source_health], and the brand-matching keys of [[brand]]
// and [[source]]: a full example read into the structs, the defaults, and a table of broken ones.
#include "tests/unit/config/config_test_support.hpp"

#include <algorithm>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kBase = R"(
[[brand]]
name = "Рокетбанк"
aliases = ["Rocketbank", "Рокет банк"]
guard = ["ракета"]
typos = false

[[brand]]
name = "Озон"

[[channel]]
name = "team"
type = "console"

[[channel]]
name = "ops"
type = "console"

[[source]]
name = "mentions"
type = "rss"
url = "file:mentions.xml"
match_brands = true
)";

LoadedConfig load(const test::TempDir& dir, std::string_view rest) {
  test::FakeCatalog catalog;
  std::string text(kBase);
  text += rest;
  return load_config_text(text, dir.path(), &catalog);
}

bool has_key_problem(const std::vector<ConfigProblem>& problems, std::string_view key, std::string_view fragment) {
  return std::any_of(problems.begin(), problems.end(), [&](const ConfigProblem& p) {
    return !p.warning && p.key == key && p.message.find(fragment) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("the understanding sections are read", "[config]") {
  test::TempDir dir;
  dir.write("our-topics.toml", "# user topics\n");
  auto loaded = load(dir, R"(
[topics]
builtin = true
files = ["our-topics.toml"]
disable = ["cleanliness", "delivery"]

[understanding]
claims = false
hints = false
max_claims = 5
repeat_window = "14d"

[spikes]
enabled = true
window = "2h"
baseline_weeks = 6
min_count = 8
min_ratio = 4.5
check_interval = "5m"
channels = ["team"]

[source_health]
empty_polls = 3
channels = ["ops"]
)");
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  const Config& c = *loaded.config;
  CHECK(c.topics.builtin);
  CHECK(c.topics.files == std::vector<std::string>{(dir.path() / "our-topics.toml").string()});
  CHECK(c.topics.disable == std::vector<std::string>{"cleanliness", "delivery"});
  CHECK_FALSE(c.understanding.claims);
  CHECK_FALSE(c.understanding.hints);
  CHECK(c.understanding.max_claims == 5);
  CHECK(c.understanding.repeat_window == 14 * 24h);
  CHECK(c.spikes.window == 2h);
  CHECK(c.spikes.baseline_weeks == 6);
  CHECK(c.spikes.min_count == 8);
  CHECK(c.spikes.min_ratio == 4.5);
  CHECK(c.spikes.check_interval == 5min);
  CHECK(c.spikes.channels == std::vector<std::string>{"team"});
  CHECK(c.source_health.empty_polls == 3);
  CHECK(c.source_health.channels == std::vector<std::string>{"ops"});
  REQUIRE(c.brands.size() == 2);
  CHECK(c.brands[0].guard == std::vector<std::string>{"ракета"});
  CHECK_FALSE(c.brands[0].typos);
  CHECK(c.brands[1].typos);
  REQUIRE(c.find_source("mentions") != nullptr);
  CHECK(c.find_source("mentions")->match_brands);
}

TEST_CASE("without the understanding sections the defaults hold", "[config]") {
  test::TempDir dir;
  auto loaded = load(dir, "");
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  const Config& c = *loaded.config;
  CHECK(c.topics.builtin);
  CHECK(c.topics.files.empty());
  CHECK(c.understanding.claims);
  CHECK(c.understanding.hints);
  CHECK(c.understanding.max_claims == 10);
  CHECK(c.understanding.repeat_window == 30 * 24h);
  CHECK(c.spikes.enabled);
  CHECK(c.spikes.window == 3h);
  CHECK(c.spikes.min_count == 5);
  CHECK(c.spikes.min_ratio == 3.0);
  CHECK(c.source_health.empty_polls == 5);
}

TEST_CASE("broken understanding sections report their problem", "[config]") {
  struct Broken {
    const char* what;
    const char* toml;
    const char* key;
    const char* fragment;
  };
  const Broken cases[] = {
      {"missing topic file", "[topics]\nfiles = [\"nowhere.toml\"]\n", "topics.files[1]", "cannot read the topic file"},
      {"bad topic id", "[topics]\ndisable = [\"Очереди\"]\n", "topics.disable", "is not a topic id"},
      {"no topics at all", "[topics]\nbuiltin = false\n", "topics.builtin", "no topic files"},
      {"unknown topics key", "[topics]\nfile = [\"x.toml\"]\n", "topics.file", "unknown key"},
      {"max claims", "[understanding]\nmax_claims = 0\n", "understanding.max_claims", "between 1 and 30"},
      {"repeat window too long", "[understanding]\nrepeat_window = \"400d\"\n", "understanding.repeat_window",
       "at most a year"},
      {"repeat window type", "[understanding]\nrepeat_window = 30\n", "understanding.repeat_window", "duration"},
      {"spike window", "[spikes]\nwindow = \"1m\"\n", "spikes.window", "at least"},
      {"spike ratio type", "[spikes]\nmin_ratio = \"3\"\n", "spikes.min_ratio", "expected a number"},
      {"spike ratio too small", "[spikes]\nmin_ratio = 1\n", "spikes.min_ratio", "at least 1.5"},
      {"spike channel", "[spikes]\nchannels = [\"nobody\"]\n", "spikes.channels", "no [[channel]] is named \"nobody\""},
      {"spike min count", "[spikes]\nmin_count = 1\n", "spikes.min_count", "between 2 and"},
      {"health channel", "[source_health]\nchannels = [\"x\"]\n", "source_health.channels", "no [[channel]]"},
      {"health polls", "[source_health]\nempty_polls = -1\n", "source_health.empty_polls", "between 0 and"},
      {"understanding as array", "[[understanding]]\nclaims = true\n", "understanding", "expected a table"},
      {"brand guard type", "[[brand]]\nname = \"Луна\"\nguard = \"луна-парк\"\n", "brand[\"Луна\"].guard", "array"},
      {"brand typos type", "[[brand]]\nname = \"Луна\"\ntypos = \"yes\"\n", "brand[\"Луна\"].typos", "expected true or false"},
  };
  test::TempDir dir;
  for (const auto& c : cases) {
    INFO(c.what);
    auto loaded = load(dir, c.toml);
    INFO(test::describe(loaded.problems));
    CHECK_FALSE(loaded.config.has_value());
    CHECK(has_key_problem(loaded.problems, c.key, c.fragment));
  }
}

TEST_CASE("a source that matches brands needs a brand to look for", "[config]") {
  test::TempDir dir;
  test::FakeCatalog catalog;
  auto loaded = load_config_text(R"(
[[channel]]
name = "team"
type = "console"

[[source]]
name = "alerts"
type = "rss"
url = "file:alerts.xml"
match_brands = true
)",
                                 dir.path(), &catalog);
  INFO(test::describe(loaded.problems));
  CHECK_FALSE(loaded.config.has_value());
  CHECK(has_key_problem(loaded.problems, "source[\"alerts\"].match_brands", "needs at least one [[brand]]"));
}
