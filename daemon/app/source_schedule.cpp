#include "daemon/app/source_schedule.hpp"

namespace otklik {

void SourceSchedule::waiting(const std::string& source, boost::asio::steady_timer& timer, TimePoint at) {
  Entry& e = entries_[source];
  e.timer = &timer;
  e.at = at;
  e.woken = false;
}

bool SourceSchedule::stopped_waiting(const std::string& source) {
  auto it = entries_.find(source);
  if (it == entries_.end()) return false;
  it->second.timer = nullptr;
  it->second.at.reset();
  const bool woken = it->second.woken;
  it->second.woken = false;
  return woken;
}

void SourceSchedule::polling(const std::string& source, bool on) { entries_[source].polling = on; }

void SourceSchedule::gone(const std::string& source) { entries_.erase(source); }

std::optional<TimePoint> SourceSchedule::next_poll(const std::string& source) const {
  auto it = entries_.find(source);
  if (it == entries_.end()) return std::nullopt;
  return it->second.at;
}

bool SourceSchedule::is_polling(const std::string& source) const {
  auto it = entries_.find(source);
  return it != entries_.end() && it->second.polling;
}

SourceSchedule::Wake SourceSchedule::wake(const std::string& source) {
  auto it = entries_.find(source);
  if (it == entries_.end()) return Wake::not_here;
  Entry& e = it->second;
  if (e.polling) return Wake::polling;
  if (e.timer == nullptr) return Wake::not_here;  // waiting for its lease, or for a poll slot
  e.woken = true;
  e.timer->cancel();
  return Wake::woken;
}

}  // namespace otklik
