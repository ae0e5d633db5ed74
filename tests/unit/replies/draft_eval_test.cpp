// The claims-labelled file format and the verdict on a draft.
#include "daemon/replies/draft_eval.hpp"

#include <catch2/catch.hpp>

using namespace otklik;
using namespace otklik::replies;

TEST_CASE("a claims-labelled file is read with the claims' spans", "[replies][eval]") {
  const std::string file = "# comment\n"
                           "text\tЖдал час в очереди, кассир нахамил.\n"
                           "claim\twaiting\tЖдал час в очереди\n"
                           "claim\trudeness, waiting\tкассир нахамил\n"
                           "\n"
                           "text\tThe app crashes.\r\n"
                           "claim\t-\tThe app crashes\n";
  auto parsed = parse_claims_file(file, "f.tsv");
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->size() == 2);
  const auto& first = (*parsed)[0];
  CHECK(first.line == 2);
  REQUIRE(first.claims.size() == 2);
  CHECK(first.claims[0].topics == std::vector<std::string>{"waiting"});
  CHECK(first.claims[0].begin == 0);
  CHECK(first.text.substr(first.claims[1].begin, first.claims[1].end - first.claims[1].begin) == "кассир нахамил");
  CHECK(first.claims[1].topics == std::vector<std::string>{"rudeness", "waiting"});
  CHECK((*parsed)[1].text == "The app crashes.");
  CHECK((*parsed)[1].claims[0].topics.empty());
}

TEST_CASE("every problem of a claims file is reported with its line", "[replies][eval]") {
  const std::string file = "claim\t-\tearly\n"
                           "text\tОдин текст.\n"
                           "claim\twaiting\tнет такого\n"
                           "claim\tWait ing\tОдин\n"
                           "something else\n"
                           "text\tБез претензий.\n";
  auto parsed = parse_claims_file(file, "f.tsv");
  REQUIRE_FALSE(parsed.has_value());
  const std::string& d = parsed.error().detail;
  CHECK_THAT(d, Catch::Contains("f.tsv:1: a claim before any text line"));
  CHECK_THAT(d, Catch::Contains("f.tsv:3: the claim text is not in the complaint's text"));
  CHECK_THAT(d, Catch::Contains("f.tsv:4: topics must be"));
  CHECK_THAT(d, Catch::Contains("f.tsv:5: expected text"));
  CHECK_THAT(d, Catch::Contains("f.tsv:6: a complaint without claims"));
}

TEST_CASE("a gold claim is addressed by a sentence for an overlapping claim, by its topic when it matches",
          "[replies][eval]") {
  LabelledComplaint c;
  c.text = "Ждал час в очереди, кассир нахамил, карту не выдали.";
  auto gold = [&](std::string text, std::vector<std::string> topics) {
    GoldClaim g;
    g.text = std::move(text);
    g.begin = c.text.find(g.text);
    g.end = g.begin + g.text.size();
    g.topics = std::move(topics);
    c.claims.push_back(g);
  };
  gold("Ждал час в очереди", {"waiting"});
  gold("кассир нахамил", {"rudeness"});
  gold("карту не выдали", {});
  understanding::Understanding u;
  auto extracted = [&](std::string_view text) {
    understanding::Claim e;
    e.begin = c.text.find(text);
    e.end = e.begin + text.size();
    e.text = std::string(text);
    u.claims.push_back(e);
  };
  extracted("час в очереди");       // overlaps the first
  extracted("кассир нахамил, карту");  // overlaps the second and the third
  Draft d;
  d.parts = {{PartRole::greeting, "Здравствуйте!", -1, ""},
             {PartRole::claim, "…", 0, "waiting"},
             {PartRole::claim, "…", 1, "quality"}};
  const auto v = judge_draft(c, u, d);
  REQUIRE(v.size() == 3);
  CHECK(v[0].addressed);
  CHECK(v[0].own_topic);
  CHECK(v[1].addressed);
  CHECK_FALSE(v[1].own_topic);
  CHECK(v[2].addressed);
  CHECK_FALSE(v[2].own_topic);  // "-" is its own topic only for the generic sentence
  d.parts[2].topic = "";
  const auto generic = judge_draft(c, u, d);
  CHECK(generic[2].own_topic);
  CHECK_FALSE(generic[1].own_topic);
  d.parts.pop_back();
  const auto fewer = judge_draft(c, u, d);
  CHECK_FALSE(fewer[1].addressed);
  CHECK_FALSE(fewer[2].addressed);
}

TEST_CASE("the expected language of a complaint is its script's", "[replies][eval]") {
  CHECK(expected_locale("Ждал час") == "ru");
  CHECK(expected_locale("Waited an hour") == "en");
  CHECK(expected_locale("Приложение Sberbank Online не работает") == "ru");
  CHECK(expected_locale("") == "ru");
}
