#pragma once
/// When each source of this instance polls next, and "poll now" for the web inbox's admins. The
/// source runners report their waits here; a request to poll now cuts the wait short. Used on the
/// I/O thread only (runners and the web routes run there).

#include "daemon/core/mention.hpp"

#include <boost/asio/steady_timer.hpp>

#include <optional>
#include <string>
#include <unordered_map>

namespace otklik {

class SourceSchedule {
 public:
  /// What "poll now" found.
  enum class Wake {
    woken,        ///< the source was waiting: it polls at once
    polling,      ///< a poll of it is running now
    not_here,     ///< the source does not run on this instance (unknown, or another instance's lease)
  };

  /// A runner waits on `timer` for its next poll at `at`. The timer must stay alive until
  /// stopped_waiting() or gone().
  void waiting(const std::string& source, boost::asio::steady_timer& timer, TimePoint at);
  /// The wait ended (the runner goes on to poll, or to wait for its lease). Returns true when
  /// the wait was cut short by wake(): the runner polls now even though its timer did not expire.
  bool stopped_waiting(const std::string& source);
  /// A runner polls (for the "polling" answer and the next-poll column).
  void polling(const std::string& source, bool on);
  /// The runner ended (shutdown, reload, lease lost).
  void gone(const std::string& source);

  /// The next poll of a source waiting here.
  [[nodiscard]] std::optional<TimePoint> next_poll(const std::string& source) const;
  [[nodiscard]] bool is_polling(const std::string& source) const;
  /// Cuts the source's wait short.
  Wake wake(const std::string& source);

 private:
  struct Entry {
    boost::asio::steady_timer* timer = nullptr;
    std::optional<TimePoint> at;
    bool polling = false;
    bool woken = false;
  };
  // Hashed: each poll asks here four times by name, and with 10,000 sources a tree's walk of
  // string compares (a cache miss a level) was 5 % of a steady 10 s run's CPU.
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace otklik
