"""Benchmark of issue 3: rank a national-scale library against all chains.

Run: ``.venv/bin/python bench/bench_scoring.py [N_FIRMS]`` (default 1,000,000)

Budget: rank 1,000,000 firms against three chains (150 links) in under 2 s with
peak memory under 3 GB, scores computed for every firm before the top N is
taken. Also reported: our time ÷ the bare sparse matrix–vector products every
implementation must do (goal ≤ 3×), and the ratio against a straightforward
per-firm Python loop (timed on a sample, scaled up).

Fit is timed with the default ``inference="classifier"`` and with
``inference="keywords"``. The synthetic library's products texts are rewritten
to name each firm's first link (its keywords and name, wrapped in noise and
brand characters, as in ``bench_learn.py``), so that the classifier has
something to learn and almost every text is distinct, as in a real library;
firms without operations (about e^-2 ≈ 13.5 %) get the text of a random link
and are the ones the classifier places. Training uses a stratified sample of
at most ``ScoringParams.max_train`` (5,000) labelled firms.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402
from bench_learn import NOISE  # noqa: E402

from chainmap.scoring import MODES, TargetScorer  # noqa: E402
from chainmap.synth import _WORDS, synthetic_world  # noqa: E402


def link_texts(world, seed: int = 0):
    """The world with each firm's products text naming its first link (a random one if it has none)."""
    rng = np.random.default_rng(seed)
    firms, links = world.firms, world.links
    n = len(firms)
    first = world.operations.drop_duplicates("firm_id").set_index("firm_id")["link_id"].reindex(firms["id"])
    rows = pd.Index(links["id"]).get_indexer(first.fillna("")).astype(np.int64)
    rows[rows < 0] = rng.integers(0, len(links), int((rows < 0).sum()))
    words = (links["name_zh"] + "|" + links["keywords"]).str.split("|")
    sizes = words.str.len().to_numpy()
    vocab = np.array([w for ws in words for w in ws], dtype=object)
    offset = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    keyword = vocab[offset[rows] + (rng.random(n) * sizes[rows]).astype(int)]
    brand = pd.Series(_WORDS[rng.integers(0, len(_WORDS), n)]) + pd.Series(_WORDS[rng.integers(0, len(_WORDS), n)])
    text = (brand.where(rng.random(n) < 0.3, "") + pd.Series(NOISE[rng.integers(0, len(NOISE), n)])
            + pd.Series(keyword) + "、" + pd.Series(NOISE[rng.integers(0, len(NOISE), n)])
            + pd.Series(rng.integers(0, 1000, n)).astype(str) + "系列")  # model numbers: distinct texts
    return world.replace(firms=firms.assign(products=text.to_numpy()))


def python_loop_scores(tables, scorer, chain, sample: int) -> float:
    """Seconds for a naive per-firm loop over the graph (no matrices) on ``sample`` firms."""
    gaps = scorer.gaps_[chain].set_index("link_id")
    sev = gaps["severity"].fillna(0).to_dict()
    status = gaps["status"].to_dict()
    ops = tables.operations.head(0)
    by_firm = {}
    for f, l, loc in zip(tables.operations["firm_id"], tables.operations["link_id"], tables.operations["local"]):
        by_firm.setdefault(f, []).append((l, loc))
    firms = list(tables.firms["id"][:sample])
    t0 = time.perf_counter()
    out = {}
    for f in firms:
        s = dict.fromkeys(MODES, 0.0)
        for link, local in by_firm.get(f, []):
            st = status.get(link)
            if st in s and not local:
                s[st] += sev[link]
        out[f] = s
    del ops
    return time.perf_counter() - t0


def main(n_firms: int = 1_000_000) -> None:
    t0 = time.perf_counter()
    world = link_texts(synthetic_world(n_chains=3, links_per_chain=50, n_firms=n_firms, local_ops=3_000, seed=3))
    unlinked = int((~world.firms["id"].isin(world.operations["firm_id"])).sum())
    print(f"synthetic library: {len(world.firms):,} firms ({world.firms['products'].nunique():,} distinct products "
          f"texts, e.g. {world.firms['products'].iat[0]!r}), {len(world.operations):,} firm–link operations, "
          f"{len(world.links)} links, {unlinked:,} firms without operations "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    chains = list(world.chains["id"])
    rows = []
    keywords = TargetScorer(inference="keywords")
    fit_kw = timeit(lambda: keywords.fit(world), repeat=3, warmup=0)
    rows.append({"what": f"fit, inference='keywords': fit matrix, density, firm vectors, gaps ({n_firms:,} firms)",
                 **fit_kw})
    del keywords
    scorer = TargetScorer()
    fit = timeit(lambda: scorer.fit(world), repeat=3, warmup=0)
    clf = scorer.classifier_
    rows.append({"what": f"fit, inference='classifier' (default): trained on {clf.n_train_:,} sampled labelled firms, "
                         f"{len(clf.classes_)} links; {int(scorer.inferred_proba_.getnnz(axis=1).astype(bool).sum()):,} "
                         f"of {unlinked:,} firms without operations placed", **fit})

    def rank_all():
        return [scorer.rank(c, top=50) for c in chains]

    ranked = timeit(rank_all, repeat=5)
    rows.append({"what": f"rank {n_firms:,} firms x 3 chains (all modes, top 50 each)", **ranked,
                 "budget_ms": 2000})
    print(scorer.inference_note_)
    total = {"median_ms": round(fit["median_ms"] + ranked["median_ms"], 2),
             "min_ms": round(fit["min_ms"] + ranked["min_ms"], 2)}
    rows.append({"what": "fit + rank, from tables in memory", **total, "max_ms": None, "runs": None})

    opps = [scorer.opportunities(c) for c in chains]

    def floor():
        for opp in opps:
            for m in MODES:
                scorer.eff_ @ opp[m]

    bare = timeit(floor, repeat=10)
    rows.append({"what": "floor: bare Fit @ opportunity products (3 chains x 3 modes)", **bare})
    sample = 50_000
    loop_s = python_loop_scores(world, scorer, chains[0], sample) * len(chains) * n_firms / sample
    rows.append({"what": f"per-firm Python loop, mode scores only (sample {sample:,}, scaled)",
                 "median_ms": round(loop_s * 1e3, 1), "min_ms": round(loop_s * 1e3, 1), "max_ms": None, "runs": 1})
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
    rows.append({"what": "peak resident memory of the whole run", "value": round(peak_gb, 2), "unit": "GB"})
    report("scoring", rows)
    print(f"rank ÷ floor = {ranked['median_ms'] / bare['median_ms']:.1f}x ; "
          f"Python loop ÷ rank = {loop_s * 1e3 / ranked['median_ms']:.0f}x ; peak memory {peak_gb:.2f} GB (budget 3)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
