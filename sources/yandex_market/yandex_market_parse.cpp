#include "sources/yandex_market/yandex_market_parse.hpp"

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

Failure not_an_answer(const std::string& url, std::string_view why) {
  return Failure(errc::parse_failed, url + ": not a Yandex Market answer (" + std::string(why) + ")");
}

/// The answer's "result" object after checking "status"; a failure for {"status": "ERROR"}.
Result<const json::object*> result_of(const json::value& root, const std::string& url) {
  const auto* o = root.if_object();
  if (o == nullptr) return not_an_answer(url, "not a JSON object");
  if (text_of(o, "status") == "ERROR") {
    std::string why;
    if (const auto* errors = array_of(o, "errors"); errors != nullptr && !errors->empty())
      why = one_line(text_of(errors->at(0).if_object(), "code") + " " + text_of(errors->at(0).if_object(), "message"));
    return Failure(errc::parse_failed, url + ": Yandex Market answered status ERROR" + (why.empty() ? "" : ": " + why));
  }
  const auto* result = object_of(o, "result");
  if (result == nullptr) return not_an_answer(url, "no \"result\"");
  return result;
}

std::size_t size_of(const json::array* a) { return a != nullptr ? a->size() : 0; }

/// "Фото: 2 · видео: 1" for the media a feedback carries; "" for none.
std::string media_line(std::size_t photos, std::size_t videos) {
  std::string line;
  if (photos > 0) line = "Фото: " + std::to_string(photos);
  if (videos > 0) line += (line.empty() ? "Видео: " : " · видео: ") + std::to_string(videos);
  return line;
}

}  // namespace

ApiCall yandex_market_feedback_call(std::string_view business_id, int limit) {
  ApiCall call;
  call.method = "POST";
  call.target =
      "/v2/businesses/" + percent_encode_segment(business_id) + "/goods-feedback?limit=" + std::to_string(limit);
  // Every feedback, read or not: a feedback the shop has read in its cabinet no longer "needs
  // reaction" but may still be a complaint nobody answered.
  call.body = json::serialize(json::object{{"reactionStatus", "ALL"}});
  return call;
}

ApiCall yandex_market_comments_call(std::string_view business_id, std::string_view feedback_id) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v2/businesses/" + percent_encode_segment(business_id) + "/goods-feedback/comments?limit=" +
                std::to_string(kYandexMarketFeedbackLimit);
  json::object body;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(feedback_id.data(), feedback_id.data() + feedback_id.size(), id);
  if (ec == std::errc() && end == feedback_id.data() + feedback_id.size()) body["feedbackId"] = id;
  else body["feedbackId"] = feedback_id;
  call.body = json::serialize(body);
  return call;
}

Result<YandexMarketFeedbackPage> parse_yandex_market_feedback(const ApiCall& sent, const ParseInput& input) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(input.body, ec);
  if (ec) return Failure(errc::parse_failed, input.base_url + ": not JSON: " + ec.message());
  auto result = result_of(root, input.base_url);
  if (!result) return result.error();
  const json::object* r = *result;
  const auto* feedbacks_value = r->if_contains("feedbacks");
  const json::array* feedbacks = nullptr;
  if (feedbacks_value != nullptr && !feedbacks_value->is_null()) {
    feedbacks = feedbacks_value->if_array();
    if (feedbacks == nullptr) return not_an_answer(input.base_url, "\"feedbacks\" is not an array");
  }

  YandexMarketFeedbackPage out;
  ParsedPage& page = out.page.page;
  const std::size_t count = size_of(feedbacks);
  for (std::size_t i = 0; i < count; ++i) {
    const auto* f = (*feedbacks)[i].if_object();
    const std::string id = f != nullptr ? one_line(text_of(f, "feedbackId")) : std::string();
    const std::string label = id.empty() ? "feedback #" + std::to_string(i + 1) : "feedback " + id;
    if (f == nullptr || id.empty()) {
      page.warnings.push_back(label + (f == nullptr ? ": skipped, not an object" : ": skipped, no feedbackId"));
      continue;
    }
    Mention m = mention_of(input);
    m.external_id = id;
    const auto* description = object_of(f, "description");
    const std::string comment = clean_text(text_of(description, "comment"));
    const std::string pros = clean_text(text_of(description, "advantages"));
    const std::string cons = clean_text(text_of(description, "disadvantages"));
    std::string text = comment;
    if (!pros.empty()) text += (text.empty() ? "" : "\n") + std::string("Достоинства: ") + pros;
    if (!cons.empty()) text += (text.empty() ? "" : "\n") + std::string("Недостатки: ") + cons;
    if (text.empty()) {
      page.warnings.push_back(label + ": skipped, no text (a rating alone)");
      continue;
    }
    const auto* media = object_of(f, "media");
    const std::string media_text = media_line(size_of(array_of(media, "photos")), size_of(array_of(media, "videos")));
    if (!media_text.empty()) text += "\n" + media_text;
    m.text = std::move(text);
    m.author = one_line(text_of(f, "author"));
    const auto* identifiers = object_of(f, "identifiers");
    if (const std::string offer = one_line(text_of(identifiers, "offerId")); !offer.empty())
      m.subject = yandex_market_subject(offer);
    const auto* statistics = object_of(f, "statistics");
    if (const auto* rating = statistics != nullptr ? statistics->if_contains("rating") : nullptr;
        rating != nullptr && !rating->is_null()) {
      const auto stars = number_of(statistics, "rating");
      if (stars && *stars >= 1 && *stars <= 5) m.rating = normalise_rating(*stars, 5);
      else page.warnings.push_back(label + ": rating out of 1..5, left empty");
    }
    m.published = parse_iso8601_date(text_of(f, "createdAt"));
    const auto* need = f->if_contains("needReaction");
    const bool needs_reaction = need != nullptr && need->is_bool() && need->get_bool();
    const auto comments = number_of(statistics, "commentsCount");
    if (!needs_reaction && comments && *comments >= 1 && *comments < 1e9)
      out.answered.emplace_back(id, static_cast<int>(*comments));
    page.mentions.push_back(std::move(m));
  }

  const std::string token = text_of(object_of(r, "paging"), "nextPageToken");
  if (count > 0 && !token.empty()) {
    ApiCall next = sent;
    next.target = with_query_param(sent.target, "page_token", token);
    out.page.next = std::move(next);
  }
  return out;
}

Result<std::string> parse_yandex_market_business_reply(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Yandex Market feedback comments: not JSON: " + ec.message());
  auto result = result_of(root, "Yandex Market feedback comments");
  if (!result) return result.error();
  const auto* comments = array_of(*result, "comments");
  if (comments == nullptr) return std::string();
  std::string on_feedback;
  std::string in_threads;
  for (const auto& c : *comments) {
    const auto* comment = c.if_object();
    if (comment == nullptr || text_of(object_of(comment, "author"), "type") != "BUSINESS") continue;
    const std::string status = text_of(comment, "status");
    if (status == "BANNED" || status == "DELETED") continue;
    const std::string text = clean_text(text_of(comment, "text"));
    if (text.empty()) continue;
    std::string& into = text_of(comment, "parentId").empty() ? on_feedback : in_threads;
    into += (into.empty() ? "" : "\n\n") + text;
  }
  if (on_feedback.empty()) return in_threads;
  if (in_threads.empty()) return on_feedback;
  return on_feedback + "\n\n" + in_threads;
}

ApiCall yandex_market_offers_call(std::string_view business_id, const std::vector<std::string>& offer_ids) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v2/businesses/" + percent_encode_segment(business_id) + "/offer-mappings";
  json::array ids;
  for (const auto& id : offer_ids) ids.emplace_back(id);
  json::object body;
  body["offerIds"] = std::move(ids);
  call.body = json::serialize(body);
  return call;
}

Result<std::map<std::string, YandexMarketOffer>> parse_yandex_market_offers(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Yandex Market offer mappings: not JSON: " + ec.message());
  auto result = result_of(root, "Yandex Market offer mappings");
  if (!result) return result.error();
  std::map<std::string, YandexMarketOffer> offers;
  const auto* mappings = array_of(*result, "offerMappings");
  if (mappings == nullptr) return offers;
  for (const auto& entry : *mappings) {
    const auto* mapping = entry.if_object();
    const auto* offer = object_of(mapping, "offer");
    const std::string id = one_line(text_of(offer, "offerId"));
    if (id.empty()) continue;
    YandexMarketOffer o;
    o.name = one_line(text_of(offer, "name"));
    if (const auto* urls = array_of(mapping, "showcaseUrls")) {
      for (const auto& u : *urls) {
        const std::string url = one_line(text_of(u.if_object(), "showcaseUrl"));
        if (!url.starts_with("https://")) continue;
        if (o.url.empty() || text_of(u.if_object(), "showcaseType") == "B2C") o.url = url;
      }
    }
    offers[id] = std::move(o);
  }
  return offers;
}

std::string yandex_market_subject(std::string_view offer_id, std::string_view name) {
  std::string subject = "арт. " + std::string(offer_id);
  if (!name.empty()) subject += " · «" + std::string(name) + "»";
  return subject;
}

}  // namespace otklik
