#pragma once
/// What an HTTP server (the health endpoint, the web inbox) answers when reading a request failed.

#include <boost/system/error_code.hpp>

namespace otklik {

/// 431 when the headers were over their cap, 413 for the body, 400 for a malformed request, or 0
/// when the connection should just be closed (closed by the peer, reset, timed out, stopped).
int status_for_read_error(const boost::system::error_code& ec);

}  // namespace otklik
