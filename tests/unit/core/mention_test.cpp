#include "daemon/core/mention.hpp"
#include "daemon/core/mention_text.hpp"

#include <catch2/catch.hpp>

using namespace otklik;

TEST_CASE("content hash ids are stable and separate fields", "[mention]") {
  Mention a;
  a.url = "https://example.org/r/1";
  a.author = "Иван";
  a.text = "Очередь на час";
  Mention b = a;
  CHECK(content_hash_id(a) == content_hash_id(b));
  CHECK(content_hash_id(a).size() == 2 + 32);
  CHECK(content_hash_id(a).starts_with("h:"));
  b.text += "!";
  CHECK(content_hash_id(a) != content_hash_id(b));

  Mention c, d;
  c.author = "ab";
  c.title = "c";
  d.author = "a";
  d.title = "bc";
  CHECK(content_hash_id(c) != content_hash_id(d));
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // In parts: the digest of the parts one after another.
  CHECK(sha256_hex({"a", "", "bc"}) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex({}) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("drop_nul_bytes removes NUL bytes from every text field and counts them", "[core][mention]") {
  Mention m;
  m.external_id = std::string("id\0 7", 5);
  m.title = std::string("\0Title\0", 7);
  m.text = std::string("bad\0 service", 12);
  m.author = "Anna";
  m.company_reply = std::string("\0", 1);
  CHECK(drop_nul_bytes(m) == 5);
  CHECK(m.external_id == "id 7");
  CHECK(m.title == "Title");
  CHECK(m.text == "bad service");
  CHECK(m.author == "Anna");
  CHECK(m.company_reply.empty());
  CHECK(drop_nul_bytes(m) == 0);
}
