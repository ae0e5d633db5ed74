#include "sources/sravni/sravni_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <array>
#include <charconv>

namespace otklik {
namespace {

namespace json = boost::json;

/// An integer query parameter, under either spelling the site's clients use ("pageIndex" or
/// "PageIndex"): the name found and its value. The lower-case name and `fallback` when absent.
std::pair<std::string, long> int_param(std::string_view url, std::string_view lower, std::string_view upper,
                                       long fallback) {
  for (std::string_view name : {lower, upper}) {
    const auto raw = query_param(url, name);
    if (!raw) continue;
    long n = 0;
    if (std::from_chars(raw->data(), raw->data() + raw->size(), n).ec != std::errc() || n < 0) n = fallback;
    return {std::string(name), n};
  }
  return {std::string(lower), fallback};
}

/// "2026-11-23T10:15:00.123456" in Moscow time (UTC+3 all year) → UTC; a value with its own zone is
/// taken as it says.
std::optional<TimePoint> moscow_time(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const auto t = text.find('T') != std::string_view::npos ? text.find('T') : text.find(' ');
  const bool zoned = text.back() == 'Z' || (t != std::string_view::npos &&
                                            text.find_first_of("+-", t) != std::string_view::npos);
  if (zoned) return parse_iso8601_date(text);
  return parse_iso8601_date(std::string(text) + "+03:00");
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kTags{{
    {"serviceLevel", "Уровень обслуживания"},
    {"credits", "Кредиты"},
    {"creditCards", "Кредитные карты"},
    {"debitCards", "Дебетовые карты"},
    {"savings", "Вклады и счета"},
    {"deposits", "Вклады"},
    {"remoteService", "Дистанционное обслуживание"},
    {"mobilnoyeprilozheniye", "Мобильное приложение"},
    {"creditRefinancing", "Рефинансирование"},
    {"mortgage", "Ипотека"},
    {"mortgageRefinancing", "Рефинансирование ипотеки"},
    {"autoCredits", "Автокредиты"},
    {"moneyOrder", "Денежные переводы"},
    {"currencyExchange", "Обмен валюты"},
    {"businessRko", "РКО"},
    {"acquiring", "Эквайринг"},
    {"usloviya", "Условия"},
    {"osago", "ОСАГО"},
    {"kasko", "КАСКО"},
    {"ipotechnoeStrahovanie", "Ипотечное страхование"},
    {"microcredits", "Микрозаймы"},
    {"other", "Другое"},
}};

}  // namespace

std::optional<SravniKind> sravni_kind(std::string_view name) {
  if (name == "bank") return SravniKind::bank;
  if (name == "insurance") return SravniKind::insurance;
  return std::nullopt;
}

std::string sravni_tag_words(std::string_view tag) {
  for (const auto& [key, words] : kTags)
    if (key == tag) return std::string(words);
  return {};
}

std::string sravni_review_url(const SravniTarget& target, std::string_view id) {
  if (target.alias.empty() || id.empty()) return {};
  const std::string section = target.kind == SravniKind::insurance ? "strakhovaja-kompanija" : "bank";
  return "https://www.sravni.ru/" + section + "/" + percent_encode_segment(target.alias) + "/otzyvy/" +
         percent_encode_segment(id) + "/";
}

Result<ParsedPage> parse_sravni(const ParseInput& input, const SravniTarget& target) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* items = array_of(root.if_object(), "items");
  if (items == nullptr)
    return Failure(errc::parse_failed, input.base_url + ": not a sravni.ru reviews list (no \"items\" array)");
  ParsedPage page;
  std::size_t index = 0;
  for (const auto& e : *items) {
    ++index;
    const auto* r = e.if_object();
    if (r == nullptr) {
      page.warnings.push_back("item #" + std::to_string(index) + ": skipped, not an object");
      continue;
    }
    Mention m = mention_of(input);
    const std::string id = one_line(text_of(r, "id"));
    if (!id.empty()) {
      m.external_id = "sravni-" + id;
      m.url = sravni_review_url(target, id);
    }
    m.title = one_line(clean_text(text_of(r, "title")));
    m.text = clean_text(text_of(r, "text"));
    std::string author = one_line(text_of(r, "authorName"));
    if (const std::string last = one_line(text_of(r, "authorLastName")); !last.empty())
      author += (author.empty() ? "" : " ") + last;
    m.author = std::move(author);
    m.author_id = one_line(text_of(r, "userId"));
    if (const auto* answered = r->if_contains("hasCompanyResponse"); answered && answered->is_bool() && answered->get_bool())
      m.company_reply = std::string(kSravniAnswered);
    // The subject in words: the product area, the product, the city.
    std::string subject = sravni_tag_words(text_of(r, "reviewTag"));
    for (const std::string& part : {one_line(text_of(r, "specificProductName")),
                                     one_line(text_of(object_of(r, "locationData"), "name"))}) {
      if (part.empty()) continue;
      subject += (subject.empty() ? "" : " · ") + part;
    }
    m.subject = std::move(subject);
    const std::string label = id.empty() ? "item #" + std::to_string(index) : "item " + id;
    if (m.text.empty()) {
      page.warnings.push_back(label + ": skipped, no text");
      continue;
    }
    if (const auto* rating = r->if_contains("rating"); rating != nullptr && !rating->is_null() &&
                                                       !(rating->is_string() && rating->get_string().empty())) {
      if (const auto value = number_of(r, "rating"); value && *value > 0) m.rating = normalise_rating(*value, 5);
      else if (!value || *value != 0) page.warnings.push_back(label + ": unparsable rating " + json::serialize(*rating));
    }
    const std::string date = one_line(text_of(r, "date"));
    const std::string moscow = one_line(text_of(r, "createdToMoscow"));
    m.published = date.empty() ? moscow_time(moscow) : parse_iso8601_date(date);
    if (!m.published && !(date.empty() && moscow.empty()))
      page.warnings.push_back(label + ": unparsable date \"" + (date.empty() ? moscow : date) + "\"");
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::optional<std::string> next_sravni_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return std::nullopt;
  const auto* o = root.if_object();
  const auto* items = array_of(o, "items");
  if (items == nullptr || items->empty()) return std::nullopt;
  const auto [index_name, index] = int_param(url, "pageIndex", "PageIndex", 0);
  const auto size = int_param(url, "pageSize", "PageSize", 20).second;
  if (size <= 0) return std::nullopt;
  if (const auto total = number_of(o, "total")) {
    if (static_cast<double>((index + 1) * size) >= *total) return std::nullopt;
  } else if (static_cast<long>(items->size()) < size) {
    return std::nullopt;
  }
  return with_query_param(url, index_name, std::to_string(index + 1));
}

std::string sravni_url(std::string_view object_id, SravniKind kind) {
  return "https://www.sravni.ru/proxy-reviews/reviews?filterBy=all&newIds=true&orderBy=byDate&pageIndex=0&pageSize=20"
         "&rated=any&" +
         encoded_query_pair("reviewObjectId", object_id) + "&reviewObjectType=" +
         (kind == SravniKind::insurance ? "insuranceCompany" : "banks") + "&withVotes=true";
}

}  // namespace otklik
