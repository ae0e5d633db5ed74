// Author keys: which names and ids find the same person again, and which must not.
#include "daemon/understanding/author.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace otklik::understanding;

TEST_CASE("display names identify a person only when they can", "[understanding][author]") {
  struct Case {
    const char* author;
    const char* name_key;  // "" = no key
  };
  const Case cases[] = {
      // Two words of two or more letters; the key is order-free.
      {"Иван Петров", "иван петров"},
      {"Петров Иван", "иван петров"},
      {"  иван   ПЕТРОВ ", "иван петров"},
      {"Пётр Ёлкин", "елкин петр"},
      {"Ivan Petrov", "ivan petrov"},
      {"PETROV, Ivan", "ivan petrov"},
      {"Aннa Cмирнова", "анна смирнова"},       // Latin look-alikes in a Cyrillic name
      {"HИНА BЕРЕСОВА", "вересова нина"},       // capitals that look alike
      {"Ivаn Pеtrov", "ivan petrov"},           // Cyrillic look-alikes in a Latin name
      {"Ива́н Петро́в", "иван петров"},           // stress marks
      {"Анна-Мария Смирнова", "анна мария смирнова"},
      {"Seán O'Brien", "obrien seán"},
      {"⭐ Ольга Ковалёва ⭐", "ковалева ольга"},
      {"Иван Петрович П.", "иван п петрович"},  // two full words are enough
      // Handles.
      {"ivan_petrov88", "ivan_petrov88"},
      {"ivan.petrov", "ivan.petrov"},
      {"Маша2001", "маша2001"},
      {"IvanPetrov", "ivanpetrov"},
      {"МашаКотова", "машакотова"},
      {"ＩｖａｎＰｅｔｒｏｖ", "ivanpetrov"},     // full-width letters: NFKC
      // Too weak: an initial, a bare first name.
      {"Иван П.", ""},
      {"Ирина К", ""},
      {"И. Котова", ""},
      {"мария.с", ""},
      {"Ирина", ""},
      {"John", ""},
      {"Alexander", ""},                        // long, but a first name
      {"McDonald", ""},                         // "Mc" is no part of its own
      {"ivanpetrov", ""},                       // cannot tell from "alexandra"
      {"Ирина 🌸", ""},
      {"J. Smith", ""},
      // Generic names, with or without numbers.
      {"Аноним", ""},
      {"Анонимный пользователь", ""},
      {"Пользователь 12345", ""},
      {"Пользователь12345", ""},
      {"Гость_42", ""},
      {"user_8841", ""},
      {"A Google user", ""},
      {"Customer", ""},
      {"Verified Buyer", ""},
      {"Гость", ""},
      {"Клиент Сбербанка", ""},
      {"Имя скрыто", ""},
      {"Администрация сайта", ""},
      {"id12345", ""},
      {"12345", ""},
      // Nothing, or not a signature.
      {"", ""},
      {"   ", ""},
      {"🙂🙂", ""},
      {"...", ""},
      {"Ужасный банк никогда больше сюда не приду", ""},  // a sentence, not a name
  };
  for (const auto& c : cases) {
    CAPTURE(c.author);
    CHECK(author_keys("maps", c.author, "").name_key == c.name_key);
  }
}

TEST_CASE("names are normalised for comparison", "[understanding][author]") {
  struct Case {
    const char* name;
    const char* normalised;
  };
  const Case cases[] = {
      {"Иван П.", "иван п"},
      {"..ivan.petrov..", "ivan.petrov"},
      {"Ольга (Москва)", "ольга москва"},
      {"Ivan\tPetrov\n", "ivan petrov"},
      {"ＪＯＨＮ", "john"},
      {"Straße", "strasse"},  // case folding, not lower-casing
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(normalise_name(c.name) == c.normalised);
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
      {"AbC", "maps#AbC"},  // ids keep their case
      {"https://www.Example.org/user/ivan/", "maps#example.org/user/ivan"},
      {"HTTP://example.org/user/ivan#reviews", "maps#example.org/user/ivan"},
      {"https://m.example.org/user/ivan", "maps#example.org/user/ivan"},
      {"https://example.org:443/user/ivan//", "maps#example.org/user/ivan"},
      {"www.example.org/user/ivan", "maps#example.org/user/ivan"},
      {"https://example.org/profile?id=77", "maps#example.org/profile?id=77"},
      {"https://example.org/profile.php?utm_source=tg&id=77&hl=ru", "maps#example.org/profile.php?id=77"},
      {"https://example.org/maps/contrib/1234?hl=ru&ved=abc&entry=ttu", "maps#example.org/maps/contrib/1234"},
      {"https://example.org/user/Ivan", "maps#example.org/user/Ivan"},  // paths keep their case
      {"https://EXAMPLE.org/", "maps#example.org"},
      {"", ""},
      {"   ", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.id);
    CHECK(author_keys("maps", "Ирина", c.id).id_key == c.id_key);
  }
  // The same id on another site is another person.
  CHECK(author_keys("maps", "", "u42") != author_keys("banki", "", "u42"));
  // The same full name on two sites is the same key, whatever the ids.
  CHECK(author_keys("maps", "Иван Петров", "").name_key == author_keys("banki", "петров иван", "9").name_key);
  // An id gives a key even when the name gives none.
  const auto anon = author_keys("banki", "Аноним", "777");
  CHECK(anon.id_key == "banki#777");
  CHECK(anon.name_key.empty());
}

TEST_CASE("hostile names and ids do not crash and stay bounded", "[understanding][author]") {
  CHECK(author_keys("s", "Иван\xff\xfe Петров", "").name_key == "иван петров");
  CHECK(author_keys("s", std::string("Иван\0Петров", 21), "").name_key == "иван петров");
  CHECK(author_keys("s", "", std::string("u4\0" "2", 4)).id_key == "s#u42");  // control bytes dropped
  CHECK(normalise_name("") == "");

  // A megabyte of anything: no key, and quickly (no quadratic scans).
  const auto started = std::chrono::steady_clock::now();
  for (const std::string& junk : {std::string(1 << 20, 'a') + " b", std::string(1 << 20, '.'),
                                  std::string(1 << 20, '\xff'), [] {
                                    std::string s;
                                    for (int i = 0; i < 1 << 18; ++i) s += "🙂";
                                    return s;
                                  }()}) {
    const auto keys = author_keys("s", junk, junk);
    CHECK(keys.name_key.empty());
    CHECK(keys.id_key.empty());
    CHECK(normalise_name(junk).size() <= junk.size() * 2);
  }
  std::string zalgo = "Иван Петров";
  for (int i = 0; i < 100; ++i) zalgo += "\u0301";
  CHECK(author_keys("s", zalgo, "").name_key == "иван петров");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
