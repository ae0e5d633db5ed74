#!/usr/bin/env python3
"""The web inbox benchmark's driver: the daemon on a seeded state file, its pages timed.

    bench/web/inbox_bench.py --otklik build/otklik --db STATE.db [--requests 200] [--pages 50]
                             [--sse 50] [--work DIR]

Writes a config in --work (the state file --db; the web inbox on a free port; one rss source
reading a file there, whose first poll is a silent baseline, and a console channel with a route,
so that one alert can be raised on demand), adds an admin user, starts `otklik run` and signs in
over HTTP. Then, one request at a time on one keep-alive connection (a user clicking), for each
page below --requests times after 5 unmeasured warm-up requests: the server's own time (the
Server-Timing header's `app;dur`) and the time this client saw (request sent → body read), p50 and
p99 of each, the server's time of the row's very first request (before anything could be reused),
and the rows and the count the page showed:

  the newest inbox page · label=negative · one brand · state=new · one topic · full-text search
  for a common word, a rare word and two words · deep paging (the "older" link followed --pages
  times from the newest page, again and again) · a case page (a different case each time) · the
  overview.

Then --sse clients open /events at once: the daemon's VmRSS (/proc/PID/status) before and after,
and a negative review added to the source's file: how many clients received its `alert` event
and how long after the file was written. Prints a markdown table. Python 3's standard library
only.
"""

import argparse
import http.client
import math
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from email.utils import formatdate

USER, PASSWORD = "bench", "bench password 1"
TIMING_RE = re.compile(r"(?:^|,)\s*app\s*;(?:[^,]*;)?\s*dur=([0-9.]+)")
COUNT_RE = re.compile(r'<span class="count">(.*?)</span>')
ROW_RE = re.compile(r'<tr id="m-(\d+)"')
OLDER_RE = re.compile(r'<a class="older"[^>]*href="([^"]+)"')
CSRF_RE = re.compile(r'name="csrf" value="([^"]*)"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, q):
    """Nearest-rank percentile."""
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def feed(items):
    out = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title>'
           "<link>https://reviews.example/</link>"]
    for guid, title, text, published in items:
        out.append(f"<item><title>{title}</title><link>https://reviews.example/{guid}</link><guid>{guid}</guid>"
                   f"<pubDate>{formatdate(published, usegmt=True)}</pubDate><description>{text}</description></item>")
    out.append("</channel></rss>\n")
    return "".join(out)


OLD_ITEM = ("old-1", "Review", "An ordinary branch, a short queue.", time.time() - 40 * 86400)
LIVE_ITEM = ("live-1", "Complaint", "They charged my card twice and refused to refund the money. Terrible "
             "service, support never answers. Never again.")


def write_file(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


class Client:
    """One keep-alive HTTP/1.1 connection with the session cookie, as a browser tab would use."""

    def __init__(self, port):
        self.port = port
        self.conn = None
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        hdrs = {"Accept": "text/html", "Accept-Encoding": "identity"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        hdrs.update(headers or {})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                self.conn.connect()
                # As browsers do: no Nagle delay on the request's packets.
                self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=body, headers=hdrs)
                r = self.conn.getresponse()
                data = r.read()
                elapsed = (time.perf_counter() - t0) * 1000.0
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            for value in r.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if r.headers.get("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return r, data.decode("utf-8", "replace"), elapsed
        raise AssertionError("unreachable")


def server_ms(response):
    m = TIMING_RE.search(response.headers.get("Server-Timing") or "")
    return float(m.group(1)) if m else None


class Daemon:
    def __init__(self, otklik, db, work):
        self.otklik, self.db, self.work = otklik, os.path.abspath(db), work
        self.metrics_port, self.web_port = free_port(), free_port()
        self.config = os.path.join(work, "otklik.toml")
        self.feed = os.path.join(work, "live.xml")
        self.log = os.path.join(work, "otklik.log")
        self.proc = None

    def write_config(self):
        write_file(self.feed, feed([OLD_ITEM]))
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(f"""[daemon]
state = "{self.db}"
listen = "127.0.0.1:{self.metrics_port}"
locale = "en"
log_level = "warn"

[web]
listen = "127.0.0.1:{self.web_port}"
max_live_clients = 200

[[source]]
name = "live"
type = "rss"
url = "file:{self.feed}"
interval = "1s"

[[channel]]
name = "console"
type = "console"

[[route]]
channel = "console"
min_severity = "low"
""")

    def add_user(self):
        r = subprocess.run([self.otklik, "user", "add", USER, "--role", "admin", "-c", self.config],
                           input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
        if r.returncode != 0 and "taken" not in (r.stdout + r.stderr) and "exists" not in (r.stdout + r.stderr):
            sys.exit(f"inbox_bench: otklik user add: exit {r.returncode}\n{r.stdout}{r.stderr}")

    def start(self, timeout=120):
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([self.otklik, "run", "-c", self.config], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"inbox_bench: otklik run exited with {self.proc.returncode}; log: {self.log}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.metrics_port, timeout=2)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    c.close()
                    return
                c.close()
            except OSError:
                pass
            time.sleep(0.2)
        sys.exit("inbox_bench: /readyz not 200 in time")

    def rss_kib(self):
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def sign_in(client):
    r, body, _ = client.request("GET", "/login")
    fields = {"user": USER, "password": PASSWORD, "next": "/"}
    m = CSRF_RE.search(body)
    if m:
        fields["csrf"] = m.group(1)
    r, body, _ = client.request("POST", "/login", body=urllib.parse.urlencode(fields))
    if r.status not in (302, 303) or not client.cookies:
        sys.exit(f"inbox_bench: sign-in answered {r.status}: {body[:300]}")


class Series:
    def __init__(self, name, path_shown, expect='id="inbox-rows"'):
        self.name, self.path_shown, self.expect = name, path_shown, expect
        self.server, self.client, self.rows, self.count, self.errors = [], [], [], "", 0
        self.first = None   # the server time of the row's first request (nothing reused yet)

    def add(self, response, body, elapsed):
        """Counts a 200 answer holding the page's mark (else an error)."""
        if response.status != 200 or self.expect not in body:
            self.errors += 1
            return
        s = server_ms(response)
        if s is not None:
            self.server.append(s)
        self.client.append(elapsed)
        self.rows.append(len(ROW_RE.findall(body)))
        m = COUNT_RE.search(body)
        if m and not self.count:
            self.count = re.sub(r"<[^>]+>", "", m.group(1)).replace("\u00a0", " ").replace("\u202f", " ")


def measure(client, name, paths, requests, warmup=5, expect='id="inbox-rows"'):
    """`paths`: one path, or a function of the request's index giving one; `expect`: what every
    answer must hold to count (the page's own mark)."""
    at = (lambda i: paths) if isinstance(paths, str) else paths
    series = Series(name, at(0), expect)
    for i in range(warmup + requests):
        try:
            answer = client.request("GET", at(i))
        except (http.client.HTTPException, OSError) as e:
            print(f"inbox_bench: {name}: {at(i)}: {e}", file=sys.stderr)
            series.errors += 1
            continue
        if i == 0:
            series.first = server_ms(answer[0])
        if i >= warmup:
            series.add(*answer)
    return series


def measure_paging(client, pages, requests):
    """Follows the "older" link `pages` times from the newest page, as many chains as needed."""
    if pages < 1:
        sys.exit("inbox_bench: --pages must be at least 1")
    series = Series(f"deep paging ({pages} pages)", f"/ → older × {pages}")
    last = Series(f"page {pages} alone", "")
    series.first = server_ms(client.request("GET", "/")[0])
    while len(series.client) + series.errors < requests:
        path = "/"
        for depth in range(pages + 1):
            r, body, elapsed = client.request("GET", path)
            if depth > 0:
                series.add(r, body, elapsed)
            if depth == pages:
                last.add(r, body, elapsed)
                last.path_shown = path
                break
            m = OLDER_RE.search(body)
            if not m:
                sys.exit(f"inbox_bench: no older link at depth {depth} (status {r.status})")
            path = m.group(1).replace("&amp;", "&")
    return series, last


class SseClient(threading.Thread):
    def __init__(self, port, cookie):
        super().__init__(daemon=True)
        self.port, self.cookie = port, cookie
        self.status = None
        self.alert_at = None
        self.connected = threading.Event()
        self.stop = False

    def run(self):
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=120)
            sock.sendall((f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: text/event-stream\r\n"
                          f"Cookie: {self.cookie}\r\n\r\n").encode())
            buf = b""
            while b"\r\n\r\n" not in buf:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                buf += chunk
            head, _, buf = buf.partition(b"\r\n\r\n")
            self.status = int(head.split(b" ", 2)[1]) if head else 0
            self.connected.set()
            sock.settimeout(1)
            while not self.stop and self.alert_at is None:
                if b"event: alert" in buf or b"event:alert" in buf:
                    self.alert_at = time.monotonic()
                    break
                try:
                    chunk = sock.recv(65536)
                except socket.timeout:
                    continue
                if not chunk:
                    break
                buf += chunk
            sock.close()
        except OSError:
            self.status = self.status or -1
            self.connected.set()


def measure_sse(daemon, client, count, deadline=60):
    before, _ = daemon.rss_kib()
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    clients = [SseClient(daemon.web_port, cookie) for _ in range(count)]
    for c in clients:
        c.start()
    for c in clients:
        c.connected.wait(30)
    time.sleep(2)
    after, peak = daemon.rss_kib()
    open_ok = sum(1 for c in clients if c.status == 200)
    written = time.monotonic()
    write_file(daemon.feed, feed([(*LIVE_ITEM, time.time()), OLD_ITEM]))
    end = time.monotonic() + deadline
    while time.monotonic() < end and any(c.alert_at is None and c.is_alive() for c in clients):
        time.sleep(0.1)
    for c in clients:
        c.stop = True
    got = [c.alert_at - written for c in clients if c.alert_at is not None]
    return {"before_kib": before, "after_kib": after, "peak_kib": peak, "open": open_ok, "received": len(got),
            "latency_p50": statistics.median(got) if got else None, "latency_max": max(got) if got else None}


def fmt_ms(values, q):
    return f"{percentile(values, q):.1f}" if values else "—"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--otklik", required=True)
    ap.add_argument("--db", required=True, help="a state file seeded by seed_inbox")
    ap.add_argument("--work", required=True, help="a scratch folder (config, log, feed)")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--sse", type=int, default=50)
    args = ap.parse_args()

    with sqlite3.connect(f"file:{os.path.abspath(args.db)}?mode=ro", uri=True) as db:
        mentions = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        case_ids = [r[0] for r in db.execute("SELECT mention_id FROM cases ORDER BY random() LIMIT ?",
                                             (args.requests + 10,))]
        brand = db.execute("SELECT brand FROM mentions WHERE id = (SELECT max(id) FROM mentions)").fetchone()[0]
    if not case_ids:
        sys.exit("inbox_bench: the state file holds no cases (seed it with seed_inbox)")
    daemon = Daemon(os.path.abspath(args.otklik), args.db, args.work)
    daemon.write_config()
    daemon.add_user()
    t0 = time.monotonic()
    daemon.start()
    started = time.monotonic() - t0
    try:
        client = Client(daemon.web_port)
        sign_in(client)
        rss_start, _ = daemon.rss_kib()
        q = urllib.parse.quote
        words = {"common": "приложение", "rare": "Кривоколенного", "pair": "карту заблокировали"}
        plan = [
            ("newest inbox page", "/"),
            ("label=negative", "/?label=negative"),
            (f"brand={brand}", f"/?brand={q(brand)}"),
            ("state=new", "/?state=new"),
            ("topic=waiting", "/?topic=waiting"),
            (f"search, common word «{words['common']}»", f"/?q={q(words['common'])}"),
            (f"search, rare word «{words['rare']}»", f"/?q={q(words['rare'])}"),
            (f"search, two words «{words['pair']}»", f"/?q={q(words['pair'])}"),
        ]
        results = []
        for name, path in plan:
            results.append(measure(client, name, path, args.requests))
            print(f"inbox_bench: {name} done", file=sys.stderr, flush=True)
        paging, last = measure_paging(client, args.pages, args.requests)
        results += [paging, last]
        print("inbox_bench: paging done", file=sys.stderr, flush=True)
        results.append(measure(client, "case page", lambda i: f"/case/{case_ids[i % len(case_ids)]}", args.requests,
                               expect='<article class="case">'))
        results.append(measure(client, "overview", "/overview", args.requests, expect="<svg"))
        print("inbox_bench: pages done", file=sys.stderr, flush=True)
        sse = measure_sse(daemon, client, args.sse)
    finally:
        daemon.stop()

    print(f"\n### Web inbox at {mentions:,} mentions\n")
    print(f"Daemon started (to /readyz) in {started:.1f} s; RSS after sign-in {rss_start / 1024:.1f} MiB. "
          f"{args.requests} requests per row after 5 warm-up requests, one at a time on one keep-alive "
          "connection; server = the Server-Timing `app` duration, client = request sent → body read; "
          "first = the server time of the row's first (unmeasured) request.\n")
    print("| Page | Rows | Count shown | Server first ms | Server p50 ms | Server p99 ms | Client p50 ms | "
          "Client p99 ms | Errors |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for s in results:
        rows = statistics.median(s.rows) if s.rows else 0
        first = f"{s.first:.1f}" if s.first is not None else "—"
        print(f"| {s.name} | {rows:.0f} | {s.count or '—'} | {first} | {fmt_ms(s.server, 0.5)} | "
              f"{fmt_ms(s.server, 0.99)} | {fmt_ms(s.client, 0.5)} | {fmt_ms(s.client, 0.99)} | {s.errors} |")
    print(f"\n{args.sse} clients on /events: {sse['open']} answered 200; daemon RSS "
          f"{sse['before_kib'] / 1024:.1f} MiB before, {sse['after_kib'] / 1024:.1f} MiB with them open "
          f"(+{(sse['after_kib'] - sse['before_kib']) / 1024:.1f} MiB), peak {sse['peak_kib'] / 1024:.1f} MiB. "
          f"One new negative review: {sse['received']} of {args.sse} clients received its alert"
          + (f", p50 {sse['latency_p50']:.2f} s, last {sse['latency_max']:.2f} s after the file was written "
             "(source interval 1 s)." if sse["received"] else "."))
    missing = [s.name for s in results if not s.server]
    if missing:
        print(f"\nNo Server-Timing `app` header on: {', '.join(missing)}")
    bad = sum(s.errors for s in results)
    return 1 if bad or sse["received"] < sse["open"] else 0


if __name__ == "__main__":
    sys.exit(main())
