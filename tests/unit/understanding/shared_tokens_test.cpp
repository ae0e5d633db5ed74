// One tokenisation shared by the steps of `otklik score`: scoring a text whose tokens the caller
// holds, tagging a clause from its tokens, and claims read from the text's token buffer give what
// the steps gave on the text alone; and a guard of the work claims do (counted calls, not time).
#include "daemon/understanding/claims.hpp"

#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/unit/sentiment/generated_texts.hpp"
#include "tests/unit/sentiment/label_table.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/understanding/topic_file.hpp"
#include "daemon/understanding/topics.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace otklik;
using namespace otklik::understanding;
using otklik::test::builtin_scorer;

namespace {

const TopicTagger& tagger() {
  static const TopicTagger t(builtin_taxonomy());
  return t;
}

sentiment::TokenBuffer tokens_of(std::string_view text) {
  sentiment::TokenBuffer buf;
  sentiment::tokenize(text, buf);
  return buf;
}

/// Texts in both languages and mixed, with the marks the tokeniser reads context for: brackets,
/// a starred word, quotes, emoji, CAPS, repeated letters, invalid UTF-8, line breaks.
const std::vector<std::string> kTexts{
    "Доставка задержалась на час (курьер извинился), но менеджер нахамил и ничего не объяснил",
    "Hi, the package came late*, and the driver was rude to me",
    "Здравствуйте, и опять списали деньги за страховку, а ещё ждал в очереди 40 минут",
    "The staff were lovely, but I waited two hours and nobody answered the phone",
    "УЖАСНЫЙ сервис!!! Никогда больше)) «Отличный» банк, ничего не скажешь :(",
    "Sooo bad... the app crashes (again) and f*ck, support never answers 😡😡",
    "Минусы: шумно, дорого; персонал грубит.\nПлюсы: вкусно",
    "Bonjour \xff\xfe broken bytes, but the refund never came and I was charged twice",
    "1) коробка мятая\n2) чек не дали\n3) курьер хамил",
    "",
};

}  // namespace

TEST_CASE("score_tokenized gives what score gives", "[understanding][tokens]") {
  for (const auto& text : kTexts) {
    INFO(text);
    const auto buf = tokens_of(text);
    CHECK(builtin_scorer().score_tokenized(text, buf) == builtin_scorer().score(text));
    CHECK(builtin_scorer().score_tokenized(text, buf, 1.0, Lang::ru) == builtin_scorer().score(text, 1.0, Lang::ru));
  }
}

TEST_CASE("score_value gives score_tokenized's score", "[understanding][tokens]") {
  // The claims ask a clause's score alone; the scorer then skips the sentences and "why".
  std::vector<std::string> texts = kTexts;
  texts.insert(texts.end(), {"Ужасно!!! Никогда больше. Спасибо", "the food was not bad but the service was terrible",
                             "great, great, great... NOT", "«Отличный» сервис :(((", "спасибо)", "2/10 would not recommend"});
  for (const auto& text : texts) {
    INFO(text);
    const auto buf = tokens_of(text);
    CHECK(builtin_scorer().score_value(text, buf) == builtin_scorer().score_tokenized(text, buf).score);
  }
}

TEST_CASE("the tagger tags a text's tokens as it tags the text", "[understanding][tokens]") {
  for (const auto& text : kTexts) {
    INFO(text);
    CHECK(tagger().tag(text, tokens_of(text)) == tagger().tag(text));
  }
}

TEST_CASE("claims read from the text's tokens are the claims of the text", "[understanding][tokens]") {
  const TopicFn by_text = [](std::string_view c) { return tagger().tag(c); };
  const TokenTopicFn by_tokens = [](std::string_view c, const sentiment::TokenBuffer& t) { return tagger().tag(c, t); };
  for (const auto& text : kTexts) {
    INFO(text);
    const Sentiment whole = builtin_scorer().score(text);
    const auto a = extract_claims(text, whole, builtin_scorer(), by_text);
    const auto b = extract_claims(text, tokens_of(text), whole, builtin_scorer(), by_tokens);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].text == b[i].text);
      CHECK(a[i].begin == b[i].begin);
      CHECK(a[i].end == b[i].end);
      CHECK(a[i].score == b[i].score);
      CHECK(a[i].topics == b[i].topics);
    }
  }
}

TEST_CASE("a clause's leading words are trimmed the same around brackets and stars", "[understanding][tokens]") {
  // Brackets and a "*" before a clause are where the text's tokens and the clause's own could
  // differ; those clauses are tokenised on their own (claims.cpp, point_begin).
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
      {"Доставка задержалась на час (курьер извинился), но менеджер нахамил и ничего не объяснил",
       {"Доставка задержалась на час (курьер извинился)", "менеджер нахамил и ничего не объяснил"}},
      {"Hi, the package came late*, and the driver was rude to me", {"the package came late", "the driver was rude to me"}},
      {"Здравствуйте, и опять списали деньги за страховку, а ещё ждал в очереди 40 минут",
       {"опять списали деньги за страховку", "ещё ждал в очереди 40 минут"}},
  };
  const TokenTopicFn topics = [](std::string_view c, const sentiment::TokenBuffer& t) { return tagger().tag(c, t); };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    const Sentiment whole = builtin_scorer().score(text);
    REQUIRE(whole.label == Label::negative);
    std::vector<std::string> got;
    for (const auto& c : extract_claims(text, tokens_of(text), whole, builtin_scorer(), topics)) got.push_back(c.text);
    CHECK(got == expected);
  }
}

namespace {

/// The built-in scorer, counting how it is asked.
class CountingScorer final : public Scorer {
 public:
  Sentiment score(std::string_view text, std::optional<double> rating, Lang lang) const override {
    ++texts;
    return builtin_scorer().score(text, rating, lang);
  }
  Sentiment score_tokenized(std::string_view text, const sentiment::TokenBuffer& tokens, std::optional<double> rating,
                            Lang lang) const override {
    ++tokenized;
    return builtin_scorer().score_tokenized(text, tokens, rating, lang);
  }
  mutable int texts = 0;      ///< calls that tokenise the text again
  mutable int tokenized = 0;  ///< calls on tokens the caller holds
};

}  // namespace

TEST_CASE("claims score each clause once, from its tokens, and tag only clauses that can be claims",
          "[understanding][tokens]") {
  // Four clauses: praise (not tagged: it can be no claim), a wait, a rude manager, and a
  // positive close. Each is scored once; the two complaints are tagged.
  const std::string text = "The staff were lovely and kind, but I waited two hours for my order, "
                           "the manager was rude to me, thanks a lot for the lovely dessert";
  const Sentiment whole = builtin_scorer().score(text);
  REQUIRE(whole.label == Label::negative);
  CountingScorer counting;
  int tagged = 0;
  const TokenTopicFn topics = [&](std::string_view c, const sentiment::TokenBuffer& t) {
    ++tagged;
    return tagger().tag(c, t);
  };
  const auto claims = extract_claims(text, tokens_of(text), whole, counting, topics);
  std::vector<std::string> got;
  for (const auto& c : claims) got.push_back(c.text);
  CHECK(got == std::vector<std::string>{"I waited two hours for my order", "the manager was rude to me"});
  CHECK(counting.texts == 0);
  CHECK(counting.tokenized == 4);
  CHECK(tagged == 2);
}

TEST_CASE("a clause that is the whole text takes the text's score when told it is scored alike",
          "[understanding][tokens]") {
  // whole_is_clause_score: the whole text's score (no rating, language detected) serves a clause
  // spanning the whole text. The claims are the same as when each clause is scored, and a
  // one-clause complaint is not scored again.
  const std::vector<std::string> texts = {
      "the manager was rude to me",
      "Ужасный сервис, никто не отвечает",
      "Здравствуйте, третий день не могу дозвониться",
      "waited two hours and nobody came",
      "(опять) не работает",
      "Терминал не принимает карту, а в отделении очередь на час",
      "«отличный» сервис, ничего не работает",
  };
  for (const std::string& text : texts) {
    CAPTURE(text);
    const auto tokens = tokens_of(text);
    const Sentiment whole = builtin_scorer().score_tokenized(text, tokens);
    if (whole.label != Label::negative) continue;
    const TokenTopicFn topics = [](std::string_view c, const sentiment::TokenBuffer& t) { return tagger().tag(c, t); };
    CountingScorer plain, reusing;
    understanding::ClaimOptions reuse;
    reuse.whole_is_clause_score = true;
    const auto a = extract_claims(text, tokens, whole, plain, topics);
    const auto b = extract_claims(text, tokens, whole, reusing, topics, reuse);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].text == b[i].text);
      CHECK(a[i].score == b[i].score);
      CHECK(a[i].topics == b[i].topics);
      CHECK(a[i].begin == b[i].begin);
      CHECK(a[i].end == b[i].end);
    }
    CHECK(reusing.tokenized <= plain.tokenized);
  }
  const std::string one = "the manager was rude to me";
  const Sentiment whole = builtin_scorer().score_tokenized(one, tokens_of(one));
  REQUIRE(whole.label == Label::negative);
  CountingScorer counting;
  understanding::ClaimOptions reuse;
  reuse.whole_is_clause_score = true;
  const auto claims = extract_claims(one, tokens_of(one), whole, counting, TokenTopicFn{}, reuse);
  REQUIRE(claims.size() == 1);
  CHECK(claims[0].text == one);
  CHECK(counting.tokenized == 0);
  CHECK(counting.texts == 0);
}

namespace {

/// What the engine and the tagger read of a token: its offsets, kind, marks and forms.
std::string describe(const sentiment::TokenBuffer& buf) {
  std::string out = std::to_string(buf.letters_latin) + "/" + std::to_string(buf.letters_cyrillic) + "/" +
                    std::to_string(buf.letters_upper) + "/" + std::to_string(buf.letters_total) + ":";
  for (const auto& t : buf.tokens) {
    out += " [" + std::to_string(t.begin) + "," + std::to_string(t.end) + " k" + std::to_string(static_cast<int>(t.kind)) +
           " s" + std::to_string(static_cast<int>(t.script)) + " " + std::to_string(t.caps) + std::to_string(t.emphasis) +
           std::to_string(t.capital) + std::to_string(t.joined) + std::to_string(t.masked) + " m" +
           std::to_string(static_cast<int>(t.mark)) + " r" + std::to_string(t.repeat) + " '" + std::string(buf.norm(t)) +
           "' '" + std::string(buf.alt(t)) + "']";
  }
  return out;
}

}  // namespace

TEST_CASE("a clause's tokens read from the text's are the tokens of the clause alone", "[understanding][tokens]") {
  // tokens_of_clause answers only where the two readings agree; everywhere it answers, its
  // tokens and letter counts must be those of tokenising the clause. Every span between two
  // token boundaries of these texts is asked (clauses begin and end at tokens).
  std::vector<std::string> texts = kTexts;
  texts.insert(texts.end(),
               {"Ужасный сервис, никто не отвечает", "Он сказал - нет, а потом но-нет, и опять", "сбeр списал деньги, cбер молчит",
                "ХАМСТВО!!! Ждал 2,5 часа, а ещё 1.5 часа в очереди", "Sooo baaad, waited 3 hrs and nobody came",
                "#ужас @bank www.bank.ru плохо, очень плохо", "don't buy it, it's awful and they're rude",
                "«Отличный» сервис, \"лучший\" банк, ну-ну", "Привет!\n\nДеньги не пришли.\nПочему?", "a-b-c d -e f- g",
                "<3 люблю, </3 ненавижу, <35 штук", "charisma-free film, hassle-free service", "ШОК ШОК шок ШоК",
                "Ёлки, всё плохо, ещё и ёж", "mixed латиница and кириллица, Mixed ЛАТИНИЦА", "10-15 минут, 3-й раз, и-и-и"});
  const std::vector<std::string> pieces{"плохо", "Хорошо", "ЖДАЛ", "bad", "Good", "NOT", " ", " ", ", ", ". ", "!", "?",
                                        "\n", "-", " - ", "\"", "'", "#тег", "@user", "5", "2,5", "www.x.ru", "сбeр",
                                        "и", "and", "but", "но", "а", "ооочень", "sooo", "don't", "<3", "ё", "é",
                                        "\t", "\r\n", "%", "/", "&", "'s", "...", "Ж", "ЖЖЖ", "aaa", "#", "@", "<",
                                        "1.", "1)", "ну-ну", "-", "'", "ok", "OK", "_", "~", "*", ":", "(", "—",
                                        // faces drawn with eyes, whole and in parts (the tokeniser reads them by context)
                                        "^_^", "^^", "^.^", ">_<", ">.<", "-_-", "*_*", "Т_Т", "т_т", "T_T", "^", ">",
                                        ":D", "т",
                                        // links and mentions hold ":" and "_"; « », Ё and ё are read from the text's tokens too
                                        "http://t.co/a_b", "https://x.ru/п_р:8", "http://", "www.a.ru/x:y", "@user_name",
                                        "@_", "10:30", "«", "»", "«да»", "Ёж", "ЁЛКИ", "всё", ": ", "; ", ";", "a: b",
                                        " :c ", ":с", ":-) ", ";)", ": c", ":\t", "a_b"};
  test::GeneratedTexts generated(pieces, 7, 16);
  for (int i = 0; i < 5000; ++i) texts.push_back(generated.next());
  int answered = 0;
  for (const auto& text : texts) {
    const auto whole = tokens_of(text);
    std::vector<std::size_t> bounds{0, text.size()};
    for (const auto& t : whole.tokens) {
      bounds.push_back(t.begin);
      bounds.push_back(t.end);
    }
    for (const std::size_t b : bounds)
      for (const std::size_t e : bounds) {
        if (b >= e) continue;
        sentiment::TokenBuffer got;
        if (!tokens_of_clause(text, whole, b, e, got)) continue;
        ++answered;
        const std::string clause = text.substr(b, e - b);
        INFO(text << " | clause: " << clause);
        REQUIRE(describe(got) == describe(tokens_of(clause)));
      }
  }
  CHECK(answered > 1000);
}
