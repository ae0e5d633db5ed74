#include "daemon/digest/digest_sender.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/digest/temp_dir.hpp"
#include "tests/unit/digest/week_printer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <deque>

using namespace otklik;
using namespace otklik::digest;
using namespace std::chrono;
using otklik::digest::testing::TempDir;
namespace asio = boost::asio;

namespace {

TimePoint utc(unsigned m, unsigned d, int h = 0, int min = 0) {
  return sys_days{year{2026} / month{m} / day{d}} + hours{h} + minutes{min};
}

/// Records the messages "sent" and answers with the queued results (success when none queued).
struct FakeMail {
  std::vector<mail::MailMessage> sent;
  std::deque<Failure> failures;
};

asio::awaitable<Result<mail::SmtpReceipt>> fake_send(FakeMail* fake, mail::MailMessage m) {
  if (!fake->failures.empty()) {
    Failure f = fake->failures.front();
    fake->failures.pop_front();
    co_return f;
  }
  fake->sent.push_back(std::move(m));
  co_return mail::SmtpReceipt{250, "2.0.0 Ok: queued", {}};
}

template <class T>
T run(asio::awaitable<T> task) {
  asio::io_context io;
  std::optional<T> result;
  std::exception_ptr failure;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T v) {
    failure = e;
    if (!e) result.emplace(std::move(v));
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

Config digest_config() {
  Config c;
  c.daemon.locale = "ru";
  c.smtp.enabled = true;
  c.smtp.host = "127.0.0.1";
  c.smtp.from = "Otklik <otklik@example.org>";
  c.digest.enabled = true;
  c.digest.timezone = "UTC";
  c.digest.day = 1;
  c.digest.time_minutes = 9 * 60;
  c.digest.audiences = {{{"Team <Team@example.org>", "boss@example.org"}, {}, 0},
                        {{"beta@example.org"}, {"Beta"}, 0}};
  return c;
}

/// A store file and a sender over it; reopen() is a daemon restart.
struct Fixture {
  TempDir dir;
  ManualClock clock{utc(11, 23, 9)};
  FakeMail mail;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<StoreExecutor> exec;
  std::unique_ptr<DigestSender> sender;

  explicit Fixture(Config config = digest_config()) : config_(std::move(config)) { reopen(); }

  void reopen() {
    sender.reset();
    exec.reset();
    store.reset();
    auto s = SqliteStore::open(dir.file("otklik.db"), clock);
    REQUIRE(s);
    store = std::move(*s);
    exec = StoreExecutor::inline_on(*store);
    FakeMail* fake = &mail;
    auto created = DigestSender::create(config_, *exec, clock,
                                        [fake](mail::MailMessage m) { return fake_send(fake, std::move(m)); }, nullptr);
    REQUIRE(created);
    sender = std::move(*created);
  }

  SendOutcome send(IsoWeek w, std::size_t list = 0, bool force = false) {
    auto r = run(sender->send(w, config_.digest.audiences[list], force));
    REQUIRE(r);
    return *r;
  }

  Config config_;
};

}  // namespace

TEST_CASE("a digest is sent once per week and recipient list, with a stable Message-ID", "[digest][sender]") {
  Fixture f;
  const SendOutcome first = f.send({2026, 47});
  CHECK(first.kind == SendOutcome::Kind::sent);
  CHECK(first.recipients == "boss@example.org,team@example.org");
  REQUIRE(f.mail.sent.size() == 1);
  const mail::MailMessage& m = f.mail.sent[0];
  CHECK(m.message_id == f.sender->message_id_for({2026, 47}, first.recipients));
  CHECK(m.message_id == first.message_id);
  CHECK(m.subject == "Otklik: отчёт за неделю 2026-W47 (16–22\u00a0ноября\u00a02026)");
  CHECK(m.from.email == "otklik@example.org");
  REQUIRE(m.to.size() == 2);
  REQUIRE(m.html.has_value());
  CHECK(m.html->find("2026-W47") != std::string::npos);
  CHECK(m.text.find("2026-W47") != std::string::npos);

  CHECK(f.send({2026, 47}).kind == SendOutcome::Kind::already_sent);
  CHECK(f.mail.sent.size() == 1);
  // Another week, another list: separate digests.
  CHECK(f.send({2026, 46}).kind == SendOutcome::Kind::sent);
  CHECK(f.send({2026, 47}, 1).kind == SendOutcome::Kind::sent);
  CHECK(f.mail.sent.size() == 3);
  CHECK(f.mail.sent[1].message_id != f.mail.sent[0].message_id);
}

TEST_CASE("exactly once across a restart (the database reopened)", "[digest][sender]") {
  Fixture f;
  CHECK(f.send({2026, 47}).kind == SendOutcome::Kind::sent);
  f.reopen();
  CHECK(f.send({2026, 47}).kind == SendOutcome::Kind::already_sent);
  // The schedule asks for W47 all week: nothing more goes out.
  f.clock.set(utc(11, 25, 12));
  f.reopen();
  run(f.sender->run_due());
  REQUIRE(f.mail.sent.size() == 2);  // W47 to the second list, once
  CHECK(f.mail.sent[1].to.front().email == "beta@example.org");
  f.reopen();
  run(f.sender->run_due());
  CHECK(f.mail.sent.size() == 2);
}

TEST_CASE("recipient lists are the same whatever their order, case or display names", "[digest][sender]") {
  CHECK(recipients_key({"b@x.org", "A@x.org", "b@x.org"}) == "a@x.org,b@x.org");
  Config other = digest_config();
  other.digest.audiences[0].to = {"boss@example.org", "team@EXAMPLE.org"};
  Fixture f;
  CHECK(f.send({2026, 47}).kind == SendOutcome::Kind::sent);
  auto r = run(f.sender->send({2026, 47}, other.digest.audiences[0], false));
  REQUIRE(r);
  CHECK(r->kind == SendOutcome::Kind::already_sent);
}

TEST_CASE("a 4xx reply keeps the digest pending and retries with backoff", "[digest][sender]") {
  Fixture f;
  f.mail.failures.push_back(Failure(errc::rate_limited, "451 4.3.0 try again later"));
  const SendOutcome first = f.send({2026, 47});
  CHECK(first.kind == SendOutcome::Kind::retry_later);
  REQUIRE(first.next_attempt);
  CHECK(*first.next_attempt == utc(11, 23, 9, 5));
  // Not due yet: nothing is sent, even after a restart.
  f.reopen();
  const SendOutcome busy = f.send({2026, 47});
  CHECK(busy.kind == SendOutcome::Kind::busy);
  CHECK(busy.next_attempt == first.next_attempt);
  CHECK(f.mail.sent.empty());
  f.clock.advance(5min);
  const SendOutcome second = f.send({2026, 47});
  CHECK(second.kind == SendOutcome::Kind::sent);
  CHECK(second.message_id == first.message_id);
  auto row = DigestLedger(*f.store).find({2026, 47}, second.recipients);
  REQUIRE(row);
  REQUIRE(*row);
  CHECK((*row)->attempts == 2);
  CHECK((*row)->state == DigestState::sent);
  CHECK(digest_retry_delay(1, std::nullopt) == Duration{5min});
  CHECK(digest_retry_delay(3, std::nullopt) == Duration{20min});
  CHECK(digest_retry_delay(30, std::nullopt) == Duration{2h});
  CHECK(digest_retry_delay(1, seconds{900}) == Duration{15min});
}

TEST_CASE("a 5xx reply fails the digest for good, --force sends it again", "[digest][sender]") {
  Fixture f;
  f.mail.failures.push_back(Failure(errc::permanent, "RCPT TO:<boss@example.org>: 550 5.1.1 no such user"));
  const SendOutcome first = f.send({2026, 47});
  CHECK(first.kind == SendOutcome::Kind::failed);
  CHECK(first.detail.find("550 5.1.1") != std::string::npos);
  f.clock.advance(24h);
  const SendOutcome later = f.send({2026, 47});
  CHECK(later.kind == SendOutcome::Kind::failed_before);
  CHECK(later.detail.find("550 5.1.1") != std::string::npos);
  CHECK(f.mail.sent.empty());

  const SendOutcome forced = f.send({2026, 47}, 0, true);
  CHECK(forced.kind == SendOutcome::Kind::sent);
  REQUIRE(f.mail.sent.size() == 1);
  CHECK(forced.message_id != first.message_id);
  // Forcing a sent one sends it once more, under yet another id.
  f.clock.advance(1min);
  const SendOutcome again = f.send({2026, 47}, 0, true);
  CHECK(again.kind == SendOutcome::Kind::sent);
  CHECK(again.message_id != forced.message_id);
  CHECK(f.send({2026, 47}).kind == SendOutcome::Kind::already_sent);
  CHECK(f.mail.sent.size() == 2);
}

TEST_CASE("a claim held by a crashed sender is retried after its lease, with the same id", "[digest][sender]") {
  Fixture f;
  DigestLedger ledger(*f.store);
  const std::string key = "boss@example.org,team@example.org";
  const std::string id = f.sender->message_id_for({2026, 47}, key);
  auto c = ledger.claim({2026, 47}, key, id, f.clock.now(), DigestSender::kLease);
  REQUIRE(c);
  CHECK(c->outcome == ClaimOutcome::claimed);
  // The process dies here, before mark_sent. After a restart, the claim holds until the lease ends.
  f.reopen();
  CHECK(f.send({2026, 47}).kind == SendOutcome::Kind::busy);
  f.clock.advance(DigestSender::kLease);
  const SendOutcome s = f.send({2026, 47});
  CHECK(s.kind == SendOutcome::Kind::sent);
  CHECK(s.message_id == id);
  CHECK(f.mail.sent.size() == 1);
}

TEST_CASE("run_due follows the schedule and survives clock jumps", "[digest][sender]") {
  Config c = digest_config();
  c.digest.audiences.resize(1);
  Fixture f(c);
  f.clock.set(utc(11, 16, 8, 59));  // a minute before Monday's send moment: W45 is due, send it
  TimePoint wake = run(f.sender->run_due());
  CHECK(wake == utc(11, 16, 9));
  f.clock.set(utc(11, 16, 9));
  wake = run(f.sender->run_due());
  CHECK(wake == utc(11, 23, 9));
  f.clock.set(utc(11, 23, 9));
  run(f.sender->run_due());
  REQUIRE(f.mail.sent.size() == 3);
  CHECK(f.mail.sent[0].subject.find("2026-W45") != std::string::npos);
  CHECK(f.mail.sent[1].subject.find("2026-W46") != std::string::npos);
  CHECK(f.mail.sent[2].subject.find("2026-W47") != std::string::npos);
  // The clock is set back three days, then forward again: nothing is sent twice.
  f.clock.set(utc(11, 20, 12));
  run(f.sender->run_due());
  f.clock.set(utc(11, 24, 12));
  run(f.sender->run_due());
  CHECK(f.mail.sent.size() == 3);
  // A jump of several weeks sends only the latest week.
  f.clock.set(utc(12, 16, 12));
  run(f.sender->run_due());
  REQUIRE(f.mail.sent.size() == 4);
  CHECK(f.mail.sent[3].subject.find("2026-W50") != std::string::npos);
  // Set back to a week never sent (W48 is due there), after W50 went out: still nothing.
  f.clock.set(utc(12, 1, 12));
  run(f.sender->run_due());
  CHECK(f.mail.sent.size() == 4);
  // A retry due before the next send moment wakes the task earlier.
  f.mail.failures.push_back(Failure(errc::timeout, "connect"));
  f.clock.set(utc(12, 21, 9));
  wake = run(f.sender->run_due());
  CHECK(wake == utc(12, 21, 9, 5));
}
