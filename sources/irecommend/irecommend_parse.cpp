#include "sources/irecommend/irecommend_parse.hpp"

#include "sources/generic/html_parse.hpp"
#include "sources/generic/paging.hpp"
#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <charconv>

namespace otklik {
namespace {

/// The path of an absolute URL without query and fragment ("https://irecommend.ru/content/x?a" →
/// "/content/x"); "" when `url` has no path.
std::string url_path(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto slash = url.find('/', scheme + 3);
  if (slash == std::string_view::npos) return {};
  std::string_view path = url.substr(slash);
  return std::string(path.substr(0, path.find_first_of("?#")));
}

/// True when the page has a pager link to the next page.
bool has_next_link(std::string_view body) {
  return first_html_match(body, "//li[" + xpath_has_class("pager-next") + "]//a[@href] | //a[@rel='next'][@href]")
      .has_value();
}

}  // namespace

Result<ParsedPage> parse_irecommend(const ParseInput& input) {
  ItemMapping mapping;
  const std::string stars = ".//*[" + xpath_has_class("starsRating") + "]";
  const std::string created = ".//*[" + xpath_has_class("created") + "]";
  const std::string date_created = ".//*[" + xpath_has_class("date-created") + "]";
  mapping.items = "//ul[" + xpath_has_class("list-comments") + "]/li";
  mapping.fields.text = ".//*[" + xpath_has_class("reviewTeaserText") + "]";
  mapping.fields.title = ".//*[" + xpath_has_class("reviewTitle") + "]";
  mapping.fields.url =
      "(.//a[" + xpath_has_class("reviewTextSnippet") + "]/@href | .//*[" + xpath_has_class("reviewTitle") + "]//a/@href)";
  mapping.fields.author = ".//*[" + xpath_has_class("authorName") + "]";
  mapping.fields.author_id = ".//*[" + xpath_has_class("authorName") + "]//a/@href";
  // The count of filled stars; "" (no rating) when the item has no stars at all.
  mapping.fields.rating = "substring(count(" + stars + "//*[" + xpath_has_class("on") + "]), 1, 9 * boolean(" + stars + "))";
  // The date alone (the time next to it would run into it as text).
  mapping.fields.date = "(" + date_created + " | " + created + "[not(" + date_created + ")])";
  auto page = parse_html(input, mapping);
  if (!page) return page;
  if (page->mentions.empty() && page->warnings.empty() && input.body.find("irecommend") == std::string_view::npos)
    return Failure(errc::parse_failed, input.base_url + ": not an irecommend.ru reviews page (no review list)");
  for (Mention& m : page->mentions) {
    if (!m.author_id.empty()) m.author_id = resolve_url(input.base_url, m.author_id);
    if (const std::string path = url_path(m.url); !path.empty()) m.external_id = path;
  }
  return page;
}

std::optional<std::string> next_irecommend_page(std::string_view url, std::string_view body, const ParsedPage&) {
  if (!has_next_link(body)) return std::nullopt;
  long n = 0;
  if (const auto raw = query_param(url, "page")) {
    if (std::from_chars(raw->data(), raw->data() + raw->size(), n).ec != std::errc() || n < 0) n = 0;
  }
  return with_query_param(url, "page", std::to_string(n + 1));
}

std::string irecommend_url(std::string_view slug) {
  return "https://irecommend.ru/content/" + boost::urls::encode(slug, boost::urls::unreserved_chars) + "?new=1";
}

}  // namespace otklik
