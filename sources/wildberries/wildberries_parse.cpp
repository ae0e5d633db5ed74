#include "sources/wildberries/wildberries_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

#include <charconv>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr int kMaxFeedbackSkip = 199990;  ///< "Количество отзывов для пропуска (max. 199990)"
constexpr int kMaxQuestionWindow = 10000;  ///< questions: take + skip ≤ 10 000

std::string path_of(WildberriesKind kind) {
  return kind == WildberriesKind::questions ? "/api/v1/questions" : "/api/v1/feedbacks";
}

/// A query parameter of a relative target as an integer.
std::optional<int> int_param(std::string_view target, std::string_view key) {
  const auto value = query_param("http://api" + std::string(target), key);
  if (!value || value->empty()) return std::nullopt;
  int n = 0;
  const char* end = value->data() + value->size();
  auto [p, ec] = std::from_chars(value->data(), end, n);
  if (ec != std::errc() || p != end || n < 0) return std::nullopt;
  return n;
}

/// The call for the next page, or nullopt when `count` items finished the list or the API's
/// paging window ends here.
std::optional<ApiCall> next_call(const ApiCall& sent, std::size_t count, WildberriesKind kind) {
  const auto take = int_param(sent.target, "take");
  const int skip = int_param(sent.target, "skip").value_or(0);
  if (!take || *take <= 0 || count < static_cast<std::size_t>(*take)) return std::nullopt;
  const int next = skip + *take;
  if (kind == WildberriesKind::feedbacks && next > kMaxFeedbackSkip) return std::nullopt;
  if (kind == WildberriesKind::questions && next + *take > kMaxQuestionWindow) return std::nullopt;
  ApiCall call = sent;
  const std::string url = with_query_param("http://api" + sent.target, "skip", std::to_string(next));
  call.target = url.substr(std::string_view("http://api").size());
  return call;
}

/// The answer's list ("feedbacks" / "questions"), or a failure for an answer of another shape or
/// an error the API put in a 200 answer.
Result<const json::array*> list_of(const json::value& root, std::string_view key, const ParseInput& input) {
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, input.base_url + ": not a Wildberries answer (not a JSON object)");
  if (const auto* error = o->if_contains("error"); error != nullptr && error->is_bool() && error->get_bool()) {
    std::string text = one_line(text_of(o, "errorText"));
    return Failure(errc::parse_failed,
                   input.base_url + ": Wildberries answered an error" + (text.empty() ? "" : ": " + text));
  }
  const auto* data_value = o->if_contains("data");
  if (data_value == nullptr) return Failure(errc::parse_failed, input.base_url + ": not a Wildberries answer (no \"data\")");
  static const json::array kEmpty;
  if (data_value->is_null()) return &kEmpty;
  const auto* data = data_value->if_object();
  if (data == nullptr) return Failure(errc::parse_failed, input.base_url + ": Wildberries \"data\" is not an object");
  const auto* list = data->if_contains(key);
  if (list == nullptr || list->is_null()) return &kEmpty;
  if (!list->is_array())
    return Failure(errc::parse_failed, input.base_url + ": Wildberries \"" + std::string(key) + "\" is not an array");
  return &list->as_array();
}

/// The fields every item shares: id, the product (subject, url), the date, the seller's answer.
Mention common_fields(const json::object& item, const ParseInput& input, std::string_view color) {
  Mention m = mention_of(input);
  m.external_id = one_line(text_of(&item, "id"));
  const auto* product = object_of(&item, "productDetails");
  std::string nm_id = one_line(text_of(product, "nmId"));
  if (nm_id == "0") nm_id.clear();
  m.subject = wildberries_subject(nm_id, one_line(text_of(product, "productName")),
                                  one_line(text_of(product, "supplierArticle")), one_line(text_of(product, "size")),
                                  color);
  m.url = wildberries_product_url(nm_id);
  m.published = parse_iso8601_date(text_of(&item, "createdDate"));
  return m;
}

std::string label_of(const std::string& id, std::size_t index, std::string_view what) {
  return id.empty() ? std::string(what) + " #" + std::to_string(index) : std::string(what) + " " + id;
}

void add_line(std::string& text, std::string_view line) {
  if (line.empty()) return;
  if (!text.empty()) text += '\n';
  text += line;
}

}  // namespace

ApiCall wildberries_list_call(const WildberriesList& list, int skip) {
  ApiCall call;
  call.method = "GET";
  call.target = path_of(list.kind) + "?isAnswered=" + (list.answered ? "true" : "false") +
                "&take=" + std::to_string(list.take) + "&skip=" + std::to_string(skip) + "&order=dateDesc";
  if (!list.nm_id.empty()) call.target += "&" + encoded_query_pair("nmId", list.nm_id);
  return call;
}

std::string wildberries_product_url(std::string_view nm_id) {
  if (nm_id.empty()) return {};
  return "https://www.wildberries.ru/catalog/" + std::string(nm_id) + "/detail.aspx";
}

std::string wildberries_subject(std::string_view nm_id, std::string_view name, std::string_view supplier_article,
                                std::string_view size, std::string_view color) {
  std::string out;
  auto part = [&](const std::string& p) {
    if (p.empty()) return;
    if (!out.empty()) out += " · ";
    out += p;
  };
  if (!nm_id.empty()) part("арт. " + std::string(nm_id));
  if (!name.empty()) part("«" + std::string(name) + "»");
  part(std::string(supplier_article));
  if (!size.empty() && size != "0") part("размер " + std::string(size));
  if (!color.empty() && color != "colorless") part("цвет " + std::string(color));
  return out;
}

namespace {

/// One feedback as a mention, or nullopt (with a warning) when it holds nothing to read.
std::optional<Mention> feedback_mention(const json::value& value, std::size_t index, const ParseInput& input,
                                        std::vector<std::string>& warnings) {
  const auto* f = value.if_object();
  if (f == nullptr) {
    warnings.push_back("feedback #" + std::to_string(index) + ": skipped, not an object");
    return std::nullopt;
  }
  Mention m = common_fields(*f, input, one_line(text_of(f, "color")));
  const std::string label = label_of(m.external_id, index, "feedback");
  m.author = one_line(text_of(f, "userName"));

  std::string text = clean_text(text_of(f, "text"));
  const std::string pros = clean_text(text_of(f, "pros"));
  const std::string cons = clean_text(text_of(f, "cons"));
  if (!pros.empty()) add_line(text, "Достоинства: " + pros);
  if (!cons.empty()) add_line(text, "Недостатки: " + cons);
  std::size_t photos = 0;
  if (const auto* links = array_of(f, "photoLinks")) photos = links->size();
  const auto* video = object_of(f, "video");
  const bool has_video = video != nullptr && !text_of(video, "link").empty();
  if (photos > 0 || has_video) {
    std::string media = photos > 0 ? "Фото: " + std::to_string(photos) : std::string();
    if (has_video) media += media.empty() ? "Видео" : ", видео";
    add_line(text, media);
  }
  m.text = std::move(text);

  if (const auto* stars = f->if_contains("productValuation"); stars != nullptr && !stars->is_null()) {
    const auto valuation = number_of(f, "productValuation");
    if (valuation && *valuation >= 1 && *valuation <= 5) m.rating = normalise_rating(*valuation, 5);
    else warnings.push_back(label + ": productValuation out of 1..5, left empty");
  }
  if (const auto* answer = object_of(f, "answer")) {
    // An answer moderation rejected is not on the site: the case stays open.
    if (text_of(answer, "state") != "rejected") m.company_reply = clean_text(text_of(answer, "text"));
  }
  if (m.text.empty() && !m.rating) {
    warnings.push_back(label + ": skipped, neither text nor rating");
    return std::nullopt;
  }
  assign_missing_id(m);
  return m;
}

/// One question as a mention, or nullopt (with a warning) when it has no text.
std::optional<Mention> question_mention(const json::value& value, std::size_t index, const ParseInput& input,
                                        std::vector<std::string>& warnings) {
  const auto* q = value.if_object();
  if (q == nullptr) {
    warnings.push_back("question #" + std::to_string(index) + ": skipped, not an object");
    return std::nullopt;
  }
  Mention m = common_fields(*q, input, "");
  const std::string label = label_of(m.external_id, index, "question");
  m.text = clean_text(text_of(q, "text"));
  // The seller's answer, or the text it gave when it rejected the question (state "none"):
  // either way the company has dealt with it.
  if (const auto* answer = object_of(q, "answer")) m.company_reply = clean_text(text_of(answer, "text"));
  if (m.text.empty()) {
    warnings.push_back(label + ": skipped, no text");
    return std::nullopt;
  }
  assign_missing_id(m);
  return m;
}

using ItemReader = std::optional<Mention> (*)(const json::value&, std::size_t, const ParseInput&,
                                              std::vector<std::string>&);

Result<ApiPage> parse_list(const ApiCall& sent, const ParseInput& input, WildberriesKind kind) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const bool questions = kind == WildberriesKind::questions;
  auto list = list_of(root, questions ? "questions" : "feedbacks", input);
  if (!list) return list.error();
  const ItemReader read = questions ? question_mention : feedback_mention;
  ApiPage out;
  std::size_t index = 0;
  for (const auto& value : **list)
    if (auto m = read(value, ++index, input, out.page.warnings)) out.page.mentions.push_back(std::move(*m));
  out.next = next_call(sent, (*list)->size(), kind);
  return out;
}

}  // namespace

Result<ApiPage> parse_wildberries_feedbacks(const ApiCall& sent, const ParseInput& input) {
  return parse_list(sent, input, WildberriesKind::feedbacks);
}

Result<ApiPage> parse_wildberries_questions(const ApiCall& sent, const ParseInput& input) {
  return parse_list(sent, input, WildberriesKind::questions);
}

ApiCall wildberries_item_call(WildberriesKind kind, std::string_view id) {
  ApiCall call;
  call.method = "GET";
  call.target = std::string(kind == WildberriesKind::questions ? "/api/v1/question?" : "/api/v1/feedback?") +
                encoded_query_pair("id", id);
  return call;
}

Result<ApiPage> parse_wildberries_item(WildberriesKind kind, const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, input.base_url + ": not a Wildberries answer (not a JSON object)");
  if (const auto* error = o->if_contains("error"); error != nullptr && error->is_bool() && error->get_bool()) {
    const std::string text = one_line(text_of(o, "errorText"));
    return Failure(errc::parse_failed,
                   input.base_url + ": Wildberries answered an error" + (text.empty() ? "" : ": " + text));
  }
  const auto* data = o->if_contains("data");
  if (data == nullptr) return Failure(errc::parse_failed, input.base_url + ": not a Wildberries answer (no \"data\")");
  ApiPage out;
  if (data->is_null()) return out;
  const ItemReader read = kind == WildberriesKind::questions ? question_mention : feedback_mention;
  if (auto m = read(*data, 1, input, out.page.warnings)) out.page.mentions.push_back(std::move(*m));
  return out;
}

}  // namespace otklik
