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

from .._arrays import positions, present
from ..io.messages import CodedError
from ..model import Status, Tables
from .graph import input_shares, link_graph, topo_order

__all__ = ["GapParams", "gap_analysis", "GAP_COLUMNS"]

GAP_COLUMNS = [
    "link_id", "name_zh", "name_en", "chain", "stage", "status", "strength", "severity", "importance",
    "demand_pull", "centrality", "n_local", "incumbents", "chain_leaders", "reason_parts", "source", "as_of",
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
    return np.array([into[n] * out[n] for n in order], dtype=float)


def _reach_present(g: nx.DiGraph, order: list, present: dict, upstream: bool) -> dict:
    """For each link: does a present link lie upstream (or downstream) of it?"""
    seen = dict.fromkeys(order, False)
    walk = order if upstream else list(reversed(order))
    nbrs = g.predecessors if upstream else g.successors
    for n in walk:
        seen[n] = any(present[p] or seen[p] for p in nbrs(n))
    return seen


def _nearest_present(g: nx.DiGraph, start, present: dict, upstream: bool, k: int = 2) -> list:
    """The closest present links upstream (or downstream) of ``start``, by hops."""
    nbrs = g.predecessors if upstream else g.successors
    seen, frontier, found = {start}, deque([start]), []
    while frontier and not found:
        nxt = deque()
        for n in frontier:
            for m in nbrs(n):
                if m not in seen:
                    seen.add(m)
                    (found if present[m] else nxt).append(m)
        frontier = nxt
    return sorted(found)[:k]


_EVIDENCE = ("count", "sufficiency", "scale", "leader")


def _pairs(a: np.ndarray, b: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``(a, b)`` code pairs, sorted by ``a`` then ``b`` (one sort, no hashing)."""
    keys = np.sort(a.astype(np.int64) * width + b)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
    return keys // width, keys % width


def _by_link(link_codes: np.ndarray, value_codes: np.ndarray, link_names: np.ndarray,
             labels: pd.Series) -> dict:
    """``{link: [labels]}`` from sorted distinct (link, value) code pairs.

    Working on integer codes turns each label into a Python object once rather
    than once per row: this keeps a chain with tens of thousands of local plants
    within its time budget.
    """
    if len(link_codes) == 0:
        return {}
    shown = labels.take(value_codes).to_numpy(dtype=object)
    bounds = np.flatnonzero(np.diff(link_codes)) + 1
    return {link_names[link_codes[grp[0]]]: shown[grp].tolist()
            for grp in np.split(np.arange(len(link_codes)), bounds)}


def gap_analysis(tables: Tables, chain: str, params: GapParams = GapParams(), *,
                 graph: nx.DiGraph | None = None) -> pd.DataFrame:
    """Status, strength, severity and reason of every link of ``chain``.

    See the module docstring for the definitions and references.

    Parameters
    ----------
    tables : Tables
        A workspace snapshot (from any store).
    chain : str
        Chain id, e.g. ``"electronics"``.
    params : GapParams, optional
    graph : networkx.DiGraph, optional
        ``link_graph(tables)``, for a caller that analyses every chain of the same tables (built here if not
        given).

    Returns
    -------
    pandas.DataFrame
        One row per link, upstream first, with the columns of
        :data:`GAP_COLUMNS`. ``incumbents`` and ``chain_leaders`` are lists of
        firm names; ``reason_parts`` says why the link has its status as typed
        parts ``[(code, params), ...]``, put in words (zh or en) by
        :func:`chainmap.i18n.reason_text` at the edge.

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
    >>> gaps.set_index("link_id").at["e_glass_yarn", "reason_parts"][:2]
    [('gap_strong', {}), ('ev_leader', {'firms': ['建滔集团']})]
    """
    chains = list(tables.chains["id"])
    if chain not in chains:
        raise CodedError("unknown_chain", chain=chain, known=chains)
    p = params
    # Everything per link is a numpy array indexed by the link's row in tables.links;
    # pandas overhead on 200-row Series would otherwise dominate the run time.
    links = tables.links
    ids = links["id"].to_numpy(dtype=object)
    n_links = len(ids)
    name_of = dict(zip(ids, links["name_zh"].to_numpy(dtype=object)))
    name_en = dict(zip(ids, (links["name_en"] if "name_en" in links else links["name_zh"]).to_numpy(dtype=object)))

    def ref(lid) -> dict:  # a link as reasons name it; the catalogue picks the language
        return {"id": lid, "zh": name_of.get(lid, lid), "en": name_en.get(lid, "")}

    ops = tables.operations.loc[tables.operations["local"].to_numpy(),
                                ["firm_id", "link_id", "output_yi", "chain_leader", "since", "source"]]
    # Ids are unique and every reference exists (the loader checks both), so
    # factorising after the referenced table's ids gives each row's position there.
    lpos = positions(links["id"], ops["link_id"])
    # Only local firms matter here; narrowing first keeps a national-scale library cheap.
    firms = tables.firms.loc[present(tables.firms["id"], ops["firm_id"]), ["id", "name_zh"]]
    firm_row = positions(firms["id"], ops["firm_id"])
    width = len(firms) + 1
    pair_link, pair_firm = _pairs(lpos, firm_row, width)  # ops are sorted by firm id: so are these
    n = np.bincount(pair_link, minlength=n_links)
    out = ops["output_yi"].to_numpy(dtype=float)
    known = ~np.isnan(out)
    x_known = np.where(np.bincount(lpos[known], minlength=n_links) > 0,
                       np.bincount(lpos[known], weights=out[known], minlength=n_links), np.nan)
    is_leader = ops["chain_leader"].to_numpy()
    leader = (np.bincount(lpos[is_leader], minlength=n_links) > 0).astype(float)

    fwd = ~tables.edges["feedback"].to_numpy()
    e_src = positions(links["id"], tables.edges["src"][fwd])
    e_dst = positions(links["id"], tables.edges["dst"][fwd])
    a = input_shares(e_dst, tables.edges["share"].to_numpy(dtype=float)[fwd], n_links)

    def requirement(x: np.ndarray) -> np.ndarray:
        return np.bincount(e_src, weights=a * np.nan_to_num(x[e_dst]), minlength=n_links)

    req_known = requirement(x_known)
    with np.errstate(divide="ignore", invalid="ignore"):
        evidence = np.column_stack([
            np.minimum(n, p.cluster_size) / p.cluster_size,
            np.minimum(1.0, np.where(req_known > 0, x_known / req_known, np.nan)),
            np.minimum(1.0, x_known / p.reference_output_yi),
            leader,
        ])
    is_present = n > 0
    strength = np.where(is_present, np.nanmax(evidence, axis=1), 0.0)
    decided_by = np.nanargmax(evidence, axis=1)
    req = requirement(np.where(np.isnan(x_known), strength * p.reference_output_yi, x_known))

    g_all = link_graph(tables) if graph is None else graph
    g = g_all.subgraph(ids[links["chain"].to_numpy() == chain])
    order = topo_order(g)
    row_of = dict(zip(ids, range(n_links)))
    rows_c = np.array([row_of[lid] for lid in order], dtype=np.int64)
    present_d = dict(zip(ids, is_present.tolist()))
    all_order = list(nx.topological_sort(g_all))
    up = _reach_present(g_all, all_order, present_d, upstream=True)
    down = _reach_present(g_all, all_order, present_d, upstream=False)
    assessed = is_present | present(links["id"], tables.assessments["link_id"])

    req_c = req[rows_c]
    pull = 0.5 + 0.5 * (req_c / req_c.max() if req_c.max() > 0 else 0.0 * req_c)
    through = _paths_through(g, order)
    cent = 0.5 + 0.5 * through / through.max()

    chain_mask = np.zeros(n_links, dtype=bool)
    chain_mask[rows_c] = True
    names = firms["name_zh"]
    keep = chain_mask[pair_link]
    incumbents = _by_link(pair_link[keep], pair_firm[keep], ids, names)
    lead = chain_mask[lpos] & is_leader
    leaders = _by_link(*_pairs(lpos[lead], firm_row[lead], width), ids, names)
    in_chain = chain_mask[lpos]
    src_codes, src_u = pd.factorize(ops["source"])
    src_pairs = _pairs(lpos[in_chain], src_codes[in_chain], len(src_u) + 1)
    op_src = {k: " ; ".join(v) for k, v in _by_link(*src_pairs, ids, pd.Series(src_u)).items()}
    since_codes, since_u = pd.factorize(ops["since"], sort=True)  # codes ordered like ISO dates
    latest = np.full(n_links, -1)
    np.maximum.at(latest, lpos[in_chain], since_codes[in_chain])
    a = tables.assessments
    ass = {k: {"assessed_on": d, "source": src} for k, d, src in zip(a["link_id"], a["assessed_on"], a["source"])}
    sub = links.iloc[rows_c]
    info = [{"name_en": e, "stage": st, "importance": imp}
            for e, st, imp in zip(sub["name_en"], sub["stage"], sub["importance"])]

    rows = []
    for k, lid in enumerate(order):
        r = rows_c[k]
        firms = incumbents.get(lid, [])
        s = float(strength[r])
        if is_present[r]:
            status = Status.STRONG if s >= p.strong_threshold else Status.STRENGTHEN
        elif not assessed[r]:
            status = Status.UNASSESSED
        elif up[lid] and down[lid]:
            status = Status.FILL
        else:
            status = Status.EXTEND
        imp = float(info[k]["importance"])
        sev = None if status is Status.UNASSESSED else round(imp * pull[k] * cent[k] * (1.0 - s), 4)
        reason = _reason(status, lid, firms, leaders.get(lid, []), s, _EVIDENCE[decided_by[r]], evidence[r],
                         p, g_all, present_d, ref, up[lid], down[lid])
        asr = ass.get(lid, {})
        if is_present[r]:
            since = since_u[latest[r]] if latest[r] >= 0 else ""
            source, as_of = op_src.get(lid, ""), asr.get("assessed_on") or since
        else:
            source, as_of = asr.get("source", ""), asr.get("assessed_on", "")
        rows.append({
            "link_id": lid, "name_zh": name_of[lid], "name_en": info[k]["name_en"], "chain": chain,
            "stage": info[k]["stage"], "status": status.value, "strength": round(s, 4),
            "severity": sev, "importance": imp,
            "demand_pull": round(float(pull[k]), 4), "centrality": round(float(cent[k]), 4),
            "n_local": int(n[r]), "incumbents": firms, "chain_leaders": leaders.get(lid, []),
            "reason_parts": reason, "source": source, "as_of": as_of,
        })
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def _reason(status, lid, firms, leaders, s, decided_by, ev, p, g_all, present, ref, up, down) -> list:
    """Why a link has its status, as typed parts (words: :func:`chainmap.i18n.reason_text`)."""
    if status is Status.UNASSESSED:
        return [("gap_unassessed", {})]
    if status in (Status.STRONG, Status.STRENGTHEN):
        head = ("gap_strong" if status is Status.STRONG else "gap_strengthen", {})
        why = {
            "leader": ("ev_leader", {"firms": list(leaders)}),
            "count": ("ev_count", {"firms": list(firms)}),
            "sufficiency": ("ev_sufficiency", {"share": float(ev[1])}),
            "scale": ("ev_scale", {"output_yi": float(ev[2] * p.reference_output_yi)}),
        }[decided_by]
        tail = [] if status is Status.STRONG else [("below_threshold", {"strength": s, "threshold": p.strong_threshold})]
        extra = [] if decided_by == "count" else [("local_firms", {"firms": list(firms)})]
        return [head, why, *tail, *extra]
    ups = [ref(x) for x in _nearest_present(g_all, lid, present, upstream=True)]
    downs = [ref(x) for x in _nearest_present(g_all, lid, present, upstream=False)]
    if status is Status.FILL:
        return [("gap_fill", {"up": ups, "down": downs})]
    if up:
        return [("gap_extend_down", {"up": ups})]
    if down:
        return [("gap_extend_up", {"down": downs})]
    return [("gap_leap", {})]
