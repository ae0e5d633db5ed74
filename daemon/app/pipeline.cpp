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
    if (on_ingest_) on_ingest_(m, s, *r);
  }
  return summary;
}

}  // namespace otklik
