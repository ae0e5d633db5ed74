// The stored names of reply states and the outbox channels that post replies (reply_store.hpp).
#include "daemon/store/reply_store.hpp"
#include "tests/support/catch_result.hpp"

#include <string>
#include <vector>

using namespace otklik;

TEST_CASE("reply states: each name parses back, nothing else parses", "[store][replies]") {
  struct Case {
    ReplyState state;
    const char* name;
  };
  const std::vector<Case> cases{{ReplyState::preview, "preview"},
                                {ReplyState::queued, "queued"},
                                {ReplyState::posted, "posted"},
                                {ReplyState::failed, "failed"},
                                {ReplyState::cancelled, "cancelled"}};
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(to_string(c.state) == c.name);
    CHECK(parse_reply_state(c.name) == c.state);
  }
  for (const char* bad : {"", "Posted", "posted ", "sent", "canceled"}) {
    INFO(bad);
    CHECK_FALSE(parse_reply_state(bad));
  }
}

TEST_CASE("reply channels: \"reply:\" and the source, and back", "[store][replies]") {
  struct Case {
    const char* source;
    const char* channel;
  };
  const std::vector<Case> cases{{"wb", "reply:wb"}, {"ozon:shop-1", "reply:ozon:shop-1"}, {"", "reply:"}};
  for (const Case& c : cases) {
    INFO(c.source);
    CHECK(reply_channel(c.source) == c.channel);
    CHECK(reply_channel_source(c.channel) == c.source);
  }
  for (const char* other : {"telegram", "reply", "replies:wb", "Reply:wb", " reply:wb", ""}) {
    INFO(other);
    CHECK(reply_channel_source(other).empty());
  }
}
