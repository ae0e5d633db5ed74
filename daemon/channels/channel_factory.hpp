#pragma once
/// make_channel() with an explicit logger (channel.hpp's overload uses spdlog's default logger).

#include "daemon/channels/channel.hpp"

#include <spdlog/logger.h>

#include <memory>
#include <ostream>

namespace otklik {

/// Builds the channel for `config`; `log` (may be null) hears of chat migrations and of a time
/// zone that could not be loaded (dates then shown in UTC). [[channel]].locale overrides
/// options.locale. `smtp` (may be null; must outlive the call) is the [smtp] section that email
/// channels send through. Throws std::invalid_argument for an unknown type, and for an email
/// channel without `smtp`.
std::unique_ptr<Channel> make_channel(const ChannelConfig& config, HttpClient& http, RenderOptions options,
                                      std::ostream& console_out, std::shared_ptr<spdlog::logger> log,
                                      const SmtpConfig* smtp = nullptr);

}  // namespace otklik
