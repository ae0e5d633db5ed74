#include "daemon/sentiment/lexicon_learn.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

namespace otklik::sentiment {
namespace {

/// The tags that change how the engine uses an entry, by name (as written in the TSV), so that an
/// overlay line keeps the behaviour of the entry it replaces. Informational tags (ru, en, vader)
/// are not kept: the engine ignores them.
constexpr auto kTagNames = std::to_array<std::pair<std::string_view, std::uint32_t>>({
    {"exact", kTagExact},       {"profanity", kTagProfanity}, {"sarcasm", kTagSarcasm},
    {"emoji", kTagEmoji},       {"service", kTagService},     {"nonegate", kTagNoNegate},
    {"fused", kTagFused},       {"verdict", kTagVerdict},
});

/// Entries whose weight is not a sentiment valence, or is one only in a context.
constexpr std::uint32_t kNotLearnable =
    kTagNegator | kTagBooster | kTagContrast | kTagConcessive | kTagNegMod | kTagNeed | kTagPolite;

int sign(double x) noexcept { return (x > 0) - (x < 0); }

/// A weight as written in the overlay: at most two decimals, no trailing zeros.
std::string weight_text(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", w);
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string tags_text(std::uint32_t tags) {
  std::string out;
  for (const auto& [name, bit] : kTagNames) {
    if ((tags & bit) == 0) continue;
    out += name;
    out += ',';
  }
  out += "learned";
  return out;
}

std::string counts_text(const LearnedChange& c) {
  return std::to_string(c.items) + " items (negative " + std::to_string(c.negative) + ", neutral " +
         std::to_string(c.neutral) + ", positive " + std::to_string(c.positive) + "), " +
         std::to_string(c.errors) + " misclassified";
}

}  // namespace

bool learnable(const LearnTerm& t) noexcept {
  if ((t.tags & kNotLearnable) != 0) return false;
  if (t.term.empty() || t.term.front() == '#') return false;
  // A term with a tab or a line break could not be written back as one lexicon line.
  return t.term.find_first_of("\t\r\n") == std::string::npos;
}

LearnResult learn_weights(const std::vector<CorrectionEvidence>& items, const LearnOptions& opt) {
  LearnResult r;
  std::map<std::string, LearnedChange, std::less<>> acc;  // ordered: the result must not depend on hashing
  for (const CorrectionEvidence& item : items) {
    ++r.items;
    const bool wrong = item.gold != item.predicted;
    if (wrong) ++r.errors;
    std::set<std::string_view> seen;  // two surface forms of one entry count once per item
    for (const TermEvidence& te : item.terms) {
      if (!learnable(te.entry)) continue;
      if (te.contribution == 0 || sign(te.contribution) != sign(te.entry.weight)) continue;
      auto [it, fresh] = acc.try_emplace(te.entry.term);
      if (!seen.insert(it->first).second) continue;
      LearnedChange& c = it->second;
      if (fresh) c.entry = te.entry;
      ++c.items;
      if (item.gold == Label::negative) ++c.negative;
      else if (item.gold == Label::positive) ++c.positive;
      else ++c.neutral;
      if (wrong) ++c.errors;
    }
  }
  for (auto& [term, c] : acc) {
    if (c.items < opt.min_support || c.errors < opt.min_errors) continue;
    const double old = c.entry.weight;
    const double labels = opt.label_weight * (static_cast<double>(c.positive) - static_cast<double>(c.negative));
    const double target = (labels + opt.smoothing * old) / (static_cast<double>(c.items) + opt.smoothing);
    double w = old + std::clamp(target - old, -opt.max_step, opt.max_step);
    // Never across zero: a term the corrections contradict is neutralised, not turned around.
    w = old > 0 ? std::max(w, 0.0) : std::min(w, 0.0);
    w = std::round(std::clamp(w, -4.0, 4.0) * 100) / 100;
    if (std::abs(w - old) < opt.min_change) continue;
    c.new_weight = w;
    r.changes.push_back(c);
  }
  r.candidates = r.changes.size();
  std::stable_sort(r.changes.begin(), r.changes.end(), [](const LearnedChange& a, const LearnedChange& b) {
    if (a.errors != b.errors) return a.errors > b.errors;
    return std::abs(a.new_weight - a.entry.weight) > std::abs(b.new_weight - b.entry.weight);
  });
  if (r.changes.size() > opt.max_terms) r.changes.resize(opt.max_terms);
  return r;
}

std::string format_overlay(const LearnResult& r, std::string_view origin) {
  std::string out = "# Otklik lexicon overlay learned from the team's corrections (otklik lexicon learn";
  if (!origin.empty()) {
    out += ' ';
    out += origin;
  }
  out += ").\n# " + std::to_string(r.items) + " corrected items, " + std::to_string(r.errors) +
         " misclassified; " + std::to_string(r.changes.size()) +
         " weights changed. Load it with [sentiment] lexicons; it overrides the entries it names.\n";
  for (const LearnedChange& c : r.changes) {
    out += c.entry.term + '\t' + weight_text(c.new_weight) + '\t' + tags_text(c.entry.tags) + '\t' + "was " +
           weight_text(c.entry.weight) + "; " + counts_text(c) + '\n';
  }
  return out;
}

std::string format_learn_report(const LearnResult& r) {
  std::string out;
  for (const LearnedChange& c : r.changes)
    out += c.entry.term + ": " + weight_text(c.entry.weight) + " -> " + weight_text(c.new_weight) + "  (" +
           counts_text(c) + ")\n";
  out += std::to_string(r.items) + " corrected items, " + std::to_string(r.errors) + " misclassified; " +
         std::to_string(r.changes.size()) + " weights changed";
  if (r.candidates > r.changes.size())
    out += " (" + std::to_string(r.candidates - r.changes.size()) + " more left out by the limit)";
  out += '\n';
  return out;
}

const LexEntry* entry_for_surface(const Lexicon& lex, StemmerSet& stemmers, std::string_view surface) {
  // "не … хорошо": a term flipped by a negator further back; its weight is not what showed.
  if (surface.find("\xE2\x80\xA6") != std::string_view::npos) return nullptr;
  LexLine line;
  line.term = std::string(surface);
  const std::vector<PreparedLine> prepared = prepare_lexicon({line}, stemmers);
  if (prepared.empty() || prepared.front().keys.empty()) return nullptr;
  const PreparedLine& p = prepared.front();
  if (p.keys.size() == 1) {
    if (const LexEntry* e = lex.find_exact(p.single_norm)) return e;
    return lex.find_stem(p.keys.front());
  }
  for (const std::uint32_t i : lex.phrases(p.keys.front())) {
    const LexEntry& e = lex.entry(i);
    if (std::equal(e.keys.begin(), e.keys.end(), p.keys.begin(), p.keys.end())) return &e;
  }
  return nullptr;
}

}  // namespace otklik::sentiment
