#include "daemon/web/pages/page_parts.hpp"

#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

namespace otklik::web::detail {
namespace {

std::string nav_link(const PageContext& ctx, NavItem item, std::string_view href, Text text) {
  const bool current = ctx.nav == item;
  return fmt::format(R"(<li><a href="{}"{}>{}</a></li>)", escape(href), current ? R"( aria-current="page")" : "",
                     escape(tr(ctx.locale, text)));
}

std::string header(const PageContext& ctx) {
  std::string out = R"(<header class="top"><a class="brand" href="/">Otklik</a>)";
  if (ctx.user.empty()) return out + "</header>";
  out += R"(<nav><ul>)";
  out += nav_link(ctx, NavItem::inbox, paths::kInbox, Text::nav_inbox);
  out += nav_link(ctx, NavItem::sources, paths::kSources, Text::nav_sources);
  out += nav_link(ctx, NavItem::overview, paths::kOverview, Text::nav_overview);
  out += nav_link(ctx, NavItem::digest, paths::kDigests, Text::nav_digest);
  if (ctx.role == WebRole::admin) out += nav_link(ctx, NavItem::users, paths::kUsers, Text::nav_users);
  out += "</ul></nav>";
  out += fmt::format(R"(<div class="who"><span class="user">{}</span> <span class="role">{}</span>)", escape(ctx.user),
                     escape(role_name(ctx.locale, ctx.role)));
  out += fmt::format(R"(<form method="post" action="{}">{}<button type="submit" class="link">{}</button></form>)",
                     escape(paths::kLogout), csrf_field(ctx), escape(tr(ctx.locale, Text::sign_out)));
  out += fmt::format(R"(<form method="post" action="{}">{}<button type="submit" class="link">{}</button></form>)",
                     escape(paths::kLogoutAll), csrf_field(ctx), escape(tr(ctx.locale, Text::sign_out_all)));
  out += "</div></header>";
  return out;
}

}  // namespace

std::string layout(const PageContext& ctx, std::string_view title, std::string_view page, std::string_view body) {
  const std::string_view lang = ctx.locale == Locale::ru ? "ru" : "en";
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">"
      R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
      R"(<title>{} · Otklik</title><link rel="stylesheet" href="{}"><script src="{}" defer></script></head>)"
      R"(<body data-page="{}"><a class="skip" href="#main">{}</a>)",
      lang, escape(title), escape(paths::kStylesheet), escape(paths::kScript), escape(page),
      escape(tr(ctx.locale, Text::skip_to_content)));
  out += header(ctx);
  out += R"(<main id="main">)";
  if (!ctx.flash.empty()) out += fmt::format(R"(<p class="flash" role="status">{}</p>)", escape(ctx.flash));
  out += body;
  out += "</main>";
  out += fmt::format(R"(<footer>{} {}</footer>)", escape(tr(ctx.locale, Text::times_in_zone)),
                     escape(ctx.zone.name()));
  out += "</body></html>\n";
  return out;
}

std::string csrf_field(const PageContext& ctx) {
  return fmt::format(R"(<input type="hidden" name="{}" value="{}">)", kCsrfField, escape(ctx.csrf));
}

std::string badge(std::string_view kind, std::string_view text) {
  return fmt::format(R"(<span class="badge {}">{}</span>)", escape(kind), escape(text));
}

std::string label_badge(const PageContext& ctx, Label l) {
  return badge(std::string("label-") + std::string(to_string(l)), label_name(ctx.locale, l));
}

std::string state_badge(const PageContext& ctx, std::string_view state) {
  const bool known = state == "new" || state == "taken" || state == "answered" || state == "resolved" ||
                     state == "dismissed" || state.empty() || state == "none";
  return badge(known ? "state-" + std::string(state.empty() ? "none" : state) : std::string("state-other"),
               state_name(ctx.locale, state));
}

std::string severity_badge(const PageContext& ctx, std::string_view severity) {
  const bool known = severity == "low" || severity == "medium" || severity == "high";
  return badge(known ? "sev-" + std::string(severity) : std::string("sev-other"), severity_name(ctx.locale, severity));
}

std::string time_html(const PageContext& ctx, TimePoint t) {
  return fmt::format(R"(<time datetime="{}">{}</time>)", iso_utc(t), escape(format_time(t, ctx.zone, ctx.locale)));
}

std::string rating_html(const PageContext& ctx, const std::optional<double>& rating) {
  if (!rating) return fmt::format(R"(<span class="muted">{}</span>)", escape(tr(ctx.locale, Text::no_rating)));
  const std::string number = rating_number(*rating);
  return fmt::format(R"(<span class="stars" title="{0} / 5" aria-label="{0} / 5">{1}</span>)", escape(number),
                     stars(*rating));
}

std::string_view topic_name(const std::vector<Choice>& topics, std::string_view id) {
  for (const auto& c : topics)
    if (c.value == id) return c.label.empty() ? std::string_view(c.value) : std::string_view(c.label);
  return id;
}

std::string topic_chips(const std::vector<Choice>& topics, const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  std::string out = R"(<ul class="chips">)";
  for (const auto& id : ids) out += fmt::format("<li>{}</li>", escape(topic_name(topics, id)));
  return out + "</ul>";
}

std::string external_link(std::string_view url, std::string_view text) {
  if (const auto safe = http_url(url))
    return fmt::format(R"(<a href="{}" rel="noopener noreferrer nofollow" target="_blank">{}</a>)", escape(*safe),
                       escape(text));
  return fmt::format(R"(<span class="url">{}</span>)", escape(url));
}

bool can_act(const PageContext& ctx) noexcept {
  return !ctx.user.empty() && (ctx.role == WebRole::agent || ctx.role == WebRole::admin);
}

}  // namespace otklik::web::detail
