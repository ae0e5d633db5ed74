#include "daemon/config/checks.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/config/table_reader.hpp"
#include "tests/unit/config/config_test_support.hpp"

using namespace otklik;
using namespace otklik::config_detail;

TEST_CASE("names allow only ASCII letters, digits, _ . -", "[config]") {
  struct Case {
    std::string_view name;
    bool ok;
  };
  const Case cases[] = {
      {"bank-rss", true}, {"a", true},       {"Shop_2.json", true}, {"", false},
      {"two words", false}, {"банк", false}, {"a/b", false},        {"x\"y", false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(valid_name(c.name) == c.ok);
  }
}

TEST_CASE("listen addresses: explicit host and port", "[config]") {
  struct Case {
    std::string_view listen;
    bool ok;
    bool loopback;
  };
  const Case cases[] = {
      {"", true, true},
      {"127.0.0.1:9464", true, true},
      {"127.1.2.3:80", true, true},
      {"localhost:9464", true, true},
      {"[::1]:9464", true, true},
      {"0.0.0.0:9464", true, false},
      {"192.0.2.10:9464", true, false},
      {"[2001:db8::1]:9464", true, false},
      {":9464", false, true},
      {"*:9464", false, true},
      {"example.org:9464", false, true},
      {"127.0.0.1", false, true},
      {"127.0.0.1:0", true, true},
      {"127.0.0.1:65536", false, true},
      {"127.0.0.1:94x", false, true},
      {"::1:9464", false, true},
      {"[::1:9464", false, true},
  };
  for (const auto& c : cases) {
    INFO(c.listen);
    auto check = check_listen(c.listen);
    CHECK(!check.error.has_value() == c.ok);
    if (c.ok) CHECK(check.loopback == c.loopback);
  }
}

TEST_CASE("time zones come from the zoneinfo folder", "[config]") {
  test::TempDir dir;
  dir.write("Europe/Moscow", std::string("TZif2") + std::string(40, '\0'));
  dir.write("NotTz", "hello");
  CHECK(timezone_exists("UTC", dir.path()));
  CHECK(timezone_exists("Europe/Moscow", dir.path()));
  CHECK_FALSE(timezone_exists("Europe/Atlantis", dir.path()));
  CHECK_FALSE(timezone_exists("Europe", dir.path()));  // a folder
  CHECK_FALSE(timezone_exists("NotTz", dir.path()));
  CHECK_FALSE(timezone_exists("../Europe/Moscow", dir.path()));
  CHECK_FALSE(timezone_exists("/etc/passwd", dir.path()));
  CHECK_FALSE(timezone_exists("", dir.path()));
}

TEST_CASE("URL checks by scheme", "[config]") {
  struct Case {
    std::string_view url;
    bool file_allowed;
    std::string_view fragment;  ///< "" = valid
  };
  const Case cases[] = {
      {"https://example.org/feed.xml", true, ""},
      {"http://127.0.0.1:8080/x?y=1", false, ""},
      {"HTTPS://example.org/", false, ""},
      {"file:///var/lib/x.xml", true, ""},
      {"file://localhost/var/x.xml", true, ""},
      {"file:///var/lib/x.xml", false, "scheme \"file\" is not allowed"},
      {"ftp://example.org/x", true, "scheme \"ftp\" is not allowed"},
      {"https:///nohost", true, "no host"},
      {"file://host/x.xml", true, "cannot name a host"},
      {"example.org/feed", true, "not an absolute URL"},
      {"https://exa mple.org/", true, "not an absolute URL"},
      {"http://127.0.0.1.example.org/feed", true, "not a valid name or address"},
      {"http://127.0.0.1.example.org", true, "not a valid name or address"},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    auto problem = c.file_allowed ? check_url(c.url, {"http", "https", "file"}) : check_url(c.url, {"http", "https"});
    if (c.fragment.empty()) {
      CHECK_FALSE(problem.has_value());
    } else {
      REQUIRE(problem.has_value());
      CHECK_THAT(*problem, Catch::Contains(std::string(c.fragment)));
    }
  }
}

TEST_CASE("local URLs: files and loopback hosts", "[config]") {
  struct Case {
    std::string_view url;
    bool local;
  };
  const Case cases[] = {
      {"file:///srv/feed.xml", true},      {"http://127.0.0.1:8080/feed", true}, {"https://127.5.5.5/", true},
      {"http://localhost:1/x", true},      {"http://[::1]:8080/x", true},        {"https://example.org/", false},
      {"http://128.0.0.1/", false},        {"http://127.0.0.1.example.org/", false}, {"not a url", false},
  };
  for (const auto& c : cases) {
    INFO(c.url);
    CHECK(local_url(c.url) == c.local);
  }
}

TEST_CASE("file: URLs without // are relative to the config folder", "[config]") {
  const std::filesystem::path base = "/etc/otklik";
  struct Case {
    std::string_view in;
    std::string_view out;
  };
  const Case cases[] = {
      {"file:demo/reviews.xml", "file:///etc/otklik/demo/reviews.xml"},
      {"file:../var/x.json", "file:///etc/var/x.json"},
      {"file:/srv/feed.xml", "file:///srv/feed.xml"},
      {"file:my reviews#1.html", "file:///etc/otklik/my%20reviews%231.html"},
      {"file:///abs/untouched.xml", "file:///abs/untouched.xml"},
      {"https://example.org/", "https://example.org/"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(resolve_file_url(c.in, base) == c.out);
  }
}

TEST_CASE("relative paths resolve against the config folder", "[config]") {
  CHECK(resolve_path("../var/demo.db", "/work/config") == "/work/var/demo.db");
  CHECK(resolve_path("otklik.db", "/etc/otklik") == "/etc/otklik/otklik.db");
  CHECK(resolve_path("/var/lib/otklik/otklik.db", "/etc/otklik") == "/var/lib/otklik/otklik.db");
}

TEST_CASE("unknown keys get the nearest known key as a hint", "[config]") {
  std::vector<std::string> known{"interval", "alert_max_age", "user_agent", "url"};
  CHECK(nearest_key("intervall", known) == "interval");
  CHECK(nearest_key("useragent", known) == "user_agent");
  CHECK(nearest_key("completely_else", known).empty());
}

TEST_CASE("key paths quote names and escape what would break them", "[config]") {
  CHECK(quote_key("bank-rss") == "\"bank-rss\"");
  CHECK(quote_key("a\"b") == "\"a\\\"b\"");
  CHECK(quote_key("a\nb") == "\"a\\x0ab\"");
}

TEST_CASE("format_problems: one line per problem, warnings marked", "[config]") {
  std::vector<ConfigProblem> problems{
      {"source[\"bank\"].interval", 12, "must be at least 10s, got \"5s\"", false},
      {"channel[\"ops\"].token", 20, "the secret is written in the config file", true},
      {"", 3, "TOML syntax error: x", false},
      {"", 0, "cannot read the config file", false},
  };
  CHECK(format_problems("/etc/otklik/otklik.toml", problems) ==
        "/etc/otklik/otklik.toml:12: source[\"bank\"].interval: must be at least 10s, got \"5s\"\n"
        "/etc/otklik/otklik.toml:20: warning: channel[\"ops\"].token: the secret is written in the config file\n"
        "/etc/otklik/otklik.toml:3: TOML syntax error: x\n"
        "/etc/otklik/otklik.toml: cannot read the config file\n");
}

TEST_CASE("severity names round-trip", "[config]") {
  for (auto s : {Severity::low, Severity::medium, Severity::high}) CHECK(parse_severity(to_string(s)) == s);
  CHECK_FALSE(parse_severity("critical").has_value());
  CHECK_FALSE(parse_severity("Low").has_value());
}

