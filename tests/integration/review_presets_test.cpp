// Review-site and search presets through the real daemon: each preset's hand-written page served
// by a fake site on 127.0.0.1, alerts to the fake Telegram. The sources keep their real URL shape
// (path and query); only the origin points at the fake.

#include "harness.hpp"
#include "preset_config.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

/// The preset config with `source` (its type, url and keys). The fixtures' dates are fixed, so the
/// first poll may alert on items up to ten years old.
std::string config(const std::string& source, const FakeTelegram& tg) {
  return preset_config("alert_max_age = \"87600h\"\nbrand = \"Рокетбанк\"\n" + source, tg);
}

std::string all_text(const FakeTelegram& tg) {
  std::string all;
  for (const auto& m : tg.messages()) all += m.visible_text + "\n-----\n";
  return all;
}

/// Starts the daemon and waits until `n` alerts arrived and the site served `path` three times.
void run_until(DaemonHarness& h, FakeTelegram& tg, FakeSite& site, const std::string& path, std::size_t n) {
  h.start();
  REQUIRE(wait_until([&] { return tg.messages().size() >= n; }, 10s));
  REQUIRE(wait_until([&] { return site.hits(path) >= 3; }, 10s));
}

}  // namespace

TEST_CASE("2GIS reviews: the key travels only in the request, the company's answer marks the case",
          "[integration][presets][two_gis]") {
  const std::string path = "/2.0/branches/70000001099000001/reviews";
  FakeSite site;
  site.put(path, "application/json; charset=utf-8", read_fixture("two_gis/reviews.json"));
  FakeTelegram tg;
  DaemonHarness h;
  {
    std::ofstream key(h.dir() / "gis.key");
    key << "2gis-web-key-0123456789abcdef\n";
  }
  h.write_config(config(fmt::format("type = \"two_gis\"\nurl = \"{}\"\napi_key = \"file:gis.key\"",
                                    site.url(path + "?limit=50&offset=0&locale=ru_RU&sort_by=date_edited")),
                        tg));
  run_until(h, tg, site, path, 2);
  const auto requests = site.requests();
  REQUIRE_FALSE(requests.empty());
  CHECK(requests[0].target.find("key=2gis-web-key-0123456789abcdef") != std::string::npos);
  CHECK(requests[0].header("Accept").value_or("").find("application/json") == 0);
  const std::string all = all_text(tg);
  INFO(all);
  CHECK(tg.messages().size() == 2);  // the hidden spam and the rating without text are skipped
  CHECK(all.find("Третий раз прихожу за заказом") != std::string::npos);
  CHECK(all.find("💬 Ответ компании на сайте:\nСветлана, приносим извинения") != std::string::npos);
  CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
  CHECK(all.find("Очередь на 40 минут") != std::string::npos);
  CHECK(all.find("<script>") == std::string::npos);
  CHECK(h.stop() == 0);
  CHECK(h.log().find("2gis-web-key-0123456789abcdef") == std::string::npos);  // never logged
}

TEST_CASE("banki.ru: later polls walk to older pages until the last one", "[integration][presets][banki_ru]") {
  const std::string path = "/services/responses/list/ajax/";
  const std::string page1 = path + "?page=1&is_countable=on&bank=rocketbank";
  const std::string page2 = path + "?page=2&is_countable=on&bank=rocketbank";
  FakeSite site;
  site.put(page1, "application/json", read_fixture("banki_ru/page1.json"));
  site.put(page2, "application/json", read_fixture("banki_ru/page2_last.json"));
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config(fmt::format("type = \"banki_ru\"\nurl = \"{}\"", site.url(page1)), tg));
  run_until(h, tg, site, path, 1);
  // The first poll read one page; polls after it found what they had seen on page 1.
  auto targets = [&] {
    std::vector<std::string> t;
    for (const auto& r : site.requests()) t.push_back(r.target);
    return t;
  };
  {
    const auto t = targets();
    CHECK(std::count(t.begin(), t.end(), page2) == 0);
  }
  CHECK(site.requests()[0].header("X-Requested-With") == std::optional<std::string_view>("XMLHttpRequest"));
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find("Заблокировали карту без объяснения причин") != std::string::npos);
    CHECK(all.find("Ответ компании на сайте") != std::string::npos);
  }

  // Four new responses arrive at once: page 1 holds only new ones, so the daemon reads page 2.
  std::string fresh = read_fixture("banki_ru/page1.json");
  for (auto [from, to] : {std::pair{"12400001", "12500001"}, std::pair{"12399870", "12500002"},
                          std::pair{"12399800", "12500003"}, std::pair{"12399750", "12500004"}})
    replace_all(fresh, from, to);
  const std::size_t before = tg.messages().size();
  site.put(page1, "application/json", fresh);
  REQUIRE(wait_until([&] { return site.hits(path) >= 10; }, 15s));
  REQUIRE(wait_until([&] { return tg.messages().size() >= before + 2; }, 10s));
  const auto t = targets();
  CHECK(std::count(t.begin(), t.end(), page2) >= 1);
  CHECK(std::find(t.begin(), t.end(), path + "?page=3&is_countable=on&bank=rocketbank") == t.end());  // page 2 was the last
  const std::string all = all_text(tg);
  INFO(all);
  CHECK(all.find("Перевод по СБП шёл двое суток") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("Yandex Maps, otzovik and irecommend pages alert on their negative reviews", "[integration][presets]") {
  struct Case {
    const char* type;
    const char* path;
    const char* fixture;
    const char* content_type;
    const char* expected;
  };
  const Case cases[] = {
      {"yandex_maps", "/maps/org/1234567890/reviews/", "yandex_maps/reviews.html", "text/html; charset=utf-8",
       "работает одно окно из четырёх"},
      {"otzovik", "/reviews/rocketbank/", "otzovik/page1_cp1251.html", "text/html; charset=windows-1251",
       "Через три месяца списали 199 рублей"},
      {"irecommend", "/content/rocketbank", "irecommend/page0.html", "text/html; charset=utf-8",
       "карту заблокировали на месяц"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.type);
    FakeSite site;
    site.put(c.path, c.content_type, read_fixture(c.fixture));
    FakeTelegram tg;
    DaemonHarness h;
    h.write_config(config(fmt::format("type = \"{}\"\nurl = \"{}\"", c.type, site.url(c.path)), tg));
    run_until(h, tg, site, c.path, 1);
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find(c.expected) != std::string::npos);
    CHECK(h.stop() == 0);
  }
}

TEST_CASE("Trustpilot, Google Places, VK and Mastodon search alert on their negative items", "[integration][presets]") {
  struct Case {
    const char* source;  ///< type and keys after url
    const char* path;
    const char* fixture;
    const char* content_type;
    const char* expected;
    const char* key_in_target;
    const char* authorization = "";  ///< the Authorization header expected
  };
  const Case cases[] = {
      {"type = \"trustpilot\"", "/review/rocketbank.example", "trustpilot/company_page1.html",
       "text/html; charset=utf-8", "Support closes my tickets without an answer", ""},
      {"type = \"google_places\"\napi_key = \"file:api.key\"", "/maps/api/place/details/json",
       "google_places/details_legacy.json", "application/json; charset=UTF-8", "бариста нагрубил",
       "key=places-key-0123456789"},
      {"type = \"vk_search\"\napi_key = \"file:api.key\"", "/method/newsfeed.search", "vk/search.json",
       "application/json; charset=utf-8", "списал деньги за обслуживание", "access_token=places-key-0123456789"},
      {"type = \"mastodon_search\"\napi_key = \"file:api.key\"", "/api/v2/search", "mastodon/search.json",
       "application/json; charset=utf-8", "froze my card while I was abroad", "", "Bearer places-key-0123456789"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.source);
    FakeSite site;
    site.put(c.path, c.content_type, read_fixture(c.fixture));
    FakeTelegram tg;
    DaemonHarness h;
    {
      std::ofstream key(h.dir() / "api.key");
      key << "places-key-0123456789\n";
    }
    h.write_config(config(fmt::format("{}\nurl = \"{}\"", c.source, site.url(std::string(c.path) + "?x=1")), tg));
    run_until(h, tg, site, c.path, 1);
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find(c.expected) != std::string::npos);
    if (*c.key_in_target) CHECK(site.requests()[0].target.find(c.key_in_target) != std::string::npos);
    if (*c.authorization) {
      CHECK(site.requests()[0].header("Authorization") == std::optional<std::string_view>(c.authorization));
      CHECK(site.requests()[0].target.find("places-key") == std::string::npos);
    }
    CHECK(h.stop() == 0);
  }
}
