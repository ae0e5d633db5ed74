#include "daemon/app/status_updates.hpp"

namespace otklik {

Result<std::set<std::string>> queue_status_updates(OutboxStore& store, std::int64_t mention_id, TimePoint now) {
  auto posted = store.posted_alerts(mention_id);
  if (!posted) return posted.error();
  std::set<std::string> channels;
  for (const auto& p : *posted) {
    if (channels.contains(p.channel)) continue;
    AlertRequest status{p.channel, "status", "{}", std::nullopt};
    if (auto r = store.enqueue(status, mention_id, now); !r) return r.error();
    channels.insert(p.channel);
  }
  return channels;
}

}  // namespace otklik
