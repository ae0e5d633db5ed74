#include "daemon/store/pg/failure.hpp"

#include <libpq-fe.h>

namespace otklik::store::pg {
namespace {

constexpr std::string_view kMarker = "(SQLSTATE ";

/// libpq's messages end with a newline (sometimes two lines); one line reads better in logs.
std::string one_line(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

Failure make_failure(errc code, std::string_view context, std::string_view message, std::string_view state) {
  std::string detail(context);
  const std::string text = one_line(message);
  if (!text.empty()) detail += detail.empty() ? text : ": " + text;
  if (!state.empty()) {
    detail += ' ';
    detail += kMarker;
    detail += state;
    detail += ')';
  }
  return Failure(code, std::move(detail));
}

Failure result_failure(const pg_conn* conn, const pg_result* res, std::string_view context, std::string_view password) {
  if (res == nullptr) {
    const char* m = conn == nullptr ? "no connection" : PQerrorMessage(conn);
    return make_failure(errc::store_failed, context, redact_secrets(m, password));
  }
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = primary != nullptr ? primary : PQresultErrorMessage(res);
  if (message.empty() && conn != nullptr) message = PQerrorMessage(conn);
  const std::string_view code = state == nullptr ? std::string_view{} : std::string_view(state);
  // 57014 query_canceled: statement_timeout (we never cancel otherwise).
  return make_failure(code == "57014" ? errc::timeout : errc::store_failed, context,
                      redact_secrets(std::move(message), password), code);
}

std::string sqlstate(const Failure& f) {
  const auto at = f.detail.rfind(kMarker);
  if (at == std::string::npos) return {};
  const auto start = at + kMarker.size();
  const auto end = f.detail.find(')', start);
  if (end == std::string::npos || end - start != 5) return {};
  return f.detail.substr(start, 5);
}

std::string redact_secrets(std::string text, std::string_view password) {
  if (password.empty()) return text;
  for (auto at = text.find(password); at != std::string::npos; at = text.find(password, at + 3))
    text.replace(at, password.size(), "***");
  return text;
}

std::string hide_quoted(std::string_view message) {
  std::string out;
  bool inside = false;
  for (char c : message) {
    if (c == '"') {
      if (!inside) out += "\"…\"";
      inside = !inside;
    } else if (!inside) {
      out += c;
    }
  }
  return out;
}

}  // namespace otklik::store::pg
