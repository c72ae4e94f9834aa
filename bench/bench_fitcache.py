"""Benchmark of issue 13: `chainmap rank` as a new process, with and without the cached fit.

Run: ``.venv/bin/python bench/bench_fitcache.py [REPEAT]`` (default 5)

Each row is a fresh ``python -c "chainmap.cli.main([...])"`` process timed from
outside (wall clock), so it includes the interpreter start and every import.
Rows:

* the import floor: ``import pandas, scipy.sparse, networkx`` alone — what
  any chainmap command pays before it does anything (the machine's state
  shows here: the 2 cores are shared);
* ``chainmap rank --chain electronics --top 50`` on the bundled data with
  ``--no-cache`` (reads the workspace, fits: the classifier trains);
* the same with a warm cache (budget 1 s): the workspace files are digested,
  the fitted scorer is read back, nothing is parsed or trained;
* the fit on the bundled data plus the real listed-firm tables of
  ``../shared/data/listed`` (skipped when absent), in process (budget 20 s),
  the placements it makes, and ``chainmap rank`` on that workspace (written to
  a temporary folder) as a new process, cold and with a warm cache (budget 1.5 s).
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

ROOT = Path(__file__).resolve().parents[1]
LISTED = ROOT / ".." / "shared" / "data" / "listed"
RANK = "import sys; from chainmap.cli import main; sys.exit(main(['rank', '--chain', 'electronics', '--top', '50'{}]))"


def wall(code: str, env: dict, repeat: int, warmup: int = 1) -> dict:
    times = []
    for k in range(warmup + repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if k >= warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    return {"median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "max_ms": round(max(times), 2), "runs": repeat}


def listed_fit(env: dict, repeat: int) -> list[dict]:
    import numpy as np
    import pandas as pd

    from chainmap.io import bundled_workspace, read_workspace
    from chainmap.io.listed import firms_from_listed, listed_honours, merge_firms
    from chainmap.io.workspace import validate_tables
    from chainmap.scoring import TargetScorer
    from chainmap.scoring.placement import BASIS

    files = ["a_share_basic_2025-06.csv", "a_share_sw2021_l3_2021-10.csv", "a_share_csrc_status_2026-06.csv"]
    if not all((LISTED / f).is_file() for f in files):
        print(f"skipped the listed-firm fit: tables not found in {LISTED.resolve()}")
        return []
    t0 = time.perf_counter()
    basic, sw, status = (pd.read_csv(LISTED / f, dtype=str) for f in files)
    firms = firms_from_listed(basic, sw, status, source="bench")
    bundled = read_workspace(bundled_workspace())
    merged, rep = merge_firms(bundled.firms, firms)
    honours = pd.concat([bundled.honours, listed_honours(merged, bundled.honours)], ignore_index=True)
    tables = validate_tables(bundled.replace(firms=merged.sort_values("id").reset_index(drop=True), honours=honours))
    build_ms = (time.perf_counter() - t0) * 1e3
    t0 = time.perf_counter()
    scorer = TargetScorer().fit(tables)
    fit_ms = (time.perf_counter() - t0) * 1e3
    codes = scorer.basis_.data.astype(int)
    by_basis = {BASIS[k]: int((codes == k).sum()) for k in range(1, len(BASIS))}
    links = tables.links
    per_chain = {}
    for chain in tables.chains["id"]:
        cols = np.flatnonzero(links["chain"].to_numpy() == chain)
        placed = (scorer.fit_[:, cols].getnnz(axis=1) > 0) & ~scorer.inactive_
        per_chain[chain] = {"placed": int(placed.sum()), "ranked": len(scorer.rank(chain, top=None))}
    active = int((tables.firms["status"] != "退市").sum())
    from chainmap.io import write_workspace

    with tempfile.TemporaryDirectory() as ws, tempfile.TemporaryDirectory() as cache:
        write_workspace(tables, ws)
        env = dict(env, CHAINMAP_CACHE_DIR=cache)
        code = RANK.format(f", '--workspace', {ws!r}")
        cold = wall(code, env, 1, warmup=0)
        warm = wall(code, env, repeat)
    return [
        {"what": f"build the workspace: bundled + listed tables ({len(firms):,} listed rows: {rep['added']:,} added, "
                 f"{rep['merged']} merged, {rep['flagged']} delisted flagged; {active:,} active firms)",
         "median_ms": round(build_ms, 2), "min_ms": round(build_ms, 2), "max_ms": round(build_ms, 2), "runs": 1},
        {"what": f"fit on that workspace (classifier included), placements by basis {by_basis}",
         "median_ms": round(fit_ms, 2), "min_ms": round(fit_ms, 2), "max_ms": round(fit_ms, 2), "runs": 1,
         "budget_ms": 20000},
        {"what": f"chainmap rank --chain electronics --top 50 on that workspace ({len(tables.firms):,} firms), "
                 f"new process, first run (fit and cache)", **cold},
        {"what": "the same, warm fit cache (new process)", **warm, "budget_ms": 1500},
        {"what": f"firms per chain, placed on a link of the chain (active) / ranked now (link open): {per_chain}",
         "value": float(min(v["placed"] for v in per_chain.values())), "unit": "min placed per chain"},
    ]


def main(repeat: int = 5) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    rows = []
    with tempfile.TemporaryDirectory() as cache:
        env["CHAINMAP_CACHE_DIR"] = cache
        rows.append({"what": "import floor: python -c 'import pandas, scipy.sparse, networkx'",
                     **wall("import pandas, scipy.sparse, networkx", env, repeat)})
        rows.append({"what": "chainmap rank --chain electronics --top 50 --no-cache (new process, bundled data)",
                     **wall(RANK.format(", '--no-cache'"), env, repeat, warmup=0)})
        rows.append({"what": "chainmap rank --chain electronics --top 50, warm fit cache (new process, bundled data)",
                     **wall(RANK.format(""), env, repeat), "budget_ms": 1000})
    rows += listed_fit(env, repeat)
    report("fitcache", rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
