#pragma once
/// The search column of mentions (`mentions.search`, a tsvector of search_words.hpp's words, GIN
/// indexed; schema version 8): how a value is written, and filling the rows that have none.
/// Texts are BYTEA, possibly deflated (packed_text.hpp), so SQL cannot compute the words of a
/// stored row: rows written before version 8 (or by an older build still running during an
/// upgrade, or copied by `otklik store copy`) are filled here, in C++, in batches. NULL means "not
/// filled yet"; a partial index of those rows keeps finding them cheap when there are none.

#include "daemon/core/error.hpp"
#include "daemon/store/pg/connection.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::store::pg {

/// The SQL of the search column's value from `words`, an SQL text expression (a parameter such
/// as "$24") holding indexed_words(): space-separated words, taken as lexemes as they are (no
/// parser, no dictionary, no text search configuration).
std::string search_vector_sql(std::string_view words);

/// Fills the search column of up to `batch` rows that have none, oldest id first, inside the
/// caller's transaction; rows another session is filling are skipped. Returns how many it filled.
Result<std::int64_t> fill_search_batch(Connection& conn, int batch);

/// Fills every row that has no search column yet, one transaction per batch (the daemon keeps
/// its other work going between them on other sessions). Returns how many rows it filled.
Result<std::int64_t> fill_missing_search(Connection& conn, int batch = 500);

}  // namespace otklik::store::pg
