#include "daemon/channels/http_outcome.hpp"

#include "daemon/channels/text_util.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::channels {

std::string body_excerpt(std::string_view body, std::size_t max_bytes) {
  std::string s = chat_safe_text(body.substr(0, std::min(body.size(), max_bytes)));
  if (!s.empty() && body.size() > max_bytes) s.resize(prefix_within(s, code_point_length(s) - 1));
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return std::string(trim(s));
}

Delivery classify_http(const Result<HttpResponse>& result, std::string_view what,
                       const std::vector<std::string_view>& secrets, TimePoint now) {
  if (!result) return Delivery::transient(redact(fmt::format("{}: {}", what, result.error().message()), secrets));
  const HttpResponse& r = *result;
  if (r.status >= 200 && r.status < 300) return Delivery::ok("");
  std::optional<std::chrono::seconds> after;
  if (const auto h = r.header("Retry-After")) after = parse_retry_after(*h, now);
  const std::string why = redact(fmt::format("{}: HTTP {}: {}", what, r.status, body_excerpt(r.body)), secrets);
  if (r.status == 408 || r.status == 429 || r.status >= 500) return Delivery::transient(why, after);
  return Delivery::permanent(why);
}

}  // namespace otklik::channels
