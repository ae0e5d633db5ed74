#include "daemon/sentiment/scorer.hpp"

namespace otklik {

std::string_view to_string(Label l) noexcept {
  switch (l) {
    case Label::negative: return "negative";
    case Label::neutral: return "neutral";
    case Label::positive: return "positive";
  }
  return "neutral";
}

std::string_view to_string(Lang l) noexcept {
  switch (l) {
    case Lang::automatic: return "auto";
    case Lang::ru: return "ru";
    case Lang::en: return "en";
    case Lang::other: return "other";
  }
  return "other";
}

std::optional<Label> parse_label(std::string_view s) noexcept {
  if (s == "negative") return Label::negative;
  if (s == "neutral") return Label::neutral;
  if (s == "positive") return Label::positive;
  return std::nullopt;
}

std::optional<Lang> parse_lang(std::string_view s) noexcept {
  if (s == "auto" || s == "automatic") return Lang::automatic;
  if (s == "ru") return Lang::ru;
  if (s == "en") return Lang::en;
  if (s == "other") return Lang::other;
  return std::nullopt;
}

}  // namespace otklik
