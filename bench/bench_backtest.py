"""Benchmark of ``chainmap backtest`` at library scale.

Run: ``.venv/bin/python bench/bench_backtest.py [N_FIRMS] [N_EVENTS]`` (defaults 100,000 and 300)

A synthetic world (:func:`chainmap.synth.synthetic_world`: 3 chains × 50 links,
N_FIRMS firms, local plants on 40 % of links) gets N_EVENTS synthetic events
(labelled ``origin = synthetic``): random firms investing in one of their
chains, dated over 2021–2025, a tenth of them bringing a plant to the home
city. The whole backtest runs once, as ``chainmap backtest`` does: five yearly
folds, each a snapshot plus a full scorer fit, every firm scored for every
chain by two strategies, the learned weights and two baselines, then 1,000
bootstrap resamples. Budget: < 60 s.

Results go to ``bench/results/backtest.json``.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402

from chainmap.learn.backtest import OVERALL, backtest  # noqa: E402
from chainmap.synth import synthetic_world  # noqa: E402


def synthetic_events(t, n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ops = t.operations.merge(t.links[["id", "chain"]], left_on="link_id", right_on="id")
    pick = ops.iloc[rng.choice(len(ops), n, replace=False)]
    days = rng.integers(0, 5 * 365, n)
    dates = (pd.Timestamp("2021-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
    return pd.DataFrame({
        "id": [f"S{i:05d}" for i in range(n)], "date": dates, "firm_id": pick["firm_id"].to_numpy(),
        "firm_name": "", "chain": pick["chain"].to_numpy(), "link_id": pick["link_id"].to_numpy(),
        "kind": "new_plant", "project": "", "place": "", "in_qingyuan": rng.random(n) < 0.1,
        "amount_yi": np.nan, "origin": "synthetic", "source": "bench (synthetic event)", "verified": "",
        "notes": ""}).sort_values("id").reset_index(drop=True)


def main(n_firms: int = 100_000, n_events: int = 300) -> None:
    t0 = time.perf_counter()
    world = synthetic_world(n_firms=n_firms, local_ops=n_firms // 50)
    world = world.replace(events=synthetic_events(world, n_events))
    print(f"world: {len(world.firms):,} firms, {len(world.operations):,} operations, {n_events} events "
          f"({time.perf_counter() - t0:.1f} s to build)")
    steps = []
    t0 = time.perf_counter()
    bt = backtest(world, n_boot=1000, progress=lambda d, n, what: steps.append((what, time.perf_counter() - t0)))
    total = time.perf_counter() - t0
    for what, at in steps:
        print(f"  fold {what} done at {at:6.1f} s")
    ov = bt.metrics[bt.metrics["chain"] == OVERALL].set_index("method")["auc_pr"].round(4).to_dict()
    print("overall AUC-PR:", ov)
    report("backtest", [{"what": f"backtest, {n_firms:,} firms, {n_events} events, {len(bt.folds)} folds, "
                                 "1000 bootstrap resamples", "median_ms": round(total * 1e3, 1),
                         "min_ms": round(total * 1e3, 1), "max_ms": round(total * 1e3, 1), "runs": 1,
                         "budget_ms": 60_000, "auc_pr": ov}])


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
