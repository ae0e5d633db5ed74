#pragma once
/// Measuring drafts on complaints whose claims a person wrote down (tests/fixtures/replies/):
///
///   # comments
///   text<TAB>THE WHOLE COMPLAINT ON ONE LINE
///   claim<TAB>TOPICS<TAB>CLAIM TEXT        TOPICS: comma list of topic ids or "-"
///   claim<TAB>TOPICS<TAB>CLAIM TEXT        CLAIM TEXT: a verbatim substring of the complaint
///   <blank line between complaints>
///
/// A gold claim is addressed when some extracted claim whose byte span overlaps the gold claim's
/// span got a sentence of the draft; it is addressed by its own topic when that sentence came
/// from one of the gold topics' templates (for "-": from the generic one).

#include "daemon/core/error.hpp"
#include "daemon/replies/draft.hpp"
#include "daemon/understanding/understanding.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::replies {

struct GoldClaim {
  std::vector<std::string> topics;  ///< empty for "-"
  std::string text;
  std::size_t begin = 0;            ///< byte span in the complaint's text
  std::size_t end = 0;
  int line = 0;
};

struct LabelledComplaint {
  std::string text;
  std::vector<GoldClaim> claims;
  int line = 0;
};

/// The complaints of a file. Fails with every problem, one "file:line: what" a line: an unknown
/// line kind, a claim before any text, a claim text that is not in its complaint, a complaint
/// without claims, a malformed topic list.
Result<std::vector<LabelledComplaint>> parse_claims_file(std::string_view content, std::string_view file_name);

struct ClaimVerdict {
  bool addressed = false;
  bool own_topic = false;
};

/// The verdict on each gold claim of `complaint` (in its order) for a draft composed from `u`.
std::vector<ClaimVerdict> judge_draft(const LabelledComplaint& complaint, const understanding::Understanding& u,
                                      const Draft& draft);

/// "ru" when the text has at least as many Cyrillic letters as Latin ones, else "en": the
/// language a draft for it should be in.
std::string expected_locale(std::string_view text);

}  // namespace otklik::replies
