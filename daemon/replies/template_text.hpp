#pragma once
/// The text of one template variant: {placeholders} the composer fills and [[blanks]] the agent
/// fills. Placeholder names are lower-case letters and "_"; a blank holds a short description of
/// what goes there («[[дата возврата]]», "[[refund date]]") and is kept in the draft as written,
/// so that a text with a blank left can be recognised and refused before it is posted.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::replies {

/// Every placeholder a template may name, with what the composer puts there (docs/replies.md).
///   name     the author's first name, when the display name is a person's (author_name.hpp)
///   claim    the claim in the customer's words (claims.hpp), first letter lower-cased
///   topic    the claim's topic name in the locale
///   problem  the names of the mention's topics, or its first claim
///   date     the day of the author's previous complaint («12 ноября», "12 November")
///   topics   the topics of that complaint, by name
///   subject  what the review is about, as the site names it (a product, a branch); may be empty
///   site     the site the review is on ("Wildberries"); may be empty
inline constexpr std::string_view kPlaceholders[] = {"name",  "claim",  "topic",   "problem",
                                                     "date",  "topics", "subject", "site"};

/// One placeholder occurrence or a syntax problem.
struct TemplateScan {
  std::vector<std::string> placeholders;  ///< names in order of appearance (repeats kept)
  std::vector<std::string> blanks;        ///< blank texts (without the brackets) in order
  std::vector<std::string> problems;      ///< "unbalanced [[ ]]", "unclosed {", …
};

/// Reads a template variant's placeholders and blanks and reports malformed ones: a "{" without
/// a valid name and "}", a "}" alone, "[[" inside a blank, "]]" without "[[", an unclosed or an
/// empty blank.
TemplateScan scan_template(std::string_view text);

/// The blanks [[…]] left in a text (for the final check), "" problems ignored.
std::vector<std::string> blanks_in(std::string_view text);

/// `text` with each {placeholder} replaced by its value in `values`; placeholders missing there
/// are left as written.
std::string fill_template(std::string_view text, const std::map<std::string, std::string, std::less<>>& values);

}  // namespace otklik::replies
