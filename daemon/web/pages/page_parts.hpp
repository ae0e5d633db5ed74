#pragma once
/// Pieces shared by the pages (internal): the layout around a page's body, badges, form fields.
/// Functions taking `std::string_view text` escape it; those taking `html` take markup.

#include "daemon/web/pages/ui_text.hpp"
#include "daemon/web/pages/views.hpp"

#include <string>
#include <string_view>

namespace otklik::web::detail {

/// The whole document: head, header with navigation and sign-out forms, the flash notice, `body`
/// (HTML) in <main>, the footer. `page` names the page for the script and stylesheet
/// (<body data-page="inbox">).
std::string layout(const PageContext& ctx, std::string_view title, std::string_view page, std::string_view body);

/// The hidden CSRF field of a POST form.
std::string csrf_field(const PageContext& ctx);

/// A small label: <span class="badge KIND">text</span> (kind is a class name of ours).
std::string badge(std::string_view kind, std::string_view text);

/// Badges of a label, a case state, a severity.
std::string label_badge(const PageContext& ctx, Label l);
std::string state_badge(const PageContext& ctx, std::string_view state);
std::string severity_badge(const PageContext& ctx, std::string_view severity);

/// <time datetime="…Z">local time</time>.
std::string time_html(const PageContext& ctx, TimePoint t);

/// A rating as stars with its number for screen readers, or "no rating".
std::string rating_html(const PageContext& ctx, const std::optional<double>& rating);

/// The name of a topic id among `topics` (the id itself when unnamed).
std::string_view topic_name(const std::vector<Choice>& topics, std::string_view id);

/// Topic chips (<ul class="chips">), "" when there are none.
std::string topic_chips(const std::vector<Choice>& topics, const std::vector<std::string>& ids);

/// A link to `url` when it is http(s), else the address as plain text (both escaped).
std::string external_link(std::string_view url, std::string_view text);

/// Agents and admins act on cases and relabel.
bool can_act(const PageContext& ctx) noexcept;

}  // namespace otklik::web::detail
