#pragma once
/// What `otklik user` accepts as a user name and a new password, and how it reads the password:
/// from standard input, never from an argument (arguments show in `ps` and shell history). On a
/// terminal it prompts on stderr with echo off and asks twice; otherwise it reads one line
/// (`echo "$PW" | otklik user add …`, a secret manager's pipe).

#include "daemon/core/error.hpp"

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace otklik {

inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordBytes = 1024;  ///< longer is a pasted file, not a password

/// 1–64 characters, each a letter or digit (ASCII) or one of ". - _ @".
bool valid_user_name(std::string_view name) noexcept;

/// Why `password` is refused ("shorter than 10 characters"), or none. Characters are counted as
/// UTF-8 code points, so that "пароль1234" counts 10.
std::optional<std::string> password_problem(std::string_view password);

/// Reads a new password from `in`. `terminal`: prompt on `err`, echo off on standard input
/// (termios), ask twice and compare. Fails with errc::invalid_input when there is none, the two
/// differ, or password_problem() refuses it.
Result<std::string> read_new_password(std::istream& in, std::ostream& err, bool terminal);

/// Whether `in` is the process's standard input and that is a terminal.
bool stdin_is_terminal(const std::istream& in);

}  // namespace otklik
