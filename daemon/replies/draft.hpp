#pragma once
/// A reply draft for a negative review, composed from the templates by the rules every support
/// lead teaches (docs/replies.md, "Drafts"):
///   - in the review's language (ru, en; another language → the fallback locale);
///   - a greeting by the author's first name when the display name is a person's (author_name.hpp);
///   - thanks for the review; an apology that names the problem (the topics' names, or the first
///     claim in the customer's words);
///   - ONE sentence per claim, in the claims' order, from its first topic's template, or the
///     generic one that names the claim in the customer's words; two claims of one topic take
///     different variants, and no sentence is ever written twice;
///   - for a repeat author, that we know it is not the first time («Вы уже писали нам 12 ноября …»);
///   - what happens next with a deadline blank, an invitation to a direct contact, a sign-off;
///   - when the company already answered this review, nothing it said is said again (a sentence
///     whose words are in the earlier answer is left out, and so is the thanks); the greeting and
///     the sign-off are formulas and stay;
///   - never a deny-list phrase or a familiarity word: a variant that would hold one (the customer's
///     own words can) gives way to the next, and the composed text is checked again.
/// Pure: no clock (the caller gives `now_ms`), no I/O.

#include "daemon/core/mention.hpp"
#include "daemon/core/time_zone.hpp"
#include "daemon/replies/reply_book.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/understanding/topics.hpp"
#include "daemon/understanding/understanding.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::replies {

/// What a draft is composed from.
struct DraftInput {
  std::string scored_text;                       ///< title + "\n" + text, as scored and understood
                                                 ///< (its letters decide the language when lang is automatic)
  Lang lang = Lang::automatic;                   ///< the review's language (Sentiment::lang)
  std::string author;                            ///< the author's display name as the site shows it
  understanding::Understanding understanding;    ///< claims, topics, repeat author
  std::string existing_answer;                   ///< the company's earlier answer to this review; "" = none
  std::string subject;                           ///< what the review is about (a product, a branch); may be ""
  std::string site;                              ///< the site's name ("Wildberries"); may be ""
  TimeZone zone;                                 ///< for the date of an earlier complaint
  std::string fallback_locale = "ru";            ///< for a review in another language ([daemon] locale)
  std::int64_t now_ms = 0;                       ///< now, for the year of dates; 0 = never show the year
};

/// The input for a stored or just scored mention: its scored text, language, author, subject and
/// the company's earlier answer on the site (Mention::company_reply). The caller sets `site`,
/// `zone`, `fallback_locale` and `now_ms`.
DraftInput draft_input(const Mention& m, const Sentiment& s, understanding::Understanding u);

/// What a part of the draft does.
enum class PartRole { greeting, thanks, apology, claim, repeat, next, contact, closing };

std::string_view to_string(PartRole role) noexcept;

struct DraftPart {
  PartRole role = PartRole::greeting;
  std::string text;
  int claim = -1;     ///< the index in Understanding::claims this sentence answers, or -1
  std::string topic;  ///< the topic whose template it came from, or ""
  friend bool operator==(const DraftPart&, const DraftPart&) = default;
};

struct Draft {
  std::string locale;             ///< "ru" or "en"
  std::vector<DraftPart> parts;   ///< in the order of the text
  /// The greeting on its line, the body as one paragraph, the sign-off on its line.
  [[nodiscard]] std::string text() const;
};

/// The locale of a draft: ru or en by `lang`; when the language was not detected
/// (Lang::automatic), by the letters of `scored_text` (more Cyrillic → ru, more Latin → en);
/// else, and for another language, `fallback`. A locale the book lacks falls back to the book's
/// first.
std::string draft_locale(const ReplyBook& book, Lang lang, std::string_view fallback,
                         std::string_view scored_text = {});

/// The draft for a negative review.
Draft compose_draft(const ReplyBook& book, const understanding::Taxonomy& taxonomy, const DraftInput& input);

/// The thanks for a positive review without a complaint (auto_reply): a greeting and the
/// thanks_positive template, without blanks (the book refuses blanks there).
Draft compose_thanks(const ReplyBook& book, const DraftInput& input);

}  // namespace otklik::replies
