#include "daemon/store/store_executor.hpp"

#include <algorithm>

namespace otklik {

StoreExecutor::StoreExecutor(const std::vector<Store*>& stores, bool threaded) {
  for (Store* s : stores) {
    auto lane = std::make_unique<Lane>();
    lane->store = s;
    if (threaded) lane->thread = std::make_unique<boost::asio::thread_pool>(1);
    lanes_.push_back(std::move(lane));
  }
}

std::unique_ptr<StoreExecutor> StoreExecutor::threaded(Store& store) {
  return std::unique_ptr<StoreExecutor>(new StoreExecutor({&store}, true));
}

std::unique_ptr<StoreExecutor> StoreExecutor::threaded_pool(std::vector<Store*> stores) {
  if (stores.empty()) throw std::invalid_argument("StoreExecutor::threaded_pool: no store");
  return std::unique_ptr<StoreExecutor>(new StoreExecutor(stores, true));
}

std::unique_ptr<StoreExecutor> StoreExecutor::inline_on(Store& store) {
  return std::unique_ptr<StoreExecutor>(new StoreExecutor({&store}, false));
}

StoreExecutor::~StoreExecutor() {
  for (auto& lane : lanes_)
    if (lane->thread) lane->thread->join();
}

StoreExecutor::Lane& StoreExecutor::pick() noexcept {
  Lane* best = lanes_.front().get();
  int least = best->waiting.load(std::memory_order_relaxed);
  for (std::size_t i = 1; i < lanes_.size() && least > 0; ++i) {
    const int w = lanes_[i]->waiting.load(std::memory_order_relaxed);
    if (w < least) {
      least = w;
      best = lanes_[i].get();
    }
  }
  return *best;
}

void StoreExecutor::run_group(Lane& lane, GroupedJob& self) {
  if (self.done) return;
  std::vector<GroupedJob*> group{&self};
  {
    // Lingering jobs (backlogs) with one another, the others (news) with one another.
    std::lock_guard lock(lane.group_mutex);
    std::erase(lane.grouped, &self);
    const std::size_t limit = self.lingers ? linger_limit() : group_limit();
    for (auto it = lane.grouped.begin(); it != lane.grouped.end() && group.size() < limit;) {
      if ((*it)->lingers == self.lingers) {
        group.push_back(*it);
        it = lane.grouped.erase(it);
      } else {
        ++it;
      }
    }
  }
  Store& store = *lane.store;
  if (group.size() > 1 && store.begin_group()) {
    bool intact = true;
    for (GroupedJob* job : group) {
      job->run(store);
      if (job->threw() || !store.group_intact()) {
        intact = false;
        break;
      }
    }
    if (store.end_group(intact)) {
      for (GroupedJob* job : group) finish(*job);
      stats_.groups.fetch_add(1, std::memory_order_relaxed);
      stats_.grouped_jobs.fetch_add(group.size(), std::memory_order_relaxed);
      return;
    }
    stats_.group_retries.fetch_add(1, std::memory_order_relaxed);
  }
  for (GroupedJob* job : group) {
    job->run(store);
    finish(*job);
  }
}

std::size_t StoreExecutor::lingering(const Lane& lane) noexcept {
  return static_cast<std::size_t>(
      std::count_if(lane.grouped.begin(), lane.grouped.end(), [](const GroupedJob* j) { return j->lingers; }));
}

void StoreExecutor::finish(GroupedJob& job) {
  job.done = true;
  if (job.wake) job.wake();
}

}  // namespace otklik
