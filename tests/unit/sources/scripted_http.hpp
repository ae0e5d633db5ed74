#pragma once
// What the unit tests of the official-API presets share: an HttpClient that answers from a queue,
// a JSON answer, and one poll run to its end.

#include "daemon/net/http_client.hpp"
#include "sources/source.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <deque>
#include <string>
#include <vector>

namespace otklik::test {

/// Answers each request with the next scripted answer (a failure once they run out), and keeps
/// the requests and when they came.
class ScriptedHttpClient final : public HttpClient {
 public:
  std::deque<Result<HttpResponse>> answers;
  std::vector<HttpRequest> requests;
  std::vector<std::chrono::steady_clock::time_point> times;

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    requests.push_back(std::move(request));
    times.push_back(std::chrono::steady_clock::now());
    if (answers.empty()) co_return Failure(errc::http_status, "no scripted answer");
    Result<HttpResponse> answer = answers.front();
    answers.pop_front();
    co_return answer;
  }
};

inline HttpResponse json_answer(int status, std::string body, std::string content_type = "application/json") {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", std::move(content_type)}};
  r.body = std::move(body);
  return r;
}

/// One poll of `source` at `now`, run to its end on a private io_context.
inline Result<PollResult> run_poll(Source& source, HttpClient& http, const SourceState& state, TimePoint now) {
  boost::asio::io_context io;
  auto future =
      boost::asio::co_spawn(io, source.poll(PollContext{http, state, now, "otklik-test"}), boost::asio::use_future);
  io.run();
  return future.get();
}

}  // namespace otklik::test
