#pragma once
// A small taxonomy and template file for the reply tests.

#include "daemon/replies/reply_book.hpp"
#include "daemon/understanding/topics.hpp"

#include <string>

namespace otklik::replies::test {

inline understanding::Taxonomy two_topics() {
  understanding::Taxonomy t;
  understanding::Topic waiting;
  waiting.id = "waiting";
  waiting.name = {"Ожидание и очереди", "Waiting and queues"};
  understanding::Topic rudeness;
  rudeness.id = "rudeness";
  rudeness.name = {"Хамство и отношение персонала", "Rudeness and staff attitude"};
  t.topics = {rudeness, waiting};
  return t;
}

/// A valid ru file for two_topics(); `extra` is added at the top level, `topics_extra` in [topics].
inline std::string ru_file(const std::string& extra = "", const std::string& topics_extra = "") {
  return R"(greeting_named = ["Здравствуйте, {name}!"]
greeting = ["Здравствуйте!"]
thanks = ["Спасибо за отзыв.", "Благодарим Вас за отзыв."]
apology = ["Приносим извинения: {problem}.", "Приносим извинения."]
claim = ["По поводу того, что {claim}, — разберёмся.", "Проверим, почему {claim}.", "Разберёмся и с остальным."]
repeat = ["Вы уже писали нам {date} ({topics}).", "Вы уже писали нам {date}.", "Вы пишете не в первый раз."]
next = ["Ответим до [[срок]]."]
contact = ["Напишите нам: [[контакт]]."]
closing = ["С уважением, [[имя]]."]
thanks_positive = ["Спасибо за добрый отзыв!"]
deny = ["это не к нам", "обратитесь в поддержку"]
familiar = ["ты", "дружище"]
)" + extra + R"(
[topics]
waiting = ["Простите за ожидание: [[причина]].", "Нам жаль, что пришлось ждать.", "Ждать больше не придётся."]
rudeness = ["Приносим извинения за сотрудника; отзыв передан руководителю."]
)" + topics_extra;
}

inline std::string en_file() {
  return R"(greeting_named = ["Dear {name},"]
greeting = ["Hello,"]
thanks = ["Thank you for your review."]
apology = ["We apologise: {problem}.", "We apologise."]
claim = ["As for the fact that {claim}, we will look into it.", "We will check why {claim}."]
repeat = ["You already wrote to us on {date} ({topics}).", "You already wrote to us on {date}."]
next = ["We will reply by [[deadline]]."]
contact = ["Write to [[contact]]."]
closing = ["Kind regards, [[name]]"]
thanks_positive = ["Thank you for your kind review!"]
deny = ["not our responsibility", "please contact support"]
familiar = ["mate", "buddy"]
[topics]
waiting = ["Sorry for the wait: [[reason]].", "We are sorry you had to wait."]
rudeness = ["We apologise for our employee; your review was passed on to their manager."]
)";
}

inline ReplyBook two_topic_book(const std::string& ru = ru_file()) {
  auto book = make_reply_book({{"ru", "ru.toml", ru}, {"en", "en.toml", en_file()}}, {}, two_topics());
  if (!book) throw std::runtime_error(book.error().detail);
  return std::move(*book);
}

}  // namespace otklik::replies::test
