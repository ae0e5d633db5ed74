#include "sources/source.hpp"

#include "sources/generic/feed_source.hpp"
#include "sources/generic/html_parse.hpp"
#include "sources/generic/json_parse.hpp"
#include "sources/generic/option_check.hpp"
#include "sources/generic/rss_parse.hpp"
#include "sources/google_alerts/google_alerts_parse.hpp"
#include "sources/app_store/app_store_parse.hpp"
#include "sources/mastodon/mastodon_parse.hpp"
#include "sources/reddit/reddit_parse.hpp"
#include "sources/telegram_channel/telegram_channel_parse.hpp"

#include <stdexcept>

namespace otklik {
namespace {

constexpr const char* kAcceptFeed =
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, "
    "text/xml;q=0.8, */*;q=0.5";
constexpr const char* kAcceptHtml = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";
constexpr const char* kAcceptJson = "application/json, */*;q=0.5";

std::vector<SourceKey> mapping_keys(std::string_view items_key, bool items_required, std::string_view selector) {
  const std::string s(selector);
  return {
      {std::string(items_key), items_required,
       items_required ? s + " selecting the item nodes" : s + " to the array of items (\"\" = the root)"},
      {"fields", true,
       "table of " + s + "s relative to an item: id, text (required), title, author, author_id, rating, "
       "date, url, reply"},
      {"rating_scale", false, "the best rating on the site's scale (default 5); normalised to 0..5"},
      {"date_format", false, "\"auto\" (default) or a format like \"%d.%m.%Y %H:%M\""},
  };
}

SourceType rss_type() {
  return {"rss", "RSS 0.9x/1.0/2.0 or Atom 1.0 feed", {}, validate_rss_options,
          [](const SourceConfig& config) -> std::unique_ptr<Source> {
            return std::make_unique<FeedSource>(config, parse_rss, kAcceptFeed);
          }};
}

SourceType html_type() {
  return {"html", "HTML page with items and fields selected by XPath", mapping_keys("item", true, "XPath"),
          validate_html_options, [](const SourceConfig& config) -> std::unique_ptr<Source> {
            ItemMapping mapping = mapping_from_options(config.options, "item");
            return std::make_unique<FeedSource>(
                config, [mapping](const ParseInput& in) { return parse_html(in, mapping); }, kAcceptHtml);
          }};
}

SourceType json_type() {
  return {"json", "JSON document with items and fields selected by JSON pointers",
          mapping_keys("items", false, "JSON pointer"), validate_json_options,
          [](const SourceConfig& config) -> std::unique_ptr<Source> {
            ItemMapping mapping = mapping_from_options(config.options, "items");
            return std::make_unique<FeedSource>(
                config, [mapping](const ParseInput& in) { return parse_json(in, mapping); }, kAcceptJson);
          }};
}

SourceType google_alerts_type() {
  return {"google_alerts",
          "Google Alerts feed (url: https://www.google.com/alerts/feeds/USER/ALERT); links unwrapped from "
          "google.com/url; use with match_brands = true",
          {},
          validate_rss_options,
          [](const SourceConfig& config) -> std::unique_ptr<Source> {
            return std::make_unique<FeedSource>(config, parse_google_alerts, kAcceptFeed);
          }};
}

SourceType mastodon_tag_type() {
  return {"mastodon_tag",
          "Mastodon hashtag timeline (url: https://INSTANCE/api/v1/timelines/tag/HASHTAG?limit=40)",
          {},
          validate_rss_options,  // no keys of its own
          [](const SourceConfig& config) -> std::unique_ptr<Source> {
            return std::make_unique<FeedSource>(config, parse_mastodon_statuses, kAcceptJson);
          }};
}

SourceType reddit_search_type() {
  return {"reddit_search",
          "Reddit search as JSON (url: https://www.reddit.com/search.json?q=QUERY&sort=new&limit=100)",
          {},
          validate_rss_options,
          [](const SourceConfig& config) -> std::unique_ptr<Source> {
            return std::make_unique<FeedSource>(config, parse_reddit_listing, kAcceptJson);
          }};
}

SourceType app_store_type() {
  return {"app_store",
          "App Store customer reviews (url: https://itunes.apple.com/COUNTRY/rss/customerreviews/page=1/"
          "id=APP_ID/sortby=mostrecent/json)",
          {},
          validate_rss_options,
          [](const SourceConfig& config) -> std::unique_ptr<Source> {
            return std::make_unique<FeedSource>(config, parse_app_store_reviews, kAcceptJson);
          }};
}

SourceType telegram_channel_type() {
  return {"telegram_channel", "A public Telegram channel's web preview (url: https://t.me/s/CHANNEL)", {},
          validate_rss_options, [](const SourceConfig& config) -> std::unique_ptr<Source> {
            return std::make_unique<FeedSource>(config, parse_telegram_channel, kAcceptHtml);
          }};
}

}  // namespace

SourceRegistry SourceRegistry::with_builtin_types() {
  SourceRegistry registry;
  registry.add(rss_type());
  registry.add(html_type());
  registry.add(json_type());
  registry.add(google_alerts_type());
  registry.add(mastodon_tag_type());
  registry.add(reddit_search_type());
  registry.add(app_store_type());
  registry.add(telegram_channel_type());
  return registry;
}

void SourceRegistry::add(SourceType type) {
  for (auto& existing : types_) {
    if (existing.name == type.name) {
      existing = std::move(type);
      return;
    }
  }
  types_.push_back(std::move(type));
}

const SourceType* SourceRegistry::find(std::string_view name) const {
  for (const auto& type : types_)
    if (type.name == name) return &type;
  return nullptr;
}

void SourceRegistry::validate(const SourceConfig& source, const std::string& key_prefix,
                              ConfigProblems& problems) const {
  const SourceType* type = find(source.type);
  if (type == nullptr) {
    std::string known;
    for (const auto& t : types_) known += (known.empty() ? "" : ", ") + t.name;
    problems.error(key_prefix + ".type", source.line, "unknown source type \"" + source.type + "\" (known: " + known + ")");
    return;
  }
  if (type->validate) type->validate(source, key_prefix, problems);
}

std::unique_ptr<Source> SourceRegistry::create(const SourceConfig& source) const {
  const SourceType* type = find(source.type);
  if (type == nullptr || !type->create) throw std::invalid_argument("unknown source type: " + source.type);
  return type->create(source);
}

}  // namespace otklik
