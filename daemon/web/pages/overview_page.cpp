// The overview: negatives per day and per week by brand, per day by topic, the top topics of the
// week (inline SVG, no script), the times to take and to answer against the deadlines, open and
// overdue cases.
#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/overview_data.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"
#include "daemon/web/pages/svg_chart.hpp"

#include <fmt/format.h>

namespace otklik::web {
namespace {

using namespace detail;

constexpr std::size_t kMaxBrandSeries = 7;   // + "others": the stylesheet has eight colours
constexpr std::size_t kTopTopics = 10;
constexpr std::size_t kMaxTopicSeries = 7;   // + "others"

/// A panel with a stacked bar per bucket of `bars`; `name` gives a series' shown name.
template <class Name>
std::string stacked_panel(const PageContext& ctx, Text title, const NegativesPerDay& bars, Name name) {
  const Locale l = ctx.locale;
  std::string out = fmt::format(R"(<section class="panel"><h2>{}</h2>)", escape(tr(l, title)));
  if (bars.brands.empty()) {
    out += fmt::format(R"(<p class="muted">{}</p></section>)", escape(tr(l, Text::no_data)));
    return out;
  }
  StackedBarChart chart;
  chart.title = tr(l, title);
  chart.locale = l;
  for (int d = 0; d < bars.days; ++d) chart.categories.push_back(short_day(bars.first_day + d * bars.step_days, l));
  for (const auto& b : bars.brands) chart.series.push_back({name(b.brand), b.per_day});
  out += stacked_bar_chart_svg(chart);
  out += "</section>";
  return out;
}

std::string figure_tile(const PageContext& ctx, Text title, const DurationFigures& f, Duration deadline) {
  const Locale l = ctx.locale;
  std::string out = fmt::format(R"(<div class="tile"><h3>{}</h3>)", escape(tr(l, title)));
  if (!f.median) {
    out += fmt::format(R"(<p class="muted">{}</p></div>)", escape(tr(l, Text::no_data)));
    return out;
  }
  auto value = [&](Text name, Duration d) {
    const bool late = deadline.count() > 0 && d > deadline;
    return fmt::format(R"(<p><span class="big{}">{}</span> {}{}</p>)", late ? " late" : "", escape(format_span(d, l)),
                       escape(tr(l, name)),
                       late ? fmt::format(R"( <span class="badge late">{}</span>)", escape(tr(l, Text::over_deadline)))
                            : std::string());
  };
  out += value(Text::median, *f.median);
  out += value(Text::p90, *f.p90);
  if (deadline.count() > 0)
    out += fmt::format(R"(<p class="muted">{}: {}</p>)", escape(tr(l, Text::deadline)), escape(format_span(deadline, l)));
  out += fmt::format(R"(<p class="muted">{}: {}</p></div>)", escape(tr(l, Text::cases_counted)),
                     escape(format_int(f.count, l)));
  return out;
}

std::string count_tile(const PageContext& ctx, Text title, std::int64_t n, bool alarm) {
  return fmt::format(R"(<div class="tile"><h3>{}</h3><p><span class="big{}">{}</span></p></div>)",
                     escape(tr(ctx.locale, title)), alarm && n > 0 ? " late" : "", escape(format_int(n, ctx.locale)));
}

}  // namespace

std::string render_overview_page(const PageContext& ctx, const OverviewView& view) {
  const Locale l = ctx.locale;
  std::string body = fmt::format("<h1>{}</h1>", escape(tr(l, Text::overview_title)));

  body += R"(<div class="tiles">)";
  body += count_tile(ctx, Text::open_cases, view.open, false);
  body += count_tile(ctx, Text::overdue_cases, view.overdue, true);
  body += figure_tile(ctx, Text::to_take, view.to_take, view.take_deadline);
  body += figure_tile(ctx, Text::to_answer, view.to_answer, view.answer_deadline);
  body += "</div>";

  const std::string others(tr(l, Text::other_brands));
  const auto brand_name = [&](const std::string& b) { return b.empty() ? std::string(tr(l, Text::no_brand)) : b; };
  body += stacked_panel(ctx, Text::chart_per_day,
                        negatives_per_day(view.hours, view.now, ctx.zone, view.days, kMaxBrandSeries, others),
                        brand_name);
  body += stacked_panel(ctx, Text::chart_per_week,
                        negatives_per_week(view.hours, view.now, ctx.zone, view.weeks, kMaxBrandSeries, others),
                        brand_name);
  body += stacked_panel(ctx, Text::chart_topics_per_day,
                        topics_per_day(view.hours, view.now, ctx.zone, view.days, kMaxTopicSeries, others),
                        [&](const std::string& t) {
                          return t == others ? t : std::string(topic_name(view.topics, t));
                        });

  const auto topics = top_topics(view.hours, view.now, ctx.zone, view.topic_days, kTopTopics);
  body += fmt::format(R"(<section class="panel"><h2>{}</h2>)", escape(tr(l, Text::chart_top_topics)));
  if (topics.empty()) {
    body += fmt::format(R"(<p class="muted">{}</p>)", escape(tr(l, Text::no_data)));
  } else {
    HorizontalBarChart chart;
    chart.title = tr(l, Text::chart_top_topics);
    chart.locale = l;
    for (const auto& t : topics) chart.bars.push_back({std::string(topic_name(view.topics, t.topic)), t.n});
    body += horizontal_bar_chart_svg(chart);
  }
  body += "</section>";
  return layout(ctx, tr(l, Text::overview_title), "overview", body);
}

}  // namespace otklik::web
