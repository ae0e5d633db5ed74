#include "daemon/health/systemd_notify.hpp"

#include "tests/support/catch_result.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sd = otklik::systemd;
using namespace std::chrono_literals;

namespace {

/// Sets (or unsets) one environment variable for the life of the guard, then restores it.
class EnvGuard {
 public:
  EnvGuard(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ~EnvGuard() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// A datagram socket in a fresh temporary folder, standing in for the service manager, with
/// NOTIFY_SOCKET pointing at it while the object lives.
class FakeManager {
 public:
  FakeManager() {
    std::string dir_template = (std::filesystem::temp_directory_path() / "otklik-sd-XXXXXX").string();
    REQUIRE(::mkdtemp(dir_template.data()) != nullptr);
    dir_ = dir_template;
    const auto path = (dir_ / "notify").string();
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    env_.emplace("NOTIFY_SOCKET", path);
  }
  ~FakeManager() {
    env_.reset();
    ::close(fd_);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  FakeManager(const FakeManager&) = delete;
  FakeManager& operator=(const FakeManager&) = delete;

  /// Every datagram received so far (does not wait).
  std::vector<std::string> take() {
    std::vector<std::string> out;
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0) break;
      out.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  std::filesystem::path dir_;
  int fd_ = -1;
  std::optional<EnvGuard> env_;
};

}  // namespace

TEST_CASE("without NOTIFY_SOCKET every notification is a no-op", "[systemd]") {
  EnvGuard no_socket("NOTIFY_SOCKET", std::nullopt);
  CHECK_FALSE(sd::notify_socket_set());
  for (const auto& r : {sd::ready(), sd::stopping(), sd::reloading(), sd::status("x"), sd::watchdog_ping()}) {
    REQUIRE(r);
    CHECK(*r == sd::Notified::no_socket);
  }
}

TEST_CASE("notifications reach the manager's socket", "[systemd]") {
  FakeManager manager;
  CHECK(sd::notify_socket_set());

  REQUIRE(sd::ready());
  CHECK(*sd::watchdog_ping() == sd::Notified::sent);
  REQUIRE(sd::stopping());
  REQUIRE(sd::status("polling 3 sources\nall fine"));
  REQUIRE(sd::reloading());

  const auto got = manager.take();
  REQUIRE(got.size() == 5);
  CHECK(got[0] == "READY=1");
  CHECK(got[1] == "WATCHDOG=1");
  CHECK(got[2] == "STOPPING=1");
  CHECK(got[3] == "STATUS=polling 3 sources all fine");
  const std::string prefix = "RELOADING=1\nMONOTONIC_USEC=";
  REQUIRE(got[4].starts_with(prefix));
  const auto usec = got[4].substr(prefix.size());
  CHECK_FALSE(usec.empty());
  CHECK(usec.find_first_not_of("0123456789") == std::string::npos);
}

TEST_CASE("a socket that does not exist is a failure value", "[systemd]") {
  EnvGuard missing("NOTIFY_SOCKET", "/nonexistent/otklik/notify");
  const auto r = sd::ready();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == otklik::errc::io_error);
}

TEST_CASE("watchdog interval is half of WATCHDOG_USEC for this process", "[systemd]") {
  const auto self = std::to_string(::getpid());
  {
    EnvGuard usec("WATCHDOG_USEC", "30000000");
    EnvGuard pid("WATCHDOG_PID", self);
    CHECK(sd::watchdog_interval() == std::optional<otklik::Duration>(15s));
  }
  {
    EnvGuard usec("WATCHDOG_USEC", "30000000");
    EnvGuard pid("WATCHDOG_PID", std::to_string(::getpid() + 1));  // meant for another process
    CHECK_FALSE(sd::watchdog_interval());
  }
  {
    EnvGuard usec("WATCHDOG_USEC", std::nullopt);
    EnvGuard pid("WATCHDOG_PID", std::nullopt);
    CHECK_FALSE(sd::watchdog_interval());
  }
}

TEST_CASE("watchdog_loop pings while healthy, stops pinging when not, ends on cancel", "[systemd]") {
  FakeManager manager;
  boost::asio::io_context io;
  std::atomic<bool> healthy{true};
  boost::asio::cancellation_signal cancel;
  bool done = false;
  std::exception_ptr error;
  boost::asio::co_spawn(
      io, sd::watchdog_loop(io.get_executor(), 20ms, [&] { return healthy.load(); }),
      boost::asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e) {
        done = true;
        error = e;
      }));

  io.run_for(150ms);
  const auto pings = manager.take();
  CHECK(pings.size() >= 3);
  for (const auto& p : pings) CHECK(p == "WATCHDOG=1");

  healthy = false;
  io.run_for(100ms);
  CHECK(manager.take().empty());

  cancel.emit(boost::asio::cancellation_type::terminal);
  io.run_for(100ms);
  CHECK(done);
  CHECK_FALSE(error);
}
