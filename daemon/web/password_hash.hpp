#pragma once
/// Password hashes for the web inbox's users: argon2id through libsodium's crypto_pwhash_str
/// (OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE: 64 MiB and some tenths of a second per hash),
/// and PasswordHasher, which runs them off the event loop, a bounded number at a time, so that a
/// burst of sign-ins can neither stall the daemon nor take gigabytes of memory.

#include "daemon/core/error.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace otklik::web {

/// Initialises libsodium (sodium_init, which is itself idempotent and thread-safe); false when
/// it cannot (no source of randomness). Safe to call any number of times from any thread; every
/// function of this folder that needs libsodium calls it.
bool sodium_ready() noexcept;

/// The crypto_pwhash_str string ("$argon2id$v=19$m=65536,t=2,p=1$…") of `password`. Fails with
/// errc::io_error when libsodium cannot run or the hash cannot get its memory.
Result<std::string> hash_password(std::string_view password);

/// Whether `password` matches `hash` (a crypto_pwhash_str string). An empty or malformed hash
/// matches nothing.
bool verify_password(std::string_view hash, std::string_view password) noexcept;

/// Runs hash_password / verify_password on `pool` (a thread pool's executor), at most
/// `max_running` at once; further callers wait their turn, and past `max_waiting` waiters a call
/// fails at once with errc::rate_limited. The awaiting coroutine resumes on its own executor.
/// Use one PasswordHasher from one thread (the I/O thread): its counters are not atomic.
class PasswordHasher {
 public:
  PasswordHasher(boost::asio::any_io_executor io, boost::asio::any_io_executor pool, std::size_t max_running = 2,
                 std::size_t max_waiting = 64);

  boost::asio::awaitable<Result<std::string>> hash(std::string password);
  /// true when the password matches; a failure only when the hasher is too busy.
  boost::asio::awaitable<Result<bool>> verify(std::string hash, std::string password);

  /// Hashes running now, and callers waiting for a turn.
  [[nodiscard]] std::size_t running() const noexcept { return running_; }
  [[nodiscard]] std::size_t waiting() const noexcept { return waiting_; }

 private:
  boost::asio::awaitable<Result<void>> acquire();
  void release();

  boost::asio::any_io_executor pool_;
  std::size_t max_running_;
  std::size_t max_waiting_;
  std::size_t running_ = 0;
  std::size_t waiting_ = 0;
  boost::asio::steady_timer turn_;  ///< waiters wait on it; release() wakes one
};

}  // namespace otklik::web
