#pragma once
/// The content of one alert or notice, independent of any chat's markup, and its plain-text form.
/// Pure functions of their inputs: no clock, no I/O, no global state. Each channel turns an
/// AlertContent into its own markup (telegram_html.hpp, slack_text.hpp, mattermost_text.hpp).

#include "daemon/channels/case_markup.hpp"
#include "daemon/channels/channel.hpp"
#include "daemon/channels/reply_markup.hpp"
#include "daemon/core/time_zone.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::channels {

/// The words of the alert text in one language. One constant table per locale.
struct Strings {
  std::string_view locale;
  std::string_view negative_review;  ///< heading of an alert
  std::string_view notice;           ///< heading prefix of an operator notice
  std::string_view source;
  std::string_view rating;
  std::string_view author;
  std::string_view date;
  std::string_view sentiment;
  std::string_view severity;
  std::string_view why;
  std::string_view open;             ///< link label
  std::string_view shortened;        ///< note after a trimmed review
  std::string_view no_text;          ///< shown when the review has no text
  std::string_view severity_low, severity_medium, severity_high;
  std::string_view quote_open, quote_close;  ///< around "why" terms
  bool day_first = true;             ///< 23.11.2026 vs 2026-11-23
  // Understanding.
  std::string_view claims;           ///< heading of the numbered claims
  std::string_view topics;           ///< label of the topic list
  std::string_view hints;            ///< heading of the response hints
  std::string_view earlier;          ///< label of the links to the author's earlier mentions
  std::string_view repeated;         ///< "Повторно о" / "Again about": topics raised before
  std::string_view written_as;       ///< brand matched in another form: "в тексте" / "written"
  std::string_view company_reply;    ///< "Ответ компании на сайте" / "The company's reply on the site"
};

/// The table for `locale`: "en…" gives English, anything else Russian (the default).
const Strings& strings_for(std::string_view locale) noexcept;

/// A run of review text; `negative` marks the sentences the scorer found negative.
struct TextSpan {
  std::string text;
  bool negative = false;
  friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

enum class ContentKind { alert, notice };

/// One claim of a complaint as shown: its text and the names of its topics.
struct ClaimLine {
  std::string text;
  std::vector<std::string> topics;
  friend bool operator==(const ClaimLine&, const ClaimLine&) = default;
};

/// A link to one of the author's earlier negative mentions.
struct EarlierLink {
  std::string label;              ///< "12.11 · maps-main · решено"
  std::string url;                ///< "" when the site gave none (the label is shown alone)
  friend bool operator==(const EarlierLink&, const EarlierLink&) = default;
};

/// What an alert says, sanitised (valid UTF-8, no control characters) but not escaped.
struct AlertContent {
  ContentKind kind = ContentKind::alert;
  std::int64_t alert_id = 0;      ///< the outbox row id
  Severity severity = Severity::low;
  std::string brand;
  std::string source;
  std::string author;
  std::string date;               ///< formatted in the configured time zone and locale; "" when unknown
  std::string link;               ///< only http(s) URLs; "" otherwise
  std::string title;
  std::optional<double> stars;    ///< 0..5
  std::vector<TextSpan> review;   ///< the review text, trimmed to kMaxReviewCodePoints
  bool truncated = false;         ///< the review was trimmed
  double score = 0;
  Label label = Label::neutral;
  std::vector<Contribution> why;  ///< at most kMaxWhy, strongest first
  std::string notice_title;       ///< kind notice
  std::string notice_text;        ///< kind notice; not trimmed (Telegram splits it, Slack and
                                  ///< Mattermost cut it at their limits)
  // The alert's case (lifecycle), when it has one.
  std::int64_t mention_id = 0;
  bool has_case = false;
  std::string status;             ///< render_case_status(): "🟡 Взял @ivanova в 14:05"; "" when none
  std::vector<CaseAction> actions;  ///< the buttons its state offers (shown where the channel allows)
  ReplyOffer reply_offer = ReplyOffer::none;  ///< the answer button beside them ([replies])
  // Kinds "escalation" and "follow_up": a line above the alert and the people it names.
  std::string lead;               ///< "⏰ Просрочено: никто не взял · шаг 1 · 45m"; "" for other kinds
  std::vector<std::string> mentions;  ///< "@boss", Slack "<@U012AB3CD>", as configured
  // Understanding (understanding/understanding.hpp), sanitised and trimmed.
  std::string brand_form;         ///< the brand as the text wrote it, when not as configured
  std::vector<ClaimLine> claims;  ///< at most kMaxClaims, numbered in the alert
  std::vector<std::string> topics;  ///< names of the mention's topics
  std::vector<std::string> hints;   ///< response hints of those topics, without repeats
  std::string repeat;             ///< "🔁 3-й негативный отзыв автора за 30 дней (2 — maps, 1 — banki)"
  std::vector<std::string> repeated_topics;  ///< names of topics the author raised before
  std::vector<EarlierLink> earlier;          ///< the author's earlier mentions, newest first
  std::string company_reply;      ///< the company's reply shown on the site, trimmed; "" when none
};

/// At most this many claims, hints and earlier links are shown; claims are cut to
/// kMaxClaimCodePoints characters.
inline constexpr std::size_t kMaxClaims = 10;
inline constexpr std::size_t kMaxClaimCodePoints = 200;
inline constexpr std::size_t kMaxHints = 6;
inline constexpr std::size_t kMaxEarlier = 3;

/// The review text shown in an alert is trimmed to this many characters (code points).
inline constexpr std::size_t kMaxReviewCodePoints = 1500;
/// The company's reply is cut to this many characters: enough to see what was promised.
inline constexpr std::size_t kMaxReplyCodePoints = 500;
/// Titles are cut to this many characters, other one-line fields (brand, source, author, terms)
/// to kMaxFieldCodePoints, so that an alert always fits one Telegram message.
inline constexpr std::size_t kMaxTitleCodePoints = 300;
inline constexpr std::size_t kMaxFieldCodePoints = 120;
/// How many "why" terms an alert shows.
inline constexpr std::size_t kMaxWhy = 5;

/// Builds the content of `request`. A notice whose payload is not the expected JSON shows the
/// payload itself as its text. `zone` gives the local time of the review's date, `strings` its format.
/// With request.case_record set, the status lines and the buttons of the case are filled in.
AlertContent build_alert_content(const DeliveryRequest& request, const TimeZone& zone, const Strings& strings);

/// What an alert shows of the understanding.
struct UnderstandingDisplay {
  bool claims = true;
  bool hints = true;
};

/// Fills the understanding fields of `c` (brand form, claims, topics, hints, repeat author,
/// earlier links) from `u`, naming topics with `topics` (ids not there are shown as is).
/// `c.review` must be filled first: a lone claim that is the whole review is not listed.
/// Source names in the repeat line and the earlier links are shown by `labels` when given.
using SourceLabels = std::map<std::string, std::string, std::less<>>;
void fill_understanding(const understanding::Understanding& u, const std::vector<TopicView>& topics,
                        UnderstandingDisplay show, const TimeZone& zone, const Strings& strings, AlertContent& c,
                        const SourceLabels* labels = nullptr);

/// "🔁 3-й негативный отзыв автора за 30 дней (2 на maps, 1 на banki)" / "🔁 The author's 3rd …".
std::string repeat_line(const understanding::RepeatAuthor& r, const Strings& strings,
                        const SourceLabels* labels = nullptr);

/// Splits `text` into spans at the sentence offsets (bytes into `text`), marking negative
/// sentences; invalid or overlapping offsets are ignored. Trims to `max_code_points`, setting
/// `truncated`. Spans are sanitised UTF-8.
std::vector<TextSpan> mark_sentences(std::string_view text, const std::vector<SentenceScore>& sentences,
                                     std::size_t max_code_points, bool& truncated);

/// Sanitised (chat_safe_text), on one line, at most `max` code points (with "…" when cut).
std::string one_line(std::string_view text, std::size_t max = kMaxFieldCodePoints);

/// "★★☆☆☆ 2/5", "★★★★☆ 3.5/5".
std::string format_stars(double stars);
/// "−0.72" / "+0.10" (with a real minus sign).
std::string format_score(double score);
/// Name of a severity in the table's language.
std::string_view severity_name(Severity s, const Strings& strings) noexcept;
/// Stable ASCII names used in JSON: "low", "medium", "high".
std::string_view severity_key(Severity s) noexcept;
/// "negative", "neutral", "positive".
std::string_view label_key(Label l) noexcept;
/// True for http:// and https:// URLs (the only ones rendered as links).
bool is_web_link(std::string_view url) noexcept;

/// How one chat's markup escapes text and marks it up. Functions take already-escaped text.
struct Markup {
  std::string (*escape)(std::string_view text);
  std::string (*strong)(std::string_view escaped);     ///< bold: negative sentences, headings
  std::string (*emphasis)(std::string_view escaped);   ///< italic: notes
  std::string (*link)(std::string_view url, std::string_view escaped_label);  ///< url is a web link
  /// A configured mention as the chat pings it; null: escaped like text.
  std::string (*mention)(std::string_view configured) = nullptr;
};

/// An alert in one markup, in three parts so that block-based chats (Slack) can place them in
/// blocks of their own: heading and facts, the review, the score and link.
struct RenderedAlert {
  std::string head;
  std::string body;
  std::string points;  ///< claims, topics, response hints, earlier mentions ("" when none)
  std::string foot;
  std::string status;  ///< the case's status lines (escaped), "" when none
  /// The parts joined by blank lines (empty parts left out).
  [[nodiscard]] std::string joined() const;
};

/// Lays out `content` with `markup`: the one layout every chat shares.
RenderedAlert render_alert(const AlertContent& content, const Strings& strings, const Markup& markup);

/// Wraps each non-blank line of `escaped` in `open`/`close`, keeping the whitespace around it
/// outside (Slack and Mattermost emphasis does not span lines or start with a space).
std::string wrap_lines(std::string_view escaped, std::string_view open, std::string_view close);

/// Plain text: no escaping; negative sentences as **…** in place, so the review reads as written.
const Markup& plain_markup() noexcept;

/// The plain-text rendering (console, the webhook's "text").
std::string render_plain_text(const AlertContent& content, const Strings& strings);

}  // namespace otklik::channels
