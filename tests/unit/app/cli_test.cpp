// The `otklik` command line: exit codes and output of check-config, poll --once --dry-run, score,
// store copy.

#include "daemon/app/application.hpp"
#include "daemon/app/cli.hpp"
#include "daemon/app/feedback_command.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite_store.hpp"

#include "tests/unit/app/cli_run.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace otklik;
using otklik::test::cli;
using otklik::test::Run;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir() {
  std::random_device rd;
  fs::path d = fs::temp_directory_path() / ("otklik-cli-" + std::to_string(rd()) + std::to_string(rd()));
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("check-config prints every problem with its line and exits 78", "[cli]") {
  fs::path dir = temp_dir();
  std::ofstream(dir / "bad.toml") << "[daemon]\nlocale = \"fr\"\nbogus = 1\n\n[[source]]\nname = \"s\"\ntype = \"nope\"\n"
                                     "url = \"ftp://x\"\ninterval = \"soon\"\n";
  auto r = cli({"check-config", "-c", (dir / "bad.toml").string()});
  CHECK(r.code == kExitConfig);
  CHECK(r.err.find(":2: daemon.locale") != std::string::npos);
  CHECK(r.err.find(":3: daemon.bogus") != std::string::npos);
  CHECK(r.err.find("source[\"s\"].type") != std::string::npos);
  CHECK(r.err.find("source[\"s\"].url") != std::string::npos);
  CHECK(r.err.find("source[\"s\"].interval") != std::string::npos);

  std::ofstream(dir / "good.toml") << "[daemon]\nstate = \"s.db\"\n[[channel]]\nname = \"c\"\ntype = \"console\"\n"
                                      "[[route]]\nchannel = \"c\"\n";
  auto ok = cli({"check-config", "-c", (dir / "good.toml").string()});
  CHECK(ok.code == kExitOk);
  CHECK(ok.out.find("ok") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("the demo config is valid", "[cli][demo]") {
  auto r = cli({"check-config", "-c", std::string(OTKLIK_SOURCE_DIR) + "/config/demo.toml"});
  INFO(r.err);
  CHECK(r.code == kExitOk);
}

TEST_CASE("poll --once --dry-run prints what would alert and writes nothing", "[cli][poll]") {
  fs::path dir = temp_dir();
  std::ofstream(dir / "feed.rss")
      << R"(<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>)"
         R"(<item><guid>1</guid><title>Ужас</title><description>Нахамили в отделении, деньги не вернули. Больше никогда.</description></item>)"
         R"(<item><guid>2</guid><title>Спасибо</title><description>Отличный сервис, всё быстро.</description></item>)"
         R"(</channel></rss>)";
  std::ofstream(dir / "otklik.toml") << "[daemon]\nstate = \"state.db\"\nlisten = \"\"\n"
                                        "[[source]]\nname = \"feed\"\ntype = \"rss\"\nurl = \"file:feed.rss\"\n"
                                        "[[channel]]\nname = \"chat\"\ntype = \"console\"\n"
                                        "[[route]]\nchannel = \"chat\"\n";
  auto r = cli({"poll", "-c", (dir / "otklik.toml").string(), "--once", "--dry-run"});
  INFO(r.err);
  CHECK(r.code == kExitOk);
  CHECK(r.out.find("Нахамили в отделении") != std::string::npos);
  CHECK(r.out.find("→ chat") != std::string::npos);
  CHECK(r.out.find("Отличный сервис") == std::string::npos);  // not negative: not listed
  CHECK(r.out.find("2 items, 1 negative") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "state.db"));  // the store is not written

  // Without --dry-run the item is stored; the first poll is a silent baseline for undated items.
  auto real = cli({"poll", "-c", (dir / "otklik.toml").string(), "--once"});
  INFO(real.err);
  CHECK(real.code == kExitOk);
  CHECK(fs::exists(dir / "state.db"));
  CHECK(real.out.find("2 new") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("score prints one JSON object a line", "[cli][score]") {
  auto r = cli({"score", "--json"}, "Ужасный сервис, нахамили\nGreat service, thank you!\n");
  CHECK(r.code == kExitOk);
  std::istringstream lines(r.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  auto a = boost::json::parse(first).as_object();
  auto b = boost::json::parse(second).as_object();
  CHECK(a.at("label").as_string() == "negative");
  CHECK(a.at("lang").as_string() == "ru");
  CHECK(a.at("score").to_number<double>() < 0);
  CHECK(!a.at("why").as_array().empty());
  CHECK(b.at("label").as_string() == "positive");
  CHECK(b.at("lang").as_string() == "en");

  auto bad = cli({"score", "--lang", "de", "x"});
  CHECK(bad.code == kExitUsage);
  auto usage = cli({"frobnicate"});
  CHECK(usage.code == kExitUsage);
}

TEST_CASE("score reads stdin line by line whatever the line endings and lengths", "[cli][score]") {
  // stdin is read in blocks of 64 KiB: lines that cross a block, CRLF, empty lines and a last
  // line without a break must come out as when each line is the whole input.
  const std::string long_line = std::string(70000, 'a') + " ужасно";
  const std::vector<std::string> texts{"Ужасный сервис, нахамили", "", "Great service, thank you!", long_line,
                                       "курьер опоздал"};
  std::string in;
  for (std::size_t i = 0; i < texts.size(); ++i) in += texts[i] + (i == 1 ? "\r\n" : i + 1 < texts.size() ? "\n" : "");
  std::string expected;
  for (const auto& t : texts) expected += cli({"score", "--json"}, t + "\n").out;
  const auto r = cli({"score", "--json"}, in);
  CHECK(r.code == kExitOk);
  CHECK(r.out == expected);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == static_cast<std::ptrdiff_t>(texts.size()));
}

TEST_CASE("feedback lines keep each text on one line", "[cli]") {
  struct Case {
    std::string_view text;
    std::string_view line;
  };
  const Case cases[] = {
      {"Очередь была короткой", "neutral\tОчередь была короткой\n"},
      {"two\tcolumns\r\nand lines", "neutral\ttwo columns and lines\n"},
      {"  padded  \n", "neutral\tpadded\n"},
      {std::string_view("nul\0byte", 8), "neutral\tnul byte\n"},
      {"", "neutral\t\n"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(feedback_line("neutral", c.text) == c.line);
  }
}

TEST_CASE("store copy: bad usage exits 2, a failed copy exits 1 without the password", "[cli][store_copy]") {
  const fs::path dir = temp_dir();
  Run r = cli({"store", "copy", "--from", (dir / "otklik.db").string(), "--to", "dbname=x"});
  CHECK(r.code == kExitUsage);
  CHECK(r.err.find("--from must be sqlite:PATH") != std::string::npos);

  r = cli({"store", "copy", "--from", "sqlite:" + (dir / "otklik.db").string(), "--to",
           "env:OTKLIK_TEST_NO_SUCH_VARIABLE"});
  CHECK(r.code == kExitUsage);
  CHECK(r.err.find("OTKLIK_TEST_NO_SUCH_VARIABLE is not set") != std::string::npos);

  r = cli({"store", "copy", "--from", "sqlite:" + (dir / "missing.db").string(), "--to",
           "postgresql://otklik:s3cret-pw@127.0.0.1:1/otklik"});
  CHECK(r.code == kExitFailure);
  CHECK(r.err.find("no such file") != std::string::npos);

  {
    ManualClock clock;
    REQUIRE(SqliteStore::open((dir / "otklik.db").string(), clock));
  }
  r = cli({"store", "copy", "--from", "sqlite:" + (dir / "otklik.db").string(), "--to",
           "postgresql://otklik:s3cret-pw@127.0.0.1:1/otklik?connect_timeout=2"});
  CHECK(r.code == kExitFailure);
  CHECK(r.err.find("store copy: ") != std::string::npos);
  CHECK(r.err.find("s3cret-pw") == std::string::npos);
  CHECK(r.out.find("s3cret-pw") == std::string::npos);
  fs::remove_all(dir);
}
