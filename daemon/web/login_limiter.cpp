#include "daemon/web/login_limiter.hpp"

#include <algorithm>

namespace otklik::web {

LoginLimiter::LoginLimiter(LoginLimits limits)
    : limits_(limits),
      users_(std::max(1, limits.per_user), std::max<std::size_t>(1, limits.max_entries)),
      addresses_(std::max(1, limits.per_address), std::max<std::size_t>(1, limits.max_entries)) {}

LoginVerdict LoginLimiter::Table::check(std::string_view key, TimePoint now, Duration window) const {
  const auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return {};
  const auto& failures = it->second.failures;
  const auto recent = std::count_if(failures.begin(), failures.end(), [&](TimePoint t) { return t > now - window; });
  if (recent < limit_) return {};
  // The window holds `limit_` failures: a try counts again once the oldest of them leaves it.
  const TimePoint oldest = failures[failures.size() - static_cast<std::size_t>(limit_)];
  return {false, std::max(Duration{1}, std::chrono::duration_cast<Duration>(oldest + window - now))};
}

void LoginLimiter::Table::add(std::string_view key, TimePoint now) {
  std::string k(key);
  auto it = entries_.find(k);
  if (it == entries_.end()) {
    if (entries_.size() >= max_entries_) {
      entries_.erase(order_.front());
      order_.pop_front();
    }
    order_.push_back(k);
    it = entries_.emplace(std::move(k), Entry{{}, std::prev(order_.end())}).first;
  } else {
    order_.splice(order_.end(), order_, it->second.order);
  }
  auto& failures = it->second.failures;
  failures.push_back(now);
  while (failures.size() > static_cast<std::size_t>(limit_)) failures.pop_front();
}

void LoginLimiter::Table::erase(std::string_view key) {
  const auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return;
  order_.erase(it->second.order);
  entries_.erase(it);
}

LoginVerdict LoginLimiter::allowed(std::string_view user, std::string_view address, TimePoint now) const {
  const LoginVerdict by_user = users_.check(user, now, limits_.window);
  const LoginVerdict by_address = addresses_.check(address, now, limits_.window);
  if (by_user.allowed && by_address.allowed) return {};
  return {false, std::max(by_user.retry_after, by_address.retry_after)};
}

void LoginLimiter::failed(std::string_view user, std::string_view address, TimePoint now) {
  users_.add(user, now);
  addresses_.add(address, now);
}

void LoginLimiter::succeeded(std::string_view user) { users_.erase(user); }

}  // namespace otklik::web
