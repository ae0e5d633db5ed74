#pragma once
/// The in-memory lexicon: terms (words, phrases, emoji, emoticons) with a weight and tags, looked up
/// by exact normalised form, by stem, or as a phrase of several tokens.
///
/// TSV format (config/lexicons/README.md): `term <TAB> weight <TAB> tags <TAB> note`; tags and note
/// are optional; lines starting with '#' and blank lines are ignored. Later entries for the same
/// term replace earlier ones (so user files override the built-in lexicons).

#include "daemon/sentiment/stemmer.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::sentiment {

/// Roles and properties of an entry (bit flags; names as written in the TSV "tags" column).
enum Tag : std::uint32_t {
  kTagNegator = 1U << 0,     ///< "negator": flips sentiment terms that follow in its clause
  kTagBooster = 1U << 1,     ///< "booster": weight is added to |valence| of the next term (<0 damps)
  kTagContrast = 1U << 2,    ///< "contrast": but/но — what follows weighs more, what precedes less
  kTagConcessive = 1U << 3,  ///< "concessive": although/хотя — its own clause weighs less
  kTagExact = 1U << 4,       ///< "exact": match the exact form only, never by stem
  kTagProfanity = 1U << 5,   ///< "profanity": obscenity or insult
  kTagPolite = 1U << 6,      ///< "polite": thanks/please — no praise inside a complaint
  kTagSarcasm = 1U << 7,     ///< "sarcasm": an ironic pattern ("спасибо за ничего")
  kTagEmoji = 1U << 8,       ///< "emoji": emoji or emoticon
  kTagService = 1U << 9,     ///< "service": customer-service vocabulary
  kTagNegMod = 1U << 10,     ///< "negmod": "не очень" — negator before a term, its own weight alone
  kTagLearned = 1U << 11,    ///< "learned": weight derived from labelled data
  kTagNoNegate = 1U << 12,   ///< "nonegate": negation does not flip this term
  kTagFused = 1U << 13,      ///< "fused": a fused negative (неплохо, недовольный)
  kTagVerdict = 1U << 14,    ///< "verdict": a summary judgement ("не рекомендую", "will be back")
  kTagNeed = 1U << 15,       ///< "need": what a customer needs (связь, интернет, дозвониться); counts only negated
};

/// Parses one tag name; 0 when unknown.
std::uint32_t parse_tag(std::string_view name) noexcept;

struct LexEntry {
  std::string term;               ///< normalised (NFKC, case-folded, ё→е)
  float weight = 0;
  std::uint32_t tags = 0;
  std::vector<std::string> keys;  ///< per token: stem (or exact form) used for phrase matching
  std::string origin;             ///< "file:line" for messages
};

/// A problem found while reading a lexicon text.
struct LexiconIssue {
  int line = 0;
  std::string message;
  bool warning = false;
};

/// One parsed, non-comment line of a lexicon file.
struct LexLine {
  int line = 0;
  std::string term;
  float weight = 0;
  std::uint32_t tags = 0;
};

/// Parses TSV text into lines; malformed lines are reported and skipped.
std::vector<LexLine> parse_lexicon_tsv(std::string_view tsv, std::vector<LexiconIssue>* issues);

class Lexicon {
 public:
  /// Adds parsed lines; `stemmers` computes the keys. `origin` names the file in messages.
  void add(const std::vector<LexLine>& lines, std::string_view origin, StemmerSet& stemmers);

  /// Exact normalised form (single token) → entry, or null.
  [[nodiscard]] const LexEntry* find_exact(std::string_view norm) const;
  /// Stem → entry, or null (entries tagged exact are not here).
  [[nodiscard]] const LexEntry* find_stem(std::string_view stem) const;
  /// Phrases whose first key is `key`, longest first.
  [[nodiscard]] std::span<const std::uint32_t> phrases(std::string_view key) const;
  [[nodiscard]] const LexEntry& entry(std::uint32_t i) const { return entries_[i]; }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
  };
  template <class V>
  using Map = boost::unordered_flat_map<std::string, V, Hash, Eq>;

  /// A 64K-bit filter on a cheap hash of the keys of a map: most tokens are no key, and this
  /// answers "certainly not" without hashing the whole string.
  struct Filter {
    std::vector<std::uint64_t> bits = std::vector<std::uint64_t>(1024, 0);
    static std::uint32_t slot(std::string_view k) noexcept {
      const auto b = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(k[i])); };
      if (k.empty()) return 0;
      return (static_cast<std::uint32_t>(k.size()) * 40503U + b(0) * 131U + b(k.size() / 2) * 7919U +
              b(k.size() - 1) * 31U) & 0xFFFFU;
    }
    void add(std::string_view k) { bits[slot(k) >> 6] |= std::uint64_t{1} << (slot(k) & 63); }
    [[nodiscard]] bool maybe(std::string_view k) const noexcept {
      return (bits[slot(k) >> 6] >> (slot(k) & 63) & 1U) != 0;
    }
  };

  std::vector<LexEntry> entries_;
  Filter exact_filter_;
  Filter stem_filter_;
  Filter phrase_filter_;
  Map<std::uint32_t> by_term_;  ///< normalised term → entry (for overrides)
  Map<std::uint32_t> exact_;
  Map<std::uint32_t> stems_;
  Map<std::vector<std::uint32_t>> phrases_;
};

}  // namespace otklik::sentiment
