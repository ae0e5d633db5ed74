#pragma once
/// An SMTP submission client (RFC 5321, 3207 STARTTLS, 4954 AUTH, 8314 implicit TLS) on Asio
/// coroutines. One connection per call: connect, EHLO, (STARTTLS, EHLO), AUTH, MAIL, RCPT…,
/// DATA, QUIT. Certificates and host names are verified; STARTTLS is never skipped when the
/// server does not offer it; credentials never cross an unencrypted connection unless the
/// config says security = "none" (which the config loader allows only for a loopback relay).

#include "daemon/config/config.hpp"
#include "daemon/core/error.hpp"
#include "daemon/mail/mime.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace otklik::mail {

/// How the client trusts the server's certificate.
struct SmtpTls {
  std::string ca_file;           ///< extra CA bundle (PEM) trusted besides the system store; ""
                                 ///< = system store only (tests pass tests/fixtures/tls/ca.pem)
  bool verify_peer = true;       ///< check the chain and the host name; false only for a
                                 ///< loopback relay with a self-signed certificate
  std::string server_name;       ///< name to verify and send as SNI; "" = SmtpConfig::host
};

/// What the server said when it took the message.
struct SmtpReceipt {
  int code = 0;                  ///< the final reply to DATA (250)
  std::string reply;             ///< its text, often with the server's queue id
  std::vector<std::string> accepted;  ///< recipients the server accepted (all of them on success)
};

/// Sends `mime_message` (a complete RFC 5322 message, e.g. from render_mime; it is dot-stuffed
/// here) from `envelope_from` to each of `rcpt` (bare addresses) through `config`.
///   security "tls": TLS from the first byte (port 465 by default);
///   "starttls": plain connect, EHLO, STARTTLS (required: its absence fails), EHLO again (587);
///   "none": plain (25).
/// AUTH (when config.username is set): PLAIN if offered, else LOGIN; refused before TLS unless
/// security is "none". Every step has the deadline config.timeout.
/// Failures: connect_failed, timeout, tls_failed (handshake, certificate, host name),
/// protocol_error (malformed reply, STARTTLS or AUTH not offered, connection dropped),
/// rate_limited (a 4xx reply: try later; transient()), permanent (a 5xx reply: the detail holds
/// the command and the server's text), too_large (over the server's SIZE), invalid_input (bad
/// config or addresses), cancelled. One refused recipient fails the whole send.
/// Runs on `executor` (one thread); never throws for network failures.
boost::asio::awaitable<Result<SmtpReceipt>> send_mail(boost::asio::any_io_executor executor, const SmtpConfig& config,
                                                      std::string_view envelope_from,
                                                      const std::vector<std::string>& rcpt,
                                                      std::string_view mime_message, SmtpTls tls);

/// Renders `message` with render_mime and sends it from message.from.email to every address in
/// message.to.
boost::asio::awaitable<Result<SmtpReceipt>> send_message(boost::asio::any_io_executor executor,
                                                         const SmtpConfig& config, const MailMessage& message,
                                                         SmtpTls tls);

/// The port used when config.port is 0: 465 for "tls", 25 for "none", 587 otherwise.
int default_smtp_port(std::string_view security) noexcept;

}  // namespace otklik::mail
