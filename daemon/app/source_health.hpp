#pragma once
/// Source health: a source whose polls keep yielding nothing, or that serves captcha or ban pages,
/// is reported to the operator once, and once more when it yields items again. The decision is a
/// pure function of the source's state and one poll's outcome; the runner saves the new state and
/// the notices in one transaction (Store::save_source_state with notices), so a restart neither
/// repeats nor loses a report.

#include "daemon/config/config.hpp"
#include "daemon/store/store.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// What one poll did, as health sees it.
struct PollOutcome {
  bool ok = false;              ///< the poll succeeded (fetched and parsed)
  bool not_modified = false;    ///< 304: says nothing about extraction
  std::size_t items = 0;        ///< items the page yielded (before dedup)
  std::string blocked;          ///< the poll failed on a captcha / ban page: what was seen
  std::string rejected;         ///< the poll failed because the API refused the key: its reason
};

enum class HealthChange { none, broken, recovered };

struct HealthStep {
  HealthChange change = HealthChange::none;
  std::string reason;           ///< for broken: "captcha page", "no items in 5 polls in a row"
  bool rejected = false;        ///< broken because the API refused the credentials
};

/// Updates state.empty_polls, broken_since and broken_reason for one poll. `empty_limit` is
/// [source_health].empty_polls (0: empty polls never count as broken).
HealthStep track_health(SourceState& state, const PollOutcome& outcome, int empty_limit, TimePoint now);

/// Where health notices go: [source_health].channels, or every channel but e-mail ones.
std::vector<std::string> health_channels(const Config& config);

/// The notice's payload, JSON {"title", "text"}, in `locale` ("ru" or "en").
std::string health_notice(const SourceConfig& source, const HealthStep& step, const SourceState& state,
                          std::size_t items, std::string_view locale);

/// Everything a runner needs to report health; `channels` empty: health is tracked, not reported.
struct SourceHealthPolicy {
  int empty_polls = 0;
  std::vector<std::string> channels;
  std::string locale = "ru";
};

SourceHealthPolicy make_health_policy(const Config& config);

}  // namespace otklik
