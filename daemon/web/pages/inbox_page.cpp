// The inbox: the filter form (GET, keeps its values), the counts beside the label and state
// choices, the rows newest first and the link to the older page.
#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"
#include "daemon/web/pages/page_parts.hpp"
#include "daemon/web/pages/pages.hpp"

#include <fmt/format.h>

#include <array>

namespace otklik::web {
namespace {

using namespace detail;

constexpr std::size_t kExcerptChars = 280;
constexpr std::size_t kTitleChars = 120;

std::string option(std::string_view value, std::string_view label, bool selected) {
  return fmt::format(R"(<option value="{}"{}>{}</option>)", escape(value), selected ? " selected" : "",
                     escape(label));
}

/// A labelled <select> with an "any" choice first; a current value missing from `choices` is
/// kept as its own option, so that submitting the form again keeps the filter.
std::string select_field(const PageContext& ctx, std::string_view name, Text label, const std::vector<Choice>& choices,
                         std::string_view current) {
  std::string out = fmt::format(R"(<label><span>{}</span><select name="{}">)", escape(tr(ctx.locale, label)),
                                escape(name));
  out += option("", tr(ctx.locale, Text::filter_any), current.empty());
  bool found = current.empty();
  for (const auto& c : choices) {
    found = found || c.value == current;
    out += option(c.value, c.label.empty() ? c.value : c.label, c.value == current);
  }
  if (!found) out += option(current, current, true);
  return out + "</select></label>";
}

std::optional<BoundedCount> find_count(const std::vector<BoundedCount>& counts, std::string_view value) {
  for (const auto& c : counts)
    if (c.value == value) return c;
  return std::nullopt;
}

/// Choices with their counts: "Негатив (10 000+)".
std::vector<Choice> counted(const PageContext& ctx, std::vector<Choice> choices,
                            const std::vector<BoundedCount>& counts) {
  for (auto& c : choices)
    if (const auto n = find_count(counts, c.value)) c.label += " (" + format_count(*n, ctx.locale) + ")";
  return choices;
}

std::string number_field(const PageContext& ctx, std::string_view name, Text label,
                         const std::optional<double>& value) {
  return fmt::format(
      R"(<label><span>{}</span><input type="number" name="{}" min="0" max="5" step="0.5" value="{}"></label>)",
      escape(tr(ctx.locale, label)), escape(name), value ? escape(rating_number(*value)) : std::string());
}

std::string date_field(const PageContext& ctx, std::string_view name, Text label, const std::optional<TimePoint>& value,
                       bool inclusive_end) {
  std::string date;
  // The filter's `to` is exclusive (the start of the next local day); the form shows the last day.
  if (value) date = iso_date(inclusive_end ? *value - std::chrono::seconds(1) : *value, ctx.zone);
  return fmt::format(R"(<label><span>{}</span><input type="date" name="{}" value="{}"></label>)",
                     escape(tr(ctx.locale, label)), escape(name), escape(date));
}

std::string filter_form(const PageContext& ctx, const InboxView& view) {
  const InboxFilter& f = view.filter;
  const Locale l = ctx.locale;
  std::string out = fmt::format(R"(<form class="filters" method="get" action="{}">)", escape(paths::kInbox));
  out += select_field(ctx, "brand", Text::filter_brand, view.brands, f.brands.empty() ? "" : f.brands.front());
  out += select_field(ctx, "source", Text::filter_source, view.sources, f.sources.empty() ? "" : f.sources.front());
  std::vector<Choice> labels;
  for (Label lab : {Label::negative, Label::neutral, Label::positive})
    labels.push_back({std::string(to_string(lab)), std::string(label_name(l, lab))});
  out += select_field(ctx, "label", Text::filter_label, counted(ctx, labels, view.counts.labels),
                      f.label ? to_string(*f.label) : "");
  std::vector<Choice> severities;
  for (std::string_view s : {"high", "medium", "low"})
    severities.push_back({std::string(s), std::string(severity_name(l, s))});
  out += select_field(ctx, "severity", Text::filter_severity, severities, f.severity);
  std::vector<Choice> states;
  for (std::string_view s : {"new", "taken", "answered", "resolved", "dismissed", "none"})
    states.push_back({std::string(s), std::string(state_name(l, s))});
  out += select_field(ctx, "state", Text::filter_state, counted(ctx, states, view.counts.states), f.case_state);
  out += select_field(ctx, "topic", Text::filter_topic, view.topics, f.topic);
  out += number_field(ctx, "rating_min", Text::filter_rating_min, f.min_rating);
  out += number_field(ctx, "rating_max", Text::filter_rating_max, f.max_rating);
  out += date_field(ctx, "from", Text::filter_from, f.from, false);
  out += date_field(ctx, "to", Text::filter_to, f.to, true);
  out += fmt::format(R"(<label class="wide"><span>{}</span><input type="search" name="q" value="{}"></label>)",
                     escape(tr(l, Text::filter_search)), escape(f.text));
  out += fmt::format(R"(<div class="buttons"><button type="submit">{}</button> <a href="{}">{}</a></div>)",
                     escape(tr(l, Text::filter_apply)), escape(paths::kInbox), escape(tr(l, Text::filter_reset)));
  return out + "</form>";
}

}  // namespace

std::string render_inbox_row(const InboxRow& row, const PageContext& ctx, const std::vector<Choice>& topics) {
  const Locale l = ctx.locale;
  const std::string href = fmt::format("/case/{}", row.id);
  std::string out = fmt::format(R"(<tr id="m-{0}" data-id="{0}">)", row.id);
  out += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_time)), time_html(ctx, row.at));
  out += fmt::format(R"(<td data-label="{}"><span class="source">{}</span>)", escape(tr(l, Text::col_where)),
                     escape(row.source));
  if (!row.brand.empty()) out += fmt::format(R"( <span class="brand">{}</span>)", escape(row.brand));
  out += "</td>";
  out += fmt::format(R"(<td data-label="{}">{}</td>)", escape(tr(l, Text::col_rating)), rating_html(ctx, row.rating));
  out += fmt::format(R"(<td data-label="{}">{})", escape(tr(l, Text::col_status)), label_badge(ctx, row.label));
  if (row.team_label)
    out += fmt::format(R"( <span class="team" title="{0}">{0}: {1}</span>)", escape(tr(l, Text::team_says)),
                       escape(label_name(l, *row.team_label)));
  if (!row.case_state.empty()) out += " " + state_badge(ctx, row.case_state);
  if (!row.severity.empty()) out += " " + severity_badge(ctx, row.severity);
  out += "</td>";
  const std::string heading = row.title.empty() ? shorten(row.text, 80) : shorten(row.title, kTitleChars);
  out += fmt::format(R"(<td data-label="{}" class="mention"><a class="title" href="{}">{}</a>)",
                     escape(tr(l, Text::col_mention)), href,
                     escape(heading.empty() ? tr(l, Text::open_case) : std::string_view(heading)));
  if (!row.text.empty()) out += fmt::format(R"(<p class="excerpt">{}</p>)", escape(shorten(row.text, kExcerptChars)));
  out += topic_chips(topics, row.topics);
  out += "</td></tr>";
  return out;
}

std::string render_inbox_page(const PageContext& ctx, const InboxView& view) {
  const Locale l = ctx.locale;
  std::string body = fmt::format(R"(<h1>{} <span class="count">{}</span></h1>)", escape(tr(l, Text::inbox_title)),
                                 escape(view.counts.total.capped
                                            ? format_count(view.counts.total, l)
                                            : count_mentions(l, view.counts.total.n)));
  body += filter_form(ctx, view);
  if (view.live)
    body += fmt::format(
        R"(<p id="live" class="live" hidden data-events="{}" data-connected="{}" data-reconnecting="{}" {}></p>)",
        escape(paths::kEvents), escape(tr(l, Text::live_connected)), escape(tr(l, Text::live_reconnecting)),
        l == Locale::ru ? R"(data-new-one="новое" data-new-few="новых" data-new-many="новых" data-plural="ru")"
                        : R"(data-new-one="new" data-new-few="new" data-new-many="new" data-plural="en")");
  body += R"(<table class="inbox"><thead><tr>)";
  for (Text t : {Text::col_time, Text::col_where, Text::col_rating, Text::col_status, Text::col_mention})
    body += fmt::format(R"(<th scope="col">{}</th>)", escape(tr(l, t)));
  body += fmt::format(R"(</tr></thead><tbody id="inbox-rows"{}>)", view.live ? R"( data-live="1")" : "");
  for (const auto& row : view.rows) body += render_inbox_row(row, ctx, view.topics);
  body += "</tbody></table>";
  if (view.rows.empty()) body += fmt::format(R"(<p class="empty">{}</p>)", escape(tr(l, Text::no_rows)));
  if (!view.older_query.empty())
    body += fmt::format(R"(<p class="pager"><a class="older" rel="next" href="{}?{}">{} →</a></p>)",
                        escape(paths::kInbox), escape(view.older_query), escape(tr(l, Text::older)));
  return layout(ctx, tr(l, Text::inbox_title), "inbox", body);
}

}  // namespace otklik::web
