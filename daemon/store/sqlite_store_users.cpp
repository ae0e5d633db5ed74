// SqliteStore: the users role — the web inbox's users and their server-side sessions. A
// session's role is always read from its user, so a changed role counts at the next request;
// a user's sessions go with a new password and with the user.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik {
namespace {

using sqlite::Transaction;
using store::from_ms;
using store::to_ms;

Failure unknown_user(std::string_view name) { return Failure(errc::not_found, "no web user '" + std::string(name) + "'"); }

WebUser read_user(const sqlite::Statement& st) {
  WebUser u;
  u.name = st.text(0);
  u.role = parse_web_role(st.text(1)).value_or(WebRole::viewer);
  u.password_hash = st.text(2);
  u.created = from_ms(st.int64(3));
  u.updated = from_ms(st.int64(4));
  return u;
}

/// Deletes every session of `name` (inside the caller's transaction); how many.
Result<std::int64_t> end_sessions(sqlite::Database& db, std::string_view name) {
  OTKLIK_STORE_TRY(st, db.cached("DELETE FROM web_sessions WHERE user = ?1"));
  st->bind(1, name);
  OTKLIK_STORE_CHECK(st->run());
  return db.changes();
}

}  // namespace

Result<void> SqliteStore::add_user(const WebUser& user) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO users (name, role, password_hash, created_at, updated_at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO NOTHING"));
  st->bind(1, user.name);
  st->bind(2, to_string(user.role));
  st->bind(3, user.password_hash);
  st->bind(4, to_ms(user.created));
  st->bind(5, to_ms(user.updated));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0) return Failure(errc::invalid_input, "the web user '" + user.name + "' exists");
  return tx.commit();
}

Result<void> SqliteStore::set_password(std::string_view name, const std::string& hash, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE name = ?1"));
    st->bind(1, name);
    st->bind(2, hash);
    st->bind(3, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  if (db_.changes() == 0) return unknown_user(name);
  // Whoever knew the old password is signed out everywhere.
  OTKLIK_STORE_TRY(ended, end_sessions(db_, name));
  (void)ended;
  return tx.commit();
}

Result<void> SqliteStore::set_role(std::string_view name, WebRole role, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE users SET role = ?2, updated_at = ?3 WHERE name = ?1"));
  st->bind(1, name);
  st->bind(2, to_string(role));
  st->bind(3, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0) return unknown_user(name);
  return {};
}

Result<void> SqliteStore::remove_user(std::string_view name) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_TRY(ended, end_sessions(db_, name));
  (void)ended;
  OTKLIK_STORE_TRY(st, db_.cached("DELETE FROM users WHERE name = ?1"));
  st->bind(1, name);
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0) return unknown_user(name);
  return tx.commit();
}

Result<std::optional<WebUser>> SqliteStore::user(std::string_view name) {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT name, role, password_hash, created_at, updated_at FROM users "
                                  "WHERE name = ?1"));
  st->bind(1, name);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<WebUser>{};
  return std::optional<WebUser>(read_user(*st));
}

Result<std::vector<WebUser>> SqliteStore::users() {
  OTKLIK_STORE_TRY(st, db_.cached("SELECT name, role, password_hash, created_at, updated_at FROM users ORDER BY name"));
  std::vector<WebUser> out;
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    out.push_back(read_user(*st));
  }
  return out;
}

Result<void> SqliteStore::create_session(const WebSession& s) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT 1 FROM users WHERE name = ?1"));
    st->bind(1, s.user);
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) return unknown_user(s.user);
  }
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO web_sessions (token_hash, user, csrf, created_at, seen_at, address) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  st->bind(1, s.token_hash);
  st->bind(2, s.user);
  st->bind(3, s.csrf);
  st->bind(4, to_ms(s.created));
  st->bind(5, to_ms(s.seen));
  st->bind(6, s.address);
  OTKLIK_STORE_CHECK(st->run());
  return tx.commit();
}

Result<std::optional<WebSession>> SqliteStore::session(std::string_view token_hash, TimePoint idle_before,
                                                       TimePoint created_before) {
  std::optional<WebSession> out;
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT s.user, u.role, s.csrf, s.created_at, s.seen_at, s.address "
                                    "FROM web_sessions s JOIN users u ON u.name = s.user WHERE s.token_hash = ?1"));
    st->bind(1, token_hash);
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) return out;
    WebSession s;
    s.token_hash = std::string(token_hash);
    s.user = st->text(0);
    s.role = parse_web_role(st->text(1)).value_or(WebRole::viewer);
    s.csrf = st->text(2);
    s.created = from_ms(st->int64(3));
    s.seen = from_ms(st->int64(4));
    s.address = st->text(5);
    out = std::move(s);
  }
  if (out->seen >= idle_before && out->created >= created_before) return out;
  // Expired: gone for good, not just hidden.
  OTKLIK_STORE_CHECK(delete_session(token_hash));
  return std::optional<WebSession>{};
}

Result<void> SqliteStore::touch_session(std::string_view token_hash, TimePoint seen) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE web_sessions SET seen_at = ?2 WHERE token_hash = ?1"));
  st->bind(1, token_hash);
  st->bind(2, to_ms(seen));
  return st->run();
}

Result<void> SqliteStore::delete_session(std::string_view token_hash) {
  OTKLIK_STORE_TRY(st, db_.cached("DELETE FROM web_sessions WHERE token_hash = ?1"));
  st->bind(1, token_hash);
  return st->run();
}

Result<std::int64_t> SqliteStore::delete_sessions(std::string_view user) { return end_sessions(db_, user); }

Result<std::int64_t> SqliteStore::purge_sessions(TimePoint idle_before, TimePoint created_before) {
  // The sessions table holds the live sessions only (a few per user): a scan of it is small.
  OTKLIK_STORE_TRY(st, db_.cached("DELETE FROM web_sessions WHERE seen_at < ?1 OR created_at < ?2"));
  st->bind(1, to_ms(idle_before));
  st->bind(2, to_ms(created_before));
  OTKLIK_STORE_CHECK(st->run());
  return db_.changes();
}

}  // namespace otklik
