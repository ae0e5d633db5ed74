#include "daemon/understanding/topics.hpp"

#include "daemon/sentiment/text.hpp"

#include <algorithm>

namespace otklik::understanding {

using sentiment::Script;
using sentiment::Token;
using sentiment::TokenBuffer;
using sentiment::TokenKind;

namespace {

constexpr std::size_t kMaxCueWords = 6;
constexpr std::size_t kMaxGap = 2;  // other words allowed between two cue words

enum class WordKind { stem, prefix, exact };

struct CueWord {
  WordKind kind = WordKind::stem;
  std::string text;  ///< the stem, the prefix or the exact form (normalised)
};

struct Cue {
  std::size_t topic = 0;   ///< index in the taxonomy
  bool exception = false;
  std::string source;      ///< as written, for explain()
  std::vector<CueWord> words;
};

/// Splits a cue into its words (by spaces).
std::vector<std::string_view> split_words(std::string_view cue) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < cue.size()) {
    while (i < cue.size() && cue[i] == ' ') ++i;
    const std::size_t b = i;
    while (i < cue.size() && cue[i] != ' ') ++i;
    if (i > b) out.push_back(cue.substr(b, i - b));
  }
  return out;
}

}  // namespace

const std::string& LocalText::in(std::string_view locale) const {
  const bool en_first = locale.substr(0, 2) == "en";
  const std::string& first = en_first ? en : ru;
  return first.empty() ? (en_first ? ru : en) : first;
}

const std::vector<std::string>& LocalList::in(std::string_view locale) const {
  const bool en_first = locale.substr(0, 2) == "en";
  const std::vector<std::string>& first = en_first ? en : ru;
  return first.empty() ? (en_first ? ru : en) : first;
}

const Topic* Taxonomy::find(std::string_view id) const {
  for (const auto& t : topics)
    if (t.id == id) return &t;
  return nullptr;
}

std::string cue_problem(std::string_view cue) {
  const auto words = split_words(cue);
  if (words.empty()) return "is empty";
  if (words.size() > kMaxCueWords) return "has more than 6 words";
  for (std::string_view w : words) {
    const std::size_t star = w.find('*');
    if (star != std::string_view::npos && star + 1 != w.size()) return "has \"*\" inside a word (only at the end)";
    const std::size_t eq = w.find('=');
    if (eq != std::string_view::npos && eq != 0) return "has \"=\" inside a word (only at the start)";
    std::string_view core = w;
    if (!core.empty() && core.front() == '=') core.remove_prefix(1);
    if (!core.empty() && core.back() == '*') core.remove_suffix(1);
    if (core.empty()) return "has a word that is only \"*\" or \"=\"";
    if (core.find('=') != std::string_view::npos || core.find('*') != std::string_view::npos)
      return "mixes \"=\" and \"*\" in one word";
    if (core.find('\t') != std::string_view::npos || core.find('\n') != std::string_view::npos)
      return "has a tab or a line break";
  }
  return {};
}

struct TopicTagger::Compiled {
  std::vector<std::string> ids;
  std::vector<Cue> cues;
  /// First words keyed by stem or exact form → cue indexes; prefix first words listed apart.
  std::unordered_map<std::string, std::vector<std::size_t>> by_stem;
  std::unordered_map<std::string, std::vector<std::size_t>> by_exact;
  std::vector<std::pair<std::string, std::size_t>> by_prefix;
};

TopicTagger::TopicTagger(const Taxonomy& taxonomy) : compiled_(std::make_unique<Compiled>()) {
  Compiled& c = *compiled_;
  auto add = [&](std::size_t topic, const std::string& text, bool exception) {
    if (!cue_problem(text).empty()) return;  // topic_file.cpp reports these
    Cue cue;
    cue.topic = topic;
    cue.exception = exception;
    cue.source = text;
    for (std::string_view w : split_words(text)) {
      CueWord cw;
      if (w.front() == '=') {
        cw.kind = WordKind::exact;
        cw.text = sentiment::normalize_term(w.substr(1));
      } else if (w.back() == '*') {
        cw.kind = WordKind::prefix;
        cw.text = sentiment::normalize_term(w.substr(0, w.size() - 1));
      } else {
        cw.kind = WordKind::stem;
        const std::string norm = sentiment::normalize_term(w);
        cw.text = stemmer_.key(norm, sentiment::script_of(norm));
      }
      if (cw.text.empty()) return;
      cue.words.push_back(std::move(cw));
    }
    const std::size_t index = c.cues.size();
    const CueWord& first = cue.words.front();
    switch (first.kind) {
      case WordKind::stem: c.by_stem[first.text].push_back(index); break;
      case WordKind::exact: c.by_exact[first.text].push_back(index); break;
      case WordKind::prefix: c.by_prefix.emplace_back(first.text, index); break;
    }
    c.cues.push_back(std::move(cue));
  };
  for (std::size_t t = 0; t < taxonomy.topics.size(); ++t) {
    const Topic& topic = taxonomy.topics[t];
    c.ids.push_back(topic.id);
    for (const auto* list : {&topic.cues.ru, &topic.cues.en})
      for (const auto& cue : *list) add(t, cue, false);
    for (const auto* list : {&topic.exceptions.ru, &topic.exceptions.en})
      for (const auto& cue : *list) add(t, cue, true);
  }
}

TopicTagger::~TopicTagger() = default;

namespace {

/// The words of a text with their forms, and where sentences end.
struct Words {
  std::vector<std::string> norm;
  std::vector<std::string> stem;
  std::vector<std::size_t> begin, end;
  std::vector<std::size_t> sentence;  ///< sentence number of each word
};

bool word_matches(const CueWord& cw, const Words& w, std::size_t i) {
  switch (cw.kind) {
    case WordKind::stem: return w.stem[i] == cw.text;
    case WordKind::exact: return w.norm[i] == cw.text;
    case WordKind::prefix: return w.norm[i].compare(0, cw.text.size(), cw.text) == 0;
  }
  return false;
}

/// Matches `cue` starting with its first word at word `i`; returns one past its last word, or 0.
std::size_t match_at(const Cue& cue, const Words& w, std::size_t i) {
  std::size_t at = i;
  for (std::size_t k = 1; k < cue.words.size(); ++k) {
    std::size_t found = 0;
    for (std::size_t j = at + 1; j < w.norm.size() && j <= at + 1 + kMaxGap; ++j) {
      if (w.sentence[j] != w.sentence[i]) break;
      if (word_matches(cue.words[k], w, j)) {
        found = j;
        break;
      }
    }
    if (found == 0) return 0;
    at = found;
  }
  return at + 1;
}

struct Match {
  std::size_t cue;
  std::size_t first, last;  ///< word range [first, last)
};

std::vector<Match> find_matches(const TopicTagger::Compiled& c, const Words& w) {
  std::vector<Match> out;
  auto try_cue = [&](std::size_t cue, std::size_t i) {
    if (const std::size_t end = match_at(c.cues[cue], w, i)) out.push_back({cue, i, end});
  };
  for (std::size_t i = 0; i < w.norm.size(); ++i) {
    if (auto it = c.by_stem.find(w.stem[i]); it != c.by_stem.end())
      for (std::size_t cue : it->second) try_cue(cue, i);
    if (auto it = c.by_exact.find(w.norm[i]); it != c.by_exact.end())
      for (std::size_t cue : it->second) try_cue(cue, i);
    for (const auto& [prefix, cue] : c.by_prefix)
      if (w.norm[i].compare(0, prefix.size(), prefix) == 0) try_cue(cue, i);
  }
  return out;
}

}  // namespace

std::vector<CueHit> TopicTagger::explain(std::string_view text) const {
  TokenBuffer buf;
  sentiment::tokenize(text, buf);
  Words w;
  std::size_t sentence = 0;
  {
    std::lock_guard lock(mu_);
    for (const Token& t : buf.tokens) {
      if (t.kind == TokenKind::sentence_end) {
        ++sentence;
        continue;
      }
      // Numbers count as words: "40 minutes", «115-ФЗ».
      if (t.kind != TokenKind::word && t.kind != TokenKind::hashtag && t.kind != TokenKind::number) continue;
      const std::string_view norm = buf.alt(t).empty() ? buf.norm(t) : buf.alt(t);
      w.norm.emplace_back(norm);
      std::string stem;
      stemmer_.stem(norm, sentiment::script_of(norm), stem);
      w.stem.push_back(std::move(stem));
      w.begin.push_back(t.begin);
      w.end.push_back(t.end);
      w.sentence.push_back(sentence);
    }
  }
  const Compiled& c = *compiled_;
  const std::vector<Match> matches = find_matches(c, w);
  // Exception matches, in order of their first word (as found): only those near a cue match
  // are looked at, so that this stays linear.
  std::vector<Match> exceptions;
  for (const Match& m : matches)
    if (c.cues[m.cue].exception) exceptions.push_back(m);
  constexpr std::size_t kReach = kMaxCueWords * (kMaxGap + 1);
  std::vector<CueHit> hits;
  for (const Match& m : matches) {
    const Cue& cue = c.cues[m.cue];
    if (cue.exception) continue;
    const std::size_t from = m.first > kReach ? m.first - kReach : 0;
    auto e = std::lower_bound(exceptions.begin(), exceptions.end(), from,
                              [](const Match& x, std::size_t v) { return x.first < v; });
    bool excepted = false;
    for (; e != exceptions.end() && e->first < m.last; ++e)
      if (c.cues[e->cue].topic == cue.topic && m.first < e->last) excepted = true;
    if (excepted) continue;
    hits.push_back({c.ids[cue.topic], cue.source, w.begin[m.first], w.end[m.last - 1]});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const CueHit& a, const CueHit& b) { return a.begin < b.begin; });
  return hits;
}

std::vector<std::string> TopicTagger::tag(std::string_view text) const {
  const auto hits = explain(text);
  std::vector<std::string> out;
  for (const auto& id : compiled_->ids) {
    const bool found = std::any_of(hits.begin(), hits.end(), [&](const CueHit& h) { return h.topic == id; });
    if (found && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace otklik::understanding
