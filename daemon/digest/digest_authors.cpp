// Repeat complainers: one author (the same name key or id key, understanding/author.hpp) with two
// or more negative mentions in the 30 days up to the week's end.
#include "daemon/digest/query_detail.hpp"
#include "daemon/understanding/author.hpp"


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

Result<void> query_repeat_complainers(ReportStore& reports, const ReportOptions& o, DigestReport& r) {
  auto found = reports.authored_negatives(ReportRange{r.range.end - std::chrono::days{30}, r.range.end}, o.brands);
  if (!found) return found.error();
  std::vector<Negative> rows;
  rows.reserve(found->size());
  for (const ReportMention& m : *found) rows.push_back(Negative{m.source, m.author, m.author_id, m.url, m.at});

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
