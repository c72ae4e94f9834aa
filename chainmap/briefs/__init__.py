"""Briefs to print: 一企一策, the chain report and the monthly ledger report, as Word and PDF.

An edge layer (like ``cli`` and ``app``): it reads the store's tables and the
scorer's results, words them from its own catalogue (:mod:`chainmap.briefs.text`,
zh first, en available) and writes files. Build a brief, then render it::

    brief = firm_brief(tables, scorer, "shengyi", "electronics", city=city, today=today)
    to_pdf(brief)   # bytes; the Chinese font embedded
    to_docx(brief)  # bytes
"""
from .build import best_chain, chain_brief, chain_png, find_firm, firm_brief, ledger_brief, parse_month
from .document import Brief, public_sources
from .formats import FORMATS, FontMissing, cjk_font, to_docx, to_pdf

__all__ = ["Brief", "firm_brief", "chain_brief", "ledger_brief", "find_firm", "best_chain", "chain_png",
           "parse_month", "public_sources", "to_docx", "to_pdf", "cjk_font", "FontMissing", "FORMATS", "render"]


def render(brief: Brief, fmt: str) -> bytes:
    """The brief as ``fmt`` (``docx`` or ``pdf``) bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose docx or pdf")
    return to_docx(brief) if fmt == "docx" else to_pdf(brief)
