// PgStore: an author's earlier negative mentions, read through the author-key indexes (one query
// per key, merged here), as sqlite_store_authors.cpp does.
#include "daemon/store/pg/pg_store.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/store_detail.hpp"

#include <algorithm>

namespace otklik::store {

Result<std::vector<AuthorHistoryItem>> PgStore::author_history(const AuthorQuery& query) {
  std::vector<AuthorHistoryItem> out;
  if (query.id_key.empty() && query.name_key.empty()) return out;
  static const char* kById =
      "SELECT m.id, m.source, m.external_id, m.url, m.event_at, COALESCE(c.state, '') FROM mentions m "
      "LEFT JOIN cases c ON c.mention_id = m.id WHERE m.author_id_key = $1 AND m.author_id_key != '' "
      "AND m.label = 'negative' AND m.id != $2 AND m.event_at >= $3 ORDER BY m.event_at DESC, m.id DESC LIMIT $4";
  static const char* kByName =
      "SELECT m.id, m.source, m.external_id, m.url, m.event_at, COALESCE(c.state, '') FROM mentions m "
      "LEFT JOIN cases c ON c.mention_id = m.id WHERE m.author_name_key = $1 AND m.author_name_key != '' "
      "AND m.label = 'negative' AND m.id != $2 AND m.event_at >= $3 ORDER BY m.event_at DESC, m.id DESC LIMIT $4";
  const int limit = std::max(query.limit, 1);
  for (const auto& [key, sql] : {std::pair{&query.id_key, kById}, std::pair{&query.name_key, kByName}}) {
    if (key->empty()) continue;
    OTKLIK_STORE_TRY(r, conn_.query(sql, {*key, query.exclude_mention, to_ms(query.since), limit}));
    for (int i = 0; i < r.rows(); ++i) {
      pg::Row row(r, i);
      const std::int64_t id = row.int64(0);
      OTKLIK_STORE_CHECK(row.status());
      if (std::any_of(out.begin(), out.end(), [id](const AuthorHistoryItem& a) { return a.mention_id == id; }))
        continue;
      AuthorHistoryItem item;
      item.mention_id = id;
      item.source = row.text(1);
      item.external_id = row.text(2);
      item.url = row.text(3);
      item.at = from_ms(row.int64(4));
      item.case_state = row.text(5);
      OTKLIK_STORE_CHECK(row.status());
      out.push_back(std::move(item));
    }
  }
  std::sort(out.begin(), out.end(), [](const AuthorHistoryItem& a, const AuthorHistoryItem& b) {
    if (a.at != b.at) return a.at > b.at;
    return a.mention_id > b.mention_id;
  });
  if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  for (auto& item : out) {
    OTKLIK_STORE_TRY(r, conn_.query("SELECT topic FROM mention_topics WHERE mention_id = $1 ORDER BY topic COLLATE \"C\"",
                                    {item.mention_id}));
    for (int i = 0; i < r.rows(); ++i) {
      OTKLIK_STORE_TRY(topic, r.text(i, 0));
      item.topics.push_back(std::move(topic));
    }
  }
  return out;
}

}  // namespace otklik::store
