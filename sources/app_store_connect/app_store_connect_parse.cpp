#include "sources/app_store_connect/app_store_connect_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"

#include <array>
#include <map>
#include <utility>

namespace otklik {
namespace {

namespace json = boost::json;

/// The attributes read, and the response relationship (a field too, in JSON:API's sparse fieldsets).
constexpr std::string_view kReviewFields = "rating,title,body,reviewerNickname,createdDate,territory,response";
constexpr std::string_view kResponseFields = "responseBody,lastModifiedDate,state";

/// `text` with what a query may not hold raw percent-encoded ('[' and ']' of the JSON:API
/// parameter names, spaces, quotes); everything else as it is.
std::string encode_query_chars(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '[' || c == ']' || c == ' ' || c == '"' || c == '<' || c == '>' || c == '{' || c == '}' || c == '|' ||
        c == '\\' || c == '^' || c == '`' || u < 0x21 || u >= 0x7F) {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string param(std::string_view name, std::string_view value) {
  return encode_query_chars(name) + "=" + encode_query_chars(value);
}

/// Plain text as Apple stores it: valid UTF-8, lines kept, blanks collapsed. Not HTML: "<3" stays.
std::string plain(std::string_view text) { return collapse_whitespace(printable_utf8(text)); }

struct Territory {
  std::string_view code;
  std::string_view name;
};

constexpr std::array<Territory, 64> kTerritories{{
    {"ARE", "ОАЭ"},          {"ARG", "Аргентина"},    {"ARM", "Армения"},        {"AUS", "Австралия"},
    {"AUT", "Австрия"},      {"AZE", "Азербайджан"},  {"BEL", "Бельгия"},        {"BGR", "Болгария"},
    {"BLR", "Беларусь"},     {"BRA", "Бразилия"},     {"CAN", "Канада"},         {"CHE", "Швейцария"},
    {"CHN", "Китай"},        {"CYP", "Кипр"},         {"CZE", "Чехия"},          {"DEU", "Германия"},
    {"DNK", "Дания"},        {"EGY", "Египет"},       {"ESP", "Испания"},        {"EST", "Эстония"},
    {"FIN", "Финляндия"},    {"FRA", "Франция"},      {"GBR", "Великобритания"}, {"GEO", "Грузия"},
    {"GRC", "Греция"},       {"HKG", "Гонконг"},      {"HUN", "Венгрия"},        {"IDN", "Индонезия"},
    {"IND", "Индия"},        {"IRL", "Ирландия"},     {"ISR", "Израиль"},        {"ITA", "Италия"},
    {"JPN", "Япония"},       {"KAZ", "Казахстан"},    {"KGZ", "Киргизия"},       {"KOR", "Южная Корея"},
    {"LTU", "Литва"},        {"LVA", "Латвия"},       {"MDA", "Молдова"},        {"MEX", "Мексика"},
    {"MNE", "Черногория"},   {"MNG", "Монголия"},     {"NLD", "Нидерланды"},     {"NOR", "Норвегия"},
    {"NZL", "Новая Зеландия"}, {"POL", "Польша"},     {"PRT", "Португалия"},     {"ROU", "Румыния"},
    {"RUS", "Россия"},       {"SAU", "Саудовская Аравия"}, {"SGP", "Сингапур"},  {"SRB", "Сербия"},
    {"SWE", "Швеция"},       {"THA", "Таиланд"},      {"TJK", "Таджикистан"},    {"TKM", "Туркменистан"},
    {"TUR", "Турция"},       {"TWN", "Тайвань"},      {"UKR", "Украина"},        {"USA", "США"},
    {"UZB", "Узбекистан"},   {"VNM", "Вьетнам"},      {"ZAF", "ЮАР"},            {"ISL", "Исландия"},
}};

std::string review_label(const std::string& id, std::size_t index) {
  return id.empty() ? "review #" + std::to_string(index) : "review " + id;
}

/// The developer responses of the page by id: their text, when published or about to be.
std::map<std::string, std::string> responses_of(const json::object& root, std::vector<std::string>& warnings) {
  std::map<std::string, std::string> out;
  const auto* included = array_of(&root, "included");
  if (included == nullptr) return out;
  for (const auto& item : *included) {
    const auto* o = item.if_object();
    if (o == nullptr || text_of(o, "type") != "customerReviewResponses") continue;
    const std::string id = one_line(text_of(o, "id"));
    const auto* attributes = object_of(o, "attributes");
    const std::string state = text_of(attributes, "state");
    // PENDING_PUBLISH: the team has answered; Apple shows it on the store after a check.
    if (!state.empty() && state != "PUBLISHED" && state != "PENDING_PUBLISH")
      warnings.push_back("response " + id + ": unknown state \"" + one_line(state) + "\", taken as an answer");
    std::string body = plain(text_of(attributes, "responseBody"));
    if (!id.empty() && !body.empty()) out.emplace(id, std::move(body));
  }
  return out;
}

}  // namespace

ApiCall asc_reviews_call(const AscReviewsQuery& query) {
  ApiCall call;
  call.method = "GET";
  std::string target = "/v1/apps/" + encode_query_chars(query.app_id) + "/customerReviews?";
  target += param("sort", "-createdDate");
  target += "&" + param("limit", std::to_string(query.limit));
  target += "&" + param("include", "response");
  target += "&" + param("fields[customerReviews]", kReviewFields);
  target += "&" + param("fields[customerReviewResponses]", kResponseFields);
  if (!query.territory.empty()) target += "&" + param("filter[territory]", query.territory);
  if (query.answered) target += "&" + param("exists[publishedResponse]", *query.answered ? "true" : "false");
  call.target = std::move(target);
  return call;
}

std::optional<ApiCall> asc_next_call(std::string_view next_link) {
  std::string_view link = next_link;
  while (!link.empty() && (link.front() == ' ' || link.front() == '\t')) link.remove_prefix(1);
  while (!link.empty() && (link.back() == ' ' || link.back() == '\t')) link.remove_suffix(1);
  if (link.empty()) return std::nullopt;
  if (const auto scheme = link.find("://"); scheme != std::string_view::npos && link.find('/') > scheme) {
    const auto path = link.find('/', scheme + 3);
    if (path == std::string_view::npos) return std::nullopt;
    link.remove_prefix(path);
  }
  if (link.front() != '/') return std::nullopt;
  if (const auto fragment = link.find('#'); fragment != std::string_view::npos) link = link.substr(0, fragment);
  ApiCall call;
  call.target = encode_query_chars(link);
  return call;
}

std::string asc_territory_name(std::string_view code) {
  for (const auto& t : kTerritories)
    if (t.code == code) return std::string(t.name);
  return std::string(code);
}

std::string asc_subject(const AscApp& app, std::string_view territory) {
  std::string subject = app.app_name.empty() ? "app " + app.app_id : app.app_name;
  if (!territory.empty()) subject += " \u00B7 " + asc_territory_name(territory);
  return subject;
}

std::string asc_reviews_page(std::string_view app_id) {
  return "https://appstoreconnect.apple.com/apps/" + std::string(app_id) + "/distribution/activity/ios/ratingsResponses";
}

Result<ApiPage> parse_asc_reviews(const ApiCall& /*sent*/, const ParseInput& input, const AscApp& app) {
  boost::system::error_code ec;
  const json::value root_value = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, "not JSON: " + ec.message());
  const auto* root = root_value.if_object();
  const auto* data = array_of(root, "data");
  if (data == nullptr)
    return Failure(errc::parse_failed, "not a customer reviews list (no \"data\" array)");
  ApiPage out;
  ParsedPage& page = out.page;
  const auto responses = responses_of(*root, page.warnings);
  const std::string app_page = asc_reviews_page(app.app_id);
  std::size_t index = 0;
  for (const auto& item : *data) {
    ++index;
    const auto* r = item.if_object();
    if (r == nullptr) {
      page.warnings.push_back(review_label({}, index) + ": skipped, not an object");
      continue;
    }
    const std::string id = one_line(text_of(r, "id"));
    const std::string label = review_label(id, index);
    if (const std::string type = text_of(r, "type"); type != "customerReviews") {
      page.warnings.push_back(label + ": skipped, type \"" + one_line(type) + "\" is not customerReviews");
      continue;
    }
    if (id.empty()) {
      page.warnings.push_back(label + ": skipped, no id");
      continue;
    }
    const auto* a = object_of(r, "attributes");
    Mention m = mention_of(input);
    m.external_id = "asc:" + id;
    m.url = app_page;
    m.title = one_line(text_of(a, "title"));
    m.text = plain(text_of(a, "body"));
    if (m.title.empty() && m.text.empty()) {
      page.warnings.push_back(label + ": skipped, a rating without title or text");
      continue;
    }
    m.author = one_line(text_of(a, "reviewerNickname"));
    if (const auto* rating = a != nullptr ? a->if_contains("rating") : nullptr; rating != nullptr && !rating->is_null()) {
      const auto stars = number_of(a, "rating");
      if (stars && *stars >= 1 && *stars <= 5)
        m.rating = normalise_rating(*stars, 5);
      else
        page.warnings.push_back(label + ": rating out of 1..5, left empty");
    }
    const std::string created = text_of(a, "createdDate");
    m.published = parse_iso8601_date(created);
    if (!m.published && !created.empty())
      page.warnings.push_back(label + ": unparsable createdDate \"" + one_line(created) + "\"");
    const std::string territory = one_line(text_of(a, "territory"));
    m.subject = asc_subject(app, territory);
    const auto* response = object_of(object_of(object_of(r, "relationships"), "response"), "data");
    if (response != nullptr) {
      const std::string response_id = one_line(text_of(response, "id"));
      if (const auto it = responses.find(response_id); it != responses.end()) m.company_reply = it->second;
    }
    page.mentions.push_back(std::move(m));
  }
  const std::string next = text_of(object_of(root, "links"), "next");
  if (!next.empty()) {
    out.next = asc_next_call(next);
    if (!out.next) page.warnings.push_back("links.next is not a usable URL; older pages are not read");
  }
  return out;
}

}  // namespace otklik
