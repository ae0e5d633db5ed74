#!/usr/bin/env python3
"""The web inbox in a real browser: headless Chromium against the real daemon.

    tests/browser/web_inbox_test.py [--otklik build/otklik] [--artifacts DIR] [--screenshots DIR] [--keep]

Writes a config in a scratch folder (SQLite state, two RSS sources reading feed files there —
bank reviews in Russian, shop reviews in English, polled every second —, a console channel and a
route, so that negative reviews open cases), adds an agent and a viewer with `otklik user add`,
starts `otklik run` and waits for /readyz. Then, in Chromium (tests/browser/cdp.py):

 1. a wrong password shows the sign-in page again with its error; the agent signs in;
 2. the inbox lists every review of the feeds, and the document carries Server-Timing "app";
 3. the filter form with label = negative keeps the complaints and drops the praise, every row
    badged negative; a search word keeps exactly the reviews holding that word;
 4. a case opened from the search results is taken: its badge turns "taken" and the timeline
    names the agent; "not negative" records the agent's relabel;
 5. a negative review added to a feed file shows at the top of the open inbox without a reload
    (server-sent events), and the row of the relabelled mention shows the team's label;
 6. a viewer, in a browser context of their own, sees the case without any action or relabel
    form, and the server refuses the viewer's POST with 403; the agent signs out.

Screenshots of the inbox, a case, the overview and the inbox at phone width go to --screenshots
(the build's folder under CTest; `--screenshots docs` refreshes the ones docs/ shows). Every step
has a deadline; on a failure the daemon's log is printed and the page saved as
failure-<step>.png under --artifacts. Exit status 0 when every check passed, 1 when one failed, 77
(SKIPPED) when no chromium is installed.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from email.utils import formatdate
from xml.sax.saxutils import escape

# python3-websocket is a Debian package: it is importable by Debian's own interpreter, which may
# not be the first python3 on PATH (pyenv, a virtualenv). Run under that one when needed.
try:
    import websocket  # noqa: F401
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    print("web_inbox_test: python3-websocket is not installed (scripts/setup-deps.sh installs it)", file=sys.stderr)
    sys.exit(1)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SKIP = 77
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
AGENT, VIEWER = "anna", "oleg"
AGENT_PASSWORD, VIEWER_PASSWORD = "correct horse 1", "battery staple 2"
DESKTOP = (1440, 900)
PHONE = (390, 844)

# ---------------------------------------------------------------------------------------------
# The reviews. `kind` is what the text plainly is; the checks only rely on the clear cases.

BANK = [
    ("neg", "Нахамили в отделении", "Ирина К.",
     "Сотрудница в отделении на Ленина нахамила мне и отказалась принять заявление. Просидела в очереди "
     "полтора часа, а потом меня просто выгнали. Ужасное обслуживание, больше сюда не приду."),
    ("neg", "Деньги не вернули третью неделю", "Алексей",
     "С карты дважды списали оплату, магазин подтвердил возврат, а банк деньги так и не вернул. "
     "Поддержка отвечает шаблонами, заявка «в работе» уже три недели. Отвратительно."),
    ("neg", "Приложение вылетает", "Мария С.",
     "После обновления приложение вылетает при запуске, не могу перевести деньги. Горячая линия не "
     "отвечает, всё время занято. Очень плохо, ужасный сервис."),
    ("pos", "Спасибо за быструю помощь", "Павел",
     "Открыл вклад за десять минут, без очереди, менеджер всё понятно объяснила. Отличный сервис, "
     "спасибо большое, очень доволен."),
    ("pos", "Удобное приложение", "Ольга",
     "Приложение удобное и быстрое, переводы проходят мгновенно. Прекрасная работа, рекомендую."),
]

SHOP = [
    ("neg", "Charged twice, no refund", "John D.",
     "They charged my card twice and refused to refund the money. Support never answered my emails. "
     "Terrible service, a total scam, never again."),
    ("neg", "Courier was rude", "Kate",
     "The courier was three hours late, the parcel arrived broken and he was rude to me at the door. "
     "Awful experience, I am furious."),
    ("pos", "Great delivery", "Sam",
     "Quick delivery, the parcel was packed well and the courier was polite. Excellent service, thank you!"),
    ("pos", "Love the pickup point", "Elena",
     "The pickup point is close to home and the staff are friendly and helpful. Wonderful, I recommend it."),
]

CASE_TITLE = "Нахамили в отделении"           # the case the agent takes and relabels
SEARCH_WORD = "очеред"                         # a word prefix: «очереди»
LIVE = ("neg", "Карту заблокировали без объяснений", "Дмитрий",
        "Карту заблокировали без всяких объяснений, в отделении час держали в очереди и нагрубили. "
        "Ужасно, деньги не могу снять уже неделю.")


def feed_xml(title, items):
    """RSS 2.0 of (guid, review, published) items, in the order given."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f"<channel><title>{escape(title)}</title><link>https://reviews.example/</link>\n"]
    for guid, (_, heading, author, text), published in items:
        out.append(f"<item><title>{escape(heading)}</title><link>https://reviews.example/{guid}</link>"
                   f'<guid isPermaLink="false">{guid}</guid><dc:creator>{escape(author)}</dc:creator>'
                   f"<pubDate>{formatdate(published, usegmt=True)}</pubDate>"
                   f"<description>{escape(text)}</description></item>\n")
    out.append("</channel></rss>\n")
    return "".join(out)


def write_atomically(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def has_word_prefix(text, prefix):
    """What the inbox's search matches: a word of the text starting with `prefix` (any case)."""
    return any(w.startswith(prefix.lower()) for w in re.findall(r"\w+", text.lower()))


# ---------------------------------------------------------------------------------------------
# The daemon


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, otklik, work):
        self.otklik = otklik
        self.work = work
        self.metrics_port = free_port()
        self.web_port = free_port()
        self.config = os.path.join(work, "otklik.toml")
        self.log_path = os.path.join(work, "otklik.log")
        self.proc = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.web_port}"

    def write_config(self):
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"""[daemon]
state = "{self.work}/state.db"
listen = "127.0.0.1:{self.metrics_port}"
locale = "en"
timezone = "Europe/Moscow"
log_level = "info"

[web]
listen = "127.0.0.1:{self.web_port}"
# Secure cookies stay on: http://127.0.0.1 is a secure context for Chromium.

[[brand]]
name = "Zvezda"
aliases = ["Звезда", "банк Звезда"]

[[brand]]
name = "Lavka"
aliases = ["Лавка"]

[[source]]
name = "bank-reviews"
type = "rss"
url = "file:feeds/bank.xml"
brand = "Zvezda"
interval = "1s"

[[source]]
name = "shop-reviews"
type = "rss"
url = "file:feeds/shop.xml"
brand = "Lavka"
interval = "1s"

[[channel]]
name = "console"
type = "console"

[[route]]
channel = "console"
min_severity = "low"
""")

    def add_user(self, name, role, password):
        r = subprocess.run([self.otklik, "user", "add", name, "--role", role, "-c", self.config],
                           input=password + "\n", capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"otklik user add {name} --role {role}: exit {r.returncode}\n{r.stdout}{r.stderr}")

    def start(self):
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.otklik, "run", "-c", self.config], stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, cwd=self.work)
        log.close()

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"otklik run exited with status {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        else:
            raise AssertionError(f"/readyz not 200 within {timeout} s")
        while time.monotonic() < deadline:  # the web listener opens with the daemon
            try:
                with socket.create_connection(("127.0.0.1", self.web_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"nothing listens on the web port {self.web_port}")

    def stop(self):
        if not self.proc or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def log_text(self):
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""


# ---------------------------------------------------------------------------------------------
# The steps


class Failed(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failed(message)


ROW_TITLES = "[...document.querySelectorAll('#inbox-rows > tr a.title')].map(a => a.textContent)"


def sign_in(page, base, user, password, timeout=15):
    page.goto(f"{base}/login", timeout)
    page.type_text("input[name=user]", user)
    page.type_text("input[name=password]", password)
    page.click_and_wait("form[action='/login'] button[type=submit]", timeout)


def inbox_titles(page):
    return page.evaluate(ROW_TITLES)


class Run:
    def __init__(self, args, work, daemon, browser):
        self.args = args
        self.work = work
        self.daemon = daemon
        self.browser = browser
        self.page = None
        self.step_name = "start"
        self.timings = []
        self.feeds_at = 0.0

    def step(self, name):
        self.step_name = name
        self.timings.append((name, time.monotonic()))
        print(f"web_inbox_test: {name}", flush=True)

    def shot(self, page, name, full_page=False):
        path = os.path.join(self.args.screenshots, name)
        page.screenshot(path, full_page=full_page)
        print(f"web_inbox_test:   saved {path}", flush=True)

    def run(self):
        base = self.daemon.base
        expected = [it for it in BANK + SHOP]
        negatives = {t for kind, t, _, _ in expected if kind == "neg"}
        positives = {t for kind, t, _, _ in expected if kind == "pos"}

        self.step("sign in as the agent")
        page = self.page = self.browser.new_page(*DESKTOP)
        page.goto(f"{base}/", 15)
        check(page.evaluate("location.pathname") == "/login", f"without a session / went to {page.url}")
        page.type_text("input[name=user]", AGENT)
        page.type_text("input[name=password]", "not the password")
        page.click_and_wait("form[action='/login'] button[type=submit]")
        check(page.count("p.error") == 1, "a wrong password did not show the sign-in error")
        check(page.count("input[name=password]") == 1, "a wrong password left the sign-in page")
        sign_in(page, base, AGENT, AGENT_PASSWORD)
        check(page.evaluate("location.pathname") == "/", f"after sign-in the browser is at {page.url}")

        self.step("the inbox lists every review")
        deadline = time.monotonic() + 30
        while True:
            titles = inbox_titles(page)
            if set(titles) >= {t for _, t, _, _ in expected}:
                break
            if time.monotonic() > deadline:
                raise Failed(f"the inbox shows {sorted(titles)}, not every review of the feeds")
            time.sleep(0.5)
            page.goto(f"{base}/", 15)
        check(page.status() == 200, f"the inbox answered {page.status()}")
        timing = page.server_timing()
        check("app" in timing, f"no Server-Timing 'app' on the inbox (got {timing})")
        check(page.count("#inbox-rows > tr .badge.state-new") >= len(negatives),
              "the complaints' cases are not shown as new")

        self.step("filter by label = negative")
        page.select_option("form.filters select[name=label]", "negative")
        page.click_and_wait("form.filters button[type=submit]")
        check("label=negative" in page.url, f"the filter form went to {page.url}")
        titles = set(inbox_titles(page))
        check(negatives <= titles, f"label=negative lost complaints: {sorted(negatives - titles)}")
        check(not (positives & titles), f"label=negative shows praise: {sorted(positives & titles)}")
        rows = page.count("#inbox-rows > tr")
        check(page.count("#inbox-rows > tr .badge.label-negative") == rows, "a row under label=negative is not negative")

        self.step(f"search for {SEARCH_WORD!r}")
        page.select_option("form.filters select[name=label]", "")
        page.type_text("form.filters input[name=q]", SEARCH_WORD)
        page.press_enter()
        page.wait_for(f"new URLSearchParams(location.search).get('q') === {SEARCH_WORD!r} "
                      "&& document.readyState === 'complete'", 15, "the search results")
        titles = set(inbox_titles(page))
        holding = {t for _, t, _, text in expected if has_word_prefix(t + " " + text, SEARCH_WORD)}
        check(titles == holding, f"searching {SEARCH_WORD!r} shows {sorted(titles)}, expected {sorted(holding)}")
        check(CASE_TITLE in titles, "the case to take is not among the search results")

        self.step("open a case")
        case_link = page.evaluate(f"""[...document.querySelectorAll('#inbox-rows a.title')]
            .filter(a => a.textContent === {CASE_TITLE!r}).map(a => a.getAttribute('href'))[0]""")
        check(case_link and re.fullmatch(r"/case/\d+", case_link), f"the row links to {case_link!r}")
        page.click_and_wait(f"#inbox-rows a.title[href='{case_link}']")
        check(page.evaluate("location.pathname") == case_link, f"the case opened at {page.url}")
        check(page.evaluate("document.querySelector('h1').textContent") == CASE_TITLE, "the case page's title")
        check("app" in page.server_timing(), "no Server-Timing 'app' on the case page")
        check(page.count("dl.meta .badge.state-new") == 1, "the case is not new before it is taken")
        check(page.count("form.actions button[name=action][value=take]") == 1, "the agent has no take button")

        self.step("take the case")
        page.click_and_wait("form.actions button[name=action][value=take]")
        check(page.evaluate("location.pathname") == case_link, f"take went to {page.url}")
        check(page.count("dl.meta .badge.state-taken") == 1, "the case's badge does not say taken")
        actors = page.evaluate("[...document.querySelectorAll('#timeline li')].map(li => li.textContent)")
        check(any(AGENT in a for a in actors), f"the timeline does not name {AGENT}: {actors}")
        check(page.count("form.actions button[name=action][value=take]") == 0, "a taken case still offers take")

        self.step("relabel: not negative")
        page.click_and_wait("form.relabel button[name=label][value=neutral]")
        check(page.evaluate("location.pathname") == case_link, f"relabel went to {page.url}")
        relabels = page.evaluate("[...document.querySelectorAll('ul.relabels li')].map(li => li.textContent)")
        check(len(relabels) == 1 and AGENT in relabels[0], f"the relabel history is {relabels}")
        check(page.count("ul.relabels .badge.label-neutral") == 1, "the relabel is not recorded as neutral")
        check(page.count("form.relabel button[name=label][value=negative]") == 1,
              "after 'not negative' the page does not offer 'this is negative'")
        self.shot(page, "web-case.png", full_page=True)

        self.step("a new alert arrives on the open inbox (server-sent events)")
        page.goto(f"{base}/", 15)
        page.wait_for_selector("#live.connected", 15, "the live feed to connect")
        mention_id = case_link.rsplit("/", 1)[1]
        check(page.count(f"#m-{mention_id} .team") == 1, "the relabelled mention's row does not show the team's label")
        page.evaluate("window.__stillThisPage = 'yes'")
        before = page.count("#inbox-rows > tr")
        append_review(self.work, "bank", BANK, LIVE, self.feeds_at)
        page.wait_for(f"(document.querySelector('#inbox-rows > tr a.title') || {{}}).textContent === {LIVE[1]!r}",
                      30, "the new alert's row at the top of the inbox")
        check(page.evaluate("window.__stillThisPage") == "yes", "the inbox page was reloaded")
        check(page.count("#inbox-rows > tr") == before + 1, "the live row was not added exactly once")
        check(page.count("#inbox-rows > tr.is-new .badge.label-negative") == 1, "the live row is not marked new")
        self.shot(page, "web-inbox.png")

        self.step("the overview")
        check(page.goto(f"{base}/overview", 15) == 200, "the overview did not answer 200")
        check("app" in page.server_timing(), "no Server-Timing 'app' on the overview")
        self.shot(page, "web-overview.png")

        self.step("the inbox at phone width")
        page.set_viewport(*PHONE, scale=2, mobile=True)
        page.goto(f"{base}/", 15)
        width = page.evaluate("document.documentElement.scrollWidth")
        check(width <= PHONE[0], f"the inbox is {width} px wide on a {PHONE[0]} px phone (scrolls sideways)")
        self.shot(page, "web-inbox-phone.png")
        page.set_viewport(*DESKTOP)

        problems = [p for p in page.problems() if "favicon" not in p]
        check(not problems, "the pages reported errors:\n  " + "\n  ".join(problems))

        self.step("a viewer sees the case without actions")
        viewer = self.page = self.browser.new_page(*DESKTOP)
        sign_in(viewer, base, VIEWER, VIEWER_PASSWORD)
        check(viewer.evaluate("location.pathname") == "/", f"the viewer's sign-in went to {viewer.url}")
        check(viewer.goto(f"{base}{case_link}", 15) == 200, "the viewer cannot read the case")
        check(viewer.evaluate("document.querySelector('h1').textContent") == CASE_TITLE, "the viewer's case page")
        check(viewer.count("form.actions") == 0 and viewer.count("button[name=action]") == 0,
              "the viewer sees case buttons")
        check(viewer.count("form.relabel") == 0, "the viewer sees the relabel form")
        status = viewer.evaluate(f"""(async () => {{
            const csrf = document.querySelector('input[name=csrf]').value;
            const r = await fetch({(case_link + '/action')!r}, {{method: 'POST', redirect: 'manual',
                body: new URLSearchParams({{csrf, action: 'take'}})}});
            return r.status;
        }})()""", await_promise=True)
        check(status == 403, f"the viewer's POST to take the case answered {status}, not 403")

        self.step("the agent signs out")
        self.page = page
        page.goto(f"{base}/", 15)
        page.click_and_wait("form[action='/logout'] button[type=submit]")
        page.goto(f"{base}/", 15)
        check(page.evaluate("location.pathname") == "/login", f"after sign-out / went to {page.url}")
        self.step("done")


def feed_items(name, items, now):
    """A feed's reviews, newest first, published 7 minutes apart in the last hour: recent, so the
    source's first poll alerts the negative ones (alert_max_age is 48 h)."""
    return [(f"{name}-{k}", it, now - 60 - 420 * k) for k, it in enumerate(items)]


def write_feeds(work, now):
    os.makedirs(os.path.join(work, "feeds"))
    for name, items in (("bank", BANK), ("shop", SHOP)):
        write_atomically(os.path.join(work, "feeds", name + ".xml"), feed_xml(name, feed_items(name, items, now)))


def append_review(work, name, items, review, now):
    """Rewrites a feed with one more review at the top (a new guid, published just now)."""
    listed = [(f"{name}-live", review, time.time())] + feed_items(name, items, now)
    write_atomically(os.path.join(work, "feeds", name + ".xml"), feed_xml(name, listed))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--otklik", default=os.path.join(REPO, "build", "otklik"))
    ap.add_argument("--artifacts", default=os.path.join(REPO, "build", "browser"),
                    help="where failure screenshots go")
    ap.add_argument("--screenshots", default=None, help="where the page screenshots go (default: --artifacts)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = ap.parse_args()
    args.screenshots = args.screenshots or args.artifacts

    if not cdp.find_chromium():
        print("web_inbox_test: SKIPPED: no chromium (scripts/setup-deps.sh installs it)")
        return SKIP
    if not os.access(args.otklik, os.X_OK):
        print(f"web_inbox_test: no otklik binary at {args.otklik} (scripts/build.sh)", file=sys.stderr)
        return 1
    os.makedirs(args.artifacts, exist_ok=True)
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="otklik-browser.")
    daemon = Daemon(os.path.abspath(args.otklik), work)
    browser = None
    run = None
    status = 1
    try:
        feeds_at = time.time()
        write_feeds(work, feeds_at)
        daemon.write_config()
        daemon.add_user(AGENT, "agent", AGENT_PASSWORD)
        daemon.add_user(VIEWER, "viewer", VIEWER_PASSWORD)
        daemon.start()
        daemon.wait_ready(30)
        browser = cdp.Browser.launch(work)
        run = Run(args, work, daemon, browser)
        run.feeds_at = feeds_at
        run.run()
        status = 0
    except (Failed, AssertionError, cdp.CdpError) as e:
        step = run.step_name if run else "setup"
        print(f"\nweb_inbox_test: FAILED at '{step}': {e}", file=sys.stderr)
        traceback.print_exc()
        if run and run.page:
            path = os.path.join(args.artifacts, "failure-" + re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-") + ".png")
            try:
                run.page.screenshot(path, full_page=True)
                print(f"web_inbox_test: the page at {run.page.url} is saved as {path}", file=sys.stderr)
                print(f"web_inbox_test: page problems: {run.page.problems()}", file=sys.stderr)
            except cdp.CdpError as shot_error:
                print(f"web_inbox_test: no failure screenshot: {shot_error}", file=sys.stderr)
    finally:
        if browser:
            browser.close()
        code = daemon.stop()
        if status == 0 and code not in (0, None):
            print(f"web_inbox_test: FAILED: otklik run exited with status {code} on SIGTERM", file=sys.stderr)
            status = 1
        if status != 0:
            print("----- otklik log -----", file=sys.stderr)
            print(daemon.log_text()[-20000:], file=sys.stderr)
            print("----- end of log -----", file=sys.stderr)
        if args.keep:
            print(f"web_inbox_test: scratch folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if run and status == 0:
        steps = run.timings + [("end", time.monotonic())]
        for (name, t0), (_, t1) in zip(steps, steps[1:]):
            print(f"web_inbox_test:   {t1 - t0:6.2f} s  {name}")
    print(f"web_inbox_test: {'passed' if status == 0 else 'FAILED'} in {time.monotonic() - started:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
