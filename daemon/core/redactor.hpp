#pragma once
/// The one redaction of text bound for a log line, a stored error, a metric label or a chat
/// notice: every configured secret value (bot tokens, API keys, passwords, webhook URLs) becomes
/// "***", and anything shaped like a Telegram bot token ("bot123456:AA…", as in the Bot API's
/// request paths) becomes "bot123456:***" even when it is not configured — a proxy's or an API's
/// error page that echoes the request path must not print it. Thread-safe: the log sink uses it
/// from every thread, and a reload replaces the secrets.

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace spdlog::sinks {
class sink;
}

namespace otklik {

class Redactor {
 public:
  /// Replaces the secrets to hide (empty ones and very short ones — under 6 bytes, which would
  /// only blank out ordinary words — are ignored).
  void set_secrets(std::vector<std::string> secrets);

  /// `text` with every secret and bot-token shape hidden.
  [[nodiscard]] std::string operator()(std::string text) const;

  /// A log sink that passes every message through `redactor` before `inner` (shared: a reload
  /// changes the secrets of a sink already in place).
  static std::shared_ptr<spdlog::sinks::sink> sink(std::shared_ptr<const Redactor> redactor,
                                                   std::vector<std::shared_ptr<spdlog::sinks::sink>> inner);

 private:
  mutable std::shared_mutex mutex_;
  std::vector<std::string> secrets_;
};

/// Hides bot-token shapes ("bot<digits>:<25 or more token characters>") in `text`.
std::string hide_bot_tokens(std::string text);

}  // namespace otklik
