"""Exports that open cleanly in Excel and WPS: CSV with BOM, and the xlsx 招商清单.

Text cells are made safe against formula injection: a cell beginning with
``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) could run as a formula
when opened. In CSV such a cell gets a leading apostrophe (the OWASP advice);
in xlsx it is written as a plain string cell, which Excel and WPS never
evaluate, so the text itself is kept unchanged.
"""
from __future__ import annotations

import io

import pandas as pd

__all__ = ["csv_bytes", "xlsx_bytes", "safe_text", "FORMULA_START"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Neutralise a text cell that a spreadsheet would read as a formula.

    Examples
    --------
    >>> safe_text("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_text("建滔集团"), safe_text(-3)
    ('建滔集团', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """Lists joined with 、 and booleans as 是/否, so every cell is a plain value."""
    out = df.copy()
    for c in out.columns:
        if out[c].map(lambda v: isinstance(v, (list, tuple))).any():
            out[c] = out[c].map(lambda v: "、".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
        elif out[c].dtype == bool:
            out[c] = out[c].map({True: "是", False: "否"})
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel/WPS detect the encoding), injection-safe."""
    buf = io.StringIO()
    _cells(df).map(safe_text).to_csv(buf, index=False, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], widths: dict[str, float] | None = None) -> bytes:
    """An xlsx workbook, one sheet per entry, Chinese headers kept as given.

    Every sheet has a bold, frozen header row, an auto-filter and column widths
    fitted to the content (CJK characters count double). Text is written as
    string cells, never as formulas.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    for title, df in sheets.items():
        ws = wb.create_sheet(_sheet_title(title))
        df = _cells(df)
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([None if (not isinstance(v, str) and pd.isna(v)) else v for v in row])
        for col in ws.iter_cols(min_row=2):
            for cell in col:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
        for cell in ws[1]:
            cell.font, cell.fill = head_font, head_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.freeze_panes = "A2"
        if len(df.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{max(1, len(df) + 1)}"
        for k, c in enumerate(df.columns, start=1):
            texts = [str(c)] + [str(v) for v in df[c].head(200) if v is not None]
            width = max(_display_width(t) for t in texts) + 2
            ws.column_dimensions[get_column_letter(k)].width = (widths or {}).get(c, min(60, max(8, width)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _sheet_title(title: str) -> str:
    # Excel forbids []:*?/\\ in sheet names and caps them at 31 characters.
    for ch in "[]:*?/\\":
        title = title.replace(ch, "_")
    return title[:31] or "Sheet"
