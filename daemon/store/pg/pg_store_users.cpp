// PgStore: the users role — the web inbox's users and their server-side sessions, with the rules
// of sqlite_store_users.cpp: a session's role is always read from its user, so a changed role
// counts at the next request; a user's sessions go with a new password and with the user.
// (`user` is a reserved word in PostgreSQL: the sessions' column is written "user".)
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik::store {
namespace {

using pg::Row;
using pg::Transaction;

Failure unknown_user(std::string_view name) {
  return Failure(errc::not_found, "no web user '" + std::string(name) + "'");
}

constexpr const char* kUserColumns = "name, role, password_hash, created_at, updated_at";

Result<WebUser> read_user(const pg::QueryResult& r, int i) {
  Row row(r, i);
  WebUser u;
  u.name = row.text(0);
  u.role = parse_web_role(row.text(1)).value_or(WebRole::viewer);
  u.password_hash = row.text(2);
  u.created = from_ms(row.int64(3));
  u.updated = from_ms(row.int64(4));
  OTKLIK_STORE_CHECK(row.status());
  return u;
}

}  // namespace

Result<void> PgStore::add_user(const WebUser& user) {
  OTKLIK_STORE_TRY(r, conn_.query(std::string("INSERT INTO users (") + kUserColumns +
                                      ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
                                  {user.name, std::string(to_string(user.role)), user.password_hash,
                                   to_ms(user.created), to_ms(user.updated)}));
  if (r.affected() == 0) return Failure(errc::invalid_input, "the web user '" + user.name + "' exists");
  return {};
}

Result<void> PgStore::set_password(std::string_view name, const std::string& hash, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  {
    OTKLIK_STORE_TRY(r, conn_.query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE name = $1",
                                    {name, hash, to_ms(now)}));
    if (r.affected() == 0) return unknown_user(name);
  }
  // Whoever knew the old password is signed out everywhere.
  OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM web_sessions WHERE \"user\" = $1", {name}));
  (void)r;
  return tx.commit();
}

Result<void> PgStore::set_role(std::string_view name, WebRole role, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE users SET role = $2, updated_at = $3 WHERE name = $1",
                                  {name, std::string(to_string(role)), to_ms(now)}));
  if (r.affected() == 0) return unknown_user(name);
  return {};
}

Result<void> PgStore::remove_user(std::string_view name) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  {
    OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM web_sessions WHERE \"user\" = $1", {name}));
    (void)r;
  }
  OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM users WHERE name = $1", {name}));
  if (r.affected() == 0) return unknown_user(name);
  return tx.commit();
}

Result<std::optional<WebUser>> PgStore::user(std::string_view name) {
  OTKLIK_STORE_TRY(r, conn_.query(std::string("SELECT ") + kUserColumns + " FROM users WHERE name = $1", {name}));
  if (r.rows() == 0) return std::optional<WebUser>{};
  OTKLIK_STORE_TRY(u, read_user(r, 0));
  return std::optional<WebUser>(std::move(u));
}

Result<std::vector<WebUser>> PgStore::users() {
  // COLLATE "C": byte order, as SQLite sorts.
  OTKLIK_STORE_TRY(r, conn_.query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name COLLATE \"C\""));
  std::vector<WebUser> out;
  for (int i = 0; i < r.rows(); ++i) {
    OTKLIK_STORE_TRY(u, read_user(r, i));
    out.push_back(std::move(u));
  }
  return out;
}

Result<void> PgStore::create_session(const WebSession& s) {
  // One statement: a user removed meanwhile leaves nothing to insert (the foreign key would also
  // refuse it), and that is told as not_found.
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO web_sessions (token_hash, \"user\", csrf, created_at, seen_at, address) "
                                  "SELECT $1, name, $3, $4, $5, $6 FROM users WHERE name = $2",
                                  {s.token_hash, s.user, s.csrf, to_ms(s.created), to_ms(s.seen), s.address}));
  if (r.affected() == 0) return unknown_user(s.user);
  return {};
}

Result<std::optional<WebSession>> PgStore::session(std::string_view token_hash, TimePoint idle_before,
                                                   TimePoint created_before) {
  OTKLIK_STORE_TRY(r, conn_.query("SELECT s.\"user\", u.role, s.csrf, s.created_at, s.seen_at, s.address "
                                  "FROM web_sessions s JOIN users u ON u.name = s.\"user\" WHERE s.token_hash = $1",
                                  {token_hash}));
  if (r.rows() == 0) return std::optional<WebSession>{};
  Row row(r, 0);
  WebSession s;
  s.token_hash = std::string(token_hash);
  s.user = row.text(0);
  s.role = parse_web_role(row.text(1)).value_or(WebRole::viewer);
  s.csrf = row.text(2);
  s.created = from_ms(row.int64(3));
  s.seen = from_ms(row.int64(4));
  s.address = row.text(5);
  OTKLIK_STORE_CHECK(row.status());
  if (s.seen >= idle_before && s.created >= created_before) return std::optional<WebSession>(std::move(s));
  // Expired: gone for good, not just hidden.
  OTKLIK_STORE_CHECK(delete_session(token_hash));
  return std::optional<WebSession>{};
}

Result<void> PgStore::touch_session(std::string_view token_hash, TimePoint seen) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE web_sessions SET seen_at = $2 WHERE token_hash = $1",
                                  {token_hash, to_ms(seen)}));
  (void)r;
  return {};
}

Result<void> PgStore::delete_session(std::string_view token_hash) {
  OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM web_sessions WHERE token_hash = $1", {token_hash}));
  (void)r;
  return {};
}

Result<std::int64_t> PgStore::delete_sessions(std::string_view user) {
  OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM web_sessions WHERE \"user\" = $1", {user}));
  return r.affected();
}

Result<std::int64_t> PgStore::purge_sessions(TimePoint idle_before, TimePoint created_before) {
  // The sessions table holds the live sessions only (a few per user): a scan of it is small.
  OTKLIK_STORE_TRY(r, conn_.query("DELETE FROM web_sessions WHERE seen_at < $1 OR created_at < $2",
                                  {to_ms(idle_before), to_ms(created_before)}));
  return r.affected();
}

}  // namespace otklik::store
