#!/usr/bin/env python3
"""Runs one poller for one load-benchmark run and records what happens around it.

    conductor.py --name NAME --out DIR --feeds-dir DIR --count N --interval S --duration S
                 --sink-port P --access-log PATH --ua-prefix UA [--health-url URL] -- COMMAND...
    conductor.py ... --processes FILE [--pg-data DIR --pg-conninfo TEXT]

In one asyncio process, for --duration seconds from the poller's start:
- starts COMMAND (the poller) in its own session, output to DIR/stdout.txt and DIR/stderr.txt;
  or, with --processes, every process FILE lists (a JSON list of {"name", "command", "ua",
  "health_url", "metrics_url"}: the instances of one poller sharing one database), all at once,
  output to DIR/stdout-NAME.txt and DIR/stderr-NAME.txt;
- a webhook sink on 127.0.0.1:P records each alert POSTed to it (arrival time and the item's
  identity: Otklik's mention.external_id/url/source, the Node peer's guid/link/feed);
- the mutator: 1 % of the feeds per interval gain a new negative English review
  (feeds.add_review), one at a random moment of each of the interval's equal slots, on a feed
  this poller has already fetched (200 or 304 in nginx's access log, by user agent), so that
  every one of them is new after the poller's baseline poll; it stops one interval plus --settle seconds before the end, so that a poller on schedule has
  fetched every one of them before the run ends;
- GET each process's health URL every 50 ms, one at a time: a slow answer delays the next, and an
  answer is awaited until the end of the run (a probe still unanswered then is recorded as such);
- samples each process's /proc/PID/stat (utime + stime, all threads) and /proc/PID/status (VmRSS,
  VmHWM) every 0.5 s;
- with --pg-data and --pg-conninfo (the poller's PostgreSQL cluster), every second: the CPU of the
  postmaster and all its children (utime + stime + cutime + cstime: the postmaster's cutime/cstime
  hold the backends that have exited), less the sampler's own backend, and through one psql
  session the client connections of pg_stat_activity by application_name, how many are not idle,
  and pg_stat_database's transaction counters;
- GETs each process's metrics URL every 15 s, as Prometheus scrapes by default (the time each took
  and its size in run.json, "scrapes"), so that the /healthz figures include what rendering the
  metrics of every source costs the event loop (OTKLIK_BENCH_SCRAPE_EVERY=SECONDS sets the period,
  0 scrapes only at the end);
at the end, after the last probe, GETs each process's metrics URL (the body is kept as
DIR/metrics-NAME.txt, the lease and store series in run.json), then sends SIGTERM to every process, waits up to 15 s, SIGKILL if still
running, and writes DIR/run.json. SIGINT/SIGTERM to the conductor end the run early the same way.
"""

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feeds  # noqa: E402
from pg_sampler import PgSampler  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
PROBE_EVERY = 0.05
SAMPLE_EVERY = 0.5
TERM_GRACE = 15.0
LOG_LINE = re.compile(r'^(\S+) "([^"]*)" (\d+) (\d+) "([^"]*)" (\d+) (\d+)')
FEED_URI = re.compile(r"/f(\d{5})\.xml")
# The series of /metrics kept in run.json: the instance, its leases, the leader lease and the
# store thread's work.
METRIC_KEPT = re.compile(r"^(otklik_(?:instance|lease|leader|store_busy_seconds|store_jobs|store_longest_job)\w*)"
                         r"(\{[^}]*\})?\s+(\S+)")


class Process:
    """One poller process of the run: its command, where it answers, and what was seen of it."""

    def __init__(self, spec, out_dir, single):
        self.name = spec["name"]
        self.command = spec["command"]
        self.ua = spec.get("ua", "")
        self.health_url = spec.get("health_url", "")
        self.metrics_url = spec.get("metrics_url", "")
        suffix = "" if single else f"-{self.name}"
        self.stdout = os.path.join(out_dir, f"stdout{suffix}.txt")
        self.stderr = os.path.join(out_dir, f"stderr{suffix}.txt")
        self.metrics_file = os.path.join(out_dir, f"metrics-{self.name}.txt")
        self.probes = []
        self.samples = []
        self.metrics = None
        self.scrapes = []  # [start, took_ms, bytes or None] of the scrapes during the run
        self.early_exit = None
        self.term = None
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.command, stdout=open(self.stdout, "wb"), stderr=open(self.stderr, "wb"),
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    def record(self):
        return {"name": self.name, "command": self.command, "pid": self.proc.pid, "ua": self.ua,
                "health_url": self.health_url, "metrics_url": self.metrics_url, "stdout": self.stdout,
                "stderr": self.stderr, "early_exit": self.early_exit, "term": self.term, "metrics": self.metrics,
                "scrapes": self.scrapes,
                "probes": self.probes, "samples": self.samples}


class Run:
    def __init__(self, a):
        self.a = a
        self.alerts = []
        self.mutations = []
        self.mutator = {"ticks": 0, "skipped_nothing_fetched": 0, "errors": 0, "stop_at": None}
        self.fetched = set()
        self.fetched_list = []
        self.stop = asyncio.Event()
        single = not a.processes
        specs = ([{"name": a.name, "command": a.command, "ua": a.ua_prefix, "health_url": a.health_url}] if single
                 else a.processes)
        self.procs = [Process(s, a.out, single) for s in specs]
        self.db = PgSampler(a.pg_data, a.pg_conninfo, a.psql) if a.pg_data else None

    # --- webhook sink ---------------------------------------------------------------------------
    async def sink_client(self, reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else ""
                hdr = {}
                for line in lines[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1)
                        hdr[k.strip().lower()] = v.strip()
                if hdr.get("transfer-encoding", "").lower() == "chunked":
                    body = b""
                    while True:
                        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        chunk = await reader.readexactly(size + 2)
                        if size == 0:
                            break
                        body += chunk[:-2]
                else:
                    body = await reader.readexactly(int(hdr.get("content-length", "0")))
                arrived = time.time()
                self.record_alert(arrived, path, hdr, body)
                close = hdr.get("connection", "").lower() == "close"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
                             + (b"Connection: close\r\n" if close else b"") + b"\r\nok\n")
                await writer.drain()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def record_alert(self, arrived, path, hdr, body):
        rec = {"t": arrived, "path": path, "key": hdr.get("idempotency-key", "")}
        try:
            d = json.loads(body)
        except ValueError:
            rec["bad_json"] = True
            self.alerts.append(rec)
            return
        if "mention" in d or "kind" in d:  # Otklik's otklik.alert.v1
            m = d.get("mention") or {}
            rec.update(kind=d.get("kind"), guid=m.get("external_id"), link=m.get("url"), feed=m.get("source"),
                       severity=d.get("severity"))
        else:  # the Node peer
            rec.update(kind="alert", guid=d.get("guid"), link=d.get("link"), feed=d.get("feed"))
        self.alerts.append(rec)

    # --- nginx access log: which feeds this poller has fetched ---------------------------------
    async def tail_log(self, f):
        prefix = self.a.ua_prefix
        buf = ""
        while not self.stop.is_set():
            chunk = f.read()
            if chunk:
                buf += chunk
                *lines, buf = buf.split("\n")
                for line in lines:
                    m = LOG_LINE.match(line)
                    if not m or m.group(3) not in ("200", "304") or not m.group(5).startswith(prefix):
                        continue
                    u = FEED_URI.search(m.group(2))
                    if u:
                        i = int(u.group(1))
                        if i not in self.fetched:
                            self.fetched.add(i)
                            self.fetched_list.append(i)
            await asyncio.sleep(0.2)

    # --- mutator ----------------------------------------------------------------------------------
    async def mutate(self, t0):
        a = self.a
        per_interval = max(1, round(a.count * 0.01))
        gap = a.interval / per_interval
        stop_at = t0 + a.duration - a.interval - a.settle
        self.mutator.update(stop_at=stop_at - t0, per_interval=per_interval, gap_s=gap)
        rng = random.Random(a.seed)
        k = 1
        while not self.stop.is_set():
            due = t0 + (k - 1 + rng.random()) * gap  # one review per slot, at a random point in it
            if due > stop_at:
                return
            await self.sleep_until(due)
            if self.stop.is_set():
                return
            k += 1
            self.mutator["ticks"] += 1
            if not self.fetched_list:
                self.mutator["skipped_nothing_fetched"] += 1
                continue
            feed = rng.choice(self.fetched_list)
            guid = f"{a.name}-{len(self.mutations) + 1:06d}-f{feed:05d}"
            path = os.path.join(a.feeds_dir, feeds.feed_name(feed))
            try:
                old = etag_of(path)
                t = time.time()
                _, link = feeds.add_review(a.feeds_dir, feed, guid, rng, t)
                self.mutations.append({"feed": feed, "guid": guid, "link": link, "t": t, "old_etag": old,
                                       "new_etag": etag_of(path)})
            except OSError as e:
                self.mutator["errors"] += 1
                print(f"conductor: mutating {path}: {e}", file=sys.stderr)

    # --- /healthz prober --------------------------------------------------------------------------
    async def probe(self, p):
        url = p.health_url
        host_port, _, path = url.removeprefix("http://").partition("/")
        host, _, port = host_port.partition(":")
        req = f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nConnection: close\r\n\r\n".encode()
        nxt = time.time()
        while not self.stop.is_set():
            await self.sleep_until(nxt)
            start = time.time()
            nxt = start + PROBE_EVERY
            try:
                ok = await self.one_probe(host, int(port), req)
                p.probes.append([round(start, 4), round((time.time() - start) * 1000, 2), ok])
            except OSError:
                p.probes.append([round(start, 4), None, "refused"])
            except asyncio.CancelledError:  # the run ended while waiting: the stall lasted at least this long
                p.probes.append([round(start, 4), round((time.time() - start) * 1000, 2), "unanswered"])
                raise

    @staticmethod
    async def one_probe(host, port, req):
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(req)
            data = await reader.read()
        finally:
            writer.close()
        return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")

    # --- /metrics during the run and at the end ---------------------------------------------------
    @staticmethod
    async def get_metrics(p):
        """The body of the process's /metrics (raises OSError or asyncio.TimeoutError)."""
        host_port, _, path = p.metrics_url.removeprefix("http://").partition("/")
        host, _, port = host_port.partition(":")
        req = f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nConnection: close\r\n\r\n".encode()
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 5)
        try:
            writer.write(req)
            data = await asyncio.wait_for(reader.read(), 10)
        finally:
            writer.close()
        return data.partition(b"\r\n\r\n")[2]

    async def scrape_every(self, p, every=15.0):
        """Scrapes /metrics every `every` seconds until the run ends, as Prometheus would."""
        nxt = time.time() + every
        while not self.stop.is_set():
            await self.sleep_until(nxt)
            t = time.time()
            nxt = t + every
            try:
                body = await self.get_metrics(p)
                p.scrapes.append([round(t, 3), round((time.time() - t) * 1000, 1), len(body)])
            except (OSError, asyncio.TimeoutError):
                p.scrapes.append([round(t, 3), round((time.time() - t) * 1000, 1), None])

    async def scrape(self, p):
        """GETs the process's /metrics: the body to a file, the kept series into p.metrics."""
        t = time.time()
        try:
            body = await self.get_metrics(p)
        except (OSError, asyncio.TimeoutError) as e:
            p.metrics = {"t": round(t, 3), "error": f"{type(e).__name__}: {e}"}
            return
        with open(p.metrics_file, "wb") as f:
            f.write(body)
        series = []
        for line in body.decode("utf-8", "replace").splitlines():
            m = METRIC_KEPT.match(line)
            if m:
                series.append([m.group(1), m.group(2) or "", float(m.group(3))])
        p.metrics = {"t": round(t, 3), "took_ms": round((time.time() - t) * 1000, 1), "bytes": len(body),
                     "series": series}

    # --- /proc sampler ----------------------------------------------------------------------------
    @staticmethod
    def sample(p):
        pid = p.proc.pid
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/status") as f:
                st = dict(line.split(":", 1) for line in f if ":" in line)
        except (OSError, IndexError):
            return
        if fields[0] == "Z":
            return
        kib = lambda k: int(st.get(k, "0 kB").split()[0])  # noqa: E731
        p.samples.append([round(time.time(), 3), int(fields[11]) + int(fields[12]), kib("VmRSS"), kib("VmHWM"),
                          int(fields[17])])

    async def sampler(self):
        while not self.stop.is_set():
            for p in self.procs:
                self.sample(p)
            await asyncio.sleep(SAMPLE_EVERY)

    async def sleep_until(self, t):
        delay = t - time.time()
        if delay > 0:
            try:
                await asyncio.wait_for(self.stop.wait(), delay)
            except asyncio.TimeoutError:
                pass

    # --- the run ------------------------------------------------------------------------------------
    async def main(self):
        a = self.a
        loop = asyncio.get_running_loop()
        interrupted = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda s=sig: (interrupted.append(s), self.stop.set()))
        server = await asyncio.start_server(self.sink_client, "127.0.0.1", a.sink_port)
        log = open(a.access_log, encoding="utf-8", errors="replace")
        log.seek(0, os.SEEK_END)
        log_offset = log.tell()
        os.makedirs(a.out, exist_ok=True)
        if self.db:
            await self.db.start()
        with open("/proc/loadavg") as f:
            loadavg = float(f.read().split()[0])
        t0 = time.time()
        for p in self.procs:
            p.start()
        with open(os.path.join(a.out, "poller.pid"), "w") as f:
            f.write("".join(f"{p.proc.pid}\n" for p in self.procs))
        tasks = [asyncio.create_task(self.tail_log(log)), asyncio.create_task(self.mutate(t0)),
                 asyncio.create_task(self.sampler())]
        tasks += [asyncio.create_task(self.probe(p)) for p in self.procs if p.health_url]
        scrape_every = float(os.environ.get("OTKLIK_BENCH_SCRAPE_EVERY", "15"))
        if scrape_every > 0:
            tasks += [asyncio.create_task(self.scrape_every(p, scrape_every)) for p in self.procs if p.metrics_url]
        if self.db:
            tasks.append(asyncio.create_task(self.db.run(self.stop)))
        end = t0 + a.duration
        while time.time() < end and not self.stop.is_set():
            for p in self.procs:
                if p.early_exit is None and p.proc.poll() is not None:
                    p.early_exit = {"after_s": round(time.time() - t0, 2), "returncode": p.proc.returncode}
            if all(p.early_exit for p in self.procs):
                break
            await self.sleep_until(min(end, time.time() + 0.5))
        for p in self.procs:
            self.sample(p)
        t_end = time.time()
        self.stop.set()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # The last scrape, after the probes: its series are the run's lease and store figures.
        await asyncio.gather(*(self.scrape(p) for p in self.procs if p.metrics_url and p.proc.poll() is None))
        if self.db:
            await self.db.finish()
        await asyncio.gather(*(self.terminate(p, t_end) for p in self.procs))
        await asyncio.sleep(0.2)  # alerts still in flight
        server.close()
        run = {"name": a.name, "t0": t0, "t_end": t_end, "duration": a.duration, "interval": a.interval,
               "count": a.count, "ua_prefix": a.ua_prefix, "access_log": a.access_log, "access_log_offset": log_offset,
               "clk_tck": CLK_TCK, "loadavg_at_start": loadavg, "interrupted": bool(interrupted),
               "mutator": self.mutator, "mutations": self.mutations, "alerts": self.alerts}
        if len(self.procs) == 1:  # the one process's figures at the top, as without --processes
            first = self.procs[0].record()
            run.update({k: first[k] for k in ("command", "pid", "health_url", "early_exit", "term", "probes",
                                              "samples", "scrapes")})
        if a.processes:
            run["instances"] = [p.record() for p in self.procs]
        if self.db:
            run["database"] = self.db.record()
        with open(os.path.join(a.out, "run.json"), "w") as f:
            json.dump(run, f)
        print(f"conductor: {a.name}: {len(self.mutations)} new reviews, {len(self.alerts)} alerts received, "
              f"{sum(len(p.probes) for p in self.procs)} health probes; stopped "
              + "; ".join(f"{p.name} {p.term['how']}" for p in self.procs), file=sys.stderr)
        return 130 if interrupted else 0

    @staticmethod
    async def terminate(p, t_end):
        term = {"sent": round(t_end, 3)}
        p.term = term
        if p.proc.poll() is not None:
            term.update(how="had already exited", returncode=p.proc.returncode, sigterm_in_time=None)
            return
        p.proc.send_signal(signal.SIGTERM)
        deadline = time.time() + TERM_GRACE
        while p.proc.poll() is None and time.time() < deadline:
            await asyncio.sleep(0.05)
        if p.proc.poll() is not None:
            term.update(how=f"by SIGTERM in {time.time() - t_end:.1f} s", exit_s=round(time.time() - t_end, 2),
                        returncode=p.proc.returncode, sigterm_in_time=True)
            return
        p.proc.kill()
        try:
            p.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        term.update(how=f"by SIGKILL: still running {TERM_GRACE:.0f} s after SIGTERM", returncode=p.proc.returncode,
                    sigterm_in_time=False)


def etag_of(path):
    """nginx's ETag of a static file: "<mtime hex>-<size hex>"."""
    st = os.stat(path)
    return f'"{int(st.st_mtime):x}-{st.st_size:x}"'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--feeds-dir", required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--interval", type=float, required=True)
    ap.add_argument("--duration", type=float, required=True)
    ap.add_argument("--sink-port", type=int, required=True)
    ap.add_argument("--access-log", required=True)
    ap.add_argument("--ua-prefix", required=True)
    ap.add_argument("--health-url", default="")
    ap.add_argument("--processes", default="", help="JSON file: the processes to run instead of COMMAND")
    ap.add_argument("--pg-data", default="", help="the data folder of the poller's PostgreSQL cluster")
    ap.add_argument("--pg-conninfo", default="", help="where the sampler's psql connects")
    ap.add_argument("--psql", default="psql")
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    if a.command[:1] == ["--"]:
        a.command = a.command[1:]
    if a.processes:
        with open(a.processes) as f:
            a.processes = json.load(f)
        if a.command or not a.processes:
            ap.error("--processes lists the processes: no COMMAND after it, and at least one in the file")
    elif not a.command:
        ap.error("the poller's command is missing (after --)")
    if bool(a.pg_data) != bool(a.pg_conninfo):
        ap.error("--pg-data and --pg-conninfo go together")
    sys.exit(asyncio.run(Run(a).main()))


if __name__ == "__main__":
    main()
