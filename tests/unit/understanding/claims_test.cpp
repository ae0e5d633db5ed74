// Claims: the negative points of a complaint, each with its span, score and topics, with the real
// scorer and a small hand-written topic function.
#include "daemon/understanding/claims.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/unit/sentiment/generated_texts.hpp"
#include "tests/unit/sentiment/label_table.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik;
using namespace otklik::understanding;
using otklik::test::builtin_scorer;

namespace {

/// A few cues by hand: enough to see topics reach the claims.
std::vector<std::string> tiny_topics(std::string_view clause) {
  std::vector<std::string> out;
  auto has = [&](std::string_view w) { return clause.find(w) != std::string_view::npos; };
  if (has("хам") || has("груб") || has("rude")) out.push_back("rudeness");
  if (has("очеред") || has("ждал") || has("wait") || has("hold")) out.push_back("waiting");
  if (has("страховк") || has("навязал")) out.push_back("imposed");
  if (has("списали") || has("refund") || has("charged")) out.push_back("money");
  return out;
}

std::vector<std::string> texts(const std::vector<Claim>& claims) {
  std::vector<std::string> out;
  for (const auto& c : claims) out.push_back(c.text);
  return out;
}

std::vector<Claim> claims_of(const std::string& text) {
  const Sentiment whole = builtin_scorer().score(text);
  REQUIRE(whole.label == Label::negative);
  return extract_claims(text, whole, builtin_scorer(), tiny_topics);
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); decode_utf8(s, i)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a complaint splits into its points, each with topics", "[understanding][claims]") {
  const std::string text = "Нахамил менеджер в отделении, ждал час в очереди, навязали страховку. Ужасный банк!";
  const auto claims = claims_of(text);
  REQUIRE(claims.size() == 4);
  CHECK(texts(claims) == std::vector<std::string>{"Нахамил менеджер в отделении", "ждал час в очереди",
                                                  "навязали страховку", "Ужасный банк"});
  CHECK(claims[0].topics == std::vector<std::string>{"rudeness"});
  CHECK(claims[1].topics == std::vector<std::string>{"waiting"});
  CHECK(claims[2].topics == std::vector<std::string>{"imposed"});
  CHECK(claims[3].topics.empty());
  for (const auto& c : claims) {
    CHECK(text.substr(c.begin, c.end - c.begin) == c.text);  // spans point at the right bytes
    CHECK(c.score < 0.05);
  }
}

TEST_CASE("greetings, thanks and praise around a complaint are not claims", "[understanding][claims]") {
  struct Case {
    std::string text;
    std::vector<std::string> claims;
  };
  const std::vector<Case> cases = {
      {"Здравствуйте! Отличное кафе, но официант нахамил. Спасибо.", {"официант нахамил"}},
      {"Здравствуйте, вчера в отделении нахамил менеджер. Спасибо заранее.", {"вчера в отделении нахамил менеджер"}},
      {"Добрый день! Ждал 40 минут, никто не подошёл. С уважением, Анна",
       {"Ждал 40 минут", "никто не подошёл"}},
      {"The staff were lovely. But I waited an hour on hold and nobody called back. Awful.",
       // "nobody called back" is a complaint of its own (a negated `need`), split like "nobody came" below.
       {"I waited an hour on hold", "nobody called back", "Awful"}},
      {"Hi, I waited 40 minutes and nobody came. Thanks in advance.", {"I waited 40 minutes", "nobody came"}},
      {"They charged me twice, the refund never came, terrible service!",
       {"They charged me twice", "the refund never came", "terrible service"}},
      // Scene-setting without sentiment or topic is left out, not merged into the claim.
      {"Пришёл в отделение в понедельник. Ждал час. Менеджер нахамил.", {"Ждал час", "Менеджер нахамил"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(texts(claims_of(c.text)) == c.claims);
  }
}

TEST_CASE("connectives that open a clause are not part of the claim", "[understanding][claims]") {
  struct Case {
    std::string text;
    std::vector<std::string> claims;
  };
  const std::vector<Case> cases = {
      {"Курьер опоздал на два часа, да ещё и нагрубил", {"Курьер опоздал на два часа", "нагрубил"}},
      {"Деньги списали дважды, а вернуть отказываются", {"Деньги списали дважды", "вернуть отказываются"}},
      {"The courier was two hours late, and the box was crushed.",
       {"The courier was two hours late", "the box was crushed"}},
      // «Так» is kept when it is not «так ещё»; a lone connective is kept rather than emptied.
      {"Так долго ждал, что ушёл", {"Так долго ждал, что ушёл"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto claims = claims_of(c.text);
    CHECK(texts(claims) == c.claims);
    for (const auto& cl : claims) CHECK(c.text.substr(cl.begin, cl.end - cl.begin) == cl.text);
  }
}

TEST_CASE("two clauses joined by a bare and / и are two claims", "[understanding][claims]") {
  struct Case {
    std::string text;
    std::vector<std::string> claims;
  };
  const std::vector<Case> cases = {
      {"My refund never arrived and support keeps sending the same canned reply",
       {"My refund never arrived", "support keeps sending the same canned reply"}},
      {"The cashier was rude and the queue did not move for an hour",
       {"The cashier was rude", "the queue did not move for an hour"}},
      {"Заказ привезли помятым и курьер даже не извинился", {"Заказ привезли помятым", "курьер даже не извинился"}},
      {"Ждал час в очереди а кассир мне нахамил", {"Ждал час в очереди", "кассир мне нахамил"}},
      // A neutral clause cut off at a bare "and" finishes the claim before it.
      {"The card was blocked and my salary came in on Friday", {"The card was blocked and my salary came in on Friday"}},
      {"Кассир нахамил а менеджер сделал вид", {"Кассир нахамил а менеджер сделал вид"}},
      // One subject with two verbs stays one claim.
      {"They charged me twice and refused a refund", {"They charged me twice and refused a refund"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto claims = claims_of(c.text);
    CHECK(texts(claims) == c.claims);
    for (const auto& cl : claims) CHECK(c.text.substr(cl.begin, cl.end - cl.begin) == cl.text);
  }
  const auto refund = claims_of(cases[0].text);
  REQUIRE(refund.size() == 2);
  CHECK(refund[0].topics == std::vector<std::string>{"money"});
}

TEST_CASE("lists: every item that is not praise is a claim", "[understanding][claims]") {
  struct Case {
    std::string text;
    std::vector<std::string> claims;
  };
  const std::vector<Case> cases = {
      {"1) нахамили на кассе\n2) ждал 40 минут\n3) спасибо охраннику, он помог",
       {"нахамили на кассе", "ждал 40 минут"}},
      // «коробка мятая» scores neutral with the built-in lexicon; as a list item it still counts.
      {"- курьер опоздал\n- коробка мятая\n- поддержка не отвечает",
       {"курьер опоздал", "коробка мятая", "поддержка не отвечает"}},
      {"Претензии:\n• деньги списали дважды\n• ответа нет неделю", {"деньги списали дважды", "ответа нет неделю"}},
      {"Problems:\n1. The app crashes at login.\n2. Support never answers.",
       {"The app crashes at login", "Support never answers"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(texts(claims_of(c.text)) == c.claims);
  }
}

TEST_CASE("one-sentence complaints and mixed Russian and English", "[understanding][claims]") {
  struct Case {
    std::string text;
    std::vector<std::string> claims;
  };
  const std::vector<Case> cases = {
      {"Ужасное обслуживание", {"Ужасное обслуживание"}},
      {"Не рекомендую этот банк", {"Не рекомендую этот банк"}},
      {"Worst bank ever", {"Worst bank ever"}},
      {"Ужасный сервис, never again, the manager was rude",
       {"Ужасный сервис", "never again", "the manager was rude"}},
      {"Доставка опоздала на два часа. The courier was rude and the pizza was cold.",
       {"Доставка опоздала на два часа", "The courier was rude", "the pizza was cold"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(texts(claims_of(c.text)) == c.claims);
  }
}

TEST_CASE("a title line shifts the spans but they still point at the claim", "[understanding][claims]") {
  const std::string title = "Отвратительно";
  const std::string text = title + "\nКассир грубил и кричал на покупателей, очередь не двигалась полчаса";
  const auto claims = claims_of(text);
  CHECK(texts(claims) == std::vector<std::string>{"Отвратительно", "Кассир грубил и кричал на покупателей",
                                                  "очередь не двигалась полчаса"});
  for (const auto& c : claims) {
    CHECK(c.begin >= (c.text == title ? 0 : title.size() + 1));
    CHECK(text.substr(c.begin, c.end - c.begin) == c.text);
  }
  REQUIRE(claims.size() == 3);
  CHECK(claims[1].topics == std::vector<std::string>{"rudeness"});
  CHECK(claims[2].topics == std::vector<std::string>{"waiting"});
}

TEST_CASE("without a qualifying clause the worst sentence is the one claim", "[understanding][claims]") {
  Sentiment whole;
  whole.label = Label::negative;
  whole.score = -0.4;
  whole.lang = Lang::ru;
  const std::string text = "Был там вчера. Вот так вот.";
  const std::size_t second = text.find("Вот");
  whole.sentences = {{0, second - 1, -0.1, Label::neutral}, {second, text.size(), -0.5, Label::negative}};
  const auto claims = extract_claims(text, whole, builtin_scorer(), nullptr);
  REQUIRE(claims.size() == 1);
  CHECK(claims[0].text == "Вот так вот");
  CHECK(text.substr(claims[0].begin, claims[0].end - claims[0].begin) == claims[0].text);
  CHECK(claims[0].score == -0.5);

  // A sentence with no words (a run of emoji) is the claim as it is, trimmed of spaces.
  const std::string emoji = "  \xF0\x9F\x98\xA1\xF0\x9F\x98\xA1 ";
  whole.sentences = {{0, emoji.size(), -0.7, Label::negative}};
  const auto only = extract_claims(emoji, whole, builtin_scorer(), nullptr);
  REQUIRE(only.size() == 1);
  CHECK(only[0].text == "\xF0\x9F\x98\xA1\xF0\x9F\x98\xA1");
  CHECK(only[0].begin == 2);
}

TEST_CASE("a mention that is not negative has no claims", "[understanding][claims]") {
  const std::string text = "Всё отлично, спасибо!";
  const Sentiment whole = builtin_scorer().score(text);
  CHECK(extract_claims(text, whole, builtin_scorer(), tiny_topics).empty());
}

TEST_CASE("at most max_claims, the most negative ones, in text order", "[understanding][claims]") {
  std::string text;
  for (int i = 0; i < 30; ++i) text += i % 3 == 0 ? "ужасно нахамили; " : "ждал в очереди; ";
  const Sentiment whole = builtin_scorer().score(text);
  REQUIRE(whole.label == Label::negative);
  ClaimOptions o;
  o.max_claims = 5;
  const auto claims = extract_claims(text, whole, builtin_scorer(), tiny_topics, o);
  REQUIRE(claims.size() == 5);
  for (std::size_t i = 1; i < claims.size(); ++i) CHECK(claims[i - 1].begin < claims[i].begin);
  for (const auto& c : claims) CHECK(c.text == "ужасно нахамили");
}

TEST_CASE("long claims are cut on a word boundary", "[understanding][claims]") {
  struct Case {
    std::string text;
    std::size_t max_chars;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"короткий текст", 300, "короткий текст"},
      {"ждал час в очереди и никто не подошёл", 20, "ждал час в очереди…"},
      {"ждал час в очереди, и никто не подошёл", 21, "ждал час в очереди…"},
      {"оченьдлинноесловобезпробелов", 10, "оченьдлин…"},
      {"waited an hour on hold", 12, "waited an…"},
      {"", 5, ""},
      {"что угодно", 0, ""},
      {"плохо\xff\xfeплохо", 100, "плохо\xEF\xBF\xBD\xEF\xBF\xBDплохо"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, c.max_chars);
    CHECK(cut_at_word(c.text, c.max_chars) == c.expected);
  }

  std::string text = "Ужасно:";
  for (int i = 0; i < 100; ++i) text += " ждал и ждал";
  const Sentiment whole = builtin_scorer().score(text);
  REQUIRE(whole.label == Label::negative);
  ClaimOptions o;
  o.max_chars = 50;
  const auto claims = extract_claims(text, whole, builtin_scorer(), tiny_topics, o);
  REQUIRE(claims.size() == 1);
  CHECK(code_points(claims[0].text) <= 50);
  CHECK(claims[0].text.ends_with("ждал…"));
  CHECK(claims[0].end == text.size());  // the span is the whole clause
}

TEST_CASE("hostile input: empty, invalid UTF-8, NULs, 1 MB texts", "[understanding][claims]") {
  Sentiment negative;
  negative.label = Label::negative;
  negative.score = -0.5;
  CHECK(extract_claims("", negative, builtin_scorer(), tiny_topics).empty());
  CHECK(extract_claims("   \n ", negative, builtin_scorer(), tiny_topics).empty());

  const char raw[] = "Ужасно\xff\xfe обслуживают, нахамили\0 на кассе";
  std::string junk(raw, sizeof raw);
  const Sentiment whole = builtin_scorer().score(junk);
  const auto junk_claims = extract_claims(junk, whole, builtin_scorer(), tiny_topics);
  CHECK_FALSE(junk_claims.empty());
  for (const auto& c : junk_claims) {
    CHECK(c.end <= junk.size());
    CHECK(c.text.find('\xff') == std::string::npos);
  }

  // Many sentences: scored clause by clause, capped at max_claims.
  std::string big;
  while (big.size() < 1'000'000) big += "Курьер опоздал, нахамил и бросил коробку. ";
  const auto claims = extract_claims(big, builtin_scorer().score(big), builtin_scorer(), tiny_topics);
  CHECK(claims.size() == 10);
  for (std::size_t i = 1; i < claims.size(); ++i) CHECK(claims[i - 1].begin < claims[i].begin);

  // One clause of a million connectives: the lead is skipped in one pass.
  std::string lead;
  while (lead.size() < 1'000'000) lead += "и ";
  lead += "нахамили";
  const auto one = extract_claims(lead, negative, builtin_scorer(), tiny_topics);
  REQUIRE(one.size() == 1);
  CHECK(one[0].text == "нахамили");

  // One sentence of a hundred thousand bare "and"s between clauses that are no claims on their
  // own: they are joined back in bounded pieces, not scored again from the start each time.
  std::string ands = "Ужасно";
  while (ands.size() < 1'000'000) ands += " and they said it and we went";
  const auto joined = extract_claims(ands, negative, builtin_scorer(), tiny_topics);
  CHECK(joined.size() <= 10);
  for (const auto& c : joined) CHECK(c.end <= ands.size());

  // One sentence of single words between commas: nothing splits, one long claim, cut.
  std::string list = "Ужасно:";
  while (list.size() < 1'000'000) list += " грязь,";
  const auto cut = extract_claims(list, negative, builtin_scorer(), tiny_topics);
  REQUIRE(cut.size() == 1);
  CHECK(code_points(cut[0].text) <= 300);
}

TEST_CASE("a claim's text is sanitised as sanitize_utf8 does, with or without its fast path", "[understanding][claims]") {
  // cut_at_word copies plain ASCII and two-byte sequences without decoding; everything else goes
  // through sanitize_utf8. Texts on both sides of that line, whole and cut.
  const std::vector<std::string> texts = {
      "plain ASCII text",  "текст по-русски и English",  "tab\tand\x01 control\x7f",  std::string("nul\0inside", 10),
      "ends in a lead \xD0", "lead then ASCII \xD0" "A",     "overlong \xC0\x80 and \xC1\xBF", "lone \x80 continuation",
      "three bytes \xE2\x80\xA6 and four \xF0\x9F\x98\x80", "cut four \xF0\x9F\x98",   "surrogate \xED\xA0\x80",
      "\xDF\xBF max two-byte", "\xC2\x80 min two-byte", "\xFF\xFE",
  };
  for (const std::string& t : texts) {
    CAPTURE(t);
    CHECK(cut_at_word(t, 1000) == otklik::sanitize_utf8(t));
    const std::string cut = cut_at_word(t, 12);
    CHECK(cut == otklik::sanitize_utf8(cut));  // whatever the cut, its text is valid UTF-8
  }
}

TEST_CASE("a claim's text is sanitised as sanitize_utf8 does, at every offset of an eight-byte block", "[understanding][claims]") {
  // cut_at_word passes eight bytes at once while they decode to themselves: generated texts put
  // every kind of sequence, valid or not, at every offset of those blocks.
  const std::string pieces[] = {"a", " ", "\t", std::string(1, '\0'), "\x7f", "я", "Ж", "ё", "é", "\xC2\x80", "\xDF\xBF",
                                "\xC0\x80", "\xC1\xBF", "\xD0", "\x80", "\xBF", "…", "€", "😀", "\xE2\x82", "\xED\xA0\x80",
                                "\xF0\x9F", "\xFF", "word ", "слово "};
  test::GeneratedTexts texts(pieces, 23, 40);
  for (int round = 0; round < 20'000; ++round) {
    const std::string text = texts.next();
    CAPTURE(text);
    REQUIRE(cut_at_word(text, 1000) == otklik::sanitize_utf8(text));
  }
}
