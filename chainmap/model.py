"""Records and enums of the chainmap data model. No I/O.

Everything chainmap knows is one directed property graph; :class:`Tables` is how
that graph enters and leaves the engine (one pandas DataFrame per kind of node
or relationship, in the column layout of ``seeds/SCHEMA.md``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from enum import Enum

import numpy as np
import pandas as pd

__all__ = ["Stage", "Status", "Region", "ProjectStage", "Tables", "TABLE_NAMES", "PartialDate", "ANCHORS",
           "anchored"]


class Stage(str, Enum):
    """Position of a link (环节) in its chain."""

    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"

    @property
    def rank(self) -> int:
        return list(Stage).index(self)


class Status(str, Enum):
    """Gap status of a link for the home city (see :mod:`chainmap.analysis.gaps`)."""

    STRONG = "strong"
    STRENGTHEN = "strengthen"  # 强链: present but weak
    FILL = "fill"  # 补链: missing, a hole between present links
    EXTEND = "extend"  # 延链: missing, a frontier of the present chain
    UNASSESSED = "unassessed"  # no survey yet: not the same as missing


class Region(str, Enum):
    """HQ region of a firm; strictly geographic (pioneer teams map onto it)."""

    PRD = "PRD"  # 珠三角 9 cities
    YRD = "YRD"  # 上海/江苏/浙江/安徽
    BTH = "BTH"  # 北京/天津/河北
    OTHER_CN = "other_cn"
    HMT = "hmt"  # 港澳台: Hong Kong, Macao, Taiwan (not 国内其他, not 境外)
    OVERSEAS = "overseas"


class ProjectStage(str, Enum):
    """Stages of a project in the 项目信息库, in order."""

    LEAD = "线索"
    TALKS = "洽谈"
    SIGNED = "签约"
    REGISTERED = "注册"
    LAND = "供地"
    STARTED = "动工"
    PRODUCING = "投产"
    FULL_OUTPUT = "达产"


@dataclass(frozen=True)
class Tables:
    """The whole workspace as validated tables, one per kind of record.

    Built by :func:`chainmap.io.parse_workspace` (which validates columns, types
    and cross-references) or by a store. Column layouts are documented in
    ``seeds/SCHEMA.md``; ``chains``, ``links`` and ``edges`` come from the chain
    files in ``graphs/``.
    """

    chains: pd.DataFrame
    links: pd.DataFrame
    edges: pd.DataFrame
    firms: pd.DataFrame
    honours: pd.DataFrame
    operations: pd.DataFrame
    relations: pd.DataFrame
    teams: pd.DataFrame
    mechanism: pd.DataFrame
    assessments: pd.DataFrame
    signals: pd.DataFrame
    channels: pd.DataFrame
    followups: pd.DataFrame
    projects: pd.DataFrame
    events: pd.DataFrame
    changes: pd.DataFrame  # the audit trail: one row per record changed by a write (see chainmap.store)

    def items(self):
        """``(name, DataFrame)`` pairs in declaration order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]

    def replace(self, **tables: pd.DataFrame) -> "Tables":
        """A copy with some tables swapped."""
        return replace(self, **tables)


TABLE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Tables))


# ------------------------------------------------------------------ partial dates
#: Where in its period a partial date is placed: the first day, the last day, or the middle
#: (1 July of a year, the 15th of a month). Every caller names one.
ANCHORS = ("start", "end", "mid")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day, as the seeds write it: ``2025``, ``2025-09``, ``2025-09-01``.

    A partial date is a period, not a day. Whoever needs a day says which one,
    through an anchor: :attr:`start`, :attr:`end` or :attr:`mid`. The choice
    matters: a roll-back of the data to a past day must treat a fact dated
    ``2025`` as known only from the *end* of 2025 (else the snapshot of
    2025-03-01 would know what happened in December), while the age of a
    signal is best measured from the middle of its period.

    Examples
    --------
    >>> d = PartialDate.parse("2025")
    >>> d.precision, d.start, d.end, d.mid
    ('year', datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), datetime.date(2025, 7, 1))
    >>> m = PartialDate.parse("2024-02")
    >>> m.precision, m.end.isoformat(), m.mid.isoformat(), m.iso
    ('month', '2024-02-29', '2024-02-15', '2024-02')
    >>> PartialDate.parse("2025-09-16").anchor("end") == PartialDate.parse("2025-09-16").start
    True
    >>> PartialDate.parse("2025-02-30")
    Traceback (most recent call last):
    ...
    ValueError: not a calendar date: '2025-02-30'
    >>> PartialDate.parse("09/2025")
    Traceback (most recent call last):
    ...
    ValueError: not a date: '09/2025' (expected 2025, 2025-09 or 2025-09-01)
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        try:
            dt.date(self.year, self.month or 1, self.day or 1)
        except (TypeError, ValueError):
            raise ValueError(f"not a calendar date: {self.iso!r}") from None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Read ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises
        ------
        ValueError
            Naming the text, when it is not one of these forms or not a
            calendar date. (The importer reads the many ways people type dates,
            ``2025年3月`` or ``45717``, with :func:`chainmap.io.values.parse_date`,
            which builds this type and raises the same error.)
        """
        m = _ISO.match(text) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"not a date: {text!r} (expected 2025, 2025-09 or 2025-09-01)")
        y, mo, d = (int(g) if g else None for g in m.groups())
        try:
            return cls(y, mo, d)
        except ValueError:
            raise ValueError(f"not a calendar date: {text!r}") from None

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    @property
    def iso(self) -> str:
        """The date as the seeds write it.

        >>> PartialDate(2025, 3).iso
        '2025-03'
        """
        return f"{self.year:04d}" + (f"-{self.month:02d}" if self.month else "") + (f"-{self.day:02d}" if self.day else "")

    def __str__(self) -> str:
        return self.iso

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (the day itself for a full date)."""
        if self.day is not None:
            return self.start
        if self.month is None:
            return dt.date(self.year, 12, 31)
        nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def mid(self) -> dt.date:
        """The middle of the period: 1 July of a year, the 15th of a month, the day itself."""
        if self.month is None:
            return dt.date(self.year, 7, 1)
        return self.start if self.day is not None else dt.date(self.year, self.month, 15)

    def anchor(self, which: str) -> dt.date:
        """The day :data:`ANCHORS` ``which`` stands for."""
        if which not in ANCHORS:
            raise ValueError(f"unknown anchor {which!r}; choose one of: {', '.join(ANCHORS)}")
        return getattr(self, which)


def anchored(values: pd.Series, anchor: str) -> pd.Series:
    """Partial dates as timestamps at ``anchor`` (one of :data:`ANCHORS`), vectorised.

    Blank, missing and unreadable values give ``NaT``. This is :meth:`PartialDate.anchor`
    over a column, without a Python loop over rows.

    Examples
    --------
    >>> s = pd.Series(["2025", "2024-02", "2025-09-16", "", None, "soon"])
    >>> [anchored(s, a).dt.strftime("%Y-%m-%d").tolist()[:3] for a in ANCHORS]
    [['2025-01-01', '2024-02-01', '2025-09-16'], ['2025-12-31', '2024-02-29', '2025-09-16'], \
['2025-07-01', '2024-02-15', '2025-09-16']]
    >>> int(anchored(s, "end").isna().sum())
    3
    """
    if anchor not in ANCHORS:
        raise ValueError(f"unknown anchor {anchor!r}; choose one of: {', '.join(ANCHORS)}")
    # Each distinct value is read once: a column repeats a few dates, and pandas' string methods cost about a
    # millisecond a call whatever the length (4.5 ms a call on 30 dates, 1.2 ms this way; 93 and 9 ms on 100,000).
    codes, uniques = pd.factorize(values)   # missing: code -1
    text = [str(u) for u in uniques]
    n = np.array([len(t) for t in text], dtype=int)
    year, month = n == 4, n == 7
    day = pd.to_datetime(pd.Index([t + "-01-01" if y else t + "-01" if m else t for t, y, m in zip(text, year, month)],
                                  dtype=object), errors="coerce", format="%Y-%m-%d")
    if anchor != "start":   # days from the first to the anchor: 364/181 (+1 in a leap year), a month's last/15th
        end = anchor == "end"
        days = np.where(year, (364 if end else 181) + day.is_leap_year,
                        np.where(month, day.days_in_month - 1 if end else 14, 0))
        day = day + pd.to_timedelta(np.nan_to_num(days.astype(float)), unit="D")   # unreadable: NaT stays NaT
    return pd.Series(day.take(codes, allow_fill=True, fill_value=pd.NaT), index=values.index, name=values.name)
