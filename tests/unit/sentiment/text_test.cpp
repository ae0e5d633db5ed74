#include "daemon/sentiment/text.hpp"
#include "daemon/sentiment/engine.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik::sentiment;

namespace {

struct Simple {
  TokenKind kind;
  std::string norm;
};

std::vector<Simple> simple(std::string_view text) {
  TokenBuffer buf;
  tokenize(text, buf);
  std::vector<Simple> out;
  for (const Token& t : buf.tokens) out.push_back({t.kind, std::string(buf.norm(t))});
  return out;
}

std::vector<std::string> norms(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& s : simple(text))
    if (s.kind == TokenKind::word || s.kind == TokenKind::emoji || s.kind == TokenKind::emoticon ||
        s.kind == TokenKind::hashtag || s.kind == TokenKind::number)
      out.push_back(s.norm);
  return out;
}

}  // namespace

TEST_CASE("normalisation folds case, NFKC and ё", "[sentiment]") {
  using V = std::vector<std::string>;
  CHECK(norms("ЁЛКА Ёжик") == V{"елка", "ежик"});
  CHECK(norms("ＦＵＬＬ width") == V{"full", "width"});
  CHECK(norms("Straße") == V{"strasse"});
  CHECK(norms("don’t") == V{"don't"});
  CHECK(norms("сбeрбанк") == V{"сбербанк"});  // Latin 'e' inside a Cyrillic word
  CHECK(norms("йод Й") == V{"йод", "й"});
  CHECK(normalize_term("  Без   ПРОБЛЕМ ") == "без проблем");
}

TEST_CASE("tokens for urls, mentions, hashtags, numbers, emoji and emoticons", "[sentiment]") {
  const auto t = simple("@bank_support смотрите https://example.org/a?b=1, #ужас 100.5 😡😡 :-) ((( xD");
  REQUIRE(t.size() >= 9);
  CHECK(t[0].kind == TokenKind::mention);
  CHECK(t[1].kind == TokenKind::word);
  CHECK(t[2].kind == TokenKind::url);
  CHECK(t[3].kind == TokenKind::clause_break);
  CHECK(t[4].kind == TokenKind::hashtag);
  CHECK(t[4].norm == "ужас");
  CHECK(t[5].kind == TokenKind::number);
  CHECK(t[5].norm == "100.5");
  CHECK(t[6].kind == TokenKind::emoji);
  CHECK(t[7].kind == TokenKind::emoticon);
  CHECK(t[7].norm == ":)");
  CHECK(t[8].kind == TokenKind::emoticon);
  CHECK(t[8].norm == ":(");
  CHECK(t[9].norm == "xd");
}

TEST_CASE("parentheses versus bracket smileys", "[sentiment]") {
  TokenBuffer buf;
  tokenize("отделение (на Ленина) закрыто(", buf);
  REQUIRE(buf.tokens.size() == 7);
  CHECK(buf.tokens[1].kind == TokenKind::clause_break);
  CHECK(buf.tokens[4].kind == TokenKind::clause_break);
  CHECK(buf.tokens[6].kind == TokenKind::emoticon);
  CHECK(buf.norm(buf.tokens[6]) == "(");  // a lone bracket: a weaker, Russian-style sad face
  tokenize("спасибо)))", buf);
  REQUIRE(buf.tokens.size() == 2);
  CHECK(buf.tokens[1].kind == TokenKind::emoticon);
  CHECK(buf.tokens[1].repeat == 3);
  CHECK(buf.tokens[1].emphasis);
}

TEST_CASE("faces drawn with eyes: kaomoji and tears", "[sentiment]") {
  struct Row {
    std::string_view text;
    std::vector<std::string> norms;  // normalised forms of the content tokens
  };
  const std::vector<Row> rows{
      {"ура ^_^", {"ура", "^_^"}},
      {"ура ^.^", {"ура", "^_^"}},
      {"ура ^^", {"ура", "^_^"}},
      {"вау *_*", {"вау", "*_*"}},
      {"бан >_<", {"бан", ">_<"}},
      {"бан >.<", {"бан", ">_<"}},
      {"ну -_-", {"ну", "-_-"}},
      {"опять Т_Т", {"опять", "т_т"}},
      {"опять т_т.", {"опять", "т_т"}},
      {"T_T", {"т_т"}},
      // Not faces: letters or digits around them, one eye, a dash before a word.
      {"т_тест", {"т", "тест"}},
      {"a^_^b", {"a", "b"}},
      {"x^^2", {"x", "2"}},
      {"*.* files", {"files"}},
      {"-_", {}},
      {"раз - два", {"раз", "два"}},
      // ":D" in the lexicon's case-folded form, so that emoji.tsv's ":D" matches it.
      {"ура :D", {"ура", ":d"}},
      {"ура :DDD", {"ура", ":d"}},
      {"ура ;D", {"ура", ":d"}},
      {"ура :d", {"ура", ":d"}},
      {"ответ:d", {"ответ", "d"}},  // a lower-case "d" after a word is no face
      {"a :Dx", {"a", "dx"}},
  };
  for (const Row& r : rows) {
    INFO(r.text);
    CHECK(norms(r.text) == r.norms);
  }
  TokenBuffer buf;
  tokenize("Т_Т", buf);
  REQUIRE(buf.tokens.size() == 1);
  CHECK(buf.tokens[0].kind == TokenKind::emoticon);
  CHECK(buf.letters_total == 0);  // the eyes are no letters of the text
}

TEST_CASE("a bracket closed later on its line is a parenthesis, alone a sad face", "[sentiment]") {
  TokenBuffer buf;
  tokenize("кресло( то у окна) ну", buf);
  REQUIRE(buf.tokens.size() == 7);
  CHECK(buf.tokens[1].kind == TokenKind::clause_break);
  CHECK(buf.tokens[5].kind == TokenKind::clause_break);
  tokenize("смотрят( ну\nладно)", buf);
  CHECK(buf.tokens[1].kind == TokenKind::emoticon);  // the line ends before the ")"
  CHECK(buf.norm(buf.tokens[1]) == "(");
}

TEST_CASE("a run of three equal letters is found at every place of long words", "[sentiment]") {
  // The check for runs passes over eight bytes at a time where no run can start: words of ASCII,
  // Cyrillic, Greek and CJK letters, with and without runs, have emphasis exactly when a letter
  // comes three times in a row, and runs collapse to two letters in the normalised form.
  // One script a word (Latin letters in a Cyrillic word would be read as look-alikes).
  const std::vector<std::vector<std::string>> alphabets{{"a", "b", "o"}, {"ж", "о", "р"}, {"α", "β", "中", "文", "ж"}};
  std::uint32_t state = 3;
  const auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (int round = 0; round < 20'000; ++round) {
    std::vector<std::string> word;
    const auto& letters = alphabets[next() % alphabets.size()];
    const std::uint32_t n = 1 + next() % 30;
    for (std::uint32_t k = 0; k < n; ++k) {
      // Mostly alternating letters (which pass the byte pre-checks), now and then a repeat.
      const std::string& l = next() % 6 == 0 && !word.empty() ? word.back() : letters[next() % letters.size()];
      word.push_back(l);
    }
    std::string text, expected_norm;
    bool expected = false;
    std::size_t run = 0;
    for (std::size_t k = 0; k < word.size(); ++k) {
      text += word[k];
      run = k > 0 && word[k] == word[k - 1] ? run + 1 : 1;
      if (run >= 3) expected = true;
      else expected_norm += word[k];
    }
    CAPTURE(text);
    TokenBuffer buf;
    tokenize(text, buf);
    REQUIRE(buf.tokens.size() == 1);
    CHECK(buf.tokens[0].emphasis == expected);
    CHECK(buf.norm(buf.tokens[0]) == expected_norm);
  }
}

TEST_CASE("repeated letters collapse with an emphasis mark", "[sentiment]") {
  TokenBuffer buf;
  tokenize("ужаааас sooo goooood", buf);
  REQUIRE(buf.tokens.size() == 3);
  CHECK(buf.tokens[0].emphasis);
  CHECK(buf.alt(buf.tokens[0]) == "ужас");
  CHECK(buf.norm(buf.tokens[1]) == "soo");
  CHECK(buf.alt(buf.tokens[1]) == "so");
  CHECK(buf.norm(buf.tokens[2]) == "good");
  CHECK_FALSE(buf.tokens[0].caps);
}

TEST_CASE("CAPS, sentence ends and their marks", "[sentiment]") {
  TokenBuffer buf;
  tokenize("Это УЖАС!!! Правда? Да…\nНу", buf);
  REQUIRE(buf.tokens.size() == 8);
  CHECK(buf.tokens[1].caps);
  CHECK_FALSE(buf.tokens[0].caps);
  CHECK(buf.tokens[2].kind == TokenKind::sentence_end);
  CHECK(buf.tokens[2].mark == '!');
  CHECK(buf.tokens[2].repeat == 3);
  CHECK(buf.tokens[4].mark == '?');
  CHECK(buf.tokens[6].mark == '.');  // "…" then a line break: one sentence end
  CHECK(buf.tokens[7].kind == TokenKind::word);
}

TEST_CASE("starred-out words, capitals and hyphenated compounds", "[sentiment]") {
  struct Row {
    std::string_view text;
    std::vector<std::string> words;  // normalised forms of the word tokens
    std::vector<bool> masked;
  };
  const std::vector<Row> rows{
      {"piece of s***", {"piece", "of", "s***"}, {false, false, true}},
      {"f*ck this", {"f*ck", "this"}, {true, false}},
      {"it pi**ed me off", {"it", "pi**ed", "me", "off"}, {false, true, false, false}},
      {"б**дь опять", {"б**дь", "опять"}, {true, false}},
      {"great* service", {"great", "service"}, {false, false}},        // a footnote star
      {"***SPOILERS*** ahead", {"spoilers", "ahead"}, {false, false}},  // stars around a word
      {"*great* food", {"great", "food"}, {false, false}},              // emphasis
      {"WONDERFUL*** day", {"wonderful", "day"}, {false, false}},       // a long word before stars
  };
  for (const Row& r : rows) {
    INFO(r.text);
    TokenBuffer buf;
    tokenize(r.text, buf);
    std::vector<std::string> words;
    std::vector<bool> masked;
    for (const Token& t : buf.tokens) {
      if (t.kind != TokenKind::word) continue;
      words.emplace_back(buf.norm(t));
      masked.push_back(t.masked);
    }
    CHECK(words == r.words);
    CHECK(masked == r.masked);
  }

  TokenBuffer buf;
  tokenize("My Best friend's Ёлка 3G self-made charisma-free - done", buf);
  std::vector<bool> capital;
  std::vector<bool> joined;
  for (const Token& t : buf.tokens) {
    if (t.kind != TokenKind::word) continue;
    capital.push_back(t.capital);
    joined.push_back(t.joined);
  }
  CHECK(capital == std::vector<bool>{true, true, false, true, true, false, false, false, false, false});
  CHECK(joined == std::vector<bool>{false, false, false, false, false, false, true, false, true, false});
}

TEST_CASE("byte offsets point into the input", "[sentiment]") {
  const std::string text = "Привет, мир!";
  TokenBuffer buf;
  tokenize(text, buf);
  REQUIRE(buf.tokens.size() == 4);
  CHECK(text.substr(buf.tokens[0].begin, buf.tokens[0].end - buf.tokens[0].begin) == "Привет");
  CHECK(text.substr(buf.tokens[2].begin, buf.tokens[2].end - buf.tokens[2].begin) == "мир");
}

TEST_CASE("language detection from script and function words", "[sentiment]") {
  struct Case {
    std::string_view text;
    otklik::Lang lang;
  };
  const Case cases[] = {
      {"Отличный сервис, спасибо", otklik::Lang::ru},
      {"The service was great", otklik::Lang::en},
      {"Сбербанк и VTB опять", otklik::Lang::ru},
      {"Das Essen war sehr lecker und schön", otklik::Lang::other},
      {"12345 !!!", otklik::Lang::other},
      {"ok", otklik::Lang::en},
  };
  for (const auto& c : cases) {
    TokenBuffer buf;
    tokenize(c.text, buf);
    INFO(c.text);
    CHECK(detect_language(buf, otklik::Lang::automatic, otklik::Lang::automatic) == c.lang);
  }
  TokenBuffer buf;
  tokenize("Отличный", buf);
  CHECK(detect_language(buf, otklik::Lang::en, otklik::Lang::automatic) == otklik::Lang::en);
}

TEST_CASE("short reviews: English words make English, other Latin-script languages do not", "[sentiment]") {
  struct Case {
    std::string_view text;
    otklik::Lang lang;
  };
  const Case cases[] = {
      {"Good case, Excellent value.", otklik::Lang::en},
      {"Fast delivery, nice staff", otklik::Lang::en},
      {"Terrible customer support", otklik::Lang::en},
      {"Not worth the money", otklik::Lang::en},
      {"Excellent!", otklik::Lang::en},  // one word, no clue: English
      {"The café was great", otklik::Lang::en},
      {"Sehr gut", otklik::Lang::other},
      {"Très bien", otklik::Lang::other},
      {"Muy bueno", otklik::Lang::other},
      {"Molto buono", otklik::Lang::other},
      {"Muito bom", otklik::Lang::other},
      {"Das Essen war kalt", otklik::Lang::other},
      {"Service très lent", otklik::Lang::other},
      {"Super Service, sehr freundlich", otklik::Lang::other},
  };
  for (const auto& c : cases) {
    TokenBuffer buf;
    tokenize(c.text, buf);
    INFO(c.text);
    CHECK(detect_language(buf, otklik::Lang::automatic, otklik::Lang::automatic) == c.lang);
  }
  // The configured language is for text that gives no clue, not for text that is plainly other.
  TokenBuffer buf;
  tokenize("Das Essen war sehr lecker", buf);
  CHECK(detect_language(buf, otklik::Lang::automatic, otklik::Lang::en) == otklik::Lang::other);
}

TEST_CASE("the ASCII and Cyrillic fast paths fold like the general path", "[sentiment]") {
  // Words mixing the fast runs (ASCII, А–я) with letters that need the general path.
  struct Case {
    std::string_view text;
    std::string_view norm;
    bool caps;
    Script script;
  };
  const Case cases[] = {
      {"HELLO", "hello", true, Script::latin},
      {"HeLLo123", "hello123", false, Script::latin},
      {"ПРИВЕТ", "привет", true, Script::cyrillic},
      {"АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", "абвгдежзийклмнопрстуфхцчшщъыьэюя", true, Script::cyrillic},
      {"ЁЖИК", "ежик", true, Script::cyrillic},
      {"ещЁ", "еще", false, Script::cyrillic},
      {"CaféS", "cafés", false, Script::latin},
      {"СБEР", "сбер", true, Script::cyrillic},
      {"I'M", "i'm", true, Script::latin},
      {"Ålesund", "ålesund", false, Script::latin},
      {"Straße", "strasse", false, Script::latin},
      {"abcdefgПРИ", "abcdefgпри", false, Script::mixed},
      {"42", "42", false, Script::none},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    TokenBuffer buf;
    tokenize(c.text, buf);
    REQUIRE(buf.tokens.size() == 1);
    CHECK(buf.norm(buf.tokens[0]) == c.norm);
    CHECK(buf.tokens[0].caps == c.caps);
    CHECK(buf.tokens[0].script == c.script);
    CHECK(buf.tokens[0].end == c.text.size());
  }
}

TEST_CASE("a kiss and the sad :c of Russian posts are faces, and only where a face stands", "[sentiment]") {
  using V = std::vector<std::string>;
  CHECK(norms("люблю тебя :*") == V{"люблю", "тебя", ":*"});
  CHECK(norms("пока ;*") == V{"пока", ":*"});
  CHECK(norms("опять дождь :с") == V{"опять", "дождь", ":c"});   // Cyrillic «с»
  CHECK(norms("rain again :c") == V{"rain", "again", ":c"});
  CHECK(norms("грустно :с.") == V{"грустно", ":c"});
  // A colon before a word is no face: a time range, a list, a label.
  CHECK(norms("Часы работы:с 9 до 18") == V{"часы", "работы", "с", "9", "до", "18"});
  CHECK(norms("время: с 9") == V{"время", "с", "9"});
  CHECK(norms("Плюсы:*дёшево") == V{"плюсы", "дешево"});
  CHECK(norms("a:c") == V{"a", "c"});
}
