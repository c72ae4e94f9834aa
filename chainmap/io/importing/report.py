"""The report of an import: the plan, one line per row, and every layout decision, in Chinese or English.

Planning emits codes and values (:data:`DECISION_COLUMNS`); words for people
are made here, by :meth:`ImportPlan.describe` and :meth:`ImportPlan.row_notes`,
so the CLI's ``--dry-run`` and the app's preview say the same things.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError, Problem

__all__ = ["ACTIONS", "MAX_BYTES", "DECISION_COLUMNS", "ImportPlan", "check_size", "describe_decision"]

#: What can happen to one input row.
ACTIONS = ("added", "updated", "merged", "unchanged", "rejected", "review")
#: Files above this size are refused before they are read.
MAX_BYTES = 50 * 1024 * 1024
#: One decision: the Excel row it concerns (``None``: the whole file), a code, the header, a value, a detail.
DECISION_COLUMNS = ["row", "code", "column", "value", "detail"]

_ACTION_ZH = {"added": "新增", "updated": "更新", "merged": "合并", "unchanged": "未变", "rejected": "拒绝",
              "review": "待核"}
_SKIP_ZH = {"hidden": "隐藏", "cover": "填表说明", "fewer_headers": "表头较少", "empty": "空表",
            "not_a_worksheet": "非工作表"}
_SKIP_EN = {"hidden": "hidden", "cover": "a cover sheet", "fewer_headers": "fewer known headers", "empty": "empty",
            "not_a_worksheet": "not a worksheet"}
_UNIT_FROM_ZH = {"header": "表头自带", "title": "标题行说明", "note": "表头说明"}
_UNIT_FROM_EN = {"header": "its own header", "title": "a title row", "note": "a note in the header"}
_DELIM = {",": ("逗号", "comma"), ";": ("分号", "semicolon"), "\t": ("制表符", "tab"), "|": ("竖线", "bar")}


def describe_decision(d: dict, lang: str = "zh") -> str:
    """One decision in words.

    Examples
    --------
    >>> describe_decision({"row": 9, "code": "total_row", "column": "企业名称", "value": "合计", "detail": ""})
    '第 9 行是合计行（企业名称：合计），未导入'
    >>> describe_decision({"row": None, "code": "unit", "column": "营业收入", "value": "万元", "detail": "title"}, "en")
    "unit 万元 applied to '营业收入' (stated in a title row); amounts converted to 亿元"
    """
    zh = lang == "zh"
    r, code, col, v, det = d.get("row"), d["code"], d.get("column") or "", d.get("value") or "", d.get("detail") or ""
    if code == "sheet":
        return f"使用工作表「{v}」" + ("（隐藏工作表）" if det == "hidden" else "") if zh else \
            f"sheet used: {v!r}" + (" (a hidden sheet)" if det == "hidden" else "")
    if code == "sheet_skipped":
        return f"跳过工作表「{v}」（{_SKIP_ZH.get(det, det)}）" if zh else f"sheet {v!r} skipped ({_SKIP_EN.get(det, det)})"
    if code == "encoding":
        return f"文本编码 {v}" if zh else f"text encoding {v}"
    if code == "delimiter":
        return f"分隔符：{_DELIM.get(v, (v, v))[0]}" if zh else f"delimiter: {_DELIM.get(v, (v, v))[1]}"
    if code == "title_rows":
        return f"第 {v} 行是标题行，已跳过" if zh else f"row(s) {v}: title, skipped"
    if code == "header":
        return f"表头在第 {v} 行" if zh else f"header in row(s) {v}"
    if code == "ignored_column":
        return f"未识别的列「{col}」，已忽略" if zh else f"column {col!r} not recognised, ignored"
    if code == "unit":
        if zh:
            return f"「{col}」按{v}计（{_UNIT_FROM_ZH.get(det, det)}）" + ("，已换算为亿元" if v != "亿元" else "")
        return f"unit {v} applied to {col!r} (stated in {_UNIT_FROM_EN.get(det, det)})" + \
            ("; amounts converted to 亿元" if v != "亿元" else "")
    if code == "total_row":
        return f"第 {r} 行是合计行（{col}：{v}），未导入" if zh else f"row {r}: a total row ({col}: {v}), left out"
    if code == "section_row":
        return f"第 {r} 行是分组标题（{v}），未导入" if zh else f"row {r}: a section title ({v}), left out"
    if code == "blank_row":
        return f"第 {r} 行是空行，已跳过" if zh else f"row {r}: blank, skipped"
    if code == "hidden_row":
        kept = det == "kept"
        return (f"第 {r} 行是隐藏行，" + ("已导入" if kept else "未导入")) if zh else \
            f"row {r}: hidden, " + ("imported" if kept else "left out")
    if code == "merged_fill":
        return f"第 {r} 行「{col}」取自第 {v} 行的合并单元格" if zh else \
            f"row {r}, {col!r}: filled from the merged cell of row {v}"
    if code == "formula_text":
        return f"第 {r} 行「{col}」像公式，已加 ' 按文本保存" if zh else \
            f"row {r}, {col!r}: formula-like text kept as text behind an apostrophe"
    if code == "source":
        return f"识别为：{v}" if zh else f"recognised as: {det or v}"
    if code == "inactive":
        return f"第 {r} 行企业状态为「{v}」（{det}）：已保留并标记，不进入排名" if zh else \
            f"row {r}: status {v} ({det}): kept and flagged, left out of rankings"
    return f"{code} {r or ''} {col} {v} {det}".strip()


@dataclass
class ImportPlan:
    """What importing one file would do; nothing has been changed yet.

    Attributes
    ----------
    kind, table, file : str
        The import kind, the table it fills and the file name.
    encoding, sheet : str
        ``UTF-8``, ``UTF-8-BOM`` or ``GB18030`` for text (``xlsx``, ``xlsm``,
        ``xls`` or ``et`` for a workbook) and the sheet read.
    upserts : dict of str to DataFrame
        Per table, the whole records to insert or replace by key (the store's
        ``Edit(upsert=…)``). Empty tables are left out.
    report : DataFrame
        One line per input row: ``row`` (as the spreadsheet numbers it),
        ``name``, ``action`` (one of :data:`ACTIONS`), ``firm_id``,
        ``reason``, ``candidates`` (``|``-joined, for review rows).
    problems : list of Problem
        Why rows were rejected (only non-empty with ``accept_valid``).
    decisions : DataFrame
        Every layout decision (:data:`DECISION_COLUMNS`): the sheet used and
        those skipped, title and header rows, units applied per column, rows
        left out (totals, blank, section titles, hidden), cells filled from a
        merge. See :meth:`describe`.
    """

    kind: str
    table: str
    file: str
    encoding: str
    sheet: str
    upserts: dict[str, pd.DataFrame]
    report: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    decisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DECISION_COLUMNS))

    @property
    def review(self) -> pd.DataFrame:
        """The rows a person must decide: name, candidates and reason."""
        return self.report[self.report["action"] == "review"]

    def counts(self) -> dict[str, int]:
        """Rows per action, every action listed."""
        c = self.report["action"].value_counts()
        return {a: int(c.get(a, 0)) for a in ACTIONS}

    @property
    def source(self) -> tuple[str, str]:
        """The recognised source ``(zh, en)`` (深交所A股列表, SZSE A-share list), or blanks."""
        d = self.decisions
        hit = d[d["code"] == "source"] if len(d) else d
        return (str(hit["value"].iloc[0]), str(hit["detail"].iloc[0])) if len(hit) else ("", "")

    @property
    def flagged(self) -> int:
        """Rows whose firm is 注销/吊销/退市 (kept, flagged, out of rankings)."""
        d = self.decisions
        return int((d["code"] == "inactive").sum()) if len(d) else 0

    @property
    def changes(self) -> int:
        """How many records the plan writes."""
        return sum(len(df) for df in self.upserts.values())

    @property
    def notes(self) -> list[str]:
        """The decisions in English (see :meth:`describe`)."""
        return self.describe("en")

    def describe(self, lang: str = "zh", *, limit: int | None = None) -> list[str]:
        """Every decision in words, file-level first, then by row; ``limit`` keeps the first ones."""
        d = self.decisions
        lines = [describe_decision(r, lang) for r in d.to_dict("records")[: limit]] if len(d) else []
        if limit is not None and len(d) > limit:
            lines.append(f"……另有 {len(d) - limit} 条" if lang == "zh" else f"… and {len(d) - limit} more")
        return lines

    def row_notes(self, lang: str = "zh") -> pd.Series:
        """Per Excel row of the report, the layout decisions that concern it (merge fills, hidden, formula text)."""
        d = self.decisions
        d = d[d["row"].notna() & d["code"].isin(["merged_fill", "hidden_row", "formula_text"])] if len(d) else d
        if not len(d):
            return pd.Series(dtype=object)
        words = [describe_decision(r, lang) for r in d.to_dict("records")]
        return pd.Series(words, index=d["row"].astype(int).to_numpy()).groupby(level=0).agg("；".join if lang == "zh"
                                                                                             else "; ".join)

    def report_for(self, lang: str = "zh") -> pd.DataFrame:
        """The report with actions in words and a ``layout`` column from :meth:`row_notes`."""
        out = self.report.drop(columns="candidates")
        if lang == "zh":
            out = out.assign(action=out["action"].map(_ACTION_ZH))
        notes = self.row_notes(lang)
        if len(notes):
            out = out.assign(layout=out["row"].map(notes).fillna(""))
        return out


def check_size(size: int, file: str, limit: int = MAX_BYTES) -> None:
    """Refuse a file larger than ``limit`` bytes, before reading it.

    Examples
    --------
    >>> check_size(120 * 1024 * 1024, "全国企业库.xlsx")
    Traceback (most recent call last):
    ...
    chainmap.io.errors.InputError: 全国企业库.xlsx: the file is 120.0 MB, more than the 50 MB an import takes; split it into smaller files
    """
    if size > limit:
        raise InputError([Problem(file, "file_too_big", {"size_mb": size / 2**20, "limit_mb": limit / 2**20})])
