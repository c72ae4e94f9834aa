"""The backtest on the real market: bundled data + the listed library + the shared events (issue 14's goals).

Run: ``.venv/bin/python bench/bench_backtest_market.py [FIRST_YEAR-LAST_YEAR] [--products-text]`` (default 2021-2024)

The workspace is the bundled one plus every A-share firm of
``../shared/data/listed`` as ``chainmap import firms`` builds it
(:func:`chainmap.io.listed.firms_from_listed` merged by
:func:`~chainmap.io.listed.merge_firms`: stock code, listing date, status and
the 申万 / Tushare / CSRC classes the scorer places firms by; in memory, never
copied; ``--products-text`` uses the older :mod:`market` helper instead), and
the events are ``../shared/data/events/events_2019_2024.csv`` read by
:func:`chainmap.io.events.parse_events` (firms absent from the library stay
as misses). The whole backtest runs once, as
``chainmap backtest --events FILE --years 2021-2024`` would: yearly folds from
2019 (earlier folds train the learned methods), every method, 1,000 bootstrap
resamples. Budget: 5 min for the whole run, loading included.

Results (timing, and per chain the figures the goals are judged on) go to
``bench/results/backtest_market.json``. Skips with a message when
``../shared/data`` is absent.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402
import market  # noqa: E402

from chainmap.io import bundled_workspace, read_workspace  # noqa: E402
from chainmap.io.city import read_city  # noqa: E402
from chainmap.io.events import parse_events  # noqa: E402
from chainmap.learn.backtest import BASELINES, OVERALL, backtest  # noqa: E402
from chainmap.learn.weights import blend_weights  # noqa: E402
from chainmap.scoring.weights import DEFAULT_STRATEGY, STEADY_PRIOR  # noqa: E402

EVENTS = market.LISTED.parent / "events" / "events_2019_2024.csv"


def goals(bt, k: int = 20, a_share: set | None = None) -> dict:
    """Per chain and overall: the default strategy's AUC-PR, interval, each baseline's b and goal, P@k and its ceiling."""
    m = bt.metrics.set_index(["method", "chain"])
    r = bt.ranks[bt.ranks["method"] == DEFAULT_STRATEGY]
    per = r.groupby(["chain", "fold"]).size()
    ra = r[r["firm_id"].isin(a_share or set())]
    cov_a = (ra["rank"] <= ra["n_candidates"]).groupby(ra["chain"]).mean().to_dict()
    cov_a[OVERALL] = float((ra["rank"] <= ra["n_candidates"]).mean()) if len(ra) else float("nan")
    out = {}
    for chain in m.loc[DEFAULT_STRATEGY].index:
        row = m.loc[(DEFAULT_STRATEGY, chain)]
        sizes = per if chain == OVERALL else per.loc[chain]
        ceiling = float(np.mean(np.minimum(sizes.to_numpy(), k) / k))
        base = {}
        for b in BASELINES:
            v = float(m.loc[(b, chain), "auc_pr"])
            goal = min(2 * v, v + (1 - v) / 2)
            base[b] = {"auc_pr": round(v, 4), "goal": round(goal, 4),
                       "met": bool(row["auc_pr"] >= goal and row["auc_pr_lo"] > v)}
        out[chain] = {"n_events": int(row["n_events"]), "coverage": round(float(row["coverage"]), 4),
                      "a_share_coverage": round(float(cov_a.get(chain, float("nan"))), 4),
                      "auc_pr": round(float(row["auc_pr"]), 4), "auc_pr_lo": round(float(row["auc_pr_lo"]), 4),
                      "auc_pr_hi": round(float(row["auc_pr_hi"]), 4), "baselines": base,
                      f"p@{k}": round(float(row[f"p@{k}"]), 4), f"p@{k}_ceiling": round(ceiling, 4),
                      f"p@{k}_met": bool(row[f"p@{k}"] >= ceiling / 2),
                      "all_methods_auc_pr": {meth: round(float(m.loc[(meth, chain), "auc_pr"]), 4)
                                             for meth in m.index.get_level_values(0).unique()}}
    return out


def per_fold(bt, k: int = 20) -> dict:
    """AUC-PR and P@k per test fold, chain (and all chains) and method.

    ``{fold: {chain: {method: ap, "n_events": n, "p@k": {method: p}}}}``; P@k of all chains is the
    investors in each chain's top k over k × the chains ranked.
    """
    r = bt.ranks
    out = {}
    for fold, f in r.groupby("fold", sort=True):
        out[fold] = {}
        for chain, c in [*f.groupby("chain", sort=True), (OVERALL, f)]:
            row = c.groupby("method")["ap"].mean().round(4).to_dict()
            row["n_events"] = int((c["method"] == DEFAULT_STRATEGY).sum())
            hits = (c["rank"] <= k).groupby(c["method"]).sum()
            row[f"p@{k}"] = (hits / (k * c["chain"].nunique())).round(4).to_dict()
            out[fold][chain] = row
    return out


def top_kinds(tables, events, home, years: tuple[int, int], chains, k: int = 20) -> dict:
    """Who fills 稳健's top ``k`` per chain over the test folds: that year's investors, past expanders …

    Each firm of each fold's top ``k`` (the snapshot as the backtest takes it) is counted once, as the
    first that applies: ``investor`` (invested in the chain that year), ``past_expander`` (an earlier
    event or expansion signal: propensity or chain history > 0), ``local`` (a plant in the home city:
    增资扩产), ``giant`` (a Fortune Global 500 / China 500 honour), ``excluded`` (a never-place class:
    banks, developers; there should be none), else ``other``.
    """
    import pandas as pd

    from chainmap.io.schemas import SPECS
    from chainmap.learn.backtest import _with_own_events, as_of, event_table
    from chainmap.scoring.engine import ScoringParams, TargetScorer

    known = events["firm_id"].fillna("").astype(str) != ""
    tested = events.loc[known, SPECS["events"].names].reset_index(drop=True)
    t = tables.replace(events=_with_own_events(tested, tables.events))
    every, _ = event_table(t.replace(events=tested), ledger=False)
    out = {}
    for y in range(years[0], years[1] + 1):
        d = f"{y}-01-01"
        s = TargetScorer(ScoringParams(as_of=d, home=home.city, home_province=home.province,
                                       neighbours=tuple(home.neighbours))).fit(as_of(t, d, every))
        for chain in chains:
            top = s.rank(chain, DEFAULT_STRATEGY, top=k)
            inv = set(every.loc[(every["date"].astype(str).str[:4] == str(y)) & (every["chain"] == chain), "firm_id"])
            rows = s.firm_index_.get_indexer(top["firm_id"])
            past = (s.propensity_[rows] + s.chain_history_.get(chain, np.zeros(len(s.firm_index_)))[rows]) > 0
            for fid, i, p, loc, hon in zip(top["firm_id"], rows, past, top["expand"], top["honour"]):
                kind = ("investor" if fid in inv else "past_expander" if p else "local" if loc else
                        "giant" if hon in ("FG500", "CN500") else "excluded" if s.excluded_[i] else "other")
                c = out.setdefault(chain, {})
                c[kind] = c.get(kind, 0) + 1
    total = pd.DataFrame(out).fillna(0).sum(axis=1).sort_index()
    return {c: dict(sorted(v.items())) for c, v in out.items()} | {OVERALL: {k: int(v) for k, v in total.items()}}


def listed_tables(bundled):
    """The bundled tables plus the listed firms merged as the importer does (classes, status, 上市 honours)."""
    import pandas as pd

    from chainmap.io.listed import firms_from_listed, listed_honours, merge_firms
    from chainmap.io.workspace import validate_tables

    t = {k: pd.read_csv(market.LISTED / f, dtype=str) for k, f in
         {"basic": "a_share_basic_2025-06.csv", "sw": "a_share_sw2021_l3_2021-10.csv",
          "status": "a_share_csrc_status_2026-06.csv"}.items()}
    firms, _ = merge_firms(bundled.firms, firms_from_listed(t["basic"], t["sw"], t["status"]))
    honours = pd.concat([bundled.honours, listed_honours(firms, bundled.honours)], ignore_index=True)
    return validate_tables(bundled.replace(firms=firms.sort_values("id").reset_index(drop=True), honours=honours))


def main(years: str = "2021-2024", products_text: bool = False) -> None:
    if not market.available() or not EVENTS.exists():
        print(f"SKIPPED: {market.LISTED} or {EVENTS} is absent (the shared data lies beside the clone in CI)")
        return
    lo, hi = (int(y) for y in years.split("-"))
    t0 = time.perf_counter()
    bundled = read_workspace(bundled_workspace())
    tables = market.market_tables(bundled) if products_text else listed_tables(bundled)
    home = read_city(bundled_workspace()).home
    ef = parse_events(EVENTS.read_bytes(), EVENTS.name, tables, home)
    loaded = time.perf_counter() - t0
    steps = []
    bt = backtest(tables, events=ef.events, home=home, years=(lo, hi), n_boot=1000, baselines=tuple(BASELINES),
                  signals=True,
                  progress=lambda d, n, what: steps.append((what, time.perf_counter() - t0)))
    total = time.perf_counter() - t0  # the backtest itself, loading included (top_kinds below is extra)
    print(f"library {len(tables.firms):,} firms; events {ef.coverage()}; loaded in {loaded:.1f} s")
    for what, at in steps:
        print(f"  fold {what} done at {at:6.1f} s")
    codes = ef.events["stock_code"].fillna("").astype(str) != ""
    g = goals(bt, a_share=set(ef.events.loc[codes, "firm_id"]))
    for chain, row in g.items():
        print(chain, {k: v for k, v in row.items() if k != "all_methods_auc_pr"})
        print("   ", row["all_methods_auc_pr"])
    # The weights learned on the folds before the first test fold, and their blend with the 稳健 prior: what
    # STRATEGIES["稳健"] holds (chainmap/scoring/weights.py), learned on no test fold.
    first = bt.weights.get(bt.folds[0])
    blend = blend_weights(STEADY_PRIOR, first) if isinstance(first, dict) else None
    print("learned before the first test fold:", first)
    print("blend with the 稳健 prior:", blend)
    folds = per_fold(bt)
    for fold, chains in folds.items():
        print(f"fold {fold}:", {c: {m: v for m, v in row.items() if m in ("稳健", *BASELINES)} for c, row in chains.items()})
        print("    P@20 of 稳健:", {c: row["p@20"].get("稳健") for c, row in chains.items()})
    kinds = top_kinds(tables, ef.events, home, (lo, hi), sorted(set(bt.ranks["chain"])))
    print("who fills the top 20 (slots over the test folds):", kinds)
    contrib = bt.contributions.groupby("feature")["contribution"].mean().sort_values(ascending=False)
    report("backtest_market", [{
        "what": f"backtest on bundled + {len(tables.firms) - len(read_workspace(bundled_workspace()).firms):,} "
                f"listed firms, {len(ef.events)} shared events, test folds {lo}-{hi}, 1000 bootstrap resamples",
        "median_ms": round(total * 1e3, 1), "min_ms": round(total * 1e3, 1), "max_ms": round(total * 1e3, 1),
        "runs": 1, "budget_ms": 300_000, "event_coverage": ef.coverage(), "goals": g,
        "per_fold": folds, "top20_kinds": kinds,
        "signals_contribution": contrib.round(4).to_dict(), "signal_weights": bt.signal_weights,
        "learned_before_first_fold": first, "blend": blend, "learned_per_fold": bt.weights}])


if __name__ == "__main__":
    main(*[a for a in sys.argv[1:2] if not a.startswith("--")], products_text="--products-text" in sys.argv)
