#pragma once
/// Long texts of a mention are kept deflated (zlib), as a BLOB in their TEXT columns: the review's
/// text when that saves a fifth or more, and its sentiment and understanding detail (JSON) always.
/// Only the store reads them (through read_text); rows written as plain text read back as they are.

#include "daemon/core/error.hpp"
#include "daemon/store/sqlite.hpp"

#include <string>
#include <string_view>

namespace otklik::store {

/// `text` deflated, with its length in front (4 bytes, little-endian). "" stays "".
std::string pack(std::string_view text);

/// The text pack() wrote. Fails (store_failed) for bytes that are not its format.
Result<std::string> unpack(std::string_view packed);

/// pack(text) when `text` is longer than `min_size` bytes and packing makes it at least a fifth
/// smaller; "" when it is to be kept plain. Pure: the pipeline calls it on its work threads
/// (prepared_row.hpp), so that the store's thread does not deflate.
std::string pack_if_worth(std::string_view text, std::size_t min_size = 256);

/// Binds `text` as column `index`: deflated (a BLOB) when that is at least a fifth smaller and
/// the text is longer than `min_size` bytes, as plain TEXT otherwise.
void bind_packed(sqlite::Statement& st, int index, std::string_view text, std::size_t min_size = 256);
/// The same with the packing already done: `packed` is pack_if_worth(text) ("" binds the text).
void bind_prepacked(sqlite::Statement& st, int index, std::string_view text, std::string_view packed);

/// A column written by bind_packed (or plain text from older rows).
Result<std::string> read_text(const sqlite::Statement& st, int column);

/// The BYTEA form of a text (PostgreSQL, which has no per-value type to tell packed from plain):
/// "" stays ""; otherwise a marker byte, then kPackedMarker + pack(text) under the same rule as
/// bind_packed (longer than `min_size` and at least a fifth smaller), else kPlainMarker + text.
std::string to_marked(std::string_view text, std::size_t min_size = 256);
/// The same with the packing already done: `packed` is pack_if_worth(text).
std::string to_marked_prepacked(std::string_view text, std::string_view packed);

/// The text to_marked() wrote. Fails (store_failed) for an unknown marker or a bad packed body.
Result<std::string> from_marked(std::string_view bytes);

inline constexpr char kPlainMarker = '\x00';
inline constexpr char kPackedMarker = '\x01';

}  // namespace otklik::store
