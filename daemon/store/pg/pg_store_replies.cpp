// PgStore: the replies role, with the semantics of sqlite_store_replies.cpp. Several instances may
// queue replies of one mention at the same moment (two agents, a double tap reaching two
// instances, the auto-reply pass): every decision that reads the mention's other replies runs
// with the mention's row locked FOR NO KEY UPDATE, so deciders of one mention take turns and each
// sees the rows the previous one committed (READ COMMITTED reads afresh per statement). The lock
// does not block foreign-key checks (FOR KEY SHARE) of writers of other tables. The partial unique
// indexes of patch 10 hold the rule underneath: a writer that skipped the lock would fail, not
// post twice.
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/transaction.hpp"
#include "daemon/store/reply_row.hpp"
#include "daemon/store/store_detail.hpp"

namespace otklik::store {
namespace {

using pg::Row;
using pg::Transaction;

Result<ReplyRecord> read_reply_row(const pg::QueryResult& r, int i) {
  Row row(r, i);
  ReplyRecord out;
  out.id = row.int64(0);
  out.mention_id = row.int64(1);
  out.source = row.text(2);
  out.channel = row.text(3);
  out.actor = Actor{row.text(4), row.text(5), row.text(6)};
  out.text = row.text(7);
  out.state = parse_reply_state(row.text(8)).value_or(ReplyState::failed);
  out.edit = row.int64(9) != 0;
  out.automatic = row.int64(10) != 0;
  out.preview_message = row.text(11);
  out.site_answer_id = row.text(12);
  out.error = row.text(13);
  out.created = from_ms(row.int64(14));
  out.updated = from_ms(row.int64(15));
  out.posted_at = from_ms(row.optional_int64(16));
  OTKLIK_STORE_CHECK(row.status());
  return out;
}

Result<std::optional<ReplyRecord>> read_reply(pg::Connection& conn, std::int64_t id) {
  static const std::string kSql = "SELECT " + std::string(kReplyColumns) + " FROM replies WHERE id = $1";
  OTKLIK_STORE_TRY(r, conn.query(kSql, {id}));
  if (r.rows() == 0) return std::optional<ReplyRecord>{};
  OTKLIK_STORE_TRY(reply, read_reply_row(r, 0));
  return std::optional<ReplyRecord>(std::move(reply));
}

Failure reply_not_found(std::int64_t id) { return Failure(errc::not_found, "reply " + std::to_string(id) + " is not stored"); }
Failure mention_not_found(std::int64_t id) { return Failure(errc::not_found, "mention " + std::to_string(id) + " is not stored"); }

/// Locks mention `mention_id` for the rest of the transaction; its source, nullopt when not stored.
Result<std::optional<std::string>> lock_mention(pg::Connection& conn, std::int64_t mention_id) {
  OTKLIK_STORE_TRY(r, conn.query("SELECT source FROM mentions WHERE id = $1 FOR NO KEY UPDATE", {mention_id}));
  if (r.rows() == 0) return std::optional<std::string>{};
  OTKLIK_STORE_TRY(source, r.text(0, 0));
  return std::optional<std::string>(std::move(source));
}

/// After a conditional UPDATE of reply `id` changed nothing: fine when it is in `settled` already,
/// not_found when it is not stored, invalid_input otherwise.
Result<void> unchanged_reply(pg::Connection& conn, std::int64_t id, ReplyState settled, std::string_view wanted) {
  OTKLIK_STORE_TRY(r, read_reply(conn, id));
  if (!r) return reply_not_found(id);
  if (r->state == settled) return {};
  return Failure(errc::invalid_input, "reply " + std::to_string(id) + " is " + std::string(to_string(r->state)) +
                                          ", not queued: it cannot become " + std::string(wanted));
}

}  // namespace

Result<std::int64_t> PgStore::add_reply_preview(const ReplyRecord& reply, TimePoint now) {
  // The source is the mention's own: the site the answer goes to is the review's.
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO replies (mention_id, source, channel, actor_platform, actor_id, "
                                  "actor_name, text, state, edit, automatic, preview_message, created_at, updated_at) "
                                  "SELECT id, source, $2::text, $3::text, $4::text, $5::text, $6::text, 'preview', "
                                  "$7::bigint, $8::bigint, $9::text, $10::bigint, $10::bigint "
                                  "FROM mentions WHERE id = $1 RETURNING id",
                                  {reply.mention_id, reply.channel, reply.actor.platform, reply.actor.id,
                                   reply.actor.name, reply.text, std::int64_t{reply.edit ? 1 : 0},
                                   std::int64_t{reply.automatic ? 1 : 0}, reply.preview_message, to_ms(now)}));
  if (r.rows() == 0) return mention_not_found(reply.mention_id);
  return r.int64(0, 0);
}

Result<std::optional<ReplyRecord>> PgStore::reply(std::int64_t id) { return read_reply(conn_, id); }

Result<void> PgStore::set_reply_preview_message(std::int64_t id, const std::string& message_id) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE replies SET preview_message = $2 WHERE id = $1", {id, message_id}));
  if (r.affected() == 0) return reply_not_found(id);
  return {};
}

Result<ReplyQueueOutcome> PgStore::queue_reply(std::int64_t id, const Actor& by, TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  std::int64_t mention_id = 0;
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT mention_id FROM replies WHERE id = $1", {id}));
    if (r.rows() == 0) return ReplyQueueOutcome::not_found;
    OTKLIK_STORE_TRY(m, r.int64(0, 0));
    mention_id = m;
  }
  OTKLIK_STORE_TRY(source, lock_mention(conn_, mention_id));
  if (!source) return mention_not_found(mention_id);  // a reply's mention is never deleted
  // Read again under the lock: another instance may have queued or cancelled it meanwhile.
  OTKLIK_STORE_TRY(found, read_reply(conn_, id));
  if (!found) return ReplyQueueOutcome::not_found;
  if (auto settled = settled_queue_outcome(found->state)) return *settled;
  bool other_posted = false, other_queued = false;
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT state FROM replies WHERE mention_id = $1 AND id != $2 "
                                    "AND state IN ('queued', 'posted')",
                                    {mention_id, id}));
    for (int i = 0; i < r.rows(); ++i) {
      OTKLIK_STORE_TRY(state, r.text(i, 0));
      (state == "posted" ? other_posted : other_queued) = true;
    }
  }
  if (auto blocked = blocking_outcome(found->edit, other_posted, other_queued)) return *blocked;
  OTKLIK_STORE_CHECK(conn_.query("UPDATE replies SET state = 'queued', actor_platform = $2, actor_id = $3, "
                                 "actor_name = $4, updated_at = $5 WHERE id = $1 AND state = 'preview'",
                                 {id, by.platform, by.id, by.name, to_ms(now)}));
  OTKLIK_STORE_CHECK(insert_outbox(reply_outbox_request(found->source, id), mention_id, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return ReplyQueueOutcome::queued;
}

Result<bool> PgStore::cancel_reply(std::int64_t id, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE replies SET state = 'cancelled', updated_at = $2 "
                                  "WHERE id = $1 AND state = 'preview'",
                                  {id, to_ms(now)}));
  if (r.affected() > 0) return true;
  OTKLIK_STORE_TRY(found, read_reply(conn_, id));
  if (!found) return reply_not_found(id);
  return false;
}

Result<void> PgStore::mark_reply_posted(std::int64_t id, const std::string& site_answer_id, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE replies SET state = 'posted', site_answer_id = $2, posted_at = $3, "
                                  "updated_at = $3 WHERE id = $1 AND state = 'queued'",
                                  {id, site_answer_id, to_ms(now)}));
  if (r.affected() > 0) return {};
  return unchanged_reply(conn_, id, ReplyState::posted, "posted");
}

Result<void> PgStore::mark_reply_failed(std::int64_t id, const std::string& reason, TimePoint now) {
  OTKLIK_STORE_TRY(r, conn_.query("UPDATE replies SET state = 'failed', error = $2, updated_at = $3 "
                                  "WHERE id = $1 AND state = 'queued'",
                                  {id, reason, to_ms(now)}));
  if (r.affected() > 0) return {};
  return unchanged_reply(conn_, id, ReplyState::failed, "failed");
}

Result<std::optional<ReplyRecord>> PgStore::latest_reply(std::int64_t mention_id) {
  static const std::string kSql = "SELECT " + std::string(kReplyColumns) +
                                  " FROM replies WHERE mention_id = $1 AND state IN ('queued', 'posted', 'failed') "
                                  "ORDER BY id DESC LIMIT 1";
  OTKLIK_STORE_TRY(r, conn_.query(kSql, {mention_id}));
  if (r.rows() == 0) return std::optional<ReplyRecord>{};
  OTKLIK_STORE_TRY(reply, read_reply_row(r, 0));
  return std::optional<ReplyRecord>(std::move(reply));
}

Result<std::vector<std::int64_t>> PgStore::auto_reply_candidates(const std::string& source, TimePoint seen_after,
                                                                 TimePoint seen_before, int limit) {
  std::vector<std::int64_t> ids;
  if (limit <= 0) return ids;
  // Through mentions_unanswered_positive (source, first_seen_at, id), whose condition is the label
  // and the empty company reply: the source's unanswered positives of the window, in order. The
  // team's latest relabel, when there is one, must still say positive.
  OTKLIK_STORE_TRY(r, conn_.query("SELECT m.id FROM mentions m "
                                  "WHERE m.source = $1 AND m.label = 'positive' AND m.company_reply = '' "
                                  "AND m.first_seen_at >= $2 AND m.first_seen_at < $3 "
                                  "AND NOT EXISTS (SELECT 1 FROM replies r WHERE r.mention_id = m.id) "
                                  "AND COALESCE((SELECT l.label FROM relabels l WHERE l.mention_id = m.id "
                                  "ORDER BY l.at DESC, l.id DESC LIMIT 1), 'positive') = 'positive' "
                                  "ORDER BY m.first_seen_at, m.id LIMIT $4",
                                  {source, to_ms(seen_after), to_ms(seen_before), limit}));
  for (int i = 0; i < r.rows(); ++i) {
    OTKLIK_STORE_TRY(id, r.int64(i, 0));
    ids.push_back(id);
  }
  return ids;
}

Result<std::optional<std::int64_t>> PgStore::queue_auto_reply(std::int64_t mention_id, const std::string& text,
                                                              TimePoint now) {
  OTKLIK_STORE_TRY(tx, Transaction::begin(conn_));
  OTKLIK_STORE_TRY(source, lock_mention(conn_, mention_id));
  if (!source) return mention_not_found(mention_id);
  {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT 1 FROM replies WHERE mention_id = $1 LIMIT 1", {mention_id}));
    if (r.rows() > 0) return std::optional<std::int64_t>{};
  }
  const Actor actor = auto_reply_actor();
  OTKLIK_STORE_TRY(r, conn_.query("INSERT INTO replies (mention_id, source, channel, actor_platform, actor_id, "
                                  "actor_name, text, state, automatic, created_at, updated_at) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', 1, $8, $8) RETURNING id",
                                  {mention_id, *source, kAutoReplyChannel, actor.platform, actor.id, actor.name, text,
                                   to_ms(now)}));
  OTKLIK_STORE_TRY(id, r.int64(0, 0));
  OTKLIK_STORE_CHECK(insert_outbox(reply_outbox_request(*source, id), mention_id, now));
  OTKLIK_STORE_CHECK(tx.commit());
  return std::optional<std::int64_t>(id);
}

}  // namespace otklik::store
