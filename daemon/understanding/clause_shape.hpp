#pragma once
/// Whether a run of words looks like a clause of its own — a subject and a finite verb — so that a
/// bare "and" / "but" / «и» / «а» / «но» between two such runs can start a new claim ("My refund
/// never arrived and support keeps sending the same reply") while "fast and friendly", "waited and
/// waited" and «грубил и кричал» (one subject, two verbs) stay whole. Word-shape heuristics, no
/// tagger: English auxiliaries, negations, -ed / -s forms and common irregular pasts, never right
/// after a determiner ("the fried chicken"); Russian «не» / «нет», past-tense endings (-л, -ла, -ло,
/// -ли, -лся…) and third-person present endings (-ет, -ит, -ют, -ят…), minus the frequent nouns
/// that share them («персонал», «ответ», «кредит», «минут»). Inputs are normalised words (case
/// folded, ё→е) as the sentiment tokenizer gives them.

#include <span>
#include <string_view>

namespace otklik::understanding {

/// How a word can serve as the verb of a clause.
enum class VerbShape : unsigned char {
  none,     ///< not a verb by its shape
  marker,   ///< an auxiliary, a modal, a negation or a pre-verb adverb: "was", "didn't", "never", «не»
  form,     ///< a verb form by its ending or a known irregular past: "arrived", "keeps", "came", «ждал»
};

/// The verb shape of one normalised word.
VerbShape verb_shape(std::string_view word);

/// Whether `word`, after `previous` ("" at the start), serves as a verb: a marker always, a form
/// unless a determiner precedes it ("the fried chicken", "my used car": then it is an adjective).
bool acts_as_verb(std::string_view word, std::string_view previous);

/// Whether `words` (the words right after a coordinating word, up to the next mark) open a clause
/// with its own subject: a subject pronoun ("they", "nobody", «никто», «он») with a word after it,
/// or one to three words that are not verbs, prepositions or adverbs followed by a verb ("support
/// keeps sending", "the box was crushed", «курьер нагрубил», «деньги не вернули»). A few openers
/// ("then", «потом», «ещё») before the subject are skipped.
bool opens_clause(std::span<const std::string_view> words);

}  // namespace otklik::understanding
