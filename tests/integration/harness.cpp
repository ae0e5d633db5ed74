#include "harness.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <spdlog/sinks/basic_file_sink.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <random>

namespace otklik::test {

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

FakeSite::FakeSite() {
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
}

void FakeSite::put(const std::string& path, std::string content_type, std::string body) {
  FakeResponse r;
  r.status = 200;
  r.headers = {{"Content-Type", std::move(content_type)}};
  r.body = std::move(body);
  put_response(path, std::move(r));
}

void FakeSite::put_response(const std::string& path, FakeResponse response) {
  std::lock_guard lock(mu_);
  for (auto& [p, resp] : docs_)
    if (p == path) {
      resp = std::move(response);
      return;
    }
  docs_.emplace_back(path, std::move(response));
}

std::size_t FakeSite::hits(const std::string& path) const {
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count(paths_seen_.begin(), paths_seen_.end(), path));
}

std::vector<FakeRequest> FakeSite::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

FakeResponse FakeSite::handle(const FakeRequest& r) {
  std::lock_guard lock(mu_);
  paths_seen_.push_back(r.path);
  requests_.push_back(r);
  for (const auto& [p, resp] : docs_)
    if (p == r.target) return resp;
  for (const auto& [p, resp] : docs_)
    if (p == r.path) return resp;
  return FakeResponse::text(404, "not found");
}

namespace {

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string rfc822(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace

std::string rss_feed(const std::vector<FeedItem>& items) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Reviews</title>)"
                    R"(<link>https://reviews.example/</link>)";
  for (const auto& i : items) {
    out += "<item><guid>" + xml_escape(i.guid) + "</guid><title>" + xml_escape(i.title) +
           "</title><link>https://reviews.example/r/" + xml_escape(i.guid) + "</link><pubDate>" +
           rfc822(i.published) + "</pubDate>" + (i.author.empty() ? "" : "<author>" + xml_escape(i.author) + "</author>") +
           "<description>" + xml_escape(i.text) + "</description></item>";
  }
  return out + "</channel></rss>";
}

void serve_feed(FakeSite& site, const std::vector<FeedItem>& items) {
  site.put("/feed.rss", "application/rss+xml", rss_feed(items));
}

bool wait_for_polls(const FakeSite& site, std::size_t polls, std::chrono::milliseconds timeout) {
  const std::size_t target = site.hits("/feed.rss") + polls;
  return wait_until([&] { return site.hits("/feed.rss") >= target; }, timeout);
}

DaemonHarness::DaemonHarness() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path() /
         ("otklik-it-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
}

DaemonHarness::~DaemonHarness() {
  if (running()) stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void DaemonHarness::write_config(const std::string& toml) {
  std::ofstream(dir_ / "otklik.toml") << toml;
}

void DaemonHarness::start() {
  int rc = try_start();
  INFO(this->log());
  REQUIRE(rc == kExitOk);
}

int DaemonHarness::try_start() {
  REQUIRE_FALSE(running());
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>((dir_ / "daemon.log").string());
  auto log = std::make_shared<spdlog::logger>("otklik", sink);
  log->flush_on(spdlog::level::trace);
  log->set_level(spdlog::level::debug);
  daemon_ = std::make_unique<Daemon>(dir_ / "otklik.toml", log, console_);
  int rc = daemon_->start();
  if (rc != kExitOk) {
    daemon_.reset();
    return rc;
  }
  {
    std::lock_guard lock(done_mutex_);
    done_ = false;
  }
  thread_ = std::thread([this] {
    exit_code_ = daemon_->run();
    std::lock_guard lock(done_mutex_);
    done_ = true;
    done_cv_.notify_all();
  });
  return rc;
}

int DaemonHarness::stop() {
  REQUIRE(running());
  daemon_->request_stop();
  {
    // A daemon that does not stop is a defect to see, not a test run hanging until CTest's timeout.
    std::unique_lock lock(done_mutex_);
    if (!done_cv_.wait_for(lock, std::chrono::seconds(60), [this] { return done_; })) {
      std::cerr << "DaemonHarness: the daemon did not stop within 60 s of SIGTERM's request; its log:\n"
                << log() << std::endl;
      std::abort();
    }
  }
  thread_.join();
  daemon_.reset();
  return exit_code_;
}

void DaemonHarness::reload() {
  REQUIRE(running());
  daemon_->request_reload();
}

unsigned short DaemonHarness::health_port() const { return daemon_ ? daemon_->health_port() : 0; }

unsigned short DaemonHarness::web_port() const { return daemon_ ? daemon_->web_port() : 0; }

std::string DaemonHarness::log() const {
  std::ifstream in(dir_ / "daemon.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::pair<int, std::string> DaemonHarness::health_get(const std::string& path) const {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), health_port()});
  // An answer that never comes fails the test (the read throws) instead of hanging it.
  const timeval timeout{30, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  http::request<http::empty_body> req{http::verb::get, path, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  return {static_cast<int>(res.result_int()), res.body()};
}

}  // namespace otklik::test
