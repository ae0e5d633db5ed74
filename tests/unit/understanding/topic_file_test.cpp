// Topic files: the TOML format, every problem reported at once, merging user files into the
// built-in taxonomy (add, rename, more cues, replace cues, disable).
#include "daemon/understanding/topic_file.hpp"

#include <catch2/catch.hpp>
#include "tests/support/catch_result.hpp"

using namespace otklik::understanding;

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += x + "\n";
  return out;
}

}  // namespace

TEST_CASE("a topic file is read into topics", "[understanding][topic_file]") {
  std::vector<std::string> problems;
  const auto patches = parse_topic_file(R"(
[[topic]]
id = "parking"
name = { ru = "Парковка", en = "Parking" }
description = { ru = "Негде встать у отделения" }
cues.ru = ["парков*", "негде встать"]
cues.en = ["parking"]
exceptions.ru = ["парковка бесплатн*"]
hints.ru = ["Скажите, где ближайшая парковка."]
hints.en = ["Say where the nearest parking is."]
)",
                                        "ours.toml", problems);
  INFO(joined(problems));
  CHECK(problems.empty());
  REQUIRE(patches.size() == 1);
  const Topic& t = patches[0].topic;
  CHECK(t.id == "parking");
  CHECK(t.name.ru == "Парковка");
  CHECK(t.description.in("en") == "Негде встать у отделения");  // falls back to the other language
  CHECK(t.cues.ru == std::vector<std::string>{"парков*", "негде встать"});
  CHECK(t.exceptions.ru.size() == 1);
  CHECK(t.hints.in("en").front() == "Say where the nearest parking is.");
  CHECK(patches[0].has_name);
  CHECK_FALSE(patches[0].replace_cues);
}

TEST_CASE("every problem of a topic file is reported with its line", "[understanding][topic_file]") {
  std::vector<std::string> problems;
  const auto patches = parse_topic_file(R"([[topic]]
id = "Очереди"
name = { ru = "Очереди" }

[[topic]]
id = "waiting"
name = { de = "Warten" }
cues.ru = ["х*м", ""]
hints = ["один"]
colour = "red"

[[topic]]
name = { ru = "Без id" }

[[topic]]
id = "waiting"
replace_cues = "yes"

[extra]
x = 1
)",
                                        "bad.toml", problems);
  const std::string all = joined(problems);
  INFO(all);
  CHECK(patches.empty());
  CHECK(all.find("bad.toml:2: topic[1].id: \"Очереди\" must be lower-case letters, digits and _") != std::string::npos);
  CHECK(all.find("bad.toml:7: topic[\"waiting\"].name.de: unknown language") != std::string::npos);
  CHECK(all.find("topic[\"waiting\"].cues.ru[1]: \"х*м\" has \"*\" inside a word") != std::string::npos);
  CHECK(all.find("topic[\"waiting\"].cues.ru[2]: expected a non-empty string") != std::string::npos);
  CHECK(all.find("topic[\"waiting\"].hints: expected a table") != std::string::npos);
  CHECK(all.find("bad.toml:10: topic[\"waiting\"].colour: unknown key") != std::string::npos);
  CHECK(all.find("topic[3].id: is required") != std::string::npos);
  CHECK(all.find("topic[\"waiting\"].id: is given twice") != std::string::npos);
  CHECK(all.find("topic[\"waiting\"].replace_cues: expected true or false") != std::string::npos);
  CHECK(all.find("extra: unknown key") != std::string::npos);

  // The other shapes a value can get wrong, one topic each, all in one file.
  problems.clear();
  const auto more = parse_topic_file(R"([[topic]]
id = "a"
name = "Очереди"

[[topic]]
id = "b"
name = { ru = "" }
description = { en = """two
lines""" }

[[topic]]
id = "c"
cues = ["очеред*"]
exceptions.ru = "в первую очередь"

[[topic]]
id = "d"
cues.ru = ["ждал. час", "---", 5]
hints.ru = ["one\nline break", ""]

[[topic]]
id = 7
)",
                                     "more.toml", problems);
  const std::string all_more = joined(problems);
  INFO(all_more);
  CHECK(more.empty());
  CHECK(all_more.find("more.toml:3: topic[\"a\"].name: expected a table { ru = \"…\", en = \"…\" }") != std::string::npos);
  CHECK(all_more.find("more.toml:7: topic[\"b\"].name.ru: expected a non-empty one-line string") != std::string::npos);
  CHECK(all_more.find("topic[\"b\"].description.en: expected a non-empty one-line string") != std::string::npos);
  CHECK(all_more.find("more.toml:13: topic[\"c\"].cues: expected a table with ru and en lists") != std::string::npos);
  CHECK(all_more.find("more.toml:14: topic[\"c\"].exceptions.ru: expected an array of strings") != std::string::npos);
  CHECK(all_more.find("more.toml:18: topic[\"d\"].cues.ru[1]: \"ждал. час\" has a sentence mark") != std::string::npos);
  CHECK(all_more.find("topic[\"d\"].cues.ru[2]: \"---\" has a word with no letters or digits") != std::string::npos);
  CHECK(all_more.find("topic[\"d\"].cues.ru[3]: expected a non-empty string") != std::string::npos);
  CHECK(all_more.find("topic[\"d\"].hints.ru[1]: \"one\nline break\" has a line break") != std::string::npos);
  CHECK(all_more.find("topic[\"d\"].hints.ru[2]: expected a non-empty string") != std::string::npos);
  CHECK(all_more.find("more.toml:21: topic[5].id: is required (a string)") != std::string::npos);

  problems.clear();
  parse_topic_file("[topic]\nid = \"x\"\n", "table.toml", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0] == "table.toml:1: topic: write [[topic]] (one table per topic)");

  problems.clear();
  const std::string long_hint = "hints.en = [\"" + std::string(401, 'x') + "\"]";
  parse_topic_file("[[topic]]\nid = \"x\"\n" + long_hint + "\n", "long.toml", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("long.toml:3: topic[\"x\"].hints.en[1]: ") == 0);
  CHECK(problems[0].find("is longer than 400 bytes") != std::string::npos);

  problems.clear();
  parse_topic_file("[[topic]\nid = 1", "broken.toml", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("broken.toml:1: : TOML syntax error") == 0);
}

TEST_CASE("user files add, rename, extend and replace built-in topics", "[understanding][topic_file]") {
  const std::vector<std::pair<std::string, std::string>> files{
      {"ours.toml", R"(
[[topic]]
id = "waiting"
name = { ru = "Очереди в отделениях" }
cues.ru = ["электронн* талон*"]

[[topic]]
id = "cleanliness"
cues.ru = ["грязь"]
replace_cues = true
hints.ru = ["Пришлите фото после уборки."]

[[topic]]
id = "parking"
name = { ru = "Парковка", en = "Parking" }
cues.ru = ["парков*"]
)"}};
  auto t = load_taxonomy(true, files, {"handoff"});
  REQUIRE(t);
  const Topic* w = t->find("waiting");
  REQUIRE(w != nullptr);
  CHECK(w->name.ru == "Очереди в отделениях");
  CHECK(w->name.en == "Waiting and queues");  // kept
  CHECK(w->cues.ru.back() == "электронн* талон*");
  CHECK(w->cues.ru.size() > 10);               // added to, not replaced
  const Topic* c = t->find("cleanliness");
  REQUIRE(c != nullptr);
  CHECK(c->cues.ru == std::vector<std::string>{"грязь"});
  CHECK(c->exceptions.ru.empty());
  CHECK(c->hints.ru == std::vector<std::string>{"Пришлите фото после уборки."});
  CHECK_FALSE(c->hints.en.empty());            // the other language is kept
  CHECK(t->find("parking") != nullptr);
  CHECK(t->topics.back().id == "parking");
  CHECK(t->find("handoff") == nullptr);

  const TopicTagger tagger(*t);
  CHECK(tagger.tag("взял электронный талон и ждал") == std::vector<std::string>{"waiting"});
  CHECK(tagger.tag("негде оставить машину, парковки нет") == std::vector<std::string>{"parking"});
}

TEST_CASE("dotted keys, a description in one language, a repeated disable", "[understanding][topic_file]") {
  const std::vector<std::pair<std::string, std::string>> files{{"ours.toml", R"(
[[topic]]
id = "rudeness"
name.ru = "Грубость"
description.ru = "Только грубость сотрудников."
)"}};
  auto t = load_taxonomy(true, files, {"handoff", "handoff"});
  INFO((t ? std::string() : t.error().detail));
  REQUIRE(t);
  const Topic* r = t->find("rudeness");
  REQUIRE(r != nullptr);
  CHECK(r->name.ru == "Грубость");
  CHECK(r->name.en == "Rudeness and staff attitude");
  CHECK(r->description.ru == "Только грубость сотрудников.");
  CHECK(r->description.en == builtin_taxonomy().find("rudeness")->description.en);  // kept
  CHECK(t->find("handoff") == nullptr);
  CHECK(t->topics.size() == builtin_taxonomy().topics.size() - 1);

  auto none = load_taxonomy(false, {}, {});
  REQUIRE(none);
  CHECK(none->topics.empty());
  CHECK(TopicTagger(*none).tag("нахамили в очереди").empty());
}

TEST_CASE("merging reports new topics without a name or cues, and unknown disabled ids", "[understanding][topic_file]") {
  const std::vector<std::pair<std::string, std::string>> files{
      {"a.toml", "[[topic]]\nid = \"parking\"\ncues.ru = [\"парков*\"]\n"},
      {"b.toml", "[[topic]]\nid = \"noise\"\nname = { ru = \"Шум\" }\n"}};
  auto t = load_taxonomy(true, files, {"nothing_here"});
  REQUIRE_FALSE(t);
  const std::string& m = t.error().detail;
  CHECK(m.find("a.toml:1: topic[\"parking\"].name: is required for a new topic") != std::string::npos);
  CHECK(m.find("b.toml:1: topic[\"noise\"].cues: a new topic needs at least one cue") != std::string::npos);
  CHECK(m.find("topics.disable: no topic \"nothing_here\"") != std::string::npos);

  auto only_user = load_taxonomy(false, {{"c.toml", "[[topic]]\nid = \"x\"\nname = { en = \"X\" }\ncues.en = [\"x\"]\n"}}, {});
  REQUIRE(only_user);
  CHECK(only_user->topics.size() == 1);
}
