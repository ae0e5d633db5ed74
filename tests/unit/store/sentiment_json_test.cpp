#include "daemon/store/sentiment_json.hpp"

#include "tests/support/catch_result.hpp"

using namespace otklik;

TEST_CASE("a sentiment round-trips through its stored JSON", "[store][json]") {
  Sentiment s;
  s.label = Label::negative;
  s.score = -0.1 - 0.2;  // not exactly representable in short decimal: must round-trip anyway
  s.confidence = 1.0 / 3.0;
  s.lang = Lang::ru;
  s.sentences = {{0, 27, -0.3, Label::negative}, {28, 40, 0.25, Label::positive}};
  s.why = {{"ужасно \"плохо\"", -0.7}, {"не рекомендую", -0.2}, {"😡", -1e-9}};
  const std::string json = store::sentiment_to_json(s);
  auto back = store::sentiment_from_json(json);
  REQUIRE(back);
  CHECK(*back == s);

  Sentiment empty;
  CHECK(store::sentiment_from_json(store::sentiment_to_json(empty)).value() == empty);
}

TEST_CASE("bad stored JSON is a parse failure, not a crash", "[store][json]") {
  const char* cases[] = {
      "",
      "[]",
      "{",
      R"({"label":"angry","score":0,"confidence":0,"lang":"en"})",
      R"({"label":"neutral","score":"0","confidence":0,"lang":"en"})",
      R"({"label":"neutral","score":0,"confidence":0,"lang":"xx"})",
      R"({"label":"neutral","score":0,"confidence":0,"lang":"en","sentences":[{"begin":-1,"end":2,"score":0,"label":"neutral"}]})",
      R"({"label":"neutral","score":0,"confidence":0,"lang":"en","why":[{"term":1,"weight":0}]})",
      R"({"label":"neutral","score":0,"confidence":0,"lang":"en","why":{}})",
  };
  for (const char* c : cases) {
    INFO(c);
    auto r = store::sentiment_from_json(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::parse_failed));
  }
}

TEST_CASE("label and language codes are stable", "[store][json]") {
  CHECK(to_string(Label::negative) == "negative");
  CHECK(parse_label("positive") == Label::positive);
  CHECK_FALSE(parse_label("Negative").has_value());
  CHECK(to_string(Lang::automatic) == "auto");
  CHECK(parse_lang("ru") == Lang::ru);
}

TEST_CASE("the stored sentiment is version 2: sentences and terms as arrays", "[store][json]") {
  Sentiment s;
  s.label = Label::negative;
  s.score = -0.5;
  s.confidence = 0.75;
  s.lang = Lang::en;
  s.sentences = {{0, 12, -0.625, Label::negative}, {13, 20, 0, Label::neutral}, {21, 30, 0.25, Label::positive}};
  s.why = {{"rude", -2.5}, {"thanks", 1}};
  CHECK(store::sentiment_to_json(s) ==
        R"({"v":2,"label":"negative","score":-0.5,"confidence":0.75,"lang":"en",)"
        R"("sentences":[[0,12,-0.625,-1],[13,20,0,0],[21,30,0.25,1]],"why":[["rude",-2.5],["thanks",1]]})");
}

TEST_CASE("every double of a stored sentiment reads back as the same double", "[store][json]") {
  const double values[] = {0.1 + 0.2,   1.0 / 3.0, -2.0 / 3.0, 1e-9,     -1e-300, 5e-324,
                           1.7976931348623157e308, 13.8, -7.2,  0.8105448318276418, 123456789.0, -0.0};
  for (double v : values) {
    INFO(v);
    Sentiment s;
    s.label = Label::negative;
    s.score = v;
    s.confidence = v;
    s.sentences = {{0, 1, v, Label::negative}};
    s.why = {{"t", v}};
    auto back = store::sentiment_from_json(store::sentiment_to_json(s));
    REQUIRE(back);
    CHECK(*back == s);
  }
}

TEST_CASE("a sentiment stored in version 1 (objects) still reads", "[store][json]") {
  // As rows written before version 2 hold it (Boost.JSON's serializer, doubles in E notation).
  auto back = store::sentiment_from_json(
      R"({"label":"negative","score":-8.105448318276418E-1,"confidence":5.998260488010502E-1,"lang":"ru",)"
      R"("sentences":[{"begin":0,"end":25,"score":0E0,"label":"neutral"},)"
      R"({"begin":26,"end":80,"score":-5.803444345876335E-1,"label":"negative"}],)"
      R"("why":[{"term":"хамство","weight":-7.2E0}]})");
  REQUIRE(back);
  Sentiment s;
  s.label = Label::negative;
  s.score = -0.8105448318276418;
  s.confidence = 0.5998260488010502;
  s.lang = Lang::ru;
  s.sentences = {{0, 25, 0, Label::neutral}, {26, 80, -0.5803444345876335, Label::negative}};
  s.why = {{"хамство", -7.2}};
  CHECK(*back == s);
}

TEST_CASE("a broken version 2 sentiment is a parse failure", "[store][json]") {
  const char* cases[] = {
      R"({"v":3,"label":"neutral","score":0,"confidence":0,"lang":"en"})",
      R"({"v":"2","label":"neutral","score":0,"confidence":0,"lang":"en"})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","sentences":[[0,2,0]]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","sentences":[[0,2,0,2]]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","sentences":[[-1,2,0,0]]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","sentences":[[0,2,"0",0]]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","sentences":[{"begin":0,"end":2,"score":0,"label":"neutral"}]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","why":[["t"]]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","why":[[1,2]]})",
      R"({"v":2,"label":"neutral","score":0,"confidence":0,"lang":"en","why":[{"term":"t","weight":1}]})",
  };
  for (const char* c : cases) {
    INFO(c);
    auto r = store::sentiment_from_json(c);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == make_error_code(errc::parse_failed));
  }
}
