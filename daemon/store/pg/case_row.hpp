#pragma once
/// The one reader of a stored case row on PostgreSQL (the columns of case_columns(), in its
/// order): the cases and reports roles read cases with the same rules as the SQLite store (an
/// unknown state is an error, never a guess).

#include "daemon/core/error.hpp"
#include "daemon/lifecycle/case.hpp"
#include "daemon/store/pg/row.hpp"

namespace otklik::store::pg {

/// The case whose columns start at column `first` of `row`.
Result<CaseRecord> read_case_row(Row& row, int first = 0);

}  // namespace otklik::store::pg
