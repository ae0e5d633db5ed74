#pragma once
/// Helpers private to the stores' .cpp files (not part of their interface).

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/store/mention_store.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

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

/// ingest_batch's rule on each backend: `all(false)` runs the batch without a savepoint per item
/// (items almost never fail alone, and savepoints cost SQLite a copy of every page an item first
/// touches, PostgreSQL two round trips an item); if an item failed, the transaction is gone and
/// `all(true)` runs the batch again with one savepoint per item, so that only the failing items
/// are lost. A lost lease ends it (nothing of the batch may be written).
template <class All>
auto fast_then_isolated(All all) -> decltype(all(false)) {
  auto fast = all(false);
  if (fast || fast.error().code == make_error_code(errc::lease_lost)) return fast;
  return all(true);
}

/// The results of a batch that stored a new mention: added to the stored-mentions count once, at
/// the batch's end (on PostgreSQL that row stays locked until the commit, and the sessions of a
/// pool would otherwise wait for each other's whole batch).
inline std::int64_t inserted_in(const std::vector<Result<IngestResult>>& results) {
  std::int64_t n = 0;
  for (const auto& r : results)
    if (r && r->outcome == IngestOutcome::inserted) ++n;
  return n;
}

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
