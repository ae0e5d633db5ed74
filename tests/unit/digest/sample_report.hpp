#pragma once
// A hand-built digest report with every section filled, for the golden files and the screenshot.

#include "daemon/digest/digest_data.hpp"

#include <chrono>

namespace otklik::digest::testing {

inline TimePoint at_utc(int y, unsigned m, unsigned d, int h = 0, int min = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

inline DigestReport sample_report() {
  using namespace std::chrono;
  DigestReport r;
  r.week = IsoWeek{2026, 47};
  r.zone = TimeZone::fixed("Europe/Moscow", hours{3});
  r.timezone = "Europe/Moscow";
  r.range = week_range(r.week, r.zone);
  r.generated = at_utc(2026, 11, 23, 6, 0);
  r.sla_enabled = true;
  r.by_brand = {{"Банк Ромашка", 1245, 1180, 96, 71}, {"Ромашка Страхование", 212, 230, 31, 34}, {"", 4, 0, 1, 0}};
  r.by_source = {{"banki-ru", 610, 587, 52, 40}, {"yandex-maps", 544, 520, 41, 39}, {"otzovik", 302, 303, 34, 26},
                 {"vk-mentions", 5, 0, 1, 0}};
  for (const CountRow& c : r.by_brand) {
    r.total.mentions += c.mentions;
    r.total.mentions_prev += c.mentions_prev;
    r.total.negatives += c.negatives;
    r.total.negatives_prev += c.negatives_prev;
  }
  for (int i = 0; i < 6; ++i) r.rating_weeks.push_back(add_weeks(r.week, i - 5));
  r.ratings = {{"Банк Ромашка", {4.4, 4.3, 4.1, std::nullopt, 4.0, 3.6}, {120, 131, 118, 0, 125, 140}},
               {"Ромашка Страхование", {3.1, 3.4, 3.5, 3.9, 4.2, 4.6}, {20, 22, 25, 19, 24, 30}}};
  r.take = ResponseStats{127, 121, minutes{38}, hours{2} + minutes{15}, 104, 124};
  r.answer = ResponseStats{127, 109, hours{3} + minutes{40}, hours{27}, 88, 118};
  r.overdue = {
      {5012, "Банк Ромашка", "banki-ru", "https://www.banki.ru/services/responses/bank/response/5012/",
       "Карту заблокировали без объяснений, в чате отвечают шаблонами", "new", "take", "", hours{26} + minutes{5}},
      {4988, "Ромашка Страхование", "otzovik", "https://otzovik.com/review_4988.html",
       "Третью неделю не могу получить выплату по ОСАГО", "taken", "answer", "@ivanova", hours{5} + minutes{40}},
  };
  r.overdue_total = 5;
  r.top_negative = {
      {5012, "Банк Ромашка", "banki-ru", "https://www.banki.ru/services/responses/bank/response/5012/", "Пётр К.",
       "Карту заблокировали без объяснений, в чате отвечают шаблонами, в отделении очередь на два часа",
       -0.93, 1.0, at_utc(2026, 11, 18, 7, 12), "new"},
      {4990, "Банк Ромашка", "yandex-maps", "https://yandex.ru/maps/org/1/reviews/?id=4990", "Марина",
       "Отделение на Тверской: не работает терминал, к окну никто не подходит, менеджер ушёл на обед", -0.88, 1.0,
       at_utc(2026, 11, 17, 15, 40), "answered"},
      {4988, "Ромашка Страхование", "otzovik", "https://otzovik.com/review_4988.html", "ivan_petrov",
       "Третью неделю не могу получить выплату по ОСАГО", -0.81, 2.0, at_utc(2026, 11, 16, 9, 5), "taken"},
      {4975, "Банк Ромашка", "vk-mentions", "javascript:alert(1)", "", "Опять списали комиссию за обслуживание, хотя обещали бесплатно",
       -0.64, std::nullopt, at_utc(2026, 11, 22, 20, 59), ""},
  };
  r.repeat_complainers = {
      {"Пётр К.", 3, {{"banki-ru", 2}, {"yandex-maps", 1}}, at_utc(2026, 11, 18, 7, 12),
       "https://www.banki.ru/services/responses/bank/response/5012/"},
      {"ivan_petrov", 2, {{"otzovik", 2}}, at_utc(2026, 11, 16, 9, 5), "https://otzovik.com/review_4988.html"},
  };
  r.broken_sources = {
      {"banki-ru-insurance", 14, at_utc(2026, 11, 19, 10, 0), "http_status: HTTP 503 from www.banki.ru"},
      {"sravni", 0, at_utc(2026, 11, 12, 8, 30), ""},
  };
  return r;
}

/// The same week with nothing in it (and no SLA configured).
inline DigestReport empty_report() {
  DigestReport r;
  r.week = IsoWeek{2026, 53};
  r.timezone = "UTC";
  r.range = week_range(r.week, r.zone);
  r.generated = at_utc(2027, 1, 4, 9, 0);
  r.brands = {"Банк Ромашка"};
  for (int i = 0; i < 6; ++i) r.rating_weeks.push_back(add_weeks(r.week, i - 5));
  return r;
}

}  // namespace otklik::digest::testing
