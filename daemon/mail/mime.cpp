#include "daemon/mail/mime.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/mail/mime_encoding.hpp"

#include <openssl/evp.h>

#include <array>
#include <ctime>

namespace otklik::mail {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 15]);
  }
  return out;
}

/// The first 16 bytes of SHA-256(`data`) in hex.
std::string short_hash(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 || size < 16) {
    throw std::runtime_error("SHA-256 unavailable");  // a broken OpenSSL: a bug, not a mail problem
  }
  return hex(digest.data(), 16);
}

std::string clean_message_id(std::string_view id) {
  std::string inner;
  for (char c : id) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7F && c != '<' && c != '>') inner.push_back(c);
  }
  return inner.empty() ? std::string() : "<" + inner + ">";
}

void append_part(std::string& out, std::string_view type, std::string_view body) {
  out += "Content-Type: ";
  out += type;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(canonical_body_text(body));
}

}  // namespace

std::string encode_header_text(std::string_view text, std::size_t used) {
  const std::string clean = header_safe_text(text);
  if (!printable_ascii(clean) || clean.find("=?") != std::string::npos) return encoded_words(clean, used);
  // Plain ASCII: fold before spaces so that lines stay within 78 characters where words allow.
  std::string out;
  std::size_t line = used;
  std::size_t i = 0;
  while (i < clean.size()) {
    std::size_t next = clean.find(' ', i + 1);
    if (next == std::string::npos) next = clean.size();
    const std::string_view word = std::string_view(clean).substr(i, next - i);  // starts with ' ' after the first
    if (line + word.size() > 78 && i > 0 && word.size() > 1) {
      out += "\r\n";
      line = 0;
    }
    out += word;
    line += word.size();
    if (line > 998 - 2) return encoded_words(clean, used);
    i = next;
  }
  return out;
}

std::string format_mail_date(TimePoint t) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = SystemClock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday % 7].data(),
                tm.tm_mday, kMonths[tm.tm_mon % 12].data(), tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

std::string make_message_id(std::string_view stable_key, std::string_view domain) {
  std::string host;
  for (char c : domain) host.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (!valid_host_name(host)) host = "otklik.invalid";
  std::string keyed = "otklik-message-id:";
  keyed += stable_key;
  return "<otklik." + short_hash(keyed) + "@" + host + ">";
}

std::string render_mime(const MailMessage& message) {
  std::string out;
  out += "Date: " + format_mail_date(message.date) + "\r\n";
  out += "From: " + format_address_at(message.from, 6) + "\r\n";
  if (!message.to.empty()) {
    out += "To: ";
    for (std::size_t i = 0; i < message.to.size(); ++i) {
      if (i > 0) out += ",\r\n ";
      out += format_address_at(message.to[i], i == 0 ? 4 : 1);
    }
    out += "\r\n";
  }
  if (message.reply_to) out += "Reply-To: " + format_address_at(*message.reply_to, 10) + "\r\n";
  const std::string subject = encode_header_text(message.subject, 9);
  out += subject.empty() ? "Subject:\r\n" : "Subject: " + subject + "\r\n";
  if (auto id = clean_message_id(message.message_id); !id.empty()) out += "Message-ID: " + id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  if (!message.html) {
    append_part(out, "text/plain", message.text);
    return out;
  }
  // "=_" never occurs in base64 text, so the boundary cannot occur in the parts.
  const std::string boundary = "=_otklik_" + short_hash(message.text + '\0' + *message.html).substr(0, 24);
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\n";
  append_part(out, "text/plain", message.text);
  out += "--" + boundary + "\r\n";
  append_part(out, "text/html", *message.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

std::string dot_stuff(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 64 + 2);
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
      line_start = true;
      continue;
    }
    if (c == '\0') continue;
    if (line_start && c == '.') out.push_back('.');
    out.push_back(c);
    line_start = false;
  }
  if (!out.empty() && !line_start) out += "\r\n";
  return out;
}

}  // namespace otklik::mail
