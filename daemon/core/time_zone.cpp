#include "daemon/core/time_zone.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace otklik {
namespace {

std::int64_t read_be(std::string_view bytes, std::size_t pos, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[pos + i]);
  if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

struct Counts {
  std::size_t isut, isstd, leap, time, type, chars;
};

Counts read_counts(std::string_view bytes, std::size_t header) {
  auto c = [&](int i) { return static_cast<std::size_t>(read_be(bytes, header + 20 + 4 * i, 4)); };
  return {c(0), c(1), c(2), c(3), c(4), c(5)};
}

std::size_t block_size(const Counts& c, std::size_t time_width) {
  return c.time * time_width + c.time + c.type * 6 + c.chars + c.leap * (time_width + 4) + c.isstd + c.isut;
}

}  // namespace

TimeZone TimeZone::fixed(std::string name, std::chrono::seconds offset) {
  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = static_cast<std::int32_t>(offset.count());
  return z;
}

Result<TimeZone> TimeZone::parse(std::string_view name, std::string_view tzif) {
  const Failure bad{errc::parse_failed, fmt::format("time zone {}: not a TZif file", name)};
  if (tzif.size() < 44 || tzif.substr(0, 4) != "TZif") return bad;
  Counts counts = read_counts(tzif, 0);
  std::size_t data = 44;
  std::size_t width = 4;
  if (tzif[4] >= '2') {  // skip the 32-bit block; use the 64-bit one that follows
    const std::size_t second = 44 + block_size(counts, 4);
    if (tzif.size() < second + 44 || tzif.substr(second, 4) != "TZif") return bad;
    counts = read_counts(tzif, second);
    data = second + 44;
    width = 8;
  }
  if (counts.type == 0 || tzif.size() < data + block_size(counts, width)) return bad;
  const std::size_t type_idx = data + counts.time * width;
  const std::size_t ttinfo = type_idx + counts.time;
  auto type_offset = [&](std::size_t t) { return static_cast<std::int32_t>(read_be(tzif, ttinfo + 6 * t, 4)); };

  TimeZone z;
  z.name_ = std::string(name);
  z.initial_offset_ = type_offset(0);  // RFC 8536: type 0 applies before the first transition
  for (std::size_t i = 0; i < counts.time; ++i) {
    const auto type = static_cast<unsigned char>(tzif[type_idx + i]);
    if (type >= counts.type) return bad;
    z.transitions_.push_back(read_be(tzif, data + i * width, width));
    z.offsets_.push_back(type_offset(type));
  }
  return z;
}

Result<TimeZone> TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfo_dir) {
  if (name.empty() || name == "UTC" || name == "Etc/UTC") return fixed("UTC", std::chrono::seconds{0});
  const std::filesystem::path rel{std::string(name)};
  for (const auto& part : rel) {
    if (part == ".." || part == ".") return Failure{errc::invalid_input, fmt::format("time zone {}: bad name", name)};
  }
  if (rel.is_absolute()) return Failure{errc::invalid_input, fmt::format("time zone {}: bad name", name)};
  std::ifstream in(zoneinfo_dir / rel, std::ios::binary);
  if (!in) return Failure{errc::io_error, fmt::format("time zone {}: not found in {}", name, zoneinfo_dir.string())};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse(name, bytes.str());
}

std::chrono::seconds TimeZone::offset_at(TimePoint t) const noexcept {
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int32_t offset = initial_offset_;
  // Few hundred entries at most: a binary search over transitions.
  std::size_t lo = 0;
  std::size_t hi = transitions_.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (transitions_[mid] <= secs) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0) offset = offsets_[lo - 1];
  return std::chrono::seconds{offset};
}

std::string format_local_time(TimePoint t, const TimeZone& zone, bool day_first) {
  using namespace std::chrono;
  const seconds offset = zone.offset_at(t);
  const auto local = floor<seconds>(t) + offset;
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const auto abs_off = offset.count() < 0 ? -offset.count() : offset.count();
  const std::string off = fmt::format("UTC{}{:02}:{:02}", offset.count() < 0 ? '-' : '+', abs_off / 3600,
                                      (abs_off % 3600) / 60);
  const int y = static_cast<int>(ymd.year());
  const unsigned m = static_cast<unsigned>(ymd.month());
  const unsigned d = static_cast<unsigned>(ymd.day());
  if (day_first) {
    return fmt::format("{:02}.{:02}.{} {:02}:{:02} ({})", d, m, y, hms.hours().count(), hms.minutes().count(), off);
  }
  return fmt::format("{}-{:02}-{:02} {:02}:{:02} ({})", y, m, d, hms.hours().count(), hms.minutes().count(), off);
}

}  // namespace otklik
