#pragma once
/// The cursors role: small named positions a task keeps across restarts (the Telegram
/// getUpdates offset of each bot), in a table of their own.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"

#include <optional>
#include <string>

namespace otklik {

class CursorStore {
 public:
  virtual ~CursorStore() = default;
  /// The saved value of `name`, if any.
  virtual Result<std::optional<std::string>> cursor(const std::string& name) = 0;
  /// Saves (or replaces) the value of `name`.
  virtual Result<void> save_cursor(const std::string& name, const std::string& value, TimePoint now) = 0;
};

}  // namespace otklik
