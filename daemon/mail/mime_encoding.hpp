#pragma once
/// Encodings under the MIME renderer and the SMTP client: base64 (RFC 4648), RFC 2047
/// encoded-words, and the header form of addresses. Pure functions; internal to the mail library
/// (and its tests).

#include "daemon/mail/mime.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace otklik::mail {

/// Base64 of `data` on one line (SMTP AUTH arguments).
std::string base64_encode(std::string_view data);

/// Base64 of `data` in lines of at most 76 characters, each ended by CRLF (MIME bodies).
std::string base64_lines(std::string_view data);

/// Decodes base64 (padding required, no whitespace); false when `text` is not base64.
bool base64_decode(std::string_view text, std::string& out);

/// Valid UTF-8 with invalid sequences replaced by U+FFFD, every C0 control (tab, CR, LF
/// included) and DEL replaced by a space: one line of header text.
std::string header_safe_text(std::string_view text);

/// Valid UTF-8 with CRLF line ends (lone CR and LF become CRLF), NUL and other C0 controls but
/// tab dropped: the canonical form of a text/* body before its transfer encoding.
std::string canonical_body_text(std::string_view text);

/// True when every byte is printable ASCII (0x20–0x7E).
bool printable_ascii(std::string_view text) noexcept;

/// RFC 2047 B encoded-words of `text` (UTF-8): each "=?utf-8?B?…?=" at most `max_word`
/// characters (≤ 75), never splitting a UTF-8 sequence and ending after a space where the text
/// has one, separated by CRLF + space. The first
/// word is made shorter so that `used` + its length stays within 78 characters when possible.
std::string encoded_words(std::string_view text, std::size_t used, std::size_t max_word = 75);

/// True for a dot-separated host name of letters, digits and hyphens (labels of 1–63
/// characters, not starting or ending with a hyphen; 253 characters at most).
bool valid_host_name(std::string_view s) noexcept;

/// The header form of `address` (see format_mail_address) on a line whose first `used`
/// characters are taken by the header name.
std::string format_address_at(const MailAddress& address, std::size_t used);

}  // namespace otklik::mail
