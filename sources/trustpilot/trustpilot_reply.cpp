#include "sources/trustpilot/trustpilot_reply.hpp"

#include "sources/api/api_client.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/trustpilot/trustpilot_api.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

class TrustpilotReplier final : public ReplyPoster {
 public:
  TrustpilotReplier(std::shared_ptr<ApiClient> client, std::string business_user_id)
      : client_(std::move(client)), user_(std::move(business_user_id)) {}

  // No documented limit: only an empty text is refused before the call.
  [[nodiscard]] ReplyLimits limits() const override { return {0, 1, true}; }
  [[nodiscard]] std::string site() const override { return "Trustpilot"; }

  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                           const Mention& review) override {
    if (auto bad = check_id(review)) co_return *bad;
    auto answer = co_await client_->call(ctx, trustpilot_review_call(review.external_id));
    if (!answer) co_return answer.error();
    co_return parse_trustpilot_company_reply(answer->body);
  }

  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                  bool edit) override {
    if (std::string problem = reply_text_problem(text, limits(), site()); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    if (auto bad = check_id(review)) co_return *bad;
    if (edit) {
      auto deleted = co_await client_->call(ctx, trustpilot_delete_reply_call(review.external_id));
      // A reply already gone (404) is what the delete wanted.
      if (!deleted && deleted.error().http_status != 404) co_return deleted.error();
    }
    auto answer = co_await client_->call(ctx, trustpilot_reply_call(review.external_id, user_, text));
    if (!answer) {
      Failure f = answer.error();
      if (edit) f.detail += " (the previous reply was deleted)";
      co_return f;
    }
    SiteAnswer out;
    out.text = std::move(text);
    boost::system::error_code ec;
    const json::value v = parse_lenient_json(answer->body, ec);
    if (!ec && v.is_object()) out.at = parse_iso8601_date(text_of(object_of(&v.as_object(), "reply"), "createdAt"));
    co_return out;
  }

 private:
  static std::optional<Failure> check_id(const Mention& review) {
    // Trustpilot's ids are 24 hex digits; a hashed id ("h:…") means the page gave none.
    const auto& id = review.external_id;
    if (id.empty() || id.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return Failure(errc::invalid_input, "not a Trustpilot review id: \"" + id + "\"");
    return std::nullopt;
  }

  std::shared_ptr<ApiClient> client_;
  std::string user_;
};

}  // namespace

ApiCall trustpilot_review_call(std::string_view review_id) {
  ApiCall call;
  call.target = "/v1/reviews/" + percent_encode_segment(review_id);
  return call;
}

ApiCall trustpilot_reply_call(std::string_view review_id, std::string_view business_user_id, std::string_view text) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v1/private/reviews/" + percent_encode_segment(review_id) + "/reply";
  call.body = json::serialize(json::object{{"authorBusinessUserId", business_user_id}, {"message", text}});
  return call;
}

ApiCall trustpilot_delete_reply_call(std::string_view review_id) {
  ApiCall call;
  call.method = "DELETE";
  call.target = "/v1/private/reviews/" + percent_encode_segment(review_id) + "/reply";
  return call;
}

Result<std::optional<SiteAnswer>> parse_trustpilot_company_reply(std::string_view body) {
  boost::system::error_code ec;
  const json::value v = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Trustpilot review: not JSON: " + ec.message());
  if (!v.is_object()) return Failure(errc::parse_failed, "Trustpilot review: not a JSON object");
  const auto* reply = object_of(&v.as_object(), "companyReply");
  const std::string text = text_of(reply, "text");
  if (text.empty()) return std::optional<SiteAnswer>();
  SiteAnswer a;
  a.text = text;
  a.at = parse_iso8601_date(text_of(reply, "createdAt"));
  return std::optional<SiteAnswer>(std::move(a));
}

std::unique_ptr<ReplyPoster> make_trustpilot_replier(const SourceConfig& config, BudgetBook& budgets) {
  if (!trustpilot_answers(config)) return nullptr;
  return std::make_unique<TrustpilotReplier>(make_trustpilot_client(config, budgets),
                                             preset_key(config, "business_user_id"));
}

}  // namespace otklik
