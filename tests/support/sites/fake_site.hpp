#pragma once
// What the fake marketplace APIs (fake_wildberries.hpp, fake_ozon.hpp, fake_yandex_market.hpp)
// share: a refusal queued for the next answer call, JSON bodies of requests, UTF-8 lengths.

#include "tests/support/http/fake_http_server.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::test {

/// A refusal the next call that publishes, edits or deletes an answer gets instead of the site's
/// normal handling (a documented 4xx, a 5xx, a 429 with its headers).
struct QueuedFailure {
  int status = 500;
  std::string body;
  Headers headers;

  [[nodiscard]] FakeResponse response() const {
    FakeResponse r = FakeResponse::json(status, body);
    for (const auto& h : headers) r.headers.push_back(h);
    return r;
  }
};

/// The request's body as a JSON object; nullopt when it is not one.
inline std::optional<boost::json::object> json_object_body(const FakeRequest& r) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

/// Whether the request says its body is JSON, as the APIs require of a body.
inline bool sends_json(const FakeRequest& r) {
  return r.header("Content-Type").value_or("").starts_with("application/json");
}

/// o[key] as a string ("" when absent or not a string).
inline std::string string_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

/// Code points of UTF-8 text, as the APIs count their limits.
inline std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

/// A query parameter of a target ("" when absent); no percent-decoding (the ids are plain).
inline std::string query_value(std::string_view target, std::string_view key) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == key) return eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return {};
}

/// The current time as the APIs write it: "2026-12-07T09:00:00Z".
inline std::string now_iso_utc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

}  // namespace otklik::test
