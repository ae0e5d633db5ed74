// The plain-text part of the digest: the same facts as the HTML, one per line.
#include "daemon/digest/render_common.hpp"

#include <fmt/format.h>

namespace otklik::digest {
namespace {

using namespace detail;

std::string quoted(std::string_view s, DigestLocale l) {
  return l == DigestLocale::ru ? fmt::format("«{}»", s) : fmt::format("“{}”", s);
}

/// "45 отзывов, +12 к прошлой неделе; 12 негативных, +3"
std::string count_line(const CountRow& row, DigestLocale l) {
  return fmt::format("{}, {} {}; {}, {}", reviews(row.mentions, l), format_delta(row.mentions - row.mentions_prev, l),
                     words(l).vs_prev, negatives(row.negatives, l), format_delta(row.negatives - row.negatives_prev, l));
}

void counts(std::string& out, std::string_view title, const std::vector<CountRow>& rows, DigestLocale l) {
  out += fmt::format("\n{}\n", title);
  if (rows.empty()) out += fmt::format("  {}\n", words(l).no_data);
  for (const CountRow& row : rows) out += fmt::format("  • {}: {}\n", display_name(row.name, l), count_line(row, l));
}

void topics(std::string& out, const DigestReport& r, DigestLocale l) {
  if (r.by_topic.empty()) return;
  out += fmt::format("\n{} ({})\n", words(l).by_topic, words(l).topic_note);
  for (const TopicCount& t : r.by_topic)
    out += fmt::format("  • {}: {}, {} {}\n", t.name, negative_reviews(t.negatives, l),
                       format_delta(t.negatives - t.negatives_prev, l), words(l).vs_prev);
}

void ratings(std::string& out, const DigestReport& r, DigestLocale l) {
  if (r.ratings.empty()) return;
  out += fmt::format("\n{} ({})\n", words(l).ratings, words(l).ratings_note);
  for (const RatingTrend& t : r.ratings) {
    std::string line;
    for (std::size_t i = 0; i < t.average.size() && i < r.rating_weeks.size(); ++i) {
      if (!line.empty()) line += " · ";
      line += fmt::format("{} {}", short_week(r.rating_weeks[i]), t.average[i] ? format_rating(*t.average[i], l) : "—");
    }
    if (auto d = rating_change(t)) line += fmt::format(" ({})", format_rating_delta(*d, l));
    out += fmt::format("  • {}: {}\n", display_name(t.brand, l), line);
  }
}

std::string stats_line(std::string_view name, const ResponseStats& s, bool sla, DigestLocale l) {
  const Words& w = words(l);
  std::string line = fmt::format("  {}: ", name);
  if (s.median) line += fmt::format("{} {}, {} {}", w.median, format_span(*s.median, l), w.p90, format_span(*s.p90, l));
  else line += w.no_data;
  if (sla && s.judged > 0)
    line += fmt::format("; {} {} ({} {} {})", w.within_sla, format_percent(s.within_sla, s.judged, l),
                        format_count(s.within_sla, l), w.done_of, format_count(s.judged, l));
  return line + "\n";
}

void response(std::string& out, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  out += fmt::format("\n{}\n", w.response);
  out += stats_line(w.take, r.take, r.sla_enabled, l);
  out += stats_line(w.answer, r.answer, r.sla_enabled, l);
  if (!r.sla_enabled) {
    out += fmt::format("  {}\n", w.no_sla);
    return;
  }
  out += fmt::format("\n{}\n", w.overdue_title);
  if (r.overdue.empty()) out += fmt::format("  {}\n", w.overdue_none);
  for (const OverdueCase& c : r.overdue) {
    out += fmt::format("  • {}, {} {} — {} · {}", c.deadline == "take" ? w.deadline_take : w.deadline_answer,
                       w.overdue_by, format_span(c.overdue, l), display_name(c.brand, l), c.source);
    if (!c.excerpt.empty()) out += " — " + quoted(c.excerpt, l);
    if (!c.taken_by.empty()) out += fmt::format(" ({} {})", w.taken_by, c.taken_by);
    out += "\n";
    if (is_web_link(c.url)) out += fmt::format("    {}\n", c.url);
  }
  if (r.overdue_total > static_cast<std::int64_t>(r.overdue.size()))
    out += fmt::format("  {}\n", more_overdue(r, l));
}

void top(std::string& out, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  out += fmt::format("\n{}\n", w.top_title);
  if (r.top_negative.empty()) out += fmt::format("  {}\n", w.top_none);
  int n = 0;
  for (const TopMention& m : r.top_negative) {
    std::string head = fmt::format("  {}. {} · {} · {}", ++n, format_score(m.score, l), display_name(m.brand, l), m.source);
    if (!m.author.empty()) head += " · " + one_line(m.author, 80);
    head += " · " + format_when(m.at, r, l);
    if (m.rating) head += fmt::format(" · {}★", format_rating(*m.rating, l));
    if (auto st = case_state_name(m.case_state, l); !st.empty()) head += fmt::format(" · {}", st);
    out += head + "\n";
    out += fmt::format("     {}\n", quoted(m.excerpt, l));
    if (is_web_link(m.url)) out += fmt::format("     {}\n", m.url);
  }
}

void repeats(std::string& out, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  out += fmt::format("\n{} ({})\n", w.repeat_title, w.repeat_days);
  if (r.repeat_complainers.empty()) out += fmt::format("  {}\n", w.repeat_none);
  for (const RepeatComplainer& c : r.repeat_complainers) {
    std::string per;
    for (const auto& [source, count] : c.per_source) {
      if (!per.empty()) per += ", ";
      per += fmt::format("{}: {}", source, format_count(count, l));
    }
    out += fmt::format("  • {}: {} ({})\n", one_line(c.author, 80), negative_reviews(c.negatives, l), per);
    if (is_web_link(c.last_url)) out += fmt::format("    {}\n", c.last_url);
  }
}

void broken(std::string& out, const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  out += fmt::format("\n{}\n", w.broken_title);
  if (r.broken_sources.empty()) out += fmt::format("  {}\n", w.broken_none);
  for (const BrokenSource& b : r.broken_sources) {
    out += fmt::format("  • {}: ", b.source);
    if (b.consecutive_failures > 0) out += failures(b.consecutive_failures, l) + "; ";
    out += fmt::format("{} {}\n", w.last_success, b.last_success ? format_when(*b.last_success, r, l) : std::string(w.never));
    if (!b.last_error.empty()) out += fmt::format("    {}\n", one_line(b.last_error));
  }
}

}  // namespace

std::string render_subject(const DigestReport& r, DigestLocale l) {
  if (l == DigestLocale::ru) return fmt::format("Otklik: отчёт за неделю {} ({})", to_string(r.week), format_week_dates(r, l));
  return fmt::format("Otklik: weekly digest {} ({})", to_string(r.week), format_week_dates(r, l));
}

std::string render_text(const DigestReport& r, DigestLocale l) {
  const Words& w = words(l);
  std::string out = fmt::format("{}\n{} {} · {} ({})\n", w.title, w.week_word, to_string(r.week),
                                format_week_dates(r, l), r.timezone);
  if (!r.brands.empty()) {
    std::string list;
    for (const auto& b : r.brands) list += (list.empty() ? "" : ", ") + b;
    out += fmt::format("{}: {}\n", l == DigestLocale::ru ? "Бренды" : "Brands", list);
  }
  out += fmt::format("\n{}: {} ({} {})\n", w.total_prefix, count_line(r.total, l), w.negative_share,
                     format_percent(r.total.negatives, r.total.mentions, l));
  counts(out, w.by_brand, r.by_brand, l);
  counts(out, w.by_source, r.by_source, l);
  topics(out, r, l);
  ratings(out, r, l);
  response(out, r, l);
  top(out, r, l);
  repeats(out, r, l);
  broken(out, r, l);
  out += fmt::format("\n{} {} ({}) · Otklik\n", w.footer, format_when(r.generated, r, l), r.timezone);
  return out;
}

}  // namespace otklik::digest
