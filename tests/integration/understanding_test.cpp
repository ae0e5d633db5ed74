// Understanding through the real daemon: an alert lists the claims, topics and response hints;
// the same author's next complaint is marked as a repeat; a brand-matching source keeps only the
// items that name a brand; a captcha page is reported once, and the recovery once.

#include "harness.hpp"
#include "tests/support/chat/fake_chat.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

const auto kNow = [] { return std::chrono::system_clock::now(); };

std::string config(const std::string& feed_url, const FakeTelegram& tg, const std::string& source_extra = "",
                   const std::string& extra = "") {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "ru"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"
read_timeout = "5s"

[[brand]]
name = "Рокетбанк"
aliases = ["Rocketbank"]

[[source]]
name = "reviews"
type = "rss"
url = "{}"
interval = "1s"
{}

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "-100200300"
api_url = "{}"
actions = false

[[route]]
channel = "support"
min_severity = "low"
{}
)",
                     feed_url, source_extra, tg.token(), tg.api_url(), extra);
}

FeedItem old_item(std::string id, std::string text, std::string author = "") {
  return {std::move(id), "Отзыв", std::move(text), kNow() - 240h, std::move(author)};
}
FeedItem new_item(std::string id, std::string text, std::string author = "") {
  return {std::move(id), "Отзыв", std::move(text), kNow() - 1min, std::move(author)};
}

std::size_t count_with(const FakeTelegram& tg, std::string_view fragment) {
  const auto msgs = tg.messages();
  return static_cast<std::size_t>(std::count_if(msgs.begin(), msgs.end(), [&](const TelegramMessage& m) {
    return m.visible_text.find(fragment) != std::string::npos;
  }));
}

}  // namespace

TEST_CASE("an alert lists claims, topics and hints, the author's next complaint is a repeat", "[integration][understanding]") {
  FakeSite site;
  FakeTelegram tg;
  std::vector<FeedItem> items = {old_item("a", "Всё хорошо, спасибо", "Иван Петров")};
  serve_feed(site, items);
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg, "brand = \"Рокетбанк\""));
  h.start();
  REQUIRE(wait_for_polls(site, 2, 10s));

  items.push_back(new_item("b",
                           "Нахамил менеджер в отделении, ждал час в очереди, навязали страховку. Ужасный банк!",
                           "Иван Петров"));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  const std::string first = tg.messages()[0].visible_text;
  INFO(first);
  CHECK(first.find("Претензии:") != std::string::npos);
  CHECK(first.find("1. Нахамил менеджер в отделении — Хамство и отношение персонала") != std::string::npos);
  CHECK(first.find("2. ждал час в очереди — Ожидание и очереди") != std::string::npos);
  CHECK(first.find("3. навязали страховку — Навязанные услуги и страховки") != std::string::npos);
  CHECK(first.find("Что сделать в ответе:") != std::string::npos);
  CHECK(first.find("Извинитесь за поведение сотрудника") != std::string::npos);
  CHECK(first.find("негативный отзыв автора") == std::string::npos);  // the first complaint

  // The same person again (another spelling of the name), about the queue again.
  items.push_back(new_item("c", "Опять простоял в очереди сорок минут, ужасно.", "иван  ПЕТРОВ"));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 2; }, 10s));
  const std::string second = tg.messages()[1].visible_text;
  INFO(second);
  CHECK(second.find("2-й негативный отзыв автора за 30 дней (2 на reviews)") != std::string::npos);
  CHECK(second.find("Повторное обращение: Ожидание и очереди") != std::string::npos);
  CHECK(second.find("Ранее:") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("a brand-matching source keeps only the items that name a brand", "[integration][understanding]") {
  FakeSite site;
  FakeTelegram tg;
  std::vector<FeedItem> items;
  serve_feed(site, items);
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg, "match_brands = true"));
  h.start();
  REQUIRE(wait_for_polls(site, 2, 10s));
  items.push_back(new_item("x", "Играли в покер до утра, проиграл всё, ужасный вечер."));
  items.push_back(new_item("y", "Рокербанк опять заблокировал карту, ужасный сервис!"));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return tg.messages().size() >= 1; }, 10s));
  REQUIRE(wait_for_polls(site, 2, 10s));
  const auto msgs = tg.messages();
  REQUIRE(msgs.size() == 1);
  INFO(msgs[0].visible_text);
  CHECK(msgs[0].visible_text.find("Рокетбанк (в тексте: «Рокербанк»)") != std::string::npos);
  const auto [status, metrics] = h.health_get("/metrics");
  CHECK(status == 200);
  CHECK(metrics.find("otklik_mentions_dropped_total{source=\"reviews\"} ") != std::string::npos);
  CHECK(h.stop() == 0);
}

TEST_CASE("a captcha page is reported once, and the recovery once", "[integration][understanding]") {
  FakeSite site;
  FakeTelegram tg;
  std::vector<FeedItem> items = {old_item("a", "Всё хорошо")};
  serve_feed(site, items);
  DaemonHarness h;
  h.write_config(config(site.url("/feed.rss"), tg, "brand = \"Рокетбанк\""));
  h.start();
  REQUIRE(wait_for_polls(site, 2, 10s));

  site.put("/feed.rss", "text/html; charset=utf-8",
           "<html><head><title>Вы не робот?</title></head><body><form action=\"/checkcaptcha\">"
           "<div class=\"CheckboxCaptcha\"></div></form><script src=\"/showcaptcha.js\"></script></body></html>");
  REQUIRE(wait_until([&] { return count_with(tg, "заблокирован") >= 1; }, 15s));
  REQUIRE(wait_for_polls(site, 2, 20s));  // polls go on (with backoff): still one notice
  CHECK(count_with(tg, "заблокирован") == 1);
  CHECK(tg.messages()[0].visible_text.find("captcha page") != std::string::npos);

  items.push_back(new_item("b", "Ужасный сервис, нахамили."));
  serve_feed(site, items);
  REQUIRE(wait_until([&] { return count_with(tg, "снова работает") >= 1; }, 60s));
  REQUIRE(wait_for_polls(site, 2, 20s));
  CHECK(count_with(tg, "снова работает") == 1);
  CHECK(count_with(tg, "заблокирован") == 1);
  const auto [status, metrics] = h.health_get("/metrics");
  CHECK(metrics.find("otklik_source_broken{source=\"reviews\"} 0") != std::string::npos);
  CHECK(h.stop() == 0);
}
