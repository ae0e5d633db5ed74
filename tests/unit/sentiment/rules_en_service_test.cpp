// Hand-written English sentences for the second round of issue 19: review vocabulary of films,
// products, food and service, and the rules for what customers write to a company
// (daemon/sentiment/rules_en_service.cpp).
#include "daemon/sentiment/lexicon_scorer.hpp"
#include "tests/unit/sentiment/label_table.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using otklik::Label;
using otklik::test::builtin_scorer;
using otklik::test::check_labels;
using otklik::test::explain;
using Case = otklik::test::LabelCase;

namespace {

/// Whether the rule or term `term` is among the reasons of `text`.
bool gives_reason(std::string_view text, std::string_view term) {
  const auto s = builtin_scorer().score(text);
  for (const auto& w : s.why)
    if (w.term == term) return true;
  return false;
}

}  // namespace

TEST_CASE("review vocabulary: films and books", "[sentiment][issue19]") {
  check_labels({
      {"The plot was muddled and the pacing plodding.", Label::negative},
      {"A tedious, overlong slog.", Label::negative},
      {"Formulaic and hackneyed from start to finish.", Label::negative},
      {"The second half runs out of steam.", Label::negative},
      {"The jokes fall short and the ending goes nowhere.", Label::negative},
      {"Stilted dialogue and one-dimensional characters.", Label::negative},
      {"A soulless cash grab.", Label::negative},
      {"The story is devoid of charm and wit.", Label::negative},
      {"Watching it was a chore.", Label::negative},
      {"The effects were less than stellar.", Label::negative},
      {"The sequel is anything but funny.", Label::negative},
      {"It never quite works.", Label::negative},
      {"I lost interest halfway through.", Label::negative},
      {"It didn't live up to the hype.", Label::negative},
  });
  // "less than" with no term after it is a quantity.
  CHECK(builtin_scorer().score("Delivered in less than two days, great seller").label == Label::positive);
}

TEST_CASE("review vocabulary: praise", "[sentiment][issue19]") {
  check_labels({
      {"An engrossing, poignant debut.", Label::positive},
      {"The room was spotless and the host hospitable.", Label::positive},
      {"A real page-turner.", Label::positive},
      {"Intuitive and reasonably priced.", Label::positive},
  });
}

TEST_CASE("review vocabulary: products, food and places", "[sentiment][issue19]") {
  check_labels({
      {"Cheaply made, the handle came apart in a week.", Label::negative},
      {"The zipper broke after two uses.", Label::negative},
      {"The paint is peeling and the legs are wobbly.", Label::negative},
      {"The soup was watery and the rice mushy.", Label::negative},
      {"We saw cockroaches near the kitchen.", Label::negative},
      {"The clerk was condescending and dismissive.", Label::negative},
      {"Check-in was a debacle.", Label::negative},
      {"Terible service.", Label::negative},
      // A dish named after a fault is no fault.
      {"The sloppy joes were great.", Label::positive},
      {"Thank you for taking good care of our dog.", Label::positive},
  });
}

TEST_CASE("customer text: failures told as requests and events", "[sentiment][issue19]") {
  check_labels({
      {"My parcel was never delivered.", Label::negative},
      {"I never recieved the replacement card.", Label::negative},
      {"Where is my order?", Label::negative},
      {"Someone call me back please", Label::negative},
      {"Please get back to me", Label::negative},
      {"My order was supposed to arrive on Monday.", Label::negative},
      {"No one seems to know where my package is.", Label::negative},
      {"The branch is understaffed again.", Label::negative},
      {"Time to get your act together, folks.", Label::negative},
      {"That will be the last time I use this courier.", Label::negative},
      {"The installer said there was nothing he could do.", Label::negative},
      {"Cmon, third reschedule this month. smdh", Label::negative},
      {"Never ordering from this shop again.", Label::negative},
      {"The courier is late again.", Label::negative},
      // Asking and thanking are no complaint.
      {"I would appreciate an email about my claim.", Label::neutral},
  });
  CHECK(builtin_scorer().score("They called me back within minutes").label != Label::negative);
  CHECK(builtin_scorer().score("We had a late lunch on the terrace").label != Label::negative);
}

TEST_CASE("a refusal with wouldn't is what cannot be done", "[sentiment][issue19]") {
  check_labels({
      {"The agent wouldn't refund the fee.", Label::negative},
      {"The bank wouldn't let me close the account.", Label::negative},
      {"Thanks for not answering my emails.", Label::negative},
  });
  CHECK(gives_reason("The shop wouldn't take the parcel back", "wouldn't take"));
  // No refusal: a wish to keep things, a polite "wouldn't mind".
  CHECK(builtin_scorer().score("I wouldn't change a thing about this hotel").label != Label::negative);
  CHECK_FALSE(gives_reason("I wouldn't mind a second cup", "wouldn't mind"));
}

TEST_CASE("still and a negation: a failure that goes on", "[sentiment][issue19]") {
  check_labels({
      {"Still haven't received my card.", Label::negative},
      {"The refund still has not been credited.", Label::negative},
      {"The app still won't open on my phone.", Label::negative},
  });
  CHECK(gives_reason("The app still won't open on my phone.", "still not"));
  CHECK(gives_reason("I still have not seen my statement", "still not"));
  // Doubt, praise, and "still no" (a phrase of its own) are not this rule.
  CHECK_FALSE(gives_reason("Still not sure which plan to pick", "still not"));
  CHECK_FALSE(gives_reason("I still haven't had a single problem with it", "still not"));
  CHECK(builtin_scorer().score("I still haven't had a single problem with it").label != Label::negative);
  CHECK_FALSE(gives_reason("Still no reply from support", "still not"));
}

TEST_CASE("praise a service should have is turned around", "[sentiment][issue19]") {
  check_labels({
      {"Your agents should be more helpful.", Label::negative},
      {"You could be a bit more accommodating with refunds.", Label::negative},
      {"The website needs to be easier to use.", Label::negative},
      // No comparative, no wish: a prediction keeps its sign.
      {"This should be fun for the kids.", Label::positive},
      {"The staff could not be friendlier.", Label::positive},
  });
}

TEST_CASE("praise of the service after a complaint is irony", "[sentiment][issue19]") {
  check_labels({
      {"My parcel is lost and nobody answers the phone. Such lovely service.", Label::negative},
      {"Waited two hours for a reply. Awesome job, team.", Label::negative},
      // Praise with more to say keeps its sign.
      {"Great service from the crew today, they found my bag in minutes.", Label::positive},
  });
  CHECK(builtin_scorer().score("Such lovely service.").label == Label::positive);
}

TEST_CASE("a #sarcasm hashtag turns the praise of a short text", "[sentiment][issue19]") {
  check_labels({
      {"Really enjoying my third hour on the tarmac #sarcasm", Label::negative},
      {"Love paying twice for the same order #sarcastic", Label::negative},
  });
  CHECK(builtin_scorer().score("Really enjoying my trip").label == Label::positive);
}

TEST_CASE("rhetorical questions are no request for information", "[sentiment][issue19]") {
  check_labels({
      {"Does anyone there even care?", Label::negative},
      {"Does anyone have a clue?", Label::negative},
      {"How can you not find a parcel for a week?", Label::negative},
      // A real request for information keeps its weak terms weak.
      {"Can I return an opened item?", Label::neutral},
      {"Do you deliver on Sundays?", Label::neutral},
  });
}

TEST_CASE("English text is negative from -0.05: a wait told by its length alone is a complaint",
          "[sentiment][issue19]") {
  const auto s = builtin_scorer().score("2 hours and counting");
  INFO(s.score << " why: " << explain(s));
  CHECK(s.score > -0.15);  // below the Russian threshold's reach: only the English one catches it
  CHECK(s.label == Label::negative);
  check_labels({
      {"Hour 3 at the gate", Label::negative},
      {"On hold for 40 minutes", Label::negative},
      // A quick duration is no wait, whatever weight its time word has elsewhere.
      {"Delivered in 10 minutes", Label::neutral},
      {"They called back within minutes", Label::neutral},
      {"Replied in just 2 minutes", Label::neutral},
      {"The courier came in 5 minutes", Label::neutral},
      // A request for information stays one at the lower threshold.
      {"Anyone know if the insurer covers accidental damage?", Label::neutral},
  });
}
