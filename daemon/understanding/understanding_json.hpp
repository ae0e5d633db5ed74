#pragma once
/// Understanding ⇄ JSON, as the store keeps it next to the mention (mentions.understanding_json;
/// `otklik score --json` prints its own form: app/understand_command.hpp). Reading is strict
/// about types and lenient about missing keys, so that rows written by an older version still
/// read.

#include "daemon/core/error.hpp"
#include "daemon/understanding/understanding.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace otklik::understanding {

struct JsonOptions {
  /// A claim whose text is exactly its span of this text is written without it
  /// (store/stored_understanding.hpp puts it back on reading).
  std::optional<std::string_view> spans_of;
  bool author_keys = true;  ///< false: left out (the store keeps them in columns of their own)
};
/// Compact JSON text of `u`, version 2 of the stored form: claims, topics, brand, author keys and
/// repeat, each claim [begin, end, score, [topics]] and its text as a fifth element when it has
/// one to keep; every number reads back as the same double. Version 1 (still read) kept a claim
/// as an object {"text","score","topics","begin","end"}.
/// {"v":2,"claims":[[0,38,-0.62,["rudeness"]]],"topics":["rudeness"],"brand":{…},"repeat":{…}}
std::string to_json(const Understanding& u, const JsonOptions& options = {});
/// Parses what to_json writes, or a version 1 object (claims as objects; rows written before
/// 2026-12-08); "" gives an empty Understanding.
Result<Understanding> from_json(std::string_view text);

}  // namespace otklik::understanding
