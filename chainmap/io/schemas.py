"""Column layouts of every table, and the pandera schemas that check them.

One :class:`TableSpec` per table of :class:`chainmap.model.Tables`. The spec is
the single source of truth for column order, types, required cells, allowed
values, ranges and keys; :func:`TableSpec.schema` turns it into a pandera
``DataFrameSchema`` that is applied at the boundary (on read, and before a store
accepts tables).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..model import PartialDate, ProjectStage, Region, Stage

__all__ = ["Col", "TableSpec", "SPECS", "DATE_PATTERN", "SLUG_PATTERN", "FIRM_STATUS", "INACTIVE_STATUS",
           "CLASS_SYSTEMS"]

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # 2025, 2025-09 or 2025-09-01
SLUG_PATTERN = r"^[a-z0-9_]+$"
VERIFIED = ("yes", "partial", "no", "illustrative")
HONOUR_LISTS = ("FG500", "CN500", "CN_PRIVATE500", "single_champion", "little_giant", "listed")
HONOUR_LEVELS = ("global", "national", "provincial", "exchange")
SLOT_STATUS = ("已落实", "推进中", "未启动")
SIGNAL_KINDS = ("new_plant", "expansion", "subsidiary", "capital_raise", "relocation")
SIGNING_KINDS = ("首次签约", "增资扩产", "项目升级", "投资方变更")
FOLLOWUP_STATUS = ("未对接", "已联系", "已拜访", "有意向", "已签约", "暂缓")
EVENT_KINDS = ("new_plant", "expansion", "signing", "relocation", "acquisition")
EVENT_ORIGINS = ("public", "ledger", "synthetic")
CHANNELS = ("fund", "incubator", "chamber", "alumni", "fair", "ambassador", "intermediary")
CHANGE_OPS = ("add", "update", "delete")
#: Registration / listing status of a firm (登记状态, 上市状态); blank = not known (taken as 存续).
FIRM_STATUS = ("存续", "在业", "迁出", "注销", "吊销", "退市", "停业", "清算")
#: Statuses that keep a firm in the library, flagged, and out of rankings unless asked.
INACTIVE_STATUS = ("注销", "吊销", "退市", "停业", "清算")
#: Industry classification systems a link's ``coarse`` entries are prefixed with (``csrc:C39``).
CLASS_SYSTEMS = ("gb", "sw", "tushare", "csrc")


def is_date(value: str) -> bool:
    """True for blank, or a real calendar date written 2025, 2025-09 or 2025-09-01."""
    if value == "":
        return True
    try:
        PartialDate.parse(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Col:
    """One column: ``kind`` is str, float, int, bool, date or slug (ascii id)."""

    name: str
    kind: str = "str"
    required: bool = False
    choices: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    unique: bool = False
    optional: bool = False  # may be absent from a file or DataFrame: then read as blank


@dataclass(frozen=True)
class TableSpec:
    """Layout of one table: its columns (in file order) and its key."""

    name: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    file: str = ""
    doc: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    @cached_property
    def schema(self) -> "pa.DataFrameSchema":
        # pandera is imported here, on the first validation: importing it costs ~0.2-0.4 s, which a
        # command answered from the fit cache (chainmap/fitcache.py) never needs.
        import pandera.pandas as pa

        cols = {}
        for c in self.columns:
            checks = []
            if c.kind in ("str", "date", "slug"):
                dtype, nullable = str, False
                if c.required:
                    checks.append(pa.Check.str_length(min_value=1, error="required"))
                if c.choices is not None:
                    allowed = list(c.choices) + ([] if c.required else [""])
                    checks.append(pa.Check.isin(allowed))
                if c.kind == "date":
                    checks.append(pa.Check(is_date, element_wise=True, error="date"))
                if c.kind == "slug":
                    checks.append(pa.Check.str_matches(SLUG_PATTERN, error="slug"))
            elif c.kind == "float":
                dtype, nullable = float, not c.required
            elif c.kind == "int":
                dtype, nullable = "Int64", not c.required
            else:
                dtype, nullable = bool, False
            if c.min is not None:
                checks.append(pa.Check.ge(c.min))
            if c.max is not None:
                checks.append(pa.Check.le(c.max))
            cols[c.name] = pa.Column(dtype, checks=checks, nullable=nullable, unique=c.unique)
        unique = list(self.key) if len(self.key) > 1 else None
        return pa.DataFrameSchema(cols, strict=True, ordered=True, unique=unique, name=self.name)


def _spec(name, key, *cols, file=None, doc=""):
    return TableSpec(name, tuple(cols), tuple(key), file or f"seeds/{name}.csv", doc)


SPECS: dict[str, TableSpec] = {
    s.name: s
    for s in [
        _spec(
            "chains", ["id"],
            Col("id", "slug", required=True, unique=True),
            Col("name_zh", required=True), Col("name_en"), Col("source"),
            file="graphs/*.toml",
        ),
        _spec(
            "links", ["id"],
            Col("id", "slug", required=True, unique=True),
            Col("chain", "slug", required=True),
            Col("name_zh", required=True), Col("name_en"),
            Col("stage", required=True, choices=tuple(s.value for s in Stage)),
            Col("importance", "float", required=True, min=0.0, max=1.0),
            Col("keywords"),
            Col("scope", choices=("core", "extension")),
            # Industry classes that make the link's products (|-separated; see seeds/SCHEMA.md).
            Col("gb_codes", optional=True), Col("sw_l3", optional=True), Col("tushare", optional=True),
            Col("coarse", optional=True), Col("scope_words", optional=True), Col("class_source", optional=True),
            file="graphs/*.toml",
        ),
        _spec(
            "edges", ["src", "dst"],
            Col("src", "slug", required=True), Col("dst", "slug", required=True),
            Col("share", "float", min=0.0, max=1.0),
            Col("feedback", "bool"),
            Col("note"),
            file="graphs/*.toml",
        ),
        _spec(
            "firms", ["id"],
            Col("id", required=True, unique=True),
            Col("name_zh", required=True), Col("name_en"), Col("aliases"),
            Col("hq_city"), Col("hq_province"),
            Col("hq_region", choices=tuple(r.value for r in Region)),
            Col("revenue_yi", "float", min=0.0), Col("revenue_year", "int", min=1900, max=2100),
            Col("products"), Col("stock_code"),
            Col("source", required=True), Col("verified", choices=VERIFIED), Col("notes"),
            # Registration, listing and industry facts of real sources (optional: blank = unknown).
            Col("credit_code", optional=True),  # 统一社会信用代码
            Col("board", optional=True),  # 主板/创业板/科创板/北交所/港股/…
            Col("listed_on", "date", optional=True),
            Col("status", choices=FIRM_STATUS, optional=True),
            Col("gb_industry", optional=True),  # GB/T 4754-2017 code, finest known (3982)
            Col("sw_l3", optional=True),  # 申万2021 level-3 name
            Col("ts_industry", optional=True),  # Tushare industry class
            Col("csrc_division", optional=True),  # CSRC 2012 division code (C39)
            Col("business_scope", optional=True),  # 经营范围
        ),
        _spec(
            "honours", ["firm_id", "list", "year", "detail"],
            Col("firm_id", required=True),
            Col("list", required=True, choices=HONOUR_LISTS),
            Col("year", "int", min=1900, max=2100),
            Col("level", choices=HONOUR_LEVELS),
            Col("detail"),
            Col("source", required=True),
        ),
        _spec(
            "operations", ["firm_id", "link_id", "entity"],
            Col("firm_id", required=True), Col("link_id", "slug", required=True),
            Col("local", "bool"), Col("entity"), Col("location"),
            Col("output_yi", "float", min=0.0),
            Col("chain_leader", "bool"),
            Col("since", "date"),
            Col("source", required=True), Col("verified", choices=VERIFIED), Col("notes"),
        ),
        _spec(
            "relations", ["src", "dst", "type"],
            Col("src", required=True), Col("dst", required=True),
            Col("type", required=True, choices=("SUPPLIES_TO", "PART_OF")),
            Col("product"),
            Col("source", required=True), Col("verified", choices=VERIFIED), Col("notes"),
        ),
        _spec(
            "teams", ["id"],
            Col("id", required=True, unique=True),
            Col("name_zh", required=True), Col("name_en"), Col("base_city"),
            Col("covers", required=True),
            Col("source", required=True),
        ),
        _spec(
            "mechanism", ["chain", "slot"],
            Col("chain", "slug", required=True),
            Col("slot", "int", required=True, min=1),
            Col("name_zh", required=True),
            Col("kind", choices=("derived", "manual")),
            Col("status", choices=SLOT_STATUS),
            Col("owner"), Col("evidence"), Col("updated_on", "date"), Col("source"),
        ),
        _spec(
            "assessments", ["link_id"],
            Col("link_id", "slug", required=True, unique=True),
            Col("assessed_on", "date", required=True),
            Col("method"), Col("source", required=True), Col("notes"),
            Col("assessed_by", optional=True),  # who surveyed (摸排人/单位); added after the first release
        ),
        _spec(
            "signals", ["firm_id", "date", "kind", "detail"],
            Col("firm_id", required=True),
            Col("date", "date", required=True),
            Col("kind", required=True, choices=SIGNAL_KINDS),
            Col("detail", required=True),
            Col("amount_yi", "float", min=0.0),
            Col("place"),
            Col("source", required=True), Col("verified", choices=VERIFIED), Col("notes"),
        ),
        _spec(
            "channels", ["firm_id", "channel", "detail"],
            Col("firm_id", required=True),
            Col("channel", required=True, choices=CHANNELS),
            Col("detail", required=True),
            Col("since", "date"),
            Col("source", required=True), Col("verified", choices=VERIFIED), Col("notes"),
        ),
        _spec(
            "followups", ["firm_id", "chain"],
            Col("firm_id", required=True),
            Col("chain", "slug", required=True),
            Col("status", required=True, choices=FOLLOWUP_STATUS),
            Col("person"), Col("team"), Col("contact_date", "date"), Col("notes"),
            Col("updated_by"), Col("updated_at"),
        ),
        _spec(
            "projects", ["id"],
            Col("id", required=True, unique=True),
            Col("name", required=True),
            Col("investor_id"), Col("investor_name"),
            Col("chain", "slug", required=True), Col("link_id"),
            Col("planned_yi", "float", min=0.0),
            Col("stage", required=True, choices=tuple(s.value for s in ProjectStage)),
            Col("signing_kind", choices=SIGNING_KINDS),
            Col("signed_on", "date"),
            Col("started_on", "date"),
            Col("land_mu", "float", min=0.0),
            Col("county"), Col("park"), Col("responsible_unit"), Col("lead_unit"),
            Col("completed_yi", "float", min=0.0),
            Col("source"), Col("notes"),
        ),
        _spec(
            "events", ["id"],
            Col("id", required=True, unique=True),
            Col("date", "date", required=True),
            Col("firm_id", required=True), Col("firm_name"),
            Col("chain", "slug", required=True), Col("link_id"),
            Col("kind", required=True, choices=EVENT_KINDS),
            Col("project"), Col("place"),
            Col("in_qingyuan", "bool"),
            Col("amount_yi", "float", min=0.0),
            Col("origin", required=True, choices=EVENT_ORIGINS),
            Col("source", required=True), Col("verified", choices=VERIFIED), Col("notes"),
        ),
        _spec(
            "changes", ["change_set", "table", "key"],
            Col("change_set", required=True),
            Col("at", required=True),  # UTC, ISO 8601 with microseconds: orders change sets
            Col("author", required=True), Col("action"),
            Col("table", required=True), Col("key", required=True),  # key: JSON list of the key values
            Col("op", required=True, choices=CHANGE_OPS),
            Col("before"), Col("after"),  # JSON object of the whole row; blank for add / delete
            doc="audit trail",
        ),
    ]
}
