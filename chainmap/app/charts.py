"""Plotly figures of the workbench. Pure: data in, figure out (no Streamlit calls).

Every figure uses the CJK font stack, so Chinese labels render on machines that
have Noto Sans CJK, Microsoft YaHei or PingFang. Plotly is imported when a figure
is first built, not when the app starts: it is slow to import, and the page a
session opens first (总览) draws its charts as plain SVG (:mod:`.svg`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..viz import STATUS_COLOURS

if TYPE_CHECKING:
    import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _go():
    import plotly.graph_objects as go

    return go


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30 if kw.get("title") else 10, b=10),
                      font=dict(family=FONT, size=13), **kw)
    return fig


def component_bars(components: dict, names: dict[str, str], title: str = "") -> go.Figure:
    """A firm's score components: value × weight per component (what each adds to the score)."""
    go = _go()
    keys = list(components)
    contrib = [components[k]["value"] * components[k]["weight"] for k in keys]
    text = [f"{components[k]['value']:.2f} × {components[k]['weight']:g}" for k in keys]
    fig = go.Figure(go.Bar(y=[names.get(k, k) for k in keys], x=contrib, orientation="h", text=text,
                           textposition="outside", cliponaxis=False, marker_color="#1565c0",
                           hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, max(contrib + [0.1]) * 1.35])
    return _layout(fig, 320, title=title or None, showlegend=False)


def target_stack(ranked: pd.DataFrame, weights: dict[str, float], names: dict[str, str], n: int = 15) -> go.Figure:
    """The top ``n`` targets as stacked bars of weighted components (why each ranks where it does).

    Each segment is ``weight × value / Σ weights`` of the firm's mode and the
    other components, so a bar's length is the firm's score.
    """
    go = _go()
    top = ranked.head(n).iloc[::-1]
    modes = ("fill", "strengthen", "extend")
    base_w = sum(weights.get(k, 0.0) for k in ("affinity", "relatedness", "tier", "propensity", "reach"))
    denom = top["mode"].map(lambda m: weights.get(m, 0.0) + base_w).astype(float).replace(0.0, 1.0)
    colours = {"fill": STATUS_COLOURS["fill"][0], "strengthen": STATUS_COLOURS["strengthen"][0],
               "extend": STATUS_COLOURS["extend"][0], "affinity": "#6a1b9a", "relatedness": "#00838f",
               "tier": "#5d4037", "propensity": "#ef6c00", "reach": "#78909c"}
    total_w = {}
    fig = go.Figure()
    for k in colours:
        col = f"{k}_score" if k in modes else k
        if col not in top:
            continue
        vals = top[col].astype(float) * weights.get(k, 0.0) / denom
        if k in modes:  # only the firm's own mode counts in its score
            vals = vals.where(top["mode"] == k, 0.0)
        total_w[k] = vals
        fig.add_trace(go.Bar(y=top["name_zh"], x=vals, name=names.get(k, k), orientation="h",
                             marker_color=colours[k],
                             hovertemplate="%{y} · " + names.get(k, k) + ": %{x:.2f}<extra></extra>"))
    fig.update_layout(barmode="stack", legend=dict(orientation="h", y=-0.08))
    return _layout(fig, max(300, 28 * len(top) + 120))


def stage_funnel(summary: pd.DataFrame, count_label: str, amount_label: str, unit: str) -> go.Figure:
    """Projects per stage (bars) and their Σ planned investment (labels), 线索 → 达产."""
    go = _go()
    text = [f"{n}<br>{v:,.1f}{unit}" if v else f"{n}" for n, v in zip(summary["n"], summary["planned_yi"])]
    fig = go.Figure(go.Bar(x=summary["label"], y=summary["n"], text=text, textposition="outside",
                           cliponaxis=False, marker_color="#1565c0", textfont=dict(size=13),
                           hovertemplate="%{x}: %{y} " + count_label + "<extra></extra>"))
    fig.update_yaxes(title=count_label, range=[0, max(summary["n"].tolist() + [1]) * 1.45], title_standoff=4)
    fig = _layout(fig, 290, showlegend=False)
    fig.update_layout(margin=dict(t=30))
    return fig


def chain_bars(by_chain: pd.DataFrame, x_label: str, unit: str) -> go.Figure:
    """Signed planned investment per chain (亿元), horizontal bars."""
    go = _go()
    fig = go.Figure(go.Bar(y=by_chain["label"], x=by_chain["planned_yi"], orientation="h",
                           text=[f"{v:,.1f}{unit}（{n}）" for v, n in zip(by_chain["planned_yi"], by_chain["n_signed"])],
                           textposition="outside", cliponaxis=False, marker_color="#2e7d32"))
    fig.update_xaxes(title=x_label, range=[0, max(by_chain["planned_yi"].tolist() + [1]) * 1.4])
    return _layout(fig, 60 + 45 * max(1, len(by_chain)), showlegend=False)


def completeness_bars(rows: pd.DataFrame, x_label: str) -> go.Figure:
    """Mechanism completeness per chain, 0–100%."""
    go = _go()
    fig = go.Figure(go.Bar(y=rows["label"], x=rows["completeness"] * 100, orientation="h",
                           text=[f"{v:.0%}" for v in rows["completeness"]], textposition="outside", cliponaxis=False,
                           marker_color=["#2e7d32" if v >= 0.8 else "#f9a825" if v >= 0.4 else "#c62828"
                                         for v in rows["completeness"]]))
    fig.update_xaxes(title=x_label, range=[0, 115])
    return _layout(fig, 60 + 45 * max(1, len(rows)), showlegend=False)


def weights_with_uncertainty(doc: dict, reference: dict[str, float], names: dict[str, str], label: str,
                             ref_label: str) -> go.Figure:
    """Learned weights with their 90 % bootstrap interval, beside a hand-set strategy's weights.

    Both are scaled so their largest weight is 1, since only ratios matter to a weighted mean.
    """
    go = _go()
    keys = list(names)
    w = doc["weights"]
    lo, hi = doc.get("lo", {}), doc.get("hi", {})
    top = max(reference.values()) or 1.0
    fig = go.Figure()
    fig.add_bar(y=[names[k] for k in keys], x=[reference[k] / top for k in keys], orientation="h", name=ref_label,
                marker_color="#b0bec5", hovertemplate="%{y}: %{x:.2f}<extra></extra>")
    fig.add_bar(y=[names[k] for k in keys], x=[w.get(k, 0.0) for k in keys], orientation="h", name=label,
                marker_color="#1565c0", hovertemplate="%{y}: %{x:.2f}<extra></extra>",
                error_x=dict(type="data", symmetric=False, color="#0d47a1",
                             array=[max(0.0, hi.get(k, w.get(k, 0.0)) - w.get(k, 0.0)) for k in keys],
                             arrayminus=[max(0.0, w.get(k, 0.0) - lo.get(k, w.get(k, 0.0))) for k in keys]))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 340, barmode="group", legend=dict(orientation="h", y=-0.12))
