#pragma once
/// Who wrote a mention, as keys that find the same person again: across mentions of one site by
/// the user id or profile URL the site gives, and across sites by a display name that identifies
/// a person.
///
/// A false merge (two people taken for one) is worse than a missed repeat: it puts a stranger's
/// history next to a customer's complaint and the agent answers the wrong person. So a name
/// gives a key only when it is specific enough to be one person's:
///   - two or more words of two or more letters («Ирина Котова», "ivan petrov"); the key is the
///     words sorted, so «Котова Ирина» is the same key;
///   - or a handle-like token: letters with digits or "_" («маша_2001», "ivanpetrov88"), two
///     parts around a dot ("ivan.petrov"), or two capitalised parts run together ("IvanPetrov").
/// and never for
///   - empty names, names of more than six words or 512 bytes (a sentence, not a signature);
///   - names sites give to whoever did not sign, with or without a number («Аноним», «Гость»,
///     «Пользователь 12345», "user_8841", "A Google user", "Customer") — any generic word in the
///     name is enough: «Клиент Сбербанка» is nobody in particular either;
///   - a bare first name or a name with an initial only («Ирина», «Ирина К.», «И. Котова»,
///     "John"): thousands of customers share it, and an initial does not tell them apart.

#include <string>
#include <string_view>

namespace otklik::understanding {

struct AuthorKeys {
  std::string id_key;    ///< "<source>#<id>" when the site gives a user id or profile URL; else ""
  std::string name_key;  ///< the normalised name when it identifies a person; else ""
  friend bool operator==(const AuthorKeys&, const AuthorKeys&) = default;
};

/// The keys of an author on `source`. Pure; any bytes are accepted (invalid UTF-8, NULs).
AuthorKeys author_keys(std::string_view source, std::string_view author, std::string_view author_id);

/// A display name normalised for comparison: NFKC, case folded, ё→е, look-alike letters folded
/// into the script of the word they sit in («Aннa» with Latin "A" and "a" → «анна», "Ivаn" with
/// a Cyrillic "а" → "ivan"), apostrophes dropped ("O'Brien" → "obrien"), other punctuation,
/// symbols and emoji separating words, dots kept only inside a word ("ivan.petrov"), spaces
/// collapsed. Word order is kept. "" when nothing is left.
std::string normalise_name(std::string_view name);

/// A user id or profile URL normalised. Trimmed; ASCII control characters dropped. For an
/// http(s) URL (or one starting "www."): the scheme dropped, the host lower-cased without
/// "www." or "m." and without a default port, the fragment and a trailing "/" dropped, and query
/// parameters that never identify a user (utm_*, ref, hl, lang, fbclid, …) dropped while the
/// others (profile.php?id=77) are kept in order. Other ids keep their case: sites' ids may be
/// case-sensitive. "" for an empty or over-long (> 2048 bytes) id.
std::string normalise_user_id(std::string_view id);

}  // namespace otklik::understanding
