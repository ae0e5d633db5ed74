#pragma once
// Runs the real daemon (otklik::Daemon, the code `otklik run` uses) on its own thread against
// fake servers on 127.0.0.1, with a config written to a fresh temporary folder.

#include "daemon/app/application.hpp"
#include "tests/support/http/fake_http_server.hpp"

#include <chrono>
#include <filesystem>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace otklik::test {

/// Polls `condition` every 10 ms until it holds or `timeout` passes. Returns whether it held.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

/// A review site: serves named documents (path → content type + body) that tests change while
/// the daemon runs. Unknown paths are 404.
class FakeSite {
 public:
  FakeSite();
  /// Serves `body` at `path` ("/reviews"), or at one exact target with its query
  /// ("/reviews?page=2"): an exact target wins over its path.
  void put(const std::string& path, std::string content_type, std::string body);
  /// Serves `response` for `path` instead (garbage, huge, slow, redirect loops…).
  void put_response(const std::string& path, FakeResponse response);
  [[nodiscard]] std::string url(const std::string& path) const { return server_->base_url() + path; }
  /// Requests received for `path`.
  [[nodiscard]] std::size_t hits(const std::string& path) const;
  /// Every request received, in order (method, target, headers).
  [[nodiscard]] std::vector<FakeRequest> requests() const;

 private:
  FakeResponse handle(const FakeRequest& r);
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, FakeResponse>> docs_;
  std::vector<std::string> paths_seen_;
  std::vector<FakeRequest> requests_;
  std::unique_ptr<FakeHttpServer> server_;
};

/// An RSS 2.0 item.
struct FeedItem {
  std::string guid;
  std::string title;
  std::string text;
  std::chrono::system_clock::time_point published;
  std::string author = "";  ///< <author> when not empty
};
std::string rss_feed(const std::vector<FeedItem>& items);

/// Serves `items` as the RSS feed at /feed.rss.
void serve_feed(FakeSite& site, const std::vector<FeedItem>& items);
/// Waits until /feed.rss has been fetched `polls` more times (so the daemon has seen its content).
bool wait_for_polls(const FakeSite& site, std::size_t polls, std::chrono::milliseconds timeout);

class DaemonHarness {
 public:
  DaemonHarness();
  ~DaemonHarness();

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  void write_config(const std::string& toml);
  /// Starts a daemon on the config; REQUIREs that start-up succeeds.
  void start();
  /// Starts a daemon on the config and returns start-up's exit code; after a failure nothing runs.
  int try_start();
  /// Graceful stop (as SIGTERM); returns the exit code.
  int stop();
  void reload();
  [[nodiscard]] bool running() const { return daemon_ != nullptr; }
  [[nodiscard]] unsigned short health_port() const;
  /// The web inbox's port (0 when [web] is off).
  [[nodiscard]] unsigned short web_port() const;
  /// GET on the health endpoint; returns status and body.
  [[nodiscard]] std::pair<int, std::string> health_get(const std::string& path) const;
  /// The daemon's log so far.
  [[nodiscard]] std::string log() const;

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Daemon> daemon_;
  std::thread thread_;
  std::mutex done_mutex_;               ///< guards done_
  std::condition_variable done_cv_;
  bool done_ = false;                   ///< the daemon's run() returned
  std::ostringstream console_;
  int exit_code_ = -1;
};

}  // namespace otklik::test
