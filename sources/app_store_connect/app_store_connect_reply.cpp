#include "sources/app_store_connect/app_store_connect_reply.hpp"

#include "sources/api/api_client.hpp"
#include "sources/app_store_connect/app_store_connect_api.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kSite = "App Store Connect";
constexpr std::string_view kResponses = "customerReviewResponses";

Result<json::object> object_body(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  json::value v = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, std::string(what) + ": not JSON: " + ec.message());
  if (!v.is_object()) return Failure(errc::parse_failed, std::string(what) + ": not a JSON object");
  return std::move(v.as_object());
}

SiteAnswer answer_of(const json::object* resource) {
  const auto* a = object_of(resource, "attributes");
  SiteAnswer out;
  out.id = text_of(resource, "id");
  out.text = text_of(a, "responseBody");
  out.at = parse_iso8601_date(text_of(a, "lastModifiedDate"));
  return out;
}

class AppStoreConnectReplier final : public ReplyPoster {
 public:
  explicit AppStoreConnectReplier(std::shared_ptr<ApiClient> client) : client_(std::move(client)) {}

  [[nodiscard]] ReplyLimits limits() const override { return {kAscReplyMaxChars, 1, true}; }
  [[nodiscard]] std::string site() const override { return "App Store"; }

  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                           const Mention& review) override {
    auto id = reference(review);
    if (!id) co_return id.error();
    auto answer = co_await client_->call(ctx, asc_review_response_call(*id));
    if (!answer) co_return answer.error();
    co_return parse_asc_review_response(answer->body);
  }

  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                  bool /*edit: the POST overwrites a response that is there*/) override {
    if (std::string problem = reply_text_problem(text, limits(), site()); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    auto id = reference(review);
    if (!id) co_return id.error();
    auto answer = co_await client_->call(ctx, asc_response_post_call(*id, text));
    if (!answer) co_return answer.error();
    co_return parse_asc_response_created(answer->body, text);
  }

 private:
  static Result<std::string> reference(const Mention& review) {
    auto id = asc_review_id(review.external_id);
    if (!id) return Failure(errc::invalid_input, "not an App Store Connect review id: \"" + review.external_id + "\"");
    return *id;
  }

  std::shared_ptr<ApiClient> client_;
};

}  // namespace

std::optional<std::string> asc_review_id(std::string_view external_id) {
  constexpr std::string_view kPrefix = "asc:";
  if (!external_id.starts_with(kPrefix) || external_id.size() == kPrefix.size()) return std::nullopt;
  return std::string(external_id.substr(kPrefix.size()));
}

ApiCall asc_review_response_call(std::string_view review_id) {
  ApiCall call;
  call.target = "/v1/customerReviews/" + percent_encode_segment(review_id) +
                "?include=response&fields%5BcustomerReviews%5D=response"
                "&fields%5BcustomerReviewResponses%5D=responseBody,lastModifiedDate,state";
  return call;
}

ApiCall asc_response_post_call(std::string_view review_id, std::string_view text) {
  ApiCall call;
  call.method = "POST";
  call.target = "/v1/customerReviewResponses";
  json::object review_ref{{"type", "customerReviews"}, {"id", review_id}};
  json::object data{{"type", kResponses},
                    {"attributes", json::object{{"responseBody", text}}},
                    {"relationships", json::object{{"review", json::object{{"data", std::move(review_ref)}}}}}};
  call.body = json::serialize(json::object{{"data", std::move(data)}});
  return call;
}

Result<std::optional<SiteAnswer>> parse_asc_review_response(std::string_view body) {
  auto root = object_body(body, "App Store Connect review");
  if (!root) return root.error();
  const auto* data = object_of(&*root, "data");
  if (data == nullptr || text_of(data, "type") != "customerReviews")
    return Failure(errc::parse_failed, "App Store Connect review: not a customerReviews document");
  const auto* linked = object_of(object_of(object_of(data, "relationships"), "response"), "data");
  if (linked == nullptr) return std::optional<SiteAnswer>();
  const std::string id = text_of(linked, "id");
  if (const auto* included = array_of(&*root, "included")) {
    for (const auto& item : *included) {
      const auto* o = item.if_object();
      if (o == nullptr || text_of(o, "type") != kResponses || text_of(o, "id") != id) continue;
      SiteAnswer a = answer_of(o);
      if (a.text.empty()) return std::optional<SiteAnswer>();
      return std::optional<SiteAnswer>(std::move(a));
    }
  }
  // A relationship without its resource: the response exists but its words were not sent.
  return Failure(errc::protocol_error,
                 "App Store Connect named response " + id + " of the review but did not include it");
}

Result<SiteAnswer> parse_asc_response_created(std::string_view body, std::string_view sent) {
  auto root = object_body(body, "App Store Connect response");
  if (!root) return root.error();
  const auto* data = object_of(&*root, "data");
  if (data == nullptr || text_of(data, "type") != kResponses)
    return Failure(errc::parse_failed, "App Store Connect response: not a customerReviewResponses document");
  SiteAnswer a = answer_of(data);
  if (a.text.empty()) a.text = std::string(sent);
  return a;
}

std::unique_ptr<ReplyPoster> make_app_store_connect_replier(const SourceConfig& config, BudgetBook& budgets) {
  return std::make_unique<AppStoreConnectReplier>(make_asc_client(config, budgets));
}

}  // namespace otklik
