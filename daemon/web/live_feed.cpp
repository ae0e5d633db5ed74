#include "daemon/web/live_feed.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/logger.h>

#include <algorithm>
#include <map>

namespace otklik::web {

namespace asio = boost::asio;
namespace {
constexpr auto kToken = asio::as_tuple(asio::use_awaitable);
constexpr int kBatch = 500;           // alerts per look; more: pages are told to reload
constexpr Duration kMargin = std::chrono::seconds(10);
}  // namespace

asio::awaitable<std::vector<InboxRow>> LiveFeed::Subscription::next(Duration timeout, bool& missed) {
  if (rows_.empty() && !closed_) {
    timer_.expires_after(timeout);
    (void)co_await timer_.async_wait(kToken);
  }
  std::vector<InboxRow> out(std::make_move_iterator(rows_.begin()), std::make_move_iterator(rows_.end()));
  rows_.clear();
  missed = std::exchange(missed_, false);
  co_return out;
}

LiveFeed::LiveFeed(asio::any_io_executor executor, StoreExecutor& store, Duration every,
                   std::shared_ptr<spdlog::logger> log)
    : executor_(executor), store_(store), every_(every), log_(std::move(log)), wake_(executor) {}

std::shared_ptr<LiveFeed::Subscription> LiveFeed::subscribe() {
  auto s = std::shared_ptr<Subscription>(new Subscription(executor_));
  if (stopped_) s->closed_ = true;
  subscribers_.push_back(s);
  wake_.cancel();  // the loop may be idle: nobody listened
  return s;
}

void LiveFeed::unsubscribe(const std::shared_ptr<Subscription>& s) {
  subscribers_.remove(s);
  s->closed_ = true;
  s->timer_.cancel();
}

void LiveFeed::deliver(const std::vector<InboxRow>& rows, bool overflow) {
  for (auto& s : subscribers_) {
    if (overflow) s->missed_ = true;
    for (const auto& r : rows) {
      if (s->rows_.size() >= kMaxQueued) {
        s->rows_.pop_front();
        s->missed_ = true;
      }
      s->rows_.push_back(r);
    }
    s->timer_.cancel();
  }
}

void LiveFeed::stop() {
  stopped_ = true;
  wake_.cancel();
  for (auto& s : subscribers_) {
    s->closed_ = true;
    s->timer_.cancel();
  }
}

asio::awaitable<void> LiveFeed::run() {
  // Each look asks for the cases opened since the previous look, less a margin: a transaction
  // that committed late (or an instance whose clock is a little behind) still gets its alerts
  // seen; the ids already pushed within the margin are skipped.
  std::optional<TimePoint> last_look;
  std::map<std::int64_t, TimePoint> pushed;  // mention id → when pushed
  bool failing = false;
  while (!stopped_) {
    if (subscribers_.empty()) {
      // Nobody listens: no reads, and no backlog for the next subscriber (its page has the rows).
      last_look.reset();
      pushed.clear();
      wake_.expires_after(std::chrono::hours(24));
      (void)co_await wake_.async_wait(kToken);
      continue;
    }
    const TimePoint now = SystemClock::now();
    const TimePoint from = last_look.value_or(now) - kMargin;
    auto rows = co_await store_([from](InboxStore& s) { return s.opened_since(InboxCursor{from, 0}, kBatch); });
    if (stopped_) break;
    if (!rows) {
      if (!failing && log_) log_->warn("web: live feed cannot read new alerts: {}", rows.error().message());
      failing = true;
    } else {
      if (failing && log_) log_->info("web: live feed reads new alerts again");
      failing = false;
      last_look = now;
      std::vector<InboxRow> fresh;
      for (auto& r : *rows) {
        if (pushed.emplace(r.id, now).second) fresh.push_back(std::move(r));
      }
      const bool overflow = rows->size() >= static_cast<std::size_t>(kBatch);
      if (!fresh.empty() || overflow) deliver(fresh, overflow);
      std::erase_if(pushed, [&](const auto& p) { return p.second < now - 2 * kMargin - every_; });
    }
    wake_.expires_after(every_);
    (void)co_await wake_.async_wait(kToken);
  }
}

}  // namespace otklik::web
