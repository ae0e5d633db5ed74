#include "daemon/channels/email_channel.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

using namespace otklik;
using namespace otklik::channels;

namespace {

const Strings& ru() { return strings_for("ru"); }

}  // namespace

TEST_CASE("email: an alert has a subject with brand and source and escaped HTML", "[mail][email]") {
  auto email = render_email(test::sample_alert(), TimeZone{}, ru());
  REQUIRE(email);
  CHECK(email->subject == "[Otklik] Негативный отзыв: Кофейня Бобры \u2014 maps-reviews");
  CHECK(email->text.find("Ждали кофе сорок минут & никто не извинился.") != std::string::npos);
  CHECK(email->text.find("Ирина <К.>") != std::string::npos);
  CHECK(email->html.starts_with("<!DOCTYPE html>"));
  CHECK(email->html.find("Ирина &lt;К.&gt;") != std::string::npos);
  CHECK(email->html.find("сорок минут &amp; никто") != std::string::npos);
  CHECK(email->html.find("<К.>") == std::string::npos);
  CHECK(email->html.find("href=\"https://reviews.example/r/100?a=1&amp;b=2\"") != std::string::npos);

  auto en = render_email(test::sample_alert(), TimeZone{}, strings_for("en"));
  REQUIRE(en);
  CHECK(en->subject == "[Otklik] Negative review: Кофейня Бобры \u2014 maps-reviews");
}

TEST_CASE("email: notices, escalations and follow-ups", "[mail][email]") {
  auto notice = render_email(test::sample_notice(), TimeZone{}, ru());
  REQUIRE(notice);
  CHECK(notice->subject.starts_with("[Otklik] Уведомление"));

  auto escalation = test::sample_alert();
  escalation.item.kind = "escalation";
  escalation.item.payload = R"({"deadline":"take","step":2,"mention":["@ivanova","Пётр <boss>"],"overdue_by_s":3900})";
  auto e = render_email(escalation, TimeZone{}, ru());
  REQUIRE(e);
  CHECK(e->subject == "[Otklik] Просрочено (шаг 2): Кофейня Бобры \u2014 maps-reviews");
  CHECK(e->text.starts_with("Отзыв не взят в работу вовремя (просрочено на 1 ч 5 мин, шаг эскалации 2).\n"
                            "Внимание: @ivanova, Пётр <boss>\n\n"));
  CHECK(e->html.find("Пётр &lt;boss&gt;") != std::string::npos);

  escalation.item.payload = R"({"deadline":"resolve","step":1,"mention":[],"overdue_by_s":600})";
  auto r = render_email(escalation, TimeZone{}, strings_for("en"));
  REQUIRE(r);
  CHECK(r->text.starts_with("The review was not answered in time (overdue by 10 min, escalation step 1).\n\n"));

  auto follow_up = test::sample_alert();
  follow_up.item.kind = "follow_up";
  follow_up.item.payload = "{}";
  auto f = render_email(follow_up, TimeZone{}, ru());
  REQUIRE(f);
  CHECK(f->subject == "[Otklik] Напоминание: спросите клиента: Кофейня Бобры \u2014 maps-reviews");

  auto status = test::sample_alert();
  status.item.kind = "status";
  CHECK_FALSE(render_email(status, TimeZone{}, ru()));
  status.item.kind = "digest";
  CHECK_FALSE(render_email(status, TimeZone{}, ru()));
}

TEST_CASE("email: the Message-ID is stable per channel and row", "[mail][email]") {
  const auto a = email_message_id("team-mail", 42, "otklik@bank.example");
  CHECK(a == email_message_id("team-mail", 42, "otklik@bank.example"));
  CHECK(a != email_message_id("team-mail", 43, "otklik@bank.example"));
  CHECK(a != email_message_id("other", 42, "otklik@bank.example"));
  CHECK(a.ends_with("@bank.example>"));
}
