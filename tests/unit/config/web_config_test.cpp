// [web]: the web inbox's address, TLS files, sessions, sign-in limits and trusted proxies; every
// problem reported with its key and line, all at once.
#include "tests/unit/config/config_test_support.hpp"

#include "daemon/config/config.hpp"

using namespace otklik;
using namespace std::chrono_literals;
using otklik::test::has_problem;

namespace {

struct BrokenCase {
  std::string_view what;
  std::string_view toml;
  std::string_view key;
  int line;
  std::string_view fragment;
  bool warning = false;
};

const BrokenCase kBroken[] = {
    {"listen without port", "[web]\nlisten = \"0.0.0.0\"\n", "web.listen", 2, "HOST:PORT"},
    {"listen by name", "[web]\nlisten = \"inbox.example.com:8080\"\n", "web.listen", 2, ""},
    {"certificate without key", "[web]\nlisten = \"127.0.0.1:8080\"\ntls_certificate = \"cert.pem\"\n",
     "web.tls_certificate", 3, "go together"},
    {"unreadable key", "[web]\ntls_certificate = \"cert.pem\"\ntls_key = \"missing.pem\"\n", "web.tls_key", 3,
     "cannot read"},
    {"proxy header without proxies", "[web]\nproxy_user_header = \"X-Remote-User\"\n", "web.proxy_user_header", 2,
     "needs trusted_proxies"},
    {"proxy header not a token", "[web]\nproxy_user_header = \"X-Remote User\"\ntrusted_proxies = [\"127.0.0.1\"]\n",
     "web.proxy_user_header", 2, "header name"},
    {"proxy by name", "[web]\ntrusted_proxies = [\"proxy.internal\"]\n", "web.trusted_proxies", 2,
     "not an IP address"},
    {"CIDR with host bits", "[web]\ntrusted_proxies = [\"10.0.0.1/8\"]\n", "web.trusted_proxies", 2,
     "not a CIDR block"},
    {"session idle too short", "[web]\nsession_idle = \"10s\"\n", "web.session_idle", 2, "at least"},
    {"page size too big", "[web]\npage_size = 1000\n", "web.page_size", 2, ""},
    {"unknown key", "[web]\nlisten = \"127.0.0.1:8080\"\nsession_idel = \"1h\"\n", "web.session_idel", 3,
     "did you mean \"session_idle\""},
    {"lifetime shorter than idle", "[web]\nsession_idle = \"2h\"\nsession_lifetime = \"1h\"\n",
     "web.session_lifetime", 3, "shorter than session_idle", true},
    {"clear-text cookies", "[web]\nlisten = \"127.0.0.1:8080\"\nsecure_cookies = false\n", "web.secure_cookies", 3,
     "clear text", true},
};

}  // namespace

TEST_CASE("[web] defaults: off, secure cookies, bounded sign-in attempts", "[config][web]") {
  test::TempDir dir;
  auto loaded = load_config_text("", dir.path(), nullptr);
  REQUIRE(loaded.config.has_value());
  const WebConfig& w = loaded.config->web;
  CHECK(w.listen.empty());
  CHECK(w.secure_cookies);
  CHECK(w.session_idle == 12h);
  CHECK(w.session_lifetime == 168h);
  CHECK(w.login_attempts == 5);
  CHECK(w.page_size == 50);
}

TEST_CASE("[web] a full section", "[config][web]") {
  test::TempDir dir;
  dir.write("tls/cert.pem", "x");
  dir.write("tls/key.pem", "x");
  auto loaded = load_config_text(
      "[web]\nlisten = \"[::1]:8443\"\ntls_certificate = \"tls/cert.pem\"\ntls_key = \"tls/key.pem\"\n"
      "session_idle = \"30m\"\nsession_lifetime = \"24h\"\nproxy_user_header = \"X-Remote-User\"\n"
      "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/8\", \"fd00::/8\"]\nlogin_attempts = 3\n"
      "login_attempts_per_address = 10\nlogin_window = \"5m\"\nmax_connections = 64\nmax_live_clients = 10\n"
      "page_size = 25\n",
      dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.problems.empty());
  const WebConfig& w = loaded.config->web;
  CHECK(w.listen == "[::1]:8443");
  CHECK(w.tls_certificate == (dir.path() / "tls/cert.pem").string());
  CHECK(w.tls_key == (dir.path() / "tls/key.pem").string());
  CHECK(w.session_idle == 30min);
  CHECK(w.session_lifetime == 24h);
  CHECK(w.proxy_user_header == "X-Remote-User");
  CHECK(w.trusted_proxies == std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "fd00::/8"});
  CHECK(w.login_attempts == 3);
  CHECK(w.login_attempts_per_address == 10);
  CHECK(w.login_window == 5min);
  CHECK(w.max_connections == 64);
  CHECK(w.max_live_clients == 10);
  CHECK(w.page_size == 25);
}

TEST_CASE("[web] problems name the key and line", "[config][web]") {
  test::TempDir dir;
  dir.write("cert.pem", "x");
  for (const auto& c : kBroken) {
    SECTION(std::string(c.what)) {
      auto loaded = load_config_text(c.toml, dir.path(), nullptr);
      INFO(test::describe(loaded.problems));
      CHECK(has_problem(loaded.problems, std::string(c.key), c.line, std::string(c.fragment), c.warning));
      CHECK(loaded.config.has_value() == c.warning);
    }
  }
}

TEST_CASE("[web] problems are all reported at once", "[config][web]") {
  test::TempDir dir;
  auto loaded = load_config_text("[web]\nlisten = \"nowhere\"\npage_size = 0\ntrusted_proxies = [\"x\"]\n",
                                 dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  CHECK_FALSE(loaded.config.has_value());
  CHECK(has_problem(loaded.problems, "web.listen", 2, ""));
  CHECK(has_problem(loaded.problems, "web.page_size", 3, ""));
  CHECK(has_problem(loaded.problems, "web.trusted_proxies", 4, "not an IP address"));
}
