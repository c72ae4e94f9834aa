"""Synthetic worlds: chains, firms and plants at any scale, for benchmarks and tests.

Everything is drawn from one seeded generator, vectorised with numpy so that a
national-scale library (a million firms) builds in seconds. Names look like real
Chinese firm names but every row says ``synthetic`` in its source.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .io.schemas import SPECS
from .io.workspace import canonical
from .model import TABLE_NAMES, Tables

__all__ = ["synthetic_world"]

# Other cities' headquarters; the home city (a parameter) is the last HQ city of the draw.
_CITIES = ("深圳", "广州", "东莞", "佛山", "惠州", "上海", "苏州", "无锡", "杭州", "宁波", "合肥",
           "北京", "天津", "成都", "武汉", "长沙", "厦门")
_REGION = {"深圳": "PRD", "广州": "PRD", "东莞": "PRD", "佛山": "PRD", "惠州": "PRD", "上海": "YRD",
           "苏州": "YRD", "无锡": "YRD", "杭州": "YRD", "宁波": "YRD", "合肥": "YRD", "北京": "BTH",
           "天津": "BTH", "成都": "other_cn", "武汉": "other_cn", "长沙": "other_cn", "厦门": "other_cn"}
_WORDS = np.array(list("华泰嘉宏信恒鑫达盛源兴瑞金科创新联合隆丰启明博远腾越凯晟"))
_PRODUCTS = np.array(["铜箔", "覆铜板", "玻纤布", "树脂", "电机", "控制器", "电芯", "正极材料", "铝型材",
                      "连接器", "电路板", "车架", "轮胎", "靶材", "浆料", "电缆"])
_SRC = "synthetic (chainmap.synth)"


def _frame(name: str, data: dict) -> pd.DataFrame:
    """Fill in the spec's other columns with blanks of the right type."""
    spec = SPECS[name]
    n = len(next(iter(data.values()))) if data else 0
    out = {}
    for c in spec.columns:
        if c.name in data:
            out[c.name] = data[c.name]
        elif c.kind == "float":
            out[c.name] = np.full(n, np.nan)
        elif c.kind == "int":
            out[c.name] = pd.array([pd.NA] * n, dtype="Int64")
        elif c.kind == "bool":
            out[c.name] = np.zeros(n, dtype=bool)
        else:
            out[c.name] = np.full(n, "", dtype=object)
    df = pd.DataFrame(out)
    for c in spec.columns:
        if c.kind in ("str", "date", "slug"):
            df[c.name] = df[c.name].astype("str")
        elif c.kind == "int":
            df[c.name] = df[c.name].astype("Int64")
    return canonical(name, df)


def synthetic_world(n_chains: int = 3, links_per_chain: int = 50, n_firms: int = 10_000,
                    local_ops: int = 1_000, ops_per_firm: float = 2.0, present_share: float = 0.4,
                    seed: int = 0, home: str = "甲市") -> Tables:
    """A random but valid workspace.

    Parameters
    ----------
    n_chains, links_per_chain : int
        Chain sizes. Each chain is a DAG from upstream to downstream; the first
        link of chain ``k`` also feeds a link of chain ``k+1`` (cross-chain edges).
    n_firms : int
        Firms in the library.
    local_ops : int
        Firm–link operations in the home city (``local = true``).
    present_share : float
        Share of links that have local plants at all, so that the home city has
        strong, weak, missing and unassessed links as a real city does.
    ops_per_firm : float
        Mean number of links each firm operates in (non-local operations).
    seed : int
    home : str
        The home city: one of the HQ cities drawn, and the place of the local
        plants' entities (a test world's default; real workspaces name theirs
        in ``seeds/city.toml``).

    Examples
    --------
    >>> t = synthetic_world(n_chains=2, links_per_chain=12, n_firms=500, local_ops=40)
    >>> len(t.links), len(t.firms)
    (24, 500)
    >>> int(t.operations["local"].sum()) <= 40   # draws of the same firm and link merge
    True
    """
    rng = np.random.default_rng(seed)
    chains = [f"c{k}" for k in range(n_chains)]
    link_ids, link_chain, stages = [], [], []
    for c in chains:
        for i in range(links_per_chain):
            link_ids.append(f"{c}_l{i:03d}")
            link_chain.append(c)
            frac = i / links_per_chain
            stages.append("upstream" if frac < 0.3 else "midstream" if frac < 0.7 else "downstream")
    link_ids = np.array(link_ids)
    src, dst = [], []
    for k, c in enumerate(chains):
        base = k * links_per_chain
        for i in range(1, links_per_chain):
            for j in set(rng.integers(max(0, i - 8), i, size=int(rng.integers(1, 4)))):
                src.append(base + j)
                dst.append(base + i)
        if k + 1 < n_chains:
            src.append(base)
            dst.append(base + links_per_chain + links_per_chain // 2)
    edges = pd.DataFrame({"src": link_ids[src], "dst": link_ids[dst]}).drop_duplicates()
    n_links = len(link_ids)

    cities = np.array([*_CITIES, home])
    city = cities[rng.integers(0, len(cities), n_firms)]
    w = _WORDS[rng.integers(0, len(_WORDS), (n_firms, 2))]
    prod = _PRODUCTS[rng.integers(0, len(_PRODUCTS), n_firms)]
    fid = np.char.add("f", np.arange(n_firms).astype(str))
    names = pd.Series(city).str.cat([pd.Series(w[:, 0]), pd.Series(w[:, 1]), pd.Series(prod)]) + "科技有限公司"

    n_ops = int(n_firms * ops_per_firm)
    op_firm = rng.integers(0, n_firms, n_ops)
    op_link = rng.integers(0, n_links, n_ops)
    local_firm = rng.integers(0, n_firms, local_ops)
    present = rng.choice(n_links, size=max(1, int(round(present_share * n_links))), replace=False)
    # Uneven cluster sizes: a few links hold most plants, many hold one or two.
    weights = rng.pareto(1.2, len(present)) + 0.05
    local_link = present[rng.choice(len(present), size=local_ops, p=weights / weights.sum())]
    ops = pd.DataFrame({
        "firm_id": fid[np.concatenate([op_firm, local_firm])],
        "link_id": link_ids[np.concatenate([op_link, local_link])],
        "local": np.concatenate([np.zeros(n_ops, bool), np.ones(local_ops, bool)]),
    })
    ops["entity"] = np.where(ops["local"], home + ops["firm_id"] + "分厂", "")
    ops = ops.drop_duplicates(["firm_id", "link_id", "entity"])
    ops = ops.assign(
        output_yi=np.where(rng.random(len(ops)) < 0.2, rng.lognormal(1.0, 1.0, len(ops)).round(2), np.nan),
        chain_leader=ops["local"].to_numpy() & (rng.random(len(ops)) < 0.01),
        source=_SRC,
    )
    assessed = link_ids[rng.random(n_links) < 0.8]
    t = {
        "chains": _frame("chains", {"id": chains, "name_zh": [f"合成链{k}" for k in range(n_chains)], "source": _SRC}),
        "links": _frame("links", {
            "id": link_ids, "chain": link_chain, "name_zh": np.char.add("环节", link_ids), "stage": stages,
            "importance": rng.uniform(0.3, 1.0, n_links).round(2),
            "keywords": _PRODUCTS[rng.integers(0, len(_PRODUCTS), n_links)], "scope": "core"}),
        "edges": _frame("edges", {"src": edges["src"].to_numpy(), "dst": edges["dst"].to_numpy(),
                                  "share": rng.uniform(0.05, 0.4, len(edges)).round(2)}),
        "firms": _frame("firms", {
            "id": fid, "name_zh": names.to_numpy(), "hq_city": city,
            "hq_region": pd.Series(city).map(_REGION).fillna("other_cn").to_numpy(),
            "revenue_yi": rng.lognormal(2.0, 1.5, n_firms).round(1), "products": prod, "source": _SRC,
            "verified": "illustrative"}),
        "operations": _frame("operations", {c: ops[c].to_numpy() for c in ops.columns}),
        "assessments": _frame("assessments", {"link_id": assessed, "assessed_on": "2026-11-01", "source": _SRC}),
    }
    return Tables(**{n: t.get(n, _frame(n, {})) for n in TABLE_NAMES})
