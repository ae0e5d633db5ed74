#pragma once
/// Words and number formats shared by the HTML and text renderings of the digest (internal).

#include "daemon/core/plural.hpp"
#include "daemon/digest/render.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::digest::detail {

using otklik::plural_ru;  // daemon/core/plural.hpp

/// "1 234" (ru: no-break space) / "1,234" (en).
std::string format_count(std::int64_t n, DigestLocale l);
/// "+12", "−3" (U+2212), "±0".
std::string format_delta(std::int64_t d, DigestLocale l);
/// "87 %" / "87%"; "—" when den is 0.
std::string format_percent(std::int64_t num, std::int64_t den, DigestLocale l);
/// Whole percent, 0..100, rounded half up; 0 when den is 0.
int percent_of(std::int64_t num, std::int64_t den) noexcept;
/// "4,2" / "4.2".
std::string format_rating(double r, DigestLocale l);
/// "−0,87" / "−0.87".
std::string format_score(double s, DigestLocale l);
/// "45 мин", "1 ч 20 мин", "3 дн 4 ч" / "45 min", "1 h 20 min", "3 d 4 h"; "< 1 мин" / "< 1 min".
std::string format_span(Duration d, DigestLocale l);
/// "16–22 ноября 2026", "30 ноября – 6 декабря 2026" / "16–22 Nov 2026", "30 Nov – 6 Dec 2026".
std::string format_week_dates(const DigestReport& r, DigestLocale l);
/// "23 ноября, 14:05" / "23 Nov, 14:05" in the report's zone.
std::string format_when(TimePoint t, const DigestReport& r, DigestLocale l);
/// "45 отзывов" / "45 reviews".
std::string reviews(std::int64_t n, DigestLocale l);
/// "12 негативных" / "12 negative".
std::string negatives(std::int64_t n, DigestLocale l);
/// "3 негативных отзыва" / "3 negative reviews".
std::string negative_reviews(std::int64_t n, DigestLocale l);
/// The status of a case as shown: "новый", "взят", … / "new", "taken", …
std::string_view case_state_name(std::string_view state, DigestLocale l) noexcept;
/// "(без бренда)" / "(no brand)" for "", else the name.
std::string display_name(std::string_view name, DigestLocale l);
/// True for http:// and https:// URLs (only those become links).
bool is_web_link(std::string_view url) noexcept;

/// Fixed words of the digest in one language.
struct Words {
  std::string_view title, week_word, mentions, negative, negative_share, by_brand, by_source, ratings,
      ratings_note, response, take, answer, median, p90, within_sla, done_of, overdue_title, overdue_none,
      deadline_take, deadline_answer, overdue_by, taken_by, top_title, top_none, open_link,
      repeat_title, repeat_none, repeat_days, broken_title, broken_none, last_success,
      never, no_sla, footer, vs_prev, brand_col, source_col, no_data, total_prefix, by_topic, topic_col,
      topic_note;
};
const Words& words(DigestLocale l) noexcept;

/// "ошибка подряд" forms: "5 ошибок подряд" / "5 failures in a row".
std::string failures(std::int64_t n, DigestLocale l);
/// The rating change against the latest earlier week with a value; nullopt when none.
std::optional<double> rating_change(const RatingTrend& t);
/// "+0,3" / "−0.4" / "±0.0".
std::string format_rating_delta(double d, DigestLocale l);
/// One line of at most `max_chars` code points: control characters and line breaks become
/// spaces (store texts such as a source's last error).
std::string one_line(std::string_view s, std::size_t max_chars = 300);
/// "и ещё 3" / "and 3 more": the overdue cases the list leaves out.
std::string more_overdue(const DigestReport& r, DigestLocale l);
/// "W47".
std::string short_week(IsoWeek w);

}  // namespace otklik::digest::detail
