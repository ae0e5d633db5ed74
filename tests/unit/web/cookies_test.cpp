// The Cookie header read and Set-Cookie values written.

#include "daemon/web/cookies.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace otklik::web;
using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("Cookie headers", "[web][cookies]") {
  struct Case {
    std::string_view header;
    Pairs pairs;
  };
  const Case cases[] = {
      {"", {}},
      {"sid=abc", {{"sid", "abc"}}},
      {"a=1; b=2", {{"a", "1"}, {"b", "2"}}},
      {"a=1;b=2;  c = 3 ", {{"a", "1"}, {"b", "2"}, {"c", "3"}}},
      {"a=\"quoted\"", {{"a", "quoted"}}},
      {"a=", {{"a", ""}}},
      {"novalue; b=2", {{"b", "2"}}},
      {"=orphan; b=2", {{"b", "2"}}},
      {";;; b=2;", {{"b", "2"}}},
      {"a=x=y", {{"a", "x=y"}}},
      {"a=1; a=2", {{"a", "1"}, {"a", "2"}}},
  };
  for (const auto& c : cases) {
    INFO(c.header);
    CHECK(parse_cookie_header(c.header) == c.pairs);
  }
  CHECK(cookie_value("x=1; sid=abc; sid=def", "sid") == "abc");
  CHECK(cookie_value("x=1", "sid") == std::nullopt);
  CHECK(cookie_value("SID=1", "sid") == std::nullopt);
}

TEST_CASE("Set-Cookie values", "[web][cookies]") {
  using namespace std::chrono_literals;
  struct Case {
    std::string_view name, value;
    CookieOptions options;
    std::string_view expected;
  };
  const Case cases[] = {
      {"sid", "abc", {true, std::nullopt}, "sid=abc; Path=/; HttpOnly; SameSite=Lax; Secure"},
      {"sid", "abc", {false, std::nullopt}, "sid=abc; Path=/; HttpOnly; SameSite=Lax"},
      {"sid", "a-b_c", {true, 604800s}, "sid=a-b_c; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=604800"},
      {"sid", "", {false, 0s}, "sid=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"},
      {"sid", "x", {false, -5s}, "sid=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"},
  };
  for (const auto& c : cases) {
    INFO(c.expected);
    CHECK(set_cookie(c.name, c.value, c.options) == c.expected);
  }
  CHECK(clear_cookie("sid", true) == "sid=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
}

TEST_CASE("Set-Cookie refuses names and values that would break the header", "[web][cookies]") {
  const std::pair<std::string_view, std::string_view> bad[] = {
      {"", "x"}, {"s id", "x"}, {"sid;", "x"}, {"sid", "a;b"}, {"sid", "a b"}, {"sid", "a\r\nX: y"}, {"sid", "\"x\""},
      {"sid", "a,b"},
  };
  for (const auto& [name, value] : bad) {
    INFO(name << "=" << value);
    CHECK_THROWS_AS(set_cookie(name, value, {}), std::invalid_argument);
  }
}
