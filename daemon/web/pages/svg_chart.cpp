#include "daemon/web/pages/svg_chart.hpp"

#include "daemon/web/pages/format.hpp"
#include "daemon/web/pages/html_escape.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace otklik::web {
namespace {

constexpr int kSeriesClasses = 8;      // s0..s7 in the stylesheet
constexpr std::size_t kLegendChars = 24;
constexpr std::size_t kBarLabelChars = 28;

std::int64_t clamp_value(std::int64_t v) noexcept { return v < 0 ? 0 : v; }

/// Sum without overflow (saturates): a chart of absurd numbers still draws.
std::int64_t add_sat(std::int64_t a, std::int64_t b) noexcept {
  return a > std::numeric_limits<std::int64_t>::max() - b ? std::numeric_limits<std::int64_t>::max() : a + b;
}

double fraction(std::int64_t v, std::int64_t top) noexcept {
  return top <= 0 ? 0.0 : static_cast<double>(v) / static_cast<double>(top);
}

}  // namespace

AxisScale nice_scale(std::int64_t max) noexcept {
  if (max <= 0) return {};
  const std::int64_t raw = max / 4 + (max % 4 != 0);
  std::int64_t magnitude = 1;
  while (magnitude <= raw / 10) magnitude *= 10;
  std::int64_t step = magnitude;
  for (std::int64_t k : {1, 2, 5, 10}) {
    if (magnitude > std::numeric_limits<std::int64_t>::max() / k) break;
    step = k * magnitude;
    if (step >= raw) break;
  }
  const std::int64_t ticks = max / step + (max % step != 0);
  if (ticks > std::numeric_limits<std::int64_t>::max() / step) return {max, max};
  return {ticks * step, step};
}

std::string stacked_bar_chart_svg(const StackedBarChart& chart) {
  const std::size_t n = chart.categories.size();
  std::vector<std::int64_t> totals(n, 0);
  for (const auto& s : chart.series)
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i) totals[i] = add_sat(totals[i], clamp_value(s.values[i]));
  const std::int64_t max = totals.empty() ? 0 : *std::max_element(totals.begin(), totals.end());
  const AxisScale scale = nice_scale(max);

  const int legend_rows = static_cast<int>((chart.series.size() + 2) / 3);
  const double left = 56, right = 8, top = 10, axis_h = 24;
  const double width = std::max(chart.width, 200), plot_h = std::max(chart.height, 120) - top - axis_h;
  const double plot_w = width - left - right;
  const double height = top + plot_h + axis_h + legend_rows * 20 + (legend_rows ? 6 : 0);

  std::string out = fmt::format(
      R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0f} {:.0f}" role="img" aria-label="{}">)",
      width, height, escape(chart.title));
  out += fmt::format("<title>{}</title>", escape(chart.title));

  // Grid lines and the value axis.
  for (std::int64_t v = 0; v <= scale.top; v += scale.step) {
    const double y = top + plot_h - fraction(v, scale.top) * plot_h;
    out += fmt::format(R"(<line class="grid" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", left, y,
                       width - right, y);
    out += fmt::format(R"(<text class="axis" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", left - 6, y + 4,
                       escape(format_int(v, chart.locale)));
    if (scale.top - v < scale.step) break;
  }

  // Bars, bottom series first.
  if (n > 0) {
    const double slot = plot_w / static_cast<double>(n);
    const double bar_w = std::max(1.0, slot * 0.72);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = left + slot * static_cast<double>(i) + (slot - bar_w) / 2;
      std::int64_t below = 0;
      for (std::size_t k = 0; k < chart.series.size(); ++k) {
        const auto& s = chart.series[k];
        const std::int64_t v = i < s.values.size() ? clamp_value(s.values[i]) : 0;
        if (v == 0) continue;
        const double y0 = top + plot_h - fraction(below, scale.top) * plot_h;
        below = add_sat(below, v);
        const double y1 = top + plot_h - fraction(below, scale.top) * plot_h;
        out += fmt::format(
            R"(<rect class="s{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{} · {}: {}</title></rect>)",
            k % kSeriesClasses, x, y1, bar_w, std::max(0.5, y0 - y1), escape(s.name), escape(chart.categories[i]),
            escape(format_int(v, chart.locale)));
      }
    }
    // Category labels: about seven along the axis, the last one always.
    const std::size_t every = std::max<std::size_t>(1, (n + 6) / 7);
    for (std::size_t i = 0; i < n; ++i) {
      if ((n - 1 - i) % every != 0) continue;
      const double x = left + slot * (static_cast<double>(i) + 0.5);
      out += fmt::format(R"(<text class="axis" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", x,
                         top + plot_h + 16, escape(shorten(chart.categories[i], 12)));
    }
  }
  out += fmt::format(R"(<line class="base" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", left, top + plot_h,
                     width - right, top + plot_h);

  // Legend: three per row.
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const double x = left + static_cast<double>(k % 3) * (plot_w / 3);
    const double y = top + plot_h + axis_h + 6 + static_cast<double>(k / 3) * 20;
    out += fmt::format(R"(<g><title>{0}</title><rect class="s{1}" x="{2:.1f}" y="{3:.1f}" width="12" height="12"/>)"
                       R"(<text class="legend" x="{4:.1f}" y="{5:.1f}">{6}</text></g>)",
                       escape(chart.series[k].name), k % kSeriesClasses, x, y, x + 18, y + 11,
                       escape(shorten(chart.series[k].name, kLegendChars)));
  }
  out += "</svg>";
  return out;
}

std::string horizontal_bar_chart_svg(const HorizontalBarChart& chart) {
  std::int64_t max = 0;
  for (const auto& b : chart.bars) max = std::max(max, clamp_value(b.value));
  const double row_h = 26, label_w = 210, value_w = 70, top = 4;
  const double width = std::max(chart.width, 320);
  const double bar_room = width - label_w - value_w;
  const double height = top * 2 + row_h * static_cast<double>(std::max<std::size_t>(chart.bars.size(), 1));

  std::string out = fmt::format(
      R"(<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0f} {:.0f}" role="img" aria-label="{}">)",
      width, height, escape(chart.title));
  out += fmt::format("<title>{}</title>", escape(chart.title));
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const auto& b = chart.bars[i];
    const std::int64_t v = clamp_value(b.value);
    const double y = top + row_h * static_cast<double>(i);
    const double w = max > 0 ? std::max(v > 0 ? 1.0 : 0.0, fraction(v, max) * bar_room) : 0.0;
    out += fmt::format(R"(<g><title>{0}: {1}</title>)", escape(b.label), escape(format_int(v, chart.locale)));
    out += fmt::format(R"(<text class="legend" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", label_w - 8,
                       y + 17, escape(shorten(b.label, kBarLabelChars)));
    out += fmt::format(R"(<rect class="s0" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"/>)", label_w, y + 4,
                       w, row_h - 8);
    out += fmt::format(R"(<text class="axis" x="{:.1f}" y="{:.1f}">{}</text></g>)", label_w + w + 6, y + 17,
                       escape(format_int(v, chart.locale)));
  }
  out += "</svg>";
  return out;
}

}  // namespace otklik::web
