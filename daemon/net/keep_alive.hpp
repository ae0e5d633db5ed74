#pragma once
/// The keep-alive rules of the HTTP client as pure functions: when a connection may go back to
/// the pool after a response, and when a request that failed on a reused connection may be sent
/// again on a fresh one. The exchange gathers the facts; these decide.

#include <string_view>

namespace otklik {

/// What the client knows about a finished response, as far as reusing its connection goes.
struct ResponseFraming {
  int status = 0;
  bool request_keep_alive = true;  ///< the request did not say `Connection: close`
  /// The response's own keep-alive semantics: HTTP/1.1 without `Connection: close`, or HTTP/1.0
  /// with `Connection: keep-alive` (Beast's parser keep_alive(), false for EOF-delimited bodies).
  bool server_keep_alive = false;
  bool body_until_eof = false;     ///< no Content-Length and not chunked: the body ends at EOF
  bool head = false;               ///< the answer to a HEAD request (no body read)
  bool has_length = false;         ///< Content-Length present
  bool chunked = false;            ///< Transfer-Encoding: chunked
  bool bytes_after = false;        ///< bytes arrived beyond the end of the message
};

/// True when the connection may carry another request: the exchange ended with a complete
/// response (the caller checks that) and all of these hold: both sides keep it alive, the body
/// was delimited by length or chunking (never by EOF), nothing followed the message, the status
/// is final (not 1xx, so no upgrade), and for HEAD the server declared its framing
/// (Content-Length or chunked) so that no stray body can follow.
bool connection_reusable(const ResponseFraming& response);

/// How a request failed on a connection taken from the pool.
struct BrokenExchange {
  bool while_writing = false;     ///< the request was not fully written
  bool response_started = false;  ///< at least one byte of the response had arrived
  /// The peer had gone: EOF, reset, broken pipe or a TLS stream cut short. Not a timeout, a
  /// cancellation, a body over its cap or a malformed response.
  bool connection_lost = false;
};

/// True when a request that failed this way on a reused connection is sent once more on a fresh
/// connection. Only a lost connection with no byte of the response qualifies; then GET and HEAD
/// always, other methods (a chat POST that must not post twice) only when the loss came while
/// writing, so the server never had the whole request.
bool may_retry_on_fresh_connection(std::string_view method, const BrokenExchange& how);

}  // namespace otklik
