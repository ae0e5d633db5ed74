#include "daemon/store/store_executor.hpp"

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

}  // namespace otklik
