#pragma once
/// Turns what sources and dispatchers report into metrics and dispatcher wake-ups.

#include "daemon/app/dispatcher.hpp"
#include "daemon/app/source_runner.hpp"
#include "daemon/health/metrics.hpp"
#include "daemon/net/http_client.hpp"

#include <map>
#include <unordered_map>
#include <string>

namespace otklik {

class AppEvents final : public SourceEvents, public DeliveryEvents {
 public:
  explicit AppEvents(health::MetricsRegistry& metrics);

  /// The dispatchers to wake when a poll queued rows for their channel (replaced on reload).
  void set_dispatchers(std::map<std::string, Dispatcher*> dispatchers) { dispatchers_ = std::move(dispatchers); }

  void poll_succeeded(const std::string& source, const IngestSummary& summary, bool not_modified,
                      TimePoint now) override;
  void poll_failed(const std::string& source, const Failure& failure) override;
  /// The otklik_source_broken gauge; wakes every dispatcher for the notice.
  void source_health(const std::string& source, bool broken) override;
  /// Items of a brand-matching source that named no brand (dropped).
  void dropped_without_brand(const std::string& source, int n) override;
  /// Negative reviews answered on the site (otklik_answered_on_site_total).
  void answered_on_site(const std::string& source, int n) override;
  /// A spike of negative volume started or ended.
  void spike(bool started);
  /// Wakes every dispatcher (after notices were queued outside a poll).
  void notify_all();

  void delivered(const std::string& channel, const OutboxItem& item) override;
  void retrying(const std::string& channel, const OutboxItem& item, const Delivery& d) override;
  void dead(const std::string& channel, const OutboxItem& item, const Delivery& d) override;

  /// Negatives held back by a source's max_alerts_per_poll (otklik_alerts_capped_total).
  void alerts_capped(const std::string& source, int n) override;
  /// How late a poll started against its schedule (otklik_poll_start_delay_seconds).
  void poll_started(const std::string& source, Duration late) override;
  /// Counts an item stored new or edited (called by the pipeline's observer); unchanged items are
  /// counted per poll (poll_succeeded).
  void ingested(const std::string& source, IngestOutcome outcome, int alerts_queued);
  void scored(double seconds);

  /// Wakes the dispatcher of `channel` (rows were queued outside a poll: escalations, statuses).
  void notify_channel(const std::string& channel);
  /// The SLA checker sent an escalation step ("take" / "resolve") or a follow-up reminder.
  void escalated(std::string_view deadline);
  void followed_up();
  /// The SLA checker could not read or write the store.
  void sla_check_failed();

  /// Exports the HTTP client's connection counters (at each scrape): `current` is the running
  /// client's, added to what the clients replaced by reloads had counted.
  void http_connections(const HttpClientStats& current);
  /// A reload replaces the HTTP client: its counts stay in the totals.
  void http_client_replaced(const HttpClientStats& last);

 private:
  /// A source's metrics, looked up once (a poll touches several; 10,000 sources poll every few
  /// seconds).
  struct SourceMetrics {
    health::Counter* polls_ok;
    health::Counter* polls_not_modified;
    health::Counter* polls_failed;
    health::Gauge* last_success;
    health::Gauge* failures;
    health::Counter* inserted;
    health::Counter* updated;
    health::Counter* unchanged;
  };
  SourceMetrics& source_metrics(const std::string& source);

  health::MetricsRegistry& metrics_;
  health::Histogram& scoring_;
  health::Counter& alerts_queued_;
  health::Histogram& start_delay_;
  std::unordered_map<std::string, SourceMetrics> sources_;
  std::map<std::string, Dispatcher*> dispatchers_;
  HttpClientStats replaced_http_;  ///< counts of HTTP clients of earlier runtimes
};

/// A short reason label for a failure ("timeout", "http_5xx", "parse_failed"…), for metrics.
std::string failure_reason(const Failure& f);

}  // namespace otklik
