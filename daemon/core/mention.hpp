#pragma once
/// The one normalised record every source produces, whatever the site.

#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>

namespace otklik {

using SystemClock = std::chrono::system_clock;
using TimePoint = SystemClock::time_point;

struct Mention {
  std::string source;        ///< the [[source]] name from the config
  std::string external_id;   ///< the site's id; "h:<sha256 prefix>" when the site gives none
  std::string url;           ///< absolute link to the item
  std::string author;        ///< display name as shown by the site
  std::string author_id;     ///< a stable user id or profile URL when the site gives one
  std::string title;
  std::string text;          ///< plain text (HTML reduced), UTF-8
  std::optional<double> rating;       ///< normalised to 0..5 stars, when the site has ratings
  std::optional<TimePoint> published; ///< when the author posted it, if known
  TimePoint fetched{};                ///< when we fetched it
  std::string brand;                  ///< the brand this source (or matcher) assigned
  std::string company_reply;          ///< the company's official reply, if the site shows one
  /// What the review is about when a source covers several things: the product ("арт. 12345678 ·
  /// «Куртка зимняя»"), the location ("Тверская, 12"), the app. Shown after the source in alerts.
  std::string subject;

  friend bool operator==(const Mention&, const Mention&) = default;
};

/// Stable id for an item the site gives no id for: a hash of url, author, title and text,
/// so the same item fetched twice maps to the same row. Format "h:" + 32 hex characters.
std::string content_hash_id(const Mention& m);

/// The text the scorer sees: the title (if any) and the text, joined by a newline. Sentence
/// offsets in a stored Sentiment refer to this string, so renderers mark sentences in it.
std::string scored_text(const Mention& m);

/// Lowercase hex SHA-256 of bytes (used for ids and idempotency keys).
std::string sha256_hex(std::string_view bytes);
/// The same of the parts one after another, without joining them first.
std::string sha256_hex(std::initializer_list<std::string_view> parts);

}  // namespace otklik
