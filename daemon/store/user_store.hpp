#pragma once
/// The users role: the web inbox's users (name, role, argon2id password hash) and their
/// server-side sessions. Sessions are stored by the hash of their token (the token itself is only
/// in the user's cookie); expiry rules live in the web layer (daemon/web), which passes the limits.

#include "daemon/core/error.hpp"
#include "daemon/core/mention.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace otklik {

/// What a user may do: viewer reads; agent also acts on cases, relabels and replies; admin also
/// acts on sources and manages users.
enum class WebRole { viewer, agent, admin };

std::string_view to_string(WebRole r) noexcept;
std::optional<WebRole> parse_web_role(std::string_view s) noexcept;

struct WebUser {
  std::string name;                    ///< unique, as typed at sign-in
  WebRole role = WebRole::viewer;
  std::string password_hash;           ///< crypto_pwhash_str output; "" = no password (proxy sign-in only)
  TimePoint created{};
  TimePoint updated{};
  friend bool operator==(const WebUser&, const WebUser&) = default;
};

struct WebSession {
  std::string token_hash;              ///< hex hash of the cookie's token (the key)
  std::string user;
  WebRole role = WebRole::viewer;      ///< the user's role now (read from the user, not stored)
  std::string csrf;                    ///< the token every state-changing request must carry
  TimePoint created{};
  TimePoint seen{};                    ///< the last request (updated at most once a minute)
  std::string address;                 ///< the client address at sign-in
  friend bool operator==(const WebSession&, const WebSession&) = default;
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  /// Fails with errc::invalid_input when the name is taken.
  virtual Result<void> add_user(const WebUser& user) = 0;
  /// Fails with errc::not_found for an unknown user. Also ends the user's sessions.
  virtual Result<void> set_password(std::string_view name, const std::string& hash, TimePoint now) = 0;
  /// Fails with errc::not_found for an unknown user.
  virtual Result<void> set_role(std::string_view name, WebRole role, TimePoint now) = 0;
  /// Removes the user and their sessions; errc::not_found for an unknown user.
  virtual Result<void> remove_user(std::string_view name) = 0;
  virtual Result<std::optional<WebUser>> user(std::string_view name) = 0;
  /// Every user, by name.
  virtual Result<std::vector<WebUser>> users() = 0;

  /// Stores a new session (its user must exist: errc::not_found otherwise).
  virtual Result<void> create_session(const WebSession& session) = 0;
  /// The session with this token hash and its user's role now; none when unknown, or when it was
  /// last seen before `idle_before` or created before `created_before` (then it is deleted).
  virtual Result<std::optional<WebSession>> session(std::string_view token_hash, TimePoint idle_before,
                                                    TimePoint created_before) = 0;
  virtual Result<void> touch_session(std::string_view token_hash, TimePoint seen) = 0;
  virtual Result<void> delete_session(std::string_view token_hash) = 0;
  /// Ends every session of a user (logout everywhere); returns how many.
  virtual Result<std::int64_t> delete_sessions(std::string_view user) = 0;
  /// Deletes sessions idle since before `idle_before` or created before `created_before`.
  virtual Result<std::int64_t> purge_sessions(TimePoint idle_before, TimePoint created_before) = 0;
};

}  // namespace otklik
