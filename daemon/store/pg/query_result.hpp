#pragma once
/// The rows of one finished query (a PGresult, freed on destruction). Rows and columns are
/// 0-based. Every getter checks what it reads and returns a Failure rather than throwing: a row or
/// column out of range, NULL where a value is required, text that is not the asked type.

#include "daemon/core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct pg_result;

namespace otklik::store::pg {

class QueryResult {
 public:
  explicit QueryResult(pg_result* res) noexcept : res_(res) {}
  QueryResult(QueryResult&& other) noexcept;
  QueryResult& operator=(QueryResult&& other) noexcept;
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult();

  [[nodiscard]] int rows() const noexcept;
  [[nodiscard]] pg_result* handle() const noexcept { return res_; }
  [[nodiscard]] int columns() const noexcept;
  /// Rows an INSERT, UPDATE or DELETE touched (0 for other commands).
  [[nodiscard]] std::int64_t affected() const noexcept;

  [[nodiscard]] Result<bool> is_null(int row, int column) const;
  /// A column's text (TEXT, VARCHAR… or any type in its text form).
  [[nodiscard]] Result<std::string> text(int row, int column) const;
  [[nodiscard]] Result<std::int64_t> int64(int row, int column) const;
  [[nodiscard]] Result<double> real(int row, int column) const;
  [[nodiscard]] Result<bool> boolean(int row, int column) const;
  /// A BYTEA column's bytes.
  [[nodiscard]] Result<std::string> bytes(int row, int column) const;
  /// The value, or nullopt for NULL.
  [[nodiscard]] Result<std::optional<std::string>> optional_text(int row, int column) const;
  [[nodiscard]] Result<std::optional<std::int64_t>> optional_int64(int row, int column) const;

 private:
  /// The raw text of a non-NULL cell, or why there is none.
  [[nodiscard]] Result<std::string_view> cell(int row, int column) const;

  pg_result* res_ = nullptr;
};

}  // namespace otklik::store::pg
