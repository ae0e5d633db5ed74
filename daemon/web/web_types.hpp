#pragma once
/// What the web inbox's route handlers see and answer: a request (with the peer's address), a
/// response (status, headers — Set-Cookie may repeat —, body) or a stream of server-sent
/// events. Independent of Beast, so that the routes and their tests need not include it.

#include "daemon/net/http_types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace otklik::web {

struct WebRequest {
  std::string method;   ///< "GET", "POST" … (HEAD requests reach GET handlers as "HEAD")
  std::string target;   ///< path and query as sent
  std::string path;     ///< target without the query, undecoded
  std::string query;    ///< after '?', undecoded; "" when none
  std::string rest;     ///< for a prefix route: the path after the prefix ("/case/42" → "42"); else ""
  Headers headers;
  std::string body;     ///< at most WebServerOptions::max_body_bytes
  boost::asio::ip::address peer;  ///< the TCP peer (a reverse proxy, when there is one)
  bool tls = false;     ///< served over TLS by the daemon itself

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// A live stream of server-sent events (text/event-stream), given to a StreamBody. It stays
/// open until the client goes away, a write misses its deadline or the server stops; then
/// send() returns false and the body should return. A body waiting on something else (a timer,
/// a channel) is cancelled as soon as the client goes away: its pending operation completes
/// with operation_aborted (an exception under plain use_awaitable, which the server swallows).
/// Heartbeats (comment()) are the body's business: proxies drop idle connections.
class EventStream {
 public:
  virtual ~EventStream() = default;
  /// Writes "event: EVENT\ndata: …\n\n" (each line of `data` its own data: line). true when
  /// written within the write deadline.
  boost::asio::awaitable<bool> send(std::string event, std::string data);
  /// Writes ": TEXT\n\n", a comment line clients ignore (a heartbeat).
  boost::asio::awaitable<bool> comment(std::string text);
  /// false once the client went away, a write failed or the server stops.
  [[nodiscard]] virtual bool open() const noexcept = 0;

 protected:
  virtual boost::asio::awaitable<bool> write(std::string bytes) = 0;
};

/// The body of an event-stream response; runs until it returns (the connection is then closed).
using StreamBody = std::function<boost::asio::awaitable<void>(std::shared_ptr<EventStream>)>;

struct WebResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  /// Extra headers; a name may repeat (Set-Cookie). A security header set here replaces the
  /// server's default for it.
  Headers headers;
  std::string body;
  /// When set, the response is a text/event-stream (status 200, `body` unused) served by this.
  StreamBody stream;

  static WebResponse text(int status, std::string body);
  static WebResponse html(int status, std::string body);
  /// 303 See Other by default: after a form post, the browser GETs `location`.
  static WebResponse redirect(std::string location, int status = 303);
  static WebResponse events(StreamBody body);
};

using WebHandler = std::function<boost::asio::awaitable<WebResponse>(WebRequest)>;

/// The bytes of one event: CR and LF in `event` become spaces; `data` is split on line breaks
/// (CRLF, CR, LF) into data: lines.
std::string format_event(std::string_view event, std::string_view data);
/// The bytes of one comment line (line breaks in `text` become spaces).
std::string format_comment(std::string_view text);

}  // namespace otklik::web
