// Time from a new review being served to its alert reaching a (fake) Telegram, measured on the
// real daemon code: a feed on 127.0.0.1 gains a negative item every `gap`; the daemon polls it
// every `interval`; the fake Bot API records when each alert arrives.
//
//   alert_latency [ITEMS=200] [GAP_MS=300] [INTERVAL_S=1]
//
// Reports, over the items, p50/p90/p99/max of
//   - end to end: item added to the feed → alert received (includes waiting for the next poll),
//   - beyond the poll: the first feed response that carried the item → alert received.

#include "daemon/app/application.hpp"
#include "tests/support/chat/fake_chat.hpp"
#include "tests/support/http/fake_http_server.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

using namespace std::chrono;
using otklik::test::FakeHttpServer;
using otklik::test::FakeRequest;
using otklik::test::FakeResponse;
using otklik::test::FakeTelegram;

namespace {

struct Item {
  int id;
  steady_clock::time_point added;
  std::optional<steady_clock::time_point> first_served;
  std::optional<steady_clock::time_point> alerted;
};

std::string rfc822(system_clock::time_point t) {
  std::time_t tt = system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto idx = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  return v[std::min(idx, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::stoi(argv[1]) : 200;
  const auto gap = milliseconds(argc > 2 ? std::stoi(argv[2]) : 300);
  const int interval = argc > 3 ? std::stoi(argv[3]) : 1;

  std::mutex mu;
  std::vector<Item> items;
  FakeHttpServer site([&](const FakeRequest&) {
    std::lock_guard lock(mu);
    auto now = steady_clock::now();
    std::string body = R"(<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>)";
    for (auto& it : items) {
      if (!it.first_served) it.first_served = now;
      body += fmt::format("<item><guid>r{}</guid><title>Review {}</title><pubDate>{}</pubDate><description>"
                          "Item {}: rude staff, an hour in the queue, money charged twice and never refunded. "
                          "Terrible.</description></item>",
                          it.id, it.id, rfc822(system_clock::now()), it.id);
    }
    return FakeResponse::text(200, body + "</channel></rss>", "application/rss+xml");
  });
  FakeTelegram tg;

  auto dir = std::filesystem::temp_directory_path() / fmt::format("otklik-latency-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "otklik.toml") << fmt::format(R"(
[daemon]
state = "state.db"
listen = ""
[http]
per_host_delay = "0s"
[[source]]
name = "feed"
type = "rss"
url = "{}/feed.rss"
interval = "{}s"
[[channel]]
name = "tg"
type = "telegram"
token = "{}"
chat_id = "1"
api_url = "{}"
[[route]]
channel = "tg"
)",
                                                    site.base_url(), interval, tg.token(), tg.api_url());
  auto log = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  otklik::Daemon daemon(dir / "otklik.toml", log, std::cout);
  if (daemon.start() != otklik::kExitOk) return 1;
  std::thread loop([&] { daemon.run(); });
  std::this_thread::sleep_for(milliseconds(1500));  // let the silent first poll happen

  std::size_t seen = 0;
  auto record_arrivals = [&] {
    auto msgs = tg.messages();
    auto now = steady_clock::now();
    for (; seen < msgs.size(); ++seen) {
      auto pos = msgs[seen].visible_text.find("Item ");
      if (pos == std::string::npos) continue;
      int id = std::stoi(msgs[seen].visible_text.substr(pos + 5));
      std::lock_guard lock(mu);
      for (auto& it : items)
        if (it.id == id && !it.alerted) it.alerted = now;
    }
  };
  auto next = steady_clock::now();
  for (int i = 0; i < n; ++i) {
    {
      std::lock_guard lock(mu);
      items.push_back({i, steady_clock::now(), {}, {}});
    }
    next += gap;
    while (steady_clock::now() < next) {
      record_arrivals();
      std::this_thread::sleep_for(microseconds(500));
    }
  }
  // Until every item's alert came (notices, e.g. of the spike this burst is, do not count).
  auto all_alerted = [&] {
    std::lock_guard lock(mu);
    return std::all_of(items.begin(), items.end(), [](const Item& it) { return it.alerted.has_value(); });
  };
  auto deadline = steady_clock::now() + seconds(30);
  while (!all_alerted() && steady_clock::now() < deadline) {
    record_arrivals();
    std::this_thread::sleep_for(microseconds(500));
  }
  daemon.request_stop();
  loop.join();

  std::vector<double> total, beyond;
  int missing = 0;
  for (const auto& it : items) {
    if (!it.alerted || !it.first_served) {
      ++missing;
      continue;
    }
    total.push_back(duration<double, std::milli>(*it.alerted - it.added).count());
    beyond.push_back(duration<double, std::milli>(*it.alerted - *it.first_served).count());
  }
  std::size_t alert_messages = 0;
  for (const auto& m : tg.messages()) alert_messages += m.visible_text.find("Item ") != std::string::npos;
  const std::size_t other_messages = tg.messages().size() - alert_messages;
  std::cout << fmt::format("items={} gap_ms={} interval_s={} alerts={} missing={} alert_messages={} other_messages={}\n",
                           n, gap.count(), interval, total.size(), missing, alert_messages, other_messages);
  std::cout << fmt::format("end_to_end_ms  p50={:.1f} p90={:.1f} p99={:.1f} max={:.1f}\n", pct(total, 50),
                           pct(total, 90), pct(total, 99), pct(total, 100));
  std::cout << fmt::format("beyond_poll_ms p50={:.1f} p90={:.1f} p99={:.1f} max={:.1f}\n", pct(beyond, 50),
                           pct(beyond, 90), pct(beyond, 99), pct(beyond, 100));
  std::filesystem::remove_all(dir);
  // Every item alerted exactly once; other messages are notices (a spike of these negatives).
  return missing == 0 && alert_messages == static_cast<std::size_t>(n) ? 0 : 2;
}
