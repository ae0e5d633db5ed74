#pragma once
/// A transaction: BEGIN on begin(), ROLLBACK on destruction unless committed (also after a failed
/// statement, which leaves PostgreSQL's transaction unusable until then).

#include "daemon/core/error.hpp"
#include "daemon/store/pg/connection.hpp"

#include <utility>

namespace otklik::store::pg {

class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn);

  Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  /// Commits. A COMMIT that fails (or turns into a rollback, as after a failed statement) is a
  /// Failure, and the transaction is over either way.
  Result<void> commit();

 private:
  explicit Transaction(Connection& conn) noexcept : conn_(&conn) {}
  Connection* conn_;
};

}  // namespace otklik::store::pg
