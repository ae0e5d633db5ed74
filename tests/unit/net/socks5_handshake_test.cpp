// The SOCKS5 handshake (RFC 1928, RFC 1929) as a state machine driven with byte strings: what
// it sends, how it judges each reply, and whose fault a failure is.
#include "daemon/net/socks5_handshake.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace otklik;
using Action = HandshakeStep::Action;

namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

ProxyConfig socks(std::string user = "", std::string password = "") {
  ProxyConfig proxy;
  proxy.kind = ProxyConfig::Kind::socks5;
  proxy.host = "127.0.0.1";
  proxy.port = 1080;
  proxy.username = std::move(user);
  if (!proxy.username.empty()) proxy.password = Secret("env:PROXY_PASS", std::move(password));
  return proxy;
}

/// Runs the handshake against scripted replies: each read step takes the next reply (which must
/// have the size asked for). Returns the bytes written, in order, and the last step.
struct Conversation {
  std::vector<std::string> written;
  HandshakeStep last;
};

Conversation converse(Socks5Handshake& handshake, const std::vector<std::string>& replies) {
  Conversation out;
  std::size_t next_reply = 0;
  for (int guard = 0; guard < 20; ++guard) {
    HandshakeStep step = handshake.next();
    if (step.action == Action::write) {
      out.written.push_back(step.bytes);
    } else if (step.action == Action::read) {
      REQUIRE(next_reply < replies.size());
      REQUIRE(replies[next_reply].size() == step.read_size);
      handshake.received(replies[next_reply++]);
    } else {
      out.last = std::move(step);
      return out;
    }
  }
  FAIL("the handshake does not end");
  return out;
}

const std::string kSuccessV4 = bytes({5, 0, 0, 1, 0, 0, 0, 0, 0, 0});

/// The reply split the way the machine reads it: 5 bytes, then the rest.
std::vector<std::string> reply_parts(const std::string& reply) { return {reply.substr(0, 5), reply.substr(5)}; }

}  // namespace

TEST_CASE("socks5: no authentication, the target by name", "[net][proxy][socks5]") {
  Socks5Handshake handshake(socks(), "reviews.example.org", 443);
  auto replies = std::vector<std::string>{bytes({5, 0})};
  for (auto& part : reply_parts(kSuccessV4)) replies.push_back(part);
  auto c = converse(handshake, replies);
  CHECK(c.last.action == Action::done);
  REQUIRE(c.written.size() == 2);
  CHECK(c.written[0] == bytes({5, 1, 0}));  // version 5, one method: none
  const std::string name = "reviews.example.org";
  CHECK(c.written[1] == bytes({5, 1, 0, 3, static_cast<int>(name.size())}) + name + bytes({0x01, 0xbb}));
}

TEST_CASE("socks5: IP literals go as addresses, names are never resolved", "[net][proxy][socks5]") {
  SECTION("IPv4") {
    Socks5Handshake handshake(socks(), "93.184.216.34", 80);
    auto replies = std::vector<std::string>{bytes({5, 0})};
    for (auto& part : reply_parts(kSuccessV4)) replies.push_back(part);
    auto c = converse(handshake, replies);
    CHECK(c.last.action == Action::done);
    CHECK(c.written.at(1) == bytes({5, 1, 0, 1, 93, 184, 216, 34, 0, 80}));
  }
  SECTION("IPv6") {
    Socks5Handshake handshake(socks(), "2001:db8::1", 8080);
    auto replies = std::vector<std::string>{bytes({5, 0})};
    for (auto& part : reply_parts(kSuccessV4)) replies.push_back(part);
    auto c = converse(handshake, replies);
    CHECK(c.last.action == Action::done);
    CHECK(c.written.at(1) ==
          bytes({5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1f, 0x90}));
  }
  SECTION("localhost is a name too: the proxy resolves it") {
    Socks5Handshake handshake(socks(), "localhost", 80);
    auto c = converse(handshake, {bytes({5, 0}), bytes({5, 0, 0, 1, 0}), bytes({0, 0, 0, 0, 0})});
    CHECK(c.written.at(1)[3] == 3);
  }
}

TEST_CASE("socks5: replies with IPv6 and name bound addresses are read to their end", "[net][proxy][socks5]") {
  SECTION("IPv6 bound address: 5 + 17 bytes") {
    Socks5Handshake handshake(socks(), "example.org", 80);
    std::string reply = bytes({5, 0, 0, 4}) + std::string(16, '\0') + bytes({0, 80});
    auto c = converse(handshake, {bytes({5, 0}), reply.substr(0, 5), reply.substr(5)});
    CHECK(c.last.action == Action::done);
  }
  SECTION("name bound address: its length byte decides") {
    Socks5Handshake handshake(socks(), "example.org", 80);
    std::string reply = bytes({5, 0, 0, 3, 9}) + "proxy.lan" + bytes({0, 80});
    auto c = converse(handshake, {bytes({5, 0}), reply.substr(0, 5), reply.substr(5)});
    CHECK(c.last.action == Action::done);
  }
}

TEST_CASE("socks5: username and password (RFC 1929)", "[net][proxy][socks5]") {
  SECTION("accepted") {
    Socks5Handshake handshake(socks("otklik", "s3cret"), "example.org", 443);
    auto replies = std::vector<std::string>{bytes({5, 2}), bytes({1, 0})};
    for (auto& part : reply_parts(kSuccessV4)) replies.push_back(part);
    auto c = converse(handshake, replies);
    CHECK(c.last.action == Action::done);
    REQUIRE(c.written.size() == 3);
    CHECK(c.written[0] == bytes({5, 2, 0, 2}));  // none and user/password offered
    CHECK(c.written[1] == bytes({1, 6}) + "otklik" + bytes({6}) + "s3cret");
  }
  SECTION("the proxy may still choose none") {
    Socks5Handshake handshake(socks("otklik", "s3cret"), "example.org", 443);
    auto replies = std::vector<std::string>{bytes({5, 0})};
    for (auto& part : reply_parts(kSuccessV4)) replies.push_back(part);
    auto c = converse(handshake, replies);
    CHECK(c.last.action == Action::done);
    CHECK(c.written.size() == 2);
  }
  SECTION("refused: the proxy's fault, the password never in the text") {
    Socks5Handshake handshake(socks("otklik", "s3cret"), "example.org", 443);
    auto c = converse(handshake, {bytes({5, 2}), bytes({1, 1})});
    REQUIRE(c.last.action == Action::failed);
    CHECK(c.last.failure->code == make_error_code(errc::proxy_failed));
    CHECK(c.last.failure->detail == "proxy socks5://otklik@127.0.0.1:1080 refused the credentials");
    CHECK(c.last.failure->detail.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("socks5: failures say whether the proxy or the target failed", "[net][proxy][socks5]") {
  struct Case {
    std::string name;
    ProxyConfig proxy;
    std::vector<std::string> replies;
    errc code;
    std::string detail;
  };
  const std::vector<Case> cases{
      {"not SOCKS5 at all", socks(), {std::string("HT")}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 does not speak SOCKS5 (its first reply is not version 5)"},
      {"no acceptable method", socks(), {bytes({5, 0xff})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 requires credentials (a user in proxy and proxy_password)"},
      {"asks for a password we do not have", socks(), {bytes({5, 2})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 requires credentials (a user in proxy and proxy_password)"},
      {"a method never offered", socks(), {bytes({5, 1})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 chose an authentication method we did not offer (0x01)"},
      {"general failure", socks(), {bytes({5, 0}), bytes({5, 1, 0, 1, 0})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 refused to connect to example.org:443: general SOCKS server failure (SOCKS5 reply 1)"},
      {"not allowed by ruleset", socks(), {bytes({5, 0}), bytes({5, 2, 0, 1, 0})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 refused to connect to example.org:443: connection not allowed by ruleset (SOCKS5 reply 2)"},
      {"network unreachable", socks(), {bytes({5, 0}), bytes({5, 3, 0, 1, 0})}, errc::connect_failed,
       "connect to example.org:443 through proxy socks5://127.0.0.1:1080: network unreachable (SOCKS5 reply 3)"},
      {"host unreachable", socks(), {bytes({5, 0}), bytes({5, 4, 0, 1, 0})}, errc::connect_failed,
       "connect to example.org:443 through proxy socks5://127.0.0.1:1080: host unreachable (SOCKS5 reply 4)"},
      {"connection refused", socks(), {bytes({5, 0}), bytes({5, 5, 0, 1, 0})}, errc::connect_failed,
       "connect to example.org:443 through proxy socks5://127.0.0.1:1080: connection refused (SOCKS5 reply 5)"},
      {"TTL expired", socks(), {bytes({5, 0}), bytes({5, 6, 0, 1, 0})}, errc::connect_failed,
       "connect to example.org:443 through proxy socks5://127.0.0.1:1080: TTL expired (SOCKS5 reply 6)"},
      {"address type not supported", socks(), {bytes({5, 0}), bytes({5, 8, 0, 1, 0})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 refused to connect to example.org:443: address type not supported (SOCKS5 reply 8)"},
      {"malformed reply", socks(), {bytes({5, 0}), bytes({4, 0, 0, 1, 0})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 sent a malformed reply to CONNECT example.org:443"},
      {"unknown bound address type", socks(), {bytes({5, 0}), bytes({5, 0, 0, 9, 0})}, errc::proxy_failed,
       "proxy socks5://127.0.0.1:1080 sent a reply with an unknown address type"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Socks5Handshake handshake(c.proxy, "example.org", 443);
    auto conversation = converse(handshake, c.replies);
    REQUIRE(conversation.last.action == Action::failed);
    REQUIRE(conversation.last.failure);
    CHECK(conversation.last.failure->code == make_error_code(c.code));
    CHECK(conversation.last.failure->detail == c.detail);
  }
}

TEST_CASE("socks5: a name longer than 255 bytes cannot be sent", "[net][proxy][socks5]") {
  Socks5Handshake handshake(socks(), std::string(256, 'a'), 80);
  auto c = converse(handshake, {bytes({5, 0})});
  REQUIRE(c.last.action == Action::failed);
  CHECK(c.last.failure->code == make_error_code(errc::invalid_input));
}

TEST_CASE("socks5: reply codes name their meaning", "[net][proxy][socks5]") {
  CHECK(socks5_reply_text(5) == "connection refused");
  CHECK(socks5_reply_text(42) == "unknown reply");
  CHECK(socks5_target_failure(4));
  CHECK_FALSE(socks5_target_failure(2));
}
