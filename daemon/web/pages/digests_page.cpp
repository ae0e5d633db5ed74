// The weekly digests sent (the ledger) and the link to the current week's preview.
#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

namespace otklik::web {
namespace {

using namespace detail;

std::string digest_state_badge(Locale l, DigestState s) {
  switch (s) {
    case DigestState::pending: return badge("digest-pending", tr(l, Text::digest_pending));
    case DigestState::sent: return badge("digest-sent", tr(l, Text::digest_sent));
    case DigestState::failed: return badge("digest-failed", tr(l, Text::digest_failed));
  }
  return {};
}

}  // namespace

std::string render_digests_page(const PageContext& ctx, const DigestListView& view) {
  const Locale l = ctx.locale;
  std::string body = fmt::format("<h1>{}</h1>", escape(tr(l, Text::digest_title)));
  if (view.has_preview)
    body += fmt::format(R"(<p><a class="button" href="{}">{}</a></p>)", escape(paths::kDigestPreview),
                        escape(tr(l, Text::digest_preview)));
  if (view.rows.empty()) {
    body += fmt::format(R"(<p class="empty">{}</p>)", escape(tr(l, Text::no_digests)));
    return layout(ctx, tr(l, Text::digest_title), "digests", body);
  }
  body += R"(<table class="digests"><thead><tr>)";
  for (Text t : {Text::col_week, Text::col_recipients, Text::col_state, Text::col_sent_at, Text::col_attempts})
    body += fmt::format(R"(<th scope="col">{}</th>)", escape(tr(l, t)));
  body += "</tr></thead><tbody>";
  for (const auto& r : view.rows) {
    body += "<tr>";
    body += fmt::format(R"(<td data-label="{}"><a href="{}/{}">{}</a></td>)", escape(tr(l, Text::col_week)),
                        escape(paths::kDigests), escape(percent_encode(r.week)), escape(r.week));
    body += fmt::format(R"(<td data-label="{}" class="reason">{}</td>)", escape(tr(l, Text::col_recipients)),
                        escape(r.recipients));
    body += fmt::format(R"(<td data-label="{}">{})", escape(tr(l, Text::col_state)), digest_state_badge(l, r.state));
    if (!r.last_error.empty() && r.state != DigestState::sent)
      body += fmt::format(R"(<br><span class="muted">{}</span>)", escape(r.last_error));
    body += "</td>";
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_sent_at)),
                        r.sent_at ? time_html(ctx, *r.sent_at) : std::string());
    body += fmt::format(R"(<td data-label="{}" class="num">{}</td>)", escape(tr(l, Text::col_attempts)),
                        escape(format_int(r.attempts, l)));
    body += "</tr>";
  }
  body += "</tbody></table>";
  return layout(ctx, tr(l, Text::digest_title), "digests", body);
}

}  // namespace otklik::web
