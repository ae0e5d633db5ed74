#include "sources/generic/dates.hpp"
#include "sources/generic/html_parse.hpp"
#include "sources/generic/xml_util.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

using namespace otklik;
using otklik::test::read_fixture;

namespace {

ItemMapping review_mapping() {
  ItemMapping m;
  m.items = "//article[contains(@class, 'review')]";
  m.fields.id = "@data-id";
  m.fields.text = ".//div[@class='body']";
  m.fields.title = "normalize-space(h3)";
  m.fields.author = ".//span[@class='author']";
  m.fields.rating = "substring-before(.//span[@class='stars']/@title, ' ')";
  m.fields.date = ".//time/@datetime";
  m.fields.url = ".//a[@class='permalink']/@href";
  m.rating_scale = 10;
  return m;
}

Result<ParsedPage> parse(std::string_view body, const ItemMapping& mapping, const std::string& charset = "") {
  ParseInput in;
  in.body = body;
  in.charset = charset;
  in.base_url = "https://food.example/place/7?page=2";
  in.source = "place";
  in.brand = "cafe";
  return parse_html(in, mapping);
}

}  // namespace

TEST_CASE("HTML page mapped with XPath fields and a 10-point rating scale", "[html]") {
  const std::string body = read_fixture("html/reviews_page.html");
  auto page = parse(body, review_mapping());
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 3);

  const Mention& first = page->mentions[0];
  CHECK(first.external_id == "r-101");
  CHECK(first.title == "Долго ждали");
  CHECK(first.author == "Мария К.");
  CHECK(first.text == "Заказ принесли через час.\nСуп был холодный & пересоленный.\nНе вернёмся.");
  REQUIRE(first.rating);
  CHECK(*first.rating == Approx(1.0));
  CHECK(first.published == make_utc(2024, 5, 10, 16, 30, 0));
  CHECK(first.url == "https://food.example/reviews/101");
  CHECK(first.brand == "cafe");
  CHECK(first.source == "place");

  const Mention& second = page->mentions[1];
  CHECK(second.text == "Everything was perfect.");
  REQUIRE(second.rating);
  CHECK(*second.rating == Approx(4.75));  // "9,5" with a decimal comma
  CHECK(second.url == "https://other.example/r/102");
  CHECK(second.published == make_utc(2024, 5, 11));

  const Mention& third = page->mentions[2];
  CHECK(third.external_id.starts_with("h:"));
  CHECK_FALSE(third.rating.has_value());
  CHECK(third.url.empty());

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0].find("r-104") != std::string::npos);
  for (const auto& m : page->mentions) CHECK(m.text.find("alert") == std::string::npos);
}

TEST_CASE("HTML charset from <meta http-equiv> and an explicit date format", "[html][encoding]") {
  const std::string body = read_fixture("html/dated_page_cp1251.html");
  ItemMapping m;
  m.items = "//ul[@id='list']/li";
  m.fields.author = "b";
  m.fields.text = "p";
  m.fields.date = "i";
  m.date_format = "%d.%m.%Y %H:%M";
  auto page = parse(body, m);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 1);
  CHECK(page->mentions[0].author == "Иван");
  CHECK(page->mentions[0].text == "Текст отзыва");
  CHECK(page->mentions[0].published == make_utc(2024, 6, 5, 14, 20, 0));
}

TEST_CASE("an item XPath that matches nothing is a successful empty page", "[html]") {
  ItemMapping m = review_mapping();
  m.items = "//section[@class='gone']";
  auto page = parse(read_fixture("html/reviews_page.html"), m);
  REQUIRE(page);
  CHECK(page->mentions.empty());
  CHECK(page->warnings.empty());
}

TEST_CASE("an XPath that does not compile is invalid_input", "[html]") {
  ItemMapping m = review_mapping();
  m.fields.text = "//div[@class=";
  auto page = parse("<html><body><article class='review'>x</article></body></html>", m);
  REQUIRE_FALSE(page);
  CHECK(page.error().code == errc::invalid_input);
  CHECK(xpath_error("//div[@class=").has_value());
  CHECK_FALSE(xpath_error("normalize-space(.//p)").has_value());
}

TEST_CASE("hostile HTML: NUL bytes, invalid UTF-8, unclosed tags", "[html][security]") {
  std::string body = "<html><body><div class='r'><p>bad \xC3\x28 bytes \xFF and a NUL ";
  body += '\0';
  body += " here<div class='r'><p>second <b>unclosed";
  ItemMapping m;
  m.items = "//div[@class='r']";
  m.fields.text = "p";
  auto page = parse(body, m);
  REQUIRE(page);
  REQUIRE_FALSE(page->mentions.empty());
  for (const auto& mention : page->mentions) {
    CHECK(mention.text.find('\0') == std::string::npos);
    CHECK(mention.text.find('\xFF') == std::string::npos);
  }
}

TEST_CASE("xpath_has_class and first_html_match find a pager link", "[html]") {
  const std::string page =
      R"(<html><body><ul><li class="pager-item">1</li><li class="pager-next  big"><a href="/p/2">›</a></li></ul>
         <a class="pager-nextish" href="/wrong">x</a></body></html>)";
  CHECK(first_html_match(page, "//li[" + xpath_has_class("pager-next") + "]/a/@href") == "/p/2");
  CHECK(first_html_match(page, "//a[" + xpath_has_class("pager-next") + "]/@href") == std::nullopt);  // not a prefix
  CHECK(first_html_match(page, "//li[" + xpath_has_class("big") + "]") == "›");
  CHECK(first_html_match(page, "//*[") == std::nullopt);  // an expression that does not compile
  CHECK(first_html_match("", "//a") == std::nullopt);
}
