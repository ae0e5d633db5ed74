#pragma once
/// The reply templates in force: per locale, the variants of each part of a draft and of each
/// topic's answer, and the phrases a draft and a posted answer must never hold.
///
/// File format (config/replies/ru.toml and en.toml are the built-in ones; docs/replies.md):
///   greeting = ["Здравствуйте!"]                   every key is a list of variants, one line each
///   greeting_named = ["Здравствуйте, {name}!"]     must hold {name}
///   thanks = ["…"]            thanks for the review
///   apology = ["… {problem} …", "…"]               the variant without {problem} when none is known
///   claim = ["По поводу того, что {claim}, — …"]   a claim without a topic (or past a topic's variants)
///   repeat = ["Вы уже писали нам {date} о … {topics} …"]
///   next = ["… [[срок]] …"]   contact = ["… [[контакт]] …"]   closing = ["С уважением, …"]
///   thanks_positive = ["…"]   the answer to a positive review (auto_reply): no [[blanks]]
///   deny = ["это не к нам", …]                     phrases never written (whole words, case, ё)
///   familiar = ["ты", "дружище", …]                words of familiarity, never written
///   [topics]
///   waiting = ["…", "…"]      one entry for every topic of the taxonomy, one or more variants
/// Placeholders: template_text.hpp. Sentences of the body (everything but greeting and closing)
/// end with . ! ? or …, so that a phrase check never joins two of them.

#include "daemon/config/config.hpp"
#include "daemon/core/error.hpp"
#include "daemon/understanding/topics.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace otklik::replies {

/// The parts of a draft that come from one list of variants each.
enum class Slot : std::uint8_t {
  greeting,
  greeting_named,
  thanks,
  apology,
  claim,
  repeat,
  next,
  contact,
  closing,
  thanks_positive,
};
inline constexpr std::size_t kSlotCount = 10;

/// The file key of a slot ("greeting_named").
std::string_view slot_key(Slot slot) noexcept;

/// One locale's templates.
struct LocaleTemplates {
  std::string locale;  ///< "ru", "en"
  std::string origin;  ///< the file they were read from ("config/replies/ru.toml (built-in)")
  std::array<std::vector<std::string>, kSlotCount> slots;
  std::map<std::string, std::vector<std::string>, std::less<>> topics;  ///< topic id → variants
  std::vector<std::string> deny;      ///< the file's phrases and [replies] deny
  std::vector<std::string> familiar;  ///< the file's familiarity words

  [[nodiscard]] const std::vector<std::string>& variants(Slot slot) const {
    return slots[static_cast<std::size_t>(slot)];
  }
  /// The variants of a topic, or nullptr when the file has none for it.
  [[nodiscard]] const std::vector<std::string>* topic(std::string_view id) const;
};

/// Every locale's templates. Immutable once loaded; shared between threads.
struct ReplyBook {
  std::vector<LocaleTemplates> locales;
  /// The templates of `locale` ("en", "en-GB" → en), or nullptr.
  [[nodiscard]] const LocaleTemplates* find(std::string_view locale) const;
};

/// One template file's text.
struct ReplyFile {
  std::string locale;  ///< "ru"
  std::string name;    ///< for problems: a path or "config/replies/ru.toml (built-in)"
  std::string text;
  /// A built-in file: a topic the team added to the taxonomy has no template there and is
  /// answered with the generic one; the team's own files must cover every topic.
  bool builtin = false;
};

/// The book of `files` (one per locale) with `deny` added to every locale, checked against
/// `taxonomy`. Fails with every problem of every file, one "file:line: key: what" a line:
/// TOML syntax, unknown keys, a key missing or empty, unknown placeholders (or ones a key cannot
/// use), unbalanced [[ ]], a variant holding a deny-list phrase or a familiarity word, a body
/// sentence without its end mark, a topic id that is in neither the taxonomy nor the built-in
/// one, and, in the team's files, the taxonomy's topics without a template ("missing topics").
Result<ReplyBook> make_reply_book(const std::vector<ReplyFile>& files, const std::vector<std::string>& deny,
                                  const understanding::Taxonomy& taxonomy);

/// The book [replies] asks for: the built-in templates, each locale replaced by the
/// "<locale>.toml" of config.templates when that folder has one (only ru.toml and en.toml are
/// read; any other .toml there is a problem), plus config.deny.
Result<std::shared_ptr<const ReplyBook>> load_reply_book(const RepliesConfig& config,
                                                         const understanding::Taxonomy& taxonomy);

/// The built-in templates alone with the built-in taxonomy. Throws std::logic_error if they do
/// not load: that is a bug of the build, caught by the tests.
const ReplyBook& builtin_reply_book();

}  // namespace otklik::replies
