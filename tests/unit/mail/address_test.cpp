#include "daemon/mail/mime.hpp"
#include "tests/support/catch_result.hpp"

using otklik::mail::MailAddress;
using otklik::mail::parse_mail_address;

TEST_CASE("mail addresses are parsed with and without a name", "[mail]") {
  struct Case {
    std::string text;
    std::string display;
    std::string email;
  };
  const std::vector<Case> cases{
      {"a@b.example", "", "a@b.example"},
      {"  a@b.example  ", "", "a@b.example"},
      {"<a@b.example>", "", "a@b.example"},
      {"Otklik <otklik@example.org>", "Otklik", "otklik@example.org"},
      {"\"Doe, John\" <j.doe+tag@mail.example.org>", "Doe, John", "j.doe+tag@mail.example.org"},
      {"\"Say \\\"hi\\\"\" <x@y.example>", "Say \"hi\"", "x@y.example"},
      {"Служба поддержки <support@bank.example>", "Служба поддержки", "support@bank.example"},
      {"relay@localhost", "", "relay@localhost"},
      {"user@[127.0.0.1]", "", "user@[127.0.0.1]"},
      {"o'brien@example.ie", "", "o'brien@example.ie"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto parsed = parse_mail_address(c.text);
    REQUIRE(parsed);
    CHECK(parsed->display == c.display);
    CHECK(parsed->email == c.email);
  }
}

TEST_CASE("mail addresses that could break a header are refused", "[mail]") {
  const std::vector<std::string> bad{
      "",
      "no-at-sign",
      "two@@example.org",
      "a@b@example.org",
      "@example.org",
      "user@",
      "a@b.example\r\nBcc: victim@example.org",
      "Name\r\n <a@b.example>",
      "a@b.example\n",
      std::string("a@b.exa\0mple", 12),
      "a b@example.org",
      "a@exa mple.org",
      "a@-example.org",
      "a@example..org",
      ".a@example.org",
      "a..b@example.org",
      "a@example.org>",
      "Name <a@b.example",
      "Na<me <a@b.example>",
      "\"unterminated <a@b.example>",
      "пользователь@example.org",
      "a@пример.рф",
      "a,b@example.org",
      std::string(65, 'x') + "@example.org",
      "a@" + std::string(250, 'x') + ".org",
      std::string(201, 'n') + " <a@b.example>",
      "\xff\xfe <a@b.example>",
  };
  for (const auto& text : bad) {
    CAPTURE(text);
    auto parsed = parse_mail_address(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == otklik::errc::invalid_input);
  }
}

TEST_CASE("a list of addresses fails on its first bad entry", "[mail]") {
  auto ok = otklik::mail::parse_mail_addresses({"a@b.example", "C <c@d.example>"});
  REQUIRE(ok);
  CHECK(ok->size() == 2);
  CHECK((*ok)[1] == MailAddress{"C", "c@d.example"});
  auto bad = otklik::mail::parse_mail_addresses({"a@b.example", "broken"});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().detail.find("broken") != std::string::npos);
}

TEST_CASE("addresses are formatted for headers", "[mail]") {
  using otklik::mail::format_mail_address;
  CHECK(format_mail_address({"", "a@b.example"}) == "a@b.example");
  CHECK(format_mail_address({"Otklik", "o@b.example"}) == "Otklik <o@b.example>");
  CHECK(format_mail_address({"Doe, John", "j@b.example"}) == "\"Doe, John\" <j@b.example>");
  CHECK(format_mail_address({"Say \"hi\"", "x@b.example"}) == "\"Say \\\"hi\\\"\" <x@b.example>");
  CHECK(format_mail_address({"Отклик", "o@b.example"}) == "=?utf-8?B?0J7RgtC60LvQuNC6?= <o@b.example>");
  // A struct filled by hand cannot smuggle a header through the name or the address.
  const auto forged = format_mail_address({"X\r\nBcc: v@e.example", "a@b.example>\r\nBcc: v@e.example"});
  CHECK(forged.find('\r') == std::string::npos);
  CHECK(forged.find('\n') == std::string::npos);
  CHECK(forged.find("> ") == std::string::npos);
  CHECK(otklik::mail::email_domain("a@b.example") == "b.example");
  CHECK(otklik::mail::email_domain("nothing").empty());
}

TEST_CASE("long names fold into lines of at most 78 characters", "[mail]") {
  using otklik::mail::format_mail_address;
  const std::vector<MailAddress> cases{
      {"Анна-Мария Константиновна Щекочихина-Вольская из отдела качества", "anna@bank.example"},
      {"Очень длинное имя " + std::string(10, 'x'), "a-rather-long-address-of-someone@subdomain.bank.example"},
  };
  for (const auto& address : cases) {
    CAPTURE(address.display);
    const std::string header = "From: " + format_mail_address(address);
    std::size_t start = 0;
    while (start < header.size()) {
      std::size_t end = header.find("\r\n", start);
      if (end == std::string::npos) end = header.size();
      CHECK(end - start <= 78);
      start = end + 2;
    }
    CHECK(header.ends_with(" <" + address.email + ">"));
  }
}
