#include "daemon/config/config.hpp"

#include <boost/url/pct_string_view.hpp>

#include <algorithm>

namespace otklik {
namespace {

template <class T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& i) { return i.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const SourceConfig* Config::find_source(std::string_view name) const { return find_named(sources, name); }
const ChannelConfig* Config::find_channel(std::string_view name) const { return find_named(channels, name); }
const BrandConfig* Config::find_brand(std::string_view name) const { return find_named(brands, name); }

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
  }
  return "low";
}

std::optional<Severity> parse_severity(std::string_view s) noexcept {
  if (s == "low") return Severity::low;
  if (s == "medium") return Severity::medium;
  if (s == "high") return Severity::high;
  return std::nullopt;
}

std::map<std::string, std::string, std::less<>> source_labels(const Config& config) {
  std::map<std::string, std::string, std::less<>> out;
  for (const auto& s : config.sources) out.emplace(s.name, s.label.empty() ? s.name : s.label);
  return out;
}

std::string conninfo_password(std::string_view conninfo) {
  if (conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://")) {
    auto rest = conninfo.substr(conninfo.find("://") + 3);
    auto end = rest.find_first_of("/?");
    auto authority = rest.substr(0, end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
      auto userinfo = authority.substr(0, at);
      if (auto colon = userinfo.find(':'); colon != std::string_view::npos)
        return std::string(userinfo.substr(colon + 1));
    }
    // Or a query parameter: "?sslmode=require&password=…".
    auto query = conninfo.find('?');
    if (query == std::string_view::npos) return {};
    for (auto params = conninfo.substr(query + 1); !params.empty();) {
      auto amp = params.find('&');
      auto param = params.substr(0, amp);
      if (param.starts_with("password=")) return std::string(param.substr(9));
      if (amp == std::string_view::npos) break;
      params.remove_prefix(amp + 1);
    }
    return {};
  }
  // "key=value" form: the value of password, bare or in single quotes.
  std::size_t pos = 0;
  while ((pos = conninfo.find("password", pos)) != std::string_view::npos) {
    bool starts_word = pos == 0 || conninfo[pos - 1] == ' ' || conninfo[pos - 1] == '\t';
    std::size_t i = pos + 8;
    pos = i;
    if (!starts_word) continue;
    while (i < conninfo.size() && conninfo[i] == ' ') ++i;
    if (i >= conninfo.size() || conninfo[i] != '=') continue;
    ++i;
    while (i < conninfo.size() && conninfo[i] == ' ') ++i;
    std::string value;
    if (i < conninfo.size() && conninfo[i] == '\'') {
      for (++i; i < conninfo.size() && conninfo[i] != '\''; ++i) {
        if (conninfo[i] == '\\' && i + 1 < conninfo.size()) ++i;
        value += conninfo[i];
      }
    } else {
      while (i < conninfo.size() && conninfo[i] != ' ' && conninfo[i] != '\t') value += conninfo[i++];
    }
    return value;
  }
  return {};
}

std::vector<std::string> secret_values(const Config& config) {
  std::vector<std::string> out;
  auto add = [&](const Secret& s) {
    if (!s.empty()) out.push_back(s.value());
  };
  for (const auto& s : config.sources) {
    add(s.api_key);
    for (const auto& [key, secret] : s.secrets) add(secret);
  }
  for (const auto& c : config.channels) {
    add(c.token);
    add(c.webhook_url);
    add(c.signing_secret);
  }
  add(config.smtp.password);
  add(config.store.url);
  if (auto pw = conninfo_password(config.store.url.value()); !pw.empty()) {
    // A URL's password may be percent-encoded ("p%40ss"): libpq and the server see it decoded.
    std::string decoded = pw;
    if (auto pct = boost::urls::make_pct_string_view(pw)) decoded = pct->decode();
    if (decoded != pw) out.push_back(decoded);
    out.push_back(std::move(pw));
  }
  return out;
}

}  // namespace otklik
