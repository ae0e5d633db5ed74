#include "daemon/net/file_fetch.hpp"

#include "daemon/net/url_target.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

namespace otklik {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes = {{
    {".xml", "application/xml"},
    {".rss", "application/rss+xml"},
    {".atom", "application/atom+xml"},
    {".json", "application/json"},
    {".html", "text/html"},
    {".htm", "text/html"},
    {".txt", "text/plain"},
    {".csv", "text/csv"},
    {".tsv", "text/tab-separated-values"},
    {".toml", "application/toml"},
    {".gz", "application/gzip"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
}};

}  // namespace

std::string guess_content_type(std::string_view path) {
  const auto slash = path.find_last_of('/');
  const auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [known, type] : kTypes) {
    if (known == ext) return std::string(type);
  }
  return "application/octet-stream";
}

Result<HttpResponse> fetch_file(std::string_view url, std::uint64_t max_body) {
  auto path = file_url_path(url);
  if (!path) return path.error();
  std::error_code ec;
  if (std::filesystem::exists(*path, ec) && !std::filesystem::is_regular_file(*path, ec)) {
    return Failure(errc::io_error, *path + " is not a regular file");
  }
  std::ifstream in(*path, std::ios::binary);
  if (!in) return Failure(errc::io_error, "open " + *path + ": " + std::strerror(errno));
  HttpResponse response;
  // Read at most max_body + 1 bytes: one more than allowed proves the file is too large,
  // without trusting a size that may change under us.
  std::string body;
  std::array<char, 64 * 1024> chunk{};
  while (in) {
    in.read(chunk.data(), chunk.size());
    body.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (body.size() > max_body) {
      return Failure(errc::too_large, *path + " is over " + std::to_string(max_body) + " bytes");
    }
  }
  if (in.bad()) return Failure(errc::io_error, "read " + *path + " failed");
  response.status = 200;
  response.headers.emplace_back("Content-Type", guess_content_type(*path));
  response.headers.emplace_back("Content-Length", std::to_string(body.size()));
  response.body = std::move(body);
  response.final_url = std::string(url);
  return response;
}

}  // namespace otklik
