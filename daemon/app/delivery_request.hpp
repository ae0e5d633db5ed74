#pragma once
/// The one builder of what a channel is asked to deliver for an outbox row: the row, its stored
/// mention, the brand as configured, how sources are labelled, and the topics' names and hints in
/// the channel's language. The dispatcher and the in-place update of a Slack alert both use it.

#include "daemon/channels/channel.hpp"
#include "daemon/config/config.hpp"
#include "daemon/store/mention_store.hpp"
#include "daemon/understanding/topics.hpp"

namespace otklik {

/// Reads the mention (for rows about one) from `mentions`: call it where the role may be used (a
/// store job). A mention that cannot be read leaves `mention` empty.
DeliveryRequest build_delivery_request(const OutboxItem& item, MentionStore& mentions, const Config& config,
                                       const understanding::Taxonomy* topics, const ChannelConfig& channel);

}  // namespace otklik
