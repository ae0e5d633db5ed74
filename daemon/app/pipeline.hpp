#pragma once
/// The ingest pipeline: what happens to the items of one successful poll — score, decide whether
/// the item may alert (silent baseline, age), route, and store with its outbox rows in one
/// transaction. No I/O besides the store; time comes in as `now`.

#include "daemon/app/understand.hpp"
#include "daemon/config/config.hpp"
#include "daemon/routing/router.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/store.hpp"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace otklik {

/// What one poll's items did.
struct IngestSummary {
  int inserted = 0;
  int updated = 0;
  int unchanged = 0;
  int negative = 0;
  int failed = 0;                      ///< store failures (logged by the caller)
  int dropped = 0;                     ///< items of a match_brands source that named no brand
  int answered_on_site = 0;            ///< negatives the company had answered on the site (marked answered)
  std::set<std::string> channels;      ///< channels that got new outbox rows
  std::vector<std::string> errors;
  std::vector<std::string> warnings;   ///< understanding problems (the items were still stored)
  /// (brand, topic) of new negatives, topic "" for all: where a spike may have started.
  std::set<std::pair<std::string, std::string>> negative_keys;
};

/// Whether a new item may alert: always after the first poll; on the first (baseline) poll only
/// items published within `alert_max_age` of `now` (items without a date stay silent).
bool may_alert(const SourceConfig& source, const SourceState& state, const Mention& m, TimePoint now) noexcept;

/// Who "answered" a review the company answered on the site itself: platform "site", id = the
/// source's name. Alerts show it as «✅ Ответили: на сайте».
Actor site_actor(const SourceConfig& source);

class Pipeline {
 public:
  /// Called after each scored item (for metrics): seconds spent scoring.
  using ScoreObserver = std::function<void(double seconds)>;
  /// Called for each ingested item with its outcome (for metrics and logs).
  using IngestObserver = std::function<void(const Mention&, const Sentiment&, const IngestResult&)>;
  /// Quiet hours: when an alert of this severity queued at `now` is to be held, until when.
  using HoldPolicy = std::function<std::optional<TimePoint>(Severity, TimePoint now)>;

  Pipeline(const Scorer& scorer, const Router& router, Store& store, Lang default_lang)
      : scorer_(scorer), router_(router), store_(store), lang_(default_lang) {}

  void on_score(ScoreObserver f) { on_score_ = std::move(f); }
  void on_ingest(IngestObserver f) { on_ingest_ = std::move(f); }
  void hold_with(HoldPolicy f) { hold_ = std::move(f); }
  /// Brand matching, claims, topics and repeat authors; without it items are only scored.
  void understand_with(const Understander* u) { understander_ = u; }

  /// Ingests the items of one poll of `source` (state is the state before this poll). A negative
  /// review that carries the company's reply follows `source.answered`: inform (the case opens as
  /// answered on the site), act (a case like any other), quiet (stored, no alert). A reply that
  /// appears later on an alerted review marks its case answered (inform and quiet) and queues
  /// status updates of the posted alerts.
  IngestSummary ingest(const SourceConfig& source, const SourceState& state, const std::vector<Mention>& items,
                       TimePoint now);

 private:
  void mark_answered_on_site(const SourceConfig& source, std::int64_t mention_id, TimePoint now, IngestSummary& summary);

  const Scorer& scorer_;
  const Router& router_;
  Store& store_;
  Lang lang_;
  ScoreObserver on_score_;
  IngestObserver on_ingest_;
  HoldPolicy hold_;
  const Understander* understander_ = nullptr;
};

}  // namespace otklik
