#pragma once
/// Cancellation as a long-lived loop sees it.
///
/// The daemon's tasks turn `throw_if_cancelled` off and end on a cancelled wait. A signal
/// emitted while no cancellable wait of the task is pending (its store job is running, or its
/// timer has fired and the resumption is already queued) ends no wait: it is only recorded in the
/// coroutine's cancellation state. A loop that looked at the wait's error alone would then wait
/// again, and again, and the task would never end (the daemon did not exit after SIGTERM).
/// Every loop ends its waits through `wait_cancelled` or asks `cancelled()` after other work.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace otklik {

/// Whether the calling coroutine has been sent a cancellation, whether or not a wait saw it.
inline boost::asio::awaitable<bool> cancelled() {
  namespace asio = boost::asio;
  co_return (co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none;
}

/// Waits for `timer` (already set); true when the coroutine was cancelled, during the wait or
/// before its end was seen. Another cancel of the timer itself (a wake-up) returns false.
inline boost::asio::awaitable<bool> wait_cancelled(boost::asio::steady_timer& timer) {
  namespace asio = boost::asio;
  auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;
  co_return co_await cancelled();
}

}  // namespace otklik
