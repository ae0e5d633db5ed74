#include "daemon/app/delivery_request.hpp"

#include "daemon/app/understand.hpp"
#include "daemon/routing/router.hpp"

namespace otklik {

DeliveryRequest build_delivery_request(const OutboxItem& item, MentionStore& mentions, const Config& config,
                                       const understanding::Taxonomy* topics, const ChannelConfig& channel) {
  DeliveryRequest req;
  req.item = item;
  if (item.mention_id == 0) return req;
  auto m = mentions.mention(item.mention_id);
  if (!m || !*m) return req;
  req.mention = std::move(**m);
  req.severity = severity_of(req.mention->sentiment);
  if (const BrandConfig* b = config.find_brand(req.mention->mention.brand)) req.brand_display = b->name;
  else req.brand_display = req.mention->mention.brand;
  // The labels of the sources the alert names: its own, and those of the author's earlier mentions.
  auto label = [&](const std::string& name) {
    if (req.source_labels.contains(name)) return;
    const SourceConfig* s = config.find_source(name);
    req.source_labels.emplace(name, s && !s->label.empty() ? s->label : name);
  };
  label(req.mention->mention.source);
  if (const auto& repeat = req.mention->understanding.repeat) {
    for (const auto& p : repeat->previous) label(p.source);
    for (const auto& [source, n] : repeat->by_source) label(source);
  }
  add_topic_views(req, topics, channel.locale.value_or(config.daemon.locale), config.understanding);
  return req;
}

}  // namespace otklik
