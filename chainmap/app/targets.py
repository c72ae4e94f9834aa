"""目标企业: filter the ranked target list, read it, download it as CSV or the xlsx 招商清单."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from ..io.export import csv_bytes, xlsx_bytes
from ..scoring import STRATEGIES, UNASSIGNED, resolve_weights
from ..i18n import HONOUR_LABEL, label
from ..scoring.report import REGION_ZH, target_sheets, target_table
from . import charts, data, evaluation
from .state import T, bind, ctx, sticky, translator, url_value
from .text import EN_TARGET_HEADERS

MODES = ["all", "fill", "strengthen", "extend"]
TOP_CHOICES = [20, 50, 100, 200, 500]


def display_targets(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked list as shown on screen: Chinese headers (``target_table``), or readable English ones."""
    show = target_table(ranked, lang)
    if lang == "zh":
        return show
    return show.rename(columns=EN_TARGET_HEADERS)


def column_config(lang: str) -> dict:
    h = (lambda k: T(f"tt.{k}"))
    cfg = {h("score"): st.column_config.ProgressColumn(h("score"), min_value=0.0, max_value=1.0, format="%.3f",
                                                       width="medium"),
           h("reason"): st.column_config.TextColumn(h("reason"), width="large"),
           h("name"): st.column_config.TextColumn(h("name"), pinned=True),
           h("rank"): st.column_config.NumberColumn(h("rank"), pinned=True, width="small")}
    for k in ("fill", "strengthen", "extend", "affinity", "relatedness", "tier", "propensity", "reach"):
        cfg[h(k)] = st.column_config.NumberColumn(h(k), format="%.2f", width="small")
    return cfg


def filters(c) -> dict:
    """The filter widgets; returns the keyword arguments of ``rank``."""
    t = c.tables
    teams = list(t.teams["name_zh"]) + [UNASSIGNED]
    links = t.links[t.links["chain"] == c.chain]
    sticky(f"tg_link_{c.chain}")
    # The filters an officer would send a colleague live in the URL (?mode=fill&team=…&region=YRD), owned by
    # the session like the chain and the language; "" stands for any.
    learned = evaluation.learned_strategy()
    options = list(STRATEGIES) + (["learned"] if learned else [])
    any_of = {"team": [""] + teams, "region": [""] + list(REGION_ZH), "honour": [""] + list(HONOUR_LABEL["zh"])}
    url_value("mode", MODES, "all")
    url_value("strategy", options, "稳健")
    for name, values in any_of.items():
        url_value(name, values, "")
    _any = translator()
    with st.container(border=True):
        a, b, d, e = st.columns([3, 2, 2, 2])
        mode = a.segmented_control(T("tg.mode"), MODES, required=True, **bind("mode", "tg_mode"),
                                   format_func=lambda m, _t=translator(): _t(f"mode.{m}"))
        strategy = b.segmented_control(T("tg.strategy"), options, required=True, **bind("strategy", "tg_strategy"),
                                       format_func=lambda s, _t=translator(): _t(f"strategy.{s}"),
                                       help=T("tg.strategy_help"))
        top = d.selectbox(T("tg.top"), TOP_CHOICES, index=1, key="tg_top")
        min_score = e.slider(T("tg.min_score"), 0.0, _score_range(c, strategy, learned), 0.0, 0.05, key="tg_min")
        f, g, h_, i = st.columns(4)
        team = f.selectbox(T("tg.team"), any_of["team"], **bind("team", "tg_team"),
                           format_func=lambda v: _any("tg.any") if v == "" else v) or None
        region = g.selectbox(T("tg.region"), any_of["region"], **bind("region", "tg_region"),
                             format_func=lambda v: _any("tg.any") if v == "" else
                             (REGION_ZH[v] if c.lang == "zh" else v)) or None
        honour = h_.selectbox(T("tg.honour"), any_of["honour"], **bind("honour", "tg_honour"),
                              format_func=lambda v: _any("tg.any") if v == "" else
                              label(HONOUR_LABEL, v, c.lang)) or None
        names = dict(zip(links["id"], links["name_en" if c.lang == "en" else "name_zh"]))
        link = i.selectbox(T("tg.link"), [None] + list(links["id"]), key=f"tg_link_{c.chain}",
                           format_func=lambda v, _t=translator(): _t("tg.any") if v is None else (names[v] or v))
    if strategy == "learned":  # only when chosen: the learned weights never replace a default
        strategy = dict(learned["weights"])
    return dict(strategy=strategy, mode=mode, top=top, team=team, region=region, honour=honour, link=link,
                min_score=float(min_score))


def _score_range(c, strategy: str, learned) -> float:
    """The slider's top: the best score of the chain under the chosen strategy, up to the slider's step.

    Scores are not bounded by 1 (a firm's weighted components times its fit and momentum factors), so a
    fixed 0–1 range would hide the top of the list. A stored choice above the new top is brought down to it.
    """
    weights = dict(learned["weights"]) if strategy == "learned" else strategy
    best = data.ranked(c.key, c.version, c.chain, c.tables, strategy=weights, mode="all", top=1)["score"]
    top = max(0.05, math.ceil(float(best.max()) / 0.05) * 0.05) if len(best) and best.notna().any() else 1.0
    top = round(top, 2)
    if st.session_state.get("tg_min", 0.0) > top:
        st.session_state["tg_min"] = top
    return top


@st.cache_data(max_entries=64, show_spinner=False)
def _files(key: str, version: str, chain: str, lang: str, args: tuple, _ranked: pd.DataFrame,
           _chain_name: str, _teams: tuple) -> tuple[bytes, bytes]:
    """The CSV and xlsx downloads of one ranked list: the same files the CLI writes."""
    return (csv_bytes(target_table(_ranked, lang)),
            xlsx_bytes(target_sheets(_ranked, _chain_name, list(_teams), unassigned=len(_teams) != 1)))


def page() -> None:
    c = ctx()
    st.title(T("tg.title", chain=c.chain_name()))
    args = filters(c)
    ranked = data.ranked(c.key, c.version, c.chain, c.tables, **args)
    st.caption(T("tg.count", n=len(ranked), top=args["top"]))
    if not len(ranked):
        st.info(T("tg.empty"), icon=":material/filter_alt_off:")
        return

    chain_name = c.chain_name()
    csv_data, xlsx_data = _files(c.key, c.version, c.chain, c.lang, tuple(sorted(args.items(), key=str)), ranked,
                                 c.tables.chains.set_index("id").at[c.chain, "name_zh"],
                                 (args["team"],) if args["team"] else tuple(c.tables.teams["name_zh"]))
    row = st.container(horizontal=True)
    row.download_button(T("tg.csv"), csv_data, file_name=T("tg.csv_file", chain=chain_name), mime="text/csv",
                       icon=":material/download:", key="tg_csv", on_click="ignore")
    row.download_button(T("tg.xlsx"), xlsx_data, file_name=T("tg.xlsx_file", chain=chain_name),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", key="tg_xlsx", on_click="ignore", type="primary")

    tab_list, tab_chart = st.tabs([T("tg.tab_list"), T("tg.tab_chart")])
    with tab_list:
        show = display_targets(ranked, c.lang)
        event = st.dataframe(show, hide_index=True, width="stretch", height=min(38 + 35 * len(show), 640),
                             column_config=column_config(c.lang), key="tg_table", placeholder="—", on_select="rerun",
                             selection_mode="single-row")
        rows = event.selection.rows if event is not None else []
        reasons = show[T("tt.reason")].astype(str)
        if rows:
            i = rows[0]
            fid = ranked["firm_id"].iat[i]
            st.session_state["firm_pick"] = fid
            with st.container(border=True, key="tg_detail"):   # the chosen row's reason in full, not cut
                st.markdown(f"**{ranked['rank'].iat[i]}. {ranked['name_zh'].iat[i]}** · "
                            f"{T('tt.score')} {ranked['score'].iat[i]:.2f}")
                st.markdown(f"{T('tt.reason')}：{reasons.iat[i]}")
                st.page_link(st.session_state["_pages"]["firm"], label=T("tg.to_firm", name=ranked["name_zh"].iat[i]),
                             icon=":material/person_search:")
        else:
            st.caption(T("tg.select_hint"))
        with st.expander(T("tg.reasons_all", n=len(show)), icon=":material/notes:"):
            st.markdown("\n".join(f"{r}. **{n}**：{why}" for r, n, why in
                                   zip(ranked["rank"], ranked["name_zh"], reasons)))
    with tab_chart:
        names = {k: T(f"tt.{k}") for k in ("fill", "strengthen", "extend", "affinity", "relatedness", "tier",
                                          "propensity", "reach")}
        st.plotly_chart(charts.target_stack(ranked, resolve_weights(args["strategy"]), names), key="tg_stack",
                        config={"displayModeBar": False})
        st.caption(T("tg.chart_note"))
