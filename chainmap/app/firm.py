"""企业画像: one firm's facts with sources, why it scores, who can introduce it, and its follow-up."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from ..io.schemas import FOLLOWUP_STATUS
from ..scoring import UNASSIGNED
from ..model import PartialDate
from ..scoring.report import REGION_ZH
from . import charts, data, reports
from ..i18n import CHANNEL_LABEL, CST, HONOUR_LABEL, history_view, label
from .state import T, can_edit, city_name, ctx, editor_notice, loaded, nonce, save, source_markdown, status_label

_URL = re.compile(r"https?://[^\s;]+")


def _first_url(text: str) -> str | None:
    m = _URL.search(str(text or ""))
    return m.group(0) if m else None


def search_firms(firms: pd.DataFrame, query: str, limit: int = 50) -> list[str]:
    """Firm ids whose id, Chinese or English name, or an alias contains ``query``."""
    q = query.strip().lower()
    if not q:
        return []
    hit = (firms["id"].str.lower() == q)
    for col in ("name_zh", "aliases", "name_en"):
        hit |= firms[col].str.lower().str.contains(q, regex=False)
    return firms.loc[hit, "id"].head(limit).tolist()


def page() -> None:
    c = ctx()
    t = c.tables
    st.title(T("fm.title"))
    firms = t.firms
    name_of = dict(zip(firms["id"], firms["name_zh"]))
    a, b = st.columns([2, 3])
    query = a.text_input(T("fm.search"), key="fm_query", placeholder=T("fm.search_ph"))
    if query:
        options = search_firms(firms, query)
        if not options:
            a.warning(T("fm.no_match", q=query))
    else:
        options = data.ranked(c.key, c.version, c.chain, c.tables, top=30)["firm_id"].tolist()
    pick = st.session_state.get("firm_pick")
    if pick in name_of and pick not in options and not query:
        options = [pick] + options
    if not options:
        options = firms["id"].head(30).tolist()
    if not options:
        st.info(T("fm.no_firms"))
        return
    fid = b.selectbox(T("fm.pick", chain=c.chain_name()), options, index=options.index(pick) if pick in options else 0,
                      format_func=lambda f: f"{name_of.get(f, f)}（{f}）")
    st.session_state["firm_pick"] = fid
    firm = firms.set_index("id").loc[fid]
    info = data.scorer(c.key, c.version, c.tables).explain(fid, c.chain, lang=c.lang)

    st.header(firm["name_zh"] + (f" · {firm['name_en']}" if firm["name_en"] else ""))
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(T("fm.score"), "—" if info["score"] is None else f"{info['score']:.2f}", border=True,
              help=None if info["score"] is not None else T("fm.no_score"))
    if info["score"] is None:
        # Say where the firm does score, so the officer can switch chain instead of guessing.
        others = [ch for ch in c.tables.chains["id"] if ch != c.chain
                  and pd.notna(data.scores(c.key, c.version, ch, c.tables).get(fid))]
        st.info(T("fm.other_chains", chains="、".join(c.chain_name(ch) for ch in others)) if others
                else T("fm.no_chain"), icon=":material/swap_horiz:")
    m2.metric(T("fm.mode"), T(f"mode.{info['mode']}") if info["mode"] else "—", border=True)
    with m3.container(border=True, height="stretch"):   # a team's name is long: words that wrap, not a cut metric
        st.caption(T("fm.team"))
        st.markdown(f"**{info['team'] or UNASSIGNED}**", help=T("fm.team_help"))
    m4.metric(T("fm.local", city=city_name()), T("fm.yes") if info["expand"] else T("fm.no"), border=True,
              delta=T("fm.expand") if info["expand"] else None, delta_color="off", delta_arrow="off")
    reports.firm_downloads(c, fid)   # 一企一策 as Word and PDF, made on click

    left, right = st.columns([1, 1], gap="large")
    with left:
        st.subheader(T("fm.facts"))
        shown = notes_for_officers(firm["notes"], c.lang)
        facts = firm.copy()
        facts["notes"] = shown
        st.markdown(_facts_markdown(facts, fid))
        if firm["notes"] and not shown:
            with st.expander(T("fm.notes_raw"), icon=":material/fact_check:"):
                st.caption(T("fm.notes_raw_note"))
                st.text(firm["notes"])
    with right:
        st.subheader(T("fm.breakdown"))
        names = {k: T(f"tt.{k}") for k in info["components"]}
        st.plotly_chart(charts.component_bars(info["components"], names), key="fm_components",
                        config={"displayModeBar": False})
        st.caption(T("fm.breakdown_note"))

    tab_links, tab_honours, tab_refer, tab_follow, tab_history = st.tabs(
        [T("fm.tab_links"), T("fm.tab_honours"), T("fm.tab_refer"), T("fm.tab_follow"), T("fm.tab_history")])
    with tab_links:
        _links(c, info, fid)
    with tab_honours:
        _honours(c, fid)
    with tab_refer:
        _referrals(info)
    with tab_follow:
        followup_form(c, fid)
    with tab_history:
        firm_history(c, fid)


def firm_history(c, fid: str) -> None:
    """Every recorded change to this firm's records: its row, plants, honours, relations, follow-ups."""
    h = c.store.history(key=fid)
    if h.empty:
        st.caption(T("hx.firm_none"))
        return
    st.dataframe(history_view(h, c.lang), hide_index=True, width="stretch", key="fm_history")


_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Compilers' working notes (field arithmetic, file names): never shown as facts.
_WORKING = re.compile(r"revenue_yi|revenue_cny_bn|shared chain=|link_hint=|\.csv\b")


def notes_for_officers(notes: str, lang: str) -> str:
    """A firm's notes as the facts show them: as written when they read as Chinese for officers
    (or in English when the page is in English); "" for the compilers' working notes, which the page
    keeps in a closed panel instead.

    Examples
    --------
    >>> notes_for_officers("2025年在清远新增3座窑炉。", "zh")
    '2025年在清远新增3座窑炉。'
    >>> notes_for_officers("HQ city general knowledge. Revenue not verified.", "zh")
    ''
    >>> notes_for_officers("HQ city general knowledge.", "en")
    'HQ city general knowledge.'
    >>> notes_for_officers("revenue_yi = shared revenue_cny_bn 35.14 x 10", "en")
    ''
    """
    text = str(notes or "").strip()
    if not text or _WORKING.search(text):
        return ""
    if lang == "en":
        return text
    letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    return text if len(_CJK.findall(text)) >= letters / 2 else ""


def _facts_markdown(firm: pd.Series, fid: str) -> str:
    region = REGION_ZH.get(firm["hq_region"], firm["hq_region"]) if firm["hq_region"] else ""
    hq = "·".join(x for x in (firm["hq_province"], firm["hq_city"]) if x)
    year = "" if pd.isna(firm["revenue_year"]) else int(firm["revenue_year"])
    revenue = "" if pd.isna(firm["revenue_yi"]) else T("fm.revenue_v", v=f"{firm['revenue_yi']:,.1f}", y=year)
    rows = [(T("fm.f_id"), fid), (T("fm.f_aliases"), firm["aliases"].replace("|", "、")),
            (T("fm.f_hq"), " ".join(x for x in (hq, f"（{region}）" if region else "") if x)),
            (T("fm.f_revenue"), revenue), (T("fm.f_products"), firm["products"]),
            (T("fm.f_stock"), firm["stock_code"]), (T("fm.f_verified"), T(f"verified.{firm['verified'] or 'blank'}")),
            (T("fm.f_notes"), firm["notes"]), (T("fm.f_source"), source_markdown(firm["source"]))]
    return "\n\n".join(f"**{k}**：{str(v).replace(chr(10), ' ')}" for k, v in rows if v)


def _links(c, info: dict, fid: str) -> None:
    rows = []
    basis = {"known": T("fm.basis_known"), "inferred": T("fm.basis_inferred"), "local": T("fm.basis_local")}
    for mode, items in info["links"].items():
        for d in items:
            rows.append({T("fm.l_mode"): T(f"mode.{mode}"), T("fm.l_link"): c.link_name(d["link_id"]),
                         T("fm.l_status"): status_label(d["status"]), T("fm.l_severity"): round(d["severity"], 2),
                         T("fm.l_basis"): basis.get(d["basis"]) or d["basis_text"]})
    st.markdown(f"**{T('fm.would_fill')}**")
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(T("fm.no_links"))
    ops = c.tables.operations[c.tables.operations["firm_id"] == fid]
    st.markdown(f"**{T('fm.operations')}**")
    if len(ops):
        show = pd.DataFrame({
            T("fm.o_link"): ops["link_id"].map(c.link_name),
            T("fm.o_local", city=city_name()): ops["local"].map({True: T("fm.yes"), False: ""}),
            T("fm.o_entity"): ops["entity"], T("fm.o_location"): ops["location"], T("fm.o_output"): ops["output_yi"],
            T("fm.o_leader"): ops["chain_leader"].map({True: T("fm.yes"), False: ""}), T("fm.o_since"): ops["since"],
            T("fm.o_source"): ops["source"].map(_first_url)})
        st.dataframe(show, hide_index=True, width="stretch", placeholder="—", column_config={
            T("fm.o_source"): st.column_config.LinkColumn(T("fm.o_source"), display_text=T("fm.open_source"))})
    else:
        st.caption(T("fm.no_ops"))


def _honours(c, fid: str) -> None:
    h = c.tables.honours[c.tables.honours["firm_id"] == fid]
    st.markdown(f"**{T('fm.honours')}**")
    if len(h):
        show = pd.DataFrame({T("fm.h_list"): h["list"].map(lambda v: label(HONOUR_LABEL, v, c.lang)),
                             T("fm.h_year"): h["year"], T("fm.h_detail"): h["detail"],
                             T("fm.h_source"): h["source"].map(_first_url)})
        st.dataframe(show, hide_index=True, width="stretch", placeholder="—", column_config={
            T("fm.h_source"): st.column_config.LinkColumn(T("fm.h_source"), display_text=T("fm.open_source"))})
    else:
        st.caption(T("fm.no_honours"))
    s = c.tables.signals[c.tables.signals["firm_id"] == fid]
    st.markdown(f"**{T('fm.signals')}**")
    if len(s):
        show = pd.DataFrame({T("fm.s_date"): s["date"], T("fm.s_detail"): s["detail"], T("fm.s_amount"): s["amount_yi"],
                             T("fm.s_place"): s["place"], T("fm.s_source"): s["source"].map(_first_url)})
        st.dataframe(show.sort_values(T("fm.s_date"), ascending=False), hide_index=True, width="stretch",
                     placeholder="—",
                     column_config={T("fm.s_source"): st.column_config.LinkColumn(
                         T("fm.s_source"), display_text=T("fm.open_source"))})
    else:
        st.caption(T("fm.no_signals"))
    ch = c.tables.channels[c.tables.channels["firm_id"] == fid]
    if len(ch):
        st.markdown(f"**{T('fm.channels')}**")
        for r in ch.itertuples():
            st.markdown(f"- **{label(CHANNEL_LABEL, r.channel, c.lang)}**：{r.detail}（{source_markdown(r.source, 2)}）")


def _referrals(info: dict) -> None:
    st.markdown(f"**{T('fm.referrals')}**")
    if info["partners"]:
        st.markdown(f"- {info['partners']}")
    if info["referrals"]:
        for path in info["referrals"]:
            st.markdown("- " + " → ".join(f"{a} **{verb}** {b}" for a, verb, b in path))
    elif not info["partners"]:
        st.caption(T("fm.no_referrals"))
    if info["channels"]:
        st.markdown(f"**{T('fm.channels')}**：{info['channels']}")


def followup_form(c, fid: str) -> None:
    """The follow-up of this firm for this chain, saved with a conflict check."""
    fu = c.tables.followups
    current = fu[(fu["firm_id"] == fid) & (fu["chain"] == c.chain)]
    key = f"followup:{fid}:{c.chain}"
    n = nonce(key)
    wk = f"{key}:{n}"
    expected = loaded(key, current, fresh=f"{wk}:status" not in st.session_state)
    row = current.iloc[0].to_dict() if len(current) else {}
    st.caption(T("fm.fu_note", chain=c.chain_name()))
    if not can_edit():
        if row:
            st.markdown(f"**{T('fu.status')}**：{row['status']}　**{T('fu.person')}**：{row['person'] or '—'}　"
                        f"**{T('fu.date')}**：{row['contact_date'] or '—'}\n\n{row['notes']}")
        return
    teams = [""] + list(c.tables.teams["name_zh"]) + [UNASSIGNED]
    team0 = row.get("team", "") or info_team_default(c, fid) or UNASSIGNED   # as the card above says
    with st.form(f"fu_form_{wk}", enter_to_submit=False):
        a, b = st.columns(2)
        status = a.selectbox(T("fu.status"), FOLLOWUP_STATUS, key=f"{wk}:status",
                             index=FOLLOWUP_STATUS.index(row["status"]) if row.get("status") in FOLLOWUP_STATUS else 0)
        person = b.text_input(T("fu.person"), value=row.get("person", ""), key=f"{wk}:person")
        team = a.selectbox(T("fu.team"), teams, index=teams.index(team0) if team0 in teams else 0, key=f"{wk}:team",
                           format_func=lambda v: v or "—")
        date0 = _parse_date(row.get("contact_date", ""))
        date = b.date_input(T("fu.date"), value=date0, key=f"{wk}:date", format="YYYY-MM-DD")
        notes = st.text_area(T("fu.notes"), value=row.get("notes", ""), key=f"{wk}:notes")
        submitted = st.form_submit_button(T("fu.save"), type="primary", icon=":material/save:")
    if row.get("updated_at"):
        st.caption(T("fu.last", by=row.get("updated_by", ""), at=row.get("updated_at", "")))
    if submitted:
        new = pd.DataFrame([{
            "firm_id": fid, "chain": c.chain, "status": status, "person": person.strip(), "team": team,
            "contact_date": date.isoformat() if date else "", "notes": notes.strip(), "updated_by": c.access.user,
            "updated_at": dt.datetime.now(CST).isoformat(timespec="seconds")}])
        save("followups", new, expected, key)
    editor_notice(key)


def info_team_default(c, fid: str) -> str:
    info = data.scorer(c.key, c.version, c.tables)
    i = info.firm_index_.get_indexer([fid])[0]
    return info.team_names_.get(info.team_[i], "") if i >= 0 else ""


def _parse_date(text: str) -> dt.date | None:
    # The date picker starts on the first day of a partial contact date (2025-09 -> 2025-09-01).
    try:
        return PartialDate.parse(text).start
    except ValueError:
        return None
