#!/usr/bin/env python3
"""Event-loop stall benchmark: how long one huge poll holds the daemon's event loop.

    bench/daemon/stall.py [--items 10000,100000] [--otklik build/otklik] [--out FILE] [--keep]

For each size N: a feed on 127.0.0.1 first serves 10 recent reviews (the source's silent first
poll), then — like a site that suddenly serves its whole archive — N recent reviews (RSS 2.0,
short texts in English and Russian, ~30 % negative). While Otklik parses, scores, understands and
stores that poll, a prober asks GET /healthz every 50 ms (each answer waits on the event loop)
and a second, small source is polled every second. Reported per N: the feed's size, how long the
big poll took, the longest and the 99th-percentile /healthz latency (target: under 100 ms),
probes over 100 ms, the small source's polls during the big one, and the webhook posts (the
per-poll alert cap keeps them at `max_alerts_per_poll` + one notice).

Needs build/otklik (scripts/build.sh) and python3; nothing else (the feeds and the webhook sink
are served by this script). Prints a table; --out writes the figures as JSON.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email.utils import formatdate
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "load"))
import reviews  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PROBE_EVERY = 0.05
TARGET_MS = 100


def feed_xml(count, seed, now):
    """RSS 2.0 with `count` items published in the last hours, newest first."""
    rng = random.Random(seed)
    business = reviews.BUSINESSES[1]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
             f"<title>Reviews: {escape(business[1])}</title><link>http://reviews.example/</link>\n"]
    for k in range(count):
        _, _, title, text, author = reviews.review(rng, business, lo=60, hi=200)
        published = now - 60 - k * (3600.0 / max(count, 1))
        parts.append(f"<item><title>{escape(title)}</title><link>http://reviews.example/r/{seed}-{k}</link>"
                     f"<guid>{seed}-{k}</guid><pubDate>{formatdate(published, usegmt=True)}</pubDate>"
                     f"<author>r@reviews.example ({escape(author)})</author>"
                     f"<description>{escape(text)}</description></item>\n")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """Serves DIR over HTTP; counts GETs per path and webhook POSTs to /sink."""

    def __init__(self, root):
        site = self
        self.gets = []
        self.posts = 0
        self.lock = threading.Lock()

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=root, **kw)

            def do_GET(self):
                with site.lock:
                    site.gets.append((time.monotonic(), self.path))
                super().do_GET()

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(n)
                with site.lock:
                    site.posts += 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def gets_of(self, path, since):
        with self.lock:
            return sum(1 for t, p in self.gets if p == path and t >= since)

    def stop(self):
        self.server.shutdown()


class Prober:
    """GET /healthz every 50 ms (a new request only after the previous answer); keeps latencies."""

    def __init__(self, url):
        self.url = url
        self.samples = []  # (monotonic start, seconds)
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop_flag.is_set():
            start = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=120) as r:
                    r.read()
                latency = time.monotonic() - start
            except OSError:
                latency = time.monotonic() - start
            self.samples.append((start, latency))
            time.sleep(max(0.0, PROBE_EVERY - latency))

    def stop(self):
        self.stop_flag.set()
        self.thread.join()


def polls_ok(metrics_url, source):
    try:
        with urllib.request.urlopen(metrics_url, timeout=120) as r:
            text = r.read().decode()
    except OSError:
        return 0
    total = 0
    for line in text.splitlines():
        if line.startswith("otklik_source_polls_total{") and f'source="{source}"' in line and 'result="ok"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def wait_for(pred, timeout, step=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return False


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0.0


def run_one(otklik, items, keep):
    work = tempfile.mkdtemp(prefix="otklik-stall.")
    www = os.path.join(work, "www")
    os.makedirs(www)
    now = time.time()
    big = feed_xml(items, seed=items, now=now)
    with open(os.path.join(www, "big.xml"), "wb") as f:
        f.write(feed_xml(10, seed=1, now=now - 30 * 86400))  # old: the baseline poll stays silent
    with open(os.path.join(www, "small.xml"), "wb") as f:
        f.write(feed_xml(5, seed=2, now=now - 30 * 86400))
    for name in ("big.xml", "small.xml"):  # older than the swap, whatever the clock's second
        os.utime(os.path.join(www, name), (now - 3600, now - 3600))
    site = Site(www)
    health_port = free_port()
    base = f"http://127.0.0.1:{site.port}"
    config = os.path.join(work, "otklik.toml")
    with open(config, "w") as f:
        f.write(f"""[daemon]
state = "{work}/state.db"
listen = "127.0.0.1:{health_port}"
log_level = "warn"
[http]
per_host_delay = "0s"
max_body = "64MiB"
max_decompressed = "128MiB"
[[channel]]
name = "sink"
type = "webhook"
url = "{base}/sink"
[[route]]
channel = "sink"
[[source]]
name = "big"
type = "rss"
url = "{base}/big.xml"
interval = "3s"
[[source]]
name = "small"
type = "rss"
url = "{base}/small.xml"
interval = "1s"
""")
    log = open(os.path.join(work, "otklik.log"), "w")
    proc = subprocess.Popen([otklik, "run", "-c", config], stdout=log, stderr=subprocess.STDOUT)
    metrics = f"http://127.0.0.1:{health_port}/metrics"
    result = {"items": items, "feed_bytes": len(big)}
    try:
        if not wait_for(lambda: polls_ok(metrics, "big") >= 1, 60):
            raise RuntimeError("the first (baseline) poll of the big source did not finish in 60 s")
        posts_before = site.posts
        tmp = os.path.join(www, "big.xml.tmp")
        with open(tmp, "wb") as f:
            f.write(big)
        prober = Prober(f"http://127.0.0.1:{health_port}/healthz")
        swapped = time.monotonic()
        os.replace(tmp, os.path.join(www, "big.xml"))
        done = wait_for(lambda: polls_ok(metrics, "big") >= 2, 1800, step=0.5)
        finished = time.monotonic()
        time.sleep(1.0)
        prober.stop()
        if not done:
            raise RuntimeError("the big poll did not finish in 30 minutes")
        during = [lat for start, lat in prober.samples if swapped <= start <= finished]
        result.update({
            "poll_seconds": round(finished - swapped, 1),
            "probes": len(during),
            "healthz_max_ms": round(1000 * max(during, default=0.0), 1),
            "healthz_p99_ms": round(1000 * percentile(during, 0.99), 1),
            "healthz_p50_ms": round(1000 * percentile(during, 0.50), 1),
            "probes_over_target": sum(1 for x in during if x * 1000 > TARGET_MS),
            "small_polls_during": site.gets_of("/small.xml", swapped),
        })
        # The alerts of the poll go out after it: count the posts until none came for 3 s.
        last, quiet_since = site.posts, time.monotonic()
        while time.monotonic() - quiet_since < 3 and time.monotonic() - finished < 60:
            time.sleep(0.2)
            if site.posts != last:
                last, quiet_since = site.posts, time.monotonic()
        result["webhook_posts"] = site.posts - posts_before
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        site.stop()
        if keep:
            print(f"stall.py: scratch folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", default="10000,100000", help="comma-separated feed sizes (items)")
    ap.add_argument("--otklik", default=os.path.join(REPO, "build", "otklik"))
    ap.add_argument("--out", help="write the figures as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folders")
    args = ap.parse_args()
    if not os.access(args.otklik, os.X_OK):
        sys.exit(f"stall.py: {args.otklik} is missing: run scripts/build.sh")
    sizes = [int(x) for x in re.split(r"[,\s]+", args.items.strip()) if x]
    results = []
    for n in sizes:
        print(f"stall.py: {n} items …", file=sys.stderr)
        results.append(run_one(args.otklik, n, args.keep))
    head = (f"{'items':>8} {'feed MB':>8} {'poll s':>7} {'probes':>7} {'max ms':>7} {'p99 ms':>7} {'p50 ms':>7} "
            f"{'>100ms':>7} {'small polls':>11} {'posts':>6}")
    print(head)
    for r in results:
        print(f"{r['items']:>8} {r['feed_bytes'] / 1e6:>8.1f} {r['poll_seconds']:>7} {r['probes']:>7} "
              f"{r['healthz_max_ms']:>7} {r['healthz_p99_ms']:>7} {r['healthz_p50_ms']:>7} "
              f"{r['probes_over_target']:>7} {r['small_polls_during']:>11} {r['webhook_posts']:>6}")
    ok = all(r["healthz_max_ms"] < TARGET_MS for r in results)
    print(f"target: every /healthz answer under {TARGET_MS} ms during the poll — {'met' if ok else 'NOT met'}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"command": " ".join(sys.argv), "results": results, "target_ms": TARGET_MS}, f, indent=2)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
