#include "daemon/core/duration.hpp"

#include <array>
#include <cctype>
#include <limits>

namespace otklik {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ms;
};

constexpr std::array<Unit, 6> kUnits{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60'000},
    {"h", 3'600'000},
    {"d", 86'400'000},
    {"w", 604'800'000},
}};

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::int64_t last_unit = std::numeric_limits<std::int64_t>::max();
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    std::int64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (value > std::numeric_limits<std::int64_t>::max() / 10 - 9) return std::nullopt;
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    std::size_t start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit_name = text.substr(start, i - start);
    const Unit* unit = nullptr;
    for (const auto& u : kUnits)
      if (u.name == unit_name) unit = &u;
    if (unit == nullptr || unit->ms >= last_unit) return std::nullopt;  // no unit, unknown, or out of order
    last_unit = unit->ms;
    if (value > std::numeric_limits<std::int64_t>::max() / unit->ms) return std::nullopt;
    std::int64_t part = value * unit->ms;
    if (total > std::numeric_limits<std::int64_t>::max() - part) return std::nullopt;
    total += part;
  }
  return Duration{total};
}

std::string format_duration(Duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
    if (it->name == "w") continue;  // weeks read oddly in logs; days are clearer
    if (ms >= it->ms) {
      out += std::to_string(ms / it->ms);
      out += it->name;
      ms %= it->ms;
    }
  }
  return out;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t value = 0;
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return std::nullopt;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (value > std::numeric_limits<std::uint64_t>::max() / 10 - 9) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  std::string_view unit = text.substr(i);
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB") mult = 1ull << 10;
  else if (unit == "MiB") mult = 1ull << 20;
  else if (unit == "GiB") mult = 1ull << 30;
  else if (unit == "KB" || unit == "kB") mult = 1000;
  else if (unit == "MB") mult = 1000 * 1000;
  else if (unit == "GB") mult = 1000ull * 1000 * 1000;
  else return std::nullopt;
  if (value > std::numeric_limits<std::uint64_t>::max() / mult) return std::nullopt;
  return value * mult;
}

}  // namespace otklik
