"""Benchmarks of issue 2: gap analysis at scale, and loading the bundled workspace.

Run: ``.venv/bin/python bench/bench_foundation.py``

Budgets: gap analysis of one chain with 200 links and 50,000 local firm–link
edges under 50 ms; loading the bundled workspace under 1 s.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.analysis import gap_analysis  # noqa: E402
from chainmap.io import bundled_workspace, read_workspace  # noqa: E402
from chainmap.store.memory import MemoryStore  # noqa: E402
from chainmap.synth import synthetic_world  # noqa: E402


def main() -> None:
    rows = []
    t0 = time.perf_counter()
    world = synthetic_world(n_chains=1, links_per_chain=200, n_firms=60_000, local_ops=50_000, seed=1)
    n_local = int(world.operations["local"].sum())
    print(f"synthetic world: {len(world.links)} links, {len(world.edges)} edges, {n_local} local firm–link edges "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    rows.append({"what": f"gap analysis, 200 links, {n_local} local edges",
                 **timeit(lambda: gap_analysis(world, "c0"), repeat=20), "budget_ms": 50})

    ws = bundled_workspace()
    rows.append({"what": "read bundled workspace (parse + validate)", **timeit(lambda: read_workspace(ws), repeat=10)})
    rows.append({"what": "load bundled workspace into MemoryStore", **timeit(lambda: MemoryStore.open(ws).tables(),
                                                                              repeat=10), "budget_ms": 1000})
    bundled = read_workspace(ws)
    rows.append({"what": "gap analysis, bundled electronics chain", **timeit(lambda: gap_analysis(bundled, "electronics"))})

    cli = Path(sys.executable).with_name("chainmap")
    cold = timeit(lambda: subprocess.run([str(cli), "chains"], check=True, capture_output=True), repeat=3)
    rows.append({"what": "`chainmap chains` as a new process (imports included)", **cold})
    report("foundation", rows)


if __name__ == "__main__":
    main()
