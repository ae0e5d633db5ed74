#include "daemon/core/redactor.hpp"

#include "daemon/core/secret.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <algorithm>
#include <mutex>

namespace otklik {

namespace {

bool token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/// Passes each message through the redactor, then on to the sinks it wraps.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  RedactingSink(std::shared_ptr<const Redactor> redactor, std::vector<std::shared_ptr<spdlog::sinks::sink>> inner)
      : redactor_(std::move(redactor)), inner_(std::move(inner)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string clean = (*redactor_)(std::string(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
    copy.thread_id = msg.thread_id;
    for (auto& s : inner_)
      if (s->should_log(copy.level)) s->log(copy);
  }
  void flush_() override {
    for (auto& s : inner_) s->flush();
  }

 private:
  std::shared_ptr<const Redactor> redactor_;
  std::vector<std::shared_ptr<spdlog::sinks::sink>> inner_;
};

}  // namespace

std::string hide_bot_tokens(std::string text) {
  constexpr std::size_t kMinToken = 25;  // real tokens have 35 characters after the colon
  std::size_t pos = 0;
  while ((pos = text.find("bot", pos)) != std::string::npos) {
    std::size_t i = pos + 3;
    const std::size_t digits = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits || i >= text.size() || text[i] != ':') {
      pos += 3;
      continue;
    }
    const std::size_t token = ++i;
    while (i < text.size() && token_char(text[i])) ++i;
    if (i - token < kMinToken) {
      pos = token;
      continue;
    }
    text.replace(token, i - token, "***");
    pos = token + 3;
  }
  return text;
}

void Redactor::set_secrets(std::vector<std::string> secrets) {
  constexpr std::size_t kMinSecret = 6;
  std::erase_if(secrets, [](const std::string& s) { return s.size() < kMinSecret; });
  // Longer first: a secret that contains another is hidden whole.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::unique_lock lock(mutex_);
  secrets_ = std::move(secrets);
}

std::string Redactor::operator()(std::string text) const {
  {
    std::shared_lock lock(mutex_);
    if (!secrets_.empty()) {
      std::vector<std::string_view> views(secrets_.begin(), secrets_.end());
      text = redact(std::move(text), views);
    }
  }
  return hide_bot_tokens(std::move(text));
}

std::shared_ptr<spdlog::sinks::sink> Redactor::sink(std::shared_ptr<const Redactor> redactor,
                                                    std::vector<std::shared_ptr<spdlog::sinks::sink>> inner) {
  return std::make_shared<RedactingSink>(std::move(redactor), std::move(inner));
}

}  // namespace otklik
