#include "daemon/understanding/translit.hpp"

#include "daemon/core/utf8.hpp"

namespace otklik::understanding {
namespace {

std::string_view cyrillic(char32_t c) {
  switch (c) {
    case U'а': return "a";
    case U'б': return "b";
    case U'в': return "v";
    case U'г': return "g";
    case U'д': return "d";
    case U'е': case U'ё': case U'э': return "e";
    case U'ж': return "zh";
    case U'з': return "z";
    case U'и': case U'й': case U'ы': case U'і': return "i";
    case U'к': return "k";
    case U'л': return "l";
    case U'м': return "m";
    case U'н': return "n";
    case U'о': return "o";
    case U'п': return "p";
    case U'р': return "r";
    case U'с': return "s";
    case U'т': return "t";
    case U'у': return "u";
    case U'ф': return "f";
    case U'х': return "h";
    case U'ц': return "ts";
    case U'ч': return "ch";
    case U'ш': return "sh";
    case U'щ': return "sch";
    case U'ъ': case U'ь': return "";
    case U'ю': return "iu";
    case U'я': return "ia";
    default: return {};
  }
}

}  // namespace

std::string latin_skeleton(std::string_view word) {
  std::string raw;
  for (std::size_t i = 0; i < word.size();) {
    const char32_t c = decode_utf8(word, i);
    if ((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) raw.push_back(static_cast<char>(c));
    else if (c >= U'A' && c <= U'Z') raw.push_back(static_cast<char>(c - U'A' + U'a'));
    else raw += cyrillic(c);
  }
  std::string folded;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    const char n = i + 1 < raw.size() ? raw[i + 1] : '\0';
    if (c == 'p' && n == 'h') { folded += 'f'; ++i; continue; }
    if (c == 'k' && n == 'h') { folded += 'h'; ++i; continue; }
    if (c == 'c' && n == 'k') { folded += 'k'; ++i; continue; }
    if (c == 'c' && n == 'h') { folded += "ch"; ++i; continue; }
    if (c == 't' && n == 's') { folded += 'z'; ++i; continue; }  // «ц» is ts, c or z ("pizza")
    switch (c) {
      case 'w': folded += 'v'; break;
      case 'x': folded += "ks"; break;
      case 'q': folded += 'k'; break;
      case 'c': folded += 'k'; break;
      case 'y': case 'j': folded += 'i'; break;
      default: folded += c;
    }
  }
  if (folded.rfind("ie", 0) == 0) folded.erase(0, 1);  // "ie" ~ «е» at the start ("Yeltsin" / «Ельцин»)
  std::string out;
  for (char c : folded)
    if (out.empty() || out.back() != c) out.push_back(c);
  return out;
}

}  // namespace otklik::understanding
