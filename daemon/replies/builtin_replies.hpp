#pragma once
/// The built-in reply templates, compiled in from config/replies/ (embed_replies.cmake), so that
/// the daemon needs no installed data files.

#include <span>
#include <string_view>

namespace otklik::replies {

struct BuiltinReplyFile {
  std::string_view name;  ///< "ru.toml": the locale is the name without ".toml"
  std::string_view text;  ///< its TOML text
};

std::span<const BuiltinReplyFile> builtin_reply_files() noexcept;

}  // namespace otklik::replies
