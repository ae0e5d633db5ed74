#include "daemon/config/config_load.hpp"

#include "daemon/config/load_parts.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace otklik {
namespace {

using namespace config_detail;

/// The sections this loader reads, in the order they must be loaded (each may refer to earlier ones).
constexpr std::array<std::string_view, 20> kSections{
    "daemon", "store", "http", "sentiment", "brand", "source", "channel", "route",
    "calendar", "sla", "quiet_hours", "lifecycle", "smtp", "digest",
    "topics", "understanding", "spikes", "source_health", "web", "replies"};

LoadedConfig finish(Config config, ConfigProblems& problems) {
  LoadedConfig out;
  out.problems = problems.items();
  // Reading order: by line, problems without a line last.
  std::stable_sort(out.problems.begin(), out.problems.end(), [](const ConfigProblem& a, const ConfigProblem& b) {
    auto key = [](const ConfigProblem& p) { return p.line == 0 ? std::numeric_limits<int>::max() : p.line; };
    return key(a) < key(b);
  });
  if (!problems.has_errors()) out.config = std::move(config);
  return out;
}

LoadedConfig load_document(toml::table& doc, Config config, const std::filesystem::path& base_dir,
                           const SourceCatalog* catalog) {
  ConfigProblems problems;
  LoadContext ctx{base_dir, catalog, problems};

  for (auto& [key, node] : doc) {
    std::string_view k = key.str();
    if (std::find(kSections.begin(), kSections.end(), k) != kSections.end()) continue;
    std::string message = "unknown top-level key";
    std::vector<std::string> known(kSections.begin(), kSections.end());
    if (auto hint = nearest_key(k, known); !hint.empty()) message += " (did you mean \"" + hint + "\"?)";
    int line = line_of(node) != 0 ? line_of(node) : static_cast<int>(key.source().begin.line);
    problems.error(std::string(k), line, std::move(message));
  }

  for (std::string_view section : kSections) {
    toml::node* node = doc.get(section);
    if (node == nullptr) continue;
    if (section == "daemon") load_daemon(*node, config.daemon, ctx);
    else if (section == "store") load_store(*node, config.store, ctx);
    else if (section == "http") load_http(*node, config.http, ctx);
    else if (section == "sentiment") load_sentiment(*node, config.sentiment, ctx);
    else if (section == "brand") load_brands(*node, config, ctx);
    else if (section == "source") load_sources(*node, config, ctx);
    else if (section == "channel") load_channels(*node, config, ctx);
    else if (section == "route") load_routes(*node, config, ctx);
    else if (section == "calendar") load_calendar(*node, config.calendar, ctx);
    else if (section == "sla") load_sla(*node, config, ctx);
    else if (section == "quiet_hours") load_quiet_hours(*node, config.quiet_hours, ctx);
    else if (section == "lifecycle") load_lifecycle(*node, config.lifecycle, ctx);
    else if (section == "smtp") load_smtp(*node, config.smtp, ctx);
    else if (section == "digest") load_digest(*node, config, ctx);
    else if (section == "topics") load_topics(*node, config.topics, ctx);
    else if (section == "understanding") load_understanding(*node, config.understanding, ctx);
    else if (section == "spikes") load_spikes(*node, config, ctx);
    else if (section == "source_health") load_source_health(*node, config, ctx);
    else if (section == "web") load_web(*node, config.web, ctx);
    else if (section == "replies") load_replies(*node, config.replies, ctx);
  }
  config.smtp.ca_file = config.http.ca_file;  // one extra CA bundle for every TLS peer
  check_coverage(config, problems);
  check_team_sections(config, doc, problems);
  return finish(std::move(config), problems);
}

LoadedConfig load_parsed(std::string_view text, std::string source_name, Config config,
                         const std::filesystem::path& base_dir, const SourceCatalog* catalog) {
  toml::table doc;
  try {
    doc = source_name.empty() ? toml::parse(text) : toml::parse(text, std::move(source_name));
  } catch (const toml::parse_error& e) {
    ConfigProblems problems;
    problems.error("", static_cast<int>(e.source().begin.line), "TOML syntax error: " + std::string(e.description()));
    return finish(std::move(config), problems);
  }
  return load_document(doc, std::move(config), base_dir, catalog);
}

std::filesystem::path absolute_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(dir.empty() ? std::filesystem::path(".") : dir, ec);
  return (ec ? dir : abs).lexically_normal();
}

}  // namespace

bool ConfigProblems::has_errors() const {
  return std::any_of(items_.begin(), items_.end(), [](const ConfigProblem& p) { return !p.warning; });
}

LoadedConfig load_config(const std::filesystem::path& path, const SourceCatalog* catalog) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  Config config;
  config.path = (ec ? path : abs).lexically_normal();
  std::ostringstream text;
  std::ifstream in(path, std::ios::binary);
  bool readable = in && !std::filesystem::is_directory(path, ec);
  if (readable) readable = static_cast<bool>(text << in.rdbuf()) || in.peek() == EOF;
  if (!readable) {
    ConfigProblems problems;
    problems.error("", 0, std::string("cannot read the config file: ") + std::strerror(errno));
    return finish(std::move(config), problems);
  }
  auto base_dir = config.path.parent_path();
  return load_parsed(text.str(), path.string(), std::move(config), base_dir, catalog);
}

LoadedConfig load_config_text(std::string_view text, const std::filesystem::path& base_dir,
                              const SourceCatalog* catalog) {
  return load_parsed(text, {}, Config{}, absolute_dir(base_dir), catalog);
}

std::string format_problems(const std::filesystem::path& path, const std::vector<ConfigProblem>& problems) {
  std::string file = path.empty() ? std::string("<config>") : path.string();
  std::string out;
  for (const auto& p : problems) {
    out += file;
    if (p.line > 0) out += ":" + std::to_string(p.line);
    out += ": ";
    if (p.warning) out += "warning: ";
    if (!p.key.empty()) out += p.key + ": ";
    out += p.message;
    out += '\n';
  }
  return out;
}

}  // namespace otklik
