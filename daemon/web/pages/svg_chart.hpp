#pragma once
/// Charts as inline SVG, drawn on the server (no script): stacked vertical bars (negatives per day
/// and brand) and horizontal bars (top topics). Colours come from the stylesheet's classes (s0..s7
/// per series), so the markup carries no style attribute. Every name is escaped and long ones are
/// shortened (the full name stays in the element's <title> tooltip).

#include "daemon/web/pages/views.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace otklik::web {

/// One stacked series: a value per category.
struct BarSeries {
  std::string name;
  std::vector<std::int64_t> values;    ///< missing values count as 0; negatives as 0
};

struct StackedBarChart {
  std::string title;                   ///< the chart's accessible name
  std::vector<std::string> categories; ///< x axis labels, left to right
  std::vector<BarSeries> series;       ///< bottom to top
  Locale locale = Locale::en;          ///< for the numbers
  int width = 720;
  int height = 260;
};

struct HorizontalBar {
  std::string label;
  std::int64_t value = 0;
};

struct HorizontalBarChart {
  std::string title;
  std::vector<HorizontalBar> bars;     ///< top to bottom
  Locale locale = Locale::en;
  int width = 720;
};

/// The axis top and step for values up to `max`: a 1-2-5 step with about four ticks; max <= 0
/// gives {4, 1}.
struct AxisScale {
  std::int64_t top = 4;
  std::int64_t step = 1;
};
AxisScale nice_scale(std::int64_t max) noexcept;

/// An <svg> element (no XML declaration) for inline use.
std::string stacked_bar_chart_svg(const StackedBarChart& chart);
std::string horizontal_bar_chart_svg(const HorizontalBarChart& chart);

}  // namespace otklik::web
