#pragma once
/// Building blocks of the HTML digest (internal): escaping, colours, bars made of table cells,
/// badges and the page skeleton. Every function escapes the texts it is given unless its name or
/// comment says it takes HTML.

#include "daemon/digest/render_common.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::digest::detail {

inline constexpr const char* kInk = "#1d2733";
inline constexpr const char* kMuted = "#6b7785";
inline constexpr const char* kRed = "#d64541";
inline constexpr const char* kGreen = "#2e9d5b";
inline constexpr const char* kAmber = "#e8a33d";
inline constexpr const char* kGrey = "#c3ccd8";
inline constexpr const char* kPale = "#eef1f5";
inline constexpr const char* kNavy = "#1f3a5f";
inline constexpr const char* kLink = "#1f5fa8";
inline constexpr const char* kHeadCell =
    "padding:6px 0;font-size:12px;color:#6b7785;border-bottom:1px solid #dde3ea;text-transform:uppercase;";
inline constexpr const char* kBodyCell = "padding:7px 0;border-bottom:1px solid #eef1f5;vertical-align:middle;";

/// Escapes & < > " ' for text and attribute values.
std::string esc(std::string_view s);

/// A coloured "+12" / "−3" (HTML). `up_is_bad`: rises in red, falls in green; else grey.
std::string delta_span(std::int64_t d, bool up_is_bad, DigestLocale l);

/// A horizontal bar (HTML): one coloured cell per segment, widths as shares of `max`, the rest
/// blank. Non-zero segments get at least 1 %.
std::string bar(const std::vector<std::pair<std::int64_t, const char*>>& segments, std::int64_t max);

/// A small coloured label with white text (HTML), e.g. a score.
std::string badge(std::string_view text, const char* colour);

struct Shade {
  const char* bg;
  const char* fg;
};
/// Background and text colour of a rating cell: green for good, red for bad.
Shade rating_shade(double rating) noexcept;

/// One summary tile: label (text), value (text), sub (HTML).
struct Tile {
  std::string label, value, sub;
};

/// The page being written.
struct Html {
  std::string out;

  void begin(std::string_view title, std::string_view lang);
  void header(std::string_view title, std::string_view subtitle);
  void tiles(const std::vector<Tile>& tiles);
  void section(std::string_view title, std::string_view note = {});
  void note(std::string_view text);
  void list_begin();
  /// One list entry: a badge (HTML), a grey meta line, the main text (bold when `strong`), and a
  /// link when `url` is http(s).
  void item(const std::string& badge_html, std::string_view meta, std::string_view text, std::string_view url,
            std::string_view link_text, bool strong = false);
  void list_end();
  void footer(std::string_view text);
};

}  // namespace otklik::digest::detail
