#pragma once
/// Topic files: the TOML form of a taxonomy (config/topics/topics.toml is the built-in one).
///
///   [[topic]]
///   id = "waiting"                                   # lower-case letters, digits, "_"
///   name = { ru = "Ожидание и очереди", en = "Waiting and queues" }
///   description = { ru = "…", en = "…" }             # optional; description.ru = "…" works too
///   cues.ru = ["очеред*", "ждал* час", "=долго"]     # topics.hpp: cue syntax
///   cues.en = ["queue*", "wait* hour"]
///   exceptions.ru = ["в первую очередь"]             # optional
///   hints.ru = ["Извинитесь за ожидание", "…"]       # the checklist under an alert
///   hints.en = ["…"]
///   replace_cues = false                             # user files: replace instead of add
///
/// A user file is applied on top of the taxonomy before it: a new id adds a topic (name
/// required); an existing id replaces the name, description and hints it gives, and adds its cues
/// and exceptions (or replaces them with replace_cues = true). Unknown keys are errors; every
/// problem of every file is reported at once as "file:line: key: what".

#include "daemon/core/error.hpp"
#include "daemon/understanding/topics.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace otklik::understanding {

/// One topic as a file gives it: which parts it sets (for merging).
struct TopicPatch {
  Topic topic;
  bool has_name = false;
  bool has_description = false;
  bool has_hints = false;
  bool replace_cues = false;
  int line = 0;
};

/// Parses one file's text. `problems` gets "file:line: key: what" lines; the patches of valid
/// topics are returned even when others have problems.
std::vector<TopicPatch> parse_topic_file(std::string_view toml, std::string_view file_name,
                                         std::vector<std::string>& problems);

/// Applies `patches` (from `file_name`) to `base`; new topics without a name are problems.
void apply_topic_patches(Taxonomy& base, const std::vector<TopicPatch>& patches, std::string_view file_name,
                         std::vector<std::string>& problems);

/// The taxonomy: the built-in files when `builtin`, then `files` (name, text) in order, minus the
/// `disable`d ids. Fails with every problem, one per line.
Result<Taxonomy> load_taxonomy(bool builtin, const std::vector<std::pair<std::string, std::string>>& files,
                               const std::vector<std::string>& disable);

/// The built-in taxonomy alone (the embedded config/topics/ files). Throws std::logic_error if
/// they do not parse: that is a bug of the build, caught by the tests.
const Taxonomy& builtin_taxonomy();

}  // namespace otklik::understanding
