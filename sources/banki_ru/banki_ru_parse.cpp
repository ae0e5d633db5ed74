#include "sources/banki_ru/banki_ru_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <charconv>

namespace otklik {
namespace {

namespace json = boost::json;

/// o[key] as text: a string as is, a number in decimal; "" when absent, null or anything else.
std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return {};
}

/// "YYYY-MM-DD HH:MM:SS" in Moscow time (UTC+3, no daylight saving since 2014) → UTC.
std::optional<TimePoint> moscow_time(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return parse_date_format(std::string(text) + " +0300", "%Y-%m-%d %H:%M:%S %z");
}

/// The page number in `url` (page=N), 1 when absent or not a positive number.
long page_number(std::string_view url) {
  const auto raw = query_param(url, "page");
  long n = 0;
  if (!raw || std::from_chars(raw->data(), raw->data() + raw->size(), n).ec != std::errc() || n < 1) return 1;
  return n;
}

}  // namespace

std::string banki_ru_response_url(std::string_view id) {
  return "https://www.banki.ru/services/responses/bank/response/" + std::string(id) + "/";
}

Result<ParsedPage> parse_banki_ru(const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = json::parse(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  const auto* data = o ? o->if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array())
    return Failure(errc::parse_failed, input.base_url + ": not a banki.ru responses list (no \"data\" array)");
  ParsedPage page;
  std::size_t index = 0;
  for (const auto& e : data->get_array()) {
    ++index;
    const auto* r = e.if_object();
    if (r == nullptr) {
      page.warnings.push_back("item #" + std::to_string(index) + ": skipped, not an object");
      continue;
    }
    Mention m = mention_of(input);
    m.external_id = one_line(text_of(*r, "id"));
    if (!m.external_id.empty()) m.url = banki_ru_response_url(m.external_id);
    m.title = one_line(clean_text(text_of(*r, "title")));
    m.text = clean_text(text_of(*r, "text"));
    m.author = one_line(text_of(*r, "userName"));
    m.company_reply = clean_text(text_of(*r, "agentAnswerText"));
    const std::string label = m.external_id.empty() ? "item #" + std::to_string(index) : "item " + m.external_id;
    if (m.text.empty()) {
      page.warnings.push_back(label + ": skipped, no text");
      continue;
    }
    if (const auto* grade = r->if_contains("grade"); grade != nullptr && !grade->is_null()) {
      std::optional<double> value;
      if (grade->is_number()) value = grade->to_number<double>();
      else if (grade->is_string()) value = parse_number(grade->get_string());
      if (value) m.rating = normalise_rating(*value, 5);
      else page.warnings.push_back(label + ": unparsable grade " + json::serialize(*grade));
    }
    const std::string date = text_of(*r, "dateCreate");
    m.published = moscow_time(date);
    if (!m.published && !date.empty()) page.warnings.push_back(label + ": unparsable dateCreate \"" + one_line(date) + "\"");
    assign_missing_id(m);
    page.mentions.push_back(std::move(m));
  }
  return page;
}

std::optional<std::string> next_banki_ru_page(std::string_view url, std::string_view body, const ParsedPage&) {
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  if (ec || !root.is_object()) return std::nullopt;
  const auto* more = root.get_object().if_contains("hasMorePages");
  if (more == nullptr || !more->is_bool() || !more->get_bool()) return std::nullopt;
  return with_query_param(url, "page", std::to_string(page_number(url) + 1));
}

std::string banki_ru_url(std::string_view bank_code) {
  return with_query_param("https://www.banki.ru/services/responses/list/ajax/?page=1&is_countable=on", "bank",
                          bank_code);
}

}  // namespace otklik
