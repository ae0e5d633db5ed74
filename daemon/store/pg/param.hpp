#pragma once
/// A query parameter in PostgreSQL's text format ($1, $2… of a parameterised query): the server
/// parses it as the type the statement gives the placeholder. NULL is a parameter without text.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::store::pg {

struct Param {
  std::optional<std::string> text;  ///< nullopt: SQL NULL

  Param() = default;  ///< NULL
  Param(std::nullopt_t) {}
  Param(std::string_view s) : text(std::string(s)) {}
  Param(const std::string& s) : text(s) {}
  Param(const char* s) : text(std::string(s)) {}
  Param(std::int64_t v) : text(std::to_string(v)) {}
  Param(int v) : text(std::to_string(v)) {}
  Param(bool v) : text(v ? "true" : "false") {}
  Param(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
    text = std::string(buf, r.ptr);
  }
  template <class T>
  Param(const std::optional<T>& v) {
    if (v) text = Param(*v).text;
  }

  /// Bytes for a BYTEA placeholder, in the hex text form ("\x0a1b…").
  static Param bytea(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s = "\\x";
    s.reserve(2 + bytes.size() * 2);
    for (unsigned char c : bytes) {
      s += kHex[c >> 4];
      s += kHex[c & 0xf];
    }
    Param p;
    p.text = std::move(s);
    return p;
  }
};

}  // namespace otklik::store::pg
