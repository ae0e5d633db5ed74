#include "daemon/digest/digest_sender.hpp"

#include "daemon/digest/query_detail.hpp"
#include "daemon/store/store_detail.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace otklik::digest {

namespace asio = boost::asio;

namespace {

/// A named coroutine with its arguments by value: the message lives in this frame while it is sent.
asio::awaitable<Result<mail::SmtpReceipt>> send_over_smtp(asio::any_io_executor executor, SmtpConfig config,
                                                          mail::MailMessage message, mail::SmtpTls tls) {
  co_return co_await mail::send_message(executor, config, message, tls);
}

}  // namespace

MailSend smtp_mail_send(asio::any_io_executor executor, SmtpConfig config, mail::SmtpTls tls) {
  return [executor, config = std::move(config), tls = std::move(tls)](mail::MailMessage m) {
    return send_over_smtp(executor, config, std::move(m), tls);
  };
}

std::string_view to_string(SendOutcome::Kind k) noexcept {
  switch (k) {
    case SendOutcome::Kind::sent: return "sent";
    case SendOutcome::Kind::already_sent: return "already sent";
    case SendOutcome::Kind::failed_before: return "failed earlier";
    case SendOutcome::Kind::busy: return "pending";
    case SendOutcome::Kind::retry_later: return "will retry";
    case SendOutcome::Kind::failed: return "failed";
  }
  return "?";
}

Duration digest_retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after) noexcept {
  using namespace std::chrono;
  const int shift = std::clamp(attempts - 1, 0, 10);
  Duration d = std::min<Duration>(minutes{5} * (1 << shift), hours{2});
  if (retry_after) d = std::max<Duration>(d, *retry_after);
  return d;
}

Result<std::unique_ptr<DigestSender>> DigestSender::create(Config config, StoreExecutor& db, Clock& clock,
                                                           MailSend send, std::shared_ptr<spdlog::logger> log) {
  auto zone = TimeZone::load(config.digest.timezone);
  if (!zone) return Failure(errc::invalid_input, "digest.timezone: " + zone.error().message());
  BusinessCalendar calendar;
  if (config.sla.enabled) {
    auto c = make_calendar(config.calendar);
    if (!c) return Failure(errc::invalid_input, "calendar: " + c.error().message());
    calendar = std::move(*c);
  }
  const std::string locale_name = config.digest.locale.value_or(config.daemon.locale);
  auto locale = parse_digest_locale(locale_name);
  if (!locale) return Failure(errc::invalid_input, "digest.locale must be ru or en, not " + locale_name);
  mail::MailAddress from{"", "otklik@localhost"};
  if (config.smtp.enabled || !config.smtp.from.empty()) {
    auto parsed = mail::parse_mail_address(config.smtp.from);
    if (!parsed) return Failure(errc::invalid_input, "smtp.from: " + parsed.error().message());
    from = std::move(*parsed);
  }
  Schedule schedule = Schedule::from(config.digest, std::move(*zone));
  return std::unique_ptr<DigestSender>(new DigestSender(std::move(config), db, clock, std::move(send), std::move(log),
                                                        std::move(schedule), std::move(calendar), *locale,
                                                        std::move(from)));
}

DigestSender::DigestSender(Config config, StoreExecutor& store, Clock& clock, MailSend send,
                           std::shared_ptr<spdlog::logger> log, Schedule schedule, BusinessCalendar calendar,
                           DigestLocale locale, mail::MailAddress from)
    : config_(std::move(config)), ledger_(store), reports_(store), clock_(clock), send_(std::move(send)),
      log_(std::move(log)), schedule_(std::move(schedule)), calendar_(std::move(calendar)), locale_(locale),
      from_(std::move(from)) {}

asio::awaitable<Result<DigestReport>> DigestSender::report(IsoWeek week, DigestAudience audience) {
  co_return co_await reports_([&](ReportStore& reports) { return build(reports, week, audience); });
}

Result<DigestReport> DigestSender::build(ReportStore& reports, IsoWeek week, const DigestAudience& audience) const {
  ReportOptions o;
  o.week = week;
  o.zone = schedule_.zone;
  o.brands = audience.brands;
  for (const SourceConfig& s : config_.sources) {
    const bool for_audience = audience.brands.empty() || s.brand.empty() ||
                              std::find(audience.brands.begin(), audience.brands.end(), s.brand) != audience.brands.end();
    if (s.enabled && for_audience) o.sources.push_back(s.name);
  }
  if (o.sources.empty()) o.sources.push_back("");  // none configured: report none rather than all
  o.sla = config_.sla;
  o.calendar = calendar_;
  o.top_n = config_.digest.top_mentions;
  o.topic_names = topic_names_;
  o.now = clock_.now();
  return build_report(reports, o);
}

Result<mail::MailMessage> DigestSender::message(const DigestReport& report, const DigestAudience& audience,
                                                std::string message_id) const {
  auto to = mail::parse_mail_addresses(audience.to);
  if (!to) return to.error();
  mail::MailMessage m;
  m.from = from_;
  m.to = std::move(*to);
  m.subject = render_subject(report, locale_);
  m.text = render_text(report, locale_);
  m.html = render_html(report, locale_);
  m.message_id = std::move(message_id);
  m.date = clock_.now();
  return m;
}

std::string DigestSender::message_id_for(IsoWeek week, const std::string& recipients) const {
  return mail::make_message_id("digest/" + to_string(week) + "/" + recipients, mail::email_domain(from_.email));
}

asio::awaitable<Result<SendOutcome>> DigestSender::send(IsoWeek week, DigestAudience audience, bool force) {
  auto to = mail::parse_mail_addresses(audience.to);
  if (!to) co_return to.error();
  if (to->empty()) co_return Failure(errc::invalid_input, "the digest has no recipients");
  std::vector<std::string> emails;
  for (const auto& a : *to) emails.push_back(a.email);
  SendOutcome out;
  out.week = week;
  out.recipients = recipients_key(emails);
  TimePoint now = clock_.now();
  if (force) {
    // A resend is a new message: a new id, or clients would drop it as the same one.
    const std::string id = mail::make_message_id(
        "digest/" + to_string(week) + "/" + out.recipients + "/resend/" + std::to_string(store::to_ms(now)),
        mail::email_domain(from_.email));
    auto r = co_await ledger_([&](LedgerStore& l) { return DigestLedger(l).reset(week, out.recipients, id, now); });
    if (!r) co_return r.error();
  }
  const std::string message_id = message_id_for(week, out.recipients);
  auto claim = co_await ledger_(
      [&](LedgerStore& l) { return DigestLedger(l).claim(week, out.recipients, message_id, now, kLease); });
  if (!claim) co_return claim.error();
  out.message_id = claim->row.message_id;
  out.detail = claim->row.last_error;
  switch (claim->outcome) {
    case ClaimOutcome::already_sent: out.kind = SendOutcome::Kind::already_sent; co_return out;
    case ClaimOutcome::failed: out.kind = SendOutcome::Kind::failed_before; co_return out;
    case ClaimOutcome::busy:
      out.kind = SendOutcome::Kind::busy;
      out.next_attempt = claim->row.next_attempt;
      co_return out;
    case ClaimOutcome::claimed: break;
  }

  auto report = co_await this->report(week, audience);
  Result<mail::MailMessage> msg = report ? message(*report, audience, out.message_id) : Result<mail::MailMessage>(report.error());
  if (!msg) {
    const TimePoint next = now + digest_retry_delay(claim->row.attempts, std::nullopt);
    const std::string error = msg.error().message();
    (void)co_await ledger_(
        [&](LedgerStore& l) { return DigestLedger(l).mark_retry(week, out.recipients, next, error); });
    co_return msg.error();
  }
  auto receipt = co_await send_(std::move(*msg));
  now = clock_.now();
  if (receipt) {
    auto r = co_await ledger_([&](LedgerStore& l) { return DigestLedger(l).mark_sent(week, out.recipients, now); });
    if (!r) co_return r.error();
    out.kind = SendOutcome::Kind::sent;
    out.detail = std::to_string(receipt->code) + " " + receipt->reply;
    if (log_) log_->info("digest {} sent to {} ({})", to_string(week), out.recipients, out.detail);
    co_return out;
  }
  out.detail = receipt.error().message();
  if (receipt.error().transient()) {
    out.kind = SendOutcome::Kind::retry_later;
    out.next_attempt = now + digest_retry_delay(claim->row.attempts, receipt.error().retry_after);
    auto r = co_await ledger_([&](LedgerStore& l) {
      return DigestLedger(l).mark_retry(week, out.recipients, *out.next_attempt, out.detail);
    });
    if (!r) co_return r.error();
    if (log_) log_->warn("digest {} to {}: {}; retrying later", to_string(week), out.recipients, out.detail);
  } else {
    out.kind = SendOutcome::Kind::failed;
    auto r = co_await ledger_(
        [&](LedgerStore& l) { return DigestLedger(l).mark_failed(week, out.recipients, out.detail); });
    if (!r) co_return r.error();
    if (log_) log_->error("digest {} to {} refused: {}", to_string(week), out.recipients, out.detail);
  }
  co_return out;
}

asio::awaitable<TimePoint> DigestSender::run_due() {
  const TimePoint now = clock_.now();
  const DueDigest due = due_at(schedule_, now);
  TimePoint wake = next_send_after(schedule_, now);
  for (const DigestAudience& audience : config_.digest.audiences) {
    if (auto to = mail::parse_mail_addresses(audience.to)) {
      std::vector<std::string> emails;
      for (const auto& a : *to) emails.push_back(a.email);
      const std::string key = recipients_key(emails);
      auto latest = co_await ledger_([&](LedgerStore& l) { return DigestLedger(l).latest_sent(key); });
      if (latest && *latest && **latest > due.week) continue;  // the clock went back: never an older week
    }
    auto outcome = co_await send(due.week, audience, false);
    if (!outcome) {
      if (log_) log_->error("digest {}: {}", to_string(due.week), outcome.error().message());
      wake = std::min(wake, now + digest_retry_delay(1, std::nullopt));
      continue;
    }
    if (outcome->next_attempt) wake = std::min(wake, std::max(*outcome->next_attempt, now));
  }
  co_return wake;
}

asio::awaitable<void> run_digest_schedule(asio::any_io_executor executor, std::shared_ptr<DigestSender> sender) {
  const Config& cfg = sender->config();
  if (!cfg.digest.enabled || !cfg.smtp.enabled || cfg.digest.audiences.empty()) co_return;
  asio::steady_timer timer(executor);
  for (;;) {
    const TimePoint wake = co_await sender->run_due();
    // Cancelled while it sent (shutdown, reload, leadership lost): no wait is there to end.
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) co_return;
    const auto wait = std::clamp<Duration>(std::chrono::ceil<Duration>(wake - sender->clock().now()), Duration{0},
                                           DigestSender::kMaxSleep);
    timer.expires_after(wait);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled: shutdown or reload
  }
}

}  // namespace otklik::digest
