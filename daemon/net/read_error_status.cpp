#include "daemon/net/read_error_status.hpp"

#include <boost/beast/http/error.hpp>

namespace otklik {

int status_for_read_error(const boost::system::error_code& ec) {
  namespace http = boost::beast::http;
  if (ec == http::error::header_limit) return 431;
  if (ec == http::error::body_limit || ec == http::error::buffer_overflow) return 413;
  if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return 400;
  }
  return 0;
}

}  // namespace otklik
