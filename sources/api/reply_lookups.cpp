#include "sources/api/reply_lookups.hpp"

namespace otklik {

ReplyLookups::ReplyLookups(ReplyLookupSite site) : site_(std::move(site)) {}

boost::asio::awaitable<std::optional<Failure>> ReplyLookups::fill(ApiClient& client, ApiContext& ctx,
                                                                  const std::map<std::string, int>& commented,
                                                                  PollResult& out) {
  std::map<std::string, Reply> kept;
  int lookups = 0;
  bool stop = false;
  for (Mention& m : out.mentions) {
    const auto it = commented.find(m.external_id);
    if (it == commented.end()) continue;
    const auto known = replies_.find(m.external_id);
    if (known != replies_.end()) m.company_reply = known->second.text;
    if (known != replies_.end() && known->second.comments == it->second) {
      kept[m.external_id] = known->second;
      continue;
    }
    if (stop || lookups >= site_.max_lookups) continue;
    ++lookups;
    ApiCall lookup = site_.call(m.external_id);
    auto got = co_await client.call(ctx, std::move(lookup));
    if (!got) {
      if (got.error().code == make_error_code(errc::unauthorized)) co_return got.error();
      out.warnings.push_back(site_.noun + " " + m.external_id + ": comments not read: " + got.error().message());
      if (got.error().code == make_error_code(errc::rate_limited)) stop = true;
      continue;
    }
    auto reply = site_.parse(got->body);
    if (!reply) {
      out.warnings.push_back(site_.noun + " " + m.external_id + ": comments not read: " + reply.error().message());
      continue;
    }
    m.company_reply = *reply;
    kept[m.external_id] = Reply{it->second, *reply};
  }
  if (lookups >= site_.max_lookups)
    out.warnings.push_back("looked up the comments of " + std::to_string(lookups) + " " + site_.noun +
                           "s; the others are looked up on the next poll");
  replies_ = std::move(kept);
  co_return std::nullopt;
}

}  // namespace otklik
