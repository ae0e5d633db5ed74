#pragma once
/// Full-text search in the SQLite store: the mentions_fts table (migrations.cpp, version 8) and
/// the MATCH expression of the inbox's search box. The words of a search are cut by the very
/// tokenizer of the table (unicode61, diacritics removed), so that a word is one token of the
/// index: letters and digits, anything else separates; each is then quoted and matched as a
/// prefix, all of them required. Nothing typed reaches FTS5's query syntax (quotes, NEAR, AND, OR,
/// NOT, *, ^, column filters, parentheses are separators or plain words).

#include "daemon/core/error.hpp"
#include "daemon/store/sqlite.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace otklik::store {

/// At most this many words of a search are used (the rest is ignored): a query stays small
/// whatever is pasted into the box.
inline constexpr int kMaxSearchWords = 16;

/// The MATCH expression for `text` ("" when it has no words: no search), e.g. «очеред касс» →
/// `"очеред"* "касс"*`.
Result<std::string> fts_match(sqlite::Database& db, std::string_view text);

/// Adds a mention's title and text to the search table (a new mention, inside the caller's
/// transaction).
Result<void> index_words(sqlite::Database& db, std::int64_t mention_id, std::string_view title, std::string_view text);

/// Removes a mention's words; `title` and `text` must be exactly what was indexed (the table keeps
/// no copy to find them). Inside the caller's transaction.
Result<void> unindex_words(sqlite::Database& db, std::int64_t mention_id, std::string_view title,
                           std::string_view text);

}  // namespace otklik::store
