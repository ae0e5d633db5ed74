// Latin skeletons: the same brand in either script shares one.
#include "daemon/understanding/translit.hpp"

#include <catch2/catch.hpp>

using otklik::understanding::latin_skeleton;

TEST_CASE("a brand written in Cyrillic or Latin has one skeleton", "[understanding][translit]") {
  struct Case {
    const char* a;
    const char* b;
  };
  const Case same[] = {{"сбер", "sber"},         {"тинькофф", "tinkoff"}, {"тинькоф", "tinkoff"},
                       {"аэрофлот", "aeroflot"}, {"озон", "ozon"},       {"мтс", "mts"},
                       {"яндекс", "yandex"},     {"додо", "dodo"},       {"пицца", "pizza"},
                       {"ельцин", "yeltsin"},    {"хит", "khit"},        {"филипс", "philips"},
                       {"викс", "wix"}};
  for (const auto& c : same) {
    CAPTURE(c.a, c.b);
    CHECK(latin_skeleton(c.a) == latin_skeleton(c.b));
  }
  CHECK(latin_skeleton("сбер") != latin_skeleton("сбор"));
  CHECK(latin_skeleton("мтс") != latin_skeleton("мгтс"));
}

TEST_CASE("skeleton details", "[understanding][translit]") {
  CHECK(latin_skeleton("щука") == "schuka");
  CHECK(latin_skeleton("объём") == "obem");
  CHECK(latin_skeleton("2гис") == "2gis");
  CHECK(latin_skeleton("t-bank") == "tbank");
  CHECK(latin_skeleton("") == "");
  CHECK(latin_skeleton("\xff\xfe") == "");
}
