#include "sources/two_gis/two_gis_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>

#include <charconv>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kApiHost = "public-api.reviews.2gis.com";
constexpr std::string_view kFields =
    "meta.providers,meta.branch_rating,meta.branch_reviews_count,meta.total_count,"
    "reviews.hiding_reason,reviews.is_verified";
constexpr std::size_t kDefaultLimit = 50;

/// The branch id from an API URL's path (/2.0/branches/ID/reviews); "" when not there.
std::string branch_id_of(std::string_view url) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return {};
  const auto segs = parsed->segments();
  for (auto it = segs.begin(); it != segs.end(); ++it) {
    if (*it != "branches") continue;
    if (++it == segs.end()) break;
    return std::string(*it);
  }
  return {};
}

/// An API error object ({"meta": {"code": 4xx, "error": {"message": …}}}) as a Failure.
std::optional<Failure> api_error(const json::object& root, const std::string& base_url) {
  const auto* meta = object_of(&root, "meta");
  const auto* error = object_of(meta, "error");
  const auto code = number_of(meta, "code");
  if (error == nullptr && (!code || *code == 200)) return std::nullopt;
  std::string message = one_line(text_of(error, "message"));
  if (message.empty()) message = one_line(text_of(error, "type"));
  const int status = code ? static_cast<int>(*code) : 0;
  Failure f(status == 429 ? errc::rate_limited : errc::http_status,
            base_url + ": 2GIS API error " + std::to_string(status) + (message.empty() ? "" : ": " + message));
  f.http_status = status;
  return f;
}

std::optional<std::size_t> to_size(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  std::size_t n = 0;
  const auto* end = s->data() + s->size();
  auto [p, ec] = std::from_chars(s->data(), end, n);
  if (ec != std::errc() || p != end) return std::nullopt;
  return n;
}

}  // namespace

Result<ParsedPage> parse_two_gis(const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, input.base_url + ": not a 2GIS reviews answer (not a JSON object)");
  if (auto failure = api_error(*o, input.base_url)) return *failure;
  const auto* reviews_value = o->if_contains("reviews");
  if (reviews_value == nullptr) {
    if (o->contains("meta")) return ParsedPage{};  // a valid answer that lists nothing
    return Failure(errc::parse_failed, input.base_url + ": not a 2GIS reviews answer (no \"reviews\" or \"meta\")");
  }
  if (reviews_value->is_null()) return ParsedPage{};
  const auto* reviews = reviews_value->if_array();
  if (reviews == nullptr) return Failure(errc::parse_failed, input.base_url + ": 2GIS \"reviews\" is not an array");

  const std::string branch = branch_id_of(input.base_url);
  const std::string branch_page = branch.empty() ? std::string() : "https://2gis.ru/firm/" + branch + "/tab/reviews";
  ParsedPage page;
  std::size_t index = 0;
  for (const auto& item : *reviews) {
    ++index;
    const auto* r = item.if_object();
    const std::string id = one_line(text_of(r, "id"));
    const std::string label = id.empty() ? "review #" + std::to_string(index) : "review " + id;
    if (r == nullptr) {
      page.warnings.push_back(label + ": skipped, not an object");
      continue;
    }
    if (const auto* hidden = r->if_contains("is_hidden"); hidden && hidden->is_bool() && hidden->get_bool()) {
      const std::string reason = one_line(text_of(r, "hiding_reason"));
      page.warnings.push_back(label + ": skipped, hidden by 2GIS" + (reason.empty() ? "" : " (" + reason + ")"));
      continue;
    }
    Mention m = mention_of(input);
    m.external_id = id;
    m.text = clean_text(text_of(r, "text"));
    if (m.text.empty()) {
      page.warnings.push_back(label + ": skipped, no text (a rating alone)");
      continue;
    }
    const std::string own_url = one_line(text_of(r, "url"));
    std::string object_id = one_line(text_of(object_of(r, "object"), "id"));
    if (object_id.empty()) object_id = branch;
    if (own_url.rfind("https://", 0) == 0 || own_url.rfind("http://", 0) == 0) m.url = own_url;
    else if (!object_id.empty() && !id.empty()) m.url = "https://2gis.ru/reviews/" + object_id + "/review/" + id;
    else m.url = branch_page;
    const auto* user = object_of(r, "user");
    m.author = one_line(text_of(user, "name"));
    m.author_id = one_line(text_of(user, "public_id"));
    if (m.author_id.empty()) m.author_id = one_line(text_of(user, "id"));
    if (const auto* rating = r->if_contains("rating"); rating && !rating->is_null()) {
      const auto stars = number_of(r, "rating");
      if (stars && *stars >= 1 && *stars <= 5) m.rating = normalise_rating(*stars, 5);
      else page.warnings.push_back(label + ": rating out of 1..5, left empty");
    }
    m.published = parse_date_auto(text_of(r, "date_created"));
    if (!m.published) m.published = parse_date_auto(text_of(r, "date_edited"));
    m.company_reply = clean_text(text_of(object_of(r, "official_answer"), "text"));
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::optional<std::string> next_two_gis_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec || !root.is_object()) return std::nullopt;
  const auto& o = root.get_object();
  const auto* reviews = o.if_contains("reviews");
  const std::size_t count = reviews && reviews->is_array() ? reviews->get_array().size() : 0;
  if (count == 0) return std::nullopt;
  const auto* meta = object_of(&o, "meta");

  // The API's own link to the next page, followed only on the API's host over https.
  const std::string next_link = text_of(meta, "next_link");
  if (!next_link.empty()) {
    auto parsed = boost::urls::parse_uri(next_link);
    if (parsed && parsed->scheme() == "https" && parsed->host() == kApiHost) return next_link;
    return std::nullopt;
  }

  const std::size_t limit = to_size(query_param(url, "limit")).value_or(kDefaultLimit);
  const std::size_t offset = to_size(query_param(url, "offset")).value_or(0);
  if (count < limit) return std::nullopt;
  if (const auto total = number_of(meta, "total_count"); total && static_cast<double>(offset + count) >= *total)
    return std::nullopt;
  return with_query_param(url, "offset", std::to_string(offset + count));
}

std::string two_gis_url(std::string_view branch_id, std::string_view locale) {
  boost::urls::url u;
  u.set_scheme("https");
  u.set_host(kApiHost);
  u.set_path("/2.0/branches");
  u.segments().push_back(branch_id);
  u.segments().push_back("reviews");
  auto params = u.params();
  params.append({"limit", std::to_string(kDefaultLimit)});
  params.append({"offset", "0"});
  params.append({"is_advertiser", "false"});
  params.append({"fields", kFields});
  params.append({"without_my_first_review", "false"});
  params.append({"rated", "true"});
  params.append({"sort_by", "date_edited"});
  params.append({"locale", locale.empty() ? std::string_view("ru_RU") : locale});
  return std::string(u.buffer());
}

}  // namespace otklik
