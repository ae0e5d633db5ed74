// Form bodies and query strings: decoding, repeated names, malformed input.

#include "daemon/web/form_data.hpp"

#include "tests/support/catch_result.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::web;
using Fields = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("forms and queries decode to name/value pairs", "[web][form]") {
  struct Case {
    std::string_view text;
    Fields fields;
  };
  const Case cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=2", {{"a", "1"}, {"b", "2"}}},
      {"brand=x&brand=y", {{"brand", "x"}, {"brand", "y"}}},
      {"q=two+words", {{"q", "two words"}}},
      {"q=a%2Bb", {{"q", "a+b"}}},
      {"q=%D0%BE%D1%87%D0%B5%D1%80%D0%B5%D0%B4%D1%8C", {{"q", "очередь"}}},
      {"q=", {{"q", ""}}},
      {"flag", {{"flag", ""}}},
      {"a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
      {"q=a%3Db%26c", {{"q", "a=b&c"}}},
      {"q=%3Cscript%3E", {{"q", "<script>"}}},
      {"q='%20OR%201=1--", {{"q", "' OR 1=1--"}}},
      {"x%20y=1", {{"x y", "1"}}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto form = parse_form(c.text);
    REQUIRE(form);
    CHECK(form->fields() == c.fields);
    auto query = parse_query(c.text);
    REQUIRE(query);
    CHECK(query->fields() == c.fields);
  }
}

TEST_CASE("malformed forms fail as values naming the problem", "[web][form]") {
  struct Case {
    std::string_view text;
    std::string_view mentions;
  };
  const Case cases[] = {
      {"q=%zz", "malformed"},
      {"q=%", "malformed"},
      {"q=%4", "malformed"},
      {"q=a b", "malformed"},
      {"q=%FF%FE", "'q' is not UTF-8"},
      {"%C3%28=1", "is not UTF-8"},
      {"q=%ED%A0%80", "is not UTF-8"},  // a surrogate
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto form = parse_form(c.text);
    REQUIRE_FALSE(form);
    CHECK(form.error().code == make_error_code(errc::invalid_input));
    CHECK(form.error().detail.find(c.mentions) != std::string::npos);
    CHECK(form.error().detail.starts_with("form: "));
    CHECK(parse_query(c.text).error().detail.starts_with("query: "));
  }
}

TEST_CASE("looking up fields", "[web][form]") {
  auto form = parse_form("state=new&brand=a&brand=b&empty=");
  REQUIRE(form);
  CHECK(form->get("state") == "new");
  CHECK(form->get("brand") == "a");
  CHECK(form->all("brand") == std::vector<std::string_view>{"a", "b"});
  CHECK(form->all("none").empty());
  CHECK(form->get("none") == std::nullopt);
  CHECK(form->get("empty") == "");
  CHECK(form->has("empty"));
  CHECK_FALSE(form->has("State"));
}
