// The replies role of SqliteStore: a reply from preview to the site's answer id. Queueing writes
// the reply's new state and its outbox row in one BEGIN IMMEDIATE transaction, after reading the
// mention's other replies under the same write lock; the partial unique indexes of patch 10
// (replies_queued, replies_answer) hold the rule even for a writer that skipped the reads.
#include "daemon/store/reply_row.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik {
namespace {

using sqlite::Transaction;
using store::from_ms;
using store::kReplyColumns;
using store::to_ms;

ReplyRecord read_reply_row(const sqlite::Statement& st) {
  ReplyRecord r;
  r.id = st.int64(0);
  r.mention_id = st.int64(1);
  r.source = st.text(2);
  r.channel = st.text(3);
  r.actor = Actor{st.text(4), st.text(5), st.text(6)};
  r.text = st.text(7);
  r.state = parse_reply_state(st.text(8)).value_or(ReplyState::failed);
  r.edit = st.int64(9) != 0;
  r.automatic = st.int64(10) != 0;
  r.preview_message = st.text(11);
  r.site_answer_id = st.text(12);
  r.error = st.text(13);
  r.created = from_ms(st.int64(14));
  r.updated = from_ms(st.int64(15));
  r.posted_at = from_ms(st.optional_int64(16));
  return r;
}

Result<std::optional<ReplyRecord>> read_reply(sqlite::Database& db, std::int64_t id) {
  static const std::string kSql = "SELECT " + std::string(kReplyColumns) + " FROM replies WHERE id = ?1";
  OTKLIK_STORE_TRY(st, db.cached(kSql));
  st->bind(1, id);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<ReplyRecord>{};
  return std::optional<ReplyRecord>(read_reply_row(*st));
}

Failure reply_not_found(std::int64_t id) { return Failure(errc::not_found, "reply " + std::to_string(id) + " is not stored"); }

/// After a conditional UPDATE of reply `id` changed nothing: fine when it is in `settled` already,
/// not_found when it is not stored, invalid_input otherwise.
Result<void> unchanged_reply(sqlite::Database& db, std::int64_t id, ReplyState settled, std::string_view wanted) {
  OTKLIK_STORE_TRY(r, read_reply(db, id));
  if (!r) return reply_not_found(id);
  if (r->state == settled) return {};
  return Failure(errc::invalid_input, "reply " + std::to_string(id) + " is " + std::string(to_string(r->state)) +
                                          ", not queued: it cannot become " + std::string(wanted));
}

}  // namespace

Result<std::int64_t> SqliteStore::add_reply_preview(const ReplyRecord& reply, TimePoint now) {
  // The source is the mention's own: the site the answer goes to is the review's.
  OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO replies (mention_id, source, channel, actor_platform, actor_id, "
                                  "actor_name, text, state, edit, automatic, preview_message, created_at, updated_at) "
                                  "SELECT id, source, ?2, ?3, ?4, ?5, ?6, 'preview', ?7, ?8, ?9, ?10, ?10 "
                                  "FROM mentions WHERE id = ?1"));
  st->bind(1, reply.mention_id);
  st->bind(2, reply.channel);
  st->bind(3, reply.actor.platform);
  st->bind(4, reply.actor.id);
  st->bind(5, reply.actor.name);
  st->bind(6, reply.text);
  st->bind(7, reply.edit ? 1 : 0);
  st->bind(8, reply.automatic ? 1 : 0);
  st->bind(9, reply.preview_message);
  st->bind(10, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0)
    return Failure(errc::not_found, "mention " + std::to_string(reply.mention_id) + " is not stored");
  return db_.last_insert_rowid();
}

Result<std::optional<ReplyRecord>> SqliteStore::reply(std::int64_t id) { return read_reply(db_, id); }

Result<void> SqliteStore::set_reply_preview_message(std::int64_t id, const std::string& message_id) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE replies SET preview_message = ?2 WHERE id = ?1"));
  st->bind(1, id);
  st->bind(2, message_id);
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() == 0) return reply_not_found(id);
  return {};
}

Result<ReplyQueueOutcome> SqliteStore::queue_reply(std::int64_t id, const Actor& by, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  OTKLIK_STORE_TRY(found, read_reply(db_, id));
  if (!found) return ReplyQueueOutcome::not_found;
  if (auto settled = store::settled_queue_outcome(found->state)) return *settled;
  bool other_posted = false, other_queued = false;
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT state FROM replies WHERE mention_id = ?1 AND id != ?2 "
                                    "AND state IN ('queued', 'posted')"));
    st->bind(1, found->mention_id);
    st->bind(2, id);
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      (st->text(0) == "posted" ? other_posted : other_queued) = true;
    }
  }
  if (auto blocked = store::blocking_outcome(found->edit, other_posted, other_queued)) return *blocked;
  {
    OTKLIK_STORE_TRY(st, db_.cached("UPDATE replies SET state = 'queued', actor_platform = ?2, actor_id = ?3, "
                                    "actor_name = ?4, updated_at = ?5 WHERE id = ?1 AND state = 'preview'"));
    st->bind(1, id);
    st->bind(2, by.platform);
    st->bind(3, by.id);
    st->bind(4, by.name);
    st->bind(5, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  OTKLIK_STORE_CHECK(insert_outbox(store::reply_outbox_request(found->source, id), found->mention_id, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return ReplyQueueOutcome::queued;
}

Result<bool> SqliteStore::cancel_reply(std::int64_t id, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE replies SET state = 'cancelled', updated_at = ?2 "
                                  "WHERE id = ?1 AND state = 'preview'"));
  st->bind(1, id);
  st->bind(2, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() > 0) return true;
  OTKLIK_STORE_TRY(r, read_reply(db_, id));
  if (!r) return reply_not_found(id);
  return false;
}

Result<void> SqliteStore::mark_reply_posted(std::int64_t id, const std::string& site_answer_id, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE replies SET state = 'posted', site_answer_id = ?2, posted_at = ?3, "
                                  "updated_at = ?3 WHERE id = ?1 AND state = 'queued'"));
  st->bind(1, id);
  st->bind(2, site_answer_id);
  st->bind(3, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() > 0) return {};
  return unchanged_reply(db_, id, ReplyState::posted, "posted");
}

Result<void> SqliteStore::mark_reply_failed(std::int64_t id, const std::string& reason, TimePoint now) {
  OTKLIK_STORE_TRY(st, db_.cached("UPDATE replies SET state = 'failed', error = ?2, updated_at = ?3 "
                                  "WHERE id = ?1 AND state = 'queued'"));
  st->bind(1, id);
  st->bind(2, reason);
  st->bind(3, to_ms(now));
  OTKLIK_STORE_CHECK(st->run());
  if (db_.changes() > 0) return {};
  return unchanged_reply(db_, id, ReplyState::failed, "failed");
}

Result<std::optional<ReplyRecord>> SqliteStore::latest_reply(std::int64_t mention_id) {
  static const std::string kSql = "SELECT " + std::string(kReplyColumns) +
                                  " FROM replies WHERE mention_id = ?1 AND state IN ('queued', 'posted', 'failed') "
                                  "ORDER BY id DESC LIMIT 1";
  OTKLIK_STORE_TRY(st, db_.cached(kSql));
  st->bind(1, mention_id);
  OTKLIK_STORE_TRY(row, st->step());
  if (!row) return std::optional<ReplyRecord>{};
  return std::optional<ReplyRecord>(read_reply_row(*st));
}

Result<std::vector<std::int64_t>> SqliteStore::auto_reply_candidates(const std::string& source, TimePoint seen_after,
                                                                     TimePoint seen_before, int limit) {
  std::vector<std::int64_t> ids;
  if (limit <= 0) return ids;
  // Through mentions_unanswered_positive: the label and the empty company reply are its own
  // condition, so the walk is the source's unanswered positives of the window, oldest first. The
  // team's latest relabel, when there is one, must still say positive. INDEXED BY: without
  // statistics (the daemon runs no ANALYZE) the planner may take (source, event_at) instead and
  // read every mention of the source.
  OTKLIK_STORE_TRY(st, db_.cached(
                           "SELECT m.id FROM mentions m INDEXED BY mentions_unanswered_positive "
                           "WHERE m.source = ?1 AND m.label = 'positive' AND m.company_reply = '' "
                           "AND m.first_seen_at >= ?2 AND m.first_seen_at < ?3 "
                           "AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.mention_id = m.id) "
                           "AND COALESCE((SELECT l.label FROM relabels l WHERE l.mention_id = m.id "
                           "ORDER BY l.at DESC, l.id DESC LIMIT 1), 'positive') = 'positive' "
                           "ORDER BY m.first_seen_at, m.id LIMIT ?4"));
  st->bind(1, source);
  st->bind(2, to_ms(seen_after));
  st->bind(3, to_ms(seen_before));
  st->bind(4, limit);
  for (;;) {
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) break;
    ids.push_back(st->int64(0));
  }
  return ids;
}

Result<std::optional<std::int64_t>> SqliteStore::queue_auto_reply(std::int64_t mention_id, const std::string& text,
                                                                  TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(db_));
  std::string source;
  {
    OTKLIK_STORE_TRY(st, db_.cached("SELECT source, EXISTS (SELECT 1 FROM replies WHERE mention_id = ?1) "
                                    "FROM mentions WHERE id = ?1"));
    st->bind(1, mention_id);
    OTKLIK_STORE_TRY(row, st->step());
    if (!row) return Failure(errc::not_found, "mention " + std::to_string(mention_id) + " is not stored");
    if (st->int64(1) != 0) return std::optional<std::int64_t>{};
    source = st->text(0);
  }
  const Actor actor = store::auto_reply_actor();
  {
    OTKLIK_STORE_TRY(st, db_.cached("INSERT INTO replies (mention_id, source, channel, actor_platform, actor_id, "
                                    "actor_name, text, state, automatic, created_at, updated_at) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', 1, ?8, ?8)"));
    st->bind(1, mention_id);
    st->bind(2, source);
    st->bind(3, store::kAutoReplyChannel);
    st->bind(4, actor.platform);
    st->bind(5, actor.id);
    st->bind(6, actor.name);
    st->bind(7, text);
    st->bind(8, to_ms(now));
    OTKLIK_STORE_CHECK(st->run());
  }
  const std::int64_t id = db_.last_insert_rowid();
  OTKLIK_STORE_CHECK(insert_outbox(store::reply_outbox_request(source, id), mention_id, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return std::optional<std::int64_t>(id);
}

}  // namespace otklik
