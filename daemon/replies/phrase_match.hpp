#pragma once
/// Matching phrases as whole words: the deny-list and familiarity checks of drafts and of the
/// text an agent posts, and the "already said" check against the company's earlier answer.
/// A text is read as words the way the scorer reads it (sentiment::tokenize): case folded,
/// ё→е, punctuation and spaces between words ignored, so «Это — не к нам!» holds «это не к нам»
/// and «ТЫ» is «ты», but «тыква» does not hold «ты». A phrase never matches across a sentence
/// break (. ! ? … or a line break): the end of one sentence and the start of the next are not
/// one phrase.

#include <string>
#include <string_view>
#include <vector>

namespace otklik::replies {

/// The normalised words of a text with the sentence each belongs to.
struct WordSeq {
  std::vector<std::string> words;
  std::vector<int> sentence;  ///< index of the sentence of words[i]
};

WordSeq word_seq(std::string_view text);

/// The text's words joined by single spaces ("" when it has none).
std::string normalised_words(std::string_view text);

/// The phrases of `phrases` (as written there) that `text` holds as whole words within one
/// sentence, in the order of `phrases`, each once. Phrases without words never match.
std::vector<std::string> find_phrases(std::string_view text, const std::vector<std::string>& phrases);

/// Whether the words of `part` appear, in order and next to each other, in `whole` (sentence
/// breaks ignored). False when `part` has no words.
bool said_in(std::string_view part, std::string_view whole);

}  // namespace otklik::replies
