// Broken configs, each with the problem it must report: key path, line and a message fragment.
#include "tests/unit/config/config_test_support.hpp"

using namespace otklik;
using otklik::test::has_problem;

namespace {

struct BrokenCase {
  std::string_view what;
  std::string_view toml;
  std::string_view key;
  int line;
  std::string_view fragment;
};

// Line numbers count from the first line of each text.
const BrokenCase kBroken[] = {
    {"syntax error", "[daemon\nlisten = 1\n", "", 1, "TOML syntax error"},
    {"syntax error later", "[daemon]\nlocale = \"ru\"\nlocale = \"en\"\n", "", 3, "TOML syntax error"},
    {"unknown top-level table", "[daemons]\nstate = \"x.db\"\n", "daemons", 1, "did you mean \"daemon\""},
    {"unknown top-level key", "verbose = true\n", "verbose", 1, "unknown top-level key"},
    {"section is not a table", "daemon = 5\n", "daemon", 1, "expected a table [daemon]"},
    {"unknown daemon key", "[daemon]\nstat = \"x.db\"\n", "daemon.stat", 2, "did you mean \"state\""},
    {"empty state", "[daemon]\nstate = \"\"\n", "daemon.state", 2, "must not be empty"},
    {"listen without host", "[daemon]\nlisten = \":9464\"\n", "daemon.listen", 2, "explicitly"},
    {"listen on a name", "[daemon]\nlisten = \"example.org:9464\"\n", "daemon.listen", 2, "must be an IP address"},
    {"locale", "[daemon]\nlocale = \"de\"\n", "daemon.locale", 2, "expected one of \"ru\", \"en\""},
    {"time zone", "[daemon]\ntimezone = \"Mars/Olympus\"\n", "daemon.timezone", 2, "unknown time zone"},
    {"duration as number", "[daemon]\nshutdown_timeout = 10\n", "daemon.shutdown_timeout", 2,
     "expected a duration string"},
    {"log level", "[daemon]\nlog_level = \"verbose\"\n", "daemon.log_level", 2, "expected one of"},
    {"user agent with newline", "[daemon]\nuser_agent = \"a\\nb\"\n", "daemon.user_agent", 2, "control characters"},
    {"size", "[http]\nmax_body = \"8 MB\"\n", "http.max_body", 2, "positive size"},
    {"duration without unit", "[http]\n\nread_timeout = \"30\"\n", "http.read_timeout", 3, "is not a duration"},
    {"redirects", "[http]\nmax_redirects = 50\n", "http.max_redirects", 2, "between 0 and 20"},
    {"idle per host", "[http]\nmax_idle_per_host = -1\n", "http.max_idle_per_host", 2, "between 0 and 100"},
    {"idle total", "[http]\nmax_idle_total = 20000\n", "http.max_idle_total", 2, "between 0 and 10000"},
    {"idle timeout", "[http]\nidle_timeout = \"10ms\"\n", "http.idle_timeout", 2, "at least"},
    {"idle timeout typo", "[http]\nidle_timout = \"5s\"\n", "http.idle_timout", 2, "did you mean \"idle_timeout\""},
    {"CA file", "[http]\nca_file = \"no-such-ca.pem\"\n", "http.ca_file", 2, "cannot read the CA bundle"},
    {"sentiment lang", "[sentiment]\nlang = \"de\"\n", "sentiment.lang", 2, "expected one of"},
    {"missing lexicon", "[sentiment]\nlexicons = [\"no-such.tsv\"]\n", "sentiment.lexicons[1]", 2,
     "cannot read the lexicon file"},
    {"lexicons not a list", "[sentiment]\nlexicons = \"a.tsv\"\n", "sentiment.lexicons", 2, "expected an array"},
    {"brand without name", "[[brand]]\naliases = [\"x\"]\n", "brand[1].name", 1, "is required"},
    {"brand empty alias", "[[brand]]\nname = \"b\"\naliases = [\"x\", \"\"]\n", "brand[\"b\"].aliases[2]", 3,
     "must not be empty"},
    {"duplicate brand", "[[brand]]\nname = \"b\"\n[[brand]]\nname = \"b\"\n", "brand[\"b\"].name", 4,
     "duplicate brand name \"b\" (first at line 2)"},
    {"single [source] table", "[source]\nname = \"s\"\n", "source", 1, "write [[source]]"},
    {"source without name", "[[source]]\ntype = \"rss\"\nurl = \"https://e.org/\"\n", "source[1].name", 1,
     "is required"},
    {"source name with space", "[[source]]\nname = \"bank rss\"\ntype = \"rss\"\nurl = \"https://e.org/\"\n",
     "source[\"bank rss\"].name", 2, "may contain only"},
    {"source without url", "[[source]]\nname = \"s\"\ntype = \"rss\"\n", "source[\"s\"].url", 1, "is required"},
    {"source url scheme", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"ftp://e.org/x\"\n", "source[\"s\"].url",
     4, "scheme \"ftp\""},
    {"interval too short",
     "[[source]]\nname = \"bank-rss\"\ntype = \"rss\"\nurl = \"https://e.org/\"\ninterval = \"5s\"\n",
     "source[\"bank-rss\"].interval", 5, "at least 10s"},
    {"interval below 1s on loopback",
     "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"http://127.0.0.1:8080/feed\"\ninterval = \"500ms\"\n",
     "source[\"s\"].interval", 5, "at least 1s"},
    {"enabled not bool", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nenabled = \"yes\"\n",
     "source[\"s\"].enabled", 5, "expected true or false"},
    {"sensitivity word", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nsensitivity = \"max\"\n",
     "source[\"s\"].sensitivity", 5, "expected \"high\", \"normal\", \"low\" or a number"},
    {"sensitivity zero", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nsensitivity = 0.0\n",
     "source[\"s\"].sensitivity", 5, "from -1 up to (not including) 0"},
    {"sensitivity positive", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nsensitivity = 0.2\n",
     "source[\"s\"].sensitivity", 5, "got 0.2"},
    {"sensitivity below -1", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nsensitivity = -2\n",
     "source[\"s\"].sensitivity", 5, "got -2"},
    {"sensitivity bool", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nsensitivity = true\n",
     "source[\"s\"].sensitivity", 5, "got a boolean"},
    {"source brand unknown", "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/\"\nbrand = \"nobody\"\n",
     "source[\"s\"].brand", 5, "no [[brand]] is named \"nobody\""},
    {"source type unknown", "[[source]]\nname = \"s\"\ntype = \"gopher\"\nurl = \"https://e.org/\"\n",
     "source[\"s\"].type", 3, "unknown source type \"gopher\""},
    {"source option unknown", "[[source]]\nname = \"s\"\ntype = \"html\"\nurl = \"https://e.org/\"\nitemz = \"//li\"\n",
     "source[\"s\"].itemz", 5, "unknown key"},
    {"duplicate source",
     "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/a\"\n"
     "[[source]]\nname = \"s\"\ntype = \"rss\"\nurl = \"https://e.org/b\"\n",
     "source[\"s\"].name", 6, "duplicate source name \"s\" (first at line 2)"},
    {"channel without name", "[[channel]]\ntype = \"console\"\n", "channel[1].name", 1, "is required"},
    {"channel type unknown", "[[channel]]\nname = \"c\"\ntype = \"pager\"\n", "channel[\"c\"].type", 3,
     "unknown channel type"},
    {"telegram without token", "[[channel]]\nname = \"tg\"\ntype = \"telegram\"\nchat_id = -100123\n",
     "channel[\"tg\"].token", 1, "is required"},
    {"unnamed second channel without token",
     "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[channel]]\ntype = \"telegram\"\nchat_id = 1\n",
     "channel[2].token", 4, "is required"},
    {"telegram bad chat id",
     "[[channel]]\nname = \"tg\"\ntype = \"telegram\"\ntoken = \"1:a\"\nchat_id = \"ops team\"\n",
     "channel[\"tg\"].chat_id", 5, "expected a numeric chat id"},
    {"telegram api_url scheme",
     "[[channel]]\nname = \"tg\"\ntype = \"telegram\"\ntoken = \"1:a\"\nchat_id = 5\napi_url = \"ftp://x\"\n",
     "channel[\"tg\"].api_url", 6, "scheme \"ftp\""},
    {"key of another channel type",
     "[[channel]]\nname = \"team\"\ntype = \"slack\"\nwebhook_url = \"https://hooks.example/x\"\nchat_id = 5\n",
     "channel[\"team\"].chat_id", 5, "is not a key of a slack channel (it belongs to telegram)"},
    {"unknown channel key", "[[channel]]\nname = \"c\"\ntype = \"console\"\ncolour = true\n", "channel[\"c\"].colour", 4,
     "unknown key in a console [[channel]]"},
    {"channel locale", "[[channel]]\nname = \"c\"\ntype = \"console\"\nlocale = \"fr\"\n", "channel[\"c\"].locale", 4,
     "expected \"ru\" or \"en\""},
    {"slack webhook not a URL", "[[channel]]\nname = \"s\"\ntype = \"slack\"\nwebhook_url = \"hooks\"\n",
     "channel[\"s\"].webhook_url", 4, "not an http(s) URL"},
    {"webhook without url", "[[channel]]\nname = \"h\"\ntype = \"webhook\"\n", "channel[\"h\"].url", 1, "is required"},
    {"webhook file url", "[[channel]]\nname = \"h\"\ntype = \"webhook\"\nurl = \"file:///tmp/x\"\n",
     "channel[\"h\"].url", 4, "scheme \"file\""},
    {"webhook header name",
     "[[channel]]\nname = \"h\"\ntype = \"webhook\"\nurl = \"https://e.org/\"\nheaders = { \"Bad Header\" = \"x\" }\n",
     "channel[\"h\"].headers.Bad Header", 5, "not a valid HTTP header name"},
    {"webhook headers not a table",
     "[[channel]]\nname = \"h\"\ntype = \"webhook\"\nurl = \"https://e.org/\"\nheaders = [\"X-A: b\"]\n",
     "channel[\"h\"].headers", 5, "expected a table"},
    {"duplicate channel", "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[channel]]\nname = \"c\"\ntype = \"console\"\n",
     "channel[\"c\"].name", 5, "duplicate channel name"},
    {"route to unknown channel", "[[route]]\nchannel = \"nowhere\"\n", "route[1].channel", 2,
     "no [[channel]] is named \"nowhere\""},
    {"route without channel", "[[route]]\nmin_severity = \"low\"\n", "route[1].channel", 1, "is required"},
    {"route unknown source",
     "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\nsources = [\"x\"]\n",
     "route[1].sources[1]", 6, "no [[source]] is named \"x\""},
    {"route unknown brand",
     "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\nbrands = [\"x\"]\n",
     "route[1].brands[1]", 6, "no [[brand]] is named \"x\""},
    {"route severity", "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\nmin_severity = \"critical\"\n",
     "route[1].min_severity", 6, "expected \"low\", \"medium\" or \"high\""},
    {"route key typo", "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\nsource = [\"x\"]\n",
     "route[1].source", 6, "did you mean \"sources\""},
};

}  // namespace

TEST_CASE("each broken config reports its problem with key, line and reason", "[config]") {
  test::TempDir dir;
  test::FakeCatalog catalog;
  for (const auto& c : kBroken) {
    INFO(c.what);
    auto loaded = load_config_text(c.toml, dir.path(), &catalog);
    INFO(test::describe(loaded.problems));
    CHECK_FALSE(loaded.config.has_value());
    CHECK(has_problem(loaded.problems, std::string(c.key), c.line, std::string(c.fragment)));
  }
}

TEST_CASE("a config with several errors reports all of them, in line order", "[config]") {
  test::TempDir dir;
  test::FakeCatalog catalog;
  const std::string text = R"([daemon]
locale = "de"
listen = "*:80"

[[source]]
name = "s"
type = "rss"
url = "https://example.org/feed"
interval = "1s"
bogus = 1

[[channel]]
name = "c"
type = "console"

[[route]]
channel = "c"
min_severity = "urgent"
)";
  auto loaded = load_config_text(text, dir.path(), &catalog);
  INFO(test::describe(loaded.problems));
  REQUIRE_FALSE(loaded.config.has_value());
  CHECK(test::error_count(loaded.problems) == 5);
  CHECK(has_problem(loaded.problems, "daemon.locale", 2, "expected one of"));
  CHECK(has_problem(loaded.problems, "daemon.listen", 3, "must be an IP address"));
  CHECK(has_problem(loaded.problems, "source[\"s\"].interval", 9, "at least 10s"));
  CHECK(has_problem(loaded.problems, "source[\"s\"].bogus", 10, "unknown key"));
  CHECK(has_problem(loaded.problems, "route[1].min_severity", 18, "expected"));
  for (std::size_t i = 1; i < loaded.problems.size(); ++i)
    CHECK(loaded.problems[i - 1].line <= loaded.problems[i].line);
}

TEST_CASE("file:// and loopback sources may poll every second", "[config]") {
  test::TempDir dir;
  auto loaded = load_config_text(
      "[[source]]\nname = \"a\"\ntype = \"rss\"\nurl = \"http://127.0.0.1:8080/feed\"\ninterval = \"1s\"\n"
      "[[source]]\nname = \"b\"\ntype = \"rss\"\nurl = \"file:feed.xml\"\ninterval = \"2s\"\n"
      "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n",
      dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.config->sources[0].interval == std::chrono::seconds(1));
  CHECK(loaded.config->sources[1].interval == std::chrono::seconds(2));
}

TEST_CASE("without a catalog, source types and options are not judged", "[config]") {
  test::TempDir dir;
  auto loaded = load_config_text(
      "[[source]]\nname = \"s\"\ntype = \"preset-x\"\nurl = \"https://e.org/\"\nwhatever = 1\n"
      "[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n",
      dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  REQUIRE(loaded.config->sources.size() == 1);
  const auto& options = loaded.config->sources[0].options;
  REQUIRE(options.get("whatever") != nullptr);
  CHECK(options.get("whatever")->value<int>() == 1);
  CHECK(options.get("whatever")->source().begin.line == 5);  // positions survive the move to options
}
