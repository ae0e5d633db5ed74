// Repeat complainers: one author (the same name key or id key, understanding/author.hpp) with two
// or more negative mentions in the 30 days up to the week's end.
#include "daemon/digest/query_detail.hpp"
#include "daemon/understanding/author.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>

namespace otklik::digest {

namespace detail {
namespace {

struct Negative {
  std::string source, author, author_id, url;
  TimePoint at{};
};

/// Disjoint sets over mention indexes.
struct Groups {
  std::vector<std::size_t> parent;
  explicit Groups(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
  std::size_t find(std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) { parent[find(a)] = find(b); }
};

}  // namespace

Result<void> query_repeat_complainers(sqlite::Database& db, const ReportOptions& o, DigestReport& r) {
  auto st = db.prepare(fmt::format(
      "SELECT source, author, author_id, url, {0} FROM mentions "
      "WHERE label = 'negative' AND {0} >= ?1 AND {0} < ?2 AND {1} AND (author != '' OR author_id != '') "
      "ORDER BY {0}, id",
      kMentionTime, brand_condition("?3")));
  if (!st) return st.error();
  st->bind(1, to_ms(r.range.end - std::chrono::days{30}));
  st->bind(2, to_ms(r.range.end));
  st->bind(3, json_array(o.brands));
  std::vector<Negative> rows;
  for (;;) {
    auto more = st->step();
    if (!more) return more.error();
    if (!*more) break;
    rows.push_back(Negative{st->text(0), st->text(1), st->text(2), st->text(3), from_ms(st->int64(4))});
  }

  Groups groups(rows.size());
  std::map<std::string, std::size_t> first_with_key;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // The same keys as the alerts' repeat-author line (understanding/author.hpp): an id is a
    // site's own, and only names that identify a person join mentions across sites.
    const auto k = understanding::author_keys(rows[i].source, rows[i].author, rows[i].author_id);
    const std::string keys[2] = {k.name_key.empty() ? std::string() : "n:" + k.name_key,
                                 k.id_key.empty() ? std::string() : "i:" + k.id_key};
    for (const std::string& key : keys) {
      if (key.empty()) continue;
      auto [it, inserted] = first_with_key.emplace(key, i);
      if (!inserted) groups.join(i, it->second);
    }
  }
  std::map<std::size_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto k = understanding::author_keys(rows[i].source, rows[i].author, rows[i].author_id);
    const bool keyed = !k.name_key.empty() || !k.id_key.empty();
    if (keyed) members[groups.find(i)].push_back(i);
  }

  std::vector<RepeatComplainer> out;
  for (const auto& [root, idx] : members) {
    if (idx.size() < 2) continue;
    RepeatComplainer rc;
    std::map<std::string, std::int64_t> per_source;
    for (std::size_t i : idx) {
      const Negative& n = rows[i];
      ++per_source[n.source];
      if (n.at >= rc.last) {  // rows are in time order: the latest one names the author
        rc.last = n.at;
        rc.last_url = n.url;
        if (!n.author.empty()) rc.author = n.author;
        else if (rc.author.empty()) rc.author = n.author_id;
      }
    }
    rc.negatives = static_cast<std::int64_t>(idx.size());
    rc.per_source.assign(per_source.begin(), per_source.end());
    std::stable_sort(rc.per_source.begin(), rc.per_source.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out.push_back(std::move(rc));
  }
  std::sort(out.begin(), out.end(), [](const RepeatComplainer& a, const RepeatComplainer& b) {
    if (a.negatives != b.negatives) return a.negatives > b.negatives;
    if (a.last != b.last) return a.last > b.last;
    return a.author < b.author;
  });
  const auto max_list = static_cast<std::size_t>(std::max(0, o.max_list));
  if (out.size() > max_list) out.resize(max_list);
  r.repeat_complainers = std::move(out);
  return {};
}

}  // namespace detail
}  // namespace otklik::digest
