// Template variants: placeholders, blanks and their syntax problems, filling.
#include "daemon/replies/template_text.hpp"

#include <catch2/catch.hpp>

using namespace otklik::replies;

TEST_CASE("a template's placeholders and blanks are read, malformed ones reported", "[replies][templates]") {
  struct Case {
    const char* text;
    std::vector<std::string> placeholders;
    std::vector<std::string> blanks;
    std::size_t problems;
  };
  const Case cases[] = {
      {"Здравствуйте, {name}!", {"name"}, {}, 0},
      {"Вернём до [[дата возврата]].", {}, {"дата возврата"}, 0},
      {"{claim} и {topic}: [[a]] [[b]]", {"claim", "topic"}, {"a", "b"}, 0},
      {"no marks at all", {}, {}, 0},
      {"[[unclosed", {}, {}, 1},
      {"closed]] alone", {}, {}, 1},
      {"[[a [[b]] c]]", {}, {"b"}, 2},
      {"[[]]", {}, {}, 1},
      {"[[  ]]", {}, {}, 1},
      {"{Name}", {}, {}, 2},
      {"{ name }", {}, {}, 2},
      {"{}", {}, {}, 2},
      {"a } b", {}, {}, 1},
      {"{unknown_thing} is read as a name", {"unknown_thing"}, {}, 0},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const TemplateScan s = scan_template(c.text);
    CHECK(s.placeholders == c.placeholders);
    CHECK(s.blanks == c.blanks);
    CHECK(s.problems.size() == c.problems);
  }
}

TEST_CASE("blanks left in a final text are found, an unclosed one too", "[replies][templates]") {
  CHECK(blanks_in("Вернём до [[дата]], номер [[номер]].") == std::vector<std::string>{"дата", "номер"});
  CHECK(blanks_in("Вернём до 12 ноября.").empty());
  CHECK(blanks_in("Вернём до [[дата").size() == 1);
}

TEST_CASE("placeholders are filled, unknown ones stay as written", "[replies][templates]") {
  const std::map<std::string, std::string, std::less<>> values{{"name", "Ирина"}, {"claim", "{site} [[x]]"}};
  CHECK(fill_template("Здравствуйте, {name}!", values) == "Здравствуйте, Ирина!");
  CHECK(fill_template("{name}, {other}", values) == "Ирина, {other}");
  // A value is inserted as is, never read as a template again.
  CHECK(fill_template("«{claim}»", values) == "«{site} [[x]]»");
  CHECK(fill_template("{ name}", values) == "{ name}");
}
