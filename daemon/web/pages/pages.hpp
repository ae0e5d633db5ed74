#pragma once
/// The web inbox's pages as pure functions: view (views.hpp) in, a complete HTML document out.
/// No I/O, no clock. Every outside text is escaped (html_escape.hpp); no page holds inline script
/// or style (the server's CSP: script-src 'self'; style-src 'self'): behaviour comes from
/// script() at paths::kScript, looks from stylesheet() at paths::kStylesheet.
///
/// Forms: every POST form carries the session's CSRF token as the field `csrf`.
///   POST kLogin          user, password, next
///   POST kLogout, kLogoutAll
///   POST /case/ID/action action=take|answer|resolve|dismiss|reopen
///   POST /case/ID/relabel label=negative|neutral
///   POST /case/ID/reply  text (only when CaseView::reply is set)
///   POST /sources/NAME/poll (NAME percent-encoded)
/// The inbox's GET filter form (action kInbox): brand, source, label, severity, state, topic,
/// rating_min, rating_max, from, to (local dates "YYYY-MM-DD", `to` inclusive), q.

#include "daemon/web/pages/views.hpp"

#include <string>
#include <string_view>

namespace otklik::web {

namespace paths {
inline constexpr std::string_view kInbox = "/";
inline constexpr std::string_view kLogin = "/login";
inline constexpr std::string_view kLogout = "/logout";
inline constexpr std::string_view kLogoutAll = "/logout/all";
inline constexpr std::string_view kSources = "/sources";
inline constexpr std::string_view kOverview = "/overview";
inline constexpr std::string_view kDigests = "/digest";
inline constexpr std::string_view kDigestPreview = "/digest/preview";
inline constexpr std::string_view kUsers = "/users";
inline constexpr std::string_view kEvents = "/events";
inline constexpr std::string_view kStylesheet = "/static/otklik.css";
inline constexpr std::string_view kScript = "/static/otklik.js";
}  // namespace paths

/// The CSRF form field's name.
inline constexpr std::string_view kCsrfField = "csrf";

std::string render_login_page(const PageContext& ctx, const LoginView& view);
std::string render_inbox_page(const PageContext& ctx, const InboxView& view);
/// One inbox row (a <tr>), as the inbox page writes it and as the live feed sends it in an
/// `alert` event's `html`. `topics` names topic ids (an id without a name shows as itself).
std::string render_inbox_row(const InboxRow& row, const PageContext& ctx, const std::vector<Choice>& topics = {});
std::string render_case_page(const PageContext& ctx, const CaseView& view);
std::string render_sources_page(const PageContext& ctx, const SourcesView& view);
std::string render_overview_page(const PageContext& ctx, const OverviewView& view);
std::string render_digests_page(const PageContext& ctx, const DigestListView& view);
std::string render_users_page(const PageContext& ctx, const UsersView& view);
/// A short page for 403, 404, 500 (any other status gets a generic text); `detail` is shown
/// escaped under it when not empty.
std::string render_error_page(const PageContext& ctx, int status, std::string_view detail = {});

/// The contents of paths::kStylesheet (text/css) and paths::kScript (text/javascript).
std::string_view stylesheet() noexcept;
std::string_view script() noexcept;

}  // namespace otklik::web
