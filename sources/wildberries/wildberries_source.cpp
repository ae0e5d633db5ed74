#include "sources/wildberries/wildberries_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"

#include <set>

namespace otklik {
namespace {

constexpr int kMaxPagesLimit = 20;

std::string check_kind(std::string_view v) {
  return v == "feedbacks" || v == "questions" ? std::string()
                                              : "expected \"feedbacks\" or \"questions\", got \"" + std::string(v) + "\"";
}

std::string check_token(std::string_view v) {
  return wildberries_token_kind(v) ? std::string()
                                   : "expected \"personal\" or \"base\", got \"" + std::string(v) + "\"";
}

const std::vector<PresetKey>& preset_keys() {
  static const std::vector<PresetKey> keys = {
      {"kind", false, "\"feedbacks\" (default) or \"questions\" (customer questions)", check_kind},
      {"nm_id", false, "only this product: its WB article (nmId, the number in its wildberries.ru link)", digits_only},
      {"token_type", false,
       "\"personal\" (default: a personal or service token, or a base token with a service secret; 3 requests a "
       "second) or \"base\" (a base token: 5 requests an hour, one call every 12 minutes)",
       check_token},
  };
  return keys;
}

/// Both walks' mentions, each feedback once (a feedback answered between the two calls may be in
/// both lists: the answered copy wins).
std::vector<Mention> merge(std::vector<Mention> unanswered, std::vector<Mention> answered) {
  std::set<std::string> in_answered;
  for (const auto& m : answered) in_answered.insert(m.external_id);
  std::vector<Mention> out;
  out.reserve(unanswered.size() + answered.size());
  for (auto& m : unanswered)
    if (!in_answered.contains(m.external_id)) out.push_back(std::move(m));
  for (auto& m : answered) out.push_back(std::move(m));
  return out;
}

}  // namespace

WildberriesSettings wildberries_settings(const SourceConfig& config) {
  WildberriesSettings s;
  s.kind = preset_key(config, "kind", "feedbacks") == "questions" ? WildberriesKind::questions : WildberriesKind::feedbacks;
  s.token = wildberries_token_kind(preset_key(config, "token_type", "personal")).value_or(WildberriesToken::personal);
  s.nm_id = preset_key(config, "nm_id");
  s.max_pages = preset_max_pages(config, 3);
  return s;
}

WildberriesSource::WildberriesSource(SourceConfig config, BudgetBook& budgets)
    : config_(std::move(config)),
      settings_(wildberries_settings(config_)),
      client_(make_wildberries_client(config_, budgets, settings_.token)) {}

boost::asio::awaitable<Result<PollResult>> WildberriesSource::poll(PollContext ctx) {
  ApiContext api{ctx.http, ctx.now, ctx.user_agent, config_.proxy};
  const std::set<std::string> seen = seen_ids(ctx.state.cursor);
  const bool questions = settings_.kind == WildberriesKind::questions;
  const ApiPageParser parser = questions ? ApiPageParser(parse_wildberries_questions)
                                         : ApiPageParser(parse_wildberries_feedbacks);
  const std::string noun = questions ? "questions" : "feedbacks";

  WildberriesList list{settings_.kind, false, kWildberriesPageSize, settings_.nm_id};
  WalkSettings walk{config_.name, config_.brand, ctx.now, ctx.work, settings_.max_pages, "unanswered " + noun};
  auto unanswered = co_await walk_pages(client_, api, walk, wildberries_list_call(list, 0), parser, seen);
  if (!unanswered) co_return unanswered.error();

  list.answered = true;
  walk.max_pages = settings_.answered_pages;
  walk.what = "answered " + noun;
  auto answered = co_await walk_pages(client_, api, walk, wildberries_list_call(list, 0), parser, seen);
  if (!answered) co_return answered.error();

  PollResult result;
  const bool complete = unanswered->complete && answered->complete;
  result.cursor = complete ? make_walks_cursor({&unanswered->mentions, &answered->mentions}) : ctx.state.cursor;
  if (result.cursor.empty()) result.cursor = ctx.state.cursor;
  result.warnings = std::move(unanswered->warnings);
  for (auto& w : answered->warnings) result.warnings.push_back(std::move(w));
  result.mentions = merge(std::move(unanswered->mentions), std::move(answered->mentions));
  co_return result;
}

SourceType wildberries_type(std::shared_ptr<BudgetBook> budgets) {
  SourceType t;
  t.name = "wildberries";
  t.site = "Wildberries";
  t.description =
      "Wildberries seller feedbacks or customer questions through the seller API "
      "(feedbacks-api.wildberries.ru/api/v1/feedbacks, /api/v1/questions), with the seller's token; "
      "default interval 15m";
  for (const auto& k : preset_keys()) t.keys.push_back({k.name, k.required, k.description});
  t.keys.push_back({"max_pages", false,
                    "pages of 100 unanswered items read per poll at most (default 3, up to " +
                        std::to_string(kMaxPagesLimit) + ")"});
  t.keys.push_back({"api_key", true,
                    "the seller's API token (category «Вопросы и отзывы», read only is enough) as a secret reference "
                    "(env:NAME or file:PATH), sent as `Authorization: …`"});
  t.api_key = ApiKeyUse::required;
  t.paging = "skip += 100 (take=100, order=dateDesc) over the unanswered list; the answered list's first page";
  t.default_interval = std::chrono::minutes(15);
  t.build_url = [](const SourceConfig&) { return std::string(kWildberriesFeedbacksApi); };
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    validate_preset_keys(source, prefix, problems, preset_keys(), kMaxPagesLimit);
    if (source.api_key.empty())
      problems.error(prefix + ".api_key", source.line,
                     "is required for source type \"wildberries\": the seller's API token (env:NAME or file:PATH)");
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<WildberriesSource>(config, *budgets);
  };
  return t;
}

}  // namespace otklik
