#!/usr/bin/env python3
"""Tests of the load benchmark's figures on a hand-made run: python3 bench/daemon/load/test_analyze.py"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analyze  # noqa: E402

UA = "node-peer/1.0 (test)"


def line(t, feed, status, conn, etag, ua=UA):
    etag = etag.replace('"', "\\x22")
    return f'{t:.3f} "/feeds/f{feed:05d}.xml" {status} 100 "{ua}" {conn} 1 0.000 "{etag}"\n'


class AnalyzeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.run_dir = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write_run(self, log_lines, mutations, alerts, probes, samples, count=2, interval=10.0, t_end=1060.0):
        log = os.path.join(self.run_dir, "access.log")
        with open(log, "w") as f:
            f.writelines(log_lines)
        run = {"name": "node", "command": [], "pid": 1, "t0": 1000.0, "t_end": t_end, "duration": t_end - 1000,
               "interval": interval, "count": count, "ua_prefix": "node-peer/", "access_log": log,
               "access_log_offset": 0, "health_url": "http://x/healthz", "clk_tck": 100, "loadavg_at_start": 0.5,
               "early_exit": None, "interrupted": False, "term": {"how": "by SIGTERM", "sigterm_in_time": True},
               "mutator": {}, "mutations": mutations, "alerts": alerts, "probes": probes, "samples": samples}
        with open(os.path.join(self.run_dir, "run.json"), "w") as f:
            json.dump(run, f)
        return analyze.analyze(self.run_dir)

    def test_a_poller_on_schedule(self):
        # Two feeds polled every 10 s from t0 + 1 s and t0 + 6 s; feed 1 gains a review at t0 + 20.5 s.
        lines = []
        for k in range(6):
            lines.append(line(1001 + 10 * k, 0, 200 if k == 0 else 304, 7, '"a-1"'))
            etag = '"b-1"' if 1006 + 10 * k < 1020.5 else '"b-2"'
            status = 200 if k in (0, 2) else 304
            lines.append(line(1006 + 10 * k, 1, status, 7, etag))
        lines.append(line(1002, 0, 200, 9, '"a-1"', ua="Otklik/0.1"))  # another poller: not counted
        lines.sort(key=lambda s: float(s.split()[0]))
        mutations = [{"feed": 1, "guid": "g1", "t": 1020.5, "old_etag": '"b-1"', "new_etag": '"b-2"'},
                     {"feed": 0, "guid": "g2", "t": 1030.0, "old_etag": '"a-1"', "new_etag": '"a-2"'}]
        alerts = [{"t": 1026.05, "guid": "g1", "kind": "alert"}, {"t": 1027.0, "guid": "g1", "kind": "alert"},
                  {"t": 1030.0, "guid": "zzz", "kind": "alert"}]
        probes = [[1000.0, None, "refused"], [1000.1, 2.0, True], [1000.2, 150.0, True], [1020.0, 3.0, True]]
        samples = [[1000.0, 0, 1000, 1000, 1], [1060.0, 600, 2048, 4096, 3]]
        r = self.write_run(lines, mutations, alerts, probes, samples)
        self.assertEqual(r["first_round_s"], 6.0)
        self.assertEqual(r["window"], {"start_s": 11.0, "end_s": 51.0, "intervals": 4})
        self.assertEqual(r["polls_in_window"], 8)  # 11..51 s: four rounds of two feeds
        self.assertEqual(r["polls_pct_of_schedule"], 100.0)
        self.assertEqual(r["poll_period_median_s"], 10.0)
        a = r["alerts"]
        self.assertEqual((a["expected"], a["received_once"], a["duplicated"], a["missing"], a["unexpected"]),
                         (2, 0, 1, 1, 1))
        # The first 200 after the review with a new ETag is at t0 + 26 s: the alert came 50 ms later.
        self.assertAlmostEqual(r["after_poll_ms"]["p99"], 50.0, places=1)
        self.assertAlmostEqual(r["end_to_end_ms"]["max"], 5550.0, places=1)
        self.assertEqual(r["healthz"]["max_ms"], 150.0)
        self.assertEqual(r["healthz"]["over_100ms"], 1)
        self.assertEqual(r["healthz"]["up_after_s"], 0.1)
        self.assertAlmostEqual(r["cpu_share_of_core"], 0.1, places=3)  # 6 s of CPU in 60 s, linear
        self.assertEqual(r["peak_rss_mib"], 4.0)
        self.assertEqual((r["connections"], r["requests_total"]), (1, 12))

    def test_a_poller_that_never_finishes_its_first_round(self):
        lines = [line(1001, 0, 200, 1, '"a"')]
        r = self.write_run(lines, [], [], [[1000.0, None, "refused"]], [], count=3)
        self.assertIsNone(r["first_round_s"])
        self.assertEqual(r["polls_in_window"], 0)
        self.assertTrue(any("first round not completed" in n for n in r["notes"]))
        self.assertIsNone(r["healthz"]["up_after_s"])

    def test_instances_on_one_database(self):
        # Two instances share feeds 0-3 (a: 0, 1; b: 2, 3) every 10 s; at t0 + 31 s feed 3 goes to a.
        ua = {"a": "Otklik/0.1 (bench; instance a)", "b": "Otklik/0.1 (bench; instance b)"}
        lines = []
        for k in range(6):
            for feed in range(4):
                who = "a" if feed < 2 or (feed == 3 and k >= 3) else "b"
                lines.append(line(1001 + 10 * k + feed, feed, 304, 1 if who == "a" else 2, '"x"', ua=ua[who]))
        lines.sort(key=lambda s: float(s.split()[0]))
        log = os.path.join(self.run_dir, "access.log")
        with open(log, "w") as f:
            f.writelines(lines)
        metrics = {"t": 1060.0, "series": [
            ["otklik_leases_held", "", 3.0], ["otklik_leader", "", 1.0],
            ["otklik_lease_round_seconds_bucket", '{le="0.001"}', 0.0],
            ["otklik_lease_round_seconds_bucket", '{le="0.01"}', 90.0],
            ["otklik_lease_round_seconds_bucket", '{le="0.1"}', 100.0],
            ["otklik_lease_round_seconds_bucket", '{le="+Inf"}', 100.0],
            ["otklik_lease_round_seconds_sum", "", 0.5], ["otklik_lease_round_seconds_count", "", 100.0]]}

        def instance(name, cpu_ticks, rss_kib):
            return {"name": name, "ua": ua[name], "health_url": "http://x/healthz", "probes": [[1000.5, 2.0, True]],
                    "samples": [[1000.0, 0, rss_kib, rss_kib, 1], [1060.0, cpu_ticks, rss_kib, rss_kib, 1]],
                    "term": {"how": "by SIGTERM in 0.2 s", "exit_s": 0.2, "sigterm_in_time": True},
                    "early_exit": None, "stderr": os.path.join(self.run_dir, f"stderr-{name}.txt"),
                    "metrics": metrics if name == "a" else None}

        run = {"name": "otklik", "t0": 1000.0, "t_end": 1060.0, "duration": 60, "interval": 10.0, "count": 4,
               "ua_prefix": "Otklik/", "access_log": log, "access_log_offset": 0, "clk_tck": 100,
               "loadavg_at_start": 0.5, "interrupted": False, "mutator": {}, "mutations": [], "alerts": [],
               "instances": [instance("a", 600, 2048), instance("b", 300, 4096)],
               "database": {"cpu": [[1000.0, 0, 5], [1060.0, 1200, 7]],
                            "activity": [[1000.0, {}, 0, 0, 0], [1020.0, {"otklik-a": 2, "otklik-b": 1}, 1, 100, 0],
                                         [1060.0, {"otklik-a": 2, "otklik-b": 2}, 0, 700, 0]],
                            "final": {"size_bytes": 2 * 2**20, "stat": {}}, "errors": []}}
        with open(os.path.join(self.run_dir, "run.json"), "w") as f:
            json.dump(run, f)
        r = analyze.analyze(self.run_dir)
        self.assertEqual(r["window"], {"start_s": 9.0, "end_s": 59.0, "intervals": 5})
        a, b = r["instances"]
        self.assertEqual((a["polls_in_window"], b["polls_in_window"]), (13, 7))  # 9..59 s: 20 polls of 4 feeds
        self.assertEqual((a["feeds_in_window"], b["feeds_in_window"]), (3, 2))
        self.assertEqual(r["feeds_polled_by_several_in_window"], 1)
        self.assertEqual(r["polls_pct_of_schedule"], 100.0)
        self.assertAlmostEqual(r["cpu_share_of_core"], 0.15, places=3)  # 6 s + 3 s of CPU over 60 s
        self.assertEqual(r["peak_rss_mib"], 4.0)
        self.assertEqual(r["stop"]["how"], "by SIGTERM in 0.2 / 0.2 s")
        rounds = a["leases"]["histograms"]["otklik_lease_round_seconds"]
        self.assertEqual((rounds["count"], rounds["mean_ms"], rounds["max_at_most_ms"]), (100, 5.0, 100.0))
        self.assertAlmostEqual(rounds["p50_ms"], 1 + 9 * 50 / 90, places=2)  # linear inside (1 ms, 10 ms]
        self.assertAlmostEqual(rounds["p99_ms"], 10 + 90 * 9 / 10, places=2)
        self.assertEqual(a["leases"]["values"], {"otklik_leases_held": 3.0, "otklik_leader": 1.0})
        self.assertIsNone(b["leases"])
        db = r["database"]
        self.assertAlmostEqual(db["cpu_share_of_core"], 0.2, places=3)
        self.assertEqual(db["connections"]["max_by_application"], {"otklik-a": 2, "otklik-b": 2})
        self.assertEqual((db["connections"]["min"], db["connections"]["max"]), (0, 4))
        self.assertAlmostEqual(db["commits_per_s"], 12.8, places=1)  # 45 at 9 s, 685 at 59 s: linear
        self.assertEqual(db["size_mib"], 2.0)
        text = analyze.table([r], None, "header")
        self.assertIn("lease round p50 / p99", text)
        self.assertIn("otklik-a <= 2", text)


if __name__ == "__main__":
    unittest.main()
