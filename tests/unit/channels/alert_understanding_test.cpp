// What an alert shows of the understanding: the brand as written, numbered claims with topic
// names, the topic list, response hints without repeats, the repeat author and earlier links —
// in plain text, Telegram HTML (escaped) and the webhook's JSON.
#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/telegram_html.hpp"
#include "daemon/channels/webhook_payload.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::channels;

namespace {

DeliveryRequest understood_alert() {
  DeliveryRequest r = test::sample_alert();
  auto& u = r.mention->understanding;
  u.claims = {{0, 10, "ждали кофе сорок минут", -0.4, {"waiting"}},
              {11, 20, "никто не <извинился>", -0.5, {"rudeness", "waiting"}}};
  u.topics = {"rudeness", "waiting"};
  u.brand = understanding::BrandMatch{"bobry", "Бобрах", 0, 6, "inflection", 0};
  understanding::RepeatAuthor rep;
  rep.negatives = 3;
  rep.window_days = 30;
  rep.by_source = {{"maps-reviews", 2}, {"banki", 1}};
  rep.previous = {{5, "maps-reviews", "https://reviews.example/r/5", 1763000000000, {"waiting"}, "resolved"},
                  {2, "banki", "", 1762000000000, {}, ""}};
  rep.repeated_topics = {"waiting"};
  u.repeat = rep;
  r.topics = {{"rudeness", "Хамство", {"Извинитесь.", "Скажите, что сделано."}},
              {"waiting", "Очереди", {"Извинитесь.", "Назовите срок."}}};
  return r;
}

const Strings& ru() { return strings_for("ru"); }

}  // namespace

TEST_CASE("an alert lists claims, topics, hints and the author's earlier complaints", "[channels][understanding]") {
  const auto c = build_alert_content(understood_alert(), TimeZone{}, ru());
  CHECK(c.brand_form == "Бобрах");
  REQUIRE(c.claims.size() == 2);
  CHECK(c.claims[1].topics == std::vector<std::string>{"Хамство", "Очереди"});
  CHECK(c.topics == std::vector<std::string>{"Хамство", "Очереди"});
  CHECK(c.hints == std::vector<std::string>{"Извинитесь.", "Скажите, что сделано.", "Назовите срок."});
  CHECK(c.repeat == "🔁 3-й негативный отзыв автора за 30 дней (2 на maps-reviews, 1 на banki)");
  CHECK(c.repeated_topics == std::vector<std::string>{"Очереди"});
  REQUIRE(c.earlier.size() == 2);
  CHECK(c.earlier[0].label == "13.11 · maps-reviews · решён");
  CHECK(c.earlier[0].url == "https://reviews.example/r/5");
  CHECK(c.earlier[1].url.empty());

  const std::string text = render_plain_text(c, ru());
  INFO(text);
  CHECK(text.find("Кофейня Бобры** (в тексте: «Бобрах»)") != std::string::npos);
  CHECK(text.find("**🔁 3-й негативный отзыв автора") != std::string::npos);
  CHECK(text.find("↩️ Повторное обращение: Очереди") != std::string::npos);
  CHECK(text.find("**Претензии:**\n1. ждали кофе сорок минут — Очереди\n2. никто не <извинился> — Хамство, Очереди\nТемы: Хамство, Очереди") !=
        std::string::npos);
  CHECK(text.find("**Что сделать в ответе:**\n• Извинитесь.\n• Скажите, что сделано.\n• Назовите срок.") != std::string::npos);
  CHECK(text.find("Ранее:\n• 13.11 · maps-reviews · решён: https://reviews.example/r/5\n• ") != std::string::npos);

  const std::string html = render_telegram_html(c, ru());
  CHECK(html.find("никто не &lt;извинился&gt;") != std::string::npos);
  CHECK(html.find("<a href=\"https://reviews.example/r/5\">13.11 · maps-reviews · решён</a>") != std::string::npos);
}

TEST_CASE("[understanding] switches and a lone claim that is the whole review", "[channels][understanding]") {
  DeliveryRequest r = understood_alert();
  r.show_claims = false;
  r.show_hints = false;
  auto c = build_alert_content(r, TimeZone{}, ru());
  CHECK(c.claims.empty());
  CHECK(c.hints.empty());
  CHECK_FALSE(c.topics.empty());

  DeliveryRequest one = test::sample_alert();
  one.mention->understanding.claims = {{0, 10, "Ждали кофе сорок минут & никто не извинился", -0.5, {}}};
  c = build_alert_content(one, TimeZone{}, ru());
  CHECK(c.claims.empty());  // the review says it already
  CHECK(render_plain_text(c, ru()).find("Претензии") == std::string::npos);

  DeliveryRequest plain = test::sample_alert();  // no understanding: the alert is as before
  c = build_alert_content(plain, TimeZone{}, ru());
  CHECK(c.claims.empty());
  CHECK(c.repeat.empty());
  CHECK(c.brand_form.empty());
}

TEST_CASE("English alerts use ordinals and English words", "[channels][understanding]") {
  const Strings& en = strings_for("en");
  const auto c = build_alert_content(understood_alert(), TimeZone{}, en);
  CHECK(c.repeat == "🔁 The author's 3rd negative review in 30 days (2 on maps-reviews, 1 on banki)");
  CHECK(c.earlier[0].label == "11-13 · maps-reviews · resolved");
  const std::string text = render_plain_text(c, en);
  CHECK(text.find("**Claims:**") != std::string::npos);
  CHECK(text.find("**When answering:**") != std::string::npos);
  CHECK(text.find("(written: “Бобрах”)") != std::string::npos);
}

TEST_CASE("the webhook carries the understanding", "[channels][understanding]") {
  const DeliveryRequest r = understood_alert();
  const auto c = build_alert_content(r, TimeZone{}, ru());
  const auto body = boost::json::parse(build_webhook_payload(r, c, ru())).as_object();
  const auto& u = body.at("understanding").as_object();
  CHECK(u.at("claims").as_array().size() == 2);
  CHECK(u.at("topics").as_array().at(0).as_string() == "rudeness");
  CHECK(u.at("brand_form").as_string() == "Бобрах");
  CHECK(u.at("repeat").as_object().at("negatives").as_int64() == 3);
  CHECK(u.at("hints").as_array().size() == 3);
}

TEST_CASE("sources are named by their labels: the alert's own, the repeat line, earlier links", "[channels][understanding]") {
  DeliveryRequest r = understood_alert();
  r.source_labels = {{"maps-reviews", "Яндекс Карты · maps-reviews"}, {"other", "Other"}};
  const auto c = build_alert_content(r, TimeZone{}, ru());
  CHECK(c.source == "Яндекс Карты · maps-reviews");
  CHECK(c.repeat == "🔁 3-й негативный отзыв автора за 30 дней (2 на Яндекс Карты · maps-reviews, 1 на banki)");
  REQUIRE(c.earlier.size() == 2);
  CHECK(c.earlier[0].label == "13.11 · Яндекс Карты · maps-reviews · решён");
  CHECK(c.earlier[1].label.find("banki") != std::string::npos);  // no label: the name
}
