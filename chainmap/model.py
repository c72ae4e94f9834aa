"""Records and enums of the chainmap data model. No I/O.

Everything chainmap knows is one directed property graph; :class:`Tables` is how
that graph enters and leaves the engine (one pandas DataFrame per kind of node
or relationship, in the column layout of ``seeds/SCHEMA.md``).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from enum import Enum

import pandas as pd

__all__ = ["Stage", "Status", "Region", "ProjectStage", "Tables", "TABLE_NAMES"]


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
