#pragma once
/// The digest as an email: an HTML part (table layout, inline CSS, bar charts made of table cells;
/// no images, scripts or external resources, so it renders in Gmail and Outlook alike) and a
/// plain-text part with the same facts. Pure functions of the report; every text that came from
/// the store is escaped.

#include "daemon/digest/digest_data.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik::digest {

enum class DigestLocale { ru, en };

/// "ru" or "en"; nullopt for anything else.
std::optional<DigestLocale> parse_digest_locale(std::string_view s) noexcept;

/// The email's subject: "Otklik: отчёт за неделю 2026-W47 (16–22 ноября)".
std::string render_subject(const DigestReport& report, DigestLocale locale);

/// The HTML part: a complete document.
std::string render_html(const DigestReport& report, DigestLocale locale);

/// The plain-text part (LF line ends; the MIME renderer makes them CRLF).
std::string render_text(const DigestReport& report, DigestLocale locale);

}  // namespace otklik::digest
