#pragma once
/// The daemon config of the preset tests: one source named "preset" polled every second (its other
/// keys — type, url, brand, api key… — given by the test), the brand Рокетбанк, and a Telegram
/// channel every alert goes to.

#include "tests/support/chat/fake_chat.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace otklik::test {

inline std::string preset_config(std::string_view source_keys, const FakeTelegram& tg) {
  return fmt::format(R"(
[daemon]
state = "state.db"
listen = "127.0.0.1:0"
locale = "ru"
shutdown_timeout = "5s"

[http]
per_host_delay = "0s"
read_timeout = "5s"

[[brand]]
name = "Рокетбанк"
aliases = ["Rocketbank"]

[[source]]
name = "preset"
interval = "1s"
{}

[[channel]]
name = "support"
type = "telegram"
token = "{}"
chat_id = "-100200300"
api_url = "{}"
actions = false

[[route]]
channel = "support"
min_severity = "low"
)",
                     source_keys, tg.token(), tg.api_url());
}

}  // namespace otklik::test
