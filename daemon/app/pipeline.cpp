#include "daemon/app/pipeline.hpp"

#include "daemon/app/status_updates.hpp"
#include "daemon/routing/sensitivity.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/core/offload.hpp"
#include "daemon/core/plural.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <chrono>
#include <map>

namespace otklik {

namespace asio = boost::asio;

bool may_alert(const SourceConfig& source, const SourceState& state, const Mention& m, TimePoint now) noexcept {
  if (state.polls > 0) return true;
  if (!m.published) return false;
  return now - *m.published <= source.alert_max_age;
}

Actor site_actor(const SourceConfig& source) { return Actor{"site", source.name, ""}; }

namespace {

/// What a store job reports back besides its results (applied to the summary on the I/O thread).
struct StoreNotes {
  int answered_on_site = 0;
  std::set<std::string> channels;
  std::vector<std::string> warnings;
};

/// A reply that appeared on an alerted review: its case is answered now (by "the site"), and the
/// posted alerts say so. Runs in a store job (cases and outbox roles).
void mark_answered_on_site(CaseStore& cases, OutboxStore& outbox, const SourceConfig& source,
                           std::int64_t mention_id, TimePoint now, StoreNotes& notes) {
  auto update = cases.apply_case_action(mention_id, CaseAction::answer, site_actor(source),
                                        "the company's reply on the site", now);
  if (!update) {
    if (update.error().code == make_error_code(errc::not_found)) return;  // never alerted: no case to mark
    notes.warnings.push_back("mention " + std::to_string(mention_id) + ": marking answered on the site: " +
                             update.error().message());
    return;
  }
  if (!update->changed) return;  // already answered (or resolved) here
  ++notes.answered_on_site;
  auto queued = queue_status_updates(outbox, mention_id, now);
  if (!queued) {
    notes.warnings.push_back("mention " + std::to_string(mention_id) + ": status update: " + queued.error().message());
    return;
  }
  notes.channels.insert(queued->begin(), queued->end());
}

}  // namespace

/// One slice of a poll's items on its way through the stages.
struct Pipeline::Slice {
  std::vector<Mention> items;
  /// After "known": the items to score, with what the store holds of them (nothing: new).
  struct Fresh {
    Mention mention;
    std::optional<KnownItem> known;
  };
  std::vector<Fresh> fresh;
  int unchanged = 0;
  /// After the work stages: ready to store (brand set, scored, understood, routed).
  std::vector<IngestItem> ready;
  std::vector<std::int64_t> self_ids;   ///< the stored id of each ready item (0: new)
  std::vector<double> score_seconds;
  int dropped = 0;
  int negative = 0;
  int capped = 0;       ///< alerts held back by the poll's cap
};

namespace {

/// Stage "known": one lookup for the slice; items stored unchanged stop here (a reply that
/// appeared on one is recorded and marks its case). Runs in a store job.
void known_stage(MentionStore& mentions, CaseStore& cases, OutboxStore& outbox, const SourceConfig& source,
                 Pipeline::Slice& slice, TimePoint now, StoreNotes& notes, std::vector<std::string>& errors) {
  std::vector<std::string> ids;
  ids.reserve(slice.items.size());
  for (const Mention& m : slice.items) ids.push_back(m.external_id);
  auto known = mentions.known(source.name, ids);
  if (!known) {
    // The lookup failed: every item goes on as new; ingest finds what is stored itself.
    errors.push_back("known items: " + known.error().message());
    for (Mention& m : slice.items) slice.fresh.push_back({std::move(m), std::nullopt});
    return;
  }
  std::map<std::string_view, const KnownItem*> by_id;
  for (const KnownItem& k : *known) by_id.emplace(k.external_id, &k);
  for (Mention& m : slice.items) {
    const auto it = by_id.find(m.external_id);
    if (it == by_id.end()) {
      slice.fresh.push_back({std::move(m), std::nullopt});
      continue;
    }
    const KnownItem& k = *it->second;
    if (!k.same_content(m, text_hash(m))) {
      slice.fresh.push_back({std::move(m), k});
      continue;
    }
    ++slice.unchanged;
    if (k.company_reply == m.company_reply) continue;
    // The company answered (or edited its answer): kept, but this is not an edit of the review.
    auto added = mentions.update_reply(k.mention_id, m.company_reply);
    if (!added) {
      notes.warnings.push_back(m.external_id + ": company reply: " + added.error().message());
      continue;
    }
    if (*added && k.label == Label::negative && source.answered != AnsweredPolicy::act)
      mark_answered_on_site(cases, outbox, source, k.mention_id, now, notes);
  }
}

}  // namespace

asio::awaitable<IngestSummary> Pipeline::ingest(const SourceConfig& source, SourceState state,
                                                std::vector<Mention> items, TimePoint now) {
  IngestSummary summary;
  PollBudget budget;
  budget.alerts_left = source.max_alerts_per_poll;
  budget.capped = source.max_alerts_per_poll > 0;
  for (std::size_t begin = 0; begin < items.size(); begin += kSlice) {
    // Shutdown or reload: the rest is left for the next poll (the source's state is not saved
    // as polled, so nothing is skipped).
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) {
      summary.cancelled = true;
      summary.failed += static_cast<int>(items.size() - begin);
      summary.errors.push_back("stopped before " + std::to_string(items.size() - begin) + " items were stored");
      break;
    }
    Slice slice;
    const std::size_t end = std::min(items.size(), begin + kSlice);
    slice.items.assign(std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(begin)),
                       std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(end)));
    co_await ingest_slice(source, state, slice, now, summary, budget);
    if (summary.lease_lost) break;  // another instance polls the source now
  }
  if (summary.alerts_capped > 0 && !budget.capped_channels.empty()) {
    // One notice per channel instead of the alerts beyond the cap (their mentions are stored).
    const std::string payload = capped_notice(source, summary.alerts_capped, locale_);
    std::vector<AlertRequest> notices;
    for (const auto& ch : budget.capped_channels) notices.push_back({ch, "notice", payload, std::nullopt});
    auto queued = co_await store_.run([&](OutboxStore& outbox) -> Result<void> {
      for (const auto& n : notices)
        if (auto r = outbox.enqueue(n, 0, now); !r) return r.error();
      return {};
    });
    if (!queued) summary.warnings.push_back("the notice of alerts held back: " + queued.error().message());
    else summary.channels.insert(budget.capped_channels.begin(), budget.capped_channels.end());
  }
  // A source's first poll stores its backlog silently: that is no spike.
  if (state.polls == 0) summary.negative_keys.clear();
  co_return summary;
}

asio::awaitable<void> Pipeline::ingest_slice(const SourceConfig& source, const SourceState& state, Slice& slice,
                                             TimePoint now, IngestSummary& summary, PollBudget& budget) {
  // known
  StoreNotes notes;
  co_await store_.run([&](Store& s) {
    known_stage(s, s, s, source, slice, now, notes, summary.errors);
    return 0;
  });
  summary.unchanged += slice.unchanged;

  // brand, score, understand, route — pure, on the work executor
  if (!slice.fresh.empty()) {
    co_await offload(state.polls == 0 ? backlog_ : work_, [&] {
      // An item's text is tokenised once: the scorer, the claims and the topics read the tokens.
      sentiment::TokenBuffer tokens;
      for (Slice::Fresh& f : slice.fresh) {
        Mention& m = f.mention;
        std::optional<understanding::BrandMatch> brand;
        if (source.match_brands && understander_ != nullptr) {
          brand = understander_->match_brand(m);
          if (!brand) {
            ++slice.dropped;
            continue;
          }
          m.brand = brand->brand;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const std::string text = scored_text(m);
        sentiment::tokenize(text, tokens);
        Sentiment s = scorer_.score_tokenized(text, tokens, m.rating, lang_);
        slice.score_seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        // The source's sensitivity decides "negative" here, once: claims, routing, the stored
        // label (so the case and the digest) all follow it; the score stays the scorer's.
        s.label = label_at(s, source.negative_threshold);
        if (s.label == Label::negative) ++slice.negative;
        understanding::Understanding u;
        // Without a rating and a forced language the text's score is also its score as a clause.
        if (understander_ != nullptr)
          u = understander_->understand(m, s, text, tokens, !m.rating && lang_ == Lang::automatic);
        if (brand) u.brand = std::move(brand);

        AlertPolicy policy;
        policy.alert_new = may_alert(source, state, m, now);
        if (s.label == Label::negative) {
          const Severity severity = severity_of(s);
          policy.severity = std::string(to_string(severity));
          std::optional<TimePoint> hold = hold_ ? hold_(severity, now) : std::nullopt;
          for (auto& ch : router_.channels_for(m, severity)) policy.alerts.push_back({ch, "alert", "", hold});
          if (!m.company_reply.empty()) {
            if (source.answered == AnsweredPolicy::quiet) policy.alerts.clear();
            if (source.answered == AnsweredPolicy::inform) policy.answered_by = site_actor(source);
          }
          // The cap on alerts of one poll: would this item alert (new and may alert, or an edit
          // that newly turned negative)? Beyond the cap it is stored without one.
          const bool would_alert = !policy.alerts.empty() &&
                                   (f.known ? f.known->label != Label::negative : policy.alert_new);
          if (would_alert && budget.capped) {
            if (budget.alerts_left > 0) {
              --budget.alerts_left;
            } else {
              ++slice.capped;
              for (const auto& a : policy.alerts) budget.capped_channels.insert(a.channel);
              policy.alerts.clear();
            }
          }
        }
        slice.self_ids.push_back(f.known ? f.known->mention_id : 0);
        slice.ready.push_back(IngestItem{std::move(m), std::move(s), std::move(u), std::move(policy)});
        // Its hash, deflated text and sentiment JSON here, so that the store's thread only writes.
        prepare_row(slice.ready.back());
      }
      return 0;
    });
  }
  summary.dropped += slice.dropped;
  summary.negative += slice.negative;
  summary.alerts_capped += slice.capped;
  summary.scored += static_cast<int>(slice.score_seconds.size());
  if (on_score_)
    for (double seconds : slice.score_seconds) on_score_(seconds);

  // store: the author's earlier complaints, then the slice in one transaction — shared with the
  // slices of other polls queued meanwhile (group commit), so the job may run twice and makes
  // its notes afresh each time. A first poll's backlog alerts nobody now: it waits a little for
  // other backlogs, so that the index pages its old dates scatter over are written once for many.
  std::optional<Result<std::vector<Result<IngestResult>>>> stored;
  StoreNotes written;
  // A first-poll item recent enough to alert (alert_max_age) is news: its slice does not wait.
  // Nor does a full slice (a big feed's backlog): its rows are a batch already, and the poll's
  // slices go one after another.
  const bool alerts = std::any_of(slice.ready.begin(), slice.ready.end(), [](const IngestItem& i) {
    return i.policy.alert_new && !i.policy.alerts.empty();
  });
  const bool lingers = state.polls == 0 && !alerts && slice.items.size() < kSlice;
  const auto linger = lingers ? kBacklogLinger : std::chrono::milliseconds{0};
  if (!slice.ready.empty()) {
    stored = co_await store_.run_grouped([&](Store& s) {
      written = StoreNotes{};
      MentionStore& mentions = s;
      if (understander_ != nullptr) {
        for (std::size_t i = 0; i < slice.ready.size(); ++i) {
          IngestItem& item = slice.ready[i];
          if (item.sentiment.label != Label::negative) continue;
          item.understanding.repeat.reset();
          if (auto r = understander_->repeat_author(item.understanding, item.mention, mentions, slice.self_ids[i], now);
              !r)
            written.warnings.push_back(item.mention.external_id + ": repeat-author lookup: " + r.error().message());
          // An author seen before changes the stored understanding: the store makes it again.
          if (item.understanding.repeat) item.prepared.understanding_ready = false;
        }
      }
      auto results = mentions.ingest_batch(slice.ready, state.lease);
      if (!results) return results;
      for (std::size_t i = 0; i < results->size(); ++i) {
        const auto& r = (*results)[i];
        const IngestItem& item = slice.ready[i];
        if (!r || !r->reply_added || item.sentiment.label != Label::negative) continue;
        if (r->alerts_queued > 0 && item.policy.answered_by) ++written.answered_on_site;
        // The reply came after the alert: the case is answered now, and the posted alerts say so.
        if (r->outcome != IngestOutcome::inserted && r->alerts_queued == 0 && source.answered != AnsweredPolicy::act)
          mark_answered_on_site(s, s, source, r->mention_id, now, written);
      }
      return results;
    }, linger);
  }
  notes.answered_on_site += written.answered_on_site;
  notes.channels.insert(written.channels.begin(), written.channels.end());
  notes.warnings.insert(notes.warnings.end(), written.warnings.begin(), written.warnings.end());

  summary.answered_on_site += notes.answered_on_site;
  summary.channels.insert(notes.channels.begin(), notes.channels.end());
  summary.warnings.insert(summary.warnings.end(), notes.warnings.begin(), notes.warnings.end());
  if (!stored) co_return;
  if (!*stored) {
    summary.failed += static_cast<int>(slice.ready.size());
    summary.errors.push_back(stored->error().message());
    if (stored->error().code == make_error_code(errc::lease_lost)) summary.lease_lost = true;
    co_return;
  }
  for (std::size_t i = 0; i < (*stored)->size(); ++i) {
    const Result<IngestResult>& r = (**stored)[i];
    const IngestItem& item = slice.ready[i];
    if (!r) {
      ++summary.failed;
      summary.errors.push_back(item.mention.external_id + ": " + r.error().message());
      continue;
    }
    switch (r->outcome) {
      case IngestOutcome::inserted: ++summary.inserted; break;
      case IngestOutcome::updated: ++summary.updated; break;
      case IngestOutcome::unchanged: ++summary.unchanged; break;
    }
    const bool negative = item.sentiment.label == Label::negative;
    const bool newly_negative =
        negative && (r->outcome == IngestOutcome::inserted ||
                     (r->outcome == IngestOutcome::updated && r->previous_label != Label::negative));
    if (newly_negative) {
      summary.negative_keys.emplace(item.mention.brand, "");
      for (const auto& t : item.understanding.topics) summary.negative_keys.emplace(item.mention.brand, t);
    }
    if (r->alerts_queued > 0) {
      summary.alerts_queued += r->alerts_queued;
      for (const auto& a : item.policy.alerts) summary.channels.insert(a.channel);
    }
    if (on_ingest_) on_ingest_(item.mention, *r);
  }
}

std::string capped_notice(const SourceConfig& source, int held_back, std::string_view locale) {
  const bool en = locale.substr(0, 2) == "en";
  const std::string name = source.label.empty() ? source.name : source.label;
  std::string title = en ? fmt::format("{} more negative reviews from {}", held_back, name)
                         : fmt::format("Ещё {} {} из {}", held_back,
                                       plural_ru(held_back, "негативный отзыв", "негативных отзыва", "негативных отзывов"),
                                       name);
  std::string text =
      en ? fmt::format("One poll found more new negative reviews than max_alerts_per_poll ({}): they are stored, "
                       "and this notice stands for the {} not sent one by one.",
                       source.max_alerts_per_poll, held_back)
         : fmt::format("За один опрос источник дал больше новых негативных отзывов, чем max_alerts_per_poll ({}): "
                       "они сохранены, а {} из них не отправлены по одному — вместо них это уведомление.",
                       source.max_alerts_per_poll, held_back);
  if (!source.url.empty()) text += "\n" + source.url;
  return boost::json::serialize(boost::json::object{{"title", std::move(title)}, {"text", std::move(text)}});
}

}  // namespace otklik
