#include "sources/generic/paging.hpp"

#include <catch2/catch.hpp>

using namespace otklik;

TEST_CASE("query parameters are set, replaced and read", "[sources][paging]") {
  struct Case {
    const char* url;
    const char* key;
    const char* value;
    const char* expected;
  };
  const Case cases[] = {
      {"https://a.example/r?limit=50", "offset", "50", "https://a.example/r?limit=50&offset=50"},
      {"https://a.example/r?offset=0&limit=50", "offset", "100", "https://a.example/r?offset=100&limit=50"},
      {"https://a.example/r", "before", "123", "https://a.example/r?before=123"},
      {"https://a.example/r?q=a%20b", "after", "t3_x", "https://a.example/r?q=a%20b&after=t3_x"},
      {"https://a.example/r?q=a b", "after", "t3_x", "https://a.example/r?q=a b"},  // not a URL: kept
      {"https://a.example/r?x=1", "q", "кафе & бар", "https://a.example/r?x=1&q=%D0%BA%D0%B0%D1%84%D0%B5%20%26%20%D0%B1%D0%B0%D1%80"},
      {"http://[bad", "offset", "1", "http://[bad"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.url);
    CHECK(with_query_param(c.url, c.key, c.value) == c.expected);
  }
  CHECK(query_param("https://a.example/r?offset=50&limit=20", "limit") == std::optional<std::string>("20"));
  CHECK(query_param("https://a.example/r?q=%D0%BA%D0%B0%D1%84%D0%B5", "q") == std::optional<std::string>("кафе"));
  CHECK_FALSE(query_param("https://a.example/r?offset=50", "limit"));
  CHECK_FALSE(query_param("http://[bad", "limit"));
  CHECK(without_query_param("https://a.example/r?key=S&offset=5", "key") == "https://a.example/r?offset=5");
  CHECK(without_query_param("https://a.example/r?key=S", "key") == "https://a.example/r");
  CHECK(without_query_param("https://a.example/r?x=1", "key") == "https://a.example/r?x=1");
  CHECK(percent_encode_segment("кафе/бар") == "%D0%BA%D0%B0%D1%84%D0%B5%2F%D0%B1%D0%B0%D1%80");
  CHECK(percent_encode_segment("rocket_bank-1.0~") == "rocket_bank-1.0~");
  CHECK(encoded_query_pair("key", "a b&c") == "key=a%20b%26c");
  CHECK(encoded_query_pair("access_token", "vk1.a.XYZ") == "access_token=vk1.a.XYZ");
}
