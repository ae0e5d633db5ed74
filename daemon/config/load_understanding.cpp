/// [topics], [understanding], [spikes], [source_health]: what Otklik understands of complaints
/// and how it tells the team about unusual volume and broken sources.
#include "daemon/config/checks.hpp"
#include "daemon/config/load_parts.hpp"

#include <algorithm>

namespace otklik::config_detail {
namespace {

/// Topic ids as written in topic files: lower-case ASCII letters, digits and underscores.
bool valid_topic_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

/// A plain number (integer or float) at `key`, at least `min`.
void read_number(TableReader& r, std::string_view key, double& out, double min) {
  const toml::node* n = r.get(key);
  if (n == nullptr) return;
  std::optional<double> v;
  if (auto f = n->value_exact<double>()) v = *f;
  else if (auto i = n->value_exact<std::int64_t>()) v = static_cast<double>(*i);
  if (!v) {
    r.error(key, "expected a number, got " + std::string(type_name(*n)));
    return;
  }
  if (*v < min) {
    r.error(key, "must be at least " + std::to_string(min).substr(0, std::to_string(min).find('.') + 2));
    return;
  }
  out = *v;
}

void read_channels(TableReader& r, const Config& config, std::vector<std::string>& out) {
  if (!r.string_list("channels", out)) return;
  for (const auto& ch : out)
    if (config.find_channel(ch) == nullptr) r.error("channels", "no [[channel]] is named \"" + ch + "\"");
}

}  // namespace

void load_topics(const toml::node& node, TopicsConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "topics", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "topics", line_of(node), ctx.problems);
  r.boolean("builtin", out.builtin);
  std::vector<std::string> files;
  if (r.string_list("files", files)) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      auto p = resolve_path(files[i], ctx.base_dir);
      if (!readable_file(p))
        ctx.problems.error(r.path("files") + "[" + std::to_string(i + 1) + "]", r.line("files"),
                           "cannot read the topic file " + p.string());
      out.files.push_back(p.string());
    }
  }
  if (r.string_list("disable", out.disable))
    for (const auto& id : out.disable)
      if (!valid_topic_id(id))
        r.error("disable", "\"" + id + "\" is not a topic id (lower-case letters, digits and _)");
  if (!out.builtin && out.files.empty())
    r.error("builtin", "is false but no topic files are given: there would be no topics");
  r.report_unknown("[topics]");
}

void load_understanding(const toml::node& node, UnderstandingConfig& out, LoadContext& ctx) {
  const toml::table* t = as_section(node, "understanding", ctx.problems);
  if (t == nullptr) return;
  TableReader r(*t, "understanding", line_of(node), ctx.problems);
  r.boolean("claims", out.claims);
  r.boolean("hints", out.hints);
  r.integer("max_claims", out.max_claims, 1, 30);
  r.duration("repeat_window", out.repeat_window, std::chrono::hours(1));
  if (out.repeat_window > std::chrono::hours(24 * 366))
    r.error("repeat_window", "must be at most a year (366d)");
  r.report_unknown("[understanding]");
}

void load_spikes(const toml::node& node, Config& config, LoadContext& ctx) {
  const toml::table* t = as_section(node, "spikes", ctx.problems);
  if (t == nullptr) return;
  SpikesConfig& out = config.spikes;
  TableReader r(*t, "spikes", line_of(node), ctx.problems);
  r.boolean("enabled", out.enabled);
  r.duration("window", out.window, std::chrono::minutes(10));
  if (out.window > std::chrono::hours(24 * 7)) r.error("window", "must be at most a week (7d)");
  r.integer("baseline_weeks", out.baseline_weeks, 1, 26);
  r.integer("min_count", out.min_count, 2, 100000);
  read_number(r, "min_ratio", out.min_ratio, 1.5);
  r.duration("check_interval", out.check_interval, std::chrono::minutes(1));
  read_channels(r, config, out.channels);
  r.report_unknown("[spikes]");
}

void load_source_health(const toml::node& node, Config& config, LoadContext& ctx) {
  const toml::table* t = as_section(node, "source_health", ctx.problems);
  if (t == nullptr) return;
  SourceHealthConfig& out = config.source_health;
  TableReader r(*t, "source_health", line_of(node), ctx.problems);
  r.integer("empty_polls", out.empty_polls, 0, 1000);
  read_channels(r, config, out.channels);
  r.report_unknown("[source_health]");
}

}  // namespace otklik::config_detail
