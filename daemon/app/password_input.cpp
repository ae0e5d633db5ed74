#include "daemon/app/password_input.hpp"

#include "daemon/core/utf8.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <istream>
#include <ostream>

namespace otklik {

namespace {

/// Turns terminal echo off on standard input for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> read_line(std::istream& in) {
  std::string line;
  if (!std::getline(in, line) && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> prompt(std::istream& in, std::ostream& err, std::string_view text) {
  err << text << std::flush;
  EchoOff quiet;
  auto line = read_line(in);
  err << "\n";  // the Enter the user typed was not echoed
  return line;
}

}  // namespace

bool valid_user_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == '_' || c == '@';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() > kMaxPasswordBytes) return "longer than " + std::to_string(kMaxPasswordBytes) + " bytes";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < password.size();) {
    const std::size_t at = i;
    if (decode_utf8(password, i) == kReplacementChar && password.substr(at, 3) != "\xEF\xBF\xBD") {
      return std::string("not valid UTF-8");
    }
    ++chars;
  }
  if (chars < kMinPasswordChars) return "shorter than " + std::to_string(kMinPasswordChars) + " characters";
  return std::nullopt;
}

Result<std::string> read_new_password(std::istream& in, std::ostream& err, bool terminal) {
  std::optional<std::string> password =
      terminal ? prompt(in, err, "New password: ") : read_line(in);
  if (!password || password->empty()) return Failure(errc::invalid_input, "no password on standard input");
  if (auto problem = password_problem(*password)) return Failure(errc::invalid_input, "password refused: " + *problem);
  if (terminal) {
    const auto again = prompt(in, err, "Again: ");
    if (!again || *again != *password) return Failure(errc::invalid_input, "the passwords differ");
  }
  return std::move(*password);
}

bool stdin_is_terminal(const std::istream& in) { return &in == &std::cin && isatty(STDIN_FILENO) == 1; }

}  // namespace otklik
