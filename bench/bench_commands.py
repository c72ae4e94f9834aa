"""Benchmark of issue 16's quick commands: new processes, as ratios to the import floor.

Run: ``.venv/bin/python bench/bench_commands.py [RUNS]``

The floor is ``python -c "import pandas"`` measured in the same run. Budgets:
``chainmap chains`` ≤ 2× the floor, ``chainmap gaps`` ≤ 2.5×, ``chainmap rank
--top 20`` on the bundled data ≤ 3× with a warm fit cache. The workspace and
the fit cache are made fresh in a temporary folder and warmed by one run of
each command first.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402

COMMANDS = {
    "floor: python -c 'import pandas'": ([sys.executable, "-c", "import pandas"], None),
    "chainmap chains": ([sys.executable, "-m", "chainmap.cli", "chains"], 2.0),
    "chainmap gaps --chain electronics": ([sys.executable, "-m", "chainmap.cli", "gaps", "--chain", "electronics"], 2.5),
    "chainmap rank --chain electronics --top 20 (warm cache)":
        ([sys.executable, "-m", "chainmap.cli", "rank", "--chain", "electronics", "--top", "20"], 3.0),
}


def main(runs: int = 7) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    env = dict(os.environ, CHAINMAP_WORKSPACE=str(tmp / "ws"), CHAINMAP_CACHE_DIR=str(tmp / "cache"))
    for cmd, _ in COMMANDS.values():  # warm: creates the workspace, fills the fit cache
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    times = {name: [] for name in COMMANDS}
    for _ in range(runs):  # interleaved, so a burst of load hits every command alike
        for name, (cmd, _) in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            times[name].append(time.perf_counter() - t0)
    floor = statistics.median(times[next(iter(COMMANDS))])
    rows = []
    for name, (_, budget) in COMMANDS.items():
        med = statistics.median(times[name])
        row = {"what": name, "median_ms": round(med * 1e3, 1), "min_ms": round(min(times[name]) * 1e3, 1),
               "max_ms": round(max(times[name]) * 1e3, 1), "runs": runs, "ratio_to_floor": round(med / floor, 2)}
        if budget:
            row["budget_ratio"] = budget
        rows.append(row)
        print(f"{name:<58} {med * 1e3:7.0f} ms  {med / floor:4.2f}× floor" +
              (f"  (budget {budget}×: {'OK' if med / floor <= budget else 'OVER'})" if budget else ""))
    report("commands", rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
