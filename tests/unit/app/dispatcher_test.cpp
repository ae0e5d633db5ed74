#include "daemon/app/dispatcher.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "tests/support/catch_result.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <spdlog/sinks/null_sink.h>

#include <deque>

using namespace otklik;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

/// A channel that answers from a script and records what it was asked to deliver.
class ScriptedChannel final : public Channel {
 public:
  explicit ScriptedChannel(std::deque<Delivery> script) : script_(std::move(script)) { config_.name = "chat"; }
  const ChannelConfig& config() const override { return config_; }
  asio::awaitable<Delivery> deliver(DeliveryRequest request) override {
    seen.push_back(request);
    if (script_.empty()) co_return Delivery::ok("id-" + std::to_string(request.item.id));
    Delivery d = script_.front();
    script_.pop_front();
    co_return d;
  }
  std::vector<DeliveryRequest> seen;

 private:
  ChannelConfig config_;
  std::deque<Delivery> script_;
};

class CountingEvents final : public DeliveryEvents {
 public:
  void delivered(const std::string&, const OutboxItem&) override { ++sent; }
  void retrying(const std::string&, const OutboxItem&, const Delivery&) override { ++retries; }
  void dead(const std::string&, const OutboxItem&, const Delivery&) override { ++dead_letters; }
  int sent = 0, retries = 0, dead_letters = 0;
};

struct Fixture {
  SystemClockSource clock;
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(":memory:", clock).value());
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  Config config;
  CountingEvents events;
  std::shared_ptr<spdlog::logger> log =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  asio::io_context ioc;

  std::int64_t queue_alert(const std::string& id, const std::string& text) {
    Mention m;
    m.source = "feed";
    m.external_id = id;
    m.text = text;
    m.brand = "bank";
    m.fetched = SystemClock::now();
    Sentiment s;
    s.label = Label::negative;
    s.score = -0.7;
    AlertPolicy p;
    p.alerts = {{"chat", "alert", ""}};
    auto r = store->ingest(m, s, p);
    REQUIRE(r);
    REQUIRE(r->alerts_queued == 1);
    return r->mention_id;
  }

  void drain(ScriptedChannel& ch) {
    Dispatcher d(ioc.get_executor(), ch, *exec, config, events, log);
    bool done = false;
    asio::co_spawn(ioc, d.drain(), [&](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      done = true;
    });
    ioc.run();
    ioc.restart();
    REQUIRE(done);
  }
};

}  // namespace

TEST_CASE("delivered alerts are marked sent with the mention attached", "[dispatcher]") {
  Fixture f;
  f.queue_alert("1", "first");
  f.queue_alert("2", "second");
  ScriptedChannel ch({});
  f.drain(ch);
  REQUIRE(ch.seen.size() == 2);
  CHECK(ch.seen[0].mention->mention.text == "first");  // oldest first
  CHECK(ch.seen[1].mention->mention.text == "second");
  CHECK(ch.seen[0].severity == Severity::high);
  CHECK(f.events.sent == 2);
  auto counts = f.store->outbox_counts();
  REQUIRE(counts);
  CHECK(counts->pending == 0);
  CHECK(counts->sent == 2);
}

TEST_CASE("a transient failure holds the queue until its Retry-After", "[dispatcher]") {
  Fixture f;
  f.queue_alert("1", "first");
  f.queue_alert("2", "second");
  ScriptedChannel ch({Delivery::transient("429 Too Many Requests", 120s)});
  const TimePoint before = SystemClock::now();
  f.drain(ch);
  CHECK(ch.seen.size() == 1);  // drain stops at the failure; the second waits its turn
  CHECK(f.events.retries == 1);
  auto due = f.store->next_due("chat");
  REQUIRE(due);
  REQUIRE(*due);
  // "second" is due now, "first" not before the requested 120 s.
  auto leased = f.store->lease("chat", before + 119s, 10s, 10);
  REQUIRE(leased);
  REQUIRE(leased->size() == 1);
  CHECK(leased->front().mention_id != ch.seen[0].item.mention_id);
  auto later = f.store->lease("chat", before + 121s + 10s, 10s, 10);
  REQUIRE(later);
  REQUIRE(later->size() == 2);
  CHECK(later->front().attempts == 1);
}

TEST_CASE("a permanent failure goes to the dead letter and the queue moves on", "[dispatcher]") {
  Fixture f;
  f.queue_alert("1", "first");
  f.queue_alert("2", "second");
  ScriptedChannel ch({Delivery::permanent("400 Bad Request: chat not found")});
  f.drain(ch);
  CHECK(ch.seen.size() == 2);
  CHECK(f.events.dead_letters == 1);
  CHECK(f.events.sent == 1);
  auto counts = f.store->outbox_counts();
  REQUIRE(counts);
  CHECK(counts->dead == 1);
  CHECK(counts->sent == 1);
  CHECK(counts->pending == 0);
}
