#include "daemon/sentiment/lexicon.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace otklik::sentiment {
namespace {

constexpr auto kTagNames = std::to_array<std::pair<std::string_view, std::uint32_t>>({
    {"negator", kTagNegator},     {"booster", kTagBooster},   {"contrast", kTagContrast},
    {"concessive", kTagConcessive}, {"exact", kTagExact},     {"profanity", kTagProfanity},
    {"polite", kTagPolite},       {"sarcasm", kTagSarcasm},   {"emoji", kTagEmoji},
    {"service", kTagService},     {"negmod", kTagNegMod},     {"learned", kTagLearned},
    {"nonegate", kTagNoNegate},   {"fused", kTagFused},         {"verdict", kTagVerdict},
    {"need", kTagNeed},
    // Informational tags, accepted and ignored by the engine.
    {"ru", 0x80000000U},          {"en", 0x80000000U},        {"insult", kTagProfanity},
    {"emoticon", kTagEmoji},     {"vader", 0x80000000U},
});

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool content_token(TokenKind k) {
  return k == TokenKind::word || k == TokenKind::number || k == TokenKind::hashtag || k == TokenKind::emoji ||
         k == TokenKind::emoticon;
}

}  // namespace

std::uint32_t parse_tag(std::string_view name) noexcept {
  for (const auto& [n, v] : kTagNames)
    if (n == name) return v;
  return 0;
}

std::vector<LexLine> parse_lexicon_tsv(std::string_view tsv, std::vector<LexiconIssue>* issues) {
  std::vector<LexLine> out;
  int line_no = 0;
  auto report = [&](std::string msg, bool warning = false) {
    if (issues != nullptr) issues->push_back({line_no, std::move(msg), warning});
  };
  while (!tsv.empty()) {
    ++line_no;
    const auto nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv.remove_prefix(nl == std::string_view::npos ? tsv.size() : nl + 1);
    if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (trim(line).empty() || line.front() == '#') continue;
    std::array<std::string_view, 4> f{};
    std::size_t n = 0;
    while (n < 4) {
      const auto tab = line.find('\t');
      f[n++] = line.substr(0, tab);
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
      if (n == 3) {  // the note takes the rest of the line
        f[n++] = line;
        break;
      }
    }
    LexLine l;
    l.line = line_no;
    l.term = normalize_term(trim(f[0]));
    if (l.term.empty()) {
      report("empty term");
      continue;
    }
    if (n < 2 || trim(f[1]).empty()) {
      report("missing weight for \"" + l.term + "\" (expected term<TAB>weight<TAB>tags<TAB>note)");
      continue;
    }
    const std::string_view w = trim(f[1]);
    const char* wb = w.data() + (w.front() == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(wb, w.data() + w.size(), l.weight);
    if (ec != std::errc{} || ptr != w.data() + w.size()) {
      report("weight \"" + std::string(w) + "\" is not a number");
      continue;
    }
    if (l.weight < -4 || l.weight > 4) report("weight " + std::string(w) + " outside [-4, 4]");
    std::string_view tags = n >= 3 ? f[2] : std::string_view{};
    while (!tags.empty()) {
      const auto sep = tags.find_first_of(", ");
      const std::string_view name = tags.substr(0, sep);
      tags.remove_prefix(sep == std::string_view::npos ? tags.size() : sep + 1);
      if (name.empty()) continue;
      const std::uint32_t t = parse_tag(name);
      if (t == 0) report("unknown tag \"" + std::string(name) + "\"", true);
      l.tags |= t & 0x7FFFFFFFU;
    }
    l.weight = std::clamp(l.weight, -4.0F, 4.0F);
    out.push_back(std::move(l));
  }
  return out;
}

void Lexicon::add(const std::vector<LexLine>& lines, std::string_view origin, StemmerSet& stemmers) {
  TokenBuffer buf;
  for (const LexLine& l : lines) {
    LexEntry e;
    e.term = l.term;
    e.weight = l.weight;
    e.tags = l.tags;
    e.origin = std::string(origin) + ":" + std::to_string(l.line);
    tokenize(l.term, buf);
    Script single_script = Script::none;
    std::string single_norm;
    for (const Token& t : buf.tokens) {
      if (!content_token(t.kind)) continue;
      std::string key;
      const std::string_view norm = buf.norm(t);
      if ((t.kind == TokenKind::word || t.kind == TokenKind::hashtag) && (e.tags & kTagExact) == 0) {
        stemmers.stem(norm, t.script, key);
      } else {
        key = norm;
      }
      single_norm = norm;
      single_script = t.script;
      e.keys.push_back(std::move(key));
    }
    if (e.keys.empty()) continue;
    std::uint32_t idx = 0;
    if (const auto it = by_term_.find(e.term); it != by_term_.end()) {
      idx = it->second;
      entries_[idx] = std::move(e);
    } else {
      idx = static_cast<std::uint32_t>(entries_.size());
      by_term_.emplace(e.term, idx);
      entries_.push_back(std::move(e));
    }
    const LexEntry& stored = entries_[idx];
    if (stored.keys.size() == 1) {
      // Words are found by stem (so a later entry for another form of the same lemma wins);
      // exact-tagged words, emoji and emoticons by their exact form.
      // Short Cyrillic stems ("зап" from "запах") would catch unrelated words: exact form only.
      const bool short_stem = single_script == Script::cyrillic && stored.keys[0].size() < 8;
      if ((stored.tags & kTagExact) == 0 && single_script != Script::none && !short_stem) {
        stems_[stored.keys[0]] = idx;
        stem_filter_.add(stored.keys[0]);
      } else {
        exact_[single_norm] = idx;
        exact_filter_.add(single_norm);
      }
    } else {
      phrase_filter_.add(stored.keys[0]);
      auto& list = phrases_[stored.keys[0]];
      if (std::find(list.begin(), list.end(), idx) == list.end()) list.push_back(idx);
      std::stable_sort(list.begin(), list.end(), [this](std::uint32_t a, std::uint32_t b) {
        return entries_[a].keys.size() > entries_[b].keys.size();
      });
    }
  }
}

const LexEntry* Lexicon::find_exact(std::string_view norm) const {
  if (!exact_filter_.maybe(norm)) return nullptr;
  const auto it = exact_.find(norm);
  return it == exact_.end() ? nullptr : &entries_[it->second];
}

const LexEntry* Lexicon::find_stem(std::string_view stem) const {
  if (!stem_filter_.maybe(stem)) return nullptr;
  const auto it = stems_.find(stem);
  return it == stems_.end() ? nullptr : &entries_[it->second];
}

std::span<const std::uint32_t> Lexicon::phrases(std::string_view key) const {
  if (!phrase_filter_.maybe(key)) return {};
  const auto it = phrases_.find(key);
  if (it == phrases_.end()) return {};
  return it->second;
}

}  // namespace otklik::sentiment
