"""服务已落地企业: the firms already in the city, their recent raises and investments as 增资扩产
leads, and their partners outside the city as 以商引商 leads (:mod:`chainmap.analysis.incumbents`)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..analysis.incumbents import expansion_leads, home_firms, partner_leads
from .state import T, ctx, fmt_yi, source_markdown, today

#: How many years back a raise or an investment still counts as recent.
RECENT_YEARS = 3


def _amount(v) -> str:
    return "" if pd.isna(v) else fmt_yi(float(v))


def page() -> None:
    c = ctx()
    t = c.tables
    city = c.city.name
    here = c.city.label(c.lang) or T("city.unnamed")
    st.title(T("ic.title", city=here))
    st.caption(T("ic.caption", city=here))
    if not city:
        st.info(T("ic.no_city"), icon=":material/info:")
        return
    home = home_firms(t.firms, t.operations, city)
    chain_links = set(t.links.loc[t.links["chain"] == c.chain, "id"])
    only = st.toggle(T("ic.only_chain", chain=c.chain_name()), key="ic_only_chain")
    if only:
        home = home[home["local_links"].map(lambda s: bool(set(s.split("|")) & chain_links))]
    since = today().year - RECENT_YEARS
    grow = expansion_leads(home, t.signals, t.events, city, since)
    partners = partner_leads(home, t.relations, t.operations, t.edges, t.firms)
    if only:
        partners = partners[(partners["basis"] == "known") | partners["partner_link"].isin(chain_links)]
    name = dict(zip(t.firms["id"], t.firms["name_zh"]))

    m = st.columns(4)
    m[0].metric(T("ic.n_home"), T("unit.n", n=len(home)), border=True)
    m[1].metric(T("ic.n_listed"), T("unit.n", n=int((home["kind"] == "local_listed").sum())), border=True,
                help=T("ic.n_listed_help", city=here))
    m[2].metric(T("ic.n_grow"), T("unit.n", n=len(grow)), border=True, help=T("ic.n_grow_help", y=since))
    m[3].metric(T("ic.n_partner"), T("unit.n", n=partners["partner_id"].nunique()), border=True)

    tab_home, tab_grow, tab_partner = st.tabs([T("ic.tab_home"), T("ic.tab_grow"), T("ic.tab_partner")])
    with tab_home:
        if not len(home):
            st.caption(T("ic.none"))
        show = pd.DataFrame({
            T("ic.h_name"): home["name_zh"], T("ic.h_kind"): home["kind"].map(lambda k: T(f"ic.kind_{k}", city=here)),
            T("ic.h_stock"): home["stock_code"],
            T("ic.h_links"): home["local_links"].map(lambda s: "、".join(c.link_name(x) for x in s.split("|") if x)),
            T("ic.h_entity"): home["entity"], T("ic.h_where"): home["location"]})
        st.table(show.set_index(T("ic.h_name")))
        st.caption(T("ic.home_note", city=here))
        if len(home):
            # the firm page opens on the firm chosen here; only this button moves the firm page's choice
            pick = st.selectbox(T("ic.open_pick"), list(home["firm_id"]), key="ic_pick",
                                format_func=lambda f: name.get(f, f))
            if st.button(T("tg.to_firm", name=name.get(pick, pick)), key="ic_open", icon=":material/person_search:"):
                st.session_state["firm_pick"] = pick
                st.switch_page(st.session_state["_pages"]["firm"])
    with tab_grow:
        st.caption(T("ic.grow_note", y=since, city=here))
        if not len(grow):
            st.info(T("ic.no_grow", y=since), icon=":material/info:")
        for r in grow.itertuples(index=False):
            amount = _amount(r.amount_yi)
            reason = T(f"ic.why_{r.reason}", city=here, place=r.place or "—")
            what = T(f"ic.kind.{r.kind}") + (f" {amount}" if amount else "")
            st.markdown(f"- **{name.get(r.firm_id, r.firm_id)}** · {r.date} · {what}：{r.detail}  \n"
                        f"  {T('ic.lead_grow')}：{reason}（{T('ic.source')}：{source_markdown(r.source, 3)}）")
    with tab_partner:
        st.caption(T("ic.partner_note", city=here))
        if not len(partners):
            st.info(T("ic.no_partner"), icon=":material/info:")
        for h, g in partners.groupby("home_id", sort=False):
            known = int((g["basis"] == "known").sum())
            with st.expander(T("ic.partner_head", home=name.get(h, h), n=len(g), k=known), expanded=known > 0):
                for r in g.itertuples(index=False):
                    st.markdown("- " + partner_sentence(r, name, c, here))


def partner_sentence(r, name: dict, c, here: str) -> str:
    """One 以商引商 lead in words: who, how it is tied to the firm here, and on what basis."""
    home, partner = name.get(r.home_id, r.home_id), name.get(r.partner_id, r.partner_id)
    if r.basis == "known":
        text = T(f"ic.rel_{r.role}", home=home, partner=partner, product=r.product or "—", city=here)
        return f"**{partner}** · {text}（{T('ic.source')}：{source_markdown(r.source, 3)}）"
    text = T(f"ic.inf_{r.role}", home=home, partner=partner, link=c.link_name(r.partner_link),
             home_link=c.link_name(r.home_link), city=here)
    return f"**{partner}** · {text}"
