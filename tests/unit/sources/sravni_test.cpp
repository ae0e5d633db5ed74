// The sravni.ru preset on hand-written pages of the reviews list in the site's JSON shape.
#include "sources/sravni/sravni_parse.hpp"
#include "sources/generic/dates.hpp"
#include "daemon/config/config_load.hpp"
#include "sources/source.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"
#include "tests/unit/sources/parse_input.hpp"

#include <filesystem>

using namespace otklik;
using otklik::test::read_fixture;
using namespace std::chrono_literals;

namespace {

const char* const kFirst =
    "https://www.sravni.ru/proxy-reviews/reviews?filterBy=all&newIds=true&orderBy=byDate&pageIndex=0&pageSize=20"
    "&rated=any&reviewObjectId=5bb4f768245bc22a520a6115&reviewObjectType=banks&withVotes=true";

const SravniTarget kBank{SravniKind::bank, "rocketbank"};

ParseInput input(const std::string& body, std::string url = kFirst) {
  return test::parse_input(body, std::move(url), "sravni", "Рокетбанк", *make_utc(2026, 11, 24, 12, 0, 0), "utf-8");
}

const SourceRegistry& registry() {
  static const SourceRegistry r = SourceRegistry::with_builtin_types();
  return r;
}

LoadedConfig load(const std::string& sources) {
  const std::string text = "[daemon]\nstate = \"s.db\"\n[[source]]\nname = \"s\"\n" + sources +
                           "\n[[channel]]\nname = \"c\"\ntype = \"console\"\n[[route]]\nchannel = \"c\"\n";
  return load_config_text(text, std::filesystem::temp_directory_path(), &registry());
}

std::string problem_at(const LoadedConfig& l, std::string_view key) {
  for (const auto& p : l.problems)
    if (!p.warning && p.key == key) return p.message;
  return {};
}

}  // namespace

TEST_CASE("sravni.ru reviews become mentions, the company's answer marks them", "[sources][sravni]") {
  const std::string body = read_fixture("sravni/page0.json");
  auto page = parse_sravni(input(body), kBank);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 4);  // the review without text is skipped

  const Mention& a = page->mentions[0];
  CHECK(a.source == "sravni");
  CHECK(a.brand == "Рокетбанк");
  CHECK(a.fetched == make_utc(2026, 11, 24, 12, 0, 0));
  CHECK(a.external_id == "sravni-1126129");
  CHECK(a.url == "https://www.sravni.ru/bank/rocketbank/otzyvy/1126129/");
  CHECK(a.title == "Подключили страховку, о которой я не просила");
  CHECK(a.text ==
        "Оформила кредитную карту в отделении на Ленина. Через месяц увидела в выписке списание 1 490 рублей за "
        "страховку, хотя от неё отказывалась.\nВ чате поддержки уже неделю обещают перезвонить, но никто так и не "
        "позвонил. Заявление на возврат приняли только с третьего раза.");
  CHECK(a.author == "Дарья А.");
  CHECK(a.author_id == "48213377");
  CHECK(a.rating == std::optional<double>(1.0));
  CHECK(a.published == make_utc(2026, 11, 23, 7, 15, 42));  // "date" is UTC (the fraction dropped)
  CHECK(a.company_reply == kSravniAnswered);
  CHECK(a.subject == "Кредитные карты · Кредитная карта «120 дней» · Армавир");

  const Mention& b = page->mentions[1];
  CHECK(b.external_id == "sravni-1126101");
  CHECK(b.author == "Игорь");  // an empty last name adds nothing
  CHECK(b.title == "Вклад открыл за 10 минут 👍");
  CHECK(b.rating == std::optional<double>(5.0));
  CHECK(b.published == make_utc(2026, 11, 22, 20, 40, 5));
  CHECK(b.company_reply.empty());
  CHECK(b.subject == "Вклады и счета · Москва");  // specificProductName null

  const Mention& c = page->mentions[2];
  CHECK(c.external_id == "sravni-1126077");
  CHECK(c.text == "Почему кешбэк за октябрь начислили не полностью?\nВ категории «Аптеки» пришло 0 ₽.");
  CHECK_FALSE(c.rating);  // "rating": "" — no grade
  CHECK(c.published == make_utc(2026, 11, 22, 12, 5, 0));  // no "date": createdToMoscow, 15:05 in Moscow
  CHECK(c.subject.empty());  // a tag not known, no product, locationData null
  CHECK(c.author == "Марина");
  CHECK(c.author_id.empty());

  const Mention& d = page->mentions[3];
  CHECK(d.author == "Пользователь");
  CHECK(d.subject == "Мобильное приложение · Казань");
  CHECK(d.rating == std::optional<double>(2.0));

  REQUIRE(page->warnings.size() == 1);
  CHECK(page->warnings[0] == "item 1126090: skipped, no text");
}

TEST_CASE("sravni.ru ratings, dates and answers", "[sources][sravni]") {
  struct Case {
    const char* fields;
    std::optional<double> rating;
    std::optional<TimePoint> published;
    bool answered;
    std::size_t warnings;
  };
  const Case cases[] = {
      {R"("rating": 3, "date": "2026-01-01T02:30:00Z")", 3.0, make_utc(2026, 1, 1, 2, 30, 0), false, 0},
      {R"("rating": "4", "createdToMoscow": "2026-06-15T00:00:00")", 4.0, make_utc(2026, 6, 14, 21, 0, 0), false, 0},
      {R"("rating": 9, "date": "2026-06-15T00:00:00+03:00")", 5.0, make_utc(2026, 6, 14, 21, 0, 0), false, 0},
      {R"("rating": null, "hasCompanyResponse": true)", std::nullopt, std::nullopt, true, 0},
      {R"("rating": 0, "hasCompanyResponse": false)", std::nullopt, std::nullopt, false, 0},
      {R"("hasCompanyResponse": "true", "createdToMoscow": "2026-06-15T00:00:00Z")", std::nullopt,
       make_utc(2026, 6, 15, 0, 0, 0), false, 0},
      {R"("rating": "много", "date": "вчера")", std::nullopt, std::nullopt, false, 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.fields);
    const std::string body = std::string(R"({"items":[{"id":1,"text":"Текст",)") + c.fields + "}]}";
    auto page = parse_sravni(input(body), kBank);
    REQUIRE(page);
    REQUIRE(page->mentions.size() == 1);
    CHECK(page->mentions[0].rating == c.rating);
    CHECK(page->mentions[0].published == c.published);
    CHECK(page->mentions[0].company_reply.empty() != c.answered);
    CHECK(page->warnings.size() == c.warnings);
  }
}

TEST_CASE("sravni.ru: insurers' review links, and none without an alias", "[sources][sravni]") {
  const std::string body = R"({"items":[{"id":998877,"text":"Выплату по ОСАГО задержали на месяц","reviewTag":"osago"}]})";
  auto insurer = parse_sravni(input(body), SravniTarget{SravniKind::insurance, "sberbank-strah"});
  REQUIRE(insurer);
  REQUIRE(insurer->mentions.size() == 1);
  CHECK(insurer->mentions[0].url == "https://www.sravni.ru/strakhovaja-kompanija/sberbank-strah/otzyvy/998877/");
  CHECK(insurer->mentions[0].subject == "ОСАГО");
  CHECK(insurer->mentions[0].external_id == "sravni-998877");

  auto no_alias = parse_sravni(input(body), SravniTarget{});
  REQUIRE(no_alias);
  CHECK(no_alias->mentions[0].url.empty());
  CHECK(no_alias->mentions[0].external_id == "sravni-998877");

  // Without an id the mention still gets a stable id of its content, and no link.
  auto no_id = parse_sravni(input(R"({"items":[{"text":"Без номера"}]})"), kBank);
  REQUIRE(no_id);
  REQUIRE(no_id->mentions.size() == 1);
  CHECK_FALSE(no_id->mentions[0].external_id.empty());
  CHECK(no_id->mentions[0].external_id.rfind("sravni-", 0) != 0);
  CHECK(no_id->mentions[0].url.empty());
}

TEST_CASE("sravni.ru: empty pages and bodies that are not the list", "[sources][sravni]") {
  auto empty = parse_sravni(input(R"({"items":[],"total":0})"), kBank);
  REQUIRE(empty);
  CHECK(empty->mentions.empty());
  CHECK(empty->warnings.empty());

  auto odd = parse_sravni(input(R"({"items":[17, {"id":2,"text":"Ок"}]})"), kBank);
  REQUIRE(odd);
  CHECK(odd->mentions.size() == 1);
  REQUIRE(odd->warnings.size() == 1);
  CHECK(odd->warnings[0] == "item #1: skipped, not an object");

  struct Case {
    const char* body;
    const char* reason;
  };
  const Case cases[] = {
      {"<html><body>Доступ ограничен</body></html>", "not JSON"},
      {R"({"error":"Not found"})", "no \"items\" array"},
      {R"({"items":{"id":1}})", "no \"items\" array"},
      {"[1,2]", "no \"items\" array"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto page = parse_sravni(input(c.body), kBank);
    REQUIRE_FALSE(page);
    CHECK(page.error().code == make_error_code(errc::parse_failed));
    CHECK(page.error().detail.rfind(kFirst, 0) == 0);
    CHECK(page.error().detail.find(c.reason) != std::string::npos);
  }
}

TEST_CASE("sravni.ru paging: pageIndex=N+1 while pages remain", "[sources][sravni]") {
  const std::string first = read_fixture("sravni/page0.json");
  const std::string last = read_fixture("sravni/page1_last.json");
  const ParsedPage none;
  const std::string second =
      "https://www.sravni.ru/proxy-reviews/reviews?filterBy=all&newIds=true&orderBy=byDate&pageIndex=1&pageSize=20"
      "&rated=any&reviewObjectId=5bb4f768245bc22a520a6115&reviewObjectType=banks&withVotes=true";
  CHECK(next_sravni_page(kFirst, first, none) == std::optional<std::string>(second));  // 20 < 23
  CHECK_FALSE(next_sravni_page(second, last, none));                                  // 40 ≥ 23
  // The spelling the URL uses is kept; pageSize from the URL.
  CHECK(next_sravni_page("https://www.sravni.ru/proxy-reviews/reviews/?PageIndex=2&PageSize=5&ReviewObjectId=x",
                         R"({"items":[{"id":1}],"total":100})", none) ==
        std::optional<std::string>("https://www.sravni.ru/proxy-reviews/reviews/?PageIndex=3&PageSize=5&ReviewObjectId=x"));
  // Without pageIndex the first page is 0; without total a full page goes on, a short one ends.
  CHECK(next_sravni_page("https://x.test/proxy-reviews/reviews?pageSize=2", R"({"items":[{"id":1},{"id":2}]})", none) ==
        std::optional<std::string>("https://x.test/proxy-reviews/reviews?pageSize=2&pageIndex=1"));
  CHECK_FALSE(next_sravni_page("https://x.test/proxy-reviews/reviews?pageSize=2", R"({"items":[{"id":1}]})", none));
  CHECK_FALSE(next_sravni_page(kFirst, R"({"items":[],"total":23})", none));
  CHECK_FALSE(next_sravni_page(kFirst, "not json", none));

  auto page = parse_sravni(input(last, second), kBank);
  REQUIRE(page);
  REQUIRE(page->mentions.size() == 2);
  CHECK(page->mentions[0].title == "Перевод по СБП шёл двое суток");
  CHECK(page->mentions[1].subject == "Дебетовые карты · Зарплатная карта");
}

TEST_CASE("sravni.ru: the first page's URL and the reviews' links", "[sources][sravni]") {
  CHECK(sravni_url("5bb4f768245bc22a520a6115", SravniKind::bank) == kFirst);
  CHECK(sravni_url("147351", SravniKind::insurance) ==
        "https://www.sravni.ru/proxy-reviews/reviews?filterBy=all&newIds=true&orderBy=byDate&pageIndex=0&pageSize=20"
        "&rated=any&reviewObjectId=147351&reviewObjectType=insuranceCompany&withVotes=true");
  CHECK(sravni_url("a&b", SravniKind::bank).find("reviewObjectId=a%26b&") != std::string::npos);
  CHECK(sravni_review_url(kBank, "5") == "https://www.sravni.ru/bank/rocketbank/otzyvy/5/");
  CHECK(sravni_review_url(kBank, "").empty());
  CHECK(sravni_kind("bank") == std::optional<SravniKind>(SravniKind::bank));
  CHECK(sravni_kind("insurance") == std::optional<SravniKind>(SravniKind::insurance));
  CHECK_FALSE(sravni_kind("mfo"));
  CHECK(sravni_tag_words("creditCards") == "Кредитные карты");
  CHECK(sravni_tag_words("nope").empty());
}

TEST_CASE("sravni in the config: the company's id builds the URL, kind and alias are checked", "[sources][sravni]") {
  {
    const auto loaded = load("type = \"sravni\"\nobject_id = \"5bb4f768245bc22a520a6115\"\nalias = \"rocketbank\"");
    REQUIRE(loaded.config);
    const SourceConfig& s = loaded.config->sources.at(0);
    CHECK(s.url == kFirst);
    CHECK(s.interval == 1h);
    CHECK(registry().site_name("sravni") == "Сравни.ру");
    CHECK(registry().create(s) != nullptr);
  }
  {
    const auto loaded = load("type = \"sravni\"\nobject_id = \"147351\"\nkind = \"insurance\"\nmax_pages = 10");
    REQUIRE(loaded.config);
    CHECK(loaded.config->sources.at(0).url == sravni_url("147351", SravniKind::insurance));
  }
  struct Case {
    const char* keys;
    const char* key;
    const char* message;
  };
  const Case cases[] = {
      {"type = \"sravni\"\nalias = \"x\"", "source[\"s\"].object_id",
       "is required for source type \"sravni\" (the company's reviewObjectId on sravni.ru, e.g. "
       "\"5bb4f768245bc22a520a6115\"), unless url is given"},
      {"type = \"sravni\"\nobject_id = \"1\"\nkind = \"mfo\"", "source[\"s\"].kind",
       "expected \"bank\" or \"insurance\", got \"mfo\""},
      {"type = \"sravni\"\nobject_id = \"1\"\nmax_pages = 11", "source[\"s\"].max_pages",
       "expected an integer from 1 to 10"},
      {"type = \"sravni\"\nobject_id = \"1\"\nbank = \"x\"", "source[\"s\"].bank",
       "unknown key for source type \"sravni\" (known: object_id, alias, kind, max_pages)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.keys);
    const auto loaded = load(c.keys);
    CHECK_FALSE(loaded.config);
    CHECK(problem_at(loaded, c.key) == c.message);
  }
}
