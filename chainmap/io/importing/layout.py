"""Lay a sheet out as officers make them: which body rows are data, and what each left-out row was.

* a row whose cell reads 合计 / 小计 / 总计 / 合 计 (本页小计, 全市合计 …) is a
  **total**: left out;
* a row with one cell merged across the table (一、电子信息产业链) is a
  **section title**: left out;
* blank rows between data rows are separators: left out (trailing blank rows
  are not reported);
* a **hidden** row is imported (``hidden="keep"``) or left out (``"skip"``),
  and reported either way;
* a cell merged **vertically** over several rows is read in every row it covers.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .sheets import Sheet

__all__ = ["TOTAL", "is_total", "body_rows"]

#: A total row's label, spaces removed: 合计, 小计, 总计, 共计, with an optional scope before and note after.
TOTAL = re.compile(r"(?:本页|本表|本月|全市|全县|全区|全省|各县区|总|累计)?(?:合计|小计|总计|共计)(?:[:：(（].*)?")


def is_total(cell: str) -> bool:
    """Whether a cell labels a total row.

    Examples
    --------
    >>> [is_total(c) for c in ["合计", "合 计", "小计：", "全市合计", "总计（万元）", "合计科技有限公司", "1"]]
    [True, True, True, True, True, False, False]
    """
    return "计" in cell and len(cell) <= 20 and TOTAL.fullmatch(re.sub(r"\s+", "", cell)) is not None


def body_rows(sheet: Sheet, at: int, width: int, labels: dict[int, str], decide, *,
              hidden: str = "keep") -> Iterator[tuple[int, list[str]]]:
    """The data rows below the header row ``at`` (0-based): ``(Excel row, cells)``.

    ``labels`` maps the columns read to their headers (for the report);
    ``decide(row, code, column, value, detail)`` records each decision.
    """
    fills: dict[int, list[tuple[int, int, int]]] = {}  # row → (first col, last col, source row) of vertical merges
    across: dict[int, int] = {}  # row → width of a merge across columns that starts in it
    for r0, c0, r1, c1 in sheet.merges:
        if r0 > at and r1 > r0:
            for r in range(r0 + 1, r1 + 1):
                fills.setdefault(r, []).append((c0, c1, r0))
        if r0 > at and c1 > c0 and r1 == r0:
            across[r0] = max(across.get(r0, 0), c1 - c0 + 1)
    source: dict[int, list[str]] = {}  # source rows of merges, kept while their merge lasts
    sources_needed = {r0 for v in fills.values() for _, _, r0 in v}
    ends_at: dict[int, set[int]] = {}  # row → source rows whose last merge ends there
    for r0, _, r1, _ in sheet.merges:
        if r0 in sources_needed:
            ends_at.setdefault(r1, set()).add(r0)
    last_end = {r0: max(r1 for a, _, r1, _ in sheet.merges if a == r0) for r0 in sources_needed}
    for r0, r1 in last_end.items():
        ends_at.setdefault(r1, set()).add(r0)
    blanks: list[int] = []
    for i, row in enumerate(sheet.rows()):
        if i <= at:
            continue
        n = i + 1
        for r0 in ends_at.get(i - 1, ()):
            if last_end[r0] < i:
                source.pop(r0, None)
        if i in sources_needed:
            source[i] = list(row)
        if i in fills:
            row = list(row) + [""] * max(0, max(c1 for _, c1, _ in fills[i]) + 1 - len(row))
        filled = []
        for c0, c1, r0 in fills.get(i, ()):
            for j in range(c0, c1 + 1):
                v = source.get(r0, [])[c0] if c0 < len(source.get(r0, [])) else ""
                if j in labels and not row[j] and v:
                    row[j] = v
                    filled.append((j, r0))
        cells = [row[j] if j < len(row) else "" for j in labels]
        if not any(cells):
            if any(c for c in row[width:] if c):
                pass  # data outside the header's columns: the planner reports it with the row
            else:
                blanks.append(n)
                continue
        total = None
        if "计" in "".join(row):  # every total's label has 计 (see TOTAL): most rows have none, and skip the checks
            total = next(((j, row[j]) for j in labels if j < len(row) and is_total(row[j])), None)
        if total is None and "计" in "".join(row[:3]) and any(is_total(c) for c in row[:3] if c):
            total = next((j, c) for j, c in enumerate(row[:3]) if is_total(c))
        for b in blanks:
            decide(b, "blank_row", "", "", "")
        blanks = []
        if total is not None:
            decide(n, "total_row", labels.get(total[0], ""), total[1], "")
            continue
        if i in across and across[i] >= max(2, width // 2) and sum(1 for c in row if c) == 1:
            decide(n, "section_row", "", next(c for c in row if c), "")
            continue
        if i in sheet.hidden_rows:
            decide(n, "hidden_row", "", "", "kept" if hidden == "keep" else "skipped")
            if hidden != "keep":
                continue
        for j, r0 in filled:
            decide(n, "merged_fill", labels[j], r0 + 1, "")
        yield n, row
