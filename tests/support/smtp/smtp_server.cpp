#include "tests/support/smtp/smtp_server.hpp"

#include <boost/json.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace otklik::test {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::string fixture(const char* name) { return std::string(OTKLIK_FIXTURES_DIR) + "/tls/" + name; }

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Runs `argv` with stdout captured; throws when it cannot start or exits non-zero.
std::string run_capture(std::vector<std::string> argv) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, kPython, &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    throw std::runtime_error("cannot run /usr/bin/python3");
  }
  std::string text;
  std::array<char, 4096> chunk{};
  for (;;) {
    const ssize_t n = read(out[0], chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(chunk.data(), static_cast<std::size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("python3 failed: " + argv.back());
  return text;
}

std::string str(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : std::string(); }

}  // namespace

std::string ParsedMail::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

SmtpTestServer::SmtpTestServer(SmtpServerOptions options) {
  std::string templ = (fs::temp_directory_path() / "otklik-smtp-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  spool_ = templ;

  std::vector<std::string> argv{kPython,
                                OTKLIK_SMTP_SERVER_SCRIPT,
                                "--mode",
                                options.mode,
                                "--cert",
                                options.cert_file.empty() ? fixture("server.pem") : options.cert_file,
                                "--key",
                                options.key_file.empty() ? fixture("server.key") : options.key_file,
                                "--spool",
                                spool_.string()};
  if (!options.user.empty()) {
    argv.insert(argv.end(), {"--user", options.user, "--password", options.password});
  }
  if (!options.exclude_auth.empty()) argv.insert(argv.end(), {"--exclude-auth", options.exclude_auth});
  if (options.auth_over_plain) argv.emplace_back("--auth-over-plain");
  if (options.fail_rcpt != 0) argv.insert(argv.end(), {"--fail-rcpt", std::to_string(options.fail_rcpt)});
  if (options.fail_data != 0) argv.insert(argv.end(), {"--fail-data", std::to_string(options.fail_data)});
  argv.insert(argv.end(), {"--fail-times", std::to_string(options.fail_times)});

  int in[2];
  int out[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const std::string err_path = (spool_ / "stderr.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, kPython, &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  stdin_fd_ = in[1];
  if (rc != 0) {
    close(out[0]);
    pid_ = -1;
    stop();
    throw std::runtime_error("cannot start /usr/bin/python3");
  }

  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (line.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{out[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    std::array<char, 64> chunk{};
    const ssize_t n = read(out[0], chunk.data(), chunk.size());
    if (n <= 0) break;
    line.append(chunk.data(), static_cast<std::size_t>(n));
  }
  close(out[0]);
  const int port = line.find('\n') == std::string::npos ? 0 : std::atoi(line.c_str());
  if (port <= 0 || port > 65535) {
    const std::string err = read_file(err_path);
    stop();
    throw std::runtime_error("SMTP test server did not start: " + err);
  }
  port_ = static_cast<unsigned short>(port);
}

SmtpTestServer::~SmtpTestServer() { stop(); }

void SmtpTestServer::stop() noexcept {
  if (stdin_fd_ >= 0) {
    close(stdin_fd_);  // the server exits when its stdin closes
    stdin_fd_ = -1;
  }
  if (pid_ > 0) {
    int status = 0;
    bool gone = false;
    for (int i = 0; i < 300 && !gone; ++i) {
      gone = waitpid(pid_, &status, WNOHANG) == pid_;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!gone) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  if (!spool_.empty()) {
    std::error_code ec;
    fs::remove_all(spool_, ec);
    spool_.clear();
  }
}

std::vector<std::string> SmtpTestServer::events() const {
  std::vector<std::string> lines;
  std::istringstream in(read_file(spool_ / "events.log"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t SmtpTestServer::message_count() const {
  std::size_t n = 0;
  while (fs::exists(spool_ / ("msg-" + std::to_string(n + 1) + ".eml"))) ++n;
  return n;
}

std::string SmtpTestServer::message(std::size_t n) const {
  return read_file(spool_ / ("msg-" + std::to_string(n) + ".eml"));
}

std::string SmtpTestServer::envelope(std::size_t n) const {
  return read_file(spool_ / ("msg-" + std::to_string(n) + ".json"));
}

ParsedMail SmtpTestServer::parsed(std::size_t n) const {
  const auto text = run_capture({kPython, OTKLIK_SMTP_SERVER_SCRIPT, "--parse",
                                 (spool_ / ("msg-" + std::to_string(n) + ".eml")).string()});
  const auto doc = json::parse(text).as_object();
  ParsedMail mail;
  for (const auto& name : doc.at("header_names").as_array()) mail.header_names.push_back(str(name));
  for (const auto& [name, value] : doc.at("headers").as_object()) mail.headers[std::string(name)] = str(value);
  for (const auto& defect : doc.at("defects").as_array()) mail.defects.push_back(str(defect));
  mail.content_type = str(doc.at("content_type"));
  for (const auto& p : doc.at("parts").as_array()) {
    const auto& part = p.as_object();
    mail.parts.push_back({str(part.at("type")), str(part.at("charset")), str(part.at("cte")), str(part.at("text"))});
  }
  mail.max_line = static_cast<std::size_t>(doc.at("max_line").to_number<std::int64_t>());
  mail.bare_lf = static_cast<std::size_t>(doc.at("bare_lf").to_number<std::int64_t>());
  return mail;
}

std::string SmtpTestServer::ca_file() { return fixture("ca.pem"); }
std::string SmtpTestServer::other_cert_file() { return fixture("other.pem"); }
std::string SmtpTestServer::other_key_file() { return fixture("other.key"); }

}  // namespace otklik::test
