#pragma once
/// Reads a file under tests/fixtures, whole (bytes as they are).

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

namespace otklik::test {

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(OTKLIK_FIXTURES_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Every `from` in `s` replaced by `to` (fresh dates or ids in a fixture).
inline void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

}  // namespace otklik::test
