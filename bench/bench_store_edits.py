"""Benchmark: the everyday store operations on a small and on the bundled workspace, on every backend.

Run: ``.venv/bin/python bench/bench_store_edits.py`` (Neo4j: starts tools/neo4j-test-server on a free port,
or uses ``$NEO4J_URI``; ``--no-neo4j`` skips it).

What an officer's session pays per action, on the three stores: a whole load (validated first), one
saved record with its audit row (``upsert``: read, validate, diff, write), and reading every table back.
The small world is the hand-made PCB chain (chainmap.testing.worlds, 7 links, 6 firms); the bundled one
is the repository's own graphs/ and seeds/. No goal is set: the figures compare before and after a change.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.io import bundled_workspace, parse_workspace, read_workspace  # noqa: E402
from chainmap.store.memory import MemoryStore  # noqa: E402
from chainmap.store.sqlite import SqliteStore  # noqa: E402
from chainmap.testing.worlds import pcb_world  # noqa: E402
from bench_neo4j import neo4j_uri  # noqa: E402


def _ops(store, world, label: str, repeat: int) -> list[dict]:
    rows = []
    rows.append({"what": f"{label}: load", **timeit(lambda: store.load(world), repeat=repeat)})
    store.load(world)
    row = store.tables().assessments.head(1)
    n = iter(range(10_000))

    def save_one():
        store.upsert("assessments", row.assign(notes=f"走访记录 {next(n)}"), author="bench", action="edit")
    rows.append({"what": f"{label}: save one record (upsert + audit row)", **timeit(save_one, repeat=repeat)})
    rows.append({"what": f"{label}: read every table (tables())", **timeit(store.tables, repeat=repeat)})
    return rows


def main() -> None:
    small, bundled = parse_workspace(pcb_world()), read_workspace(bundled_workspace())
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-edits-"))
    try:
        for world, name, repeat in ((small, "PCB world", 10), (bundled, "bundled", 5)):
            rows += _ops(MemoryStore(), world, f"memory, {name}", repeat)
            sql = SqliteStore(tmp / f"{name}.sqlite")
            rows += _ops(sql, world, f"sqlite, {name}", repeat)
            sql.close()
        if "--no-neo4j" not in sys.argv:
            from chainmap.store.neo4j import Neo4jStore

            with neo4j_uri() as uri:
                store = Neo4jStore.connect(uri)
                store.clear()
                # A new server plans every query once: warm it up so the figures are the steady state.
                _ops(store, small, "warm-up", 2)
                for world, name, repeat in ((small, "PCB world", 10), (bundled, "bundled", 5)):
                    rows += _ops(store, world, f"neo4j, {name}", repeat)
                store.clear()
                store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report("store_edits", rows)


if __name__ == "__main__":
    main()
