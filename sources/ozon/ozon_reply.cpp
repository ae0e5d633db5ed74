#include "sources/ozon/ozon_reply.hpp"

#include "sources/api/api_client.hpp"
#include "sources/api/reply_text.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/ozon/ozon_api.hpp"
#include "sources/ozon/ozon_parse.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kSite = "Ozon";

bool flag_of(const json::object* o, std::string_view key) {
  const auto* v = o != nullptr ? o->if_contains(key) : nullptr;
  return v != nullptr && v->is_bool() && v->get_bool();
}


class OzonReplier final : public ReplyPoster {
 public:
  explicit OzonReplier(ApiClient client) : client_(std::move(client)) {}

  [[nodiscard]] ReplyLimits limits() const override { return ozon_reply_limits(); }
  [[nodiscard]] std::string site() const override { return std::string(kSite); }

  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                           const Mention& review) override {
    if (review.external_id.empty()) co_return Failure(errc::invalid_input, "the review has no Ozon id");
    ApiCall call = ozon_comment_list_call(review.external_id);
    auto got = co_await client_.call(ctx, std::move(call));
    if (!got) co_return got.error();
    co_return parse_ozon_answer(got->body);
  }

  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                  bool edit) override {
    if (review.external_id.empty()) co_return Failure(errc::invalid_input, "the review has no Ozon id");
    text = trimmed_reply(text);
    if (const std::string problem = reply_text_problem(text, limits(), kSite); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    if (edit) {
      // Delete first: should the create then fail, the retry finds no comment and only creates,
      // where the other order could leave two answers under the review.
      auto current = co_await current_answer(ctx, review);
      if (!current) co_return current.error();
      if (*current && !(*current)->id.empty()) {
        ApiCall remove = ozon_comment_delete_call((*current)->id);
        auto removed = co_await client_.call(ctx, std::move(remove));
        if (!removed) co_return removed.error();
      }
    }
    ApiCall create = ozon_comment_create_call(review.external_id, text);
    auto created = co_await client_.call(ctx, std::move(create));
    if (!created) co_return created.error();
    auto id = parse_ozon_comment_id(created->body);
    if (!id) co_return id.error();
    co_return SiteAnswer{std::move(*id), std::move(text), ctx.now};
  }

 private:
  ApiClient client_;
};

}  // namespace

ReplyLimits ozon_reply_limits() { return ReplyLimits{0, 1, true}; }

ApiCall ozon_comment_create_call(std::string_view review_id, std::string_view text) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v1/review/comment/create";
  call.body = json::serialize(
      json::object{{"mark_review_as_processed", true}, {"review_id", review_id}, {"text", text}});
  return call;
}

ApiCall ozon_comment_delete_call(std::string_view comment_id) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v1/review/comment/delete";
  call.body = json::serialize(json::object{{"comment_id", comment_id}});
  return call;
}

Result<std::optional<SiteAnswer>> parse_ozon_answer(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Ozon review comments: not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, "Ozon review comments: not a JSON object");
  std::optional<SiteAnswer> answer;
  const auto* comments = array_of(o, "comments");
  if (comments == nullptr) return answer;
  for (const auto& c : *comments) {
    const auto* comment = c.if_object();
    if (comment == nullptr || !(flag_of(comment, "is_owner") || flag_of(comment, "is_official"))) continue;
    if (!text_of(comment, "parent_comment_id").empty()) continue;
    std::string text = trimmed_reply(text_of(comment, "text"));
    if (text.empty()) continue;
    SiteAnswer a{text_of(comment, "id"), std::move(text), parse_iso8601_date(text_of(comment, "published_at"))};
    // The list comes oldest first as the call asks, but the dates decide when they are given.
    if (!answer || !a.at || !answer->at || *a.at >= *answer->at) answer = std::move(a);
  }
  return answer;
}

Result<std::string> parse_ozon_comment_id(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  const auto* o = ec ? nullptr : root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, "Ozon comment create: not a JSON object");
  std::string id = text_of(o, "comment_id");
  if (id.empty()) return Failure(errc::parse_failed, "Ozon comment create: no comment_id in the answer");
  return id;
}

std::unique_ptr<ReplyPoster> make_ozon_replier(const SourceConfig& config, BudgetBook& budgets) {
  return std::make_unique<OzonReplier>(make_ozon_client(config, budgets));
}

}  // namespace otklik
