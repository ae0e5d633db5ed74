#include "daemon/store/pg/search_index.hpp"

#include "daemon/store/packed_text.hpp"
#include "daemon/store/pg/row.hpp"
#include "daemon/store/pg/search_words.hpp"
#include "daemon/store/pg/text_array.hpp"
#include "daemon/store/pg/transaction.hpp"

#include <algorithm>
#include <vector>

namespace otklik::store::pg {

std::string search_vector_sql(std::string_view words) {
  return "array_to_tsvector(string_to_array((" + std::string(words) + ")::text, ' '))";
}

Result<std::int64_t> fill_search_batch(Connection& conn, int batch) {
  // Through the partial index mentions_search_missing: only the rows still to fill are read.
  auto r = conn.query("SELECT id, title, text FROM mentions WHERE search IS NULL ORDER BY id LIMIT $1 "
                      "FOR UPDATE SKIP LOCKED",
                      {std::max(batch, 1)});
  if (!r) return r.error();
  if (r->rows() == 0) return 0;
  std::string ids = "{";
  std::vector<std::string> words;
  words.reserve(static_cast<std::size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    Row row(*r, i);
    const std::int64_t id = row.int64(0);
    const std::string title = row.text(1);
    const std::string bytes = row.bytes(2);
    if (auto st = row.status(); !st) return st.error();
    // A text that does not unpack is searched by its title alone (the inbox shows it empty too).
    auto text = from_marked(bytes);
    words.push_back(indexed_words(title, text ? *text : std::string()));
    if (i > 0) ids += ',';
    ids += std::to_string(id);
  }
  ids += '}';
  auto updated = conn.query("UPDATE mentions AS m SET search = " + search_vector_sql("v.words") +
                                " FROM unnest($1::bigint[], $2::text[]) AS v(id, words) WHERE m.id = v.id",
                            {Param(ids), text_array(words)});
  if (!updated) return updated.error();
  return updated->affected();
}

Result<std::int64_t> fill_missing_search(Connection& conn, int batch) {
  std::int64_t filled = 0;
  for (;;) {
    auto tx = Transaction::begin(conn);
    if (!tx) return tx.error();
    auto n = fill_search_batch(conn, batch);
    if (!n) return n.error();
    if (auto c = tx->commit(); !c) return c.error();
    if (*n == 0) return filled;
    filled += *n;
  }
}

}  // namespace otklik::store::pg
