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
#include <cstring>
#include <deque>
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

/// A C++ string_view literal ("…"sv) holding `s` exactly: UTF-8 as is; quotes, backslashes and
/// control bytes as octal escapes. For the tables written at build time.
std::string cpp_literal(std::string_view s);

/// Parses one tag name; 0 when unknown.
std::uint32_t parse_tag(std::string_view name) noexcept;

/// A cheap, well-spread hash of a short string (words, stems), for the lexicon's and the
/// workspace's tables. Deterministic; nothing depends on its values but lookup speed.
inline std::uint64_t fast_hash(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = kMul ^ (n * 0xBF58476D1CE4E5B9ULL);
  const auto load8 = [](const unsigned char* q) {
    std::uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  };
  const auto load4 = [](const unsigned char* q) {
    std::uint32_t w;
    std::memcpy(&w, q, 4);
    return static_cast<std::uint64_t>(w);
  };
  while (n > 8) {
    h = (h ^ load8(p)) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  if (n >= 4) tail = (load4(p) << 32) | load4(p + n - 4);
  else if (n > 0) tail = (std::uint64_t{p[0]} << 16) | (std::uint64_t{p[n >> 1]} << 8) | p[n - 1];
  h = (h ^ tail) * 0xD6E8FEB86659FD93ULL;
  return h ^ (h >> 32);
}

/// a == b for short strings without a call to memcmp (words and stems are mostly short).
inline bool fast_equal(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8 && n <= 16) {
    std::uint64_t x0, y0, x1, y1;
    std::memcpy(&x0, p, 8);
    std::memcpy(&y0, q, 8);
    std::memcpy(&x1, p + n - 8, 8);
    std::memcpy(&y1, q + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4 && n < 8) {
    std::uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, p, 4);
    std::memcpy(&y0, q, 4);
    std::memcpy(&x1, p + n - 4, 4);
    std::memcpy(&y1, q + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i)
      if (p[i] != q[i]) return false;
    return true;
  }
  return std::memcmp(p, q, n) == 0;
}

/// Transparent hash and equality for string-keyed tables looked up by std::string_view.
struct FastStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return static_cast<std::size_t>(fast_hash(s)); }
};
struct StringEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return fast_equal(a, b); }
};

/// One lexicon term. Its strings live in the Lexicon (or, for the built-in lexicons, in the
/// program's read-only data), so entries are cheap to create.
struct LexEntry {
  std::string_view term;                   ///< normalised (NFKC, case-folded, ё→е)
  float weight = 0;
  std::uint32_t tags = 0;
  std::span<const std::string_view> keys;  ///< per token: stem (or exact form) used for phrase matching
  std::uint32_t file = 0;                  ///< index into Lexicon::files(), for messages
  std::uint32_t line = 0;                  ///< 1-based line in that file
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

/// A lexicon line with its match keys computed (tokenised, stemmed): what Lexicon stores. Lines
/// whose term holds no content token have no keys and are skipped by Lexicon::add.
struct PreparedLine {
  LexLine line;
  std::vector<std::string> keys;
  std::string single_norm;               ///< normalised form of the (last) content token
  Script single_script = Script::none;   ///< its script
};

/// Computes the keys of parsed lines (the expensive part of loading: tokenising and stemming).
std::vector<PreparedLine> prepare_lexicon(const std::vector<LexLine>& lines, StemmerSet& stemmers);

/// A prepared line in static storage: the built-in lexicons, prepared at build time by
/// sentiment_lexgen (builtin_lexicons.hpp), so that start-up neither parses nor stems them.
struct StaticTerm {
  std::string_view term;
  float weight = 0;
  std::uint32_t tags = 0;
  std::uint32_t line = 0;
  std::uint32_t first_key = 0;   ///< into the table's key array
  std::uint32_t key_count = 0;
  std::string_view single_norm;
  Script single_script = Script::none;
};

/// An entry of a LexiconImage.
struct StaticEntry {
  std::string_view term;
  float weight = 0;
  std::uint32_t tags = 0;
  std::uint32_t first_key = 0;  ///< into LexiconImage::keys
  std::uint32_t key_count = 0;
  std::uint32_t file = 0;       ///< into LexiconImage::files
  std::uint32_t line = 0;
};
/// A key of the exact-form or stem index and its entry.
struct StaticIndex {
  std::string_view key;
  std::uint32_t entry = 0;
};
/// The phrases starting with a key: [first, first + count) of LexiconImage::phrase_entries.
struct StaticPhrases {
  std::string_view key;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};
/// A loaded lexicon as static tables: what Lexicon::to_cpp writes at build time for the built-in
/// lexicons and Lexicon::from_image reads back at start-up (copying, not re-indexing).
struct LexiconImage {
  std::span<const std::string_view> files;
  std::span<const std::string_view> keys;
  std::span<const StaticEntry> entries;
  std::span<const StaticIndex> exact;
  std::span<const StaticIndex> stems;
  std::span<const StaticPhrases> phrases;
  std::span<const std::uint32_t> phrase_entries;
};

class Lexicon {
 public:
  Lexicon() = default;
  // Entries view strings the lexicon owns (heap blocks that stay put when it moves): no copies.
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;
  Lexicon(Lexicon&&) noexcept = default;
  Lexicon& operator=(Lexicon&&) noexcept = default;

  /// Adds parsed lines; `stemmers` computes the keys. `origin` names the file in messages.
  void add(const std::vector<LexLine>& lines, std::string_view origin, StemmerSet& stemmers);
  /// Adds lines prepared ahead (copied into the lexicon).
  void add(const std::vector<PreparedLine>& lines, std::string_view origin);
  /// Adds terms in static storage (not copied: they must outlive the lexicon). `keys` is the
  /// array the terms' first_key / key_count index.
  void add_static(std::span<const StaticTerm> terms, std::span<const std::string_view> keys,
                  std::string_view origin);

  /// The lexicon an image describes; its strings must outlive the lexicon (static data).
  static Lexicon from_image(const LexiconImage& image);
  /// C++ definitions of the static tables of this lexicon's image, for sentiment_lexgen: `prefix`
  /// names them (prefixEntries…, then `constexpr LexiconImage prefix`). Every entry's keys must lie
  /// in `keys` (the lexicon was filled by add_static with it), which the C++ array `keys_array` holds.
  [[nodiscard]] std::string to_cpp(std::string_view prefix, std::span<const std::string_view> keys,
                                   std::string_view keys_array) const;

  /// Exact normalised form (single token) → entry, or null.
  [[nodiscard]] const LexEntry* find_exact(std::string_view norm) const;
  /// Stem → entry, or null (entries tagged exact are not here).
  [[nodiscard]] const LexEntry* find_stem(std::string_view stem) const;
  /// Phrases whose first key is `key`, longest first.
  [[nodiscard]] std::span<const std::uint32_t> phrases(std::string_view key) const;
  [[nodiscard]] const LexEntry& entry(std::uint32_t i) const { return entries_[i]; }
  /// Entry `i`'s second key as phrase matching needs it, without reading the entry: for an entry
  /// of two or more keys, kSecondKey | (kSecondExact when it is matched by exact forms) | the
  /// key's fingerprint(); else 0. A phrase whose fingerprint differs from the next token's cannot
  /// match there (most phrases a token starts fail at their second key).
  [[nodiscard]] std::uint64_t second_key(std::uint32_t i) const { return second_keys_[i]; }
  static constexpr std::uint64_t kSecondKey = std::uint64_t{1} << 32;
  static constexpr std::uint64_t kSecondExact = std::uint64_t{1} << 33;
  [[nodiscard]] static std::uint32_t fingerprint(std::string_view key) noexcept {
    return static_cast<std::uint32_t>(fast_hash(key));
  }
  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  /// "file:line" of an entry, for messages.
  [[nodiscard]] std::string origin(const LexEntry& e) const;

 private:
  template <class V>
  using Map = boost::unordered_flat_map<std::string_view, V, FastStringHash, StringEq>;

  /// Stores one entry (replacing an earlier one for the same term) and indexes it.
  void insert(const LexEntry& e, std::string_view single_norm, Script single_script);
  /// Fills by_term_ when the lexicon came from an image (only needed to add more terms).
  void index_terms();
  std::uint32_t file_index(std::string_view origin);
  std::string_view own(std::string_view s);

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

  /// second_key() of an entry.
  static std::uint64_t second_key_of(const LexEntry& e) noexcept;

  std::vector<LexEntry> entries_;
  std::vector<std::uint64_t> second_keys_;  ///< per entry, kept with entries_: second_key()
  std::vector<std::string> files_;                          ///< origins named in add()
  std::deque<std::string> strings_;                         ///< terms and keys added at run time
  std::deque<std::vector<std::string_view>> key_lists_;     ///< their key lists
  Filter exact_filter_;
  Filter stem_filter_;
  Filter phrase_filter_;
  Map<std::uint32_t> by_term_;  ///< normalised term → entry (for overrides)
  bool by_term_ready_ = true;   ///< false after from_image until a term is added
  Map<std::uint32_t> exact_;
  Map<std::uint32_t> stems_;
  Map<std::vector<std::uint32_t>> phrases_;
};

}  // namespace otklik::sentiment
