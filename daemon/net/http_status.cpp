// status_failure() and parse_retry_after() of http_client.hpp: pure functions of a response.
#include "daemon/net/http_client.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace otklik {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

/// A tiny cursor over an HTTP-date.
struct Cursor {
  std::string_view s;

  void skip_spaces() {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }
  bool literal(char c) {
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
  }
  std::string_view word() {
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    auto w = s.substr(0, n);
    s.remove_prefix(n);
    return w;
  }
  std::optional<int> number(std::size_t min_digits, std::size_t max_digits) {
    std::size_t n = 0;
    while (n < s.size() && n < max_digits && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
    if (n < min_digits) return std::nullopt;
    int v = 0;
    std::from_chars(s.data(), s.data() + n, v);
    s.remove_prefix(n);
    return v;
  }
  std::optional<int> month() {
    auto w = word();
    if (w.size() != 3) return std::nullopt;
    std::string lower;
    for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
      if (kMonths[i] == lower) return static_cast<int>(i) + 1;
    }
    return std::nullopt;
  }
  /// "HH:MM:SS" as seconds of the day.
  std::optional<int> time_of_day() {
    auto h = number(2, 2);
    if (!h || !literal(':')) return std::nullopt;
    auto m = number(2, 2);
    if (!m || !literal(':')) return std::nullopt;
    auto sec = number(2, 2);
    if (!sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
    return *h * 3600 + *m * 60 + *sec;
  }
};

std::optional<TimePoint> make_time(int year, int month, int day, int seconds_of_day) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return time_point_cast<TimePoint::duration>(sys_days{ymd} + seconds{seconds_of_day});
}

/// IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
/// asctime "Sun Nov  6 08:49:37 1994" (RFC 9110 §5.6.7).
std::optional<TimePoint> parse_http_date(std::string_view text) {
  Cursor c{text};
  if (c.word().size() < 3) return std::nullopt;
  if (c.literal(',')) {
    c.skip_spaces();
    auto day = c.number(1, 2);
    if (!day) return std::nullopt;
    const bool rfc850 = c.literal('-');
    if (!rfc850) c.skip_spaces();
    auto month = c.month();
    if (!month) return std::nullopt;
    if (rfc850 ? !c.literal('-') : (c.skip_spaces(), false)) return std::nullopt;
    auto year = rfc850 ? c.number(2, 2) : c.number(4, 4);
    if (!year) return std::nullopt;
    if (rfc850) *year += *year < 70 ? 2000 : 1900;
    c.skip_spaces();
    auto tod = c.time_of_day();
    c.skip_spaces();
    if (!tod || c.word() != "GMT") return std::nullopt;
    c.skip_spaces();
    if (!c.s.empty()) return std::nullopt;
    return make_time(*year, *month, *day, *tod);
  }
  // asctime
  c.skip_spaces();
  auto month = c.month();
  c.skip_spaces();
  auto day = c.number(1, 2);
  c.skip_spaces();
  auto tod = c.time_of_day();
  c.skip_spaces();
  auto year = c.number(4, 4);
  c.skip_spaces();
  if (!month || !day || !tod || !year || !c.s.empty()) return std::nullopt;
  return make_time(*year, *month, *day, *tod);
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, TimePoint now) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (end != value.data() + value.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) seconds = std::numeric_limits<std::int32_t>::max();
    else if (ec != std::errc{}) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  if (*date <= now) return std::chrono::seconds(0);
  // Round up: waiting a little longer than asked is fine, earlier is not.
  return std::chrono::ceil<std::chrono::seconds>(*date - now);
}

std::optional<Failure> status_failure(const HttpResponse& response, TimePoint now) {
  const int status = response.status;
  if ((status >= 200 && status < 300) || status == 304) return std::nullopt;
  std::optional<std::chrono::seconds> retry_after;
  if (auto header = response.header("Retry-After")) retry_after = parse_retry_after(*header, now);
  const bool limited = status == 429 || (status == 503 && retry_after);
  Failure failure(limited ? errc::rate_limited : errc::http_status,
                  "HTTP " + std::to_string(status) + " from " + response.final_url);
  failure.http_status = status;
  failure.retry_after = retry_after;
  return failure;
}

}  // namespace otklik
