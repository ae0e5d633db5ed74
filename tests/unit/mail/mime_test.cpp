#include "daemon/core/utf8.hpp"
#include "daemon/mail/mime.hpp"
#include "daemon/mail/mime_encoding.hpp"
#include "tests/support/catch_result.hpp"

#include <chrono>
#include <sstream>

using namespace otklik;
using namespace otklik::mail;

namespace {

std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

/// The unfolded value of header `name` in the header block of `message`.
std::string header_value(const std::string& message, const std::string& name) {
  const std::string head = message.substr(0, message.find("\r\n\r\n") + 2);
  const std::string key = "\r\n" + name + ": ";
  const std::string padded = "\r\n" + head;
  const std::size_t at = padded.find(key);
  if (at == std::string::npos) return "<absent>";
  std::string value;
  std::size_t i = at + key.size();
  for (;;) {
    const std::size_t end = padded.find("\r\n", i);
    value += padded.substr(i, end - i);
    if (end + 2 < padded.size() && (padded[end + 2] == ' ' || padded[end + 2] == '\t')) {
      i = end + 2;
      continue;
    }
    break;
  }
  return value;
}

/// Decodes RFC 2047 B words ("=?utf-8?B?...?="); whitespace between two words is dropped.
std::string decode_words(const std::string& value) {
  std::string out;
  std::string pending_space;  // raw whitespace after an encoded word, dropped before another one
  std::size_t i = 0;
  bool last_was_word = false;
  while (i < value.size()) {
    if (value.compare(i, 10, "=?utf-8?B?") == 0) {
      const std::size_t end = value.find("?=", i + 10);
      std::string bytes;
      REQUIRE(base64_decode(value.substr(i + 10, end - i - 10), bytes));
      if (!last_was_word) out += pending_space;
      pending_space.clear();
      out += bytes;
      i = end + 2;
      last_was_word = true;
    } else if (value[i] == ' ' && last_was_word) {
      pending_space.push_back(value[i++]);
    } else {
      out += pending_space;
      pending_space.clear();
      last_was_word = false;
      out.push_back(value[i++]);
    }
  }
  return out + pending_space;
}

std::string decode_body(const std::string& base64_block) {
  std::string joined;
  for (const auto& line : crlf_lines(base64_block)) joined += line;
  std::string out;
  REQUIRE(base64_decode(joined, out));
  return out;
}

TimePoint at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

MailMessage sample() {
  MailMessage m;
  m.from = {"Отклик", "otklik@bank.example"};
  m.to = {{"", "lead@bank.example"}, {"Иванов Иван", "ivanov@bank.example"}};
  m.subject = "[Otklik] Негативный отзыв: Банк — Отзовик";
  m.text = "Строка 1\nСтрока 2\n";
  m.html = "<p>Строка 1</p>";
  m.message_id = make_message_id("outbox/1", "bank.example");
  m.date = at(2026, 11, 23, 17, 34, 18);
  return m;
}

void check_wire_shape(const std::string& mime) {
  // CRLF only, ASCII only, no line over 998 octets.
  for (std::size_t i = 0; i < mime.size(); ++i) {
    const auto c = static_cast<unsigned char>(mime[i]);
    CHECK(c < 0x80);
    if (c == '\n') CHECK((i > 0 && mime[i - 1] == '\r'));
    if (c == '\r') CHECK((i + 1 < mime.size() && mime[i + 1] == '\n'));
    CHECK(c != 0);
  }
  for (const auto& line : crlf_lines(mime)) CHECK(line.size() <= 998);
}

}  // namespace

TEST_CASE("dates are RFC 5322 dates in UTC", "[mail]") {
  CHECK(format_mail_date(at(2026, 11, 23, 17, 34, 18)) == "Mon, 23 Nov 2026 17:34:18 +0000");
  CHECK(format_mail_date(at(2024, 2, 29, 0, 0, 0)) == "Thu, 29 Feb 2024 00:00:00 +0000");
  CHECK(format_mail_date(at(1999, 12, 31, 23, 59, 59) + std::chrono::milliseconds(999)) ==
        "Fri, 31 Dec 1999 23:59:59 +0000");
}

TEST_CASE("message ids are stable per key", "[mail]") {
  const auto a = make_message_id("outbox/42", "bank.example");
  CHECK(a == make_message_id("outbox/42", "bank.example"));
  CHECK(a != make_message_id("outbox/43", "bank.example"));
  CHECK(a.starts_with("<otklik."));
  CHECK(a.ends_with("@bank.example>"));
  CHECK(make_message_id("k", "Bank.Example").ends_with("@bank.example>"));
  CHECK(make_message_id("k", "bad domain\r\n").ends_with("@otklik.invalid>"));
  CHECK(make_message_id("k", "").ends_with("@otklik.invalid>"));
}

TEST_CASE("header text is encoded per RFC 2047 and folded", "[mail]") {
  struct Case {
    std::string text;
    bool plain;  ///< expected to stay as written
  };
  const std::vector<Case> cases{
      {"Weekly digest", true},
      {"", true},
      {"Негативный отзыв", false},
      {"=?utf-8?Q?looks_encoded?=", false},
      {std::string(300, 'a'), true},                   // long, but within 998 octets
      {std::string(1000, 'a'), false},                 // too long for any line
      {"word " + std::string(100, 'b') + " end", true},  // folds before the long word
      {"😀 emoji and ёжик", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const std::string encoded = encode_header_text(c.text, 9);
    std::string unfolded;
    for (const auto& line : crlf_lines(encoded)) unfolded += line;
    if (c.plain) {
      CHECK(unfolded == c.text);
    } else {
      CHECK(encoded.find("=?utf-8?B?") == 0);
      CHECK(decode_words(unfolded) == c.text);
    }
    for (const auto& line : crlf_lines(encoded)) {
      CHECK(line.size() <= 998);
      if (!c.plain) CHECK(line.size() <= 76);  // one word, 75 at most, after a folding space
    }
  }
}

TEST_CASE("long non-ASCII subjects split into words without cutting a character", "[mail]") {
  std::string subject;
  for (int i = 0; i < 60; ++i) subject += "жалоба№" + std::to_string(i) + " ";
  const std::string encoded = encode_header_text(subject, 9);
  const auto lines = crlf_lines(encoded);
  CHECK(lines.size() > 5);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string word = i == 0 ? lines[i] : lines[i].substr(1);
    CHECK(word.size() <= 75);
    CHECK(word.starts_with("=?utf-8?B?"));
    CHECK(word.ends_with("?="));
    std::string bytes;
    REQUIRE(base64_decode(word.substr(10, word.size() - 12), bytes));
    CHECK(sanitize_utf8(bytes) == bytes);  // each word holds whole characters
  }
  std::string unfolded;
  for (const auto& line : lines) unfolded += line;
  CHECK(decode_words(unfolded) == subject);
}

TEST_CASE("a rendered message has its headers and a part per body", "[mail]") {
  const MailMessage m = sample();
  const std::string mime = render_mime(m);
  check_wire_shape(mime);
  CHECK(header_value(mime, "Date") == "Mon, 23 Nov 2026 17:34:18 +0000");
  CHECK(decode_words(header_value(mime, "From")) == "Отклик <otklik@bank.example>");
  CHECK(decode_words(header_value(mime, "To")) == "lead@bank.example, Иванов Иван <ivanov@bank.example>");
  CHECK(decode_words(header_value(mime, "Subject")) == m.subject);
  CHECK(header_value(mime, "Message-ID") == m.message_id);
  CHECK(header_value(mime, "MIME-Version") == "1.0");
  CHECK(header_value(mime, "Reply-To") == "<absent>");
  const std::string type = header_value(mime, "Content-Type");
  REQUIRE(type.starts_with("multipart/alternative; boundary=\""));
  const std::string boundary = type.substr(type.find('"') + 1, type.rfind('"') - type.find('"') - 1);
  CHECK(boundary.starts_with("=_"));

  // Split at the boundary: preamble, text part, html part, epilogue.
  const std::string delimiter = "--" + boundary;
  std::vector<std::string> pieces;
  std::size_t pos = 0;
  for (std::size_t next; (next = mime.find(delimiter, pos)) != std::string::npos; pos = next + delimiter.size()) {
    pieces.push_back(mime.substr(pos, next - pos));
  }
  pieces.push_back(mime.substr(pos));
  REQUIRE(pieces.size() == 4);
  CHECK(pieces[3] == "--\r\n");
  const auto part_body = [](const std::string& piece, const std::string& content_type) {
    CHECK(piece.starts_with("\r\nContent-Type: " + content_type +
                            "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"));
    return piece.substr(piece.find("\r\n\r\n") + 4);
  };
  CHECK(decode_body(part_body(pieces[1], "text/plain")) == "Строка 1\r\nСтрока 2\r\n");
  CHECK(decode_body(part_body(pieces[2], "text/html")) == "<p>Строка 1</p>");
}

TEST_CASE("a message without HTML is a single text part, Reply-To is optional", "[mail]") {
  MailMessage m = sample();
  m.html.reset();
  m.reply_to = MailAddress{"", "team@bank.example"};
  m.message_id.clear();
  const std::string mime = render_mime(m);
  check_wire_shape(mime);
  CHECK(header_value(mime, "Content-Type") == "text/plain; charset=utf-8");
  CHECK(header_value(mime, "Content-Transfer-Encoding") == "base64");
  CHECK(header_value(mime, "Reply-To") == "team@bank.example");
  CHECK(header_value(mime, "Message-ID") == "<absent>");
  CHECK(decode_body(mime.substr(mime.find("\r\n\r\n") + 4)) == "Строка 1\r\nСтрока 2\r\n");
}

TEST_CASE("review text cannot add headers or end the message", "[mail]") {
  const std::vector<std::string> attacks{
      "Ужасно\r\nBcc: attacker@evil.example",
      "line\r\n.\r\nMAIL FROM:<x@evil.example>\r\nRCPT TO:<y@evil.example>",
      "\n.\nQUIT\n",
      "\rSubject: forged\r",
      std::string("nul\0byte", 8),
      "--=_otklik_ fake boundary\r\n--",
  };
  for (const auto& attack : attacks) {
    CAPTURE(attack);
    MailMessage m = sample();
    m.subject = "Отзыв: " + attack;
    m.to[1].display = attack;
    m.text = attack;
    m.html = "<p>" + attack + "</p>";
    const std::string mime = render_mime(m);
    check_wire_shape(mime);
    const std::string head = mime.substr(0, mime.find("\r\n\r\n"));
    for (const auto& line : crlf_lines(head)) {
      const bool known = line.starts_with(" ") || line.starts_with("Date: ") || line.starts_with("From: ") ||
                         line.starts_with("To: ") || line.starts_with("Subject: ") ||
                         line.starts_with("Message-ID: ") || line.starts_with("MIME-Version: ") ||
                         line.starts_with("Content-Type: ");
      CHECK(known);
    }
    for (const auto& line : crlf_lines(mime)) {
      CHECK_FALSE(line.starts_with("."));
      CHECK_FALSE(line.starts_with("Bcc"));
      CHECK_FALSE(line.starts_with("MAIL FROM"));
    }
    const std::string type = header_value(mime, "Content-Type");
    const std::string boundary = type.substr(type.find('"') + 1, type.rfind('"') - type.find('"') - 1);
    std::size_t count = 0;
    for (std::size_t p = mime.find(boundary); p != std::string::npos; p = mime.find(boundary, p + 1)) ++count;
    CHECK(count == 4);  // the header and the three delimiters
  }
}
