// [store]: the backend, the PostgreSQL URL as a secret, the two deadlines; every problem reported
// with its key and line, and the URL's password among the values the redactor hides.
#include "tests/unit/config/config_test_support.hpp"

#include "daemon/config/config.hpp"

#include <algorithm>

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::has_problem;

namespace {

struct ValidCase {
  std::string_view what;
  std::string_view toml;
  StoreConfig::Backend backend;
  std::string_view url;
  Duration statement_timeout;
  Duration connect_timeout;
};

const ValidCase kValid[] = {
    {"no section", "", StoreConfig::Backend::sqlite, "", 10s, 5s},
    {"sqlite said", "[store]\nbackend = \"sqlite\"\n", StoreConfig::Backend::sqlite, "", 10s, 5s},
    {"sqlite with deadlines", "[store]\nstatement_timeout = \"2s\"\nconnect_timeout = \"500ms\"\n",
     StoreConfig::Backend::sqlite, "", 2s, 500ms},
    {"postgresql from env", "[store]\nbackend = \"postgresql\"\nurl = \"env:OTKLIK_STORE_TEST_URL\"\n",
     StoreConfig::Backend::postgresql, "postgresql://otklik:pw-from-env@127.0.0.1:5432/otklik", 10s, 5s},
    {"postgresql literal without password",
     "[store]\nbackend = \"postgresql\"\nurl = \"postgresql://otklik@db.internal/otklik\"\n"
     "statement_timeout = \"30s\"\nconnect_timeout = \"1m\"\n",
     StoreConfig::Backend::postgresql, "postgresql://otklik@db.internal/otklik", 30s, 60s},
    {"postgresql key=value", "[store]\nbackend = \"postgresql\"\nurl = \"host=/run/postgresql dbname=otklik\"\n",
     StoreConfig::Backend::postgresql, "host=/run/postgresql dbname=otklik", 10s, 5s},
};

struct BrokenCase {
  std::string_view what;
  std::string_view toml;
  std::string_view key;
  int line;
  std::string_view fragment;
  bool warning = false;
};

const BrokenCase kBroken[] = {
    {"unknown backend", "[store]\nbackend = \"mysql\"\n", "store.backend", 2, "expected one of \"sqlite\", \"postgresql\""},
    {"postgresql without url", "[store]\nbackend = \"postgresql\"\n", "store.url", 1, "is required"},
    {"url for sqlite", "[store]\nurl = \"postgresql://otklik@db/otklik\"\n", "store.url", 2,
     "is for backend = \"postgresql\""},
    {"url for sqlite said", "[store]\nbackend = \"sqlite\"\nurl = \"env:OTKLIK_STORE_TEST_URL\"\n", "store.url", 3,
     "is for backend = \"postgresql\""},
    {"unset env", "[store]\nbackend = \"postgresql\"\nurl = \"env:OTKLIK_STORE_TEST_UNSET\"\n", "store.url", 3,
     "cannot resolve the secret \"env:OTKLIK_STORE_TEST_UNSET\""},
    {"statement timeout without unit", "[store]\nstatement_timeout = \"10\"\n", "store.statement_timeout", 2,
     "is not a duration"},
    {"statement timeout as number", "[store]\nstatement_timeout = 10\n", "store.statement_timeout", 2,
     "expected a duration string"},
    {"connect timeout too short", "[store]\nconnect_timeout = \"10ms\"\n", "store.connect_timeout", 2, "at least"},
    {"unknown key", "[store]\nbackend = \"sqlite\"\nstatment_timeout = \"5s\"\n", "store.statment_timeout", 3,
     "did you mean \"statement_timeout\""},
    {"not a table", "store = \"postgresql\"\n", "store", 1, "expected a table [store]"},
    {"literal password", "[store]\nbackend = \"postgresql\"\nurl = \"postgresql://otklik:s3cret@db/otklik\"\n",
     "store.url", 3, "the password is written in the config file", true},
    {"literal key=value password", "[store]\nbackend = \"postgresql\"\nurl = \"host=db password='s3 cret'\"\n",
     "store.url", 3, "the password is written in the config file", true},
};

}  // namespace

TEST_CASE("[store] valid sections", "[config][store]") {
  test::TempDir dir;
  test::ScopedEnv env("OTKLIK_STORE_TEST_URL", "postgresql://otklik:pw-from-env@127.0.0.1:5432/otklik");
  for (const auto& c : kValid) {
    SECTION(std::string(c.what)) {
      auto loaded = load_config_text(c.toml, dir.path(), nullptr);
      INFO(test::describe(loaded.problems));
      REQUIRE(loaded.config.has_value());
      CHECK(loaded.problems.empty());
      const StoreConfig& s = loaded.config->store;
      CHECK(s.backend == c.backend);
      CHECK(s.url.value() == c.url);
      CHECK(s.statement_timeout == c.statement_timeout);
      CHECK(s.connect_timeout == c.connect_timeout);
    }
  }
}

TEST_CASE("[store] problems name the key and line", "[config][store]") {
  test::TempDir dir;
  test::ScopedEnv env("OTKLIK_STORE_TEST_URL", "postgresql://otklik@127.0.0.1/otklik");
  test::ScopedEnv unset("OTKLIK_STORE_TEST_UNSET", nullptr);
  for (const auto& c : kBroken) {
    SECTION(std::string(c.what)) {
      auto loaded = load_config_text(c.toml, dir.path(), nullptr);
      INFO(test::describe(loaded.problems));
      CHECK(has_problem(loaded.problems, std::string(c.key), c.line, std::string(c.fragment), c.warning));
      CHECK(loaded.config.has_value() == c.warning);  // a warning alone keeps the config
      // A problem never shows the password.
      for (const auto& p : loaded.problems) CHECK(p.message.find("s3") == std::string::npos);
    }
  }
}

TEST_CASE("[store] problems are all reported at once", "[config][store]") {
  test::TempDir dir;
  auto loaded = load_config_text(
      "[store]\nbackend = \"postgresql\"\nstatement_timeout = \"x\"\nconnect_timeout = \"1ms\"\nport = 5432\n",
      dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  CHECK_FALSE(loaded.config.has_value());
  CHECK(has_problem(loaded.problems, "store.url", 1, "is required"));
  CHECK(has_problem(loaded.problems, "store.statement_timeout", 3, "is not a duration"));
  CHECK(has_problem(loaded.problems, "store.connect_timeout", 4, "at least"));
  CHECK(has_problem(loaded.problems, "store.port", 5, "unknown key"));
}

TEST_CASE("the store URL and its password are secrets to hide", "[config][store][secret]") {
  test::TempDir dir;
  const std::string url = "postgresql://otklik:pw%2Fsecret@127.0.0.1:5432/otklik?sslmode=disable";
  test::ScopedEnv env("OTKLIK_STORE_TEST_URL", url.c_str());
  auto loaded = load_config_text("[store]\nbackend = \"postgresql\"\nurl = \"env:OTKLIK_STORE_TEST_URL\"\n",
                                 dir.path(), nullptr);
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.config->store.url.describe() == "env:OTKLIK_STORE_TEST_URL");
  auto secrets = secret_values(*loaded.config);
  CHECK(std::find(secrets.begin(), secrets.end(), url) != secrets.end());
  CHECK(std::find(secrets.begin(), secrets.end(), "pw%2Fsecret") != secrets.end());
  // Decoded too, as libpq and the server see it.
  CHECK(std::find(secrets.begin(), secrets.end(), "pw/secret") != secrets.end());
}

TEST_CASE("[store] instance and lease_ttl: PostgreSQL only, checked", "[config][store]") {
  test::TempDir dir;
  auto ok = load_config_text("[store]\nbackend = \"postgresql\"\nurl = \"dbname=x\"\ninstance = \"box-1.a_b\"\n"
                             "lease_ttl = \"30s\"\n",
                             dir.path(), nullptr);
  INFO(test::describe(ok.problems));
  REQUIRE(ok.config.has_value());
  CHECK(ok.config->store.instance == "box-1.a_b");
  CHECK(ok.config->store.lease_ttl == std::chrono::seconds(30));
  auto bad = load_config_text("[store]\nbackend = \"postgresql\"\nurl = \"dbname=x\"\ninstance = \"a b\"\n"
                              "lease_ttl = \"1s\"\n",
                              dir.path(), nullptr);
  CHECK_FALSE(bad.config.has_value());
  CHECK(has_problem(bad.problems, "store.instance", 4, "letters, digits"));
  CHECK(has_problem(bad.problems, "store.lease_ttl", 5, "at least"));
  auto sqlite = load_config_text("[store]\ninstance = \"a\"\n", dir.path(), nullptr);
  CHECK_FALSE(sqlite.config.has_value());
  CHECK(has_problem(sqlite.problems, "store.instance", 2, "is for backend = \"postgresql\""));
}

TEST_CASE("[store] pool_size: PostgreSQL only, 1 to 64, 4 by default", "[config][store]") {
  test::TempDir dir;
  auto dflt = load_config_text("[store]\nbackend = \"postgresql\"\nurl = \"dbname=x\"\n", dir.path(), nullptr);
  REQUIRE(dflt.config.has_value());
  CHECK(dflt.config->store.pool_size == 4);
  auto ok = load_config_text("[store]\nbackend = \"postgresql\"\nurl = \"dbname=x\"\npool_size = 1\n", dir.path(),
                             nullptr);
  INFO(test::describe(ok.problems));
  REQUIRE(ok.config.has_value());
  CHECK(ok.config->store.pool_size == 1);
  for (const char* value : {"0", "65", "\"4\""}) {
    auto bad = load_config_text(std::string("[store]\nbackend = \"postgresql\"\nurl = \"dbname=x\"\npool_size = ") +
                                    value + "\n",
                                dir.path(), nullptr);
    CHECK_FALSE(bad.config.has_value());
    CHECK(has_problem(bad.problems, "store.pool_size", 4, ""));
  }
  auto sqlite = load_config_text("[store]\npool_size = 2\n", dir.path(), nullptr);
  CHECK_FALSE(sqlite.config.has_value());
  CHECK(has_problem(sqlite.problems, "store.pool_size", 2, "is for backend = \"postgresql\""));
}

TEST_CASE("conninfo_password reads URLs and key=value strings", "[config][store][secret]") {
  CHECK(conninfo_password("postgresql://u:p@h/db") == "p");
  CHECK(conninfo_password("postgres://u:p:q@h:5432/db?x=1") == "p:q");
  CHECK(conninfo_password("postgresql://u@h/db") == "");
  CHECK(conninfo_password("postgresql://h/db?sslmode=disable&password=x&a=b") == "x");
  CHECK(conninfo_password("host=h password=abc dbname=d") == "abc");
  CHECK(conninfo_password("host=h password = 'a b\\'c'") == "a b'c");
  CHECK(conninfo_password("host=h passwordx=1") == "");
  CHECK(conninfo_password("host=h") == "");
}
