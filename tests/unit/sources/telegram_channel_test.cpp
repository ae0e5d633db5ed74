// The Telegram channel preset on a hand-written t.me/s preview page in Telegram's markup.
#include "sources/generic/dates.hpp"
#include "sources/source.hpp"
#include "sources/telegram_channel/telegram_channel_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

using namespace otklik;
using otklik::test::read_fixture;

TEST_CASE("a channel's preview page becomes its text posts", "[sources][telegram_channel]") {
  const std::string body = read_fixture("telegram_channel/channel.html");
  ParseInput in;
  in.body = body;
  in.charset = "utf-8";
  in.base_url = "https://t.me/s/bank_reviews_example";
  in.source = "tg";
  in.fetched = *make_utc(2026, 11, 23, 13, 0, 0);
  auto page = parse_telegram_channel(in);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);  // the photo-only post has no text
  const Mention& m = page->mentions[0];
  CHECK(m.external_id == "bank_reviews_example/1201");
  CHECK(m.url == "https://t.me/bank_reviews_example/1201");
  CHECK(m.author == "Отзывы о банках");
  CHECK(m.text.find("Рокетбанк заблокировал карту по 115-ФЗ") != std::string::npos);
  CHECK(m.text.find("<b>") == std::string::npos);
  CHECK(m.published == make_utc(2026, 11, 23, 10, 15, 0));
  CHECK(page->mentions[1].external_id == "bank_reviews_example/1203");
  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("bank_reviews_example/1202") != std::string::npos);
}

TEST_CASE("a post's author: owner name, else signature, else the channel's title", "[sources][telegram_channel]") {
  const std::string body = read_fixture("telegram_channel/channel_authors.html");
  ParseInput in;
  in.body = body;
  in.charset = "utf-8";
  in.base_url = "https://t.me/s/complaints_example";
  in.source = "tg";
  auto page = parse_telegram_channel(in);
  REQUIRE(page);
  struct Case {
    const char* id;
    const char* author;
  };
  const Case cases[] = {
      {"complaints_example/3301", "Жалобы клиентов"},  // the owner name (a signature beside it)
      {"complaints_example/3302", "Игорь Волков"},     // no owner name: the signature
      {"complaints_example/3303", "Жалобы клиентов"},  // neither: the channel's title on the page
  };
  REQUIRE(page->mentions.size() == std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    CAPTURE(cases[i].id);
    CHECK(page->mentions[i].external_id == cases[i].id);
    CHECK(page->mentions[i].author == cases[i].author);
  }
}

TEST_CASE("a post on a page without owner name, signature or title: the channel's name", "[sources][telegram_channel]") {
  const std::string body = R"(<html><body><section class="tgme_channel_history js-message_history">
<div class="tgme_widget_message js-widget_message" data-post="complaints_example/3310">
  <div class="tgme_widget_message_user"><a href="https://t.me/complaints_example"></a></div>
  <div class="tgme_widget_message_bubble">
    <div class="tgme_widget_message_text js-message_text" dir="auto">Банкомат съел карту.</div>
    <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/complaints_example/3310"><time datetime="2026-11-23T12:00:00+00:00" class="time">12:00</time></a></span>
  </div>
</div></section></body></html>)";
  ParseInput in;
  in.body = body;
  in.base_url = "https://t.me/s/complaints_example";
  auto page = parse_telegram_channel(in);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].author == "complaints_example");
  CHECK(page->mentions[0].published == make_utc(2026, 11, 23, 12, 0, 0));
}

TEST_CASE("the registry knows the telegram_channel preset", "[sources][telegram_channel]") {
  CHECK(SourceRegistry::with_builtin_types().find("telegram_channel") != nullptr);
}
