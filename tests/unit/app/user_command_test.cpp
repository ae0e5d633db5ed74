// `otklik user add|passwd|remove|list` against a SQLite store: passwords from standard input,
// argon2id hashes stored, sessions ended by passwd, exit codes; and the name/password rules.

#include "daemon/app/application.hpp"
#include "daemon/app/cli.hpp"
#include "daemon/app/password_input.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/web/password_hash.hpp"

#include "tests/support/catch_result.hpp"

#include "tests/unit/app/cli_run.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace otklik;
using otklik::test::cli;
using otklik::test::Run;
namespace fs = std::filesystem;

namespace {

/// A folder with a config whose SQLite store is otklik.db beside it.
struct Site {
  Site() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("otklik-user-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(dir);
    config = (dir / "otklik.toml").string();
    std::ofstream(config) << "[daemon]\nstate = \"otklik.db\"\n[[channel]]\nname = \"c\"\ntype = \"console\"\n"
                             "[[route]]\nchannel = \"c\"\n";
  }
  ~Site() { fs::remove_all(dir); }
  std::unique_ptr<SqliteStore> open() {
    auto s = SqliteStore::open((dir / "otklik.db").string(), clock);
    REQUIRE(s);
    return std::move(*s);
  }
  fs::path dir;
  std::string config;
  ManualClock clock;
};

}  // namespace

TEST_CASE("user names", "[cli][user]") {
  struct Case {
    std::string name;
    bool valid;
  };
  const Case cases[] = {
      {"anna", true},         {"anna.k@example.org", true}, {"A-b_c.9", true},     {std::string(64, 'a'), true},
      {"", false},            {std::string(65, 'a'), false}, {"anna k", false},    {"anna;drop", false},
      {"анна", false},        {"a/b", false},                {"a\nb", false},      {"'--", false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(valid_user_name(c.name) == c.valid);
  }
}

TEST_CASE("new passwords from a pipe", "[cli][user]") {
  struct Case {
    std::string input;
    std::string password;  ///< "" = refused
    std::string error;
  };
  const Case cases[] = {
      {"correct horse\n", "correct horse", ""},
      {"correct horse", "correct horse", ""},
      {"correct horse\r\n", "correct horse", ""},
      {"пароль1234\n", "пароль1234", ""},  // 10 characters, 16 bytes
      {" spaces kept \n", " spaces kept ", ""},
      {"first line!\nsecond line\n", "first line!", ""},
      {"", "", "no password on standard input"},
      {"\n", "", "no password on standard input"},
      {"short\n", "", "shorter than 10 characters"},
      {"пароль123\n", "", "shorter than 10 characters"},
      {"abcdefghi\xff\n", "", "not valid UTF-8"},
      {std::string(1025, 'x') + "\n", "", "longer than 1024 bytes"},
  };
  for (const auto& c : cases) {
    INFO(c.input);
    std::istringstream in(c.input);
    std::ostringstream err;
    auto r = read_new_password(in, err, false);
    CHECK(err.str().empty());  // no prompt without a terminal
    if (c.password.empty()) {
      REQUIRE_FALSE(r);
      CHECK(r.error().detail.find(c.error) != std::string::npos);
    } else {
      REQUIRE(r);
      CHECK(*r == c.password);
    }
  }
}

TEST_CASE("user add, list, passwd and remove on SQLite", "[cli][user]") {
  Site site;
  Run r = cli({"user", "add", "anna", "--role", "agent", "-c", site.config}, "first secret 1\n");
  INFO(r.err);
  REQUIRE(r.code == kExitOk);
  CHECK(r.out == "user anna added as agent\n");
  CHECK(r.out.find("first secret") == std::string::npos);
  CHECK(r.err.find("first secret") == std::string::npos);
  REQUIRE(cli({"user", "add", "boris@example.org", "--role", "admin", "-c", site.config}, "boris secret 2\n").code == kExitOk);

  {
    auto store = site.open();
    auto anna = store->user("anna");
    REQUIRE(anna);
    REQUIRE(*anna);
    CHECK((*anna)->role == WebRole::agent);
    CHECK((*anna)->password_hash.starts_with("$argon2id$"));
    CHECK(web::verify_password((*anna)->password_hash, "first secret 1"));
    CHECK_FALSE(web::verify_password((*anna)->password_hash, "first secret 2"));
    // A session to be ended by passwd.
    WebSession session{std::string(64, 'a'), "anna", WebRole::agent, "csrf", site.clock.now(), site.clock.now(), "127.0.0.1"};
    REQUIRE(store->create_session(session));
  }

  r = cli({"user", "list", "-c", site.config});
  CHECK(r.code == kExitOk);
  CHECK(r.out.starts_with("NAME"));
  CHECK(r.out.find("\nanna               agent   ") != std::string::npos);
  CHECK(r.out.find("\nboris@example.org  admin   ") != std::string::npos);
  CHECK(r.out.find("$argon2id$") == std::string::npos);
  CHECK(r.err == "2 user(s)\n");

  r = cli({"user", "add", "anna", "--role", "viewer", "-c", site.config}, "another secret\n");
  CHECK(r.code == kExitFailure);
  CHECK(r.err.find("user anna exists") != std::string::npos);

  r = cli({"user", "passwd", "anna", "-c", site.config}, "short\n");
  CHECK(r.code == kExitFailure);
  CHECK(r.err.find("shorter than 10 characters") != std::string::npos);

  r = cli({"user", "passwd", "anna", "-c", site.config}, "second secret 3\n");
  INFO(r.err);
  CHECK(r.code == kExitOk);
  {
    auto store = site.open();
    auto anna = store->user("anna");
    REQUIRE(anna);
    REQUIRE(*anna);
    CHECK(web::verify_password((*anna)->password_hash, "second secret 3"));
    CHECK_FALSE(web::verify_password((*anna)->password_hash, "first secret 1"));
    auto session = store->session(std::string(64, 'a'), TimePoint{}, TimePoint{});
    REQUIRE(session);
    CHECK_FALSE(*session);  // passwd ended it
  }

  r = cli({"user", "passwd", "carl", "-c", site.config}, "third secret 4\n");
  CHECK(r.code == kExitFailure);
  CHECK(r.err.find("no user carl") != std::string::npos);

  r = cli({"user", "remove", "anna", "-c", site.config});
  CHECK(r.code == kExitOk);
  CHECK(r.out == "user anna removed\n");
  r = cli({"user", "remove", "anna", "-c", site.config});
  CHECK(r.code == kExitFailure);
  CHECK(r.err.find("no user anna") != std::string::npos);

  r = cli({"user", "list", "-c", site.config});
  CHECK(r.out.find("anna ") == std::string::npos);
  CHECK(r.err == "1 user(s)\n");
}

TEST_CASE("user: bad usage exits 2, a bad config 78, and nothing is stored", "[cli][user]") {
  Site site;
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string mentions;
  };
  const Case cases[] = {
      {{"user", "add", "anna k", "--role", "agent", "-c", site.config}, kExitUsage, "user name \"anna k\""},
      {{"user", "add", std::string(65, 'a'), "--role", "agent", "-c", site.config}, kExitUsage, "1 to 64"},
      {{"user", "add", "anna", "--role", "root", "-c", site.config}, kExitUsage, "--role must be viewer, agent or admin"},
      {{"user", "add", "anna", "-c", site.config}, kExitUsage, "--role"},
      {{"user", "add", "anna", "--role", "agent"}, kExitUsage, "--config"},
      {{"user", "add", "anna", "secret-password", "--role", "agent", "-c", site.config}, kExitUsage, ""},
      {{"user", "passwd", "-c", site.config}, kExitUsage, "name"},
      {{"user", "-c", site.config}, kExitUsage, ""},
      {{"user", "list", "-c", (site.dir / "missing.toml").string()}, kExitConfig, ""},
  };
  for (const auto& c : cases) {
    INFO((c.args.size() > 2 ? c.args[2] : c.args[1]));
    const Run r = cli(c.args, "a good long secret\n");
    CHECK(r.code == c.code);
    CHECK(r.err.find(c.mentions) != std::string::npos);
  }
  auto store = site.open();
  auto users = store->users();
  REQUIRE(users);
  CHECK(users->empty());
}
