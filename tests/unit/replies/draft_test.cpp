// Composing drafts: the parts and their order, one sentence per claim, variants, the repeat
// author, the earlier answer, the language, and never a deny-list phrase.
#include "daemon/replies/draft.hpp"

#include "daemon/replies/final_text.hpp"
#include "daemon/replies/phrase_match.hpp"
#include "daemon/replies/template_text.hpp"
#include "daemon/understanding/topic_file.hpp"
#include "tests/unit/replies/book_fixture.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace otklik;
using namespace otklik::replies;
using otklik::understanding::Claim;

namespace {

Claim claim(std::string text, std::vector<std::string> topics) {
  Claim c;
  c.text = std::move(text);
  c.topics = std::move(topics);
  c.score = -0.5;
  return c;
}

DraftInput input(std::vector<Claim> claims, Lang lang = Lang::ru) {
  DraftInput in;
  in.lang = lang;
  for (const auto& c : claims)
    for (const auto& t : c.topics)
      if (std::find(in.understanding.topics.begin(), in.understanding.topics.end(), t) == in.understanding.topics.end())
        in.understanding.topics.push_back(t);
  in.understanding.claims = std::move(claims);
  return in;
}

std::vector<std::string> roles(const Draft& d) {
  std::vector<std::string> out;
  for (const auto& p : d.parts) out.emplace_back(to_string(p.role));
  return out;
}

std::vector<std::string> all_phrases(const LocaleTemplates& t) {
  std::vector<std::string> v = t.deny;
  v.insert(v.end(), t.familiar.begin(), t.familiar.end());
  return v;
}

std::int64_t ms(int y, unsigned m, unsigned d, int hour, int minute) {
  using namespace std::chrono;
  const sys_days date{year{y} / month{m} / day{d}};
  return duration_cast<milliseconds>((date + hours{hour} + minutes{minute}).time_since_epoch()).count();
}

}  // namespace

TEST_CASE("a draft holds the parts in order and one sentence per claim in the claims' order", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  DraftInput in = input({claim("ждал час в очереди", {"waiting"}), claim("Кассир нахамил", {"rudeness"}),
                         claim("карту так и не выдали", {})});
  in.author = "Ирина Котова";
  const Draft d = compose_draft(book, test::two_topics(), in);
  CHECK(d.locale == "ru");
  CHECK(roles(d) == std::vector<std::string>{"greeting", "thanks", "apology", "claim", "claim", "claim", "next",
                                             "contact", "closing"});
  CHECK(d.parts[0].text == "Здравствуйте, Ирина!");
  // The apology names the topics, in the taxonomy's order of the mention's topics.
  CHECK(d.parts[2].text == "Приносим извинения: хамство и отношение персонала, ожидание и очереди.");
  CHECK(d.parts[3].claim == 0);
  CHECK(d.parts[3].topic == "waiting");
  CHECK(d.parts[4].claim == 1);
  CHECK(d.parts[4].topic == "rudeness");
  CHECK(d.parts[5].claim == 2);
  CHECK(d.parts[5].topic.empty());
  // The generic sentence names the claim in the customer's words.
  CHECK(d.parts[5].text == "По поводу того, что карту так и не выдали, — разберёмся.");
  CHECK(d.text() ==
        "Здравствуйте, Ирина!\n\nСпасибо за отзыв. Приносим извинения: хамство и отношение персонала, ожидание "
        "и очереди. Простите за ожидание: [[причина]]. Приносим извинения за сотрудника; отзыв передан "
        "руководителю. По поводу того, что карту так и не выдали, — разберёмся. Ответим до [[срок]]. Напишите "
        "нам: [[контакт]].\n\nС уважением, [[имя]].");
}

TEST_CASE("claims of one topic take different variants, no sentence is written twice", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  const Draft d = compose_draft(book, test::two_topics(),
                                input({claim("ждал час", {"waiting"}), claim("очередь огромная", {"waiting"}),
                                       claim("окно одно", {"waiting"}), claim("ждал ещё", {"waiting"}),
                                       claim("Нахамили", {"rudeness"}), claim("нагрубили", {"rudeness"})}));
  std::vector<std::string> sentences;
  std::vector<int> claims;
  for (const auto& p : d.parts) {
    if (p.role != PartRole::claim) continue;
    sentences.push_back(p.text);
    claims.push_back(p.claim);
  }
  CHECK(claims == std::vector<int>{0, 1, 2, 3, 4, 5});
  CHECK(sentences[0] == "Простите за ожидание: [[причина]].");
  CHECK(sentences[1] == "Нам жаль, что пришлось ждать.");
  CHECK(sentences[2] == "Ждать больше не придётся.");
  // Past the topic's variants: the generic template in the customer's words.
  CHECK(sentences[3] == "По поводу того, что ждал ещё, — разберёмся.");
  CHECK(sentences[4] == "Приносим извинения за сотрудника; отзыв передан руководителю.");
  CHECK(sentences[5] == "Проверим, почему нагрубили.");
  for (std::size_t i = 0; i < d.parts.size(); ++i)
    for (std::size_t j = i + 1; j < d.parts.size(); ++j) CHECK(d.parts[i].text != d.parts[j].text);
}

TEST_CASE("a repeat author is told we know, with the day of the earlier complaint", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  struct Case {
    Lang lang;
    std::int64_t at;
    std::int64_t now;
    std::vector<std::string> topics;
    const char* expected;
  };
  const Case cases[] = {
      {Lang::ru, ms(2026, 11, 12, 10, 0), ms(2026, 12, 7, 4, 0), {"waiting"},
       "Вы уже писали нам 12 ноября (ожидание и очереди)."},
      // 22:30 UTC is the next day in Moscow (UTC+3).
      {Lang::ru, ms(2026, 11, 12, 22, 30), ms(2026, 12, 7, 4, 0), {"waiting", "rudeness"},
       "Вы уже писали нам 13 ноября (хамство и отношение персонала, ожидание и очереди)."},
      {Lang::ru, ms(2025, 12, 30, 10, 0), ms(2026, 1, 7, 4, 0), {}, "Вы уже писали нам 30 декабря 2025 года."},
      {Lang::en, ms(2026, 11, 12, 10, 0), ms(2026, 12, 7, 4, 0), {"waiting"},
       "You already wrote to us on 12 November (waiting and queues)."},
      {Lang::en, ms(2025, 3, 1, 10, 0), ms(2026, 12, 7, 4, 0), {}, "You already wrote to us on 1 March 2025."},
      {Lang::ru, 0, 0, {}, "Вы пишете не в первый раз."},
  };
  for (const auto& c : cases) {
    INFO(c.expected);
    DraftInput in = input({claim("ждал час", {"waiting"})}, c.lang);
    in.zone = TimeZone::fixed("Europe/Moscow", std::chrono::hours(3));
    in.now_ms = c.now;
    understanding::RepeatAuthor r;
    r.negatives = 2;
    understanding::PreviousMention prev;
    prev.published_ms = c.at;
    prev.topics = c.topics;
    r.previous.push_back(prev);
    in.understanding.repeat = r;
    const Draft d = compose_draft(book, test::two_topics(), in);
    const auto it = std::find_if(d.parts.begin(), d.parts.end(), [](const DraftPart& p) { return p.role == PartRole::repeat; });
    REQUIRE(it != d.parts.end());
    CHECK(it->text == c.expected);
    CHECK(std::next(it)->role == PartRole::next);
  }
}

TEST_CASE("when the company answered before, nothing it said is said again", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  DraftInput in = input({claim("ждал час", {"waiting"}), claim("опять ждал", {"waiting"})});
  in.existing_answer = "Здравствуйте! Благодарим вас за отзыв. Простите за ожидание: не хватало кассиров. "
                       "Ответим до пятницы.";
  const Draft d = compose_draft(book, test::two_topics(), in);
  CHECK(roles(d) == std::vector<std::string>{"greeting", "apology", "claim", "claim", "contact", "closing"});
  CHECK(d.parts[0].text == "Здравствуйте!");  // a formula, kept
  CHECK(d.parts[2].text == "Нам жаль, что пришлось ждать.");
  CHECK(d.parts[3].text == "Ждать больше не придётся.");
}

TEST_CASE("the draft is in the review's language, else the fallback locale", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  struct Case {
    Lang lang;
    const char* fallback;
    const char* text;
    const char* locale;
  };
  const Case cases[] = {
      {Lang::ru, "en", "", "ru"},
      {Lang::en, "ru", "", "en"},
      {Lang::other, "en", "", "en"},
      {Lang::other, "ru", "", "ru"},
      {Lang::other, "en", "Чекав годину в черзі", "en"},  // another language: the fallback, whatever its letters
      {Lang::other, "de", "", "ru"},                       // a locale without templates: the book's first
      {Lang::automatic, "en", "", "en"},
      {Lang::automatic, "en", "Ждал час, SMS не пришло", "ru"},  // not detected: the letters decide
      {Lang::automatic, "ru", "Waited an hour", "en"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    DraftInput in = input({claim("waited an hour", {"waiting"})}, c.lang);
    in.fallback_locale = c.fallback;
    in.scored_text = c.text;
    const Draft d = compose_draft(book, test::two_topics(), in);
    CHECK(d.locale == c.locale);
    CHECK(d.parts.front().text == (std::string(c.locale) == "en" ? "Hello," : "Здравствуйте!"));
  }
}

TEST_CASE("a greeting by name only for a person's name, never a familiar one", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  struct Case {
    const char* author;
    const char* greeting;
  };
  const Case cases[] = {
      {"Ирина Котова", "Здравствуйте, Ирина!"}, {"user123", "Здравствуйте!"}, {"Аноним", "Здравствуйте!"},
      {"", "Здравствуйте!"}, {"Дружище", "Здравствуйте!"},  // a name that is a familiarity word
  };
  for (const auto& c : cases) {
    DraftInput in = input({claim("ждал час", {"waiting"})});
    in.author = c.author;
    CHECK(compose_draft(book, test::two_topics(), in).parts.front().text == c.greeting);
  }
}

TEST_CASE("the customer's words never bring a deny-list phrase into the draft", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  const Draft d = compose_draft(book, test::two_topics(),
                                input({claim("Мне сказали: это не к нам", {}), claim("ты мне не указывай", {})}));
  CHECK(find_phrases(d.text(), all_phrases(*book.find("ru"))).empty());
  std::vector<std::string> claims;
  for (const auto& p : d.parts)
    if (p.role == PartRole::claim) claims.push_back(p.text);
  // The first gets the variant that does not quote it; the second would repeat that sentence.
  REQUIRE(claims.size() == 1);
  CHECK(claims[0] == "Разберёмся и с остальным.");
  // The apology falls back to the variant without the problem, too.
  CHECK(d.parts[2].text == "Приносим извинения.");
}

TEST_CASE("a claim text is quoted without its end marks, lower-cased only when it is a word", "[replies][draft]") {
  const ReplyBook book = test::two_topic_book();
  struct Case {
    const char* claim;
    const char* sentence;
  };
  const Case cases[] = {
      {"Карту не выдали!!!", "По поводу того, что карту не выдали, — разберёмся."},
      {"СМС не пришло…", "По поводу того, что СМС не пришло, — разберёмся."},
      {"- карту [[не]] выдали.", "По поводу того, что карту [не] выдали, — разберёмся."},
  };
  for (const auto& c : cases) {
    const Draft d = compose_draft(book, test::two_topics(), input({claim(c.claim, {})}));
    const auto it = std::find_if(d.parts.begin(), d.parts.end(), [](const DraftPart& p) { return p.role == PartRole::claim; });
    REQUIRE(it != d.parts.end());
    CHECK(it->text == c.sentence);
  }
}

TEST_CASE("every shipped topic yields its own sentence in both locales, never a deny-list phrase", "[replies][draft]") {
  const ReplyBook& book = builtin_reply_book();
  const understanding::Taxonomy& taxonomy = understanding::builtin_taxonomy();
  for (const Lang lang : {Lang::ru, Lang::en}) {
    for (const auto& topic : taxonomy.topics) {
      INFO(to_string(lang) << " " << topic.id);
      DraftInput in = input({claim("first", {topic.id}), claim("second", {topic.id}), claim("third", {topic.id})}, lang);
      in.author = "Ирина";
      in.site = "Wildberries";
      understanding::RepeatAuthor r;
      understanding::PreviousMention prev;
      prev.published_ms = ms(2026, 11, 12, 10, 0);
      prev.topics = {topic.id};
      r.previous.push_back(prev);
      in.understanding.repeat = r;
      const Draft d = compose_draft(book, taxonomy, in);
      const LocaleTemplates& t = *book.find(d.locale);
      REQUIRE(d.parts.size() >= 9);
      CHECK(d.parts[3].topic == topic.id);
      CHECK(d.parts[4].topic == topic.id);
      CHECK(d.parts[3].text != d.parts[4].text);
      CHECK(d.parts[5].role == PartRole::claim);
      CHECK(find_phrases(d.text(), all_phrases(t)).empty());
      // What stops it from being posted is the blanks only.
      for (const auto& p : final_text_problems(book, d.locale, d.text()))
        CHECK_THAT(p, Catch::Contains("[["));
    }
  }
}

TEST_CASE("the thanks for a positive review has no blanks and may be posted as is", "[replies][draft]") {
  const ReplyBook& book = builtin_reply_book();
  for (const Lang lang : {Lang::ru, Lang::en}) {
    DraftInput in;
    in.lang = lang;
    in.author = "Anna Smith";
    in.site = "Google";
    const Draft d = compose_thanks(book, in);
    CHECK(roles(d) == std::vector<std::string>{"greeting", "thanks"});
    CHECK_THAT(d.text(), Catch::Contains("Google"));
    CHECK(blanks_in(d.text()).empty());
    CHECK(final_text_problems(book, d.locale, d.text()).empty());
  }
}

TEST_CASE("a mention gives the draft its text, language, author, subject and earlier answer", "[replies][draft]") {
  Mention m;
  m.title = "Ужас";
  m.text = "Ждал час";
  m.author = "Ирина К.";
  m.subject = "Тверская, 12";
  m.company_reply = "Здравствуйте! Благодарим вас за отзыв.";
  Sentiment s;
  s.lang = Lang::ru;
  understanding::Understanding u;
  u.claims.push_back(claim("Ждал час", {"waiting"}));
  const DraftInput in = draft_input(m, s, u);
  CHECK(in.scored_text == "Ужас\nЖдал час");
  CHECK(in.lang == Lang::ru);
  CHECK(in.author == "Ирина К.");
  CHECK(in.subject == "Тверская, 12");
  CHECK(in.existing_answer == m.company_reply);
  CHECK(in.understanding == u);
  const Draft d = compose_draft(test::two_topic_book(), test::two_topics(), in);
  CHECK(d.parts.front().text == "Здравствуйте, Ирина!");
  CHECK(std::none_of(d.parts.begin(), d.parts.end(), [](const DraftPart& p) { return p.role == PartRole::thanks; }));
}
