#pragma once
/// Who wrote a mention, as keys that find the same person again: across mentions of one site by
/// the user id or profile URL the site gives, and across sites by a display name that identifies
/// a person. A false merge (two people taken for one) is worse than a missed repeat — it puts a
/// stranger's history next to a customer's complaint — so names that do not identify anybody
/// give no key:
///   - empty names and the names sites give to whoever did not sign («Аноним», «Гость»,
///     «Пользователь 12345», "A Google user", "Customer");
///   - a bare first name or a name with only initials («Ирина», «Ирина К.», "John"): thousands
///     of customers share it;
/// while two words of two or more letters («Ирина Котова», "ivan petrov") or a handle-like
/// token (digits or "_" in it, or two parts around a dot: "ivan_petrov88", "ivan.petrov") do.

#include <string>
#include <string_view>

namespace otklik::understanding {

struct AuthorKeys {
  std::string id_key;    ///< "<source>#<id>" when the site gives a user id or profile URL; else ""
  std::string name_key;  ///< the normalised name when it identifies a person; else ""
  friend bool operator==(const AuthorKeys&, const AuthorKeys&) = default;
};

/// The keys of an author on `source`.
AuthorKeys author_keys(std::string_view source, std::string_view author, std::string_view author_id);

/// A display name normalised for comparison: NFKC, case folded, ё→е, Latin letters that look like
/// Cyrillic ones folded into Cyrillic inside Cyrillic words, punctuation except "_" and "." and
/// emoji dropped, spaces collapsed. "" when nothing is left.
std::string normalise_name(std::string_view name);

/// A user id or profile URL normalised: trimmed; for http(s) URLs the scheme dropped, the host
/// lower-cased without "www.", the fragment and a trailing "/" dropped (the query is kept: some
/// sites put the id there).
std::string normalise_user_id(std::string_view id);

}  // namespace otklik::understanding
