// Word forms after numbers: Russian plural forms and English ordinals.
#include "daemon/core/plural.hpp"

#include <catch2/catch.hpp>

using otklik::ordinal_en;
using otklik::plural_ru;

TEST_CASE("Russian plural forms follow the last digits", "[core][plural]") {
  struct Case {
    std::int64_t n;
    std::string_view form;
  };
  const Case cases[] = {{0, "отзывов"},   {1, "отзыв"},    {2, "отзыва"},  {4, "отзыва"},  {5, "отзывов"},
                        {11, "отзывов"},  {12, "отзывов"}, {14, "отзывов"}, {21, "отзыв"},  {22, "отзыва"},
                        {25, "отзывов"},  {101, "отзыв"},  {111, "отзывов"}, {112, "отзывов"}, {1004, "отзыва"},
                        {-1, "отзыв"},    {-3, "отзыва"},  {-7, "отзывов"}};
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CHECK(plural_ru(c.n, "отзыв", "отзыва", "отзывов") == c.form);
  }
}

TEST_CASE("English ordinals", "[core][plural]") {
  struct Case {
    std::int64_t n;
    std::string_view text;
  };
  const Case cases[] = {{1, "1st"},   {2, "2nd"},   {3, "3rd"},   {4, "4th"},     {10, "10th"},  {11, "11th"},
                        {12, "12th"}, {13, "13th"}, {21, "21st"}, {22, "22nd"},   {23, "23rd"},  {101, "101st"},
                        {111, "111th"}, {112, "112th"}, {0, "0th"}};
  for (const auto& c : cases) {
    CAPTURE(c.n);
    CHECK(ordinal_en(c.n) == c.text);
  }
}
