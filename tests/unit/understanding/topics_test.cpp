// The topic tagger with the built-in taxonomy: cue forms, exceptions, multi-label, both
// languages, hostile text; and the taxonomy's own shape.
#include "daemon/understanding/topic_eval.hpp"
#include "daemon/understanding/topic_file.hpp"
#include "daemon/understanding/topics.hpp"

#include <catch2/catch.hpp>
#include "tests/support/catch_result.hpp"
#include "tests/support/fixture.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

using namespace otklik::understanding;

namespace {

const TopicTagger& tagger() {
  static const TopicTagger t(builtin_taxonomy());
  return t;
}

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("the built-in taxonomy has the fifteen topics, named and with hints in both languages", "[understanding][topics]") {
  const Taxonomy& t = builtin_taxonomy();
  const Ids expected{"rudeness",    "waiting", "unreachable", "canned_reply", "money",   "fees",
                     "imposed",     "app_failure", "blocked", "delivery",     "quality", "damaged",
                     "misleading",  "cleanliness", "handoff"};
  Ids ids;
  for (const auto& topic : t.topics) {
    ids.push_back(topic.id);
    CAPTURE(topic.id);
    CHECK_FALSE(topic.name.ru.empty());
    CHECK_FALSE(topic.name.en.empty());
    CHECK(topic.hints.ru.size() >= 2);
    CHECK(topic.hints.en.size() == topic.hints.ru.size());
    CHECK(topic.cues.ru.size() >= 10);
    CHECK(topic.cues.en.size() >= 10);
    for (const auto* list : {&topic.cues.ru, &topic.cues.en, &topic.exceptions.ru, &topic.exceptions.en})
      for (const auto& cue : *list) {
        CAPTURE(cue);
        CHECK(cue_problem(cue).empty());
      }
    CHECK(topic.hints.ru.size() <= 4);
    CHECK_FALSE(topic.description.ru.empty());
    CHECK_FALSE(topic.description.en.empty());
  }
  CHECK(ids == expected);
  CHECK(t.find("waiting") != nullptr);
  CHECK(t.find("nope") == nullptr);
  CHECK(t.find("rudeness")->name.in("en") == "Rudeness and staff attitude");
  CHECK(t.find("rudeness")->hints.in("ru").front().rfind("Извинитесь", 0) == 0);
}

TEST_CASE("claims get their topics", "[understanding][topics]") {
  struct Case {
    const char* text;
    Ids topics;
  };
  const Case cases[] = {
      {"менеджер нахамил и бросил паспорт", {"rudeness"}},
      {"Кассирша хамила всем подряд", {"rudeness"}},
      {"простоял в очереди полтора часа", {"waiting"}},
      {"в первую очередь хочу сказать про кредит", {}},
      {"не дозвониться до горячей линии", {"unreachable"}},
      {"трубку так никто и не взял", {"unreachable"}},
      {"прислали шаблонный ответ", {"canned_reply"}},
      {"деньги списали дважды", {"money"}},
      {"навязали страховку при оформлении кредита", {"imposed"}},
      {"скрытая комиссия за обслуживание карты", {"fees"}},
      {"приложение вылетает после обновления", {"app_failure"}},
      {"заблокировали карту по 115-ФЗ", {"blocked"}},
      {"курьер не приехал, заказ так и не доставили", {"delivery"}},
      {"пицца была холодная и пересоленная", {"quality"}},
      {"на сайте написано одно, в отделении сказали другое", {"misleading"}},
      {"в туалете грязно и воняет", {"cleanliness"}},
      {"перекидывали из отдела в отдел", {"handoff"}},
      {"сказали, что это не к ним, идите в другой отдел", {"handoff"}},
      {"кассир нахамил, а очередь стояла час", {"rudeness", "waiting"}},
      {"ужааасно хамят", {"rudeness"}},
      {"The manager was rude and dismissive", {"rudeness"}},
      {"I was on hold for 40 minutes and nobody answered", {"waiting", "unreachable"}},
      {"they charged me twice and refused a refund", {"money"}},
      {"the app crashes every time I log in", {"app_failure"}},
      {"my card was blocked without warning", {"blocked"}},
      {"the parcel never arrived", {"delivery"}},
      {"the bathroom was filthy", {"cleanliness"}},
      {"they kept transferring me to another department", {"handoff"}},
      {"карту заблочили прям на кассе", {"blocked"}},                        // slang
      {"смс-информирование подключили без спроса", {"imposed"}},           // a hyphenated cue
      {"платёж прошёл, а долг не погасили", {"money"}},                    // «долг» is not «долго»
      {"ждали долго, очень долго", {"waiting"}},
      {"перевод так и не пришёл", {"money"}},
      {"переводят на карту мгновенно", {}},                                // not a hand-off
      {"ответ как от робота, вообще не по теме", {"canned_reply"}},        // an exception of unreachable
      {"в отделении говорят звоните на горячую линию, а там не дозвониться", {"unreachable", "handoff"}},
      {"счёт арестовали по ошибке", {"blocked"}},                          // «по ошибке» is no app error
      {"обещали кэшбэк 10%, по факту начислили копейки", {"money", "misleading"}},
      {"the driver swore at us", {"rudeness"}},                            // a driver is no delivery
      {"the product was not as advertised", {"misleading"}},               // a cue that holds an exception
      {"my card got blocked and the fraud line just rings and rings", {"unreachable", "blocked"}},
      {"they snuck a paid add-on into my plan", {"imposed"}},
      {"I can see why people like it", {}},                                 // «can» is not «canned»
      {"at my age I appreciate a quick answer", {}},
      {"The waiter was great", {}},
      {"всё ужасно, больше не приду", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(tagger().tag(c.text) == c.topics);
  }
}

TEST_CASE("the hand-off answer and damaged goods find their topics", "[understanding][topics]") {
  struct Case {
    const char* text;
    Ids topics;
  };
  const Case cases[] = {
      // "Not our problem": the answer support rulebooks forbid.
      {"оператор ответил, что это не их проблема", {"handoff"}},
      {"это не наша зона ответственности, сказала девушка", {"handoff"}},
      {"говорят: разбирайтесь с магазином сами", {"handoff"}},
      {"это не моё дело, сказал охранник", {"handoff"}},
      {"обратитесь в другое подразделение, и всё", {"handoff"}},
      {"the agent said it's not their problem", {"handoff"}},
      {"you'll have to contact someone else, he said", {"handoff"}},
      {"she told me to take it up with the manufacturer", {"handoff"}},
      {"that's above my pay grade, was all I heard", {"handoff"}},
      // Goods that came damaged or defective.
      {"заказ привезли помятым", {"damaged"}},
      {"коробка мятая, на экране трещина", {"damaged"}},
      {"пришёл бракованный чайник", {"damaged"}},
      {"упаковка порвана, стекло разбито", {"damaged"}},
      {"на крышке вмятины и царапины", {"damaged"}},
      {"the parcel arrived crushed", {"delivery", "damaged"}},
      {"the lid was dented and the glass was chipped", {"damaged"}},
      {"my new phone came with a cracked screen", {"damaged"}},
      {"received a defective charger", {"damaged"}},
      // Broke down in use: quality, not damaged; and look-alikes that are neither.
      {"чайник сломался через месяц", {"quality"}},
      {"the fridge broke after a month", {"quality"}},
      {"упаковка целая, без повреждений", {}},
      {"arrived with no damage, well packed", {}},
      {"they bent over backwards for us", {}},
      {"оплата разбита на три платежа", {}},
      {"broken promises again", {"misleading"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(tagger().tag(c.text) == c.topics);
  }
  const Topic* handoff = builtin_taxonomy().find("handoff");
  REQUIRE(handoff != nullptr);
  CHECK(handoff->hints.in("ru").front().rfind("Извинитесь", 0) == 0);  // sent away: apologise first
  CHECK(handoff->hints.in("en").front().rfind("Apologise", 0) == 0);
  const Topic* damaged = builtin_taxonomy().find("damaged");
  REQUIRE(damaged != nullptr);
  CHECK(damaged->name.in("ru") == "Товар повреждён или с браком");
  CHECK(damaged->name.in("en") == "Damaged or defective goods");
}

TEST_CASE("explain shows which cue matched where", "[understanding][topics]") {
  const std::string text = "Ждал час, потом мне нахамили";
  const auto hits = tagger().explain(text);
  REQUIRE(hits.size() >= 2);
  CHECK(hits.front().topic == "waiting");
  CHECK(text.substr(hits.front().begin, hits.front().end - hits.front().begin).find("Ждал") == 0);
  CHECK(hits.back().topic == "rudeness");
  CHECK(text.substr(hits.back().begin, hits.back().end - hits.back().begin) == "нахамили");
}

TEST_CASE("cue forms: stem, prefix, exact, gaps, sentences", "[understanding][topics]") {
  Taxonomy t;
  Topic q;
  q.id = "q";
  q.name.ru = "Очереди";
  q.cues.ru = {"очередь", "=долго", "ждать* час*", "касс* закрыт*", "электрон-талон*", "дороже, чем"};
  q.cues.en = {"not as advertised"};
  q.exceptions.ru = {"в первую очередь"};
  q.exceptions.en = {"as advertised"};
  t.topics.push_back(q);
  const TopicTagger tg(t);
  struct Case {
    const char* text;
    bool found;
  };
  const Case cases[] = {
      {"огромные очереди", true},            // stem
      {"очередью", true},
      {"долго", true},                        // exact
      {"долгий", false},
      {"ждать целый час", true},              // a gap of one word
      {"ждать, как всегда, час", true},        // commas do not stop a cue, sentences do
      {"ждать. Через час", false},
      {"ждать совсем почти целый час", false},  // three words between: too far
      {"кассы закрыты", true},
      {"в первую очередь", false},            // the exception
      {"Очередь! В первую очередь", true},    // the exception covers only its own words
      {"взял электронный талон", true},        // a hyphenated cue: «электрон-талон*»
      {"электрон талоны", true},
      {"дешевле, чем в прошлом году", false},
      {"дороже, чем в прошлом году", true},   // the comma inside the cue is ignored, as in text
      {"долг", false},                        // «=долго» is exact: a stem would find «долг»
      {"not as advertised", true},            // longer than the exception and holding it
      {"as advertised", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(tg.tag(c.text).empty() != c.found);
  }
}

TEST_CASE("cue syntax problems are named", "[understanding][topics]") {
  CHECK(cue_problem("хам*").empty());
  CHECK(cue_problem("=очередь долго").empty());
  CHECK(cue_problem("").find("empty") != std::string::npos);
  CHECK(cue_problem("   ").find("empty") != std::string::npos);
  CHECK(cue_problem("х*м").find("\"*\"") != std::string::npos);
  CHECK(cue_problem("о=чередь").find("\"=\"") != std::string::npos);
  CHECK(cue_problem("*").find("only") != std::string::npos);
  CHECK(cue_problem("a b c d e f g").find("6 words") != std::string::npos);
  CHECK(cue_problem("a-b-c-d-e-f-g").find("6 words") != std::string::npos);  // pieces count
  CHECK(cue_problem("=a*").find("mixes") != std::string::npos);
  CHECK(cue_problem("ждал. час").find("sentence") != std::string::npos);
  CHECK(cue_problem("ждал --- час").find("no letters or digits") != std::string::npos);
  CHECK(cue_problem("ждал\tчас").find("tab") != std::string::npos);
  CHECK(cue_problem("смс-информ*").empty());
  CHECK(cue_problem("дороже, чем").empty());
  CHECK(cue_problem("115-фз").empty());
}

TEST_CASE("every built-in cue finds its topic in its own words", "[understanding][topics]") {
  // A cue that cannot match even itself is dead weight (a hyphen, a typo in the syntax, an
  // exception that swallows it).
  for (const Topic& topic : builtin_taxonomy().topics) {
    for (const auto* list : {&topic.cues.ru, &topic.cues.en}) {
      for (const std::string& cue : *list) {
        std::string text;
        for (char ch : cue)
          if (ch != '*' && ch != '=') text += ch;
        const auto ids = tagger().tag(text);
        CAPTURE(topic.id, cue);
        CHECK(std::find(ids.begin(), ids.end(), topic.id) != ids.end());
      }
    }
  }
}

TEST_CASE("one tagger serves several threads at once", "[understanding][topics]") {
  const std::vector<std::string> texts{"менеджер нахамил, а очередь стояла час", "the app crashes and they charged me twice",
                                       "курьер не приехал", "всё ужасно"};
  std::vector<Ids> expected;
  for (const auto& t : texts) expected.push_back(tagger().tag(t));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int n = 0; n < 4; ++n)
    threads.emplace_back([&, n] {
      for (int i = 0; i < 200; ++i) {
        const std::size_t k = static_cast<std::size_t>(i + n) % texts.size();
        if (tagger().tag(texts[k]) != expected[k]) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}

TEST_CASE("a tagger's tags do not depend on the texts it tagged before", "[understanding][topics]") {
  // The tagger keeps the stems of words it has seen: a warm tagger must answer as a fresh one.
  const std::vector<std::string> texts{"менеджер нахамил, а очередь стояла час", "нахамили в очереди",
                                       "the app crashes and they charged me twice", "crashing app, charges",
                                       "курьер не приехал", "курьеры не приезжают", "всё ужасно", ""};
  const TopicTagger warm(builtin_taxonomy());
  for (int round = 0; round < 2; ++round)
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const std::string& t = texts[round == 0 ? i : texts.size() - 1 - i];
      const TopicTagger fresh(builtin_taxonomy());
      INFO(t);
      CHECK(warm.tag(t) == fresh.tag(t));
      CHECK(warm.explain(t) == fresh.explain(t));
    }
}

TEST_CASE("a tagger's remembered word answers give the cues it finds afresh", "[understanding][topics]") {
  // Each word form's stem and the cues that may start at it (by stem, exact form and prefix) are
  // kept between calls, up to TopicTagger::kMaxCachedWords forms. Texts whose cues start with a
  // stem, an exact form or a prefix are explained alike on a fresh tagger, on a warm one and
  // after the cache has started again in the middle of a text.
  const std::vector<std::string> texts{
      "смс-информирование не отключили, списали за смс-информ", "курьер опоздал, курьеры хамят",
      "the app keeps crashing, crashed again, app crash", "ждал в очереди час, очередь огромная",
      "списали деньги дважды, списания без смс", "refund never came, refunds take weeks",
      "Курьер КУРЬЕР курьеру курьерская служба", "доставка доставили доставку"};
  const TopicTagger warm(builtin_taxonomy());
  for (const auto& t : texts) (void)warm.explain(t);
  std::string many;
  for (std::size_t i = 0; i < TopicTagger::kMaxCachedWords + 10; ++i) many += "q" + std::to_string(i) + "z ";
  for (const auto& t : texts) {
    INFO(t);
    const TopicTagger fresh(builtin_taxonomy());
    const auto expected = fresh.explain(t);
    CHECK(warm.explain(t) == expected);
    CHECK(warm.explain(many + t) .size() == expected.size());
    CHECK(warm.explain(t) == expected);
  }
  CHECK_FALSE(warm.explain(texts[1]).empty());
}

TEST_CASE("hostile text does not slow or crash the topic tagger", "[understanding][topics]") {
  std::string big;
  while (big.size() < 1'000'000) big += "в очереди нахамили, деньги списали дважды. ";
  const auto ids = tagger().tag(big);
  CHECK(ids == Ids{"rudeness", "waiting", "money"});
  const char raw[] = "хам\xff\xfeство\0 в очереди";
  std::string junk(raw, sizeof raw);  // with the NULs
  CHECK(tagger().tag(junk) == Ids{"rudeness", "waiting"});  // «хам» stands alone after the bad bytes
  std::string emoji;
  for (int i = 0; i < 100000; ++i) emoji += "😡";
  CHECK(tagger().tag(emoji).empty());
  struct Big {
    const char* unit;
    Ids topics;
  };
  const Big bigs[] = {
      {"a ", {}},                 // half a million one-letter words
      {"не ", {}},                // the first word of many cues, again and again
      {"хам", {"rudeness"}},      // one 1 MB word
      {"очередь-", {"waiting"}},  // one 1 MB run of hyphenated words
      {"\xd0", {}},               // a cut Cyrillic letter, repeated
  };
  for (const auto& b : bigs) {
    std::string text;
    while (text.size() < 1'000'000) text += b.unit;
    CAPTURE(b.unit);
    CHECK(tagger().tag(text) == b.topics);
  }
}

TEST_CASE("the tuning set of hand-written claims stays tagged", "[understanding][topics][eval]") {
  const std::string text = otklik::test::read_fixture("topics/tuning.tsv");
  Ids known;
  for (const auto& t : builtin_taxonomy().topics) known.push_back(t.id);
  auto rows = parse_topic_rows(text, "tuning.tsv", known);
  REQUIRE(rows);
  // The set's shape (the brief of issue 5): ≥ 220 claims, each topic ≥ 12 times, ≥ 20 with none.
  CHECK(rows->size() >= 220);
  std::map<std::string, int> support;
  int none = 0;
  for (const auto& r : *rows) {
    for (const auto& id : r.topics) ++support[id];
    if (r.topics.empty()) ++none;
  }
  CHECK(none >= 20);
  for (const auto& id : known) {
    CAPTURE(id);
    CHECK(support[id] >= 12);
  }
  const TopicReport report = evaluate_topics(tagger(), builtin_taxonomy(), *rows);
  INFO(format_topic_report(report, 40));
  // Measured P 0.99 / R 0.98 / F1 0.98 on 274 rows; the margin lets a cue change cost a few
  // rows, not a topic.
  CHECK(report.micro.f1() >= 0.95);
  CHECK(report.micro.precision() >= 0.93);
  CHECK(report.micro.recall() >= 0.93);
  for (const auto& s : report.per_topic) {
    CAPTURE(s.id);
    CHECK(s.f1() >= 0.85);
  }
}

TEST_CASE("labelled rows: parsing and scoring", "[understanding][topics][eval]") {
  const Ids known{"waiting", "rudeness"};
  auto rows = parse_topic_rows("# comment\n\nwaiting\tждал час\r\nrudeness,waiting\tнахамили в очереди\n-\tвсё плохо\n",
                               "t.tsv", known);
  REQUIRE(rows);
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[1].topics == Ids{"rudeness", "waiting"});
  CHECK((*rows)[1].line == 4);
  CHECK((*rows)[2].topics.empty());
  auto bad = parse_topic_rows("waiting ждал час\nqueues\tждал\nwaiting\t\n", "t.tsv", known);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().detail.find("t.tsv:1: expected TOPICS<TAB>TEXT") != std::string::npos);
  CHECK(bad.error().detail.find("t.tsv:2: unknown topic \"queues\"") != std::string::npos);
  CHECK(bad.error().detail.find("t.tsv:3: the text is empty") != std::string::npos);

  Taxonomy t;
  Topic w;
  w.id = "waiting";
  w.cues.ru = {"ждал*"};
  Topic r;
  r.id = "rudeness";
  r.cues.ru = {"нахамил*"};
  t.topics = {w, r};
  const TopicTagger tg(t);
  const auto report = evaluate_topics(tg, t, *rows);
  CHECK(report.rows == 3);
  CHECK(report.exact == 2);  // "нахамили в очереди" misses waiting
  CHECK(report.per_topic[0].fn == 1);
  CHECK(report.per_topic[1].tp == 1);
  CHECK(report.micro.tp == 2);
  CHECK(report.micro.fn == 1);
  CHECK(report.micro.recall() == Approx(2.0 / 3));
  const std::string md = format_topic_report(report, 5);
  CHECK(md.find("| waiting | 2 | 1.00 | 0.50 | 0.67 |") != std::string::npos);
  CHECK(md.find("4: rudeness,waiting → rudeness: нахамили в очереди") != std::string::npos);
}

TEST_CASE("the held-out claims are tagged as measured in docs/understanding.md", "[understanding][topics][eval]") {
  const std::string text = otklik::test::read_fixture("topics/heldout.tsv");
  Ids known;
  for (const auto& t : builtin_taxonomy().topics) known.push_back(t.id);
  auto rows = parse_topic_rows(text, "heldout.tsv", known);
  REQUIRE(rows);
  CHECK(rows->size() >= 200);
  const TopicReport report = evaluate_topics(tagger(), builtin_taxonomy(), *rows);
  INFO(format_topic_report(report));
  // Measured 0.91 / 0.80 (docs/understanding.md); a cue change that loses ground here fails.
  CHECK(report.micro.precision() >= 0.88);
  CHECK(report.micro.recall() >= 0.77);
}

TEST_CASE("the independently written claims are tagged as measured in docs/understanding.md",
          "[understanding][topics][eval]") {
  const std::string text = otklik::test::read_fixture("topics/heldout_independent.tsv");
  Ids known;
  for (const auto& t : builtin_taxonomy().topics) known.push_back(t.id);
  auto rows = parse_topic_rows(text, "heldout_independent.tsv", known);
  REQUIRE(rows);
  CHECK(rows->size() >= 250);
  const TopicReport report = evaluate_topics(tagger(), builtin_taxonomy(), *rows);
  INFO(format_topic_report(report));
  // Written apart from the cues and never tuned on. Measured 0.81 / 0.62; this guards the number
  // the doc reports, it is not a target.
  CHECK(report.micro.precision() >= 0.78);
  CHECK(report.micro.recall() >= 0.59);
}
