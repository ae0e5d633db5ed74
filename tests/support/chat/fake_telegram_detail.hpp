#pragma once
// Shared by the fake Telegram's files: the Bot API's response shapes and message checks.

#include "tests/support/chat/fake_chat.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace otklik::test {

inline FakeResponse json_response(int status, const boost::json::value& body) {
  FakeResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = boost::json::serialize(body);
  return r;
}

/// {"ok":false,"error_code":code,"description":…,"parameters":…} with HTTP status `code`.
inline FakeResponse api_error(int code, std::string description, boost::json::object parameters = {}) {
  boost::json::object body{{"ok", false}, {"error_code", code}, {"description", std::move(description)}};
  if (!parameters.empty()) body["parameters"] = std::move(parameters);
  return json_response(code, body);
}

/// A chat id or message id as text (numbers as decimal).
inline std::string chat_text(const boost::json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_string()) return std::string(v.get_string());
  return {};
}

/// Reads text, parse_mode and link preview options into `m` like sendMessage; an error response
/// for empty, unparsable or too long text.
std::optional<FakeResponse> read_text(const boost::json::object& o, TelegramMessage& m);
/// Reads an optional reply_markup (an inline keyboard of callback buttons with 1-64 byte data)
/// into `markup` (its JSON, "" when absent); an error response when it is malformed.
std::optional<FakeResponse> read_markup(const boost::json::object& o, std::string& markup);

}  // namespace otklik::test
