#include "daemon/mail/smtp_client.hpp"

#include "daemon/mail/mime_encoding.hpp"
#include "daemon/mail/smtp_connection.hpp"
#include "daemon/net/http_client.hpp"

#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/system_error.hpp>

#include <optional>

namespace otklik::mail {

namespace asio = boost::asio;

namespace {

constexpr Duration kDefaultTimeout = std::chrono::seconds(30);

bool is_helo_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '[' || c == ']' || c == ':';
    if (!ok) return false;
  }
  return true;
}

/// The parts of a send that do not change during it.
struct Plan {
  SmtpConfig config;
  std::string from;
  std::vector<std::string> rcpt;
  std::string data;  ///< dot-stuffed message
  SmtpTls tls;
  std::string server_name;
};

Result<void> check_address(std::string_view email, std::string_view role) {
  auto parsed = parse_mail_address(email);
  if (!parsed || !parsed->display.empty() || parsed->email != email) {
    return Failure(errc::invalid_input, std::string(role) + " '" + std::string(email) + "' is not a bare address" +
                                            (parsed ? "" : ": " + parsed.error().detail));
  }
  return {};
}

Result<std::optional<asio::ssl::context>> tls_context(const Plan& plan) {
  if (plan.config.security == "none") return std::optional<asio::ssl::context>{};
  try {
    return std::optional<asio::ssl::context>(make_client_tls_context(plan.tls.ca_file));
  } catch (const boost::system::system_error& e) {
    return Failure(errc::invalid_input, "cannot load CA file '" + plan.tls.ca_file + "': " + e.code().message());
  }
}

/// Sends `line` and requires a reply of class `klass` (2 or 3) or one of `codes`.
asio::awaitable<Result<SmtpReply>> expect(SmtpConnection& conn, std::string line, std::string shown, int klass) {
  auto reply = co_await conn.command(std::move(line), shown);
  if (!reply) co_return reply.error();
  if (reply->klass() != klass) co_return reply_failure(*reply, shown);
  co_return reply;
}

asio::awaitable<Result<EhloCapabilities>> ehlo(SmtpConnection& conn, std::string name) {
  auto reply = co_await expect(conn, "EHLO " + name, "EHLO", 2);
  if (!reply) co_return reply.error();
  co_return parse_ehlo(*reply);
}

asio::awaitable<Result<void>> authenticate(SmtpConnection& conn, const Plan& plan, EhloCapabilities caps) {
  const auto& user = plan.config.username;
  const auto& password = plan.config.password.value();
  if (!conn.tls_active() && plan.config.security != "none") {
    co_return Failure(errc::protocol_error, "refusing to send credentials without TLS");
  }
  if (caps.auth_plain) {
    std::string token;
    token.push_back('\0');
    token += user;
    token.push_back('\0');
    token += password;
    auto reply = co_await expect(conn, "AUTH PLAIN " + base64_encode(token), "AUTH PLAIN ***", 2);
    if (!reply) co_return reply.error();
    co_return Result<void>{};
  }
  if (caps.auth_login) {
    auto step = co_await expect(conn, "AUTH LOGIN", "AUTH LOGIN", 3);
    if (!step) co_return step.error();
    step = co_await expect(conn, base64_encode(user), "AUTH LOGIN (user name)", 3);
    if (!step) co_return step.error();
    step = co_await expect(conn, base64_encode(password), "AUTH LOGIN (password)", 2);
    if (!step) co_return step.error();
    co_return Result<void>{};
  }
  co_return Failure(errc::protocol_error, "the server offers neither AUTH PLAIN nor AUTH LOGIN");
}

/// Everything from the greeting to the reply to the message data.
asio::awaitable<Result<SmtpReceipt>> dialogue(SmtpConnection& conn, const Plan& plan,
                                              std::optional<asio::ssl::context>& tls) {
  const auto& security = plan.config.security;
  if (security == "tls") {
    auto started = co_await conn.start_tls(*tls, plan.server_name, plan.tls.verify_peer);
    if (!started) co_return started.error();
  }
  auto greeting = co_await conn.read_reply("greeting");
  if (!greeting) co_return greeting.error();
  if (greeting->code != 220) co_return reply_failure(*greeting, "greeting");

  std::string helo = plan.config.helo;
  if (helo.empty()) {
    boost::system::error_code ec;
    helo = asio::ip::host_name(ec);
    if (ec || !is_helo_name(helo)) helo = conn.local_address_literal();
    if (helo.empty()) helo = "localhost";
  }
  auto caps = co_await ehlo(conn, helo);
  if (!caps) co_return caps.error();

  if (security == "starttls") {
    if (!caps->starttls) {
      co_return Failure(errc::protocol_error, "the server does not offer STARTTLS; not sending without TLS");
    }
    auto go = co_await expect(conn, "STARTTLS", "STARTTLS", 2);
    if (!go) co_return go.error();
    if (conn.has_unread_bytes()) {
      // Bytes that came with the reply were sent before TLS and could be injected (RFC 3207 5).
      co_return Failure(errc::protocol_error, "unexpected data after the reply to STARTTLS");
    }
    auto started = co_await conn.start_tls(*tls, plan.server_name, plan.tls.verify_peer);
    if (!started) co_return started.error();
    caps = co_await ehlo(conn, helo);
    if (!caps) co_return caps.error();
  }

  if (!plan.config.username.empty()) {
    auto authed = co_await authenticate(conn, plan, *caps);
    if (!authed) co_return authed.error();
  }

  if (caps->size && plan.data.size() > *caps->size) {
    co_return Failure(errc::too_large, "message of " + std::to_string(plan.data.size()) +
                                           " bytes is over the server's SIZE limit of " + std::to_string(*caps->size));
  }
  auto mail = co_await expect(conn, "MAIL FROM:<" + plan.from + ">", "MAIL FROM:<" + plan.from + ">", 2);
  if (!mail) co_return mail.error();
  SmtpReceipt receipt;
  for (const auto& to : plan.rcpt) {
    auto rcpt = co_await expect(conn, "RCPT TO:<" + to + ">", "RCPT TO:<" + to + ">", 2);
    if (!rcpt) co_return rcpt.error();
    receipt.accepted.push_back(to);
  }
  auto data = co_await expect(conn, "DATA", "DATA", 3);
  if (!data) co_return data.error();
  auto sent = co_await conn.write(plan.data + ".\r\n", "message data");
  if (!sent) co_return sent.error();
  auto done = co_await conn.read_reply("reply to the message data");
  if (!done) co_return done.error();
  if (done->klass() != 2) co_return reply_failure(*done, "end of DATA");
  receipt.code = done->code;
  receipt.reply = done->summary();
  co_return receipt;
}

asio::awaitable<Result<SmtpReceipt>> run(asio::any_io_executor executor, Plan plan) {
  const auto& config = plan.config;
  if (config.security != "tls" && config.security != "starttls" && config.security != "none") {
    co_return Failure(errc::invalid_input, "unknown SMTP security '" + config.security + "'");
  }
  if (config.host.empty()) co_return Failure(errc::invalid_input, "no SMTP host");
  if (plan.rcpt.empty()) co_return Failure(errc::invalid_input, "no recipients");
  if (auto ok = check_address(plan.from, "sender"); !ok) co_return ok.error();
  for (const auto& to : plan.rcpt) {
    if (auto ok = check_address(to, "recipient"); !ok) co_return ok.error();
  }
  if (!config.helo.empty() && !is_helo_name(config.helo)) {
    co_return Failure(errc::invalid_input, "invalid EHLO name '" + config.helo + "'");
  }
  auto tls = tls_context(plan);
  if (!tls) co_return tls.error();

  const int port = config.port > 0 ? config.port : default_smtp_port(config.security);
  const std::string where = config.host + ":" + std::to_string(port);
  SmtpConnection conn(executor, config.timeout.count() > 0 ? config.timeout : kDefaultTimeout, where);
  auto connected = co_await conn.connect(config.host, std::to_string(port));
  if (!connected) co_return connected.error();
  auto result = co_await dialogue(conn, plan, *tls);
  if (conn.usable()) {
    // Say goodbye; the outcome is already decided, so the reply does not matter.
    (void)co_await conn.command("QUIT", "QUIT");
  }
  conn.close();
  co_return result;
}

}  // namespace

int default_smtp_port(std::string_view security) noexcept {
  if (security == "tls") return 465;
  if (security == "none") return 25;
  return 587;
}

asio::awaitable<Result<SmtpReceipt>> send_mail(asio::any_io_executor executor, const SmtpConfig& config,
                                               std::string_view envelope_from, const std::vector<std::string>& rcpt,
                                               std::string_view mime_message, SmtpTls tls) {
  // Not a coroutine itself: everything is copied into the coroutine's frame before the caller's
  // references can go away.
  Plan plan{config, std::string(envelope_from), rcpt, dot_stuff(mime_message), std::move(tls), {}};
  plan.server_name = plan.tls.server_name.empty() ? config.host : plan.tls.server_name;
  return run(std::move(executor), std::move(plan));
}

asio::awaitable<Result<SmtpReceipt>> send_message(asio::any_io_executor executor, const SmtpConfig& config,
                                                  const MailMessage& message, SmtpTls tls) {
  std::vector<std::string> rcpt;
  rcpt.reserve(message.to.size());
  for (const auto& to : message.to) rcpt.push_back(to.email);
  return send_mail(std::move(executor), config, message.from.email, rcpt, render_mime(message), std::move(tls));
}

}  // namespace otklik::mail
