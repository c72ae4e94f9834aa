"""产业链图谱: the gap map (现状图 / 远景图) and the detail of one link with its top targets."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import COLUMN_LABEL, with_reasons
from ..io.export import csv_bytes
from ..scoring.report import target_table
from ..viz import gap_graph, to_dot
from . import data
from .state import T, ctx, source_markdown, stage_label, status_label, sticky, translator

# Coloured dots in Markdown (labels, headings): no emoji, which many office PCs and servers lack.
STATUS_DOT = {"strong": ":green[●]", "strengthen": ":orange[●]", "fill": ":red[●]", "extend": ":blue[●]",
              "unassessed": ":gray[●]"}


def page() -> None:
    c = ctx()
    g = with_reasons(data.gaps(c.key, c.version, c.chain, c.tables), c.lang)
    st.title(T("map.title", chain=c.chain_name()))
    counts = g["status"].value_counts()
    cols = st.columns(5)
    for col, s in zip(cols, ["strong", "strengthen", "fill", "extend", "unassessed"]):
        col.metric(f"{STATUS_DOT[s]} {status_label(s)}", T("unit.links", n=int(counts.get(s, 0))), border=True)

    sticky("map_view", f"map_link_{c.chain}")
    view = st.segmented_control(T("map.view"), ["now", "vision"], default="now", key="map_view",
                                format_func=lambda v, _t=translator(): _t(f"map.{v}"), required=True)
    targets = None
    if view == "vision":
        with st.spinner(T("map.vision_wait")):
            targets = data.vision_targets(c.key, c.version, c.chain, None, c.tables)
        st.caption(T("map.vision_note", n=len(targets)))
    else:
        st.caption(T("map.now_note"))
    title = T("map.dot_title", chain=c.chain_name()) + (T("map.dot_vision") if targets is not None else "")
    dot = to_dot(gap_graph(c.tables, c.chain, g), title=title, lang=c.lang, targets=targets)
    st.graphviz_chart(dot, width="stretch")

    st.subheader(T("map.detail"))
    order = g.assign(_s=g["severity"].fillna(-1)).sort_values(["_s", "strength"], ascending=[False, True])
    names = dict(zip(g["link_id"], g["name_en" if c.lang == "en" else "name_zh"]))
    status = {lid: status_label(s) for lid, s in zip(g["link_id"], g["status"])}
    link = st.selectbox(T("map.pick_link"), order["link_id"].tolist(), key=f"map_link_{c.chain}",
                        format_func=lambda l: f"{names[l] or l} · {status[l]}")
    row = g.set_index("link_id").loc[link]
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.markdown(f"### {STATUS_DOT[row['status']]} {names[link]} · {status_label(row['status'])}")
        st.info(row["reason"], icon=":material/lightbulb:")
        a, b, d = st.columns(3)
        a.metric(T("map.strength"), f"{row['strength']:.2f}")
        b.metric(T("map.severity"), "—" if pd.isna(row["severity"]) else f"{row['severity']:.2f}",
                 help=T("map.severity_help"))
        d.metric(T("map.stage"), stage_label(row["stage"]))
        inc = list(row["incumbents"])
        st.markdown(f"**{T('map.incumbents')}**：" + ("、".join(inc) if inc else T("map.none")))
        if list(row["chain_leaders"]):
            st.markdown(f"**{T('map.leader')}**：" + "、".join(row["chain_leaders"]))
        st.markdown(f"**{T('map.source')}**：" + (source_markdown(row["source"]) or T("map.none")))
        st.caption(T("map.as_of", d=row["as_of"] or "—"))
    with right:
        st.markdown(f"**{T('map.link_targets')}**")
        top = data.ranked(c.key, c.version, c.chain, c.tables, top=5, link=link)
        if len(top):
            show = target_table(top, c.lang)
            keep = [x for x in show.columns if x in (T("tt.rank"), T("tt.name"), T("tt.mode"), T("tt.score"),
                                                     T("tt.reason"))]
            st.dataframe(show[keep], hide_index=True, width="stretch",
                         column_config={T("tt.score"): st.column_config.ProgressColumn(
                             T("tt.score"), min_value=0.0, max_value=1.0, format="%.2f")})
        else:
            st.caption(T("map.no_link_targets"))

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
