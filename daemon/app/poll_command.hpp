#pragma once
/// `otklik poll -c FILE --once [--dry-run]`: poll each enabled source once. With --dry-run nothing
/// is sent and no store is opened: every negative item is printed with the channels it would go
/// to and why. Without it, items are stored and the alerts they raise are delivered before exit.

#include <spdlog/logger.h>

#include <filesystem>
#include <iosfwd>
#include <memory>

namespace otklik {

int run_poll_once(const std::filesystem::path& config_path, bool dry_run, std::ostream& out, std::ostream& err,
                  std::shared_ptr<spdlog::logger> log);

}  // namespace otklik
