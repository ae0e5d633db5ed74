"""What a PostgreSQL cluster spends during a load-benchmark run (used by conductor.py).

Every second:
- CPU: utime + stime + cutime + cstime of the postmaster and of each of its children
  (/proc/PM/task/PM/children), in clock ticks. The postmaster's cutime/cstime hold the children it
  has reaped, so backends that came and went are counted too; the sampler's own backend is
  subtracted;
- through one psql session (started once, so that sampling opens no connection): the client
  backends of pg_stat_activity by application_name, how many of them are not idle, what each is
  doing (state / wait event: "idle in transaction / Client:ClientRead" is a backend waiting for
  its client inside a transaction, "active / IO:WALSync" one waiting for the WAL flush of a
  commit, "active / running" one on the CPU), the statements of those waiting for a lock (their
  first 100 characters), and pg_stat_database's xact_commit / xact_rollback of the run's
  database.
At the end: the database's size and pg_stat_database's counters.
"""

import asyncio
import json
import os
import time

ACTIVITY = (
    "SELECT json_build_object("
    "'by_app', (SELECT coalesce(json_object_agg(a, n), '{}') FROM (SELECT coalesce(application_name, '') a, count(*) n"
    " FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1) x),"
    "'busy', (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
    " AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'),"
    "'waits', (SELECT coalesce(json_object_agg(w, n), '{}') FROM (SELECT coalesce(state, '?') || ' / '"
    " || coalesce(wait_event_type || ':' || wait_event, 'running') w, count(*) n FROM pg_stat_activity"
    " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY 1) y),"
    "'lock_waits', (SELECT coalesce(json_object_agg(q, n), '{}') FROM (SELECT left(regexp_replace(query, '\\s+', ' ', 'g'),"
    " 100) q, count(*) n FROM pg_stat_activity WHERE backend_type = 'client backend' AND wait_event_type = 'Lock'"
    " GROUP BY 1) z),"
    "'xact_commit', (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()),"
    "'xact_rollback', (SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()));\n")
FINAL = (
    "SELECT json_build_object('size_bytes', pg_database_size(current_database()),"
    " 'stat', (SELECT row_to_json(s) FROM (SELECT xact_commit, xact_rollback, blks_read, blks_hit, tup_returned,"
    " tup_fetched, tup_inserted, tup_updated, tup_deleted, conflicts, deadlocks, temp_bytes"
    " FROM pg_stat_database WHERE datname = current_database()) s));\n")


def proc_ticks(pid):
    """utime + stime + cutime + cstime of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


class PgSampler:
    EVERY = 1.0

    def __init__(self, data_dir, conninfo, psql="psql"):
        self.data_dir = data_dir
        self.conninfo = conninfo
        self.psql = psql
        self.postmaster = None
        self.backend_pid = None
        self.session = None
        self.cpu = []       # [t, ticks of the cluster less the sampler's backend, processes]
        # [t, {application_name: connections}, not idle, xact_commit, xact_rollback, {state / wait: backends},
        #  {statement waiting for a lock: backends}]
        self.activity = []
        self.final = None
        self.errors = []

    async def start(self):
        with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
            self.postmaster = int(f.readline())
        self.session = await asyncio.create_subprocess_exec(
            self.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=0", self.conninfo,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        self.backend_pid = int(await self.ask("SELECT pg_backend_pid();\n"))

    async def ask(self, sql, timeout=10.0):
        self.session.stdin.write(sql.encode())
        await self.session.stdin.drain()
        line = await asyncio.wait_for(self.session.stdout.readline(), timeout)
        if not line:
            raise ConnectionError("psql ended")
        return line.decode().strip()

    def sample_cpu(self):
        total = proc_ticks(self.postmaster)
        if total is None:
            return
        kids = children(self.postmaster)
        for pid in kids:
            if pid != self.backend_pid:
                total += proc_ticks(pid) or 0
        self.cpu.append([round(time.time(), 3), total, len(kids)])

    async def run(self, stop):
        while not stop.is_set():
            self.sample_cpu()
            try:
                d = json.loads(await self.ask(ACTIVITY))
                self.activity.append([round(time.time(), 3), d["by_app"], d["busy"], d["xact_commit"],
                                      d["xact_rollback"], d["waits"], d["lock_waits"]])
            except (ValueError, KeyError, ConnectionError, asyncio.TimeoutError) as e:
                if len(self.errors) < 10:
                    self.errors.append(f"{type(e).__name__}: {e}")
            try:
                await asyncio.wait_for(stop.wait(), self.EVERY)
            except asyncio.TimeoutError:
                pass

    async def finish(self):
        """The last CPU sample and the database's size and counters; ends the psql session."""
        self.sample_cpu()
        try:
            self.final = json.loads(await self.ask(FINAL, timeout=30.0))
        except (ValueError, ConnectionError, asyncio.TimeoutError) as e:
            self.errors.append(f"final: {type(e).__name__}: {e}")
        self.session.stdin.close()
        try:
            await asyncio.wait_for(self.session.wait(), 5)
        except asyncio.TimeoutError:
            self.session.kill()

    def record(self):
        return {"postmaster_pid": self.postmaster, "sampler_backend_pid": self.backend_pid, "every_s": self.EVERY,
                "cpu": self.cpu, "activity": self.activity, "final": self.final, "errors": self.errors}
