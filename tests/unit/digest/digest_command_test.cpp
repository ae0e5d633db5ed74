// `otklik digest`: flags, preview and send through the exactly-once ledger, with a config file,
// a database file and a real SMTP server (aiosmtpd) on 127.0.0.1.
#include "daemon/app/application.hpp"
#include "daemon/app/digest_command.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/smtp/smtp_server.hpp"
#include "tests/unit/digest/temp_dir.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <sstream>

using namespace otklik;
using namespace std::chrono;
using otklik::test::SmtpTestServer;

namespace {

/// A config with [smtp] on `port` and one recipient list (port 0: neither [smtp] nor [digest]),
/// and a database holding one negative review of 2026-W47.
struct Setup {
  digest::testing::TempDir dir;
  std::string config;

  explicit Setup(unsigned short port) {
    config = dir.file("otklik.toml");
    std::ofstream f(config);
    f << "[daemon]\nstate = \"otklik.db\"\nlocale = \"en\"\n\n";
    if (port != 0)
      f << "[digest]\nto = [\"lead@bank.example\"]\ntimezone = \"UTC\"\n\n"
        << "[smtp]\nhost = \"127.0.0.1\"\nport = " << port << "\nsecurity = \"none\"\nfrom = \"otklik@bank.example\"\n";
    f.close();
    ManualClock clock(sys_days{year{2026} / November / 18} + hours{10});
    auto store = SqliteStore::open(dir.file("otklik.db"), clock);
    REQUIRE(store);
    Mention m;
    m.source = "reviews";
    m.external_id = "r1";
    m.brand = "Acme";
    m.url = "https://reviews.example/r1";
    m.text = "The branch <closed> early again";
    m.published = clock.now();
    m.fetched = clock.now();
    Sentiment s;
    s.label = Label::negative;
    s.score = -0.75;
    REQUIRE((*store)->ingest(m, s, AlertPolicy{}));
  }

  int run(DigestCommandOptions o, std::string& out, std::string& err) {
    std::ostringstream o_out, o_err;
    const int code = run_digest_command(config, o, o_out, o_err, nullptr);
    out = o_out.str();
    err = o_err.str();
    return code;
  }
};

}  // namespace

TEST_CASE("digest command: flags", "[digest][cli]") {
  CLI::App app;
  std::filesystem::path path;
  DigestCommandOptions o;
  add_digest_command(app, path, o);
  const char* argv[] = {"otklik", "digest", "-c", "x.toml", "--week", "2026-W47", "--send", "--force", "--list", "2"};
  app.parse(10, const_cast<char**>(argv));
  CHECK(path == "x.toml");
  CHECK(o.week == "2026-W47");
  CHECK(o.send);
  CHECK(o.force);
  CHECK_FALSE(o.preview);
  CHECK(o.list == 2);

  CLI::App bad;
  DigestCommandOptions o2;
  add_digest_command(bad, path, o2);
  const char* both[] = {"otklik", "digest", "-c", "x.toml", "--preview", "--send"};
  CHECK_THROWS_AS(bad.parse(6, const_cast<char**>(both)), CLI::ParseError);
}

TEST_CASE("digest command: --preview prints the HTML or the text part", "[digest][cli]") {
  Setup s(2525);  // never connected to: a preview sends nothing
  std::string out, err;
  CHECK(s.run({.week = "2026-W47", .preview = true}, out, err) == kExitOk);
  INFO(err);
  CHECK(out.starts_with("<!DOCTYPE html>"));
  CHECK(out.find("The branch &lt;closed&gt; early again") != std::string::npos);
  CHECK(s.run({.week = "2026-W47", .preview = true, .text = true}, out, err) == kExitOk);
  CHECK(out.starts_with("Otklik weekly digest\nWeek 2026-W47"));
  CHECK(out.find("The branch <closed> early again") != std::string::npos);

  CHECK(s.run({.week = "2026-W54", .preview = true}, out, err) == kExitUsage);
  CHECK(err.find("2026-W47") != std::string::npos);
  CHECK(s.run({.week = "2026-W47"}, out, err) == kExitUsage);
  CHECK(s.run({.week = "2026-W47", .preview = true, .list = 2}, out, err) == kExitUsage);

  // Without [digest] and [smtp]: a preview of all brands, but nothing to send.
  Setup bare(0);
  CHECK(bare.run({.week = "2026-W47", .preview = true, .text = true}, out, err) == kExitOk);
  CHECK(out.find("Acme") != std::string::npos);
  CHECK(bare.run({.week = "2026-W47", .send = true}, out, err) == kExitConfig);
}

TEST_CASE("digest command: --send sends once, --force again", "[digest][cli][smtp]") {
  SmtpTestServer server({.mode = "plain"});
  Setup s(server.port());
  std::string out, err;
  CHECK(s.run({.week = "2026-W47", .send = true}, out, err) == kExitOk);
  CHECK(out.find("2026-W47 → lead@bank.example: sent") != std::string::npos);
  CHECK(server.message_count() == 1);
  CHECK(s.run({.week = "2026-W47", .send = true}, out, err) == kExitOk);
  CHECK(out.find("already sent") != std::string::npos);
  CHECK(server.message_count() == 1);
  CHECK(s.run({.week = "2026-W47", .send = true, .force = true}, out, err) == kExitOk);
  CHECK(server.message_count() == 2);
  CHECK(server.parsed(1).header("Message-ID") != server.parsed(2).header("Message-ID"));
}
