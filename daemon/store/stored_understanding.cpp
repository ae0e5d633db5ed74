#include "daemon/store/stored_understanding.hpp"

#include "daemon/understanding/understanding_json.hpp"

namespace otklik::store {

std::string stored_understanding(const understanding::Understanding& u, Label label, const Mention& m) {
  if (label != Label::negative && !u.brand && u.claims.empty() && u.topics.empty() && !u.repeat) return {};
  understanding::JsonOptions options;
  options.author_keys = false;
  std::string scored;
  if (!u.claims.empty()) {
    scored = scored_text(m);
    options.spans_of = scored;
  }
  return understanding::to_json(u, options);
}

void restore_claim_texts(understanding::Understanding& u, const Mention& m) {
  if (u.claims.empty()) return;
  const std::string scored = scored_text(m);
  for (auto& c : u.claims)
    if (c.text.empty() && c.begin <= c.end && c.end <= scored.size()) c.text = scored.substr(c.begin, c.end - c.begin);
}

}  // namespace otklik::store
