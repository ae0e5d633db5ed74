#include "daemon/store/reply_store.hpp"

namespace otklik {
namespace {

constexpr std::string_view kReplyChannelPrefix = "reply:";

}  // namespace

std::string_view to_string(ReplyState s) noexcept {
  switch (s) {
    case ReplyState::preview: return "preview";
    case ReplyState::queued: return "queued";
    case ReplyState::posted: return "posted";
    case ReplyState::failed: return "failed";
    case ReplyState::cancelled: return "cancelled";
  }
  return "preview";
}

std::optional<ReplyState> parse_reply_state(std::string_view s) noexcept {
  if (s == "preview") return ReplyState::preview;
  if (s == "queued") return ReplyState::queued;
  if (s == "posted") return ReplyState::posted;
  if (s == "failed") return ReplyState::failed;
  if (s == "cancelled") return ReplyState::cancelled;
  return std::nullopt;
}

std::string reply_channel(std::string_view source) {
  std::string channel(kReplyChannelPrefix);
  channel += source;
  return channel;
}

std::string_view reply_channel_source(std::string_view channel) noexcept {
  if (!channel.starts_with(kReplyChannelPrefix)) return {};
  return channel.substr(kReplyChannelPrefix.size());
}

}  // namespace otklik
