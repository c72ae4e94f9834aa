"""Benchmark of three paths that did the same work again and again (issue 16: the suite's time).

Run: ``.venv/bin/python bench/bench_repeat_work.py``

* **backtest folds**: ``chainmap backtest`` on the bundled workspace (eight
  yearly folds, no bootstrap). The folds' snapshots hold only four distinct
  sets of labelled firms, so the link classifier is trained four times, not
  eight (:func:`chainmap.features.classifier.shared_fit`). Timed with the
  sharing off (``_FITS.kept = 0``) and on, each from an empty cache.
* **reasons of a long list**: ``TargetScorer.rank(chain, top=None)`` of the
  bundled library merged with the real listed firms (``../shared/data/listed``,
  skipped when absent): every row's reason describes its placement
  (``placement.describe``), which built pandas frames per row before.
* **reading a library**: :func:`chainmap.store.mapping.conform` of a 60,000-row
  firm table as SQLite hands it over (text and NULLs), as every cold read of a
  workspace does.

Results go to ``bench/results/repeat_work.json``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.features import classifier  # noqa: E402
from chainmap.io import bundled_workspace, read_workspace  # noqa: E402
from chainmap.io.schemas import SPECS  # noqa: E402
from chainmap.learn.backtest import backtest  # noqa: E402
from chainmap.store.mapping import conform  # noqa: E402

LISTED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "listed"
FILES = {"basic": "a_share_basic_2025-06.csv", "sw": "a_share_sw2021_l3_2021-10.csv",
         "status": "a_share_csrc_status_2026-06.csv"}


def main() -> None:
    t = read_workspace(bundled_workspace())
    rows = []
    kept = classifier._FITS.kept
    backtest(t, cutoff="2024-01-01", n_boot=0, learned=False)  # warm-up: imports and first-call costs untimed
    for label, keep in (("each fold trains its classifier", 0), ("folds share equal trainings", kept)):
        classifier._FITS.kept = keep

        def run():
            classifier._FITS.clear()  # each run from an empty cache
            backtest(t, n_boot=0)
        rows.append({"what": f"bundled backtest, 8 folds: {label}", **timeit(run, repeat=3, warmup=0)})
    classifier._FITS.kept = kept

    if all((LISTED / f).is_file() for f in FILES.values()):
        from chainmap.io.listed import firms_from_listed, merge_firms
        from chainmap.io.workspace import validate_tables
        from chainmap.scoring import TargetScorer

        raw = {k: pd.read_csv(LISTED / f, dtype=str) for k, f in FILES.items()}
        firms, _ = merge_firms(t.firms, firms_from_listed(raw["basic"], raw["sw"], raw["status"], source="x"))
        scorer = TargetScorer().fit(validate_tables(t.replace(firms=firms.sort_values("id").reset_index(drop=True))))
        rows.append({"what": f"rank electronics, top=None, {len(firms):,} firms, with reasons",
                     **timeit(lambda: scorer.rank("electronics", top=None), repeat=3)})
    else:
        print(f"no listed tables at {LISTED}: the ranking row is left out")

    rng = np.random.default_rng(0)
    words = np.array(["深圳市某某电子科技有限公司", "", None, "3982", "主板"], dtype=object)
    n = 60_000
    raw = pd.DataFrame({c.name: words[rng.integers(0, len(words), n)] for c in SPECS["firms"].columns})
    for c in SPECS["firms"].columns:
        if c.kind in ("float", "int"):
            raw[c.name] = rng.integers(0, 9, n)
        elif c.kind == "bool":
            raw[c.name] = rng.integers(0, 2, n)
    rows.append({"what": f"conform firms, {n:,} rows from SQLite", **timeit(lambda: conform("firms", raw), repeat=5)})
    report("repeat_work", rows)


if __name__ == "__main__":
    main()
