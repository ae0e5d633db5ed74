#include "sources/vk/vk_parse.hpp"

#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cmath>
#include <map>

namespace otklik {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> int_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double())) return static_cast<std::int64_t>(v->get_double());
  return std::nullopt;
}

/// An error object as a Failure.
Failure api_error(const json::object& error) {
  const auto code = int_of(error, "error_code").value_or(0);
  std::string detail = "VK API error " + std::to_string(code);
  if (const std::string msg = one_line(text_of(&error, "error_msg")); !msg.empty()) detail += ": " + msg;
  switch (code) {
    case 5:   // authorisation failed: the token is wrong or revoked
    case 15:  // access denied
    case 17:  // validation required
      return Failure(errc::permanent, detail);
    case 6:   // too many requests per second
    case 9:   // flood control
    case 29:  // rate limit reached
      return Failure(errc::rate_limited, detail);
    default:
      return Failure(errc::protocol_error, detail);
  }
}

struct Who {
  std::string name;
  std::string url;
};

/// Users by id and communities by (positive) id, from the extended answer.
std::map<std::int64_t, Who> people(const json::object& response) {
  std::map<std::int64_t, Who> out;
  if (const auto* profiles = response.if_contains("profiles"); profiles && profiles->is_array()) {
    for (const auto& p : profiles->as_array()) {
      const auto* o = p.if_object();
      const auto id = o ? int_of(*o, "id") : std::nullopt;
      if (!id) continue;
      Who w;
      w.name = one_line(text_of(o, "first_name") + " " + text_of(o, "last_name"));
      const std::string screen = text_of(o, "screen_name");
      w.url = "https://vk.com/" + (screen.empty() ? "id" + std::to_string(*id) : screen);
      out[*id] = std::move(w);
    }
  }
  if (const auto* groups = response.if_contains("groups"); groups && groups->is_array()) {
    for (const auto& g : groups->as_array()) {
      const auto* o = g.if_object();
      const auto id = o ? int_of(*o, "id") : std::nullopt;
      if (!id) continue;
      Who w;
      w.name = one_line(text_of(o, "name"));
      const std::string screen = text_of(o, "screen_name");
      w.url = "https://vk.com/" + (screen.empty() ? "club" + std::to_string(*id) : screen);
      out[-*id] = std::move(w);
    }
  }
  return out;
}

/// The words of a post: its own text, or for a repost without words the original's.
std::string post_text(const json::object& post) {
  std::string text = text_of(&post, "text");
  if (!clean_text(text).empty()) return text;
  if (const auto* history = post.if_contains("copy_history"); history && history->is_array())
    for (const auto& original : history->as_array())
      if (const auto* o = original.if_object()) {
        std::string t = text_of(o, "text");
        if (!clean_text(t).empty()) return t;
      }
  return {};
}

}  // namespace

Result<ParsedPage> parse_vk_search(const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, "not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, "not a VK API answer (not a JSON object)");
  if (const auto* error = o->if_contains("error"); error && error->is_object()) return api_error(error->as_object());
  const auto* response = o->if_contains("response");
  if (response == nullptr || !response->is_object())
    return Failure(errc::parse_failed, "not a VK API answer (no \"response\" or \"error\" object)");
  const json::object& r = response->as_object();
  const auto* items = r.if_contains("items");
  if (items == nullptr) return ParsedPage{};  // nothing found
  if (!items->is_array()) return Failure(errc::parse_failed, "VK \"items\" is not an array");
  const auto who = people(r);

  ParsedPage page;
  std::size_t index = 0;
  for (const auto& item : items->as_array()) {
    ++index;
    const auto* post = item.if_object();
    if (post == nullptr) {
      page.warnings.push_back("item #" + std::to_string(index) + ": skipped, not an object");
      continue;
    }
    const auto id = int_of(*post, "id");
    const auto owner = int_of(*post, "owner_id");
    if (!id || !owner) {
      page.warnings.push_back("item #" + std::to_string(index) + ": skipped, no id or owner_id");
      continue;
    }
    const std::string key = std::to_string(*owner) + "_" + std::to_string(*id);
    Mention m = mention_of(input);
    m.external_id = key;
    m.url = "https://vk.com/wall" + key;
    m.text = clean_text(post_text(*post));
    const std::int64_t from = int_of(*post, "from_id").value_or(*owner);
    if (auto it = who.find(from); it != who.end()) {
      m.author = it->second.name;
      m.author_id = it->second.url;
    } else {
      m.author_id = from > 0 ? "https://vk.com/id" + std::to_string(from) : "https://vk.com/club" + std::to_string(-from);
    }
    if (const auto date = int_of(*post, "date"); date && *date > 0)
      m.published = TimePoint(std::chrono::seconds(*date));
    if (m.text.empty()) {
      page.warnings.push_back("item " + key + ": skipped, no text (a photo or video alone)");
      continue;
    }
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::optional<std::string> next_vk_search_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  const auto* o = ec ? nullptr : root.if_object();
  const auto* response = o ? o->if_contains("response") : nullptr;
  if (response == nullptr || !response->is_object()) return std::nullopt;
  const std::string next = text_of(&response->as_object(), "next_from");
  if (next.empty()) return std::nullopt;
  return with_query_param(url, "start_from", next);
}

std::string vk_search_url(std::string_view query) {
  std::string url = "https://api.vk.com/method/newsfeed.search";
  url = with_query_param(url, "q", query);
  url = with_query_param(url, "count", "200");
  url = with_query_param(url, "extended", "1");
  return with_query_param(url, "v", "5.199");
}

}  // namespace otklik
