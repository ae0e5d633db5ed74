#pragma once
// Helpers for the net tests: run a coroutine to completion, compress test bodies, temp files.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace otklik::test {

/// Runs `make(executor)`'s awaitable on a fresh io_context and returns its result.
template <class Make>
auto run_coroutine(Make make) {
  boost::asio::io_context ioc;
  auto future = boost::asio::co_spawn(ioc, make(ioc.get_executor()), boost::asio::use_future);
  ioc.run();
  return future.get();
}

/// windowBits: 16+15 gzip, 15 zlib, -15 raw deflate.
inline std::string compress(const std::string& in, int window_bits) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("zlib");
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("zlib deflate");
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
inline std::string gzip(const std::string& in) { return compress(in, 16 + 15); }
inline std::string zlib_deflate(const std::string& in) { return compress(in, 15); }
inline std::string raw_deflate(const std::string& in) { return compress(in, -15); }

/// A fresh folder under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("otklik-net-" + std::to_string(::getpid()) + "-" + std::to_string(random()) + "-" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace otklik::test
