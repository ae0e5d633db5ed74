#include "daemon/net/keep_alive.hpp"

namespace otklik {

bool connection_reusable(const ResponseFraming& response) {
  if (!response.request_keep_alive || !response.server_keep_alive) return false;
  if (response.body_until_eof || response.bytes_after) return false;
  if (response.status < 200) return false;
  if (response.head && !response.has_length && !response.chunked) return false;
  return true;
}

bool may_retry_on_fresh_connection(std::string_view method, const BrokenExchange& how) {
  if (!how.connection_lost || how.response_started) return false;
  if (method == "GET" || method == "HEAD") return true;
  return how.while_writing;
}

}  // namespace otklik
