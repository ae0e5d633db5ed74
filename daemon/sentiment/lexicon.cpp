#include "daemon/sentiment/lexicon.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <stdexcept>

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

std::string cpp_literal(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\' || c < 0x20 || c == 0x7F || c == '?') {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\%03o", c);
      out += esc;
    } else {
      out += ch;
    }
  }
  return out + "\"sv";
}

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

std::vector<PreparedLine> prepare_lexicon(const std::vector<LexLine>& lines, StemmerSet& stemmers) {
  std::vector<PreparedLine> out;
  out.reserve(lines.size());
  TokenBuffer buf;
  for (const LexLine& l : lines) {
    PreparedLine p;
    p.line = l;
    tokenize(l.term, buf);
    for (const Token& t : buf.tokens) {
      if (!content_token(t.kind)) continue;
      std::string key;
      const std::string_view norm = buf.norm(t);
      if ((t.kind == TokenKind::word || t.kind == TokenKind::hashtag) && (l.tags & kTagExact) == 0) {
        stemmers.stem(norm, t.script, key);
      } else {
        key = norm;
      }
      p.single_norm = norm;
      p.single_script = t.script;
      p.keys.push_back(std::move(key));
    }
    if (!p.keys.empty()) out.push_back(std::move(p));
  }
  return out;
}

std::string_view Lexicon::own(std::string_view s) { return strings_.emplace_back(s); }

std::uint32_t Lexicon::file_index(std::string_view origin) {
  for (std::size_t i = 0; i < files_.size(); ++i)
    if (files_[i] == origin) return static_cast<std::uint32_t>(i);
  files_.emplace_back(origin);
  return static_cast<std::uint32_t>(files_.size() - 1);
}

std::string Lexicon::origin(const LexEntry& e) const {
  return (e.file < files_.size() ? files_[e.file] : std::string("?")) + ":" + std::to_string(e.line);
}

void Lexicon::add(const std::vector<LexLine>& lines, std::string_view origin, StemmerSet& stemmers) {
  add(prepare_lexicon(lines, stemmers), origin);
}

void Lexicon::add(const std::vector<PreparedLine>& lines, std::string_view origin) {
  const std::uint32_t file = file_index(origin);
  for (const PreparedLine& p : lines) {
    auto& keys = key_lists_.emplace_back();
    keys.reserve(p.keys.size());
    for (const std::string& k : p.keys) keys.push_back(own(k));
    LexEntry e;
    e.term = own(p.line.term);
    e.weight = p.line.weight;
    e.tags = p.line.tags;
    e.keys = keys;
    e.file = file;
    e.line = static_cast<std::uint32_t>(p.line.line);
    insert(e, own(p.single_norm), p.single_script);
  }
}

void Lexicon::add_static(std::span<const StaticTerm> terms, std::span<const std::string_view> keys,
                         std::string_view origin) {
  const std::uint32_t file = file_index(origin);
  entries_.reserve(entries_.size() + terms.size());
  by_term_.reserve(by_term_.size() + terms.size());
  stems_.reserve(stems_.size() + terms.size());
  exact_.reserve(exact_.size() + terms.size() / 4);
  for (const StaticTerm& t : terms) {
    LexEntry e;
    e.term = t.term;
    e.weight = t.weight;
    e.tags = t.tags;
    e.keys = keys.subspan(t.first_key, t.key_count);
    e.file = file;
    e.line = t.line;
    insert(e, t.single_norm, t.single_script);
  }
}

void Lexicon::index_terms() {
  by_term_.reserve(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) by_term_.emplace(entries_[i].term, static_cast<std::uint32_t>(i));
  by_term_ready_ = true;
}

Lexicon Lexicon::from_image(const LexiconImage& image) {
  Lexicon lex;
  lex.files_.assign(image.files.begin(), image.files.end());
  lex.entries_.reserve(image.entries.size());
  for (const StaticEntry& s : image.entries) {
    LexEntry e;
    e.term = s.term;
    e.weight = s.weight;
    e.tags = s.tags;
    e.keys = image.keys.subspan(s.first_key, s.key_count);
    e.file = s.file;
    e.line = s.line;
    lex.entries_.push_back(e);
    lex.second_keys_.push_back(second_key_of(e));
  }
  lex.exact_.reserve(image.exact.size());
  for (const StaticIndex& x : image.exact) {
    lex.exact_.emplace(x.key, x.entry);
    lex.exact_filter_.add(x.key);
  }
  lex.stems_.reserve(image.stems.size());
  for (const StaticIndex& x : image.stems) {
    lex.stems_.emplace(x.key, x.entry);
    lex.stem_filter_.add(x.key);
  }
  lex.phrases_.reserve(image.phrases.size());
  for (const StaticPhrases& x : image.phrases) {
    const auto list = image.phrase_entries.subspan(x.first, x.count);
    lex.phrases_.emplace(x.key, std::vector<std::uint32_t>(list.begin(), list.end()));
    lex.phrase_filter_.add(x.key);
  }
  lex.by_term_ready_ = false;
  return lex;
}

std::string Lexicon::to_cpp(std::string_view prefix, std::span<const std::string_view> keys,
                            std::string_view keys_array) const {
  const std::string p(prefix);
  std::string out = "constexpr std::string_view " + p + "Files[] = {";
  for (const std::string& f : files_) out += cpp_literal(f) + ", ";
  out += "};\nconstexpr StaticEntry " + p + "Entries[] = {\n";
  for (const LexEntry& e : entries_) {
    const auto first = e.keys.empty() ? 0 : static_cast<std::size_t>(e.keys.data() - keys.data());
    if (!e.keys.empty() && first + e.keys.size() > keys.size()) throw std::logic_error("to_cpp: keys outside the table");
    char weight[64];
    std::snprintf(weight, sizeof weight, "%af", static_cast<double>(e.weight));
    out += "    {" + cpp_literal(e.term) + ", " + weight + ", " + std::to_string(e.tags) + "U, " + std::to_string(first) +
           ", " + std::to_string(e.keys.size()) + ", " + std::to_string(e.file) + ", " + std::to_string(e.line) + "},\n";
  }
  const auto index = [&](const Map<std::uint32_t>& m, const std::string& name) {
    out += "};\nconstexpr StaticIndex " + p + name + "[] = {\n";
    for (const auto& [k, v] : m) out += "    {" + cpp_literal(k) + ", " + std::to_string(v) + "},\n";
    if (m.empty()) out += "    {},\n";
  };
  index(exact_, "Exact");
  index(stems_, "Stems");
  std::string lists;
  std::size_t n = 0;
  out += "};\nconstexpr StaticPhrases " + p + "Phrases[] = {\n";
  for (const auto& [k, v] : phrases_) {
    out += "    {" + cpp_literal(k) + ", " + std::to_string(n) + ", " + std::to_string(v.size()) + "},\n";
    for (const std::uint32_t i : v) lists += std::to_string(i) + ", ";
    n += v.size();
  }
  if (phrases_.empty()) out += "    {},\n";
  out += "};\nconstexpr std::uint32_t " + p + "PhraseEntries[] = {" + (n == 0 ? std::string("0") : lists) + "};\n";
  const auto span = [&](const std::string& name, std::size_t size) {
    return "std::span(" + p + name + ", " + std::to_string(size) + ")";
  };
  out += "constexpr LexiconImage " + p + "{" + span("Files", files_.size()) + ", " +
         "std::span(" + std::string(keys_array) + ", " + std::to_string(keys.size()) + "), " + span("Entries", entries_.size()) + ", " + span("Exact", exact_.size()) +
         ", " + span("Stems", stems_.size()) + ", " + span("Phrases", phrases_.size()) + ", " +
         span("PhraseEntries", n) + "};\n";
  return out;
}

void Lexicon::insert(const LexEntry& e, std::string_view single_norm, Script single_script) {
  if (!by_term_ready_) index_terms();
  const auto [it, fresh] = by_term_.try_emplace(e.term, static_cast<std::uint32_t>(entries_.size()));
  const std::uint32_t idx = it->second;
  if (fresh) {
    entries_.push_back(e);
    second_keys_.push_back(second_key_of(e));
  } else {
    entries_[idx] = e;
    second_keys_[idx] = second_key_of(e);
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
    const auto longer = [this](std::uint32_t a, std::uint32_t b) {
      return entries_[a].keys.size() > entries_[b].keys.size();
    };
    // Usually already in order (the common case costs one pass instead of a merge sort).
    if (!std::is_sorted(list.begin(), list.end(), longer)) std::stable_sort(list.begin(), list.end(), longer);
  }
}

std::uint64_t Lexicon::second_key_of(const LexEntry& e) noexcept {
  if (e.keys.size() < 2) return 0;
  return kSecondKey | ((e.tags & kTagExact) != 0 ? kSecondExact : 0) | fingerprint(e.keys[1]);
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
