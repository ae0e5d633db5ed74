#pragma once
// Runs one coroutine to its end on a private io_context: for unit tests of code that awaits the
// store (inline executor: no thread, no wall time) or a fake.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace otklik::test {

template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    failure = e;
    if (!e) out.emplace(std::move(value));
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

inline void run_sync(boost::asio::awaitable<void> task) {
  boost::asio::io_context io;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace otklik::test
