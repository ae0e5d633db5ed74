#pragma once
/// Fake chat APIs for tests, each on its own FakeHttpServer (127.0.0.1), speaking the real wire
/// formats: the Telegram Bot API's sendMessage, a Slack incoming webhook, a generic webhook.
/// Failures are programmed as a queue consumed one per request, or as "down" until cleared.
/// All methods are thread-safe (the server answers on its own thread).

#include "tests/support/http/fake_http_server.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace otklik::test {

/// One programmed failure. status 0 means: read the request, close the connection, no response;
/// status -1 (pass()) means: serve this request normally.
struct FakeFailure {
  int status = 0;
  int retry_after = -1;     ///< seconds: sent as Retry-After (and Telegram's parameters.retry_after)
  std::string migrate_to;   ///< Telegram: answer 400 with parameters.migrate_to_chat_id

  static FakeFailure down() { return {}; }
  static FakeFailure pass() { return {-1, -1, {}}; }
  static FakeFailure too_many_requests(int seconds) { return {429, seconds, {}}; }
  static FakeFailure http(int status) { return {status, -1, {}}; }
  static FakeFailure migrate(std::string to_chat) { return {400, -1, std::move(to_chat)}; }
};

/// A message the fake Telegram accepted.
struct TelegramMessage {
  std::int64_t message_id = 0;
  std::string chat_id;        ///< as sent (numbers as their decimal text)
  std::string text;           ///< the HTML as sent
  std::string visible_text;   ///< after entity parsing (tags removed, entities decoded)
  std::string parse_mode;
  bool link_preview_disabled = false;  ///< link_preview_options.is_disabled or disable_web_page_preview
};

/// UTF-16 length of Telegram HTML after entity parsing, and the parsed text; an independent
/// implementation (not the channel's), strict like the Bot API: unknown or unbalanced tags and
/// stray '<' or '&' are errors. Returns false with `error` set on a parse error.
bool parse_telegram_html(const std::string& html, std::string& visible, std::size_t& utf16_units, std::string& error);

/// The Bot API: POST /bot<token>/sendMessage with a JSON body.
class FakeTelegram {
 public:
  explicit FakeTelegram(std::string token = "123456:TEST-fake-token");
  ~FakeTelegram();

  /// The api_url for the channel config ("http://127.0.0.1:PORT").
  [[nodiscard]] std::string api_url() const;
  [[nodiscard]] const std::string& token() const noexcept { return token_; }
  /// Accepted messages, in order.
  [[nodiscard]] std::vector<TelegramMessage> messages() const;
  /// Every request received (accepted or not), in order.
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  /// Replaces the queue of failures; each request consumes one before being served normally.
  void set_failures(std::vector<FakeFailure> failures);
  /// While down, every request's connection is closed without a response.
  void set_down(bool down);

 private:
  FakeResponse handle(const FakeRequest& request);

  std::string token_;
  mutable std::mutex mu_;
  std::vector<TelegramMessage> messages_;
  std::vector<FakeFailure> failures_;
  bool down_ = false;
  std::int64_t next_id_ = 1;
  std::unique_ptr<FakeHttpServer> server_;  ///< last: stopped before the state above goes away
};

/// A Slack incoming webhook at /services/T0001/B0001/<secret>: 200 "ok"; 400 "invalid_payload"
/// for a body that is not JSON with text or blocks, "invalid_blocks" for blocks over Slack's limits;
/// 404 "no_service" for another path; programmed failures (429 with Retry-After "rate_limited").
class FakeSlackWebhook {
 public:
  FakeSlackWebhook();
  ~FakeSlackWebhook();
  /// The full webhook URL (a secret in real life).
  [[nodiscard]] std::string url() const;
  /// The JSON bodies accepted, in order.
  [[nodiscard]] std::vector<std::string> messages() const;
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  void set_failures(std::vector<FakeFailure> failures);
  void set_down(bool down);

 private:
  FakeResponse handle(const FakeRequest& request);

  mutable std::mutex mu_;
  std::vector<std::string> messages_;
  std::vector<FakeFailure> failures_;
  bool down_ = false;
  std::unique_ptr<FakeHttpServer> server_;
};

/// A generic webhook endpoint at /hook: records every request (headers included) and answers
/// 200 {"ok":true} unless a failure is programmed (a 429/503 failure with retry_after sends
/// Retry-After).
class FakeWebhook {
 public:
  FakeWebhook();
  ~FakeWebhook();
  [[nodiscard]] std::string url() const;
  /// Requests answered with 2xx, in order.
  [[nodiscard]] std::vector<FakeRequest> messages() const;
  /// Every request received, in order.
  [[nodiscard]] std::vector<FakeRequest> requests() const;
  void set_failures(std::vector<FakeFailure> failures);
  void set_down(bool down);

 private:
  FakeResponse handle(const FakeRequest& request);

  mutable std::mutex mu_;
  std::vector<FakeRequest> messages_;
  std::vector<FakeFailure> failures_;
  bool down_ = false;
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace otklik::test
