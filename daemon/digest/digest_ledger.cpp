#include "daemon/digest/digest_ledger.hpp"

#include <algorithm>
#include <cctype>

namespace otklik::digest {

std::string recipients_key(const std::vector<std::string>& emails) {
  std::vector<std::string> list;
  for (std::string e : emails) {
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    list.push_back(std::move(e));
  }
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  std::string key;
  for (const auto& e : list) key += (key.empty() ? "" : ",") + e;
  return key;
}

Result<std::optional<IsoWeek>> DigestLedger::latest_sent(const std::string& recipients) {
  auto latest = store_.latest_digest_sent(recipients);
  if (!latest) return latest.error();
  if (!*latest) return std::optional<IsoWeek>{};
  auto week = parse_iso_week(**latest);
  if (!week) return Failure(errc::store_failed, "digest ledger: a week that is not an ISO week: " + **latest);
  return std::optional<IsoWeek>(*week);
}

}  // namespace otklik::digest
