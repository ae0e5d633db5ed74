#pragma once
/// The input and output of the pure parse functions (rss, html, json): bytes and what is known
/// about them in, Mentions and per-item warnings out. No I/O, no clock.

#include "daemon/core/mention.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// What a parse function gets besides the bytes.
struct ParseInput {
  std::string_view body;     ///< the response body as received (any encoding)
  std::string charset;       ///< the HTTP Content-Type charset, "" when none was given
  std::string base_url;      ///< the URL the body was fetched from (after redirects)
  std::string source;        ///< the [[source]] name, copied into each Mention
  std::string brand;         ///< the source's brand, copied into each Mention
  TimePoint fetched{};       ///< when the body was fetched
};

/// A remark about the body as a whole rather than about one item (bad bytes repaired), which
/// would repeat on every poll until the site changes: the source passes each `key` on as a
/// warning once in its life (FeedSource), not on every poll.
struct PageNotice {
  std::string key;   ///< what kind of remark ("bytes_repaired"); the unit of "once"
  std::string text;  ///< the warning, with this poll's details
};

/// What a parse function returns on success.
struct ParsedPage {
  std::vector<Mention> mentions;      ///< in document order
  std::vector<std::string> warnings;  ///< items skipped (and why), recoverable oddities
  std::vector<PageNotice> notices;    ///< about the whole body, reported once per source
};

}  // namespace otklik
