#include "sources/generic/dates.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <string>

namespace otklik {
namespace {

using namespace std::chrono;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

/// A cursor over the text with small typed readers.
struct Scanner {
  std::string_view s;
  std::size_t pos = 0;

  [[nodiscard]] bool done() const { return pos >= s.size(); }
  [[nodiscard]] char peek() const { return done() ? '\0' : s[pos]; }
  void skip_spaces() {
    while (!done() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  /// Reads between min and max digits.
  std::optional<int> digits(int min, int max) {
    int value = 0;
    int n = 0;
    while (n < max && !done() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      value = value * 10 + (s[pos] - '0');
      ++pos;
      ++n;
    }
    if (n < min) return std::nullopt;
    return value;
  }
  /// Reads a run of letters (ASCII or UTF-8 bytes).
  std::string_view word() {
    const std::size_t start = pos;
    while (!done() && (std::isalpha(static_cast<unsigned char>(s[pos])) ||
                       static_cast<unsigned char>(s[pos]) >= 0x80))
      ++pos;
    return s.substr(start, pos - start);
  }
};

/// Month number from an English or Russian name (full, genitive or abbreviated), 0 if unknown.
int month_from_name(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kEnglish = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  // Lowercase Russian stems: январ-ь/я, феврал-ь/я, март(а), апрел-ь/я, ма-й/я, июн-ь/я …
  static constexpr std::array<std::string_view, 12> kRussian = {
      "янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"};
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Lowercase the Cyrillic capitals А..Я (U+0410..U+042F) in UTF-8.
  for (std::size_t i = 0; i + 1 < lower.size(); ++i) {
    auto b0 = static_cast<unsigned char>(lower[i]);
    auto b1 = static_cast<unsigned char>(lower[i + 1]);
    if (b0 == 0xD0 && b1 >= 0x90 && b1 <= 0x9F) lower[i + 1] = static_cast<char>(b1 + 0x20);
    else if (b0 == 0xD0 && b1 >= 0xA0 && b1 <= 0xAF) {
      lower[i] = static_cast<char>(0xD1);
      lower[i + 1] = static_cast<char>(b1 - 0x20);
    }
  }
  if (lower.size() >= 3)
    for (std::size_t m = 0; m < 12; ++m)
      if (lower.compare(0, 3, kEnglish[m]) == 0) return static_cast<int>(m) + 1;
  for (std::size_t m = 0; m < 12; ++m) {
    if (lower.rfind(kRussian[m], 0) != 0) continue;
    if (m == 4) {  // "ма…" is May only as май/мая/маи; "мар…" is March (checked above in order)
      if (lower == "май" || lower == "мая" || lower == "мае") return 5;
      continue;
    }
    return static_cast<int>(m) + 1;
  }
  return 0;
}

/// Offset in minutes of a named zone; nullopt when unknown.
std::optional<int> named_zone(std::string_view z) {
  struct Zone {
    std::string_view name;
    int minutes;
  };
  static constexpr std::array<Zone, 13> kZones = {{{"UT", 0},
                                                    {"UTC", 0},
                                                    {"GMT", 0},
                                                    {"Z", 0},
                                                    {"EST", -300},
                                                    {"EDT", -240},
                                                    {"CST", -360},
                                                    {"CDT", -300},
                                                    {"MST", -420},
                                                    {"MDT", -360},
                                                    {"PST", -480},
                                                    {"PDT", -420},
                                                    {"MSK", 180}}};
  for (const auto& zone : kZones)
    if (iequals(zone.name, z)) return zone.minutes;
  if (z.size() == 1) {  // RFC 822 military zones; their signs are famously unreliable: treat as UTC
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(z[0])));
    if (c >= 'A' && c <= 'Z' && c != 'J') return 0;
  }
  return std::nullopt;
}

/// "+0300", "-05:00", "+03" → minutes.
std::optional<int> numeric_zone(Scanner& sc) {
  const char sign = sc.peek();
  if (sign != '+' && sign != '-') return std::nullopt;
  ++sc.pos;
  auto hh = sc.digits(2, 2);
  if (!hh) return std::nullopt;
  sc.eat(':');
  int mm = 0;
  if (auto m = sc.digits(2, 2)) mm = *m;
  if (*hh > 23 || mm > 59) return std::nullopt;
  const int total = *hh * 60 + mm;
  return sign == '-' ? -total : total;
}

}  // namespace

std::optional<TimePoint> make_utc(int year, int month, int day, int hour, int minute, int second,
                                  int offset_minutes) {
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 24 ||
      minute < 0 || minute > 59 || second < 0 || second > 60)
    return std::nullopt;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  const sys_seconds t = sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second} -
                        minutes{offset_minutes};
  return time_point_cast<SystemClock::duration>(t);
}

std::optional<TimePoint> parse_rfc822_date(std::string_view text) {
  Scanner sc{trim(text)};
  // Optional "Tue," (some feeds omit the comma or the weekday).
  const std::size_t save = sc.pos;
  auto first = sc.word();
  if (!first.empty()) {
    sc.eat(',');
    sc.skip_spaces();
  } else {
    sc.pos = save;
  }
  auto day = sc.digits(1, 2);
  if (!day) return std::nullopt;
  sc.skip_spaces();
  sc.eat('-');
  const int month = month_from_name(sc.word());
  if (month == 0) return std::nullopt;
  sc.skip_spaces();
  sc.eat('-');
  auto year = sc.digits(2, 4);
  if (!year) return std::nullopt;
  if (*year < 100) *year += *year < 50 ? 2000 : 1900;
  sc.skip_spaces();
  int hour = 0, minute = 0, second = 0;
  if (auto h = sc.digits(1, 2)) {
    if (!sc.eat(':')) return std::nullopt;
    auto m = sc.digits(2, 2);
    if (!m) return std::nullopt;
    hour = *h;
    minute = *m;
    if (sc.eat(':')) {
      auto s = sc.digits(2, 2);
      if (!s) return std::nullopt;
      second = *s;
    }
  }
  sc.skip_spaces();
  int offset = 0;
  if (sc.peek() == '+' || sc.peek() == '-') {
    auto z = numeric_zone(sc);
    if (!z) return std::nullopt;
    offset = *z;
  } else if (!sc.done()) {
    if (auto z = named_zone(sc.word())) offset = *z;
  }
  return make_utc(*year, month, *day, hour, minute, second, offset);
}

std::optional<TimePoint> parse_iso8601_date(std::string_view text) {
  Scanner sc{trim(text)};
  auto year = sc.digits(4, 4);
  if (!year || !sc.eat('-')) return std::nullopt;
  auto month = sc.digits(2, 2);
  if (!month || !sc.eat('-')) return std::nullopt;
  auto day = sc.digits(2, 2);
  if (!day) return std::nullopt;
  int hour = 0, minute = 0, second = 0, offset = 0;
  if (sc.eat('T') || sc.eat('t') || sc.eat(' ')) {
    auto h = sc.digits(2, 2);
    if (!h || !sc.eat(':')) return std::nullopt;
    auto m = sc.digits(2, 2);
    if (!m) return std::nullopt;
    hour = *h;
    minute = *m;
    if (sc.eat(':')) {
      auto s = sc.digits(2, 2);
      if (!s) return std::nullopt;
      second = *s;
      if (sc.eat('.') || sc.eat(',')) {
        if (!sc.digits(1, 9)) return std::nullopt;
      }
    }
    sc.skip_spaces();
    if (sc.eat('Z') || sc.eat('z')) {
      offset = 0;
    } else if (sc.peek() == '+' || sc.peek() == '-') {
      auto z = numeric_zone(sc);
      if (!z) return std::nullopt;
      offset = *z;
    }
  }
  if (!sc.done()) return std::nullopt;
  return make_utc(*year, *month, *day, hour, minute, second, offset);
}

std::optional<TimePoint> parse_date_auto(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits && text.size() <= 16) {
    long long v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    // Above ~year 2286 in seconds means the number is in milliseconds.
    const auto t = v > 10'000'000'000LL ? TimePoint{milliseconds{v}} : TimePoint{seconds{v}};
    return t;
  }
  if (auto t = parse_iso8601_date(text)) return t;
  if (auto t = parse_date_format(text, "%d.%m.%Y %H:%M:%S")) return t;
  if (auto t = parse_date_format(text, "%d.%m.%Y %H:%M")) return t;
  if (auto t = parse_date_format(text, "%d.%m.%Y")) return t;
  if (auto t = parse_date_format(text, "%d %B %Y %H:%M")) return t;
  if (auto t = parse_date_format(text, "%d %B %Y")) return t;
  return parse_rfc822_date(text);
}

bool valid_date_format(std::string_view format) {
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (++i >= format.size()) return false;
    if (std::string_view("YymdeHMSbBz%").find(format[i]) == std::string_view::npos) return false;
  }
  return true;
}

std::optional<TimePoint> parse_date_format(std::string_view text, std::string_view format) {
  Scanner sc{trim(text)};
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, offset = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    const char f = format[i];
    if (std::isspace(static_cast<unsigned char>(f))) {
      sc.skip_spaces();
      continue;
    }
    if (f != '%') {
      if (!sc.eat(f)) return std::nullopt;
      continue;
    }
    if (++i >= format.size()) return std::nullopt;
    std::optional<int> v;
    switch (format[i]) {
      case 'Y': v = sc.digits(4, 4); if (v) year = *v; break;
      case 'y': v = sc.digits(2, 2); if (v) year = *v + (*v < 50 ? 2000 : 1900); break;
      case 'm': v = sc.digits(1, 2); if (v) month = *v; break;
      case 'd':
      case 'e': sc.skip_spaces(); v = sc.digits(1, 2); if (v) day = *v; break;
      case 'H': v = sc.digits(1, 2); if (v) hour = *v; break;
      case 'M': v = sc.digits(2, 2); if (v) minute = *v; break;
      case 'S': v = sc.digits(2, 2); if (v) second = *v; break;
      case 'b':
      case 'B': {
        const int m = month_from_name(sc.word());
        sc.eat('.');
        if (m != 0) v = month = m;
        break;
      }
      case 'z': v = numeric_zone(sc); if (v) offset = *v; else if (sc.eat('Z')) v = offset = 0; break;
      case '%': if (sc.eat('%')) v = 0; break;
      default: return std::nullopt;
    }
    if (!v) return std::nullopt;
  }
  if (!sc.done()) return std::nullopt;
  return make_utc(year, month, day, hour, minute, second, offset);
}

}  // namespace otklik
