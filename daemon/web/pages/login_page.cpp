// The sign-in form.
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

namespace otklik::web {

using namespace detail;

std::string render_login_page(const PageContext& ctx, const LoginView& view) {
  const Locale l = ctx.locale;
  std::string body = fmt::format(R"(<section class="login"><h1>{}</h1>)", escape(tr(l, Text::login_title)));
  const Text error = view.error == LoginError::bad_credentials     ? Text::login_bad_credentials
                     : view.error == LoginError::too_many_attempts ? Text::login_too_many
                                                                    : Text::login_expired;
  if (view.error != LoginError::none)
    body += fmt::format(R"(<p class="error" role="alert">{}</p>)", escape(tr(l, error)));
  body += fmt::format(R"(<form method="post" action="{}">)", escape(paths::kLogin));
  if (!ctx.csrf.empty()) body += csrf_field(ctx);
  // Only a local path may be returned to: anything else would make the form an open redirect.
  const bool local_next = view.next.starts_with('/') && !view.next.starts_with("//") &&
                          view.next.find('\\') == std::string::npos;
  if (local_next) body += fmt::format(R"(<input type="hidden" name="next" value="{}">)", escape(view.next));
  body += fmt::format(
      R"(<label><span>{}</span><input type="text" name="user" value="{}" autocomplete="username" required{}></label>)",
      escape(tr(l, Text::login_user)), escape(view.user), view.user.empty() ? " autofocus" : "");
  body += fmt::format(
      R"(<label><span>{}</span><input type="password" name="password" autocomplete="current-password" required{}></label>)",
      escape(tr(l, Text::login_password)), view.user.empty() ? "" : " autofocus");
  body += fmt::format(R"(<button type="submit">{}</button></form></section>)", escape(tr(l, Text::login_submit)));
  return layout(ctx, tr(l, Text::login_title), "login", body);
}

}  // namespace otklik::web
