// Answering a review from the chat, through the real daemon (docs/replies.md): review → alert with
// a Reply button → the draft → the agent's final text as a reply message → preview → Post → the
// fake site receives exactly that text once → the case is answered and the alert edited in place.
// A double Post and a restart post once; a user not on reply_users is refused; the site's 4xx is
// shown under the alert. Slack: the modal with the draft, its submission publishes.

#include "harness.hpp"
#include "web_client.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/web/password_hash.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/sites/fake_google_business.hpp"
#include "tests/support/sites/fake_ozon.hpp"
#include "tests/support/sites/fake_wildberries.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>

using namespace otklik;
using namespace otklik::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kChat = "-1001234567890";
constexpr const char* kLocation = "4081234567890123456";
constexpr const char* kSlackSecret = "8f742231b10e8888abcd99yyyzzz85a5-replies";
const TelegramUser kAnna{111, "anna", "Анна"};
const TelegramUser kBob{222, "bob", "Борис"};

const std::string kComplaint =
    "Ждали заказ 50 минут, а официант нагрубил, когда мы спросили, где наш кофе. Больше не придём.";
const std::string kFinal =
    "Здравствуйте, Марина! Спасибо, что написали. Простите за долгое ожидание и за грубость официанта: "
    "мы разобрали этот вечер с управляющим, официант получил замечание. Напишите нам на care@example.org — "
    "угостим вас кофе.";

/// Google Business Profile with one location and one negative review, and the source's secrets.
struct GoogleSite {
  FakeGoogleBusiness google;
  GoogleSite() {
    google.add_location({kLocation, "Кофейня «Ромашка»", "Тверская, 12", "https://maps.google.com/?cid=1"});
    google.add_review(kLocation, {.review_id = "AbFvOqmX1", .author = "Марина К.", .stars = "ONE",
                                  .comment = kComplaint, .create_time = "2026-12-06T18:05:03Z"});
  }
  void write_secrets(const std::filesystem::path& dir) const {
    const auto& o = google.options();
    for (auto [file, value] : {std::pair{"gbp.client_id", o.client_id}, std::pair{"gbp.client_secret", o.client_secret},
                               std::pair{"gbp.refresh_token", o.refresh_token}}) {
      std::ofstream out(dir / file);
      out << value << "\n";
    }
  }
  [[nodiscard]] std::string source_keys() const {
    return fmt::format(R"(type = "google_business"
account_id = "{}"
url = "{}"
token_url = "{}"
client_id = "file:gbp.client_id"
client_secret = "file:gbp.client_secret"
refresh_token = "file:gbp.refresh_token"
alert_max_age = "87600h")",
                       google.options().account_id, google.url(), google.token_url());
  }
  /// The PUT …/reply requests the site answered 200, in order.
  [[nodiscard]] std::vector<std::string> published() const {
    std::vector<std::string> out;
    for (const auto& a : google.answers())
      if (a.status == 200) out.push_back(std::string(boost::json::parse(a.body).at("comment").as_string()));
    return out;
  }
};

std::string config(const std::string& source_keys, const std::string& channels) {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "ru"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"
read_timeout = "5s"

[lifecycle]
telegram_poll_timeout = "1s"
slack_actions_path = "/hooks/slack"

[[source]]
name = "cafe"
interval = "1s"
{}

{}
)",
                     source_keys, channels);
}

std::string telegram_channel(const FakeTelegram& tg) {
  return fmt::format(R"([[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "{}"
api_url = "{}"
reply_users = ["@anna"]

[[route]]
channel = "support"
min_severity = "low")",
                     tg.token(), kChat, tg.api_url());
}

/// The buttons of a message: label → callback_data (or url).
std::map<std::string, std::string> buttons(const TelegramMessage& m) {
  std::map<std::string, std::string> out;
  if (m.reply_markup.empty()) return out;
  const auto markup = boost::json::parse(m.reply_markup).as_object();
  for (const auto& row : markup.at("inline_keyboard").as_array())
    for (const auto& b : row.as_array()) {
      const auto& o = b.as_object();
      const auto* data = o.if_contains("callback_data");
      const auto* url = o.if_contains("url");
      out[std::string(o.at("text").as_string())] =
          data ? std::string(data->as_string()) : url ? std::string(url->as_string()) : std::string();
    }
  return out;
}

std::optional<TelegramMessage> message_replying_to(const FakeTelegram& tg, std::int64_t id, bool bots = true) {
  std::optional<TelegramMessage> last;
  for (const auto& m : tg.messages())
    if (m.reply_to == id && (!bots || !m.from_user)) last = m;
  return last;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// The flow up to the preview: the alert, Reply by Anna, her final text in reply to the draft.
/// Returns the alert and the preview message.
std::pair<TelegramMessage, TelegramMessage> preview_answer(FakeTelegram& tg, const std::string& text,
                                                          const DaemonHarness* h = nullptr, bool named = true) {
  REQUIRE(wait_until([&] { return !tg.messages().empty(); }, 20s));
  const TelegramMessage alert = tg.messages().front();
  const auto b = buttons(alert);
  REQUIRE(b.count("\u270D\uFE0F Ответить") == 1);
  const std::string reply = b.at("\u270D\uFE0F Ответить");
  CHECK(reply.starts_with("otk1:reply:"));

  tg.inject_callback(alert.message_id, kAnna, reply);
  const bool drafted = wait_until([&] { return message_replying_to(tg, alert.message_id).has_value(); }, 10s);
  if (!drafted && h != nullptr) UNSCOPED_INFO(h->log());
  for (const auto& a : tg.answers()) UNSCOPED_INFO("answer: " << a.text);
  REQUIRE(drafted);
  const TelegramMessage draft = *message_replying_to(tg, alert.message_id);
  INFO(draft.visible_text);
  CHECK(draft.visible_text.find("Черновик ответа \u00B7 отзыв #") != std::string::npos);
  CHECK(draft.text.find("<pre>") != std::string::npos);
  if (named) CHECK(draft.visible_text.find("Марина") != std::string::npos);  // greeted by her first name

  const std::int64_t mine = tg.inject_reply(draft.message_id, kAnna, text);
  REQUIRE(wait_until([&] { return message_replying_to(tg, mine).has_value(); }, 10s));
  return {alert, *message_replying_to(tg, mine)};
}

}  // namespace

TEST_CASE("telegram: draft, final text, preview, Post: the site gets the text once and the alert shows it",
          "[integration][replies][telegram]") {
  GoogleSite site;
  FakeTelegram tg;
  DaemonHarness h;
  site.write_secrets(h.dir());
  h.write_config(config(site.source_keys(), telegram_channel(tg)));
  h.start();

  // A blank left in the text is refused before anything is stored.
  {
    auto [alert, refusal] = preview_answer(tg, "Здравствуйте! Вернём деньги до [[дата возврата]].");
    INFO(refusal.visible_text);
    CHECK(refusal.visible_text.find("Не опубликовано") != std::string::npos);
    CHECK(refusal.visible_text.find("[[дата возврата]]") != std::string::npos);
    CHECK(buttons(refusal).empty());
  }
  const TelegramMessage alert = tg.messages().front();
  const TelegramMessage draft = *message_replying_to(tg, alert.message_id);
  const std::int64_t mine = tg.inject_reply(draft.message_id, kAnna, kFinal);
  REQUIRE(wait_until([&] { return message_replying_to(tg, mine).has_value(); }, 10s));
  const TelegramMessage preview = *message_replying_to(tg, mine);
  INFO(preview.visible_text);
  CHECK(preview.visible_text.find("Предпросмотр ответа на Google") != std::string::npos);
  CHECK(preview.visible_text.find(kFinal) != std::string::npos);
  const auto pb = buttons(preview);
  REQUIRE(pb.count("Опубликовать") == 1);
  REQUIRE(pb.count("Отмена") == 1);
  CHECK(site.published().empty());  // nothing is published before Post

  // Bob is in the chat but not on reply_users: his Post is refused and publishes nothing.
  tg.inject_callback(preview.message_id, kBob, pb.at("Опубликовать"));
  REQUIRE(wait_until([&] { return !tg.answers().empty() && tg.answers().back().text.find("reply_users") != std::string::npos; }, 10s));

  // Anna's Post publishes; a double tap does not publish again.
  tg.inject_callback(preview.message_id, kAnna, pb.at("Опубликовать"));
  tg.inject_callback(preview.message_id, kAnna, pb.at("Опубликовать"));
  REQUIRE(wait_until([&] { return site.published().size() >= 1; }, 15s));
  CHECK(site.published().front() == kFinal);
  CHECK(site.google.reply_of(kLocation, "AbFvOqmX1") == kFinal);
  CHECK(site.google.problems().empty());

  // The alert is edited in place: the answer, who and when; the case answered by Anna.
  REQUIRE(wait_until([&] {
    return tg.messages().front().visible_text.find("Ответ опубликован на Google") != std::string::npos;
  }, 15s));
  const TelegramMessage edited = tg.messages().front();
  INFO(edited.visible_text);
  CHECK(edited.visible_text.find("Ответ опубликован на Google Business Profile \u2014 @anna") != std::string::npos);
  CHECK(edited.visible_text.find("Ответили: @anna") != std::string::npos);
  CHECK(buttons(edited).count("\u270F\uFE0F Изменить ответ") == 1);  // an edit is an explicit action
  CHECK(buttons(edited).count("\u270D\uFE0F Ответить") == 0);
  // The preview lost its buttons.
  REQUIRE(wait_until([&] {
    for (const auto& m : tg.messages())
      if (m.message_id == preview.message_id) return buttons(m).empty();
    return false;
  }, 10s));

  // A restart publishes nothing again, and a late Post on the old preview neither.
  h.stop();
  h.start();
  tg.inject_callback(preview.message_id, kAnna, pb.at("Опубликовать"));
  std::this_thread::sleep_for(3s);
  CHECK(site.published().size() == 1);
  h.stop();
  const std::string log = h.log();
  CHECK(log.find(site.google.options().access_token) == std::string::npos);
  CHECK(log.find(site.google.options().refresh_token) == std::string::npos);
}

TEST_CASE("telegram: a user not on reply_users gets the draft but cannot publish", "[integration][replies][telegram]") {
  GoogleSite site;
  FakeTelegram tg;
  DaemonHarness h;
  site.write_secrets(h.dir());
  h.write_config(config(site.source_keys(), telegram_channel(tg)));
  h.start();
  REQUIRE(wait_until([&] { return !tg.messages().empty(); }, 20s));
  const TelegramMessage alert = tg.messages().front();
  tg.inject_callback(alert.message_id, kBob, buttons(alert).at("\u270D\uFE0F Ответить"));
  REQUIRE(wait_until([&] { return message_replying_to(tg, alert.message_id).has_value(); }, 10s));
  const TelegramMessage draft = *message_replying_to(tg, alert.message_id);
  CHECK(draft.visible_text.find("reply_users") != std::string::npos);  // told why
  const std::int64_t his = tg.inject_reply(draft.message_id, kBob, kFinal);
  REQUIRE(wait_until([&] { return message_replying_to(tg, his).has_value(); }, 10s));
  const TelegramMessage refusal = *message_replying_to(tg, his);
  CHECK(refusal.visible_text.find("reply_users") != std::string::npos);
  CHECK(buttons(refusal).empty());
  std::this_thread::sleep_for(1s);
  CHECK(site.published().empty());
  h.stop();
}

TEST_CASE("telegram: the site's refusal is shown under the alert and not retried", "[integration][replies][telegram]") {
  GoogleSite site;
  FakeTelegram tg;
  DaemonHarness h;
  site.write_secrets(h.dir());
  h.write_config(config(site.source_keys(), telegram_channel(tg)));
  h.start();
  site.google.fail_next_answer_with(404, FakeGoogleBusiness::error_body(404, "NOT_FOUND", "Requested entity was not found."));
  auto [alert, preview] = preview_answer(tg, kFinal, &h);
  tg.inject_callback(preview.message_id, kAnna, buttons(preview).at("Опубликовать"));
  REQUIRE(wait_until([&] {
    return tg.messages().front().visible_text.find("не принял ответ") != std::string::npos;
  }, 15s));
  const TelegramMessage edited = tg.messages().front();
  INFO(edited.visible_text);
  CHECK(edited.visible_text.find("Google Business Profile не принял ответ: ") != std::string::npos);
  CHECK(edited.visible_text.find("Requested entity was not found") != std::string::npos);
  CHECK(edited.visible_text.find("Ответили:") == std::string::npos);  // the case is not answered
  std::this_thread::sleep_for(3s);
  CHECK(site.google.answers().size() == 1);  // a permanent refusal is not retried
  CHECK(site.published().empty());
  h.stop();
}

TEST_CASE("slack: Reply opens the modal with the draft, its submission publishes once", "[integration][replies][slack]") {
  GoogleSite site;
  FakeSlackWebhook slack;
  ::setenv("OTKLIK_IT_REPLIES_SLACK_URL", slack.url().c_str(), 1);
  ::setenv("OTKLIK_IT_REPLIES_SLACK_SECRET", kSlackSecret, 1);
  ::setenv("OTKLIK_IT_REPLIES_SLACK_BOT", FakeSlackWebhook::kBotToken, 1);
  DaemonHarness h;
  site.write_secrets(h.dir());
  h.write_config(config(site.source_keys(), fmt::format(R"([[channel]]
name = "slack"
type = "slack"
webhook_url = "env:OTKLIK_IT_REPLIES_SLACK_URL"
signing_secret = "env:OTKLIK_IT_REPLIES_SLACK_SECRET"
bot_token = "env:OTKLIK_IT_REPLIES_SLACK_BOT"
api_url = "{}"
reply_users = ["U0TEST0001"]

[[route]]
channel = "slack"
min_severity = "low")",
                                                               slack.api_url())));
  h.start();
  REQUIRE(wait_until([&] { return slack.messages().size() >= 1; }, 20s));
  const auto message = boost::json::parse(slack.messages().front()).as_object();
  std::string mention;
  for (const auto& block : message.at("blocks").as_array()) {
    if (block.at("type").as_string() != "actions") continue;
    for (const auto& e : block.at("elements").as_array())
      if (e.at("action_id").as_string() == "otk1_reply") mention = std::string(e.at("value").as_string());
  }
  REQUIRE_FALSE(mention.empty());
  const std::string url = fmt::format("http://127.0.0.1:{}/hooks/slack", h.health_port());

  // Not on reply_users: the draft to that user alone, no modal.
  auto [s1, b1] = post_slack_click(url, kSlackSecret,
                                   slack_click_body({"otk1_reply", mention, "U0TEST0002", "petrov", slack.response_url()}),
                                   unix_now());
  CHECK(s1 == 200);
  REQUIRE(wait_until([&] { return slack.responses().size() >= 1; }, 10s));
  CHECK(slack.responses()[0].find("\"ephemeral\"") != std::string::npos);
  CHECK(slack.views().empty());

  // On the list: the modal opens with the draft.
  auto [s2, b2] = post_slack_click(url, kSlackSecret,
                                   slack_click_body({"otk1_reply", mention, "U0TEST0001", "ivanova", slack.response_url()}),
                                   unix_now());
  CHECK(s2 == 200);
  REQUIRE(wait_until([&] { return slack.views().size() >= 1; }, 10s));
  const std::string view = slack.views().front();
  CHECK(view.find("Марина") != std::string::npos);

  // A text with a blank left: the modal shows the error, nothing is published.
  auto [s3, b3] = post_slack_click(
      url, kSlackSecret, slack_submission_body(view, "otk1_reply_text", "text", "Вернём до [[дата]]."), unix_now());
  CHECK(s3 == 200);
  CHECK(b3.find("\"response_action\":\"errors\"") != std::string::npos);
  // The final text publishes; the same submission again does not publish twice.
  const std::string submit = slack_submission_body(view, "otk1_reply_text", "text", kFinal);
  auto [s4, b4] = post_slack_click(url, kSlackSecret, submit, unix_now());
  CHECK(s4 == 200);
  CHECK(b4.empty());
  REQUIRE(wait_until([&] { return site.published().size() >= 1; }, 15s));
  auto [s5, b5] = post_slack_click(url, kSlackSecret, submit, unix_now());
  CHECK(b5.find("errors") != std::string::npos);  // already posted
  // The alert is replaced through the click's response_url with the published answer.
  REQUIRE(wait_until([&] {
    for (const auto& r : slack.responses())
      if (r.find("Ответ опубликован на Google Business Profile") != std::string::npos) return true;
    return false;
  }, 15s));
  std::this_thread::sleep_for(1s);
  CHECK(site.published() == std::vector<std::string>{kFinal});
  h.stop();
}

namespace {

constexpr const char* kWbToken = "eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYxMjA2djEifQ.wb-seller-token-replies";
constexpr const char* kOzonClient = "836412";
constexpr const char* kOzonKey = "a7d3c2e1-ozon-key-for-replies-0000";

/// The whole Telegram flow on one site: Post, a double Post, a restart; `answers` counts the
/// site's answer calls, `shown` is the answer the site shows now.
void publish_once(DaemonHarness& h, FakeTelegram& tg, const std::function<std::size_t()>& answers,
                  const std::function<std::string()>& shown, const std::string& site, bool named = true) {
  auto [alert, preview] = preview_answer(tg, kFinal, &h, named);
  INFO(preview.visible_text);
  CHECK(preview.visible_text.find("Предпросмотр ответа на " + site) != std::string::npos);
  const std::string post = buttons(preview).at("Опубликовать");
  tg.inject_callback(preview.message_id, kAnna, post);
  tg.inject_callback(preview.message_id, kAnna, post);
  REQUIRE(wait_until([&] { return answers() >= 1; }, 15s));
  REQUIRE(wait_until([&] { return shown() == kFinal; }, 10s));
  REQUIRE(wait_until([&] {
    return tg.messages().front().visible_text.find("Ответ опубликован на " + site) != std::string::npos;
  }, 15s));
  h.stop();
  h.start();
  tg.inject_callback(preview.message_id, kAnna, post);
  std::this_thread::sleep_for(3s);
  CHECK(answers() == 1);
  h.stop();
}

}  // namespace

TEST_CASE("wildberries: an answer to a feedback is published once", "[integration][replies][wildberries]") {
  FakeWildberries wb(kWbToken);
  wb.add_feedback(R"({"id":"Fb7xK2","text":")" + kComplaint + R"(","pros":"","cons":"","productValuation":1,)"
                  R"("createdDate":"2026-12-06T10:00:00Z","userName":"Марина","productDetails":{"nmId":12345678,)"
                  R"("productName":"Кофемолка","supplierArticle":"KM-1","brandName":"Ромашка"},"answer":null,)"
                  R"("photoLinks":null,"video":null,"wasViewed":false,"isAbleSupplierFeedbackValuation":false})");
  FakeTelegram tg;
  DaemonHarness h;
  { std::ofstream(h.dir() / "wb.token") << kWbToken << "\n"; }
  h.write_config(config(fmt::format("type = \"wildberries\"\nurl = \"{}\"\napi_key = \"file:wb.token\"\n"
                                    "alert_max_age = \"87600h\"", wb.base_url()),
                        telegram_channel(tg)));
  h.start();
  auto answers = [&] {
    std::size_t n = 0;
    for (const auto& r : wb.answer_requests()) n += r.path == "/api/v1/feedbacks/answer" ? 1 : 0;
    return n;
  };
  auto shown = [&]() -> std::string {
    auto f = wb.feedback("Fb7xK2");
    if (!f || !f->at("answer").is_object()) return {};
    return std::string(f->at("answer").at("text").as_string());
  };
  publish_once(h, tg, answers, shown, "Wildberries");
}

TEST_CASE("wildberries: the site's 4xx is shown under the alert", "[integration][replies][wildberries]") {
  FakeWildberries wb(kWbToken);
  wb.add_feedback(R"({"id":"Fb7xK3","text":")" + kComplaint + R"(","productValuation":1,)"
                  R"("createdDate":"2026-12-06T10:00:00Z","userName":"Марина","productDetails":{"nmId":12345678,)"
                  R"("productName":"Кофемолка"},"answer":null})");
  wb.fail_next_answer_with(400, R"({"data":null,"error":true,"errorText":"Ответ не прошёл проверку","additionalErrors":null})");
  FakeTelegram tg;
  DaemonHarness h;
  { std::ofstream(h.dir() / "wb.token") << kWbToken << "\n"; }
  h.write_config(config(fmt::format("type = \"wildberries\"\nurl = \"{}\"\napi_key = \"file:wb.token\"\n"
                                    "alert_max_age = \"87600h\"", wb.base_url()),
                        telegram_channel(tg)));
  h.start();
  auto [alert, preview] = preview_answer(tg, kFinal);
  tg.inject_callback(preview.message_id, kAnna, buttons(preview).at("Опубликовать"));
  REQUIRE(wait_until([&] {
    return tg.messages().front().visible_text.find("Wildberries не принял ответ") != std::string::npos;
  }, 15s));
  CHECK(tg.messages().front().visible_text.find("Ответ не прошёл проверку") != std::string::npos);
  std::this_thread::sleep_for(2s);
  CHECK(wb.answer_requests().size() == 1);
  h.stop();
}

TEST_CASE("ozon: an answer to a review is published once", "[integration][replies][ozon]") {
  FakeOzon ozon(kOzonClient, kOzonKey);
  ozon.add_review(R"({"id":"019393a1-5d2e-7b0b-9a2f-3c4d5e6f7a8b","sku":178342951,"rating":1,"text":")" + kComplaint +
                  R"(","published_at":"2026-12-06T10:00:00.000Z","status":"UNPROCESSED","comments_amount":0,)"
                  R"("photos_amount":0,"videos_amount":0,"order_status":"DELIVERED","is_rating_participant":true})");
  FakeTelegram tg;
  DaemonHarness h;
  { std::ofstream(h.dir() / "ozon.key") << kOzonKey << "\n"; }
  h.write_config(config(fmt::format("type = \"ozon\"\nurl = \"{}\"\nclient_id = \"{}\"\napi_key = \"file:ozon.key\"\n"
                                    "alert_max_age = \"87600h\"", ozon.base_url(), kOzonClient),
                        telegram_channel(tg)));
  h.start();
  auto answers = [&] {
    std::size_t n = 0;
    for (const auto& r : ozon.answer_requests()) n += r.path == "/v1/review/comment/create" ? 1 : 0;
    return n;
  };
  auto shown = [&]() -> std::string {
    for (const auto& r : ozon.answer_requests())
      if (r.path == "/v1/review/comment/create")
        return std::string(boost::json::parse(r.body).at("text").as_string());
    return {};
  };
  publish_once(h, tg, answers, shown, "Ozon", false);  // Ozon gives no author's name
}

TEST_CASE("web: the case page's reply box publishes through the same path, for web_users only",
          "[integration][replies][web]") {
  GoogleSite site;
  DaemonHarness h;
  site.write_secrets(h.dir());
  const std::string password = "correct horse battery";
  {
    SystemClockSource clock;
    auto store = SqliteStore::open((h.dir() / "state.db").string(), clock);
    REQUIRE(store);
    auto hash = web::hash_password(password);
    REQUIRE(hash);
    for (const auto& [name, role] : {std::pair{"anna", WebRole::agent}, std::pair{"boris", WebRole::agent}})
      REQUIRE((*store)->add_user(WebUser{name, role, *hash, clock.now(), clock.now()}));
  }
  h.write_config(config(site.source_keys(), R"([[channel]]
name = "console"
type = "console"

[[route]]
channel = "console"
min_severity = "low"

[web]
listen = "127.0.0.1:0"
secure_cookies = false

[replies]
web_users = ["anna"])"));
  h.start();
  WebClient anna(h.web_port());
  REQUIRE(anna.sign_in("anna", password).status == 303);
  std::string page;
  REQUIRE(wait_until([&] {
    page = anna.get("/?label=negative").body;
    return page.find("/case/") != std::string::npos;
  }, 20s));
  const std::string case_path = "/case/" + std::to_string(std::stoll(page.substr(page.find("/case/") + 6)));
  auto view = anna.get(case_path);
  REQUIRE(view.status == 200);
  CHECK(view.body.find("action=\"" + case_path + "/reply\"") != std::string::npos);
  CHECK(view.body.find("Марина") != std::string::npos);  // the draft, greeting her

  // Boris is an agent but not in web_users: no box, and a forged form is refused.
  WebClient boris(h.web_port());
  REQUIRE(boris.sign_in("boris", password).status == 303);
  auto his = boris.get(case_path);
  CHECK(his.body.find(case_path + "/reply") == std::string::npos);
  auto forged = boris.post(case_path + "/reply", {{"csrf", boris.csrf()}, {"text", kFinal}});
  CHECK(forged.status == 303);
  CHECK(forged.header("Location").find("done=not_posted") != std::string::npos);

  // A blank left is refused with its name; the final text is published once.
  auto blank = anna.post(case_path + "/reply", {{"csrf", anna.csrf()}, {"text", "Вернём до [[дата]]."}});
  CHECK(blank.header("Location").find("done=not_posted") != std::string::npos);
  CHECK(anna.get(blank.header("Location")).body.find("[[дата]]") != std::string::npos);
  auto posted = anna.post(case_path + "/reply", {{"csrf", anna.csrf()}, {"text", kFinal}});
  CHECK(posted.header("Location") == case_path + "?done=replied");
  REQUIRE(wait_until([&] { return site.published().size() >= 1; }, 15s));
  auto again = anna.post(case_path + "/reply", {{"csrf", anna.csrf()}, {"text", kFinal}});
  CHECK(again.header("Location").find("done=not_posted") != std::string::npos);
  std::this_thread::sleep_for(1s);
  CHECK(site.published() == std::vector<std::string>{kFinal});
  h.stop();
}
