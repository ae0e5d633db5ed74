// Tables of hand-written sentences, one table per rule, in Russian and English.
#include "daemon/sentiment/engine.hpp"
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/unit/sentiment/label_table.hpp"

#include <catch2/catch.hpp>

#include <string>

using otklik::Label;
using otklik::test::builtin_scorer;
using otklik::test::check_labels;
using otklik::test::explain;
using Case = otklik::test::LabelCase;

namespace {

double score(std::string_view text, std::optional<double> rating = std::nullopt) {
  return builtin_scorer().score(text, rating).score;
}

}  // namespace

TEST_CASE("negation flips, asymmetrically, both ways", "[sentiment]") {
  check_labels({
      {"Сервис хороший", Label::positive},
      {"Сервис не хороший", Label::negative},
      {"Не понравилось обслуживание", Label::negative},
      {"The staff were not helpful", Label::negative},
      {"I didn't think the manual was helpful at all", Label::negative},
      {"The food was good", Label::positive},
      {"The soup wasn't good", Label::negative},
      {"Никогда не обманывали", Label::positive},
  });
  // A negated negative is only weakly positive; a negated positive is a real negative.
  CHECK(score("не плохой") > 0);
  CHECK(score("не плохой") < score("хороший"));
  CHECK(score("не хороший") < 0);
  CHECK(std::abs(score("не хороший")) > std::abs(score("не плохой")));
  CHECK(score("not bad at all") > 0);
}

TEST_CASE("fused negatives and multiword expressions", "[sentiment]") {
  check_labels({
      {"Неплохо", Label::positive},
      {"Она недовольна обслуживанием", Label::negative},
      {"Я недоволен", Label::negative},
      {"Всё прошло без проблем", Label::positive},
      {"Обслуживание не очень", Label::negative},
      {"Спасибо за ничего", Label::negative},
      {"Ни разу не подвёл", Label::positive},
      {"Качество оставляет желать лучшего", Label::negative},
      {"not bad", Label::positive},
      {"Thanks for nothing", Label::negative},
      {"I would not recommend this bank", Label::negative},
      {"Would not recommend", Label::negative},
      {"It leaves a lot to be desired", Label::negative},
  });
  CHECK(score("не очень хороший") < 0);
  CHECK(score("не очень хороший") > score("плохой"));
}

TEST_CASE("intensifiers and diminishers, damped with distance", "[sentiment]") {
  CHECK(score("очень хороший") > score("хороший"));
  CHECK(score("немного плохой") > score("плохой"));
  CHECK(score("extremely bad") < score("bad"));
  CHECK(score("slightly bad") > score("bad"));
  CHECK(score("very very good food") > score("good food"));
  // The further the booster, the less it adds.
  CHECK(score("очень хороший") > score("очень вроде хороший"));
}

TEST_CASE("contrast: the clause after but weighs more", "[sentiment]") {
  check_labels({
      {"Еда вкусная, но официант нахамил", Label::negative},
      {"Официант нахамил, но еда вкусная и уютно", Label::positive},
      {"The room was nice but the staff were rude", Label::negative},
      {"Очереди большие, зато сотрудники вежливые и быстро помогли", Label::positive},
      {"Хотя интерьер красивый, еда ужасная", Label::negative},
      {"Although the price was good, the food was awful", Label::negative},
      {"Отличное место. Однако персонал хамит", Label::negative},
  });
}

TEST_CASE("emphasis: CAPS, exclamation marks and repeated letters", "[sentiment]") {
  CHECK(score("сервис УЖАСНЫЙ") < score("сервис ужасный"));
  CHECK(score("ужасный сервис!!!") < score("ужасный сервис"));
  CHECK(score("ужаааасный сервис") < score("ужасный сервис"));
  CHECK(score("sooo good") > score("so good") - 0.001);
  CHECK(score("good!!") > score("good"));
  // Shouting in every word does not count as emphasis of one word.
  CHECK(builtin_scorer().score("ВСЁ ХОРОШО").label == Label::positive);
}

TEST_CASE("questions are damped", "[sentiment]") {
  CHECK(score("Хороший банк?") < score("Хороший банк"));
  CHECK(score("Is it good?") < score("It is good"));
  CHECK(builtin_scorer().score("Почему опять не работает интернет?").label == Label::negative);
}

TEST_CASE("sarcasm patterns and politeness inside complaints", "[sentiment]") {
  check_labels({
      {"Ну спасибо, опять списали деньги", Label::negative},
      {"Спасибо, деньги так и не вернули", Label::negative},
      {"Браво, опять нет связи", Label::negative},
      {"Thanks for nothing, the refund never came", Label::negative},
      {"Спасибо большое за помощь!", Label::positive},
      {"Thank you for the quick help", Label::positive},
      {"«Отличный» сервис: ждали час", Label::negative},
  });
}

TEST_CASE("warnings: a negated imperative", "[sentiment]") {
  check_labels({
      {"Не покупайте здесь ничего", Label::negative},
      {"Не ведитесь на рекламу", Label::negative},
      {"Don't order the fish", Label::negative},
      {"Do not buy this phone", Label::negative},
      {"Never go there", Label::negative},
      {"If you read this, please don't go to that shop.", Label::negative},
      {"Don't miss it!", Label::positive},
  });
}

TEST_CASE("customer-service vocabulary", "[sentiment]") {
  check_labels({
      {"В отделении нахамили", Label::negative},
      {"Навязали страховку при кредите", Label::negative},
      {"С карты списали деньги", Label::negative},
      {"Заблокировали карту без объяснений", Label::negative},
      {"Час не дозвониться до поддержки", Label::negative},
      {"Весь день перекидывали с одного оператора на другого", Label::negative},
      {"Сказали «это не ко мне» и ушли", Label::negative},
      {"Кинули на деньги, мошенники", Label::negative},
      {"Ответ — отписка", Label::negative},
      {"The agent was rude", Label::negative},
      {"Got a canned reply again", Label::negative},
      {"I was on hold for an hour", Label::negative},
      {"They charged twice and there is no refund", Label::negative},
      {"Never again", Label::negative},
  });
}

TEST_CASE("profanity and insults are strong negatives", "[sentiment]") {
  check_labels({
      {"Банк — говно", Label::negative},
      {"Операторы дебилы", Label::negative},
      {"This service sucks", Label::negative},
      {"What a bunch of idiots", Label::negative},
      {"Охуенно быстро всё сделали", Label::positive},
  });
}

TEST_CASE("emoji and emoticons", "[sentiment]") {
  check_labels({
      {"😡😡😡", Label::negative},
      {"👍", Label::positive},
      {"Получил карту :)", Label::positive},
      {"Опять не работает :(", Label::negative},
      {"Спасибо)))", Label::positive},
      {"Интернета нет(((", Label::negative},
      {"Love it ❤️", Label::positive},
  });
  // Emoji are not negated, and a lone bracket is no smile in English.
  CHECK(score("не 👍") > 0);
  CHECK(score("fine (see below)") == score("fine see below"));
}

TEST_CASE("star ratings fuse with the text", "[sentiment]") {
  const std::string_view plain = "Заказ доставили";
  CHECK(builtin_scorer().score(plain).label == Label::neutral);
  CHECK(builtin_scorer().score(plain, 1.0).label == Label::negative);
  CHECK(builtin_scorer().score(plain, 2.0).label == Label::negative);
  CHECK(builtin_scorer().score(plain, 5.0).label == Label::positive);
  CHECK(builtin_scorer().score("Неплохо", 2.0).label == Label::negative);  // 1–2 stars win over mild praise
  CHECK(builtin_scorer().score("Превосходно, лучший магазин, всем рекомендую!", 2.0).label == Label::positive);
  CHECK(builtin_scorer().score("Ужасно, обманули", 5.0).label == Label::negative);
  const auto rated = builtin_scorer().score(plain, 1.0);
  REQUIRE_FALSE(rated.why.empty());
  CHECK(rated.why.front().term.find("rating") == 0);
}

TEST_CASE("negating prefixes turn praise around", "[sentiment]") {
  check_labels({
      {"Фильм неинтересный и бесполезный", Label::negative},
      {"Совершенно неинтересный фильм", Label::negative},
      {"Суп безвкусный", Label::negative},
      {"The plot was uninteresting", Label::negative},
  });
  CHECK(score("Совершенно неинтересный фильм") < 0);
}

TEST_CASE("a missing thing in a review is a complaint", "[sentiment]") {
  check_labels({
      {"No script whatsoever", Label::negative},
      {"There was no chemistry between them", Label::negative},
      {"No problem at all, thanks", Label::positive},
      {"No doubt the best pizza in town", Label::positive},
  });
}

TEST_CASE("verdicts sum up a review", "[sentiment]") {
  const std::string_view long_negative =
      "Интерьер красивый. Музыка приятная. Официанты вежливые. Десерты вкусные. Больше не пойдём.";
  CHECK(builtin_scorer().score(long_negative).label == Label::negative);
  check_labels({
      {"Советую не брать эту машину", Label::negative},
      {"Рекомендую поменять шины сразу", Label::neutral},
      {"Рекомендую!", Label::positive},
      {"We will be back", Label::positive},
      {"I recommend not buying it", Label::negative},
  });
}

TEST_CASE("quoted names are not praise, quoted praise in a complaint is irony", "[sentiment]") {
  check_labels({
      {"Банк запустил вклад «Выгодный»", Label::positive},  // "запустил" only
      {"Тариф «Отличный» теперь в каждом салоне", Label::neutral},
      {"«Отличный» сервис: ждали час и нахамили", Label::negative},
  });
}

TEST_CASE("quoted titles are names: neither praise nor complaint", "[sentiment]") {
  check_labels({
      {"This was a weak remake of \"My Big Fat Greek Wedding\".", Label::negative},
      {"We watched \"Bad Boys\" and \"The Good, the Bad and the Ugly\" last night.", Label::neutral},
      {"Tonight: \"Pretty Woman\" on channel one.", Label::neutral},
      {"«Хороший Банк» открыл офис на Тверской", Label::neutral},
      // Not a title: lower-case words, or all in capitals (shouted praise), stay what they are.
      {"Their sign says \"the best pizza in town\".", Label::positive},
      {"The sign said \"GREAT FOOD\" and it was great food.", Label::positive},
  });
}

TEST_CASE("starred-out swear words are strong negatives", "[sentiment]") {
  check_labels({
      {"This pretentious piece of s*** didn't work.", Label::negative},
      {"The ending really pi**ed me off.", Label::negative},
      {"Опять эта х**ня с переводами", Label::negative},
      {"Solid hinge, unlike the cheap s*** I bought last year.", Label::positive},
      {"Great service* (*on weekdays)", Label::positive},
  });
}

TEST_CASE("'-free' turns the word before it around", "[sentiment]") {
  check_labels({
      {"Their new host is charisma-free.", Label::negative},
      {"Setup was totally hassle-free.", Label::positive},
      {"Worry-free installation.", Label::positive},
      {"They have sugar-free and gluten-free options.", Label::neutral},
      {"An interest-free card for six months.", Label::neutral},
  });
}

TEST_CASE("'unlike' and 'failed to' negate what follows", "[sentiment]") {
  check_labels({
      {"Unlike the cheap junk out there, this lasts.", Label::positive},
      {"The sequel fails to impress.", Label::negative},
      {"The package failed to arrive.", Label::negative},
      {"They never fail to amaze me.", Label::positive},
  });
}

TEST_CASE("Russian: a needed thing missing by a negation after it", "[sentiment]") {
  check_labels({
      {"Связи не было весь день", Label::negative},
      {"Сети нет весь день", Label::negative},
      {"Ответа не пришло", Label::negative},
      {"Доступа в интернет-банк нет с утра", Label::negative},
      {"Спасибо, что не закрыли доступ", Label::positive},
      {"Связь есть, сеть ловит", Label::neutral},
  });
}

TEST_CASE("Russian: 'чисто' before an adjective means 'purely'", "[sentiment]") {
  check_labels({
      {"Чисто городской автомобиль", Label::neutral},
      {"В салоне очень чисто", Label::positive},
      {"Чисто и уютно", Label::positive},
  });
}

TEST_CASE("praise words after a complaint, or opening one, are irony", "[sentiment]") {
  const auto weight_of = [](std::string_view text, std::string_view term) {
    for (const auto& w : builtin_scorer().score(text).why)
      if (w.term == term) return w.weight;
    return 0.0;
  };
  // Praise with a subject after a complaint keeps its sign; a bare "Lovely." turns.
  CHECK(weight_of("Food was cold and the waiter was rude. Staff were lovely though.", "lovely") > 0);
  CHECK(weight_of("Food was cold and the waiter was rude. Lovely.", "Lovely") < 0);
  check_labels({
      {"Driver cancelled after I waited 20 min in the rain. Then they charged me a cancellation fee. Awesome",
       Label::negative},
      {"Заказ отменили без объяснений, деньги вернут через 10 рабочих дней. Круто", Label::negative},
      {"Great, another hour on hold.", Label::negative},
      {"Великолепно, ещё час на линии и снова никто не ответил", Label::negative},
      // Not irony: praise with a subject, praise after praise, a weak complaint, a verdict phrase.
      {"Fast delivery. Great.", Label::positive},
      {"I was skeptical at first. Impressed!", Label::positive},
      {"Works great, even after my cat scratched the screen.", Label::positive},
      {"Сначала сомневался. Отлично!", Label::positive},
  });
}

TEST_CASE("a problem solved or absent is no complaint", "[sentiment]") {
  check_labels({
      {"Denise fixed my issue in one call.", Label::positive},
      {"Support refunded the double charge in two minutes. Impressed.", Label::positive},
      {"Six months with them, zero dropped calls.", Label::positive},
      {"Поддержка ответила за 2 минуты и сразу вернула деньги за двойное списание.", Label::positive},
      {"Проблему с картой решили за пять минут", Label::positive},
      // Not solved: negated, or "решила" + an infinitive (decided to).
      {"They didn't fix the problem.", Label::negative},
      {"Деньги за брак так и не вернули", Label::negative},
  });
  CHECK(score("Оператор решила отказаться от звонков") <= 0.15);
}

TEST_CASE("a problem dragging on for days", "[sentiment]") {
  check_labels({
      {"Гарантийный ремонт идёт уже второй месяц.", Label::negative},
      {"Симку восстанавливаю уже неделю.", Label::negative},
      {"Жду возврат уже 10 дней", Label::negative},
      {"Tracking hasn't updated in 9 days", Label::negative},
      {"Warranty repair going on 6 weeks now.", Label::negative},
      // Not a complaint: usage for years, a gym visited for a month, a problem absent for weeks.
      {"Пользуюсь уже 3 года, всё отлично", Label::positive},
      {"Хожу в этот зал уже месяц", Label::neutral},
      {"I haven't had a single problem in 3 weeks.", Label::neutral},
      {"Delivered in 3 days.", Label::neutral},
      {"Пятые сутки висит статус «заказ собирается»", Label::negative},
  });
  // A duration the lexicon already holds ("третью неделю") is not counted a second time.
  const auto s = builtin_scorer().score("Ремонт идёт уже третью неделю");
  CHECK(s.label == Label::negative);
  for (const auto& w : s.why) CHECK(w.term != "тянется днями");
}

TEST_CASE("more irony: a sneer, an eye roll, laughter and politeness in a complaint", "[sentiment]") {
  check_labels({
      {"Молодцы, чё. Заказали пепперони, привезли с ананасами", Label::negative},
      {"Гениально 🙄 сделать платной доставку в ПВЗ", Label::negative},
      {"Прекрасный фитнес 🙃 половина тренажёров на ремонте", Label::negative},
      {"They hung up on me lol", Label::negative},
      {"Kindly reminding you that I'm still waiting on my deposit.", Label::negative},
      {"Привезли холодную пиццу, ещё и опоздали на час)))", Label::negative},
      {"Вежливо напоминаю, что деньги до сих пор не вернули.", Label::negative},
      {"Спасибо, что отозвались на мою проблему :)", Label::positive},
      // Not irony: plain praise, laughter alone.
      {"Молодцы, быстро привезли", Label::positive},
      {"haha love this place", Label::positive},
  });
}

TEST_CASE("the customer's own slip or a feared problem is no complaint", "[sentiment]") {
  check_labels({
      {"Я перепутала адрес, а курьер всё равно довёз. Спасибо!", Label::positive},
      {"Ожидала долгой волокиты, а выплатили за 9 дней. Впечатлило.", Label::positive},
      {"I lost my AirPods in a taxi and the driver dropped them off the same evening. Legend.", Label::positive},
      // The company's slip is one.
      {"Курьер перепутал адрес и уехал.", Label::negative},
  });
}

TEST_CASE("'used to' puts an evaluation in the past", "[sentiment]") {
  check_labels({
      {"I used to love this place.", Label::negative},
      {"This clinic used to have hour-long waits. Went today, seen in 10 minutes.", Label::neutral},  // no complaint
      {"The owner used to work at a famous sushi place, so this is similar for half the price.", Label::neutral},
  });
}

TEST_CASE("the same attempt again and again", "[sentiment]") {
  check_labels({
      {"Six emails, four calls, two branch visits.", Label::negative},
      {"Clinic moved my appointment twice by text.", Label::negative},
      {"Когда клиника переносит приём три раза — это что-то новое.", Label::negative},
      {"Было уже пять обращений.", Label::negative},
      // Visits that went well are no complaint.
      {"I've been here 3 times and loved it.", Label::positive},
      {"Был у них два раза, всё отлично", Label::positive},
      {"We ordered three times this month.", Label::neutral},
  });
}

TEST_CASE("a range of days is no written score", "[sentiment]") {
  check_labels({
      {"Order cancelled with no explanation, refund within 7-10 business days.", Label::negative},
      {"I give it 8/10.", Label::positive},
  });
}

TEST_CASE("requests for information weigh little", "[sentiment]") {
  check_labels({
      {"Can I return an opened item if it's unused?", Label::neutral},
      {"Do you deliver to PO boxes?", Label::neutral},
      {"Как отключить автопродление подписки в приложении?", Label::neutral},
      {"Можно ли вернуть товар без чека?", Label::neutral},
      {"Кто-нибудь отказывался от страховки при кредите?", Label::neutral},
      {"Anyone know if the insurer covers accidental damage?", Label::neutral},
      {"Anyone else's app crashing nonstop tonight?", Label::negative},  // a problem shared, not a question
      {"The 7:12 express train will stop at Northgate starting next month.", Label::neutral},
      {"Delivered on Tuesday as promised.", Label::positive},
      // Complaints in question form stay complaints.
      {"Why is my card blocked again?", Label::negative},
      {"Почему опять списали деньги за подписку?", Label::negative},
  });
}

TEST_CASE("English: 'can't stop' praising, waits of days after 'took'", "[sentiment]") {
  check_labels({
      {"I can't stop recommending them to friends.", Label::positive},
      {"Can't stop laughing at this show, love it.", Label::positive},
      {"Opening the account took 7 minutes and the card came in 3 days. Impressed.", Label::positive},
      {"Delivery took three weeks.", Label::negative},
  });
}

TEST_CASE("short Cyrillic stems match exact forms only", "[sentiment]") {
  // "запах" stems to "зап": it must not catch "запуск", "запустил".
  CHECK(builtin_scorer().score("Сбербанк запуск").label == Label::neutral);
  CHECK(builtin_scorer().score("Неприятный запах").label == Label::negative);
}

TEST_CASE("what a customer needs counts only when it is missing", "[sentiment]") {
  check_labels({
      {"Связь в метро", Label::neutral},
      {"Нет мобильного интернета", Label::negative},
      {"Вчера не могла никому дозвониться", Label::negative},
      {"Без связи с утра", Label::negative},
      {"Связь отличная", Label::positive},
  });
}

TEST_CASE("English negation scope: degree words, clauses and objects", "[sentiment]") {
  check_labels({
      // "never … so/such + negative" is an intensified negative, not a negation.
      {"I have never been treated so badly.", Label::negative},
      {"We never had such rude staff anywhere.", Label::negative},
      {"I have never been so happy with a phone.", Label::positive},
      {"I could not have been more disappointed.", Label::negative},
      {"I could not have been more pleased.", Label::positive},
      {"Couldn't be happier with it.", Label::positive},
      // A wh-clause begins a new scope.
      {"I can't believe how dirty the tables were.", Label::negative},
      {"I can't tell you how disappointed we were.", Label::negative},
      // A verb and a determiner open an object the negation does not reach…
      {"I couldn't get past the awful smell.", Label::negative},
      // … but a copula does not, and neither does "have".
      {"The pasta was not the best.", Label::negative},
      {"The staff were not helpful.", Label::negative},
      // A raised negation ("don't think … helpful") reaches the end of the clause.
      {"I didn't think the manual was helpful.", Label::negative},
      {"I did not expect it to be so good!", Label::positive},
      {"That is rarely a good sign.", Label::negative},
  });
  CHECK(score("We never had a bad meal here.") > 0);
  CHECK(score("Never had anything to complain about.") > 0);  // a past tense, not a warning
  CHECK(builtin_scorer().score("Never go there.").label == Label::negative);
}

TEST_CASE("return intent: a negated return is a verdict", "[sentiment]") {
  check_labels({
      {"We will never, ever go back there.", Label::negative},
      {"I wouldn't return to this salon.", Label::negative},
      {"We won't be back.", Label::negative},
      {"Not coming back.", Label::negative},
      {"I will never eat here again.", Label::negative},
      {"You couldn't pay me to set foot in that shop again.", Label::negative},
      {"This was the first and last time.", Label::negative},
      {"I doubt we will be back.", Label::negative},
      {"Better spend your money elsewhere, folks.", Label::negative},
      {"We will be back.", Label::positive},
      {"I would eat here again.", Label::positive},
      {"We can't wait to go back next month.", Label::positive},
  });
  // A negated verdict weighs more than other negated praise.
  otklik::sentiment::EngineParams plain;
  plain.negated_verdict = plain.negated_positive;
  const auto without = otklik::sentiment::make_builtin_scorer_with(plain);
  CHECK(score("We will not go back.") < without->score("We will not go back.").score);
  // Counted once: the phrase and the "again" pattern do not add up.
  CHECK(score("I will never eat here again.") > score("I will never eat here again. Never again."));
}

TEST_CASE("complaint patterns: waiting, excess, lack, comparisons, scores", "[sentiment]") {
  check_labels({
      {"We waited an hour for our food.", Label::negative},
      {"It took 30 minutes to get a coffee.", Label::negative},
      {"Our order came 45 minutes late.", Label::negative},
      {"Food came 45 minutes late", Label::negative},  // few function words: not detected as English
      {"The pizza was ready in 10 minutes.", Label::positive},
      {"The soup was too salty and the bread too sweet.", Label::negative},
      {"The plot is too slow and the ending too rushed.", Label::negative},
      {"The sauce was too bland.", Label::negative},
      {"The cake was too good to share.", Label::positive},
      {"Me too.", Label::neutral},
      {"The service was not up to par.", Label::negative},
      {"There is nothing authentic about this diner.", Label::negative},
      {"I would give it 2 out of 10.", Label::negative},
      {"Rating: 9/10.", Label::positive},
      {"On a 1-10 scale I give it a 9.", Label::neutral},
      {"You can find better phones than this.", Label::negative},
      {"My old radio sounds better than these.", Label::negative},
      {"This phone is better than my old one.", Label::positive},
      {"It breaks easily.", Label::negative},
      {"It installs easily.", Label::positive},
      {"What a great disappointment.", Label::negative},
      {"It would have been great with a decent cast.", Label::negative},
      {"If you want good food, go somewhere else.", Label::negative},
      {"Don't even waste your time on this film.", Label::negative},
  });
  CHECK(score("We only waited 5 minutes.") > score("We waited 50 minutes."));
  CHECK(score("The salad was too fresh") < 0);  // excess of a mild positive
}

TEST_CASE("what a product or a service should do counts when it does not", "[sentiment]") {
  check_labels({
      {"The charger does not charge my phone.", Label::negative},
      {"The headset doesn't fit and doesn't stay in my ear.", Label::negative},
      {"Nobody greeted us.", Label::negative},
      {"No one came to take our order.", Label::negative},
      {"Can't get the software to work.", Label::negative},
      {"The phone charges overnight.", Label::neutral},
      {"The waiter greeted us.", Label::neutral},
  });
}

TEST_CASE("idioms that hold a negative word or a negation", "[sentiment]") {
  check_labels({
      {"The dessert was to die for.", Label::positive},
      {"Can't say enough good things about them.", Label::positive},
      {"This author never ceases to amaze me.", Label::positive},
      {"The photography is nothing short of stunning.", Label::positive},
      {"Don't waste your money on this kettle.", Label::negative},
      {"Do yourself a favor and look elsewhere.", Label::negative},
  });
}

TEST_CASE("Russian: fault lists, summaries, concord, absent problems, restricted praise", "[sentiment]") {
  // A fault list is damped, the more after "единственный".
  CHECK(score("Машина удобная. Из минусов — шумная и жрёт бензин.") >
        score("Машина удобная. Шумная и жрёт бензин."));
  CHECK(score("Единственный минус — шумная.") > score("Минусы: шумная."));
  // … a list opened at the end of the sentence before damps the next one …
  otklik::sentiment::EngineParams undamped;
  undamped.fault_list = 1.0;
  const std::string_view listed = "Отличная машина. Минусы:\nшумная, жрёт бензин.";
  CHECK(score(listed) > otklik::sentiment::make_builtin_scorer_with(undamped)->score(listed).score);
  // … but a verdict stays whole.
  CHECK(builtin_scorer().score("Минусы: ржавеет, печка слабая. Не советую.").label == Label::negative);
  // A summary sentence weighs like a verdict.
  CHECK(builtin_scorer().score("Расход большой. Шумно на трассе. Пластик жёсткий. В целом машиной доволен.").label ==
        Label::positive);
  check_labels({
      {"За пять лет никогда не подводила", Label::positive},
      {"Никаких серьёзных проблем с ним не было", Label::positive},
      {"Проблем не было", Label::positive},
      {"Претензий к машине нет", Label::positive},
      {"Опять нет связи", Label::negative},
      {"Очень понравилось, придём ещё", Label::positive},
  });
  // Praise restricted to one thing is a mild complaint (its label depends on the lexicon weight).
  CHECK(score("Из всего заказа понравился только десерт.") < 0);
  CHECK(score("Понравилась лишь музыка.") < 0);
  CHECK(score("Единственное, что понравилось, — интерьер.") < 0);
  // «единственный минус» damps more than «минус» (only_fault ×0.3 against fault_list ×0.5).
  const auto fault = [](std::string_view text) {
    for (const auto& w : builtin_scorer().score(text).why)
      if (w.term == "шумная") return w.weight;
    return 0.0;
  };
  CHECK(fault("Минус: шумная подвеска.") < 0);
  CHECK(fault("Единственный минус: шумная подвеска.") > fault("Минус: шумная подвеска."));
}

TEST_CASE("English: scope of wh-clauses, advice, objects in food, fault lists, summaries", "[sentiment]") {
  check_labels({
      // A wh-clause with a modal stays under the negation.
      {"I really don't see how anyone could enjoy this film.", Label::negative},
      // "recommend waiting / avoiding" advises against.
      {"I recommend waiting for the sequel.", Label::negative},
      {"I'd recommend avoiding this charger.", Label::negative},
      // Something foreign in the food.
      {"I found a hair in my salad.", Label::negative},
      {"There was a fly in her soup.", Label::negative},
      {"I found this place in my neighbourhood.", Label::neutral},
      {"The service was fair at best.", Label::negative},
      {"There were too many ads.", Label::negative},
  });
  // "The only downside" damps the fault that follows.
  CHECK(score("The sound is great. The only downside is the bulky case.") >
        score("The sound is great. The bulky case is a downside."));
  // "Overall" sums up: its sentence weighs like a verdict.
  CHECK(score("The staff were rude. The room was dirty. Breakfast was cold. Overall a nice stay.") >
        score("The staff were rude. The room was dirty. Breakfast was cold. A nice stay."));
}

TEST_CASE("Russian: where fault lists and summaries begin", "[sentiment]") {
  otklik::sentiment::EngineParams flat;
  flat.verdict_per_sentence = 0;  // no verdict multiplier at all
  flat.fault_list = 1.0;          // no fault-list damping
  flat.only_fault = 1.0;
  const auto plain = otklik::sentiment::make_builtin_scorer_with(flat);
  const auto same = [&](std::string_view text) { return score(text) == Approx(plain->score(text).score); };
  // A summary marker heads its sentence (or follows a dash); fillers are no summary.
  CHECK(score("Шумно. Дорого. В целом машиной доволен.") > plain->score("Шумно. Дорого. В целом машиной доволен.").score);
  CHECK(score("Шумно. Дорого. Вцелом машиной доволен.") > plain->score("Шумно. Дорого. Вцелом машиной доволен.").score);
  CHECK(same("Шумно. Дорого. Ремонт недорогой, а содержание в общем-то дороговато."));
  CHECK(same("Шумно. Дорого. Сели у окна, было шумно, и в целом ужин прошёл хорошо."));
  // Only what follows the marker is multiplied.
  const std::string_view sad_then_summary = "Шумно. Дорого. Жаль! :( Общее впечатление: машина отличная.";
  CHECK(score(sad_then_summary) > plain->score(sad_then_summary).score);
  // A marker ending a statement ("остальное — минусы.") opens no list in the next sentence.
  CHECK(same("Вот и всё хорошее, остальное — минусы. Через год начались поломки и ржавчина."));
}

TEST_CASE("English: barely with a fault, not only … but", "[sentiment]") {
  check_labels({
      {"The soup was barely lukewarm.", Label::negative},  // "barely" reaches praise only
      {"The pasta was barely edible.", Label::negative},
      {"I've had better, not only at home but even at the airport.", Label::negative},
  });
  CHECK(score("There is barely a boring moment in it.") > 0);  // a negation, not an adjacent fault
  // "not only … but" adds: the first part is not damped as before a contrast.
  otklik::sentiment::EngineParams undamped;
  undamped.contrast_before = 1.0;
  const std::string_view added = "Not only was the room dirty, but the staff were rude.";
  CHECK(score(added) == Approx(otklik::sentiment::make_builtin_scorer_with(undamped)->score(added).score));
}

TEST_CASE("English: negation shared by 'or', reaching into 'how to'", "[sentiment]") {
  check_labels({
      {"None of them are fun or exciting.", Label::negative},
      {"The lead doesn't know how to be funny.", Label::negative},
  });
  CHECK(score("None of them are fun or exciting.") <
        score("None of them are fun, exciting."));
}

TEST_CASE("English: 'can't … enough' praises, long deliveries", "[sentiment]") {
  check_labels({
      {"I can't recommend this place enough!", Label::positive},
      {"I can't recommend this place.", Label::negative},
      {"Could not get a strong enough signal.", Label::negative},
      {"Delivery took three weeks.", Label::negative},
      {"I have used it for three weeks and still love it.", Label::positive},
      {"The battery barely lasts a day.", Label::negative},
  });
}

TEST_CASE("English: comparatives after never, praise after elsewhere", "[sentiment]") {
  check_labels({
      {"I've never had better ramen.", Label::positive},
      {"I have never felt worse after a meal.", Label::negative},
      {"Take your business elsewhere.", Label::negative},
      {"Nothing compares to their tacos.", Label::positive},
  });
  CHECK(score("My only complaint is the small parking, otherwise perfect.") > 0);
  CHECK(score("Better than anything I have had elsewhere.") > 0);
  CHECK(builtin_scorer().score("I have never been better looked after.").label == Label::positive);
}

TEST_CASE("English: complaints told as events, without an evaluative word", "[sentiment]") {
  check_labels({
      {"@carrier still haven't received my refund", Label::negative},
      {"Called on Monday, still no word about my parcel", Label::negative},
      {"Can't reach an operator, the line hangs up on me every time", Label::negative},
      {"Nobody called back.", Label::negative},
      {"The app won't load again", Label::negative},
      {"40 people at the desk and only one agent", Label::negative},
      {"You keep letting me down", Label::negative},
      {"Your support line is a joke", Label::negative},
      {"How hard is it to reply to an email", Label::negative},
      {"Received my refund today, thank you", Label::positive},
      {"The courier called back within minutes", Label::neutral},
      {"Still the best service in town", Label::positive},
  });
}

TEST_CASE("English: a question that opens with 'why' is a reproach", "[sentiment]") {
  check_labels({
      {"Why is my refund taking 3 weeks?", Label::negative},
      {"@shop why am I paying extra for express delivery to get it a day later", Label::negative},
      {"And why can't anyone at the branch tell me where my card is?", Label::negative},
      {"Why not try the new menu?", Label::neutral},
      {"Why are you so awesome?", Label::positive},
      {"That's why I came back.", Label::neutral},
  });
}

TEST_CASE("English: hashtags of several words run together", "[sentiment]") {
  check_labels({
      {"Parcel delayed again #courierfail", Label::negative},
      {"#worstserviceever", Label::negative},
      {"#badsupport", Label::negative},
      {"Arrived early #lovethisteam", Label::positive},
      {"#nothappy", Label::negative},
      {"#notgreat at all", Label::neutral},
      {"#flightnumber", Label::neutral},
  });
}

TEST_CASE("Russian: a wait that has not ended", "[sentiment]") {
  check_labels({
      {"Всё ещё жду посылку", Label::negative},
      {"До сих пор нет ответа от поддержки", Label::negative},
      {"Всё ещё не вернули деньги", Label::negative},
      {"Всё ещё жду ответа, уже неделю", Label::negative},
  });
}

TEST_CASE("English: a praise hashtag on a complaint is irony", "[sentiment]") {
  check_labels({
      {"Two hours on hold and then they hung up on me #greatservice", Label::negative},
      {"Lost my bag again, still no update #thanksalot #loveit", Label::negative},
      {"Arrived early and the staff were lovely #greatservice", Label::positive},
  });
}

TEST_CASE("English: waits told as events, wishes and demands", "[sentiment]") {
  check_labels({
      {"I've been sitting in the lounge in Leeds for three hours", Label::negative},
      {"Train delayed 4 hours", Label::negative},
      {"My parcel has yet to arrive", Label::negative},
      {"It would be great if somebody read my emails", Label::negative},
      {"After this I am a former customer", Label::negative},
      {"Delivered in 10 minutes", Label::neutral},
      {"Yes, I sent my order number", Label::neutral},
      {"Please help, my card was charged twice", Label::negative},
      {"Can you help me change my seat?", Label::neutral},
      {"The agent helped me right away, thank you", Label::positive},
  });
}

TEST_CASE("English: what the customer cannot get done", "[sentiment]") {
  check_labels({
      {"They told me I can't change the delivery address", Label::negative},
      {"The website won't let me log in", Label::negative},
      {"They couldn't get me on another train", Label::negative},
      {"I can't wait to stay with you again", Label::positive},
      // A negated fault is only weakly positive; what matters here is that none of these is a complaint.
      {"You won't regret it", Label::neutral},
      {"I couldn't put this book down", Label::neutral},
      {"Can't complain about the price", Label::neutral},
  });
}
