#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/text_util.hpp"
#include "daemon/core/time_zone.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <fstream>
#include <sstream>

using namespace otklik;
using namespace otklik::channels;

TEST_CASE("plain rendering in Russian matches the golden text", "[channels][render]") {
  const auto req = test::sample_alert();
  const auto& ru = strings_for("ru");
  const auto text = render_plain_text(build_alert_content(req, TimeZone::fixed("MSK", std::chrono::hours{3}), ru), ru);
  const std::string expected =
      "\U0001F534 **Негативный отзыв** · **Кофейня Бобры**\n"
      "Источник: maps-reviews\n"
      "Оценка: ★☆☆☆☆ 1/5\n"
      "Автор: Ирина <К.>\n"
      "Дата: 23.11.2026 15:30 (UTC+03:00)\n"
      "\n"
      "**Долгое ожидание**\n"
      "Зашли утром. **Ждали кофе сорок минут & никто не извинился.**\n"
      "\n"
      "Тональность: −0.72 · важность: высокая\n"
      "Почему: «никто не извинился» (−0.50), «ждали» (−0.30)\n"
      "Открыть отзыв: https://reviews.example/r/100?a=1&b=2";
  CHECK(text == expected);
}

TEST_CASE("plain rendering in English matches the golden text", "[channels][render]") {
  auto req = test::sample_alert();
  req.mention->mention.rating = 3.5;
  req.severity = Severity::medium;
  const auto& en = strings_for("en");
  const auto text = render_plain_text(build_alert_content(req, TimeZone{}, en), en);
  const std::string expected =
      "\U0001F7E0 **Negative review** · **Кофейня Бобры**\n"
      "Source: maps-reviews\n"
      "Rating: ★★★★☆ 3.5/5\n"
      "Author: Ирина <К.>\n"
      "Date: 2026-11-23 12:30 (UTC+00:00)\n"
      "\n"
      "**Долгое ожидание**\n"
      "Зашли утром. **Ждали кофе сорок минут & никто не извинился.**\n"
      "\n"
      "Sentiment: −0.72 · severity: medium\n"
      "Why: \u201Cникто не извинился\u201D (−0.50), \u201Cждали\u201D (−0.30)\n"
      "Open the review: https://reviews.example/r/100?a=1&b=2";
  CHECK(text == expected);
}

TEST_CASE("the company's reply on the site is shown under the review, cut and cleaned", "[channels][render]") {
  auto req = test::sample_alert();
  req.mention->mention.company_reply = "  Ирина, добрый день!\x01 Мы вернули деньги <b>сегодня</b>.  ";
  const auto& ru = strings_for("ru");
  const auto content = build_alert_content(req, TimeZone{}, ru);
  CHECK(content.company_reply == "Ирина, добрый день! Мы вернули деньги <b>сегодня</b>.");
  const auto text = render_plain_text(content, ru);
  CHECK(text.find("Зашли утром. **Ждали кофе сорок минут & никто не извинился.**\n\n"
                  "\U0001F4AC **Ответ компании на сайте:**\n"
                  "Ирина, добрый день! Мы вернули деньги <b>сегодня</b>.\n\n"
                  "Тональность:") != std::string::npos);

  req.mention->mention.company_reply = std::string(600, 'x');
  const auto cut = build_alert_content(req, TimeZone{}, ru);
  CHECK(cut.company_reply == std::string(kMaxReplyCodePoints, 'x') + "\u2026");
  req.mention->mention.company_reply.clear();
  CHECK(build_alert_content(req, TimeZone{}, ru).company_reply.empty());
  const auto& en = strings_for("en");
  req.mention->mention.company_reply = "Sorry!";
  CHECK(render_plain_text(build_alert_content(req, TimeZone{}, en), en).find("The company's reply on the site:") !=
        std::string::npos);
}

TEST_CASE("what the review is about (product, location, app) follows the source's name", "[channels][render]") {
  auto req = test::sample_alert();
  req.source_labels = {{"maps-reviews", "Wildberries · shop"}};
  req.mention->mention.subject = "арт. 12345678 · «Куртка зимняя»\n";
  const auto& ru = strings_for("ru");
  const auto content = build_alert_content(req, TimeZone{}, ru);
  CHECK(content.source == "Wildberries · shop · арт. 12345678 · «Куртка зимняя»");
  CHECK(render_plain_text(content, ru).find("\nИсточник: Wildberries · shop · арт. 12345678 · «Куртка зимняя»\n") !=
        std::string::npos);
  req.mention->mention.subject.clear();
  CHECK(build_alert_content(req, TimeZone{}, ru).source == "Wildberries · shop");
}

TEST_CASE("a notice renders its title and text, a bad payload shows itself", "[channels][render]") {
  const auto& en = strings_for("en");
  auto req = test::sample_notice();
  auto text = render_plain_text(build_alert_content(req, TimeZone{}, en), en);
  CHECK(text == "\u2139\uFE0F **Notice: Source broken**\n\nmaps-reviews: 5 failures <in a row> & counting");
  req.item.payload = "not json";
  text = render_plain_text(build_alert_content(req, TimeZone{}, en), en);
  CHECK(text == "\u2139\uFE0F **Notice**\n\nnot json");
}

TEST_CASE("locale table falls back to Russian", "[channels][render]") {
  CHECK(strings_for("en").locale == "en");
  CHECK(strings_for("en_US").locale == "en");
  CHECK(strings_for("ru").locale == "ru");
  CHECK(strings_for("").locale == "ru");
  CHECK(strings_for("de").locale == "ru");
}

TEST_CASE("mark_sentences splits and marks by byte offsets", "[channels][render]") {
  struct Case {
    std::string text;
    std::vector<SentenceScore> sentences;
    std::vector<TextSpan> expected;
  };
  const std::vector<Case> cases{
      {"Good. Bad.", {{0, 5, 0.5, Label::positive}, {6, 10, -0.5, Label::negative}}, {{"Good. ", false}, {"Bad.", true}}},
      {"Plain text", {}, {{"Plain text", false}}},
      // out of range, reversed and overlapping offsets are ignored
      {"abc def", {{4, 99, -1, Label::negative}, {3, 1, -1, Label::negative}}, {{"abc def", false}}},
      {"abc def", {{0, 3, -1, Label::negative}, {2, 5, -1, Label::negative}}, {{"abc", true}, {" def", false}}},
      // an offset inside a UTF-8 sequence moves to the next boundary
      {"Жуть да", {{0, 1, -1, Label::negative}}, {{"Ж", true}, {"уть да", false}}},
      // trailing whitespace is dropped
      {"x  \n\n", {}, {{"x", false}}},
  };
  for (const auto& c : cases) {
    bool truncated = true;
    CAPTURE(c.text);
    CHECK(mark_sentences(c.text, c.sentences, 100, truncated) == c.expected);
    CHECK_FALSE(truncated);
  }
}

TEST_CASE("long reviews are trimmed at a word boundary", "[channels][render]") {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "слово ";
  bool truncated = false;
  const auto spans = mark_sentences(text, {}, 100, truncated);
  REQUIRE(spans.size() == 1);
  CHECK(truncated);
  CHECK(code_point_length(spans[0].text) <= 100);
  CHECK(spans[0].text.back() != ' ');
  CHECK(spans[0].text.substr(spans[0].text.size() - 10) == "слово");
}

TEST_CASE("invalid UTF-8 and control characters are cleaned", "[channels][render]") {
  CHECK(chat_safe_text("a\xff" "b") == "a\uFFFD" "b");
  CHECK(chat_safe_text("a\x01\tb\r\n") == "a\tb\n");
  CHECK(chat_safe_text("\xed\xa0\x80") == "\uFFFD\uFFFD\uFFFD");  // a UTF-16 surrogate encoded in UTF-8
  CHECK(chat_safe_text("\xc0\xaf") == "\uFFFD\uFFFD");             // overlong
  CHECK(chat_safe_text("\xf0\x9f\x98") == "\uFFFD\uFFFD\uFFFD");   // truncated
  CHECK(chat_safe_text("ok \U0001F600") == "ok \U0001F600");
  CHECK(utf16_length("a\U0001F600я") == 4);
}

TEST_CASE("stars and scores are formatted", "[channels][render]") {
  CHECK(format_stars(1) == "★☆☆☆☆ 1/5");
  CHECK(format_stars(4.5) == "★★★★★ 4.5/5");
  CHECK(format_stars(7) == "★★★★★ 5/5");
  CHECK(format_stars(-1) == "☆☆☆☆☆ 0/5");
  CHECK(format_score(-0.724) == "−0.72");
  CHECK(format_score(0.1) == "+0.10");
  CHECK(format_score(-0.001) == "0.00");
}

TEST_CASE("only http(s) links are rendered as links", "[channels][render]") {
  CHECK(is_web_link("https://a.example/x?y=1"));
  CHECK(is_web_link("HTTP://a.example"));
  CHECK_FALSE(is_web_link("javascript:alert(1)"));
  CHECK_FALSE(is_web_link("https://a.example/\"><b>"));
  CHECK_FALSE(is_web_link("https://a b"));
  CHECK_FALSE(is_web_link("https://"));
}

TEST_CASE("time zones come from TZif files", "[channels][tz]") {
  const auto t = test::sample_time();  // 2026-11-23 12:30 UTC
  auto moscow = TimeZone::load("Europe/Moscow");
  REQUIRE(moscow);
  CHECK(moscow->offset_at(t) == std::chrono::hours{3});
  auto berlin = TimeZone::load("Europe/Berlin");
  REQUIRE(berlin);
  CHECK(berlin->offset_at(t) == std::chrono::hours{1});
  using namespace std::chrono;
  CHECK(berlin->offset_at(sys_days{year{2026} / July / 1}) == hours{2});
  CHECK(format_local_time(t, *berlin, true) == "23.11.2026 13:30 (UTC+01:00)");
  auto ny = TimeZone::load("America/New_York");
  REQUIRE(ny);
  CHECK(format_local_time(t, *ny, false) == "2026-11-23 07:30 (UTC-05:00)");
  CHECK(TimeZone::load("UTC")->offset_at(t) == seconds{0});
  CHECK_FALSE(TimeZone::load("Nowhere/City"));
  CHECK_FALSE(TimeZone::load("../etc/passwd"));
  CHECK_FALSE(TimeZone::parse("x", "not a tzif file at all, definitely not one at all"));
}
