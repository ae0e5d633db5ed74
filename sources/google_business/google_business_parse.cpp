#include "sources/google_business/google_business_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <array>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kReadMask = "name,title,storefrontAddress,metadata.mapsUri";

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

/// The text after the last '/' of a resource name ("locations/123" → "123").
std::string last_segment(std::string_view name) {
  const auto slash = name.rfind('/');
  return std::string(slash == std::string_view::npos ? name : name.substr(slash + 1));
}

/// A Google error object in a 2xx answer, as a Failure.
std::optional<Failure> api_error(const json::object& root, std::string_view what) {
  const auto* error = object_of(&root, "error");
  if (error == nullptr) return std::nullopt;
  const std::string message = one_line(text_of(error, "message"));
  const std::string status = one_line(text_of(error, "status"));
  Failure f(errc::protocol_error, std::string(what) + ": Google answered an error" +
                                      (status.empty() ? "" : " " + status) + (message.empty() ? "" : ": " + message));
  return f;
}

/// Finds one of `markers` in `text`: its position and length.
std::optional<std::pair<std::size_t, std::size_t>> find_marker(std::string_view text,
                                                               std::initializer_list<std::string_view> markers) {
  for (auto m : markers)
    if (auto p = text.find(m); p != std::string_view::npos) return std::pair{p, m.size()};
  return std::nullopt;
}

}  // namespace

std::string GoogleLocation::subject() const {
  if (!address.empty()) return address;
  return title;
}

std::string google_review_id_prefix(std::string_view location_id) { return "gbp:" + std::string(location_id) + ":"; }

ApiCall google_locations_call(std::string_view account_id, std::string_view page_token) {
  ApiCall call;
  call.target = "/v1/accounts/" + percent_encode_segment(account_id) + "/locations?readMask=" + std::string(kReadMask) +
                "&pageSize=" + std::to_string(kGoogleLocationsPageSize);
  if (!page_token.empty()) call.target += "&pageToken=" + percent_encode_segment(page_token);
  return call;
}

ApiCall google_reviews_call(std::string_view account_id, std::string_view location_id, std::string_view page_token) {
  ApiCall call;
  call.target = "/v4/accounts/" + percent_encode_segment(account_id) + "/locations/" +
                percent_encode_segment(location_id) + "/reviews?pageSize=" + std::to_string(kGoogleReviewsPageSize) +
                "&orderBy=updateTime%20desc";
  if (!page_token.empty()) call.target += "&pageToken=" + percent_encode_segment(page_token);
  return call;
}

Result<GoogleLocationsPage> parse_google_locations(const ApiCall& sent, std::string_view body,
                                                   std::string_view account_id) {
  const std::string what = "locations of account " + std::string(account_id);
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, what + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, what + ": not a locations answer (not a JSON object)");
  if (auto failure = api_error(*o, what)) return *failure;
  GoogleLocationsPage page;
  const auto* list = o->if_contains("locations");
  if (list != nullptr && !list->is_null() && !list->is_array())
    return Failure(errc::parse_failed, what + ": \"locations\" is not an array");
  if (list != nullptr && list->is_array()) {
    for (const auto& item : list->get_array()) {
      const auto* l = item.if_object();
      const std::string name = one_line(text_of(l, "name"));
      if (!name.starts_with("locations/") || name.size() == 10) continue;
      GoogleLocation loc;
      loc.id = last_segment(name);
      loc.title = one_line(text_of(l, "title"));
      if (const auto* lines = array_of(object_of(l, "storefrontAddress"), "addressLines")) {
        for (const auto& line : *lines) {
          if (!line.is_string()) continue;
          const std::string text = one_line(line.get_string());
          if (text.empty()) continue;
          if (!loc.address.empty()) loc.address += ", ";
          loc.address += text;
        }
      }
      const std::string maps = one_line(text_of(object_of(l, "metadata"), "mapsUri"));
      if (maps.starts_with("https://")) loc.maps_uri = maps;
      page.locations.push_back(std::move(loc));
    }
  }
  const std::string token = text_of(o, "nextPageToken");
  if (!token.empty() && !page.locations.empty()) page.next = google_locations_call(account_id, token);
  (void)sent;
  return page;
}

std::optional<double> google_star_rating(std::string_view value) {
  static constexpr std::array<std::string_view, 5> kStars{"ONE", "TWO", "THREE", "FOUR", "FIVE"};
  for (std::size_t i = 0; i < kStars.size(); ++i)
    if (value == kStars[i]) return static_cast<double>(i + 1);
  return std::nullopt;
}

std::string google_original_text(std::string_view comment) {
  const auto original = find_marker(comment, {"(Original)", "(Оригинал)"});
  const auto translated = find_marker(comment, {"(Translated by Google)", "(Переведено Google)"});
  if (original) {
    std::string_view rest = comment.substr(original->first + original->second);
    // "(Original) … (Translated by Google) …": the translation follows the original.
    if (translated && translated->first > original->first)
      rest = comment.substr(original->first + original->second, translated->first - original->first - original->second);
    const std::string text = trim(rest);
    if (!text.empty()) return text;
  }
  if (translated) {
    const std::string before = trim(comment.substr(0, translated->first));
    if (!before.empty()) return before;
    return trim(comment.substr(translated->first + translated->second));
  }
  return std::string(comment);
}

Result<ApiPage> parse_google_reviews(const ApiCall& sent, const ParseInput& input, std::string_view account_id,
                                     const GoogleLocation& location) {
  const std::string what = "reviews of location " + location.id;
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, what + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, what + ": not a reviews answer (not a JSON object)");
  if (auto failure = api_error(*o, what)) return *failure;
  const auto* list = o->if_contains("reviews");
  // A location without reviews answers {} or only the totals.
  if (list != nullptr && !list->is_null() && !list->is_array())
    return Failure(errc::parse_failed, what + ": \"reviews\" is not an array");

  ApiPage out;
  std::size_t index = 0;
  if (list != nullptr && list->is_array()) {
    for (const auto& item : list->get_array()) {
      ++index;
      const auto* r = item.if_object();
      std::string review_id = one_line(text_of(r, "reviewId"));
      if (review_id.empty()) review_id = last_segment(one_line(text_of(r, "name")));
      const std::string label = review_id.empty() ? what + ", review #" + std::to_string(index) : "review " + review_id;
      if (r == nullptr) {
        out.page.warnings.push_back(label + ": skipped, not an object");
        continue;
      }
      if (review_id.empty()) {
        out.page.warnings.push_back(label + ": skipped, no reviewId");
        continue;
      }
      Mention m = mention_of(input);
      m.external_id = google_review_id_prefix(location.id) + review_id;
      m.text = clean_text(google_original_text(text_of(r, "comment")));
      if (m.text.empty()) continue;  // a star rating alone: nothing to read or to answer in words
      m.url = location.maps_uri;
      m.subject = location.subject();
      const auto* reviewer = object_of(r, "reviewer");
      const auto* anonymous = reviewer != nullptr ? reviewer->if_contains("isAnonymous") : nullptr;
      if (!(anonymous != nullptr && anonymous->is_bool() && anonymous->get_bool()))
        m.author = one_line(text_of(reviewer, "displayName"));
      m.rating = google_star_rating(text_of(r, "starRating"));
      m.published = parse_iso8601_date(text_of(r, "createTime"));
      if (!m.published) m.published = parse_iso8601_date(text_of(r, "updateTime"));
      m.company_reply = clean_text(text_of(object_of(r, "reviewReply"), "comment"));
      out.page.mentions.push_back(std::move(m));
    }
  }
  const std::string token = text_of(o, "nextPageToken");
  if (!token.empty() && index > 0) out.next = google_reviews_call(account_id, location.id, token);
  (void)sent;
  return out;
}

}  // namespace otklik
