#include "sources/google_places/google_places_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>
#include <boost/url.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

/// The contributor id in https://www.google.com/maps/contrib/ID/reviews; "" when not there.
std::string contributor_id(std::string_view author_url) {
  constexpr std::string_view kContrib = "/contrib/";
  const auto at = author_url.find(kContrib);
  if (at == std::string_view::npos) return {};
  std::string id;
  for (auto i = at + kContrib.size(); i < author_url.size() && author_url[i] >= '0' && author_url[i] <= '9'; ++i)
    id += author_url[i];
  return id;
}

/// Google Maps' page of the place in the request URL (place_id=…, or /v1/places/ID); "" when unknown.
std::string place_page(std::string_view base_url) {
  std::string id = query_param(base_url, "place_id").value_or("");
  if (id.empty()) {
    if (auto parsed = boost::urls::parse_uri_reference(base_url)) {
      const auto segs = parsed->segments();
      for (auto it = segs.begin(); it != segs.end(); ++it) {
        if (*it != "places") continue;
        if (++it != segs.end()) id = std::string(*it);
        break;
      }
    }
  }
  if (id.empty()) return {};
  boost::urls::url u("https://www.google.com/maps/place/");
  u.params().append({"q", "place_id:" + id});
  return std::string(u.buffer());
}

void set_rating(Mention& m, const json::object& r, const std::string& label, ParsedPage& page) {
  const auto stars = number_of(&r, "rating");
  if (!stars) return;
  if (*stars >= 1 && *stars <= 5) m.rating = normalise_rating(*stars, 5);
  else page.warnings.push_back(label + ": rating out of 1..5, left empty");
}

/// A legacy status that is not a success, as a Failure.
Failure legacy_failure(std::string_view status, std::string_view message, const std::string& base_url) {
  const std::string detail = base_url + ": Places API status " + std::string(status) +
                             (message.empty() ? std::string() : ": " + std::string(message));
  if (status == "OVER_QUERY_LIMIT") return Failure(errc::rate_limited, detail);
  if (status == "REQUEST_DENIED" || status == "INVALID_REQUEST" || status == "NOT_FOUND")
    return Failure(errc::permanent, detail);
  if (status == "UNKNOWN_ERROR") {  // Google's server trouble: "may succeed if you try again"
    Failure f(errc::http_status, detail);
    f.http_status = 503;
    return f;
  }
  return Failure(errc::parse_failed, detail);
}

/// {"error": {"code", "message", "status"}} of the new API, as a Failure.
Failure new_api_failure(const json::object& error, const std::string& base_url) {
  const auto code = number_of(&error, "code");
  const int status = code ? static_cast<int>(*code) : 0;
  const std::string message = one_line(text_of(&error, "message"));
  const std::string name = one_line(text_of(&error, "status"));
  const std::string detail = base_url + ": Places API error " + std::to_string(status) +
                             (name.empty() ? "" : " " + name) + (message.empty() ? "" : ": " + message);
  Failure f(status == 429 ? errc::rate_limited : errc::http_status, detail);
  f.http_status = status;
  return f;
}

Result<ParsedPage> parse_legacy(const json::object& root, const ParseInput& input) {
  const std::string status = text_of(&root, "status");
  if (status == "ZERO_RESULTS") return ParsedPage{};
  if (status != "OK") return legacy_failure(status, one_line(text_of(&root, "error_message")), input.base_url);
  const auto* result = object_of(&root, "result");
  if (result == nullptr) return Failure(errc::parse_failed, input.base_url + ": Places API status OK without a \"result\" object");
  ParsedPage page;
  const auto* reviews = result->if_contains("reviews");
  if (reviews == nullptr || reviews->is_null()) return page;  // a place nobody reviewed
  if (!reviews->is_array()) return Failure(errc::parse_failed, input.base_url + ": Places API result.reviews is not an array");
  std::string place_url = one_line(text_of(result, "url"));
  if (place_url.empty()) place_url = place_page(input.base_url);
  std::size_t index = 0;
  for (const auto& item : reviews->get_array()) {
    ++index;
    const auto* r = item.if_object();
    std::string label = "review #" + std::to_string(index);
    if (r == nullptr) {
      page.warnings.push_back(label + ": skipped, not an object");
      continue;
    }
    Mention m = mention_of(input);
    m.author = one_line(text_of(r, "author_name"));
    m.author_id = one_line(text_of(r, "author_url"));
    m.url = place_url;
    const auto time = number_of(r, "time");
    if (time && *time > 0) m.published = TimePoint{std::chrono::seconds{static_cast<long long>(*time)}};
    const std::string contrib = contributor_id(m.author_id);
    if (!contrib.empty() && time) m.external_id = contrib + "@" + std::to_string(static_cast<long long>(*time));
    if (!m.author.empty()) label += " by " + m.author;
    set_rating(m, *r, label, page);
    m.text = clean_text(text_of(r, "text"));
    keep_with_text(page, std::move(m), label + ": skipped, no text (a rating alone)");
  }
  return page;
}

Result<ParsedPage> parse_new(const json::object& root, const ParseInput& input) {
  ParsedPage page;
  const auto* reviews = root.if_contains("reviews");
  if (reviews == nullptr || reviews->is_null()) return page;
  if (!reviews->is_array()) return Failure(errc::parse_failed, input.base_url + ": Places API \"reviews\" is not an array");
  std::string place_url = one_line(text_of(&root, "googleMapsUri"));
  if (place_url.empty()) place_url = place_page(input.base_url);
  std::size_t index = 0;
  for (const auto& item : reviews->get_array()) {
    ++index;
    const auto* r = item.if_object();
    Mention m = mention_of(input);
    m.external_id = one_line(text_of(r, "name"));
    const std::string label = m.external_id.empty() ? "review #" + std::to_string(index) : "review " + m.external_id;
    if (r == nullptr) {
      page.warnings.push_back(label + ": skipped, not an object");
      continue;
    }
    const auto* author = object_of(r, "authorAttribution");
    m.author = one_line(text_of(author, "displayName"));
    m.author_id = one_line(text_of(author, "uri"));
    m.url = one_line(text_of(r, "googleMapsUri"));
    if (m.url.empty()) m.url = place_url;
    m.published = parse_iso8601_date(text_of(r, "publishTime"));
    set_rating(m, *r, label, page);
    m.text = clean_text(text_of(object_of(r, "text"), "text"));
    if (m.text.empty()) m.text = clean_text(text_of(object_of(r, "originalText"), "text"));
    keep_with_text(page, std::move(m), label + ": skipped, no text (a rating alone)");
  }
  return page;
}

}  // namespace

Result<ParsedPage> parse_google_places(const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, input.base_url + ": not a Places API answer (not a JSON object)");
  if (o->contains("status")) return parse_legacy(*o, input);
  if (const auto* error = object_of(o, "error")) return new_api_failure(*error, input.base_url);
  if (o->empty() || o->contains("reviews") || o->contains("name") || o->contains("id") || o->contains("googleMapsUri"))
    return parse_new(*o, input);
  return Failure(errc::parse_failed,
                 input.base_url + ": not a Places API answer (neither a legacy \"status\" nor a Place with \"reviews\")");
}

std::string google_places_url(std::string_view place_id, std::string_view language) {
  boost::urls::url u("https://maps.googleapis.com/maps/api/place/details/json");
  auto params = u.params();
  params.append({"place_id", place_id});
  params.append({"fields", "reviews,name,url"});
  params.append({"reviews_sort", "newest"});
  if (!language.empty()) params.append({"language", language});
  return std::string(u.buffer());
}

}  // namespace otklik
