#include "daemon/store/stored_understanding.hpp"

#include "daemon/understanding/understanding_json.hpp"

namespace otklik::store {

std::string stored_understanding(const understanding::Understanding& u, Label label, const Mention& m) {
  if (label != Label::negative && !u.brand && u.claims.empty() && u.topics.empty() && !u.repeat) return {};
  understanding::Understanding copy = u;
  copy.author_id_key.clear();
  copy.author_name_key.clear();
  if (!copy.claims.empty()) {
    const std::string scored = scored_text(m);
    for (auto& c : copy.claims)
      if (c.begin <= c.end && c.end <= scored.size() && scored.compare(c.begin, c.end - c.begin, c.text) == 0)
        c.text.clear();
  }
  return understanding::to_json(copy);
}

void restore_claim_texts(understanding::Understanding& u, const Mention& m) {
  if (u.claims.empty()) return;
  const std::string scored = scored_text(m);
  for (auto& c : u.claims)
    if (c.text.empty() && c.begin <= c.end && c.end <= scored.size()) c.text = scored.substr(c.begin, c.end - c.begin);
}

}  // namespace otklik::store
