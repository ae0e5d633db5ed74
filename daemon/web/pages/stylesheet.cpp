// The stylesheet served at /static/otklik.css: system fonts only (no download), readable on a
// phone (tables become cards under 700px), the chart colours (s0..s7) and badge colours.
#include "daemon/web/pages/pages.hpp"

namespace otklik::web {
namespace {

constexpr std::string_view kCss = R"css(:root {
  --ink: #1d2733; --muted: #6b7785; --line: #dde3ea; --pale: #f4f6f9; --link: #1f5fa8;
  --red: #c0392b; --amber: #b7791f; --green: #2e7d4f; --navy: #1f3a5f; --bg: #ffffff;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 15px; }
a { color: var(--link); }
[hidden] { display: none !important; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; overflow-wrap: break-word; }
/* Long words (a review of one 5000-letter word) break where they must, without squeezing the
   other columns: only free text may wrap anywhere. */
td.mention, .review-text, .reason, .note, .excerpt, q, .url { overflow-wrap: anywhere; }
time, .badge, button, a.button { white-space: nowrap; }
h1 { font-size: 1.5rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .6rem; }
h3 { font-size: 1rem; margin: .8rem 0 .4rem; }
.muted { color: var(--muted); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }

header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 16px;
  background: var(--navy); color: #fff; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; font-size: 1.1rem; }
header.top nav ul { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; margin: 0; padding: 0; }
header.top nav a[aria-current="page"] { border-bottom: 2px solid #fff; }
header.top .who { margin-left: auto; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
header.top .role { opacity: .75; font-size: .85rem; }
header.top form { display: inline; margin: 0; }
button.link { background: none; border: 0; color: #fff; text-decoration: underline; cursor: pointer; padding: 0;
  font: inherit; }
footer { max-width: 1200px; margin: 0 auto; padding: 16px; color: var(--muted); font-size: .85rem; }

.flash { background: #e8f3ec; border: 1px solid #b9dcc6; padding: 8px 12px; border-radius: 6px; }
.error { background: #fbeaea; border: 1px solid #eec3c0; padding: 8px 12px; border-radius: 6px; }

form.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; min-width: 0;
  background: var(--pale); padding: 12px; border-radius: 8px; margin-bottom: 14px; }
form.filters .wide { grid-column: span 2; }
form.filters .buttons { display: flex; align-items: end; gap: 12px; }
label span { display: block; font-size: .8rem; color: var(--muted); margin-bottom: 2px; }
input, select, textarea, button { font: inherit; }
input, select, textarea { width: 100%; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; color: var(--ink); }
textarea { min-height: 8rem; resize: vertical; }
button, a.button { display: inline-block; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--navy);
  background: var(--navy); color: #fff; cursor: pointer; text-decoration: none; }
form.actions, form.relabel { display: flex; flex-wrap: wrap; gap: 8px; margin: 0; }
form.actions .act-dismiss, form.relabel button { background: #fff; color: var(--navy); }

table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: .8rem; text-transform: uppercase; color: var(--muted); font-weight: 600;
  border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid #eef1f5; padding: 8px; vertical-align: top; }
td.num { text-align: right; }
td.mention { min-width: 18rem; }
td.mention .title { font-weight: 600; }
.excerpt { margin: .25rem 0; color: #333d49; }
tr.broken td { background: #fdf1f0; }
tr.failing td { background: #fdf8ec; }
tr.is-new td { background: #fff9db; transition: background 2s; }
.reason { max-width: 22rem; }
.count { font-size: 1rem; font-weight: normal; color: var(--muted); }
.pager { margin: 16px 0; }
.source { font-weight: 600; }
.brand { color: var(--muted); }
.stars { color: var(--amber); letter-spacing: 1px; white-space: nowrap; }
.team { font-size: .8rem; color: var(--navy); }

.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: .78rem; white-space: nowrap;
  background: #e6eaf0; color: var(--ink); }
.label-negative, .health-broken, .digest-failed, .sev-high, .badge.late { background: #f8d7d4; color: #8e2a20; }
.label-positive, .health-ok, .digest-sent, .state-resolved { background: #d8efe1; color: #1f5e3a; }
.state-new, .health-failing, .sev-medium, .digest-pending { background: #fbe8c8; color: #7a4d0b; }
.state-taken { background: #dbe7f6; color: #1f3a5f; }
.state-answered { background: #d4eef0; color: #175a60; }
.state-dismissed, .state-none, .sev-low { background: #eceff3; color: #4b5663; }
.role-admin { background: #e7dcf5; color: #4a2a78; }

ul.chips { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: .3rem 0 0; padding: 0; }
ul.chips li { background: var(--pale); border: 1px solid var(--line); border-radius: 10px; padding: 0 8px;
  font-size: .78rem; }

.live { display: inline-block; font-size: .85rem; padding: 3px 10px; border-radius: 12px; background: var(--pale);
  color: var(--muted); margin: 0 0 8px; }
.live.connected::before { content: "● "; color: var(--green); }
.live.reconnecting::before { content: "● "; color: var(--amber); }
.live .new { color: var(--ink); font-weight: 600; margin-left: 6px; }

article.case h1 { overflow-wrap: anywhere; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px 16px; margin: 0 0 12px; }
dl.meta dt { font-size: .8rem; color: var(--muted); }
dl.meta dd { margin: 0; min-width: 0; }
dl.meta div { min-width: 0; }
.review-text { white-space: pre-wrap; background: var(--pale); border-radius: 8px; padding: 12px 14px; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin: 14px 0; }
ol.claims li, ol.timeline li, ul.earlier li, ul.relabels li { margin: .35rem 0; }
ol.timeline li.unchanged { color: var(--muted); }
.note { margin: .2rem 0 0; white-space: pre-wrap; }
.weight.neg { color: var(--red); white-space: nowrap; }
.weight.pos { color: var(--green); white-space: nowrap; }
ul.terms { display: flex; flex-wrap: wrap; gap: 6px 14px; list-style: none; padding: 0; }
.url { overflow-wrap: anywhere; }

.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.tile h3 { margin-top: 0; font-size: .9rem; color: var(--muted); font-weight: 600; }
.tile p { margin: .2rem 0; }
.big { font-size: 1.5rem; font-weight: 700; }
.big.late { color: var(--red); }

svg.chart { width: 100%; height: auto; display: block; }
svg.chart .grid { stroke: #e3e8ee; stroke-width: 1; }
svg.chart .base { stroke: #9aa5b1; stroke-width: 1; }
svg.chart text { font-size: 11px; fill: var(--muted); }
svg.chart text.legend { font-size: 12px; fill: var(--ink); }
svg.chart .s0 { fill: #d64541; } svg.chart .s1 { fill: #1f5fa8; } svg.chart .s2 { fill: #e8a33d; }
svg.chart .s3 { fill: #2e9d5b; } svg.chart .s4 { fill: #7b4fb0; } svg.chart .s5 { fill: #1aa1a8; }
svg.chart .s6 { fill: #b5651d; } svg.chart .s7 { fill: #8a94a3; }

section.login { max-width: 360px; margin: 8vh auto; }
section.login form { display: grid; gap: 12px; }
.error-page { max-width: 560px; margin: 8vh auto; text-align: center; }

@media (max-width: 700px) {
  body { font-size: 16px; }
  main { padding: 10px; }
  form.filters { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 10px; padding: 6px 10px; }
  td { border: 0; padding: 4px 0; }
  td:empty { display: none; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: .75rem; color: var(--muted); }
  td.num { text-align: left; }
  td.mention { min-width: 0; }
  header.top .who { margin-left: 0; }
}
)css";

}  // namespace

std::string_view stylesheet() noexcept { return kCss; }

}  // namespace otklik::web
