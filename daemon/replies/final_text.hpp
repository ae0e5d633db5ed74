#pragma once
/// The check of the text an agent is about to publish as the company's answer: whatever the
/// agent wrote or changed, a public answer keeps the rules the drafts keep.

#include "daemon/replies/reply_book.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace otklik::replies {

/// Why `text` may not be posted, one line each, in the locale's language: blanks left unfilled
/// (named), deny-list phrases (named), familiarity words (named), an empty text. Empty = it may
/// be posted. A locale the book lacks is checked against every locale's lists.
std::vector<std::string> final_text_problems(const ReplyBook& book, std::string_view locale, std::string_view text);

}  // namespace otklik::replies
