#include "sources/wildberries/wildberries_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/wildberries/wildberries_reply.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"

#include <boost/json.hpp>

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
  const WildberriesKind kind = settings_.kind;
  const bool questions = kind == WildberriesKind::questions;
  const ApiPageParser parser = questions ? ApiPageParser(parse_wildberries_questions)
                                         : ApiPageParser(parse_wildberries_feedbacks);
  const std::string noun = questions ? "questions" : "feedbacks";

  // The unanswered list; whether its last page was read (then every unanswered item was seen).
  auto last_page = std::make_shared<bool>(false);
  const ApiPageParser recording = [parser, last_page](const ApiCall& sent, const ParseInput& in) {
    auto page = parser(sent, in);
    if (page) *last_page = !page->next;
    return page;
  };
  WildberriesList list{kind, false, kWildberriesPageSize, settings_.nm_id};
  WalkSettings walk{config_.name, config_.brand, ctx.now, ctx.work, settings_.max_pages, "unanswered " + noun};
  // Named calls, not temporaries: GCC 12 destroys a temporary of a co_await expression twice.
  const ApiCall unanswered_call = wildberries_list_call(list, 0);
  auto unanswered = co_await walk_pages(client_, api, walk, unanswered_call, recording, seen);
  if (!unanswered) co_return unanswered.error();

  list.answered = true;
  walk.max_pages = settings_.answered_pages;
  walk.what = "answered " + noun;
  const ApiCall answered_call = wildberries_list_call(list, 0);
  auto answered = co_await walk_pages(client_, api, walk, answered_call, parser, seen);
  if (!answered) co_return answered.error();

  PollResult result;
  result.warnings = std::move(unanswered->warnings);
  for (auto& w : answered->warnings) result.warnings.push_back(std::move(w));

  // Items unanswered at the last poll and on neither list now: answered (their place in the
  // answered list, ordered by the item's date, may be far down) or deleted. Read each by id.
  std::set<std::string> present;
  for (const auto* walked : {&unanswered->mentions, &answered->mentions})
    for (const auto& m : *walked) present.insert(m.external_id);
  std::vector<std::string> carried;
  std::vector<Mention> looked_up;
  bool stop = !(unanswered->complete && *last_page);  // not every unanswered item was read: wait
  std::size_t lookups = 0;
  const std::set<std::string> nothing_seen;
  for (const auto& id : wildberries_open_ids(ctx.state.cursor)) {
    if (present.contains(id)) continue;
    if (stop || lookups == settings_.lookups) {
      carried.push_back(id);
      continue;
    }
    ++lookups;
    WalkSettings one{config_.name, config_.brand, ctx.now, ctx.work, 1, (questions ? "question " : "feedback ") + id};
    const ApiPageParser item_parser = [kind](const ApiCall&, const ParseInput& in) {
      return parse_wildberries_item(kind, in);
    };
    const ApiCall item_call = wildberries_item_call(kind, id);
    auto item = co_await walk_pages(client_, api, one, item_call, item_parser, nothing_seen);
    if (!item) {
      const Failure& f = item.error();
      if (f.code == make_error_code(errc::unauthorized)) co_return f;
      const bool gone = f.http_status >= 400 && f.http_status < 500 && f.code != make_error_code(errc::rate_limited);
      result.warnings.push_back(one.what + (gone ? ": no longer readable, not followed any more: "
                                                  : ": not read, tried again next poll: ") +
                                f.message());
      if (!gone) carried.push_back(id);
      if (f.code == make_error_code(errc::rate_limited)) stop = true;
      continue;
    }
    for (auto& w : item->warnings) result.warnings.push_back(std::move(w));
    for (auto& m : item->mentions) looked_up.push_back(std::move(m));
  }

  // The next open set: the unanswered items read now, then those still to look up.
  std::vector<std::string> open;
  for (const auto& m : unanswered->mentions)
    if (!m.company_reply.empty() || m.external_id.empty()) continue;
    else open.push_back(m.external_id);
  for (auto& id : carried) open.push_back(std::move(id));
  if (open.size() > kOpenIds) open.resize(kOpenIds);

  const bool complete = unanswered->complete && answered->complete;
  result.cursor = complete ? wildberries_cursor({&unanswered->mentions, &answered->mentions}, open) : ctx.state.cursor;
  if (result.cursor.empty()) result.cursor = ctx.state.cursor;
  result.mentions = merge(std::move(unanswered->mentions), std::move(answered->mentions));
  for (auto& m : looked_up) result.mentions.push_back(std::move(m));
  co_return result;
}

std::vector<std::string> wildberries_open_ids(std::string_view cursor) {
  std::vector<std::string> out;
  if (cursor.empty()) return out;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(cursor, ec);
  if (ec || !v.is_object()) return out;
  const auto* open = v.as_object().if_contains("open");
  if (open == nullptr || !open->is_array()) return out;
  for (const auto& id : open->as_array())
    if (id.is_string() && !id.as_string().empty()) out.emplace_back(id.as_string());
  return out;
}

std::string wildberries_cursor(const std::vector<const std::vector<Mention>*>& walks, const std::vector<std::string>& open) {
  const std::string seen = make_walks_cursor(walks);
  boost::json::object cursor;
  if (!seen.empty()) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(seen, ec);
    if (!ec && v.is_object()) cursor = std::move(v.as_object());
  }
  if (!open.empty()) {
    boost::json::array ids;
    for (const auto& id : open) ids.emplace_back(id);
    cursor["open"] = std::move(ids);
  }
  if (cursor.empty()) return {};
  return boost::json::serialize(cursor);
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
                    "the seller's API token (category «Вопросы и отзывы»; read only is enough to read, answering "
                    "needs write access) as a secret reference (env:NAME or file:PATH), sent as `Authorization: …`"});
  t.api_key = ApiKeyUse::required;
  t.paging = "skip += 100 (take=100, order=dateDesc) over the unanswered list; the answered list's first page";
  t.default_interval = std::chrono::minutes(15);
  t.build_url = [](const SourceConfig&) { return std::string(kWildberriesFeedbacksApi); };
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    validate_preset_keys(source, prefix, problems, preset_keys(), kMaxPagesLimit);
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<WildberriesSource>(config, *budgets);
  };
  t.create_replier = [budgets](const SourceConfig& config) { return make_wildberries_replier(config, *budgets); };
  return t;
}

}  // namespace otklik
