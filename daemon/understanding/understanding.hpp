#pragma once
/// What Otklik understands of a mention beyond its sentiment: the claims of a complaint, their
/// topics, the brand a free-text mention names, and whether its author complained before.
/// Plain data shared by the pure parts (claims.hpp, topics.hpp, brand_match.hpp, author.hpp),
/// stored with the mention (store/understanding_json.hpp) and shown in alerts and `otklik score`.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik::understanding {

/// One claim of a complaint: a clause that carries it, as a byte span [begin, end) of the scored
/// text (title + "\n" + text), its own sentiment score and the topics it names.
struct Claim {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;                 ///< the span's text, trimmed of spaces and list marks
  double score = 0;                 ///< in [-1, 1]
  std::vector<std::string> topics;  ///< topic ids, taxonomy order
  friend bool operator==(const Claim&, const Claim&) = default;
};

/// Which configured brand a mention names and in what form ("Рокербанка" for Рокетбанк).
struct BrandMatch {
  std::string brand;        ///< the [[brand]] name
  std::string form;         ///< the text as written in the mention
  std::size_t begin = 0;    ///< byte span of `form` in the text that was matched
  std::size_t end = 0;
  /// How it matched: "exact", "inflection", "split", "translit", "typo" (brand_match.hpp).
  std::string how;
  int distance = 0;         ///< edit distance for "typo"
  friend bool operator==(const BrandMatch&, const BrandMatch&) = default;
};

/// One earlier negative mention of the same author (newest first in RepeatAuthor::previous).
struct PreviousMention {
  std::int64_t mention_id = 0;
  std::string source;
  std::string url;
  std::int64_t published_ms = 0;    ///< published or first seen, ms since the epoch
  std::vector<std::string> topics;
  std::string case_state;           ///< "new", "taken", … or "" without a case
  friend bool operator==(const PreviousMention&, const PreviousMention&) = default;
};

/// The author's earlier negative mentions within the window (across sources).
struct RepeatAuthor {
  int negatives = 0;                        ///< including this one
  int window_days = 30;
  std::vector<std::pair<std::string, int>> by_source;  ///< source name → count, this one included
  std::vector<PreviousMention> previous;    ///< at most a few, newest first
  std::vector<std::string> repeated_topics; ///< topics of this mention the author raised before
  friend bool operator==(const RepeatAuthor&, const RepeatAuthor&) = default;
};

/// Everything understood of one mention.
struct Understanding {
  std::vector<Claim> claims;                ///< numbered in alerts in this order
  std::vector<std::string> topics;          ///< union of the claims' topics (whole text if no claims)
  std::optional<BrandMatch> brand;          ///< set when a brand matcher ran and found one
  std::string author_id_key;                ///< "<source>#<user id>" (author.hpp); "" when the site gives none
  std::string author_name_key;              ///< the normalised name when it identifies a person; "" otherwise
  std::optional<RepeatAuthor> repeat;       ///< set when the author has earlier negatives
  friend bool operator==(const Understanding&, const Understanding&) = default;
};

}  // namespace otklik::understanding
