#include "sources/app_store/app_store_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <cstdlib>

namespace otklik {
namespace {

namespace json = boost::json;

/// o[key].label as text; "" when absent or not a string.
std::string label(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  const auto* obj = v ? v->if_object() : nullptr;
  const auto* l = obj ? obj->if_contains("label") : nullptr;
  return l && l->is_string() ? std::string(l->get_string()) : std::string();
}

}  // namespace

Result<ParsedPage> parse_app_store_reviews(const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = json::parse(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  const auto* feed = o ? o->if_contains("feed") : nullptr;
  if (feed == nullptr || !feed->is_object())
    return Failure(errc::parse_failed, input.base_url + ": not an App Store reviews feed (no \"feed\" object)");
  ParsedPage page;
  const auto* entry = feed->as_object().if_contains("entry");
  if (entry == nullptr) return page;  // no reviews (yet, or past the last page)
  json::array single;
  const json::array* entries = entry->if_array();
  if (entries == nullptr) {
    if (!entry->is_object()) return Failure(errc::parse_failed, input.base_url + ": feed.entry is neither an array nor an object");
    single.push_back(*entry);
    entries = &single;
  }
  std::size_t index = 0;
  for (const auto& e : *entries) {
    ++index;
    const auto* r = e.if_object();
    if (r == nullptr) continue;
    const std::string stars = label(*r, "im:rating");
    if (stars.empty()) continue;  // the app's own entry, not a review
    Mention m = mention_of(input);
    m.external_id = one_line(label(*r, "id"));
    m.text = clean_text(label(*r, "content"));
    const std::string title = one_line(label(*r, "title"));
    const std::string version = one_line(label(*r, "im:version"));
    m.title = version.empty() ? title : version + " \u00B7 " + title;
    if (const auto* a = r->if_contains("author"); a && a->is_object()) {
      m.author = one_line(label(a->as_object(), "name"));
      m.author_id = one_line(label(a->as_object(), "uri"));
    }
    if (const auto* l = r->if_contains("link"); l && l->is_object())
      if (const auto* at = l->as_object().if_contains("attributes"); at && at->is_object())
        if (const auto* href = at->as_object().if_contains("href"); href && href->is_string())
          m.url = one_line(href->get_string());
    const std::string label_id = m.external_id.empty() ? "item #" + std::to_string(index) : "item " + m.external_id;
    if (auto v = parse_number(stars)) m.rating = normalise_rating(*v, 5);
    else page.warnings.push_back(label_id + ": unparsable rating " + stars);
    m.published = parse_date_auto(label(*r, "updated"));
    if (m.text.empty() && m.title.empty()) {
      page.warnings.push_back(label_id + ": skipped, no title or text");
      continue;
    }
    if (m.text.empty()) m.text = title;
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::string app_store_url(std::string_view country, std::string_view app_id) {
  std::string c(country);
  for (char& ch : c) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return "https://itunes.apple.com/" + c + "/rss/customerreviews/page=1/id=" + std::string(app_id) +
         "/sortby=mostrecent/json";
}

std::optional<std::string> next_app_store_page(std::string_view url, std::string_view body, const ParsedPage&) {
  constexpr std::size_t kPageSize = 50;
  constexpr int kLastPage = 10;
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  const auto* o = ec ? nullptr : root.if_object();
  const auto* feed = o ? o->if_contains("feed") : nullptr;
  const auto* entry = feed && feed->is_object() ? feed->as_object().if_contains("entry") : nullptr;
  if (entry == nullptr || !entry->is_array() || entry->as_array().size() < kPageSize) return std::nullopt;
  const auto at = url.find("/page=");
  if (at == std::string_view::npos) return std::nullopt;
  const auto digits = at + 6;
  auto end = digits;
  while (end < url.size() && url[end] >= '0' && url[end] <= '9') ++end;
  if (end == digits) return std::nullopt;
  const int page = std::atoi(std::string(url.substr(digits, end - digits)).c_str());
  if (page >= kLastPage) return std::nullopt;
  return std::string(url.substr(0, digits)) + std::to_string(page + 1) + std::string(url.substr(end));
}

}  // namespace otklik
