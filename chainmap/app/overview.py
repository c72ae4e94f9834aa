"""总览: this year's signings against the plan's target and the last reported year (``seeds/city.toml``),
and one card per chain."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..analysis.ledger import (kpis_by_chain, ledger_kpis, monthly_cumulative, pace, scoreboard,
                               year_of, year_range)
from ..model import Status
from ..viz import STATUS_COLOURS
from . import data, evaluation, svg
from .state import T, city_name, ctx, fmt_yi, source_markdown, status_label, today

STATUS_ORDER = [s.value for s in Status]  # strong, strengthen, fill, extend, unassessed


def year_options(projects: pd.DataFrame) -> list[int]:
    """Years to choose from, newest first and without a gap: every year from the earliest signing in the
    ledger, or the earliest year the city's settings report or target, to this year."""
    years = [year_of(d) for d in projects["signed_on"]]
    city = ctx().city
    years += [b.year for b in city.baselines] + [t.year for t in city.targets]
    return year_range(years, today().year)


def reference_year(city, year: int):
    """The latest year the city reported before ``year`` (None when it reported none)."""
    earlier = [b for b in city.baselines if b.year < year]
    return max(earlier, key=lambda b: b.year) if earlier else None


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
    base = reference_year(c.city, year)   # the last reported year before this one: what the year is compared with
    base_yi = base.planned_yi if base is not None else None
    deltas = base_deltas(base)

    official = c.city.baseline(year)   # the city's own figures for this very year, when it reported them
    has_data = k["n_signed"] > 0
    share, due = pace(target, year, today())

    left, right = st.columns([5, 4], gap="large")
    with left:
        title = T("ov.gauge_title", year=year, target=f"{target:,.0f}") if target else T("ov.gauge_title_nt", year=year)
        labels = {"baseline": T("ov.base_mark", by=base.year, v=f"{base_yi:,.0f}") if base_yi is not None else "",
                  "time": T("ov.time_mark", pct=f"{share:.0%}"), "target": T("ov.target_mark")}
        shown = fmt_yi(k["planned_yi"]) if k["planned_yi"] > 0 else T("ov.no_data_short")
        st.markdown(svg.gauge(k["planned_yi"], target or max(k["planned_yi"], base_yi or 0.0), base_yi,
                              share if target else None, title, shown, labels),
                    unsafe_allow_html=True)
        if base_yi is not None:
            st.caption(T("ov.gauge_note", by=base.year, base=f"{base_yi:,.0f}", pct=f"{share:.0%}") if target
                       else T("ov.gauge_note_nt", by=base.year, base=f"{base_yi:,.0f}"))
        elif target:
            st.caption(T("ov.gauge_note_target", pct=f"{share:.0%}"))
        if target and due is not None:
            st.markdown(T("ov.pace_line", year=year, pct=f"{share:.0%}", due=fmt_yi(due), target=fmt_yi(target))
                        if 0 < share < 1 else T("ov.pace_done" if share >= 1 else "ov.pace_future",
                                                year=year, target=fmt_yi(target)))
        if target and has_data:
            st.progress(min(1.0, k["progress"] or 0.0),
                        text=T("ov.progress", done=fmt_yi(k["planned_yi"]), target=fmt_yi(target),
                               pct=f"{(k['progress'] or 0):.1%}"))
            if due:
                gap = k["planned_yi"] - due
                st.caption(T("ov.ahead" if gap >= 0 else "ov.behind", v=fmt_yi(abs(gap))))
    with right:
        if not has_data:
            st.info(T("ov.no_data", year=year) + (T("ov.no_data_official", year=year) if official is not None
                                                  else ""), icon=":material/info:")
        dash = (lambda v: v) if has_data else (lambda v: "—")  # noqa: E731 - nothing in the ledger: no zero shown
        a, b = st.columns(2)
        a.metric(T("ov.n_signed"), dash(T("unit.n", n=k["n_signed"])), delta=deltas["n_signed"],
                 delta_color="off", delta_arrow="off", border=True)
        rate = "—" if k["start_rate"] is None else f"{k['start_rate']:.0%}"
        b.metric(T("ov.start_rate"), rate, delta=deltas["start_rate"],
                 delta_color="off", delta_arrow="off", border=True, help=T("ov.start_rate_help"))
        # the ledger's completed investment, cumulated over all years; none entered yet shows a dash, not 0.0亿
        a.metric(T("ov.completed"), fmt_yi(k["completed_yi"]) if k["completed_yi"] > 0 else "—", delta=deltas["completed_yi"],
                 delta_color="off", delta_arrow="off", border=True, help=T("ov.completed_help"))
        b.metric(T("ov.ge10"), dash(T("unit.n", n=k["n_ge_10yi"])), delta=deltas["n_ge_10yi"],
                 delta_color="off", delta_arrow="off", border=True)
        if official is not None:
            st.markdown(f"**{T('ov.vs_title', year=year)}**")
            st.table(official_vs_ledger(official, k))
        if base is not None:
            yi = lambda v: "—" if v is None else T("unit.yi", v=f"{v:,.0f}")  # noqa: E731
            st.caption(T("ov.base_source", by=base.year, source=source_markdown(base.source), v=yi(base.planned_yi),
                         c=yi(base.completed_yi), n="—" if base.n_signed is None else T("unit.n", n=base.n_signed),
                         r="—" if base.start_rate is None else f"{base.start_rate:.0%}"))
        if target:
            st.caption(T("ov.target_source", year=year, source=source_markdown(c.city.target_source(year))))
    if k["n_amount_missing"]:
        st.warning(T("ov.amount_missing", n=k["n_amount_missing"]), icon=":material/warning:")

    curve, boards = st.columns([2, 3], gap="large")
    with curve:
        monthly_curve(t.projects, year, target, k)
    with boards:
        scoreboards(c, year, target)

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


def official_vs_ledger(official, k: dict) -> pd.DataFrame:
    """The city's reported figures of a year beside what the ledger holds for it (words for people)."""
    n = lambda v: "—" if v is None else T("unit.n", n=v)  # noqa: E731
    yi = lambda v: "—" if v is None else fmt_yi(v)  # noqa: E731
    pct = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
    rows = [(T("ov.n_signed"), n(official.n_signed), n(k["n_signed"])),
            (T("ov.planned"), yi(official.planned_yi), yi(k["planned_yi"]) if k["planned_yi"] > 0 else "—"),
            (T("ov.start_rate"), pct(official.start_rate), pct(k["start_rate"])),
            (T("ov.ge10"), n(official.n_ge_10yi), n(k["n_ge_10yi"]))]
    return pd.DataFrame(rows, columns=[T("ov.vs_figure"), T("ov.vs_official"), T("ov.vs_ledger")]).set_index(
        T("ov.vs_figure"))


def monthly_curve(projects: pd.DataFrame, year: int, target: float | None, k: dict) -> None:
    """The year's signings cumulated month by month, against the plan's even pace."""
    st.markdown(f"**{T('ov.curve_title', year=year)}**")
    m = monthly_cumulative(projects, year, target, on=today())
    series = {T("ov.curve_ledger"): list(m["cum_yi"].round(1))}
    if target:
        series[T("ov.curve_plan")] = list(m["plan_yi"].round(1))
    st.markdown(svg.lines(series, ["#c62828", "#90caf9"], [T("ov.month", m=int(v)) for v in m["month"]],
                          T("ov.curve_title", year=year), x_title=T("ov.curve_month"),
                          y_title=T("unit.yi_long").strip()), unsafe_allow_html=True)
    undated = k["n_signed"] - int(m["n"].sum())
    if undated:
        st.caption(T("ov.curve_undated", n=undated))
    if not k["n_signed"]:
        st.caption(T("ov.curve_empty", year=year))


def _team_of_projects(t) -> pd.Series:
    """Per project, the pioneer team it counts for: the team named as its lead unit, else the team
    following its investor on its chain ("" when neither)."""
    names = set(t.teams["name_zh"])
    p = t.projects
    fu = t.followups[t.followups["team"].isin(names)]
    by_firm = {(f, ch): team for f, ch, team in zip(fu["firm_id"], fu["chain"], fu["team"])}
    out = []
    for lead, resp, inv, ch in zip(p["lead_unit"], p["responsible_unit"], p["investor_id"], p["chain"]):
        out.append(lead if lead in names else resp if resp in names else by_firm.get((inv, ch), ""))
    return pd.Series(out, index=p.index, dtype=object)


def scoreboards(c, year: int, target: float | None) -> None:
    """Per team and per county: leads, visits, signings and amounts against their share of the target."""
    t = c.tables
    st.markdown(f"**{T('ov.board_title', year=year)}**")
    team_shares, team_src = c.city.shares_of(year, "team")
    id_to_name = dict(zip(t.teams["id"], t.teams["name_zh"]))
    teams = scoreboard(list(t.teams["name_zh"]), t.projects, year, _team_of_projects(t), target,
                       {id_to_name.get(k, k): v for k, v in team_shares.items()}, t.followups)
    county_shares, county_src = c.city.shares_of(year, "county")
    counties = list(c.city.counties) or sorted({x for x in t.projects["county"] if x})
    by_county = scoreboard(counties, t.projects, year, t.projects["county"], target, county_shares)
    tab_team, tab_county = st.tabs([T("ov.board_team"), T("ov.board_county")])
    with tab_team:
        _board(teams, T("ov.b_team"), team_src, visits=True)
    with tab_county:
        _board(by_county, T("ov.b_county"), county_src, visits=False)


def _board(b: pd.DataFrame, unit: str, source: str, visits: bool) -> None:
    show = pd.DataFrame({unit: b["unit"], T("ov.b_leads"): b["leads"]})
    if visits:
        show[T("ov.b_visits")] = b["visits"]
    show[T("ov.b_signed")] = b["n_signed"]
    show[T("ov.b_amount")] = b["planned_yi"].round(1)
    show[T("ov.b_due")] = b["due_yi"].round(1)
    show[T("ov.b_progress")] = b["progress"].clip(upper=1.0)
    st.dataframe(show, hide_index=True, width="stretch", placeholder="—", column_config={
        T("ov.b_progress"): st.column_config.ProgressColumn(T("ov.b_progress"), min_value=0.0, max_value=1.0,
                                                             format="percent"),
        T("ov.b_amount"): st.column_config.NumberColumn(T("ov.b_amount"), format="%.1f"),
        T("ov.b_due"): st.column_config.NumberColumn(T("ov.b_due"), format="%.1f")})
    if source:
        st.caption(T("ov.b_source", source=source_markdown(source)))
    else:
        st.caption(T("ov.b_no_shares"))


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
