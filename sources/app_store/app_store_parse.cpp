#include "sources/app_store/app_store_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/xml_util.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <cstdlib>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kItunesNs = "http://itunes.apple.com/rss";
constexpr std::size_t kPageSize = 50;
constexpr int kLastPage = 10;

/// True when the body is XML (the /xml form) rather than JSON: its first character is '<'.
bool is_xml(std::string_view body) {
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '<';
}

std::string review_label(const Mention& m, std::size_t index) {
  return m.external_id.empty() ? "item #" + std::to_string(index) : "item " + m.external_id;
}

/// The title with the app version in front: "5.12.0 · Не входит после обновления".
std::string versioned_title(const std::string& title, const std::string& version) {
  return version.empty() ? title : version + " \u00B7 " + title;
}

/// Adds a review that has a title or text; the title stands in for a missing text.
void keep_review(Mention&& m, const std::string& title, std::size_t index, ParsedPage& page) {
  if (m.text.empty() && m.title.empty()) {
    page.warnings.push_back(review_label(m, index) + ": skipped, no title or text");
    return;
  }
  if (m.text.empty()) m.text = title;
  assign_missing_id(m);
  page.mentions.push_back(std::move(m));
}

/// o[key].label as text; "" when absent or not a string.
std::string label(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  const auto* obj = v ? v->if_object() : nullptr;
  const auto* l = obj ? obj->if_contains("label") : nullptr;
  return l && l->is_string() ? std::string(l->get_string()) : std::string();
}

/// The Atom (/xml) form: entries with id, title, content type="text" (and an HTML rendering,
/// type="html"), im:rating, im:version, author name/uri, updated.
Result<ParsedPage> parse_xml_reviews(const ParseInput& input) {
  auto read = read_xml(input.body, input.charset);
  if (!read) return Failure(errc::parse_failed, input.base_url + ": " + read.error().detail);
  const xmlNode* root = xmlDocGetRootElement(read->doc.get());
  if (local_name(root) != "feed" || ns_uri(root) != kAtomNs)
    return Failure(errc::parse_failed, input.base_url + ": not an App Store reviews feed (the root element is <" +
                                           std::string(local_name(root)) + ">)");
  ParsedPage page;
  if (auto notice = repaired_bytes_notice(*read)) page.notices.push_back(std::move(*notice));
  std::size_t index = 0;
  for (const xmlNode* e = root->children; e != nullptr; e = e->next) {
    if (e->type != XML_ELEMENT_NODE || local_name(e) != "entry" || ns_uri(e) != kAtomNs) continue;
    ++index;
    const std::string stars = one_line(node_text(child_element(e, "rating", kItunesNs)));
    if (stars.empty()) continue;  // the app's own entry, not a review
    Mention m = mention_of(input);
    m.external_id = one_line(node_text(child_element(e, "id", kAtomNs)));
    const xmlNode* plain = nullptr;
    const xmlNode* html = nullptr;
    for (const xmlNode* c = e->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || local_name(c) != "content" || ns_uri(c) != kAtomNs) continue;
      const std::string type = attribute(c, "type");
      if (type == "html" && html == nullptr) html = c;
      else if (type != "html" && plain == nullptr) plain = c;
    }
    if (plain != nullptr) m.text = collapse_whitespace(printable_utf8(node_text(plain)));
    else if (html != nullptr) m.text = clean_text(node_text(html));
    const std::string title = one_line(node_text(child_element(e, "title", kAtomNs)));
    m.title = versioned_title(title, one_line(node_text(child_element(e, "version", kItunesNs))));
    if (const xmlNode* a = child_element(e, "author", kAtomNs)) {
      m.author = one_line(node_text(child_element(a, "name", kAtomNs)));
      m.author_id = one_line(node_text(child_element(a, "uri", kAtomNs)));
    }
    if (const xmlNode* link = child_element(e, "link", kAtomNs)) m.url = one_line(attribute(link, "href"));
    if (auto v = parse_number(stars)) m.rating = normalise_rating(*v, 5);
    else page.warnings.push_back(review_label(m, index) + ": unparsable rating " + stars);
    const std::string updated = one_line(node_text(child_element(e, "updated", kAtomNs)));
    m.published = parse_date_auto(updated);
    if (!m.published && !updated.empty())
      page.warnings.push_back(review_label(m, index) + ": unparsable date \"" + updated + "\"");
    keep_review(std::move(m), title, index, page);
  }
  return page;
}

/// The JSON form: the same feed with every value as {"label": …}. Apple's JSON carries no
/// `updated` per review: `published` is then left empty (docs/sources.md#app_store).
Result<ParsedPage> parse_json_reviews(const ParseInput& input) {
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
    m.title = versioned_title(title, one_line(label(*r, "im:version")));
    if (const auto* a = r->if_contains("author"); a && a->is_object()) {
      m.author = one_line(label(a->as_object(), "name"));
      m.author_id = one_line(label(a->as_object(), "uri"));
    }
    if (const auto* l = r->if_contains("link"); l && l->is_object())
      if (const auto* at = l->as_object().if_contains("attributes"); at && at->is_object())
        if (const auto* href = at->as_object().if_contains("href"); href && href->is_string())
          m.url = one_line(href->get_string());
    if (auto v = parse_number(stars)) m.rating = normalise_rating(*v, 5);
    else page.warnings.push_back(review_label(m, index) + ": unparsable rating " + stars);
    m.published = parse_date_auto(label(*r, "updated"));
    keep_review(std::move(m), title, index, page);
  }
  return page;
}

/// How many entries a page holds (either form); 0 for a body that is not a feed.
std::size_t entry_count(std::string_view body) {
  std::size_t count = 0;
  if (is_xml(body)) {
    auto read = read_xml(body, "");
    if (!read) return 0;
    const xmlNode* root = xmlDocGetRootElement(read->doc.get());
    for (const xmlNode* e = root->children; e != nullptr; e = e->next)
      if (e->type == XML_ELEMENT_NODE && local_name(e) == "entry" && ns_uri(e) == kAtomNs) ++count;
    return count;
  }
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  const auto* o = ec ? nullptr : root.if_object();
  const auto* feed = o ? o->if_contains("feed") : nullptr;
  const auto* entry = feed && feed->is_object() ? feed->as_object().if_contains("entry") : nullptr;
  if (entry == nullptr) return 0;
  return entry->is_array() ? entry->as_array().size() : 1;
}

}  // namespace

Result<ParsedPage> parse_app_store_reviews(const ParseInput& input) {
  return is_xml(input.body) ? parse_xml_reviews(input) : parse_json_reviews(input);
}

std::string app_store_url(std::string_view country, std::string_view app_id) {
  std::string c(country);
  for (char& ch : c) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return "https://itunes.apple.com/" + c + "/rss/customerreviews/page=1/id=" + std::string(app_id) +
         "/sortby=mostrecent/xml";
}

std::optional<std::string> next_app_store_page(std::string_view url, std::string_view body, const ParsedPage&) {
  if (entry_count(body) < kPageSize) return std::nullopt;
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
