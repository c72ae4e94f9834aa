"""Benchmark of issue 4: bulk load into a real Neo4j, and ranking from it.

Run: ``.venv/bin/python bench/bench_neo4j.py`` (starts tools/neo4j-test-server on a
free port, or uses $NEO4J_URI).

Goal: bulk load of 100,000 firms with 300,000 relationships at ≥ 20,000 rows/s.
Also: ranking 100,000 firms from Neo4j, fetch included, against the memory store.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.scoring import TargetScorer  # noqa: E402
from chainmap.store.memory import MemoryStore  # noqa: E402
from chainmap.store.neo4j import Neo4jStore  # noqa: E402
from chainmap.synth import synthetic_world  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def start_server():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    # A bulk-load server gets a 512 MB page cache (the test default is 128 MB to stay light), the full JIT
    # (the test default is C1 only) and Neo4j's own re-planning interval (the test default is an hour).
    env = {**os.environ, "NEO4J_TEST_SERVER_JAVA_OPTS": "-Dchainmap.pagecache.mb=512 -XX:TieredStopAtLevel=4 "
                                                        "-Dchainmap.replan.seconds=10"}
    proc = subprocess.Popen([str(ROOT / "tools/neo4j-test-server/run"), str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    line = proc.stdout.readline().strip()
    if not line.startswith("bolt://"):
        raise SystemExit("Neo4j did not start")
    return proc, line


@contextlib.contextmanager
def neo4j_uri():
    """``$NEO4J_URI``, or a server of our own (:func:`start_server`) for the ``with`` block, stopped after it."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    proc, uri = start_server()
    try:
        yield uri
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    with neo4j_uri() as uri:
        world = synthetic_world(n_chains=3, links_per_chain=50, n_firms=100_000, local_ops=2_000,
                                ops_per_firm=3.0, seed=4)
        store = Neo4jStore.connect(uri)
        store.clear()
        store.batch_size = 10_000
        n_nodes = len(world.firms) + len(world.links) + len(world.chains)
        n_rels = len(world.operations) + len(world.edges)
        print(f"world: {len(world.firms):,} firms, {n_rels:,} relationships ({len(world.operations):,} OPERATES_IN)")
        def timed_load():
            t0 = time.perf_counter()
            store.load(world)
            return time.perf_counter() - t0

        rows = n_nodes + n_rels
        cold = timed_load()   # a JVM that has just started: JIT not warmed, store files growing
        again = timed_load()  # the same tables again: idempotent MERGE, stale check
        store.clear()
        warm = timed_load()   # into an emptied database on a running server
        rows_out = []
        for what, secs in ((f"first load, server just started ({rows:,} rows)", cold),
                           ("first load into an emptied database, server running", warm),
                           ("the same load again (idempotent MERGE + stale check)", again)):
            rows_out.append({"what": what, "median_ms": round(secs * 1e3), "min_ms": round(secs * 1e3), "runs": 1})
            rows_out.append({"what": "  throughput", "value": round(rows / secs), "unit": "rows/s"})
        assert store.counts()["Firm"] == len(world.firms)
        mem = MemoryStore(world)

        def rank_from(s):
            scorer = TargetScorer().fit(s.tables())
            return [scorer.rank(c, top=50) for c in world.chains["id"]]

        rows_out.append({"what": "rank 100,000 firms x 3 chains from Neo4j (fetch + fit + rank)",
                         **timeit(lambda: rank_from(store), repeat=3, warmup=0)})
        rows_out.append({"what": "  of which: fetch every table from Neo4j",
                         **timeit(store.tables, repeat=3, warmup=0)})
        mem.tables()
        rows_out.append({"what": "rank 100,000 firms x 3 chains from the memory store",
                         **timeit(lambda: rank_from(mem), repeat=3, warmup=0)})
        report("neo4j", rows_out)
        print(f"first load: {rows / warm:,.0f} rows/s on a running server, {rows / cold:,.0f} rows/s right after "
              f"start-up (goal ≥ 20,000)")
        store.clear()
        store.close()


if __name__ == "__main__":
    main()
