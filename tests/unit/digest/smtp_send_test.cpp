// The digest sent through a real SMTP server (aiosmtpd, STARTTLS, AUTH) on 127.0.0.1, exactly
// once across a restart of the sender and its database.
#include "daemon/digest/digest_sender.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/smtp/smtp_server.hpp"
#include "tests/unit/digest/temp_dir.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

using namespace otklik;
using namespace otklik::digest;
using namespace std::chrono;
using otklik::test::SmtpTestServer;

namespace {

Result<SendOutcome> send_once(const std::string& db_path, Clock& clock, const Config& config, IsoWeek week) {
  auto store = SqliteStore::open(db_path, clock);
  REQUIRE(store);
  boost::asio::io_context io;
  auto exec = StoreExecutor::inline_on(**store);
  auto sender = DigestSender::create(
      config, *exec, clock,
      smtp_mail_send(io.get_executor(), config.smtp, mail::SmtpTls{SmtpTestServer::ca_file(), true, {}}), nullptr);
  REQUIRE(sender);
  auto future = boost::asio::co_spawn(io, (*sender)->send(week, config.digest.audiences[0], false), boost::asio::use_future);
  io.run();
  return future.get();
}

}  // namespace

TEST_CASE("digest over SMTP: delivered once, multipart, across a restart", "[digest][smtp]") {
  SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw-digest"});
  Config config;
  config.daemon.locale = "en";
  config.smtp.enabled = true;
  config.smtp.host = "localhost";
  config.smtp.port = server.port();
  config.smtp.security = "starttls";
  config.smtp.username = "otklik";
  config.smtp.password = Secret("env:SMTP_PASSWORD", "pw-digest");
  config.smtp.from = "Otklik <otklik@bank.example>";
  config.smtp.timeout = 10s;
  config.digest.enabled = true;
  config.digest.audiences = {{{"Анна <anna@bank.example>", "lead@bank.example"}, {}, 0}};

  testing::TempDir dir;
  ManualClock clock(sys_days{year{2026} / November / 23} + hours{9});
  const std::string db = dir.file("otklik.db");

  auto first = send_once(db, clock, config, {2026, 47});
  REQUIRE(first);
  CHECK(first->kind == SendOutcome::Kind::sent);
  REQUIRE(server.message_count() == 1);
  const test::ParsedMail mail = server.parsed(1);
  CHECK(mail.defects.empty());
  CHECK(mail.content_type == "multipart/alternative");
  CHECK(mail.header("Message-ID") == first->message_id);
  CHECK(mail.header("Subject") == "Otklik: weekly digest 2026-W47 (16–22\u00a0Nov\u00a02026)");
  REQUIRE(mail.parts.size() == 2);
  CHECK(mail.parts[0].type == "text/plain");
  CHECK(mail.parts[0].text.find("Otklik weekly digest") != std::string::npos);
  CHECK(mail.parts[1].type == "text/html");
  CHECK(mail.parts[1].text.find("<!DOCTYPE html>") != std::string::npos);
  CHECK(server.envelope(1).find("lead@bank.example") != std::string::npos);

  // A restart (a new sender on the reopened database) and a second try: nothing is sent.
  clock.advance(1h);
  auto second = send_once(db, clock, config, {2026, 47});
  REQUIRE(second);
  CHECK(second->kind == SendOutcome::Kind::already_sent);
  CHECK(server.message_count() == 1);
}

TEST_CASE("digest over SMTP: 451 then success, 550 fails for good", "[digest][smtp]") {
  SmtpTestServer server({.mode = "plain", .fail_data = 451, .fail_times = 1});
  Config config;
  config.smtp.enabled = true;
  config.smtp.host = "127.0.0.1";
  config.smtp.port = server.port();
  config.smtp.security = "none";
  config.smtp.from = "otklik@bank.example";
  config.smtp.timeout = 10s;
  config.digest.enabled = true;
  config.digest.audiences = {{{"lead@bank.example"}, {}, 0}};
  testing::TempDir dir;
  ManualClock clock(sys_days{year{2026} / November / 23} + hours{9});
  const std::string db = dir.file("otklik.db");

  auto first = send_once(db, clock, config, {2026, 47});
  REQUIRE(first);
  CHECK(first->kind == SendOutcome::Kind::retry_later);
  CHECK(server.message_count() == 0);
  clock.advance(5min);
  auto second = send_once(db, clock, config, {2026, 47});
  REQUIRE(second);
  CHECK(second->kind == SendOutcome::Kind::sent);
  CHECK(second->message_id == first->message_id);
  CHECK(server.message_count() == 1);

  SmtpTestServer refusing({.mode = "plain", .fail_rcpt = 550});
  config.smtp.port = refusing.port();
  auto refused = send_once(db, clock, config, {2026, 48});
  REQUIRE(refused);
  CHECK(refused->kind == SendOutcome::Kind::failed);
  CHECK(refused->detail.find("550") != std::string::npos);
}
