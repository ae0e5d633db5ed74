#include "daemon/mail/mime.hpp"

#include "daemon/core/utf8.hpp"
#include "daemon/mail/mime_encoding.hpp"

namespace otklik::mail {

namespace {

constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxLabel = 63;
/// RFC 5322 "specials" and space: an ASCII display name with one of these is quoted.
constexpr std::string_view kSpecials = "()<>[]:;@\\,.\"";

bool is_atext(char c) noexcept {
  const auto b = static_cast<unsigned char>(c);
  if (b >= 0x80) return false;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string_view trim_space(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool valid_dot_atom(std::string_view s) noexcept {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!is_atext(s[i])) {
      return false;
    }
  }
  return true;
}

bool valid_address_literal(std::string_view s) noexcept {
  if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
  std::string_view inner = s.substr(1, s.size() - 2);
  if (inner.starts_with("IPv6:")) inner.remove_prefix(5);
  if (inner.empty()) return false;
  for (char c : inner) {
    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != '.' && c != ':') {
      return false;
    }
  }
  return true;
}

Result<std::string> check_email(std::string_view email) {
  if (email.empty()) return Failure(errc::invalid_input, "empty address");
  if (email.size() > kMaxEmailLength) return Failure(errc::invalid_input, "address longer than 254 characters");
  const std::size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return Failure(errc::invalid_input, "an address needs exactly one '@'");
  }
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  if (local.empty() || local.size() > kMaxLocalPart || !valid_dot_atom(local)) {
    return Failure(errc::invalid_input, "invalid local part '" + std::string(local) + "'");
  }
  if (!valid_host_name(domain) && !valid_address_literal(domain)) {
    return Failure(errc::invalid_input, "invalid domain '" + std::string(domain) + "'");
  }
  return std::string(email);
}

Result<std::string> unquote_display(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\\' && i + 2 < s.size()) {
        out.push_back(s[++i]);
      } else if (s[i] == '"') {
        return Failure(errc::invalid_input, "unescaped '\"' in a quoted name");
      } else {
        out.push_back(s[i]);
      }
    }
    return out;
  }
  for (char c : s) {
    if (c == '<' || c == '>' || c == '"') {
      return Failure(errc::invalid_input, std::string("'") + c + "' in a name: quote the name");
    }
  }
  return std::string(s);
}

/// What may appear in an address in a header: atext, '.', '@', and address-literal brackets.
std::string header_safe_email(std::string_view email) {
  std::string out;
  for (char c : email) {
    if (is_atext(c) || c == '.' || c == '@' || c == '[' || c == ']' || c == ':') out.push_back(c);
  }
  return out;
}

}  // namespace

bool valid_host_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 253) return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t dot = s.find('.', start);
    const std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > kMaxLabel || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

std::string format_address_at(const MailAddress& address, std::size_t used) {
  const std::string email = header_safe_email(address.email);
  const std::string display{trim_space(header_safe_text(address.display))};
  if (display.empty()) return email;
  std::string phrase;
  if (!printable_ascii(display) || display.find("=?") != std::string::npos) {
    phrase = encoded_words(display, used);
  } else if (display.find_first_of(kSpecials) == std::string::npos) {
    phrase = display;
  } else {
    phrase = "\"";
    for (char c : display) {
      if (c == '"' || c == '\\') phrase.push_back('\\');
      phrase.push_back(c);
    }
    phrase += "\"";
  }
  // The address goes on a line of its own when it would make the name's last line too long.
  const std::size_t newline = phrase.rfind('\n');
  const std::size_t last_line = newline == std::string::npos ? used + phrase.size() : phrase.size() - newline - 1;
  const bool fold = last_line + email.size() + 3 > 78;
  return phrase + (fold ? "\r\n <" : " <") + email + ">";
}

Result<MailAddress> parse_mail_address(std::string_view text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return Failure(errc::invalid_input, "control character in address");
  }
  if (sanitize_utf8(text) != text) return Failure(errc::invalid_input, "address is not valid UTF-8");
  const std::string_view trimmed = trim_space(text);
  MailAddress address;
  std::string_view email = trimmed;
  if (!trimmed.empty() && trimmed.back() == '>') {
    const std::size_t open = trimmed.rfind('<');
    if (open == std::string_view::npos) return Failure(errc::invalid_input, "'>' without '<' in address");
    email = trimmed.substr(open + 1, trimmed.size() - open - 2);
    auto display = unquote_display(trim_space(trimmed.substr(0, open)));
    if (!display) return display.error();
    if (display->size() > kMaxDisplayLength) return Failure(errc::invalid_input, "name longer than 200 bytes");
    address.display = std::move(*display);
  }
  auto checked = check_email(email);
  if (!checked) {
    auto failure = checked.error();
    failure.detail = "'" + std::string(trimmed) + "': " + failure.detail;
    return failure;
  }
  address.email = std::move(*checked);
  return address;
}

Result<std::vector<MailAddress>> parse_mail_addresses(const std::vector<std::string>& list) {
  std::vector<MailAddress> out;
  for (const auto& entry : list) {
    auto address = parse_mail_address(entry);
    if (!address) return address.error();
    out.push_back(std::move(*address));
  }
  return out;
}

std::string format_mail_address(const MailAddress& address) { return format_address_at(address, 6); }

std::string_view email_domain(std::string_view email) noexcept {
  const std::size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

}  // namespace otklik::mail
