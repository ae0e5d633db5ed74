// fill_understanding(): what an alert shows of the understanding — the brand as written, the
// claims numbered, the topics, the response hints, and the author's earlier complaints.
#include "daemon/channels/alert_render.hpp"
#include "daemon/channels/text_util.hpp"
#include "daemon/core/plural.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::channels {
namespace {

bool english(const Strings& s) { return s.locale.substr(0, 2) == "en"; }

const TopicView* find_topic(const std::vector<TopicView>& topics, std::string_view id) {
  for (const auto& t : topics)
    if (t.id == id) return &t;
  return nullptr;
}

std::string topic_name(const std::vector<TopicView>& topics, std::string_view id) {
  const TopicView* t = find_topic(topics, id);
  return one_line(t != nullptr && !t->name.empty() ? std::string_view(t->name) : id);
}

std::string_view state_word(std::string_view state, bool en) {
  if (state == "new") return en ? "not taken" : "не взят";
  if (state == "taken") return en ? "taken" : "взят";
  if (state == "answered") return en ? "answered" : "отвечен";
  if (state == "resolved") return en ? "resolved" : "решён";
  if (state == "dismissed") return en ? "not negative" : "не негатив";
  return {};
}

/// "12.11" / "11-12" in the alert's zone.
std::string short_date(std::int64_t ms, const TimeZone& zone, bool day_first) {
  const TimePoint t{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds{ms})};
  const std::string full = format_local_time(t, zone, day_first);  // "23.11.2026 14:05" / "2026-11-23 14:05"
  if (day_first && full.size() >= 5) return full.substr(0, 5);
  if (!day_first && full.size() >= 10) return full.substr(5, 5);
  return full;
}

/// A source's label, or its name.
std::string_view label_of(const SourceLabels* labels, std::string_view name) {
  if (labels == nullptr) return name;
  const auto it = labels->find(name);
  return it == labels->end() ? name : std::string_view(it->second);
}

}  // namespace

std::string repeat_line(const understanding::RepeatAuthor& r, const Strings& strings, const SourceLabels* labels) {
  const bool en = english(strings);
  std::string sources;
  for (const auto& [name, n] : r.by_source) {
    if (!sources.empty()) sources += ", ";
    const std::string shown = one_line(label_of(labels, name));
    sources += en ? fmt::format("{} on {}", n, shown) : fmt::format("{} на {}", n, shown);
  }
  if (en)
    return fmt::format("\U0001F501 The author's {} negative review in {} {} ({})", ordinal_en(r.negatives), r.window_days,
                       r.window_days == 1 ? "day" : "days", sources);
  return fmt::format("\U0001F501 {}-й негативный отзыв автора за {} {} ({})", r.negatives, r.window_days,
                     plural_ru(r.window_days, "день", "дня", "дней"), sources);
}

void fill_understanding(const understanding::Understanding& u, const std::vector<TopicView>& topics,
                        UnderstandingDisplay show, const TimeZone& zone, const Strings& strings, AlertContent& c,
                        const SourceLabels* labels) {
  const bool en = english(strings);
  if (u.brand && !u.brand->form.empty()) {
    const std::string form = one_line(u.brand->form);
    if (form != c.brand) c.brand_form = form;
  }
  if (show.claims) {
    std::size_t review_points = 0;
    for (const auto& span : c.review) review_points += code_point_length(span.text);
    for (const auto& claim : u.claims) {
      if (c.claims.size() == kMaxClaims) break;
      ClaimLine line{one_line(claim.text, kMaxClaimCodePoints), {}};
      if (line.text.empty()) continue;
      for (const auto& t : claim.topics) line.topics.push_back(topic_name(topics, t));
      c.claims.push_back(std::move(line));
    }
    // A lone claim that is (nearly) the whole review says nothing the review does not.
    if (c.claims.size() == 1 && code_point_length(c.claims[0].text) + 40 >= review_points) c.claims.clear();
  }
  for (const auto& t : u.topics) c.topics.push_back(topic_name(topics, t));
  if (show.hints) {
    for (const auto& id : u.topics) {
      const TopicView* t = find_topic(topics, id);
      if (t == nullptr) continue;
      for (const auto& h : t->hints) {
        if (c.hints.size() == kMaxHints) break;
        std::string hint = one_line(h, kMaxClaimCodePoints);
        if (!hint.empty() && std::find(c.hints.begin(), c.hints.end(), hint) == c.hints.end())
          c.hints.push_back(std::move(hint));
      }
    }
  }
  if (u.repeat && u.repeat->negatives > 1) {
    const understanding::RepeatAuthor& r = *u.repeat;
    c.repeat = repeat_line(r, strings, labels);
    for (const auto& t : r.repeated_topics) c.repeated_topics.push_back(topic_name(topics, t));
    for (const auto& p : r.previous) {
      if (c.earlier.size() == kMaxEarlier) break;
      std::string label = fmt::format("{} \u00B7 {}", short_date(p.published_ms, zone, strings.day_first), one_line(label_of(labels, p.source)));
      if (const auto w = state_word(p.case_state, en); !w.empty()) label += fmt::format(" \u00B7 {}", w);
      c.earlier.push_back({std::move(label), is_web_link(p.url) ? p.url : std::string()});
    }
  }
}

}  // namespace otklik::channels
