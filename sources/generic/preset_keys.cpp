#include "sources/generic/preset_keys.hpp"

#include "sources/generic/option_check.hpp"

#include <algorithm>

namespace otklik {
namespace {

bool has_control_chars(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

void validate_preset_keys(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems,
                          const std::vector<PresetKey>& keys, int max_pages, bool url_replaces_keys) {
  std::string known;
  for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k.name;
  if (max_pages > 0) known += (known.empty() ? "" : ", ") + std::string("max_pages");
  for (const auto& [name, value] : source.options) {
    const std::string key = key_prefix + "." + std::string(name.str());
    const int line = option_line(value, source);
    if (max_pages > 0 && name.str() == "max_pages") {
      const auto* n = value.as_integer();
      if (n == nullptr || n->get() < 1 || n->get() > max_pages)
        problems.error(key, line, "expected an integer from 1 to " + std::to_string(max_pages));
      continue;
    }
    const auto it = std::find_if(keys.begin(), keys.end(), [&](const PresetKey& k) { return k.name == name.str(); });
    if (it == keys.end()) {
      problems.error(key, line,
                     "unknown key for source type \"" + source.type + "\"" +
                         (known.empty() ? std::string(" (it takes only url)") : " (known: " + known + ")"));
      continue;
    }
    const auto* text = value.as_string();
    if (text == nullptr) {
      problems.error(key, line, "expected a string (" + it->description + ")");
      continue;
    }
    if (text->get().empty() || has_control_chars(text->get())) {
      problems.error(key, line, "must be non-empty and without control characters");
      continue;
    }
    if (it->check != nullptr) {
      if (const std::string why = it->check(text->get()); !why.empty()) problems.error(key, line, why);
    }
  }
  if (url_replaces_keys && !source.url.empty()) return;
  for (const auto& k : keys) {
    if (k.required && !source.options.contains(k.name))
      problems.error(key_prefix + "." + k.name, source.line,
                     "is required for source type \"" + source.type + "\" (" + k.description + ")" +
                         (url_replaces_keys ? ", unless url is given" : ""));
  }
}

std::string preset_key(const SourceConfig& source, std::string_view key, std::string_view fallback) {
  if (const auto* n = source.options.get(key); n != nullptr)
    if (const auto* s = n->as_string()) return s->get();
  return std::string(fallback);
}

int preset_max_pages(const SourceConfig& source, int fallback) {
  if (const auto* n = source.options.get("max_pages"); n != nullptr)
    if (const auto* i = n->as_integer()) return static_cast<int>(i->get());
  return fallback;
}

std::string digits_only(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })
             ? std::string()
             : "expected digits only, got \"" + std::string(value) + "\"";
}

std::string no_spaces(std::string_view value) {
  return value.find_first_of(" \t/?#") == std::string_view::npos
             ? std::string()
             : "expected a single name without spaces, '/', '?' or '#', got \"" + std::string(value) + "\"";
}

const Secret* preset_secret(const SourceConfig& source, std::string_view key) {
  for (const auto& [name, secret] : source.secrets)
    if (name == key) return &secret;
  return nullptr;
}

}  // namespace otklik
