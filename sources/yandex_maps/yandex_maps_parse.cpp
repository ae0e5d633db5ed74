#include "sources/yandex_maps/yandex_maps_parse.hpp"

#include "sources/generic/html_parse.hpp"
#include "sources/generic/xml_util.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <chrono>

namespace otklik {
namespace {

/// The public id at the end of a profile URL ".../maps/user/PUBLIC_ID[/]"; "" when it is not one.
std::string_view public_id(std::string_view profile_url) {
  const auto at = profile_url.find("/user/");
  if (at == std::string_view::npos) return {};
  std::string_view id = profile_url.substr(at + 6);
  id = id.substr(0, id.find_first_of("/?#"));
  return id;
}

}  // namespace

Result<ParsedPage> parse_yandex_maps(const ParseInput& input) {
  ItemMapping mapping;
  const std::string link = ".//a[" + xpath_has_class("business-review-view__link") + "]/@href";
  mapping.items = "//*[" + xpath_has_class("business-review-view") + " and @itemprop='review']";
  mapping.fields.text = ".//*[@itemprop='reviewBody']";
  mapping.fields.author = ".//*[@itemprop='author']//*[@itemprop='name']";
  mapping.fields.author_id = link;
  // The microdata value first; the stars' aria-label ("Оценка 4 Из 5") when it is missing.
  mapping.fields.rating = "(.//*[@itemprop='reviewRating']//*[@itemprop='ratingValue']/@content | .//*[" +
                          xpath_has_class("business-rating-badge-view__stars") + "]/@aria-label)[last()]";
  mapping.fields.date = ".//meta[@itemprop='datePublished']/@content";
  mapping.fields.reply = ".//*[" + xpath_has_class("business-review-comment-content__bubble") + "]";
  auto page = parse_html(input, mapping);
  if (!page) return page;
  if (page->mentions.empty() && page->warnings.empty() &&
      input.body.find("business-reviews-card-view") == std::string_view::npos &&
      input.body.find("orgpage-header-view") == std::string_view::npos)
    return Failure(errc::parse_failed,
                   input.base_url + ": not a Yandex Maps organisation page (no review cards, no organisation header)");
  for (Mention& m : page->mentions) {
    m.url = input.base_url;
    const std::string_view id = public_id(m.author_id);
    if (!id.empty() && m.published) {
      const auto secs = std::chrono::duration_cast<std::chrono::seconds>(m.published->time_since_epoch()).count();
      m.external_id = std::string(id) + "@" + std::to_string(secs);
    }
  }
  return page;
}

std::string yandex_maps_url(std::string_view org_id) {
  return "https://yandex.ru/maps/org/" + boost::urls::encode(org_id, boost::urls::unreserved_chars) + "/reviews/";
}

}  // namespace otklik
