#include "daemon/mail/mime.hpp"
#include "tests/support/catch_result.hpp"

using otklik::mail::dot_stuff;

TEST_CASE("dot_stuff normalises line ends and doubles leading dots", "[mail]") {
  struct Case {
    std::string in;
    std::string out;
  };
  const std::vector<Case> cases{
      {"", ""},
      {"a", "a\r\n"},
      {"a\r\n", "a\r\n"},
      {".", "..\r\n"},
      {".\r\n", "..\r\n"},
      {"\r\n.\r\n", "\r\n..\r\n"},
      {"\n.\n", "\r\n..\r\n"},
      {"\r.\r", "\r\n..\r\n"},
      {"a\nb", "a\r\nb\r\n"},
      {"a\rb", "a\r\nb\r\n"},
      {"a\r\rb", "a\r\n\r\nb\r\n"},
      {"a\n\rb", "a\r\n\r\nb\r\n"},
      {"..twice", "...twice\r\n"},
      {"x.y\n.z", "x.y\r\n..z\r\n"},
      {"end\r\n.\r\nMAIL FROM:<x@y>\r\n", "end\r\n..\r\nMAIL FROM:<x@y>\r\n"},
      {" .space first", " .space first\r\n"},
      {std::string("a\0b", 3), "ab\r\n"},
      {std::string("\0.x", 3), "..x\r\n"},
      {std::string("\r\n\0.\r\n", 6), "\r\n..\r\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(dot_stuff(c.in) == c.out);
  }
}

TEST_CASE("no dot-stuffed text contains the end-of-data sequence", "[mail]") {
  const std::vector<std::string> inputs{".", "\n.\n", "\r.\r", "a\r\n.\r\nb", "\r\n.", std::string("\n\0.\n", 4)};
  for (const auto& in : inputs) {
    CAPTURE(in);
    const std::string out = "\r\n" + dot_stuff(in);  // as sent after the DATA reply
    CHECK(out.find("\r\n.\r\n") == std::string::npos);
  }
}
