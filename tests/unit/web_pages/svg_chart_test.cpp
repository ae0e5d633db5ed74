#include "daemon/web/pages/svg_chart.hpp"
#include "tests/unit/web_pages/html_inspect.hpp"

#include <catch2/catch.hpp>
#include <libxml/parser.h>

#include <limits>
#include <string>

using namespace otklik::web;

namespace {

/// The SVG is well-formed XML (stricter than the HTML parser) and holds no script or style.
void check_svg(const std::string& svg) {
  INFO(svg.substr(0, 400));
  xmlDocPtr doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "chart.svg", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  CHECK(doc != nullptr);
  if (doc) xmlFreeDoc(doc);
  CHECK(svg.starts_with("<svg "));
  CHECK(svg.ends_with("</svg>"));
  const auto inspected = test::inspect_html("<!DOCTYPE html><html><head><title>t</title></head><body>" + svg +
                                            "</body></html>");
  CHECK(test::violations(inspected) == std::vector<std::string>{});
}

int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("axis scales step 1-2-5", "[web][svg]") {
  struct Case {
    std::int64_t max, top, step;
  };
  const Case cases[] = {{0, 4, 1},   {-3, 4, 1},   {1, 1, 1},       {4, 4, 1},         {7, 8, 2},
                        {10, 10, 5}, {37, 40, 10}, {101, 150, 50}, {9999, 10000, 5000}};
  for (const auto& c : cases) {
    INFO(c.max);
    const auto s = nice_scale(c.max);
    CHECK(s.top == c.top);
    CHECK(s.step == c.step);
    CHECK(s.top >= c.max);
    CHECK(s.top % s.step == 0);
    CHECK(s.top / s.step <= 5);
    if (c.max > 0) CHECK(s.top - c.max < s.step);
  }
  const auto huge = nice_scale(std::numeric_limits<std::int64_t>::max());
  CHECK(huge.top == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("a chart of no data still draws its axis", "[web][svg]") {
  StackedBarChart empty;
  empty.title = "Negatives per day";
  check_svg(stacked_bar_chart_svg(empty));
  CHECK(count(stacked_bar_chart_svg(empty), "<rect") == 0);

  StackedBarChart zeros;
  zeros.categories = {"01.12", "02.12"};
  zeros.series = {{"rocket", {0, 0}}};
  const auto svg = stacked_bar_chart_svg(zeros);
  check_svg(svg);
  CHECK(count(svg, "<rect class=\"s0\" x=") == 1);  // only the legend's swatch

  HorizontalBarChart no_bars;
  check_svg(horizontal_bar_chart_svg(no_bars));
}

TEST_CASE("one day, one brand", "[web][svg]") {
  StackedBarChart chart;
  chart.categories = {"06.12"};
  chart.series = {{"rocket", {3}}};
  const auto svg = stacked_bar_chart_svg(chart);
  check_svg(svg);
  CHECK(svg.find("<title>rocket · 06.12: 3</title>") != std::string::npos);
  CHECK(svg.find(">06.12</text>") != std::string::npos);
}

TEST_CASE("stacked bars stack, and missing or negative values count as zero", "[web][svg]") {
  StackedBarChart chart;
  chart.categories = {"a", "b", "c"};
  chart.series = {{"one", {1, 2, 3}}, {"two", {4, -5}}};
  const auto svg = stacked_bar_chart_svg(chart);
  check_svg(svg);
  CHECK(count(svg, "<title>one · ") == 3);
  CHECK(count(svg, "<title>two · ") == 1);
  CHECK(svg.find("<title>two · a: 4</title>") != std::string::npos);
}

TEST_CASE("big numbers neither overflow nor break the chart", "[web][svg]") {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 2 + 1;
  StackedBarChart chart;
  chart.locale = Locale::en;
  chart.categories = {"a", "b"};
  chart.series = {{"x", {big, 1}}, {"y", {big, 1}}};
  const auto svg = stacked_bar_chart_svg(chart);
  check_svg(svg);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  CHECK(svg.find("height=\"-") == std::string::npos);
  HorizontalBarChart bars;
  bars.bars = {{"waiting", 1'000'000'000'000}, {"staff", 1}};
  const auto hsvg = horizontal_bar_chart_svg(bars);
  check_svg(hsvg);
  CHECK(hsvg.find("1,000,000,000,000") != std::string::npos);
}

TEST_CASE("long and hostile names are escaped and shortened", "[web][svg]") {
  const std::string hostile = "<script>alert(1)</script>\"' onload=x " + std::string(200, 'W');
  StackedBarChart chart;
  chart.title = hostile;
  chart.categories = {hostile, "b"};
  chart.series = {{hostile, {1, 2}}};
  const auto svg = stacked_bar_chart_svg(chart);
  check_svg(svg);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;") != std::string::npos);
  CHECK(svg.find(std::string(200, 'W')) != std::string::npos);        // the full name in the tooltip
  CHECK(svg.find("&lt;script&gt;alert(1)&lt;/script…</text>") != std::string::npos);  // the legend: 24 characters

  HorizontalBarChart bars;
  bars.title = hostile;
  bars.bars = {{hostile, 5}};
  const auto hsvg = horizontal_bar_chart_svg(bars);
  check_svg(hsvg);
  CHECK(hsvg.find("<script") == std::string::npos);
}
