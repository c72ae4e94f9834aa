"""数据导入: firms (exchange lists, company-database exports, honours and 500 lists), honours, relations, contacts,
projects and events from the officers' files, through the same pipeline as ``chainmap import``.

The file is planned once per upload (:func:`~chainmap.io.importing.plan_import`, or
:func:`~chainmap.io.events.parse_events` for events); the report is shown as a preview, in the session's language;
one click saves the plan through the store, expecting the records the plan was made from (a record someone saved
in between is a conflict, not overwritten), exactly as the command line writes it.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import problem_line
from ..io import InputError
from ..io.importing import KINDS, check_size, plan_import
from ..store import ConflictError, Edit, StoreError, expected_rows
from .state import T, bind, can_edit, ctx, error_words_of, lang, nonce, problems_frame, today, translator, url_value

#: What the page imports, in the order offered (firms first: the library is what everything else names).
PAGE_KINDS = ("firms", "honours", "projects", "events", "relations", "contacts")
TYPES = ["xlsx", "xlsm", "xls", "et", "csv", "tsv", "txt"]


def page() -> None:
    c = ctx()
    st.title(T("im.title"))
    st.markdown(T("im.help"))
    url_value("kind", PAGE_KINDS, PAGE_KINDS[0])   # a link may preset it: ?kind=projects (the ledger page's)
    kind = st.selectbox(T("im.kind"), PAGE_KINDS, format_func=lambda k, _t=translator(): _t(f"im.kind.{k}"),
                        **bind("kind", "im_kind"))
    accept = st.checkbox(T("im.accept_valid"), key="im_accept") if kind != "events" else False
    up = st.file_uploader(T("im.upload"), type=TYPES, key=f"im_upload_{nonce('imports')}")
    flash = st.session_state.pop("_im_flash", None)
    if flash:
        st.success(flash, icon=":material/check:")
    if up is None:
        return
    data = up.getvalue()
    token = (up.file_id, kind, accept, c.version)
    held = st.session_state.get("_im_plan")
    if held is None or held[0] != token:
        try:
            check_size(len(data), up.name)
            planned = plan_file(data, kind, up.name, c.tables, accept_valid=accept, home=c.city.home,
                                places=c.city.places, author=c.access.user)
        except InputError as err:
            st.error(T("im.bad", n=len(err.problems), file=up.name), icon=":material/error:")
            st.dataframe(problems_frame(err), hide_index=True, width="stretch")
            return
        held = (token, *planned)
        st.session_state["_im_plan"] = held
    _, plan, upserts, expected = held
    if kind == "events":
        _show_events(plan, upserts, up.name, c)
    else:
        _show_plan(plan, c)
    n = sum(len(df) for df in upserts.values())
    if not n:
        st.info(T("im.nothing"), icon=":material/info:")
        return
    if st.button(T("im.go", n=n), key="im_go", type="primary", icon=":material/upload:") and can_edit():
        try:
            cs = c.store.write({t: Edit(upsert=df) for t, df in upserts.items()}, author=c.access.user,
                               action=f"app: import {kind} {up.name}", expected=expected)
        except ConflictError:
            st.session_state.pop("_im_plan", None)
            st.error(T("im.conflict"), icon=":material/sync_problem:")
            return
        except (StoreError, InputError, OSError) as e:
            st.error(T("save.io", err=error_words_of(e)),
                     icon=":material/error:")
            return
        st.session_state.pop("_im_plan", None)
        st.session_state["_im_flash"] = T("im.saved", n=n, cs=cs)
        counts = st.session_state.setdefault("_nonce", {})
        counts["imports"] = counts.get("imports", 0) + 1  # a fresh uploader: the file is not planned again
        st.rerun()


def plan_file(data: bytes, kind: str, file: str, tables, *, accept_valid: bool = False, home: str = "",
              author: str = "", places=()) -> tuple[object, dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """``(plan, upserts, expected)`` of one file: what the CLI's ``chainmap import KIND FILE`` would write, and the
    stored rows it expects to find (those of ``tables`` with the keys it writes).

    Examples
    --------
    >>> import datetime as dt
    >>> from chainmap.store.memory import MemoryStore
    >>> t = MemoryStore.open().tables()
    >>> csv = "企业名称,所属环节\\n佛冈县新锐覆铜板有限公司,覆铜板\\n".encode()
    >>> plan, upserts, expected = plan_file(csv, "firms", "名单.csv", t)
    >>> plan.report["action"].tolist(), sorted(upserts), len(expected["firms"])
    (['added'], ['firms', 'operations'], 0)
    """
    if kind == "events":
        from ..io.events import parse_events

        ef = parse_events(data, file, tables, home, places=places)
        new = ef.matched[~ef.matched["id"].isin(tables.events["id"])]
        from ..io.schemas import SPECS

        upserts = {"events": new[SPECS["events"].names]} if len(new) else {}
        plan = ef
    else:
        plan = plan_import(data, kind, file, tables, today=today(), accept_valid=accept_valid, author=author,
                           places=places)
        upserts = plan.upserts
    expected = {t: expected_rows(getattr(tables, t), t, df) for t, df in upserts.items()}
    return plan, upserts, expected


def _show_plan(plan, c) -> None:
    counts = plan.counts()
    where = plan.encoding + (f" · {plan.sheet}" if plan.sheet else "")
    words = "，".join if c.lang == "zh" else ", ".join
    st.success(T("im.head", file=plan.file, where=where,
                 counts=words(f"{T('im.a.' + a)} {n}" for a, n in counts.items() if n)), icon=":material/check:")
    src_zh, src_en = plan.source
    if src_zh:
        st.caption(T("im.source", src=src_zh if c.lang == "zh" else src_en))
    if plan.flagged:
        st.warning(T("im.flagged", n=plan.flagged), icon=":material/flag:")
    if counts["review"]:
        st.warning(T("im.review", n=counts["review"]), icon=":material/help:")
    if plan.problems:
        st.error(T("im.rejected", n=len(plan.problems)), icon=":material/error:")
        st.dataframe(problems_frame(InputError(plan.problems)), hide_index=True,
                     width="stretch")
    with st.expander(T("im.report"), expanded=True, icon=":material/fact_check:"):
        for line in plan.describe(c.lang, limit=200):
            st.caption("· " + line)
    report = plan.report_for(c.lang)
    st.markdown("**" + T("im.rows") + "**")
    st.dataframe(report.rename(columns={k: T(f"im.r.{k}") for k in report.columns}), hide_index=True,
                 width="stretch")


def _show_events(ef, upserts, file: str, c) -> None:
    cov = ef.coverage()
    new = upserts.get("events")
    st.success(T("im.events_head", file=file, events=cov["events"], firm=f"{cov['firm']:.0%}",
                 link=f"{cov['link']:.0%}", new=0 if new is None else len(new)), icon=":material/check:")
    for p in ef.problems:
        st.caption("· " + problem_line(p, lang()))
    report = ef.report()
    if len(report):
        st.dataframe(report, hide_index=True, width="stretch")


__all__ = ["page", "plan_file", "PAGE_KINDS", "KINDS"]
