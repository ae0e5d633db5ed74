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

TEST_CASE("the registry knows the telegram_channel preset", "[sources][telegram_channel]") {
  CHECK(SourceRegistry::with_builtin_types().find("telegram_channel") != nullptr);
}
