// Claims: the negative points of a complaint, each with its span, score and topics, with the real
// scorer and a small hand-written topic function.
#include "daemon/understanding/claims.hpp"

#include "daemon/sentiment/lexicon_scorer.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik;
using namespace otklik::understanding;

namespace {

const Scorer& scorer() {
  static const auto s = make_builtin_scorer();
  return *s;
}

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
  const Sentiment whole = scorer().score(text);
  REQUIRE(whole.label == Label::negative);
  return extract_claims(text, whole, scorer(), tiny_topics);
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
      {"Здравствуйте! Отличное кафе, но официант нахамил. Спасибо.", {"но официант нахамил"}},
      {"The staff were lovely. But I waited an hour on hold and nobody called back. Awful.",
       {"But I waited an hour on hold and nobody called back", "Awful"}},
      {"1) нахамили на кассе\n2) ждал 40 минут\n3) спасибо охраннику, он помог",
       {"нахамили на кассе", "ждал 40 минут"}},
      {"They charged me twice, the refund never came, terrible service!",
       {"They charged me twice", "the refund never came", "terrible service"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(texts(claims_of(c.text)) == c.claims);
  }
}

TEST_CASE("a title line shifts the spans but they still point at the claim", "[understanding][claims]") {
  const std::string text = "Отвратительно\nКассир грубил и кричал на покупателей, очередь не двигалась полчаса";
  const auto claims = claims_of(text);
  REQUIRE_FALSE(claims.empty());
  for (const auto& c : claims) CHECK(text.substr(c.begin, c.end - c.begin) == c.text);
  CHECK(claims.back().topics == std::vector<std::string>{"waiting"});
}

TEST_CASE("without a qualifying clause the worst sentence is the one claim", "[understanding][claims]") {
  Sentiment whole;
  whole.label = Label::negative;
  whole.score = -0.4;
  whole.lang = Lang::ru;
  const std::string text = "Ну такое. Вот так вот.";
  const std::size_t second = text.find("Вот");
  whole.sentences = {{0, second - 1, -0.1, Label::neutral}, {second, text.size(), -0.5, Label::negative}};
  const auto claims = extract_claims(text, whole, scorer(), nullptr);
  REQUIRE(claims.size() == 1);
  CHECK(claims[0].text == "Вот так вот.");
  CHECK(claims[0].score == -0.5);
}

TEST_CASE("a mention that is not negative has no claims", "[understanding][claims]") {
  const std::string text = "Всё отлично, спасибо!";
  const Sentiment whole = scorer().score(text);
  CHECK(extract_claims(text, whole, scorer(), tiny_topics).empty());
}

TEST_CASE("at most max_claims, the most negative ones, in text order", "[understanding][claims]") {
  std::string text;
  for (int i = 0; i < 30; ++i) text += i % 3 == 0 ? "ужасно нахамили; " : "ждал в очереди; ";
  const Sentiment whole = scorer().score(text);
  REQUIRE(whole.label == Label::negative);
  ClaimOptions o;
  o.max_claims = 5;
  const auto claims = extract_claims(text, whole, scorer(), tiny_topics, o);
  REQUIRE(claims.size() == 5);
  for (std::size_t i = 1; i < claims.size(); ++i) CHECK(claims[i - 1].begin < claims[i].begin);
  for (const auto& c : claims) CHECK(c.text == "ужасно нахамили");
}

TEST_CASE("long claims are cut on a word boundary", "[understanding][claims]") {
  CHECK(cut_at_word("короткий текст", 300) == "короткий текст");
  CHECK(cut_at_word("ждал час в очереди и никто не подошёл", 20) == "ждал час в очереди…");
  CHECK(cut_at_word("оченьдлинноесловобезпробелов", 10) == "оченьдлин…");
  CHECK(cut_at_word("", 5) == "");
  std::string text(5000, 'a');
  text = "Terrible. " + text;
  const Sentiment whole = scorer().score(text);
  ClaimOptions o;
  o.max_chars = 50;
  for (const auto& c : extract_claims(text, whole, scorer(), nullptr, o)) CHECK(c.text.size() <= 52);
}

TEST_CASE("hostile input: invalid UTF-8, NULs and a 1 MB text", "[understanding][claims]") {
  const char raw[] = "Ужасно\xff\xfe обслуживают, нахамили\0 на кассе";
  std::string junk(raw, sizeof raw);
  const Sentiment whole = scorer().score(junk);
  for (const auto& c : extract_claims(junk, whole, scorer(), tiny_topics)) {
    CHECK(c.end <= junk.size());
    CHECK(c.text.find('\xff') == std::string::npos);
  }
  std::string big;
  while (big.size() < 1'000'000) big += "Курьер опоздал, нахамил и бросил коробку. ";
  const Sentiment big_whole = scorer().score(big);
  const auto claims = extract_claims(big, big_whole, scorer(), tiny_topics);
  CHECK(claims.size() == 10);
}
