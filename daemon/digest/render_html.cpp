// The HTML part of the digest. Email clients ignore <style> blocks and external resources in
// places (Gmail, Outlook), so everything is tables, inline styles and bgcolor attributes; bars
// are table cells with percentage widths.
#include "daemon/digest/html_parts.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::digest {
namespace {

using namespace detail;

void counts(Html& h, std::string_view title, std::string_view first_col, const std::vector<CountRow>& rows,
            DigestLocale l) {
  const Words& w = words(l);
  h.section(title);
  if (rows.empty()) return h.note(w.no_data);
  std::int64_t max = 1;
  for (const CountRow& r : rows) max = std::max(max, r.mentions);
  h.out += R"(<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;">)";
  h.out += fmt::format(
      R"(<tr><td style="{0}">{1}</td><td align="right" style="{0}">{2}</td><td align="right" style="{0}">{3}</td><td width="38%" style="{0}">&nbsp;</td></tr>)",
      kHeadCell, esc(first_col), esc(w.mentions), esc(w.negative));
  for (const CountRow& r : rows) {
    h.out += fmt::format(
        R"(<tr><td style="{0}">{1}</td><td align="right" style="{0}white-space:nowrap;"><b>{2}</b> {3}</td><td align="right" style="{0}white-space:nowrap;"><b>{4}</b> {5}</td><td style="{0}padding-left:12px;">{6}</td></tr>)",
        kBodyCell, esc(display_name(r.name, l)), esc(format_count(r.mentions, l)),
        delta_span(r.mentions - r.mentions_prev, false, l), esc(format_count(r.negatives, l)),
        delta_span(r.negatives - r.negatives_prev, true, l),
        bar({{r.negatives, kRed}, {r.mentions - r.negatives, kGrey}}, max));
  }
  h.out += "</table></td></tr>\n";
}

/// "Темы жалоб": negatives per topic with the change against last week; left out when nothing
/// was tagged (no taxonomy, or no negatives).
void topics(Html& h, const DigestReport& r, DigestLocale l) {
  if (r.by_topic.empty()) return;
  const Words& w = words(l);
  h.section(w.by_topic, w.topic_note);
  std::int64_t max = 1;
  for (const TopicCount& t : r.by_topic) max = std::max({max, t.negatives, t.negatives_prev});
  h.out += R"(<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;">)";
  h.out += fmt::format(
      R"(<tr><td style="{0}">{1}</td><td align="right" style="{0}">{2}</td><td width="38%" style="{0}">&nbsp;</td></tr>)",
      kHeadCell, esc(w.topic_col), esc(w.negative));
  for (const TopicCount& t : r.by_topic) {
    h.out += fmt::format(
        R"(<tr><td style="{0}">{1}</td><td align="right" style="{0}white-space:nowrap;"><b>{2}</b> {3}</td><td style="{0}padding-left:12px;">{4}</td></tr>)",
        kBodyCell, esc(t.name), esc(format_count(t.negatives, l)), delta_span(t.negatives - t.negatives_prev, true, l),
        bar({{t.negatives, kRed}}, max));
  }
  h.out += "</table></td></tr>\n";
}

void ratings(Html& h, const DigestReport& r, DigestLocale l) {
  if (r.ratings.empty()) return;
  const Words& w = words(l);
  h.section(w.ratings, w.ratings_note);
  h.out += R"(<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate;border-spacing:3px;font-size:13px;">)";
  h.out += fmt::format(R"(<tr><td style="{}">{}</td>)", kHeadCell, esc(w.brand_col));
  for (const IsoWeek& wk : r.rating_weeks)
    h.out += fmt::format(R"(<td align="center" style="{}">{}</td>)", kHeadCell, esc(short_week(wk)));
  h.out += fmt::format(R"(<td align="right" style="{}">&nbsp;</td></tr>)", kHeadCell);
  for (const RatingTrend& t : r.ratings) {
    h.out += fmt::format(R"(<tr><td style="padding:4px 0;">{}</td>)", esc(display_name(t.brand, l)));
    for (std::size_t i = 0; i < t.average.size(); ++i) {
      const bool last = i + 1 == t.average.size();
      if (!t.average[i]) {
        h.out += fmt::format(R"(<td align="center" bgcolor="{0}" style="background-color:{0};color:{1};padding:6px 2px;">—</td>)", kPale, kMuted);
        continue;
      }
      const Shade s = rating_shade(*t.average[i]);
      h.out += fmt::format(
          R"(<td align="center" bgcolor="{0}" style="background-color:{0};color:{1};padding:6px 2px;{2}">{3}</td>)", s.bg,
          s.fg, last ? "font-weight:bold;" : "", esc(format_rating(*t.average[i], l)));
    }
    std::string change = "&nbsp;";
    if (auto d = rating_change(t))
      change = fmt::format(R"(<span style="color:{};">{}</span>)", *d < 0 ? kRed : (*d > 0 ? kGreen : kMuted),
                           esc(format_rating_delta(*d, l)));
    h.out += fmt::format(R"(<td align="right" style="padding:4px 0 4px 6px;white-space:nowrap;">{}</td></tr>)", change);
  }
  h.out += "</table></td></tr>\n";
}

void stats_row(Html& h, std::string_view name, const ResponseStats& s, bool sla, DigestLocale l) {
  const Words& w = words(l);
  std::string times = esc(w.no_data);
  if (s.median)
    times = fmt::format("{} <b>{}</b><br><span style=\"color:{};font-size:12px;\">{} {}</span>", esc(w.median),
                        esc(format_span(*s.median, l)), kMuted, esc(w.p90), esc(format_span(*s.p90, l)));
  std::string within = "&nbsp;";
  if (sla && s.judged > 0) {
    const int pct = percent_of(s.within_sla, s.judged);
    within = fmt::format(
        "<b>{}</b> {}<span style=\"color:{};font-size:12px;\"> · {} {} {}</span>{}", esc(format_percent(s.within_sla, s.judged, l)),
        esc(w.within_sla), kMuted, esc(format_count(s.within_sla, l)), esc(w.done_of), esc(format_count(s.judged, l)),
        bar({{pct, pct >= 80 ? kGreen : (pct >= 50 ? kAmber : kRed)}, {100 - pct, kPale}}, 100));
  }
  h.out += fmt::format(
      R"(<tr><td width="28%" style="{0}font-weight:bold;">{1}</td><td width="32%" style="{0}">{2}</td><td style="{0}">{3}</td></tr>)",
      kBodyCell, esc(name), times, within);
}

void response(Html& h, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  h.section(w.response);
  h.out += R"(<tr><td style="padding:0 24px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;">)";
  stats_row(h, w.take, r.take, r.sla_enabled, l);
  stats_row(h, w.answer, r.answer, r.sla_enabled, l);
  h.out += "</table></td></tr>\n";
  if (!r.sla_enabled) return h.note(w.no_sla);

  h.section(w.overdue_title);
  if (r.overdue.empty()) return h.note(w.overdue_none);
  h.list_begin();
  for (const OverdueCase& c : r.overdue) {
    std::string meta = fmt::format("{} · {} · {}", c.deadline == "take" ? w.deadline_take : w.deadline_answer,
                                   display_name(c.brand, l), c.source);
    if (!c.taken_by.empty()) meta += fmt::format(" · {} {}", w.taken_by, c.taken_by);
    h.item(badge(format_span(c.overdue, l), kRed), meta, c.excerpt, c.url, w.open_link);
  }
  h.list_end();
  if (r.overdue_total > static_cast<std::int64_t>(r.overdue.size()))
    h.note(more_overdue(r, l));
}

void top(Html& h, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  h.section(w.top_title);
  if (r.top_negative.empty()) return h.note(w.top_none);
  h.list_begin();
  for (const TopMention& m : r.top_negative) {
    std::string meta = fmt::format("{} · {}", display_name(m.brand, l), m.source);
    if (!m.author.empty()) meta += " · " + one_line(m.author, 80);
    meta += " · " + format_when(m.at, r, l);
    if (m.rating) meta += fmt::format(" · {}★", format_rating(*m.rating, l));
    if (auto st = case_state_name(m.case_state, l); !st.empty()) meta += fmt::format(" · {}", st);
    h.item(badge(format_score(m.score, l), kRed), meta, m.excerpt, m.url, w.open_link);
  }
  h.list_end();
}

void repeats(Html& h, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  h.section(w.repeat_title, w.repeat_days);
  if (r.repeat_complainers.empty()) return h.note(w.repeat_none);
  h.list_begin();
  for (const RepeatComplainer& c : r.repeat_complainers) {
    std::string per;
    for (const auto& [source, count] : c.per_source)
      per += fmt::format("{}{}: {}", per.empty() ? "" : ", ", source, format_count(count, l));
    h.item(badge(format_count(c.negatives, l), kAmber), fmt::format("{} · {}", negative_reviews(c.negatives, l), per),
           one_line(c.author, 80), c.last_url, w.open_link, true);
  }
  h.list_end();
}

void broken(Html& h, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  h.section(w.broken_title);
  if (r.broken_sources.empty()) return h.note(w.broken_none);
  h.list_begin();
  for (const BrokenSource& b : r.broken_sources) {
    std::string meta = fmt::format("{} {}", w.last_success,
                                   b.last_success ? format_when(*b.last_success, r, l) : std::string(w.never));
    if (b.consecutive_failures > 0) meta = failures(b.consecutive_failures, l) + " · " + meta;
    if (!b.last_error.empty()) meta += " · " + one_line(b.last_error, 200);
    h.item(badge("!", kRed), meta, b.source, "", "", true);
  }
  h.list_end();
}

}  // namespace

std::string render_html(const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  Html h;
  h.begin(render_subject(r, l), l == DigestLocale::ru ? "ru" : "en");
  std::string sub = fmt::format("{} {} · {} · {}", w.week_word, to_string(r.week), format_week_dates(r, l), r.timezone);
  if (!r.brands.empty()) {
    sub += " · ";
    for (std::size_t i = 0; i < r.brands.size(); ++i) sub += (i ? ", " : "") + r.brands[i];
  }
  h.header(w.title, sub);
  std::vector<Tile> tiles{
      {std::string(w.mentions), format_count(r.total.mentions, l), delta_span(r.total.mentions - r.total.mentions_prev, false, l) +
                                                          " " + esc(w.vs_prev)},
      {std::string(w.negative), format_count(r.total.negatives, l),
       delta_span(r.total.negatives - r.total.negatives_prev, true, l) + " · " + esc(w.negative_share) + " " +
           esc(format_percent(r.total.negatives, r.total.mentions, l))}};
  if (r.sla_enabled && r.take.judged > 0)
    tiles.push_back({fmt::format("{}: {}", w.take, w.within_sla), format_percent(r.take.within_sla, r.take.judged, l),
                     esc(fmt::format("{} {} {}", format_count(r.take.within_sla, l), w.done_of, format_count(r.take.judged, l)))});
  else if (r.take.median)
    tiles.push_back({fmt::format("{}: {}", w.take, w.median), format_span(*r.take.median, l), esc(fmt::format("{} {}", w.p90, format_span(*r.take.p90, l)))});
  h.tiles(tiles);
  counts(h, w.by_brand, w.brand_col, r.by_brand, l);
  counts(h, w.by_source, w.source_col, r.by_source, l);
  topics(h, r, l);
  ratings(h, r, l);
  response(h, r, l);
  top(h, r, l);
  repeats(h, r, l);
  broken(h, r, l);
  h.footer(fmt::format("{} {} ({}) · Otklik", w.footer, format_when(r.generated, r, l), r.timezone));
  return std::move(h.out);
}

}  // namespace otklik::digest
