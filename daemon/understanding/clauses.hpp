#pragma once
/// Splitting a text into clauses — the pieces of a complaint that each make one point. Built on
/// the sentiment tokenizer (daemon/sentiment/text.hpp), so sentences and marks are found the
/// same way the scorer finds them.
///
/// Rules, in order:
///   1. Sentences end at . ! ? … and line breaks (list items on their own lines are sentences).
///   2. Within a sentence, «;» always splits.
///   3. A comma or a dash splits before a coordinating word — «, а», «, но», «, и», «, ещё»,
///      «, да ещё», «, плюс», «, потом», «, затем», «, также», «, причём», «, вдобавок»,
///      «, кроме того», «, так ещё», «, зато», «, однако»; ", and", ", but", ", then", ", plus",
///      ", also", ", yet", ", however" …
///   4. A bare "and" / "but" / «и» / «а» / «но» (no mark before it) splits when both sides are
///      clauses of their own: the words before it in the piece have a verb (and two words or more,
///      and no open subordinate clause), the words after it start with their own subject and verb
///      ("My refund never arrived | and support keeps sending the same reply", «ждал час | а никто
///      не подошёл»). "fast and friendly", "waited and waited", "bread and butter", lists of nouns
///      and one subject with two verbs («кассир грубил и кричал») stay whole (clause_shape.hpp).
///   5. A comma or dash never splits before a subordinate word: «который», «что», «чтобы», «где»,
///      «когда», «если», «как», «потому что», «поскольку»; "which", "who", "that", "where",
///      "when", "because", "if", "since" … — such a clause explains the one before it, and the
///      comma that closes it («Менеджер, который меня обслуживал, был груб») does not split either.
///   6. Any other comma or dash splits only when both sides have at least two words («нахамил
///      менеджер в отделении, ждал час в очереди, навязали страховку»), so lists of single nouns,
///      addresses («на Ленина, 5»: never before a number) and greetings («Здравствуйте, …») stay
///      whole. Two words, not three: the shortest complaints are two words long («навязали
///      страховку», «кассир грубил») and must stand alone.
///   7. Nothing splits inside brackets or quotes.
///   8. A piece without words (a list number «1.», a lone emoji) is dropped; a piece of one
///      word is merged into its neighbour in the same sentence.
/// Spans are trimmed of spaces, list marks («1)», «2.», «-», «•», «*») and trailing marks; a
/// closing bracket or quote that ends a clause stays with it.

#include "daemon/sentiment/text.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace otklik::understanding {

/// A byte span [begin, end) of the text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

/// The clauses of `text`, in order. Linear in the text's length.
std::vector<Span> split_clauses(std::string_view text);

/// The same, on `tokens`, which must be `sentiment::tokenize(text)`: a caller that holds the
/// tokens already does not tokenise the text again.
std::vector<Span> split_clauses(std::string_view text, const sentiment::TokenBuffer& tokens);

}  // namespace otklik::understanding
