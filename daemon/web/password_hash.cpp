#include "daemon/web/password_hash.hpp"

#include "daemon/core/offload.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sodium.h>

namespace otklik::web {

namespace asio = boost::asio;

bool sodium_ready() noexcept { return sodium_init() >= 0; }

Result<std::string> hash_password(std::string_view password) {
  if (!sodium_ready()) return Failure(errc::io_error, "libsodium cannot be initialised");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Failure(errc::io_error, "password hash: out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) noexcept {
  if (!sodium_ready() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  hash.copy(stored, hash.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

PasswordHasher::PasswordHasher(asio::any_io_executor io, asio::any_io_executor pool, std::size_t max_running,
                               std::size_t max_waiting)
    : pool_(std::move(pool)),
      max_running_(max_running == 0 ? 1 : max_running),
      max_waiting_(max_waiting),
      turn_(io, asio::steady_timer::time_point::max()) {}

asio::awaitable<Result<void>> PasswordHasher::acquire() {
  if (running_ < max_running_) {
    ++running_;
    co_return Result<void>{};
  }
  if (waiting_ >= max_waiting_) co_return Failure(errc::rate_limited, "too many sign-ins at once");
  ++waiting_;
  // The timer never expires: cancel_one() in release() ends one wait. A waiter whose freed slot
  // a newcomer took first waits again. (Resetting the expiry here would cancel every waiter.)
  while (running_ >= max_running_) {
    auto [ec] = co_await turn_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
  }
  --waiting_;
  ++running_;
  co_return Result<void>{};
}

void PasswordHasher::release() {
  --running_;
  turn_.cancel_one();
}

asio::awaitable<Result<std::string>> PasswordHasher::hash(std::string password) {
  auto turn = co_await acquire();
  if (!turn) co_return turn.error();
  struct Release {
    PasswordHasher& h;
    ~Release() { h.release(); }
  } release{*this};
  co_return co_await offload(pool_, [&password] { return hash_password(password); });
}

asio::awaitable<Result<bool>> PasswordHasher::verify(std::string hash, std::string password) {
  auto turn = co_await acquire();
  if (!turn) co_return turn.error();
  struct Release {
    PasswordHasher& h;
    ~Release() { h.release(); }
  } release{*this};
  co_return co_await offload(pool_, [&] { return verify_password(hash, password); });
}

}  // namespace otklik::web
