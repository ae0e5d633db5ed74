#pragma once
/// Helpers for the config tests: a unique temporary folder, a scoped environment variable, a small
/// SourceCatalog standing in for the source registry, and problem matchers.

#include "daemon/config/config_load.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>

namespace otklik::test {

/// A folder under the system temp dir, unique per instance, removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("otklik-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

/// Sets (or unsets, with nullptr) an environment variable for the scope; restores the old value.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const char* value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value != nullptr)
      ::setenv(name_.c_str(), value, 1);
    else
      ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// Knows rss, html and json with the option keys of the generic sources, and banki_ru (the demo's
/// preset) with none.
class FakeCatalog final : public SourceCatalog {
 public:
  [[nodiscard]] bool known_type(std::string_view type) const override {
    return type == "rss" || type == "html" || type == "json" || type == "banki_ru";
  }
  void validate(const SourceConfig& source, const std::string& key_prefix, ConfigProblems& problems) const override {
    for (const auto& [k, v] : source.options) {
      std::string_view key = k.str();
      bool ok = key == "item" || key == "items" || key == "fields" || key == "rating_scale" || key == "date_format";
      if (!ok)
        problems.error(key_prefix + "." + std::string(key), static_cast<int>(v.source().begin.line),
                       "unknown key for a " + source.type + " source");
    }
  }
};

/// True when `problems` has one with this key, line (0: any) and a message containing `fragment`.
inline bool has_problem(const std::vector<ConfigProblem>& problems, const std::string& key, int line,
                        const std::string& fragment, bool warning = false) {
  for (const auto& p : problems)
    if (p.key == key && (line == 0 || p.line == line) && p.message.find(fragment) != std::string::npos &&
        p.warning == warning)
      return true;
  return false;
}

inline std::string describe(const std::vector<ConfigProblem>& problems) {
  return format_problems("test.toml", problems);
}

inline std::size_t error_count(const std::vector<ConfigProblem>& problems) {
  std::size_t n = 0;
  for (const auto& p : problems) n += p.warning ? 0 : 1;
  return n;
}

}  // namespace otklik::test
