#include "store_test_support.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;
using namespace std::chrono_literals;

TEST_CASE("an unknown source has a default state", "[store][sources]") {
  ManualClock clock(test::test_start());
  test::FreshStore store(clock);
  auto s = store->source_state("new-feed");
  REQUIRE(s);
  CHECK(s->source == "new-feed");
  CHECK(s->polls == 0);
  CHECK(s->etag.empty());
  CHECK_FALSE(s->last_success.has_value());
}

TEST_CASE("source state round-trips and is overwritten by the next save", "[store][sources]") {
  const test::StoreSite site;
  ManualClock clock(test::test_start());
  SourceState st;
  st.source = "feed";
  st.etag = "\"abc\"";
  st.last_modified = "Mon, 23 Nov 2026 10:00:00 GMT";
  st.polls = 3;
  st.consecutive_failures = 1;
  st.last_success = test::test_start() - 10min;
  st.last_attempt = test::test_start();
  st.last_error = "timeout: read";
  st.cursor = "id:1234";
  {
    auto store = site.open(clock);
    REQUIRE(store->save_source_state(st));
    SourceState other;
    other.source = "other";
    REQUIRE(store->save_source_state(other));
  }
  auto store = site.open(clock);
  auto got = store->source_state("feed");
  REQUIRE(got);
  CHECK(got->source == st.source);
  CHECK(got->etag == st.etag);
  CHECK(got->last_modified == st.last_modified);
  CHECK(got->polls == 3);
  CHECK(got->consecutive_failures == 1);
  CHECK(got->last_success == st.last_success);
  CHECK(got->last_attempt == st.last_attempt);
  CHECK(got->last_error == st.last_error);
  CHECK(got->cursor == st.cursor);

  st.polls = 4;
  st.consecutive_failures = 0;
  st.last_error.clear();
  st.last_success.reset();
  REQUIRE(store->save_source_state(st));
  got = store->source_state("feed");
  REQUIRE(got);
  CHECK(got->polls == 4);
  CHECK(got->consecutive_failures == 0);
  CHECK(got->last_error.empty());
  CHECK_FALSE(got->last_success.has_value());
  CHECK(store->source_state("other").value().polls == 0);
}
