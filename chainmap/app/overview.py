"""总览: this year's signings against the plan's target and the last reported year (``seeds/city.toml``),
and one card per chain."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..analysis.ledger import kpis_by_chain, ledger_kpis, time_share, year_of
from ..model import Status
from ..viz import STATUS_COLOURS
from . import data, evaluation, svg
from .state import T, city_name, ctx, fmt_yi, status_label, today

STATUS_ORDER = [s.value for s in Status]  # strong, strengthen, fill, extend, unassessed


def year_options(projects: pd.DataFrame) -> list[int]:
    """Years to choose from: every signing year in the ledger, and this year."""
    years = {y for y in (year_of(d) for d in projects["signed_on"]) if y}
    return sorted(years | {today().year}, reverse=True)


def target_for(year: int) -> float | None:
    """The target of ``year`` in the workspace's settings (None when its plan sets none)."""
    return ctx().city.target(year)


def base_deltas(base) -> dict[str, str | None]:
    """The last reported year's figures as metric deltas (None where the settings give none)."""
    if base is None:
        return {"n_signed": None, "start_rate": None, "completed_yi": None, "n_ge_10yi": None}
    by = base.year
    return {"n_signed": None if base.n_signed is None else T("ov.base_n", by=by, n=base.n_signed),
            "start_rate": None if base.start_rate is None else T("ov.base_rate", by=by, r=f"{base.start_rate:.0%}"),
            "completed_yi": None if base.completed_yi is None else T("ov.base_yi", by=by, v=f"{base.completed_yi:g}"),
            "n_ge_10yi": None if base.n_ge_10yi is None else T("ov.base_n", by=by, n=base.n_ge_10yi)}


def page() -> None:
    c = ctx()
    t = c.tables
    st.title(T("ov.title", city=city_name()))
    st.caption(T("ov.caption", chains="、".join(t.chains["name_zh"])))
    years = year_options(t.projects)
    year = st.selectbox(T("ov.year"), years, index=years.index(today().year), key="ov_year", width=160)
    target = target_for(year)
    k = ledger_kpis(t.projects, year, target_yi=target)
    base = c.city.latest_baseline()
    base_yi = base.planned_yi if base is not None else None
    deltas = base_deltas(base)

    left, right = st.columns([5, 4], gap="large")
    with left:
        share = time_share(today()) if year == today().year else (1.0 if year < today().year else None)
        title = T("ov.gauge_title", year=year, target=f"{target:,.0f}") if target else T("ov.gauge_title_nt", year=year)
        labels = {"baseline": T("ov.base_mark", by=base.year, v=f"{base_yi:,.0f}") if base_yi is not None else "",
                  "time": T("ov.time_mark", pct=f"{(share or 0):.0%}"), "target": T("ov.target_mark")}
        st.markdown(svg.gauge(k["planned_yi"], target or max(k["planned_yi"], base_yi or 0.0), base_yi,
                              share if target else None, title, fmt_yi(k["planned_yi"]), labels),
                    unsafe_allow_html=True)
        if base_yi is not None:
            st.caption(T("ov.gauge_note", by=base.year, base=f"{base_yi:,.0f}", pct=f"{share:.0%}") if target
                       else T("ov.gauge_note_nt", by=base.year, base=f"{base_yi:,.0f}"))
        elif target:
            st.caption(T("ov.gauge_note_target", pct=f"{share:.0%}"))
        if target:
            st.progress(min(1.0, k["progress"] or 0.0),
                        text=T("ov.progress", done=fmt_yi(k["planned_yi"]), target=fmt_yi(target),
                               pct=f"{(k['progress'] or 0):.1%}"))
    with right:
        a, b = st.columns(2)
        a.metric(T("ov.n_signed"), T("unit.n", n=k["n_signed"]), delta=deltas["n_signed"],
                 delta_color="off", delta_arrow="off", border=True)
        rate = "—" if k["start_rate"] is None else f"{k['start_rate']:.0%}"
        b.metric(T("ov.start_rate"), rate, delta=deltas["start_rate"],
                 delta_color="off", delta_arrow="off", border=True, help=T("ov.start_rate_help"))
        a.metric(T("ov.completed"), fmt_yi(k["completed_yi"]), delta=deltas["completed_yi"],
                 delta_color="off", delta_arrow="off", border=True, help=T("ov.completed_help"))
        b.metric(T("ov.ge10"), T("unit.n", n=k["n_ge_10yi"]), delta=deltas["n_ge_10yi"],
                 delta_color="off", delta_arrow="off", border=True)
        if base is not None:
            yi = lambda v: "—" if v is None else T("unit.yi", v=f"{v:,.0f}")  # noqa: E731
            st.caption(T("ov.base_source", by=base.year, source=base.source, v=yi(base.planned_yi),
                         c=yi(base.completed_yi), n="—" if base.n_signed is None else T("unit.n", n=base.n_signed),
                         r="—" if base.start_rate is None else f"{base.start_rate:.0%}"))
        if target:
            st.caption(T("ov.target_source", year=year, source=c.city.target_source(year)))
    if k["n_signed"] == 0:
        st.info(T("ov.no_signed", year=year), icon=":material/info:")
    if k["n_amount_missing"]:
        st.warning(T("ov.amount_missing", n=k["n_amount_missing"]), icon=":material/warning:")

    st.subheader(T("ov.chains"))
    by_chain = kpis_by_chain(t.projects, year, list(t.chains["id"])).set_index("chain")
    labels = {s: status_label(s) for s in STATUS_ORDER}
    chains = list(t.chains["id"])
    for start in range(0, len(chains), 3):
        cols = st.columns(3)
        for col, chain in zip(cols, chains[start:start + 3]):
            with col.container(border=True):
                _chain_card(c, chain, by_chain, labels)
    evaluation.panel()


def _chain_card(c, chain: str, by_chain: pd.DataFrame, labels: dict) -> None:
    g = data.gaps(c.key, c.version, chain, c.tables)
    st.markdown(f"#### {c.chain_name(chain)}")
    st.caption(T("ov.card_links", n=len(g), fill=int((g["status"] == "fill").sum()),
                 extend=int((g["status"] == "extend").sum()), weak=int((g["status"] == "strengthen").sum())))
    counts = g["status"].value_counts()
    st.markdown(svg.bars([int(counts.get(s, 0)) for s in STATUS_ORDER], [STATUS_COLOURS[s][0] for s in STATUS_ORDER],
                     [labels[s] for s in STATUS_ORDER]), unsafe_allow_html=True)
    top = data.ranked(c.key, c.version, chain, c.tables, top=3)
    st.markdown(f"**{T('ov.top3')}**")
    if len(top):
        st.markdown("\n".join(f"{r.rank}. {r.name_zh} · {T('mode.' + r.mode)} · {r.score:.2f}"
                              for r in top.itertuples()))
    else:
        st.caption(T("ov.no_targets"))
    r = data.review(c.key, c.version, chain, today(), c.tables)
    from ..analysis.mechanism import completeness

    done = int((r["status"] == "已落实").sum())
    st.progress(completeness(r), text=T("ov.mech", pct=f"{completeness(r):.0%}", done=done, n=len(r)))
    row = by_chain.loc[chain] if chain in by_chain.index else None
    if row is not None:
        st.caption(T("ov.card_signed", n=int(row["n_signed"]), v=fmt_yi(float(row["planned_yi"]))))
