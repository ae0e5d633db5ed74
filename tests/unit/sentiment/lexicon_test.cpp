#include "daemon/sentiment/builtin_lexicons.hpp"
#include "daemon/sentiment/lexicon.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/support/catch_result.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

using namespace otklik::sentiment;

TEST_CASE("lexicon TSV lines parse with weights, tags and notes", "[sentiment]") {
  std::vector<LexiconIssue> issues;
  const auto lines = parse_lexicon_tsv(
      "# header\n\nХорошо\t1.9\n\"не очень\"\t-1\tnegmod,exact\tnote with\ttab\nплохо\t+x\nужас\t-5\tbogus\n",
      &issues);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].term == "хорошо");
  CHECK(lines[0].weight == Approx(1.9));
  CHECK(lines[0].line == 3);
  CHECK((lines[1].tags & kTagNegMod) != 0);
  CHECK((lines[1].tags & kTagExact) != 0);
  CHECK(lines[2].weight == -4);  // clamped, and reported
  REQUIRE(issues.size() == 3);
  CHECK(issues[0].line == 5);     // "+x" is not a number
  CHECK(issues[1].line == 6);     // out of range
  CHECK_FALSE(issues[1].warning);
  CHECK(issues[2].warning);       // unknown tag
}

TEST_CASE("lexicon check finds duplicates, ranges, malformed lines and colliding stems", "[sentiment]") {
  const auto check = otklik::check_lexicon_text(
      "хороший\t2\n"
      "плохой\t-2\n"
      "хороший\t1\n"       // duplicate of line 1
      "хорошая\t-1\n"      // same stem as line 1, other sign
      "хорошо\t1\n"        // same stem, same sign: fine
      "класс\t2\texact\n"  // exact: never stem-matched, no collision
      "классы\t-1\n"
      "ужасно\t9\n"        // out of range
      "просто слово\n");   // no weight
  CHECK_FALSE(check.ok());
  CHECK(check.entries == 8);
  std::vector<int> lines;
  for (const auto& f : check.findings) lines.push_back(f.line);
  CHECK(lines == std::vector<int>{3, 4, 8, 9});
  CHECK(otklik::check_lexicon_text("хороший\t2\nплохой\t-2\n").ok());
}

TEST_CASE("lexicon check reads files and fails on missing ones", "[sentiment]") {
  CHECK_FALSE(otklik::check_lexicon_file("/nonexistent/otklik/lexicon.tsv"));
  const auto path = std::filesystem::temp_directory_path() /
                    ("otklik-lexcheck-" + std::to_string(::getpid()) + ".tsv");
  std::ofstream(path) << "отлично\t3\tru\n";
  const auto r = otklik::check_lexicon_file(path);
  REQUIRE(r);
  CHECK(r->ok());
  CHECK(r->entries == 1);
  std::filesystem::remove(path);
}

TEST_CASE("the built-in lexicons are valid and load fast", "[sentiment]") {
  REQUIRE_FALSE(builtin_lexicons().empty());
  for (const auto& b : builtin_lexicons()) {
    const auto check = otklik::check_lexicon_text(b.text);
    INFO(b.name);
    for (const auto& f : check.findings) {
      INFO(f.line << ": " << f.message);
      CHECK(f.warning);
    }
    CHECK(check.entries > 10);
  }
  const auto t0 = std::chrono::steady_clock::now();
  const auto scorer = otklik::make_builtin_scorer();
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  INFO("load took " << ms << " ms");
  CHECK(ms < 500);  // the target is < 50 ms in a release build; generous for sanitizer/debug builds
}

TEST_CASE("lexicon lookups: exact forms, stems and phrases", "[sentiment]") {
  StemmerSet stemmers;
  Lexicon lex;
  lex.add(parse_lexicon_tsv("хороший\t2\nкласс\t2\texact\nбез проблем\t1.5\nне\t0\tnegator,exact\n", nullptr),
          "test", stemmers);
  CHECK(lex.find_exact("класс") != nullptr);
  CHECK(lex.find_stem(stemmers.key("хорошая", Script::cyrillic)) != nullptr);
  CHECK(lex.find_stem(stemmers.key("классы", Script::cyrillic)) == nullptr);
  const auto phrases = lex.phrases(stemmers.key("без", Script::cyrillic));
  REQUIRE(phrases.size() == 1);
  CHECK(lex.entry(phrases[0]).keys.size() == 2);
}

TEST_CASE("the stemmer exceptions join forms Snowball splits", "[sentiment]") {
  StemmerSet s;
  CHECK(s.key("недоволен", Script::cyrillic) == s.key("недовольна", Script::cyrillic));
  CHECK(s.key("доволен", Script::cyrillic) == s.key("довольный", Script::cyrillic));
  CHECK(s.key("довольно", Script::cyrillic) != s.key("довольный", Script::cyrillic));
  CHECK(s.key("refunds", Script::latin) == s.key("refund", Script::latin));
  CHECK(s.key("123", Script::none) == "123");
}

TEST_CASE("the lexicons prepared at build time equal the files prepared at run time", "[sentiment]") {
  // builtin_prepared() is written by sentiment_lexgen; loading the TSV text must give the same.
  const auto files = builtin_lexicons();
  const auto prepared = builtin_prepared();
  const auto keys = builtin_prepared_keys();
  REQUIRE(files.size() == prepared.size());
  StemmerSet stemmers;
  for (std::size_t f = 0; f < files.size(); ++f) {
    INFO(files[f].name);
    CHECK(files[f].name == prepared[f].name);
    const auto lines = prepare_lexicon(parse_lexicon_tsv(files[f].text, nullptr), stemmers);
    REQUIRE(lines.size() == prepared[f].terms.size());
    std::size_t mismatches = 0;  // one assertion per file: thousands of terms
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const PreparedLine& l = lines[i];
      const StaticTerm& t = prepared[f].terms[i];
      bool same = l.line.term == t.term && l.line.weight == t.weight && l.line.tags == t.tags &&
                  static_cast<std::uint32_t>(l.line.line) == t.line && l.single_norm == t.single_norm &&
                  l.single_script == t.single_script && l.keys.size() == t.key_count;
      for (std::size_t k = 0; same && k < l.keys.size(); ++k) same = l.keys[k] == keys[t.first_key + k];
      if (!same) ++mismatches;
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("static and run-time entries index the same way", "[sentiment]") {
  StemmerSet stemmers;
  const std::string tsv = "хороший\t2\nкласс\t2\texact\nбез проблем\t1.5\nне\t0\tnegator,exact\nbad\t-2\n";
  const auto lines = prepare_lexicon(parse_lexicon_tsv(tsv, nullptr), stemmers);
  REQUIRE(lines.size() == 5);
  // The same lines as static terms (the form sentiment_lexgen writes).
  std::vector<std::string_view> keys;
  std::vector<StaticTerm> terms;
  for (const PreparedLine& l : lines) {
    terms.push_back({l.line.term, l.line.weight, l.line.tags, static_cast<std::uint32_t>(l.line.line),
                     static_cast<std::uint32_t>(keys.size()), static_cast<std::uint32_t>(l.keys.size()),
                     l.single_norm, l.single_script});
    for (const std::string& k : l.keys) keys.push_back(k);
  }
  Lexicon a;
  a.add(lines, "a.tsv");
  Lexicon b;
  b.add_static(terms, keys, "b.tsv");
  for (const std::string_view w : {"класс", "bad", "не", "хорош"}) {
    INFO(w);
    const LexEntry* ea = a.find_exact(w) != nullptr ? a.find_exact(w) : a.find_stem(w);
    const LexEntry* eb = b.find_exact(w) != nullptr ? b.find_exact(w) : b.find_stem(w);
    REQUIRE((ea == nullptr) == (eb == nullptr));
    if (ea != nullptr) CHECK(ea->weight == eb->weight);
  }
  CHECK(a.find_stem("хорош") != nullptr);
  CHECK(a.phrases(stemmers.key("без", Script::cyrillic)).size() == 1);
  CHECK(b.phrases(stemmers.key("без", Script::cyrillic)).size() == 1);
  CHECK(b.origin(b.entry(0)) == "b.tsv:1");
  // A later file overrides a term: the entry is replaced, not added.
  a.add(parse_lexicon_tsv("bad\t-3\n", nullptr), "c.tsv", stemmers);
  CHECK(a.size() == 5);
  CHECK(a.find_stem("bad")->weight == -3);
  CHECK(a.origin(*a.find_stem("bad")) == "c.tsv:1");
}

TEST_CASE("the built-in image equals the built-in files loaded term by term", "[sentiment]") {
  // builtin_image() is the lexicon sentiment_lexgen loaded at build time; loading the prepared
  // files at run time must give the same entries and the same answers to every lookup.
  Lexicon loaded;
  for (const auto& b : builtin_prepared()) loaded.add_static(b.terms, builtin_prepared_keys(), b.name);
  const Lexicon image = Lexicon::from_image(builtin_image());
  REQUIRE(image.size() == loaded.size());
  std::size_t mismatches = 0;
  const auto index_of = [](const Lexicon& lex, const LexEntry* e) {
    return e == nullptr ? -1 : static_cast<long>(e - &lex.entry(0));
  };
  for (std::uint32_t i = 0; i < loaded.size(); ++i) {
    const LexEntry& a = loaded.entry(i);
    const LexEntry& b = image.entry(i);
    bool same = a.term == b.term && a.weight == b.weight && a.tags == b.tags && a.file == b.file &&
                a.line == b.line && a.keys.size() == b.keys.size() && loaded.origin(a) == image.origin(b);
    for (std::size_t k = 0; same && k < a.keys.size(); ++k) same = a.keys[k] == b.keys[k];
    for (const std::string_view probe : {a.term, a.keys[0]}) {
      same = same && index_of(loaded, loaded.find_exact(probe)) == index_of(image, image.find_exact(probe)) &&
             index_of(loaded, loaded.find_stem(probe)) == index_of(image, image.find_stem(probe));
      const auto pa = loaded.phrases(probe);
      const auto pb = image.phrases(probe);
      same = same && std::equal(pa.begin(), pa.end(), pb.begin(), pb.end());
    }
    if (!same) ++mismatches;
  }
  CHECK(mismatches == 0);
  // A lexicon read from the image still takes overrides and new terms.
  Lexicon more = Lexicon::from_image(builtin_image());
  StemmerSet stemmers;
  const std::string term(image.entry(0).term);  // a built-in term, overridden
  more.add(parse_lexicon_tsv(term + "\t-3.5\nсовсем новое слово\t1\n", nullptr), "mine.tsv", stemmers);
  CHECK(more.size() == image.size() + 1);
  CHECK(more.entry(0).term == term);
  CHECK(more.entry(0).weight == -3.5F);
  CHECK(more.origin(more.entry(0)) == "mine.tsv:1");
  CHECK(more.phrases(stemmers.key("совсем", Script::cyrillic)).size() >= 1);
}

namespace {

/// Entries whose second_key() is not what their keys and tags say.
std::size_t second_key_mismatches(const Lexicon& lex) {
  std::size_t bad = 0;
  for (std::uint32_t i = 0; i < lex.size(); ++i) {
    const LexEntry& e = lex.entry(i);
    std::uint64_t want = 0;
    if (e.keys.size() >= 2)
      want = Lexicon::kSecondKey | ((e.tags & kTagExact) != 0 ? Lexicon::kSecondExact : 0) |
             Lexicon::fingerprint(e.keys[1]);
    if (lex.second_key(i) != want) ++bad;
  }
  return bad;
}

}  // namespace

TEST_CASE("the second-key fingerprints phrase matching reads follow every entry", "[sentiment][phrases]") {
  // The engine turns a phrase away on its second key's fingerprint without reading the entry, so
  // the fingerprint must follow the entry however the lexicon was filled: from the image, term by
  // term, and after an override that turns a phrase into a word and a word into a phrase.
  const Lexicon image = Lexicon::from_image(builtin_image());
  CHECK(second_key_mismatches(image) == 0);
  Lexicon loaded;
  for (const auto& b : builtin_prepared()) loaded.add_static(b.terms, builtin_prepared_keys(), b.name);
  CHECK(second_key_mismatches(loaded) == 0);
  std::size_t phrases = 0;
  for (std::uint32_t i = 0; i < image.size(); ++i) phrases += image.entry(i).keys.size() >= 2 ? 1 : 0;
  CHECK(phrases > 100);  // the built-in lexicons hold phrases: the check above looked at some

  StemmerSet stemmers;
  Lexicon lex;
  lex.add(parse_lexicon_tsv("без проблем\t1.5\nкласс\t2\texact\nне работает\t-2\texact\n", nullptr), "a.tsv", stemmers);
  CHECK(second_key_mismatches(lex) == 0);
  const auto before = lex.second_key(2);
  CHECK((before & Lexicon::kSecondExact) != 0);
  lex.add(parse_lexicon_tsv("не работает\t-2.5\n", nullptr), "b.tsv", stemmers);  // no longer exact
  CHECK(second_key_mismatches(lex) == 0);
  CHECK(lex.second_key(2) != before);
  CHECK(lex.second_key(1) == 0);  // a word has no second key
}
