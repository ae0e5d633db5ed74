#pragma once
/// The lease a write is made under (lease_store.hpp): the write commits only while lease `name`
/// is held by `holder` with fencing number `fence`; otherwise it fails with errc::lease_lost and
/// changes nothing.

#include <cstdint>
#include <string>

namespace otklik {

struct LeaseFence {
  std::string name;
  std::string holder;
  std::int64_t fence = 0;
  friend bool operator==(const LeaseFence&, const LeaseFence&) = default;
};

}  // namespace otklik
