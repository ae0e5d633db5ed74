#include "daemon/mail/smtp_reply.hpp"

#include <algorithm>
#include <cctype>

namespace otklik::mail {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::string SmtpReply::summary() const {
  std::string out = std::to_string(code);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out += i == 0 ? " " : " / ";
    out += lines[i];
  }
  return out;
}

Result<std::optional<SmtpReply>> parse_smtp_reply(std::string_view buffer, std::size_t& consumed) {
  consumed = 0;
  SmtpReply reply;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t lf = buffer.find('\n', pos);
    if (lf == std::string_view::npos) {
      if (buffer.size() - pos > kMaxReplyLine) return Failure(errc::protocol_error, "SMTP reply line too long");
      return std::optional<SmtpReply>{};
    }
    if (lf + 1 - pos > kMaxReplyLine) return Failure(errc::protocol_error, "SMTP reply line too long");
    std::string_view line = buffer.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      return Failure(errc::protocol_error, "control character in SMTP reply");
    }
    if (line.size() < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' || line[2] < '0' ||
        line[2] > '9') {
      return Failure(errc::protocol_error, "malformed SMTP reply '" + std::string(line.substr(0, 64)) + "'");
    }
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (!reply.lines.empty() && code != reply.code) {
      return Failure(errc::protocol_error, "SMTP reply lines with codes " + std::to_string(reply.code) + " and " +
                                               std::to_string(code));
    }
    reply.code = code;
    bool last = true;
    if (line.size() > 3) {
      if (line[3] == '-') {
        last = false;
      } else if (line[3] != ' ') {
        return Failure(errc::protocol_error, "malformed SMTP reply '" + std::string(line.substr(0, 64)) + "'");
      }
    }
    reply.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
    if (reply.lines.size() > kMaxReplyLines) return Failure(errc::protocol_error, "SMTP reply with too many lines");
    pos = lf + 1;
    if (last) {
      consumed = pos;
      return std::optional<SmtpReply>(std::move(reply));
    }
  }
}

EhloCapabilities parse_ehlo(const SmtpReply& reply) {
  EhloCapabilities caps;
  for (std::size_t i = 1; i < reply.lines.size(); ++i) {
    const std::string line = upper(reply.lines[i]);
    auto parts = words(line);
    if (parts.empty()) continue;
    std::string_view keyword = parts[0];
    if (keyword.starts_with("AUTH=")) {
      // The pre-standard form: "AUTH=PLAIN LOGIN".
      parts[0] = keyword.substr(5);
      keyword = "AUTH";
    } else {
      parts.erase(parts.begin());
    }
    if (keyword == "STARTTLS") {
      caps.starttls = true;
    } else if (keyword == "AUTH") {
      for (auto mechanism : parts) {
        if (mechanism == "PLAIN") caps.auth_plain = true;
        if (mechanism == "LOGIN") caps.auth_login = true;
      }
    } else if (keyword == "PIPELINING") {
      caps.pipelining = true;
    } else if (keyword == "8BITMIME") {
      caps.eight_bit_mime = true;
    } else if (keyword == "SMTPUTF8") {
      caps.smtputf8 = true;
    } else if (keyword == "SIZE" && !parts.empty()) {
      std::uint64_t v = 0;
      bool ok = !parts[0].empty() && parts[0].size() < 19;
      for (char c : parts[0]) {
        if (c < '0' || c > '9') ok = false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (ok && v > 0) caps.size = v;
    }
  }
  return caps;
}

Failure reply_failure(const SmtpReply& reply, std::string_view command) {
  std::string detail = "SMTP " + std::string(command) + ": " + reply.summary();
  if (reply.klass() == 4) return Failure(errc::rate_limited, "server asks to try later: " + detail);
  if (reply.klass() == 5) return Failure(errc::permanent, "server refused: " + detail);
  return Failure(errc::protocol_error, "unexpected reply: " + detail);
}

}  // namespace otklik::mail
