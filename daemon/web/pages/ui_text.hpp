#pragma once
/// The web inbox's words in Russian and English: one table, looked up by key. Counted words go
/// through plural forms (core/plural.hpp).

#include "daemon/web/pages/views.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::web {

enum class Text {
  // layout
  nav_inbox, nav_sources, nav_overview, nav_digest, nav_users, sign_out, sign_out_all, skip_to_content,
  times_in_zone,
  // login
  login_title, login_user, login_password, login_submit, login_bad_credentials, login_too_many,
  login_expired,
  // labels, states, severities
  label_negative, label_neutral, label_positive, state_new, state_taken, state_answered, state_resolved,
  state_dismissed, state_none, severity_low, severity_medium, severity_high,
  // inbox
  inbox_title, filter_brand, filter_source, filter_label, filter_severity, filter_state, filter_topic,
  filter_rating_min, filter_rating_max, filter_from, filter_to, filter_search, filter_any, filter_apply,
  filter_reset, col_time, col_where, col_rating, col_status, col_mention, no_rows, older, team_says,
  live_connected, live_reconnecting, open_case, no_rating,
  // case
  case_title, author, rating, original, claims, topics, why_title, why_terms, why_sentences,
  score, company_reply, earlier_title, timeline, no_case, no_events, actions, act_take, act_answer,
  act_resolve, act_dismiss, act_reopen, relabel_title, relabel_to_neutral, relabel_to_negative,
  relabel_history, no_relabels, ev_open, ev_escalate, ev_follow_up, ev_unchanged, reply_title,
  reply_to, reply_submit, repeated_topics, scorer_label, team_label, severity_word, anonymous,
  // sources
  sources_title, col_source, col_kind, col_last_success, col_failures, col_reason, col_broken_since,
  col_next_poll, poll_now, never, status_broken, status_failing, status_ok, no_sources,
  // overview
  overview_title, chart_per_day, chart_per_week, chart_topics_per_day, chart_top_topics, to_take, to_answer, median, p90, deadline,
  open_cases, overdue_cases, no_data, all_brands, no_brand, other_brands, over_deadline, cases_counted,
  // digests
  digest_title, col_week, col_recipients, col_state, col_sent_at, col_attempts, digest_preview,
  digest_pending, digest_sent, digest_failed, no_digests,
  // users
  users_title, col_user, col_role, col_created, col_updated, role_viewer, role_agent, role_admin,
  no_users,
  // errors
  error_403, error_404, error_500, error_other, back_to_inbox,
  count_  ///< not a text: the number of keys
};

/// The text of `key` in `locale`.
std::string_view tr(Locale locale, Text key) noexcept;

/// "1 упоминание" / "3 упоминания" / "1 mention" / "5 mentions": `n` grouped, then the word.
std::string count_mentions(Locale locale, std::int64_t n);

/// "3 негативных отзыва за 30 дней" / "3 negative mentions in 30 days": an author's complaints.
std::string repeat_summary(Locale locale, std::int64_t negatives, std::int64_t window_days);

/// Names of values as the pages show them.
std::string_view label_name(Locale locale, Label l) noexcept;
/// "new", "taken"…, "none"; an unknown value comes back as given.
std::string_view state_name(Locale locale, std::string_view state) noexcept;
std::string_view severity_name(Locale locale, std::string_view severity) noexcept;
std::string_view role_name(Locale locale, WebRole r) noexcept;
std::string_view action_name(Locale locale, CaseAction a) noexcept;

}  // namespace otklik::web
