"""产业链图谱: the clickable chain map (现状图 / 远景图) with the detail of the chosen link beside it.

The map is a Plotly figure (:mod:`.map_figure`) drawn with selection events: a click on a
link's dot opens its detail in the column beside the map. A select box above the detail
does the same for keyboard and screen-reader users; both change one owned value
(``link``, also in the URL, see :func:`.state.bind`), so they never disagree.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import COLUMN_LABEL, MODE_LABEL, label, with_reasons
from ..io.export import csv_bytes
from ..viz import gap_graph
from . import data
from .map_figure import chain_map_figure
from .state import (T, bind, can_edit, chain_name, ctx, set_choice, source_markdown, stage_label, status_label,
                    translator, url_value)

# Coloured dots in Markdown (labels, headings): no emoji, which many office PCs and servers lack.
STATUS_DOT = {"strong": ":green[●]", "strengthen": ":orange[●]", "fill": ":red[●]", "extend": ":blue[●]",
              "unassessed": ":gray[●]"}
BADGE = {"strong": "green", "strengthen": "orange", "fill": "red", "extend": "blue", "unassessed": "gray"}
#: Plotly in the page: no logo link, no "edit in chart studio"; scroll zooms.
PLOT_CONFIG = {"displaylogo": False, "scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


@st.cache_data(max_entries=32, show_spinner=False)
def target_counts(key: str, version: str, chain: str, _tables) -> dict[str, int]:
    """``{link id: number of target firms that would fill it}`` on one chain (the map's hover)."""
    ranked = data.ranked(key, version, chain, _tables, top=None)
    links = _tables.links[_tables.links["chain"] == chain]
    ids = dict(zip(links["name_zh"], links["id"]))
    counts: dict[str, int] = {}
    for names in ranked["links"]:
        for n in names or []:
            if n in ids:
                counts[ids[n]] = counts.get(ids[n], 0) + 1
    return counts


def clicked_link(event) -> str | None:
    """The link id of the first point selected in a ``plotly_chart`` selection state, if any."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for p in points or []:
        cd = p.get("customdata")
        if isinstance(cd, (list, tuple)):
            cd = cd[0] if cd else None
        if cd:
            return str(cd)
    return None


@st.cache_data(max_entries=64, show_spinner=False)
def figure(key: str, version: str, chain: str, lang: str, size_by: str, vision: bool, selected: str, _tables):
    """The chain map of one chain, view and chosen link (built once per data version: a page change
    back to the map draws it from the cache)."""
    g = data.gaps(key, version, chain, _tables)
    gg = gap_graph(_tables, chain, g, lang)
    n_local = dict(zip(g["link_id"], g["n_local"]))
    for n, d in gg.nodes(data=True):
        d["n_local"] = n_local.get(n, 0)
    chains = {ch: chain_name(_tables, ch, lang) for ch in _tables.chains["id"]}
    targets = data.vision_targets(key, version, chain, None, _tables) if vision else None
    return chain_map_figure(gg, lang, chains, size_by=size_by, targets=targets,
                            n_targets=target_counts(key, version, chain, _tables), selected=selected)


def page() -> None:
    c = ctx()
    g = with_reasons(data.gaps(c.key, c.version, c.chain, c.tables), c.lang)
    st.title(T("map.title", chain=c.chain_name()))
    counts = g["status"].value_counts()
    # One line of badges, not five metric cards: the numbers are never cut at 1280 px and the map starts higher.
    st.markdown(" ".join(f":{BADGE[s]}-badge[{status_label(s)} {T('unit.links', n=int(counts.get(s, 0)))}]"
                         for s in ["strong", "strengthen", "fill", "extend", "unassessed"]))

    a, b = st.columns([1, 1])
    with a:
        url_value("view", ["now", "vision"], "now")
        view = st.segmented_control(T("map.view"), ["now", "vision"], required=True,
                                    format_func=lambda v, _t=translator(): _t(f"map.{v}"), **bind("view", "map_view"))
    with b:
        url_value("size", ["severity", "n_local"], "severity")
        size_by = st.segmented_control(T("mapx.size"), ["severity", "n_local"], required=True,
                                       format_func=lambda v, _t=translator(): _t(f"mapx.size_{v}"),
                                       **bind("size", "map_size"))
    targets = None
    if view == "vision":
        with st.spinner(T("map.vision_wait")):
            targets = data.vision_targets(c.key, c.version, c.chain, None, c.tables)

    order = g.assign(_s=g["severity"].fillna(-1)).sort_values(["_s", "strength"], ascending=[False, True])
    ids = order["link_id"].tolist()
    chart_key, pick_key = f"map_fig_{c.chain}", f"map_link_{c.chain}"
    # A click on the map since the last run (the chart's own state, read before it is drawn again):
    # it becomes the chosen link. A selection already seen is not a new click (the select box may have
    # moved on since).
    hit = clicked_link(st.session_state.get(chart_key))
    if hit in ids and hit != st.session_state.get("_map_seen", {}).get(c.chain):
        set_choice("link", hit, pick_key)
    st.session_state.setdefault("_map_seen", {})[c.chain] = hit
    link = url_value("link", ids, ids[0])

    names = dict(zip(g["link_id"], g["name_en" if c.lang == "en" else "name_zh"]))
    fig = figure(c.key, c.version, c.chain, c.lang, size_by or "severity", view == "vision", link, c.tables)

    left, right = st.columns([2, 1], gap="medium")
    with left:
        st.plotly_chart(fig, key=chart_key, on_select="rerun", selection_mode="points", config=PLOT_CONFIG,
                        width="stretch")
        st.caption(T("mapx.vision_note", n=len([k for k, v in (targets or {}).items() if v]))
                   if targets is not None else T("mapx.now_note"))
    with right:
        status = {lid: status_label(s) for lid, s in zip(g["link_id"], g["status"])}
        link = st.selectbox(T("mapx.pick"), ids, format_func=lambda l: f"{names[l] or l} · {status[l]}",
                            **bind("link", pick_key))
        detail(c, g, link, names)

    with st.expander(T("map.table"), icon=":material/table:"):
        cols = ["name_zh", "stage", "status", "strength", "severity", "n_local", "incumbents", "reason", "as_of"]
        # Numbers rounded for people, blanks blank (not "None"): unassessed links have no severity.
        show = g[cols].assign(stage=g["stage"].map(stage_label), status=g["status"].map(status_label),
                              incumbents=g["incumbents"].map("、".join),
                              strength=g["strength"].map(_two), severity=g["severity"].map(_two),
                              as_of=g["as_of"].fillna("").astype(str))
        if c.lang == "zh":
            show = show.rename(columns=COLUMN_LABEL["zh"])
        st.dataframe(show, hide_index=True, width="stretch")
        st.download_button(T("map.download"), csv_bytes(show), file_name=T("map.file", chain=c.chain_name()),
                           mime="text/csv", icon=":material/download:", key="map_csv")


def _two(v) -> str:
    """A share for people: two decimals, blank when unknown (text, so the column holds one type)."""
    return "" if pd.isna(v) else f"{v:.2f}"


def detail(c, g: pd.DataFrame, link: str, names: dict) -> None:
    """The side panel of one link: status, reason, local firms, severity, source and date, top targets."""
    row = g.set_index("link_id").loc[link]
    st.markdown(f"### {STATUS_DOT[row['status']]} {names[link] or link} · {status_label(row['status'])}")
    st.info(row["reason"], icon=":material/lightbulb:")
    a, b = st.columns(2)
    a.metric(T("map.strength"), f"{row['strength']:.2f}")
    b.metric(T("map.severity"), "—" if pd.isna(row["severity"]) else f"{row['severity']:.2f}",
             help=T("map.severity_help"))
    st.markdown(f"**{T('map.stage')}**：{stage_label(row['stage'])}")
    inc = list(row["incumbents"])
    st.markdown(f"**{T('mapx.local_n', n=int(row['n_local']))}**：" + ("、".join(inc) if inc else T("map.none")))
    if list(row["chain_leaders"]):
        st.markdown(f"**{T('map.leader')}**：" + "、".join(row["chain_leaders"]))
    st.markdown(f"**{T('map.source')}**：" + (source_markdown(row["source"]) or T("map.none")))
    st.caption(T("map.as_of", d=row["as_of"] or "—"))
    if can_edit():   # survey this link, record a local firm, correct it: the 链条维护 page, opened on this link
        st.page_link(st.session_state["_pages"]["maintain"], label=T("nav.maintain"), icon=":material/construction:",
                     query_params={"link": link})
    st.markdown(f"**{T('map.link_targets')}**")
    top = with_reasons(data.ranked(c.key, c.version, c.chain, c.tables, top=5, link=link), c.lang)
    if not len(top):
        st.caption(T("map.no_link_targets"))
        return
    # A list, not a grid: the reasons wrap in a narrow column instead of being cut.
    for r in top.to_dict("records"):
        st.markdown(T("mapx.target_line", rank=int(r["rank"]), name=r["name_zh"], mode=label(MODE_LABEL, r["mode"], c.lang),
                      score=f"{r['score']:.2f}"))
        st.caption(r["reason"])
