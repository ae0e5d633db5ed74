#include "daemon/core/log_prefix.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/base_sink.h>

#include <mutex>

namespace otklik {
namespace {

class PrefixingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  PrefixingSink(std::string prefix, std::vector<std::shared_ptr<spdlog::sinks::sink>> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string text;
    text.reserve(prefix_.size() + msg.payload.size());
    text.append(prefix_).append(msg.payload.data(), msg.payload.size());
    spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, text);
    copy.thread_id = msg.thread_id;
    for (auto& s : inner_)
      if (s->should_log(copy.level)) s->log(copy);
  }
  void flush_() override {
    for (auto& s : inner_) s->flush();
  }

 private:
  std::string prefix_;
  std::vector<std::shared_ptr<spdlog::sinks::sink>> inner_;
};

}  // namespace

std::shared_ptr<spdlog::sinks::sink> prefixing_sink(std::string prefix,
                                                    std::vector<std::shared_ptr<spdlog::sinks::sink>> inner) {
  return std::make_shared<PrefixingSink>(std::move(prefix), std::move(inner));
}

}  // namespace otklik
