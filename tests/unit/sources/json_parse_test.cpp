#include "sources/generic/dates.hpp"
#include "sources/generic/json_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

Result<ParsedPage> parse(std::string_view body, const ItemMapping& mapping) {
  ParseInput in;
  in.body = body;
  in.base_url = "https://shop.example/api/reviews?page=1";
  in.source = "shop";
  in.brand = "shoes";
  return parse_json(in, mapping);
}

ItemMapping nested_mapping() {
  ItemMapping m;
  m.items = "/data/reviews";
  m.fields.id = "/id";
  m.fields.text = "/body/text";
  m.fields.title = "/title";
  m.fields.author = "/user/name";
  m.fields.author_id = "/user/profile";
  m.fields.rating = "/rating";
  m.fields.date = "/created_at";
  m.fields.url = "/link";
  return m;
}

}  // namespace

TEST_CASE("JSON with nested pointers and mixed value types", "[json]") {
  auto page = parse(read_fixture("json/reviews_nested.json"), nested_mapping());
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 4);

  const Mention& a = page->mentions[0];
  CHECK(a.external_id == "9001");
  CHECK(a.title == "Wrong size");
  CHECK(a.text == "The shoes came in the wrong size and nobody answers.");
  CHECK(a.author == "Kate");
  CHECK(a.author_id == "/users/kate");
  CHECK(a.rating == 1.0);
  CHECK(a.published == make_utc(2024, 2, 1, 12, 0, 0));
  CHECK(a.url == "https://shop.example/r/9001");
  CHECK(a.brand == "shoes");

  const Mention& b = page->mentions[1];
  CHECK(b.external_id == "a-17");
  CHECK(b.rating == 4.5);
  CHECK(b.text == "Fast delivery.\nGood quality.");
  CHECK(b.published == make_utc(2024, 2, 2, 12, 0, 0));

  const Mention& c = page->mentions[2];
  CHECK(c.rating == 5.0);  // 8 on a 5-point scale is clamped
  CHECK(c.published == make_utc(2024, 2, 2, 12, 0, 0));  // milliseconds

  const Mention& d = page->mentions[3];
  CHECK(d.external_id.starts_with("h:"));
  CHECK_FALSE(d.rating.has_value());
  CHECK_FALSE(d.published.has_value());

  // 9004 skipped (no text), the last one: unparsable rating and date.
  REQUIRE(page->warnings.size() == 3);
  CHECK(page->warnings[0].find("9004") != std::string::npos);
  CHECK(page->warnings[1].find("rating") != std::string::npos);
  CHECK(page->warnings[2].find("date") != std::string::npos);
}

TEST_CASE("JSON root array with a rating scale", "[json]") {
  ItemMapping m;
  m.fields.id = "/id";
  m.fields.text = "/text";
  m.fields.rating = "/score";
  m.rating_scale = 10;
  auto page = parse(read_fixture("json/reviews_root_array.json"), m);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].rating == Approx(1.5));
  CHECK(page->mentions[1].rating == Approx(5.0));
}

TEST_CASE("JSON items pointer: missing, object, scalar", "[json]") {
  ItemMapping m;
  m.fields.text = "/t";
  SECTION("a pointer that matches nothing is an empty page") {
    m.items = "/no/such";
    auto page = parse(R"~({"a": 1})~", m);
    REQUIRE(page);
    CHECK(page->mentions.empty());
  }
  SECTION("an object maps each member value") {
    m.items = "/byid";
    auto page = parse(R"~({"byid": {"x": {"t": "one"}, "y": {"t": "two"}}})~", m);
    REQUIRE(page);
    CHECK(page->mentions.size() == 2);
  }
  SECTION("a scalar gives a warning and no items") {
    m.items = "/n";
    auto page = parse(R"~({"n": 5})~", m);
    REQUIRE(page);
    CHECK(page->mentions.empty());
    CHECK(page->warnings.size() == 1);
  }
}

TEST_CASE("malformed JSON is parse_failed with its position", "[json]") {
  ItemMapping m;
  m.items = "/data";
  m.fields.text = "/text";
  auto page = parse(read_fixture("json/malformed.json"), m);
  REQUIRE_FALSE(page);
  CHECK(page.error().code == errc::parse_failed);
  INFO(page.error().detail);
  CHECK(page.error().detail.find("line 5, column 3") != std::string::npos);

  auto truncated = parse(R"~([{"text": "abc")~", m);
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().detail.find("byte 15") != std::string::npos);
}

TEST_CASE("hostile JSON strings: NUL escapes and invalid UTF-8", "[json][security]") {
  ItemMapping m;
  m.fields.text = "/text";
  m.fields.author = "/author";
  const std::string body = "[{\"text\": \"nul \\u0000 here \xFF\xFE end\", \"author\": \"a\\nb\"}]";
  auto page = parse(body, m);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].text.find('\0') == std::string::npos);
  CHECK(page->mentions[0].text.find('\xFF') == std::string::npos);
  CHECK(page->mentions[0].text.find("end") != std::string::npos);
  CHECK(page->mentions[0].author == "a b");
}

TEST_CASE("JSON pointer syntax check", "[json]") {
  CHECK_FALSE(json_pointer_error("").has_value());
  CHECK_FALSE(json_pointer_error("/a/0/b~1c").has_value());
  CHECK(json_pointer_error("a/b").has_value());
  CHECK(json_pointer_error("/a~2").has_value());
}
