#include "daemon/sentiment/lexicon_scorer.hpp"

#include <catch2/catch.hpp>

#include <string>

using otklik::Label;

namespace {

const otklik::Scorer& scorer() {
  static const auto s = otklik::make_builtin_scorer();
  return *s;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

void check_sane(const otklik::Sentiment& s, std::string_view text) {
  CHECK(s.score >= -1);
  CHECK(s.score <= 1);
  CHECK(s.confidence >= 0);
  CHECK(s.confidence <= 1);
  bool offsets_ok = true;  // one assertion for all sentences: huge texts have ~10^6 of them
  std::size_t previous_end = 0;
  for (const auto& sent : s.sentences) {
    offsets_ok = offsets_ok && sent.begin <= sent.end && sent.end <= text.size() && previous_end <= sent.begin;
    previous_end = sent.end;
  }
  CHECK(offsets_ok);
  for (const auto& w : s.why) CHECK(valid_utf8(w.term));
}

}  // namespace

TEST_CASE("invalid UTF-8 and NUL bytes are survived", "[sentiment]") {
  const std::string texts[] = {
      std::string("\xFF\xFE ужасный \xC3\x28 сервис \xE2\x82", 27),
      std::string("плохо\0плохо\0\0", 14),
      std::string("\xF0\x9F\x98", 3),                   // a cut emoji
      std::string("\xED\xA0\x80 surrogate", 13),        // an encoded surrogate
      std::string("\xC0\xAF overlong bad", 14),
      std::string(1000, '\0'),
  };
  for (const auto& t : texts) {
    const auto s = scorer().score(t);
    check_sane(s, t);
  }
  CHECK(scorer().score(texts[0]).label == Label::negative);
  CHECK(scorer().score(texts[1]).label == Label::negative);
}

TEST_CASE("100,000 emoji", "[sentiment]") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += (i % 3 == 0) ? "😡" : (i % 3 == 1 ? "😍" : "🤬");
  const auto s = scorer().score(text);
  check_sane(s, text);
  CHECK(s.why.size() <= 10);
  std::string same;
  for (int i = 0; i < 100000; ++i) same += "😍";
  const auto p = scorer().score(same);
  check_sane(p, same);
  CHECK(p.label == Label::positive);
}

TEST_CASE("a 10 MB text completes with sane output", "[sentiment]") {
  std::string text;
  text.reserve(10 << 20);
  const std::string chunk = "Сервис ужасный, деньги не вернули!!! Great food though :) ((( www.example.org @x #fail 42. ";
  while (text.size() < (10U << 20)) text += chunk;
  const auto s = scorer().score(text);
  check_sane(s, text);
  CHECK(s.sentences.size() > 1000);
  std::string one_word(10 << 20, 'a');
  check_sane(scorer().score(one_word), one_word);
  std::string brackets(1 << 20, '(');
  check_sane(scorer().score(brackets), brackets);
  // Patterns that make a rule look back (contrast, quotes, negation) over a huge single sentence
  // and over many sentences; these must stay linear.
  std::string contrasts;
  while (contrasts.size() < (4U << 20)) contrasts += "хорошо но плохо «отлично» не очень ";
  check_sane(scorer().score(contrasts), contrasts);
  std::string sentences;
  while (sentences.size() < (4U << 20)) sentences += "Но хорошо. However bad! ";
  check_sane(scorer().score(sentences), sentences);
}

TEST_CASE("random bytes and random mixes of the tokeniser's special characters", "[sentiment]") {
  std::uint32_t state = 12345;  // a fixed xorshift sequence: the same cases every run
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  };
  const std::string_view pieces[] = {"(", ")", ":", "-", "'", "\"", "«", "»", "!", "?", ".", "…", "\n", " ",
                                     "не", "not", "но", "but", "очень", "😡", "\xF0\x9F", "\xFF", "#", "@",
                                     "http://", "ааааа", "A", "Ё", "\xCC\x81", "\0", "n't", "3", "<"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::uint32_t len = next() % 40;
    for (std::uint32_t k = 0; k < len; ++k) {
      if (round % 2 == 0) text.push_back(static_cast<char>(next() & 0xFF));
      else text += pieces[next() % std::size(pieces)];
    }
    const auto s = scorer().score(text);
    check_sane(s, text);
  }
}

TEST_CASE("results do not depend on the word memo", "[sentiment]") {
  // A scorer remembers words between calls; the same text must score the same on a fresh scorer,
  // after other texts, and after the memo has been cleared by many distinct words.
  const std::string texts[] = {
      "Ужасный сервис, не рекомендую!!!", "Не плохо, но и не хорошо.", "sooo good :) would recommend",
      "uninteresting and not worth it", "Ужааасно. Никогда больше", "#ужас @bank 100500 😡😡",
      "ХОРОШО хорошо Хорошо", "the food was not bad but the service was terrible"};
  const auto warm = otklik::make_builtin_scorer();
  for (const auto& t : texts) (void)warm->score(t);
  std::string many;
  for (int i = 0; i < 70'000; ++i) many += "w" + std::to_string(i) + "x ";
  (void)warm->score(many);  // more distinct words than the memo holds
  for (const auto& t : texts) {
    INFO(t);
    const auto fresh = otklik::make_builtin_scorer();
    const otklik::Sentiment expected = fresh->score(t);
    CHECK(warm->score(t) == expected);
    CHECK(warm->score(t, 2.0, otklik::Lang::ru) == fresh->score(t, 2.0, otklik::Lang::ru));
  }
}

TEST_CASE("a text's words are looked up ahead as they are one by one", "[sentiment]") {
  // prepare() looks every word of a text up before it reads the answers; a word new to the memo
  // is added on the way, after which the words after it are looked up again. A fresh scorer
  // takes that path for each text below (a new word, then the same word again, in another kind
  // of token or with repeated letters), a warm one reads answers found ahead only: both agree.
  const std::string texts[] = {
      "плохо, очень плохо #плохо", "#bad bad BAD baaad", "Ужааасно ужаасно Ужасно ужас",
      "great, not great, #notgreat :) great", "не рекомендую. Не рекомендую!!! не-рекомендую",
      "uninteresting uninteresting unlikable", "w1 w2 w1 w3 w2 w1"};
  const auto warm = otklik::make_builtin_scorer();
  for (const auto& t : texts) (void)warm->score(t);
  for (const auto& t : texts) {
    INFO(t);
    const auto fresh = otklik::make_builtin_scorer();
    CHECK(fresh->score(t) == warm->score(t));
  }
  // The memo fills up and is cleared in the middle of one text: the answers stay the same.
  std::string many = "Ужасно, ";
  for (int i = 0; i < 70'000; ++i) many += "v" + std::to_string(i) + "y ";
  many += "ужасно плохо";
  const auto a = otklik::make_builtin_scorer();
  const otklik::Sentiment first = a->score(many);
  CHECK(a->score(many) == first);
  CHECK(first.label == otklik::Label::negative);
}
