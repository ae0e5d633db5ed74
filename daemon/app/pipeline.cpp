#include "daemon/app/pipeline.hpp"

#include <chrono>

namespace otklik {

bool may_alert(const SourceConfig& source, const SourceState& state, const Mention& m, TimePoint now) noexcept {
  if (state.polls > 0) return true;
  if (!m.published) return false;
  return now - *m.published <= source.alert_max_age;
}

IngestSummary Pipeline::ingest(const SourceConfig& source, const SourceState& state,
                               const std::vector<Mention>& items, TimePoint now) {
  IngestSummary summary;
  for (const Mention& m : items) {
    auto t0 = std::chrono::steady_clock::now();
    Sentiment s = scorer_.score(scored_text(m), m.rating, lang_);
    if (on_score_)
      on_score_(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (s.label == Label::negative) ++summary.negative;

    AlertPolicy policy;
    policy.alert_new = may_alert(source, state, m, now);
    if (s.label == Label::negative) {
      const Severity severity = severity_of(s);
      policy.severity = std::string(to_string(severity));
      std::optional<TimePoint> hold = hold_ ? hold_(severity, now) : std::nullopt;
      for (auto& ch : router_.channels_for(m, severity)) policy.alerts.push_back({ch, "alert", "", hold});
    }
    auto r = store_.ingest(m, s, policy);
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
    if (r->alerts_queued > 0)
      for (const auto& a : policy.alerts) summary.channels.insert(a.channel);
    if (on_ingest_) on_ingest_(m, s, *r);
  }
  return summary;
}

}  // namespace otklik
