#pragma once
/// Reads a fixture file of the sources tests.

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace otklik::test {

inline std::string read_fixture(const std::string& relative) {
  const std::string path = std::string(OTKLIK_FIXTURES_DIR) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace otklik::test
