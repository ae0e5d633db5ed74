#include "daemon/sentiment/sentiment_json.hpp"

#include "daemon/core/utf8.hpp"

#include "tests/support/catch_result.hpp"
#include "tests/unit/sentiment/generated_texts.hpp"

#include <boost/json/parse.hpp>
#include <cmath>
#include <charconv>

using namespace otklik;

namespace {

/// "Хамство. Не вернули деньги!" with two sentences and two reasons.
Sentiment two_sentences(std::string_view text) {
  Sentiment s;
  s.label = Label::negative;
  s.score = -0.625;
  s.confidence = 0.8;
  s.lang = Lang::ru;
  const std::size_t dot = text.find('.') + 1;
  s.sentences = {{0, dot, -0.5, Label::negative}, {dot + 1, text.size(), -0.75, Label::negative}};
  s.why = {{"хамство", -2.5}, {"не вернули", -2}};
  return s;
}

}  // namespace

TEST_CASE("score JSON is one line with every field", "[sentiment][json]") {
  const std::string text = "Хамство. Не вернули деньги!";
  const std::string line = to_json_line(two_sentences(text), text);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line ==
        "{\"label\":\"negative\",\"score\":-0.625,\"confidence\":0.8,\"lang\":\"ru\",\"sentences\":["
        "{\"text\":\"Хамство.\",\"score\":-0.5,\"label\":\"negative\"},"
        "{\"text\":\"Не вернули деньги!\",\"score\":-0.75,\"label\":\"negative\"}],\"why\":["
        "{\"term\":\"хамство\",\"weight\":-2.5},{\"term\":\"не вернули\",\"weight\":-2}]}");
  const auto v = boost::json::parse(line);
  CHECK(v.at("sentences").as_array().size() == 2);
  CHECK(v.at("why").as_array()[1].at("term").as_string() == "не вернули");
}

TEST_CASE("score JSON stays valid for hostile text and offsets", "[sentiment][json]") {
  const std::string text = std::string("ok \"q\" \\ \x01\xff\xc3", 12) + "\t\n";
  Sentiment s;
  s.lang = Lang::en;
  s.sentences = {{0, 999, 0.1, Label::neutral}, {50, 40, 0, Label::neutral}};  // past the end; reversed
  s.why = {{std::string("bad\x80", 4), 1.0 / 3}};
  const std::string line = to_json_line(s, text);
  const auto v = boost::json::parse(line);  // throws on invalid JSON
  const auto& sentences = v.at("sentences").as_array();
  CHECK(sentences[0].at("text").as_string() == "ok \"q\" \\ \x01\xEF\xBF\xBD\xEF\xBF\xBD\t\n");
  CHECK(sentences[1].at("text").as_string() == "");
  CHECK(v.at("why").as_array()[0].at("term").as_string() == "bad\xEF\xBF\xBD");
  CHECK(line.find("\"weight\":0.3333") != std::string::npos);
  CHECK(line.find("\"label\":\"neutral\",\"score\":0,") != std::string::npos);
}

TEST_CASE("json_quote replaces exactly the invalid UTF-8 sequences and escapes", "[sentiment][json]") {
  struct Case {
    std::string in;
    std::string out;  ///< without the quotes
  };
  const std::string r = "\xEF\xBF\xBD";
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"ёж 😀", "ёж 😀"},
      {"\x80", r},                          // stray continuation
      {"\xC0\xAF", r + r},                  // overlong '/'
      {"\xED\xA0\x80", r + r + r},          // UTF-16 surrogate
      {"\xF4\x90\x80\x80", r + r + r + r},  // above U+10FFFF
      {"a\xE2\x82", "a" + r + r},           // truncated at the end
      {std::string("a\0b", 3), "a\\u0000b"},
      {"q\"b\\\t\n\r\x1f", "q\\\"b\\\\\\t\\n\\r\\u001f"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(json_quote(c.in) == "\"" + c.out + "\"");
    CHECK(boost::json::parse(json_quote(c.in)).as_string().size() > 0);
  }
}

TEST_CASE("json_quote escapes what sanitize_utf8 gives, byte by byte", "[sentiment][json]") {
  // append_json_quote copies sixteen or eight bytes at a time while they are plain ASCII and
  // basic Cyrillic: generated texts put every kind of byte at every offset of those blocks.
  const auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (const char ch : sanitize_utf8(text)) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else {
        out += ch;
      }
    }
    return out + "\"";
  };
  const std::string pieces[] = {"a", "Z", " ", "~", "\x7f", "\x1f", "\t", "\n", "\"", "\\", std::string(1, '\0'),
                                "я", "Ж", "ё", "é", "\xD0", "\xD1", "\x80", "\xBF", "\xC0\xAF", "\xC2\xA0",
                                "€", "😀", "\xE2\x82", "\xED\xA0\x80", "\xF0\x9F", "\xFF", "word ", "слово "};
  test::GeneratedTexts texts(pieces, 19, 40);
  for (int round = 0; round < 20'000; ++round) {
    const std::string text = texts.next();
    CAPTURE(text);
    REQUIRE(json_quote(text) == reference(text));
  }
}

TEST_CASE("json_number rounds and prints the short form", "[sentiment][json]") {
  CHECK(json_number(0.35) == "0.35");
  CHECK(json_number(-1) == "-1");
  CHECK(json_number(-0.00001) == "0");
  CHECK(json_number(2.0 / 3) == "0.6667");
  CHECK(json_number(2.0 / 3, 2) == "0.67");
  CHECK(json_number(std::numeric_limits<double>::quiet_NaN()) == "0");
  CHECK(json_number(std::numeric_limits<double>::infinity()) == "0");
}

TEST_CASE("json_number prints what std::to_chars' shortest form of the rounded value prints", "[sentiment][json]") {
  // The form json_number printed before it printed common numbers from their rounded integer.
  const auto reference = [](double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    double rounded = std::round(value * scale) / scale;
    if (rounded == 0) rounded = 0;
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, rounded);
    return std::string(buf, res.ptr);
  };
  CHECK(json_number(0.0001) == "1e-04");  // shorter than "0.0001": to_chars' choice stands
  CHECK(json_number(0.001) == "0.001");
  CHECK(json_number(-12.5) == "-12.5");
  CHECK(json_number(1000) == "1000");
  CHECK(json_number(999.99995) == "1000");
  for (int decimals = 0; decimals <= 5; ++decimals) {
    for (int k = -30000; k <= 30000; ++k) {
      for (const double v : {k / 10000.0, k / 7.0, k * 0.0333333, k / 30.0 + 1e-9, -k / 9999.0}) {
        INFO(v << " " << decimals);
        REQUIRE(json_number(v, decimals) == reference(v, decimals));
      }
    }
  }
  // Six to nine places (json_number's table of powers of ten ends at 10^8; pow beyond).
  for (int decimals = 6; decimals <= 9; ++decimals)
    for (const double v : {2.0 / 3, -1.0 / 7, 123.456789012345, 1e-7, 0.5})
      CHECK(json_number(v, decimals) == reference(v, decimals));
}

TEST_CASE("plain text form: headline, reasons, sentences", "[sentiment][json]") {
  const std::string text = "Хамство. Не вернули деньги!";
  CHECK(to_text(two_sentences(text), text) ==
        "negative  score -0.63  confidence 0.8  lang ru\n"
        "  why: хамство -2.5, не вернули -2\n"
        "  1. [negative -0.5] Хамство.\n"
        "  2. [negative -0.75] Не вернули деньги!\n");
  Sentiment neutral;
  neutral.lang = Lang::en;
  CHECK(to_text(neutral, "hello") == "neutral  score 0  confidence 0  lang en\n");
}

TEST_CASE("append_json_quote appends what json_quote returns", "[sentiment][json]") {
  for (const std::string_view text : {std::string_view(""), std::string_view("plain"), std::string_view("«кавычки» \"q\" \\"),
                                      std::string_view("bad \xFF\xC0\x80 tab\t nl\n"), std::string_view("\xF0\x9F\x98\x80 ok")}) {
    CAPTURE(text);
    std::string out = "{\"prefix\":";
    otklik::append_json_quote(out, text);
    CHECK(out == "{\"prefix\":" + otklik::json_quote(text));
  }
}

TEST_CASE("append_json_number appends what json_number returns", "[sentiment][json]") {
  for (int decimals = 0; decimals <= 9; ++decimals)
    for (const double v : {0.0, -0.0, 0.35, -1.0, 2.0 / 3, -0.00001, 0.0001, 999.99995, 1e21, -123456.789,
                           std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::infinity()}) {
      INFO(v << " " << decimals);
      std::string out = "{\"x\":";
      append_json_number(out, v, decimals);
      CHECK(out == "{\"x\":" + json_number(v, decimals));
    }
}

TEST_CASE("append_json_line appends what to_json_line returns", "[sentiment][json]") {
  const std::string text = "Отлично. Ужасно \"медленно\"\xFF";
  const Sentiment s = two_sentences(text);
  std::string out = "{\"earlier\":1}\n";
  append_json_line(out, s, text);
  CHECK(out == "{\"earlier\":1}\n" + to_json_line(s, text));
}
