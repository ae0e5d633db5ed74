#pragma once
/// Test support: every view of the web pages filled with one string `s` in every text field, so
/// that a test can render each page with hostile text everywhere.

#include "daemon/web/pages/pages.hpp"
#include "daemon/web/pages/views.hpp"

#include <chrono>
#include <string>

namespace otklik::web::test {

/// 2026-12-06 12:00:00 UTC.
inline TimePoint at_noon() { return TimePoint{std::chrono::seconds{1796558400}}; }

inline PageContext context_with(const std::string& s, WebRole role = WebRole::admin, Locale locale = Locale::ru) {
  PageContext ctx;
  ctx.user = s;
  ctx.role = role;
  ctx.csrf = s;
  ctx.locale = locale;
  ctx.zone = TimeZone::fixed(s, std::chrono::hours(3));
  ctx.flash = s;
  return ctx;
}

inline InboxRow row_with(const std::string& s, std::int64_t id = 7) {
  InboxRow r;
  r.id = id;
  r.source = s;
  r.brand = s;
  r.url = s;
  r.author = s;
  r.title = s;
  r.text = s + "\n" + s;
  r.rating = 1.5;
  r.label = Label::negative;
  r.score = -0.7;
  r.at = at_noon();
  r.case_state = s;
  r.severity = s;
  r.topics = {s, "waiting"};
  r.team_label = Label::neutral;
  return r;
}

inline InboxView inbox_with(const std::string& s) {
  InboxView v;
  v.filter.brands = {s};
  v.filter.sources = {s};
  v.filter.label = Label::negative;
  v.filter.severity = s;
  v.filter.case_state = s;
  v.filter.topic = s;
  v.filter.min_rating = 1;
  v.filter.max_rating = 4.5;
  v.filter.from = at_noon() - std::chrono::hours(72);
  v.filter.to = at_noon();
  v.filter.text = s;
  v.rows = {row_with(s, 7), row_with(s, 6)};
  v.rows[1].case_state.clear();
  v.rows[1].rating.reset();
  v.counts.total = {"", 10000, true};
  v.counts.labels = {{"negative", 10000, true}, {"neutral", 12, false}, {s, 1, false}};
  v.counts.states = {{"new", 3, false}, {"taken", 1, false}};
  v.older_query = s;
  v.brands = {{s, s}, {"rocket", ""}};
  v.sources = {{s, s}};
  v.topics = {{s, s}, {"waiting", "Ожидание"}};
  v.live = true;
  return v;
}

inline CaseView case_with(const std::string& s, CaseState state = CaseState::fresh) {
  CaseView v;
  v.mention.id = 42;
  v.mention.mention.source = s;
  v.mention.mention.external_id = s;
  v.mention.mention.url = s;
  v.mention.mention.author = s;
  v.mention.mention.title = s;
  v.mention.mention.text = s + "\n" + s;
  v.mention.mention.rating = 2;
  v.mention.mention.published = at_noon();
  v.mention.mention.brand = s;
  v.mention.mention.company_reply = s;
  v.mention.first_seen = at_noon();
  v.mention.sentiment.label = Label::negative;
  v.mention.sentiment.score = -0.8;
  const std::string scored = scored_text(v.mention.mention);
  v.mention.sentiment.sentences = {{0, s.size(), -0.9, Label::negative},
                                   {s.size() + 1, scored.size(), -0.2, Label::negative},
                                   {0, scored.size() + 100, -1, Label::negative}};  // out of range: skipped
  v.mention.sentiment.why = {{s, -0.6}, {"хорошо", 0.2}};
  understanding::Claim claim;
  claim.text = s;
  claim.topics = {s};
  v.mention.understanding.claims = {claim};
  v.mention.understanding.topics = {s};
  understanding::RepeatAuthor repeat;
  repeat.negatives = 3;
  repeat.by_source = {{s, 3}};
  repeat.repeated_topics = {s};
  v.mention.understanding.repeat = repeat;
  CaseRecord record;
  record.mention_id = 42;
  record.state = state;
  record.severity = s;
  record.created = at_noon();
  v.record = record;
  v.events = {{"open", {s, s, s}, s, true, at_noon()},
              {"take", {"telegram", "1", s}, "", true, at_noon()},
              {"take", {"web", s, ""}, "", false, at_noon()},
              {"escalate:take:1", {}, "", true, at_noon()},
              {s, {}, s, true, at_noon()}};
  v.relabels = {{42, Label::neutral, {"web", s, s}, at_noon()}};
  v.earlier = {{41, s, s, s, at_noon(), {s}, s}};
  v.topics = {{s, s}};
  v.reply = ReplyForm{s, s};
  return v;
}

inline SourcesView sources_with(const std::string& s) {
  SourcesView v;
  SourceRow ok;
  ok.state.source = "a-ok";
  ok.state.last_success = at_noon();
  ok.kind = "rss";
  SourceRow broken;
  broken.state.source = s;
  broken.state.consecutive_failures = 12345;
  broken.state.last_error = s;
  broken.state.broken_since = at_noon();
  broken.state.broken_reason = s;
  broken.kind = s;
  broken.label = s;
  broken.next_poll = at_noon();
  SourceRow failing;
  failing.state.source = "b-failing";
  failing.state.consecutive_failures = 2;
  failing.state.last_error = s;
  v.rows = {ok, failing, broken};
  v.can_poll = true;
  return v;
}

inline OverviewView overview_with(const std::string& s) {
  OverviewView v;
  v.now = at_noon();
  for (int d = 0; d < 30; ++d) {
    v.hours.push_back({s, "", at_noon() - std::chrono::hours(24 * d), d + 1});
    v.hours.push_back({"rocket", "", at_noon() - std::chrono::hours(24 * d), 2});
    v.hours.push_back({s, s, at_noon() - std::chrono::hours(24 * d), 1});
  }
  v.topics = {{s, s}};
  v.to_take = summarise_durations({std::chrono::minutes(5), std::chrono::minutes(50)});
  v.take_deadline = std::chrono::minutes(30);
  v.answer_deadline = std::chrono::hours(4);
  v.open = 3;
  v.overdue = 1;
  return v;
}

inline DigestListView digests_with(const std::string& s) {
  DigestListView v;
  DigestRow sent;
  sent.week = s;
  sent.recipients = s;
  sent.state = DigestState::sent;
  sent.attempts = 1;
  sent.sent_at = at_noon();
  DigestRow failed;
  failed.week = "2026-W48";
  failed.recipients = s;
  failed.state = DigestState::failed;
  failed.last_error = s;
  v.rows = {sent, failed};
  return v;
}

inline UsersView users_with(const std::string& s) {
  UsersView v;
  v.users = {{s, WebRole::admin, "", at_noon(), at_noon()}, {"anna", WebRole::viewer, "", at_noon(), at_noon()}};
  return v;
}

inline LoginView login_with(const std::string& s) { return {s, LoginError::bad_credentials, s}; }

}  // namespace otklik::web::test
