#include "daemon/store/user_store.hpp"

namespace otklik {

std::string_view to_string(WebRole r) noexcept {
  switch (r) {
    case WebRole::viewer: return "viewer";
    case WebRole::agent: return "agent";
    case WebRole::admin: return "admin";
  }
  return "viewer";
}

std::optional<WebRole> parse_web_role(std::string_view s) noexcept {
  if (s == "viewer") return WebRole::viewer;
  if (s == "agent") return WebRole::agent;
  if (s == "admin") return WebRole::admin;
  return std::nullopt;
}

}  // namespace otklik
