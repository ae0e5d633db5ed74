#pragma once
/// Helpers private to the SQLite store's .cpp files (not part of its interface).

#include "daemon/core/mention.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

/// Evaluates a Result-returning expression and returns its failure from the enclosing function;
/// on success moves the value into a new variable `var`.
#define OTKLIK_STORE_TRY(var, expr)                   \
  auto var##_result_ = (expr);                        \
  if (!var##_result_) return var##_result_.error();   \
  auto var = std::move(*var##_result_)

/// Evaluates a Result<void>-returning expression and returns its failure from the enclosing function.
#define OTKLIK_STORE_CHECK(expr)                           \
  do {                                                     \
    if (auto otklik_r_ = (expr); !otklik_r_) return otklik_r_.error(); \
  } while (false)

namespace otklik::store {

/// A time as stored: milliseconds since the Unix epoch, floored.
inline std::int64_t to_ms(TimePoint t) noexcept {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline TimePoint from_ms(std::int64_t ms) noexcept {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds{ms})};
}

inline std::optional<std::int64_t> to_ms(const std::optional<TimePoint>& t) noexcept {
  if (!t) return std::nullopt;
  return to_ms(*t);
}

inline std::optional<TimePoint> from_ms(const std::optional<std::int64_t>& ms) noexcept {
  if (!ms) return std::nullopt;
  return from_ms(*ms);
}

}  // namespace otklik::store
