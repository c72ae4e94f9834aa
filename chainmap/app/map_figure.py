"""The chain map as an interactive Plotly figure: pure, a gap graph in and a figure out (no Streamlit calls).

Links are laid out by stage in three columns (上游 → 中游 → 下游, as officers draw chain
maps); within a column they are ordered by the barycentre of their neighbours, a few
sweeps of the layer-by-layer crossing reduction of Sugiyama, Tagawa & Toda (1981),
"Methods for visual understanding of hierarchical system structures", IEEE Trans. SMC
11(2). Nodes are coloured by gap status (one legend entry per status, the legend to the
right of the plot), sized by severity or by the number of local firms, and carry their
link id as ``customdata`` so a click selects the link. Links of other chains that feed
or take from this one are drawn hollow, labelled with that chain's name in the chosen
language.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from ..i18n import STAGE_LABEL, STATUS_LABEL, label
from ..model import Stage
from ..viz import STATUS_COLOURS, TARGET_STYLE
from .charts import FONT

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["layout", "chain_map_figure", "short", "ROW_PX", "FONT_PX"]

#: Vertical room per link (px): a label of two lines at :data:`FONT_PX` under its marker.
ROW_PX = 64
#: The smallest text on the map (px), in both languages.
FONT_PX = 13
_STAGES = [s.value for s in Stage]
_WORDS = {"zh": {"legend": "图例", "other": "其他产业链环节", "target": "拟引进目标", "plan": "拟引进：",
                 "local": "本地企业", "targets": "目标企业", "severity": "紧迫度", "status": "状态", "stage": "位置",
                 "unit": "家", "of": "属于"},
          "en": {"legend": "Legend", "other": "link of another chain", "target": "target to attract",
                 "plan": "Target: ", "local": "local firms", "targets": "target firms", "severity": "severity",
                 "status": "status", "stage": "stage", "unit": "", "of": "in"}}


def short(text: str, lang: str = "zh") -> str:
    """A label that fits a column: at most 9 characters in Chinese, 16 in English, cut with ``…``.

    Examples
    --------
    >>> short("Lithium salts (carbonate, hydroxide, LiPF6)", "en")
    'Lithium salts (…'
    >>> short("覆铜板")
    '覆铜板'
    """
    limit = 9 if lang == "zh" else 16
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout(g: nx.DiGraph, sweeps: int = 4) -> dict[str, tuple[float, float]]:
    """Positions ``{node: (x, y)}``: ``x`` is the stage column (0, 1, 2), ``y`` the row, top first.

    Links of this chain come before those of other chains in a column; within each group
    the order follows the mean row of each node's neighbours in the other columns,
    swept left to right and back (barycentre heuristic, Sugiyama et al. 1981). Columns
    are centred on ``y = 0``.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> for n, s in [("a", "upstream"), ("b", "upstream"), ("c", "midstream"), ("d", "downstream")]:
    ...     g.add_node(n, stage=s, external=False, name_zh=n)
    >>> g.add_edges_from([("b", "c"), ("c", "d")])
    >>> pos = layout(g)
    >>> pos["c"], pos["d"], sorted(y for x, y in pos.values() if x == 0)
    ((1, 0.0), (2, 0.0), [-0.5, 0.5])
    """
    cols: dict[int, list[str]] = {i: [] for i in range(len(_STAGES))}
    for n, d in g.nodes(data=True):
        x = _STAGES.index(d["stage"]) if d.get("stage") in _STAGES else 1
        cols[x].append(n)
    for x in cols:  # start: this chain's links first, then by status and name
        cols[x].sort(key=lambda n: (bool(g.nodes[n].get("external")), str(g.nodes[n].get("status", "")),
                                    str(g.nodes[n].get("name_zh", n))))
    row = {n: float(i) for x in cols for i, n in enumerate(cols[x])}
    for sweep in range(sweeps):
        order = range(len(cols)) if sweep % 2 == 0 else reversed(range(len(cols)))
        for x in order:
            def bary(n, _x=x):
                nb = [row[m] for m in (*g.predecessors(n), *g.successors(n)) if m in row and m not in cols[_x]]
                return sum(nb) / len(nb) if nb else row[n]
            cols[x].sort(key=lambda n: (bool(g.nodes[n].get("external")), bary(n)))
            row.update({n: float(i) for i, n in enumerate(cols[x])})
    pos = {}
    for x, members in cols.items():
        mid = (len(members) - 1) / 2
        for i, n in enumerate(members):
            pos[n] = (x, mid - i)
    return pos


def _size(d: dict, size_by: str, top: float) -> float:
    if size_by == "n_local":
        return 14 + 7 * math.sqrt(max(float(d.get("n_local") or 0), 0.0))
    sev = d.get("severity")
    if sev is None or pd.isna(sev) or top <= 0:
        return 14.0
    return 14 + 22 * float(sev) / top


def chain_map_figure(g: nx.DiGraph, lang: str = "zh", chain_names: dict[str, str] | None = None,
                     size_by: str = "severity", targets: dict[str, list[str]] | None = None,
                     n_targets: dict[str, int] | None = None, selected: str | None = None) -> go.Figure:
    """The interactive chain map of a :func:`~chainmap.viz.gap_graph` (with ``n_local`` on its nodes).

    Parameters
    ----------
    g : networkx.DiGraph
        Nodes with ``name_zh``, ``name_en``, ``stage``, ``external`` and, for this chain's
        links, ``status``, ``severity``, ``n_local``.
    lang : {"zh", "en"}
        Labels, hover text and legend in this language.
    chain_names : dict
        ``{chain id: name}`` in ``lang``, for the links of other chains (never the id).
    size_by : {"severity", "n_local"}
    targets : dict, optional
        ``{link id: [firm names]}``: the 远景图, each such link ringed and its first target named.
    n_targets : dict, optional
        ``{link id: number of target firms}``, shown on hover.
    selected : str, optional
        The link whose detail is open: drawn with a dark ring.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("ccl", name_zh="覆铜板", name_en="CCL", stage="midstream", status="strengthen",
    ...            severity=0.2, n_local=1, external=False)
    >>> g.add_node("li_cell", name_zh="锂电池电芯", name_en="Li-ion cells", stage="upstream", chain="ebike",
    ...            external=True)
    >>> g.add_edge("li_cell", "ccl")
    >>> fig = chain_map_figure(g, "en", {"ebike": "E-bikes"}, n_targets={"ccl": 4}, selected="ccl")
    >>> [t.name for t in fig.data if t.showlegend is not False]
    ['strengthen', 'link of another chain']
    >>> list(fig.data[0].customdata), fig.data[1].text[0]
    (['ccl'], 'Li-ion cells<br>(E-bikes)')
    >>> fig.layout.legend.x > 1, fig.layout.font.size >= 12
    (True, True)
    """
    import plotly.graph_objects as go

    w = _WORDS.get(lang, _WORDS["zh"])
    chain_names = chain_names or {}
    targets = {k: v for k, v in (targets or {}).items() if v}
    n_targets = n_targets or {}
    name = "name_en" if lang == "en" else "name_zh"
    pos = layout(g)
    sev = [float(d["severity"]) for _, d in g.nodes(data=True)
           if not d.get("external") and d.get("severity") is not None and pd.notna(d.get("severity"))]
    top = max(sev, default=0.0)
    # Traces and annotations are gathered as plain dicts and validated once in go.Figure: adding them one
    # by one (fig.add_annotation) costs plotly a validation pass each, about 1 s for a 35-edge chain.
    traces: list[dict] = []
    notes: list[dict] = []

    def label_of(n, d):
        text = short(d.get(name) or d.get("name_zh") or n, lang)
        if d.get("external"):
            of = short(chain_names.get(d.get("chain"), ""), lang)
            text += ("<br>（" + of + "）" if lang == "zh" else "<br>(" + of + ")") if of else ""
        elif n in targets:
            text += f"<br><span style='color:{TARGET_STYLE['color']}'>{w['plan']}{short(targets[n][0], lang)}</span>"
        return text

    def hover_of(n, d):
        full = d.get(name) or d.get("name_zh") or n
        if d.get("external"):
            return f"<b>{full}</b><br>{w['of']} {chain_names.get(d.get('chain'), '')}"
        sv = d.get("severity")
        lines = [f"<b>{full}</b>", f"{w['status']}: {label(STATUS_LABEL, d.get('status'), lang)}"
                 f" · {w['stage']}: {label(STAGE_LABEL, d.get('stage'), lang)}",
                 f"{w['local']}: {int(d.get('n_local') or 0)}{w['unit']} · {w['targets']}: "
                 f"{int(n_targets.get(n, 0))}{w['unit']}"]
        if sv is not None and pd.notna(sv):
            lines.append(f"{w['severity']}: {float(sv):.2f}")
        if n in targets:
            lines.append(w["plan"] + "、".join(targets[n][:3]))
        return "<br>".join(lines)

    # Edges under the nodes: one line per edge, with an arrow head at the taking link.
    for u, v, d in g.edges(data=True):
        (x0, y0), (x1, y1) = pos[u], pos[v]
        notes.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                          showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=1.2,
                          arrowcolor="#bdbdbd" if d.get("feedback") else "#8d8d8d",
                          standoff=_size(g.nodes[v], size_by, top) / 2 + 2,
                          startstandoff=_size(g.nodes[u], size_by, top) / 2 + 2))

    inside = [(n, d) for n, d in g.nodes(data=True) if not d.get("external")]
    for status, (fill, _font) in STATUS_COLOURS.items():
        members = [(n, d) for n, d in inside if d.get("status") == status]
        if not members:
            continue
        traces.append(dict(type="scatter",
            x=[pos[n][0] for n, _ in members], y=[pos[n][1] for n, _ in members], mode="markers+text",
            name=label(STATUS_LABEL, status, lang), customdata=[n for n, _ in members],
            text=[label_of(n, d) for n, d in members], textposition="bottom center", cliponaxis=False,
            textfont=dict(size=FONT_PX, color="#212121"), hovertext=[hover_of(n, d) for n, d in members],
            hoverinfo="text", marker=dict(size=[_size(d, size_by, top) for _, d in members], color=fill,
                                          line=dict(color="white", width=1.5)),
            selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1))))
    outside = [(n, d) for n, d in g.nodes(data=True) if d.get("external")]
    if outside:
        traces.append(dict(type="scatter",
            x=[pos[n][0] for n, _ in outside], y=[pos[n][1] for n, _ in outside], mode="markers+text",
            name=w["other"], customdata=[n for n, _ in outside], text=[label_of(n, d) for n, d in outside],
            textposition="bottom center", cliponaxis=False, textfont=dict(size=FONT_PX, color="#616161"),
            hovertext=[hover_of(n, d) for n, d in outside], hoverinfo="text",
            marker=dict(size=14, color="white", line=dict(color="#9e9e9e", width=1.5)),
            selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1))))
    ringed = [n for n in targets if n in pos]
    if ringed:
        traces.append(dict(type="scatter",
            x=[pos[n][0] for n in ringed], y=[pos[n][1] for n in ringed], mode="markers", name=w["target"],
            hoverinfo="skip", marker=dict(symbol="circle-open", color=TARGET_STYLE["color"], line=dict(width=3),
                                          size=[_size(g.nodes[n], size_by, top) + 10 for n in ringed])))
    if selected in pos:
        traces.append(dict(type="scatter",
            x=[pos[selected][0]], y=[pos[selected][1]], mode="markers", showlegend=False, hoverinfo="skip",
            marker=dict(symbol="circle-open", color="#212121", line=dict(width=3),
                        size=_size(g.nodes[selected], size_by, top) + 16)))

    rows = max([sum(1 for p in pos.values() if p[0] == x) for x in range(len(_STAGES))], default=1)
    for x, stage in enumerate(_STAGES):  # column headings
        notes.append(dict(x=x, y=(rows - 1) / 2 + 0.75, xref="x", yref="y", showarrow=False,
                          text=f"<b>{label(STAGE_LABEL, stage, lang)}</b>", font=dict(size=FONT_PX + 2)))
    height = max(360, 90 + rows * ROW_PX)
    return go.Figure(data=traces, layout=dict(
        annotations=notes, height=height, margin=dict(l=10, r=10, t=10, b=10), font=dict(family=FONT, size=FONT_PX),
        plot_bgcolor="white", paper_bgcolor="white", hovermode="closest", clickmode="event+select",
        dragmode="pan", uirevision="chain-map",
        legend=dict(title=dict(text=w["legend"]), x=1.01, y=0.94, xanchor="left", yanchor="top",
                    orientation="v", font=dict(size=FONT_PX), itemclick=False, itemdoubleclick=False),
        hoverlabel=dict(font=dict(family=FONT, size=FONT_PX)),
        xaxis=dict(visible=False, range=[-0.7, len(_STAGES) - 0.3]),
        yaxis=dict(visible=False, range=[-(rows - 1) / 2 - 0.8, (rows - 1) / 2 + 1.05])))
