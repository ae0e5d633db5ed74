#include "sources/google_business/google_business_reply.hpp"

#include "sources/generic/dates.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/generic/paging.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/google_business/google_business_api.hpp"
#include "sources/google_business/google_business_parse.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kSite = "Google Business Profile";

/// ReplyLimits counts code points while Google counts bytes: 2048 characters always fit 4096 bytes
/// for Latin and Cyrillic text (two bytes a character at most); post() checks the bytes as well,
/// for the rarer three- and four-byte characters (emoji, CJK).
constexpr std::size_t kMaxChars = kGoogleReplyMaxBytes / 2;

std::string review_path(std::string_view account_id, const GoogleReviewRef& review) {
  return "/v4/accounts/" + percent_encode_segment(account_id) + "/locations/" +
         percent_encode_segment(review.location_id) + "/reviews/" + percent_encode_segment(review.review_id);
}

/// The body as a JSON object, or parse_failed naming `what`.
Result<json::object> object_body(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  json::value v = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, std::string(what) + ": not JSON: " + ec.message());
  if (!v.is_object()) return Failure(errc::parse_failed, std::string(what) + ": not a JSON object");
  return std::move(v.as_object());
}

SiteAnswer answer_of(const json::object* reply) {
  SiteAnswer a;
  a.text = text_of(reply, "comment");
  a.at = parse_iso8601_date(text_of(reply, "updateTime"));
  return a;
}

class GoogleBusinessReplier final : public ReplyPoster {
 public:
  GoogleBusinessReplier(const SourceConfig& config, BudgetBook& budgets)
      : api_(make_google_business_api(config, budgets)), account_(preset_key(config, "account_id")) {}

  [[nodiscard]] ReplyLimits limits() const override { return {kMaxChars, 1, true}; }
  [[nodiscard]] std::string site() const override { return std::string(kSite); }

  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                           const Mention& review) override {
    auto ref = reference(review);
    if (!ref) co_return ref.error();
    auto answer = co_await api_.reviews.call(ctx, google_review_get_call(account_, *ref));
    if (!answer) co_return answer.error();
    co_return parse_google_review_reply(answer->body);
  }

  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                  bool /*edit: updateReply creates or replaces alike*/) override {
    if (std::string problem = reply_text_problem(text, limits(), kSite); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    if (std::string problem = google_reply_bytes_problem(text); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    auto ref = reference(review);
    if (!ref) co_return ref.error();
    auto answer = co_await api_.reviews.call(ctx, google_reply_put_call(account_, *ref, text));
    if (!answer) co_return answer.error();
    co_return parse_google_put_reply(answer->body, text);
  }

 private:
  static Result<GoogleReviewRef> reference(const Mention& review) {
    auto ref = google_review_ref(review.external_id);
    if (!ref)
      return Failure(errc::invalid_input, "not a Google Business Profile review id: \"" + review.external_id + "\"");
    return *ref;
  }

  GoogleBusinessApi api_;
  std::string account_;
};

}  // namespace

std::optional<GoogleReviewRef> google_review_ref(std::string_view external_id) {
  constexpr std::string_view kPrefix = "gbp:";
  if (!external_id.starts_with(kPrefix)) return std::nullopt;
  external_id.remove_prefix(kPrefix.size());
  // Location ids are digits; the review id (Google's opaque, url-safe text) is all that follows.
  const auto colon = external_id.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == external_id.size()) return std::nullopt;
  return GoogleReviewRef{std::string(external_id.substr(0, colon)), std::string(external_id.substr(colon + 1))};
}

ApiCall google_review_get_call(std::string_view account_id, const GoogleReviewRef& review) {
  ApiCall call;
  call.target = review_path(account_id, review);
  return call;
}

ApiCall google_reply_put_call(std::string_view account_id, const GoogleReviewRef& review, std::string_view text) {
  ApiCall call;
  call.method = "PUT";
  call.target = review_path(account_id, review) + "/reply";
  call.body = json::serialize(json::object{{"comment", text}});
  return call;
}

Result<std::optional<SiteAnswer>> parse_google_review_reply(std::string_view body) {
  auto root = object_body(body, "Google review");
  if (!root) return root.error();
  const auto* reply = object_of(&*root, "reviewReply");
  if (reply == nullptr || text_of(reply, "comment").empty()) return std::optional<SiteAnswer>();
  return std::optional<SiteAnswer>(answer_of(reply));
}

Result<SiteAnswer> parse_google_put_reply(std::string_view body, std::string_view sent) {
  auto root = object_body(body, "Google review reply");
  if (!root) return root.error();
  SiteAnswer a = answer_of(&*root);
  if (a.text.empty()) a.text = std::string(sent);
  return a;
}

std::string google_reply_bytes_problem(std::string_view text) {
  if (text.size() <= kGoogleReplyMaxBytes) return {};
  return std::to_string(text.size()) + " bytes: " + std::string(kSite) + " takes at most " +
         std::to_string(kGoogleReplyMaxBytes) + " bytes of UTF-8";
}

std::unique_ptr<ReplyPoster> make_google_business_replier(const SourceConfig& config, BudgetBook& budgets) {
  return std::make_unique<GoogleBusinessReplier>(config, budgets);
}

}  // namespace otklik
