#include "daemon/core/secret.hpp"

#include <cctype>
#include <cstdlib>
#include <iterator>
#include <fstream>

namespace otklik {

bool Secret::literal() const noexcept {
  return !(reference_.starts_with("env:") || reference_.starts_with("file:"));
}

std::string Secret::describe() const { return literal() ? std::string("***") : reference_; }

Result<Secret> resolve_secret(std::string_view reference, const std::filesystem::path& base_dir, bool whole_file) {
  std::string ref(reference);
  if (ref.starts_with("env:")) {
    std::string name = ref.substr(4);
    if (name.empty()) return Failure(errc::invalid_input, "empty environment variable name in \"env:\"");
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0')
      return Failure(errc::invalid_input, "environment variable " + name + " is not set or empty");
    return Secret(ref, v);
  }
  if (ref.starts_with("file:")) {
    std::filesystem::path p = ref.substr(5);
    if (p.empty()) return Failure(errc::invalid_input, "empty path in \"file:\"");
    if (p.is_relative()) {
      const char* creds = std::getenv("CREDENTIALS_DIRECTORY");
      if (creds != nullptr && *creds != '\0' && std::filesystem::exists(std::filesystem::path(creds) / p))
        p = std::filesystem::path(creds) / p;
      else
        p = base_dir / p;
    }
    std::ifstream in(p);
    if (!in) return Failure(errc::io_error, "cannot read secret file " + p.string());
    std::string line;
    if (whole_file)
      line.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    else
      std::getline(in, line);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())) != 0) line.pop_back();
    if (line.empty()) return Failure(errc::invalid_input, "secret file " + p.string() + " is empty");
    return Secret(ref, line);
  }
  return Secret(ref, ref);
}

std::string redact(std::string text, const std::vector<std::string_view>& secrets) {
  for (const auto secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

}  // namespace otklik
