"""八个一: the eight slots of each chain's mechanism, derived slots computed live, manual
slots edited with conflict checks, and the workbook for the planners' meeting."""
from __future__ import annotations


import pandas as pd
import streamlit as st

from ..analysis.mechanism import completeness
from ..briefs.workbook import mechanism_sheets
from ..i18n import with_evidence
from ..io.export import xlsx_bytes
from ..io.schemas import SLOT_STATUS
from . import charts, data
from .state import (T, can_edit, chain_name, ctx, editor_notice, loaded, nonce, save_on_submit, sticky, today,
                    translator)

STATUS_DOT = {"已落实": ":green[●]", "推进中": ":orange[●]", "未启动": ":gray[●]"}


def page() -> None:
    c = ctx()
    t = c.tables
    st.title(T("mc.title"))
    st.caption(T("mc.caption"))
    chains = list(t.chains["id"])
    reviews = {ch: data.review(c.key, c.version, ch, today(), t) for ch in chains}

    left, right = st.columns([3, 2], gap="large")
    with left:
        rows = pd.DataFrame({"label": [c.chain_name(ch) for ch in chains],
                             "completeness": [completeness(reviews[ch]) for ch in chains]})
        st.plotly_chart(charts.completeness_bars(rows, T("mc.axis")), key="mc_bars", config={"displayModeBar": False})
    with right:
        r = reviews[c.chain]
        done = int((r["status"] == "已落实").sum())
        a, b = st.columns(2)
        a.metric(T("mc.completeness"), f"{completeness(r):.0%}", border=True,
                 help=T("mc.completeness_help"))
        b.metric(T("mc.done"), f"{done}/{len(r)}", border=True)
        # Made on the click (a deferred download), not on every run: the workbook took ~0.1 s, twice per save.
        named = {chain_name(t, ch, c.lang): reviews[ch] for ch in chains}
        st.download_button(T("mc.export"), lambda: xlsx_bytes(mechanism_sheets(named, c.lang)),
                           file_name=T("mc.file", d=today().isoformat()),
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", key="mc_xlsx", on_click="ignore", type="primary")

    st.subheader(T("mc.slots", chain=c.chain_name()))
    r = with_evidence(reviews[c.chain], c.lang)
    if not len(r):
        st.info(T("mc.no_slots"))
        return
    show = pd.DataFrame({
        T("mc.c_slot"): r["slot"].astype(int), T("mc.c_name"): r["name_zh"],
        T("mc.c_kind"): r["kind"].map(lambda k: T(f"mc.kind_{k}")),
        T("mc.c_status"): r["status"].map(lambda s: T('slot.' + s) if s else '—'),
        T("mc.c_score"): r["score"].astype(float), T("mc.c_owner"): r["owner"], T("mc.c_evidence"): r["evidence"],
        T("mc.c_date"): r["updated_on"], T("mc.c_metric"): r["metric"]})
    st.dataframe(show, hide_index=True, width="stretch", column_config={
        T("mc.c_score"): st.column_config.ProgressColumn(T("mc.c_score"), min_value=0.0, max_value=1.0, format="%.2f"),
        T("mc.c_evidence"): st.column_config.TextColumn(T("mc.c_evidence"), width="large")})
    with st.expander(T("mc.evidence_all"), icon=":material/description:"):   # the table cuts long evidence
        st.markdown("\n".join(f"{int(x.slot)}. **{x.name_zh}**：{x.evidence or '—'}"
                               + (f"（{x.updated_on}）" if x.updated_on else "") for x in r.itertuples()))

    st.subheader(T("mc.edit"))
    st.caption(T("mc.edit_note"))
    editable = can_edit()
    for rec in r[r["kind"] == "manual"].to_dict("records"):
        slot_editor(c, rec, editable)
    with st.expander(T("mc.def_title"), icon=":material/calculate:"):
        st.markdown(T("mc.definition"))


def slot_editor(c, rec: dict, editable: bool = True) -> None:
    """Edit one manual slot: owner, status, evidence and date; saved with a conflict check.

    A session that may not edit sees the slot's evidence, without the form.
    """
    slot = int(rec["slot"])
    m = c.tables.mechanism
    current = m[(m["chain"] == c.chain) & (m["slot"] == slot)]
    key = f"mechanism:{c.chain}:{slot}"
    wk = f"{key}:{nonce(key)}"
    expected = loaded(key, current, fresh=f"{wk}:owner" not in st.session_state)
    row = current.iloc[0].to_dict()
    icon = STATUS_DOT.get(row["status"], "")
    sticky(f"{wk}:status")
    with st.expander(f"{slot}. {row['name_zh']} · {icon} {T('slot.' + row['status']) if row['status'] else '—'}"
                     + (f" · {row['owner']}" if row["owner"] else "")):
        if not editable:
            st.markdown(f"{row['evidence'] or '—'}（{row['updated_on'] or '—'}）")
            return
        with st.form(f"form:{wk}", enter_to_submit=False):
            a, b, d = st.columns([3, 2, 2])
            a.text_input(T("mc.owner"), value=row["owner"], key=f"{wk}:owner", placeholder=T("mc.owner_ph"))
            b.selectbox(T("mc.status"), SLOT_STATUS, key=f"{wk}:status",
                        index=SLOT_STATUS.index(row["status"]) if row["status"] in SLOT_STATUS else 2,
                        format_func=lambda s, _t=translator(): _t('slot.' + s))
            # 更新日期 is the day of this update: today unless the officer backdates it (the saved date is shown above).
            d.date_input(T("mc.date"), value=today(), key=f"{wk}:date", format="YYYY-MM-DD")
            st.text_area(T("mc.evidence"), value=row["evidence"], key=f"{wk}:evidence",
                         placeholder=T("mc.evidence_ph"))
            st.form_submit_button(T("mc.save"), type="primary", icon=":material/save:", key=f"{wk}:submit",
                                  **save_on_submit("mechanism", lambda: _slot_rows(row, wk), expected, key))
        editor_notice(key)


def _slot_rows(row: dict, wk: str) -> pd.DataFrame:
    """The slot as the form holds it (its widgets' values), to save."""
    ss = st.session_state
    return pd.DataFrame([dict(row, owner=str(ss[f"{wk}:owner"]).strip(), status=ss[f"{wk}:status"],
                              evidence=str(ss[f"{wk}:evidence"]).strip(),
                              updated_on=(ss[f"{wk}:date"] or today()).isoformat())])
