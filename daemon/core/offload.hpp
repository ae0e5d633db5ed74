#pragma once
/// Runs a function on another executor (a thread of its own, a small pool) and resumes the
/// awaiting coroutine on its own executor with the result, so that the event loop never waits on
/// work that may take long (the store, parsing a big page, scoring a burst). Without an executor
/// the function runs at once on the caller's thread (tests, one-shot commands).
///
/// The function must not touch what other coroutines of the I/O thread may change meanwhile; the
/// awaiting coroutine itself is suspended, so the function may use its locals by reference.
/// An exception thrown by the function is rethrown in the awaiting coroutine.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace otklik {

/// `f()` on `target` (or inline when `target` is empty), the caller resumed on its executor.
template <class F, class R = std::invoke_result_t<F&>>
boost::asio::awaitable<R> offload(boost::asio::any_io_executor target, F f) {
  namespace asio = boost::asio;
  if (!target) co_return f();
  std::optional<R> out;
  std::exception_ptr error;
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
      [&](auto handler) {
        // The caller's executor is kept busy until the result is back, so that its io_context
        // does not run out of work (and stop) while the job is away.
        auto caller = asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
        asio::post(target, [&, handler = std::move(handler), caller]() mutable {
          try {
            out.emplace(f());
          } catch (...) {
            error = std::current_exception();
          }
          asio::post(caller, std::move(handler));
        });
      },
      asio::use_awaitable);
  if (error) std::rethrow_exception(error);
  co_return std::move(*out);
}

}  // namespace otklik
