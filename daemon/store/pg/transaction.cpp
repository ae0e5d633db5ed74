#include "daemon/store/pg/transaction.hpp"

#include "daemon/store/pg/failure.hpp"

#include <libpq-fe.h>

#include <cstring>

namespace otklik::store::pg {

Result<Transaction> Transaction::begin(Connection& conn) {
  if (auto r = conn.exec("BEGIN"); !r) return r.error();
  conn.transaction_open_ = true;
  return Transaction(conn);
}

Transaction::~Transaction() {
  if (conn_ == nullptr) return;
  // A lost connection has nothing to roll back: the server did it.
  if (conn_->ok() && conn_->in_transaction()) (void)conn_->exec("ROLLBACK");
  conn_->transaction_open_ = false;
}

Result<void> Transaction::commit() {
  Connection* conn = std::exchange(conn_, nullptr);
  if (conn == nullptr) return Failure(errc::invalid_input, "PostgreSQL: commit of a finished transaction");
  struct Closed {
    Connection* c;
    ~Closed() { c->transaction_open_ = false; }
  } closed{conn};
  auto r = conn->query("COMMIT");
  if (!r) {
    if (conn->ok() && conn->in_transaction()) (void)conn->exec("ROLLBACK");
    return r.error();
  }
  // COMMIT of a transaction in the failed state succeeds as a command but reports ROLLBACK.
  if (std::strcmp(PQcmdStatus(r->handle()), "ROLLBACK") == 0)
    return make_failure(errc::store_failed, conn->describe(), "transaction rolled back: a statement in it had failed");
  return {};
}

}  // namespace otklik::store::pg
