// The first name a draft greets by: only when the display name is a person's.
#include "daemon/replies/author_name.hpp"

#include <catch2/catch.hpp>

using otklik::replies::first_name;

TEST_CASE("a draft greets by the first name only when the display name is a person's", "[replies][names]") {
  struct Case {
    const char* display;
    const char* first;  // "" = no greeting by name
  };
  const Case cases[] = {
      {"Ирина", "Ирина"},
      {"Ирина Котова", "Ирина"},
      {"Ирина К.", "Ирина"},
      {"  Ирина   Котова ", "Ирина"},
      {"ИРИНА", "Ирина"},
      {"АННА-МАРИЯ", "Анна-Мария"},
      {"Анна-Мария Смирнова", "Анна-Мария"},
      {"Пётр", "Пётр"},
      {"John Smith", "John"},
      {"Seán O'Brien", "Seán"},
      {"O'Neil", "O'Neil"},
      {"Аноним", ""},
      {"Анонимный пользователь", ""},
      {"Гость", ""},
      {"Покупатель", ""},
      {"Клиент Сбербанка", ""},
      {"Пользователь 12345", ""},
      {"A Google user", ""},
      {"Customer", ""},
      {"Guest", ""},
      {"user123", ""},
      {"user_8841", ""},
      {"маша_2001", ""},
      {"Kotik99", ""},
      {"ivan.petrov@mail.ru", ""},
      {"+7 999 123-45-67", ""},
      {"8 (999) 123 45 67", ""},
      {"И. Котова", ""},
      {"ivanpetrov", ""},
      {"ivan petrov", ""},
      {"ivan.petrov", ""},
      {"IvanPetrov", ""},
      {"МашаКотова", ""},
      {"Ivаn", ""},  // mixed scripts: a Cyrillic "а" in a Latin word
      {"Я", ""},
      {"", ""},
      {"   ", ""},
      {"Один два три четыре пять", ""},
      {"⭐ Ольга ⭐", ""},
  };
  for (const auto& c : cases) {
    INFO(c.display);
    CHECK(first_name(c.display) == c.first);
  }
}
