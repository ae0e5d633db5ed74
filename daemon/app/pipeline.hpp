#pragma once
/// The ingest pipeline: what happens to the items of one successful poll, as a list of named
/// stages, cheap ones first:
///
///   known    one batched store lookup: items stored with the same title, text and rating stop
///            here (a company reply that appeared on one is recorded, and marks its case);
///   brand    a match_brands source drops items that name no configured brand;
///   score    the lexicon scorer, then the source's sensitivity (routing/sensitivity.hpp) sets
///            which items are negative;
///   understand  claims, topics and author keys of a negative;
///   route    may it alert (silent baseline, age), which channels, quiet hours; then the row's
///            CPU part is made here (prepare_row: text hash, deflated text, sentiment JSON);
///   store    the author's earlier complaints, then mention, outbox rows and case in one
///            transaction per slice (each item rolled back alone on failure).
///
/// The items go through in slices (kSlice), so that a poll of 100,000 items never holds a thread
/// for long: store stages run as store jobs (store_executor.hpp), brand/score/understand/route on
/// the work executor (a small thread pool; inline when none is given). The event loop only
/// hands slices on. Time comes in as `now`.

#include "daemon/app/understand.hpp"
#include "daemon/config/config.hpp"
#include "daemon/routing/router.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/source_state_store.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
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
  int negative = 0;                    ///< negatives among the items scored (new or edited)
  int scored = 0;                      ///< items that went through the scorer
  int failed = 0;                      ///< store failures (logged by the caller)
  int dropped = 0;                     ///< items of a match_brands source that named no brand
  int answered_on_site = 0;            ///< negatives the company had answered on the site (marked answered)
  int alerts_queued = 0;               ///< outbox rows of kind "alert" written
  /// Negatives that would have alerted beyond the source's max_alerts_per_poll: stored without an
  /// alert and told in one notice per channel.
  int alerts_capped = 0;
  bool cancelled = false;              ///< stopped (shutdown, reload) before every slice was stored
  bool lease_lost = false;     ///< the source's lease moved to another instance: the rest was not stored
  std::set<std::string> channels;      ///< channels that got new outbox rows
  std::vector<std::string> errors;
  std::vector<std::string> warnings;   ///< understanding problems (the items were still stored)
  /// (brand, topic) of new negatives, topic "" for all: where a spike may have started. Empty
  /// after a source's silent first poll (its backlog is not news).
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
  /// Items handed on together: one known lookup, one work job, one store transaction.
  static constexpr std::size_t kSlice = 200;
  /// How long a first poll's slice of fewer than kSlice items, none of them alerting, may wait on
  /// the store's queue for others to share its transaction (StoreExecutor::run_grouped).
  static constexpr std::chrono::milliseconds kBacklogLinger{200};

  /// Called with the seconds spent scoring each item (for metrics), on the I/O thread.
  using ScoreObserver = std::function<void(double seconds)>;
  /// Called for each ingested item with its outcome (for metrics and logs), on the I/O thread.
  using IngestObserver = std::function<void(const Mention&, const IngestResult&)>;
  /// Quiet hours: when an alert of this severity queued at `now` is to be held, until when.
  /// Pure (called on the work executor).
  using HoldPolicy = std::function<std::optional<TimePoint>(Severity, TimePoint now)>;

  /// `work` runs the pure stages (empty: inline on the caller's thread); `backlog` runs them for a
  /// source's first poll (a thread of lower priority, so that a new source's backlog never holds
  /// up the news of the others; empty: `work`).
  Pipeline(const Scorer& scorer, const Router& router, StoreExecutor& store, Lang default_lang,
           boost::asio::any_io_executor work = {}, boost::asio::any_io_executor backlog = {})
      : scorer_(scorer),
        router_(router),
        store_(store),
        lang_(default_lang),
        work_(std::move(work)),
        backlog_(backlog ? std::move(backlog) : work_) {}

  void on_score(ScoreObserver f) { on_score_ = std::move(f); }
  void on_ingest(IngestObserver f) { on_ingest_ = std::move(f); }
  void hold_with(HoldPolicy f) { hold_ = std::move(f); }
  /// Brand matching, claims, topics and repeat authors; without it items are only scored.
  void understand_with(const Understander* u) { understander_ = u; }
  /// The language of the notice that tells of alerts beyond max_alerts_per_poll ("ru", "en").
  void notice_locale(std::string locale) { locale_ = std::move(locale); }

  /// Ingests the items of one poll of `source` (state is the state before this poll). A negative
  /// review that carries the company's reply follows `source.answered`: inform (the case opens as
  /// answered on the site), act (a case like any other), quiet (stored, no alert). A reply that
  /// appears later on an alerted review marks its case answered (inform and quiet) and queues
  /// status updates of the posted alerts. `source` must outlive the call.
  boost::asio::awaitable<IngestSummary> ingest(const SourceConfig& source, SourceState state,
                                               std::vector<Mention> items, TimePoint now);

  /// One slice on its way through the stages (pipeline.cpp).
  struct Slice;

 private:
  /// What the route stage needs across the slices of one poll: alerts left under the cap, and
  /// the channels of the alerts held back.
  struct PollBudget {
    int alerts_left = 0;
    bool capped = false;
    std::set<std::string> capped_channels;
  };
  boost::asio::awaitable<void> ingest_slice(const SourceConfig& source, const SourceState& state, Slice& slice,
                                            TimePoint now, IngestSummary& summary, PollBudget& budget);

  const Scorer& scorer_;
  const Router& router_;
  StoreExecutor& store_;
  Lang lang_;
  boost::asio::any_io_executor work_;
  boost::asio::any_io_executor backlog_;
  ScoreObserver on_score_;
  IngestObserver on_ingest_;
  HoldPolicy hold_;
  const Understander* understander_ = nullptr;
  std::string locale_ = "ru";
};

/// The notice that tells of the alerts held back by max_alerts_per_poll: JSON {"title","text"}
/// in `locale`, naming the source (its label) and linking to its page.
std::string capped_notice(const SourceConfig& source, int held_back, std::string_view locale);

}  // namespace otklik
