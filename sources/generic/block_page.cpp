#include "sources/generic/block_page.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace otklik {
namespace {

constexpr std::size_t kLookAt = 64 * 1024;

/// Lower case for ASCII and the Russian alphabet (UTF-8); other bytes unchanged.
std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      out[i] = static_cast<char>(std::tolower(c));
    } else if (c == 0xD0 && i + 1 < out.size()) {
      const auto d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x90 && d <= 0x9F) out[i + 1] = static_cast<char>(d + 0x20);           // А–П → а–п
      else if (d >= 0xA0 && d <= 0xAF) out[i] = static_cast<char>(0xD1), out[i + 1] = static_cast<char>(d - 0x20);  // Р–Я
      else if (d == 0x81) out[i] = static_cast<char>(0xD1), out[i + 1] = static_cast<char>(0x91);  // Ё
      ++i;
    }
  }
  return out;
}

bool has(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

/// The text of <title>…</title>, lower-cased (ASCII); "" without one.
std::string title_of(std::string_view lower) {
  const auto open = lower.find("<title");
  if (open == std::string_view::npos) return {};
  const auto gt = lower.find('>', open);
  if (gt == std::string_view::npos) return {};
  const auto close = lower.find("</title", gt);
  if (close == std::string_view::npos) return {};
  return std::string(lower.substr(gt + 1, close - gt - 1));
}

/// Bytes of visible text: outside tags, scripts and styles, not counting whitespace.
std::size_t visible_text(std::string_view lower) {
  std::size_t n = 0;
  bool in_tag = false;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    if (in_tag) {
      if (c == '>') in_tag = false;
      continue;
    }
    if (c == '<') {
      for (std::string_view skip : {"<script", "<style", "<noscript"}) {
        if (lower.compare(i, skip.size(), skip) == 0) {
          const std::string close = "</" + std::string(skip.substr(1));
          const auto end = lower.find(close, i);
          i = end == std::string_view::npos ? lower.size() : end;
          break;
        }
      }
      in_tag = true;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) ++n;
  }
  return n;
}

struct Marker {
  std::string_view text;
  std::string_view reason;
};

// Markers an anti-bot service puts in its own pages (form actions, script paths, ids).
// (Not "/cdn-cgi/challenge-platform" or "ddos-guard" alone: those services put such scripts
// into normal pages too.)
constexpr std::array<Marker, 8> kServiceMarkers{{
    {"/showcaptcha", "captcha page"},
    {"checkbox-captcha", "captcha page"},
    {"cf-chl-", "anti-bot challenge"},
    {"cf_chl_", "anti-bot challenge"},
    {"id=\"cf-error-details\"", "access denied page"},
    {"__qrator", "anti-bot challenge"},
    {"our systems have detected unusual traffic", "captcha page"},
    {"/sorry/index?continue=", "captcha page"},
}};

// Titles of block pages (lower case; Cyrillic as written, titles are usually capitalised only
// in their first letter, so the rest is matched).
constexpr std::array<Marker, 14> kTitles{{
    {"вы не робот", "captcha page"},
    {"ой!", "captcha page"},
    {"доступ ограничен", "access denied page"},
    {"доступ запрещ", "access denied page"},
    {"access denied", "access denied page"},
    {"access to this page has been denied", "access denied page"},
    {"attention required! | cloudflare", "access denied page"},
    {"just a moment...", "anti-bot challenge"},
    {"один момент", "anti-bot challenge"},
    {"ddos-guard", "anti-bot challenge"},
    {"too many requests", "rate limit page"},
    {"слишком много запросов", "rate limit page"},
    {"captcha", "captcha page"},
    {"are you a robot", "captcha page"},
}};

// Widgets that may also sit on a normal page (a login form): only with almost no text.
constexpr std::array<std::string_view, 6> kWidgets{"g-recaptcha", "www.google.com/recaptcha", "h-captcha",
                                                   "hcaptcha.com", "smartcaptcha", "captcha-image"};

}  // namespace

std::optional<std::string> detect_block_page(int http_status, std::string_view content_type, std::string_view body) {
  const std::string lower = lower_ascii(body.substr(0, std::min(body.size(), kLookAt)));
  const std::string type = lower_ascii(content_type);
  const bool json = has(type, "json");
  if (json) {
    // A JSON API answering with a captcha demand (Yandex's endpoints do: {"type":"captcha", …}).
    if (has(lower, "\"captcha\"") && (has(lower, "showcaptcha") || has(lower, "\"type\":\"captcha\"") ||
                                      has(lower, "\"type\": \"captcha\"")))
      return std::string("captcha page");
    return std::nullopt;
  }
  for (const auto& m : kServiceMarkers)
    if (has(lower, m.text)) return std::string(m.reason);
  // Feeds have titles too ("captcha news"): titles and widgets are judged on web pages only.
  const bool feed = has(type, "xml") || has(type, "rss") || has(type, "atom");
  if (feed) return std::nullopt;
  const std::string title = title_of(lower);
  if (!title.empty()) {
    for (const auto& m : kTitles)
      if (has(title, m.text)) {
        // «Ой!» is Yandex's captcha title, but only with its captcha form or on an error status.
        if (m.text == "ой!" && !(has(lower, "captcha") || has(lower, "робот") || http_status == 403 || http_status == 429))
          continue;
        return std::string(m.reason);
      }
  }
  const bool widget = std::any_of(kWidgets.begin(), kWidgets.end(), [&](std::string_view w) { return has(lower, w); });
  if (widget && visible_text(lower) < 600) return std::string("captcha page");
  if ((http_status == 403 || http_status == 429 || http_status == 503) && visible_text(lower) < 400) {
    for (std::string_view w : {"captcha", "robot", "робот", "blocked", "заблокирован", "access denied", "доступ"})
      if (has(lower, w)) return std::string(http_status == 429 ? "rate limit page" : "access denied page");
  }
  return std::nullopt;
}

}  // namespace otklik
