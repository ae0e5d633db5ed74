#pragma once
/// One SMTP connection: plain TCP that may turn into TLS (implicit TLS or STARTTLS), reading
/// whole replies and writing commands, each step under the same deadline. Used by
/// smtp_client.cpp; the dialogue (which command when) lives there.

#include "daemon/core/duration.hpp"
#include "daemon/core/error.hpp"
#include "daemon/mail/smtp_reply.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace otklik::mail {

class SmtpConnection {
 public:
  /// `where` ("smtp.example.org:587") names the server in failure details.
  SmtpConnection(boost::asio::any_io_executor executor, Duration timeout, std::string where);
  ~SmtpConnection();
  SmtpConnection(const SmtpConnection&) = delete;
  SmtpConnection& operator=(const SmtpConnection&) = delete;

  /// Resolves `host` and connects (one deadline for both).
  boost::asio::awaitable<Result<void>> connect(std::string host, std::string port);
  /// Wraps the connection in TLS and shakes hands. With `verify`, the chain must lead to a CA of
  /// `context` and the certificate must be valid for `server_name` (sent as SNI unless it is
  /// an IP address). `context` must outlive the connection.
  boost::asio::awaitable<Result<void>> start_tls(boost::asio::ssl::context& context, std::string server_name,
                                                 bool verify);
  /// Reads one complete reply; `what` names the step for failure details.
  boost::asio::awaitable<Result<SmtpReply>> read_reply(std::string what);
  /// Writes `data` as is.
  boost::asio::awaitable<Result<void>> write(std::string data, std::string what);
  /// Writes `line` + CRLF and reads the reply; `shown` is the command as failure details show
  /// it (credentials masked).
  boost::asio::awaitable<Result<SmtpReply>> command(std::string line, std::string shown);

  [[nodiscard]] bool tls_active() const noexcept;
  /// Bytes received after the last complete reply (none may follow a reply to STARTTLS).
  [[nodiscard]] bool has_unread_bytes() const noexcept;
  /// False after an I/O or protocol failure: nothing more should be sent.
  [[nodiscard]] bool usable() const noexcept;
  /// "[127.0.0.1]": the local address as an EHLO address literal ("" when unknown).
  [[nodiscard]] std::string local_address_literal() const;
  /// Closes the socket (no TLS close_notify: the server has said goodbye or is not listening).
  void close() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace otklik::mail
