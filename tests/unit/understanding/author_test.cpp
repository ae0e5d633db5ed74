// Author keys: which names and ids find the same person again, and which must not.
#include "daemon/understanding/author.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace otklik::understanding;

TEST_CASE("display names identify a person only when they can", "[understanding][author]") {
  struct Case {
    const char* author;
    const char* name_key;  // "" = no key
  };
  const Case cases[] = {
      {"Иван Петров", "иван петров"},
      {"  иван   ПЕТРОВ ", "иван петров"},
      {"Пётр Ёлкин", "петр елкин"},
      {"Ivan Petrov", "ivan petrov"},
      {"Aннa Cмирнова", "анна смирнова"},       // Latin look-alikes in a Cyrillic name
      {"Анна-Мария Смирнова", "анна мария смирнова"},
      {"ivan_petrov88", "ivan_petrov88"},
      {"ivan.petrov", "ivan.petrov"},
      {"Маша2001", "маша2001"},
      {"⭐ Ольга Ковалёва ⭐", "ольга ковалева"},
      {"Иван П.", ""},                          // an initial is not a surname
      {"Ирина К", ""},
      {"мария.с", ""},
      {"Ирина", ""},                            // a bare first name
      {"John", ""},
      {"Аноним", ""},
      {"Пользователь 12345", ""},
      {"A Google user", ""},
      {"Customer", ""},
      {"Гость", ""},
      {"12345", ""},
      {"", ""},
      {"   ", ""},
      {"🙂🙂", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.author);
    CHECK(author_keys("maps", c.author, "").name_key == c.name_key);
  }
}

TEST_CASE("user ids and profile URLs give a source-scoped key", "[understanding][author]") {
  struct Case {
    const char* id;
    const char* id_key;
  };
  const Case cases[] = {
      {"u42", "maps#u42"},
      {"  u42 ", "maps#u42"},
      {"https://www.Example.org/user/ivan/", "maps#example.org/user/ivan"},
      {"http://example.org/user/ivan#reviews", "maps#example.org/user/ivan"},
      {"https://example.org/profile?id=77", "maps#example.org/profile?id=77"},
      {"https://EXAMPLE.org/", "maps#example.org"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.id);
    CHECK(author_keys("maps", "Ирина", c.id).id_key == c.id_key);
  }
  // The same id on another site is another person.
  CHECK(author_keys("maps", "", "u42") != author_keys("banki", "", "u42"));
  // The same full name on two sites is the same key.
  CHECK(author_keys("maps", "Иван Петров", "").name_key == author_keys("banki", "иван петров", "9").name_key);
}

TEST_CASE("hostile names do not crash and stay bounded", "[understanding][author]") {
  std::string junk = "Иван\xff\xfe Петров";
  CHECK(author_keys("s", junk, "").name_key == "иван петров");
  std::string nul("Иван\0Петров", 21);
  CHECK(author_keys("s", nul, "").name_key == "иван петров");
  std::string huge(100000, 'a');
  huge += " b";
  CHECK(author_keys("s", huge, "").name_key.empty());  // "b" is one letter: no second word
  CHECK(normalise_name("") == "");
}
