#include "daemon/core/error.hpp"

#include <ostream>
#include <stdexcept>

namespace otklik {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "otklik"; }
  std::string message(int v) const override {
    switch (static_cast<errc>(v)) {
      case errc::ok: return "ok";
      case errc::timeout: return "timeout";
      case errc::connect_failed: return "connection failed";
      case errc::tls_failed: return "TLS failed";
      case errc::http_status: return "HTTP error status";
      case errc::rate_limited: return "rate limited";
      case errc::too_large: return "response too large";
      case errc::too_many_redirects: return "too many redirects";
      case errc::bad_redirect: return "bad redirect";
      case errc::decode_failed: return "decoding failed";
      case errc::parse_failed: return "parse failed";
      case errc::unsupported_scheme: return "unsupported URL scheme";
      case errc::io_error: return "I/O error";
      case errc::cancelled: return "cancelled";
      case errc::protocol_error: return "protocol error";
      case errc::blocked: return "blocked or captcha page";
      case errc::permanent: return "permanent failure";
      case errc::store_failed: return "store failure";
      case errc::invalid_input: return "invalid input";
      case errc::not_found: return "not found";
      case errc::address_refused: return "address refused";
      case errc::proxy_failed: return "proxy failed";
      case errc::lease_lost: return "lease lost";
      case errc::unauthorized: return "credentials rejected";
    }
    return "unknown otklik error";
  }
};

}  // namespace

const std::error_category& otklik_category() noexcept {
  static const Category category;
  return category;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), otklik_category()}; }

bool Failure::transient() const noexcept {
  if (code.category() != otklik_category()) return true;  // system/asio errors: network trouble
  switch (static_cast<errc>(code.value())) {
    case errc::timeout:
    case errc::connect_failed:
    case errc::tls_failed:
    case errc::rate_limited:
    case errc::io_error:
    case errc::protocol_error:
    case errc::store_failed:
    case errc::blocked:
    case errc::proxy_failed:
      return true;
    case errc::http_status:
      return http_status >= 500 || http_status == 408 || http_status == 429;
    default:
      return false;
  }
}

std::string Failure::message() const {
  std::string out = code.message();
  if (http_status != 0) out += " " + std::to_string(http_status);
  if (!detail.empty()) out += ": " + detail;
  if (retry_after) out += " (retry after " + std::to_string(retry_after->count()) + "s)";
  return out;
}

std::ostream& operator<<(std::ostream& os, const Failure& f) { return os << f.message(); }

void throw_exception_from_error(const Failure& f, const boost::source_location& loc) {
  throw std::logic_error("unchecked otklik::Result at " + std::string(loc.file_name()) + ":" +
                         std::to_string(loc.line()) + ": " + f.message());
}

}  // namespace otklik
