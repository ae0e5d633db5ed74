#include "daemon/channels/reply_markup.hpp"

#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/text_util.hpp"

#include <fmt/format.h>

namespace otklik::channels {
namespace {

constexpr std::string_view kPrefix = "otk1:";
constexpr std::string_view kSlackPrefix = "otk1_";

constexpr ReplyWords kRussian{
    .locale = "ru",
    .reply = "\u270D\uFE0F Ответить",
    .draft = "\u270D\uFE0F Черновик",
    .edit = "\u270F\uFE0F Изменить ответ",
    .post = "Опубликовать",
    .cancel = "Отмена",
    .open_review = "Открыть отзыв \u2197",
    .published_on = "Ответ опубликован на",
    .publishing_on = "Ответ публикуется на",
    .refused_by = "не принял ответ:",
    .draft_heading = "Черновик ответа",
    .review_no = "отзыв",
    .how_to_post = "Ответьте на это сообщение итоговым текстом (заполните места в [[скобках]]): бот покажет, как "
                   "ответ будет выглядеть, и предложит его опубликовать.",
    .how_on_site = "У этого сайта нет API для ответов: ответьте на самом сайте по ссылке. Алерт закроется, когда "
                   "ответ появится на сайте, или кнопкой «Ответили».",
    .no_rights = "Публиковать ответы из этого чата могут только сотрудники из списка reply_users: скопируйте "
                 "черновик и передайте его им.",
    .preview_heading = "Предпросмотр ответа на",
    .characters_of = "символов из",
    .posting = "\u23F3 Публикуется",
    .cancelled = "Отменено: ответ не опубликован.",
    .queued = "Ответ отправлен на публикацию",
    .not_allowed = "Публиковать ответы могут только сотрудники из списка reply_users этого чата",
    .already_posted = "Ответ на этот отзыв уже опубликован: чтобы заменить его, нажмите «Изменить ответ»",
    .busy = "Другой ответ на этот отзыв уже публикуется",
    .not_found = "Этот отзыв или ответ не найден",
    .failed = "Не получилось, попробуйте ещё раз",
    .gone = "Этот предпросмотр уже не действует",
    .fix_and_resend = "Исправьте текст и ответьте на сообщение снова.",
    .edit_note = "Заменит опубликованный ответ.",
    .draft_below = "Черновик — ниже",
    .not_posted = "Не опубликовано:",
    .no_api = "У этого сайта нет API для ответов: опубликуйте ответ на самом сайте.",
};

constexpr ReplyWords kEnglish{
    .locale = "en",
    .reply = "\u270D\uFE0F Reply",
    .draft = "\u270D\uFE0F Draft",
    .edit = "\u270F\uFE0F Edit answer",
    .post = "Post",
    .cancel = "Cancel",
    .open_review = "Open the review \u2197",
    .published_on = "Answer published on",
    .publishing_on = "Publishing the answer on",
    .refused_by = "refused the answer:",
    .draft_heading = "Draft answer",
    .review_no = "review",
    .how_to_post = "Reply to this message with the final text (fill in the [[brackets]]): the bot shows how the "
                   "answer will look and offers to post it.",
    .how_on_site = "This site has no API for answers: answer on the site itself. The alert closes when the answer "
                   "appears there, or with the Answered button.",
    .no_rights = "Only the people on this chat's reply_users list may post answers: copy the draft and pass it on.",
    .preview_heading = "Preview of the answer on",
    .characters_of = "characters of",
    .posting = "\u23F3 Posting",
    .cancelled = "Cancelled: the answer was not posted.",
    .queued = "The answer is being posted",
    .not_allowed = "Only the people on this chat's reply_users list may post answers",
    .already_posted = "An answer to this review is already posted: use Edit answer to replace it",
    .busy = "Another answer to this review is being posted",
    .not_found = "This review or answer is not known",
    .failed = "That did not work, please try again",
    .gone = "This preview is no longer valid",
    .fix_and_resend = "Fix the text and reply to the message again.",
    .edit_note = "Replaces the published answer.",
    .draft_below = "The draft is below",
    .not_posted = "Not posted:",
    .no_api = "This site has no API for answers: post the answer on the site itself.",
};

std::optional<ReplyButton> parse_button(std::string_view name) noexcept {
  if (name == "reply") return ReplyButton::reply;
  if (name == "edit") return ReplyButton::edit;
  if (name == "post") return ReplyButton::post;
  if (name == "cancel") return ReplyButton::cancel;
  return std::nullopt;
}

std::string_view button_name(ReplyButton b) noexcept {
  switch (b) {
    case ReplyButton::reply: return "reply";
    case ReplyButton::edit: return "edit";
    case ReplyButton::post: return "post";
    case ReplyButton::cancel: return "cancel";
  }
  return "reply";
}

std::string who(const Actor& a) { return !a.name.empty() ? a.name : a.id; }

}  // namespace

std::string encode_reply_callback(ReplyButtonData data) {
  return fmt::format("{}{}:{}", kPrefix, button_name(data.button), data.id);
}

std::optional<ReplyButtonData> decode_reply_callback(std::string_view data) noexcept {
  if (data.size() > kMaxCallbackData || !data.starts_with(kPrefix)) return std::nullopt;
  data.remove_prefix(kPrefix.size());
  const auto colon = data.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto button = parse_button(data.substr(0, colon));
  const auto id = parse_button_id(data.substr(colon + 1));
  if (!button || !id) return std::nullopt;
  return ReplyButtonData{*button, *id};
}

std::string slack_reply_action_id(ReplyButton button) { return fmt::format("{}{}", kSlackPrefix, button_name(button)); }

std::optional<ReplyButtonData> decode_slack_reply_action(std::string_view action_id, std::string_view value) noexcept {
  if (!action_id.starts_with(kSlackPrefix)) return std::nullopt;
  const auto button = parse_button(action_id.substr(kSlackPrefix.size()));
  // Only the buttons on an alert come back through Slack's block actions; Post is the modal's
  // submit button.
  if (!button || (*button != ReplyButton::reply && *button != ReplyButton::edit)) return std::nullopt;
  const auto id = parse_button_id(value);
  if (!id) return std::nullopt;
  return ReplyButtonData{*button, *id};
}

const ReplyWords& reply_words_for(std::string_view locale) noexcept {
  return locale.substr(0, 2) == "en" ? kEnglish : kRussian;
}

std::string render_reply_status(const ReplyView& view, TimePoint reference, const TimeZone& zone,
                                const CaseWords& case_words, const ReplyWords& words, std::size_t max_text) {
  if (!view.latest) return {};
  const ReplyRecord& r = *view.latest;
  const std::string site = one_line(view.site.empty() ? r.source : view.site);
  const std::string name = r.automatic ? std::string() : one_line(who(r.actor));
  switch (r.state) {
    case ReplyState::posted: {
      std::string line = fmt::format("\u2709\uFE0F {} {}", words.published_on, site);
      std::string tail;
      if (!name.empty()) tail = name;
      if (r.posted_at) tail += (tail.empty() ? "" : ", ") + format_mark_time(*r.posted_at, reference, zone, case_words);
      if (!tail.empty()) line += " \u2014 " + tail;
      const std::string text = chat_safe_text(trim(r.text));
      if (!text.empty()) {
        const std::size_t keep = prefix_within(text, max_text);
        line += "\n\u00AB" + text.substr(0, keep) + (keep < text.size() ? "\u2026" : "") + "\u00BB";
      }
      return line;
    }
    case ReplyState::queued:
      return name.empty() ? fmt::format("\u23F3 {} {}", words.publishing_on, site)
                          : fmt::format("\u23F3 {} {} \u2014 {}", words.publishing_on, site, name);
    case ReplyState::failed:
      return fmt::format("\u26A0\uFE0F {} {} {}", site, words.refused_by, one_line(r.error, 300));
    case ReplyState::preview:
    case ReplyState::cancelled: break;
  }
  return {};
}

ReplyOffer reply_offer(const ReplyView& view, const CaseRecord* record) noexcept {
  if (record && record->state == CaseState::dismissed) return ReplyOffer::none;
  if (!view.publish) return ReplyOffer::draft;
  if (view.latest && view.latest->state == ReplyState::posted) return ReplyOffer::edit;
  return ReplyOffer::reply;
}

std::string draft_heading(std::int64_t mention_id, std::string_view site, const ReplyWords& words) {
  std::string out = fmt::format("\u270D\uFE0F {} \u00B7 {} #{}", words.draft_heading, words.review_no, mention_id);
  if (!site.empty()) out += " \u00B7 " + one_line(site);
  return out;
}

std::optional<std::int64_t> find_review_number(std::string_view message_text) noexcept {
  const std::string_view first = message_text.substr(0, message_text.find('\n'));
  const auto hash = first.find('#');
  if (hash == std::string_view::npos) return std::nullopt;
  std::size_t end = hash + 1;
  while (end < first.size() && first[end] >= '0' && first[end] <= '9') ++end;
  return parse_button_id(first.substr(hash + 1, end - hash - 1));
}

}  // namespace otklik::channels
