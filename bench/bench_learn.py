"""Benchmark of chainmap.learn: the products-text classifier and link density at scale.

Run: ``.venv/bin/python bench/bench_learn.py [N_TEXTS] [N_FIRMS]`` (defaults 100,000 and 100,000)

* Train :class:`~chainmap.learn.LinkClassifier` (TF-IDF char 1–3-grams, one calibrated
  logistic regression per link, default parameters, one process) on N_TEXTS synthetic
  products texts over the 56 real links of the bundled chains. Budget: < 60 s.
  Each text is 1–2 keywords of its link(s) (from the chain files), about a quarter of
  them naming a second link (multi-label), wrapped in noise: generic words
  (生产, 销售, 系列产品, …) and brand-like characters from ``chainmap.synth``.
  Also timed: predicting the same texts, and the held-out micro-F1 on 10,000 fresh
  texts as a sanity check that the model learned something.
* The home city's density over 150 links on a synthetic world of N_FIRMS firms, at city
  level (RCA → presence → proximity across cities) and firm level (proximity from firm
  co-occurrence).

Results go to ``bench/results/learn.json``.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.io import bundled_workspace, read_workspace  # noqa: E402
from chainmap.features import LinkClassifier, link_density  # noqa: E402
from chainmap.synth import _WORDS, synthetic_world  # noqa: E402

NOISE = np.array("生产 销售 研发 制造 加工 系列产品 及 等 配套 高端 精密 智能 新型 技术服务 进出口 零部件 "
                 "设备 材料 有限公司 相关产品 定制 解决方案".split())


def synthetic_texts(links: pd.DataFrame, n: int, seed: int = 0) -> tuple[pd.Series, list[tuple[str, ...]]]:
    """``n`` labelled products texts built from the links' names and keywords plus noise."""
    rng = np.random.default_rng(seed)
    words = (links["name_zh"] + "|" + links["keywords"]).str.split("|")
    sizes = words.str.len().to_numpy()
    vocab = np.array([w for ws in words for w in ws], dtype=object)
    offset = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    ids = links["id"].to_numpy(dtype=object)

    def keyword(link_rows: np.ndarray) -> pd.Series:
        return pd.Series(vocab[offset[link_rows] + (rng.random(n) * sizes[link_rows]).astype(int)])

    first = rng.integers(0, len(links), n)
    second = (first + rng.integers(1, len(links), n)) % len(links)  # a different link
    two = rng.random(n) < 0.25
    brand = pd.Series(_WORDS[rng.integers(0, len(_WORDS), n)]) + pd.Series(_WORDS[rng.integers(0, len(_WORDS), n)])
    text = (brand.where(rng.random(n) < 0.3, "") + pd.Series(NOISE[rng.integers(0, len(NOISE), n)])
            + keyword(first) + pd.Series(np.where(two, "、", ""))
            + keyword(second).where(two, "") + "、" + pd.Series(NOISE[rng.integers(0, len(NOISE), n)]))
    labels = [(a, b) if t else (a,) for a, b, t in zip(ids[first], ids[second], two)]
    return text, labels


def main(n_texts: int = 100_000, n_firms: int = 100_000) -> None:
    rows = []
    links = read_workspace(bundled_workspace()).links
    texts, labels = synthetic_texts(links, n_texts, seed=0)
    print(f"{n_texts:,} synthetic products texts over {len(links)} links, e.g. {texts.iat[0]!r} → {labels[0]}")
    clf = LinkClassifier()
    t = timeit(lambda: clf.fit(texts, labels), repeat=1, warmup=0)
    rows.append({"what": f"LinkClassifier.fit on {n_texts:,} texts, {len(clf.classes_)} links (1 process)",
                 **t, "budget_ms": 60_000})
    rows.append({"what": f"LinkClassifier.predict_proba on {n_texts:,} texts",
                 **timeit(lambda: clf.predict_proba(texts), repeat=3, warmup=0)})
    fresh, fresh_labels = synthetic_texts(links, 10_000, seed=1)
    pred = clf.predict(fresh)
    tp = sum(len(set(p) & set(y)) for p, y in zip(pred, fresh_labels))
    n_pred, n_true = sum(map(len, pred)), sum(map(len, fresh_labels))
    rows.append({"what": "held-out micro-F1 on 10,000 fresh synthetic texts (sanity)",
                 "value": 2 * tp / (n_pred + n_true), "unit": "", "median_ms": 0.0})

    t0 = time.perf_counter()
    world = synthetic_world(n_chains=3, links_per_chain=50, n_firms=n_firms, local_ops=1_000, seed=3)
    print(f"synthetic world: {len(world.firms):,} firms, {len(world.operations):,} operations, "
          f"{len(world.links)} links (built in {time.perf_counter() - t0:.1f} s)")
    for level in ("city", "firm"):  # home: synthetic_world's default home city
        rows.append({"what": f"link_density(level={level!r}), {n_firms:,} firms × {len(world.links)} links",
                     **timeit(lambda: link_density(world, level=level, home="甲市"), repeat=5)})
    report("learn", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
