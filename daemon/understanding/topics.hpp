#pragma once
/// Complaint topics: a taxonomy (rudeness, queues, money not refunded, …) with the cues that find
/// each topic in a text and the response hints an agent follows when answering. The built-in
/// taxonomy is config/topics/topics.toml; teams add and rename topics in their own files
/// (topic_file.hpp). The tagger is pure and deterministic.
///
/// Cue syntax (one cue = one to six words, matched in order within one sentence, with at most two
/// other words between consecutive cue words; commas do not break a cue, . ! ? and line breaks do):
///   word     matches any form with the same Snowball stem: «нахамили» matches «нахамил»
///   word*    matches words that start with it: «хам*» matches «хамство», «хамили», «хамка»
///   =word    matches only this form (after case folding and ё→е): «=долго», not «долг»
/// A cue is split into words the way text is (sentiment::tokenize): «смс-информ*» is «смс» then
/// «информ*»; a leading "=" applies to every piece of its word, a trailing "*" to the last one.
/// An exception is written the same way; a cue match that overlaps an exception match of the
/// same topic does not count («в первую очередь» is not about queues) unless the cue match is
/// longer and holds the whole exception («not as advertised» despite "as advertised").

#include "daemon/sentiment/stemmer.hpp"
#include "daemon/sentiment/text.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace otklik::understanding {

/// A text in the two languages Otklik speaks.
struct LocalText {
  std::string ru;
  std::string en;
  /// The text for `locale` ("en…" → en, else ru), falling back to the other language.
  [[nodiscard]] const std::string& in(std::string_view locale) const;
  friend bool operator==(const LocalText&, const LocalText&) = default;
};

/// Lists per language (cues, exceptions, hints).
struct LocalList {
  std::vector<std::string> ru;
  std::vector<std::string> en;
  /// The list for `locale`, falling back to the other language when it is empty.
  [[nodiscard]] const std::vector<std::string>& in(std::string_view locale) const;
  friend bool operator==(const LocalList&, const LocalList&) = default;
};

/// One complaint topic: its names, what it covers, how it is found and how to answer it.
struct Topic {
  std::string id;          ///< lower-case letters, digits, "_": "rudeness"
  LocalText name;          ///< "Хамство и отношение персонала" / "Rudeness and staff attitude"
  LocalText description;   ///< what belongs here and what does not
  LocalList cues;
  LocalList exceptions;
  LocalList hints;         ///< the checklist for the agent who answers
  friend bool operator==(const Topic&, const Topic&) = default;
};

/// The topics in force: the built-in ones with the team's changes (topic_file.hpp).
struct Taxonomy {
  std::vector<Topic> topics;  ///< in the order alerts and reports list them
  /// The topic with this id, or nullptr.
  [[nodiscard]] const Topic* find(std::string_view id) const;
  friend bool operator==(const Taxonomy&, const Taxonomy&) = default;
};

/// Where a cue matched (for `otklik topics` and tests).
struct CueHit {
  std::string topic;
  std::string cue;
  std::size_t begin = 0;  ///< byte span in the text
  std::size_t end = 0;
  friend bool operator==(const CueHit&, const CueHit&) = default;
};

/// Finds the topics of a text. Const and safe to share between threads (the stemmer, which keeps
/// state, is behind a mutex). Linear in the text's length.
class TopicTagger {
 public:
  /// Compiles the cues of `taxonomy` (invalid cues are skipped; topic_file.cpp reports them).
  explicit TopicTagger(const Taxonomy& taxonomy);
  ~TopicTagger();
  TopicTagger(const TopicTagger&) = delete;
  TopicTagger& operator=(const TopicTagger&) = delete;

  /// The ids of the topics `text` names, in taxonomy order.
  [[nodiscard]] std::vector<std::string> tag(std::string_view text) const;
  /// The same, for a text whose tokens (`sentiment::tokenize(text)`) the caller holds already.
  [[nodiscard]] std::vector<std::string> tag(std::string_view text, const sentiment::TokenBuffer& tokens) const;
  /// Every cue match (after exceptions), in text order.
  [[nodiscard]] std::vector<CueHit> explain(std::string_view text) const;

  struct Compiled;  ///< the cues compiled for matching (topics.cpp)
  /// Word forms whose stem and candidate cues a tagger keeps between calls; past this many the
  /// cache starts again empty. Only speeds tagging up: results do not depend on it.
  static constexpr std::size_t kMaxCachedWords = 65536;

 private:
  [[nodiscard]] std::vector<std::string> tag_tokens(const sentiment::TokenBuffer& tokens) const;

  std::unique_ptr<Compiled> compiled_;
  mutable std::mutex mu_;
  mutable sentiment::StemmerSet stemmer_;
};

/// Why a cue is not valid ("" when it is): empty, more than six words, "*" or "=" misplaced, a
/// word with no letters or digits, a sentence mark or a line break inside.
std::string cue_problem(std::string_view cue);

}  // namespace otklik::understanding
