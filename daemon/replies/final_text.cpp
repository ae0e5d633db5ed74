#include "daemon/replies/final_text.hpp"

#include "daemon/replies/phrase_match.hpp"
#include "daemon/replies/template_text.hpp"

namespace otklik::replies {

std::vector<std::string> final_text_problems(const ReplyBook& book, std::string_view locale, std::string_view text) {
  const bool en = locale.substr(0, 2) == "en";
  std::vector<std::string> out;
  if (normalised_words(text).empty()) {
    out.push_back(en ? "the answer is empty" : "ответ пуст");
    return out;
  }
  for (const auto& b : blanks_in(text))
    out.push_back(en ? "fill in the blank [[" + b + "]]" : "заполните пропуск [[" + b + "]]");
  std::vector<std::string> deny, familiar;
  if (const LocaleTemplates* t = book.find(locale)) {
    deny = t->deny;
    familiar = t->familiar;
  } else {
    for (const auto& l : book.locales) {
      deny.insert(deny.end(), l.deny.begin(), l.deny.end());
      familiar.insert(familiar.end(), l.familiar.begin(), l.familiar.end());
    }
  }
  for (const auto& p : find_phrases(text, deny))
    out.push_back(en ? "remove the phrase \"" + p + "\": it is on the deny-list"
                     : "уберите фразу «" + p + "»: она в списке запрещённых");
  for (const auto& p : find_phrases(text, familiar))
    out.push_back(en ? "too familiar: \"" + p + "\"" : "фамильярность: «" + p + "»");
  return out;
}

}  // namespace otklik::replies
