// Proxies and the address filter in the config: `proxy` values ("none", http, socks5, socks5h),
// `proxy_password` as a secret, `[http] allow_private`; every bad value reported with its key and
// line, and no password in any message.
#include "tests/support/catch_result.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace otklik;
using otklik::test::has_problem;

TEST_CASE("parse_proxy_url: accepted forms", "[config][proxy]") {
  struct Case {
    const char* text;
    ProxyConfig::Kind kind;
    const char* host;
    std::uint16_t port;
    const char* user;
    const char* described;
  };
  const std::vector<Case> cases{
      {"none", ProxyConfig::Kind::none, "", 0, "", "none"},
      {"http://proxy.lan:3128", ProxyConfig::Kind::http, "proxy.lan", 3128, "", "http://proxy.lan:3128"},
      {"HTTP://Proxy.LAN:3128/", ProxyConfig::Kind::http, "proxy.lan", 3128, "", "http://proxy.lan:3128"},
      {"socks5://127.0.0.1:1080", ProxyConfig::Kind::socks5, "127.0.0.1", 1080, "", "socks5://127.0.0.1:1080"},
      {"socks5h://[::1]:1080", ProxyConfig::Kind::socks5, "::1", 1080, "", "socks5://[::1]:1080"},
      {"http://otklik@proxy.lan:8080", ProxyConfig::Kind::http, "proxy.lan", 8080, "otklik",
       "http://otklik@proxy.lan:8080"},
      {"socks5://team%40corp@10.0.0.5:1080", ProxyConfig::Kind::socks5, "10.0.0.5", 1080, "team@corp",
       "socks5://team@corp@10.0.0.5:1080"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto parsed = parse_proxy_url(c.text);
    REQUIRE(parsed);
    CHECK(parsed->kind == c.kind);
    CHECK(parsed->host == c.host);
    CHECK(parsed->port == c.port);
    CHECK(parsed->username == c.user);
    CHECK(parsed->describe() == c.described);
  }
}

TEST_CASE("parse_proxy_url: refused forms, never echoing a password", "[config][proxy]") {
  struct Case {
    const char* text;
    const char* fragment;
  };
  const std::vector<Case> cases{
      {"", "expected \"http://host:port\", \"socks5://host:port\" or \"none\""},
      {"proxy.lan:3128", "expected \"http://host:port\""},
      {"https://proxy.lan:3128", "over TLS (\"https://\") is not supported"},
      {"socks4://proxy.lan:1080", "the proxy scheme \"socks4\" is not supported"},
      {"http://proxy.lan", "needs a port"},
      {"http://proxy.lan:0", "port must be from 1 to 65535"},
      {"http://proxy.lan:3128/path", "has no path"},
      {"http://proxy.lan:3128/?a=b", "no query or fragment"},
      {"http://otklik:hunter2@proxy.lan:3128", "contains a password"},
      {"socks5://:hunter2@proxy.lan:1080", "contains a password"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto parsed = parse_proxy_url(c.text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == make_error_code(errc::invalid_input));
    CHECK(parsed.error().detail.find(c.fragment) != std::string::npos);
    CHECK(parsed.error().detail.find("hunter2") == std::string::npos);
  }
}

TEST_CASE("proxies in [http], [[source]] and [[channel]], with the password as a secret", "[config][proxy]") {
  test::TempDir dir;
  test::ScopedEnv env("OTKLIK_CONFIG_TEST_PROXY_PASS", "pr0xy-pass");
  dir.write("socks-pass", "s0cks-pass\n");
  const std::string text = R"(
[http]
proxy = "http://otklik@proxy.lan:3128"
proxy_password = "env:OTKLIK_CONFIG_TEST_PROXY_PASS"
allow_private = ["Intranet.Example", "[FD00::5]", "10.1.2.3"]

[[source]]
name = "via-default"
type = "rss"
url = "https://reviews.example.org/feed"

[[source]]
name = "direct"
type = "rss"
url = "https://reviews.example.org/other"
proxy = "none"

[[source]]
name = "via-socks"
type = "rss"
url = "https://reviews.example.org/third"
proxy = "socks5h://scraper@127.0.0.1:1080"
proxy_password = "file:socks-pass"

[[channel]]
name = "tg"
type = "telegram"
token = "env:OTKLIK_CONFIG_TEST_PROXY_PASS"
chat_id = 1
proxy = "socks5://10.0.0.9:1080"

[[route]]
channel = "tg"
)";
  auto loaded = load_config_text(text, dir.path(), nullptr);
  INFO(test::describe(loaded.problems));
  REQUIRE(loaded.config.has_value());
  const Config& c = *loaded.config;
  CHECK(c.http.proxy.kind == ProxyConfig::Kind::http);
  CHECK(c.http.proxy.username == "otklik");
  CHECK(c.http.proxy.password.value() == "pr0xy-pass");
  CHECK(c.http.proxy.password.describe() == "env:OTKLIK_CONFIG_TEST_PROXY_PASS");
  CHECK(c.http.allow_private == std::vector<std::string>{"intranet.example", "fd00::5", "10.1.2.3"});
  CHECK_FALSE(c.find_source("via-default")->proxy.has_value());  // the [http] default applies
  REQUIRE(c.find_source("direct")->proxy.has_value());
  CHECK(c.find_source("direct")->proxy->kind == ProxyConfig::Kind::none);
  const auto& socks = *c.find_source("via-socks")->proxy;
  CHECK(socks.kind == ProxyConfig::Kind::socks5);
  CHECK(socks.describe() == "socks5://scraper@127.0.0.1:1080");
  CHECK(socks.password.value() == "s0cks-pass");
  REQUIRE(c.find_channel("tg")->proxy.has_value());
  CHECK(c.find_channel("tg")->proxy->describe() == "socks5://10.0.0.9:1080");
}

TEST_CASE("bad proxy values are reported with their key and line, without the password", "[config][proxy]") {
  test::TempDir dir;
  const std::string text = R"([http]
proxy = "http://otklik:hunter2@proxy.lan:3128"
allow_private = ["http://intranet.example/", "ok.example", "host:8080"]

[[source]]
name = "a"
type = "rss"
url = "https://example.org/a"
proxy = "socks5://proxy.lan"

[[source]]
name = "b"
type = "rss"
url = "https://example.org/b"
proxy = "http://proxy.lan:3128"
proxy_password = "env:OTKLIK_CONFIG_TEST_UNSET_PROXY_PASS"

[[source]]
name = "c"
type = "rss"
url = "https://example.org/c"
proxy_password = "literal-secret"

[[channel]]
name = "mail"
type = "email"
to = ["a@example.org"]
proxy = "http://proxy.lan:3128"

[[route]]
channel = "mail"
)";
  auto loaded = load_config_text(text, dir.path(), nullptr);
  const auto& p = loaded.problems;
  INFO(test::describe(p));
  CHECK_FALSE(loaded.config.has_value());
  CHECK(has_problem(p, "http.proxy", 2, "contains a password"));
  CHECK(has_problem(p, "http.allow_private[1]", 3, "expected a host name or IP address"));
  CHECK(has_problem(p, "http.allow_private[3]", 3, "expected a host name or IP address"));
  CHECK(has_problem(p, "source[\"a\"].proxy", 9, "needs a port"));
  CHECK(has_problem(p, "source[\"b\"].proxy_password", 16, "cannot resolve the secret"));
  CHECK(has_problem(p, "source[\"c\"].proxy_password", 22, "needs a proxy with a user"));
  CHECK(has_problem(p, "channel[\"mail\"].proxy", 28, "applies to HTTP channels"));
  CHECK(test::describe(p).find("hunter2") == std::string::npos);
  CHECK(test::describe(p).find("literal-secret") == std::string::npos);

  SECTION("a password for a proxy without a user") {
    test::ScopedEnv env("OTKLIK_CONFIG_TEST_PROXY_PASS", "x");
    auto again = load_config_text(
        "[http]\nproxy = \"http://proxy.lan:3128\"\nproxy_password = \"env:OTKLIK_CONFIG_TEST_PROXY_PASS\"\n", dir.path(),
        nullptr);
    CHECK(has_problem(again.problems, "http.proxy_password", 3, "needs a user in proxy"));
  }
  SECTION("a literal password is a warning, as for every secret") {
    auto again = load_config_text("[http]\nproxy = \"http://u@proxy.lan:3128\"\nproxy_password = \"plain\"\n",
                                  dir.path(), nullptr);
    CHECK(again.config.has_value());
    CHECK(has_problem(again.problems, "http.proxy_password", 3, "the secret is written in the config file", true));
  }
}
