// Answering a review from a chat (reply_markup.hpp): the buttons and their data, the alert's line
// about its answer, how Telegram's reply messages and Slack's modal carry the review back.

#include "daemon/channels/reply_markup.hpp"
#include "daemon/channels/slack_actions.hpp"
#include "daemon/channels/slack_text.hpp"
#include "daemon/channels/telegram_channel.hpp"
#include "daemon/channels/telegram_updates.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/unit/channels/channel_test_support.hpp"

#include <boost/json.hpp>

using namespace otklik;
using namespace otklik::channels;
using namespace std::chrono_literals;

namespace {

const TimeZone kMsk = TimeZone::fixed("MSK", std::chrono::hours{3});

ReplyRecord reply_in(ReplyState state) {
  ReplyRecord r;
  r.id = 5;
  r.mention_id = 42;
  r.source = "wb-shop";
  r.channel = "team";
  r.actor = Actor{"telegram", "1001", "@anna"};
  r.text = "Здравствуйте, Ирина!\nСпасибо, что написали.";
  r.state = state;
  return r;
}

std::string form_body(const std::string& payload) {
  std::string out = "payload=";
  for (unsigned char c : payload) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

TEST_CASE("reply button data round-trips and is validated strictly", "[channels][replies]") {
  CHECK(encode_reply_callback({ReplyButton::reply, 42}) == "otk1:reply:42");
  CHECK(encode_reply_callback({ReplyButton::post, 7}) == "otk1:post:7");
  for (auto b : {ReplyButton::reply, ReplyButton::edit, ReplyButton::post, ReplyButton::cancel}) {
    const ReplyButtonData d{b, 9223372036854775807};
    const auto back = decode_reply_callback(encode_reply_callback(d));
    REQUIRE(back);
    CHECK(*back == d);
  }
  struct Bad {
    std::string data;
  };
  for (const Bad& bad : std::vector<Bad>{{""}, {"otk1:"}, {"otk1:reply"}, {"otk1:reply:"}, {"otk1:reply:0"},
                                         {"otk1:reply:-4"}, {"otk1:reply:042"}, {"otk1:reply:4x"},
                                         {"otk1:take:4"}, {"otk2:reply:4"}, {"otk1:post:99999999999999999999"},
                                         {"otk1:reply:4:5"}}) {
    INFO(bad.data);
    CHECK_FALSE(decode_reply_callback(bad.data));
  }
  // A case button is not a reply button and the other way round.
  CHECK_FALSE(decode_callback_data("otk1:reply:4"));
  CHECK(slack_reply_action_id(ReplyButton::edit) == "otk1_edit");
  CHECK(decode_slack_reply_action("otk1_reply", "42") == ReplyButtonData{ReplyButton::reply, 42});
  CHECK(decode_slack_reply_action("otk1_edit", "42") == ReplyButtonData{ReplyButton::edit, 42});
  // Post and Cancel never come back through a Slack block action: the modal submits.
  CHECK_FALSE(decode_slack_reply_action("otk1_post", "42"));
  CHECK_FALSE(decode_slack_reply_action("otk1_reply", "x"));
  CHECK_FALSE(decode_slack_reply_action(kSlackOpenReview, "42"));
}

TEST_CASE("the alert's line about its answer", "[channels][replies]") {
  const CaseWords& cw = case_words_for("ru");
  const ReplyWords& rw = reply_words_for("ru");
  const TimePoint created = test::sample_time();  // 15:30 MSK
  ReplyView view;
  view.publish = true;
  view.site = "Wildberries";
  CHECK(render_reply_status(view, created, kMsk, cw, rw).empty());

  view.latest = reply_in(ReplyState::posted);
  view.latest->posted_at = created + 62min;
  CHECK(render_reply_status(view, created, kMsk, cw, rw) ==
        "\u2709\uFE0F Ответ опубликован на Wildberries \u2014 @anna, 16:32\n"
        "\u00ABЗдравствуйте, Ирина!\nСпасибо, что написали.\u00BB");
  // Another day shows the day; a long text is cut.
  view.latest->posted_at = created + 24h;
  view.latest->text = std::string(600, 'a');
  const std::string cut = render_reply_status(view, created, kMsk, cw, rw, 100);
  CHECK(cut.find("@anna, ") != std::string::npos);
  CHECK(cut.find(".11 15:30") != std::string::npos);
  CHECK(cut.find(std::string(100, 'a') + "\u2026\u00BB") != std::string::npos);
  CHECK(cut.find(std::string(101, 'a')) == std::string::npos);

  view.latest = reply_in(ReplyState::queued);
  CHECK(render_reply_status(view, created, kMsk, cw, rw) == "\u23F3 Ответ публикуется на Wildberries \u2014 @anna");
  view.latest = reply_in(ReplyState::failed);
  view.latest->error = "HTTP 404: Отзыв не найден";
  CHECK(render_reply_status(view, created, kMsk, cw, rw) ==
        "\u26A0\uFE0F Wildberries не принял ответ: HTTP 404: Отзыв не найден");
  view.latest = reply_in(ReplyState::cancelled);
  CHECK(render_reply_status(view, created, kMsk, cw, rw).empty());

  // English, and an automatic thanks names nobody.
  view.latest = reply_in(ReplyState::posted);
  view.latest->automatic = true;
  view.latest->posted_at = created;
  view.latest->text = "Thank you!";
  CHECK(render_reply_status(view, created, kMsk, case_words_for("en"), reply_words_for("en")) ==
        "\u2709\uFE0F Answer published on Wildberries \u2014 15:30\n\u00ABThank you!\u00BB");
}

TEST_CASE("which answer button an alert offers", "[channels][replies]") {
  CaseRecord open;
  open.state = CaseState::taken;
  CaseRecord dismissed;
  dismissed.state = CaseState::dismissed;
  ReplyView api;
  api.publish = true;
  ReplyView none;
  CHECK(reply_offer(api, &open) == ReplyOffer::reply);
  CHECK(reply_offer(none, &open) == ReplyOffer::draft);
  CHECK(reply_offer(api, &dismissed) == ReplyOffer::none);
  api.latest = reply_in(ReplyState::failed);
  CHECK(reply_offer(api, &open) == ReplyOffer::reply);
  api.latest = reply_in(ReplyState::posted);
  CHECK(reply_offer(api, &open) == ReplyOffer::edit);
}

TEST_CASE("a draft heading names its review, and only its first line counts", "[channels][replies]") {
  const std::string h = draft_heading(42, "Wildberries", reply_words_for("ru"));
  CHECK(h == "\u270D\uFE0F Черновик ответа \u00B7 отзыв #42 \u00B7 Wildberries");
  CHECK(find_review_number(h + "\nтекст #77") == 42);
  CHECK_FALSE(find_review_number("Черновик\n#42"));
  CHECK_FALSE(find_review_number("#0"));
  CHECK_FALSE(find_review_number("нет номера"));
}

TEST_CASE("the Telegram keyboard carries the answer buttons on their own row", "[channels][replies]") {
  AlertContent c;
  c.mention_id = 42;
  c.has_case = true;
  c.actions = {CaseAction::answer, CaseAction::dismiss};
  c.link = "https://www.wildberries.ru/catalog/1/feedbacks";
  const CaseWords& words = case_words_for("ru");
  auto rows = [&] { return telegram_keyboard(c, words)["inline_keyboard"].as_array(); };
  CHECK(rows().size() == 1);
  c.reply_offer = ReplyOffer::reply;
  REQUIRE(rows().size() == 2);
  CHECK(rows()[1].as_array()[0].as_object().at("callback_data") == "otk1:reply:42");
  c.reply_offer = ReplyOffer::edit;
  CHECK(rows()[1].as_array()[0].as_object().at("callback_data") == "otk1:edit:42");
  c.reply_offer = ReplyOffer::draft;
  REQUIRE(rows()[1].as_array().size() == 2);
  CHECK(rows()[1].as_array()[1].as_object().at("url").as_string() == c.link);
  c.link = "javascript:alert(1)";
  CHECK(rows()[1].as_array().size() == 1);
}

TEST_CASE("the Slack alert carries the answer buttons", "[channels][replies]") {
  AlertContent c;
  c.mention_id = 42;
  c.has_case = true;
  c.actions = {CaseAction::take};
  c.reply_offer = ReplyOffer::draft;
  c.link = "https://example.org/review/1";
  const auto msg = build_slack_message(c, strings_for("ru"), true);
  const auto& blocks = msg.at("blocks").as_array();
  const auto& actions = blocks.back().as_object();
  REQUIRE(actions.at("type") == "actions");
  const auto& elements = actions.at("elements").as_array();
  REQUIRE(elements.size() == 3);
  CHECK(elements[1].as_object().at("action_id") == "otk1_reply");
  CHECK(elements[1].as_object().at("value") == "42");
  CHECK(elements[2].as_object().at("url").as_string() == c.link);
  CHECK(elements[2].as_object().at("action_id").as_string() == kSlackOpenReview);
}

TEST_CASE("a Telegram reply message and the review it answers", "[channels][replies][telegram]") {
  const std::string body = R"({"ok":true,"result":[
    {"update_id":10,"message":{"message_id":501,"from":{"id":1001,"is_bot":false,"first_name":"Анна","username":"anna"},
      "chat":{"id":-100123,"type":"supergroup","username":"team"},"date":1764000000,
      "text":"Здравствуйте! Деньги вернём до 12 декабря.",
      "reply_to_message":{"message_id":77,"from":{"id":123456,"is_bot":true,"first_name":"Otklik"},
        "chat":{"id":-100123,"type":"supergroup"},"date":1763990000,"text":"Негативный отзыв …",
        "reply_markup":{"inline_keyboard":[[{"text":"Беру","callback_data":"otk1:take:42"}],
                                           [{"text":"Ответить","callback_data":"otk1:reply:42"}]]}}}},
    {"update_id":11,"message":{"message_id":502,"from":{"id":1001,"is_bot":false,"first_name":"Анна"},
      "chat":{"id":-100123,"type":"supergroup"},"date":1764000001,"text":"просто сообщение"}},
    {"update_id":12,"message":{"message_id":503,"from":{"id":1001,"is_bot":false,"first_name":"Анна"},
      "chat":{"id":-100123,"type":"supergroup"},"date":1764000002,"photo":[],
      "reply_to_message":{"message_id":77,"from":{"id":123456,"is_bot":true,"first_name":"Otklik"},"date":1}}}]})";
  auto parsed = parse_get_updates(body);
  REQUIRE(parsed);
  REQUIRE(parsed->updates.size() == 3);
  REQUIRE(parsed->updates[0].message);
  const TelegramMessage& m = *parsed->updates[0].message;
  CHECK(m.message_id == "501");
  CHECK(m.chat_id == "-100123");
  CHECK(m.chat_username == "team");
  CHECK(m.from_id == "1001");
  CHECK(m.from_username == "anna");
  CHECK_FALSE(m.from_bot);
  CHECK(m.text == "Здравствуйте! Деньги вернём до 12 декабря.");
  CHECK(m.reply_to_id == "77");
  CHECK(m.reply_to_from == "123456");
  CHECK(m.reply_to_buttons == std::vector<std::string>{"otk1:take:42", "otk1:reply:42"});
  // Messages that reply to nothing, or have no text, are not answers.
  CHECK_FALSE(parsed->updates[1].message);
  CHECK_FALSE(parsed->updates[2].message);

  CHECK(replied_review(m, "123456")->mention_id == 42);
  CHECK_FALSE(replied_review(m, "123456")->edit);
  CHECK_FALSE(replied_review(m, "999"));  // a reply to another bot's (or a person's) message
  TelegramMessage edit = m;
  edit.reply_to_buttons = {"otk1:edit:42"};
  CHECK(replied_review(edit, "123456")->edit);
  TelegramMessage cases_only = m;
  cases_only.reply_to_buttons = {"otk1:reopen:9"};
  CHECK(replied_review(cases_only, "123456")->mention_id == 9);
  TelegramMessage heading = m;
  heading.reply_to_buttons.clear();
  heading.reply_to_text = draft_heading(13, "Ozon", reply_words_for("ru")) + "\nчерновик";
  CHECK(replied_review(heading, "123456")->mention_id == 13);
  heading.reply_to_text = "обычный текст без номера";
  CHECK_FALSE(replied_review(heading, "123456"));
}

TEST_CASE("the Slack reply modal carries its state, and its submission is read back", "[channels][replies][slack]") {
  const ReplyModalState state{"team-slack", 42, true, "https://hooks.slack.com/actions/T1/2/abc"};
  CHECK(decode_modal_state(encode_modal_state(state)) == state);
  CHECK_FALSE(decode_modal_state("{}"));
  CHECK_FALSE(decode_modal_state(R"({"c":"x","m":0,"e":false,"u":""})"));
  CHECK_FALSE(decode_modal_state("not json"));

  DraftReply draft;
  draft.heading = "Черновик ответа · отзыв #42 · Wildberries";
  draft.draft = std::string(4000, 'x');
  const auto body = boost::json::parse(build_reply_modal("13345224609.738474920.8088930838d88f008e0", draft, state, 1000, "ru"));
  CHECK(body.at("trigger_id") == "13345224609.738474920.8088930838d88f008e0");
  const auto& view = body.at("view").as_object();
  CHECK(view.at("type") == "modal");
  CHECK(view.at("callback_id").as_string() == kReplyModal);
  CHECK(decode_modal_state(view.at("private_metadata").as_string()) == state);
  CHECK(view.at("title").at("text").as_string().size() <= 24 * 2);  // 24 characters, Cyrillic takes two bytes
  const auto& input = view.at("blocks").as_array()[1].as_object();
  CHECK(input.at("block_id").as_string() == kReplyBlock);
  CHECK(input.at("element").at("action_id").as_string() == kReplyInput);
  CHECK(input.at("element").at("max_length") == 1000);
  CHECK(input.at("element").at("initial_value").as_string().size() == 1000);

  const std::string submission = boost::json::serialize(boost::json::object{
      {"type", "view_submission"},
      {"team", {{"id", "T1"}}},
      {"user", {{"id", "U012AB3CD"}, {"username", "anna"}, {"team_id", "T1"}}},
      {"view",
       {{"id", "V1"},
        {"callback_id", kReplyModal},
        {"private_metadata", encode_modal_state(state)},
        {"state", {{"values", {{kReplyBlock, {{kReplyInput, {{"type", "plain_text_input"}, {"value", "Готовый ответ"}}}}}}}}}}}});
  auto in = parse_slack_interaction(form_body(submission));
  REQUIRE(in);
  CHECK(in->type == "view_submission");
  CHECK(in->user_id == "U012AB3CD");
  CHECK(in->view_callback_id == kReplyModal);
  CHECK(in->view_text == "Готовый ответ");
  CHECK(decode_modal_state(in->view_private_metadata) == state);
}
