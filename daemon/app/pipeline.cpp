#include "daemon/app/pipeline.hpp"

#include "daemon/app/status_updates.hpp"

#include <chrono>

namespace otklik {

bool may_alert(const SourceConfig& source, const SourceState& state, const Mention& m, TimePoint now) noexcept {
  if (state.polls > 0) return true;
  if (!m.published) return false;
  return now - *m.published <= source.alert_max_age;
}

Actor site_actor(const SourceConfig& source) { return Actor{"site", source.name, ""}; }

IngestSummary Pipeline::ingest(const SourceConfig& source, const SourceState& state,
                               const std::vector<Mention>& items, TimePoint now) {
  IngestSummary summary;
  for (const Mention& original : items) {
    // A source whose text may be about anything keeps only items that name a brand.
    std::optional<understanding::BrandMatch> brand;
    if (source.match_brands && understander_ != nullptr) {
      brand = understander_->match_brand(original);
      if (!brand) {
        ++summary.dropped;
        continue;
      }
    }
    const Mention* item = &original;
    Mention branded;
    if (brand) {
      branded = original;
      branded.brand = brand->brand;
      item = &branded;
    }
    const Mention& m = *item;

    auto t0 = std::chrono::steady_clock::now();
    Sentiment s = scorer_.score(scored_text(m), m.rating, lang_);
    if (on_score_)
      on_score_(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (s.label == Label::negative) ++summary.negative;

    understanding::Understanding u;
    if (understander_ != nullptr) {
      std::string problem;
      u = understander_->understand(m, s, &store_, now, &problem);
      if (!problem.empty()) summary.warnings.push_back(m.external_id + ": repeat-author lookup: " + problem);
    }
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
    }
    auto r = store_.ingest(m, s, u, policy);
    if (!r) {
      ++summary.failed;
      summary.errors.push_back(m.external_id + ": " + r.error().message());
      continue;
    }
    switch (r->outcome) {
      case IngestOutcome::inserted: ++summary.inserted; break;
      case IngestOutcome::updated: ++summary.updated; break;
      case IngestOutcome::unchanged: ++summary.unchanged; break;
    }
    const bool newly_negative = s.label == Label::negative &&
                                (r->outcome == IngestOutcome::inserted ||
                                 (r->outcome == IngestOutcome::updated && r->previous_label != Label::negative));
    if (newly_negative) {
      summary.negative_keys.emplace(m.brand, "");
      for (const auto& t : u.topics) summary.negative_keys.emplace(m.brand, t);
    }
    if (r->alerts_queued > 0)
      for (const auto& a : policy.alerts) summary.channels.insert(a.channel);
    if (r->reply_added && s.label == Label::negative) {
      if (r->alerts_queued > 0 && policy.answered_by) ++summary.answered_on_site;
      // The reply came after the alert: the case is answered now, and the posted alerts say so.
      if (r->outcome != IngestOutcome::inserted && r->alerts_queued == 0 && source.answered != AnsweredPolicy::act)
        mark_answered_on_site(source, r->mention_id, now, summary);
    }
    if (on_ingest_) on_ingest_(m, s, *r);
  }
  return summary;
}

void Pipeline::mark_answered_on_site(const SourceConfig& source, std::int64_t mention_id, TimePoint now,
                                     IngestSummary& summary) {
  auto update = store_.apply_case_action(mention_id, CaseAction::answer, site_actor(source),
                                         "the company's reply on the site", now);
  if (!update) {
    if (update.error().code == make_error_code(errc::not_found)) return;  // never alerted: no case to mark
    summary.warnings.push_back("mention " + std::to_string(mention_id) + ": marking answered on the site: " +
                               update.error().message());
    return;
  }
  if (!update->changed) return;  // already answered (or resolved) here
  ++summary.answered_on_site;
  auto queued = queue_status_updates(store_, mention_id, now);
  if (!queued) {
    summary.warnings.push_back("mention " + std::to_string(mention_id) + ": status update: " + queued.error().message());
    return;
  }
  summary.channels.insert(queued->begin(), queued->end());
}

}  // namespace otklik
