// PENDING (scaffold, replaced before merge): the users role.
#include "daemon/store/sqlite_store.hpp"

namespace otklik {
namespace {
Failure pending() { return Failure(errc::store_failed, "not built yet"); }
}  // namespace
Result<void> SqliteStore::add_user(const WebUser&) { return pending(); }
Result<void> SqliteStore::set_password(std::string_view, const std::string&, TimePoint) { return pending(); }
Result<void> SqliteStore::set_role(std::string_view, WebRole, TimePoint) { return pending(); }
Result<void> SqliteStore::remove_user(std::string_view) { return pending(); }
Result<std::optional<WebUser>> SqliteStore::user(std::string_view) { return pending(); }
Result<std::vector<WebUser>> SqliteStore::users() { return pending(); }
Result<void> SqliteStore::create_session(const WebSession&) { return pending(); }
Result<std::optional<WebSession>> SqliteStore::session(std::string_view, TimePoint, TimePoint) { return pending(); }
Result<void> SqliteStore::touch_session(std::string_view, TimePoint) { return pending(); }
Result<void> SqliteStore::delete_session(std::string_view) { return pending(); }
Result<std::int64_t> SqliteStore::delete_sessions(std::string_view) { return pending(); }
Result<std::int64_t> SqliteStore::purge_sessions(TimePoint, TimePoint) { return pending(); }
}  // namespace otklik
