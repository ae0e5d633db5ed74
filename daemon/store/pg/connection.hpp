#pragma once
/// One PostgreSQL session over libpq's blocking API, meant for the store's own thread (the event
/// loop never waits on it). Every wait is bounded: opening the session by `connect_timeout`
/// (DNS aside, our own poll loop, not libpq's whole-second connect_timeout), each statement by the
/// session's statement_timeout, and a server that vanishes mid-query by TCP keepalives and
/// tcp_user_timeout. Not thread-safe: one thread at a time.
///
/// Failures are Failure values (failure.hpp); none of their texts holds the password of the
/// connection string or of PGPASSWORD.

#include "daemon/core/error.hpp"
#include "daemon/store/pg/param.hpp"
#include "daemon/store/pg/query_result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

struct pg_conn;

namespace otklik::store::pg {

/// How to reach the server and the session's deadlines.
struct ConnectOptions {
  /// A URL ("postgresql://user@host:5432/otklik?sslmode=verify-full") or "key=value …" string;
  /// what it leaves out comes from the PG* environment and libpq's defaults. Its own settings win
  /// over the keepalive defaults below.
  std::string conninfo;
  /// The whole opening of the session (TCP, TLS, authentication, session settings). Default 10 s.
  std::chrono::milliseconds connect_timeout{10'000};
  /// statement_timeout of the session: the server cancels a statement running longer. Default 30 s.
  std::chrono::milliseconds statement_timeout{30'000};
  /// TCP keepalive: idle time before the first probe, time between probes, probes before the
  /// connection is dropped. Defaults 30 s, 10 s, 3.
  std::chrono::seconds keepalives_idle{30};
  std::chrono::seconds keepalives_interval{10};
  int keepalives_count = 3;
  /// tcp_user_timeout: sent data left unacknowledged this long drops the connection. Default 30 s.
  std::chrono::milliseconds tcp_user_timeout{30'000};
  /// application_name shown in pg_stat_activity. Default "otklik".
  std::string application_name = "otklik";
};

class Connection {
 public:
  /// Opens a session within `options.connect_timeout` and applies the session settings.
  /// errc::timeout when the deadline passed, errc::connect_failed when the server refused, could
  /// not be reached or rejected the credentials, errc::invalid_input for a malformed conninfo.
  static Result<Connection> connect(const ConnectOptions& options);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Runs one or more statements without parameters (schema patches, SET, BEGIN/COMMIT).
  Result<void> exec(std::string_view sql);
  /// Runs one statement with text parameters ($1, $2…) and returns its rows. A parameter holding
  /// a NUL byte fails with errc::invalid_input (PostgreSQL's text cannot store it; libpq would cut
  /// the value there): bytes go as Param::bytea.
  Result<QueryResult> query(std::string_view sql, std::span<const Param> params = {});
  Result<QueryResult> query(std::string_view sql, std::initializer_list<Param> params) {
    return query(sql, std::span<const Param>(params.begin(), params.size()));
  }

  /// Called before each query() with its SQL and parameters (tests trace the statements a role
  /// runs, to check their plans); none by default. exec() scripts are not traced.
  using Trace = std::function<void(std::string_view sql, std::span<const Param> params)>;
  void set_trace(Trace trace) { trace_ = std::move(trace); }

  /// Changes the session's statement_timeout (0 turns it off; the daemon never does).
  Result<void> set_statement_timeout(std::chrono::milliseconds timeout);
  [[nodiscard]] std::chrono::milliseconds statement_timeout() const noexcept { return statement_timeout_; }

  /// True while a transaction (or a failed one awaiting ROLLBACK) is open.
  [[nodiscard]] bool in_transaction() const noexcept;
  /// True while the session is usable (false after the server went away).
  [[nodiscard]] bool ok() const noexcept;
  /// A session the server or the network dropped is opened again (within connect_timeout) before
  /// the next statement that starts outside a transaction: a restarted or failed-over server is
  /// caught up with, and a transaction is never continued on a new session (its statements fail
  /// until it ends). Returns the failure of the new connect, if any.
  Result<void> reopen_if_lost();
  /// Sessions opened again so far (metrics, tests).
  [[nodiscard]] std::uint64_t reopened() const noexcept { return reopened_; }
  /// "host:port/database", for messages (never the password).
  [[nodiscard]] const std::string& describe() const noexcept { return where_; }

  [[nodiscard]] pg_conn* handle() const noexcept { return conn_; }

 private:
  friend class Transaction;
  Connection(pg_conn* conn, std::string password, std::string where) noexcept
      : conn_(conn), password_(std::move(password)), where_(std::move(where)) {}
  /// A failure of the last command with `context`, the password hidden.
  [[nodiscard]] Failure failure(const pg_result* res, std::string_view context) const;

  pg_conn* conn_ = nullptr;
  std::string password_;  ///< only to hide it from error texts
  std::string where_;
  std::chrono::milliseconds statement_timeout_{0};
  Trace trace_;
  ConnectOptions options_;      ///< to open the session again
  bool transaction_open_ = false;  ///< a Transaction of ours is open on this session
  std::uint64_t reopened_ = 0;
};

}  // namespace otklik::store::pg
