#pragma once
/// The lexicons shipped in config/lexicons/*.tsv, compiled into the binary at build time, so
/// scoring needs no files at run time: the text of each file (embed_lexicons.cmake writes
/// builtin_lexicons.cpp; `otklik lexicon check` and the tests read it), and the same files already
/// parsed, normalised and stemmed (sentiment_lexgen writes builtin_prepared.cpp with the code that
/// loads a lexicon at run time), which is what the scorer loads: start-up does no parsing or stemming.

#include "daemon/sentiment/lexicon.hpp"

#include <span>
#include <string_view>

namespace otklik::sentiment {

struct BuiltinLexicon {
  std::string_view name;  ///< file name, e.g. "ru.tsv"
  std::string_view text;  ///< the file's content
};

/// In load order: learned weights first, then the hand-written files, which override them.
std::span<const BuiltinLexicon> builtin_lexicons() noexcept;

/// One built-in file, prepared: its terms index builtin_prepared_keys().
struct BuiltinPrepared {
  std::string_view name;
  std::span<const StaticTerm> terms;
};

/// The same files as builtin_lexicons(), in the same order, prepared at build time.
std::span<const BuiltinPrepared> builtin_prepared() noexcept;
/// The match keys of all prepared terms.
std::span<const std::string_view> builtin_prepared_keys() noexcept;

/// The built-in lexicon as loaded from builtin_prepared() (all files, in order), as static tables:
/// what the scorer starts from (Lexicon::from_image).
const LexiconImage& builtin_image() noexcept;

}  // namespace otklik::sentiment
