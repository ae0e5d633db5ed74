#pragma once
/// A real SMTP server for tests: tests/support/smtp/smtp_server.py (aiosmtpd) run by
/// /usr/bin/python3 as a child process on 127.0.0.1, with the test certificates of
/// tests/fixtures/tls. Each instance has its own spool folder, where the server stores every
/// message it accepts and a log of the commands it saw; the folder is removed at the end.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace otklik::test {

struct SmtpServerOptions {
  std::string mode = "starttls";   ///< "starttls" (STARTTLS required), "tls" (implicit), "plain"
  std::string cert_file;           ///< PEM; "" = tests/fixtures/tls/server.pem (localhost, 127.0.0.1)
  std::string key_file;            ///< "" = tests/fixtures/tls/server.key
  std::string user;                ///< "": no AUTH; else AUTH PLAIN and LOGIN required for MAIL
  std::string password;
  std::string exclude_auth;        ///< "PLAIN" to offer only LOGIN
  bool auth_over_plain = false;    ///< offer AUTH before TLS (to catch a client that would use it)
  int fail_rcpt = 0;               ///< reply this code (451, 550) to RCPT TO
  int fail_data = 0;               ///< reply this code to the end of DATA
  int fail_times = -1;             ///< fail only the first N times; -1: always
};

/// One text part of a message as Python's email package decoded it.
struct ParsedPart {
  std::string type;     ///< "text/plain"
  std::string charset;
  std::string transfer_encoding;
  std::string text;     ///< decoded content
};

/// A stored message as Python's email package (policy=default) reads it.
struct ParsedMail {
  std::vector<std::string> header_names;        ///< in order, as written
  std::map<std::string, std::string> headers;   ///< decoded values (RFC 2047 undone)
  std::vector<std::string> defects;             ///< parser defects; none for a good message
  std::string content_type;
  std::vector<ParsedPart> parts;
  std::size_t max_line = 0;                     ///< longest line in octets, CRLF excluded
  std::size_t bare_lf = 0;                      ///< LF not preceded by CR
  [[nodiscard]] std::string header(const std::string& name) const;  ///< "" when absent
};

class SmtpTestServer {
 public:
  /// Starts the server and waits (up to 20 s) for its port. Throws std::runtime_error when it
  /// does not start (with its stderr).
  explicit SmtpTestServer(SmtpServerOptions options = {});
  ~SmtpTestServer();  ///< stops the server (closing its stdin; SIGKILL after 3 s) and removes the spool
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  [[nodiscard]] unsigned short port() const noexcept { return port_; }
  [[nodiscard]] const std::filesystem::path& spool() const noexcept { return spool_; }
  /// Lines of the command log: "EHLO tls=0", "STARTTLS", "AUTH PLAIN tls=1", "MAIL tls=1", "QUIT".
  [[nodiscard]] std::vector<std::string> events() const;
  /// How many messages were accepted so far.
  [[nodiscard]] std::size_t message_count() const;
  /// The bytes of message `n` (1-based) as received, after dot-unstuffing.
  [[nodiscard]] std::string message(std::size_t n) const;
  /// The envelope of message `n` as JSON text: {"mail_from", "rcpt_tos", "user"}.
  [[nodiscard]] std::string envelope(std::size_t n) const;
  /// Message `n` parsed by Python's email package.
  [[nodiscard]] ParsedMail parsed(std::size_t n) const;

  /// tests/fixtures/tls/ca.pem: the CA that signed the server certificates.
  static std::string ca_file();
  /// tests/fixtures/tls/other.pem/.key: a certificate for "other.invalid" only.
  static std::string other_cert_file();
  static std::string other_key_file();

 private:
  void stop() noexcept;

  std::filesystem::path spool_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  unsigned short port_ = 0;
};

}  // namespace otklik::test
