// Session and CSRF tokens: random, cookie-safe, stored by hash, compared in constant time.

#include "daemon/web/session_token.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace otklik::web;

TEST_CASE("tokens are 43 base64url characters and do not repeat", "[web][token]") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string t = random_token();
    CHECK(t.size() == 43);
    CHECK(plausible_token(t));
    CHECK(seen.insert(t).second);
  }
}

TEST_CASE("the stored key is the hex BLAKE2b-256 of the token", "[web][token]") {
  // crypto_generichash (BLAKE2b, 32 bytes, no key) of "abc", as computed by b2sum -l 256.
  CHECK(token_key("abc") == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  const std::string t = random_token();
  CHECK(token_key(t) == token_key(t));
  CHECK(token_key(t).size() == 64);
  CHECK(token_key(t) != token_key(random_token()));
  CHECK(token_key(t).find(t) == std::string::npos);
}

TEST_CASE("plausible tokens", "[web][token]") {
  struct Case {
    std::string text;
    bool plausible;
  };
  const Case cases[] = {
      {std::string(43, 'A'), true},
      {"abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE", true},
      {std::string(42, 'A'), false},
      {std::string(44, 'A'), false},
      {std::string(42, 'A') + "=", false},
      {std::string(42, 'A') + "+", false},
      {std::string(42, 'A') + "/", false},
      {std::string(42, 'A') + ";", false},
      {"", false},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(plausible_token(c.text) == c.plausible);
  }
}

TEST_CASE("token comparison", "[web][token]") {
  struct Case {
    std::string_view a, b;
    bool equal;
  };
  const Case cases[] = {
      {"abc", "abc", true}, {"abc", "abd", false}, {"abc", "ab", false},
      {"", "", true},       {"", "a", false},      {"Abc", "abc", false},
  };
  for (const auto& c : cases) {
    INFO(c.a << " / " << c.b);
    CHECK(tokens_equal(c.a, c.b) == c.equal);
  }
}
