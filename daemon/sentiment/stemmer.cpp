#include "daemon/sentiment/stemmer.hpp"

#include <libstemmer.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace otklik::sentiment {
namespace {

/// Forms where the Snowball stemmer splits one lemma into several stems, or merges unrelated
/// words; mapped to one key before stemming. Sorted by the first element.
constexpr auto kExceptions = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"доволен", "довольн"},
    {"довольна", "довольн"},
    {"довольно", "довольно"},
    {"довольны", "довольн"},
    {"недоволен", "недовольн"},
    {"недовольна", "недовольн"},
    {"недовольно", "недовольн"},
    {"недовольны", "недовольн"},
    {"лучше", "лучш"},
    {"хуже", "хуж"},
    {"худший", "хуж"},
    {"худшая", "хуж"},
    {"худшее", "хуж"},
});

std::string_view exception_for(std::string_view word) noexcept {
  for (const auto& [form, key] : kExceptions)
    if (form == word) return key;
  return {};
}

}  // namespace

Script script_of(std::string_view word) noexcept {
  bool latin = false;
  bool cyrillic = false;
  for (std::size_t i = 0; i < word.size();) {
    const char32_t c = decode_utf8(word, i);
    if ((c >= 'a' && c <= 'z') || (c >= 0xC0 && c < 0x250)) latin = true;
    else if (c >= 0x400 && c <= 0x52F) cyrillic = true;
  }
  return latin && cyrillic ? Script::mixed : latin ? Script::latin : cyrillic ? Script::cyrillic : Script::none;
}

StemmerSet::StemmerSet()
    : ru_(sb_stemmer_new("russian", "UTF_8")), en_(sb_stemmer_new("english", "UTF_8")) {
  if (ru_ == nullptr || en_ == nullptr) {
    if (ru_ != nullptr) sb_stemmer_delete(ru_);
    if (en_ != nullptr) sb_stemmer_delete(en_);
    throw std::runtime_error("libstemmer: russian/english stemmers unavailable");
  }
}

StemmerSet::~StemmerSet() {
  sb_stemmer_delete(ru_);
  sb_stemmer_delete(en_);
}

void StemmerSet::stem(std::string_view word, Script script, std::string& out) {
  if (const auto ex = exception_for(word); !ex.empty()) {
    out += ex;
    return;
  }
  sb_stemmer* s = script == Script::cyrillic ? ru_ : script == Script::latin ? en_ : nullptr;
  if (s == nullptr || word.size() > 200) {
    out += word;
    return;
  }
  const sb_symbol* r = sb_stemmer_stem(s, reinterpret_cast<const sb_symbol*>(word.data()),
                                       static_cast<int>(word.size()));
  if (r == nullptr) {  // out of memory inside libstemmer
    out += word;
    return;
  }
  out.append(reinterpret_cast<const char*>(r), static_cast<std::size_t>(sb_stemmer_length(s)));
}

std::string StemmerSet::key(std::string_view word, Script script) {
  std::string out;
  stem(word, script, out);
  return out;
}

}  // namespace otklik::sentiment
