#include "sources/ozon/ozon_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/api/reply_lookups.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/ozon/ozon_api.hpp"
#include "sources/ozon/ozon_parse.hpp"
#include "sources/ozon/ozon_reply.hpp"

#include <map>

namespace otklik {
namespace {

constexpr int kDefaultPages = 3;
constexpr int kMaxPages = 20;
/// Comment lists looked up in one poll at most; the rest wait for the next poll.
constexpr int kMaxReplyLookups = 50;
/// SKUs in one product info call (the API takes up to 1000), and product names kept at most.
constexpr std::size_t kMaxSkusPerCall = 1000;
constexpr std::size_t kMaxNames = 20000;

class OzonSource final : public Source {
 public:
  OzonSource(SourceConfig config, ApiClient client) : config_(std::move(config)), client_(std::move(client)) {}

  [[nodiscard]] const SourceConfig& config() const override { return config_; }

  boost::asio::awaitable<Result<PollResult>> poll(PollContext pc) override {
    ApiContext ctx{pc.http, pc.now, pc.user_agent, config_.proxy};
    const std::set<std::string> seen = seen_ids(pc.state.cursor);
    WalkSettings settings;
    settings.source = config_.name;
    settings.brand = config_.brand;
    settings.fetched = pc.now;
    settings.work = pc.work;
    settings.max_pages = preset_max_pages(config_, kDefaultPages);

    // The comment counts of the reviews read, filled by the parser as the pages come in (one
    // page at a time: the walk waits for each parse before the next call).
    auto commented = std::make_shared<std::map<std::string, int>>();
    const ApiPageParser parse = [commented](const ApiCall& sent, const ParseInput& input) -> Result<ApiPage> {
      auto page = parse_ozon_reviews(sent, input);
      if (!page) return page.error();
      for (const auto& [id, n] : page->commented) (*commented)[id] = n;
      return std::move(page->page);
    };

    // /v1: the unprocessed reviews down to those seen, then the first page of the processed ones
    // (a review the seller answered is processed). /v2: every review, newest first; its first page
    // every poll brings recent answers back.
    const bool v2 = preset_key(config_, "api", "v1") == "v2";
    settings.what = v2 ? "reviews" : "unprocessed reviews";
    // Calls are named before they are awaited (no temporaries in a co_await expression).
    const ApiCall first = v2 ? ozon_review_list_v2_call("ALL") : ozon_review_list_call("UNPROCESSED");
    auto unprocessed = co_await walk_pages(client_, ctx, settings, first, parse, seen);
    if (!unprocessed) co_return unprocessed.error();
    Result<WalkResult> processed = WalkResult{};
    if (!v2) {
      settings.what = "processed reviews";
      const ApiCall processed_first = ozon_review_list_call("PROCESSED");
      processed = co_await walk_pages(client_, ctx, settings, processed_first, parse, seen);
      if (!processed) co_return processed.error();
    }

    PollResult out;
    out.warnings = std::move(unprocessed->warnings);
    out.warnings.insert(out.warnings.end(), processed->warnings.begin(), processed->warnings.end());
    if (unprocessed->complete && processed->complete)
      out.cursor = make_walks_cursor({&unprocessed->mentions, &processed->mentions});
    else
      out.cursor = pc.state.cursor;
    out.mentions = std::move(unprocessed->mentions);
    // A review processed between the two calls may be in both lists: kept once.
    std::set<std::string> ids;
    for (const Mention& m : out.mentions) ids.insert(m.external_id);
    for (Mention& m : processed->mentions)
      if (ids.insert(m.external_id).second) out.mentions.push_back(std::move(m));

    co_await add_product_names(ctx, out);
    auto failed = co_await replies_.fill(client_, ctx, *commented, out);
    if (failed) co_return *failed;
    co_return out;
  }

 private:
  /// The SKU in a mention's subject ("SKU 1783456012"); "" when it has none.
  static std::string sku_of(const Mention& m) {
    constexpr std::string_view prefix = "SKU ";
    if (!m.subject.starts_with(prefix)) return {};
    const std::string_view rest = std::string_view(m.subject).substr(prefix.size());
    return std::string(rest.substr(0, rest.find(' ')));
  }

  /// The product names in the subjects: known from earlier polls, else one /v3/product/info/list
  /// call for the SKUs not known yet. A key without the product role (401/403 there) turns the
  /// look-up off for this source's life with one warning: the alerts then name the SKU alone, and
  /// the source is not broken, since the reviews themselves were read.
  boost::asio::awaitable<void> add_product_names(ApiContext& ctx, PollResult& out) {
    if (names_off_) co_return;
    std::vector<std::string> missing;
    std::set<std::string> asked;
    for (const Mention& m : out.mentions) {
      const std::string sku = sku_of(m);
      if (sku.empty() || names_.contains(sku) || !asked.insert(sku).second) continue;
      missing.push_back(sku);
      if (missing.size() == kMaxSkusPerCall) break;
    }
    if (!missing.empty()) {
      ApiCall lookup = ozon_product_info_call(missing);
      auto got = co_await client_.call(ctx, std::move(lookup));
      if (!got && got.error().code == make_error_code(errc::unauthorized)) {
        names_off_ = true;
        out.warnings.push_back("product names not read, the alerts name the SKU (give the key a role that reads "
                               "products to have them): " + got.error().message());
      } else if (!got) {
        out.warnings.push_back("product names not read: " + got.error().message());
      } else if (auto names = parse_ozon_product_names(got->body); !names) {
        out.warnings.push_back("product names not read: " + names.error().message());
      } else {
        if (names_.size() > kMaxNames) names_.clear();
        // A SKU the answer does not name is remembered as unnamed: not asked again.
        for (const auto& sku : missing) {
          const auto it = names->find(sku);
          names_[sku] = it != names->end() ? it->second : std::string();
        }
      }
    }
    for (Mention& m : out.mentions) {
      const std::string sku = sku_of(m);
      if (const auto it = names_.find(sku); it != names_.end() && !it->second.empty())
        m.subject = ozon_subject(sku, it->second);
    }
  }

  SourceConfig config_;
  ApiClient client_;
  ReplyLookups replies_{{ozon_comment_list_call, parse_ozon_seller_reply, "review", kMaxReplyLookups}};
  std::map<std::string, std::string> names_;  ///< SKU → product name ("" when Ozon names none)
  bool names_off_ = false;                    ///< the key may not read products
};

const std::vector<PresetKey>& ozon_keys() {
  static const std::vector<PresetKey> keys = {
      {"client_id", true, "the seller's Client ID (Настройки → Seller API in the seller's account)", digits_only},
      {"api", false,
       "\"v1\" (default: /v1/review/list, unprocessed and processed reviews) or \"v2\" (/v2/review/list, all "
       "reviews)",
       [](std::string_view v) {
         return v == "v1" || v == "v2" ? std::string() : "expected \"v1\" or \"v2\", got \"" + std::string(v) + "\"";
       }},
  };
  return keys;
}

}  // namespace

SourceType ozon_type(std::shared_ptr<BudgetBook> budgets) {
  SourceType t;
  t.name = "ozon";
  t.site = "Ozon";
  t.description =
      "Ozon reviews of the seller's products through the Seller API (api-seller.ozon.ru/v1/review/list), "
      "with the seller's answers; default interval 30m";
  for (const auto& k : ozon_keys()) t.keys.push_back({k.name, k.required, k.description});
  t.keys.push_back({"max_pages", false,
                    "pages of unprocessed reviews read per poll at most (default " + std::to_string(kDefaultPages) +
                        ", up to " + std::to_string(kMaxPages) + ")"});
  t.keys.push_back(
      {"api_key", true, "the Seller API key as a secret reference (env:NAME or file:PATH), sent as `Api-Key`"});
  t.api_key = ApiKeyUse::required;
  t.paging =
      "last_id while has_next (unprocessed reviews, or all with api = \"v2\"); the first page of processed reviews";
  t.default_interval = std::chrono::minutes(30);
  t.build_url = [](const SourceConfig&) { return std::string(kOzonSellerBaseUrl); };
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    // The Client-Id header is needed even when `url` points elsewhere.
    validate_preset_keys(source, prefix, problems, ozon_keys(), kMaxPages, false);
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<OzonSource>(config, make_ozon_client(config, *budgets));
  };
  t.create_replier = [budgets](const SourceConfig& config) { return make_ozon_replier(config, *budgets); };
  return t;
}

}  // namespace otklik
