#pragma once
/// The built-in topic taxonomy, compiled in from config/topics/ (embed_topics.cmake), so that the
/// daemon needs no installed data files.

#include <span>
#include <string_view>

namespace otklik::understanding {

struct BuiltinTopicFile {
  std::string_view name;  ///< "topics.toml"
  std::string_view text;  ///< its TOML text
};

std::span<const BuiltinTopicFile> builtin_topic_files() noexcept;

}  // namespace otklik::understanding
