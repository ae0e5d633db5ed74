// PENDING (scaffold, replaced before merge): the users role.
#include "daemon/store/pg/pg_store.hpp"

namespace otklik::store {
namespace {
Failure pending() { return Failure(errc::store_failed, "not built yet"); }
}  // namespace
Result<void> PgStore::add_user(const WebUser&) { return pending(); }
Result<void> PgStore::set_password(std::string_view, const std::string&, TimePoint) { return pending(); }
Result<void> PgStore::set_role(std::string_view, WebRole, TimePoint) { return pending(); }
Result<void> PgStore::remove_user(std::string_view) { return pending(); }
Result<std::optional<WebUser>> PgStore::user(std::string_view) { return pending(); }
Result<std::vector<WebUser>> PgStore::users() { return pending(); }
Result<void> PgStore::create_session(const WebSession&) { return pending(); }
Result<std::optional<WebSession>> PgStore::session(std::string_view, TimePoint, TimePoint) { return pending(); }
Result<void> PgStore::touch_session(std::string_view, TimePoint) { return pending(); }
Result<void> PgStore::delete_session(std::string_view) { return pending(); }
Result<std::int64_t> PgStore::delete_sessions(std::string_view) { return pending(); }
Result<std::int64_t> PgStore::purge_sessions(TimePoint, TimePoint) { return pending(); }
}  // namespace otklik::store
