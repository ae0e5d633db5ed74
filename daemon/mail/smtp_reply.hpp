#pragma once
/// The SMTP reply grammar (RFC 5321 4.2) and EHLO capabilities, as pure functions over bytes, so
/// that the client's protocol logic is tested without sockets.

#include "daemon/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::mail {

/// One complete reply: a three-digit code and its text lines (without code and separator).
struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;

  [[nodiscard]] int klass() const noexcept { return code / 100; }   ///< 2, 3, 4 or 5
  /// "250 first line / second line": for log lines and failure details.
  [[nodiscard]] std::string summary() const;
};

/// Longest reply line accepted, CRLF included (RFC 5321 says 512; servers send a bit more).
inline constexpr std::size_t kMaxReplyLine = 2048;
/// Most lines in one multi-line reply.
inline constexpr std::size_t kMaxReplyLines = 128;

/// Reads one reply from the front of `buffer`. Returns the reply and sets `consumed` to the
/// bytes it took; returns nullopt (consumed = 0) while the reply is incomplete. A malformed
/// reply is errc::protocol_error: a code that is not three digits in 2xx–5xx (first digit 2–5,
/// second 0–5), a separator other than ' ' or '-' (or end of line), lines of one reply with
/// different codes, a line over kMaxReplyLine or more than kMaxReplyLines lines, a NUL or a
/// bare CR inside a line. Line ends are CRLF; a bare LF is accepted as a line end.
Result<std::optional<SmtpReply>> parse_smtp_reply(std::string_view buffer, std::size_t& consumed);

/// What the server offered in its EHLO reply.
struct EhloCapabilities {
  bool starttls = false;
  bool auth_plain = false;
  bool auth_login = false;
  bool pipelining = false;
  bool eight_bit_mime = false;
  bool smtputf8 = false;
  std::optional<std::uint64_t> size;  ///< SIZE limit in bytes, when announced with a number
  friend bool operator==(const EhloCapabilities&, const EhloCapabilities&) = default;
};

/// Reads the keywords of an EHLO reply (every line but the first, which greets). Keywords are
/// case-insensitive; "AUTH PLAIN LOGIN" and the old "AUTH=PLAIN LOGIN" form are both read.
EhloCapabilities parse_ehlo(const SmtpReply& reply);

/// The Failure for a reply that is not the one expected after `command` (a verb such as
/// "RCPT TO:<a@b>", with credentials already masked by the caller): 4xx → rate_limited (try
/// later; transient), 5xx → permanent, anything else → protocol_error. The detail holds the
/// command and the server's text.
Failure reply_failure(const SmtpReply& reply, std::string_view command);

}  // namespace otklik::mail
