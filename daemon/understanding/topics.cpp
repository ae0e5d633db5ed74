#include "daemon/understanding/topics.hpp"

#include "daemon/sentiment/lexicon.hpp"
#include "daemon/sentiment/text.hpp"

#include <algorithm>
#include <functional>

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

/// The words of a cue as the tokenizer splits text, so that a cue matches what it looks like:
/// «смс-информ*» is «смс» then «информ*», «дороже, чем» is «дороже» then «чем». A leading "="
/// makes every piece of its word exact; a trailing "*" makes the last piece a prefix. The words
/// hold normalised forms (stemming is the tagger's). Fills `problem` when the cue is not valid.
std::vector<CueWord> parse_cue(std::string_view cue, std::string& problem) {
  std::vector<CueWord> out;
  if (cue.find_first_of("\t\n\r") != std::string_view::npos) {
    problem = "has a tab or a line break";
    return {};
  }
  const auto words = split_words(cue);
  if (words.empty()) {
    problem = "is empty";
    return {};
  }
  TokenBuffer buf;
  for (std::string_view w : words) {
    const std::size_t star = w.find('*');
    if (star != std::string_view::npos && star + 1 != w.size()) {
      problem = "has \"*\" inside a word (only at the end)";
      return {};
    }
    const std::size_t eq = w.find('=');
    if (eq != std::string_view::npos && eq != 0) {
      problem = "has \"=\" inside a word (only at the start)";
      return {};
    }
    const bool exact = w.front() == '=';
    const bool prefix = w.back() == '*';
    std::string_view core = w;
    if (exact) core.remove_prefix(1);
    if (prefix && !core.empty()) core.remove_suffix(1);
    if (core.empty()) {
      problem = "has a word that is only \"*\" or \"=\"";
      return {};
    }
    if (exact && prefix) {
      problem = "mixes \"=\" and \"*\" in one word";
      return {};
    }
    sentiment::tokenize(core, buf);
    const std::size_t first = out.size();
    for (const Token& t : buf.tokens) {
      if (t.kind == TokenKind::sentence_end) {
        problem = "has a sentence mark (. ! ? …): a cue matches within one sentence";
        return {};
      }
      if (t.kind != TokenKind::word && t.kind != TokenKind::number && t.kind != TokenKind::hashtag) continue;
      out.push_back({exact ? WordKind::exact : WordKind::stem, std::string(buf.norm(t))});
    }
    if (out.size() == first) {
      problem = "has a word with no letters or digits: \"" + std::string(w) + "\"";
      return {};
    }
    if (prefix) out.back().kind = WordKind::prefix;
  }
  if (out.size() > kMaxCueWords) {
    problem = "has more than 6 words";
    return {};
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
  std::string problem;
  parse_cue(cue, problem);
  return problem;
}

namespace {

/// Lets the cue indexes be searched with a string_view (a prefix of a word) without a copy.
/// String-keyed tables looked up by std::string_view with the lexicon's hash: every word of every
/// tagged clause is looked up in each index, at each prefix length, and in the stem cache, and
/// std::hash with a node per entry was a twentieth of `otklik score`.
template <typename V>
using StringMap = boost::unordered_flat_map<std::string, V, sentiment::FastStringHash, sentiment::StringEq>;
using CueIndex = StringMap<std::vector<std::size_t>>;

}  // namespace

struct TopicTagger::Compiled {
  std::vector<std::string> ids;
  std::vector<Cue> cues;
  /// First words keyed by stem, exact form or prefix → cue indexes.
  CueIndex by_stem;
  CueIndex by_exact;
  CueIndex by_prefix;
  std::size_t longest_prefix = 0;  ///< in bytes: a word's prefixes are looked up to this length
  /// prefix_length[n]: some prefix cue's first word is n bytes long; other lengths are not looked up.
  std::vector<bool> prefix_length;
  /// What the tagger needs of one word form, which depends on the form alone: its stem and the
  /// cues that may start at it.
  struct WordAnswer {
    std::string stem;
    /// The cues whose first word matches the form, in the order they are tried: by its stem, by
    /// its exact form, then by its prefixes, shortest first (candidate_cues()).
    std::vector<std::uint32_t> cues;
  };
  /// Word → its answer, guarded by the tagger's mutex with its stemmer: Snowball was a tenth of
  /// `otklik score`, and the clauses of a text are tagged one by one after the text, so most
  /// words come back. One lookup per word instead of a stem lookup, a lookup in each cue index
  /// and one per prefix length. A text's matching reads the answers in place, under the mutex:
  /// find_hits makes room for the text's words before it looks them up, so that no insertion
  /// rehashes (moves) the answers while they are read.
  StringMap<WordAnswer> words;
};

TopicTagger::TopicTagger(const Taxonomy& taxonomy) : compiled_(std::make_unique<Compiled>()) {
  Compiled& c = *compiled_;
  auto add = [&](std::size_t topic, const std::string& text, bool exception) {
    std::string problem;
    Cue cue;
    cue.words = parse_cue(text, problem);
    if (!problem.empty()) return;  // topic_file.cpp reports these
    cue.topic = topic;
    cue.exception = exception;
    cue.source = text;
    for (CueWord& cw : cue.words)
      if (cw.kind == WordKind::stem) cw.text = stemmer_.key(cw.text, sentiment::script_of(cw.text));
    const std::size_t index = c.cues.size();
    const CueWord& first = cue.words.front();
    switch (first.kind) {
      case WordKind::stem: c.by_stem[first.text].push_back(index); break;
      case WordKind::exact: c.by_exact[first.text].push_back(index); break;
      case WordKind::prefix:
        c.by_prefix[first.text].push_back(index);
        c.longest_prefix = std::max(c.longest_prefix, first.text.size());
        if (c.prefix_length.size() <= first.text.size()) c.prefix_length.resize(first.text.size() + 1, false);
        c.prefix_length[first.text.size()] = true;
        break;
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

/// The words of a text with their forms and answers, and where sentences end. The forms are
/// views into the text's token buffer; the answers (stem, candidate cues) are read in place.
/// One array of words rather than an array per field: one allocation per text.
struct Word {
  std::string_view norm;
  std::size_t begin = 0, end = 0;
  std::size_t sentence = 0;  ///< sentence number of the word
  /// Its answer: in the tagger's cache, or the text's own when the cache is full; null until found.
  const TopicTagger::Compiled::WordAnswer* answer = nullptr;
};
using Words = std::vector<Word>;

/// fast_equal, not ==: every candidate cue of every word compares its next words, and most of
/// them differ (a call of memcmp for each of the same length).
bool word_matches(const CueWord& cw, const Words& w, std::size_t i) {
  switch (cw.kind) {
    case WordKind::stem: return sentiment::fast_equal(w[i].answer->stem, cw.text);
    case WordKind::exact: return sentiment::fast_equal(w[i].norm, cw.text);
    case WordKind::prefix:
      return w[i].norm.size() >= cw.text.size() && sentiment::fast_equal(w[i].norm.substr(0, cw.text.size()), cw.text);
  }
  return false;
}

/// Matches `cue` starting with its first word at word `i`; returns one past its last word, or 0.
std::size_t match_at(const Cue& cue, const Words& w, std::size_t i) {
  std::size_t at = i;
  for (std::size_t k = 1; k < cue.words.size(); ++k) {
    std::size_t found = 0;
    for (std::size_t j = at + 1; j < w.size() && j <= at + 1 + kMaxGap; ++j) {
      if (w[j].sentence != w[i].sentence) break;
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

/// The matches of the cues that may start at each word (its answer's candidates, in the order
/// candidate_cues() lists them).
std::vector<Match> find_matches(const TopicTagger::Compiled& c, const Words& w) {
  std::vector<Match> out;
  for (std::size_t i = 0; i < w.size(); ++i)
    for (const std::uint32_t cue : w[i].answer->cues)
      if (const std::size_t end = match_at(c.cues[cue], w, i)) out.push_back({cue, i, end});
  return out;
}

/// The cues whose first word matches a word of form `norm` and stem `stem`, in the order they are
/// tried.
std::vector<std::uint32_t> candidate_cues(const TopicTagger::Compiled& c, std::string_view norm, std::string_view stem) {
  std::vector<std::uint32_t> out;
  const auto add = [&out](const CueIndex& index, std::string_view key) {
    if (auto it = index.find(key); it != index.end())
      for (const std::size_t cue : it->second) out.push_back(static_cast<std::uint32_t>(cue));
  };
  add(c.by_stem, stem);
  add(c.by_exact, norm);
  // Each prefix of the word that ends on a character boundary, up to the longest prefix cue:
  // a bounded number of lookups per word, however many prefix cues there are.
  const std::size_t limit = std::min(norm.size(), c.longest_prefix);
  for (std::size_t len = 1; len <= limit; ++len) {
    if (!c.prefix_length[len]) continue;
    if (len < norm.size() && (static_cast<unsigned char>(norm[len]) & 0xC0) == 0x80) continue;
    add(c.by_prefix, norm.substr(0, len));
  }
  return out;
}

/// A cue match after exceptions: the cue's index and its byte span; what explain() and tag()
/// are built from.
struct Hit {
  std::size_t cue = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

/// The cue matches of `text`; `mu` guards `stemmer` and `c.words`.
std::vector<Hit> find_hits(TopicTagger::Compiled& c, const TokenBuffer& buf, std::mutex& mu,
                           sentiment::StemmerSet& stemmer) {
  using Answer = TopicTagger::Compiled::WordAnswer;
  Words w;
  w.reserve(buf.tokens.size());
  std::size_t sentence = 0;
  for (const Token& t : buf.tokens) {
    if (t.kind == TokenKind::sentence_end) {
      ++sentence;
      continue;
    }
    // Numbers count as words: "40 minutes", «115-ФЗ».
    if (t.kind != TokenKind::word && t.kind != TokenKind::hashtag && t.kind != TokenKind::number) continue;
    Word& word = w.emplace_back();
    word.norm = buf.alt(t).empty() ? buf.norm(t) : buf.alt(t);
    word.begin = t.begin;
    word.end = t.end;
    word.sentence = sentence;
  }
  if (w.empty()) return {};
  std::vector<Answer> own;  // answers of words the cache has no room for (a text longer than it holds)
  std::vector<Match> matches;
  {
    // Held while the answers are read, as they live in the shared cache: the candidate cues and
    // stems of every word were copied out of it before (an allocation and a copy per word), and
    // matching is a small part of tagging.
    std::lock_guard lock(mu);
    // Bounded, so that a stream of unseen words cannot grow it without end; results do not
    // depend on it (an answer is the same whether cached or computed). Room for all the text's
    // words is made before any is looked up, growing as insertion would (twice the size), so
    // that inserting the new ones rehashes nothing while the answers found are held.
    auto& cache = c.words;
    if (cache.size() + w.size() > TopicTagger::kMaxCachedWords) cache.clear();
    if (cache.size() + w.size() > cache.max_load())
      cache.reserve(std::min(TopicTagger::kMaxCachedWords, std::max(cache.size() + w.size(), 2 * cache.size())));
    // Every word is looked up first, in a loop of lookups alone, so that their cache misses
    // overlap (as in the engine's prepare()); the loop after it fills in the others.
    for (Word& word : w) {
      if (const auto it = cache.find(word.norm); it != cache.end()) {
        word.answer = &it->second;
        __builtin_prefetch(word.answer->stem.data());  // a long stem lives apart from its entry
      }
    }
    for (Word& word : w) {
      if (word.answer != nullptr) continue;
      if (const auto it = cache.find(word.norm); it != cache.end()) {  // added for a word before it
        word.answer = &it->second;
        continue;
      }
      Answer a;
      stemmer.stem(word.norm, sentiment::script_of(word.norm), a.stem);
      a.cues = candidate_cues(c, word.norm, a.stem);
      if (cache.size() < cache.max_load()) {  // no rehash: the answers held stay where they are
        word.answer = &cache.emplace(std::string(word.norm), std::move(a)).first->second;
      } else {
        if (own.capacity() == 0) own.reserve(w.size());  // never grown past this: no answer moves
        word.answer = &own.emplace_back(std::move(a));
      }
    }
    matches = find_matches(c, w);
  }
  // Exception matches, in order of their first word (as found): only those near a cue match
  // are looked at, so that this stays linear.
  std::vector<Match> exceptions;
  for (const Match& m : matches)
    if (c.cues[m.cue].exception) exceptions.push_back(m);
  constexpr std::size_t kReach = kMaxCueWords * (kMaxGap + 1);
  std::vector<Hit> hits;
  for (const Match& m : matches) {
    const Cue& cue = c.cues[m.cue];
    if (cue.exception) continue;
    const std::size_t from = m.first > kReach ? m.first - kReach : 0;
    auto e = std::lower_bound(exceptions.begin(), exceptions.end(), from,
                              [](const Match& x, std::size_t v) { return x.first < v; });
    bool excepted = false;
    for (; e != exceptions.end() && e->first < m.last; ++e) {
      if (c.cues[e->cue].topic != cue.topic || e->last <= m.first) continue;
      // A longer cue that holds the whole exception is the more specific reading: the cue
      // "not as advertised" stands although "as advertised" is an exception.
      const bool holds = m.first <= e->first && e->last <= m.last && m.last - m.first > e->last - e->first;
      if (!holds) excepted = true;
    }
    if (excepted) continue;
    hits.push_back({m.cue, w[m.first].begin, w[m.last - 1].end});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.begin < b.begin; });
  return hits;
}

}  // namespace

std::vector<CueHit> TopicTagger::explain(std::string_view text) const {
  const Compiled& c = *compiled_;
  std::vector<CueHit> out;
  TokenBuffer buf;
  sentiment::tokenize(text, buf);
  for (const Hit& h : find_hits(*compiled_, buf, mu_, stemmer_)) {
    const Cue& cue = c.cues[h.cue];
    out.push_back({c.ids[cue.topic], cue.source, h.begin, h.end});
  }
  return out;
}

std::vector<std::string> TopicTagger::tag(std::string_view text) const {
  TokenBuffer buf;
  sentiment::tokenize(text, buf);
  return tag_tokens(buf);
}

std::vector<std::string> TopicTagger::tag(std::string_view text, const sentiment::TokenBuffer& tokens) const {
  (void)text;  // the tokens hold all that tagging reads
  return tag_tokens(tokens);
}

std::vector<std::string> TopicTagger::tag_tokens(const sentiment::TokenBuffer& tokens) const {
  const Compiled& c = *compiled_;
  const auto found = find_hits(*compiled_, tokens, mu_, stemmer_);
  std::vector<std::string> out;
  if (found.empty()) return out;
  // By id, not by topic index: a taxonomy could list one id twice (the first place counts).
  for (std::size_t t = 0; t < c.ids.size(); ++t) {
    const std::string& id = c.ids[t];
    const bool named = std::any_of(found.begin(), found.end(), [&](const Hit& h) { return c.ids[c.cues[h.cue].topic] == id; });
    if (named && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

}  // namespace otklik::understanding
