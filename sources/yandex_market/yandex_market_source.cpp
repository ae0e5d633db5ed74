#include "sources/yandex_market/yandex_market_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/yandex_market/yandex_market_api.hpp"
#include "sources/yandex_market/yandex_market_parse.hpp"

#include <map>

namespace otklik {
namespace {

constexpr int kDefaultPages = 3;
constexpr int kMaxPages = 20;
/// Comment lists looked up in one poll at most; the rest wait for the next poll.
constexpr int kMaxReplyLookups = 30;

class YandexMarketSource final : public Source {
 public:
  YandexMarketSource(SourceConfig config, ApiClient client)
      : config_(std::move(config)), client_(std::move(client)), business_(preset_key(config_, "business_id")) {}

  [[nodiscard]] const SourceConfig& config() const override { return config_; }

  boost::asio::awaitable<Result<PollResult>> poll(PollContext pc) override {
    ApiContext ctx{pc.http, pc.now, pc.user_agent, config_.proxy};
    WalkSettings settings;
    settings.source = config_.name;
    settings.brand = config_.brand;
    settings.fetched = pc.now;
    settings.work = pc.work;
    settings.max_pages = preset_max_pages(config_, kDefaultPages);

    // Filled by the parser page by page (the walk waits for each parse before the next call).
    auto answered = std::make_shared<std::map<std::string, int>>();
    const ApiPageParser parse = [answered](const ApiCall& sent, const ParseInput& input) -> Result<ApiPage> {
      auto page = parse_yandex_market_feedback(sent, input);
      if (!page) return page.error();
      for (const auto& [id, n] : page->answered) (*answered)[id] = n;
      return std::move(page->page);
    };
    // Named before they are awaited (no temporaries in a co_await expression).
    const ApiCall first = yandex_market_feedback_call(business_);
    const std::set<std::string> seen = seen_ids(pc.state.cursor);
    auto walk = co_await walk_pages(client_, ctx, settings, first, parse, seen);
    if (!walk) co_return walk.error();

    PollResult out;
    out.warnings = std::move(walk->warnings);
    out.cursor = walk->complete ? make_walks_cursor({&walk->mentions}) : pc.state.cursor;
    out.mentions = std::move(walk->mentions);
    auto failed = co_await add_replies(ctx, *answered, out);
    if (failed) co_return *failed;
    co_return out;
  }

 private:
  struct Reply {
    int comments = 0;
    std::string text;
  };

  /// The business's answer on every mention the shop reacted to and that has comments: from the
  /// last poll when the count of comments is unchanged, else looked up. A refused key ends the
  /// poll; other failures leave the answer known so far and are looked up again next time.
  boost::asio::awaitable<std::optional<Failure>> add_replies(ApiContext& ctx, const std::map<std::string, int>& answered,
                                                            PollResult& out) {
    std::map<std::string, Reply> kept;
    int lookups = 0;
    bool stop = false;
    for (Mention& m : out.mentions) {
      const auto it = answered.find(m.external_id);
      if (it == answered.end()) continue;
      const auto known = replies_.find(m.external_id);
      if (known != replies_.end()) m.company_reply = known->second.text;
      if (known != replies_.end() && known->second.comments == it->second) {
        kept[m.external_id] = known->second;
        continue;
      }
      if (stop || lookups >= kMaxReplyLookups) continue;
      ++lookups;
      ApiCall lookup = yandex_market_comments_call(business_, m.external_id);
      auto got = co_await client_.call(ctx, std::move(lookup));
      if (!got) {
        if (got.error().code == make_error_code(errc::unauthorized)) co_return got.error();
        out.warnings.push_back("feedback " + m.external_id + ": comments not read: " + got.error().message());
        if (got.error().code == make_error_code(errc::rate_limited)) stop = true;
        continue;
      }
      auto reply = parse_yandex_market_business_reply(got->body);
      if (!reply) {
        out.warnings.push_back("feedback " + m.external_id + ": comments not read: " + reply.error().message());
        continue;
      }
      m.company_reply = *reply;
      kept[m.external_id] = Reply{it->second, *reply};
    }
    if (lookups >= kMaxReplyLookups)
      out.warnings.push_back("looked up the comments of " + std::to_string(lookups) +
                             " feedbacks; the others are looked up on the next poll");
    replies_ = std::move(kept);
    co_return std::nullopt;
  }

  SourceConfig config_;
  ApiClient client_;
  std::string business_;
  std::map<std::string, Reply> replies_;
};

const std::vector<PresetKey>& yandex_market_keys() {
  static const std::vector<PresetKey> keys = {
      {"business_id", true, "the business (cabinet) id, as in partner.market.yandex.ru/business/ID/…", digits_only},
  };
  return keys;
}

}  // namespace

SourceType yandex_market_type(std::shared_ptr<BudgetBook> budgets) {
  SourceType t;
  t.name = "yandex_market";
  t.site = "Яндекс Маркет";
  t.description =
      "Yandex Market goods feedback of a business through the Partner API "
      "(api.partner.market.yandex.ru/v2/businesses/ID/goods-feedback), with the business's comments; "
      "default interval 30m";
  for (const auto& k : yandex_market_keys()) t.keys.push_back({k.name, k.required, k.description});
  t.keys.push_back({"max_pages", false,
                    "pages of feedback read per poll at most (default " + std::to_string(kDefaultPages) + ", up to " +
                        std::to_string(kMaxPages) + ")"});
  t.keys.push_back({"api_key", true, "the Api-Key token as a secret reference (env:NAME or file:PATH), sent as `Api-Key`"});
  t.api_key = ApiKeyUse::required;
  t.paging = "page_token = result.paging.nextPageToken";
  t.default_interval = std::chrono::minutes(30);
  t.build_url = [](const SourceConfig&) { return std::string(kYandexMarketBaseUrl); };
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    validate_preset_keys(source, prefix, problems, yandex_market_keys(), kMaxPages);
    if (!source.url.empty() && !source.options.contains("business_id"))
      problems.error(prefix + ".business_id", source.line,
                     "is required for source type \"yandex_market\" (the business id in the request path)");
    if (source.api_key.empty())
      problems.error(prefix + ".api_key", source.line,
                     "is required for source type \"yandex_market\" (env:NAME or file:PATH holding the Api-Key token)");
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<YandexMarketSource>(config, make_yandex_market_client(config, *budgets));
  };
  return t;
}

}  // namespace otklik
