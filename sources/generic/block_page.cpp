#include "sources/generic/block_page.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>

namespace otklik {
namespace {

constexpr std::size_t kLookAt = 64 * 1024;
constexpr std::size_t kSmallPage = 4096;  // visible bytes (not spaces): Cloudflare's block page has ~1.5 KiB
constexpr std::size_t kBarePage = 600;    // a widget or an error alone on the page
constexpr std::size_t kMaxTitle = 100;    // block pages have short titles; articles long ones

bool has(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

/// Lower case for ASCII and the Russian alphabet in UTF-8; other bytes unchanged.
std::string lower_text(std::string_view s) {
  std::string out(s);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') out[i] = static_cast<char>(c + ('a' - 'A'));
    } else if (c == 0xD0 && i + 1 < out.size()) {
      const auto d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x90 && d <= 0x9F) {  // А–П → а–п
        out[i + 1] = static_cast<char>(d + 0x20);
      } else if (d >= 0xA0 && d <= 0xAF) {  // Р–Я → р–я
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(d - 0x20);
      } else if (d == 0x81) {  // Ё → ё
        out[i] = static_cast<char>(0xD1);
        out[i + 1] = static_cast<char>(0x91);
      }
      ++i;
    }
  }
  return out;
}

/// A windows-1251 page's Cyrillic letters as lower-case UTF-8 (other high bytes become '?').
std::string lower_from_cp1251(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    char32_t cp = 0;
    if (c < 0x80) cp = static_cast<char32_t>(std::tolower(c));
    else if (c >= 0xC0) cp = 0x430 + ((c - 0xC0) % 32);  // А–Я and а–я → а–я
    else if (c == 0xA8 || c == 0xB8) cp = 0x451;          // Ё ё → ё
    else cp = U'?';
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

bool is_cp1251(std::string_view type, std::string_view head) {
  const auto declared = [](std::string_view s) { return has(s, "windows-1251") || has(s, "cp1251"); };
  if (has(type, "charset")) return declared(type);
  return declared(lower_text(head.substr(0, std::min<std::size_t>(head.size(), 1024))));  // <meta charset>
}

/// What a page shows and what its markup carries, from one pass over the lower-cased head.
struct PageScan {
  std::string title;    ///< <title> text, spaces collapsed
  std::string markup;   ///< the tags themselves (names and attributes)
  std::string scripts;  ///< inline script bodies
  std::string text;     ///< visible text, spaces collapsed
  std::size_t visible = 0;  ///< visible bytes that are not white space
};

bool space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

void append_collapsed(std::string& out, std::string_view s) {
  for (char c : s) {
    if (space(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
}

std::string_view tag_name(std::string_view tag) {  // tag starts at '<'
  std::size_t b = 1;
  std::size_t e = b;
  while (e < tag.size() && std::isalnum(static_cast<unsigned char>(tag[e]))) ++e;
  return tag.substr(b, e - b);
}

PageScan scan(std::string_view s) {
  PageScan p;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    const bool starts_tag = c == '<' && i + 1 < s.size() &&
                            (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' || s[i + 1] == '!' ||
                             s[i + 1] == '?');
    if (!starts_tag) {
      if (!space(c)) ++p.visible;
      if (space(c)) {
        if (!p.text.empty() && p.text.back() != ' ') p.text.push_back(' ');
      } else {
        p.text.push_back(c);
      }
      ++i;
      continue;
    }
    if (s.compare(i, 4, "<!--") == 0) {
      const auto end = s.find("-->", i + 4);
      i = end == std::string_view::npos ? s.size() : end + 3;
      continue;
    }
    const auto gt = s.find('>', i);
    const std::string_view tag = s.substr(i, gt == std::string_view::npos ? std::string_view::npos : gt - i + 1);
    p.markup.append(tag);
    p.markup.push_back(' ');
    if (gt == std::string_view::npos) break;
    i = gt + 1;
    const std::string_view name = tag_name(tag);
    if (name == "script" || name == "style" || name == "title") {
      const std::string close = "</" + std::string(name);
      const auto end = s.find(close, i);
      const std::string_view inner = s.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
      if (name == "script") p.scripts.append(inner).push_back('\n');
      if (name == "title" && p.title.empty()) append_collapsed(p.title, inner);
      i = end == std::string_view::npos ? s.size() : end;  // the closing tag is read as a tag
    }
  }
  if (!p.title.empty() && p.title.back() == ' ') p.title.pop_back();
  if (!p.title.empty() && p.title.front() == ' ') p.title.erase(0, 1);
  return p;
}

struct Marker {
  std::string_view text;
  std::string_view reason;
};

constexpr std::string_view kCaptcha = "captcha page";
constexpr std::string_view kChallenge = "anti-bot challenge";
constexpr std::string_view kDenied = "access denied page";
constexpr std::string_view kRateLimit = "rate limit page";

// Marks anti-bot services put in their own pages' tags (form actions, script paths, ids,
// classes). Not "/cdn-cgi/challenge-platform/" or "ddos-guard" alone: those services put
// scripts and footers into normal pages too.
constexpr std::array<Marker, 14> kMarkupMarkers{{
    {"/showcaptcha", kCaptcha},
    {"/checkcaptcha", kCaptcha},
    {"checkboxcaptcha", kCaptcha},  // class="CheckboxCaptcha"
    {"checkbox-captcha", kCaptcha},
    {"advancedcaptcha", kCaptcha},
    {"/sorry/index", kCaptcha},  // Google's unusual-traffic page
    {"px-captcha", kCaptcha},    // PerimeterX
    {"__cf_chl_", kChallenge},   // Cloudflare's challenge tokens in form actions
    {"cf-browser-verification", kChallenge},
    {"\"challenge-form\"", kChallenge},
    {"\"challenge-running\"", kChallenge},
    {"cf-error-details", kDenied},  // Cloudflare's "you have been blocked"
    {"/__qrator/", kChallenge},
    {"/.well-known/ddos-guard/", kChallenge},
}};

// Marks in inline scripts of challenge pages.
constexpr std::array<Marker, 3> kScriptMarkers{{
    {"_cf_chl_opt", kChallenge},
    {"/__qrator/", kChallenge},
    {"orchestrate/chl_page", kChallenge},
}};

// Words of block pages' titles (lower case).
constexpr std::array<Marker, 24> kTitles{{
    {"вы не робот", kCaptcha},
    {"are you a robot", kCaptcha},
    {"robot check", kCaptcha},
    {"проверка на робота", kCaptcha},
    {"captcha", kCaptcha},
    {"капча", kCaptcha},
    {"just a moment", kChallenge},
    {"один момент", kChallenge},
    {"checking your browser", kChallenge},
    {"проверка браузера", kChallenge},
    {"ddos-guard", kChallenge},
    {"ddos protection", kChallenge},
    {"attention required! | cloudflare", kDenied},
    {"access denied", kDenied},
    {"access to this page has been denied", kDenied},
    {"you have been blocked", kDenied},
    {"доступ ограничен", kDenied},
    {"доступ запрещ", kDenied},  // запрещён / запрещен
    {"доступ закрыт", kDenied},
    {"вы заблокированы", kDenied},
    {"too many requests", kRateLimit},
    {"слишком много запросов", kRateLimit},
    {"rate limit", kRateLimit},
    {"превышен лимит запросов", kRateLimit},
}};

// Phrases anti-bot services write on their pages.
constexpr std::array<Marker, 6> kPhrases{{
    {"our systems have detected unusual traffic", kCaptcha},
    {"подтвердите, что запросы отправляли вы, а не робот", kCaptcha},
    {"checking your browser before accessing", kChallenge},
    {"enable javascript and cookies to continue", kChallenge},
    {"why have i been blocked", kDenied},
    {"this website is using a security service to protect itself", kDenied},
}};

// Containers of captcha widgets in the served markup (the scripts alone say nothing: single-page
// apps load them for their login forms).
constexpr std::array<std::string_view, 5> kWidgets{"g-recaptcha", "h-captcha", "smart-captcha", "cf-turnstile",
                                                   "captcha-image"};

std::optional<std::string> find_marker(std::string_view hay, std::span<const Marker> markers) {
  for (const auto& m : markers)
    if (has(hay, m.text)) return std::string(m.reason);
  return std::nullopt;
}

/// A JSON API answering with a captcha demand (Yandex's endpoints do: {"type":"captcha", …}).
std::optional<std::string> json_block(std::string_view lower) {
  for (std::string_view demand : {"\"type\":\"captcha\"", "\"type\": \"captcha\"", "\"captcha\":{\"img-url\""})
    if (has(lower, demand)) return std::string(kCaptcha);
  return std::nullopt;
}

std::optional<std::string> bare_error(int status, const PageScan& p) {
  if (status != 403 && status != 429 && status != 503) return std::nullopt;
  if (p.visible >= kBarePage) return std::nullopt;
  const std::string words = p.title + " " + p.text;
  const bool limit = has(words, "too many requests") || has(words, "rate limit") || has(words, "слишком много запросов");
  const bool robot = has(words, "captcha") || has(words, "капч") || has(words, "robot") || has(words, "робот");
  const bool ban = has(words, "blocked") || has(words, "заблокирован") || has(words, "access denied") ||
                   has(words, "доступ ограничен") || has(words, "доступ запрещ");
  if (!limit && !robot && !ban) return std::nullopt;
  if (status == 429 || limit) return std::string(kRateLimit);
  return std::string(robot ? kCaptcha : kDenied);
}

}  // namespace

std::optional<std::string> detect_block_page(int http_status, std::string_view content_type, std::string_view body) {
  const std::string_view head = body.substr(0, std::min(body.size(), kLookAt));
  const std::string type = lower_text(content_type);
  // Feeds have titles and texts about captchas too: an anti-bot page comes as HTML. A feed that
  // says so in its type is not read at all (this runs on every page of every poll).
  const bool feed = (has(type, "xml") || has(type, "rss") || has(type, "atom")) && !has(type, "xhtml");
  if (feed && !has(type, "json")) return std::nullopt;
  const std::string lower = is_cp1251(type, head) ? lower_from_cp1251(head) : lower_text(head);
  const auto first = lower.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const char lead = first == std::string::npos ? '\0' : lower[first];

  if (has(type, "json") || (type.empty() && (lead == '{' || lead == '['))) return json_block(lower);
  if (feed || (type.empty() && (has(lower.substr(0, 512), "<rss") || has(lower.substr(0, 512), "<feed"))))
    return std::nullopt;

  const PageScan p = scan(lower);
  const bool small = p.visible < kSmallPage;
  if (small) {
    if (auto r = find_marker(p.markup, kMarkupMarkers)) return r;
    if (auto r = find_marker(p.scripts, kScriptMarkers)) return r;
  }
  if (!p.title.empty() && p.title.size() <= kMaxTitle && (small || http_status >= 400)) {
    if (auto r = find_marker(p.title, kTitles)) return r;
    // «Ой!» is Yandex's captcha title, but also any site's error page: only with a robot or an error status.
    if (p.title == "ой!" && (has(p.text, "робот") || http_status == 403 || http_status == 429))
      return std::string(kCaptcha);
  }
  if (small)
    if (auto r = find_marker(p.text, kPhrases)) return r;
  if (p.visible < kBarePage)
    for (std::string_view w : kWidgets)
      if (has(p.markup, w)) return std::string(kCaptcha);
  return bare_error(http_status, p);
}

}  // namespace otklik
