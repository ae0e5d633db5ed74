#pragma once
/// A Latin skeleton of a word, so that a brand written in either script is recognised: «Сбер» and
/// "Sber", «Тинькофф» and "Tinkoff", «Аэрофлот» and "Aeroflot" share one. Cyrillic letters are
/// transliterated, then the spellings that vary between transliterations are folded:
///   ph→f, w→v, x→ks, q→k, ck→k, c→k, ts→z, y→i, j→i, kh→h, ie→e at the start, ъ/ь dropped,
///   and doubled letters collapse ("tinkoff" → "tinkof").
/// Digits are kept; other characters are dropped.

#include <string>
#include <string_view>

namespace otklik::understanding {

/// The skeleton of a normalised (case-folded) word.
std::string latin_skeleton(std::string_view word);

}  // namespace otklik::understanding
