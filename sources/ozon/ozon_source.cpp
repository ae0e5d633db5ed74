#include "sources/ozon/ozon_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/ozon/ozon_api.hpp"
#include "sources/ozon/ozon_parse.hpp"

#include <map>

namespace otklik {
namespace {

constexpr int kDefaultPages = 3;
constexpr int kMaxPages = 20;
/// Comment lists looked up in one poll at most; the rest wait for the next poll.
constexpr int kMaxReplyLookups = 50;

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

    auto failed = co_await add_replies(ctx, *commented, out);
    if (failed) co_return *failed;
    co_return out;
  }

 private:
  struct Reply {
    int comments = 0;
    std::string text;
  };

  /// The seller's answer on every mention that has comments: from the last poll when the count
  /// of comments is unchanged, else looked up. A refused key ends the poll (the key was accepted
  /// a moment ago, so this is news); other failures leave the answer known so far.
  boost::asio::awaitable<std::optional<Failure>> add_replies(ApiContext& ctx, const std::map<std::string, int>& commented,
                                                            PollResult& out) {
    std::map<std::string, Reply> kept;
    int lookups = 0;
    bool stop = false;
    for (Mention& m : out.mentions) {
      const auto it = commented.find(m.external_id);
      if (it == commented.end()) continue;
      const auto known = replies_.find(m.external_id);
      if (known != replies_.end() && known->second.comments == it->second) {
        m.company_reply = known->second.text;
        kept[m.external_id] = known->second;
        continue;
      }
      if (known != replies_.end()) m.company_reply = known->second.text;
      if (stop || lookups >= kMaxReplyLookups) continue;
      ++lookups;
      ApiCall lookup = ozon_comment_list_call(m.external_id);
      auto answered = co_await client_.call(ctx, std::move(lookup));
      if (!answered) {
        if (answered.error().code == make_error_code(errc::unauthorized)) co_return answered.error();
        out.warnings.push_back("review " + m.external_id + ": comments not read: " + answered.error().message());
        if (answered.error().code == make_error_code(errc::rate_limited)) stop = true;
        continue;
      }
      auto reply = parse_ozon_seller_reply(answered->body);
      if (!reply) {
        out.warnings.push_back("review " + m.external_id + ": comments not read: " + reply.error().message());
        continue;
      }
      m.company_reply = *reply;
      kept[m.external_id] = Reply{it->second, *reply};
    }
    if (lookups >= kMaxReplyLookups)
      out.warnings.push_back("looked up the comments of " + std::to_string(lookups) +
                             " reviews; the others are looked up on the next poll");
    // Answers of reviews not read this poll are dropped: they are looked up again if they return.
    replies_ = std::move(kept);
    co_return std::nullopt;
  }

  SourceConfig config_;
  ApiClient client_;
  std::map<std::string, Reply> replies_;
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
  t.keys.push_back({"api_key", true, "the Seller API key as a secret reference (env:NAME or file:PATH), sent as `Api-Key`"});
  t.api_key = ApiKeyUse::required;
  t.paging = "last_id while has_next (unprocessed reviews, or all with api = \"v2\"); the first page of processed reviews";
  t.default_interval = std::chrono::minutes(30);
  t.build_url = [](const SourceConfig&) { return std::string(kOzonSellerBaseUrl); };
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    validate_preset_keys(source, prefix, problems, ozon_keys(), kMaxPages);
    // The Client-Id header is needed even when `url` points elsewhere.
    if (!source.url.empty() && !source.options.contains("client_id"))
      problems.error(prefix + ".client_id", source.line,
                     "is required for source type \"ozon\" (the seller's Client ID, sent as Client-Id)");
    if (source.api_key.empty())
      problems.error(prefix + ".api_key", source.line,
                     "is required for source type \"ozon\" (env:NAME or file:PATH holding the Seller API key)");
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<OzonSource>(config, make_ozon_client(config, *budgets));
  };
  return t;
}

}  // namespace otklik
