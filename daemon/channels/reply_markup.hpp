#pragma once
/// How answering a review shows in a chat (docs/replies.md): the Reply / Edit / Post / Cancel
/// buttons and the data they carry back, the alert's line about the published answer, and the
/// messages of the Telegram reply flow. Pure functions: no clock, no I/O.
///
/// Button data, validated strictly on the way back like the case buttons (case_markup.hpp):
/// Telegram callback_data "otk1:reply:<mention id>", "otk1:edit:<mention id>",
/// "otk1:post:<reply id>", "otk1:cancel:<reply id>"; Slack action_id "otk1_reply" / "otk1_edit"
/// with value "<mention id>".

#include "daemon/channels/case_markup.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/core/time_zone.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::channels {

enum class ReplyButton {
  reply,   ///< start an answer: the draft (mention id)
  edit,    ///< replace the published answer: an explicit action (mention id)
  post,    ///< publish the previewed text (reply id)
  cancel,  ///< drop the preview (reply id)
};

struct ReplyButtonData {
  ReplyButton button = ReplyButton::reply;
  std::int64_t id = 0;
  friend bool operator==(const ReplyButtonData&, const ReplyButtonData&) = default;
};

std::string encode_reply_callback(ReplyButtonData data);
/// Strict inverse: "otk1:", a reply button name, ":", a positive decimal id; at most 64 bytes.
std::optional<ReplyButtonData> decode_reply_callback(std::string_view data) noexcept;
/// Slack: action_id "otk1_reply" / "otk1_edit" (value: the mention id).
std::string slack_reply_action_id(ReplyButton button);
std::optional<ReplyButtonData> decode_slack_reply_action(std::string_view action_id, std::string_view value) noexcept;

/// The words of answering in one language. One constant table per locale.
struct ReplyWords {
  std::string_view locale;
  std::string_view reply, draft, edit, post, cancel, open_review;  ///< button labels
  std::string_view published_on;   ///< "Ответ опубликован на" / "Answer published on"
  std::string_view publishing_on;  ///< "Ответ публикуется на" / "Publishing the answer on"
  std::string_view refused_by;     ///< "{site} не принял ответ:" — "не принял ответ" / "refused the answer:"
  std::string_view draft_heading;  ///< "Черновик ответа" / "Draft answer"
  std::string_view review_no;      ///< "отзыв" / "review"
  std::string_view how_to_post;    ///< the instructions under a draft that can be published
  std::string_view how_on_site;    ///< … under a draft for a site without an answer API
  std::string_view no_rights;      ///< … when the user may not publish
  std::string_view preview_heading;  ///< "Предпросмотр ответа на" / "Preview of the answer on"
  std::string_view characters_of;  ///< "символов из" / "characters of"
  std::string_view posting;        ///< the preview after Post: "⏳ Публикуется"
  std::string_view cancelled;      ///< the preview after Cancel
  std::string_view queued;         ///< the short answer to Post
  std::string_view not_allowed;    ///< the short answer when not on reply_users
  std::string_view already_posted, busy, not_found, failed, gone;
  std::string_view fix_and_resend; ///< after the problems of a text: "Исправьте и ответьте снова"
  std::string_view edit_note;      ///< marks a preview that replaces the published answer
  std::string_view draft_below;    ///< the short answer to Reply: "Черновик — ниже"
  std::string_view not_posted;     ///< heads the problems of a text: "Не опубликовано:"
  std::string_view no_api;         ///< a text sent for a site without an answer API
};

/// The table for `locale`: "en…" gives English, anything else Russian.
const ReplyWords& reply_words_for(std::string_view locale) noexcept;

/// The alert's lines about its answer (plain text, "" when there is none): "✉️ Ответ опубликован
/// на Wildberries — @anna, 14:32" and the text as a quote (cut to `max_text` code points);
/// "⏳ Ответ публикуется на Wildberries — @anna"; "⚠️ Wildberries не принял ответ: reason".
/// Times in `zone`; a time on another day than `reference` (the case's creation) shows the day.
std::string render_reply_status(const ReplyView& view, TimePoint reference, const TimeZone& zone,
                                const CaseWords& case_words, const ReplyWords& words, std::size_t max_text = 500);

/// Which reply button an alert offers (its state and the site): none; reply (publish, or a
/// draft only for a site without an answer API); edit (after an answer was published).
enum class ReplyOffer { none, reply, draft, edit };
ReplyOffer reply_offer(const ReplyView& view, const CaseRecord* record) noexcept;

/// The first line of a draft message ("✍️ Черновик ответа · отзыв #42 · Wildberries"); the
/// review number in it is how a reply to this message finds its review (find_review_number).
std::string draft_heading(std::int64_t mention_id, std::string_view site, const ReplyWords& words);
/// The review number of a draft heading written by draft_heading ("#42" on the first line).
std::optional<std::int64_t> find_review_number(std::string_view message_text) noexcept;

}  // namespace otklik::channels
