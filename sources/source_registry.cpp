#include "sources/source.hpp"

#include <libxml/parser.h>

#include "sources/api/request_budget.hpp"
#include "sources/generic/feed_source.hpp"
#include "sources/generic/html_parse.hpp"
#include "sources/generic/json_parse.hpp"
#include "sources/generic/option_check.hpp"
#include "sources/generic/paging.hpp"
#include "sources/generic/preset_keys.hpp"
#include "sources/generic/rss_parse.hpp"
#include "sources/google_alerts/google_alerts_parse.hpp"
#include "sources/app_store/app_store_parse.hpp"
#include "sources/app_store_connect/app_store_connect_source.hpp"
#include "sources/mastodon/mastodon_parse.hpp"
#include "sources/reddit/reddit_parse.hpp"
#include "sources/sravni/sravni_parse.hpp"
#include "sources/vyberu/vyberu_parse.hpp"
#include "sources/banki_ru/banki_ru_parse.hpp"
#include "sources/google_business/google_business_source.hpp"
#include "sources/google_places/google_places_parse.hpp"
#include "sources/irecommend/irecommend_parse.hpp"
#include "sources/otzovik/otzovik_parse.hpp"
#include "sources/ozon/ozon_source.hpp"
#include "sources/telegram_channel/telegram_channel_parse.hpp"
#include "sources/trustpilot/trustpilot_api.hpp"
#include "sources/trustpilot/trustpilot_parse.hpp"
#include "sources/trustpilot/trustpilot_reply.hpp"
#include "sources/two_gis/two_gis_parse.hpp"
#include "sources/vk/vk_parse.hpp"
#include "sources/wildberries/wildberries_source.hpp"
#include "sources/yandex_maps/yandex_maps_parse.hpp"
#include "sources/yandex_market/yandex_market_source.hpp"

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
  return {"rss", "RSS 0.9x/1.0/2.0 or Atom 1.0/0.3 feed", {}, validate_rss_options,
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

/// A preset: a site's format, how its URL is built from ids, how it pages, how often it is polite
/// to ask.
struct PresetSpec {
  std::string name;
  std::string site;                ///< as alerts name it
  std::string description;
  std::vector<PresetKey> keys;
  std::function<std::string(const SourceConfig&)> url;  ///< null: the preset needs `url`
  PageParser parse;
  std::string accept;
  NextPageFn next;                 ///< null: one page
  int max_pages = 1;               ///< default pages per poll
  int max_pages_limit = 0;         ///< the most a config may ask for (0: the key is not taken)
  std::string paging;              ///< for `otklik sources`
  std::optional<Duration> interval;
  ApiKeyUse api_key = ApiKeyUse::none;
  std::string key_param;           ///< the query parameter that carries the api_key
  std::string key_header;          ///< or the header ("Authorization")
  std::string key_prefix;          ///< before the key in that header ("Bearer ")
  std::vector<std::pair<std::string, std::string>> headers;
};

std::string interval_text(Duration d) {
  using namespace std::chrono;
  const auto m = duration_cast<minutes>(d).count();
  return m % 60 == 0 ? std::to_string(m / 60) + "h" : std::to_string(m) + "m";
}

SourceType preset_type(PresetSpec spec) {
  SourceType t;
  t.name = spec.name;
  t.description = spec.description;
  for (const auto& k : spec.keys)
    t.keys.push_back({k.name, k.required, k.description + (k.required ? " (or give url)" : "")});
  if (spec.max_pages_limit > 0)
    t.keys.push_back({"max_pages", false,
                      "pages read per poll at most (default " + std::to_string(spec.max_pages) + ", up to " +
                          std::to_string(spec.max_pages_limit) + ")"});
  if (spec.api_key != ApiKeyUse::none)
    t.keys.push_back({"api_key", spec.api_key == ApiKeyUse::required,
                      "the API key as a secret reference (env:NAME or file:PATH), sent as " +
                          (spec.key_header.empty() ? "`" + spec.key_param + "`"
                                                   : "`" + spec.key_header + ": " + spec.key_prefix + "…`")});
  if (spec.interval) t.description += "; default interval " + interval_text(*spec.interval);
  t.build_url = spec.url;
  t.default_interval = spec.interval;
  t.api_key = spec.api_key;
  t.paging = spec.paging;
  t.site = spec.site;
  const auto keys = spec.keys;
  const int limit = spec.max_pages_limit;
  t.validate = [keys, limit](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    validate_preset_keys(source, prefix, problems, keys, limit);
  };
  t.create = [spec](const SourceConfig& config) -> std::unique_ptr<Source> {
    FeedOptions options;
    options.accept = spec.accept;
    options.headers = spec.headers;
    options.next_page = spec.next;
    options.max_pages = spec.next ? preset_max_pages(config, spec.max_pages) : 1;
    if (!config.api_key.empty()) {
      options.key_param = spec.key_param;
      options.key_header = spec.key_header;
      options.key_prefix = spec.key_prefix;
      options.key_value = config.api_key.value();
    }
    return std::make_unique<FeedSource>(config, spec.parse, std::move(options));
  };
  return t;
}

using std::chrono::hours;
using std::chrono::minutes;

SourceType google_alerts_type() {
  PresetSpec p;
  p.name = "google_alerts";
  p.site = "Google Alerts";
  p.description =
      "Google Alerts feed (url: https://www.google.com/alerts/feeds/USER/ALERT, from the alert's RSS "
      "button); links unwrapped from google.com/url; use with match_brands = true";
  p.parse = parse_google_alerts;
  p.accept = kAcceptFeed;
  p.interval = minutes(30);
  return preset_type(std::move(p));
}

SourceType mastodon_tag_type() {
  PresetSpec p;
  p.name = "mastodon_tag";
  p.site = "Mastodon";
  p.description = "Mastodon hashtag timeline (https://INSTANCE/api/v1/timelines/tag/TAG?limit=40)";
  p.keys = {{"instance", true, "the instance's host name, e.g. \"mastodon.social\"", no_spaces},
            {"tag", true, "the hashtag, with or without '#'",
             [](std::string_view v) { return no_spaces(v.starts_with('#') ? v.substr(1) : v); }}};
  p.url = [](const SourceConfig& c) { return mastodon_tag_url(preset_key(c, "instance"), preset_key(c, "tag")); };
  p.parse = parse_mastodon_statuses;
  p.accept = kAcceptJson;
  p.next = next_mastodon_page;
  p.max_pages = 3;
  p.max_pages_limit = 20;
  p.paging = "max_id = the oldest status of the page";
  p.interval = minutes(10);
  return preset_type(std::move(p));
}

SourceType mastodon_search_type() {
  PresetSpec p;
  p.name = "mastodon_search";
  p.site = "Mastodon";
  p.description = "Mastodon full-text search for statuses (https://INSTANCE/api/v2/search?q=QUERY&type=statuses)";
  p.keys = {{"instance", true, "the instance's host name, e.g. \"mastodon.social\"", no_spaces},
            {"query", true, "the search words", nullptr}};
  p.url = [](const SourceConfig& c) { return mastodon_search_url(preset_key(c, "instance"), preset_key(c, "query")); };
  p.parse = parse_mastodon_search;
  p.accept = kAcceptJson;
  p.next = next_mastodon_search_page;
  p.max_pages = 3;
  p.max_pages_limit = 20;
  p.paging = "max_id = the oldest status of the page";
  p.interval = minutes(10);
  p.api_key = ApiKeyUse::required;  // statuses search needs a signed-in application
  p.key_header = "Authorization";
  p.key_prefix = "Bearer ";
  return preset_type(std::move(p));
}

SourceType reddit_search_type() {
  PresetSpec p;
  p.name = "reddit_search";
  p.site = "Reddit";
  p.description = "Reddit search as JSON (https://www.reddit.com/search.json?q=QUERY&sort=new&limit=100&type=link)";
  p.keys = {{"query", true, "Reddit search syntax: `rocketbank OR \"rocket bank\"`", nullptr}};
  p.url = [](const SourceConfig& c) { return reddit_search_url(preset_key(c, "query")); };
  p.parse = parse_reddit_listing;
  p.accept = kAcceptJson;
  p.next = next_reddit_page;
  p.max_pages = 2;
  p.max_pages_limit = 10;
  p.paging = "after = the listing's data.after";
  p.interval = minutes(15);
  return preset_type(std::move(p));
}

SourceType app_store_type() {
  PresetSpec p;
  p.name = "app_store";
  p.site = "App Store";
  p.description =
      "App Store customer reviews (https://itunes.apple.com/COUNTRY/rss/customerreviews/page=1/id=APP_ID/"
      "sortby=mostrecent/xml)";
  p.keys = {{"app_id", true, "the app's numeric id (apps.apple.com/…/id<APP_ID>)", digits_only},
            {"country", false, "the store's two-letter country code (default \"us\")", no_spaces}};
  p.url = [](const SourceConfig& c) { return app_store_url(preset_key(c, "country", "us"), preset_key(c, "app_id")); };
  p.parse = parse_app_store_reviews;
  p.accept = kAcceptFeed;  // the /xml form; a `url` of the /json form is answered as JSON all the same
  p.next = next_app_store_page;
  p.max_pages = 10;
  p.max_pages_limit = 10;
  p.paging = "page=N in the path, 50 reviews a page, ten pages";
  p.interval = hours(1);
  return preset_type(std::move(p));
}

SourceType telegram_channel_type() {
  PresetSpec p;
  p.name = "telegram_channel";
  p.site = "Telegram";
  p.description = "A public Telegram channel's web preview (https://t.me/s/CHANNEL)";
  p.keys = {{"channel", true, "the channel's public name without '@'", no_spaces}};
  p.url = [](const SourceConfig& c) { return telegram_channel_url(preset_key(c, "channel")); };
  p.parse = parse_telegram_channel;
  p.accept = kAcceptHtml;
  p.next = next_telegram_channel_page;
  p.max_pages = 3;
  p.max_pages_limit = 20;
  p.paging = "before = the oldest post of the page";
  p.interval = minutes(15);
  return preset_type(std::move(p));
}

SourceType yandex_maps_type() {
  PresetSpec p;
  p.name = "yandex_maps";
  p.site = "Яндекс Карты";
  p.description = "Yandex Maps organisation reviews, the server-rendered page (https://yandex.ru/maps/org/ORG_ID/reviews/)";
  p.keys = {{"org_id", true, "the organisation's id, the number in its Yandex Maps link", digits_only}};
  p.url = [](const SourceConfig& c) { return yandex_maps_url(preset_key(c, "org_id")); };
  p.parse = parse_yandex_maps;
  p.accept = kAcceptHtml;
  p.interval = hours(2);
  return preset_type(std::move(p));
}

SourceType two_gis_type() {
  PresetSpec p;
  p.name = "two_gis";
  p.site = "2ГИС";
  p.description = "2GIS branch reviews through the public reviews API (public-api.reviews.2gis.com/2.0/branches/ID/reviews)";
  p.keys = {{"branch_id", true, "the branch id, the number in 2gis.ru/CITY/firm/ID", digits_only},
            {"locale", false, "the answer's locale (default \"ru_RU\")", no_spaces}};
  p.url = [](const SourceConfig& c) { return two_gis_url(preset_key(c, "branch_id"), preset_key(c, "locale", "ru_RU")); };
  p.parse = parse_two_gis;
  p.accept = kAcceptJson;
  p.next = next_two_gis_page;
  p.max_pages = 3;
  p.max_pages_limit = 20;
  p.paging = "offset += 50 (or meta.next_link)";
  p.interval = hours(1);
  p.api_key = ApiKeyUse::required;
  p.key_param = "key";
  return preset_type(std::move(p));
}

SourceType google_places_type() {
  PresetSpec p;
  p.name = "google_places";
  p.site = "Google Maps";
  p.description =
      "Google Maps reviews through the Places API: Place Details (maps.googleapis.com/maps/api/place/details/json) "
      "or Places API (New) (places.googleapis.com/v1/places/ID); the five newest reviews, no company replies";
  p.keys = {{"place_id", true, "the place id (ChIJ…)", no_spaces},
            {"language", false, "the reviews' language (default \"ru\")", no_spaces},
            {"api", false, "\"legacy\" (Place Details, default) or \"new\" (Places API (New))",
             [](std::string_view v) {
               return v == "legacy" || v == "new" ? std::string() : "expected \"legacy\" or \"new\", got \"" + std::string(v) + "\"";
             }}};
  p.url = [](const SourceConfig& c) {
    const std::string language = preset_key(c, "language", "ru");
    if (preset_key(c, "api", "legacy") == "new")
      return with_query_param("https://places.googleapis.com/v1/places/" + percent_encode_segment(preset_key(c, "place_id")),
                              "languageCode", language);
    return google_places_url(preset_key(c, "place_id"), language);
  };
  p.parse = parse_google_places;
  p.accept = kAcceptJson;
  p.interval = hours(6);
  p.api_key = ApiKeyUse::required;
  p.key_param = "key";
  // Places API (New) answers only the fields asked for; Place Details ignores the header.
  p.headers = {{"X-Goog-FieldMask", "id,displayName,googleMapsUri,reviews"}};
  return preset_type(std::move(p));
}

SourceType banki_ru_type() {
  PresetSpec p;
  p.name = "banki_ru";
  p.site = "Банки.ру";
  p.description = "banki.ru bank responses, the list behind www.banki.ru/services/responses/bank/BANK/";
  p.keys = {{"bank", true, "the bank's code in the responses URL, e.g. \"tcs\" or \"sberbank\"", no_spaces}};
  p.url = [](const SourceConfig& c) { return banki_ru_url(preset_key(c, "bank")); };
  p.parse = parse_banki_ru;
  p.accept = kAcceptJson;
  p.next = next_banki_ru_page;
  p.max_pages = 3;
  p.max_pages_limit = 10;
  p.paging = "page=N while hasMorePages";
  p.interval = hours(1);
  p.headers = {{"X-Requested-With", "XMLHttpRequest"}};
  return preset_type(std::move(p));
}

SourceType vyberu_type() {
  PresetSpec p;
  p.name = "vyberu";
  p.site = "Выберу.ру";
  p.description = "vbr.ru bank reviews, the pages https://www.vbr.ru/banki/BANK/otzivy/";
  p.keys = {{"bank", true, "the bank's name in its vbr.ru address, e.g. \"gazprombank\"", no_spaces}};
  p.url = [](const SourceConfig& c) { return vyberu_url(preset_key(c, "bank")); };
  p.parse = parse_vyberu;
  p.accept = kAcceptHtml;
  p.next = next_vyberu_page;
  p.max_pages = 2;
  p.max_pages_limit = 5;
  p.paging = "?page=N (or /otzivy/N/) while the pager has a next page";
  p.interval = hours(2);
  return preset_type(std::move(p));
}

SourceType sravni_type() {
  PresetSpec p;
  p.name = "sravni";
  p.site = "Сравни.ру";
  p.description =
      "sravni.ru reviews of a bank or insurance company, the list behind www.sravni.ru/bank/ALIAS/otzyvy/ "
      "(www.sravni.ru/proxy-reviews/reviews)";
  p.keys = {{"object_id", true, "the company's reviewObjectId on sravni.ru, e.g. \"5bb4f768245bc22a520a6115\"", no_spaces},
            {"alias", false, "the company's name in its sravni.ru reviews address, e.g. \"gazprombank\" (for links)",
             no_spaces},
            {"kind", false, "\"bank\" (default) or \"insurance\"", [](std::string_view v) {
               return sravni_kind(v) ? std::string() : "expected \"bank\" or \"insurance\", got \"" + std::string(v) + "\"";
             }}};
  p.url = [](const SourceConfig& c) {
    return sravni_url(preset_key(c, "object_id"), sravni_kind(preset_key(c, "kind", "bank")).value_or(SravniKind::bank));
  };
  p.accept = kAcceptJson;
  p.next = next_sravni_page;
  p.max_pages = 3;
  p.max_pages_limit = 10;
  p.paging = "pageIndex=N (from 0) while (N+1)·pageSize < total";
  p.interval = hours(1);
  SourceType t = preset_type(p);
  // The reviews' links need the source's alias and kind: the parser is bound to them per source.
  t.create = [spec = std::move(p)](const SourceConfig& config) -> std::unique_ptr<Source> {
    SravniTarget target;
    target.alias = preset_key(config, "alias");
    if (const auto kind = sravni_kind(preset_key(config, "kind"))) {
      target.kind = *kind;
    } else if (query_param(config.url, "reviewObjectType").value_or(query_param(config.url, "ReviewObjectType").value_or("")) ==
               "insuranceCompany") {
      target.kind = SravniKind::insurance;
    }
    FeedOptions options;
    options.accept = spec.accept;
    options.next_page = spec.next;
    options.max_pages = preset_max_pages(config, spec.max_pages);
    return std::make_unique<FeedSource>(
        config, [target](const ParseInput& in) { return parse_sravni(in, target); }, std::move(options));
  };
  return t;
}

SourceType otzovik_type() {
  PresetSpec p;
  p.name = "otzovik";
  p.site = "Отзовик";
  p.description = "otzovik.com reviews of a company or product (https://otzovik.com/reviews/SLUG/), windows-1251 HTML";
  p.keys = {{"slug", true, "the name in the reviews URL, e.g. \"bank_tinkoff\"", no_spaces}};
  p.url = [](const SourceConfig& c) { return otzovik_url(preset_key(c, "slug")); };
  p.parse = parse_otzovik;
  p.accept = kAcceptHtml;
  p.next = next_otzovik_page;
  p.max_pages = 2;
  p.max_pages_limit = 5;
  p.paging = "the page's \"next\" link (/SLUG/2/ …)";
  p.interval = hours(6);
  return preset_type(std::move(p));
}

SourceType irecommend_type() {
  PresetSpec p;
  p.name = "irecommend";
  p.site = "Irecommend";
  p.description = "irecommend.ru reviews of a product or company (https://irecommend.ru/content/SLUG)";
  p.keys = {{"slug", true, "the name in the content URL, e.g. \"bank-tinkoff\"", no_spaces}};
  p.url = [](const SourceConfig& c) { return irecommend_url(preset_key(c, "slug")); };
  p.parse = parse_irecommend;
  p.accept = kAcceptHtml;
  p.next = next_irecommend_page;
  p.max_pages = 2;
  p.max_pages_limit = 5;
  p.paging = "page=N (from 0) while the pager has a next page";
  p.interval = hours(6);
  return preset_type(std::move(p));
}

SourceType trustpilot_type(std::shared_ptr<BudgetBook> budgets) {
  PresetSpec p;
  p.name = "trustpilot";
  p.site = "Trustpilot";
  p.description = "Trustpilot company reviews, the JSON embedded in https://www.trustpilot.com/review/DOMAIN";
  p.keys = {{"domain", true, "the company's domain as in its Trustpilot URL, e.g. \"example.com\"", no_spaces},
            {"languages", false, "\"all\" (default) or a language code such as \"en\"", no_spaces},
            {"business_user_id", false,
             "the Trustpilot Business user who signs the replies (with business_api_key and business_api_secret: "
             "answers through the business API)",
             no_spaces},
            // checked in validate_trustpilot_business()
            {"api_url", false, "the business API's base URL (default https://api.trustpilot.com)", nullptr}};
  p.url = [](const SourceConfig& c) { return trustpilot_url(preset_key(c, "domain"), preset_key(c, "languages", "all")); };
  p.parse = parse_trustpilot;
  p.accept = kAcceptHtml;
  p.next = next_trustpilot_page;
  p.max_pages = 3;
  p.max_pages_limit = 10;
  p.paging = "page=N up to the page's totalPages";
  p.interval = hours(2);
  SourceType t = preset_type(std::move(p));
  t.keys.push_back({"business_api_key", false,
                    "the business API key, as a secret reference (env:NAME or file:PATH); to answer reviews"});
  t.keys.push_back({"business_api_secret", false, "the business API secret, as a secret reference"});
  t.secrets = {{"business_api_key", false, false}, {"business_api_secret", false, false}};
  t.validate = [base = t.validate](const SourceConfig& source, const std::string& prefix, ConfigProblems& problems) {
    base(source, prefix, problems);
    validate_trustpilot_business(source, prefix, problems);
  };
  // Null without the business API keys: the alert's Reply button then opens the review page.
  t.create_replier = [budgets](const SourceConfig& config) { return make_trustpilot_replier(config, *budgets); };
  return t;
}

SourceType vk_search_type() {
  PresetSpec p;
  p.name = "vk_search";
  p.site = "VK";
  p.description = "VK posts found by newsfeed.search (https://api.vk.com/method/newsfeed.search), with a service token";
  p.keys = {{"query", true, "the search words, e.g. \"рокетбанк\"", nullptr}};
  p.url = [](const SourceConfig& c) { return vk_search_url(preset_key(c, "query")); };
  p.parse = parse_vk_search;
  p.accept = kAcceptJson;
  p.next = next_vk_search_page;
  p.max_pages = 3;
  p.max_pages_limit = 10;
  p.paging = "start_from = the answer's next_from";
  p.interval = minutes(15);
  p.api_key = ApiKeyUse::required;
  p.key_param = "access_token";
  return preset_type(std::move(p));
}

}  // namespace

SourceRegistry SourceRegistry::with_builtin_types() {
  // libxml2 sets up its globals once, here on the main thread, before pages are parsed on the
  // work threads (it is thread-safe after that).
  xmlInitParser();
  SourceRegistry registry;
  // The request budgets of the official APIs, one per API and key, shared by the sources that use
  // the same key (sources/api/request_budget.hpp).
  auto budgets = std::make_shared<BudgetBook>();
  registry.add(rss_type());
  registry.add(html_type());
  registry.add(json_type());
  registry.add(google_alerts_type());
  registry.add(mastodon_tag_type());
  registry.add(mastodon_search_type());
  registry.add(reddit_search_type());
  registry.add(app_store_type());
  registry.add(telegram_channel_type());
  registry.add(vk_search_type());
  registry.add(yandex_maps_type());
  registry.add(two_gis_type());
  registry.add(google_places_type());
  registry.add(banki_ru_type());
  registry.add(vyberu_type());
  registry.add(sravni_type());
  registry.add(otzovik_type());
  registry.add(irecommend_type());
  registry.add(trustpilot_type(budgets));
  // The sellers' and owners' official APIs.
  registry.add(wildberries_type(budgets));
  registry.add(ozon_type(budgets));
  registry.add(yandex_market_type(budgets));
  registry.add(google_business_type(budgets));
  registry.add(app_store_connect_type(budgets));
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

bool SourceRegistry::builds_url(std::string_view type) const {
  const SourceType* t = find(type);
  return t != nullptr && static_cast<bool>(t->build_url);
}

std::string SourceRegistry::built_url(const SourceConfig& source) const {
  const SourceType* t = find(source.type);
  return t != nullptr && t->build_url ? t->build_url(source) : std::string();
}

std::string SourceRegistry::site_name(std::string_view type) const {
  const SourceType* t = find(type);
  return t != nullptr ? t->site : std::string();
}

std::vector<SecretKeySpec> SourceRegistry::secret_keys(std::string_view type) const {
  const SourceType* t = find(type);
  return t != nullptr ? t->secrets : std::vector<SecretKeySpec>{};
}

bool SourceRegistry::takes_replies(std::string_view type) const {
  const SourceType* t = find(type);
  return t != nullptr && static_cast<bool>(t->create_replier);
}

std::unique_ptr<ReplyPoster> SourceRegistry::create_replier(const SourceConfig& source) const {
  const SourceType* t = find(source.type);
  if (t == nullptr || !t->create_replier) return nullptr;
  return t->create_replier(source);
}

std::optional<Duration> SourceRegistry::default_interval(std::string_view type) const {
  const SourceType* t = find(type);
  return t != nullptr ? t->default_interval : std::nullopt;
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
  if (type->api_key == ApiKeyUse::required && source.api_key.empty())
    problems.error(key_prefix + ".api_key", source.line,
                   "is required for source type \"" + source.type + "\" (env:NAME or file:PATH)");
  if (type->api_key == ApiKeyUse::none && !source.api_key.empty())
    problems.error(key_prefix + ".api_key", source.line, "source type \"" + source.type + "\" takes no api_key");
}

std::unique_ptr<Source> SourceRegistry::create(const SourceConfig& source) const {
  const SourceType* type = find(source.type);
  if (type == nullptr || !type->create) throw std::invalid_argument("unknown source type: " + source.type);
  return type->create(source);
}

}  // namespace otklik
