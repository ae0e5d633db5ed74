#include "daemon/config/config.hpp"

#include <algorithm>

namespace otklik {
namespace {

template <class T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& i) { return i.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const SourceConfig* Config::find_source(std::string_view name) const { return find_named(sources, name); }
const ChannelConfig* Config::find_channel(std::string_view name) const { return find_named(channels, name); }
const BrandConfig* Config::find_brand(std::string_view name) const { return find_named(brands, name); }

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
  }
  return "low";
}

std::optional<Severity> parse_severity(std::string_view s) noexcept {
  if (s == "low") return Severity::low;
  if (s == "medium") return Severity::medium;
  if (s == "high") return Severity::high;
  return std::nullopt;
}

std::map<std::string, std::string, std::less<>> source_labels(const Config& config) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& s : config.sources) out.emplace(s.name, s.label.empty() ? s.name : s.label);
  return out;
}

std::vector<std::string> secret_values(const Config& config) {
  std::vector<std::string> out;
  auto add = [&](const Secret& s) {
    if (!s.empty()) out.push_back(s.value());
  };
  for (const auto& s : config.sources) add(s.api_key);
  for (const auto& c : config.channels) {
    add(c.token);
    add(c.webhook_url);
    add(c.signing_secret);
  }
  add(config.smtp.password);
  return out;
}

}  // namespace otklik
