"""The report of an import: the plan, one line per row, and every layout decision, in Chinese or English.

Planning emits codes and values: layout decisions (:data:`DECISION_COLUMNS`),
each row's reason (``(code, params)`` parts) and problems (:class:`~chainmap.io.Problem`).
Their words, zh and en, are in the one catalogue, :mod:`chainmap.io.messages`;
:meth:`ImportPlan.describe`, :meth:`ImportPlan.row_notes` and
:meth:`ImportPlan.report_for` word them, so the CLI's ``--dry-run`` and the
app's preview say the same things.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError, Problem
from ..messages import describe_decision, reason_words

__all__ = ["ACTIONS", "MAX_BYTES", "DECISION_COLUMNS", "ImportPlan", "check_size"]

#: What can happen to one input row.
ACTIONS = ("added", "updated", "merged", "unchanged", "rejected", "review")
#: Files above this size are refused before they are read.
MAX_BYTES = 50 * 1024 * 1024
#: One decision: the Excel row it concerns (``None``: the whole file), a code, the header, a value, a detail.
DECISION_COLUMNS = ["row", "code", "column", "value", "detail"]

_ACTION_ZH = {"added": "新增", "updated": "更新", "merged": "合并", "unchanged": "未变", "rejected": "拒绝",
              "review": "待核"}


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
        ``reason`` (codes: a tuple of ``(code, params)`` parts, worded by
        :meth:`report_for` from :data:`chainmap.io.messages.REASONS`),
        ``candidates`` (``|``-joined, for review rows).
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

    def review_for(self, lang: str = "zh") -> pd.DataFrame:
        """The rows a person must decide (row, name, candidates, reason), the reason in words."""
        r = self.review[["row", "name", "candidates", "reason"]]
        return r.assign(reason=[reason_words(x, lang) for x in r["reason"]])

    def report_for(self, lang: str = "zh") -> pd.DataFrame:
        """The report with actions and reasons in words and a ``layout`` column from :meth:`row_notes`."""
        out = self.report.drop(columns="candidates")
        out = out.assign(reason=[reason_words(x, lang) for x in out["reason"]])
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
