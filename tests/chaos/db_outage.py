#!/usr/bin/env python3
"""The database goes away and comes back: one Otklik instance on PostgreSQL reaches the server
through a TCP relay on 127.0.0.1 that the test cuts (every connection closed, new ones closed at
once) for 12 s and then restores, while a fake site and a fake Telegram stay up.

Must hold: /readyz answers 503 "store unreachable" during the outage and 200 again after it; the
outage is logged once ("cannot reach the store") and counted (otklik_lease_round_failures_total);
its end is logged ("the store answers again"); a negative review published during the outage is
alerted after it (nothing fetched meanwhile is lost); the daemon never exits by itself and stops
on SIGTERM with exit code 0; no critical log line.

    db_outage.py --otklik build/otklik [--keep]

Needs a PostgreSQL server in the PG* environment (scripts/test.sh runs CTest in pg_virtualenv);
exit code 77 (SKIPPED) without one.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chaos_fakes import Site, Telegram, now  # noqa: E402
from multi_instance import (CHAT_ID, MARK_RE, NEGATIVE, TOKEN, Instance, baseline_items,  # noqa: E402
                            config_text, free_port, order_number, pg_available, psql)

SOURCES = 20
INTERVAL = 5
LEASE_TTL = 3
OUTAGE = 12.0


class Relay:
    """A TCP relay to the PostgreSQL server of the PG* environment (its Unix socket or TCP port)
    that can be cut and restored."""

    def __init__(self):
        host = os.environ.get("PGHOST", "/var/run/postgresql")
        port = int(os.environ.get("PGPORT", "5432"))
        if host.startswith("/"):
            self.upstream = (socket.AF_UNIX, os.path.join(host, f".s.PGSQL.{port}"))
        else:
            self.upstream = (socket.AF_INET, (host, port))
        self.lock = threading.Lock()
        self.cut_now = False
        self.conns = []
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.refused = 0
        threading.Thread(target=self.accept_loop, daemon=True).start()

    def accept_loop(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if self.cut_now:
                    self.refused += 1
                    client.close()
                    continue
            family, address = self.upstream
            server = socket.socket(family, socket.SOCK_STREAM)
            try:
                server.connect(address)
            except OSError:
                client.close()
                server.close()
                continue
            with self.lock:
                self.accepted += 1
                self.conns.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(a, b), daemon=True).start()

    @staticmethod
    def pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        with self.lock:
            self.cut_now = True
            conns, self.conns = self.conns, []
        for pair in conns:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def restore(self):
        with self.lock:
            self.cut_now = False


def readyz(port):
    """(status, body) of GET /readyz; (0, error) when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return r.status, r.read().decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace").strip()
    except (OSError, urllib.error.URLError) as e:
        return 0, str(e)


def metric(port, name):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            text = r.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError):
        return None
    total = None
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total = (total or 0.0) + float(line.rsplit(" ", 1)[1])
    return total


def wait_for(what, predicate, bound):
    deadline = now() + bound
    while now() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    print(f"db_outage: FAILED waiting {bound:.0f}s for {what}", flush=True)
    return False


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--otklik", required=True)
    p.add_argument("--keep", action="store_true", help="keep the work folder and the database")
    a = p.parse_args()
    why = pg_available()
    if why:
        print(f"db_outage: SKIPPED: no PostgreSQL server: {why}", flush=True)
        return 77

    workdir = tempfile.mkdtemp(prefix="otklik-outage-")
    db = f"otklik_outage_{os.getpid()}"
    psql(f"CREATE DATABASE {db}")
    relay = Relay()
    base_time = time.time()
    site = Site([baseline_items(n, base_time) for n in range(SOURCES)])
    site.start()
    tg = Telegram(TOKEN, CHAT_ID)
    tg.start()
    env = dict(os.environ, OTKLIK_CHAOS_TELEGRAM_TOKEN=TOKEN)
    inst = Instance("a", a.otklik, workdir, env)
    text = config_text("a", inst.port, db, site, tg, SOURCES, INTERVAL, LEASE_TTL, True)
    # Through the relay: the conninfo's host and port win over the PG* environment.
    text = text.replace(f'url = "dbname={db}"', f'url = "host=127.0.0.1 port={relay.port} dbname={db}"')
    with open(inst.config, "w") as f:
        f.write(text)
    t0 = now()
    inst.start(t0)
    failures = []

    def alerted(n):
        return any(str(n) in MARK_RE.findall(m["text"]) for m in tg.snapshot())

    def add_review(k):
        n = order_number(k)
        site.add(k % SOURCES, {"guid": f"outage-{k}", "title": "Customer review", "author": f"Customer {n}",
                               "text": NEGATIVE[k % len(NEGATIVE)].format(n=n), "published": time.time() - 30})
        return n

    try:
        def baselines_done():
            try:
                return int(psql("SELECT count(*) FROM sources_state WHERE polls > 0", db=db)) >= SOURCES
            except (RuntimeError, subprocess.TimeoutExpired):
                return False

        ok = wait_for("/readyz 200 at start", lambda: readyz(inst.port)[0] == 200, 30)
        ok = ok and wait_for("every source's first poll", baselines_done, 60)
        before = add_review(1)
        ok = ok and wait_for("the alert of a review before the outage", lambda: alerted(before), 40)
        if not ok:
            failures.append("the daemon did not come up on PostgreSQL")
        else:
            relay.cut()
            cut_at = now()
            print(f"db_outage: +{cut_at - t0:.1f}s relay cut", flush=True)
            if not wait_for("/readyz 503 store unreachable",
                            lambda: readyz(inst.port) == (503, "not ready: store unreachable")
                            or readyz(inst.port)[1].endswith("store unreachable"), LEASE_TTL + 10):
                failures.append(f"/readyz during the outage: {readyz(inst.port)}")
            else:
                print(f"db_outage: +{now() - t0:.1f}s /readyz: {readyz(inst.port)} "
                      f"({now() - cut_at:.1f}s after the cut)", flush=True)
            during = add_review(2)
            time.sleep(max(0.0, cut_at + OUTAGE - now()))
            failed_rounds = metric(inst.port, "otklik_lease_round_failures_total") or 0
            if failed_rounds < 1:
                failures.append(f"otklik_lease_round_failures_total after the outage: {failed_rounds}")
            if not inst.alive():
                failures.append("the daemon exited during the outage")
            relay.restore()
            restored_at = now()
            print(f"db_outage: +{restored_at - t0:.1f}s relay restored ({failed_rounds:.0f} lease rounds failed)",
                  flush=True)
            if not wait_for("/readyz 200 after the outage", lambda: readyz(inst.port)[0] == 200, 20):
                failures.append(f"/readyz after the outage: {readyz(inst.port)}")
            else:
                print(f"db_outage: +{now() - t0:.1f}s ready again ({now() - restored_at:.1f}s after the restore)",
                      flush=True)
            if not wait_for("the alert of the review published during the outage", lambda: alerted(during), 90):
                failures.append(f"the review of order {during}, published during the outage, was not alerted")
            else:
                print(f"db_outage: +{now() - t0:.1f}s the review published during the outage alerted", flush=True)
            after = add_review(3)
            if not wait_for("the alert of a review after the outage", lambda: alerted(after), 40):
                failures.append(f"the review of order {after}, published after the outage, was not alerted")
    finally:
        alive = inst.alive()
        inst.send_term()
        rc, took = inst.wait_term()
        relay.cut()
    log = open(inst.log_path, encoding="utf-8", errors="replace").read()
    if not alive:
        failures.append("the daemon exited by itself")
    if rc != 0:
        failures.append(f"SIGTERM: exit code {rc} after {took:.1f}s")
    down = log.count("cannot reach the store")
    if down != 1:
        failures.append(f"'cannot reach the store' logged {down} times (once per outage expected)")
    if "the store answers again" not in log:
        failures.append("the end of the outage was not logged")
    critical = [line for line in log.splitlines() if " critical " in line]
    if critical:
        failures.append(f"critical log lines: {critical[:3]}")
    duplicates = {}
    for m in tg.snapshot():
        for mark in set(MARK_RE.findall(m["text"])):  # an alert may name its order twice
            duplicates[mark] = duplicates.get(mark, 0) + 1
    twice = {k: v for k, v in duplicates.items() if v > 1}
    if twice:
        failures.append(f"alerted more than once: {twice}")

    if failures:
        print("db_outage: FAILED:\n  " + "\n  ".join(failures), flush=True)
        print("--- the daemon's log (last 60 lines) ---\n" + "\n".join(log.splitlines()[-60:]), flush=True)
    else:
        print("db_outage: passed: /readyz 503 during the outage and 200 after it, logged once and counted, "
              "the review published during it alerted once", flush=True)
    if a.keep:
        print(f"db_outage: kept {workdir} and database {db}", flush=True)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        try:
            psql(f"DROP DATABASE IF EXISTS {db}")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
