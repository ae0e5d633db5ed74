#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <stdexcept>

using namespace otklik;

namespace {

SourceConfig source_with(std::string type, std::string_view options_toml) {
  SourceConfig s;
  s.name = "bank";
  s.type = std::move(type);
  s.url = "https://bank.example/reviews";
  s.line = 1;
  toml::table options = toml::parse(options_toml, std::string("test.toml"));
  s.options = std::move(options);  // moved: nodes keep their source lines
  return s;
}

std::vector<ConfigProblem> validate(const SourceConfig& s) {
  ConfigProblems problems;
  SourceRegistry::with_builtin_types().validate(s, "source[\"bank\"]", problems);
  return problems.items();
}

const ConfigProblem* find_problem(const std::vector<ConfigProblem>& problems, std::string_view key) {
  auto it = std::find_if(problems.begin(), problems.end(), [&](const auto& p) { return p.key == key; });
  return it == problems.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("the registry knows rss, html and json", "[sources][config]") {
  const auto registry = SourceRegistry::with_builtin_types();
  CHECK(registry.known_type("rss"));
  CHECK(registry.known_type("html"));
  CHECK(registry.known_type("json"));
  CHECK_FALSE(registry.known_type("yelp"));
  const SourceType* html = registry.find("html");
  REQUIRE(html != nullptr);
  CHECK(std::any_of(html->keys.begin(), html->keys.end(), [](const auto& k) { return k.name == "item" && k.required; }));
}

TEST_CASE("valid html and json options have no problems", "[sources][config]") {
  const char* html_options = R"~(
item = "//article"
rating_scale = 10
date_format = "%d.%m.%Y"
[fields]
text = "normalize-space(.//p)"
url = ".//a/@href"
)~";
  const char* json_options = R"~(
items = "/data/items"
rating_scale = 100
[fields]
text = "/body"
id = "/id"
)~";
  const auto html_problems = validate(source_with("html", html_options));
  CHECK(html_problems.empty());
  const auto json_problems = validate(source_with("json", json_options));
  CHECK(json_problems.empty());
  const auto inline_problems = validate(source_with("json", "fields = { text = \"/t\" }"));
  CHECK(inline_problems.empty());
  const auto rss_problems = validate(source_with("rss", ""));
  CHECK(rss_problems.empty());
}

TEST_CASE("bad html options are reported with key paths and lines", "[sources][config]") {
  const auto problems = validate(source_with("html", R"~(item = "//article["
rating_scale = 0
date_format = "%Q"
colour = "red"
[fields]
text = "//p[@class="
bogus = "//x"
title = 5
)~"));
  const auto* item = find_problem(problems, "source[\"bank\"].item");
  REQUIRE(item != nullptr);
  CHECK(item->line == 1);
  CHECK(item->message.find("XPath") != std::string::npos);
  REQUIRE(find_problem(problems, "source[\"bank\"].rating_scale") != nullptr);
  CHECK(find_problem(problems, "source[\"bank\"].rating_scale")->line == 2);
  REQUIRE(find_problem(problems, "source[\"bank\"].date_format") != nullptr);
  const auto* colour = find_problem(problems, "source[\"bank\"].colour");
  REQUIRE(colour != nullptr);
  CHECK(colour->message.find("unknown key") != std::string::npos);
  const auto* text = find_problem(problems, "source[\"bank\"].fields.text");
  REQUIRE(text != nullptr);
  CHECK(text->line == 6);
  CHECK(find_problem(problems, "source[\"bank\"].fields.bogus") != nullptr);
  CHECK(find_problem(problems, "source[\"bank\"].fields.title") != nullptr);
  CHECK(problems.size() == 7);
  for (const auto& p : problems) CHECK_FALSE(p.warning);
}

TEST_CASE("missing required html keys", "[sources][config]") {
  const auto problems = validate(source_with("html", "[fields]\ntitle = \"h2\"\n"));
  CHECK(find_problem(problems, "source[\"bank\"].item") != nullptr);
  CHECK(find_problem(problems, "source[\"bank\"].fields.text") != nullptr);
  const auto none = validate(source_with("html", ""));
  CHECK(find_problem(none, "source[\"bank\"].fields") != nullptr);
}

TEST_CASE("bad json options and rss options", "[sources][config]") {
  const auto json_problems = validate(source_with("json", R"~(
items = "data"
[fields]
text = "/t~9"
)~"));
  CHECK(find_problem(json_problems, "source[\"bank\"].items") != nullptr);
  CHECK(find_problem(json_problems, "source[\"bank\"].fields.text") != nullptr);

  const auto rss_problems = validate(source_with("rss", "item = \"//x\"\n"));
  REQUIRE(rss_problems.size() == 1);
  CHECK(rss_problems[0].key == "source[\"bank\"].item");
}

TEST_CASE("unknown type and create()", "[sources][config]") {
  const auto registry = SourceRegistry::with_builtin_types();
  ConfigProblems problems;
  SourceConfig s = source_with("nosuch", "");
  registry.validate(s, "source[\"bank\"]", problems);
  REQUIRE(problems.items().size() == 1);
  CHECK(problems.items()[0].key == "source[\"bank\"].type");
  CHECK_THROWS_AS(registry.create(s), std::invalid_argument);

  auto source = registry.create(source_with("html", "item = \"//a\"\nfields = { text = \".\" }\n"));
  REQUIRE(source != nullptr);
  CHECK(source->config().name == "bank");
  CHECK(source->config().type == "html");
}
