"""Gap analysis: where a chain is strong, weak, missing or open for extension.

Definitions (all per link ``l`` of the chain, for the home city):

**Local evidence.** ``n_l`` local firms operate on ``l``; ``X_l`` is their
known annual output in 亿元 (NaN when no firm reports one); ``leader_l`` is 1
when one of them is flagged 链主 on ``l``.

**Input shares.** ``a_lj`` is the share of ``l`` in the inputs of ``j`` for an
edge ``l → j`` (from the chain file; unknown shares split the rest equally).

**Strength** in [0, 1] is the best of four pieces of evidence, so that any one
of them can show a link is strong and the reason can name which one did::

    strength_l = max(min(n_l, N) / N,          # a cluster of N firms (default 3)
                     min(1, X_l / Req*_l),     # self-sufficiency against local demand
                     min(1, X_l / X_ref),      # scale against a reference output
                     leader_l)                 # a 链主 is present

where ``Req*_l = Σ_j a_lj X_j`` over downstream links ``j`` with *known*
output (the input–output requirement of IMPLAN-style gap analysis), and absent
terms are skipped. A link with no local firm has strength 0.

**Status.**

* ``strong`` — present and ``strength ≥ θ`` (default 2/3);
* ``strengthen`` (强链) — present and ``strength < θ``;
* ``fill`` (补链) — no local firm, and some present link lies upstream of it
  *and* some present link downstream (following supply edges of all chains,
  recycling edges excluded): it is a hole in a local path;
* ``extend`` (延链) — no local firm, with present links on one side only, or
  on neither (a long jump);
* ``unassessed`` (待评估) — no local firm and no survey of the link in
  ``assessments``: unknown is not missing.

**Severity** (how much the gap matters) multiplies four factors in [0, 1]::

    severity_l = importance_l × pull_l × centrality_l × (1 − strength_l)

* ``pull_l = ½ + ½ · Req_l / max_k Req_k``: demand pull, with
  ``Req_l = Σ_j a_lj X̂_j`` over all downstream links (other chains included) and
  ``X̂_j = X_j`` where known, else ``strength_j · X_ref`` (an estimate);
* ``centrality_l = ½ + ½ · T_l / max_k T_k``: ``T_l`` is the number of
  source-to-sink paths of the chain's link graph that pass through ``l``
  (paths into ``l`` × paths out of ``l``), so bottleneck links matter more.

Unassessed links get no severity (NaN).

References
----------
Demand pull follows the regional-purchase-coefficient gap analysis of
input–output models (IMPLAN; Miller & Blair, *Input-Output Analysis*, 2nd ed.,
2009, ch. 3). The path-through count is a path-based betweenness on a DAG, one
of the variants surveyed by U. Brandes, "On variants of shortest-path
betweenness centrality and their generic computation", *Social Networks* 30
(2008) 136–145.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from ..model import Stage, Status, Tables
from .graph import input_shares, link_graph, topo_order

__all__ = ["GapParams", "gap_analysis", "GAP_COLUMNS"]

GAP_COLUMNS = [
    "link_id", "name_zh", "name_en", "chain", "stage", "status", "strength", "severity", "importance",
    "demand_pull", "centrality", "n_local", "incumbents", "chain_leaders", "reason", "source", "as_of",
]


@dataclass(frozen=True)
class GapParams:
    """Tuning of :func:`gap_analysis`.

    Attributes
    ----------
    cluster_size : int
        Number of local firms at which the count evidence saturates.
    strong_threshold : float
        Strength from which a present link counts as strong.
    reference_output_yi : float
        Annual local output (亿元) at which the scale evidence saturates, and
        the output assumed for a link of strength 1 when none is reported.
    """

    cluster_size: int = 3
    strong_threshold: float = 2 / 3
    reference_output_yi: float = 50.0


def _paths_through(g: nx.DiGraph, order: list) -> pd.Series:
    into = dict.fromkeys(order, 0.0)
    out = dict.fromkeys(order, 0.0)
    for n in order:
        preds = list(g.predecessors(n))
        into[n] = sum(into[p] for p in preds) if preds else 1.0
    for n in reversed(order):
        succ = list(g.successors(n))
        out[n] = sum(out[s] for s in succ) if succ else 1.0
    return pd.Series({n: into[n] * out[n] for n in order}, dtype=float)


def _reach_present(g: nx.DiGraph, order: list, present: pd.Series, upstream: bool) -> pd.Series:
    """For each link: does a present link lie upstream (or downstream) of it?"""
    seen = dict.fromkeys(order, False)
    walk = order if upstream else list(reversed(order))
    nbrs = g.predecessors if upstream else g.successors
    for n in walk:
        seen[n] = any(present.get(p, False) or seen[p] for p in nbrs(n))
    return pd.Series(seen)


def _nearest_present(g: nx.DiGraph, start, present: pd.Series, upstream: bool, k: int = 2) -> list:
    """The closest present links upstream (or downstream) of ``start``, by hops."""
    nbrs = g.predecessors if upstream else g.successors
    seen, frontier, found = {start}, deque([start]), []
    while frontier and not found:
        nxt = deque()
        for n in frontier:
            for m in nbrs(n):
                if m not in seen:
                    seen.add(m)
                    (found if present.get(m, False) else nxt).append(m)
        frontier = nxt
    return sorted(found)[:k]


def _names(ids, names: pd.Series) -> str:
    return "、".join(f"【{names.get(i, i)}】" for i in ids)


def _firms_text(firms: list, k: int = 3) -> str:
    more = f"等{len(firms)}家" if len(firms) > k else ""
    return "、".join(firms[:k]) + more


def gap_analysis(tables: Tables, chain: str, params: GapParams = GapParams()) -> pd.DataFrame:
    """Status, strength, severity and reason of every link of ``chain``.

    See the module docstring for the definitions and references.

    Parameters
    ----------
    tables : Tables
        A workspace snapshot (from any store).
    chain : str
        Chain id, e.g. ``"electronics"``.
    params : GapParams, optional

    Returns
    -------
    pandas.DataFrame
        One row per link, upstream first, with the columns of
        :data:`GAP_COLUMNS`. ``incumbents`` and ``chain_leaders`` are lists of
        firm names.

    Raises
    ------
    ValueError
        If ``chain`` is not a chain of the workspace (the message lists them).

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> gaps = gap_analysis(MemoryStore.open().tables(), "electronics")
    >>> gaps.set_index("link_id").loc["e_glass_yarn", ["status", "chain_leaders"]].tolist()
    ['strong', ['建滔集团']]
    """
    chains = list(tables.chains["id"])
    if chain not in chains:
        raise ValueError(f"unknown chain {chain!r}; choose one of: {', '.join(chains)}")
    p = params
    g_all = link_graph(tables)
    links = tables.links.set_index("id")
    ids = links.index
    name_of = links["name_zh"]
    firm_name = tables.firms.set_index("id")["name_zh"]

    ops = tables.operations[tables.operations["local"]]
    by_link = ops.groupby("link_id")
    n = by_link["firm_id"].nunique().reindex(ids, fill_value=0)
    x_known = by_link["output_yi"].sum(min_count=1).reindex(ids)
    leader = pd.Series(ids.isin(ops.loc[ops["chain_leader"], "link_id"]), index=ids, dtype=float)

    shares = input_shares(g_all)
    a = pd.DataFrame({"i": shares.index.get_level_values(0), "j": shares.index.get_level_values(1),
                      "a": shares.to_numpy()})

    def requirement(x: pd.Series) -> pd.Series:
        contrib = a["a"].to_numpy() * x.reindex(a["j"]).fillna(0.0).to_numpy()
        return pd.Series(contrib, index=a["i"]).groupby(level=0).sum().reindex(ids, fill_value=0.0)

    req_known = requirement(x_known)
    evidence = pd.DataFrame({
        "count": np.minimum(n, p.cluster_size) / p.cluster_size,
        "sufficiency": (x_known / req_known.where(req_known > 0)).clip(upper=1.0),
        "scale": (x_known / p.reference_output_yi).clip(upper=1.0),
        "leader": leader,
    })
    strength = evidence.max(axis=1, skipna=True).where(n > 0, 0.0)
    decided_by = evidence.idxmax(axis=1, skipna=True).where(n > 0, "")
    x_hat = x_known.fillna(strength * p.reference_output_yi)
    req = requirement(x_hat)

    g = link_graph(tables, chain)
    order = topo_order(g)
    present = n > 0
    assessed = present | ids.to_series().isin(tables.assessments["link_id"])
    up = _reach_present(g_all, list(nx.topological_sort(g_all)), present, upstream=True)
    down = _reach_present(g_all, list(nx.topological_sort(g_all)), present, upstream=False)

    req_c = req.reindex(order)
    pull = 0.5 + 0.5 * (req_c / req_c.max() if req_c.max() > 0 else req_c * 0.0)
    through = _paths_through(g, order)
    cent = 0.5 + 0.5 * through / through.max()

    local = ops[ops["link_id"].isin(order)].assign(firm=lambda d: d["firm_id"].map(firm_name))
    incumbents = local.groupby("link_id")["firm"].agg(lambda s: list(dict.fromkeys(s)))
    leaders = local[local["chain_leader"]].groupby("link_id")["firm"].agg(lambda s: list(dict.fromkeys(s)))
    op_src = local.groupby("link_id")["source"].agg(lambda s: " ; ".join(dict.fromkeys(s)))
    op_since = local.groupby("link_id")["since"].max()
    ass = tables.assessments.set_index("link_id")

    rows = []
    for lid in order:
        firms = incumbents.get(lid, [])
        s = float(strength[lid])
        if present[lid]:
            status = Status.STRONG if s >= p.strong_threshold else Status.STRENGTHEN
        elif not assessed[lid]:
            status = Status.UNASSESSED
        elif up[lid] and down[lid]:
            status = Status.FILL
        else:
            status = Status.EXTEND
        imp = float(links.at[lid, "importance"])
        sev = np.nan if status is Status.UNASSESSED else imp * pull[lid] * cent[lid] * (1.0 - s)
        reason = _reason(status, lid, firms, leaders.get(lid, []), s, decided_by[lid], evidence.loc[lid],
                         p, g_all, present, name_of, up[lid], down[lid])
        if present[lid]:
            source = op_src.get(lid, "")
            as_of = ass.at[lid, "assessed_on"] if lid in ass.index else (op_since.get(lid, "") or "")
        else:
            source = ass.at[lid, "source"] if lid in ass.index else ""
            as_of = ass.at[lid, "assessed_on"] if lid in ass.index else ""
        rows.append({
            "link_id": lid, "name_zh": name_of[lid], "name_en": links.at[lid, "name_en"], "chain": chain,
            "stage": links.at[lid, "stage"], "status": status.value, "strength": round(s, 4),
            "severity": None if np.isnan(sev) else round(float(sev), 4), "importance": imp,
            "demand_pull": round(float(pull[lid]), 4), "centrality": round(float(cent[lid]), 4),
            "n_local": int(n[lid]), "incumbents": firms, "chain_leaders": leaders.get(lid, []),
            "reason": reason, "source": source, "as_of": as_of,
        })
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _reason(status, lid, firms, leaders, s, decided_by, ev, p, g_all, present, name_of, up, down) -> str:
    if status is Status.UNASSESSED:
        return "待评估：尚未摸排本地企业（未评估不等于缺失）"
    if status in (Status.STRONG, Status.STRENGTHEN):
        head = "优势环节" if status is Status.STRONG else "强链：本地已有但偏弱"
        why = {
            "leader": f"链主{_firms_text(leaders)}在本地",
            "count": f"本地{len(firms)}家企业（{_firms_text(firms)}）",
            "sufficiency": f"本地产出满足本地下游需求的{ev['sufficiency']:.0%}",
            "scale": f"本地年产出约{ev['scale'] * p.reference_output_yi:.0f}亿元",
        }[decided_by]
        tail = "" if status is Status.STRONG else f"，强度{s:.2f}低于{p.strong_threshold:.2f}"
        extra = "" if decided_by == "count" else f"；本地企业：{_firms_text(firms)}"
        return f"{head}：{why}{tail}{extra}"
    ups = _nearest_present(g_all, lid, present, upstream=True)
    downs = _nearest_present(g_all, lid, present, upstream=False)
    if status is Status.FILL:
        return f"补链：本地空白，上游有{_names(ups, name_of)}、下游有{_names(downs, name_of)}，是本地链条的断点"
    if up:
        return f"延链：本地空白，上游已有{_names(ups, name_of)}，可向下游延伸"
    if down:
        return f"延链：本地空白，下游已有{_names(downs, name_of)}，可向上游延伸"
    return "延链：本地空白，且无本地上下游衔接（需跨越式引进）"
