// The HTTP client's connection counters as metrics: totals that only grow across reloads.
#include "daemon/app/app_events.hpp"

#include <catch2/catch.hpp>

using namespace otklik;

TEST_CASE("HTTP connection counters are exported and keep growing across client replacements",
          "[app][http][keepalive]") {
  health::MetricsRegistry metrics;
  AppEvents events(metrics);
  HttpClientStats first;
  first.connections_opened = 3;
  first.requests_reused = 20;
  first.stale_retries = 1;
  first.stale_discarded = 2;
  first.idle = 2;
  events.http_connections(first);
  auto text = metrics.expose();
  CHECK(text.find("otklik_http_connections_opened_total 3\n") != std::string::npos);
  CHECK(text.find("otklik_http_requests_reused_total 20\n") != std::string::npos);
  CHECK(text.find("otklik_http_stale_retries_total 1\n") != std::string::npos);
  CHECK(text.find("otklik_http_stale_discarded_total 2\n") != std::string::npos);
  CHECK(text.find("otklik_http_idle_connections 2\n") != std::string::npos);

  // A reload: the old client's counts stay, the new one starts from zero.
  events.http_client_replaced(first);
  HttpClientStats second;
  second.connections_opened = 1;
  second.requests_reused = 4;
  events.http_connections(second);
  text = metrics.expose();
  CHECK(text.find("otklik_http_connections_opened_total 4\n") != std::string::npos);
  CHECK(text.find("otklik_http_requests_reused_total 24\n") != std::string::npos);
  CHECK(text.find("otklik_http_stale_retries_total 1\n") != std::string::npos);
  CHECK(text.find("otklik_http_idle_connections 0\n") != std::string::npos);
}
