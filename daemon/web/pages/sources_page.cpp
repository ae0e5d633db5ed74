// Source health: broken sources first, then failing ones, then the rest by name; "poll now" for
// admins.
#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::web {
namespace {

using namespace detail;

int health_rank(const SourceState& s) noexcept {
  if (s.broken_since) return 0;
  if (s.consecutive_failures > 0) return 1;
  return 2;
}

std::string optional_time(const PageContext& ctx, const std::optional<TimePoint>& t) {
  if (!t) return fmt::format(R"(<span class="muted">{}</span>)", escape(tr(ctx.locale, Text::never)));
  return time_html(ctx, *t);
}

}  // namespace

std::string render_sources_page(const PageContext& ctx, const SourcesView& view) {
  const Locale l = ctx.locale;
  std::vector<const SourceRow*> rows;
  for (const auto& r : view.rows) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(), [](const SourceRow* a, const SourceRow* b) {
    const int ra = health_rank(a->state), rb = health_rank(b->state);
    if (ra != rb) return ra < rb;
    return a->state.source < b->state.source;
  });

  std::string body = fmt::format("<h1>{}</h1>", escape(tr(l, Text::sources_title)));
  if (rows.empty()) {
    body += fmt::format(R"(<p class="empty">{}</p>)", escape(tr(l, Text::no_sources)));
    return layout(ctx, tr(l, Text::sources_title), "sources", body);
  }
  body += R"(<table class="sources"><thead><tr>)";
  for (Text t : {Text::col_source, Text::col_kind, Text::col_status, Text::col_last_success, Text::col_failures,
                 Text::col_reason, Text::col_broken_since, Text::col_next_poll})
    body += fmt::format(R"(<th scope="col">{}</th>)", escape(tr(l, t)));
  if (view.can_poll) body += "<th></th>";
  body += "</tr></thead><tbody>";
  for (const SourceRow* r : rows) {
    const SourceState& s = r->state;
    const int rank = health_rank(s);
    body += fmt::format(R"(<tr class="{}">)", rank == 0 ? "broken" : rank == 1 ? "failing" : "ok");
    body += fmt::format(R"(<td data-label="{}"><strong>{}</strong>)", escape(tr(l, Text::col_source)),
                        escape(s.source));
    if (!r->label.empty() && r->label != s.source)
      body += fmt::format(R"(<br><span class="muted">{}</span>)", escape(r->label));
    body += "</td>";
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_kind)), escape(r->kind));
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_status)),
                        rank == 0   ? badge("health-broken", tr(l, Text::status_broken))
                        : rank == 1 ? badge("health-failing", tr(l, Text::status_failing))
                                    : badge("health-ok", tr(l, Text::status_ok)));
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_last_success)),
                        optional_time(ctx, s.last_success));
    body += fmt::format(R"(<td data-label="{}" class="num">{}</td>)", escape(tr(l, Text::col_failures)),
                        escape(format_int(s.consecutive_failures, l)));
    const std::string& reason = !s.broken_reason.empty() ? s.broken_reason : s.last_error;
    body += fmt::format(R"(<td data-label="{}" class="reason">{}</td>)", escape(tr(l, Text::col_reason)),
                        escape(reason));
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_broken_since)),
                        s.broken_since ? time_html(ctx, *s.broken_since) : std::string());
    body += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_next_poll)),
                        r->next_poll ? time_html(ctx, *r->next_poll) : std::string());
    if (view.can_poll)
      body += fmt::format(
          R"(<td><form method="post" action="/sources/{}/poll">{}<button type="submit">{}</button></form></td>)",
          escape(percent_encode(s.source)), csrf_field(ctx), escape(tr(l, Text::poll_now)));
    body += "</tr>";
  }
  body += "</tbody></table>";
  return layout(ctx, tr(l, Text::sources_title), "sources", body);
}

}  // namespace otklik::web
