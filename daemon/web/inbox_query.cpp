#include "daemon/web/inbox_query.hpp"

#include "daemon/web/form_data.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>

namespace otklik::web {

namespace {

namespace urls = boost::urls;
using namespace std::chrono;

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_rating(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !(v >= 0 && v <= 5)) return std::nullopt;
  return v;
}

/// "2026-11-01" → that day.
std::optional<year_month_day> parse_day(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = parse_int(s.substr(0, 4));
  auto m = parse_int(s.substr(5, 2));
  auto d = parse_int(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  year_month_day ymd{year(static_cast<int>(*y)), month(static_cast<unsigned>(*m)), day(static_cast<unsigned>(*d))};
  if (!ymd.ok() || *y < 1970 || *y > 9999) return std::nullopt;
  return ymd;
}

/// The UTC instant at which local day `ymd` of `zone` starts (offset taken at that moment).
TimePoint local_day_start(const year_month_day& ymd, const TimeZone& zone) {
  const TimePoint utc_midnight{sys_days(ymd).time_since_epoch()};
  // The offset at the local midnight is the one at (utc midnight − offset); one refinement step
  // settles it except within an hour of a transition, where either answer is a sane day start.
  auto offset = zone.offset_at(utc_midnight);
  offset = zone.offset_at(utc_midnight - offset);
  return utc_midnight - offset;
}

std::string format_day(TimePoint t, const TimeZone& zone) {
  const auto local = t + zone.offset_at(t);
  const year_month_day ymd{floor<days>(local)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

std::optional<InboxCursor> parse_cursor(std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto ms = parse_int(s.substr(0, dot));
  auto id = parse_int(s.substr(dot + 1));
  if (!ms || !id || *id < 0) return std::nullopt;
  return InboxCursor{TimePoint{milliseconds(*ms)}, *id};
}

bool known_state(std::string_view s) {
  return s == "none" || parse_case_state(s).has_value();
}

void append(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty()) out += '&';
  out += name;
  out += '=';
  urls::encoding_opts opt;
  opt.space_as_plus = true;
  out += urls::encode(value, urls::unreserved_chars, opt);
}

std::string format_rating(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

InboxAddress parse_inbox_query(std::string_view query, const TimeZone& zone) {
  InboxAddress out;
  InboxFilter& f = out.filter;
  auto bad = [&](std::string_view name, std::string_view why) {
    out.problems.push_back(std::string(name) + ": " + std::string(why));
  };
  auto form = parse_query(query);
  if (!form) {
    bad("query", "not a valid query string");
    return out;
  }
  for (const auto& [name, value] : form->fields()) {
    if (value.empty()) continue;  // an empty form field: no filter
    if (name == "brand") {
      f.brands.push_back(value);
    } else if (name == "source") {
      f.sources.push_back(value);
    } else if (name == "label") {
      if (auto l = parse_label(value)) f.label = *l;
      else bad(name, "expected negative, neutral or positive");
    } else if (name == "severity") {
      if (value == "low" || value == "medium" || value == "high") f.severity = value;
      else bad(name, "expected low, medium or high");
    } else if (name == "state") {
      if (known_state(value)) f.case_state = value;
      else bad(name, "expected new, taken, answered, resolved, dismissed or none");
    } else if (name == "topic") {
      f.topic = value;
    } else if (name == "rating_min" || name == "rating_max") {
      auto r = parse_rating(value);
      if (!r) bad(name, "expected a number from 0 to 5");
      else if (name == "rating_min") f.min_rating = r;
      else f.max_rating = r;
    } else if (name == "from" || name == "to") {
      auto d = parse_day(value);
      if (!d) {
        bad(name, "expected a date YYYY-MM-DD");
      } else if (name == "from") {
        f.from = local_day_start(*d, zone);
      } else {
        f.to = local_day_start(year_month_day{sys_days(*d) + days(1)}, zone);
      }
    } else if (name == "q") {
      f.text = value.substr(0, 200);
    } else if (name == "after") {
      if (auto c = parse_cursor(value)) out.after = c;
      else bad(name, "not a page position");
    }
  }
  return out;
}

std::string inbox_query_string(const InboxFilter& f, const std::optional<InboxCursor>& after, const TimeZone& zone) {
  std::string out;
  for (const auto& b : f.brands) append(out, "brand", b);
  for (const auto& s : f.sources) append(out, "source", s);
  if (f.label) append(out, "label", to_string(*f.label));
  if (!f.severity.empty()) append(out, "severity", f.severity);
  if (!f.case_state.empty()) append(out, "state", f.case_state);
  if (!f.topic.empty()) append(out, "topic", f.topic);
  if (f.min_rating) append(out, "rating_min", format_rating(*f.min_rating));
  if (f.max_rating) append(out, "rating_max", format_rating(*f.max_rating));
  if (f.from) append(out, "from", format_day(*f.from, zone));
  if (f.to) append(out, "to", format_day(*f.to - milliseconds(1), zone));
  if (!f.text.empty()) append(out, "q", f.text);
  if (after) {
    append(out, "after",
           std::to_string(duration_cast<milliseconds>(after->at.time_since_epoch()).count()) + "." +
               std::to_string(after->id));
  }
  return out;
}

bool is_unfiltered(const InboxFilter& f) noexcept { return f == InboxFilter{}; }

}  // namespace otklik::web
