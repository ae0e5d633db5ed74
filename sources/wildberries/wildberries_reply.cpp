#include "sources/wildberries/wildberries_reply.hpp"

#include "sources/api/api_client.hpp"
#include "sources/api/reply_text.hpp"
#include "sources/generic/dates.hpp"
#include "sources/generic/item_util.hpp"
#include "sources/generic/json_fields.hpp"
#include "sources/wildberries/wildberries_api.hpp"
#include "sources/wildberries/wildberries_source.hpp"

#include <boost/json.hpp>

namespace otklik {
namespace {

namespace json = boost::json;

constexpr std::string_view kSite = "Wildberries";


class WildberriesReplier final : public ReplyPoster {
 public:
  WildberriesReplier(WildberriesKind kind, ApiClient client) : kind_(kind), client_(std::move(client)) {}

  [[nodiscard]] ReplyLimits limits() const override { return wildberries_reply_limits(); }
  [[nodiscard]] std::string site() const override { return std::string(kSite); }

  boost::asio::awaitable<Result<std::optional<SiteAnswer>>> current_answer(ApiContext& ctx,
                                                                           const Mention& review) override {
    if (review.external_id.empty()) co_return no_id();
    ApiCall call = wildberries_item_call(kind_, review.external_id);
    auto got = co_await client_.call(ctx, std::move(call));
    if (!got) co_return got.error();
    co_return parse_wildberries_answer(got->body);
  }

  boost::asio::awaitable<Result<SiteAnswer>> post(ApiContext& ctx, const Mention& review, std::string text,
                                                  bool edit) override {
    if (review.external_id.empty()) co_return no_id();
    text = trimmed_reply(text);
    if (const std::string problem = reply_text_problem(text, limits(), kSite); !problem.empty())
      co_return Failure(errc::invalid_input, problem);
    ApiCall call = wildberries_answer_call(kind_, review.external_id, text, edit);
    auto got = co_await client_.call(ctx, std::move(call));
    if (!got) co_return got.error();
    if (auto refused = wildberries_answer_refusal(got->body)) co_return *refused;
    co_return SiteAnswer{"", std::move(text), ctx.now};
  }

 private:
  [[nodiscard]] Failure no_id() const {
    return Failure(errc::invalid_input, kind_ == WildberriesKind::questions ? "the question has no Wildberries id"
                                                                            : "the feedback has no Wildberries id");
  }

  WildberriesKind kind_;
  ApiClient client_;
};

}  // namespace

ReplyLimits wildberries_reply_limits() { return ReplyLimits{5000, 2, true}; }

ApiCall wildberries_answer_call(WildberriesKind kind, std::string_view id, std::string_view text, bool edit) {
  ApiCall call;
  if (kind == WildberriesKind::questions) {
    call.method = "PATCH";
    call.target = "/api/v1/questions";
    call.body = json::serialize(json::object{{"id", id}, {"answer", json::object{{"text", text}}}, {"state", "wbRu"}});
    return call;
  }
  call.method = edit ? "PATCH" : "POST";
  call.target = "/api/v1/feedbacks/answer";
  call.body = json::serialize(json::object{{"id", id}, {"text", text}});
  return call;
}

Result<std::optional<SiteAnswer>> parse_wildberries_answer(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = parse_lenient_json(body, ec);
  if (ec) return Failure(errc::parse_failed, "Wildberries answer: not JSON: " + ec.message());
  const auto* o = root.if_object();
  if (o == nullptr) return Failure(errc::parse_failed, "Wildberries answer: not a JSON object");
  if (auto refused = wildberries_answer_refusal(body)) return *refused;
  const auto* answer = object_of(object_of(o, "data"), "answer");
  if (answer == nullptr || text_of(answer, "state") == "rejected") return std::optional<SiteAnswer>();
  std::string text = trimmed_reply(text_of(answer, "text"));
  if (text.empty()) return std::optional<SiteAnswer>();
  return std::optional<SiteAnswer>(SiteAnswer{"", std::move(text), parse_iso8601_date(text_of(answer, "createDate"))});
}

std::optional<Failure> wildberries_answer_refusal(std::string_view body) {
  boost::system::error_code ec;
  const json::value root = json::parse(body, ec);
  const auto* o = ec ? nullptr : root.if_object();
  const auto* error = o != nullptr ? o->if_contains("error") : nullptr;
  if (error == nullptr || !error->is_bool() || !error->get_bool()) return std::nullopt;
  Failure f(errc::http_status, "Wildberries refused the answer: " + read_wildberries_error(200, body));
  f.http_status = 200;
  return f;
}

std::unique_ptr<ReplyPoster> make_wildberries_replier(const SourceConfig& config, BudgetBook& budgets) {
  const WildberriesSettings settings = wildberries_settings(config);
  return std::make_unique<WildberriesReplier>(settings.kind, make_wildberries_client(config, budgets, settings.token));
}

}  // namespace otklik
