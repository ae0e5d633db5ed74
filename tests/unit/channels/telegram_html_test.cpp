#include "daemon/channels/telegram_html.hpp"
#include "daemon/channels/text_util.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <string>
#include <vector>

using namespace otklik;
using namespace otklik::channels;

namespace {

/// Checks the splitter's promises for `html` and returns the parts.
std::vector<std::string> check_split(const std::string& html, std::size_t limit = kTelegramMaxUnits) {
  const auto parts = split_telegram_html(html, limit);
  std::string joined;
  for (const auto& p : parts) {
    CHECK(telegram_length(p) <= limit);
    CHECK(telegram_length(p) > 0);
    // well-formed: every tag closed in order, nothing left open
    std::vector<std::string> stack;
    for (std::size_t i = p.find('<'); i != std::string::npos; i = p.find('<', i + 1)) {
      const auto end = p.find('>', i);
      REQUIRE(end != std::string::npos);
      std::string tag = p.substr(i + 1, end - i - 1);
      if (tag[0] == '/') {
        REQUIRE_FALSE(stack.empty());
        CHECK(stack.back() == tag.substr(1));
        stack.pop_back();
      } else {
        stack.push_back(tag.substr(0, tag.find(' ')));
      }
    }
    CHECK(stack.empty());
    // never cut inside an entity: no '&' without its ';' at the end, no lone UTF-8 piece
    CHECK(chat_safe_text(p) == p);
    const auto amp = p.rfind('&');
    if (amp != std::string::npos) CHECK(p.find(';', amp) != std::string::npos);
    joined += telegram_visible_text(p);
  }
  CHECK(joined == telegram_visible_text(html));
  return parts;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("telegram HTML escaping", "[channels][telegram]") {
  struct Case {
    std::string in, out;
  };
  const std::vector<Case> cases{
      {"plain", "plain"},
      {"a & b", "a &amp; b"},
      {"<b>not bold</b>", "&lt;b&gt;not bold&lt;/b&gt;"},
      {"&amp;", "&amp;amp;"},
      {"say \"hi\"", "say &quot;hi&quot;"},
      {"<a href=\"javascript:x\">", "&lt;a href=&quot;javascript:x&quot;&gt;"},
      {"Привет 😀", "Привет 😀"},
      {"bad\xff", "bad\uFFFD"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(escape_telegram_html(c.in) == c.out);
    CHECK(telegram_visible_text(escape_telegram_html(c.in)) == chat_safe_text(c.in));
  }
  CHECK(escape_telegram_attribute("https://x/?a=1&b=\"2\"") == "https://x/?a=1&amp;b=&quot;2&quot;");
}

TEST_CASE("telegram length counts UTF-16 units after entity parsing", "[channels][telegram]") {
  CHECK(telegram_length("<b>ab</b>") == 2);
  CHECK(telegram_length("&lt;&amp;&gt;&quot;") == 4);
  CHECK(telegram_length("&#128512;") == 2);   // U+1F600 is a surrogate pair
  CHECK(telegram_length("😀") == 2);
  CHECK(telegram_length("жё") == 2);
  CHECK(telegram_length("<a href=\"https://x\">l</a>") == 1);
  CHECK(telegram_visible_text("<i>a&lt;b</i>") == "a<b");
}

TEST_CASE("the alert renders as valid Telegram HTML", "[channels][telegram]") {
  const auto req = test::sample_alert();
  const auto& ru = strings_for("ru");
  const auto html = render_telegram_html(build_alert_content(req, TimeZone{}, ru), ru);
  CHECK(html.find("Автор: Ирина &lt;К.&gt;") != std::string::npos);
  CHECK(html.find("<b>Ждали кофе сорок минут &amp; никто не извинился.</b>") != std::string::npos);
  CHECK(html.find("<a href=\"https://reviews.example/r/100?a=1&amp;b=2\">Открыть отзыв</a>") != std::string::npos);
  CHECK(split_telegram_html(html).size() == 1);
}

TEST_CASE("telegram HTML golden rendering (ru)", "[channels][telegram]") {
  const auto req = test::sample_alert();
  const auto& ru = strings_for("ru");
  const auto html = render_telegram_html(build_alert_content(req, TimeZone::fixed("MSK", std::chrono::hours{3}), ru), ru);
  const std::string expected =
      "\U0001F534 <b>Негативный отзыв</b> · <b>Кофейня Бобры</b>\n"
      "Источник: maps-reviews\n"
      "Оценка: ★☆☆☆☆ 1/5\n"
      "Автор: Ирина &lt;К.&gt;\n"
      "Дата: 23.11.2026 15:30 (UTC+03:00)\n"
      "\n"
      "<b>Долгое ожидание</b>\n"
      "Зашли утром. <b>Ждали кофе сорок минут &amp; никто не извинился.</b>\n"
      "\n"
      "Тональность: −0.72 · важность: высокая\n"
      "Почему: «никто не извинился» (−0.50), «ждали» (−0.30)\n"
      "<a href=\"https://reviews.example/r/100?a=1&amp;b=2\">Открыть отзыв</a>";
  CHECK(html == expected);
}

TEST_CASE("short text is one part, unchanged", "[channels][telegram]") {
  const auto parts = check_split("<b>hi</b> there");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == "<b>hi</b> there");
  CHECK(split_telegram_html("").empty());
  CHECK(split_telegram_html("<b></b>").empty());
}

TEST_CASE("the splitter prefers paragraphs, then lines, then spaces", "[channels][telegram]") {
  const std::string para = repeat("word ", 600) + "\n\n" + repeat("next ", 600);
  auto parts = check_split(para);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].substr(parts[0].size() - 2) == "\n\n");

  const std::string lines = repeat("a line of text\n", 500);
  parts = check_split(lines);
  for (const auto& p : parts) CHECK(p.back() == '\n');

  const std::string words = repeat("word ", 2000);
  parts = check_split(words);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) CHECK(parts[i].back() == ' ');
}

TEST_CASE("the splitter survives hostile text", "[channels][telegram]") {
  SECTION("one long word") { CHECK(check_split(repeat("x", 10000)).size() == 3); }
  SECTION("emoji around the boundary") {
    for (std::size_t pre = 0; pre < 4; ++pre) {
      const auto parts = check_split(repeat("a", 4094 + pre) + repeat("😀", 10));
      CHECK(parts.size() == 2);
    }
  }
  SECTION("only surrogate pairs") { check_split(repeat("😀", 5000)); }
  SECTION("many entities") {
    const auto parts = check_split(escape_telegram_html(repeat("<&>\"", 3000)));
    CHECK(parts.size() == 3);
  }
  SECTION("numeric entities for astral characters") { check_split(repeat("&#128512;", 3000)); }
  SECTION("10k lines") {
    const auto parts = check_split(repeat("строка с текстом\n", 10000));
    CHECK(parts.size() >= 42);
  }
  SECTION("tags open at the boundary are closed and reopened") {
    const std::string html = "<b>" + repeat("bold ", 1500) + "</b>" + "<a href=\"https://x/?a&amp;b\"><i>" +
                             repeat("link ", 1500) + "</i></a>";
    const auto parts = check_split(html);
    REQUIRE(parts.size() >= 2);
    CHECK(parts[0].substr(0, 3) == "<b>");
    bool reopened_link = false;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      if (parts[i].rfind("<a href=\"https://x/?a&amp;b\"><i>", 0) == 0) reopened_link = true;
    }
    CHECK(reopened_link);
  }
  SECTION("tags exactly at the boundary") {
    const auto parts = check_split(repeat("a", 4096) + "<b>b</b>" + repeat("c", 10));
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == repeat("a", 4096));
    CHECK(parts[1].rfind("<b>b</b>", 0) == 0);
  }
  SECTION("small limits") {
    check_split("<b>ab😀cd</b> &amp; <i>ef</i>", 2);
    check_split("<b>ab😀cd</b> &amp; <i>ef</i>", 3);
  }
}
