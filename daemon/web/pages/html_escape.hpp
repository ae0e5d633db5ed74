#pragma once
/// The one escaping of the web pages: every text from outside (reviews, authors, titles, source
/// and user names, topics, config values) goes through escape() before it is written, in text and
/// in quoted attribute values alike, and links are written only for http(s) addresses.

#include <optional>
#include <string>
#include <string_view>

namespace otklik::web {

/// `s` safe as HTML text and as a double- or single-quoted attribute value: & < > " ' become
/// entities; invalid UTF-8 becomes U+FFFD; NUL, other C0 controls (but tab, line feed and carriage
/// return), DEL and C1 controls are dropped (HTML forbids them as characters).
std::string escape(std::string_view s);

/// `url` when it is an absolute http:// or https:// address without spaces or control
/// characters (case-insensitive scheme); none otherwise ("javascript:…", "data:…", relative).
std::optional<std::string_view> http_url(std::string_view url) noexcept;

/// Percent-encodes everything but unreserved characters (A-Z a-z 0-9 - . _ ~): a path segment
/// or a query value.
std::string percent_encode(std::string_view s);

}  // namespace otklik::web
