#include "daemon/app/app_events.hpp"

namespace otklik {

AppEvents::AppEvents(health::MetricsRegistry& metrics)
    : metrics_(metrics),
      scoring_(metrics.histogram("otklik_scoring_seconds", "Time to score one item.", health::scoring_buckets())),
      alerts_queued_(metrics.counter("otklik_alerts_queued_total", "Alerts written to the outbox.", {})),
      start_delay_(metrics.histogram("otklik_poll_start_delay_seconds",
                                     "How late polls start against their schedule (waiting for a free slot included).",
                                     {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300})) {}

void AppEvents::alerts_capped(const std::string& source, int n) {
  metrics_.counter("otklik_alerts_capped_total",
                   "Negatives stored without an alert because one poll passed max_alerts_per_poll.",
                   {{"source", source}})
      .inc(n);
}

void AppEvents::poll_started(const std::string&, Duration late) {
  start_delay_.observe(std::max(0.0, std::chrono::duration<double>(late).count()));
}

AppEvents::SourceMetrics& AppEvents::source_metrics(const std::string& source) {
  if (auto it = sources_.find(source); it != sources_.end()) return it->second;
  constexpr std::string_view kPolls = "otklik_source_polls_total";
  constexpr std::string_view kPollsHelp = "Polls that succeeded or failed, per source.";
  constexpr std::string_view kSeen = "otklik_mentions_total";
  constexpr std::string_view kSeenHelp = "Items seen, per source and outcome.";
  SourceMetrics m{
      &metrics_.counter(kPolls, kPollsHelp, {{"source", source}, {"result", "ok"}}),
      &metrics_.counter(kPolls, kPollsHelp, {{"source", source}, {"result", "not_modified"}}),
      &metrics_.counter(kPolls, kPollsHelp, {{"source", source}, {"result", "failed"}}),
      &metrics_.gauge("otklik_source_last_success_timestamp_seconds", "When the source last polled successfully.",
                      {{"source", source}}),
      &metrics_.gauge("otklik_source_consecutive_failures", "Failed polls in a row, per source.", {{"source", source}}),
      &metrics_.counter(kSeen, kSeenHelp, {{"source", source}, {"outcome", "inserted"}}),
      &metrics_.counter(kSeen, kSeenHelp, {{"source", source}, {"outcome", "updated"}}),
      &metrics_.counter(kSeen, kSeenHelp, {{"source", source}, {"outcome", "unchanged"}}),
  };
  return sources_.emplace(source, m).first->second;
}

std::string failure_reason(const Failure& f) {
  if (f.code.category() != otklik_category()) return "network";
  switch (static_cast<errc>(f.code.value())) {
    case errc::http_status:
      return f.http_status >= 500 ? "http_5xx" : "http_4xx";
    case errc::timeout: return "timeout";
    case errc::connect_failed: return "connect";
    case errc::tls_failed: return "tls";
    case errc::rate_limited: return "rate_limited";
    case errc::too_large: return "too_large";
    case errc::too_many_redirects:
    case errc::bad_redirect: return "redirect";
    case errc::decode_failed: return "decode";
    case errc::parse_failed: return "parse";
    case errc::blocked: return "blocked";
    case errc::store_failed: return "store";
    case errc::address_refused: return "address_refused";
    case errc::proxy_failed: return "proxy";
    default: return "other";
  }
}

void AppEvents::poll_succeeded(const std::string& source, const IngestSummary& summary, bool not_modified,
                               TimePoint now) {
  SourceMetrics& m = source_metrics(source);
  (not_modified ? m.polls_not_modified : m.polls_ok)->inc();
  m.last_success->set_time(now);
  m.failures->set(0);
  if (summary.unchanged > 0) m.unchanged->inc(summary.unchanged);
  for (const auto& ch : summary.channels)
    if (auto it = dispatchers_.find(ch); it != dispatchers_.end()) it->second->notify();
}

void AppEvents::poll_failed(const std::string& source, const Failure& failure) {
  SourceMetrics& m = source_metrics(source);
  m.polls_failed->inc();
  metrics_.counter("otklik_source_poll_failures_total", "Failed polls, per source and reason.",
                   {{"source", source}, {"reason", failure_reason(failure)}})
      .inc();
  m.failures->inc();
}

void AppEvents::source_health(const std::string& source, bool broken) {
  metrics_.gauge("otklik_source_broken", "1 while the source is reported broken (captcha, ban, nothing found).",
                 {{"source", source}})
      .set(broken ? 1 : 0);
  metrics_.counter("otklik_source_health_changes_total", "Sources reported broken or working again.",
                   {{"change", broken ? "broken" : "recovered"}})
      .inc();
  notify_all();
}

void AppEvents::dropped_without_brand(const std::string& source, int n) {
  metrics_.counter("otklik_mentions_dropped_total", "Items dropped because they name no configured brand.",
                   {{"source", source}})
      .inc(n);
}

void AppEvents::answered_on_site(const std::string& source, int n) {
  metrics_.counter("otklik_answered_on_site_total",
                   "Negative reviews the company had answered on the site; their cases are marked answered.",
                   {{"source", source}})
      .inc(n);
}

void AppEvents::spike(bool started) {
  metrics_.counter("otklik_spikes_total", "Spikes of negative volume started and ended.",
                   {{"change", started ? "started" : "ended"}})
      .inc();
}

void AppEvents::notify_all() {
  for (auto& [name, d] : dispatchers_) d->notify();
}

void AppEvents::ingested(const std::string& source, IngestOutcome outcome, int alerts_queued) {
  SourceMetrics& m = source_metrics(source);
  if (outcome == IngestOutcome::inserted) m.inserted->inc();
  else if (outcome == IngestOutcome::updated) m.updated->inc();
  if (alerts_queued > 0) alerts_queued_.inc(alerts_queued);
}

void AppEvents::scored(double seconds) { scoring_.observe(seconds); }

void AppEvents::delivered(const std::string& channel, const OutboxItem&) {
  metrics_.counter("otklik_alerts_sent_total", "Alerts delivered, per channel.", {{"channel", channel}}).inc();
}

void AppEvents::retrying(const std::string& channel, const OutboxItem&, const Delivery& d) {
  metrics_.counter("otklik_alerts_failed_total", "Failed delivery attempts, per channel and kind (retry, dead).",
                   {{"channel", channel}, {"kind", "retry"}})
      .inc();
  if (d.retry_after)
    metrics_.counter("otklik_alerts_rate_limited_total", "Deliveries the API asked to retry later.",
                     {{"channel", channel}})
        .inc();
}

void AppEvents::dead(const std::string& channel, const OutboxItem&, const Delivery&) {
  metrics_.counter("otklik_alerts_failed_total", "Failed delivery attempts, per channel and kind (retry, dead).",
                   {{"channel", channel}, {"kind", "dead"}})
      .inc();
}

void AppEvents::notify_channel(const std::string& channel) {
  if (auto it = dispatchers_.find(channel); it != dispatchers_.end()) it->second->notify();
}

void AppEvents::escalated(std::string_view deadline) {
  metrics_.counter("otklik_escalations_total", "Escalation steps sent for missed deadlines.",
                   {{"deadline", std::string(deadline)}})
      .inc();
}

void AppEvents::followed_up() {
  metrics_.counter("otklik_follow_ups_total", "Reminders to ask the customer after an answer.").inc();
}

namespace {

/// Raises a counter to `total` (counts kept outside the registry; they only grow).
void raise_to(health::Counter& counter, std::uint64_t total) {
  const double delta = static_cast<double>(total) - counter.value();
  if (delta > 0) counter.inc(delta);
}

}  // namespace

void AppEvents::http_connections(const HttpClientStats& current) {
  raise_to(metrics_.counter("otklik_http_connections_opened_total", "HTTP connections opened (TLS included)."),
           replaced_http_.connections_opened + current.connections_opened);
  raise_to(metrics_.counter("otklik_http_requests_reused_total",
                            "HTTP responses received over a kept-alive connection."),
           replaced_http_.requests_reused + current.requests_reused);
  raise_to(metrics_.counter("otklik_http_stale_retries_total",
                            "HTTP requests sent again on a fresh connection after a kept-alive one failed."),
           replaced_http_.stale_retries + current.stale_retries);
  raise_to(metrics_.counter("otklik_http_stale_discarded_total",
                            "Kept-alive HTTP connections found closed by the server before reuse."),
           replaced_http_.stale_discarded + current.stale_discarded);
  metrics_.gauge("otklik_http_idle_connections", "HTTP connections kept alive, idle.")
      .set(static_cast<double>(current.idle));
}

void AppEvents::http_client_replaced(const HttpClientStats& last) {
  replaced_http_.connections_opened += last.connections_opened;
  replaced_http_.requests_reused += last.requests_reused;
  replaced_http_.stale_retries += last.stale_retries;
  replaced_http_.stale_discarded += last.stale_discarded;
}

void AppEvents::sla_check_failed() {
  metrics_.counter("otklik_sla_check_failures_total", "SLA checks that failed on the store.").inc();
}

}  // namespace otklik
