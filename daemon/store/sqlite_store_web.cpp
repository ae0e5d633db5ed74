// PENDING (scaffold, replaced before merge): the inbox and labels roles.
#include "daemon/store/sqlite_store.hpp"

namespace otklik {
namespace {
Failure pending() { return Failure(errc::store_failed, "not built yet"); }
}  // namespace
Result<InboxPage> SqliteStore::inbox(const InboxQuery&) { return pending(); }
Result<InboxCounts> SqliteStore::inbox_counts(const InboxFilter&, std::int64_t) { return pending(); }
Result<std::optional<InboxRow>> SqliteStore::inbox_row(std::int64_t) { return pending(); }
Result<std::vector<CaseEvent>> SqliteStore::case_events(std::int64_t) { return pending(); }
Result<std::vector<HourCount>> SqliteStore::negatives_by_hour(ReportRange) { return pending(); }
Result<std::vector<DigestRow>> SqliteStore::digest_rows(int) { return pending(); }
Result<std::vector<InboxRow>> SqliteStore::opened_since(const InboxCursor&, int) { return pending(); }
Result<void> SqliteStore::relabel(const Relabel&) { return pending(); }
Result<std::vector<Relabel>> SqliteStore::relabels(std::int64_t) { return pending(); }
}  // namespace otklik
