#include "daemon/lifecycle/case.hpp"
#include "tests/support/catch_result.hpp"

using namespace otklik;

TEST_CASE("case states and actions round-trip through their stored names", "[lifecycle]") {
  const std::vector<std::pair<CaseState, std::string_view>> states = {
      {CaseState::fresh, "new"},           {CaseState::taken, "taken"},
      {CaseState::answered, "answered"},   {CaseState::resolved, "resolved"},
      {CaseState::dismissed, "dismissed"},
  };
  for (const auto& [state, name] : states) {
    CHECK(to_string(state) == name);
    CHECK(parse_case_state(name) == state);
  }
  const std::vector<std::pair<CaseAction, std::string_view>> actions = {
      {CaseAction::take, "take"},       {CaseAction::answer, "answer"}, {CaseAction::resolve, "resolve"},
      {CaseAction::dismiss, "dismiss"}, {CaseAction::reopen, "reopen"},
  };
  for (const auto& [action, name] : actions) {
    CHECK(to_string(action) == name);
    CHECK(parse_case_action(name) == action);
  }
  for (std::string_view bad : {"", "fresh", "NEW", "take ", "close"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_case_state(bad));
    CHECK_FALSE(parse_case_action(bad));
  }
  CHECK(to_string(CaseRefusal::none).empty());
  CHECK(to_string(CaseRefusal::already_answered) == "already_answered");
  CHECK(to_string(CaseRefusal::already_resolved) == "already_resolved");
  CHECK(to_string(CaseRefusal::already_dismissed) == "already_dismissed");
}
