#include "daemon/net/socks5_handshake.hpp"

#include <boost/asio/ip/address.hpp>

namespace otklik {

namespace {

constexpr unsigned char kVersion = 0x05;
constexpr unsigned char kNoAuth = 0x00;
constexpr unsigned char kUserPassword = 0x02;
constexpr unsigned char kNoAcceptable = 0xff;
constexpr unsigned char kAuthVersion = 0x01;
constexpr unsigned char kConnect = 0x01;
constexpr unsigned char kAtypV4 = 0x01;
constexpr unsigned char kAtypName = 0x03;
constexpr unsigned char kAtypV6 = 0x04;

unsigned byte(std::string_view bytes, std::size_t i) { return static_cast<unsigned char>(bytes[i]); }

std::string hex(unsigned value) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[(value >> 4) & 15] + kHex[value & 15];
}

}  // namespace

std::string_view socks5_reply_text(unsigned code) noexcept {
  switch (code) {
    case 0x00: return "succeeded";
    case 0x01: return "general SOCKS server failure";
    case 0x02: return "connection not allowed by ruleset";
    case 0x03: return "network unreachable";
    case 0x04: return "host unreachable";
    case 0x05: return "connection refused";
    case 0x06: return "TTL expired";
    case 0x07: return "command not supported";
    case 0x08: return "address type not supported";
  }
  return "unknown reply";
}

bool socks5_target_failure(unsigned code) noexcept { return code >= 0x03 && code <= 0x06; }

Socks5Handshake::Socks5Handshake(const ProxyConfig& proxy, std::string host, std::uint16_t port)
    : proxy_name_(proxy.describe()),
      username_(proxy.username),
      password_(proxy.username.empty() ? std::string() : proxy.password.value()),
      host_(std::move(host)),
      port_(port) {}

std::string Socks5Handshake::where() const {
  return (host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

void Socks5Handshake::set_failure(errc code, std::string detail) {
  state_ = State::failed;
  failure_ = Failure(code, std::move(detail));
}

HandshakeStep Socks5Handshake::fail(errc code, std::string detail) {
  set_failure(code, std::move(detail));
  return next();
}

HandshakeStep Socks5Handshake::next() {
  HandshakeStep step;
  switch (state_) {
    case State::greet: {
      step.action = HandshakeStep::Action::write;
      // Offer user/password only when we have one: a proxy that then picks "no auth" is fine too.
      step.bytes = username_.empty() ? std::string{char(kVersion), 1, char(kNoAuth)}
                                     : std::string{char(kVersion), 2, char(kNoAuth), char(kUserPassword)};
      state_ = State::method;
      return step;
    }
    case State::method:
    case State::auth_reply:
      step.action = HandshakeStep::Action::read;
      step.read_size = 2;
      return step;
    case State::send_auth: {
      if (username_.size() > 255 || password_.size() > 255) {
        return fail(errc::invalid_input, "proxy " + proxy_name_ + ": user name or password longer than 255 bytes");
      }
      step.action = HandshakeStep::Action::write;
      step.bytes.push_back(char(kAuthVersion));
      step.bytes.push_back(static_cast<char>(username_.size()));
      step.bytes += username_;
      step.bytes.push_back(static_cast<char>(password_.size()));
      step.bytes += password_;
      state_ = State::auth_reply;
      return step;
    }
    case State::send_request: {
      step.action = HandshakeStep::Action::write;
      step.bytes = {char(kVersion), char(kConnect), 0};
      boost::system::error_code ec;
      const auto address = boost::asio::ip::make_address(host_, ec);
      if (!ec && address.is_v4()) {
        step.bytes.push_back(char(kAtypV4));
        for (auto b : address.to_v4().to_bytes()) step.bytes.push_back(static_cast<char>(b));
      } else if (!ec && address.is_v6()) {
        step.bytes.push_back(char(kAtypV6));
        for (auto b : address.to_v6().to_bytes()) step.bytes.push_back(static_cast<char>(b));
      } else {
        if (host_.empty() || host_.size() > 255) {
          return fail(errc::invalid_input, "host name of " + where() + " is too long for SOCKS5");
        }
        step.bytes.push_back(char(kAtypName));
        step.bytes.push_back(static_cast<char>(host_.size()));
        step.bytes += host_;
      }
      step.bytes.push_back(static_cast<char>(port_ >> 8));
      step.bytes.push_back(static_cast<char>(port_ & 0xff));
      state_ = State::reply_head;
      return step;
    }
    case State::reply_head:
      step.action = HandshakeStep::Action::read;
      step.read_size = 5;  // VER REP RSV ATYP and the first byte of BND.ADDR
      return step;
    case State::reply_rest:
      step.action = HandshakeStep::Action::read;
      step.read_size = rest_;
      return step;
    case State::done:
      step.action = HandshakeStep::Action::done;
      return step;
    case State::failed:
      step.action = HandshakeStep::Action::failed;
      step.failure = failure_;
      return step;
  }
  return step;
}

void Socks5Handshake::received(std::string_view bytes) {
  const std::string proxy = "proxy " + proxy_name_;
  switch (state_) {
    case State::method: {
      if (bytes.size() != 2 || byte(bytes, 0) != kVersion) {
        set_failure(errc::proxy_failed, proxy + " does not speak SOCKS5 (its first reply is not version 5)");
        return;
      }
      const unsigned method = byte(bytes, 1);
      if (method == kNoAuth) {
        state_ = State::send_request;
      } else if (method == kUserPassword && !username_.empty()) {
        state_ = State::send_auth;
      } else if (method == kNoAcceptable || method == kUserPassword) {
        set_failure(errc::proxy_failed,
                    proxy + (username_.empty() ? " requires credentials (a user in proxy and proxy_password)"
                                               : " accepts none of our authentication methods"));
      } else {
        set_failure(errc::proxy_failed, proxy + " chose an authentication method we did not offer (" + hex(method) + ")");
      }
      return;
    }
    case State::auth_reply: {
      if (bytes.size() != 2 || byte(bytes, 0) != kAuthVersion) {
        set_failure(errc::proxy_failed, proxy + " sent a malformed authentication reply");
      } else if (byte(bytes, 1) != 0) {
        set_failure(errc::proxy_failed, proxy + " refused the credentials");
      } else {
        state_ = State::send_request;
      }
      return;
    }
    case State::reply_head: {
      if (bytes.size() != 5 || byte(bytes, 0) != kVersion) {
        set_failure(errc::proxy_failed, proxy + " sent a malformed reply to CONNECT " + where());
        return;
      }
      const unsigned code = byte(bytes, 1);
      if (code != 0) {
        const std::string why = std::string(socks5_reply_text(code)) + " (SOCKS5 reply " + std::to_string(code) + ")";
        if (socks5_target_failure(code)) {
          set_failure(errc::connect_failed, "connect to " + where() + " through " + proxy + ": " + why);
        } else {
          set_failure(errc::proxy_failed, proxy + " refused to connect to " + where() + ": " + why);
        }
        return;
      }
      switch (byte(bytes, 3)) {
        case kAtypV4: rest_ = 4 - 1 + 2; break;
        case kAtypV6: rest_ = 16 - 1 + 2; break;
        case kAtypName: rest_ = byte(bytes, 4) + 2; break;
        default:
          set_failure(errc::proxy_failed, proxy + " sent a reply with an unknown address type");
          return;
      }
      state_ = State::reply_rest;
      return;
    }
    case State::reply_rest:
      state_ = State::done;
      return;
    default:
      set_failure(errc::proxy_failed, proxy + ": handshake out of step");  // a bug of the driver
      return;
  }
}

}  // namespace otklik
