#include "daemon/store/pg/connection.hpp"

#include "daemon/store/pg/failure.hpp"

#include <libpq-fe.h>

#include <poll.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace otklik::store::pg {
namespace {

using Clock = std::chrono::steady_clock;

struct Finish {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using ConnPtr = std::unique_ptr<PGconn, Finish>;

/// The password a connection string sets, or PGPASSWORD's; "" when neither. A malformed string
/// is invalid_input, its message without the quoted piece (it may be the password).
Result<std::string> password_of(const std::string& conninfo) {
  std::string password;
  if (!conninfo.empty()) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options == nullptr) {
      std::string message = error == nullptr ? "out of memory" : hide_quoted(error);
      if (error != nullptr) PQfreemem(error);
      return make_failure(errc::invalid_input, "PostgreSQL connection string", message);
    }
    for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (o->val != nullptr && std::strcmp(o->keyword, "password") == 0) password = o->val;
    }
    PQconninfoFree(options);
  }
  if (password.empty()) {
    if (const char* env = std::getenv("PGPASSWORD")) password = env;
  }
  return password;
}

std::string where_of(const PGconn* conn) {
  auto part = [](const char* s) { return s == nullptr ? std::string() : std::string(s); };
  std::string host = part(PQhost(conn));
  if (!host.empty() && host.front() == '/') host = "socket " + host;
  return host + ":" + part(PQport(conn)) + "/" + part(PQdb(conn));
}

std::string millis(std::chrono::milliseconds d) { return std::to_string(d.count()); }

}  // namespace

Result<Connection> Connection::connect(const ConnectOptions& options) {
  auto password = password_of(options.conninfo);
  if (!password) return password.error();

  // Our defaults first, then the connection string (expanded in place of "dbname"), whose own
  // settings win. Values must outlive PQconnectStartParams only.
  const std::string idle = std::to_string(options.keepalives_idle.count());
  const std::string interval = std::to_string(options.keepalives_interval.count());
  const std::string count = std::to_string(options.keepalives_count);
  const std::string user_timeout = millis(options.tcp_user_timeout);
  const char* keys[] = {"application_name", "client_encoding", "keepalives", "keepalives_idle",
                        "keepalives_interval", "keepalives_count", "tcp_user_timeout", "dbname", nullptr};
  const char* values[] = {options.application_name.c_str(), "UTF8", "1", idle.c_str(), interval.c_str(),
                          count.c_str(), user_timeout.c_str(), options.conninfo.c_str(), nullptr};

  const auto deadline = Clock::now() + options.connect_timeout;
  ConnPtr conn(PQconnectStartParams(keys, values, 1));
  if (!conn) return make_failure(errc::connect_failed, "PostgreSQL", "out of memory");
  // Redacted too: a mistyped URL can put the password where the port or host should be.
  const std::string where = redact_secrets("PostgreSQL " + where_of(conn.get()), *password);
  if (PQstatus(conn.get()) == CONNECTION_BAD)
    return make_failure(errc::connect_failed, where, redact_secrets(PQerrorMessage(conn.get()), *password));

  // libpq's loop: start as if PQconnectPoll had asked to write; wait for what it asks next.
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED)
      return make_failure(errc::connect_failed, where, redact_secrets(PQerrorMessage(conn.get()), *password));
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0)
      return make_failure(errc::timeout, where, "no session within " + millis(options.connect_timeout) + " ms");
    pollfd fd{PQsocket(conn.get()), static_cast<short>(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR)
      return make_failure(errc::connect_failed, where, std::string("poll: ") + std::strerror(errno));
    if (ready > 0) state = PQconnectPoll(conn.get());
  }

  // Notices ("relation already exists, skipping") are not errors; libpq would print them to stderr.
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  Connection c(conn.release(), std::move(*password), where);
  c.options_ = options;
  if (auto r = c.set_statement_timeout(options.statement_timeout); !r) return r.error();
  return c;
}

Connection::Connection(Connection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      password_(std::move(other.password_)),
      where_(std::move(other.where_)),
      statement_timeout_(other.statement_timeout_),
      trace_(std::move(other.trace_)),
      options_(std::move(other.options_)),
      transaction_open_(other.transaction_open_),
      reopened_(other.reopened_) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    password_ = std::move(other.password_);
    where_ = std::move(other.where_);
    statement_timeout_ = other.statement_timeout_;
    trace_ = std::move(other.trace_);
    options_ = std::move(other.options_);
    transaction_open_ = other.transaction_open_;
    reopened_ = other.reopened_;
  }
  return *this;
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Failure Connection::failure(const pg_result* res, std::string_view context) const {
  return result_failure(conn_, res, context, password_);
}

Result<void> Connection::reopen_if_lost() {
  if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return {};
  if (options_.conninfo.empty() && conn_ == nullptr) return make_failure(errc::store_failed, where_, "no session");
  auto fresh = connect(options_);
  if (!fresh) return fresh.error();
  Trace trace = std::move(trace_);
  const std::uint64_t reopened = reopened_ + 1;
  *this = std::move(*fresh);
  trace_ = std::move(trace);
  reopened_ = reopened;
  transaction_open_ = false;
  return {};
}

Result<void> Connection::exec(std::string_view sql) {
  if (!transaction_open_) {
    if (auto r = reopen_if_lost(); !r) return r;
  }
  QueryResult res(PQexec(conn_, std::string(sql).c_str()));
  const auto status = PQresultStatus(res.handle());
  if (res.handle() == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK))
    return failure(res.handle(), where_);
  return {};
}

Result<QueryResult> Connection::query(std::string_view sql, std::span<const Param> params) {
  if (!transaction_open_) {
    if (auto r = reopen_if_lost(); !r) return r.error();
  }
  if (trace_) trace_(sql, params);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) {
    // libpq reads a text parameter up to its first NUL, and PostgreSQL's text cannot hold one:
    // refuse it rather than store a cut value (bytes go as BYTEA, in hex).
    if (p.text && p.text->find('\0') != std::string::npos) {
      return make_failure(errc::invalid_input, where_,
                          "parameter $" + std::to_string(values.size() + 1) +
                              " holds a NUL byte, which PostgreSQL text cannot store");
    }
    values.push_back(p.text ? p.text->c_str() : nullptr);
  }
  QueryResult res(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0));
  const auto status = PQresultStatus(res.handle());
  if (res.handle() == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK))
    return failure(res.handle(), where_);
  return res;
}

Result<void> Connection::set_statement_timeout(std::chrono::milliseconds timeout) {
  auto r = query("SELECT set_config('statement_timeout', $1, false)", {millis(timeout)});
  if (!r) return r.error();
  statement_timeout_ = timeout;
  return {};
}

bool Connection::in_transaction() const noexcept {
  const auto s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool Connection::ok() const noexcept { return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK; }

}  // namespace otklik::store::pg
