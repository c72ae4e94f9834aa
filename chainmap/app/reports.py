"""Briefs to print from the workbench: 一企一策 on the firm page; the chain report and the monthly and
weekly reports (招商月报, 招商周报) on the ledger page (:mod:`chainmap.briefs`).

The files are made when the button is clicked (Streamlit's deferred download: a
callable), never while the page draws: a CJK PDF takes seconds to subset its font.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from ..briefs import FORMATS, FontMissing, chain_brief, cjk_font, firm_brief, ledger_brief, render
from ..briefs.build import parse_week
from . import data, state
from .state import T, city
from .text import tr

__all__ = ["firm_downloads", "report_downloads", "month_options", "week_options", "week_label"]

_ICON = {"docx": ":material/description:", "pdf": ":material/picture_as_pdf:"}


@st.cache_resource(show_spinner=False)
def _pdf_font() -> bool:
    """Whether a Chinese font to embed is installed (without one only Word files are offered)."""
    try:
        cjk_font()
    except FontMissing:
        return False
    return True


def _buttons(where, make, name: str, key: str, label: str) -> None:
    """One Word and one PDF button; ``make()`` builds the brief when a button is clicked."""
    formats = [f for f in FORMATS if f != "pdf" or _pdf_font()]
    if len(formats) < len(FORMATS):
        st.caption(T("br.no_font"))
    for fmt in formats:
        where.download_button(T(f"br.{fmt}", what=label), data=lambda fmt=fmt: render(make(), fmt),
                              file_name=f"{name}.{fmt}", mime=FORMATS[fmt], key=f"{key}_{fmt}", on_click="ignore",
                              icon=_ICON[fmt])


def firm_downloads(c, fid: str) -> None:
    """一企一策 of ``fid`` on the page's chain, as Word and PDF."""
    tables, scorer, chain, lang, settings, today = c.tables, data.scorer(c.key, c.version, c.tables), c.chain, \
        c.lang, city(), state.today()
    name = tables.firms.set_index("id").at[fid, "name_zh"]
    row = st.container(horizontal=True)
    _buttons(row, lambda: firm_brief(tables, scorer, fid, chain, city=settings, today=today, lang=lang),
             T("br.firm_file", name=name, d=today.isoformat()), "br_firm", T("br.firm"))


def month_options(today: dt.date, n: int = 13) -> list[str]:
    """This month and the ``n - 1`` before it, newest first, as ``YYYY-MM``.

    >>> month_options(dt.date(2026, 2, 10), 3)
    ['2026-02', '2026-01', '2025-12']
    """
    y, m, out = today.year, today.month, []
    for _ in range(n):
        out.append(f"{y}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out


def week_options(today: dt.date, n: int = 9) -> list[str]:
    """This ISO week and the ``n - 1`` before it, newest first, as ``YYYY-Www`` (the 周报's period).

    >>> week_options(dt.date(2026, 1, 6), 3)
    ['2026-W02', '2026-W01', '2025-W52']
    """
    out = []
    for i in range(n):
        y, w, _ = (today - dt.timedelta(weeks=i)).isocalendar()
        out.append(f"{y}-W{w:02d}")
    return out


def week_label(week: str, lang: str) -> str:
    """An ISO week (``2026-W49``) for people, in ``lang``.

    >>> week_label("2026-W49", "zh"), week_label("2026-W49", "en")
    ('2026年第49周（11月30日—12月6日）', '2026 week 49 (30 Nov – 6 Dec)')
    """
    start, end = parse_week(week)
    y, w, _ = start.isocalendar()
    if lang == "en":
        return tr("br.week_label", lang, y=y, w=w, a=start.strftime("%d %b").lstrip("0"),
                  b=end.strftime("%d %b").lstrip("0"))
    return tr("br.week_label", lang, y=y, w=w, a=f"{start.month}月{start.day}日", b=f"{end.month}月{end.day}日")


def report_downloads(c) -> None:
    """The chain report of the chosen chain and the monthly and weekly reports of the ledger, as Word and PDF."""
    tables, scorer, chain, lang, settings, today = c.tables, data.scorer(c.key, c.version, c.tables), c.chain, \
        c.lang, city(), state.today()
    with st.expander(T("br.title"), icon=":material/print:"):
        st.caption(T("br.note"))
        row = st.container(horizontal=True, vertical_alignment="bottom")
        _buttons(row, lambda: chain_brief(tables, scorer, chain, city=settings, today=today, lang=lang),
                 T("br.chain_file", chain=c.chain_name(), d=today.isoformat()), "br_chain",
                 T("br.chain", chain=c.chain_name()))
        row = st.container(horizontal=True, vertical_alignment="bottom")
        month = row.selectbox(T("br.month"), month_options(today), key="br_month", width=160)
        _buttons(row, lambda: ledger_brief(tables, month, city=settings, today=today, lang=lang),
                 T("br.ledger_file", m=month), "br_ledger", T("br.ledger", m=month))
        # 招商周报: the same generator over an ISO week (as ``chainmap brief ledger --week``)
        row = st.container(horizontal=True, vertical_alignment="bottom")
        week = row.selectbox(T("br.week"), week_options(today), key="br_week", width=260,
                             format_func=lambda w, _l=lang: week_label(w, _l))
        _buttons(row, lambda: ledger_brief(tables, week, city=settings, today=today, lang=lang),
                 T("br.week_file", w=week), "br_week", T("br.week_report", w=week_label(week, lang)))
