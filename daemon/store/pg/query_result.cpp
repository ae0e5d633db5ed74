#include "daemon/store/pg/query_result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <utility>

namespace otklik::store::pg {
namespace {

Failure bad_cell(int row, int column, std::string_view what) {
  return Failure(errc::store_failed, "row " + std::to_string(row) + ", column " + std::to_string(column) + ": " +
                                         std::string(what));
}

}  // namespace

QueryResult::QueryResult(QueryResult&& other) noexcept : res_(std::exchange(other.res_, nullptr)) {}

QueryResult& QueryResult::operator=(QueryResult&& other) noexcept {
  if (this != &other) {
    if (res_ != nullptr) PQclear(res_);
    res_ = std::exchange(other.res_, nullptr);
  }
  return *this;
}

QueryResult::~QueryResult() {
  if (res_ != nullptr) PQclear(res_);
}

int QueryResult::rows() const noexcept { return res_ == nullptr ? 0 : PQntuples(res_); }

int QueryResult::columns() const noexcept { return res_ == nullptr ? 0 : PQnfields(res_); }

std::int64_t QueryResult::affected() const noexcept {
  if (res_ == nullptr) return 0;
  const char* n = PQcmdTuples(res_);
  return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

Result<bool> QueryResult::is_null(int row, int column) const {
  if (row < 0 || row >= rows() || column < 0 || column >= columns()) return bad_cell(row, column, "out of range");
  return PQgetisnull(res_, row, column) == 1;
}

Result<std::string_view> QueryResult::cell(int row, int column) const {
  auto null = is_null(row, column);
  if (!null) return null.error();
  if (*null) return bad_cell(row, column, "NULL where a value is required");
  return std::string_view(PQgetvalue(res_, row, column), static_cast<std::size_t>(PQgetlength(res_, row, column)));
}

Result<std::string> QueryResult::text(int row, int column) const {
  auto c = cell(row, column);
  if (!c) return c.error();
  return std::string(*c);
}

Result<std::int64_t> QueryResult::int64(int row, int column) const {
  auto c = cell(row, column);
  if (!c) return c.error();
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
  if (ec != std::errc{} || end != c->data() + c->size())
    return bad_cell(row, column, "not an integer: \"" + std::string(c->substr(0, 40)) + "\"");
  return v;
}

Result<double> QueryResult::real(int row, int column) const {
  auto c = cell(row, column);
  if (!c) return c.error();
  double v = 0;
  const auto [end, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
  if (ec != std::errc{} || end != c->data() + c->size())
    return bad_cell(row, column, "not a number: \"" + std::string(c->substr(0, 40)) + "\"");
  return v;
}

Result<bool> QueryResult::boolean(int row, int column) const {
  auto c = cell(row, column);
  if (!c) return c.error();
  if (*c == "t") return true;
  if (*c == "f") return false;
  return bad_cell(row, column, "not a boolean: \"" + std::string(c->substr(0, 40)) + "\"");
}

Result<std::string> QueryResult::bytes(int row, int column) const {
  auto c = cell(row, column);
  if (!c) return c.error();
  if (c->size() < 2 || (*c)[0] != '\\' || (*c)[1] != 'x') return bad_cell(row, column, "not BYTEA in hex form");
  std::size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(std::string(*c).c_str()), &n);
  if (raw == nullptr) return bad_cell(row, column, "BYTEA could not be decoded");
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

Result<std::optional<std::string>> QueryResult::optional_text(int row, int column) const {
  auto null = is_null(row, column);
  if (!null) return null.error();
  if (*null) return std::optional<std::string>{};
  auto v = text(row, column);
  if (!v) return v.error();
  return std::optional<std::string>(std::move(*v));
}

Result<std::optional<std::int64_t>> QueryResult::optional_int64(int row, int column) const {
  auto null = is_null(row, column);
  if (!null) return null.error();
  if (*null) return std::optional<std::int64_t>{};
  auto v = int64(row, column);
  if (!v) return v.error();
  return std::optional<std::int64_t>(*v);
}

}  // namespace otklik::store::pg
