#include "sources/google_business/google_business_source.hpp"

#include "sources/api/api_walk.hpp"
#include "sources/generic/option_check.hpp"
#include "sources/generic/paged_poll.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/google_business/google_business_api.hpp"
#include "sources/google_business/google_business_parse.hpp"
#include "sources/google_business/google_business_reply.hpp"

#include <algorithm>
#include <map>

namespace otklik {
namespace {

using namespace std::chrono_literals;

constexpr int kDefaultPages = 3;
constexpr int kMaxPages = 20;
/// The ids of each location kept in the cursor: enough to find the place where the last poll
/// stopped even when a few of its newest reviews were deleted since.
constexpr std::size_t kIdsPerLocation = 20;
/// How long the list of locations is kept before it is read again (names and addresses change
/// rarely; a new location is found within this time).
constexpr Duration kLocationsTtl = 6h;
/// Pages of locations read at most (100 each).
constexpr int kMaxLocationPages = 50;

std::string digits_check(std::string_view v) { return digits_only(v); }

/// `location_ids` as a list: a TOML array of strings or integers, or one string "1, 2, 3".
std::vector<std::string> location_ids_of(const toml::node* node, std::string* problem = nullptr) {
  std::vector<std::string> out;
  auto add = [&](std::string_view raw) {
    std::string id;
    for (char c : raw)
      if (c != ' ' && c != '\t') id += c;
    if (id.starts_with("locations/")) id.erase(0, 10);
    if (id.empty()) return;
    if (problem != nullptr && problem->empty()) {
      if (const std::string why = digits_only(id); !why.empty()) *problem = why;
    }
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(std::move(id));
  };
  if (node == nullptr) return out;
  if (const auto* s = node->as_string()) {
    std::string_view text = s->get();
    while (!text.empty()) {
      const auto comma = text.find(',');
      add(text.substr(0, comma));
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
  } else if (const auto* a = node->as_array()) {
    for (const auto& e : *a) {
      if (const auto* es = e.as_string()) add(es->get());
      else if (const auto* ei = e.as_integer()) add(std::to_string(ei->get()));
      else if (problem != nullptr && problem->empty()) *problem = "expected strings or integers in the list";
    }
  } else if (const auto* i = node->as_integer()) {
    add(std::to_string(i->get()));
  } else if (problem != nullptr && problem->empty()) {
    *problem = "expected a list of location ids or a string \"ID, ID\"";
  }
  return out;
}

const std::vector<PresetKey>& string_keys() {
  static const std::vector<PresetKey> keys{
      {"account_id", true, "the Business Profile account id, the number in accounts/ID", digits_check},
      {"location_ids", false, "the location ids to read", nullptr},  // a list: checked in validate()
      {"token_url", false, "the OAuth token endpoint (default https://oauth2.googleapis.com/token)", nullptr},
  };
  return keys;
}

void validate(const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
  // validate_preset_keys knows string keys only: location_ids (a list) is checked here.
  SourceConfig strings = source;
  strings.options.erase("location_ids");
  // Required even with `url`: that is the API's base here, not a page that stands for the keys.
  validate_preset_keys(strings, prefix, problems, string_keys(), kMaxPages, false);
  if (const auto* ids = source.options.get("location_ids")) {
    std::string problem;
    const auto list = location_ids_of(ids, &problem);
    if (problem.empty() && list.empty()) problem = "names no location (leave it out to read every location)";
    if (!problem.empty()) problems.error(prefix + ".location_ids", option_line(*ids, source), problem);
  }
  const std::string token_url = preset_key(source, "token_url");
  if (!token_url.empty() && !token_url.starts_with("https://") && !token_url.starts_with("http://"))
    problems.error(prefix + ".token_url", source.line, "expected an http(s) URL");
  for (const char* key : {"client_id", "client_secret", "refresh_token"}) {
    const Secret* s = preset_secret(source, key);
    if (s != nullptr && s->literal())
      problems.error(prefix + "." + key, source.line,
                     "must be a secret reference (env:NAME or file:PATH), not the value itself");
  }
}

/// The mentions of `walk` that the cursor keeps for its location.
std::vector<Mention> ids_to_keep(const std::vector<Mention>& mentions) {
  std::vector<Mention> out;
  for (const auto& m : mentions) {
    if (out.size() == kIdsPerLocation) break;
    Mention id;
    id.external_id = m.external_id;
    out.push_back(std::move(id));
  }
  return out;
}

/// The ids of `seen` that belong to `location_id`, as mentions for make_walks_cursor().
std::vector<Mention> seen_of(const std::set<std::string>& seen, const std::string& location_id) {
  std::vector<Mention> out;
  const std::string prefix = google_review_id_prefix(location_id);
  for (auto it = seen.lower_bound(prefix); it != seen.end() && it->starts_with(prefix); ++it) {
    if (out.size() == kIdsPerLocation) break;
    Mention id;
    id.external_id = *it;
    out.push_back(std::move(id));
  }
  return out;
}

/// Whether a failure ends the whole poll: a refused token or client (every call would fail the
/// same), a quota to wait for, a shutdown. An API's 403 about one location (PERMISSION_DENIED: the
/// account no longer manages it) does not; when every location answers so, the poll fails.
bool stops_poll(const Failure& f) {
  if (f.code == make_error_code(errc::unauthorized))
    return !(f.http_status == 403 && !f.detail.starts_with(kTokenRefused));
  return f.code == make_error_code(errc::rate_limited) || f.code == make_error_code(errc::cancelled);
}

class GoogleBusinessSource final : public Source {
 public:
  GoogleBusinessSource(SourceConfig config, BudgetBook& budgets)
      : config_(std::move(config)),
        api_(make_google_business_api(config_, budgets)),
        account_(preset_key(config_, "account_id")),
        wanted_(location_ids_of(config_.options.get("location_ids"))),
        max_pages_(preset_max_pages(config_, kDefaultPages)) {}

  [[nodiscard]] const SourceConfig& config() const override { return config_; }

  boost::asio::awaitable<Result<PollResult>> poll(PollContext ctx) override {
    ApiContext api_ctx{ctx.http, ctx.now, ctx.user_agent, config_.proxy};
    PollResult result;
    auto listed = co_await locations(api_ctx, result.warnings);
    if (!listed) co_return listed.error();
    const std::vector<GoogleLocation> locations = std::move(*listed);
    if (locations.empty()) {
      result.warnings.push_back(wanted_.empty() ? "account " + account_ + " lists no locations"
                                                : "none of location_ids is a location of account " + account_);
      result.cursor = ctx.state.cursor;
      co_return result;
    }

    const std::set<std::string> seen = seen_ids(ctx.state.cursor);
    const std::set<std::string> none;
    std::vector<std::vector<Mention>> kept;
    std::optional<Failure> first_failure;
    std::size_t failed = 0;
    for (const auto& location : locations) {
      // A location the cursor knows nothing of (new on the account, or the source's first poll)
      // is read like a first poll: one page.
      std::vector<Mention> before = seen_of(seen, location.id);
      const bool known = !before.empty();
      WalkSettings settings;
      settings.source = config_.name;
      settings.brand = config_.brand;
      settings.fetched = ctx.now;
      settings.work = ctx.work;
      settings.max_pages = max_pages_;
      settings.what = "location " + location.id + (location.subject().empty() ? "" : " (" + location.subject() + ")");
      const std::string account = account_;
      ApiPageParser parse = [account, location](const ApiCall& sent, const ParseInput& input) {
        return parse_google_reviews(sent, input, account, location);
      };
      // Named: GCC 12 destroys a temporary of a co_await expression twice (api_walk.hpp).
      const ApiCall first = google_reviews_call(account_, location.id);
      const std::set<std::string>& stop_at = known ? seen : none;
      auto walk = co_await walk_pages(api_.reviews, api_ctx, settings, first, parse, stop_at);
      if (!walk) {
        if (stops_poll(walk.error())) co_return walk.error();
        ++failed;
        if (!first_failure) first_failure = walk.error();
        result.warnings.push_back(settings.what + ": not read: " + walk.error().message());
        kept.push_back(std::move(before));
        continue;
      }
      for (auto& w : walk->warnings) result.warnings.push_back(std::move(w));
      kept.push_back(walk->complete || !known ? ids_to_keep(walk->mentions) : std::move(before));
      if (!known && !seen.empty()) {
        // A location added to the account after the first poll: its history is the baseline,
        // as on a source's first poll; only reviews within alert_max_age are passed on.
        const TimePoint since = ctx.now - config_.alert_max_age;
        std::erase_if(walk->mentions, [&](const Mention& m) { return !m.published || *m.published < since; });
      }
      for (auto& m : walk->mentions) result.mentions.push_back(std::move(m));
    }
    if (failed == locations.size() && first_failure) co_return *first_failure;
    std::vector<const std::vector<Mention>*> walks;
    for (const auto& k : kept) walks.push_back(&k);
    result.cursor = make_walks_cursor(walks);
    if (result.cursor.empty()) result.cursor = ctx.state.cursor;
    co_return result;
  }

 private:
  /// The locations to read: the account's list (kept for kLocationsTtl), narrowed to
  /// location_ids when given. A list that cannot be read while location_ids are given falls back
  /// to the ids alone (no names) with a warning.
  boost::asio::awaitable<Result<std::vector<GoogleLocation>>> locations(ApiContext& ctx,
                                                                         std::vector<std::string>& warnings) {
    if (locations_.empty() || ctx.now - listed_at_ >= kLocationsTtl || ctx.now < listed_at_) {
      auto listed = co_await list_locations(ctx);
      if (listed) {
        locations_ = std::move(*listed);
        listed_at_ = ctx.now;
      } else if (stops_poll(listed.error()) || (locations_.empty() && wanted_.empty())) {
        co_return listed.error();
      } else {
        warnings.push_back("the list of locations was not read (" + listed.error().message() + ")" +
                           (locations_.empty() ? "; reviews are read without the locations' names"
                                               : "; the list read before is used"));
      }
    }
    if (wanted_.empty()) co_return locations_;
    std::vector<GoogleLocation> out;
    for (const auto& id : wanted_) {
      auto it = std::find_if(locations_.begin(), locations_.end(), [&](const GoogleLocation& l) { return l.id == id; });
      if (it != locations_.end()) {
        out.push_back(*it);
      } else {
        if (!locations_.empty() && missing_.insert(id).second)
          warnings.push_back("location " + id + " is not in the account's list of locations; its reviews are read "
                             "without its name");
        out.push_back(GoogleLocation{id, {}, {}, {}});
      }
    }
    co_return out;
  }

  boost::asio::awaitable<Result<std::vector<GoogleLocation>>> list_locations(ApiContext& ctx) {
    std::vector<GoogleLocation> all;
    std::optional<ApiCall> call = google_locations_call(account_);
    for (int pages = 0; call && pages < kMaxLocationPages; ++pages) {
      auto answer = co_await api_.info.call(ctx, *call);
      if (!answer) co_return answer.error();
      auto page = parse_google_locations(*call, answer->body, account_);
      if (!page) {
        Failure f = page.error();
        f.detail = api_.info.hide(std::move(f.detail));
        co_return f;
      }
      for (auto& l : page->locations) all.push_back(std::move(l));
      call = std::move(page->next);
    }
    co_return all;
  }

  SourceConfig config_;
  GoogleBusinessApi api_;
  std::string account_;
  std::vector<std::string> wanted_;
  int max_pages_;
  std::vector<GoogleLocation> locations_;
  TimePoint listed_at_{};
  std::set<std::string> missing_;  ///< location_ids already reported missing from the list
};

}  // namespace

SourceType google_business_type(std::shared_ptr<BudgetBook> budgets) {
  SourceType t;
  t.name = "google_business";
  t.site = "Google";
  t.description =
      "Google Business Profile reviews of the owner's locations through the official APIs "
      "(mybusiness.googleapis.com/v4/accounts/ACCOUNT/locations/LOCATION/reviews), OAuth 2.0 refresh token; "
      "default interval 20m";
  t.keys = {
      {"account_id", true, "the Business Profile account id, the number in accounts/ID"},
      {"location_ids", false, "the location ids to read (a list, or \"ID, ID\"); default: every location of the account"},
      {"max_pages", false, "pages of 50 reviews read per location and poll at most (default 3, up to 20)"},
      {"token_url", false, "the OAuth token endpoint (default https://oauth2.googleapis.com/token)"},
      {"client_id", true, "the OAuth client id, as a secret reference (env:NAME or file:PATH)"},
      {"client_secret", true, "the OAuth client secret, as a secret reference (env:NAME or file:PATH)"},
      {"refresh_token", true,
       "the refresh token of the owner's or manager's consent to the scope "
       "https://www.googleapis.com/auth/business.manage, as a secret reference (env:NAME or file:PATH)"},
  };
  t.validate = validate;
  t.build_url = [](const SourceConfig&) { return std::string(kGoogleBusinessReviewsBase); };
  t.default_interval = std::chrono::minutes(20);
  t.paging = "pageToken = the answer's nextPageToken, 50 reviews a page, per location";
  t.secrets = {{"client_id", true, false}, {"client_secret", true, false}, {"refresh_token", true, false}};
  t.create = [budgets](const SourceConfig& config) -> std::unique_ptr<Source> {
    return std::make_unique<GoogleBusinessSource>(config, *budgets);
  };
  t.create_replier = [budgets](const SourceConfig& config) -> std::unique_ptr<ReplyPoster> {
    return make_google_business_replier(config, *budgets);
  };
  return t;
}

}  // namespace otklik
