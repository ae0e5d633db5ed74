#include "daemon/sentiment/lexicon_import.hpp"

#include "tests/support/catch_result.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace otklik;
namespace fs = std::filesystem;

namespace {

/// The entry lines of an import (the header comments dropped).
std::string body(const ImportResult& r) {
  std::string out;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with('#')) out += line + '\n';
  }
  return out;
}

std::string problem_lines(const ImportResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += std::to_string(p.line) + ": " + p.message + '\n';
  return out;
}

}  // namespace

TEST_CASE("lexicon formats parse by name", "[sentiment][lexicon]") {
  CHECK(parse_lexicon_format("vader") == LexiconFormat::vader);
  CHECK(parse_lexicon_format("afinn") == LexiconFormat::afinn);
  CHECK(parse_lexicon_format("tsv") == LexiconFormat::tsv);
  CHECK(parse_lexicon_format("csv") == LexiconFormat::csv);
  CHECK_FALSE(parse_lexicon_format("VADER"));
  CHECK(to_string(LexiconFormat::csv) == "csv");
}

TEST_CASE("vader: mean kept, sd in the note, bad rows reported", "[sentiment][lexicon]") {
  const ImportResult r = import_lexicon(
      "dreadful\t-2.9\t0.7\t[-3, -3, -2, -4, -3, -3, -2, -3, -3, -3]\n"
      ":-(\t-1.5\t0.67082\t[-2, -1, -2]\r\n"
      "great\t+3.1\t0.7\t[3, 3]\n"
      "meh\tabc\t0.1\t[]\n"
      "toomuch\t4.5\t0\t[]\n"
      "onlyterm\n"
      "dreadful\t-1\t0.1\t[]\n"
      "Dreadful\t-1\t0.1\t[]\n",
      LexiconFormat::vader, "vader_lexicon.txt");
  CHECK(body(r) ==
        "dreadful\t-2.9\tvader,exact\tvader sd 0.7\n"
        ":-(\t-1.5\tvader,exact\tvader sd 0.67082\n"
        "great\t3.1\tvader,exact\tvader sd 0.7\n");
  CHECK(r.entries == 3);
  CHECK(problem_lines(r) ==
        "4: weight 'abc' is not a number\n"
        "5: mean 4.5 outside [-4, 4]\n"
        "6: expected at least 2 columns (term and weight)\n"
        "7: duplicate term 'dreadful', first entry (line 1) kept\n"
        "8: duplicate term 'Dreadful' (same as 'dreadful'), first entry (line 1) kept\n");
  CHECK(r.output.starts_with("# Imported by `otklik lexicon import --format vader` from vader_lexicon.txt: 3 entries.\n"));
}

TEST_CASE("afinn: integer scores scaled by 4/5, multiword terms kept", "[sentiment][lexicon]") {
  const ImportResult r = import_lexicon("abandon\t-2\nbreathtaking\t5\ndoes not work\t-3\nok\t0\nhuge\t6\n",
                                        LexiconFormat::afinn, "AFINN-en-165.txt");
  CHECK(body(r) ==
        "abandon\t-1.6\texact\tafinn -2\n"
        "breathtaking\t4\texact\tafinn 5\n"
        "does not work\t-2.4\texact\tafinn -3\n"
        "ok\t0\texact\tafinn 0\n");
  CHECK(problem_lines(r) == "5: score 6 outside [-5, 5]\n");
}

TEST_CASE("tsv: optional tags and note, header and comments skipped", "[sentiment][lexicon]") {
  const ImportResult r = import_lexicon(
      "term\tweight\ttags\tnote\n"
      "# our own words\n"
      "хамство\t-3\tservice, ru\trude staff\n"
      "  впарили  \t-2.5\n"
      "без проблем\t1.25\t,,\t\n"
      "#hashtag-like terms are comments here\n"
      "too\t-1\ta\tb\tc\n"
      "\t-1\n"
      "далеко\t-4.01\n"
      "ХАМСТВО\t-2\n"
      "всё плохо\t-2\n"
      "все плохо\t-1\n",
      LexiconFormat::tsv, "mine.tsv");
  CHECK(body(r) ==
        "хамство\t-3\tservice,ru\trude staff\n"
        "впарили\t-2.5\t\t\n"
        "без проблем\t1.25\t\t\n"
        "всё плохо\t-2\t\t\n");
  CHECK(problem_lines(r) ==
        "7: more than 4 columns (term, weight, tags, note)\n"
        "8: empty term\n"
        "9: weight -4.01 outside [-4, 4]\n"
        "10: duplicate term 'ХАМСТВО' (same as 'хамство'), first entry (line 3) kept\n"
        "12: duplicate term 'все плохо' (same as 'всё плохо'), first entry (line 11) kept\n");
}

TEST_CASE("csv: RFC 4180 quoting, multi-line fields, broken quotes", "[sentiment][lexicon]") {
  const ImportResult r = import_lexicon(
      "term,weight,tags,note\r\n"
      "\"not bad, really\",1.5,\"en,phrase\",\"said \"\"not bad\"\"\"\r\n"
      "rude,-2,en,\"two\nlines\"\n"
      "\"#tag\",1\n"
      "\"oops\"x,1\n"
      "fine,2\n"
      "\"never closed,1\n"
      "after,1\n",
      LexiconFormat::csv, "words.csv");
  CHECK(body(r) ==
        "not bad, really\t1.5\ten,phrase\tsaid \"not bad\"\n"
        "rude\t-2\ten\ttwo lines\n"
        "fine\t2\t\t\n");
  CHECK(problem_lines(r) ==
        "5: term '#tag' starts with '#', which marks a comment\n"
        "6: text after a closing quote\n"
        "8: unterminated quoted field\n");
}

TEST_CASE("file import writes OUT and fails as a value", "[sentiment][lexicon]") {
  const fs::path dir = fs::temp_directory_path() / ("otklik-lexicon-import-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "in.txt") << "good\t1.9\t0.9\t[2, 2]\nbad\n";

  std::ostringstream out, err;
  CHECK(run_lexicon_import(LexiconFormat::vader, dir / "in.txt", dir / "out.tsv", out, err) == 0);
  CHECK(out.str() == "imported 1 entries to " + (dir / "out.tsv").string() + ", skipped 1\n");
  CHECK(err.str() == (dir / "in.txt").string() + ":2: expected at least 2 columns (term and weight)\n");
  std::ifstream written(dir / "out.tsv");
  std::stringstream content;
  content << written.rdbuf();
  CHECK(content.str().find("\ngood\t1.9\tvader,exact\tvader sd 0.9\n") != std::string::npos);

  auto missing = import_lexicon_file(dir / "nope.txt", dir / "x.tsv", LexiconFormat::afinn);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::io_error));

  std::ofstream(dir / "junk.txt") << "no tabs at all\n";
  auto junk = import_lexicon_file(dir / "junk.txt", dir / "y.tsv", LexiconFormat::afinn);
  REQUIRE_FALSE(junk);
  CHECK(junk.error().code == make_error_code(errc::invalid_input));
  CHECK(junk.error().detail.find("line 1") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "y.tsv"));
  fs::remove_all(dir);
}
