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
