"""Pictures of a chain: Graphviz DOT, and graph exports for Gephi (GraphML) or the web (JSON)."""
from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pandas as pd

from .analysis.graph import link_graph
from .i18n import STAGE_LABEL, STATUS_LABEL, label, reason_text
from .model import Stage, Status, Tables

__all__ = ["STATUS_COLOURS", "TARGET_STYLE", "gap_graph", "to_dot", "to_graphml", "to_json"]

#: Fill and font colour per status. No official standard exists (conventions.md);
#: the legend is always drawn, so these can change freely.
STATUS_COLOURS = {
    Status.STRONG.value: ("#2e7d32", "white"),
    Status.STRENGTHEN.value: ("#f9a825", "black"),
    Status.FILL.value: ("#c62828", "white"),
    Status.EXTEND.value: ("#1565c0", "white"),
    Status.UNASSESSED.value: ("#bdbdbd", "black"),
}


def gap_graph(tables: Tables, chain: str, gaps: pd.DataFrame, lang: str = "zh") -> nx.DiGraph:
    """The chain's link graph with gap results on its nodes.

    Links of other chains that feed or take from this chain are kept as
    ``external`` nodes, so cross-chain edges stay visible. A node's ``reason``
    is the gap reason in words (``lang``), unless ``gaps`` already has them.
    """
    full = link_graph(tables, feedback=True)
    inside = set(gaps["link_id"])
    keep = inside | {m for n in inside for m in (*full.predecessors(n), *full.successors(n))}
    g = full.subgraph(keep).copy()
    by_id = gaps.set_index("link_id")
    for n, d in g.nodes(data=True):
        d["external"] = n not in inside
        if n in inside:
            row = by_id.loc[n]
            d.update(status=row["status"], strength=row["strength"], severity=row["severity"],
                     incumbents=list(row["incumbents"]),
                     reason=row["reason"] if "reason" in row.index else reason_text(row["reason_parts"], lang))
    return g


def _q(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


#: How a recommended target is drawn on the 远景图: a thick dashed border and a 拟引进 line.
TARGET_STYLE = {"color": "#4a148c", "penwidth": "2.5", "style": "rounded,filled,dashed"}


def to_dot(g: nx.DiGraph, title: str = "", lang: str = "zh", max_firms: int = 3,
           targets: dict[str, list[str]] | None = None) -> str:
    """Graphviz DOT: left to right by stage, links coloured by status, with a legend.

    Parameters
    ----------
    g : networkx.DiGraph
        From :func:`gap_graph`.
    title : str
    lang : {"zh", "en"}
    max_firms : int
        Incumbents listed on a link at most.
    targets : dict, optional
        ``{link_id: [firm names]}``: the 远景图 (target picture). Each such link
        gets a "拟引进：…" line and a thick dashed border, and the legend
        explains the mark. Without it the drawing is the 现状图 (current state).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("ccl", name_zh="覆铜板", name_en="CCL", stage="midstream", status="strengthen",
    ...            incumbents=["建滔集团"], external=False)
    >>> print(to_dot(g).splitlines()[0])
    digraph chain {
    >>> dot = to_dot(g, targets={"ccl": ["生益科技"]})
    >>> "拟引进：生益科技" in dot and "dashed" in dot
    True
    """
    targets = {k: v for k, v in (targets or {}).items() if v}
    plan = "拟引进：" if lang == "zh" else "Target: "
    name = "name_zh" if lang == "zh" else "name_en"
    lines = ["digraph chain {", '  graph [rankdir=LR, fontname="Noto Sans CJK SC", newrank=true, nodesep=0.3];',
             # A wide margin: browser renderers (viz.js) under-measure CJK text, which would touch the border.
             '  node [shape=box, style="rounded,filled", fontname="Noto Sans CJK SC", fontsize=11, margin="0.22,0.07"];',
             '  edge [color="#757575"];']
    if title:
        lines.append(f"  label={_q(title)}; labelloc=t; fontsize=16;")
    for stage in Stage:
        members = [n for n, d in g.nodes(data=True) if d["stage"] == stage.value and not d.get("external")]
        lines.append(f"  subgraph cluster_{stage.value} {{")
        lines.append(f'    label={_q(label(STAGE_LABEL, stage, lang))}; style=dashed; color="#9e9e9e";')
        for n in members:
            d = g.nodes[n]
            fill, font = STATUS_COLOURS.get(d.get("status"), ("#ffffff", "black"))
            text = d.get(name) or d["name_zh"]
            firms = d.get("incumbents") or []
            if firms:
                more = "…" if len(firms) > max_firms else ""
                text += "\n" + "、".join(firms[:max_firms]) + more
            tip = d.get("reason", "")
            extra = ""
            if n in targets:
                text += "\n" + plan + "、".join(targets[n][:2])
                extra = "".join(f", {k}={_q(v)}" for k, v in TARGET_STYLE.items())
            lines.append(f"    {_q(n)} [label={_q(text)}, fillcolor={_q(fill)}, fontcolor={_q(font)}, "
                         f"tooltip={_q(tip)}{extra}];")
        if members:  # one column per stage: 上游 | 中游 | 下游, as officers draw chain maps
            lines.append("    {rank=same; " + " ".join(_q(n) for n in members) + "}")
        lines.append("  }")
    for n, d in g.nodes(data=True):
        if d.get("external"):
            text = f"{d.get(name) or d['name_zh']}\n({d['chain']})"
            lines.append(f'  {_q(n)} [label={_q(text)}, style="rounded,dashed", fillcolor=white, color="#9e9e9e"];')
    for u, v, d in g.edges(data=True):
        attrs = []
        if pd.notna(d.get("share")):
            attrs.append("label=" + _q(format(d["share"], ".0%")))
        if d.get("feedback"):
            attrs.append('style=dashed, constraint=false')
        lines.append(f"  {_q(u)} -> {_q(v)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("  subgraph cluster_legend {")
    lines.append(f'    label={_q("图例" if lang == "zh" else "Legend")}; style=solid; color="#9e9e9e";')
    for status, (fill, font) in STATUS_COLOURS.items():
        lines.append(f"    {_q('legend_' + status)} [label={_q(label(STATUS_LABEL, status, lang))}, "
                     f"fillcolor={_q(fill)}, fontcolor={_q(font)}];")
    if targets:
        mark = "虚线框：拟引进目标" if lang == "zh" else "dashed: target to attract"
        lines.append(f"    legend_target [label={_q(mark)}, fillcolor=white, fontcolor=black"
                     + "".join(f", {k}={_q(v)}" for k, v in TARGET_STYLE.items()) + "];")
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _plain(d: dict) -> dict:
    """GraphML takes only plain scalars: lists joined with |, numpy scalars unboxed, missing dropped."""
    out = {}
    for k, v in d.items():
        v = v.item() if isinstance(v, np.generic) else v
        if isinstance(v, list):
            v = "|".join(map(str, v))
        if v is not None and not (isinstance(v, float) and np.isnan(v)):
            out[k] = v
    return out


def _flat(g: nx.DiGraph) -> nx.DiGraph:
    h = nx.DiGraph()
    h.add_nodes_from((n, _plain(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, _plain(d)) for u, v, d in g.edges(data=True))
    return h


def to_graphml(g: nx.DiGraph) -> str:
    """GraphML text for Gephi or yEd."""
    return "\n".join(nx.generate_graphml(_flat(g))) + "\n"


def to_json(g: nx.DiGraph) -> str:
    """Node-link JSON (``networkx.node_link_data``) for web viewers."""
    data = nx.node_link_data(_flat(g), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
