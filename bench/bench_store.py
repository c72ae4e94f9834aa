"""Benchmarks of issue 11: the workspace database.

Run: ``.venv/bin/python bench/bench_store.py``

Budgets:
- one record saved (upsert with its audit row) on a workspace of 100,000 firms: median ≤ 50 ms;
- opening a 100,000-firm workspace and building the graph: ≤ 3 s; the bundled workspace: ≤ 0.5 s;
- ``chainmap load`` of the bundled folder ≤ 1 s; of a 100,000-firm folder ≤ 20 s.

"Opening" is what a new process pays: connect, read every table, build the
networkx link graph the analysis runs on. The whole property graph
(``store.graph``, every firm and plant as networkx nodes and edges) is timed
too; only ``counts`` and callers who ask for it build it. The synthetic world (``chainmap.synth``) is labelled as such.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.analysis import link_graph  # noqa: E402
from chainmap.io import bundled_workspace, write_workspace  # noqa: E402
from chainmap.location import load_folder  # noqa: E402
from chainmap.store.sqlite import DB_NAME, SqliteStore  # noqa: E402
from chainmap.synth import synthetic_world  # noqa: E402


def _open_and_graph(db: Path) -> None:
    """What every command pays: connect, read every table, build the link graph the analysis runs on."""
    store = SqliteStore(db)
    link_graph(store.tables())
    store.close()


def _full_graph(db: Path) -> None:
    """The whole property graph as networkx (``store.graph``: every firm, plant, honour, …)."""
    store = SqliteStore(db)
    store.graph
    store.close()


def main() -> None:
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        bundled = bundled_workspace()
        n = [0]

        def load_bundled():
            n[0] += 1
            load_folder(bundled, tmp / f"b{n[0]}").close()
        rows.append({"what": "chainmap load, bundled folder", **timeit(load_bundled, repeat=5), "budget_ms": 1000})
        rows.append({"what": "open bundled workspace + build graph",
                     **timeit(lambda: _open_and_graph(tmp / "b1" / DB_NAME), repeat=10), "budget_ms": 500})

        t0 = time.perf_counter()
        world = synthetic_world(n_chains=3, links_per_chain=50, n_firms=100_000, local_ops=2_000, seed=11)
        folder = tmp / "world"
        write_workspace(world, folder)
        print(f"synthetic world: {len(world.firms):,} firms, {len(world.operations):,} operations, "
              f"{len(world.honours):,} honours (built and written in {time.perf_counter() - t0:.1f} s)")

        t0 = time.perf_counter()
        load_folder(folder, tmp / "big").close()
        secs = time.perf_counter() - t0
        rows.append({"what": "chainmap load, 100,000-firm folder", "median_ms": round(secs * 1e3, 1),
                     "min_ms": round(secs * 1e3, 1), "max_ms": round(secs * 1e3, 1), "runs": 1, "budget_ms": 20_000})

        db = tmp / "big" / DB_NAME
        rows.append({"what": "open 100,000-firm workspace + build graph",
                     **timeit(lambda: _open_and_graph(db), repeat=3), "budget_ms": 3000})
        rows.append({"what": "open 100,000-firm workspace + whole property graph (store.graph)",
                     **timeit(lambda: _full_graph(db), repeat=3)})

        store = SqliteStore(db)
        firms = store.tables().firms.sample(200, random_state=1)
        it = iter(range(10_000))

        def save_one():
            i = next(it)
            row = firms.iloc[[i % len(firms)]].assign(notes=f"拜访记录 {i}")
            store.upsert("firms", row, expected=None, author="bench", action="app: firm profile")
        rows.append({"what": "save one record + audit row, 100,000 firms", **timeit(save_one, repeat=50, warmup=3),
                     "budget_ms": 50})
        assert len(store.history(table="firms")) >= 50
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report("store", rows)


if __name__ == "__main__":
    main()
