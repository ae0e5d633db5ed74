// Understanding ⇄ JSON: a full round trip, old rows without the new keys, and broken rows.
#include "daemon/understanding/understanding_json.hpp"

#include <catch2/catch.hpp>
#include "tests/support/catch_result.hpp"

using namespace otklik::understanding;

TEST_CASE("an understanding survives the round trip through JSON", "[understanding][json]") {
  Understanding u;
  u.claims.push_back({0, 38, "нахамил менеджер в отделении", -0.62, {"rudeness"}});
  u.claims.push_back({40, 71, "ждал час в очереди", -0.3, {"waiting"}});
  u.claims.push_back({73, 120, "навязали страховку \"жизни\"", -0.5, {"imposed", "money"}});
  u.topics = {"rudeness", "waiting", "imposed", "money"};
  u.brand = BrandMatch{"Рокетбанк", "Рокербанка", 10, 30, "typo", 1};
  u.author_id_key = "yandex-maps#u1234";
  u.author_name_key = "иван петров";
  RepeatAuthor r;
  r.negatives = 3;
  r.window_days = 30;
  r.by_source = {{"yandex-maps", 2}, {"banki-ru", 1}};
  r.previous = {{41, "yandex-maps", "https://example.org/r/41", 1763900000000, {"waiting"}, "resolved"},
                {17, "banki-ru", "", 1763000000000, {}, ""}};
  r.repeated_topics = {"waiting"};
  u.repeat = r;

  const std::string text = to_json(u);
  auto back = from_json(text);
  REQUIRE(back.has_value());
  CHECK(*back == u);
}

TEST_CASE("an empty or older stored understanding reads as empty parts", "[understanding][json]") {
  auto empty = from_json("");
  REQUIRE(empty.has_value());
  CHECK(*empty == Understanding{});

  auto old = from_json(R"({"claims":[{"text":"ждал час","score":-0.2}]})");
  REQUIRE(old.has_value());
  REQUIRE(old->claims.size() == 1);
  CHECK(old->claims[0].text == "ждал час");
  CHECK(old->claims[0].topics.empty());
  CHECK_FALSE(old->brand.has_value());
  CHECK_FALSE(old->repeat.has_value());
}

TEST_CASE("broken stored understanding is an error, not a crash", "[understanding][json]") {
  const char* broken[] = {
      "{",
      "[]",
      R"({"claims":{}})",
      R"({"claims":[1]})",
      R"({"claims":[{"text":5}]})",
      R"({"topics":["a",2]})",
      R"({"brand":"Озон"})",
      R"({"brand":{"distance":"one"}})",
      R"({"repeat":{"previous":[{"mention_id":"x"}]}})",
      R"({"repeat":{"by_source":[3]}})",
      R"({"author_name_key":7})",
      R"({"claims":[[0,4,-0.2]]})",
      R"({"claims":[[0,4,-0.2,[],"a","b"]]})",
      R"({"claims":[[-1,4,-0.2,[]]]})",
      R"({"claims":[[0,4,"-0.2",[]]]})",
      R"({"claims":[[0,4,-0.2,"waiting"]]})",
      R"({"claims":[[0,4,-0.2,[1]]]})",
      R"({"claims":[[0,4,-0.2,[],7]]})",
  };
  for (const char* text : broken) {
    INFO(text);
    auto r = from_json(text);
    CHECK_FALSE(r.has_value());
  }
}

TEST_CASE("the stored understanding is version 2: a claim as an array", "[understanding][json]") {
  Understanding u;
  u.claims.push_back({0, 8, "ждал час", -0.25, {"waiting"}});
  u.claims.push_back({10, 20, "", 0.5, {}});
  u.topics = {"waiting"};
  CHECK(to_json(u) == R"({"v":2,"claims":[[0,8,-0.25,["waiting"],"ждал час"],[10,20,0.5,[]]],"topics":["waiting"]})");
  auto back = from_json(to_json(u));
  REQUIRE(back.has_value());
  CHECK(*back == u);
}

TEST_CASE("to_json leaves out what the store keeps elsewhere", "[understanding][json]") {
  const std::string scored = "Ждал час. Нахамили.";
  Understanding u;
  u.claims.push_back({0, 15, scored.substr(0, 15), -0.4, {"waiting"}});  // exactly its span: left out
  u.claims.push_back({17, 33, "нахамили…", -0.6, {"rudeness"}});         // not its span (cut): kept
  u.claims.push_back({40, 50, "за текстом", -0.1, {}});                  // beyond the text: kept
  u.author_id_key = "maps#7";
  u.author_name_key = "анна петрова";
  JsonOptions options;
  options.spans_of = scored;
  options.author_keys = false;
  const std::string json = to_json(u, options);
  CHECK(json.find("maps#7") == std::string::npos);
  CHECK(json.find("анна") == std::string::npos);
  auto back = from_json(json);
  REQUIRE(back.has_value());
  CHECK(back->claims[0].text.empty());
  CHECK(back->claims[1].text == "нахамили…");
  CHECK(back->claims[2].text == "за текстом");
  CHECK(back->author_id_key.empty());
  // Without options every part is written.
  CHECK(*from_json(to_json(u)) == u);
}
