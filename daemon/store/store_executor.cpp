#include "daemon/store/store_executor.hpp"

namespace otklik {

StoreExecutor::StoreExecutor(Store& store, bool threaded) : store_(store) {
  if (threaded) thread_ = std::make_unique<boost::asio::thread_pool>(1);
}

std::unique_ptr<StoreExecutor> StoreExecutor::threaded(Store& store) {
  return std::unique_ptr<StoreExecutor>(new StoreExecutor(store, true));
}

std::unique_ptr<StoreExecutor> StoreExecutor::inline_on(Store& store) {
  return std::unique_ptr<StoreExecutor>(new StoreExecutor(store, false));
}

StoreExecutor::~StoreExecutor() {
  if (thread_) thread_->join();
}

boost::asio::any_io_executor StoreExecutor::executor() const {
  if (!thread_) return {};
  return thread_->get_executor();
}

}  // namespace otklik
