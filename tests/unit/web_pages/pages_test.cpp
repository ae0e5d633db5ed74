// What each page shows and offers, by role and state.
#include "daemon/web/pages/pages.hpp"
#include "tests/unit/web_pages/html_inspect.hpp"
#include "tests/unit/web_pages/page_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace otklik;
using namespace otklik::web;
using namespace otklik::web::test;
using namespace std::chrono_literals;

namespace {

bool has(const std::string& html, const std::string& what) { return html.find(what) != std::string::npos; }

int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

/// The values of the `name` buttons of forms posting to `action`.
std::vector<std::string> buttons(const std::string& html, const std::string& action) {
  const auto doc = inspect_html(html);
  std::vector<std::string> out;
  bool inside = false;
  for (const auto& e : doc.elements) {
    if (e.name == "form") inside = e.attribute("action") && *e.attribute("action") == action;
    if (inside && e.name == "button" && e.attribute("value")) out.push_back(*e.attribute("value"));
  }
  return out;
}

/// Every POST form carries the CSRF token.
void check_csrf(const std::string& html, const std::string& token) {
  const auto doc = inspect_html(html);
  int forms = 0, fields = 0;
  for (const auto& e : doc.elements) {
    if (e.name == "form" && e.attribute("method") && *e.attribute("method") == "post") ++forms;
    if (e.name == "input" && e.attribute("name") && *e.attribute("name") == "csrf") {
      CHECK(*e.attribute("value") == token);
      ++fields;
    }
  }
  CHECK(forms == fields);
}

PageContext ctx(WebRole role = WebRole::agent, Locale l = Locale::ru) {
  PageContext c;
  c.user = "anna";
  c.role = role;
  c.csrf = "tok123";
  c.locale = l;
  c.zone = TimeZone::fixed("Europe/Moscow", 3h);
  return c;
}

}  // namespace

TEST_CASE("the layout: navigation by role, sign-out forms, assets, no inline code", "[web][pages]") {
  auto c = ctx(WebRole::viewer);
  c.nav = NavItem::sources;
  const auto html = render_sources_page(c, {});
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(has(html, R"(<html lang="ru">)"));
  CHECK(has(html, R"(<link rel="stylesheet" href="/static/otklik.css">)"));
  CHECK(has(html, R"(<script src="/static/otklik.js" defer></script>)"));
  CHECK(has(html, R"(<a href="/sources" aria-current="page">Источники</a>)"));
  CHECK_FALSE(has(html, R"(href="/users")"));
  CHECK(has(html, R"(action="/logout")"));
  CHECK(has(html, R"(action="/logout/all")"));
  CHECK(has(html, "Выйти везде"));
  CHECK(has(html, "Europe/Moscow"));
  check_csrf(html, "tok123");
  CHECK(has(render_sources_page(ctx(WebRole::admin, Locale::en), {}), R"(<a href="/users">Users</a>)"));
  // Nobody signed in: no navigation, no sign-out.
  PageContext nobody;
  const auto login = render_login_page(nobody, {});
  CHECK_FALSE(has(login, "<nav>"));
  CHECK_FALSE(has(login, "/logout"));
}

TEST_CASE("every page parses and keeps the CSP in both languages", "[web][pages]") {
  for (Locale l : {Locale::ru, Locale::en}) {
    const auto c = ctx(WebRole::admin, l);
    const std::string pages[] = {
        render_login_page(c, login_with("anna")),  render_inbox_page(c, inbox_with("x")),
        render_inbox_page(c, {}),                  render_case_page(c, case_with("x")),
        render_sources_page(c, sources_with("x")), render_overview_page(c, overview_with("x")),
        render_overview_page(c, {}),               render_digests_page(c, digests_with("x")),
        render_digests_page(c, {}),                render_users_page(c, users_with("x")),
        render_users_page(c, {}),                  render_error_page(c, 404),
    };
    for (const auto& html : pages) {
      const auto doc = inspect_html(html);
      CHECK(doc.errors == std::vector<std::string>{});
      CHECK(violations(doc) == std::vector<std::string>{});
      check_csrf(html, "tok123");
    }
  }
}

TEST_CASE("the login page", "[web][pages]") {
  PageContext c;
  c.locale = Locale::en;
  const auto html = render_login_page(c, {"anna", LoginError::too_many_attempts, "/case/5"});
  CHECK(has(html, "Too many attempts"));
  CHECK(has(html, R"(name="user" value="anna")"));
  CHECK(has(html, R"(name="next" value="/case/5")"));
  CHECK_FALSE(has(html, R"(name="csrf")"));
  for (const char* next : {"https://evil.example", "//evil.example", "/\\evil.example", "case/5"})
    CHECK_FALSE(has(render_login_page(c, {"", LoginError::none, next}), R"(name="next")"));
  c.csrf = "pre";
  CHECK(has(render_login_page(c, {}), R"(name="csrf" value="pre")"));
}

TEST_CASE("the inbox keeps the filter, shows counts and rows", "[web][pages]") {
  auto v = inbox_with("x");
  v.filter.to = TimePoint{std::chrono::seconds{1796590800}};  // 2026-12-06 21:00 UTC: the 7th at 00:00 in Moscow
  v.filter.text = "очередь \"касса\"";
  const auto html = render_inbox_page(ctx(), v);
  CHECK(has(html, R"(<option value="x" selected>x</option>)"));
  CHECK(has(html, "Негатив (10\u00A0000+)"));
  CHECK(has(html, "Нейтрально (12)"));
  CHECK(has(html, "Новый (3)"));
  CHECK(has(html, "<span class=\"count\">10\u00A0000+</span>"));
  CHECK(has(html, R"(name="q" value="очередь &quot;касса&quot;")"));
  CHECK(has(html, R"(name="to" value="2026-12-06")"));
  CHECK(has(html, R"(name="from" value="2026-12-03")"));
  CHECK(has(html, R"(name="rating_min" min="0" max="5" step="0.5" value="1")"));
  CHECK(has(html, R"(name="rating_max" min="0" max="5" step="0.5" value="4.5")"));
  CHECK(has(html, R"(<option value="negative" selected>)"));
  // Rows in the given order, linking their case.
  CHECK(html.find(R"(id="m-7")") < html.find(R"(id="m-6")"));
  CHECK(has(html, R"(href="/case/7")"));
  CHECK(has(html, R"(<a class="older" rel="next" href="/?x">)"));
  CHECK(has(html, R"(<tbody id="inbox-rows" data-live="1">)"));
  CHECK(has(html, R"(data-events="/events")"));
  CHECK(has(html, "Ожидание"));                // a topic id shown by its name
  CHECK(has(html, "Команда: Нейтрально"));      // the team's relabel

  InboxView empty;
  const auto none = render_inbox_page(ctx(WebRole::viewer, Locale::en), empty);
  CHECK(has(none, "Nothing matches."));
  CHECK(has(none, "0 mentions"));
  CHECK_FALSE(has(none, "data-live"));
  CHECK_FALSE(has(none, "class=\"older\""));
  CHECK(has(none, R"(<option value="" selected>Any</option>)"));
}

TEST_CASE("an inbox row shortens the text and names the state", "[web][pages]") {
  auto row = row_with("x");
  row.title.clear();
  row.text = std::string(500, 'a');
  row.case_state = "taken";
  row.severity = "high";
  const auto html = render_inbox_row(row, ctx(WebRole::viewer, Locale::en));
  CHECK(has(html, std::string(280, 'a') + "…</p>"));
  CHECK_FALSE(has(html, std::string(281, 'a')));
  CHECK(has(html, R"(<span class="badge state-taken">Taken</span>)"));
  CHECK(has(html, R"(<span class="badge sev-high">High</span>)"));
  CHECK(has(html, R"(<time datetime="2026-12-06T12:00:00Z">2026-12-06 15:00</time>)"));
  CHECK(has(html, R"(aria-label="1.5 / 5")"));
}

TEST_CASE("case buttons follow the state and the role", "[web][pages]") {
  struct Case {
    CaseState state;
    std::vector<std::string> actions;
  };
  const Case cases[] = {
      {CaseState::fresh, {"take", "answer", "dismiss"}},
      {CaseState::taken, {"answer", "dismiss"}},
      {CaseState::answered, {"resolve"}},
      {CaseState::resolved, {"reopen"}},
      {CaseState::dismissed, {"reopen"}},
  };
  for (const auto& c : cases) {
    INFO(to_string(c.state));
    for (WebRole role : {WebRole::agent, WebRole::admin}) {
      const auto html = render_case_page(ctx(role), case_with("x", c.state));
      CHECK(buttons(html, "/case/42/action") == c.actions);
      check_csrf(html, "tok123");
    }
    const auto viewer = render_case_page(ctx(WebRole::viewer), case_with("x", c.state));
    CHECK(buttons(viewer, "/case/42/action").empty());
    CHECK(buttons(viewer, "/case/42/relabel").empty());
    CHECK_FALSE(has(viewer, "<textarea"));
  }
}

TEST_CASE("the case page shows the review, why, the author's history and the timeline", "[web][pages]") {
  auto v = case_with("x");
  v.mention.mention.title = "Очередь";
  v.mention.mention.text = "Стояли 40 минут.\nКасса одна.";
  v.mention.mention.url = "https://yandex.ru/maps/org/1";
  // Offsets are bytes of the scored text: the title, a newline, then the text.
  const std::string scored = scored_text(v.mention.mention);
  const std::size_t second = scored.find("Стояли"), third = scored.find("Касса");
  v.mention.sentiment.sentences = {{0, second - 1, -0.1, Label::negative},
                                   {second, third - 1, -0.9, Label::negative},
                                   {third, scored.size(), 0.1, Label::neutral}};
  const auto html = render_case_page(ctx(WebRole::agent), v);
  CHECK(has(html, "<h1>Очередь</h1>"));
  CHECK(has(html, "<div class=\"review-text\">Стояли 40 минут.\nКасса одна.</div>"));
  CHECK(has(html, R"(<a href="https://yandex.ru/maps/org/1" rel="noopener noreferrer nofollow" target="_blank">)"));
  CHECK(has(html, R"(<ol class="claims"><li>x)"));
  CHECK(has(html, "Почему такая оценка"));
  CHECK(has(html, R"(<span class="term">x</span> <span class="weight neg">−0.60</span>)"));
  // The most negative sentence first; neutral ones are not reasons.
  CHECK(html.find("<q>Стояли 40 минут.</q>") != std::string::npos);
  CHECK(html.find("<q>Стояли 40 минут.</q>") < html.find("<q>Очередь</q>"));
  CHECK_FALSE(has(html, "<q>Касса"));
  CHECK(has(html, "Как в прошлый раз"));
  CHECK(has(html, "<strong>3 негативных отзыва за 30 дней</strong>"));
  CHECK(has(html, R"(<div class="repeat">Снова о том же: <ul class="chips"><li>x</li></ul></div>)"));
  CHECK(has(html, R"(href="/case/41")"));
  CHECK(has(html, "Эскалация: Беру, шаг 1"));
  CHECK(has(html, "без изменений"));
  CHECK(has(html, "Ответ компании"));
  // The team said "neutral": the offer is to mark it negative again.
  CHECK(buttons(html, "/case/42/relabel") == std::vector<std::string>{"negative"});
  CHECK(has(html, R"(<form class="reply" method="post" action="/case/42/reply">)"));
  CHECK(count(html, "<textarea") == 1);

  v.relabels.clear();
  v.reply.reset();
  const auto plain = render_case_page(ctx(WebRole::agent), v);
  CHECK(buttons(plain, "/case/42/relabel") == std::vector<std::string>{"neutral"});
  CHECK_FALSE(has(plain, "<textarea"));

  v.record.reset();
  v.events.clear();
  const auto no_case = render_case_page(ctx(WebRole::agent, Locale::en), v);
  CHECK(has(no_case, "No case was opened."));
  CHECK(buttons(no_case, "/case/42/action").empty());
}

TEST_CASE("sources: broken first, poll now for admins", "[web][pages]") {
  auto v = sources_with("zz broken/one");
  const auto html = render_sources_page(ctx(WebRole::admin, Locale::en), v);
  const auto broken = html.find("zz broken/one</strong>");
  const auto failing = html.find("b-failing</strong>");
  const auto ok = html.find("a-ok</strong>");
  CHECK(broken < failing);
  CHECK(failing < ok);
  CHECK(has(html, R"(action="/sources/zz%20broken%2Fone/poll")"));
  CHECK(has(html, R"(action="/sources/a-ok/poll")"));
  CHECK(has(html, "12,345"));
  CHECK(has(html, "never"));
  v.can_poll = false;
  CHECK_FALSE(has(render_sources_page(ctx(WebRole::agent), v), "/poll"));
}

TEST_CASE("the overview draws four charts and the figures", "[web][pages]") {
  auto v = overview_with("rocket");
  v.to_answer = summarise_durations({5h});
  const auto html = render_overview_page(ctx(WebRole::viewer, Locale::en), v);
  CHECK(count(html, "<svg ") == 4);
  CHECK(has(html, "Negatives per day"));
  CHECK(has(html, "Negatives per week"));
  CHECK(has(html, "Topics of negatives per day"));
  CHECK(has(html, "Top topics"));
  CHECK(has(html, R"(<span class="big late">5h</span>)"));   // over the 4h deadline
  CHECK(has(html, R"(<span class="big">5m</span>)"));
  CHECK(has(html, R"(<span class="big late">1</span>)"));    // one overdue
  const auto empty = render_overview_page(ctx(WebRole::viewer, Locale::en), {});
  CHECK(count(empty, "<svg ") == 0);
  CHECK(count(empty, "No data.") == 6);
}

TEST_CASE("digests and users", "[web][pages]") {
  const auto digests = render_digests_page(ctx(WebRole::viewer, Locale::en), digests_with("2026-W49"));
  CHECK(has(digests, R"(<a href="/digest/2026-W49">2026-W49</a>)"));
  CHECK(has(digests, R"(<a class="button" href="/digest/preview">)"));
  CHECK(has(digests, "digest-failed"));
  const auto users = render_users_page(ctx(WebRole::admin, Locale::en), users_with("boris"));
  CHECK(has(users, "<strong>boris</strong>"));
  CHECK(has(users, "Admin"));
  CHECK(has(users, "Viewer"));
}

TEST_CASE("error pages say what happened", "[web][pages]") {
  CHECK(has(render_error_page(ctx(), 403), "Нет доступа."));
  CHECK(has(render_error_page(ctx(WebRole::viewer, Locale::en), 404), "<h1>404</h1><p>Page not found.</p>"));
  CHECK(has(render_error_page(ctx(WebRole::viewer, Locale::en), 500), "Something went wrong"));
  CHECK(has(render_error_page(ctx(WebRole::viewer, Locale::en), 400, "bad form"), "bad form"));
}

TEST_CASE("the script and the stylesheet", "[web][pages]") {
  const std::string js(script());
  CHECK(has(js, "new EventSource(url)"));
  CHECK(has(js, "addEventListener('alert'"));
  CHECK(has(js, "addEventListener('reload'"));  // a page that fell behind loads anew
  CHECK(has(js, "EventSource.CLOSED"));
  CHECK_FALSE(has(js, "eval("));
  CHECK_FALSE(has(js, "new Function"));
  CHECK_FALSE(has(js, "document.write"));
  const std::string css(stylesheet());
  CHECK(has(css, "@media (max-width: 700px)"));
  CHECK(has(css, "td[data-label]::before"));
  CHECK_FALSE(has(css, "@import"));
  CHECK_FALSE(has(css, "@font-face"));
  CHECK_FALSE(has(css, "url("));
  for (int i = 0; i < 8; ++i) CHECK(has(css, ".s" + std::to_string(i) + " { fill:"));
}
