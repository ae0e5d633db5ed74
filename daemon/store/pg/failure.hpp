#pragma once
/// PostgreSQL failures as otklik::Failure values. The server's SQLSTATE travels at the end of the
/// detail as "(SQLSTATE 57014)" (read back with sqlstate()); the code says what the caller does:
/// errc::timeout for a statement cancelled by statement_timeout (57014) or a connect deadline,
/// errc::connect_failed when no session could be opened, errc::store_failed for the rest.
/// No text made here ever holds the connection's password (see redact_secrets).

#include "daemon/core/error.hpp"

#include <string>
#include <string_view>

struct pg_conn;
struct pg_result;

namespace otklik::store::pg {

/// A Failure with `code`, "`context`: `message`" and, when not empty, "(SQLSTATE `state`)".
Failure make_failure(errc code, std::string_view context, std::string_view message, std::string_view state = {});

/// The failure of a finished command: SQLSTATE and primary message from `res` (or the
/// connection's message when `res` is null: out of memory, connection lost). `password` is hidden.
Failure result_failure(const pg_conn* conn, const pg_result* res, std::string_view context, std::string_view password);

/// The SQLSTATE a Failure carries ("" when it carries none).
std::string sqlstate(const Failure& f);

/// `text` with every occurrence of `password` (when not empty) replaced by "***".
std::string redact_secrets(std::string text, std::string_view password);

/// A libpq message about a connection string that could not be parsed, with every quoted part
/// (libpq quotes the offending piece, which may be the password) replaced by "\"…\"".
std::string hide_quoted(std::string_view message);

}  // namespace otklik::store::pg
