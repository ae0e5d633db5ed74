/// libFuzzer target for the text pipeline: arbitrary bytes (invalid UTF-8, NUL bytes, endless
/// emoji, stray combining marks…) through the scorer, the score JSON, the labelled-file reader
/// and the lexicon importer. Besides crashes and sanitizer reports it checks the Scorer's
/// contract: score in [-1, 1], confidence in [0, 1], sentences inside the text and in order, and
/// a JSON line that Boost.JSON parses. Run by scripts/fuzz.sh.

#include "daemon/sentiment/eval.hpp"
#include "daemon/sentiment/lexicon_import.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "daemon/sentiment/sentiment_json.hpp"

#include <boost/json/parse.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace {

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "contract broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto scorer = otklik::make_builtin_scorer();
  if (size == 0) return 0;
  // The first byte picks the language and the star rating; the rest is the text.
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  constexpr otklik::Lang kLangs[] = {otklik::Lang::automatic, otklik::Lang::ru, otklik::Lang::en,
                                     otklik::Lang::other};
  const otklik::Lang lang = kLangs[mode & 3];
  std::optional<double> rating;
  if ((mode & 4) != 0) rating = static_cast<double>((mode >> 3) % 6);

  const otklik::Sentiment s = scorer->score(text, rating, lang);
  require(std::isfinite(s.score) && s.score >= -1 && s.score <= 1, "score in [-1, 1]");
  require(std::isfinite(s.confidence) && s.confidence >= 0 && s.confidence <= 1, "confidence in [0, 1]");
  std::size_t prev_end = 0;
  for (const auto& sent : s.sentences) {
    require(sent.begin <= sent.end && sent.end <= text.size(), "sentence inside the text");
    require(sent.begin >= prev_end, "sentences in order, not overlapping");
    require(std::isfinite(sent.score) && sent.score >= -1 && sent.score <= 1, "sentence score in [-1, 1]");
    prev_end = sent.end;
  }
  for (const auto& c : s.why) require(std::isfinite(c.weight), "finite contribution");

  boost::system::error_code ec;
  (void)boost::json::parse(otklik::to_json_line(s, text), ec);
  require(!ec, "score JSON parses");
  (void)otklik::to_text(s, text);

  // The same bytes as a labelled file and as a lexicon in each import format.
  (void)otklik::parse_labelled(text);
  const auto format = static_cast<otklik::LexiconFormat>((mode >> 4) & 3);
  (void)otklik::import_lexicon(text, format, "fuzz");
  return 0;
}
