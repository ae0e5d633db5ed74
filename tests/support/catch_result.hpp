#pragma once
/// Lets Catch2 print otklik::Result<T> in assertions (REQUIRE(result)) without needing
/// operator<< for T: the value side prints as "value", the failure side as its message.

#include "daemon/core/error.hpp"

#include <catch2/catch.hpp>

namespace Catch {
template <class T>
struct StringMaker<boost::system::result<T, otklik::Failure>> {
  static std::string convert(const boost::system::result<T, otklik::Failure>& r) {
    return r.has_value() ? std::string("value") : "failure: " + r.error().message();
  }
};
}  // namespace Catch
