// The vbr.ru (Выберу.ру) and sravni.ru (Сравни.ру) presets through the real daemon: the sites'
// hand-written pages served by a fake site on 127.0.0.1 at their real paths and queries, alerts to
// the fake Telegram. Each test: the first poll alerts (the bank's answer marks the case), a later
// poll whose first page holds only new reviews walks to the older page and stops at the last one,
// and a captcha page is reported once as a blocked source.

#include "harness.hpp"
#include "preset_config.hpp"
#include "tests/support/fixture.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>

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

std::string all_html(const FakeTelegram& tg) {
  std::string all;
  for (const auto& m : tg.messages()) all += m.text + "\n-----\n";
  return all;
}

std::size_t count_with(const FakeTelegram& tg, std::string_view fragment) {
  const auto msgs = tg.messages();
  return static_cast<std::size_t>(std::count_if(msgs.begin(), msgs.end(), [&](const TelegramMessage& m) {
    return m.visible_text.find(fragment) != std::string::npos;
  }));
}

std::vector<std::string> targets(const FakeSite& site) {
  std::vector<std::string> t;
  for (const auto& r : site.requests()) t.push_back(r.target);
  return t;
}

std::size_t count_of(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<std::size_t>(std::count(v.begin(), v.end(), s));
}

/// A Yandex SmartCaptcha page as anti-bot services serve it instead of the content.
const char* const kCaptcha =
    "<html><head><title>Вы не робот?</title></head><body><form action=\"/checkcaptcha\">"
    "<div class=\"CheckboxCaptcha\"></div></form><script src=\"/showcaptcha.js\"></script></body></html>";

}  // namespace

TEST_CASE("vbr.ru: the bank's answer marks the case, later polls walk to page 2, a captcha is reported once",
          "[integration][presets][vyberu]") {
  const std::string path = "/banki/rocketbank/otzivy/";
  const std::string page2 = path + "?page=2";
  FakeSite site;
  site.put(path, "text/html; charset=utf-8", read_fixture("vyberu/page1.html"));
  site.put(page2, "text/html; charset=utf-8", read_fixture("vyberu/page2_last.html"));
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config(fmt::format("type = \"vyberu\"\nurl = \"{}\"", site.url(path)), tg));
  h.start();
  REQUIRE(wait_until([&] { return count_with(tg, "Ответ компании на сайте") >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits(path) >= 3; }, 10s));
  // The first poll read one page; the polls after it found what they had seen on page 1.
  CHECK(count_of(targets(site), page2) == 0);
  CHECK(site.requests()[0].target == path);
  CHECK(site.requests()[0].header("Accept").value_or("").find("text/html") == 0);
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find("Карту заблокировали прямо в отпуске") != std::string::npos);
    CHECK(all.find("Показать полностью") == std::string::npos);
    CHECK(all.find("💬 Ответ компании на сайте:\nМарина, здравствуйте!") != std::string::npos);
    CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
    CHECK(all.find("Перевод по СБП") == std::string::npos);
  }

  // Four new reviews at once: page 1 holds only new ones, so the daemon reads page 2 (the last).
  std::string fresh = read_fixture("vyberu/page1.html");
  for (auto [from, to] : {std::pair{"412345", "413001"}, std::pair{"412301", "413002"},
                          std::pair{"412288", "413003"}, std::pair{"412270", "413004"}})
    replace_all(fresh, from, to);
  site.put(path, "text/html; charset=utf-8", fresh);
  REQUIRE(wait_until([&] { return count_of(targets(site), page2) >= 1; }, 15s));
  REQUIRE(wait_until([&] { return count_with(tg, "Перевод по СБП шёл двое суток") >= 1; }, 10s));
  const std::size_t at = site.hits(path);
  REQUIRE(wait_until([&] { return site.hits(path) >= at + 3; }, 15s));
  const auto t = targets(site);
  CHECK(count_of(t, page2) == 1);  // later polls stop on page 1 again
  CHECK(count_of(t, path + "?page=3") == 0);  // page 2 was the last

  // A captcha instead of the page: the source is reported blocked, once.
  site.put(path, "text/html; charset=utf-8", kCaptcha);
  REQUIRE(wait_until([&] { return count_with(tg, "» заблокирован:") >= 1; }, 15s));
  const std::size_t seen = site.hits(path);
  REQUIRE(wait_until([&] { return site.hits(path) >= seen + 2; }, 20s));  // polls go on (with backoff)
  CHECK(count_with(tg, "» заблокирован:") == 1);
  CHECK(count_with(tg, "captcha page") == 1);
  CHECK(h.stop() == 0);
}

TEST_CASE("sravni.ru: the company's answer marks the case, later polls walk to pageIndex=1, a captcha is reported once",
          "[integration][presets][sravni]") {
  const std::string path = "/proxy-reviews/reviews";
  const std::string query_tail = "&pageSize=20&rated=any&reviewObjectId=5bb4f768245bc22a520a6115&reviewObjectType=banks&withVotes=true";
  const std::string page0 = path + "?filterBy=all&newIds=true&orderBy=byDate&pageIndex=0" + query_tail;
  const std::string page1 = path + "?filterBy=all&newIds=true&orderBy=byDate&pageIndex=1" + query_tail;
  FakeSite site;
  site.put(page0, "application/json; charset=utf-8", read_fixture("sravni/page0.json"));
  site.put(page1, "application/json; charset=utf-8", read_fixture("sravni/page1_last.json"));
  FakeTelegram tg;
  DaemonHarness h;
  h.write_config(config(fmt::format("type = \"sravni\"\nurl = \"{}\"\nalias = \"rocketbank\"", site.url(page0)), tg));
  h.start();
  REQUIRE(wait_until([&] { return count_with(tg, "Ответ компании на сайте") >= 1; }, 10s));
  REQUIRE(wait_until([&] { return site.hits(path) >= 3; }, 10s));
  CHECK(count_of(targets(site), page1) == 0);  // the first poll read one page, later ones stopped on it
  CHECK(site.requests()[0].header("Accept").value_or("").find("application/json") == 0);
  {
    const std::string all = all_text(tg);
    INFO(all);
    CHECK(all.find("списание 1 490 рублей за страховку") != std::string::npos);
    CHECK(all.find("Кредитные карты · Кредитная карта «120 дней» · Армавир") != std::string::npos);  // the subject
    CHECK(all.find("💬 Ответ компании на сайте:\nКомпания ответила на отзыв на sravni.ru") != std::string::npos);
    CHECK(all.find("✅ Ответили: на сайте") != std::string::npos);
    CHECK(all.find("Перевод по СБП") == std::string::npos);
    // The review's link on sravni.ru, built from the source's alias.
    CHECK(all_html(tg).find("https://www.sravni.ru/bank/rocketbank/otzyvy/1126129/") != std::string::npos);
  }

  // Four new reviews at once: page 0 holds only new ones, so the daemon reads pageIndex=1 (the last).
  std::string fresh = read_fixture("sravni/page0.json");
  for (auto [from, to] : {std::pair{"1126129", "1127001"}, std::pair{"1126101", "1127002"},
                          std::pair{"1126090", "1127003"}, std::pair{"1126077", "1127004"},
                          std::pair{"1126050", "1127005"}})
    replace_all(fresh, from, to);
  site.put(page0, "application/json; charset=utf-8", fresh);
  REQUIRE(wait_until([&] { return count_of(targets(site), page1) >= 1; }, 15s));
  REQUIRE(wait_until([&] { return count_with(tg, "Перевод по СБП шёл двое суток") >= 1; }, 10s));
  const std::size_t at = site.hits(path);
  REQUIRE(wait_until([&] { return site.hits(path) >= at + 3; }, 15s));
  const auto t = targets(site);
  CHECK(count_of(t, page1) == 1);
  CHECK(std::none_of(t.begin(), t.end(), [](const std::string& s) { return s.find("pageIndex=2") != std::string::npos; }));

  // A captcha instead of the JSON: the source is reported blocked, once.
  site.put(page0, "text/html; charset=utf-8", kCaptcha);
  REQUIRE(wait_until([&] { return count_with(tg, "» заблокирован:") >= 1; }, 15s));
  const std::size_t seen = site.hits(path);
  REQUIRE(wait_until([&] { return site.hits(path) >= seen + 2; }, 20s));
  CHECK(count_with(tg, "» заблокирован:") == 1);
  CHECK(count_with(tg, "captcha page") == 1);
  CHECK(h.stop() == 0);
}
