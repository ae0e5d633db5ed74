#pragma once
/// Internet mail messages (RFC 5322 + MIME) built from plain structs. Pure functions: no clock,
/// no I/O. Every header value that may carry outside text (a review in a subject, a display
/// name) is encoded per RFC 2047 or cleaned of line breaks, so no text can add a header; the
/// bodies go out base64-encoded, so no body line can end the SMTP DATA phase or look like a
/// header.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::mail {

/// One mailbox: "Display Name <local@domain>" or a bare address (display empty).
struct MailAddress {
  std::string display;  ///< UTF-8, may be empty; encoded per RFC 2047 when rendered
  std::string email;    ///< "local@domain", ASCII, validated by parse_mail_address
  friend bool operator==(const MailAddress&, const MailAddress&) = default;
};

/// Longest address accepted (RFC 5321 limits a path to 256 octets including the brackets).
inline constexpr std::size_t kMaxEmailLength = 254;
/// Longest display name accepted, in bytes.
inline constexpr std::size_t kMaxDisplayLength = 200;

/// Parses "Name <a@b.example>", "\"Name, Jr.\" <a@b.example>", "<a@b.example>" or
/// "a@b.example". Refuses (errc::invalid_input, with the reason) CR, LF and other control
/// characters anywhere, spaces or specials in the address, not exactly one '@', an empty local
/// part or domain, a domain that is not dot-separated letters/digits/hyphens (or an
/// [IP literal]), and lengths over kMaxEmailLength / kMaxDisplayLength.
Result<MailAddress> parse_mail_address(std::string_view text);

/// Parses each entry of `list` with parse_mail_address; the first failure names the entry.
Result<std::vector<MailAddress>> parse_mail_addresses(const std::vector<std::string>& list);

/// The header form of one mailbox: "=?utf-8?B?...?= <a@b>" for a non-ASCII name, a quoted
/// string for an ASCII name with specials, the bare address when there is no name.
std::string format_mail_address(const MailAddress& address);

/// The part after '@' ("" when there is none).
std::string_view email_domain(std::string_view email) noexcept;

/// One message: a plain-text body and an optional HTML alternative.
struct MailMessage {
  MailAddress from;
  std::vector<MailAddress> to;
  std::string subject;                ///< UTF-8, one line (line breaks become spaces)
  std::string text;                   ///< plain-text body, UTF-8, any line ends
  std::optional<std::string> html;    ///< HTML body, UTF-8: multipart/alternative when set
  std::string message_id;             ///< "<id@domain>", see make_message_id; "" leaves it out
  TimePoint date{};                   ///< the Date header, rendered in UTC (+0000)
  std::optional<MailAddress> reply_to;
};

/// Renders the complete message: Date, From, To, (Reply-To), Subject, Message-ID,
/// MIME-Version, and either one text/plain part or multipart/alternative with text/plain and
/// text/html, all charset=utf-8 and Content-Transfer-Encoding: base64 (lines of 76). Line ends
/// are CRLF, no line is over 998 octets, header text is ASCII (RFC 2047 encoded-words of at most
/// 75 characters, folded), and the boundary occurs in no part. Display names and the subject
/// have control characters replaced by spaces; an address that did not come from
/// parse_mail_address has the characters that could break the header dropped.
std::string render_mime(const MailMessage& message);

/// A Message-ID that depends only on its inputs: "<otklik.HEX@domain>" where HEX is a hash of
/// `stable_key` (e.g. "outbox/42" or "digest/2026-W47/team"), so a resend of the same thing
/// carries the same id and mail clients and servers can drop the duplicate. A `domain` that is
/// not a valid host name becomes "otklik.invalid".
std::string make_message_id(std::string_view stable_key, std::string_view domain);

/// The RFC 5322 date: "Mon, 23 Nov 2026 17:34:18 +0000".
std::string format_mail_date(TimePoint t);

/// Prepares message text for the SMTP DATA phase (RFC 5321 4.5.2): every line end (CRLF, lone
/// LF, lone CR) becomes CRLF, a '.' at the start of a line is doubled, NUL bytes are dropped,
/// and non-empty text ends with CRLF. The caller then sends ".\r\n".
std::string dot_stuff(std::string_view text);

/// An RFC 2047 header value for `text` (UTF-8): the text itself when it is printable ASCII
/// without "=?" and fits, else B encoded-words of at most 75 characters (never splitting a
/// UTF-8 sequence), joined by CRLF + space folds. `used` is how many characters of the first
/// line the header name already takes ("Subject: " = 9). Control characters become spaces.
std::string encode_header_text(std::string_view text, std::size_t used);

}  // namespace otklik::mail
