// Short pages for refused, missing and failed requests.
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

namespace otklik::web {

using namespace detail;

std::string render_error_page(const PageContext& ctx, int status, std::string_view detail) {
  const Locale l = ctx.locale;
  const Text text = status == 403   ? Text::error_403
                    : status == 404 ? Text::error_404
                    : status == 500 ? Text::error_500
                                    : Text::error_other;
  std::string body = fmt::format(R"(<section class="error-page"><h1>{}</h1><p>{}</p>)", status, escape(tr(l, text)));
  if (!detail.empty()) body += fmt::format(R"(<p class="muted">{}</p>)", escape(detail));
  body += fmt::format(R"(<p><a href="{}">{}</a></p></section>)", escape(paths::kInbox), escape(tr(l, Text::back_to_inbox)));
  return layout(ctx, fmt::format("{}", status), "error", body);
}

}  // namespace otklik::web
