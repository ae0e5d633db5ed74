// Slack's side of a button click: the signed block_actions POST to the daemon.

#include "tests/support/chat/fake_chat.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace otklik::test {
namespace json = boost::json;

namespace {

std::string form_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out.push_back(static_cast<char>(c));
    else if (c == ' ') out.push_back('+');
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

std::string slack_click_body(const SlackClick& click) {
  json::object payload{
      {"type", "block_actions"},
      {"user", {{"id", click.user_id}, {"username", click.username}, {"name", click.username}, {"team_id", "T0001"}}},
      {"api_app_id", "A0TEST0001"},
      {"token", "legacy-verification-token"},
      {"container", {{"type", "message"}, {"message_ts", "1700000000.000100"}, {"channel_id", "C0TEST0001"},
                     {"is_ephemeral", false}}},
      {"trigger_id", "1700000000.1.abcdef"},
      {"team", {{"id", "T0001"}, {"domain", "example"}}},
      {"enterprise", nullptr},
      {"is_enterprise_install", false},
      {"channel", {{"id", "C0TEST0001"}, {"name", "reviews"}}},
      {"message", {{"type", "message"}, {"subtype", "bot_message"}, {"text", "alert"}, {"ts", "1700000000.000100"}}},
      {"state", {{"values", json::object{}}}},
      {"response_url", click.response_url},
      {"actions", {{{"action_id", click.action_id},
                    {"block_id", "otk1_block"},
                    {"text", {{"type", "plain_text"}, {"text", "button"}, {"emoji", true}}},
                    {"value", click.value},
                    {"type", "button"},
                    {"action_ts", "1700000001.000200"}}}},
  };
  return "payload=" + form_encode(json::serialize(payload));
}

std::string slack_submission_body(const std::string& view, const std::string& block_id, const std::string& action_id,
                                  const std::string& value, const std::string& user_id, const std::string& username) {
  json::object v = json::parse(view).as_object();
  v["id"] = "V0TEST0001";
  v["team_id"] = "T0001";
  v["state"] = {{"values", {{block_id, {{action_id, {{"type", "plain_text_input"}, {"value", value}}}}}}}};
  v["hash"] = "1700000000.abcdefgh";
  json::object payload{
      {"type", "view_submission"},
      {"team", {{"id", "T0001"}, {"domain", "example"}}},
      {"user", {{"id", user_id}, {"username", username}, {"name", username}, {"team_id", "T0001"}}},
      {"api_app_id", "A0TEST0001"},
      {"token", "legacy-verification-token"},
      {"trigger_id", "1700000002.1.abcdef"},
      {"view", std::move(v)},
      {"response_urls", json::array()},
      {"is_enterprise_install", false},
  };
  return "payload=" + form_encode(json::serialize(payload));
}

std::string sign_slack_body(const std::string& secret, const std::string& timestamp, const std::string& body) {
  const std::string base = "v0:" + timestamp + ":" + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(base.data()), base.size(), mac, &len);
  std::string hex = "v0=";
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", mac[i]);
  return hex;
}

std::pair<int, std::string> post_slack_click(const std::string& url, const std::string& secret,
                                             const std::string& body, std::int64_t timestamp) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  const std::string prefix = "http://";
  if (url.rfind(prefix, 0) != 0) return {0, "not an http URL"};
  const auto slash = url.find('/', prefix.size());
  const std::string authority = url.substr(prefix.size(), slash - prefix.size());
  const std::string target = slash == std::string::npos ? "/" : url.substr(slash);
  const auto colon = authority.rfind(':');
  asio::io_context ioc;
  asio::ip::tcp::resolver resolver(ioc);
  asio::ip::tcp::socket socket(ioc);
  asio::connect(socket, resolver.resolve(authority.substr(0, colon), authority.substr(colon + 1)));
  http::request<http::string_body> req{http::verb::post, target, 11};
  req.set(http::field::host, authority);
  req.set(http::field::user_agent, "Slackbot 1.0 (+https://api.slack.com/robots)");
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  if (!secret.empty()) {
    const std::string ts = std::to_string(timestamp);
    req.set("X-Slack-Request-Timestamp", ts);
    req.set("X-Slack-Signature", sign_slack_body(secret, ts, body));
  }
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  boost::system::error_code ignored;
  socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return {static_cast<int>(res.result_int()), res.body()};
}

}  // namespace otklik::test
