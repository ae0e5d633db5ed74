#!/usr/bin/env python3
"""RSS 2.0 feeds for the load benchmark: writing N of them, and adding one new review to one.

    feeds.py generate --dir DIR --count N [--seed 1]

writes DIR/f00000.xml … (20 items each, ~31 KiB: guid, link, title, pubDate, dc:creator or author,
a description of 1–1.5 KiB of review text in English or Russian; the newest item is 2 days old,
the oldest about 3 weeks). `add_review` is what the mutator calls: it prepends a new item, drops
the oldest and replaces the file atomically (temp file + rename), so that nginx never serves half
a file.
"""

import argparse
import os
import random
import re
import sys
import time
from email.utils import formatdate
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reviews  # noqa: E402

ITEMS = 20
SITE = "http://reviews.example"


def feed_name(i):
    return f"f{i:05d}.xml"


def source_name(i):
    """The name a poller gives feed i (Otklik's [[source]] name, the Node peer's feed key)."""
    return f"feed-{i:05d}"


def business_of(i):
    return reviews.BUSINESSES[i % len(reviews.BUSINESSES)]


def _item(feed, guid, title, text, author, published, use_dc):
    who = (f"<dc:creator>{escape(author)}</dc:creator>" if use_dc
           else f"<author>reviews@reviews.example ({escape(author)})</author>")
    return (f"<item><title>{escape(title)}</title><link>{SITE}/f{feed:05d}/reviews/{guid}</link>"
            f"<guid isPermaLink=\"false\">{guid}</guid><pubDate>{formatdate(published, usegmt=True)}</pubDate>{who}"
            f"<description>{escape(text)}</description></item>\n")


def _header(feed, built):
    kind, name_en, name_ru = business_of(feed)
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n"
            f"<title>Reviews: {escape(name_en)} / {escape(name_ru)} (branch {feed})</title>\n"
            f"<link>{SITE}/f{feed:05d}/</link>\n"
            f"<description>Customer reviews of {escape(name_en)}, {kind}, branch {feed}</description>\n"
            f"<lastBuildDate>{formatdate(built, usegmt=True)}</lastBuildDate>\n")


FOOTER = "</channel>\n</rss>\n"


def write_atomic(path, text):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def generate(folder, count, seed, now=None):
    now = now or time.time()
    os.makedirs(folder, exist_ok=True)
    total = 0
    for feed in range(count):
        rng = random.Random(seed * 1_000_003 + feed)
        items = []
        t = now - 2 * 86400 - rng.uniform(0, 6 * 3600)
        for k in range(ITEMS):
            _, _, title, text, author = reviews.review(rng, business_of(feed))
            items.append(_item(feed, f"f{feed:05d}-r{ITEMS - k:04d}", title, text, author, t, rng.random() < 0.7))
            t -= rng.uniform(0.3, 1.6) * 86400
        body = _header(feed, now) + "".join(items) + FOOTER
        write_atomic(os.path.join(folder, feed_name(feed)), body)
        total += len(body.encode())
    return total


_BUILT = re.compile(r"<lastBuildDate>[^<]*</lastBuildDate>")


def add_review(folder, feed, guid, rng, now=None):
    """Prepends a new negative English review with `guid` to feed `feed`, drops the oldest item.
    Returns (title, link)."""
    now = now or time.time()
    path = os.path.join(folder, feed_name(feed))
    with open(path, encoding="utf-8") as f:
        old = f.read()
    start = old.index("<item>")
    end = old.rindex(FOOTER)
    items = old[start:end].splitlines(keepends=True)
    title, text, author = reviews.complaint_en(rng, business_of(feed))
    new = _item(feed, guid, title, text, author, now, rng.random() < 0.7)
    header = _BUILT.sub(f"<lastBuildDate>{formatdate(now, usegmt=True)}</lastBuildDate>", old[:start])
    write_atomic(path, header + new + "".join(items[:ITEMS - 1]) + FOOTER)
    return title, f"{SITE}/f{feed:05d}/reviews/{guid}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--dir", required=True)
    g.add_argument("--count", type=int, required=True)
    g.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    t = time.monotonic()
    total = generate(a.dir, a.count, a.seed)
    print(f"feeds: {a.count} written to {a.dir}, {total / a.count / 1024:.1f} KiB each on average, "
          f"{time.monotonic() - t:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
