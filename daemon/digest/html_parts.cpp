#include "daemon/digest/html_parts.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::digest::detail {

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string delta_span(std::int64_t d, bool up_is_bad, DigestLocale l) {
  const char* colour = kMuted;
  if (up_is_bad && d > 0) colour = kRed;
  if (up_is_bad && d < 0) colour = kGreen;
  return fmt::format(R"(<span style="color:{};font-size:12px;font-weight:normal;">{}</span>)", colour,
                     esc(format_delta(d, l)));
}

std::string bar(const std::vector<std::pair<std::int64_t, const char*>>& segments, std::int64_t max) {
  std::string cells;
  int used = 0;
  for (const auto& [value, colour] : segments) {
    if (value <= 0 || max <= 0) continue;
    int pct = static_cast<int>((value * 100 + max / 2) / max);
    pct = std::clamp(pct, 1, 100 - used);
    if (pct <= 0) continue;
    used += pct;
    cells += fmt::format(
        R"(<td width="{0}%" height="10" bgcolor="{1}" style="width:{0}%;height:10px;background-color:{1};font-size:1px;line-height:1px;">&nbsp;</td>)",
        pct, colour);
  }
  if (used < 100)
    cells += fmt::format(
        R"(<td width="{0}%" height="10" style="width:{0}%;height:10px;font-size:1px;line-height:1px;">&nbsp;</td>)",
        100 - used);
  return R"(<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>)" +
         cells + "</tr></table>";
}

std::string badge(std::string_view text, const char* colour) {
  return fmt::format(
      R"(<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td bgcolor="{0}" style="background-color:{0};color:#ffffff;font-weight:bold;font-size:12px;padding:3px 7px;border-radius:3px;white-space:nowrap;">{1}</td></tr></table>)",
      colour, esc(text));
}

Shade rating_shade(double r) noexcept {
  if (r >= 4.5) return {"#2e9d5b", "#ffffff"};
  if (r >= 4.0) return {"#8fcf9f", kInk};
  if (r >= 3.5) return {"#f4d27a", kInk};
  if (r >= 3.0) return {"#f0a86a", kInk};
  return {"#d64541", "#ffffff"};
}

void Html::begin(std::string_view title, std::string_view lang) {
  out += fmt::format(R"(<!DOCTYPE html>
<html lang="{0}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{1}</title>
</head>
<body style="margin:0;padding:0;background-color:{2};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="{2}" style="background-color:{2};">
<tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:640px;max-width:640px;background-color:#ffffff;border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.4;color:{3};">
)",
                     esc(lang), esc(title), kPale, kInk);
}

void Html::header(std::string_view title, std::string_view subtitle) {
  out += fmt::format(
      R"(<tr><td bgcolor="{0}" style="background-color:{0};padding:22px 24px;color:#ffffff;"><div style="font-size:21px;font-weight:bold;">{1}</div><div style="font-size:13px;color:#c9d6e8;padding-top:4px;">{2}</div></td></tr>
)",
      kNavy, esc(title), esc(subtitle));
}

void Html::tiles(const std::vector<Tile>& tiles) {
  out += R"(<tr><td style="padding:20px 18px 4px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;border-spacing:6px 0;"><tr>)";
  const int width = tiles.empty() ? 100 : static_cast<int>(100 / tiles.size());
  for (const Tile& t : tiles) {
    out += fmt::format(
        R"(<td width="{0}%" valign="top" bgcolor="{1}" style="width:{0}%;background-color:{1};padding:12px 14px;border-radius:4px;"><div style="font-size:12px;color:{2};">{3}</div><div style="font-size:26px;font-weight:bold;padding:2px 0;">{4}</div><div style="font-size:12px;color:{2};">{5}</div></td>)",
        width, "#f5f7fa", kMuted, esc(t.label), esc(t.value), t.sub);
  }
  out += "</tr></table></td></tr>\n";
}

void Html::section(std::string_view title, std::string_view note) {
  out += fmt::format(R"(<tr><td style="padding:22px 24px 6px;font-size:16px;font-weight:bold;">{}{}</td></tr>
)",
                     esc(title),
                     note.empty() ? std::string()
                                  : fmt::format(R"( <span style="font-size:12px;font-weight:normal;color:{};">{}</span>)",
                                                kMuted, esc(note)));
}

void Html::note(std::string_view text) {
  out += fmt::format(R"(<tr><td style="padding:4px 24px;color:{};">{}</td></tr>
)",
                     kMuted, esc(text));
}

void Html::list_begin() {
  out += R"(<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">)";
}

void Html::item(const std::string& badge_html, std::string_view meta, std::string_view text, std::string_view url,
                std::string_view link_text, bool strong) {
  std::string link;
  if (is_web_link(url) && !link_text.empty())
    link = fmt::format(R"( <a href="{}" style="color:{};text-decoration:none;white-space:nowrap;">{}&nbsp;&rarr;</a>)",
                       esc(url), kLink, esc(link_text));
  out += fmt::format(
      R"(<tr><td width="72" valign="top" style="width:72px;padding:9px 10px 9px 0;border-bottom:1px solid {0};">{1}</td><td valign="top" style="padding:8px 0;border-bottom:1px solid {0};"><div style="font-size:12px;color:{2};">{3}</div><div style="padding-top:2px;{6}">{4}{5}</div></td></tr>)",
      kPale, badge_html, kMuted, esc(meta), esc(text), link, strong ? "font-weight:bold;" : "");
}

void Html::list_end() { out += "</table></td></tr>\n"; }

void Html::footer(std::string_view text) {
  out += fmt::format(R"(<tr><td style="padding:24px;font-size:12px;color:{};border-top:1px solid {};">{}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
)",
                     kMuted, kPale, esc(text));
}

}  // namespace otklik::digest::detail
