// `otklik lexicon check FILE`: malformed lines, ranges, duplicates and colliding stems.
#include "daemon/sentiment/lexicon.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace otklik {

bool LexiconCheck::ok() const {
  return std::none_of(findings.begin(), findings.end(), [](const LexiconFinding& f) { return !f.warning; });
}

LexiconCheck check_lexicon_text(std::string_view tsv) {
  using namespace sentiment;
  LexiconCheck out;
  std::vector<LexiconIssue> issues;
  const std::vector<LexLine> lines = parse_lexicon_tsv(tsv, &issues);
  for (auto& i : issues) out.findings.push_back({i.line, std::move(i.message), i.warning});
  out.entries = lines.size();

  StemmerSet stemmers;
  TokenBuffer buf;
  boost::unordered_flat_map<std::string, const LexLine*> by_term;
  boost::unordered_flat_map<std::string, const LexLine*> by_stem;
  constexpr std::uint32_t kRoles = kTagNegator | kTagBooster | kTagContrast | kTagConcessive | kTagNegMod;
  for (const LexLine& l : lines) {
    if (const auto [it, inserted] = by_term.emplace(l.term, &l); !inserted) {
      out.findings.push_back({l.line, "duplicate term \"" + l.term + "\" (first at line " +
                                          std::to_string(it->second->line) + ")", false});
      continue;
    }
    if ((l.tags & (kTagExact | kRoles)) != 0 || l.weight == 0) continue;
    tokenize(l.term, buf);
    if (buf.tokens.size() != 1 || buf.tokens[0].kind != TokenKind::word) continue;
    const std::string key = stemmers.key(buf.norm(buf.tokens[0]), buf.tokens[0].script);
    if (buf.tokens[0].script == Script::cyrillic && key.size() < 8) continue;  // matched by exact form only
    const auto [it, inserted] = by_stem.emplace(key, &l);
    if (!inserted && (it->second->weight > 0) != (l.weight > 0)) {
      out.findings.push_back({l.line, "\"" + l.term + "\" and \"" + it->second->term + "\" (line " +
                                          std::to_string(it->second->line) + ") share the stem \"" + key +
                                          "\" but have weights of different signs; tag one \"exact\"",
                              false});
    }
  }
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const LexiconFinding& a, const LexiconFinding& b) { return a.line < b.line; });
  return out;
}

Result<LexiconCheck> check_lexicon_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure(errc::io_error, "cannot open " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Failure(errc::io_error, "cannot read " + path.string());
  return check_lexicon_text(ss.str());
}

}  // namespace otklik
