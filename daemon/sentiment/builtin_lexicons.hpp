#pragma once
/// The lexicons shipped in config/lexicons/*.tsv, compiled into the binary at build time
/// (embed_lexicons.cmake writes builtin_lexicons.cpp), so scoring needs no files at run time.

#include <span>
#include <string_view>

namespace otklik::sentiment {

struct BuiltinLexicon {
  std::string_view name;  ///< file name, e.g. "ru.tsv"
  std::string_view text;  ///< the file's content
};

/// In load order: learned weights first, then the hand-written files, which override them.
std::span<const BuiltinLexicon> builtin_lexicons() noexcept;

}  // namespace otklik::sentiment
