// The understanding step with the real store and a mock clock: brand-matching sources drop
// items without a brand, negatives get claims, topics and author keys, a repeat author is
// summed up, and spikes start and end exactly once with their notices.
#include "daemon/app/pipeline.hpp"
#include "daemon/app/spike_watch.hpp"
#include "daemon/app/understand.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "daemon/store/sqlite_store.hpp"
#include "daemon/sentiment/text.hpp"
#include "daemon/understanding/topic_file.hpp"
#include "daemon/understanding/understanding_json.hpp"
#include "tests/support/catch_result.hpp"
#include "tests/support/run_sync.hpp"

#include <boost/asio/io_context.hpp>

#include <boost/json.hpp>

using namespace otklik;
using namespace std::chrono_literals;

namespace {

RouteConfig route(std::string channel) {
  RouteConfig r;
  r.channel = std::move(channel);
  return r;
}

struct Fixture {
  ManualClock clock{TimePoint{} + 24h * 20000};
  std::unique_ptr<SqliteStore> store = std::move(SqliteStore::open(":memory:", clock).value());
  std::unique_ptr<StoreExecutor> exec = StoreExecutor::inline_on(*store);
  boost::asio::io_context exec_ctx;  // the spike watch's wake timer
  std::unique_ptr<Scorer> scorer = make_builtin_scorer();
  Config config;
  std::unique_ptr<Router> router;
  std::shared_ptr<const understanding::Taxonomy> topics =
      std::make_shared<understanding::Taxonomy>(understanding::builtin_taxonomy());
  std::unique_ptr<Understander> understander;
  std::unique_ptr<Pipeline> pipeline;
  SourceConfig source;
  SourceState state;

  Fixture() {
    BrandConfig b;
    b.name = "Рокетбанк";
    b.aliases = {"Rocketbank"};
    config.brands = {b};
    config.routes = {route("team")};
    source.name = "mentions";
    state.source = "mentions";
    state.polls = 1;  // past the baseline
    config.sources = {source};
    router = std::make_unique<Router>(config.routes);
    understander = std::make_unique<Understander>(*scorer, topics, make_brand_matcher(config.brands), config.understanding);
    pipeline = std::make_unique<Pipeline>(*scorer, *router, *exec, Lang::automatic);
    pipeline->understand_with(understander.get());
  }

  Mention item(std::string id, std::string text, std::string author = "", std::string author_id = "") {
    Mention m;
    m.source = source.name;
    m.external_id = std::move(id);
    m.text = std::move(text);
    m.author = std::move(author);
    m.author_id = std::move(author_id);
    m.published = clock.now();
    m.fetched = clock.now();
    m.brand = source.brand;  // as the source runner sets it
    return m;
  }
};

}  // namespace

TEST_CASE("a brand-matching source keeps items that name a brand and stores the form", "[app][understanding]") {
  Fixture f;
  f.source.match_brands = true;
  auto sum = test::run_sync(f.pipeline->ingest(f.source, f.state,
                                {f.item("1", "Рокербанк заблокировал карту, ужасно!"),
                                 f.item("2", "Играли в покер, ужасный вечер"), f.item("3", "Rocketbank is great")},
                                f.clock.now()));
  CHECK(sum.dropped == 1);
  CHECK(sum.inserted == 2);
  auto id = f.store->mention_id("mentions", "1");
  REQUIRE(id);
  REQUIRE(id->has_value());
  auto m = f.store->mention(**id).value();
  REQUIRE(m.has_value());
  CHECK(m->mention.brand == "Рокетбанк");
  REQUIRE(m->understanding.brand.has_value());
  CHECK(m->understanding.brand->form == "Рокербанк");
  CHECK(m->understanding.brand->how == "typo");
  CHECK(m->understanding.topics == std::vector<std::string>{"blocked"});
  CHECK(sum.negative_keys.count({"Рокетбанк", ""}) == 1);
  CHECK(sum.negative_keys.count({"Рокетбанк", "blocked"}) == 1);
}

TEST_CASE("a repeat author is found across sources and summed up", "[app][understanding]") {
  Fixture f;
  f.source.brand = "Рокетбанк";
  SourceConfig other = f.source;
  other.name = "maps";
  test::run_sync(f.pipeline->ingest(other, f.state, {[&] {
                       Mention m = f.item("m1", "Ждал в очереди час, ужасно", "Иван Петров");
                       m.source = "maps";
                       m.url = "https://maps.example/r/1";
                       return m;
                     }()},
                     f.clock.now()));
  f.clock.advance(24h);
  test::run_sync(f.pipeline->ingest(f.source, f.state, {f.item("r1", "Снова очередь на час и хамство, отвратительно", "иван петров")},
                     f.clock.now()));
  auto m = f.store->mention(f.store->mention_id("mentions", "r1").value().value()).value();
  REQUIRE(m.has_value());
  REQUIRE(m->understanding.repeat.has_value());
  const auto& r = *m->understanding.repeat;
  CHECK(r.negatives == 2);
  CHECK(r.window_days == 30);
  CHECK(r.by_source == std::vector<std::pair<std::string, int>>{{"maps", 1}, {"mentions", 1}});
  REQUIRE(r.previous.size() == 1);
  CHECK(r.previous[0].url == "https://maps.example/r/1");
  CHECK(r.previous[0].case_state == "new");
  CHECK(r.repeated_topics == std::vector<std::string>{"waiting"});
  CHECK(m->understanding.author_name_key == "иван петров");

  // Beyond the window: not a repeat.
  f.clock.advance(24h * 40);
  test::run_sync(f.pipeline->ingest(f.source, f.state, {f.item("r2", "Опять очередь, ужасно", "Иван Петров")}, f.clock.now()));
  auto late = f.store->mention(f.store->mention_id("mentions", "r2").value().value()).value();
  CHECK_FALSE(late->understanding.repeat.has_value());
}

TEST_CASE("summarize_history counts per source and finds repeated topics", "[app][understanding]") {
  std::vector<AuthorHistoryItem> h(3);
  h[0] = {9, "banki", "b9", "https://b/9", TimePoint{} + 10h, {"money"}, "resolved"};
  h[1] = {7, "maps", "m7", "", TimePoint{} + 5h, {"waiting", "rudeness"}, ""};
  h[2] = {3, "maps", "m3", "", TimePoint{} + 1h, {}, "new"};
  const auto r = summarize_history(h, "maps", {"rudeness", "fees"}, 30, 2);
  CHECK(r.negatives == 4);
  CHECK(r.by_source == std::vector<std::pair<std::string, int>>{{"maps", 3}, {"banki", 1}});
  REQUIRE(r.previous.size() == 2);
  CHECK(r.previous[0].mention_id == 9);
  CHECK(r.previous[0].published_ms == 10 * 3600 * 1000);
  CHECK(r.repeated_topics == std::vector<std::string>{"rudeness"});
}

TEST_CASE("a spike starts once, is told to the routed channels, and ends once", "[app][understanding][spikes]") {
  Fixture f;
  f.source.brand = "Рокетбанк";
  f.config.sources = {f.source};
  SpikeWatch watch(f.exec_ctx.get_executor(), *f.exec, f.config, *f.router, f.topics, nullptr);
  int changes = 0;
  watch.on_change([&](bool) { ++changes; });
  CHECK(watch.channels_for("Рокетбанк") == std::vector<std::string>{"team"});
  CHECK(watch.channels_for("") == std::vector<std::string>{"team"});  // no source of its own: every routed channel

  // A quiet month: one complaint about queues every few days.
  const TimePoint start = f.clock.now();
  for (int d = 28; d >= 1; d -= 4) {
    f.clock.set(start - 24h * d);
    test::run_sync(f.pipeline->ingest(f.source, f.state, {f.item("q" + std::to_string(d), "Ждал в очереди, ужасно")}, f.clock.now()));
  }
  // Then, within one hour, seven.
  f.clock.set(start);
  std::vector<Mention> burst;
  for (int i = 0; i < 7; ++i) burst.push_back(f.item("b" + std::to_string(i), "Огромная очередь, ждал час, ужасно"));
  const auto sum = test::run_sync(f.pipeline->ingest(f.source, f.state, burst, f.clock.now()));
  watch.touched(sum.negative_keys);  // as the source runner does after the poll
  CHECK(watch.pending());
  SpikePass pass = test::run_sync(watch.check_touched(f.clock.now()));
  CHECK_FALSE(watch.pending());
  CHECK(pass.errors.empty());
  CHECK(pass.started == 2);  // all topics, and "waiting"
  CHECK(changes == 2);
  pass = watch.check(*f.store, sum.negative_keys, f.clock.now() + 5min);
  CHECK(pass.started == 0);  // once per spike

  INFO("outbox notices: " << f.store->database().query_int64("SELECT COUNT(*) FROM outbox WHERE kind = 'notice'").value()
       << ", all rows: " << f.store->database().query_int64("SELECT COUNT(*) FROM outbox").value());
  auto notices = f.store->lease("team", f.clock.now() + 1h, 1s, 100).value();
  std::vector<std::string> texts;
  for (const auto& n : notices)
    if (n.kind == "notice") texts.push_back(n.payload);
  REQUIRE(texts.size() == 2);
  const auto spike = boost::json::parse(texts[0]).as_object();
  const std::string text(spike.at("text").as_string());
  INFO(text);
  CHECK(text.find("7 негативных отзывов") != std::string::npos);
  CHECK(text.find("за 3 часа") != std::string::npos);

  // Four hours later the window is empty again: the spike ends, once.
  pass = watch.check(*f.store, {}, f.clock.now() + 4h);
  CHECK(pass.ended == 2);
  pass = watch.check(*f.store, {}, f.clock.now() + 5h);
  CHECK(pass.ended == 0);
  CHECK(f.store->active_spikes().value().empty());
}

TEST_CASE("with [spikes] off nothing is checked", "[app][understanding][spikes]") {
  Fixture f;
  f.config.spikes.enabled = false;
  SpikeWatch watch(f.exec_ctx.get_executor(), *f.exec, f.config, *f.router, f.topics, nullptr);
  CHECK(watch.check(*f.store, {{"Рокетбанк", ""}}, f.clock.now()).started == 0);
}

TEST_CASE("topic views follow the channel's language and the [understanding] switches", "[app][understanding]") {
  DeliveryRequest req;
  StoredMention sm;
  sm.understanding.topics = {"waiting"};
  sm.understanding.claims = {{0, 4, "ждал час", -0.4, {"waiting", "rudeness"}}};
  req.mention = sm;
  UnderstandingConfig cfg;
  cfg.hints = false;
  add_topic_views(req, &understanding::builtin_taxonomy(), "en", cfg);
  REQUIRE(req.topics.size() == 2);  // taxonomy order
  CHECK(req.topics[0].id == "rudeness");
  CHECK(req.topics[1].name == "Waiting and queues");
  CHECK_FALSE(req.topics[1].hints.empty());
  CHECK_FALSE(req.show_hints);
  CHECK(req.show_claims);
}

TEST_CASE("topics load from the built-in file plus the team's files", "[app][understanding]") {
  TopicsConfig cfg;
  cfg.disable = {"cleanliness"};
  auto t = load_topics(cfg);
  REQUIRE(t);
  CHECK((*t)->find("cleanliness") == nullptr);
  CHECK((*t)->topics.size() == understanding::builtin_taxonomy().topics.size() - 1);
  cfg.files = {"/nonexistent/topics.toml"};
  auto bad = load_topics(cfg);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().detail.find("cannot read the topic file") != std::string::npos);
  const auto names = topic_names(**t, "en");
  CHECK(names.at("waiting") == "Waiting and queues");
}

TEST_CASE("the pipeline's understanding, from the tokens the scorer read, is the one of the text alone",
          "[app][understanding]") {
  Fixture f;
  struct Row {
    std::string title;
    std::string text;
    std::optional<double> rating;
  };
  const std::vector<Row> rows = {
      {"", "Ужасный сервис, ждал оператора сорок минут", std::nullopt},
      {"", "Third connection missed this month. Still waiting on my bag, and nobody answers the phone.", std::nullopt},
      {"Кошмар", "Деньги так и не пришли, третий раз переносят. Поддержка молчит, в отделении грубят.", std::nullopt},
      {"", "The food was cold and the waiter was rude; the room was dirty. Never again!", 1.0},
      {"Not again", "Why is my refund taking 3 weeks?? The app crashes every time I open the card page :(", 2.0},
      {"", "Очередь в кассу на час, кассир хамит, а карта не работает — и это уже не первый раз", std::nullopt},
      {"", "Доставка опоздала на два часа, курьер не позвонил. Wi-Fi в номере не работал, цены завышены.", 4.0},
      {"", "terrible", std::nullopt},
      {"", "The waiter was rude to me", 1.0},
      {"", "Кассир нахамил", 2.0},
      {"", "The waiter was rude to me", 4.0},
      {"", "Кассир нахамил", 5.0},
      {"", "кассир нахамил, rude and slow", std::nullopt},
      {"", "Отличный банк, всем доволен", std::nullopt},
  };
  for (const Lang lang : {Lang::automatic, Lang::ru, Lang::en}) {
    for (const auto& row : rows) {
      Mention m = f.item("x", row.text, "Иван Петров", "id1");
      m.title = row.title;
      m.rating = row.rating;
      const std::string text = scored_text(m);
      sentiment::TokenBuffer tokens;
      sentiment::tokenize(text, tokens);
      const Sentiment s = f.scorer->score_tokenized(text, tokens, m.rating, lang);
      CAPTURE(text, static_cast<int>(lang), s.score);
      REQUIRE(s.score == f.scorer->score(text, m.rating, lang).score);
      const auto alone = f.understander->understand(m, s);
      const auto read = f.understander->understand(m, s, text, tokens, !m.rating && lang == Lang::automatic);
      CHECK(understanding::to_json(read) == understanding::to_json(alone));
      CHECK(read.author_id_key == alone.author_id_key);
      CHECK(read.author_name_key == alone.author_name_key);
      if (s.label == Label::negative) CHECK_FALSE(alone.claims.empty());
    }
  }
}
