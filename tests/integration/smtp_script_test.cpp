// The SMTP client against a scripted server on 127.0.0.1 that says exactly what a test needs,
// including what a real server would not: data injected after STARTTLS, malformed replies,
// a dropped connection.
#include "daemon/mail/smtp_client.hpp"
#include "tests/support/catch_result.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include <mutex>
#include <thread>

using namespace otklik;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

/// One step: wait for a client line starting with `expect` ("" = none; kData = every line up
/// to the lone "." that ends the message), then send `reply`. A step with `close` drops the
/// connection instead.
struct Step {
  std::string expect;
  std::string reply;
  bool close = false;
};

/// Serves one connection on its own thread, following the script; records the client's lines.
constexpr const char* kData = "<data>";

class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<Step> script)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}), thread_([this, s = std::move(script)] { serve(s); }) {}
  ~ScriptedServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  void serve(const std::vector<Step>& script) {
    boost::system::error_code ec;
    tcp::socket socket(io_);
    acceptor_.accept(socket, ec);
    if (ec) return;
    std::string buffer;
    for (const auto& step : script) {
      while (step.expect == kData) {
        const std::size_t n = asio::read_until(socket, asio::dynamic_buffer(buffer), "\r\n", ec);
        if (ec) return;
        const std::string line = buffer.substr(0, n - 2);
        buffer.erase(0, n);
        {
          std::lock_guard lock(mutex_);
          lines_.push_back(line);
        }
        if (line == ".") break;
      }
      if (!step.expect.empty() && step.expect != kData) {
        const std::size_t n = asio::read_until(socket, asio::dynamic_buffer(buffer), "\r\n", ec);
        if (ec) return;
        const std::string line = buffer.substr(0, n - 2);
        buffer.erase(0, n);
        {
          std::lock_guard lock(mutex_);
          lines_.push_back(line);
        }
        if (!line.starts_with(step.expect)) return;
      }
      if (step.close) return;
      asio::write(socket, asio::buffer(step.reply), ec);
      if (ec) return;
    }
    // Take what else the client sends (QUIT) until it closes.
    for (;;) {
      const std::size_t n = asio::read_until(socket, asio::dynamic_buffer(buffer), "\r\n", ec);
      if (ec) return;
      std::lock_guard lock(mutex_);
      lines_.push_back(buffer.substr(0, n - 2));
      buffer.erase(0, n);
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
  std::thread thread_;
};

Result<mail::SmtpReceipt> send_to(const ScriptedServer& server, std::string security, std::string message = "x") {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = server.port();
  config.security = std::move(security);
  config.helo = "client.test";
  config.timeout = 5s;
  asio::io_context io;
  auto future = asio::co_spawn(
      io, mail::send_mail(io.get_executor(), config, "a@b.example", {"c@d.example"}, message, {}), asio::use_future);
  io.run();
  return future.get();
}

}  // namespace

TEST_CASE("smtp script: data sent along with the STARTTLS reply is refused", "[mail][smtp]") {
  ScriptedServer server({{"", "220 hi\r\n"},
                         {"EHLO client.test", "250-x\r\n250 STARTTLS\r\n"},
                         {"STARTTLS", "220 go ahead\r\n250 injected before TLS\r\n"}});
  auto result = send_to(server, "starttls");
  REQUIRE_FALSE(result);
  CHECK(result.error().code == errc::protocol_error);
  CHECK(result.error().detail.find("after the reply to STARTTLS") != std::string::npos);
}

TEST_CASE("smtp script: multi-line replies, a plain relay and the exact commands", "[mail][smtp]") {
  ScriptedServer server({{"", "220-relay.test\r\n220 ready\r\n"},
                         {"EHLO", "250-relay.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n"},
                         {"MAIL", "250 ok\r\n"},
                         {"RCPT", "250 ok\r\n"},
                         {"DATA", "354 go\r\n"},
                         {kData, "250-2.0.0 ok\r\n250 queued as 17\r\n"},
                         {"QUIT", "221 bye\r\n"}});
  auto receipt = send_to(server, "none", "Subject: s\r\n\r\n.dot line\r\nlast");
  REQUIRE(receipt);
  CHECK(receipt->reply == "250 2.0.0 ok / queued as 17");
  CHECK(server.lines() == std::vector<std::string>{"EHLO client.test", "MAIL FROM:<a@b.example>",
                                                   "RCPT TO:<c@d.example>", "DATA", "Subject: s", "", "..dot line",
                                                   "last", ".", "QUIT"});
}

TEST_CASE("smtp script: a message over the server's SIZE is not sent", "[mail][smtp]") {
  ScriptedServer server({{"", "220 hi\r\n"}, {"EHLO", "250-x\r\n250 SIZE 100\r\n"}});
  auto result = send_to(server, "none", std::string(500, 'x'));
  REQUIRE_FALSE(result);
  CHECK(result.error().code == errc::too_large);
}

TEST_CASE("smtp script: broken servers", "[mail][smtp]") {
  SECTION("a malformed greeting") {
    ScriptedServer server(std::vector<Step>{{"", "hello there\r\n"}});
    auto result = send_to(server, "none");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == errc::protocol_error);
    CHECK(result.error().transient());
  }
  SECTION("a refusing greeting") {
    ScriptedServer server({{"", "554 no service\r\n"}, {"QUIT", "221 bye\r\n"}});
    auto result = send_to(server, "none");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == errc::permanent);
    CHECK(result.error().detail.find("554 no service") != std::string::npos);
  }
  SECTION("the connection dropped after MAIL") {
    ScriptedServer server({{"", "220 hi\r\n"}, {"EHLO", "250 x\r\n"}, {"MAIL", "", true}});
    auto result = send_to(server, "none");
    REQUIRE_FALSE(result);
    CHECK(result.error().code == errc::protocol_error);
    CHECK(result.error().transient());
  }
  SECTION("AUTH wanted but not offered") {
    ScriptedServer server({{"", "220 hi\r\n"}, {"EHLO", "250 x\r\n"}, {"QUIT", "221 bye\r\n"}});
    SmtpConfig config;
    config.host = "127.0.0.1";
    config.port = server.port();
    config.security = "none";
    config.username = "u";
    config.password = Secret("env:P", "p");
    asio::io_context io;
    auto future = asio::co_spawn(
        io, mail::send_mail(io.get_executor(), config, "a@b.example", {"c@d.example"}, "x", {}), asio::use_future);
    io.run();
    auto result = future.get();
    REQUIRE_FALSE(result);
    CHECK(result.error().code == errc::protocol_error);
    CHECK(result.error().detail.find("neither AUTH PLAIN nor AUTH LOGIN") != std::string::npos);
  }
}
