// The words of the PostgreSQL store's full-text search (daemon/store/pg/search_words.hpp): cut
// and folded in C++ the same way for the index and for a search, whatever the database's ctype;
// a search can only ever be a conjunction of quoted prefixes.
#include "daemon/store/pg/search_words.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using otklik::store::pg::indexed_words;
using otklik::store::pg::kMaxIndexedBytes;
using otklik::store::pg::kMaxSearchWords;
using otklik::store::pg::kMaxWordBytes;
using otklik::store::pg::prefix_query;
using otklik::store::pg::search_words;
using V = std::vector<std::string>;

TEST_CASE("search words: letters and digits, folded, and anything else separates", "[store][pg][search]") {
  struct Case {
    std::string text;
    V words;
  };
  const Case cases[] = {
      {"", {}},
      {"  ,.;!  ", {}},
      {"Очередь у КАССЫ", {"очередь", "у", "кассы"}},
      {"Ёлка и ЙОГУРТ", {"ёлка", "и", "йогурт"}},            // Cyrillic keeps ё and й (as SQLite's unicode61)
      {"Café NAÏVE İstanbul", {"cafe", "naive", "istanbul"}},  // Latin loses its diacritics
      {"cafe\xcc\x81 x", {"cafe", "x"}},                       // a combining acute accent is dropped
      {"Straße ΑΒΓ ǅemal", {"straße", "αβγ", "ǆemal"}},       // simple lowercase, no other folding
      {"x² 2024 1=1", {"x²", "2024", "1"}},
      {"NEAR-by courier's", {"near", "by", "courier", "s"}},
      {"'; DROP TABLE mentions; --", {"drop", "table", "mentions"}},
      {"a:* & b | !c <-> (d)", {"a", "b", "c", "d"}},
      {"\x01\xff\xfe касс\xd0", {"касс"}},                      // invalid UTF-8 separates
      {"касс касс КАСС", {"касс"}},                             // each word once
      {"emoji🙂word", {"emoji", "word"}},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(search_words(c.text) == c.words);
  }
}

TEST_CASE("search words: at most kMaxSearchWords, long words cut at a character", "[store][pg][search]") {
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  const V words = search_words(many);
  REQUIRE(words.size() == kMaxSearchWords);
  CHECK(words.front() == "w0");
  CHECK(words.back() == "w15");
  CHECK(search_words(many, 2) == V{"w0", "w1"});

  std::string long_word;
  for (int i = 0; i < 300; ++i) long_word += "ж";  // two bytes each
  const V cut = search_words(long_word + " x");
  REQUIRE(cut.size() == 2);
  CHECK(cut[0].size() == kMaxWordBytes);
  CHECK(cut[0] == long_word.substr(0, kMaxWordBytes));
  CHECK(cut[1] == "x");
  // Indexed the same way: a search for the long word is a prefix of what is stored.
  CHECK(indexed_words("", long_word) == cut[0]);
}

TEST_CASE("indexed words: title and text, distinct, space-separated, bounded", "[store][pg][search]") {
  CHECK(indexed_words("", "") == "");
  CHECK(indexed_words("Касса", "Стояли у кассы, касса закрыта") == "касса стояли у кассы закрыта");
  CHECK(indexed_words("Café", "") == "cafe");
  std::string huge;
  for (int i = 0; i < 100000; ++i) huge += "word" + std::to_string(i) + " ";
  const std::string stored = indexed_words("title", huge);
  CHECK(stored.size() <= kMaxIndexedBytes);
  CHECK(stored.size() > kMaxIndexedBytes - 16);
  CHECK(stored.rfind("title word0 word1 ", 0) == 0);
}

TEST_CASE("prefix queries: quoted words, each a prefix, all required", "[store][pg][search]") {
  CHECK(prefix_query({}) == "");
  CHECK(prefix_query({"очеред"}) == "'очеред':*");
  CHECK(prefix_query({"очеред", "касс"}) == "'очеред':* & 'касс':*");
  // Words never hold quotes or backslashes; were one given, it stays inside its quotes.
  CHECK(prefix_query({"it's", "a\\b"}) == "'it''s':* & 'a\\\\b':*");
  CHECK(prefix_query(search_words("x' | 'y")) == "'x':* & 'y':*");
}
