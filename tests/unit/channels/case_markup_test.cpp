// Buttons, status lines and button data of alerts with a case (case_markup.hpp), and how the
// Telegram and Slack renderings carry them.

#include "daemon/channels/case_markup.hpp"
#include "daemon/channels/slack_text.hpp"
#include "daemon/channels/telegram_channel.hpp"
#include "daemon/channels/telegram_html.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/json.hpp>

using namespace otklik;
using namespace otklik::channels;
using namespace std::chrono_literals;

namespace {

const TimeZone kMsk = TimeZone::fixed("MSK", std::chrono::hours{3});

CaseRecord sample_case(CaseState state) {
  CaseRecord c;
  c.mention_id = 7;
  c.state = state;
  c.created = test::sample_time();  // 15:30 MSK
  return c;
}

CaseMark mark(std::string name, TimePoint at) { return CaseMark{Actor{"telegram", "1001", std::move(name)}, at}; }

}  // namespace

TEST_CASE("callback data round-trips and is validated strictly", "[channels][actions]") {
  CHECK(encode_callback_data({CaseAction::take, 42}) == "otk1:take:42");
  CHECK(encode_callback_data({CaseAction::dismiss, 9223372036854775807}) == "otk1:dismiss:9223372036854775807");
  for (auto a : {CaseAction::take, CaseAction::answer, CaseAction::resolve, CaseAction::dismiss, CaseAction::reopen}) {
    const ActionData d{a, 123456789};
    const auto back = decode_callback_data(encode_callback_data(d));
    REQUIRE(back);
    CHECK(*back == d);
  }
  const auto ok = decode_callback_data("otk1:answer:7");
  REQUIRE(ok);
  CHECK(ok->action == CaseAction::answer);
  CHECK(ok->mention_id == 7);

  const char* bad[] = {
      "",                             // empty
      "otk1:take",                    // no id
      "otk1:take:",                   // empty id
      "otk2:take:1",                  // other version
      "OTK1:take:1",                  // prefix is case-sensitive
      "otk1:Take:1",                  // action name is exact
      "otk1:delete:1",                // unknown action
      "otk1:take:0",                  // ids are positive
      "otk1:take:-1",                 // no sign
      "otk1:take:+1",
      "otk1:take:01",                 // no leading zeros
      "otk1:take:1a",                 // digits only
      "otk1:take:1:2",                // nothing after the id
      "otk1:take: 1",
      "otk1:take:9223372036854775808",  // over int64
      "otk1::1",
      "take:1",
  };
  for (const char* s : bad) {
    INFO(s);
    CHECK_FALSE(decode_callback_data(s));
  }
  // Over 64 bytes is refused even when otherwise well-formed.
  CHECK_FALSE(decode_callback_data("otk1:take:1" + std::string(60, '0')));
  CHECK(encode_callback_data({CaseAction::dismiss, 9223372036854775807}).size() <= kMaxCallbackData);
}

TEST_CASE("slack action ids and values are validated strictly", "[channels][actions][slack]") {
  CHECK(slack_action_id(CaseAction::take) == "otk1_take");
  const auto d = decode_slack_action("otk1_resolve", "55");
  REQUIRE(d);
  CHECK(*d == ActionData{CaseAction::resolve, 55});
  CHECK_FALSE(decode_slack_action("otk1_resolve", "055"));
  CHECK_FALSE(decode_slack_action("otk1_resolve", ""));
  CHECK_FALSE(decode_slack_action("otk1_nuke", "5"));
  CHECK_FALSE(decode_slack_action("resolve", "5"));
}

TEST_CASE("buttons follow the case's state", "[channels][actions]") {
  using A = CaseAction;
  struct Row {
    CaseState state;
    std::vector<A> actions;
  };
  const Row rows[] = {
      {CaseState::fresh, {A::take, A::answer, A::dismiss}},
      {CaseState::taken, {A::answer, A::dismiss}},
      {CaseState::answered, {A::resolve}},
      {CaseState::resolved, {A::reopen}},
      {CaseState::dismissed, {A::reopen}},
  };
  for (const auto& r : rows) {
    INFO(to_string(r.state));
    CHECK(case_buttons(CaseView{sample_case(r.state), {}, {}}) == r.actions);
  }
  const auto& ru = case_words_for("ru");
  const auto& en = case_words_for("en-GB");
  CHECK(action_label(A::take, ru) == "Беру");
  CHECK(action_label(A::answer, ru) == "Ответили");
  CHECK(action_label(A::dismiss, ru) == "Не негатив");
  CHECK(action_label(A::resolve, ru) == "Решено");
  CHECK(action_label(A::reopen, ru) == "Вернуть");
  CHECK(action_label(A::take, en) == "Take");
  CHECK(action_label(A::dismiss, en) == "Not negative");
  CHECK(action_label(A::reopen, en) == "Reopen");
}

TEST_CASE("status lines show the state, who acted and when", "[channels][actions]") {
  const auto& ru = case_words_for("ru");
  const auto& en = case_words_for("en");
  const TimePoint t0 = test::sample_time();

  CHECK(render_case_status(CaseView{sample_case(CaseState::fresh), {}, {}}, kMsk, ru).empty());

  CaseRecord taken = sample_case(CaseState::taken);
  taken.taken = mark("@ivanova", t0 + 5min);
  CHECK(render_case_status({taken, {}, {}}, kMsk, ru) == "\U0001F7E1 Взял @ivanova в 15:35");
  CHECK(render_case_status({taken, {}, {}}, kMsk, en) == "\U0001F7E1 Taken by @ivanova at 15:35");

  CaseRecord answered = taken;
  answered.state = CaseState::answered;
  answered.answered = mark("Анна Иванова", t0 + 40min);
  CHECK(render_case_status({answered, {}, {}}, kMsk, ru) == "\u2705 Ответили: Анна Иванова в 16:10");

  // The company answered on the review site itself.
  CaseRecord on_site = sample_case(CaseState::answered);
  on_site.answered = CaseMark{Actor{"site", "maps-reviews", ""}, t0 + 3min};
  CHECK(render_case_status({on_site, {}, {}}, kMsk, ru) == "\u2705 Ответили: на сайте в 15:33");
  CHECK(render_case_status({on_site, {}, {}}, kMsk, en) == "\u2705 Answered by on the site at 15:33");

  CaseRecord dismissed = sample_case(CaseState::dismissed);
  dismissed.dismissed = mark("@petrov", t0 + 20h);  // the next local day
  CHECK(render_case_status({dismissed, {}, {}}, kMsk, ru) == "\u26AA Не негатив: @petrov в 24.11 11:30");
  CHECK(render_case_status({dismissed, {}, {}}, kMsk, en) == "\u26AA Not negative: @petrov at 11-24 11:30");

  CaseRecord resolved = answered;
  resolved.state = CaseState::resolved;
  resolved.resolved = mark("@ivanova", t0 + 2h);
  CHECK(render_case_status({resolved, {}, {}}, kMsk, ru) == "\u2611\uFE0F Решено: @ivanova в 17:30");

  // Overdue: shown once an escalation step was recorded for the deadline.
  CaseRecord late = sample_case(CaseState::fresh);
  CHECK(render_case_status({late, t0 + 30min, {}}, kMsk, ru).empty());
  late.take_escalations = 1;
  CHECK(render_case_status({late, t0 + 30min, {}}, kMsk, ru) == "\u23F0 Просрочено: взять до 16:00");
  CHECK(render_case_status({late, t0 + 30min, {}}, kMsk, en) == "\u23F0 Overdue: take by 16:00");
  CHECK(render_case_status({late, {}, {}}, kMsk, ru) == "\u23F0 Просрочено: никто не взял");

  CaseRecord late_answer = taken;
  late_answer.resolve_escalations = 2;
  CHECK(render_case_status({late_answer, {}, t0 + 4h}, kMsk, ru) ==
        "\U0001F7E1 Взял @ivanova в 15:35\n\u23F0 Просрочено: ответить до 19:30");
  // Taking it ends the "take" overdue line.
  CaseRecord taken_late = taken;
  taken_late.take_escalations = 1;
  CHECK(render_case_status({taken_late, t0 + 30min, {}}, kMsk, ru) == "\U0001F7E1 Взял @ivanova в 15:35");
}

TEST_CASE("answers to a tap", "[channels][actions]") {
  const auto& ru = case_words_for("ru");
  const auto& en = case_words_for("en");
  using K = ActionResultKind;
  CaseRecord taken = sample_case(CaseState::taken);
  taken.taken = mark("@ivanova", test::sample_time());
  CHECK(action_reply(K::changed, CaseAction::take, &taken, CaseRefusal::none, ru) == "Взято");
  CHECK(action_reply(K::unchanged, CaseAction::take, &taken, CaseRefusal::none, ru) == "Уже взято @ivanova");
  CHECK(action_reply(K::unchanged, CaseAction::take, &taken, CaseRefusal::none, en) == "Already taken by @ivanova");
  CHECK(action_reply(K::unchanged, CaseAction::dismiss, &taken, CaseRefusal::none, ru) == "Уже отмечено");
  CHECK(action_reply(K::refused, CaseAction::take, &taken, CaseRefusal::already_resolved, ru) ==
        "Уже решено — сначала «Вернуть»");
  CHECK(action_reply(K::not_allowed, CaseAction::take, nullptr, CaseRefusal::none, en).starts_with("Not allowed"));
  // answerCallbackQuery text: 0-200 characters.
  for (auto k : {K::changed, K::unchanged, K::refused, K::not_allowed, K::not_found, K::failed}) {
    for (const auto* w : {&ru, &en}) CHECK(action_reply(k, CaseAction::dismiss, &taken, CaseRefusal::none, *w).size() < 400);
  }
}

TEST_CASE("telegram alerts carry the keyboard and the status on the last part", "[channels][actions][telegram]") {
  auto req = test::sample_alert();
  CaseRecord c = sample_case(CaseState::taken);
  c.taken = mark("@ivanova", test::sample_time() + 5min);
  req.case_record = c;
  const auto& strings = strings_for("ru");
  const AlertContent content = build_alert_content(req, kMsk, strings);
  CHECK(content.has_case);
  CHECK(content.mention_id == 7);
  CHECK(content.status == "\U0001F7E1 Взял @ivanova в 15:35");

  const auto kb = telegram_keyboard(content, case_words_for("ru"));
  CHECK(boost::json::serialize(kb) ==
        R"({"inline_keyboard":[[{"text":"Ответили","callback_data":"otk1:answer:7"},)"
        R"({"text":"Не негатив","callback_data":"otk1:dismiss:7"}]]})");

  const auto parts = telegram_alert_parts(content, strings);
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].ends_with("\n\n\U0001F7E1 Взял @ivanova в 15:35"));

  // A status with markup characters is escaped; a long alert keeps the status on its last part.
  c.taken = mark("<b>&", test::sample_time());
  req.case_record = c;
  req.mention->mention.text = std::string(9000, 'x');
  req.mention->sentiment.sentences.clear();
  const AlertContent long_content = build_alert_content(req, kMsk, strings);
  const auto long_parts = telegram_alert_parts(long_content, strings);
  REQUIRE(long_parts.size() >= 1);
  CHECK(long_parts.back().find("Взял &lt;b&gt;&amp; в 15:30") != std::string::npos);
  for (const auto& p : long_parts) CHECK(telegram_length(p) <= kTelegramMaxUnits);

  // No case: no buttons.
  auto plain = test::sample_alert();
  const AlertContent none = build_alert_content(plain, kMsk, strings);
  CHECK_FALSE(none.has_case);
  CHECK(boost::json::serialize(telegram_keyboard(none, case_words_for("ru"))) == R"({"inline_keyboard":[]})");
}

TEST_CASE("slack alerts carry buttons only with actions on", "[channels][actions][slack]") {
  auto req = test::sample_alert();
  req.case_record = sample_case(CaseState::fresh);
  const auto& strings = strings_for("en");
  const AlertContent content = build_alert_content(req, kMsk, strings);

  const auto without = boost::json::parse(build_slack_payload(content, strings, false)).as_object();
  for (const auto& b : without.at("blocks").as_array()) CHECK(b.at("type").as_string() != "actions");

  const auto with = boost::json::parse(build_slack_payload(content, strings, true)).as_object();
  const auto& blocks = with.at("blocks").as_array();
  const auto& last = blocks.back().as_object();
  CHECK(last.at("type").as_string() == "actions");
  CHECK(last.at("block_id").as_string() == "otk1_7_take-answer-dismiss");
  const auto& elements = last.at("elements").as_array();
  REQUIRE(elements.size() == 3);
  CHECK(elements[0].at("type").as_string() == "button");
  CHECK(elements[0].at("action_id").as_string() == "otk1_take");
  CHECK(elements[0].at("value").as_string() == "7");
  CHECK(elements[0].at("text").at("text").as_string() == "Take");
  CHECK(elements[0].at("style").as_string() == "primary");
  CHECK(elements[2].at("action_id").as_string() == "otk1_dismiss");
  CHECK(with.at("unfurl_links").as_bool() == false);

  // The replacement for a response_url, with a status context block.
  CaseRecord taken = sample_case(CaseState::taken);
  taken.taken = CaseMark{Actor{"slack", "U1", "@ivanova"}, test::sample_time()};
  req.case_record = taken;
  const auto replacement =
      boost::json::parse(build_slack_replacement(build_alert_content(req, kMsk, strings), strings, true)).as_object();
  CHECK(replacement.at("replace_original").as_bool());
  const auto& rb = replacement.at("blocks").as_array();
  REQUIRE(rb.size() >= 2);
  const auto& context = rb[rb.size() - 2].as_object();
  CHECK(context.at("type").as_string() == "context");
  CHECK(context.at("elements").as_array()[0].at("text").as_string() == "\U0001F7E1 Taken by @ivanova at 15:30");
  CHECK(rb.back().at("block_id").as_string() == "otk1_7_answer-dismiss");
}

TEST_CASE("escalations and follow-ups lead with their line, no buttons on them", "[channels][actions]") {
  auto req = test::sample_alert();
  req.item.kind = "escalation";
  req.item.payload = R"({"deadline":"take","step":2,"mention":["@boss","<@U012AB3CD>","<!channel>"],"overdue_s":2700})";
  req.case_record = sample_case(CaseState::fresh);
  const auto& ru = strings_for("ru");
  const AlertContent c = build_alert_content(req, kMsk, ru);
  CHECK(c.lead.starts_with("\u23F0 Просрочено: никто не взял \u00B7 шаг 2 \u00B7 "));
  CHECK(c.mentions == std::vector<std::string>{"@boss", "<@U012AB3CD>", "<!channel>"});
  CHECK(c.actions.empty());
  const auto slack = boost::json::parse(build_slack_payload(c, ru, true)).as_object();
  const std::string first = std::string(slack.at("blocks").as_array().at(0).at("text").at("text").as_string());
  CHECK(first.find(" @boss <@U012AB3CD> &lt;!channel&gt;\n") != std::string::npos);  // only real ids ping
  const std::string html = render_telegram_html(c, ru);
  CHECK(html.starts_with("<b>\u23F0 Просрочено: никто не взял"));

  req.item.kind = "follow_up";
  req.item.payload = "{}";
  const AlertContent f = build_alert_content(req, kMsk, strings_for("en"));
  CHECK(f.lead == "\U0001F514 Reminder: ask the customer whether all is well now");
  CHECK(f.mentions.empty());
}
