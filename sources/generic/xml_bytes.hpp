#pragma once
/// The bytes of an XML document before libxml2 reads them: the encoding its declaration names,
/// and the repair of byte sequences that are invalid in the document's charset. Pure.
///
/// One stray byte (a review pasted in Latin-1 into a UTF-8 feed, a cut multi-byte letter) makes
/// the whole document not well-formed for libxml2, and every valid item beside it would be lost
/// until the site fixed it. The repair replaces each invalid sequence with U+FFFD, after decoding
/// the document in its own charset (a windows-1251 feed stays windows-1251: only the bytes that
/// are not windows-1251 are replaced). It never adds markup: the repaired text has the same tags,
/// entities and declarations as the original, so the parser's protections are untouched.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

/// The value of `encoding` in the XML declaration (`<?xml version="1.0" encoding="koi8-r"?>`);
/// "" when the document starts without a declaration or the declaration names none.
std::string declared_xml_encoding(std::string_view body);

/// A document's bytes re-encoded as UTF-8 with every invalid sequence replaced.
struct RepairedBytes {
  std::string utf8;          ///< the document in UTF-8 (a UTF-8 byte order mark dropped)
  std::size_t replaced = 0;  ///< how many invalid sequences became U+FFFD
  std::size_t first_line = 0;  ///< the line (1-based) of the first of them
};

/// The fewest invalid sequences that can make a document "not in its charset at all" (below).
inline constexpr std::size_t kMisencodedMin = 8;

/// `body`, whose charset is `charset` ("UTF-8", or any name the system's iconv knows), as UTF-8
/// with each sequence that is invalid in that charset replaced by U+FFFD. nullopt when there is
/// nothing to repair (every sequence valid: the caller parses the original bytes), when iconv
/// does not know the charset, or when the document is not in that charset at all: at least
/// kMisencodedMin invalid sequences, more of them than valid non-ASCII characters, and more than
/// 5% of the bytes (a koi8-r feed served as UTF-8 would turn every letter into U+FFFD; it stays
/// a parse failure instead).
std::optional<RepairedBytes> repair_bytes(std::string_view body, std::string_view charset);

}  // namespace otklik
