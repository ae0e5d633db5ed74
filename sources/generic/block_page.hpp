#pragma once
/// Recognises a captcha, anti-bot or ban page served instead of content, so that a source reports
/// "blocked" (errc::blocked) rather than parsing it as "no reviews". Pure; looks at the status,
/// the content type and the first 64 KiB of the body.
///
/// Markers are conservative: a review that merely mentions the word "captcha" in its text is not
/// a block page. A page counts as blocked when
///   - a known anti-bot service's own markers are present (Yandex's "showcaptcha" /
///     "checkbox-captcha" form, Cloudflare's challenge "cf-chl" parameters and error details,
///     Qrator's challenge script, Google's "unusual traffic" page), or
///   - the <title> says so («Вы не робот?», «Доступ ограничен», "Access denied", "Just a
///     moment...", "Attention Required! | Cloudflare", "Too Many Requests"), or
///   - a captcha widget (reCAPTCHA, hCaptcha, SmartCaptcha) sits on a page with almost no text, or
///   - a 403, 429 or 503 answer with almost no text speaks of robots, captchas or blocking.

#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// A short reason ("captcha page", "anti-bot challenge", "access denied page", "rate limit page")
/// when the response is a block page; nullopt otherwise.
std::optional<std::string> detect_block_page(int http_status, std::string_view content_type, std::string_view body);

}  // namespace otklik
