#include "daemon/web/web_types.hpp"

namespace otklik::web {

namespace {
std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}
}  // namespace

std::string format_event(std::string_view event, std::string_view data) {
  std::string out;
  if (!event.empty()) out += "event: " + one_line(event) + "\n";
  std::size_t i = 0;
  while (true) {
    const auto end = data.find_first_of("\r\n", i);
    out += "data: ";
    out += data.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    out += '\n';
    if (end == std::string_view::npos) break;
    i = end + ((data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n') ? 2 : 1);
  }
  out += '\n';
  return out;
}

std::string format_comment(std::string_view text) { return ": " + one_line(text) + "\n\n"; }

boost::asio::awaitable<bool> EventStream::send(std::string event, std::string data) {
  co_return co_await write(format_event(event, data));
}

boost::asio::awaitable<bool> EventStream::comment(std::string text) {
  co_return co_await write(format_comment(text));
}

WebResponse WebResponse::text(int status, std::string body) {
  WebResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

WebResponse WebResponse::html(int status, std::string body) {
  WebResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

WebResponse WebResponse::redirect(std::string location, int status) {
  WebResponse r = text(status, "");
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

WebResponse WebResponse::events(StreamBody body) {
  WebResponse r;
  r.content_type = "text/event-stream; charset=utf-8";
  r.stream = std::move(body);
  return r;
}

}  // namespace otklik::web
