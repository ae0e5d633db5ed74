#include "sources/yandex_market/yandex_market_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/api/reply_lookups.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/yandex_market/yandex_market_api.hpp"
#include "sources/yandex_market/yandex_market_parse.hpp"
#include "sources/yandex_market/yandex_market_reply.hpp"

#include <map>

namespace otklik {
namespace {

constexpr int kDefaultPages = 3;
constexpr int kMaxPages = 20;
/// Comment lists looked up in one poll at most; the rest wait for the next poll.
constexpr int kMaxReplyLookups = 30;
/// Offers in one offer-mappings call (the API takes up to 100), and offers kept at most.
constexpr std::size_t kMaxOffersPerCall = 100;
constexpr std::size_t kMaxOffers = 20000;

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
    co_await add_offer_names(ctx, out);
    auto failed = co_await replies_.fill(client_, ctx, *answered, out);
    if (failed) co_return *failed;
    co_return out;
  }

 private:
  /// The offer id in a mention's subject as the parser wrote it ("арт. ID"); "" when none.
  static std::string offer_of(const Mention& m) {
    constexpr std::string_view prefix = "арт. ";
    return m.subject.starts_with(prefix) ? m.subject.substr(prefix.size()) : std::string();
  }

  /// The product's name in the subject and its page as the link: known from earlier polls, else
  /// one offer-mappings call for the offers not known yet. A token without access to the catalogue
  /// (401/403 there) turns the look-up off for this source's life with one warning: the alerts then
  /// name the offer id alone, and the source is not broken, since the feedback itself was read.
  boost::asio::awaitable<void> add_offer_names(ApiContext& ctx, PollResult& out) {
    if (offers_off_) co_return;
    std::vector<std::string> missing;
    std::set<std::string> asked;
    for (const Mention& m : out.mentions) {
      const std::string offer = offer_of(m);
      if (offer.empty() || offers_.contains(offer) || !asked.insert(offer).second) continue;
      missing.push_back(offer);
      if (missing.size() == kMaxOffersPerCall) break;
    }
    if (!missing.empty()) {
      ApiCall lookup = yandex_market_offers_call(business_, missing);
      auto got = co_await client_.call(ctx, std::move(lookup));
      if (!got && got.error().code == make_error_code(errc::unauthorized)) {
        offers_off_ = true;
        out.warnings.push_back("product names not read, the alerts name the offer id (give the token access to "
                               "products to have them): " + got.error().message());
      } else if (!got) {
        out.warnings.push_back("product names not read: " + got.error().message());
      } else if (auto offers = parse_yandex_market_offers(got->body); !offers) {
        out.warnings.push_back("product names not read: " + offers.error().message());
      } else {
        if (offers_.size() > kMaxOffers) offers_.clear();
        // An offer the answer does not name is remembered as unnamed: not asked again.
        for (const auto& offer : missing) {
          const auto it = offers->find(offer);
          offers_[offer] = it != offers->end() ? it->second : YandexMarketOffer{};
        }
      }
    }
    for (Mention& m : out.mentions) {
      const std::string offer = offer_of(m);
      const auto it = offers_.find(offer);
      if (offer.empty() || it == offers_.end()) continue;
      if (!it->second.name.empty()) m.subject = yandex_market_subject(offer, it->second.name);
      if (m.url.empty()) m.url = it->second.url;
    }
  }

  SourceConfig config_;
  ApiClient client_;
  std::string business_;
  ReplyLookups replies_{{[this](const std::string& id) { return yandex_market_comments_call(business_, id); },
                         parse_yandex_market_business_reply, "feedback", kMaxReplyLookups}};
  std::map<std::string, YandexMarketOffer> offers_;  ///< offer id → name and page (empty: none known)
  bool offers_off_ = false;                          ///< the token may not read the catalogue
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
  t.keys.push_back(
      {"api_key", true, "the Api-Key token as a secret reference (env:NAME or file:PATH), sent as `Api-Key`"});
  t.api_key = ApiKeyUse::required;
  t.paging = "page_token = result.paging.nextPageToken";
  t.default_interval = std::chrono::minutes(30);
  t.build_url = [](const SourceConfig&) { return std::string(kYandexMarketBaseUrl); };
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    // The business id is in every request's path, whatever `url` says.
    validate_preset_keys(source, prefix, problems, yandex_market_keys(), kMaxPages, false);
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<YandexMarketSource>(config, make_yandex_market_client(config, *budgets));
  };
  t.create_replier = [budgets](const SourceConfig& config) {
    return make_yandex_market_replier(config, *budgets);
  };
  return t;
}

}  // namespace otklik
