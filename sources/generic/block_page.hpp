#pragma once
/// Recognises a captcha, anti-bot or ban page served instead of content, so that a source reports
/// "blocked" (errc::blocked) rather than parsing it as "no reviews". Pure; looks at the status,
/// the content type and the first 64 KiB of the body (windows-1251 pages are read as such).
///
/// A false "blocked" on a working source is worse than a late one (the source would back off and
/// the operator chase a ghost; a real block still shows as N empty polls), so markers are
/// conservative and always paired with a sign that the page is not content: block pages say
/// little (under ~4 KiB of visible text) while pages of reviews say a lot. A page is blocked when
///   - it says little and its tags (form actions, script sources, ids, classes — not the text,
///     not inline scripts) carry an anti-bot service's own marks: Yandex's /showcaptcha,
///     /checkcaptcha and CheckboxCaptcha form, Cloudflare's __cf_chl_ tokens and challenge or
///     error ids, Qrator's /__qrator/ script, Google's /sorry/ page, DDoS-Guard's check script,
///     PerimeterX's px-captcha; or its inline script sets Cloudflare's _cf_chl_opt;
///   - or its short <title> says so («Вы не робот?», «Доступ ограничен», "Access denied",
///     "Just a moment...", "Attention Required! | Cloudflare", "Too Many Requests", …) and the
///     page says little or the status is an error;
///   - or it says little and its text is a service's own phrase ("Our systems have detected
///     unusual traffic", «Подтвердите, что запросы отправляли вы, а не робот»);
///   - or a captcha widget's container (reCAPTCHA, hCaptcha, SmartCaptcha, Turnstile) sits on a
///     page with almost no text (a login form among reviews is not a block);
///   - or a 403, 429 or 503 with almost no text speaks of robots, captchas, blocking or limits.
/// A review that mentions "captcha", a feed about captchas and JSON reviews quoting one are not.

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// A short reason ("captcha page", "anti-bot challenge", "access denied page", "rate limit page")
/// when the response is a block page; nullopt otherwise.
std::optional<std::string> detect_block_page(int http_status, std::string_view content_type, std::string_view body);

}  // namespace otklik
