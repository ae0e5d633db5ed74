#include "daemon/app/worker_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace otklik {

WorkerPool::WorkerPool(std::size_t threads, int nice) : context_(static_cast<int>(std::max<std::size_t>(threads, 1))) {
  guard_.emplace(context_.get_executor());
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    threads_.emplace_back([this, nice] {
      // Lowering one's own priority needs no privilege; a failure only leaves it as it was.
      if (nice > 0) (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice);
      context_.run();
    });
  }
}

WorkerPool::~WorkerPool() {
  guard_.reset();
  for (auto& t : threads_) t.join();
}

}  // namespace otklik
