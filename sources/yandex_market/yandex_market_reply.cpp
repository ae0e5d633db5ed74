#include "sources/yandex_market/yandex_market_reply.hpp"

#include "sources/api/api_client.hpp"
#include "sources/api/reply_text.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/yandex_market/yandex_market_api.hpp"
#include "sources/yandex_market/yandex_market_parse.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cstdint>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kSite = "Yandex Market";


/// The API's ids are int64: sent as numbers, as the documentation shows them (an id that is not
/// a number is sent as it is and refused by the API).
json::value id_value(std::string_view id) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec == std::errc() && end == id.data() + id.size()) return n;
  return json::string(id);
}

/// The "result" object of an answer, or a failure for {"status": "ERROR"} or another shape.
Result<const json::object*> result_of(const json::value& root, std::string_view what) {
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, std::string(what) + ": not a JSON object");
  if (text_of(o, "status") == "ERROR") {
    std::string why;
    if (const auto* errors = array_of(o, "errors"); errors != nullptr && !errors->empty())
      why = one_line(text_of(errors->at(0).if_object(), "code") + " " + text_of(errors->at(0).if_object(), "message"));
    return Failure(errc::parse_failed, std::string(what) + ": status ERROR" + (why.empty() ? "" : ": " + why));
  }
  const auto* result = object_of(o, "result");
  if (result == nullptr) return Failure(errc::parse_failed, std::string(what) + ": no \"result\"");
  return result;
}

/// A comment on the feedback itself: no parent (absent, null or 0).
bool top_level(const json::object* comment) {
  const std::string parent = text_of(comment, "parentId");
  return parent.empty() || parent == "0";
}

class YandexMarketReplier final : public ReplyPoster {
 public:
  YandexMarketReplier(std::string business, ApiClient client)
      : business_(std::move(business)), client_(std::move(client)) {}

  [[nodiscard]] ReplyLimits limits() const override { return yandex_market_reply_limits(); }
  [[nodiscard]] std::string site() const override { return std::string(kSite); }

  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                           const Mention& review) override {
    if (review.external_id.empty()) co_return Failure(errc::invalid_input, "the feedback has no Yandex Market id");
    ApiCall call = yandex_market_comments_call(business_, review.external_id);
    auto got = co_await client_.call(ctx, std::move(call));
    if (!got) co_return got.error();
    co_return parse_yandex_market_answer(got->body);
  }

  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                  bool edit) override {
    if (review.external_id.empty()) co_return Failure(errc::invalid_input, "the feedback has no Yandex Market id");
    text = trimmed_reply(text);
    if (const std::string problem = reply_text_problem(text, limits(), kSite); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    std::string comment_id;
    if (edit) {
      // The update call changes a comment named by its id: the business's comment there now.
      auto current = co_await current_answer(ctx, review);
      if (!current) co_return current.error();
      if (*current) comment_id = (*current)->id;
    }
    ApiCall call = yandex_market_comment_update_call(business_, review.external_id, text, comment_id);
    auto got = co_await client_.call(ctx, std::move(call));
    if (!got) co_return got.error();
    auto answer = parse_yandex_market_updated_comment(got->body);
    if (!answer) co_return answer.error();
    if (answer->text.empty()) answer->text = std::move(text);
    if (!answer->at) answer->at = ctx.now;
    co_return *answer;
  }

 private:
  std::string business_;
  ApiClient client_;
};

}  // namespace

ReplyLimits yandex_market_reply_limits() { return ReplyLimits{4096, 1, true}; }

ApiCall yandex_market_comment_update_call(std::string_view business_id, std::string_view feedback_id,
                                          std::string_view text, std::string_view comment_id) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v2/businesses/" + percent_encode_segment(business_id) + "/goods-feedback/comments/update";
  json::object comment;
  if (!comment_id.empty()) comment["id"] = id_value(comment_id);
  comment["text"] = text;
  json::object body;
  body["feedbackId"] = id_value(feedback_id);
  body["comment"] = std::move(comment);
  call.body = json::serialize(body);
  return call;
}

Result<std::optional<SiteAnswer>> parse_yandex_market_answer(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Yandex Market feedback comments: not JSON: " + ec.message());
  auto result = result_of(root, "Yandex Market feedback comments");
  if (!result) return result.error();
  std::optional<SiteAnswer> answer;
  const auto* comments = array_of(*result, "comments");
  if (comments == nullptr) return answer;
  for (const auto& c : *comments) {
    const auto* comment = c.if_object();
    if (comment == nullptr || text_of(object_of(comment, "author"), "type") != "BUSINESS") continue;
    const std::string status = text_of(comment, "status");
    if (status == "BANNED" || status == "DELETED" || !top_level(comment)) continue;
    std::string text = trimmed_reply(text_of(comment, "text"));
    if (text.empty()) continue;
    // The comments carry no date; the list is in the order the Market keeps, the last one newest.
    answer = SiteAnswer{text_of(comment, "id"), std::move(text), std::nullopt};
  }
  return answer;
}

Result<SiteAnswer> parse_yandex_market_updated_comment(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Yandex Market comment update: not JSON: " + ec.message());
  auto result = result_of(root, "Yandex Market comment update");
  if (!result) return result.error();
  SiteAnswer answer{text_of(*result, "id"), trimmed_reply(text_of(*result, "text")), std::nullopt};
  if (answer.id.empty()) return Failure(errc::parse_failed, "Yandex Market comment update: no comment id in the answer");
  return answer;
}

std::unique_ptr<ReplyPoster> make_yandex_market_replier(const SourceConfig& config, BudgetBook& budgets) {
  return std::make_unique<YandexMarketReplier>(preset_key(config, "business_id"),
                                               make_yandex_market_client(config, budgets));
}

}  // namespace otklik
