#include "daemon/mail/smtp_reply.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace otklik::mail;

TEST_CASE("complete SMTP replies are parsed", "[mail]") {
  struct Case {
    std::string wire;
    int code;
    std::vector<std::string> lines;
    std::size_t consumed;
  };
  const std::vector<Case> cases{
      {"220 mail.example ESMTP ready\r\n", 220, {"mail.example ESMTP ready"}, 30},
      {"250 OK\r\nextra", 250, {"OK"}, 8},
      {"250\r\n", 250, {""}, 5},
      {"354 \r\n", 354, {""}, 6},
      {"250-mail.example\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n", 250,
       {"mail.example", "PIPELINING", "AUTH PLAIN LOGIN"}, 56},
      {"451 4.3.0 try later\n", 451, {"4.3.0 try later"}, 20},
      {"550-5.1.1 no such user\r\n550 5.1.1 really\r\n", 550, {"5.1.1 no such user", "5.1.1 really"}, 42},
  };
  for (const auto& c : cases) {
    CAPTURE(c.wire);
    std::size_t consumed = 99;
    auto reply = parse_smtp_reply(c.wire, consumed);
    REQUIRE(reply);
    REQUIRE(reply->has_value());
    CHECK((*reply)->code == c.code);
    CHECK((*reply)->lines == c.lines);
    CHECK(consumed == c.consumed);
  }
}

TEST_CASE("incomplete SMTP replies wait for more bytes", "[mail]") {
  const std::vector<std::string> partial{"", "2", "250", "250 OK", "250 OK\r", "250-first\r\n", "250-a\r\n250-b\r\n250 c"};
  for (const auto& wire : partial) {
    CAPTURE(wire);
    std::size_t consumed = 99;
    auto reply = parse_smtp_reply(wire, consumed);
    REQUIRE(reply);
    CHECK_FALSE(reply->has_value());
    CHECK(consumed == 0);
  }
}

TEST_CASE("malformed SMTP replies are protocol errors", "[mail]") {
  const std::vector<std::string> bad{
      "hello\r\n",
      "25\r\n",
      "2500 OK\r\n",
      "25x OK\r\n",
      "150 OK\r\n",
      "650 OK\r\n",
      "260 OK\r\n",
      "250_OK\r\n",
      "250-a\r\n251 b\r\n",
      "250 a\rb\r\n",
      std::string("250 a\0b\r\n", 9),
      "250 " + std::string(3000, 'x') + "\r\n",
      "250 " + std::string(3000, 'x'),
  };
  for (const auto& wire : bad) {
    CAPTURE(wire.substr(0, 40));
    std::size_t consumed = 0;
    auto reply = parse_smtp_reply(wire, consumed);
    REQUIRE_FALSE(reply);
    CHECK(reply.error().code == errc::protocol_error);
  }
  std::string many;
  for (int i = 0; i < 200; ++i) many += "250-x\r\n";
  std::size_t consumed = 0;
  CHECK_FALSE(parse_smtp_reply(many, consumed));
}

TEST_CASE("EHLO capabilities are read from the keyword lines", "[mail]") {
  struct Case {
    std::vector<std::string> lines;
    EhloCapabilities caps;
  };
  EhloCapabilities full;
  full.starttls = full.auth_plain = full.auth_login = full.pipelining = full.eight_bit_mime = full.smtputf8 = true;
  full.size = 35882577;
  EhloCapabilities login_only;
  login_only.auth_login = true;
  EhloCapabilities old_form;
  old_form.auth_plain = old_form.auth_login = true;
  const std::vector<Case> cases{
      {{"mail.example greets you"}, {}},
      {{"mx", "SIZE 35882577", "8BITMIME", "AUTH LOGIN PLAIN XOAUTH2", "STARTTLS", "PIPELINING", "SMTPUTF8"}, full},
      {{"mx", "auth login", "size"}, login_only},
      {{"mx", "AUTH=PLAIN LOGIN"}, old_form},
      {{"STARTTLS"}, {}},  // the first line is the greeting, not a keyword
      {{"mx", "XSTARTTLS", "AUTH CRAM-MD5"}, {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.lines);
    CHECK(parse_ehlo(SmtpReply{250, c.lines}) == c.caps);
  }
}

TEST_CASE("unexpected replies map to transient and permanent failures", "[mail]") {
  const auto transient = reply_failure(SmtpReply{451, {"4.3.0 try later"}}, "RCPT TO:<a@b.example>");
  CHECK(transient.code == errc::rate_limited);
  CHECK(transient.transient());
  CHECK(transient.detail.find("451 4.3.0 try later") != std::string::npos);
  CHECK(transient.detail.find("RCPT TO:<a@b.example>") != std::string::npos);

  const auto permanent = reply_failure(SmtpReply{550, {"5.1.1 no such user"}}, "RCPT TO:<a@b.example>");
  CHECK(permanent.code == errc::permanent);
  CHECK_FALSE(permanent.transient());
  CHECK(permanent.detail.find("550 5.1.1 no such user") != std::string::npos);

  const auto odd = reply_failure(SmtpReply{250, {"OK"}}, "DATA");
  CHECK(odd.code == errc::protocol_error);
}
