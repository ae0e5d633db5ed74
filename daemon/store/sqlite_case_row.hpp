#pragma once
/// The one reader of a stored case row (private to the SQLite store): the cases role and the
/// reports role read cases with the same columns and the same rules (an unknown state is an
/// error, never a guess).

#include "daemon/core/error.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/store/sqlite.hpp"

namespace otklik::store {

/// The case columns, in the order read_case_row expects; `prefix` qualifies them ("c." or "").
std::string case_columns(std::string_view prefix);

/// The case whose columns start at column `first` of the current row of `st`.
Result<CaseRecord> read_case_row(const sqlite::Statement& st, int first = 0);

/// Columns read_case_row uses.
inline constexpr int kCaseColumnCount = 25;

}  // namespace otklik::store
