#pragma once
/// Helpers for the store tests: a unique temporary folder per test, and sample mentions.

#include "daemon/core/clock.hpp"
#include "daemon/core/mention.hpp"
#include "daemon/sentiment/scorer.hpp"
#include "daemon/store/sqlite_store.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace otklik::test {

/// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "otklik-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// 2026-11-23 12:00:00 UTC, a whole number of milliseconds (times round-trip exactly).
inline TimePoint test_start() {
  using namespace std::chrono;
  return sys_days{year{2026} / November / 23} + hours{12};
}

inline Mention sample_mention(std::string external_id, std::string text = "The courier was late again") {
  Mention m;
  m.source = "reviews";
  m.external_id = std::move(external_id);
  m.url = "https://reviews.example/item/1";
  m.author = "Anna";
  m.author_id = "u42";
  m.title = "Delivery";
  m.text = std::move(text);
  m.rating = 2.0;
  m.published = test_start() - std::chrono::hours{3};
  m.fetched = test_start();
  m.brand = "Acme";
  return m;
}

inline Sentiment sentiment_of(Label label) {
  Sentiment s;
  s.label = label;
  s.score = label == Label::negative ? -0.625 : label == Label::positive ? 0.5 : 0.0;
  s.confidence = 0.75;
  s.lang = Lang::en;
  s.sentences = {{0, 11, s.score, label}};
  s.why = {{"late", -0.625}};
  return s;
}

inline AlertPolicy two_channels(bool alert_new = true) {
  AlertPolicy p;
  p.alerts = {{"telegram", "alert", ""}, {"slack", "alert", R"({"thread":"x"})"}};
  p.alert_new = alert_new;
  return p;
}

/// A number from a one-row SQL query on the store's connection.
inline std::int64_t count(SqliteStore& store, const std::string& sql) {
  return store.database().query_int64(sql).value();
}

}  // namespace otklik::test
