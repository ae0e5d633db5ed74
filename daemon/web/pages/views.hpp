#pragma once
/// What the web inbox's pages show, as plain values the routes fill from the store (daemon/web).
/// The pages (pages.hpp) are pure functions of these: no I/O, no clock, no store.

#include "daemon/core/duration.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/store/inbox_store.hpp"
#include "daemon/store/label_store.hpp"
#include "daemon/store/ledger_store.hpp"
#include "daemon/store/mention_store.hpp"
#include "daemon/store/source_state_store.hpp"
#include "daemon/store/user_store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otklik::web {

enum class Locale { ru, en };

/// "ru" → ru, anything else → en.
Locale parse_locale(std::string_view s) noexcept;

/// The header's navigation entries (and which one the page is).
enum class NavItem { none, inbox, sources, overview, digest, users };

/// What every page needs besides its own view.
struct PageContext {
  std::string user;                    ///< signed-in user's name; "" = nobody (login, errors)
  WebRole role = WebRole::viewer;
  std::string csrf;                    ///< the session's CSRF token, put in every POST form
  Locale locale = Locale::ru;
  TimeZone zone;                       ///< the team's zone: every time is shown in it
  NavItem nav = NavItem::none;
  std::string flash;                   ///< a one-line notice above the page ("Case taken"); "" = none
};

/// A value to choose in a filter, with what the user reads ("waiting" → "Ожидание").
struct Choice {
  std::string value;
  std::string label;                   ///< "" = show the value
};

struct InboxView {
  InboxFilter filter;                  ///< the current filter: the form shows these values
  std::vector<InboxRow> rows;          ///< newest first, as the store returns them
  InboxCounts counts;
  /// The query string of the next (older) page, without "?" (the routes build it, cursor
  /// included); "" = this is the last page.
  std::string older_query;
  std::vector<Choice> brands;
  std::vector<Choice> sources;
  std::vector<Choice> topics;          ///< topic ids and names; also used to name row topics
  /// New alerts are inserted live (the newest page without filters); the script opens /events
  /// only when this is set.
  bool live = false;
};

/// The reply box of a case, only where the site has a reply API.
struct ReplyForm {
  std::string draft;                   ///< the pre-filled draft (plain text)
  std::string target;                  ///< where it is posted, shown to the agent ("Google Maps")
};

struct CaseView {
  StoredMention mention;
  std::optional<CaseRecord> record;    ///< none: the mention has no case (no case buttons)
  std::vector<CaseEvent> events;       ///< oldest first
  std::vector<Relabel> relabels;       ///< newest first
  std::vector<AuthorHistoryItem> earlier;  ///< the author's earlier negatives, newest first
  std::vector<Choice> topics;          ///< names of topic ids
  std::optional<ReplyForm> reply;      ///< none: no reply box
};

struct SourceRow {
  SourceState state;
  std::string kind;                    ///< "rss", "html", "yandex_maps"…
  std::string label;                   ///< a human name ("" = the source name alone)
  std::optional<TimePoint> next_poll;
};

struct SourcesView {
  std::vector<SourceRow> rows;         ///< any order: the page shows broken ones first
  bool can_poll = false;               ///< the user may "poll now" (admins)
};

/// The median and 90th percentile of a set of durations (none when the set is empty).
struct DurationFigures {
  std::optional<Duration> median;
  std::optional<Duration> p90;
  std::int64_t count = 0;
};

/// Nearest-rank median and p90 of `values` (any order).
DurationFigures summarise_durations(std::vector<Duration> values);

struct OverviewView {
  /// Negatives per brand/topic/hour for at least the last `days` local days and `weeks` local
  /// weeks (InboxStore::
  /// negatives_by_hour): rows with topic "" give the per-brand bars, the others the topics.
  std::vector<HourCount> hours;
  TimePoint now{};                     ///< the last day shown is the local day of `now`
  int days = 28;                       ///< days of the per-day charts
  int weeks = 8;                       ///< weeks of the per-week chart
  int topic_days = 7;                  ///< days counted for the top topics
  std::vector<Choice> topics;          ///< names of topic ids
  DurationFigures to_take;             ///< created → taken, of cases opened in the period
  DurationFigures to_answer;           ///< created → answered
  Duration take_deadline{};            ///< the [sla] defaults, shown beside the figures
  Duration answer_deadline{};
  std::int64_t open = 0;               ///< cases new or taken
  std::int64_t overdue = 0;            ///< open cases past their take or resolve deadline
};

struct DigestListView {
  std::vector<DigestRow> rows;         ///< newest week first
  bool has_preview = true;             ///< link the preview of the current week
};

enum class LoginError { none, bad_credentials, too_many_attempts, expired };

struct LoginView {
  std::string user;                    ///< the name typed before, kept in the field
  LoginError error = LoginError::none;
  std::string next;                    ///< a local path to return to after sign-in ("" = /)
};

struct UsersView {
  std::vector<WebUser> users;          ///< by name
};

}  // namespace otklik::web
