#include "daemon/channels/webhook_payload.hpp"

#include "daemon/channels/text_util.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <cmath>

namespace otklik::channels {
namespace {

std::string_view lang_key(Lang l) {
  switch (l) {
    case Lang::ru: return "ru";
    case Lang::en: return "en";
    case Lang::automatic: return "auto";
    case Lang::other: break;
  }
  return "other";
}

double finite(double v) { return std::isfinite(v) ? v : 0.0; }

boost::json::value optional_time(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return boost::json::value(format_utc_iso(*t));
}

}  // namespace

std::string idempotency_key(std::int64_t outbox_id) { return fmt::format("otklik-{}", outbox_id); }

std::string format_utc_iso(TimePoint t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

std::string build_webhook_payload(const DeliveryRequest& request, const AlertContent& content,
                                  const Strings& strings) {
  namespace json = boost::json;
  const bool notice = content.kind == ContentKind::notice;
  json::object body{
      {"schema", kWebhookSchema},
      {"id", idempotency_key(request.item.id)},
      {"kind", notice ? "notice" : "alert"},
      {"channel", chat_safe_text(request.item.channel)},
      {"created", format_utc_iso(request.item.created)},
      {"severity", severity_key(request.severity)},
      {"brand", content.brand},
      {"locale", strings.locale},
      {"text", render_plain_text(content, strings)},
  };
  if (notice) {
    body["notice"] = json::object{{"title", content.notice_title}, {"text", content.notice_text}};
    return json::serialize(body);
  }
  const StoredMention& sm = *request.mention;
  const Mention& m = sm.mention;
  json::object mention{
      {"id", sm.id},
      {"source", chat_safe_text(m.source)},
      {"source_label", content.source},
      {"external_id", chat_safe_text(m.external_id)},
      {"url", chat_safe_text(m.url)},
      {"author", chat_safe_text(m.author)},
      {"author_id", chat_safe_text(m.author_id)},
      {"title", chat_safe_text(m.title)},
      {"text", chat_safe_text(m.text)},
      {"rating", m.rating ? json::value(finite(*m.rating)) : json::value(nullptr)},
      {"published", optional_time(m.published)},
      {"fetched", format_utc_iso(m.fetched)},
      {"brand", chat_safe_text(m.brand)},
      {"company_reply", chat_safe_text(m.company_reply)},
      {"subject", chat_safe_text(m.subject)},
  };
  json::array why;
  for (const auto& c : sm.sentiment.why) why.push_back(json::object{{"term", chat_safe_text(c.term)}, {"weight", finite(c.weight)}});
  json::array sentences;
  for (const auto& s : sm.sentiment.sentences) {
    sentences.push_back(json::object{{"begin", s.begin}, {"end", s.end}, {"score", finite(s.score)},
                                     {"label", label_key(s.label)}});
  }
  body["mention"] = std::move(mention);
  body["sentiment"] = json::object{
      {"label", label_key(sm.sentiment.label)},
      {"score", finite(sm.sentiment.score)},
      {"confidence", finite(sm.sentiment.confidence)},
      {"lang", lang_key(sm.sentiment.lang)},
      {"why", std::move(why)},
      {"sentences", std::move(sentences)},
  };
  // Understanding: ids for programs, names as the alert shows them.
  const understanding::Understanding& u = sm.understanding;
  json::array claims;
  for (const auto& c : u.claims) {
    json::array ids;
    for (const auto& t : c.topics) ids.emplace_back(chat_safe_text(t));
    claims.push_back(json::object{{"text", chat_safe_text(c.text)}, {"score", finite(c.score)}, {"topics", std::move(ids)}});
  }
  json::array topics;
  for (const auto& t : u.topics) topics.emplace_back(chat_safe_text(t));
  json::object understood{{"claims", std::move(claims)}, {"topics", std::move(topics)}};
  if (u.brand) understood["brand_form"] = chat_safe_text(u.brand->form);
  if (u.repeat) {
    json::array earlier;
    for (const auto& p : u.repeat->previous) earlier.push_back(json::object{{"mention_id", p.mention_id}, {"url", chat_safe_text(p.url)}});
    understood["repeat"] = json::object{{"negatives", u.repeat->negatives},
                                        {"window_days", u.repeat->window_days},
                                        {"earlier", std::move(earlier)}};
  }
  json::array hints;
  for (const auto& h : content.hints) hints.emplace_back(h);
  understood["hints"] = std::move(hints);
  body["understanding"] = std::move(understood);
  return json::serialize(body);
}

}  // namespace otklik::channels
