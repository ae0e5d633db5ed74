#include "daemon/config/table_reader.hpp"

#include <algorithm>
#include <cstdio>

namespace otklik::config_detail {

int line_of(const toml::node& node) noexcept { return static_cast<int>(node.source().begin.line); }

std::string_view type_name(const toml::node& node) noexcept {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string quote_key(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

const toml::node* TableReader::get(std::string_view key) {
  if (!known(key)) known_.emplace_back(key);
  return table_.get(key);
}

bool TableReader::known(std::string_view key) const {
  return std::find(known_.begin(), known_.end(), key) != known_.end();
}

std::string TableReader::path(std::string_view key) const {
  if (prefix_.empty()) return std::string(key);
  return prefix_ + "." + std::string(key);
}

int TableReader::line(std::string_view key) const {
  const toml::node* n = table_.get(key);
  int l = n != nullptr ? line_of(*n) : 0;
  return l != 0 ? l : line_;
}

void TableReader::error(std::string_view key, std::string message) {
  problems_.error(path(key), line(key), std::move(message));
}

void TableReader::warn(std::string_view key, std::string message) {
  problems_.warn(path(key), line(key), std::move(message));
}

bool TableReader::string(std::string_view key, std::string& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return false;
  if (const auto* s = n->as_string()) {
    out = s->get();
    return true;
  }
  error(key, "expected a string, got " + std::string(type_name(*n)));
  return false;
}

bool TableReader::string(std::string_view key, std::optional<std::string>& out) {
  std::string value;
  if (!string(key, value)) return false;
  out = std::move(value);
  return true;
}

bool TableReader::required_string(std::string_view key, std::string& out) {
  if (table_.get(key) == nullptr) {
    get(key);
    error(key, "is required");
    return false;
  }
  std::string value;
  if (!string(key, value)) return false;
  if (value.empty()) {
    error(key, "must not be empty");
    return false;
  }
  out = std::move(value);
  return true;
}

bool TableReader::duration(std::string_view key, Duration& out, Duration min) {
  const toml::node* n = get(key);
  if (n == nullptr) return false;
  const auto* s = n->as_string();
  if (s == nullptr) {
    error(key, "expected a duration string like \"90s\", \"5m\" or \"1h30m\", got " + std::string(type_name(*n)));
    return false;
  }
  auto d = parse_duration(s->get());
  if (!d) {
    error(key, "\"" + s->get() + "\" is not a duration; write it like \"250ms\", \"90s\", \"5m\", \"1h30m\", \"2d\"");
    return false;
  }
  if (*d < min) {
    error(key, "must be at least " + format_duration(min) + ", got \"" + s->get() + "\"");
    return false;
  }
  out = *d;
  return true;
}

bool TableReader::size(std::string_view key, std::uint64_t& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return false;
  std::optional<std::uint64_t> v;
  if (const auto* i = n->as_integer()) {
    if (i->get() > 0) v = static_cast<std::uint64_t>(i->get());
  } else if (const auto* s = n->as_string()) {
    v = parse_size(s->get());
  } else {
    error(key, "expected a size like \"8MiB\", got " + std::string(type_name(*n)));
    return false;
  }
  if (!v || *v == 0) {
    error(key, "expected a positive size like \"512KiB\", \"8MiB\" or a number of bytes");
    return false;
  }
  out = *v;
  return true;
}

bool TableReader::integer(std::string_view key, int& out, int min, int max) {
  const toml::node* n = get(key);
  if (n == nullptr) return false;
  const auto* i = n->as_integer();
  if (i == nullptr) {
    error(key, "expected an integer, got " + std::string(type_name(*n)));
    return false;
  }
  if (i->get() < min || i->get() > max) {
    error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                   std::to_string(i->get()));
    return false;
  }
  out = static_cast<int>(i->get());
  return true;
}

bool TableReader::boolean(std::string_view key, bool& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return false;
  const auto* b = n->as_boolean();
  if (b == nullptr) {
    error(key, "expected true or false, got " + std::string(type_name(*n)));
    return false;
  }
  out = b->get();
  return true;
}

bool TableReader::string_list(std::string_view key, std::vector<std::string>& out) {
  const toml::node* n = get(key);
  if (n == nullptr) return false;
  const auto* arr = n->as_array();
  if (arr == nullptr) {
    error(key, "expected an array of strings, got " + std::string(type_name(*n)));
    return false;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::node& item = *arr->get(i);
    std::string item_path = path(key) + "[" + std::to_string(i + 1) + "]";
    int item_line = line_of(item) != 0 ? line_of(item) : line(key);
    const auto* s = item.as_string();
    if (s == nullptr) {
      problems_.error(item_path, item_line, "expected a string, got " + std::string(type_name(item)));
      ok = false;
    } else if (s->get().empty()) {
      problems_.error(item_path, item_line, "must not be empty");
      ok = false;
    } else {
      values.push_back(s->get());
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

std::vector<std::string> TableReader::unread_keys() const {
  std::vector<std::pair<int, std::string>> keys;
  for (const auto& [k, v] : table_) {
    if (!known(k.str())) keys.emplace_back(static_cast<int>(k.source().begin.line), std::string(k.str()));
  }
  std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& k : keys) out.push_back(std::move(k.second));
  return out;
}

void TableReader::report_unknown(std::string_view where) {
  for (const auto& key : unread_keys()) {
    std::string message = "unknown key in " + std::string(where);
    std::string hint = nearest_key(key, known_);
    if (!hint.empty()) message += " (did you mean \"" + hint + "\"?)";
    error(key, std::move(message));
  }
}

std::string nearest_key(std::string_view key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& candidate : known) {
    // Levenshtein distance, two rows.
    std::vector<std::size_t> prev(candidate.size() + 1), cur(candidate.size() + 1);
    for (std::size_t j = 0; j <= candidate.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= key.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= candidate.size(); ++j) {
        std::size_t cost = key[i - 1] == candidate[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      }
      std::swap(prev, cur);
    }
    if (prev[candidate.size()] < best_distance) {
      best_distance = prev[candidate.size()];
      best = candidate;
    }
  }
  return best;
}

}  // namespace otklik::config_detail
