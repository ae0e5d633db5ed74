// The SMTP client and the email channel against a real SMTP server (aiosmtpd) on 127.0.0.1.
#include "daemon/channels/email_channel.hpp"
#include "daemon/mail/mime.hpp"
#include "daemon/mail/smtp_client.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/smtp/smtp_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>

using namespace otklik;
using namespace std::chrono_literals;
using test::SmtpServerOptions;
using test::SmtpTestServer;

namespace {

constexpr const char* kUser = "otklik";
constexpr const char* kPassword = "s3cret-pass";

template <class T>
T run(boost::asio::io_context& io, boost::asio::awaitable<T> task) {
  auto future = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

SmtpConfig smtp_for(const SmtpTestServer& server, std::string security, bool auth = true) {
  SmtpConfig c;
  c.enabled = true;
  c.host = "localhost";
  c.port = server.port();
  c.security = std::move(security);
  if (auth) {
    c.username = kUser;
    c.password = Secret("env:SMTP_PASSWORD", kPassword);
  }
  c.from = "Отклик <otklik@bank.example>";
  c.helo = "otklik.test";
  c.timeout = 10s;
  return c;
}

mail::SmtpTls test_tls() { return mail::SmtpTls{SmtpTestServer::ca_file(), true, {}}; }

mail::MailMessage simple_message(std::string subject = "Test message") {
  mail::MailMessage m;
  m.from = {"Отклик", "otklik@bank.example"};
  m.to = {{"Иванова Анна", "anna@bank.example"}, {"", "lead@bank.example"}};
  m.subject = std::move(subject);
  m.text = "Hello\n.\nStill the body\n";
  m.html = "<p>Hello</p>";
  m.message_id = mail::make_message_id("test/1", "bank.example");
  m.date = TimePoint{} + 1'795'000'000s;
  return m;
}

Result<mail::SmtpReceipt> send(const SmtpConfig& config, const mail::MailMessage& message,
                               mail::SmtpTls tls = test_tls()) {
  boost::asio::io_context io;
  return run(io, mail::send_message(io.get_executor(), config, message, std::move(tls)));
}

bool has_event(const SmtpTestServer& server, std::string_view prefix) {
  const auto events = server.events();
  return std::any_of(events.begin(), events.end(), [&](const std::string& e) { return e.starts_with(prefix); });
}

}  // namespace

TEST_CASE("smtp: STARTTLS with AUTH PLAIN delivers the message", "[mail][smtp]") {
  SmtpTestServer server({.mode = "starttls", .user = kUser, .password = kPassword});
  auto receipt = send(smtp_for(server, "starttls"), simple_message());
  REQUIRE(receipt);
  CHECK(receipt->code == 250);
  CHECK(receipt->reply.find("queued as test-1") != std::string::npos);
  CHECK(receipt->accepted == std::vector<std::string>{"anna@bank.example", "lead@bank.example"});
  REQUIRE(server.message_count() == 1);
  const auto envelope = server.envelope(1);
  CHECK(envelope.find("\"mail_from\": \"otklik@bank.example\"") != std::string::npos);
  CHECK(envelope.find("\"user\": \"otklik\"") != std::string::npos);
  const auto events = server.events();
  CHECK(events == std::vector<std::string>{"EHLO tls=0", "STARTTLS", "EHLO tls=1", "AUTH PLAIN tls=1", "MAIL tls=1",
                                           "QUIT"});
  // The dot-line in the body came through as text.
  const auto mail = server.parsed(1);
  CHECK(mail.defects.empty());
  REQUIRE(mail.parts.size() == 2);
  CHECK(mail.parts[0].text == "Hello\r\n.\r\nStill the body\r\n");
}

TEST_CASE("smtp: long non-ASCII headers arrive folded and decode as written", "[mail][smtp]") {
  SmtpTestServer server({.mode = "tls", .user = kUser, .password = kPassword});
  std::string subject;
  for (int i = 0; i < 25; ++i) subject += "Очереди в отделениях №" + std::to_string(i) + "; ";
  auto message = simple_message(subject);
  message.to[0].display = "Анна-Мария Константиновна Щекочихина-Вольская из отдела качества";
  REQUIRE(send(smtp_for(server, "tls"), message));
  const auto mail = server.parsed(1);
  CHECK(mail.defects.empty());
  CHECK(mail.max_line <= 78);
  CHECK(mail.header("Subject") == subject);
  // Python's address parser keeps the whitespace between encoded-words (RFC 2047 says to drop
  // it), so a name split into several words shows doubled spaces there, never a split word.
  std::string to = mail.header("To");
  for (std::size_t p; (p = to.find("  ")) != std::string::npos;) to.erase(p, 1);
  CHECK(to == message.to[0].display + " <anna@bank.example>, lead@bank.example");
}

TEST_CASE("smtp: implicit TLS delivers the message", "[mail][smtp]") {
  SmtpTestServer server({.mode = "tls", .user = kUser, .password = kPassword});
  auto receipt = send(smtp_for(server, "tls"), simple_message());
  REQUIRE(receipt);
  REQUIRE(server.message_count() == 1);
  CHECK(server.events() == std::vector<std::string>{"EHLO tls=1", "AUTH PLAIN tls=1", "MAIL tls=1", "QUIT"});
}

TEST_CASE("smtp: a plain loopback relay without AUTH", "[mail][smtp]") {
  SmtpTestServer server({.mode = "plain"});
  auto config = smtp_for(server, "none", false);
  config.host = "127.0.0.1";
  auto receipt = send(config, simple_message(), mail::SmtpTls{});
  REQUIRE(receipt);
  REQUIRE(server.message_count() == 1);
  CHECK(server.events() == std::vector<std::string>{"EHLO tls=0", "MAIL tls=0", "QUIT"});
}

TEST_CASE("smtp: AUTH LOGIN when the server offers no PLAIN", "[mail][smtp]") {
  SmtpTestServer server({.mode = "starttls", .user = kUser, .password = kPassword, .exclude_auth = "PLAIN"});
  auto receipt = send(smtp_for(server, "starttls"), simple_message());
  REQUIRE(receipt);
  CHECK(has_event(server, "AUTH LOGIN tls=1"));
  CHECK(server.envelope(1).find("\"user\": \"otklik\"") != std::string::npos);
}

TEST_CASE("smtp: a wrong password is a permanent failure", "[mail][smtp]") {
  SmtpTestServer server({.mode = "starttls", .user = kUser, .password = "other"});
  auto receipt = send(smtp_for(server, "starttls"), simple_message());
  REQUIRE_FALSE(receipt);
  CHECK(receipt.error().code == errc::permanent);
  CHECK(receipt.error().detail.find("535") != std::string::npos);
  CHECK(receipt.error().detail.find(kPassword) == std::string::npos);
  CHECK(server.message_count() == 0);
}

TEST_CASE("smtp: no STARTTLS offered means no AUTH and no message", "[mail][smtp]") {
  // The server would even take AUTH in the clear: the client must not offer it.
  SmtpTestServer server({.mode = "plain", .user = kUser, .password = kPassword, .auth_over_plain = true});
  auto receipt = send(smtp_for(server, "starttls"), simple_message());
  REQUIRE_FALSE(receipt);
  CHECK(receipt.error().code == errc::protocol_error);
  CHECK(receipt.error().detail.find("STARTTLS") != std::string::npos);
  CHECK_FALSE(has_event(server, "AUTH"));
  CHECK_FALSE(has_event(server, "MAIL"));
  CHECK(server.message_count() == 0);
}

TEST_CASE("smtp: certificates are verified", "[mail][smtp]") {
  SECTION("a certificate for another name") {
    SmtpTestServer server({.mode = "tls",
                           .cert_file = SmtpTestServer::other_cert_file(),
                           .key_file = SmtpTestServer::other_key_file(),
                           .user = kUser,
                           .password = kPassword});
    auto receipt = send(smtp_for(server, "tls"), simple_message());
    REQUIRE_FALSE(receipt);
    CHECK(receipt.error().code == errc::tls_failed);
    CHECK(receipt.error().detail.find("not valid for localhost") != std::string::npos);
    CHECK_FALSE(has_event(server, "EHLO"));
  }
  SECTION("STARTTLS to a certificate for another name") {
    SmtpTestServer server({.mode = "starttls",
                           .cert_file = SmtpTestServer::other_cert_file(),
                           .key_file = SmtpTestServer::other_key_file(),
                           .user = kUser,
                           .password = kPassword});
    auto receipt = send(smtp_for(server, "starttls"), simple_message());
    REQUIRE_FALSE(receipt);
    CHECK(receipt.error().code == errc::tls_failed);
    CHECK_FALSE(has_event(server, "AUTH"));
  }
  SECTION("a CA the client does not trust") {
    SmtpTestServer server({.mode = "tls", .user = kUser, .password = kPassword});
    auto receipt = send(smtp_for(server, "tls"), simple_message(), mail::SmtpTls{});
    REQUIRE_FALSE(receipt);
    CHECK(receipt.error().code == errc::tls_failed);
  }
  SECTION("the IP address is in the certificate too") {
    SmtpTestServer server({.mode = "tls", .user = kUser, .password = kPassword});
    auto config = smtp_for(server, "tls");
    config.host = "127.0.0.1";
    REQUIRE(send(config, simple_message()));
  }
}

TEST_CASE("smtp: 4xx is transient and a later attempt succeeds, 5xx is permanent", "[mail][smtp]") {
  SECTION("451 to RCPT once") {
    SmtpTestServer server({.mode = "starttls", .user = kUser, .password = kPassword, .fail_rcpt = 451, .fail_times = 1});
    auto first = send(smtp_for(server, "starttls"), simple_message());
    REQUIRE_FALSE(first);
    CHECK(first.error().code == errc::rate_limited);
    CHECK(first.error().transient());
    CHECK(first.error().detail.find("451") != std::string::npos);
    CHECK(server.message_count() == 0);
    REQUIRE(send(smtp_for(server, "starttls"), simple_message()));
    CHECK(server.message_count() == 1);
  }
  SECTION("550 to DATA") {
    SmtpTestServer server({.mode = "starttls", .user = kUser, .password = kPassword, .fail_data = 550});
    auto result = send(smtp_for(server, "starttls"), simple_message());
    REQUIRE_FALSE(result);
    CHECK(result.error().code == errc::permanent);
    CHECK_FALSE(result.error().transient());
    CHECK(result.error().detail.find("550 5.0.0 Test failure 550") != std::string::npos);
    CHECK(has_event(server, "QUIT"));  // polite to the end
  }
}

TEST_CASE("smtp: a server that never answers times out", "[mail][smtp]") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = silent.local_endpoint().port();
  config.security = "none";
  config.timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  auto result = run(io, mail::send_message(io.get_executor(), config, simple_message(), {}));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == errc::timeout);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("smtp: bad input is refused before connecting", "[mail][smtp]") {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = 1;
  config.security = "none";
  boost::asio::io_context io;
  auto bad_rcpt = run(io, mail::send_mail(io.get_executor(), config, "a@b.example", {"x@y.example\r\nDATA"}, "x", {}));
  REQUIRE_FALSE(bad_rcpt);
  CHECK(bad_rcpt.error().code == errc::invalid_input);
  auto bad_from = run(io, mail::send_mail(io.get_executor(), config, "<a@b.example>", {"x@y.example"}, "x", {}));
  REQUIRE_FALSE(bad_from);
  CHECK(bad_from.error().code == errc::invalid_input);
  config.security = "ssl";
  auto bad_security = run(io, mail::send_mail(io.get_executor(), config, "a@b.example", {"x@y.example"}, "x", {}));
  REQUIRE_FALSE(bad_security);
  CHECK(bad_security.error().code == errc::invalid_input);
}
