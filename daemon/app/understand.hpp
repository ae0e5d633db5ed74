#pragma once
/// The understanding step of the pipeline: which brand a free-text mention names, the claims and
/// topics of a negative mention, who wrote it, and whether that author complained before. The
/// pure parts live in daemon/understanding/; this class puts them together. It holds no state
/// that changes: its methods may run on a worker thread (the pure ones) or in a store job
/// (repeat_author, which reads the mentions role).

#include "daemon/channels/channel.hpp"
#include "daemon/config/config.hpp"
#include "daemon/core/error.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/mention_store.hpp"
#include "daemon/understanding/brand_match.hpp"
#include "daemon/understanding/topics.hpp"
#include "daemon/understanding/understanding.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace otklik {

/// Loads the taxonomy [topics] asks for: the built-in one, the user's files in order, minus the
/// disabled ids. Every problem of every file is in the failure's message.
Result<std::shared_ptr<const understanding::Taxonomy>> load_topics(const TopicsConfig& config);

/// Topic id → name in `locale` (for the digest).
std::map<std::string, std::string> topic_names(const understanding::Taxonomy& taxonomy, std::string_view locale);

/// The brand matcher of the config's [[brand]] tables (names, aliases, guard, typos).
std::unique_ptr<understanding::BrandMatcher> make_brand_matcher(const std::vector<BrandConfig>& brands);

/// The author's earlier negatives (newest first) summed up for the alert: counts per source
/// with this mention's source included, the few most recent, and the topics raised again.
understanding::RepeatAuthor summarize_history(const std::vector<AuthorHistoryItem>& history,
                                              const std::string& source, const std::vector<std::string>& topics,
                                              int window_days, std::size_t max_previous = 3);

/// Fills the request's topic names and response hints (in `locale`) for the mention's topics
/// and its claims' topics, and what [understanding] shows. Does nothing without a mention.
void add_topic_views(DeliveryRequest& request, const understanding::Taxonomy* taxonomy, std::string_view locale,
                     const UnderstandingConfig& config);

class Understander {
 public:
  /// `scorer` scores each clause of a complaint; `taxonomy` may be null (no topics).
  Understander(const Scorer& scorer, std::shared_ptr<const understanding::Taxonomy> taxonomy,
               std::unique_ptr<understanding::BrandMatcher> brands, UnderstandingConfig config);

  /// For a source with match_brands: the brand the mention names, or none (the item is dropped).
  [[nodiscard]] std::optional<understanding::BrandMatch> match_brand(const Mention& m) const;

  /// Claims and topics (negative mentions only) and author keys. Pure.
  understanding::Understanding understand(const Mention& m, const Sentiment& s) const;
  /// The same, for the pipeline, which has tokenised `text` (= scored_text(m)) for the scorer
  /// already: the claims and topics read those tokens instead of tokenising the text again.
  /// `s_is_clause_score`: `s.score` is what the scorer gives the text as a clause (no rating, the
  /// language detected), so a one-clause complaint is not scored twice (ClaimOptions).
  understanding::Understanding understand(const Mention& m, const Sentiment& s, std::string_view text,
                                          const sentiment::TokenBuffer& tokens, bool s_is_clause_score) const;

  /// The repeat author of a negative mention: its author's earlier negatives within
  /// [understanding].repeat_window before `now`, read from `mentions` (`self` is the mention's
  /// own id when it is stored already: not counted). A failed lookup leaves `u.repeat` empty and
  /// returns the failure (the mention is still ingested).
  Result<void> repeat_author(understanding::Understanding& u, const Mention& m, MentionStore& mentions,
                             std::int64_t self, TimePoint now) const;

  [[nodiscard]] const std::shared_ptr<const understanding::Taxonomy>& taxonomy() const { return taxonomy_; }

 private:
  const Scorer& scorer_;
  std::shared_ptr<const understanding::Taxonomy> taxonomy_;
  std::unique_ptr<understanding::TopicTagger> tagger_;
  std::unique_ptr<understanding::BrandMatcher> brands_;
  UnderstandingConfig config_;
};

}  // namespace otklik
