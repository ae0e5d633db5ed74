#include "daemon/digest/render.hpp"
#include "daemon/digest/render_common.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/digest/sample_report.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace otklik;
using namespace otklik::digest;
using namespace otklik::digest::testing;

namespace {

/// Compares `actual` with the golden file byte for byte; OTKLIK_UPDATE_GOLDEN=1 rewrites it.
void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(OTKLIK_FIXTURES_DIR) + "/digest/" + name;
  const char* update = std::getenv("OTKLIK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("rewrote " << path);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  INFO(path << " (OTKLIK_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(in);
  std::ostringstream want;
  want << in.rdbuf();
  CHECK(actual == want.str());
}

}  // namespace

TEST_CASE("golden files: HTML and text in both locales", "[digest][render]") {
  const DigestReport r = sample_report();
  check_golden("digest_ru.html", render_html(r, DigestLocale::ru));
  check_golden("digest_ru.txt", render_text(r, DigestLocale::ru));
  check_golden("digest_en.html", render_html(r, DigestLocale::en));
  check_golden("digest_en.txt", render_text(r, DigestLocale::en));
  const DigestReport e = empty_report();
  check_golden("digest_empty_ru.html", render_html(e, DigestLocale::ru));
  check_golden("digest_empty_en.txt", render_text(e, DigestLocale::en));
}

TEST_CASE("store texts are escaped and only web links become links", "[digest][render]") {
  DigestReport r = sample_report();
  r.top_negative[1].excerpt = "Отделение: <b>не работает</b> терминал & никто не подходит, \"менеджер\" ушёл";
  r.top_negative[3].excerpt = "<script>alert('x')</script> ужасный сервис";
  r.repeat_complainers[0].author = "Пётр <img src=x onerror=alert(1)>";
  r.broken_sources[0].last_error = "HTTP 503\r\nBcc: evil@example.org <style>";
  for (DigestLocale l : {DigestLocale::ru, DigestLocale::en}) {
    const std::string html = render_html(r, l);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&lt;b&gt;не работает&lt;/b&gt; терминал &amp; никто") != std::string::npos);
    CHECK(html.find("&quot;менеджер&quot;") != std::string::npos);
    CHECK(html.find("javascript:") == std::string::npos);
    CHECK(html.find("href=\"https://otzovik.com/review_4988.html\"") != std::string::npos);
    // No external resources or scripts in an email.
    CHECK(html.find("Пётр &lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(html.find("HTTP 503 Bcc: evil@example.org &lt;style&gt;") != std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find(" src=\"") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("<style") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    const std::string text = render_text(r, l);
    CHECK(text.find("javascript:") == std::string::npos);
    CHECK(text.find("HTTP 503 Bcc: evil@example.org") != std::string::npos);  // one line
    CHECK(text.find("https://otzovik.com/review_4988.html") != std::string::npos);
  }
}

TEST_CASE("text and HTML carry the same numbers", "[digest][render]") {
  const DigestReport r = sample_report();
  const std::string text = render_text(r, DigestLocale::ru);
  const std::string html = render_html(r, DigestLocale::ru);
  for (const char* fact : {"1\u00a0245\u00a0отзывов", "+65", "96\u00a0негативных", "+25", "38\u00a0мин",
                           "2\u00a0ч 15\u00a0мин", "84\u00a0%", "1\u00a0дн 2\u00a0ч", "−0,93", "и ещё 3",
                           "14\u00a0ошибок подряд", "3,6", "−0,4"}) {
    INFO(fact);
    CHECK(text.find(fact) != std::string::npos);
  }
  for (const char* fact : {"1\u00a0245", "+65", "96", "+25", "38\u00a0мин", "84\u00a0%", "−0,93", "14\u00a0ошибок подряд"}) {
    INFO(fact);
    CHECK(html.find(fact) != std::string::npos);
  }
  CHECK(text.find("Банк Ромашка: 1\u00a0245\u00a0отзывов, +65 к прошлой неделе; 96\u00a0негативных, +25") !=
        std::string::npos);
}

TEST_CASE("Russian plural forms", "[digest][render]") {
  using detail::reviews;
  const std::pair<std::int64_t, const char*> cases[] = {
      {0, "0\u00a0отзывов"},   {1, "1\u00a0отзыв"},     {2, "2\u00a0отзыва"},   {4, "4\u00a0отзыва"},
      {5, "5\u00a0отзывов"},   {11, "11\u00a0отзывов"}, {12, "12\u00a0отзывов"}, {14, "14\u00a0отзывов"},
      {21, "21\u00a0отзыв"},   {22, "22\u00a0отзыва"},  {25, "25\u00a0отзывов"}, {101, "101\u00a0отзыв"},
      {111, "111\u00a0отзывов"}, {1001, "1\u00a0001\u00a0отзыв"}, {1012, "1\u00a0012\u00a0отзывов"},
  };
  for (auto [n, want] : cases) {
    INFO(n);
    CHECK(reviews(n, DigestLocale::ru) == want);
  }
  CHECK(reviews(1, DigestLocale::en) == "1\u00a0review");
  CHECK(reviews(2, DigestLocale::en) == "2\u00a0reviews");
  CHECK(detail::failures(3, DigestLocale::ru) == "3\u00a0ошибки подряд");
  CHECK(detail::negatives(1, DigestLocale::ru) == "1\u00a0негативный");
}

TEST_CASE("numbers, deltas, spans and dates", "[digest][render]") {
  using namespace detail;
  using namespace std::chrono;
  CHECK(format_count(1234567, DigestLocale::en) == "1,234,567");
  CHECK(format_count(1234567, DigestLocale::ru) == "1\u00a0234\u00a0567");
  CHECK(format_count(999, DigestLocale::en) == "999");
  CHECK(format_delta(12, DigestLocale::ru) == "+12");
  CHECK(format_delta(-3, DigestLocale::ru) == "\u22123");
  CHECK(format_delta(0, DigestLocale::en) == "±0");
  CHECK(format_delta(-1500, DigestLocale::en) == "\u22121,500");
  CHECK(format_percent(2, 3, DigestLocale::en) == "67%");
  CHECK(format_percent(1, 0, DigestLocale::en) == "—");
  CHECK(format_rating(4.25, DigestLocale::ru) == "4,2");  // binary 4.25 is exact: round half to even
  CHECK(format_rating(3.96, DigestLocale::en) == "4.0");
  CHECK(format_rating_delta(-0.4, DigestLocale::ru) == "\u22120,4");
  CHECK(format_rating_delta(0.01, DigestLocale::en) == "±0.0");
  CHECK(format_span(seconds{30}, DigestLocale::en) == "< 1\u00a0min");
  CHECK(format_span(minutes{45}, DigestLocale::ru) == "45\u00a0мин");
  CHECK(format_span(hours{2}, DigestLocale::en) == "2\u00a0h");
  CHECK(format_span(hours{1} + minutes{20}, DigestLocale::ru) == "1\u00a0ч 20\u00a0мин");
  CHECK(format_span(hours{74}, DigestLocale::en) == "3\u00a0d 2\u00a0h");
  DigestReport r = sample_report();
  CHECK(format_week_dates(r, DigestLocale::ru) == "16–22\u00a0ноября\u00a02026");
  r.week = {2026, 49};
  CHECK(format_week_dates(r, DigestLocale::en) == "30\u00a0Nov – 6\u00a0Dec\u00a02026");
  r.week = {2026, 53};
  CHECK(format_week_dates(r, DigestLocale::ru) == "28\u00a0декабря\u00a02026 – 3\u00a0января\u00a02027");
  CHECK(render_subject(sample_report(), DigestLocale::en) == "Otklik: weekly digest 2026-W47 (16–22\u00a0Nov\u00a02026)");
}
