#include "daemon/net/file_fetch.hpp"

#include "tests/support/catch_result.hpp"
#include "tests/unit/net/net_test_support.hpp"

#include <fstream>

using namespace otklik;
using namespace otklik::test;

namespace {
void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}
}  // namespace

TEST_CASE("guess_content_type by extension", "[net][file]") {
  struct Case {
    std::string path, type;
  };
  const Case cases[] = {
      {"/a/feed.xml", "application/xml"},     {"/a/feed.RSS", "application/rss+xml"},
      {"/a/f.atom", "application/atom+xml"},  {"/a/x.json", "application/json"},
      {"/a/index.html", "text/html"},         {"page.htm", "text/html"},
      {"/a/notes.txt", "text/plain"},         {"/a/blob", "application/octet-stream"},
      {"/a.dir/blob", "application/octet-stream"}, {"/a/x.weird", "application/octet-stream"},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    CHECK(guess_content_type(c.path) == c.type);
  }
}

TEST_CASE("fetch_file reads a file as a 200 response", "[net][file]") {
  TempDir dir;
  write_file(dir.path() / "my feed.xml", "<rss/>");
  const auto url = "file://" + (dir.path() / "my%20feed.xml").string();
  auto response = fetch_file(url, 100);
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->body == "<rss/>");
  CHECK(response->header("content-type") == "application/xml");
  CHECK(response->final_url == url);
}

TEST_CASE("fetch_file failures", "[net][file]") {
  TempDir dir;
  write_file(dir.path() / "big.txt", std::string(101, 'x'));
  write_file(dir.path() / "exact.txt", std::string(100, 'x'));
  const auto base = "file://" + dir.path().string();
  CHECK(fetch_file(base + "/exact.txt", 100).value().body.size() == 100);
  auto big = fetch_file(base + "/big.txt", 100);
  REQUIRE_FALSE(big);
  CHECK(big.error().code == make_error_code(errc::too_large));
  auto missing = fetch_file(base + "/missing.txt", 100);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == make_error_code(errc::io_error));
  auto folder = fetch_file(base, 100);
  REQUIRE_FALSE(folder);
  CHECK(folder.error().code == make_error_code(errc::io_error));
}
