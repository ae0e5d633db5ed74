// The users of the web inbox (admins; read-only: `otklik user` changes them).
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

namespace otklik::web {

using namespace detail;

std::string render_users_page(const PageContext& ctx, const UsersView& view) {
  const Locale l = ctx.locale;
  std::string body = fmt::format("<h1>{}</h1>", escape(tr(l, Text::users_title)));
  if (view.users.empty()) {
    body += fmt::format(R"(<p class="empty">{}</p>)", escape(tr(l, Text::no_users)));
    return layout(ctx, tr(l, Text::users_title), "users", body);
  }
  body += R"(<table class="users"><thead><tr>)";
  for (Text t : {Text::col_user, Text::col_role, Text::col_created, Text::col_updated})
    body += fmt::format(R"(<th scope="col">{}</th>)", escape(tr(l, t)));
  body += "</tr></thead><tbody>";
  for (const auto& u : view.users) {
    body += fmt::format(R"(<tr><td data-label="{}"><strong>{}</strong></td>)", escape(tr(l, Text::col_user)),
                        escape(u.name));
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_role)),
                        badge(std::string("role-") + std::string(to_string(u.role)), role_name(l, u.role)));
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_created)), time_html(ctx, u.created));
    body += fmt::format(R"(<td data-label="{}">{}</td></tr>)", escape(tr(l, Text::col_updated)),
                        time_html(ctx, u.updated));
  }
  body += "</tbody></table>";
  return layout(ctx, tr(l, Text::users_title), "users", body);
}

}  // namespace otklik::web
