#include "sources/otzovik/otzovik_parse.hpp"

#include "sources/generic/html_parse.hpp"
#include "sources/generic/url_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace otklik {
namespace {

/// "ID" of ".../review_ID.html"; "" when the link is not a review's.
std::string review_id(std::string_view url) {
  const auto at = url.rfind("/review_");
  if (at == std::string_view::npos) return {};
  std::string_view rest = url.substr(at + 8);
  const auto end = rest.find(".html");
  if (end == std::string_view::npos || end == 0) return {};
  rest = rest.substr(0, end);
  for (char c : rest)
    if (c < '0' || c > '9') return {};
  return std::string(rest);
}

}  // namespace

Result<ParsedPage> parse_otzovik(const ParseInput& input) {
  ItemMapping mapping;
  mapping.items = "//*[" + xpath_has_class("item") + " and @itemprop='review']";
  mapping.fields.text = ".//*[" + xpath_has_class("review-teaser") + "]";
  mapping.fields.title = ".//*[" + xpath_has_class("review-title") + "]";
  mapping.fields.url = "(.//a[" + xpath_has_class("review-title") + "]/@href | .//a[" + xpath_has_class("review-read-link") +
                       "]/@href)";
  mapping.fields.author = ".//*[" + xpath_has_class("user-login") + "]";
  mapping.fields.author_id = ".//a[" + xpath_has_class("user-login") + "]/@href";
  mapping.fields.rating =
      "(.//*[" + xpath_has_class("rating-score") + "] | .//*[@itemprop='reviewRating']//*[@itemprop='ratingValue']/@content)";
  // The machine time in @content; the shown date ("2 ноября 2026") when the card has none.
  const std::string postdate = ".//*[" + xpath_has_class("review-postdate") + "]";
  mapping.fields.date = "(" + postdate + "/@content | " + postdate + "[not(@content)])";
  auto page = parse_html(input, mapping);
  if (!page) return page;
  if (page->mentions.empty() && page->warnings.empty() && input.body.find("otzovik") == std::string_view::npos)
    return Failure(errc::parse_failed, input.base_url + ": not an otzovik.com reviews page (no review cards)");
  for (Mention& m : page->mentions) {
    if (!m.author_id.empty()) m.author_id = resolve_url(input.base_url, m.author_id);
    if (const std::string id = review_id(m.url); !id.empty()) m.external_id = id;
  }
  return page;
}

std::optional<std::string> next_otzovik_page(std::string_view url, std::string_view body, const ParsedPage&) {
  const auto href =
      first_html_match(body, "//a[" + xpath_has_class("pager-item") + " and " + xpath_has_class("next") + "]/@href");
  if (!href) return std::nullopt;
  std::string next = resolve_url(url, *href);
  if (next.empty() || next == url) return std::nullopt;
  return next;
}

std::string otzovik_url(std::string_view slug) {
  return "https://otzovik.com/reviews/" + boost::urls::encode(slug, boost::urls::unreserved_chars) + "/";
}

}  // namespace otklik
