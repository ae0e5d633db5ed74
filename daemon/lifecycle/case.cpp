#include "daemon/lifecycle/case.hpp"

#include <array>
#include <utility>

namespace otklik {
namespace {

constexpr std::array<std::pair<CaseState, std::string_view>, 5> kStates{{
    {CaseState::fresh, "new"},
    {CaseState::taken, "taken"},
    {CaseState::answered, "answered"},
    {CaseState::resolved, "resolved"},
    {CaseState::dismissed, "dismissed"},
}};

constexpr std::array<std::pair<CaseAction, std::string_view>, 5> kActions{{
    {CaseAction::take, "take"},
    {CaseAction::answer, "answer"},
    {CaseAction::resolve, "resolve"},
    {CaseAction::dismiss, "dismiss"},
    {CaseAction::reopen, "reopen"},
}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) noexcept {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return {};
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) noexcept {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseState s) noexcept { return name_of(kStates, s); }

std::optional<CaseState> parse_case_state(std::string_view s) noexcept { return value_of(kStates, s); }

std::string_view to_string(CaseAction a) noexcept { return name_of(kActions, a); }

std::optional<CaseAction> parse_case_action(std::string_view s) noexcept { return value_of(kActions, s); }

std::string_view to_string(CaseRefusal r) noexcept {
  switch (r) {
    case CaseRefusal::none: return "";
    case CaseRefusal::already_answered: return "already_answered";
    case CaseRefusal::already_resolved: return "already_resolved";
    case CaseRefusal::already_dismissed: return "already_dismissed";
  }
  return "";
}

}  // namespace otklik
