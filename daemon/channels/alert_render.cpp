#include "daemon/channels/alert_render.hpp"

#include "daemon/channels/text_util.hpp"
#include "daemon/core/duration.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace otklik::channels {
namespace {

constexpr Strings kRussian{
    .locale = "ru",
    .negative_review = "Негативный отзыв",
    .notice = "Уведомление",
    .source = "Источник",
    .rating = "Оценка",
    .author = "Автор",
    .date = "Дата",
    .sentiment = "Тональность",
    .severity = "важность",
    .why = "Почему",
    .open = "Открыть отзыв",
    .shortened = "(текст сокращён)",
    .no_text = "(без текста)",
    .severity_low = "низкая",
    .severity_medium = "средняя",
    .severity_high = "высокая",
    .quote_open = "«",
    .quote_close = "»",
    .day_first = true,
    .claims = "Претензии",
    .topics = "Темы",
    .hints = "Что сделать в ответе",
    .earlier = "Ранее",
    .repeated = "Повторное обращение",
    .written_as = "в тексте",
    .company_reply = "Ответ компании на сайте",
};

constexpr Strings kEnglish{
    .locale = "en",
    .negative_review = "Negative review",
    .notice = "Notice",
    .source = "Source",
    .rating = "Rating",
    .author = "Author",
    .date = "Date",
    .sentiment = "Sentiment",
    .severity = "severity",
    .why = "Why",
    .open = "Open the review",
    .shortened = "(text shortened)",
    .no_text = "(no text)",
    .severity_low = "low",
    .severity_medium = "medium",
    .severity_high = "high",
    .quote_open = "\u201C",
    .quote_close = "\u201D",
    .day_first = false,
    .claims = "Claims",
    .topics = "Topics",
    .hints = "When answering",
    .earlier = "Earlier",
    .repeated = "Repeated case",
    .written_as = "written",
    .company_reply = "The company's reply on the site",
};

bool is_continuation(std::string_view text, std::size_t pos) {
  return pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80;
}

std::size_t to_boundary(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  while (is_continuation(text, pos)) ++pos;
  return pos;
}

/// The line above an escalation ({"deadline","step","mention","overdue_s"}) or a follow-up.
void add_lead(const DeliveryRequest& request, AlertContent& c, const CaseWords& words) {
  const std::string& kind = request.item.kind;
  if (kind == "follow_up") {
    c.lead = fmt::format("\U0001F514 {}", words.follow_up);
    return;
  }
  if (kind != "escalation") return;
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(request.item.payload, ec);
  const auto* o = ec ? nullptr : parsed.if_object();
  auto text = [&](std::string_view key) {
    const auto* v = o ? o->if_contains(key) : nullptr;
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  auto number = [&](std::string_view key) -> std::int64_t {
    const auto* v = o ? o->if_contains(key) : nullptr;
    return v && v->is_int64() ? v->get_int64() : 0;
  };
  c.lead = fmt::format("\u23F0 {}: {}", words.overdue, text("deadline") == "resolve" ? words.not_answered : words.not_taken);
  if (const std::int64_t step = number("step"); step > 0) c.lead += fmt::format(" \u00B7 {} {}", words.step, step);
  if (const std::int64_t late = number("overdue_s"); late > 0)
    c.lead += " \u00B7 " + format_duration(std::chrono::seconds{late});
  if (const auto* m = o ? o->if_contains("mention") : nullptr; m && m->is_array()) {
    for (const auto& who : m->get_array()) {
      if (who.is_string() && !who.get_string().empty()) c.mentions.push_back(one_line(who.get_string()));
    }
  }
}

}  // namespace

/// Sanitised, on one line, at most `max` code points (with "…" when cut).
std::string one_line(std::string_view text, std::size_t max) {
  std::string s = chat_safe_text(text);
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  s = std::string(trim(s));
  if (code_point_length(s) > max) {
    s.resize(prefix_within(s, max - 1));
    s += "\u2026";
  }
  return s;
}

const Strings& strings_for(std::string_view locale) noexcept {
  return locale.substr(0, 2) == "en" ? kEnglish : kRussian;
}

std::string_view severity_name(Severity s, const Strings& strings) noexcept {
  switch (s) {
    case Severity::high: return strings.severity_high;
    case Severity::medium: return strings.severity_medium;
    case Severity::low: break;
  }
  return strings.severity_low;
}

std::string_view severity_key(Severity s) noexcept {
  switch (s) {
    case Severity::high: return "high";
    case Severity::medium: return "medium";
    case Severity::low: break;
  }
  return "low";
}

std::string_view label_key(Label l) noexcept {
  switch (l) {
    case Label::negative: return "negative";
    case Label::positive: return "positive";
    case Label::neutral: break;
  }
  return "neutral";
}

bool is_web_link(std::string_view url) noexcept {
  auto starts = [&](std::string_view p) {
    if (url.size() <= p.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    }
    return true;
  };
  if (!starts("http://") && !starts("https://")) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\x7f';
  });
}

std::string format_stars(double stars) {
  const double clamped = std::clamp(stars, 0.0, 5.0);
  const int full = static_cast<int>(std::lround(clamped));
  std::string out;
  for (int i = 0; i < 5; ++i) out += i < full ? "\u2605" : "\u2606";
  const double rounded = std::round(clamped * 10) / 10;
  if (rounded == std::floor(rounded)) return fmt::format("{} {}/5", out, static_cast<int>(rounded));
  return fmt::format("{} {:.1f}/5", out, rounded);
}

std::string format_score(double score) {
  if (!std::isfinite(score)) score = 0;
  const std::string digits = fmt::format("{:.2f}", std::fabs(score));
  if (digits == "0.00") return "0.00";
  return (score < 0 ? "\u2212" : "+") + digits;
}

std::vector<TextSpan> mark_sentences(std::string_view text, const std::vector<SentenceScore>& sentences,
                                     std::size_t max_code_points, bool& truncated) {
  std::vector<SentenceScore> sorted = sentences;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
  std::vector<TextSpan> raw;
  std::size_t pos = 0;
  auto push = [&](std::size_t b, std::size_t e, bool negative) {
    if (e <= b) return;
    if (!raw.empty() && raw.back().negative == negative) raw.back().text.append(text.substr(b, e - b));
    else raw.push_back({std::string(text.substr(b, e - b)), negative});
  };
  for (const auto& s : sorted) {
    if (s.end > text.size()) continue;  // offsets into some other text
    const std::size_t b = to_boundary(text, s.begin);
    const std::size_t e = to_boundary(text, s.end);
    if (b < pos || e <= b) continue;  // overlapping, reversed or out of range
    push(pos, b, false);
    push(b, e, s.label == Label::negative);
    pos = e;
  }
  push(pos, text.size(), false);

  truncated = false;
  std::vector<TextSpan> out;
  std::size_t budget = max_code_points;
  for (auto& span : raw) {
    std::string clean = chat_safe_text(span.text);
    const std::size_t n = code_point_length(clean);
    if (n > budget) {
      clean.resize(prefix_within(clean, budget));
      truncated = true;
    }
    budget -= std::min(budget, code_point_length(clean));
    if (!clean.empty()) out.push_back({std::move(clean), span.negative});
    if (truncated) break;
  }
  // Trailing whitespace of the whole review is noise in a chat message.
  while (!out.empty()) {
    auto& last = out.back().text;
    while (!last.empty() && (last.back() == ' ' || last.back() == '\n' || last.back() == '\t')) last.pop_back();
    if (!last.empty()) break;
    out.pop_back();
  }
  return out;
}

AlertContent build_alert_content(const DeliveryRequest& request, const TimeZone& zone, const Strings& strings) {
  AlertContent c;
  c.alert_id = request.item.id;
  c.severity = request.severity;
  c.brand = one_line(request.brand_display);
  if (request.item.kind == "notice" || !request.mention) {
    c.kind = ContentKind::notice;
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(request.item.payload, ec);
    const auto* obj = ec ? nullptr : parsed.if_object();
    auto field = [&](std::string_view key) -> std::string {
      const auto* v = obj ? obj->if_contains(key) : nullptr;
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    c.notice_title = one_line(field("title"), kMaxTitleCodePoints);
    c.notice_text = obj ? chat_safe_text(field("text")) : chat_safe_text(request.item.payload);
    if (c.notice_title.empty() && c.notice_text.empty()) c.notice_text = chat_safe_text(request.item.payload);
    return c;
  }
  const StoredMention& sm = *request.mention;
  const Mention& m = sm.mention;
  if (c.brand.empty()) c.brand = one_line(m.brand);
  const auto label = request.source_labels.find(m.source);
  // What the review is about when the source covers several things: "Wildberries · shop ·
  // арт. 12345678 · «Куртка зимняя»", "Google · branches · Тверская, 12".
  const std::string& source_label = label != request.source_labels.end() ? label->second : m.source;
  c.source = one_line(m.subject.empty() ? source_label : source_label + " \u00B7 " + m.subject,
                      2 * kMaxFieldCodePoints);
  c.author = one_line(m.author);
  c.title = one_line(m.title, kMaxTitleCodePoints);
  if (is_web_link(m.url)) c.link = m.url;
  if (m.rating) c.stars = std::clamp(*m.rating, 0.0, 5.0);
  if (m.published) c.date = format_local_time(*m.published, zone, strings.day_first);
  // Sentence offsets refer to scored_text(): "title\ntext". The title is shown on its own, so the
  // review is the part after it, with the offsets shifted.
  const std::string scored = scored_text(m);
  const std::size_t skip = m.title.empty() ? 0 : m.text.empty() ? scored.size() : m.title.size() + 1;
  std::vector<SentenceScore> shifted;
  for (const auto& s : sm.sentiment.sentences) {
    if (s.end <= skip || s.end > scored.size()) continue;
    SentenceScore t = s;
    t.begin = std::max(s.begin, skip) - skip;
    t.end = s.end - skip;
    shifted.push_back(t);
  }
  c.review = mark_sentences(std::string_view(scored).substr(skip), shifted, kMaxReviewCodePoints, c.truncated);
  if (!m.company_reply.empty()) {
    const std::string reply = std::string(trim(chat_safe_text(m.company_reply)));
    const std::size_t cut = prefix_within(reply, kMaxReplyCodePoints);
    c.company_reply = reply.substr(0, cut) + (cut < reply.size() ? "\u2026" : "");
  }
  if (request.case_record) {
    CaseView view{*request.case_record, request.take_by, request.resolve_by};
    c.mention_id = request.case_record->mention_id;
    c.has_case = true;
    c.status = render_case_status(view, zone, case_words_for(strings.locale));
    c.actions = case_buttons(view);
    if (request.reply) {
      const std::string answer = render_reply_status(*request.reply, request.case_record->created, zone,
                                                     case_words_for(strings.locale), reply_words_for(strings.locale));
      if (!answer.empty()) c.status += (c.status.empty() ? "" : "\n") + answer;
      c.reply_offer = reply_offer(*request.reply, &*request.case_record);
    }
    // Buttons act on the alert as posted in this chat; escalations and reminders are not that.
    if (request.item.kind != "alert" && request.item.kind != "status") {
      c.actions.clear();
      c.reply_offer = ReplyOffer::none;
    }
  } else {
    c.mention_id = request.item.mention_id;
  }
  add_lead(request, c, case_words_for(strings.locale));
  fill_understanding(sm.understanding, request.topics, {request.show_claims, request.show_hints}, zone, strings, c,
                     &request.source_labels);
  c.score = sm.sentiment.score;
  c.label = sm.sentiment.label;
  for (const auto& w : sm.sentiment.why) {
    if (c.why.size() == kMaxWhy) break;
    std::string term = one_line(w.term);
    if (!term.empty()) c.why.push_back({std::move(term), w.weight});
  }
  return c;
}

}  // namespace otklik::channels
