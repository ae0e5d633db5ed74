#pragma once
/// A list of strings as one `text[]` parameter (PostgreSQL's array literal, every element quoted),
/// for `column = ANY($n::text[])`: SQLite's json_each lists, said the PostgreSQL way.

#include "daemon/store/pg/param.hpp"

#include <string>
#include <vector>

namespace otklik::store::pg {

inline Param text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return Param(out);
}

}  // namespace otklik::store::pg
