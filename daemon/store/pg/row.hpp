#pragma once
/// Reading one row of a QueryResult without a check per cell: each getter returns a value (empty
/// or 0 on failure) and the first failure is kept; status() says whether every read succeeded.
/// Private to the PostgreSQL store's .cpp files.

#include "daemon/core/error.hpp"
#include "daemon/store/pg/query_result.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace otklik::store::pg {

class Row {
 public:
  Row(const QueryResult& result, int row) noexcept : result_(result), row_(row) {}

  std::string text(int column) { return take(result_.text(row_, column), std::string()); }
  std::int64_t int64(int column) { return take(result_.int64(row_, column), std::int64_t{0}); }
  double real(int column) { return take(result_.real(row_, column), 0.0); }
  /// A BYTEA column's bytes.
  std::string bytes(int column) { return take(result_.bytes(row_, column), std::string()); }
  std::optional<std::int64_t> optional_int64(int column) {
    return take(result_.optional_int64(row_, column), std::optional<std::int64_t>());
  }
  std::optional<double> optional_real(int column) {
    if (null(column)) return std::nullopt;
    return real(column);
  }
  bool null(int column) { return take(result_.is_null(row_, column), true); }

  /// The first failed read, if any.
  [[nodiscard]] Result<void> status() const {
    if (failure_) return *failure_;
    return {};
  }

 private:
  template <class T>
  T take(Result<T> r, T fallback) {
    if (r) return std::move(*r);
    if (!failure_) failure_ = r.error();
    return fallback;
  }

  const QueryResult& result_;
  int row_;
  std::optional<Failure> failure_;
};

}  // namespace otklik::store::pg
