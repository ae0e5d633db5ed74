#include "daemon/digest/render_common.hpp"
#include "daemon/digest/query_detail.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace otklik::digest {

std::optional<DigestLocale> parse_digest_locale(std::string_view s) noexcept {
  if (s == "ru") return DigestLocale::ru;
  if (s == "en") return DigestLocale::en;
  return std::nullopt;
}

namespace detail {
namespace {

constexpr std::string_view kMinus = "\u2212";
constexpr std::string_view kNbsp = "\u00a0";

constexpr std::array<std::string_view, 12> kMonthsRu{"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                                                     "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
constexpr std::array<std::string_view, 12> kMonthsEn{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::string_view month_name(unsigned m, DigestLocale l) {
  return l == DigestLocale::ru ? kMonthsRu[(m - 1) % 12] : kMonthsEn[(m - 1) % 12];
}

std::string day_month(std::chrono::year_month_day d, DigestLocale l) {
  return fmt::format("{}{}{}", static_cast<unsigned>(d.day()), kNbsp, month_name(static_cast<unsigned>(d.month()), l));
}

std::string swap_point(std::string s, DigestLocale l) {
  if (l == DigestLocale::ru)
    for (char& c : s)
      if (c == '.') c = ',';
  return s;
}

const Words kRu{
    "Еженедельный отчёт Otklik", "Неделя", "Отзывы", "Негативные", "доля негатива", "По брендам",
    "По источникам", "Средняя оценка по неделям", "из 5, по отзывам с оценкой", "Скорость реакции",
    "Взяли в работу", "Ответили", "медиана", "90\u00a0% — за", "в срок", "из", "Просрочено сейчас",
    "Просроченных обращений нет.", "не взят в работу", "нет ответа", "просрочка", "взял",
    "Самые негативные отзывы", "Негативных отзывов за неделю нет.", "Открыть", "Пишут повторно",
    "Повторных жалоб нет.", "за 30 дней", "Источники с проблемами", "Все источники работают.",
    "последний успешный опрос", "никогда", "SLA не настроен: сроки не оцениваются.",
    "Сформировано", "к прошлой неделе", "Бренд", "Источник", "нет данных", "Всего", "Темы жалоб", "Тема",
    "негативные отзывы по темам претензий"};

const Words kEn{
    "Otklik weekly digest", "Week", "Reviews", "Negative", "negative share", "By brand", "By source",
    "Average rating by week", "out of 5, over rated reviews", "Response times", "Taken", "Answered",
    "median", "90% within", "on time", "of", "Overdue now", "Nothing is overdue.", "not taken",
    "not answered", "overdue by", "taken by", "Most negative reviews", "No negative reviews this week.",
    "Open", "Repeat complainers", "No repeat complainers.", "in 30 days", "Sources with problems",
    "All sources work.", "last successful poll", "never",
    "No SLA configured: deadlines are not judged.", "Generated", "vs. last week", "Brand", "Source",
    "no data", "Total", "Complaint topics", "Topic", "negative reviews by the topics of their claims"};

}  // namespace

const Words& words(DigestLocale l) noexcept { return l == DigestLocale::ru ? kRu : kEn; }

std::string format_count(std::int64_t n, DigestLocale l) {
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out(n < 0 ? kMinus : "");
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += l == DigestLocale::ru ? kNbsp : ",";
    out += digits[i];
  }
  return out;
}

std::string format_delta(std::int64_t d, DigestLocale l) {
  if (d == 0) return "±0";
  return (d > 0 ? std::string("+") : std::string(kMinus)) + format_count(d < 0 ? -d : d, l);
}

int percent_of(std::int64_t num, std::int64_t den) noexcept {
  if (den <= 0) return 0;
  return static_cast<int>((num * 200 + den) / (2 * den));
}

std::string format_percent(std::int64_t num, std::int64_t den, DigestLocale l) {
  if (den <= 0) return "—";
  return fmt::format("{}{}%", percent_of(num, den), l == DigestLocale::ru ? kNbsp : "");
}

std::string format_rating(double r, DigestLocale l) { return swap_point(fmt::format("{:.1f}", r), l); }

std::string format_score(double s, DigestLocale l) {
  const std::string abs = swap_point(fmt::format("{:.2f}", std::fabs(s)), l);
  return s < 0 && abs != "0.00" && abs != "0,00" ? std::string(kMinus) + abs : abs;
}

std::string format_span(Duration d, DigestLocale l) {
  const std::int64_t m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  const bool ru = l == DigestLocale::ru;
  if (m < 1) return ru ? "< 1\u00a0мин" : "< 1\u00a0min";
  const std::int64_t days = m / 1440, h = (m % 1440) / 60, min = m % 60;
  const auto part = [&](std::int64_t v, std::string_view ru_unit, std::string_view en_unit) {
    return fmt::format("{}{}{}", v, kNbsp, ru ? ru_unit : en_unit);
  };
  if (days > 0) return h > 0 ? part(days, "дн", "d") + " " + part(h, "ч", "h") : part(days, "дн", "d");
  if (h > 0) return min > 0 ? part(h, "ч", "h") + " " + part(min, "мин", "min") : part(h, "ч", "h");
  return part(min, "мин", "min");
}

std::string format_week_dates(const DigestReport& r, DigestLocale l) {
  using namespace std::chrono;
  const year_month_day a{monday_of(r.week)};
  const year_month_day b{monday_of(r.week) + days{6}};
  const int ya = static_cast<int>(a.year()), yb = static_cast<int>(b.year());
  if (a.month() == b.month())
    return fmt::format("{}–{}{}{}", static_cast<unsigned>(a.day()), day_month(b, l), kNbsp, yb);
  if (ya == yb) return fmt::format("{} – {}{}{}", day_month(a, l), day_month(b, l), kNbsp, yb);
  return fmt::format("{}{}{} – {}{}{}", day_month(a, l), kNbsp, ya, day_month(b, l), kNbsp, yb);
}

std::string format_when(TimePoint t, const DigestReport& r, DigestLocale l) {
  using namespace std::chrono;
  const auto local = floor<minutes>(t) + duration_cast<minutes>(r.zone.offset_at(t));
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  std::string out = day_month(ymd, l);
  if (static_cast<int>(ymd.year()) != r.week.year && iso_week_of(day).year != r.week.year)
    out += fmt::format("{}{}", kNbsp, static_cast<int>(ymd.year()));
  return out + fmt::format(", {:02}:{:02}", hms.hours().count(), hms.minutes().count());
}

std::string reviews(std::int64_t n, DigestLocale l) {
  if (l == DigestLocale::ru) return fmt::format("{}{}{}", format_count(n, l), kNbsp, plural_ru(n, "отзыв", "отзыва", "отзывов"));
  return fmt::format("{}{}{}", format_count(n, l), kNbsp, n == 1 ? "review" : "reviews");
}

std::string negatives(std::int64_t n, DigestLocale l) {
  if (l == DigestLocale::ru)
    return fmt::format("{}{}{}", format_count(n, l), kNbsp, plural_ru(n, "негативный", "негативных", "негативных"));
  return fmt::format("{}{}negative", format_count(n, l), kNbsp);
}

std::string negative_reviews(std::int64_t n, DigestLocale l) {
  if (l == DigestLocale::ru)
    return fmt::format("{}{}{}", format_count(n, l), kNbsp,
                       plural_ru(n, "негативный отзыв", "негативных отзыва", "негативных отзывов"));
  return fmt::format("{}{}negative {}", format_count(n, l), kNbsp, n == 1 ? "review" : "reviews");
}

std::string_view case_state_name(std::string_view s, DigestLocale l) noexcept {
  const bool ru = l == DigestLocale::ru;
  if (s == "new") return ru ? "новый" : "new";
  if (s == "taken") return ru ? "в работе" : "taken";
  if (s == "answered") return ru ? "отвечен" : "answered";
  if (s == "resolved") return ru ? "решён" : "resolved";
  if (s == "dismissed") return ru ? "не негатив" : "not negative";
  return "";
}

std::string display_name(std::string_view name, DigestLocale l) {
  if (!name.empty()) return std::string(name);
  return l == DigestLocale::ru ? "(без бренда)" : "(no brand)";
}

bool is_web_link(std::string_view url) noexcept {
  const auto starts = [&](std::string_view p) {
    if (url.size() <= p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != p[i]) return false;
    }
    return true;
  };
  return starts("https://") || starts("http://");
}

std::string failures(std::int64_t n, DigestLocale l) {
  if (l == DigestLocale::ru)
    return fmt::format("{}{}{} подряд", format_count(n, l), kNbsp, plural_ru(n, "ошибка", "ошибки", "ошибок"));
  return fmt::format("{}{}{} in a row", format_count(n, l), kNbsp, n == 1 ? "failure" : "failures");
}

std::optional<double> rating_change(const RatingTrend& t) {
  if (t.average.empty() || !t.average.back()) return std::nullopt;
  for (std::size_t i = t.average.size() - 1; i-- > 0;)
    if (t.average[i]) return *t.average.back() - *t.average[i];
  return std::nullopt;
}

std::string format_rating_delta(double d, DigestLocale l) {
  const std::string abs = format_rating(std::fabs(d), l);
  if (abs == "0.0" || abs == "0,0") return "±" + abs;
  return (d > 0 ? "+" : std::string(kMinus)) + abs;
}

std::string one_line(std::string_view s, std::size_t max_chars) { return excerpt("", s, max_chars); }

std::string more_overdue(const DigestReport& r, DigestLocale l) {
  const std::string n = format_count(r.overdue_total - static_cast<std::int64_t>(r.overdue.size()), l);
  return l == DigestLocale::ru ? "и ещё " + n : "and " + n + " more";
}

std::string short_week(IsoWeek w) { return fmt::format("W{:02}", w.week); }

}  // namespace detail
}  // namespace otklik::digest
