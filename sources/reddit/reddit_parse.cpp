#include "sources/reddit/reddit_parse.hpp"

#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cmath>

namespace otklik {
namespace {

namespace json = boost::json;

std::string text_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

Result<ParsedPage> parse_reddit_listing(const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = json::parse(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const json::value* children = nullptr;
  if (const auto* o = root.if_object())
    if (const auto* d = o->if_contains("data"); d && d->is_object()) children = d->as_object().if_contains("children");
  if (children == nullptr || !children->is_array())
    return Failure(errc::parse_failed, input.base_url + ": not a Reddit listing (no data.children array)");

  ParsedPage page;
  std::size_t index = 0;
  for (const auto& child : children->as_array()) {
    ++index;
    const auto* c = child.if_object();
    const auto* d = c ? c->if_contains("data") : nullptr;
    if (d == nullptr || !d->is_object()) {
      page.warnings.push_back("item #" + std::to_string(index) + ": skipped, no data object");
      continue;
    }
    const json::object& p = d->as_object();
    if (text_at(*c, "kind") != "t3") continue;  // comments or other kinds in a mixed listing
    Mention m = mention_of(input);
    m.external_id = one_line(text_at(p, "name"));
    m.title = one_line(clean_text(text_at(p, "title")));
    m.text = clean_text(text_at(p, "selftext"));
    if (m.text.empty()) m.text = m.title;  // a link post: its title is what it says
    const std::string author = text_at(p, "author");
    if (!author.empty() && author != "[deleted]") {
      m.author = one_line(author);
      m.author_id = "https://www.reddit.com/user/" + one_line(author);
    }
    const std::string permalink = text_at(p, "permalink");
    if (!permalink.empty() && permalink.front() == '/') m.url = "https://www.reddit.com" + one_line(permalink);
    if (const auto* t = p.if_contains("created_utc"); t && t->is_number()) {
      const double secs = t->to_number<double>();
      if (std::isfinite(secs) && secs > 0 && secs < 1e11)
        m.published = TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(secs))};
    }
    if (m.text.empty()) {
      page.warnings.push_back("item " + (m.external_id.empty() ? "#" + std::to_string(index) : m.external_id) +
                              ": skipped, no title or text");
      continue;
    }
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::string reddit_search_url(std::string_view query) {
  std::string url = "https://www.reddit.com/search.json";
  url = with_query_param(url, "q", query);
  url = with_query_param(url, "sort", "new");
  url = with_query_param(url, "limit", "100");
  return with_query_param(url, "type", "link");
}

std::optional<std::string> next_reddit_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  const auto* o = ec ? nullptr : v.if_object();
  const auto* data = o ? o->if_contains("data") : nullptr;
  const auto* after = data && data->is_object() ? data->as_object().if_contains("after") : nullptr;
  if (after == nullptr || !after->is_string() || after->as_string().empty()) return std::nullopt;
  return with_query_param(url, "after", std::string(after->as_string()));
}

}  // namespace otklik
