// The email channel through a real SMTP server (aiosmtpd) on 127.0.0.1: what arrives is parsed
// by Python's email package, an implementation independent of ours.
#include "daemon/channels/channel_factory.hpp"
#include "daemon/channels/email_channel.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/smtp/smtp_server.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <set>
#include <sstream>

using namespace otklik;
using namespace std::chrono_literals;
using test::SmtpTestServer;

namespace {

SmtpConfig smtp_config(const SmtpTestServer& server) {
  SmtpConfig c;
  c.enabled = true;
  c.host = "localhost";
  c.port = server.port();
  c.security = "starttls";
  c.username = "otklik";
  c.password = Secret("env:SMTP_PASSWORD", "pw");
  c.from = "Отклик Мониторинг <otklik@bank.example>";
  c.timeout = 10s;
  return c;
}

ChannelConfig email_config() {
  ChannelConfig c;
  c.name = "team-mail";
  c.type = "email";
  c.to = {"Смирнова Ольга <olga@bank.example>", "support@bank.example"};
  return c;
}

Delivery deliver(channels::EmailChannel& channel, DeliveryRequest request) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, channel.deliver(std::move(request)), boost::asio::use_future);
  io.run();
  return future.get();
}

channels::EmailChannel make(const SmtpTestServer& server) {
  return channels::EmailChannel(email_config(), smtp_config(server), RenderOptions{"ru", "UTC"}, TimeZone{},
                                mail::SmtpTls{SmtpTestServer::ca_file(), true, {}});
}

}  // namespace

TEST_CASE("email channel: review text arrives as body text only", "[mail][email]") {
  SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw"});
  auto channel = make(server);
  auto request = test::sample_alert();
  const std::string attack = "Плохо.\r\n.\r\nMAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@attacker.example>\r\n"
                             "DATA\r\nBcc: x@y.example\r\n\r\nspam\r\n.\r\n";
  request.mention->mention.text = attack;
  request.mention->sentiment.sentences.clear();  // no sentence marks: the text as written
  request.mention->mention.title = "Заголовок\r\nBcc: x@y.example";
  request.mention->mention.author = "Автор\nX-Injected: yes";
  request.brand_display = "Банк «Пример»\r\nBcc: brand@attacker.example";
  const Delivery d = deliver(channel, request);
  REQUIRE(d.status == Delivery::Status::delivered);
  CHECK(d.remote_id == channels::email_message_id("team-mail", 42, "otklik@bank.example"));

  REQUIRE(server.message_count() == 1);
  const std::string envelope = server.envelope(1);
  CHECK(envelope.find("attacker") == std::string::npos);
  CHECK(envelope.find("\"rcpt_tos\": [\"olga@bank.example\", \"support@bank.example\"]") != std::string::npos);

  const auto mail = server.parsed(1);
  CHECK(mail.defects.empty());
  const std::set<std::string> names(mail.header_names.begin(), mail.header_names.end());
  CHECK(names == std::set<std::string>{"Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type"});
  CHECK(mail.header_names.size() == names.size());
  CHECK(mail.content_type == "multipart/alternative");
  CHECK(mail.max_line <= 998);
  CHECK(mail.bare_lf == 0);
  // The brand's line break became a space in the subject; it is text, not a header.
  CHECK(mail.header("Subject") == "[Otklik] Негативный отзыв: Банк «Пример» Bcc: brand@attacker.example \u2014 maps-reviews");
  CHECK(mail.header("Message-ID") == d.remote_id);
  REQUIRE(mail.parts.size() == 2);
  CHECK(mail.parts[0].type == "text/plain");
  CHECK(mail.parts[0].charset == "utf-8");
  CHECK(mail.parts[0].text.find("MAIL FROM:<evil@attacker.example>") != std::string::npos);
  INFO(mail.parts[0].text);
  CHECK(mail.parts[0].text.find("\r\nBcc: x@y.example\r\n") != std::string::npos);
  CHECK(mail.parts[0].text.find("\r\n.\r\nMAIL FROM") != std::string::npos);
  CHECK(mail.parts[0].text.find("Bcc: x@y.example") != std::string::npos);
  CHECK(mail.parts[1].type == "text/html");
  CHECK(mail.parts[1].text.find("MAIL FROM:&lt;evil@attacker.example&gt;") != std::string::npos);
}

TEST_CASE("email channel: non-ASCII subject and names decode as written", "[mail][email]") {
  SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw"});
  auto channel = make(server);
  REQUIRE(deliver(channel, test::sample_alert()).status == Delivery::Status::delivered);
  const auto mail = server.parsed(1);
  CHECK(mail.defects.empty());
  CHECK(mail.header("Subject") == "[Otklik] Негативный отзыв: Кофейня Бобры \u2014 maps-reviews");
  CHECK(mail.header("From") == "Отклик Мониторинг <otklik@bank.example>");
  CHECK(mail.header("To") == "Смирнова Ольга <olga@bank.example>, support@bank.example");
  CHECK(mail.header("Date") == "Mon, 23 Nov 2026 12:30:00 +0000");
  REQUIRE(mail.parts.size() == 2);
  CHECK(mail.parts[0].text.find("Ждали кофе сорок минут & никто не извинился.") != std::string::npos);
  CHECK(mail.parts[1].text.find("Ирина &lt;К.&gt;") != std::string::npos);
}

TEST_CASE("email channel: a resent row keeps its Message-ID", "[mail][email]") {
  SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw"});
  auto channel = make(server);
  REQUIRE(deliver(channel, test::sample_alert()).status == Delivery::Status::delivered);
  REQUIRE(deliver(channel, test::sample_alert()).status == Delivery::Status::delivered);
  auto other = test::sample_alert();
  other.item.id = 99;
  REQUIRE(deliver(channel, other).status == Delivery::Status::delivered);
  REQUIRE(server.message_count() == 3);
  CHECK(server.parsed(1).header("Message-ID") == server.parsed(2).header("Message-ID"));
  CHECK(server.parsed(1).header("Message-ID") != server.parsed(3).header("Message-ID"));
}

TEST_CASE("email channel: 4xx is retried, 5xx is dead, status rows send nothing", "[mail][email]") {
  SECTION("451") {
    SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw", .fail_rcpt = 451});
    auto channel = make(server);
    const Delivery d = deliver(channel, test::sample_alert());
    CHECK(d.status == Delivery::Status::retry);
    CHECK(d.error.find("451") != std::string::npos);
  }
  SECTION("550") {
    SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw", .fail_data = 550});
    auto channel = make(server);
    const Delivery d = deliver(channel, test::sample_alert());
    CHECK(d.status == Delivery::Status::dead);
    CHECK(d.error.find("550") != std::string::npos);
  }
  SECTION("status") {
    SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw"});
    auto channel = make(server);
    auto request = test::sample_alert();
    request.item.kind = "status";
    CHECK(deliver(channel, request).status == Delivery::Status::delivered);
    CHECK(server.events().empty());
  }
  SECTION("a bad recipient in the config") {
    SmtpTestServer server({.mode = "starttls", .user = "otklik", .password = "pw"});
    auto config = email_config();
    config.to = {"not an address"};
    channels::EmailChannel channel(config, smtp_config(server), RenderOptions{}, TimeZone{},
                                   mail::SmtpTls{SmtpTestServer::ca_file(), true, {}});
    CHECK(deliver(channel, test::sample_alert()).status == Delivery::Status::dead);
  }
}

TEST_CASE("email channel: the factory builds it only with an [smtp] section", "[mail][email]") {
  boost::asio::io_context io;
  auto http = make_http_client(io.get_executor(), HttpConfig{}, "otklik-test");
  std::ostringstream console;
  CHECK_THROWS_AS(make_channel(email_config(), *http, RenderOptions{}, console), std::invalid_argument);
  SmtpConfig smtp;
  smtp.host = "localhost";
  auto channel = make_channel(email_config(), *http, RenderOptions{}, console, smtp);
  REQUIRE(channel);
  CHECK(channel->config().type == "email");
}
