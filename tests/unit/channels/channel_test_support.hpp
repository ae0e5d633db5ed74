#pragma once
/// Sample requests for the channel tests, written by hand.

#include "daemon/channels/channel.hpp"

#include <chrono>
#include <string>

namespace otklik::test {

/// 2026-11-23 12:30:00 UTC.
inline TimePoint sample_time() {
  using namespace std::chrono;
  return sys_days{year{2026} / November / 23} + hours{12} + minutes{30};
}

/// A negative review: title "Долгое ожидание", two sentences of which the second is negative.
inline DeliveryRequest sample_alert() {
  DeliveryRequest r;
  r.item.id = 42;
  r.item.channel = "team";
  r.item.kind = "alert";
  r.item.mention_id = 7;
  r.item.created = sample_time();
  r.severity = Severity::high;
  r.brand_display = "Кофейня Бобры";
  StoredMention sm;
  sm.id = 7;
  Mention& m = sm.mention;
  m.source = "maps-reviews";
  m.external_id = "r-100";
  m.url = "https://reviews.example/r/100?a=1&b=2";
  m.author = "Ирина <К.>";
  m.title = "Долгое ожидание";
  m.text = "Зашли утром. Ждали кофе сорок минут & никто не извинился.";
  m.rating = 1;
  m.published = sample_time();
  m.fetched = sample_time();
  m.brand = "bobry";
  // Offsets are bytes into scored_text(): title + "\n" + text.
  const std::string scored = m.title + "\n" + m.text;
  const auto first_end = scored.find('.') + 1;
  sm.sentiment.label = Label::negative;
  sm.sentiment.score = -0.72;
  sm.sentiment.confidence = 0.8;
  sm.sentiment.lang = Lang::ru;
  sm.sentiment.sentences = {
      {0, m.title.size(), -0.3, Label::negative},
      {m.title.size() + 1, first_end, 0.0, Label::neutral},
      {first_end + 1, scored.size(), -0.8, Label::negative},
  };
  sm.sentiment.why = {{"никто не извинился", -0.5}, {"ждали", -0.3}};
  r.mention = sm;
  return r;
}

inline DeliveryRequest sample_notice() {
  DeliveryRequest r;
  r.item.id = 43;
  r.item.channel = "team";
  r.item.kind = "notice";
  r.item.created = sample_time();
  r.item.payload = R"({"title":"Source broken","text":"maps-reviews: 5 failures <in a row> & counting"})";
  return r;
}

}  // namespace otklik::test
