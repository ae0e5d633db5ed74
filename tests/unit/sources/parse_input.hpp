#pragma once
/// The input of a pure parse function in the sources tests. `body` is viewed, not copied: it must
/// outlive the ParseInput.

#include "sources/generic/parsed_page.hpp"

#include <string>
#include <string_view>

namespace otklik::test {

inline ParseInput parse_input(std::string_view body, std::string base_url, std::string source, std::string brand,
                              TimePoint fetched, std::string charset = "") {
  ParseInput in;
  in.body = body;
  in.charset = std::move(charset);
  in.base_url = std::move(base_url);
  in.source = std::move(source);
  in.brand = std::move(brand);
  in.fetched = fetched;
  return in;
}

}  // namespace otklik::test
