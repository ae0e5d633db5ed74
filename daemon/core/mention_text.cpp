#include "daemon/core/mention_text.hpp"

#include <string>

namespace otklik {

std::size_t drop_nul_bytes(Mention& m) {
  std::size_t removed = 0;
  for (std::string* field : {&m.source, &m.external_id, &m.url, &m.author, &m.author_id, &m.title, &m.text, &m.brand,
                             &m.company_reply}) {
    const auto before = field->size();
    std::erase(*field, '\0');
    removed += before - field->size();
  }
  return removed;
}

}  // namespace otklik
