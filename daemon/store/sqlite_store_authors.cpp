// SqliteStore: an author's earlier negative mentions (the repeat-author line of an alert), read
// through the author-key indexes: the cost follows that author's mentions, not the history.
#include "daemon/store/sqlite_store.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik {

using store::from_ms;
using store::to_ms;

Result<std::vector<AuthorHistoryItem>> SqliteStore::author_history(const AuthorQuery& query) {
  std::vector<AuthorHistoryItem> out;
  if (query.id_key.empty() && query.name_key.empty()) return out;
  // One query per key, each on its partial index (the literal "!= ''" lets SQLite use it); the
  // two are merged here (a mention found by both keys counts once). "+m.label": never through the
  // inbox's (label, event_at) index, which would read every negative of the window.
  static const char* kById =
      "SELECT m.id, m.source, m.external_id, m.url, m.event_at, COALESCE(c.state, '') FROM mentions m "
      "LEFT JOIN cases c ON c.mention_id = m.id WHERE m.author_id_key = ?1 AND m.author_id_key != '' "
      "AND +m.label = 'negative' AND m.id != ?2 AND m.event_at >= ?3 ORDER BY m.event_at DESC, m.id DESC LIMIT ?4";
  static const char* kByName =
      "SELECT m.id, m.source, m.external_id, m.url, m.event_at, COALESCE(c.state, '') FROM mentions m "
      "LEFT JOIN cases c ON c.mention_id = m.id WHERE m.author_name_key = ?1 AND m.author_name_key != '' "
      "AND +m.label = 'negative' AND m.id != ?2 AND m.event_at >= ?3 ORDER BY m.event_at DESC, m.id DESC LIMIT ?4";
  const int limit = std::max(query.limit, 1);
  for (const auto& [key, sql] : {std::pair{&query.id_key, kById}, std::pair{&query.name_key, kByName}}) {
    if (key->empty()) continue;
    OTKLIK_STORE_TRY(st, db_.cached(sql));
    st->bind(1, *key);
    st->bind(2, query.exclude_mention);
    st->bind(3, to_ms(query.since));
    st->bind(4, limit);
    for (;;) {
      OTKLIK_STORE_TRY(row, st->step());
      if (!row) break;
      const std::int64_t id = st->int64(0);
      if (std::any_of(out.begin(), out.end(), [id](const AuthorHistoryItem& i) { return i.mention_id == id; })) continue;
      AuthorHistoryItem item;
      item.mention_id = id;
      item.source = st->text(1);
      item.external_id = st->text(2);
      item.url = st->text(3);
      item.at = from_ms(st->int64(4));
      item.case_state = st->text(5);
      out.push_back(std::move(item));
    }
  }
  std::sort(out.begin(), out.end(), [](const AuthorHistoryItem& a, const AuthorHistoryItem& b) {
    if (a.at != b.at) return a.at > b.at;
    return a.mention_id > b.mention_id;
  });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  for (auto& item : out) {
    OTKLIK_STORE_TRY(tp, db_.cached("SELECT topic FROM mention_topics WHERE mention_id = ?1 ORDER BY topic"));
    tp->bind(1, item.mention_id);
    for (;;) {
      OTKLIK_STORE_TRY(row, tp->step());
      if (!row) break;
      item.topics.push_back(tp->text(0));
    }
  }
  return out;
}

}  // namespace otklik
