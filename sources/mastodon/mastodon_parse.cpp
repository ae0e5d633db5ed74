#include "sources/mastodon/mastodon_parse.hpp"

#include "sources/generic/json_parse.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace otklik {

Result<ParsedPage> parse_mastodon_statuses(const ParseInput& input) {
  {
    // An instance that refuses (public timelines off, a wrong path) answers with {"error": "…"}.
    boost::system::error_code ec;
    const auto root = boost::json::parse(input.body, ec);
    if (!ec && !root.is_array()) {
      const auto* o = root.if_object();
      const auto* e = o ? o->if_contains("error") : nullptr;
      return Failure(errc::parse_failed, input.base_url + ": not an array of statuses" +
                                             (e && e->is_string() ? ": " + std::string(e->get_string()) : std::string()));
    }
  }
  ItemMapping mapping;
  mapping.items = "";
  mapping.fields.id = "/id";
  mapping.fields.text = "/content";
  mapping.fields.title = "/spoiler_text";
  mapping.fields.author = "/account/display_name";
  mapping.fields.author_id = "/account/url";
  mapping.fields.date = "/created_at";
  mapping.fields.url = "/url";
  auto page = parse_json(input, mapping);
  if (!page) return page.error();
  // Boosts have no content of their own: the generic parser skips them with a warning that says
  // "text empty"; say what they are instead. Authors without a display name go by their handle.
  boost::system::error_code ec;
  const auto root = boost::json::parse(input.body, ec);
  const auto* statuses = ec ? nullptr : root.if_array();
  std::vector<std::string> warnings;
  for (const auto& w : page->warnings)
    if (w.find("the text field is empty") == std::string::npos) warnings.push_back(w);
  if (statuses != nullptr) {
    std::size_t boosts = 0;
    for (const auto& s : *statuses) {
      const auto* o = s.if_object();
      if (o == nullptr) continue;
      const auto* reblog = o->if_contains("reblog");
      if (reblog != nullptr && reblog->is_object()) ++boosts;
    }
    if (boosts > 0) warnings.push_back(std::to_string(boosts) + " boosts skipped (their originals count)");
    for (Mention& m : page->mentions) {
      if (!m.author.empty()) continue;
      for (const auto& s : *statuses) {
        const auto* o = s.if_object();
        const auto* id = o ? o->if_contains("id") : nullptr;
        if (id == nullptr || !id->is_string() || id->get_string() != m.external_id) continue;
        const auto* account = o->if_contains("account");
        const auto* acct = account && account->is_object() ? account->as_object().if_contains("acct") : nullptr;
        if (acct != nullptr && acct->is_string()) m.author = std::string(acct->get_string());
      }
    }
  }
  page->warnings = std::move(warnings);
  return page;
}

std::string mastodon_tag_url(std::string_view instance, std::string_view tag) {
  std::string t(tag);
  if (!t.empty() && t.front() == '#') t.erase(0, 1);
  return with_query_param("https://" + std::string(instance) + "/api/v1/timelines/tag/" + percent_encode_segment(t),
                          "limit", "40");
}

namespace {

/// max_id = the last status of a full page (`limit` statuses, 20 when the URL sets none).
std::optional<std::string> next_after(std::string_view url, const boost::json::array& statuses) {
  if (statuses.empty()) return std::nullopt;
  std::size_t limit = 20;
  if (auto l = query_param(url, "limit")) limit = static_cast<std::size_t>(std::max(1, std::atoi(l->c_str())));
  if (statuses.size() < limit) return std::nullopt;
  const auto* last = statuses.back().if_object();
  const auto* id = last ? last->if_contains("id") : nullptr;
  if (id == nullptr || !id->is_string() || id->as_string().empty()) return std::nullopt;
  return with_query_param(url, "max_id", std::string(id->as_string()));
}

}  // namespace

std::optional<std::string> next_mastodon_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  if (ec || !v.is_array()) return std::nullopt;
  return next_after(url, v.as_array());
}

Result<ParsedPage> parse_mastodon_search(const ParseInput& input) {
  boost::system::error_code ec;
  const auto root = boost::json::parse(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  const auto* statuses = o ? o->if_contains("statuses") : nullptr;
  if (statuses == nullptr || !statuses->is_array()) {
    const auto* e = o ? o->if_contains("error") : nullptr;
    return Failure(errc::parse_failed, input.base_url + ": not a search result (no \"statuses\" array)" +
                                           (e && e->is_string() ? ": " + std::string(e->get_string()) : std::string()));
  }
  // The statuses of a search are Status entities like a timeline's.
  const std::string array = boost::json::serialize(*statuses);
  ParseInput inner = input;
  inner.body = array;
  return parse_mastodon_statuses(inner);
}

std::optional<std::string> next_mastodon_search_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(body, ec);
  const auto* o = ec ? nullptr : v.if_object();
  const auto* statuses = o ? o->if_contains("statuses") : nullptr;
  if (statuses == nullptr || !statuses->is_array()) return std::nullopt;
  return next_after(url, statuses->as_array());
}

std::string mastodon_search_url(std::string_view instance, std::string_view query) {
  std::string url = "https://" + std::string(instance) + "/api/v2/search";
  url = with_query_param(url, "q", query);
  url = with_query_param(url, "type", "statuses");
  url = with_query_param(url, "resolve", "false");
  return with_query_param(url, "limit", "40");
}

}  // namespace otklik
