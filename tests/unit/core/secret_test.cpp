#include "daemon/core/secret.hpp"

#include "tests/support/catch_result.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace otklik;
namespace fs = std::filesystem;

TEST_CASE("secrets resolve from env and file and never print their value", "[config][secret]") {
  ::setenv("OTKLIK_TEST_SECRET", "s3cr3t", 1);
  auto env = resolve_secret("env:OTKLIK_TEST_SECRET", ".");
  REQUIRE(env);
  CHECK(env->value() == "s3cr3t");
  CHECK(env->describe() == "env:OTKLIK_TEST_SECRET");
  CHECK_FALSE(env->literal());

  auto missing = resolve_secret("env:OTKLIK_TEST_SECRET_UNSET_XYZ", ".");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().detail.find("OTKLIK_TEST_SECRET_UNSET_XYZ") != std::string::npos);

  fs::path dir = fs::temp_directory_path() / "otklik-secret-test";
  fs::create_directories(dir);
  {
    std::ofstream(dir / "token") << "123:ABC\r\n";
  }
  auto file = resolve_secret("file:token", dir);
  REQUIRE(file);
  CHECK(file->value() == "123:ABC");

  ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
  auto cred = resolve_secret("file:token", "/nonexistent");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  REQUIRE(cred);
  CHECK(cred->value() == "123:ABC");

  auto literal = resolve_secret("plain-value", ".");
  REQUIRE(literal);
  CHECK(literal->literal());
  CHECK(literal->describe() == "***");
  CHECK_FALSE(resolve_secret("file:does-not-exist", dir));
  fs::remove_all(dir);
}
