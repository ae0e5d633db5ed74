#include "sources/ozon/ozon_parse.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/html_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

Failure not_an_answer(const std::string& url, std::string_view why) {
  return Failure(errc::parse_failed, url + ": not an Ozon reviews answer (" + std::string(why) + ")");
}

/// o[key] as a count: a non-negative integer, 0 when absent or anything else.
int count_of(const json::object* o, std::string_view key) {
  const auto n = number_of(o, key);
  return n && *n > 0 && *n < 1e9 ? static_cast<int>(*n) : 0;
}

bool flag_of(const json::object* o, std::string_view key) {
  const auto* v = o != nullptr ? o->if_contains(key) : nullptr;
  return v != nullptr && v->is_bool() && v->get_bool();
}

/// "Фото: 2 · видео: 1" for the media a review carries; "" for none.
std::string media_line(int photos, int videos) {
  std::string line;
  if (photos > 0) line = "Фото: " + std::to_string(photos);
  if (videos > 0) line += (line.empty() ? "Видео: " : " · видео: ") + std::to_string(videos);
  return line;
}

}  // namespace

ApiCall ozon_review_list_call(std::string_view status, int limit) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v1/review/list";
  call.body = json::serialize(json::object{{"limit", limit}, {"sort_dir", "DESC"}, {"status", status}});
  return call;
}

ApiCall ozon_review_list_v2_call(std::string_view status, int limit) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v2/review/list";
  json::object body;
  body["filters"] = json::object{{"status", status}};
  body["limit"] = limit;
  body["sort_dir"] = "DESC";
  call.body = json::serialize(body);
  return call;
}

ApiCall ozon_comment_list_call(std::string_view review_id) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v1/review/comment/list";
  call.body = json::serialize(
      json::object{{"limit", 100}, {"offset", 0}, {"review_id", review_id}, {"sort_dir", "ASC"}});
  return call;
}

ApiCall ozon_product_info_call(const std::vector<std::string>& skus) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v3/product/info/list";
  json::array list;
  for (const auto& sku : skus) list.emplace_back(sku);
  json::object body;
  body["sku"] = std::move(list);
  call.body = json::serialize(body);
  return call;
}

Result<std::map<std::string, std::string>> parse_ozon_product_names(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Ozon product info: not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, "Ozon product info: not a JSON object");
  std::map<std::string, std::string> names;
  const auto* items = array_of(o, "items");
  if (items == nullptr) return names;
  for (const auto& i : *items) {
    const auto* item = i.if_object();
    const std::string name = one_line(text_of(item, "name"));
    if (name.empty()) continue;
    if (const std::string sku = one_line(text_of(item, "sku")); !sku.empty() && sku != "0") names[sku] = name;
    if (const auto* sources = array_of(item, "sources"))
      for (const auto& src : *sources)
        if (const std::string sku = one_line(text_of(src.if_object(), "sku")); !sku.empty() && sku != "0")
          names.emplace(sku, name);
  }
  return names;
}

std::string ozon_subject(std::string_view sku, std::string_view name) {
  std::string subject = "SKU " + std::string(sku);
  if (!name.empty()) subject += " · «" + std::string(name) + "»";
  return subject;
}

std::string ozon_product_url(std::string_view sku) {
  return sku.empty() ? std::string() : "https://www.ozon.ru/context/detail/id/" + std::string(sku) + "/";
}

Result<OzonReviewPage> parse_ozon_reviews(const ApiCall& sent, const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return not_an_answer(input.base_url, "not a JSON object");
  const auto* reviews_value = o->if_contains("reviews");
  if (reviews_value == nullptr && !o->contains("has_next"))
    return not_an_answer(input.base_url, "no \"reviews\" or \"has_next\"");
  const json::array* reviews = nullptr;
  if (reviews_value != nullptr && !reviews_value->is_null()) {
    reviews = reviews_value->if_array();
    if (reviews == nullptr) return not_an_answer(input.base_url, "\"reviews\" is not an array");
  }

  OzonReviewPage out;
  ParsedPage& page = out.page.page;
  std::size_t index = 0;
  const std::size_t count = reviews != nullptr ? reviews->size() : 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto* r = (*reviews)[i].if_object();
    ++index;
    const std::string id = r != nullptr ? one_line(text_of(r, "id")) : std::string();
    const std::string label = id.empty() ? "review #" + std::to_string(index) : "review " + id;
    if (r == nullptr) {
      page.warnings.push_back(label + ": skipped, not an object");
      continue;
    }
    if (id.empty()) {
      page.warnings.push_back(label + ": skipped, no id");
      continue;
    }
    Mention m = mention_of(input);
    m.external_id = id;
    m.text = clean_text(text_of(r, "text"));
    if (m.text.empty()) {
      page.warnings.push_back(label + ": skipped, no text (a rating alone)");
      continue;
    }
    const std::string media = media_line(count_of(r, "photos_amount"), count_of(r, "videos_amount"));
    if (!media.empty()) m.text += "\n" + media;
    const std::string sku = one_line(text_of(r, "sku"));
    if (!sku.empty()) {
      m.subject = ozon_subject(sku);
      m.url = ozon_product_url(sku);
    }
    if (const auto* rating = r->if_contains("rating"); rating != nullptr && !rating->is_null()) {
      const auto stars = number_of(r, "rating");
      if (stars && *stars >= 1 && *stars <= 5) m.rating = normalise_rating(*stars, 5);
      else page.warnings.push_back(label + ": rating out of 1..5, left empty");
    }
    m.published = parse_iso8601_date(text_of(r, "published_at"));
    if (const int comments = count_of(r, "comments_amount"); comments > 0) out.commented.emplace_back(id, comments);
    page.mentions.push_back(std::move(m));
  }

  // The next page: the same request after the answer's last_id, while the API says there is more.
  const std::string last_id = text_of(o, "last_id");
  const auto* more = o->if_contains("has_next");
  if (count > 0 && !last_id.empty() && more != nullptr && more->is_bool() && more->get_bool()) {
    const json::value body = json::parse(sent.body, ec);
    if (!ec && body.is_object()) {
      json::object next_body = body.get_object();
      next_body["last_id"] = last_id;
      ApiCall next = sent;
      next.body = json::serialize(next_body);
      out.page.next = std::move(next);
    }
  }
  return out;
}

Result<std::string> parse_ozon_seller_reply(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Ozon review comments: not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, "Ozon review comments: not a JSON object");
  const auto* comments = array_of(o, "comments");
  if (comments == nullptr) return std::string();
  std::string on_review;
  std::string in_threads;
  for (const auto& c : *comments) {
    const auto* comment = c.if_object();
    if (comment == nullptr || !(flag_of(comment, "is_owner") || flag_of(comment, "is_official"))) continue;
    const std::string text = clean_text(text_of(comment, "text"));
    if (text.empty()) continue;
    std::string& into = text_of(comment, "parent_comment_id").empty() ? on_review : in_threads;
    into += (into.empty() ? "" : "\n\n") + text;
  }
  if (on_review.empty()) return in_threads;
  if (in_threads.empty()) return on_review;
  return on_review + "\n\n" + in_threads;
}

}  // namespace otklik
