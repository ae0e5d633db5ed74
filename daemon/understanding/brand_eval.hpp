#pragma once
/// Measuring the brand matcher on hand-labelled mentions: rows `BRAND<TAB>TEXT`, BRAND a configured
/// brand name or "-" when the text names none; "#" lines and blank lines are skipped. A match is
/// right only with the right brand. `otklik brands eval -c CONFIG FILE…` prints the report.

#include "daemon/core/error.hpp"
#include "daemon/understanding/brand_match.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace otklik::understanding {

struct BrandRow {
  int line = 0;
  std::string brand;  ///< "" for "-"
  std::string text;
};

/// Parses one file; unknown brand names and malformed lines ("file:line: what") fail, all at once.
Result<std::vector<BrandRow>> parse_brand_rows(std::string_view tsv, std::string_view file_name,
                                               const std::vector<std::string>& brands);

struct BrandScore {
  std::string brand;
  int tp = 0, fp = 0, fn = 0;
  [[nodiscard]] double precision() const noexcept;
  [[nodiscard]] double recall() const noexcept;
  [[nodiscard]] double f1() const noexcept;
};

struct BrandMistake {
  int line = 0;
  std::string text;
  std::string expected;  ///< "" = none
  std::string found;     ///< "" = none
  std::string how;       ///< how the wrong match was made
};

struct BrandReport {
  BrandScore total;                 ///< brand "all"
  std::vector<BrandScore> per_brand;
  int rows = 0;
  int with_brand = 0;
  std::vector<std::pair<std::string, int>> by_how;  ///< right matches per kind ("typo": 12)
  std::vector<BrandMistake> mistakes;
};

BrandReport evaluate_brands(const BrandMatcher& matcher, const std::vector<std::string>& brands,
                            const std::vector<BrandRow>& rows);

/// A Markdown table (per brand, then all), the right matches per kind, and the first
/// `max_mistakes` mistakes.
std::string format_brand_report(const BrandReport& report, std::size_t max_mistakes = 0);

}  // namespace otklik::understanding
