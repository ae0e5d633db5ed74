#pragma once
/// The name a draft greets the author by. A wrong greeting is worse than none («Здравствуйте,
/// User123!»), so the display name gives a first name only when it looks like a person's:
///   - one to four words; the first is the first name: letters only (a hyphen or an apostrophe
///     inside: «Анна-Мария», "O'Neil"), two to 30 letters, one script, written with a capital
///     and the rest in lower case («Ирина», «Ирина К.», "John Smith"), or all in capitals
///     («ИРИНА» → «Ирина»);
/// and never
///   - an e-mail, a phone, anything with a digit or "_" («user123», «маша_2001», "+7 999…");
///   - names sites give to whoever did not sign, and words that are not names («Аноним», «Гость»,
///     «Покупатель», «Клиент Сбербанка», "A Google user", "Customer");
///   - an initial alone («И. Котова»), a lower-case handle ("ivanpetrov"), a handle with dots
///     ("ivan.petrov") or camel case ("IvanPetrov").

#include <string>
#include <string_view>

namespace otklik::replies {

/// The first name to greet by, or "" when the display name is not a person's name. Pure.
std::string first_name(std::string_view display_name);

}  // namespace otklik::replies
