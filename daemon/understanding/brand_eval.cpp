#include "daemon/understanding/brand_eval.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace otklik::understanding {

double BrandScore::precision() const noexcept { return tp + fp == 0 ? 0.0 : static_cast<double>(tp) / (tp + fp); }
double BrandScore::recall() const noexcept { return tp + fn == 0 ? 0.0 : static_cast<double>(tp) / (tp + fn); }
double BrandScore::f1() const noexcept {
  const double p = precision(), r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

Result<std::vector<BrandRow>> parse_brand_rows(std::string_view tsv, std::string_view file_name,
                                               const std::vector<std::string>& brands) {
  std::vector<BrandRow> rows;
  std::vector<std::string> problems;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < tsv.size()) {
    const std::size_t nl = std::min(tsv.find('\n', pos), tsv.size());
    std::string_view line = tsv.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos || tab + 1 == line.size()) {
      problems.push_back(fmt::format("{}:{}: expected BRAND<TAB>TEXT", file_name, line_no));
      continue;
    }
    BrandRow row{line_no, std::string(line.substr(0, tab)), std::string(line.substr(tab + 1))};
    if (row.brand == "-") {
      row.brand.clear();
    } else if (std::find(brands.begin(), brands.end(), row.brand) == brands.end()) {
      problems.push_back(fmt::format("{}:{}: unknown brand \"{}\"", file_name, line_no, row.brand));
      continue;
    }
    rows.push_back(std::move(row));
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return Failure(errc::parse_failed, message);
  }
  return rows;
}

BrandReport evaluate_brands(const BrandMatcher& matcher, const std::vector<std::string>& brands,
                            const std::vector<BrandRow>& rows) {
  BrandReport r;
  r.total.brand = "all";
  for (const auto& b : brands) r.per_brand.push_back({b});
  auto score = [&](const std::string& b) -> BrandScore* {
    for (auto& s : r.per_brand)
      if (s.brand == b) return &s;
    return nullptr;
  };
  for (const BrandRow& row : rows) {
    ++r.rows;
    if (!row.brand.empty()) ++r.with_brand;
    const auto m = matcher.match(row.text);
    const std::string found = m ? m->brand : std::string();
    if (!found.empty() && found == row.brand) {
      ++r.total.tp;
      if (auto* s = score(found)) ++s->tp;
      auto it = std::find_if(r.by_how.begin(), r.by_how.end(), [&](const auto& p) { return p.first == m->how; });
      if (it == r.by_how.end()) r.by_how.emplace_back(m->how, 1);
      else ++it->second;
      continue;
    }
    if (!found.empty()) {
      ++r.total.fp;
      if (auto* s = score(found)) ++s->fp;
    }
    if (!row.brand.empty()) {
      ++r.total.fn;
      if (auto* s = score(row.brand)) ++s->fn;
    }
    if (found != row.brand) r.mistakes.push_back({row.line, row.text, row.brand, found, m ? m->how : ""});
  }
  return r;
}

std::string format_brand_report(const BrandReport& r, std::size_t max_mistakes) {
  std::string out = "| brand | right | wrong | missed | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& s : r.per_brand)
    out += fmt::format("| {} | {} | {} | {} | {:.2f} | {:.2f} | {:.2f} |\n", s.brand, s.tp, s.fp, s.fn, s.precision(),
                       s.recall(), s.f1());
  out += fmt::format("| **all** | {} | {} | {} | {:.2f} | {:.2f} | {:.2f} |\n", r.total.tp, r.total.fp, r.total.fn,
                     r.total.precision(), r.total.recall(), r.total.f1());
  out += fmt::format("\nrows: {} ({} name a brand, {} do not)", r.rows, r.with_brand, r.rows - r.with_brand);
  if (!r.by_how.empty()) {
    out += " · right matches by kind:";
    for (const auto& [how, n] : r.by_how) out += fmt::format(" {} {}", how, n);
  }
  out += "\n";
  if (max_mistakes > 0 && !r.mistakes.empty()) {
    out += "\nmistakes (line: expected → found [how]: text):\n";
    for (std::size_t i = 0; i < r.mistakes.size() && i < max_mistakes; ++i) {
      const auto& m = r.mistakes[i];
      out += fmt::format("  {}: {} → {}{}: {}\n", m.line, m.expected.empty() ? "-" : m.expected,
                         m.found.empty() ? "-" : m.found, m.how.empty() ? "" : " [" + m.how + "]", m.text);
    }
  }
  return out;
}

}  // namespace otklik::understanding
