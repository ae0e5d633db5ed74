#include "sources/app_store_connect/app_store_connect_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/app_store_connect/app_store_connect_api.hpp"
#include "sources/app_store_connect/app_store_connect_parse.hpp"
#include "sources/app_store_connect/app_store_connect_reply.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace otklik {
namespace {

constexpr int kDefaultPages = 3;
constexpr int kMaxPagesLimit = 20;

std::string key_id_check(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })
             ? std::string()
             : "expected the key's ID as App Store Connect shows it (letters and digits, e.g. \"2X9R4HXF34\"), got \"" +
                   std::string(v) + "\"";
}

std::string issuer_id_check(std::string_view v) {
  return std::all_of(v.begin(), v.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '-'; })
             ? std::string()
             : "expected the issuer ID shown above the keys in App Store Connect (a UUID such as "
               "\"57246542-96fe-1a63-e053-0824d011072a\"), got \"" + std::string(v) + "\"";
}

/// "RUS" or "RUS,KAZ,BLR": ISO 3166-1 alpha-3 codes, as the API's territories are named.
std::string territory_check(std::string_view v) {
  std::size_t start = 0;
  while (start <= v.size()) {
    const auto comma = std::min(v.find(',', start), v.size());
    const auto code = v.substr(start, comma - start);
    if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return "expected three-letter territory codes in capitals (ISO 3166-1 alpha-3), e.g. \"RUS\" or \"RUS,KAZ\"; "
             "got \"" + std::string(v) + "\"";
    start = comma + 1;
  }
  return {};
}

const std::vector<PresetKey>& asc_keys() {
  static const std::vector<PresetKey> keys = {
      {"app_id", true, "the app's Apple ID, the digits in apps.apple.com/…/id<APP_ID> (App Information in App Store Connect)",
       digits_only},
      {"issuer_id", true, "the issuer ID shown on Users and Access → Integrations → App Store Connect API",
       issuer_id_check},
      {"key_id", true, "the ID of the team API key (the KEYID of AuthKey_KEYID.p8)", key_id_check},
      {"territory", false, "only reviews from these territories: \"RUS\" or \"RUS,KAZ\" (default: every territory)",
       territory_check},
      {"app_name", false, "the app's name for alerts (default \"app <app_id>\")", nullptr},
  };
  return keys;
}

/// The HTTP client of one poll, noting the X-Rate-Limit that Apple sends with every answer.
class RateLimitWatch final : public HttpClient {
 public:
  explicit RateLimitWatch(HttpClient& inner) : inner_(inner) {}

  boost::asio::awaitable<Result<HttpResponse>> fetch(HttpRequest request) override {
    auto answer = co_await inner_.fetch(std::move(request));
    if (answer)
      if (const auto header = answer->header("X-Rate-Limit"))
        if (const auto limit = parse_asc_rate_limit(*header)) last = *limit;
    co_return answer;
  }

  std::optional<AscRateLimit> last;

 private:
  HttpClient& inner_;
};

/// A warning when the key's hour is nearly spent (other tools share it), and a minute's pause of
/// the key's budget when it is spent.
void note_rate_limit(const RateLimitWatch& watch, const ApiClient& client, PollResult& result) {
  if (!watch.last || watch.last->hour_limit <= 0) return;
  const auto [limit, remaining] = *watch.last;
  if (remaining * 10 >= limit) return;
  result.warnings.push_back("the API key has " + std::to_string(remaining) + " of its " + std::to_string(limit) +
                            " calls an hour left (X-Rate-Limit); every tool using the key spends them");
  if (remaining == 0 && client.options().budget)
    client.options().budget->hold_until(RequestBudget::Clock::now() + std::chrono::minutes(1));
}

class AppStoreConnectSource final : public Source {
 public:
  AppStoreConnectSource(SourceConfig config, std::shared_ptr<ApiClient> client)
      : config_(std::move(config)), client_(std::move(client)) {
    app_.app_id = preset_key(config_, "app_id");
    app_.app_name = preset_key(config_, "app_name");
    query_.app_id = app_.app_id;
    query_.territory = preset_key(config_, "territory");
    max_pages_ = preset_max_pages(config_, kDefaultPages);
  }

  [[nodiscard]] const SourceConfig& config() const override { return config_; }

  boost::asio::awaitable<Result<PollResult>> poll(PollContext ctx) override {
    RateLimitWatch watch(ctx.http);
    ApiContext api{watch, ctx.now, ctx.user_agent, config_.proxy};
    const AscApp app = app_;
    const ApiPageParser parse = [app](const ApiCall& sent, const ParseInput& in) {
      return parse_asc_reviews(sent, in, app);
    };
    WalkSettings settings;
    settings.source = config_.name;
    settings.brand = config_.brand;
    settings.fetched = ctx.now;
    settings.work = ctx.work;
    settings.max_pages = max_pages_;

    // Every review, newest first, down to the ones seen last time.
    const std::set<std::string> seen = seen_ids(ctx.state.cursor);
    // Named, not temporaries in the co_await: GCC 12 destroys those twice (api_walk.hpp).
    const ApiCall first = asc_reviews_call(query_);
    auto all = co_await walk_pages(*client_, api, settings, first, parse, seen);
    if (!all) co_return all.error();

    PollResult result;
    result.mentions = std::move(all->mentions);
    result.warnings = std::move(all->warnings);
    result.cursor = all->complete ? make_walks_cursor({&result.mentions}) : ctx.state.cursor;
    if (result.cursor.empty()) result.cursor = ctx.state.cursor;

    // The newest answered reviews: an answer given since the review was read arrives here (the
    // list above no longer reaches an older review).
    AscReviewsQuery answered_query = query_;
    answered_query.answered = true;
    WalkSettings answered_settings = settings;
    answered_settings.max_pages = 1;
    answered_settings.what = "answered reviews";
    const ApiCall answered_first = asc_reviews_call(answered_query);
    const std::set<std::string> none;
    auto answered = co_await walk_pages(*client_, api, answered_settings, answered_first, parse, none);
    if (!answered) {
      result.warnings.push_back("answered reviews not read: " + answered.error().message() +
                                "; answers given on App Store Connect are seen on a later poll");
      note_rate_limit(watch, *client_, result);
      co_return result;
    }
    std::map<std::string, std::size_t> have;
    for (std::size_t i = 0; i < result.mentions.size(); ++i) have.emplace(result.mentions[i].external_id, i);
    for (auto& w : answered->warnings) result.warnings.push_back(std::move(w));
    for (auto& m : answered->mentions) {
      const auto it = have.find(m.external_id);
      if (it == have.end()) {
        have.emplace(m.external_id, result.mentions.size());
        result.mentions.push_back(std::move(m));
      } else if (result.mentions[it->second].company_reply.empty()) {
        // Read a moment apart, the two lists may disagree: the answer counts.
        result.mentions[it->second].company_reply = std::move(m.company_reply);
      }
    }
    note_rate_limit(watch, *client_, result);
    co_return result;
  }

 private:
  SourceConfig config_;
  std::shared_ptr<ApiClient> client_;
  AscApp app_;
  AscReviewsQuery query_;
  int max_pages_ = kDefaultPages;
};

}  // namespace

SourceType app_store_connect_type(std::shared_ptr<BudgetBook> budgets) {
  SourceType t;
  t.name = "app_store_connect";
  t.site = "App Store";
  t.description =
      "App Store customer reviews of your own app through the App Store Connect API "
      "(api.appstoreconnect.apple.com/v1/apps/APP_ID/customerReviews) with a team API key: every review, "
      "the developer responses; default interval 30m";
  for (const auto& k : asc_keys()) t.keys.push_back({k.name, k.required, k.description});
  t.keys.push_back({"private_key", true,
                    "the team API key's private key, the AuthKey_KEYID.p8 file as downloaded: file:PATH (or env:NAME "
                    "holding the PEM)"});
  t.keys.push_back({"max_pages", false,
                    "pages of 200 reviews read per poll at most (default " + std::to_string(kDefaultPages) + ", up to " +
                        std::to_string(kMaxPagesLimit) + ")"});
  t.secrets = {SecretKeySpec{"private_key", true, true}};
  t.build_url = [](const SourceConfig&) { return std::string(kAscBaseUrl); };
  t.default_interval = std::chrono::minutes(30);
  t.paging = "links.next (an opaque cursor), 200 reviews a page";
  t.validate = [](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    // `url` only moves the API's base URL: the app and the key are needed all the same.
    validate_preset_keys(source, prefix, problems, asc_keys(), kMaxPagesLimit, false);
    if (const Secret* key = preset_secret(source, "private_key"); key != nullptr && !key->empty()) {
      if (const std::string why = check_asc_private_key(key->value()); !why.empty())
        problems.error(prefix + ".private_key", source.line,
                       "the key read from " + key->describe() + " " + why);
    }
  };
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<AppStoreConnectSource>(config, make_asc_client(config, *budgets));
  };
  t.create_replier = [budgets](const SourceConfig& config) -> std::unique_ptr<ReplyPoster> {
    return make_app_store_connect_replier(config, *budgets);
  };
  return t;
}

}  // namespace otklik
