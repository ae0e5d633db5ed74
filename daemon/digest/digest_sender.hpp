#pragma once
/// Sends the weekly digest: exactly one per ISO week and recipient list (DigestLedger claims the
/// row before the send), with a stable Message-ID; a 4xx reply or a network failure keeps the
/// digest pending and retries with backoff, a 5xx reply marks it failed and is reported.
/// run_digest_schedule() is the daemon's task: it sleeps (steady_timer) until the next send
/// moment or retry, at most kMaxSleep at a time so that a wall-clock change is noticed.

#include "daemon/config/config.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/digest/digest_data.hpp"
#include "daemon/digest/digest_ledger.hpp"
#include "daemon/digest/render.hpp"
#include "daemon/digest/schedule.hpp"
#include "daemon/mail/mime.hpp"
#include "daemon/mail/smtp_client.hpp"
#include "daemon/store/store_executor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace otklik::digest {

/// Sends one message. The daemon and the CLI send over SMTP (smtp_mail_send); tests pass a fake.
using MailSend = std::function<boost::asio::awaitable<Result<mail::SmtpReceipt>>(mail::MailMessage)>;

/// A MailSend over `config` with mail::send_message (copies what it needs).
MailSend smtp_mail_send(boost::asio::any_io_executor executor, SmtpConfig config, mail::SmtpTls tls = {});

/// What happened to one digest.
struct SendOutcome {
  enum class Kind {
    sent,           ///< delivered now
    already_sent,   ///< the ledger says it went out before: nothing sent
    failed_before,  ///< refused for good earlier (5xx): nothing sent; `--force` resends
    busy,           ///< a retry is scheduled (next_attempt) or another sender holds it
    retry_later,    ///< failed now (4xx, network): pending until next_attempt
    failed,         ///< refused for good now (5xx): marked failed
  };
  Kind kind = Kind::busy;
  IsoWeek week;
  std::string recipients;                ///< the ledger key
  std::string message_id;
  std::string detail;                    ///< the server's reply or the error
  std::optional<TimePoint> next_attempt;
};

std::string_view to_string(SendOutcome::Kind k) noexcept;

/// Delay before the next attempt after `attempts` failed ones: 5 min doubling to at most 2 h,
/// and never before the server's requested wait.
Duration digest_retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after) noexcept;

class DigestSender {
 public:
  /// Longest sleep of run_digest_schedule between looks at the wall clock.
  static constexpr Duration kMaxSleep = std::chrono::minutes{15};
  /// How long a claimed digest is held by its sender before another may retry it.
  static constexpr Duration kLease = std::chrono::minutes{15};

  /// Loads the digest's time zone and the SLA calendar. Fails (invalid_input) on a bad zone,
  /// calendar, sender address or locale.
  /// The store is reached through `store` (its reports and ledgers roles).
  static Result<std::unique_ptr<DigestSender>> create(Config config, StoreExecutor& store, Clock& clock, MailSend send,
                                                      std::shared_ptr<spdlog::logger> log);

  /// Names of complaint topics in the digest's language (topic id → name), for "Темы жалоб".
  void set_topic_names(std::map<std::string, std::string> names) { topic_names_ = std::move(names); }

  /// The report of `week` for one audience (its brands; the sources that feed them), at now.
  boost::asio::awaitable<Result<DigestReport>> report(IsoWeek week, DigestAudience audience);
  /// What report() reads, built on the calling thread from `reports` (a store job, the CLI).
  Result<DigestReport> build(ReportStore& reports, IsoWeek week, const DigestAudience& audience) const;
  /// The email for a report: subject, text and HTML parts, `message_id`.
  Result<mail::MailMessage> message(const DigestReport& report, const DigestAudience& audience,
                                    std::string message_id) const;
  /// Sends `week`'s digest to `audience` unless the ledger says it is sent, failed or busy.
  /// `force` puts the ledger row back to pending first and sends under a new Message-ID.
  boost::asio::awaitable<Result<SendOutcome>> send(IsoWeek week, DigestAudience audience, bool force);
  /// Sends each audience's digest that is due now, unless a later week already went to that
  /// list (the clock was set back); returns when to look again.
  boost::asio::awaitable<TimePoint> run_due();

  [[nodiscard]] const Schedule& schedule() const noexcept { return schedule_; }
  [[nodiscard]] DigestLocale locale() const noexcept { return locale_; }
  [[nodiscard]] const Config& config() const noexcept { return config_; }
  [[nodiscard]] Clock& clock() const noexcept { return clock_; }
  /// The Message-ID of the (non-forced) digest of `week` for a recipients key.
  [[nodiscard]] std::string message_id_for(IsoWeek week, const std::string& recipients) const;

 private:
  DigestSender(Config config, StoreExecutor& store, Clock& clock, MailSend send, std::shared_ptr<spdlog::logger> log,
               Schedule schedule, BusinessCalendar calendar, DigestLocale locale, mail::MailAddress from);

  Config config_;
  StoreAccess<LedgerStore> ledger_;
  StoreAccess<ReportStore> reports_;
  Clock& clock_;
  MailSend send_;
  std::shared_ptr<spdlog::logger> log_;
  Schedule schedule_;
  BusinessCalendar calendar_;
  DigestLocale locale_;
  mail::MailAddress from_;
  std::map<std::string, std::string> topic_names_;
};

/// The daemon's digest task: run_due(), then sleep until the time it returns (at most
/// DigestSender::kMaxSleep), until cancelled. Returns at once when [digest] or [smtp] is not
/// configured or there are no recipients.
boost::asio::awaitable<void> run_digest_schedule(boost::asio::any_io_executor executor,
                                                 std::shared_ptr<DigestSender> sender);

}  // namespace otklik::digest
