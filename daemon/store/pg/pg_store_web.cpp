// PENDING (scaffold, replaced before merge): the inbox and labels roles.
#include "daemon/store/pg/pg_store.hpp"

namespace otklik::store {
namespace {
Failure pending() { return Failure(errc::store_failed, "not built yet"); }
}  // namespace
Result<InboxPage> PgStore::inbox(const InboxQuery&) { return pending(); }
Result<InboxCounts> PgStore::inbox_counts(const InboxFilter&, std::int64_t) { return pending(); }
Result<std::optional<InboxRow>> PgStore::inbox_row(std::int64_t) { return pending(); }
Result<std::vector<CaseEvent>> PgStore::case_events(std::int64_t) { return pending(); }
Result<std::vector<HourCount>> PgStore::negatives_by_hour(ReportRange) { return pending(); }
Result<std::vector<DigestRow>> PgStore::digest_rows(int) { return pending(); }
Result<std::vector<InboxRow>> PgStore::opened_since(const InboxCursor&, int) { return pending(); }
Result<void> PgStore::relabel(const Relabel&) { return pending(); }
Result<std::vector<Relabel>> PgStore::relabels(std::int64_t) { return pending(); }
}  // namespace otklik::store
