#include "sources/api/api_auth.hpp"

namespace otklik {

StaticHeadersAuth::StaticHeadersAuth(Headers headers, std::vector<std::string> secret_values)
    : headers_(std::move(headers)), secrets_(std::move(secret_values)) {
  if (secrets_.empty())
    for (const auto& [name, value] : headers_) secrets_.push_back(value);
}

boost::asio::awaitable<Result<Headers>> StaticHeadersAuth::headers(ApiContext& /*ctx*/) { co_return headers_; }

}  // namespace otklik
