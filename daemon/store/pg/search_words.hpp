#pragma once
/// The words of the inbox's full-text search in PostgreSQL: how a mention's title and text become
/// the lexemes of `mentions.search` (a tsvector) and how a search box becomes a tsquery. Both
/// sides are cut and folded here, in C++, the same way, so that neither depends on the database's
/// ctype (PostgreSQL's own parser and lower() know no Cyrillic under a C locale) or its text search
/// configurations: the column is built with array_to_tsvector() from these words as they are, and
/// a search matches them byte for byte.
///
/// A word is a run of letters, digits and marks (Unicode L*, N*, M*, Co); anything else separates
/// words, invalid UTF-8 included. Letters are lowercased and Latin letters lose their diacritics
/// ("Café" → "cafe"), combining diacritics (U+0300–U+036F) are dropped; Cyrillic keeps «ё» and «й»:
/// the rules of SQLite's unicode61 tokenizer with remove_diacritics 2, which the SQLite store
/// uses, so both backends find the same mentions.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::store::pg {

/// At most this many words of a search are used (the rest is ignored), as in the SQLite store.
inline constexpr std::size_t kMaxSearchWords = 16;
/// A longer word is cut to this many bytes (at a character's start), indexed and searched alike,
/// so a search for it still finds it; PostgreSQL refuses lexemes over 2,047 bytes.
inline constexpr std::size_t kMaxWordBytes = 240;
/// The words of one mention are indexed up to this many bytes (a tsvector holds at most 1 MiB).
inline constexpr std::size_t kMaxIndexedBytes = 256 * 1024;

/// The distinct words of `text`, folded, in order of first appearance, at most `max_words`.
std::vector<std::string> search_words(std::string_view text, std::size_t max_words = kMaxSearchWords);

/// The distinct words of a mention's title and text, space-separated (no word holds a space), up
/// to kMaxIndexedBytes: the value for `array_to_tsvector(string_to_array($n, ' '))`.
std::string indexed_words(std::string_view title, std::string_view text);

/// A tsquery matching rows that hold every one of `words` as a word prefix: 'w1':* & 'w2':*…
/// Each word is quoted (quotes and backslashes doubled, though words hold none), so no tsquery
/// operator can come from a search. "" when `words` is empty.
std::string prefix_query(const std::vector<std::string>& words);

}  // namespace otklik::store::pg
