#include "daemon/app/feedback_command.hpp"

#include "daemon/app/application.hpp"
#include "daemon/config/config_load.hpp"
#include "daemon/core/clock.hpp"
#include "daemon/lifecycle/calendar.hpp"
#include "daemon/app/store_open.hpp"
#include "sources/source.hpp"

namespace otklik {

std::string feedback_line(std::string_view label, std::string_view text) {
  std::string out(label);
  out += '\t';
  bool space = true;  // drops leading spaces
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ') {
      if (!space) out += ' ';
      space = true;
    } else {
      out += c;
      space = false;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += '\n';
  return out;
}

int run_feedback_export(const std::filesystem::path& config_path, const std::optional<std::string>& since,
                        std::ostream& out, std::ostream& err) {
  SourceRegistry registry = SourceRegistry::with_builtin_types();
  auto loaded = load_config(config_path, &registry);
  if (!loaded.problems.empty()) err << format_problems(config_path, loaded.problems);
  if (!loaded.config) return kExitConfig;

  TimePoint from{};
  if (since) {
    auto day = parse_civil_date(*since);
    if (!day) {
      err << "--since: expected a date YYYY-MM-DD, got \"" << *since << "\"\n";
      return kExitUsage;
    }
    from = TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::days{*day})};
  }
  SystemClockSource clock;
  auto store = open_configured_store(*loaded.config, clock);
  if (!store) {
    err << "store " << store_description(*loaded.config) << ": " << store.error().message() << "\n";
    return kExitFailure;
  }
  auto items = store->store->feedback(from);
  if (!items) {
    err << "feedback: " << items.error().message() << "\n";
    return kExitFailure;
  }
  for (const auto& item : *items) out << feedback_line(item.label.empty() ? "neutral" : item.label, item.text);
  err << items->size() << " dismissed mention(s) exported\n";
  return kExitOk;
}

}  // namespace otklik
