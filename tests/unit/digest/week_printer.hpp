#pragma once
// Lets Catch2 print IsoWeek values in failed assertions.

#include "daemon/digest/iso_week.hpp"
#include "tests/support/catch_result.hpp"

namespace Catch {
template <>
struct StringMaker<otklik::digest::IsoWeek> {
  static std::string convert(const otklik::digest::IsoWeek& w) { return otklik::digest::to_string(w); }
};
}  // namespace Catch
