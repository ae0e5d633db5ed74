#!/usr/bin/env python3
"""Figures of a load-benchmark run: reads each poller's run.json (conductor.py), nginx's access
log and the pollers' logs, prints the table of bench/daemon/README.md and writes the JSON file.

    analyze.py --json OUT.json [--seed N] [--seed-note TEXT] [--nginx-error-log PATH] RUN_DIR...

Definitions (README.md has the longer version):
- first round: when every feed had been requested at least once by the poller (seconds from its
  start, and in intervals);
- steady window: from half an interval after the end of the first round (or, if it never ended,
  from two intervals or half the run, whichever is earlier) over as many whole intervals as the
  run still holds; the half interval puts its edges between the rounds of a poller that polls all
  feeds at once, so that it counts whole rounds. Polls per second, CPU, CPU per poll and the
  steady /healthz figures are over this window;
- poll period: per feed, (last request − first request) / (requests − 1) over the run; the
  median over the feeds shows a schedule that drifts (interval + time taken by a poll);
- after-poll latency: alert arrival at the sink − the first 200 response (nginx $msec) to the
  poller for that feed that was sent after the review was added and carried a new ETag;
- end to end: alert arrival − the time the review was added (includes the wait for the poll).

A run of several Otklik instances (conductor.py --processes) gives the poller's figures over all of
them (requests by the user agent prefix, CPU summed, RSS and /healthz of the worst instance) and
then each instance's (requests by its own user agent; its lease figures from the /metrics scraped
at the end, before SIGTERM), and, when the conductor sampled a PostgreSQL cluster, the cluster's
CPU, connections and transactions.
"""

import argparse
import collections
import json
import math
import os
import re
import sys

LOG_LINE = re.compile(r'^(\S+) "([^"]*)" (\d+) (\d+) "([^"]*)" (\d+) (\d+) (\S+) "([^"]*)"')
FEED_URI = re.compile(r"/f(\d{5})\.xml")
OTKLIK_LOG = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (warning|error|critical) (.*)$")

TARGETS = {
    "polls_pct_of_schedule_min": 99.0,
    "first_round_intervals_max": 2.0,
    "after_poll_p99_ms_max": 200.0,
    "stall_max_ms": 100.0,
    "cpu_ratio_otklik_to_node_max": 0.5,
    "peak_rss_mib_max": 250.0,
}


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, max(0, math.ceil(p / 100.0 * len(v)) - 1))]


def interpolate(samples, t):
    """Cumulative CPU ticks at time t, linear between the /proc samples around it."""
    if not samples:
        return None
    if t <= samples[0][0]:
        return samples[0][1]
    for (t1, c1, *_), (t2, c2, *_) in zip(samples, samples[1:]):
        if t1 <= t <= t2:
            return c1 + (c2 - c1) * (t - t1) / (t2 - t1) if t2 > t1 else c2
    return samples[-1][1]


def read_requests(run):
    """This poller's requests in nginx's log, from the run's start until its SIGTERM."""
    out = []
    with open(run["access_log"], encoding="utf-8", errors="replace") as f:
        f.seek(run["access_log_offset"])
        for line in f:
            m = LOG_LINE.match(line)
            if not m or not m.group(5).startswith(run["ua_prefix"]):
                continue
            t = float(m.group(1))
            if t > run["t_end"]:
                continue
            u = FEED_URI.search(m.group(2))
            out.append({"t": t, "feed": int(u.group(1)) if u else None, "status": int(m.group(3)),
                        "bytes": int(m.group(4)), "ua": m.group(5), "conn": int(m.group(6)),
                        "etag": m.group(9).replace("\\x22", '"')})  # nginx logs " as \x22
    return out


def log_problems(paths, name):
    """Warn/error lines of the poller's logs: count per level and the most frequent messages."""
    levels = collections.Counter()
    messages = collections.Counter()
    for path in paths:
        try:
            f = open(path, encoding="utf-8", errors="replace")
        except OSError:
            continue
        with f:
            for line in f:
                line = line.rstrip("\n")
                if name == "otklik":
                    m = OTKLIK_LOG.match(line)
                    if not m:
                        continue
                    level, text = m.group(1), m.group(2)
                else:
                    if " polling " in line or not line.strip():
                        continue
                    level, text = "error", line.split(" ", 1)[-1]
                levels[level] += 1
                messages[re.sub(r"feed-\d+|f\d{5}\S*|\d+", "N", text)[:160]] += 1
    return {"lines": sum(levels.values()), "by_level": dict(levels),
            "top": [{"count": c, "message": m} for m, c in messages.most_common(3)]}


def analyze(run_dir):
    with open(os.path.join(run_dir, "run.json")) as f:
        run = json.load(f)
    name, t0, t_end, interval, n = run["name"], run["t0"], run["t_end"], run["interval"], run["count"]
    reqs = read_requests(run)
    notes = []

    first_seen = {}
    per_feed = collections.defaultdict(list)
    for r in reqs:
        if r["feed"] is not None:
            first_seen.setdefault(r["feed"], r["t"])
            per_feed[r["feed"]].append(r["t"])
    periods = [(ts[-1] - ts[0]) / (len(ts) - 1) for ts in per_feed.values() if len(ts) >= 2]
    first_round = max(first_seen.values()) - t0 if len(first_seen) == n else None
    if first_round is not None:
        w_start = t0 + first_round + interval / 2
    else:
        w_start = t0 + min(2 * interval, (t_end - t0) / 2)
        notes.append(f"first round not completed ({len(first_seen)} of {n} feeds requested); "
                     f"steady window starts at {w_start - t0:.0f} s")
    whole = math.floor((t_end - w_start) / interval)
    w_end = w_start + whole * interval if whole >= 1 else t_end
    if whole < 1:
        notes.append("the run is shorter than the first round plus one interval: the steady window is partial")
    span = max(w_end - w_start, 1e-9)
    in_window = [r for r in reqs if w_start <= r["t"] < w_end]
    statuses = collections.Counter(r["status"] for r in in_window)
    schedule = n / interval
    rate = len(in_window) / span

    # Alerts against the mutator's ground truth.
    arrivals = collections.defaultdict(list)
    unexpected, notices = 0, 0
    expected = {m["guid"]: m for m in run["mutations"]}
    for a in run["alerts"]:
        if a.get("kind") == "notice":
            notices += 1
        elif a.get("guid") in expected:
            arrivals[a["guid"]].append(a["t"])
        else:
            unexpected += 1
    once = sum(1 for g in expected if len(arrivals[g]) == 1)
    duplicated = sum(1 for g in expected if len(arrivals[g]) > 1)
    missing = sum(1 for g in expected if not arrivals[g])

    by_feed = collections.defaultdict(list)
    for r in reqs:
        if r["status"] == 200 and r["feed"] is not None:
            by_feed[r["feed"]].append(r)
    after_poll, end_to_end, unmatched = [], [], 0
    for g, m in expected.items():
        if not arrivals[g]:
            continue
        first_alert = min(arrivals[g])
        end_to_end.append((first_alert - m["t"]) * 1000)
        carrier = next((r for r in by_feed[m["feed"]] if r["t"] >= m["t"] and r["etag"] != m["old_etag"]), None)
        if carrier is None:
            unmatched += 1
            continue
        after_poll.append((first_alert - carrier["t"]) * 1000)
    if unmatched:
        notes.append(f"{unmatched} alerts without a matching feed response in the log")

    # Each process of the poller (one, or the instances of a run with several).
    several = "instances" in run
    instances = run["instances"] if several else [
        {"name": name, "ua": run["ua_prefix"], "health_url": run["health_url"], "probes": run["probes"],
         "samples": run["samples"], "term": run["term"], "early_exit": run["early_exit"],
         "stderr": os.path.join(run_dir, "stderr.txt"), "metrics": run.get("metrics"),
         "scrapes": run.get("scrapes", [])}]
    clk = run["clk_tck"]
    per = []
    for inst in instances:
        label = f"{name} {inst['name']}" if len(instances) > 1 else name
        f = {"name": inst["name"], "ua": inst["ua"],
             "healthz": healthz_figures(inst["probes"], inst["health_url"], t0, w_start, w_end, notes, label)}
        f.update(cpu_figures(inst["samples"], clk, w_start, w_end))
        mine = [r for r in reqs if r["ua"] == inst["ua"]] if len(instances) > 1 else reqs
        mine_in_window = [r for r in mine if w_start <= r["t"] < w_end]
        f.update(requests_total=len(mine), polls_in_window=len(mine_in_window),
                 polls_per_s=round(len(mine_in_window) / span, 2),
                 feeds_requested=len({r["feed"] for r in mine if r["feed"] is not None}),
                 feeds_in_window=len({r["feed"] for r in mine_in_window if r["feed"] is not None}),
                 connections=len({r["conn"] for r in mine}), stop=inst["term"], early_exit=inst["early_exit"],
                 leases=lease_figures(inst.get("metrics")))
        busy = (f["leases"] or {}).get("values", {}).get(STORE_BUSY)
        f["store_busy_share"] = rnd(busy / (t_end - t0), 3) if busy is not None else None
        if inst["early_exit"]:
            notes.append(f"{label} exited by itself after {inst['early_exit']['after_s']} s "
                         f"(code {inst['early_exit']['returncode']})")
        per.append(f)

    if len(per) == 1:
        stall, stop = per[0]["healthz"], per[0]["stop"]
        cpu_s, cpu_total, peak_rss = per[0]["cpu_window_s"], per[0]["cpu_total_s"], per[0]["peak_rss_mib"]
    else:
        answered = [f for f in per if f["healthz"] and f["healthz"].get("max_ms") is not None]
        worst = max(answered, key=lambda f: f["healthz"]["max_ms"], default=per[0])
        stall = dict(worst["healthz"] or {}, instance=worst["name"]) if worst["healthz"] else None
        cpus = [f["cpu_window_s"] for f in per]
        cpu_s = sum(cpus) if None not in cpus else None
        cpu_total = sum(f["cpu_total_s"] or 0 for f in per)
        peak_rss = max(f["peak_rss_mib"] for f in per)
        stop = combined_stop([f["stop"] for f in per])
    conns = len({r["conn"] for r in reqs})

    if run["interrupted"]:
        notes.append("the run was interrupted")
    out = {
        "name": name,
        "sources": n,
        "interval_s": interval,
        "duration_s": run["duration"],
        "loadavg_at_start": run.get("loadavg_at_start"),
        "schedule_polls_per_s": round(schedule, 2),
        "first_round_s": round(first_round, 2) if first_round is not None else None,
        "first_round_intervals": round(first_round / interval, 2) if first_round is not None else None,
        "feeds_requested": len(first_seen),
        "window": {"start_s": round(w_start - t0, 2), "end_s": round(w_end - t0, 2), "intervals": whole},
        "polls_in_window": len(in_window),
        "poll_period_median_s": rnd(pct(periods, 50), 2),
        "feeds_polled_once_or_never": n - len(periods),
        "polls_per_s": round(rate, 2),
        "polls_pct_of_schedule": round(100 * rate / schedule, 1),
        "responses_in_window": {str(k): v for k, v in sorted(statuses.items())},
        "requests_total": len(reqs),
        "alerts": {"expected": len(expected), "received_once": once, "duplicated": duplicated, "missing": missing,
                   "unexpected": unexpected, "notices": notices,
                   "mutator": {k: v for k, v in run["mutator"].items()}},
        "after_poll_ms": {"p50": rnd(pct(after_poll, 50)), "p99": rnd(pct(after_poll, 99)),
                          "max": rnd(max(after_poll, default=None)), "n": len(after_poll)},
        "end_to_end_ms": {"p50": rnd(pct(end_to_end, 50)), "p99": rnd(pct(end_to_end, 99)),
                          "max": rnd(max(end_to_end, default=None)), "n": len(end_to_end)},
        "healthz": stall,
        "cpu_window_s": rnd(cpu_s, 2),
        "cpu_share_of_core": rnd(cpu_s / span, 3) if cpu_s is not None else None,
        "cpu_ms_per_poll": rnd(1000 * cpu_s / len(in_window), 3) if cpu_s is not None and in_window else None,
        "cpu_total_s": rnd(cpu_total, 2),
        "peak_rss_mib": round(peak_rss, 1),
        "connections": conns,
        "requests_per_connection": round(len(reqs) / conns, 1) if conns else None,
        "metrics_scrapes": scrape_figures([x for i in instances for x in i.get("scrapes") or []]),
        "log_problems": log_problems([i["stderr"] for i in instances], name),
        "stop": stop,
        "notes": notes,
    }
    if several:
        for f in per:
            f["cpu_share_of_core"] = rnd(f["cpu_window_s"] / span, 3) if f["cpu_window_s"] is not None else None
            f["polls_pct_of_schedule"] = round(100 * f["polls_per_s"] / schedule, 1)
        out["instances"] = per
        pollers_of = collections.defaultdict(set)
        for r in in_window:
            if r["feed"] is not None:
                pollers_of[r["feed"]].add(r["ua"])
        out["feeds_polled_by_several_in_window"] = sum(1 for uas in pollers_of.values() if len(uas) > 1)
    if run.get("database"):
        out["database"] = database_figures(run["database"], clk, w_start, w_end, cpu_s)
    return out


def scrape_figures(scrapes):
    """The /metrics scrapes made during the run (every 15 s): how many, failed, longest, size."""
    if not scrapes:
        return None
    took = [x[1] for x in scrapes if x[2] is not None]
    return {"count": len(scrapes), "failed": sum(1 for x in scrapes if x[2] is None),
            "max_ms": rnd(max(took, default=None)), "max_bytes": max((x[2] for x in scrapes if x[2]), default=None)}


def healthz_figures(probes, health_url, t0, w_start, w_end, notes, label):
    """/healthz answers after the first good one: the longest, p99, in the steady window."""
    if not health_url:
        return None
    first_ok = next((i for i, p in enumerate(probes) if p[2] is True), None)
    if first_ok is None:
        notes.append(f"/healthz of {label} never answered")
        return {"up_after_s": None, "probes": len(probes)}
    later = probes[first_ok:]
    lat = [p[1] for p in later if p[1] is not None]
    steady = [p[1] for p in later if p[1] is not None and w_start <= p[0] < w_end]
    slowest = max((p for p in later if p[1] is not None), key=lambda p: p[1], default=None)
    return {"up_after_s": round(probes[first_ok][0] - t0, 2), "probes": len(later),
            "unanswered_at_end": bool(later and later[-1][2] == "unanswered"),
            "last_ms": later[-1][1] if later else None,
            "max_ms": max(lat) if lat else None, "p99_ms": pct(lat, 99), "p50_ms": pct(lat, 50),
            "max_at_s": round(slowest[0] - t0, 2) if slowest else None,
            "over_100ms": sum(1 for x in lat if x > 100), "failed": sum(1 for p in later if p[2] is not True),
            "steady_max_ms": max(steady) if steady else None, "steady_p99_ms": pct(steady, 99)}


def cpu_figures(samples, clk, w_start, w_end):
    """CPU seconds in the steady window and over the run, peak RSS, from the /proc samples."""
    if not samples:
        return {"cpu_window_s": None, "cpu_total_s": None, "peak_rss_mib": 0.0}
    cpu_s = (interpolate(samples, w_end) - interpolate(samples, w_start)) / clk
    return {"cpu_window_s": rnd(cpu_s, 2), "cpu_total_s": rnd(samples[-1][1] / clk, 2),
            "peak_rss_mib": round(max(s[3] for s in samples) / 1024, 1)}


def combined_stop(terms):
    """One stop record for several processes: in time when every one was."""
    terms = [t or {} for t in terms]
    in_time = [t.get("sigterm_in_time") for t in terms]
    if all(t.get("exit_s") is not None for t in terms):
        how = "by SIGTERM in " + " / ".join(f"{t['exit_s']:.1f}" for t in terms) + " s"
    else:
        how = "; ".join(t.get("how", "-") for t in terms)
    return {"how": how, "sigterm_in_time": None if None in in_time else all(in_time),
            "exit_s": [t.get("exit_s") for t in terms]}


def histogram_quantile(buckets, q):
    """Prometheus' histogram_quantile: linear inside the bucket where the rank falls.
    buckets: [(upper bound, cumulative count)] sorted, the last +Inf."""
    if not buckets or buckets[-1][1] == 0:
        return None
    rank = q * buckets[-1][1]
    prev_le, prev_c = 0.0, 0
    for le, c in buckets:
        if c >= rank:
            if math.isinf(le):
                return prev_le  # above the highest finite bound: that bound is all we know
            return prev_le + (le - prev_le) * ((rank - prev_c) / (c - prev_c) if c > prev_c else 1.0)
        prev_le, prev_c = le, c
    return prev_le


def lease_figures(metrics):
    """The instance's lease series from /metrics at the end of the run: gauges and counters by
    name (summed over labels), histograms as count, mean, p50 and p99 (milliseconds)."""
    if not metrics or "series" not in metrics:
        return {"error": metrics.get("error")} if metrics else None
    values, info = collections.defaultdict(float), {}
    hist = collections.defaultdict(lambda: {"buckets": {}, "sum": 0.0, "count": 0.0})
    for metric, labels, value in metrics["series"]:
        if metric.endswith("_bucket"):
            le = re.search(r'le="([^"]*)"', labels)
            if le:
                bound = math.inf if le.group(1) == "+Inf" else float(le.group(1))
                b = hist[metric[:-7]]["buckets"]
                b[bound] = b.get(bound, 0) + value
        elif metric.endswith("_sum") and metric[:-4] in hist or metric.endswith("_count") and metric[:-6] in hist:
            base, part = metric.rsplit("_", 1)
            hist[base][part] += value
        elif metric.endswith("_info"):
            info[metric] = labels
        else:
            values[metric] += value
    # _sum/_count lines come after their buckets in the text format; any seen before a bucket
    # were counted as plain values: move them.
    for base in hist:
        for part in ("sum", "count"):
            if base + "_" + part in values:
                hist[base][part] += values.pop(base + "_" + part)
    hists = {}
    for base, h in hist.items():
        buckets = sorted(h["buckets"].items())
        ms = lambda x: None if x is None else round(1000 * x, 2)  # noqa: E731
        hists[base] = {"count": int(h["count"]), "mean_ms": ms(h["sum"] / h["count"]) if h["count"] else None,
                       "p50_ms": ms(histogram_quantile(buckets, 0.5)), "p99_ms": ms(histogram_quantile(buckets, 0.99)),
                       # the longest round is at most this bound (None: above the highest finite bound)
                       "max_at_most_ms": ms(next((le for le, c in buckets if c >= h["count"] and not math.isinf(le)),
                                                 None)) if buckets else None}
    return {"values": dict(values), "info": info, "histograms": hists, "scraped_ms": metrics.get("took_ms")}


def database_figures(db, clk, w_start, w_end, otklik_cpu_s):
    """The PostgreSQL cluster: CPU (all its processes), client connections, transactions."""
    cpu = db.get("cpu") or []
    span = max(w_end - w_start, 1e-9)
    out = {"errors": db.get("errors", [])}
    if cpu:
        window = (interpolate(cpu, w_end) - interpolate(cpu, w_start)) / clk
        out.update(cpu_window_s=rnd(window, 2), cpu_share_of_core=rnd(window / span, 3),
                   cpu_total_s=rnd((cpu[-1][1] - cpu[0][1]) / clk, 2), processes_max=max(c[2] for c in cpu))
        if otklik_cpu_s is not None:
            out["with_otklik_share_of_core"] = rnd((window + otklik_cpu_s) / span, 3)
    act = db.get("activity") or []
    if act:
        totals = [sum(a[1].values()) for a in act]
        steady = [sum(a[1].values()) for a in act if w_start <= a[0] < w_end]
        by_app = collections.defaultdict(int)
        for a in act:
            for app, n in a[1].items():
                by_app[app] = max(by_app[app], n)
        busy = [a[2] for a in act]
        waits = collections.Counter()
        steady_samples = [a for a in act if w_start <= a[0] < w_end and len(a) > 5]
        for a in steady_samples:
            waits.update(a[5])
        out["backends_by_wait"] = {w: round(n / len(steady_samples), 2) for w, n in waits.most_common()}
        lock_waits = collections.Counter()
        for a in steady_samples:
            if len(a) > 6:
                lock_waits.update(a[6])
        out["lock_waits_by_statement"] = {q: round(n / len(steady_samples), 2) for q, n in lock_waits.most_common(5)}
        out.update(connections={"min": min(totals), "median": pct(totals, 50), "max": max(totals),
                                "steady_min": min(steady, default=None), "steady_max": max(steady, default=None),
                                "max_by_application": dict(sorted(by_app.items())), "samples": len(act)},
                   busy={"median": pct(busy, 50), "max": max(busy)})
        commits = [[a[0], a[3]] for a in act if a[3] is not None]
        if len(commits) >= 2:
            c0, c1 = interpolate(commits, w_start), interpolate(commits, w_end)
            out["commits_per_s"] = rnd((c1 - c0) / span, 1)
    final = db.get("final") or {}
    if final:
        out["size_mib"] = round(final["size_bytes"] / 2**20, 1)
        out["stat"] = final.get("stat")
    return out


def rnd(x, digits=1):
    return None if x is None else round(x, digits)


# --- the table -------------------------------------------------------------------------------------

def mark(ok):
    return "" if ok is None else ("  ok" if ok else "  MISS")


def cells(r, cpu_ratio):
    """(label, target, value, met) rows for one poller."""
    a, h = r["alerts"], r["healthz"] or {}
    fr = (f"{r['first_round_s']:.1f} s = {r['first_round_intervals']:.2f} int." if r["first_round_s"] is not None
          else f"not done ({r['feeds_requested']}/{r['sources']})")
    resp = ", ".join(f"{k}: {v}" for k, v in r["responses_in_window"].items()) or "-"
    ap, ee = r["after_poll_ms"], r["end_to_end_ms"]
    stop = r["stop"]
    probs = r["log_problems"]
    return [
        ("polls/s in steady window", f">= 99 % of {r['schedule_polls_per_s']:g}",
         f"{r['polls_per_s']:.1f} ({r['polls_pct_of_schedule']:.1f} %)",
         r["polls_pct_of_schedule"] >= TARGETS["polls_pct_of_schedule_min"]),
        ("  steady window (from start)", "", f"{r['window']['start_s']:.0f}-{r['window']['end_s']:.0f} s", None),
        ("  poll period per feed, median", f"{r['interval_s']:g} s",
         f"{r['poll_period_median_s']} s" if r["poll_period_median_s"] is not None else "-", None),
        ("  responses in window", "", resp, None),
        ("first round done", "<= 2 intervals", fr,
         r["first_round_intervals"] is not None and r["first_round_intervals"] <= 2),
        ("alerts expected", "", str(a["expected"]), None),
        ("  received once", "all", str(a["received_once"]), a["received_once"] == a["expected"] and a["expected"] > 0),
        ("  duplicated / missing", "0 / 0", f"{a['duplicated']} / {a['missing']}",
         a["duplicated"] == 0 and a["missing"] == 0),
        ("  other alerts / notices", "", f"{a['unexpected']} / {a['notices']}", None),
        ("after-poll latency p50 / p99", "p99 < 200 ms", f"{fmt_ms(ap['p50'])} / {fmt_ms(ap['p99'])}",
         ap["p99"] is not None and ap["p99"] < TARGETS["after_poll_p99_ms_max"]),
        ("  max", "", fmt_ms(ap["max"]), None),
        ("end to end p50 / p99", "", f"{fmt_ms(ee['p50'])} / {fmt_ms(ee['p99'])}", None),
        ("/healthz max (every 50 ms)", "< 100 ms",
         (">= " if h.get("unanswered_at_end") and h.get("max_ms") == (h.get("last_ms")) else "")
         + fmt_ms(h.get("max_ms")) + (f" at {h['max_at_s']:.0f} s" if h.get("max_at_s") is not None else ""),
         h.get("max_ms") is not None and h["max_ms"] < TARGETS["stall_max_ms"]),
        ("  max / p99 in steady window", "", f"{fmt_ms(h.get('steady_max_ms'))} / {fmt_ms(h.get('steady_p99_ms'))}",
         None),
        ("  p99 / answers > 100 ms", "", f"{fmt_ms(h.get('p99_ms'))} / {h.get('over_100ms', '-')}", None),
        ("  failed probes / up after", "", f"{h.get('failed', '-')} / {h.get('up_after_s', '-')} s", None),
        ("  /metrics scraped (every 15 s) / longest / size", "",
         (lambda m: f"{m['count']} ({m['failed']} failed) / {fmt_ms(m['max_ms'])} / "
                    f"{(m['max_bytes'] or 0) / 1e6:.1f} MB" if m else "-")(r.get("metrics_scrapes")), None),
        ("CPU, share of one core", "Otklik <= 0.5x Node",
         f"{r['cpu_share_of_core'] * 100:.1f} %" if r["cpu_share_of_core"] is not None else "-",
         (cpu_ratio <= TARGETS["cpu_ratio_otklik_to_node_max"]) if (cpu_ratio is not None and r["name"] == "otklik")
         else None),
        ("  CPU per poll", "flat with history", f"{r['cpu_ms_per_poll']} ms" if r["cpu_ms_per_poll"] else "-", None),
        ("  CPU whole run", "", f"{r['cpu_total_s']} s", None),
        ("peak RSS (VmHWM)", "< 250 MiB", f"{r['peak_rss_mib']:.1f} MiB",
         r["peak_rss_mib"] < TARGETS["peak_rss_mib_max"]),
        ("connections / requests each", "", f"{r['connections']} / {r['requests_per_connection']}", None),
        ("log lines warn/error", "", f"{probs['lines']}", None),
        ("stop", "SIGTERM < 15 s", stop.get("how", "-"), stop.get("sigterm_in_time")),
        ("machine load average at start", "", f"{r['loadavg_at_start']}", None),
    ]


def fmt_ms(v):
    return "-" if v is None else (f"{v / 1000:.2f} s" if v >= 10000 else f"{v:.1f} ms")


def table(results, cpu_ratio, header):
    names = [r["name"] for r in results]
    rows = [cells(r, cpu_ratio) for r in results]
    lines = [header]
    label_w = max(len(x[0]) for x in rows[0])
    target_w = max(len(x[1]) for x in rows[0])
    val_w = [max(len(x[2]) + len(mark(x[3])) for x in rr) for rr in rows]
    val_w = [max(w, len(n)) for w, n in zip(val_w, names)]
    lines.append(f"{'':{label_w}}  {'target':{target_w}}  " + "  ".join(f"{n:{w}}" for n, w in zip(names, val_w)))
    lines.append("-" * (label_w + target_w + 4 + sum(val_w) + 2 * len(val_w)))
    for i in range(len(rows[0])):
        label, target = rows[0][i][0], rows[0][i][1]
        vals = [(rr[i][2] + mark(rr[i][3])) for rr in rows]
        lines.append(f"{label:{label_w}}  {target:{target_w}}  " + "  ".join(f"{v:{w}}" for v, w in zip(vals, val_w)))
    if cpu_ratio is not None:
        lines.append(f"CPU ratio Otklik / Node: {cpu_ratio:.2f} (target <= 0.5){mark(cpu_ratio <= 0.5)}")
    for r in results:
        if r.get("instances") and (len(r["instances"]) > 1 or r.get("database")):
            lines += instance_table(r)
        if r.get("database"):
            lines += database_lines(r["database"])
    for r in results:
        for note in r["notes"]:
            lines.append(f"note ({r['name']}): {note}")
        for top in r["log_problems"]["top"]:
            lines.append(f"log ({r['name']}): {top['count']}x {top['message']}")
    return "\n".join(lines)


# The lease series of an instance's /metrics (daemon/app/lease_keeper.cpp).
LEASES_HELD = "otklik_leases_held"
LEASES_TAKEN = "otklik_leases_taken_total"
LEASES_LOST = "otklik_leases_lost_total"
LEASES_GIVEN_UP = "otklik_leases_given_up_total"
LEADER = "otklik_leader"
INSTANCES_LIVE = "otklik_instances_live"
ROUND_FAILURES = "otklik_lease_round_failures_total"
LEASE_ROUND = "otklik_lease_round_seconds"
STORE_BUSY = "otklik_store_busy_seconds"
STORE_JOBS = "otklik_store_jobs"
STORE_LONGEST = "otklik_store_longest_job_seconds"


def instance_rows(f):
    h = f["healthz"] or {}
    le = f.get("leases") or {}
    v, rounds = le.get("values", {}), le.get("histograms", {}).get(LEASE_ROUND)
    num = lambda k: "-" if k not in v else f"{v[k]:g}"  # noqa: E731
    return [
        ("polls/s in steady window", f"{f['polls_per_s']:.1f} ({f['polls_pct_of_schedule']:.1f} %)"),
        ("  feeds polled in window / whole run", f"{f['feeds_in_window']} / {f['feeds_requested']}"),
        ("  requests whole run", f"{f['requests_total']}"),
        ("CPU, share of one core", f"{f['cpu_share_of_core'] * 100:.1f} %" if f["cpu_share_of_core"] is not None
         else "-"),
        ("  CPU whole run", f"{f['cpu_total_s']} s"),
        ("peak RSS (VmHWM)", f"{f['peak_rss_mib']:.1f} MiB"),
        ("/healthz max / p99", f"{fmt_ms(h.get('max_ms'))} / {fmt_ms(h.get('p99_ms'))}"),
        ("leases held at the end", num(LEASES_HELD)),
        ("  taken / lost / given up", f"{num(LEASES_TAKEN)} / {num(LEASES_LOST)} / {num(LEASES_GIVEN_UP)}"),
        ("leader / instances live at the end", f"{num(LEADER)} / {num(INSTANCES_LIVE)}"),
        ("lease round p50 / p99", f"{fmt_ms(rounds['p50_ms'])} / {fmt_ms(rounds['p99_ms'])}" if rounds else "-"),
        ("  rounds / failed / mean / max <=", f"{rounds['count']} / {num(ROUND_FAILURES)} / "
                                             f"{fmt_ms(rounds['mean_ms'])} / {fmt_ms(rounds['max_at_most_ms'])}"
         if rounds else "-"),
        ("store busy (sum over its sessions), share of run", f"{100 * f['store_busy_share']:.1f} %"
         if f.get("store_busy_share") is not None else "-"),
        ("  store jobs / longest", f"{num(STORE_JOBS)} / {fmt_ms(1000 * v[STORE_LONGEST])}" if STORE_LONGEST in v
         else "-"),
        ("stop", (f.get("stop") or {}).get("how", "-")),
    ]


def instance_table(r):
    """Each instance of a poller run as several processes, side by side."""
    per = r["instances"]
    rows = [instance_rows(f) for f in per]
    label_w = max(len(x[0]) for x in rows[0])
    val_w = [max([len(x[1]) for x in rr] + [len(f["name"])]) for rr, f in zip(rows, per)]
    lines = ["", f"{r['name']}: {len(per)} instance(s); the table above sums their CPU and shows the worst "
                 "/healthz and the largest RSS; feeds polled by more than one instance in the steady window: "
                 f"{r.get('feeds_polled_by_several_in_window', '-')}",
             f"{'instance':{label_w}}  " + "  ".join(f"{f['name']:{w}}" for f, w in zip(per, val_w)),
             "-" * (label_w + 2 + sum(val_w) + 2 * len(val_w))]
    for i in range(len(rows[0])):
        lines.append(f"{rows[0][i][0]:{label_w}}  " + "  ".join(f"{rr[i][1]:{w}}" for rr, w in zip(rows, val_w)))
    for f in per:
        le = f.get("leases")
        if le and le.get("error"):
            lines.append(f"note ({f['name']}): /metrics not read at the end: {le['error']}")
    return lines


def database_lines(d):
    c, b = d.get("connections") or {}, d.get("busy") or {}
    share = lambda x: "-" if x is None else f"{x * 100:.1f} %"  # noqa: E731
    lines = ["", "PostgreSQL (the postmaster and all its processes, less the sampler's backend)",
             f"  CPU in steady window, share of one core   {share(d.get('cpu_share_of_core'))}"
             f"  (with Otklik: {share(d.get('with_otklik_share_of_core'))})",
             f"  CPU whole run                             {d.get('cpu_total_s', '-')} s",
             f"  client connections min / median / max     {c.get('min', '-')} / {c.get('median', '-')} / "
             f"{c.get('max', '-')}  (steady window {c.get('steady_min', '-')}-{c.get('steady_max', '-')}; "
             + ", ".join(f"{k or '?'} <= {n}" for k, n in (c.get("max_by_application") or {}).items()) + ")",
             f"  not idle at a sample, median / max        {b.get('median', '-')} / {b.get('max', '-')}",
             f"  commits/s in steady window                {d.get('commits_per_s', '-')}",
             "  backends by state / wait, steady window   " + (", ".join(
                 f"{w} {n:g}" for w, n in list((d.get("backends_by_wait") or {}).items())[:5]) or "-"),
             f"  database size at the end                  {d.get('size_mib', '-')} MiB"]
    for q, n in (d.get("lock_waits_by_statement") or {}).items():
        lines.append(f"  waiting for a lock, mean backends {n:g}: {q}")
    for e in d.get("errors") or []:
        lines.append(f"  sampler: {e}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seed-note", action="append", default=[])
    ap.add_argument("--nginx-error-log", default="")
    ap.add_argument("--header", default="")
    ap.add_argument("--commit", default="")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    results = [analyze(d) for d in a.runs]
    by = {r["name"]: r for r in results}
    cpu_ratio = None
    if "otklik" in by and "node" in by and by["node"]["cpu_share_of_core"]:
        if by["otklik"]["cpu_share_of_core"] is not None:
            cpu_ratio = round(by["otklik"]["cpu_share_of_core"] / by["node"]["cpu_share_of_core"], 3)
    nginx_errors = 0
    if a.nginx_error_log and os.path.exists(a.nginx_error_log):
        with open(a.nginx_error_log, errors="replace") as f:
            nginx_errors = sum(1 for line in f if "[error]" in line or "[crit]" in line or "[alert]" in line)
    print(table(results, cpu_ratio, a.header))
    if nginx_errors:
        print(f"nginx error log: {nginx_errors} lines at error or worse ({a.nginx_error_log})")
    for note in a.seed_note:
        print(f"history: {note}")
    out = {"header": a.header, "commit": a.commit, "targets": TARGETS, "seeded_mentions": a.seed, "seed_notes": a.seed_note, "nginx_errors": nginx_errors,
           "cpu_ratio_otklik_to_node": cpu_ratio, "pollers": by}
    with open(a.json, "w") as f:
        json.dump(out, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
