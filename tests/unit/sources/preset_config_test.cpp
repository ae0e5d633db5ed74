// Presets in the config: ids instead of URLs, polite default intervals, page limits, API keys,
// the official-reply policy; and the paging steps of the social presets.
#include "daemon/config/config_load.hpp"
#include "sources/app_store/app_store_parse.hpp"
#include "sources/mastodon/mastodon_parse.hpp"
#include "sources/reddit/reddit_parse.hpp"
#include "sources/source.hpp"
#include "sources/telegram_channel/telegram_channel_parse.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

#include <cstdlib>
#include <filesystem>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

const SourceRegistry& registry() {
  static const SourceRegistry r = SourceRegistry::with_builtin_types();
  return r;
}

LoadedConfig load(const std::string& sources) {
  const std::string text = "[daemon]\nstate = \"s.db\"\n" + sources +
                           "\n[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n";
  return load_config_text(text, std::filesystem::temp_directory_path(), &registry());
}

std::string problems(const LoadedConfig& l) {
  std::string out;
  for (const auto& p : l.problems)
    if (!p.warning) out += p.key + ": " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("presets build their URL from ids and poll at their own pace", "[sources][config][presets]") {
  ::setenv("OTKLIK_TEST_KEY", "k-123", 1);
  struct Case {
    const char* keys;
    const char* url;
    Duration interval;
  };
  const Case cases[] = {
      {R"(type = "app_store"
app_id = "1000000000"
country = "RU")",
       "https://itunes.apple.com/ru/rss/customerreviews/page=1/id=1000000000/sortby=mostrecent/xml", 1h},
      {R"(type = "telegram_channel"
channel = "@rocketbank_news")",
       "https://t.me/s/rocketbank_news", 15min},
      {R"(type = "mastodon_tag"
instance = "mastodon.social"
tag = "#rocketbank")",
       "https://mastodon.social/api/v1/timelines/tag/rocketbank?limit=40", 10min},
      {R"(type = "mastodon_search"
instance = "mastodon.social"
query = "rocketbank"
api_key = "env:OTKLIK_TEST_KEY")",
       "https://mastodon.social/api/v2/search?q=rocketbank&type=statuses&resolve=false&limit=40", 10min},
      {R"(type = "reddit_search"
query = "rocketbank OR \"rocket bank\"")",
       "https://www.reddit.com/search.json?q=rocketbank%20OR%20%22rocket%20bank%22&sort=new&limit=100&type=link", 15min},
      {R"(type = "yandex_maps"
org_id = "1234567890")",
       "https://yandex.ru/maps/org/1234567890/reviews/", 2h},
      {R"(type = "two_gis"
branch_id = "70000001012345678"
api_key = "env:OTKLIK_TEST_KEY")",
       "https://public-api.reviews.2gis.com/2.0/branches/70000001012345678/reviews?", 1h},
      {R"(type = "google_places"
place_id = "ChIJN1t_tDeuEmsRUsoyG83frY4"
api_key = "env:OTKLIK_TEST_KEY")",
       "https://maps.googleapis.com/maps/api/place/details/json?place_id=ChIJN1t_tDeuEmsRUsoyG83frY4", 6h},
      {R"(type = "google_places"
place_id = "ChIJN1t_tDeuEmsRUsoyG83frY4"
api = "new"
language = "en"
api_key = "env:OTKLIK_TEST_KEY")",
       "https://places.googleapis.com/v1/places/ChIJN1t_tDeuEmsRUsoyG83frY4?languageCode=en", 6h},
      {R"(type = "banki_ru"
bank = "tcs")",
       "https://www.banki.ru/services/responses/list/ajax/?page=1&is_countable=on&bank=tcs", 1h},
      {R"(type = "otzovik"
slug = "bank_tinkoff")",
       "https://otzovik.com/reviews/bank_tinkoff/", 6h},
      {R"(type = "irecommend"
slug = "bank-tinkoff")",
       "https://irecommend.ru/content/bank-tinkoff", 6h},
      {R"(type = "trustpilot"
domain = "example.com")",
       "https://www.trustpilot.com/review/example.com?", 2h},
      {R"(type = "vk_search"
query = "рокетбанк"
api_key = "env:OTKLIK_TEST_KEY")",
       "https://api.vk.com/method/newsfeed.search?q=%D1%80%D0%BE%D0%BA%D0%B5%D1%82%D0%B1%D0%B0%D0%BD%D0%BA&count=200", 15min},
  };
  for (const auto& c : cases) {
    CAPTURE(c.keys);
    const auto loaded = load(std::string("[[source]]\nname = \"s\"\n") + c.keys + "\n");
    INFO(problems(loaded));
    REQUIRE(loaded.config);
    const SourceConfig& s = loaded.config->sources.at(0);
    CHECK(s.url.starts_with(c.url));
    CHECK(s.url.find("k-123") == std::string::npos);  // the key is added per request, never stored
    CHECK(s.interval == c.interval);
    auto source = registry().create(s);
    CHECK(source != nullptr);
  }
}

TEST_CASE("a given url and interval win over the preset's", "[sources][config][presets]") {
  const auto loaded = load(R"([[source]]
name = "s"
type = "app_store"
url = "http://127.0.0.1:8080/ru/rss/customerreviews/page=1/id=1/sortby=mostrecent/json"
interval = "5s"
)");
  INFO(problems(loaded));
  REQUIRE(loaded.config);
  CHECK(loaded.config->sources[0].url == "http://127.0.0.1:8080/ru/rss/customerreviews/page=1/id=1/sortby=mostrecent/json");
  CHECK(loaded.config->sources[0].interval == 5s);
}

TEST_CASE("preset keys are checked, every problem at once", "[sources][config][presets]") {
  ::setenv("OTKLIK_TEST_KEY", "k-123", 1);
  struct Case {
    const char* keys;
    const char* key;
    const char* message;
  };
  const Case cases[] = {
      {R"(type = "app_store")", "source[\"s\"].app_id",
       "is required for source type \"app_store\" (the app's numeric id (apps.apple.com/…/id<APP_ID>)), unless url is given"},
      {R"(type = "app_store"
app_id = "id123")",
       "source[\"s\"].app_id", "expected digits only, got \"id123\""},
      {R"(type = "app_store"
app_id = "1"
max_pages = 11)",
       "source[\"s\"].max_pages", "expected an integer from 1 to 10"},
      {R"(type = "telegram_channel"
channel = "a b")",
       "source[\"s\"].channel", "expected a single name without spaces, '/', '?' or '#', got \"a b\""},
      {R"(type = "yandex_maps"
org_id = "1"
place = "x")",
       "source[\"s\"].place", "unknown key for source type \"yandex_maps\" (known: org_id)"},
      {R"(type = "yandex_maps"
org_id = 123)",
       "source[\"s\"].org_id", "expected a string (the organisation's id, the number in its Yandex Maps link)"},
      {R"(type = "two_gis"
branch_id = "1")",
       "source[\"s\"].api_key", "is required for source type \"two_gis\" (env:NAME or file:PATH)"},
      {R"(type = "banki_ru"
bank = "tcs"
api_key = "env:OTKLIK_TEST_KEY")",
       "source[\"s\"].api_key", "source type \"banki_ru\" takes no api_key"},
      {R"(type = "google_places"
place_id = "x"
api = "v2"
api_key = "env:OTKLIK_TEST_KEY")",
       "source[\"s\"].api", "expected \"legacy\" or \"new\", got \"v2\""},
      {R"(type = "rss")", "source[\"s\"].url", "is required"},
      {R"(type = "otzovik"
slug = "x"
answered = "maybe")",
       "source[\"s\"].answered", "expected \"inform\", \"act\" or \"quiet\", got \"maybe\""},
      {R"(type = "google_alerts"
query = "x")",
       "source[\"s\"].url", "is required"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.keys);
    const auto loaded = load(std::string("[[source]]\nname = \"s\"\n") + c.keys + "\n");
    CHECK_FALSE(loaded.config);
    INFO(problems(loaded));
    const auto it = std::find_if(loaded.problems.begin(), loaded.problems.end(),
                                 [&](const ConfigProblem& p) { return p.key == c.key; });
    REQUIRE(it != loaded.problems.end());
    CHECK(it->message == c.message);
    CHECK(it->line > 0);
  }
}

TEST_CASE("answered: what a review the company already answered does", "[sources][config][presets]") {
  for (auto [text, policy] : {std::pair{"", AnsweredPolicy::inform}, std::pair{"answered = \"inform\"", AnsweredPolicy::inform},
                              std::pair{"answered = \"act\"", AnsweredPolicy::act},
                              std::pair{"answered = \"quiet\"", AnsweredPolicy::quiet}}) {
    CAPTURE(text);
    const auto loaded = load(std::string("[[source]]\nname = \"s\"\ntype = \"otzovik\"\nslug = \"x\"\n") + text + "\n");
    REQUIRE(loaded.config);
    CHECK(loaded.config->sources[0].answered == policy);
  }
}

TEST_CASE("the social presets page through their sites", "[sources][paging][presets]") {
  SECTION("Mastodon: max_id of the last status while the page is full") {
    const std::string url = "https://social.example/api/v1/timelines/tag/rocketbank?limit=2";
    CHECK(next_mastodon_page(url, R"([{"id":"109"},{"id":"104"}])", {}) ==
          std::optional<std::string>(url + "&max_id=104"));
    CHECK_FALSE(next_mastodon_page(url, R"([{"id":"109"}])", {}));
    CHECK_FALSE(next_mastodon_page(url, "[]", {}));
    CHECK_FALSE(next_mastodon_page(url, R"({"error":"This method requires an authenticated user"})", {}));
    CHECK(mastodon_tag_url("mastodon.social", "кафе") ==
          "https://mastodon.social/api/v1/timelines/tag/%D0%BA%D0%B0%D1%84%D0%B5?limit=40");
  }
  SECTION("Reddit: after = data.after") {
    const std::string url = "https://www.reddit.com/search.json?q=x&sort=new";
    CHECK(next_reddit_page(url, test::read_fixture("reddit/search.json"), {}) ==
          std::optional<std::string>(url + "&after=t3_1gx0003"));
    CHECK(next_reddit_page(url, R"({"kind":"Listing","data":{"after":"t3_1gx0002","children":[]}})", {}) ==
          std::optional<std::string>(url + "&after=t3_1gx0002"));
    CHECK_FALSE(next_reddit_page(url, R"({"kind":"Listing","data":{"after":null,"children":[]}})", {}));
  }
  SECTION("App Store: page=N+1 while 50 entries, ten pages at most") {
    std::string full = R"({"feed":{"entry":[)";
    for (int i = 0; i < 50; ++i) full += std::string(i ? "," : "") + R"({"id":{"label":")" + std::to_string(i) + "\"}}";
    full += "]}}";
    const std::string url = "https://itunes.apple.com/ru/rss/customerreviews/page=1/id=1/sortby=mostrecent/json";
    CHECK(next_app_store_page(url, full, {}) ==
          std::optional<std::string>("https://itunes.apple.com/ru/rss/customerreviews/page=2/id=1/sortby=mostrecent/json"));
    CHECK_FALSE(next_app_store_page("https://itunes.apple.com/ru/rss/customerreviews/page=10/id=1/sortby=mostrecent/json",
                                    full, {}));
    CHECK_FALSE(next_app_store_page(url, test::read_fixture("app_store/reviews.json"), {}));  // two entries
  }
  SECTION("App Store, the XML form the preset reads: page=N+1 while 50 entries, ten pages at most") {
    std::string full = R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns:im="http://itunes.apple.com/rss" xmlns="http://www.w3.org/2005/Atom" xml:lang="ru">)";
    for (int i = 0; i < 50; ++i)
      full += "<entry><id>" + std::to_string(i) + "</id><im:rating>4</im:rating><title>t</title></entry>";
    full += "</feed>";
    const std::string url = app_store_url("ru", "1");
    CHECK(url == "https://itunes.apple.com/ru/rss/customerreviews/page=1/id=1/sortby=mostrecent/xml");
    CHECK(next_app_store_page(url, full, {}) ==
          std::optional<std::string>("https://itunes.apple.com/ru/rss/customerreviews/page=2/id=1/sortby=mostrecent/xml"));
    CHECK_FALSE(next_app_store_page("https://itunes.apple.com/ru/rss/customerreviews/page=10/id=1/sortby=mostrecent/xml",
                                    full, {}));
    CHECK_FALSE(next_app_store_page(url, test::read_fixture("app_store/reviews.xml"), {}));  // three entries
    CHECK_FALSE(next_app_store_page(url, "<html>captcha</html>", {}));
  }
  SECTION("Telegram: before = the oldest post") {
    ParsedPage page;
    page.mentions = {Mention{.external_id = "rocketbank_news/812"}, Mention{.external_id = "rocketbank_news/790"},
                     Mention{.external_id = "odd"}};
    CHECK(next_telegram_channel_page("https://t.me/s/rocketbank_news", "", page) ==
          std::optional<std::string>("https://t.me/s/rocketbank_news?before=790"));
    CHECK(next_telegram_channel_page("https://t.me/s/rocketbank_news?before=900", "", page) ==
          std::optional<std::string>("https://t.me/s/rocketbank_news?before=790"));
    CHECK_FALSE(next_telegram_channel_page("https://t.me/s/x", "", ParsedPage{}));
  }
}

TEST_CASE("the commented example config loads with every source type of this build", "[sources][config][presets]") {
  for (auto [name, value] : {std::pair{"TELEGRAM_BOT_TOKEN", "123456:example-token"},
                             std::pair{"SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/X"},
                             std::pair{"OTKLIK_WEBHOOK_TOKEN", "Bearer example"},
                             std::pair{"OTKLIK_SMTP_PASSWORD", "example-password"},
                             std::pair{"OTKLIK_2GIS_KEY", "example-2gis-key"}})
    ::setenv(name, value, 1);
  const auto loaded = load_config(std::filesystem::path(OTKLIK_SOURCE_DIR) / "config/otklik.example.toml", &registry());
  INFO(problems(loaded));
  REQUIRE(loaded.config.has_value());
  CHECK(loaded.config->channels.size() >= 4);
  CHECK(loaded.config->sources.size() >= 5);
  CHECK(loaded.config->sla.enabled);
  CHECK(loaded.config->digest.audiences.size() == 2);
  const auto& sources = loaded.config->sources;
  const auto maps = std::find_if(sources.begin(), sources.end(), [](const SourceConfig& s) { return s.type == "yandex_maps"; });
  REQUIRE(maps != sources.end());
  CHECK(maps->url == "https://yandex.ru/maps/org/1000000001/reviews/");
  CHECK(maps->interval == 2h);
}

TEST_CASE("labels: given, or the preset's site with the name, or the name", "[sources][config][presets]") {
  ::setenv("OTKLIK_TEST_KEY", "k-123", 1);
  const auto loaded = load(R"([[source]]
name = "maps-tverskaya"
type = "yandex_maps"
org_id = "1"

[[source]]
name = "gis"
type = "two_gis"
branch_id = "2"
api_key = "env:OTKLIK_TEST_KEY"
label = "2ГИС, Тверская 7"

[[source]]
name = "feed"
type = "rss"
url = "https://example.org/feed.xml"
)");
  INFO(problems(loaded));
  REQUIRE(loaded.config);
  const auto labels = source_labels(*loaded.config);
  CHECK(labels.at("maps-tverskaya") == "Яндекс Карты · maps-tverskaya");
  CHECK(labels.at("gis") == "2ГИС, Тверская 7");
  CHECK(labels.at("feed") == "feed");

  const auto bad = load("[[source]]\nname = \"s\"\ntype = \"otzovik\"\nslug = \"x\"\nlabel = \"\"\n");
  CHECK_FALSE(bad.config);
  CHECK(problems(bad).find("source[\"s\"].label: must be non-empty and without control characters") != std::string::npos);
}
