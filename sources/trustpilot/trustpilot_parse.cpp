#include "sources/trustpilot/trustpilot_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>

#include <algorithm>
#include <cctype>

namespace otklik {
namespace {

namespace json = boost::json;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// The text of the <script id="__NEXT_DATA__"> element; nullopt when the page has none. Next.js
/// escapes "<" inside the JSON, so the first "</script" ends it.
std::optional<std::string_view> next_data(std::string_view html) {
  const std::string low = lower(html);
  for (std::size_t at = low.find("<script"); at != std::string::npos; at = low.find("<script", at + 7)) {
    const auto tag_end = low.find('>', at);
    if (tag_end == std::string::npos) return std::nullopt;
    const std::string_view tag = std::string_view(low).substr(at, tag_end - at);
    if (tag.find("id=\"__next_data__\"") == std::string_view::npos && tag.find("id='__next_data__'") == std::string_view::npos &&
        tag.find("id=__next_data__") == std::string_view::npos)
      continue;
    const auto close = low.find("</script", tag_end);
    if (close == std::string::npos) return std::nullopt;
    return html.substr(tag_end + 1, close - tag_end - 1);
  }
  return std::nullopt;
}

/// pageProps of the page's __NEXT_DATA__, or why there is none.
Result<json::value> page_props(std::string_view body, const std::string& base_url) {
  const auto data = next_data(body);
  if (!data)
    return Failure(errc::parse_failed,
                   base_url + ": not a Trustpilot review page (no __NEXT_DATA__ script; a block page or a new layout)");
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // user text: a stray byte must not lose the page
  boost::system::error_code ec;
  json::value root = json::parse(*data, ec, {}, options);
  if (ec) return Failure(errc::parse_failed, base_url + ": __NEXT_DATA__ is not JSON: " + ec.message());
  const auto* props = object_of(root.if_object(), "props");
  const auto* page_props = object_of(props, "pageProps");
  if (page_props == nullptr) return Failure(errc::parse_failed, base_url + ": __NEXT_DATA__ has no props.pageProps");
  return json::value(*page_props);
}

/// "https://HOST" of the page (www.trustpilot.com when the URL does not say).
std::string origin_of(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->host().empty()) return "https://www.trustpilot.com";
  return "https://" + std::string(parsed->encoded_host());
}

}  // namespace

Result<ParsedPage> parse_trustpilot(const ParseInput& input) {
  auto props_value = page_props(input.body, input.base_url);
  if (!props_value) return props_value.error();
  const auto& props = props_value->get_object();
  const auto* reviews_value = props.if_contains("reviews");
  if (reviews_value == nullptr || !reviews_value->is_array())
    return Failure(errc::parse_failed, input.base_url + ": __NEXT_DATA__ pageProps has no \"reviews\" array (not a company's review page)");

  const std::string origin = origin_of(input.base_url);
  ParsedPage page;
  std::size_t index = 0;
  for (const auto& item : reviews_value->get_array()) {
    ++index;
    const auto* r = item.if_object();
    Mention m = mention_of(input);
    m.external_id = one_line(text_of(r, "id"));
    const std::string label = m.external_id.empty() ? "review #" + std::to_string(index) : "review " + m.external_id;
    if (r == nullptr) {
      page.warnings.push_back(label + ": skipped, not an object");
      continue;
    }
    if (!m.external_id.empty()) m.url = origin + "/reviews/" + m.external_id;
    else m.url = input.base_url;
    const auto* consumer = object_of(r, "consumer");
    m.author = one_line(text_of(consumer, "displayName"));
    if (const std::string cid = one_line(text_of(consumer, "id")); !cid.empty()) m.author_id = origin + "/users/" + cid;
    m.title = one_line(clean_text(text_of(r, "title")));
    m.text = clean_text(text_of(r, "text"));
    if (const auto stars = number_of(r, "rating")) {
      if (*stars >= 1 && *stars <= 5) m.rating = normalise_rating(*stars, 5);
      else page.warnings.push_back(label + ": rating out of 1..5, left empty");
    }
    const auto* dates = object_of(r, "dates");
    m.published = parse_iso8601_date(text_of(dates, "publishedDate"));
    m.company_reply = clean_text(text_of(object_of(r, "reply"), "message"));
    keep_with_text(page, std::move(m), label + ": skipped, no text");
  }
  return page;
}

std::optional<std::string> next_trustpilot_page(std::string_view url, std::string_view body, const ParsedPage&) {
  auto props = page_props(body, std::string(url));
  if (!props) return std::nullopt;
  const auto* pagination = object_of(object_of(props->if_object(), "filters"), "pagination");
  const auto current = number_of(pagination, "currentPage");
  const auto total = number_of(pagination, "totalPages");
  if (!current || !total || *current < 1 || *current >= *total) return std::nullopt;
  return with_query_param(url, "page", std::to_string(static_cast<long long>(*current) + 1));
}

std::string trustpilot_url(std::string_view domain, std::string_view languages) {
  boost::urls::url u("https://www.trustpilot.com/review");
  u.segments().push_back(domain);
  auto params = u.params();
  params.append({"languages", languages.empty() ? std::string_view("all") : languages});
  params.append({"sort", "recency"});
  return std::string(u.buffer());
}

}  // namespace otklik
