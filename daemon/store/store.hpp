#pragma once
/// The Store: the single source of truth, offered to the rest of the daemon as small role
/// interfaces (one header each, with its row types); a part of the daemon takes only the roles
/// it uses. A backend implements them all (sqlite_store.hpp, pg/pg_store.hpp) and is used from
/// one thread at a time: the daemon reaches it through a StoreExecutor (store_executor.hpp), so
/// that the event loop never waits on the database.

#include "daemon/store/case_store.hpp"
#include "daemon/store/cursor_store.hpp"
#include "daemon/store/inbox_store.hpp"
#include "daemon/store/label_store.hpp"
#include "daemon/store/lease_store.hpp"
#include "daemon/store/ledger_store.hpp"
#include "daemon/store/mention_store.hpp"
#include "daemon/store/outbox_store.hpp"
#include "daemon/store/reply_store.hpp"
#include "daemon/store/report_store.hpp"
#include "daemon/store/source_state_store.hpp"
#include "daemon/store/spike_store.hpp"
#include "daemon/store/user_store.hpp"

namespace otklik {

/// Every role of one backend connection.
class Store : public SourceStateStore,
              public MentionStore,
              public OutboxStore,
              public CaseStore,
              public SpikeStore,
              public ReportStore,
              public CursorStore,
              public LedgerStore,
              public LeaseStore,
              public InboxStore,
              public LabelStore,
              public UserStore,
              public ReplyStore {
 public:
  ~Store() override = default;

  /// Group commit (StoreExecutor::run_grouped), for a backend that gains from it: SQLite, where
  /// every commit writes each page it changed to the WAL (and the full-text index a segment), so
  /// that the jobs of a queue share one. groups() says whether the backend takes part (the
  /// default: no, each job keeps its own transaction); begin_group opens a group (false: it could
  /// not, the jobs run alone); group_intact says whether the jobs run so far may still commit
  /// together; end_group(true) commits (true) or, when a job spoiled the group, rolls it all back
  /// (false), as end_group(false) does, after which the caller runs each job again alone.
  [[nodiscard]] virtual bool groups() const noexcept { return false; }
  virtual bool begin_group() { return false; }
  virtual bool group_intact() { return false; }
  virtual bool end_group(bool /*commit*/) { return false; }
};

}  // namespace otklik
