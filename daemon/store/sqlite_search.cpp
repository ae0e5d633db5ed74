#include "daemon/store/sqlite_search.hpp"

#include "daemon/core/utf8.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace otklik::store {
namespace {

/// FTS5's own API of this connection (https://sqlite.org/fts5.html#extending_fts5).
Result<fts5_api*> fts5_of(sqlite::Database& db) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK)
    return db.failure("FTS5 is not available");
  fts5_api* api = nullptr;
  sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (api == nullptr) return Failure(errc::store_failed, "FTS5 is not available");
  return api;
}

struct Words {
  std::vector<std::string> list;
};

int collect_word(void* ctx, int /*flags*/, const char* token, int size, int /*start*/, int /*end*/) {
  auto& words = static_cast<Words*>(ctx)->list;
  if (size <= 0) return SQLITE_OK;
  std::string w(token, static_cast<std::size_t>(size));
  if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(std::move(w));
  return static_cast<int>(words.size()) >= kMaxSearchWords ? SQLITE_DONE : SQLITE_OK;
}

/// The tokens of `text` as the search table's tokenizer cuts and folds them (the arguments must
/// be those of `tokenize` in migrations.cpp, version 8).
Result<std::vector<std::string>> tokens_of(sqlite::Database& db, std::string_view text) {
  auto api = fts5_of(db);
  if (!api) return api.error();
  void* user_data = nullptr;
  fts5_tokenizer tokenizer{};
  if ((*api)->xFindTokenizer(*api, "unicode61", &user_data, &tokenizer) != SQLITE_OK)
    return Failure(errc::store_failed, "the unicode61 tokenizer is not available");
  const char* args[] = {"remove_diacritics", "2"};
  Fts5Tokenizer* tok = nullptr;
  if (tokenizer.xCreate(user_data, args, 2, &tok) != SQLITE_OK)
    return Failure(errc::store_failed, "cannot create the unicode61 tokenizer");
  // Invalid UTF-8 becomes U+FFFD, which the tokenizer treats as a separator.
  const std::string clean = sanitize_utf8(text);
  Words words;
  const int rc = tokenizer.xTokenize(tok, &words, FTS5_TOKENIZE_QUERY, clean.data(), static_cast<int>(clean.size()),
                                     &collect_word);
  tokenizer.xDelete(tok);
  if (rc != SQLITE_OK && rc != SQLITE_DONE) return Failure(errc::store_failed, "cannot cut the search into words");
  return std::move(words.list);
}

}  // namespace

Result<std::string> fts_match(sqlite::Database& db, std::string_view text) {
  auto words = tokens_of(db, text);
  if (!words) return words.error();
  std::string out;
  for (const std::string& w : *words) {
    if (!out.empty()) out += ' ';
    out += '"';
    // A token holds no quote (a quote separates words), but a quoted string would survive one.
    for (char c : w) {
      if (c == '"') out += '"';
      out += c;
    }
    out += "\"*";
  }
  return out;
}

Result<void> index_words(sqlite::Database& db, std::int64_t mention_id, std::string_view title, std::string_view text) {
  auto st = db.cached("INSERT INTO mentions_fts (rowid, title, text) VALUES (?1, ?2, ?3)");
  if (!st) return st.error();
  (*st)->bind(1, mention_id);
  (*st)->bind(2, title);
  (*st)->bind(3, text);
  return (*st)->run();
}

Result<void> unindex_words(sqlite::Database& db, std::int64_t mention_id, std::string_view title,
                           std::string_view text) {
  auto st = db.cached("INSERT INTO mentions_fts (mentions_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)");
  if (!st) return st.error();
  (*st)->bind(1, mention_id);
  (*st)->bind(2, title);
  (*st)->bind(3, text);
  return (*st)->run();
}

}  // namespace otklik::store
