"""Plan the import of users' own spreadsheets: bytes and the current tables in, a plan out.

The working groups' data come as spreadsheets: target lists from company
databases, the 单项冠军 and 500强 lists, the bureau's project ledger, the
pioneer teams' visit logs. :func:`plan_import` reads one such file (xlsx or CSV
in UTF-8, UTF-8 with BOM or GBK/GB18030) for one *kind*:

========== ============= ===================================================
kind       table         one row is
========== ============= ===================================================
firms      firms         a firm (optionally with its 所属环节: an operation)
honours    honours       an honour of a firm (世界500强 2024, 单项冠军 第八批 …)
relations  relations     a supply relation or a group link between two firms
projects   projects      a project of the 项目信息库
contacts   followups     a pioneer team's contact with a firm, for one chain
========== ============= ===================================================

and returns an :class:`ImportPlan`: per table the rows to upsert, and a report
with one line per input row saying what would happen to it (added, updated,
merged, unchanged, rejected, review) and why. Nothing is saved here: the
caller hands the plan to a store's ``write`` (all-or-nothing, audited).

Steps: size check → rows (openpyxl streaming, formulas read as formulas and
refused; CSV decoded and its encoding reported) → header row (title rows
above it skipped, a header merged over two rows joined) → columns (built-in
Chinese and English headers per kind, plus the user's mapping) → values
(amounts to 亿元, dates, chains and links by name or id, choices by their
Chinese words) → firms (:class:`~chainmap.io.matching.FirmMatcher`: id, then
credit code, then names; uncertain matches go to review) → plan.

Decisions
---------
* **Blank never erases.** A blank cell means "not in this file", so it
  leaves the stored value alone; an import only adds or changes values.
* **merged** means the row names a firm of the library by another name
  (建滔化工集团有限公司 → 建滔集团): its facts go to that firm and the name is
  kept as an alias, so the next import matches it exactly. A *regional*
  entity (建滔（佛冈）积层板有限公司) is another legal person: it is **added** as a
  new firm PART_OF the firm it belongs to, never folded into it.
* **review** rows are not planned at all: a person picks the firm (the
  candidates are listed) and imports them again.
* A row with any bad cell is **rejected**; a file with a rejected row is
  refused as a whole (:class:`~chainmap.io.InputError` listing every problem)
  unless ``accept_valid=True``, which plans the good rows and lists the bad.
* A credit code is the id of a firm the import creates; for a firm already
  in the library under a slug id it is kept among the aliases (the firms
  table has no credit-code column), where the matcher finds it next time.
* The plan never deletes: re-importing a file is idempotent (everything
  ``unchanged``), and rows missing from a file are not removed from the store.
"""
from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
import datetime as dt

import pandas as pd

from ..model import Tables
from .errors import InputError, Problem
from .matching import AUTO_METHODS, FirmMatcher
from .names import bracketed_regions, core_key, normalise_name, validate_uscc
from .schemas import FOLLOWUP_STATUS, HONOUR_LEVELS, HONOUR_LISTS, SPECS, VERIFIED
from .tables import decode_bytes
from .values import parse_amount_yi, parse_date, unit_from_header
from .xlsx import _ALIASES, _KIND_SYNONYMS, _STAGE_SYNONYMS, _WAN_ALIASES, HEADERS_ZH, Vocabulary, _cell, _norm

__all__ = ["KINDS", "ACTIONS", "MAX_BYTES", "IMPORT_HEADERS", "ImportPlan", "plan_import", "read_rows",
           "parse_mapping", "check_size"]

#: Import kind → the table it fills.
KINDS: dict[str, str] = {"firms": "firms", "honours": "honours", "relations": "relations",
                         "projects": "projects", "contacts": "followups"}
#: What can happen to one input row.
ACTIONS = ("added", "updated", "merged", "unchanged", "rejected", "review")
#: Files above this size are refused before they are read.
MAX_BYTES = 50 * 1024 * 1024

# Per kind: column → the headers that mean it. The first header is the display
# header (what an export writes); English column names are always accepted.
# Columns outside the table (firm, credit_code, chain, link …) name firms or
# links that the importer resolves to ids.
IMPORT_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "firms": {
        "id": ("企业编号", "企业ID", "firm_id"),
        "name_zh": ("企业名称", "公司名称", "企业全称", "单位名称", "名称"),
        "name_en": ("英文名称", "英文名"),
        "aliases": ("别名", "简称", "曾用名"),
        "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
        "hq_city": ("总部城市", "总部所在地", "所在城市", "城市"),
        "hq_province": ("总部省份", "所在省份", "省份"),
        "hq_region": ("总部区域", "区域"),
        "revenue_yi": ("营业收入（亿元）", "营收（亿元）", "年营业收入（亿元）", "营业收入", "营收"),
        "revenue_year": ("营收年度", "营收年份"),
        "products": ("主营产品", "主要产品", "产品"),
        "stock_code": ("股票代码", "证券代码"),
        "chain": ("所属产业链", "产业链"),
        "link": ("所属环节", "环节", "产业链环节"),
        "source": ("信息来源", "来源", "数据来源"),
        "verified": ("核实情况", "核实"),
        "notes": ("备注", "说明"),
    },
    "honours": {
        "firm_id": ("企业编号", "企业ID"),
        "firm": ("企业名称", "公司名称", "企业"),
        "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
        "list": ("荣誉", "榜单", "荣誉名称", "称号"),
        "year": ("年份", "入选年份", "年度"),
        "level": ("级别", "层级"),
        "detail": ("详情", "排名", "批次", "说明"),
        "source": ("信息来源", "来源", "数据来源"),
    },
    "relations": {
        "src_id": ("企业编号", "src"),
        "src": ("企业名称", "供应方", "子公司", "企业"),
        "dst_id": ("关联企业编号", "dst"),
        "dst": ("关联企业", "客户", "母公司", "上级企业", "所属集团"),
        "type": ("关系类型", "关系"),
        "product": ("产品", "供应产品"),
        "source": ("信息来源", "来源", "数据来源"),
        "verified": ("核实情况", "核实"),
        "notes": ("备注", "说明"),
    },
    "projects": {
        **{c: (h, *_ALIASES["projects"].get(c, ())) for c, h in HEADERS_ZH["projects"].items()},
        "credit_code": ("投资方统一社会信用代码",),
    },
    "contacts": {
        "firm_id": ("企业编号", "企业ID"),
        "firm": ("企业名称", "公司名称", "企业", "对接企业", "拜访企业"),
        "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
        "chain": ("产业链", "所属产业链"),
        "status": ("对接状态", "状态", "进展"),
        "person": ("责任人", "对接人", "联系人"),
        "team": ("先锋队", "招商先锋队", "小分队", "团队"),
        "contact_date": ("最近对接日期", "对接日期", "拜访日期", "联系日期", "日期"),
        "notes": ("备注", "对接情况", "拜访情况", "情况说明"),
        "updated_by": ("更新人",),
        "updated_at": ("更新时间",),
    },
}
# 万元 headers of the project ledger: the same columns, converted.
_WAN = {h: c for c, hs in _WAN_ALIASES.items() for h in hs}

# Which input columns are required (any one of each group), per kind.
_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "firms": (("name_zh",),),
    "honours": (("firm", "firm_id", "credit_code"), ("list",)),
    "relations": (("src", "src_id"), ("dst", "dst_id"), ("type",)),
    "projects": (("name",), ("chain",), ("stage",)),
    "contacts": (("firm", "firm_id", "credit_code"), ("chain",), ("status",)),
}
# Cells that name something and so may hold no line breaks or tabs either.
_NAME_COLUMNS = {"name_zh", "name_en", "firm", "src", "dst", "investor_name", "name", "id", "firm_id", "src_id",
                 "dst_id", "investor_id", "credit_code"}

_SYNONYMS: dict[str, dict[str, str]] = {
    "list": {"世界500强": "FG500", "财富世界500强": "FG500", "fortune500": "FG500", "fortuneglobal500": "FG500",
             "中国企业500强": "CN500", "中国500强": "CN500", "中国民营企业500强": "CN_PRIVATE500",
             "民营企业500强": "CN_PRIVATE500", "民营500强": "CN_PRIVATE500", "制造业单项冠军": "single_champion",
             "单项冠军": "single_champion", "制造业单项冠军示范企业": "single_champion",
             "专精特新小巨人": "little_giant", "专精特新“小巨人”": "little_giant", "国家级专精特新小巨人": "little_giant",
             "小巨人": "little_giant", "上市企业": "listed", "上市公司": "listed", "上市": "listed"},
    "level": {"全球": "global", "国际": "global", "国家级": "national", "全国": "national", "国家": "national",
              "省级": "provincial", "省": "provincial", "交易所": "exchange", "上市": "exchange"},
    "hq_region": {"珠三角": "PRD", "长三角": "YRD", "京津冀": "BTH", "国内其他": "other_cn", "其他": "other_cn",
                  "境外": "overseas", "海外": "overseas", "港澳台": "overseas"},
    "verified": {"已核实": "yes", "是": "yes", "部分核实": "partial", "未核实": "no", "否": "no", "示意": "illustrative"},
    "type": {"供应": "SUPPLIES_TO", "供货": "SUPPLIES_TO", "供应商": "SUPPLIES_TO", "供应关系": "SUPPLIES_TO",
             "隶属": "PART_OF", "子公司": "PART_OF", "下属企业": "PART_OF", "控股": "PART_OF", "集团关系": "PART_OF"},
    "status": {"未联系": "未对接", "待对接": "未对接", "联系": "已联系", "已电话联系": "已联系", "拜访": "已拜访",
               "已走访": "已拜访", "走访": "已拜访", "意向": "有意向", "有投资意向": "有意向", "签约": "已签约",
               "暂停": "暂缓", "搁置": "暂缓"},
    "stage": _STAGE_SYNONYMS,
    "signing_kind": _KIND_SYNONYMS,
}
_CHOICES = {"list": HONOUR_LISTS, "level": HONOUR_LEVELS, "verified": VERIFIED, "type": ("SUPPLIES_TO", "PART_OF"),
            "status": FOLLOWUP_STATUS}
_TRUE, _FALSE = {"true", "1", "yes", "y", "是", "t"}, {"false", "0", "no", "n", "否", "f", ""}
_UNIT_SUFFIX = re.compile(r"\((亿元|万元|元|亿|万)\)$")


class _Formula(str):
    """The text of a cell that holds a formula (never evaluated, always refused)."""


@dataclass
class Rows:
    """One sheet as text cells, with the facts the report states about the file."""

    rows: list[list[str]]
    encoding: str
    sheet: str = ""


@dataclass
class ImportPlan:
    """What importing one file would do; nothing has been changed yet.

    Attributes
    ----------
    kind, table, file : str
        The import kind, the table it fills and the file name.
    encoding, sheet : str
        ``UTF-8``, ``UTF-8-BOM`` or ``GB18030`` for CSV (``xlsx`` for a
        workbook) and the sheet read.
    upserts : dict of str to DataFrame
        Per table, the whole records to insert or replace by key (the store's
        ``Edit(upsert=…)``). Empty tables are left out.
    report : DataFrame
        One line per input row: ``row`` (as the spreadsheet numbers it),
        ``name``, ``action`` (one of :data:`ACTIONS`), ``firm_id``,
        ``reason``, ``candidates`` (``|``-joined, for review rows).
    problems : list of Problem
        Why rows were rejected (only non-empty with ``accept_valid``).
    notes : list of str
        Things the user should know: ignored columns, converted units …
    """

    kind: str
    table: str
    file: str
    encoding: str
    sheet: str
    upserts: dict[str, pd.DataFrame]
    report: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def review(self) -> pd.DataFrame:
        """The rows a person must decide: name, candidates and reason."""
        return self.report[self.report["action"] == "review"]

    def counts(self) -> dict[str, int]:
        """Rows per action, every action listed."""
        c = self.report["action"].value_counts()
        return {a: int(c.get(a, 0)) for a in ACTIONS}

    @property
    def changes(self) -> int:
        """How many records the plan writes."""
        return sum(len(df) for df in self.upserts.values())


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
        raise InputError([Problem(file, f"the file is {size / 2**20:.1f} MB, more than the {limit / 2**20:g} MB an "
                                        f"import takes; split it into smaller files")])


def read_rows(data: bytes, file: str, hmap: dict[str, str] | None = None) -> Rows:
    """A file's cells as text: an xlsx workbook (by content) or CSV text.

    Of a workbook, the sheet whose header row holds the most headers of
    ``hmap`` (normalised header → column) is read, else the first sheet.
    Formula cells come back as :class:`_Formula`; empty cells as ``""``.
    """
    if data[:4] == b"PK\x03\x04":
        return _xlsx_rows(data, file, hmap or {})
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InputError([Problem(file, "an old .xls/.et workbook: save it as .xlsx or as 'CSV UTF-8'")])
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError([Problem(file, "the file is UTF-16 text (Excel's 'Unicode text'): save it as 'CSV UTF-8'")])
    if b"\x00" in data:
        raise InputError([Problem(file, f"binary content (a NUL byte at offset {data.index(0)}): not a CSV text file; "
                                        f"save it as .xlsx or 'CSV UTF-8'")])
    text, encoding = decode_bytes(data, file)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        raise InputError([Problem(file, f"broken CSV: {e}")]) from None
    label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8-BOM", "gb18030": "GB18030"}[encoding]
    return Rows([[_csv_cell(c) for c in r] for r in rows], label)


def _csv_cell(text: str) -> str:
    t = text.strip()
    # Our own CSV exports guard formula-like text with an apostrophe: take it off again.
    if t.startswith("'") and t[1:2] in ("=", "+", "-", "@"):
        return t[1:]
    return _Formula(t) if t.startswith("=") else t


def _xlsx_rows(data: bytes, file: str, hmap: dict[str, str]) -> Rows:
    import zipfile

    from openpyxl import load_workbook

    def unreadable(e: Exception) -> InputError:
        return InputError([Problem(file, f"not a readable xlsx workbook ({type(e).__name__}); save it from Excel or "
                                         f"WPS as .xlsx, or as 'CSV UTF-8'")])

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except zipfile.BadZipFile as e:
        raise unreadable(e) from None
    except Exception as e:  # openpyxl raises many types on damaged or foreign zips; all mean "unreadable"
        raise unreadable(e) from None
    def cells(ws, **limit) -> list[list[str]]:
        return [[_Formula(str(c.value)) if c.data_type == "f" else _cell(c.value) for c in row]
                for row in ws.iter_rows(**limit)]

    try:
        if not wb.worksheets:
            return Rows([], "xlsx", "")
        # Only the first rows of each sheet are read to choose one; then that sheet, streamed.
        best = max(wb.worksheets, key=lambda ws: _header_at(cells(ws, max_row=10), hmap)[1])
        return Rows(cells(best), "xlsx", best.title)
    except Exception as e:  # a sheet's XML can be damaged too; see above
        raise unreadable(e) from None
    finally:
        wb.close()


def _header_at(rows: list[list[str]], hmap: dict[str, str]) -> tuple[int | None, int]:
    """The header row (0-based) among the first ten, and how many headers of ``hmap`` it holds.

    Title rows hold none; a header merged over two rows is read as one (see
    :func:`_merged_header`).
    """
    best, at = 0, None
    for i in range(min(10, len(rows))):
        n = sum(1 for c in _merged_header(rows, i) if c and _lookup(hmap, c)[0] is not None)
        if n > best:
            best, at = n, i
    return at, best


def parse_mapping(data: bytes, file: str) -> dict[str, str]:
    """A user's column mapping: ``their header → our column``.

    TOML (a file ending ``.toml``) is a table of strings, at the top level or
    under ``[columns]``; otherwise CSV with two columns (a first row
    ``header,column`` or ``表头,字段`` is skipped). Our column may be written as
    its name (``revenue_yi``) or its Chinese header (``营业收入（亿元）``).

    Examples
    --------
    >>> parse_mapping('[columns]\\n"企业中文名" = "name_zh"\\n'.encode(), "map.toml")
    {'企业中文名': 'name_zh'}
    >>> parse_mapping("表头,字段\\n年营收(万元),revenue_yi\\n".encode("gbk"), "map.csv")
    {'年营收(万元)': 'revenue_yi'}
    """
    if file.lower().endswith(".toml"):
        text, _ = decode_bytes(data, file)
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InputError([Problem(file, f"not valid TOML: {e}")]) from None
        table = doc.get("columns", doc)
        bad = [k for k, v in table.items() if not isinstance(v, str)] if isinstance(table, dict) else ["columns"]
        if bad:
            raise InputError([Problem(file, f"every entry must be \"their header\" = \"our column\"; not: {bad[0]!r}")])
        return {str(k).strip(): v.strip() for k, v in table.items()}
    rows = read_rows(data, file).rows
    out = {}
    for n, r in enumerate(rows, start=1):
        cells = [c for c in r if c]
        if not cells:
            continue
        if n == 1 and _norm(cells[0]) in ("header", "表头", "their_header", "原表头"):
            continue
        if len(cells) != 2:
            raise InputError([Problem(file, "each row needs two cells: their header, our column", row=n)])
        out[cells[0]] = cells[1]
    return out


def _header_map(kind: str, mapping: dict[str, str] | None, mapping_file: str) -> tuple[dict[str, str], list[Problem]]:
    """Normalised header → column, for one kind, with the user's mapping on top."""
    table = KINDS[kind]
    columns = IMPORT_HEADERS[kind]
    hmap: dict[str, str] = {}
    for c in SPECS[table].names:
        if c in columns or kind == "projects":
            hmap[_norm(c)] = c
    for c, hs in columns.items():
        hmap.setdefault(_norm(c), c)
        for h in hs:
            hmap.setdefault(_norm(h), c)
    if kind == "projects":
        for h, c in _WAN.items():
            hmap[_norm(h)] = c
    problems = []
    for theirs, ours in (mapping or {}).items():
        col = ours if ours in columns else hmap.get(_norm(ours))
        if col is None:
            problems.append(Problem(mapping_file, f"unknown column {ours!r} for {kind}; columns: {', '.join(columns)}",
                                    column=theirs))
        else:
            hmap[_norm(theirs)] = col
    return hmap, problems


def _lookup(hmap: dict[str, str], header: str) -> tuple[str | None, str | None]:
    """The column a header means and the amount unit it names (a bare ``（万元）`` column too)."""
    key = _norm(header)
    if key in hmap:
        return hmap[key], _unit(header)
    m = _UNIT_SUFFIX.search(key)
    if m and key[: m.start()] in hmap:
        return hmap[key[: m.start()]], _unit(header)
    return None, None


def _unit(header: str) -> str | None:
    try:
        return unit_from_header(header)
    except ValueError:
        return "foreign"


# ---------------------------------------------------------------------------------------------------------------
# Cell values


class _Bad(Exception):
    """One bad cell: becomes a Problem naming the row and the header as written."""


def _control_class(keep: str) -> re.Pattern:
    codes = [c for c in range(0x30000) if unicodedata.category(chr(c)) in ("Cc", "Cf") and chr(c) not in keep]
    return re.compile("[" + "".join(re.escape(chr(c)) for c in codes) + "]")


# Control and invisible format characters (Cc, Cf); notes may keep line breaks and tabs.
_CONTROL_IN_TEXT, _CONTROL_IN_NAME = _control_class("\t\n\r"), _control_class("")


def _text(v: str, col: str) -> str:
    if isinstance(v, _Formula):
        raise _Bad(f"a formula ({v[:40]}) in a cell: formulas are not evaluated; paste the values instead")
    hit = (_CONTROL_IN_NAME if col in _NAME_COLUMNS else _CONTROL_IN_TEXT).search(v)
    if hit:
        raise _Bad(f"control character U+{ord(hit.group()):04X} in {v!r}: retype the text (copied text often "
                   f"carries invisible characters)")
    return v


def _choice(v: str, col: str) -> str:
    if not v:
        return v
    allowed = _CHOICES[col]
    if v in allowed:
        return v
    hit = _SYNONYMS.get(col, {}).get(_norm(v)) or _SYNONYMS.get(col, {}).get(v)
    if hit is None:
        lowered = {a.lower(): a for a in allowed}
        hit = lowered.get(v.lower())
    if hit is None:
        words = sorted(k for k in _SYNONYMS.get(col, {}) if len(k) > 2)[:6]
        raise _Bad(f"{v!r} is not one of {', '.join(allowed)}" + (f" (or {', '.join(words)} …)" if words else ""))
    return hit


def _int(v: str, lo: int, hi: int) -> int | None:
    if not v:
        return None
    s = unicodedata.normalize("NFKC", v).removesuffix("年")
    try:
        f = float(s)
    except ValueError:
        raise _Bad(f"expected a whole number, got {v!r}") from None
    if not math.isfinite(f) or f != int(f):
        raise _Bad(f"expected a whole number, got {v!r}")
    if not lo <= f <= hi:
        raise _Bad(f"must be between {lo} and {hi}, got {v}")
    return int(f)


def _bool(v: str) -> bool:
    low = v.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise _Bad(f"expected 是/否 or true/false, got {v!r}")


def _not_after(iso: str, today: dt.date, what: str) -> str:
    """Refuse a date later than ``today`` at its own precision (2027 is later than 2026-12-31)."""
    if iso and iso > today.isoformat()[: len(iso)]:
        raise _Bad(f"{what} {iso} is after today ({today.isoformat()}): record it once it has happened")
    return iso


# ---------------------------------------------------------------------------------------------------------------
# Planning


@dataclass
class _Context:
    kind: str
    file: str
    tables: Tables
    today: dt.date
    author: str
    vocab: Vocabulary
    matcher: FirmMatcher
    headers: dict[str, str]  # column → header as written
    firms: dict[str, dict] = field(default_factory=dict)  # firm id → record as planned
    new_keys: dict[str, str] = field(default_factory=dict)  # normalised name → id of a firm this file adds
    out: dict[str, dict[tuple, dict]] = field(default_factory=dict)  # table → key → record
    codes: dict[str, tuple] = field(default_factory=dict)  # credit code → (name, key, firm) of its first row
    stored: dict[str, dict[tuple, dict]] = field(default_factory=dict)  # table → key → stored record
    ops: set | None = None  # (firm, link) pairs with an operation

    def bad(self, col: str, message: str) -> _Bad:
        return _Bad((self.headers.get(col, col), message))


def plan_import(data: bytes, kind: str, file: str, tables: Tables, *, today: dt.date,
                mapping: dict[str, str] | None = None, mapping_file: str = "mapping",
                accept_valid: bool = False, author: str = "", max_bytes: int = MAX_BYTES) -> ImportPlan:
    """Plan importing one file of one kind into ``tables``; change nothing.

    Parameters
    ----------
    data : bytes
        The file's content: xlsx, or CSV in UTF-8, UTF-8 with BOM or GBK.
    kind : {"firms", "honours", "relations", "projects", "contacts"}
    file : str
        The file name, for messages and default sources.
    tables : Tables
        What the store holds now (firms are matched against it).
    today : datetime.date
        Signing and contact dates later than this are refused.
    mapping : dict, optional
        ``their header → our column`` (see :func:`parse_mapping`).
    accept_valid : bool
        Plan the good rows of a file with bad ones (listed in ``problems``)
        instead of refusing the file.
    author : str
        Written as ``updated_by`` of contacts that do not name one.

    Raises
    ------
    InputError
        For a file that cannot be read (size, encoding, format, no header,
        missing column) or, unless ``accept_valid``, that has a bad row.

    Examples
    --------
    >>> import datetime as dt
    >>> from chainmap.store.memory import MemoryStore
    >>> tables = MemoryStore.open().tables()
    >>> data = ("企业名称,统一社会信用代码,所属环节\\n建滔化工集团有限公司,,覆铜板\\n"
    ...         "建滔（佛冈）积层板有限公司,91441821MA4UHXY81E,\\n天能,,\\n").encode("gbk")
    >>> plan = plan_import(data, "firms", "目标企业.csv", tables, today=dt.date(2026, 11, 26))
    >>> plan.encoding, plan.report["action"].tolist()
    ('GB18030', ['merged', 'added', 'review'])
    >>> plan.report["firm_id"].tolist(), plan.report.loc[2, "candidates"]
    (['kingboard', '91441821MA4UHXY81E', ''], 'tianneng_hk|tianneng_sh')
    >>> plan.upserts["relations"][["src", "dst", "type"]].values.tolist()
    [['91441821MA4UHXY81E', 'kblaminates', 'PART_OF']]
    """
    if kind not in KINDS:
        raise InputError([Problem(file, f"unknown kind {kind!r}: one of {', '.join(KINDS)}")])
    check_size(len(data), file, max_bytes)
    hmap, problems = _header_map(kind, mapping, mapping_file)
    if problems:
        raise InputError(problems)
    sheet = read_rows(data, file, hmap)
    rows = sheet.rows
    at, _ = _header_at(rows, hmap)
    if at is None:
        shown = "、".join(h[0] for h in list(IMPORT_HEADERS[kind].values())[:6])
        raise InputError([Problem(file, f"no header row in the first 10 rows{_in(sheet)}; expected headers such as "
                                        f"{shown}")])
    header = _merged_header(rows, at)
    cols: dict[str, int] = {}
    units: dict[str, str | None] = {}
    written: dict[str, str] = {}
    ignored, problems = [], []
    for j, h in enumerate(header):
        if not h:
            continue
        col, unit = _lookup(hmap, h)
        if col is None:
            ignored.append(h)
        elif col in cols:
            problems.append(Problem(file, f"two columns mean {col!r}: {written[col]!r} and {h!r}", row=at + 1,
                                    column=h))
        elif unit == "foreign":
            problems.append(Problem(file, "amounts in a foreign currency: convert them to 亿元 first", row=at + 1,
                                    column=h))
        else:
            cols[col], units[col], written[col] = j, unit, h
    for group in _REQUIRED[kind]:
        if not any(c in cols for c in group):
            want = " or ".join(repr(IMPORT_HEADERS[kind][c][0]) for c in group)
            problems.append(Problem(file, f"missing column {want}{_in(sheet)}; the header (row {at + 1}) has: "
                                          f"{', '.join(h for h in header if h)}"))
    if problems:
        raise InputError(problems)
    notes = [f"ignored columns: {', '.join(ignored)}"] if ignored else []
    notes += [f"{written[c]!r}: amounts converted from {u} to 亿元" for c, u in units.items() if u in ("万元", "元")]

    ctx = _Context(kind, file, tables, today, author, Vocabulary.from_tables(tables),
                   FirmMatcher(tables.firms[["id", "name_zh", "name_en", "aliases"]], tables.relations), written)
    report, problems = [], []
    width = len(header)
    for n, r in enumerate(rows[at + 1:], start=at + 2):
        cells = {c: (r[j] if j < len(r) else "") for c, j in cols.items()}
        if not any(cells.values()) and not any(c for c in r[width:]):
            continue  # Excel leaves blank rows (and rows blank but for formatting): no data
        try:
            rec = _values(cells, units, ctx)
            line = _PLANNERS[kind](rec, ctx)
        except _Bad as e:
            col, message = e.args[0]
            problems.append(Problem(file, message, row=n, column=col))
            line = {"action": "rejected", "firm_id": None, "reason": message, "name": _label(cells)}
        report.append({"row": n, "name": line.pop("name", _label(cells)), "candidates": "", **line})
    if problems and not accept_valid:
        raise InputError(problems)
    report_df = pd.DataFrame(report, columns=["row", "name", "action", "firm_id", "reason", "candidates"])
    report_df["firm_id"] = report_df["firm_id"].fillna("").astype(str)
    return ImportPlan(kind, KINDS[kind], file, sheet.encoding, sheet.sheet, _frames(ctx), report_df, problems, notes)


def _in(sheet: Rows) -> str:
    return f" of sheet {sheet.sheet!r}" if sheet.sheet else ""


def _merged_header(rows: list[list[str]], at: int) -> list[str]:
    """The header row; a blank cell takes the cell above (a header merged over two rows)."""
    header = [str(c).strip() for c in rows[at]]
    above = rows[at - 1] if at > 0 else []
    return [h or (str(above[j]).strip() if j < len(above) else "") for j, h in enumerate(header)]


def _label(cells: dict[str, str]) -> str:
    for c in ("name_zh", "firm", "name", "src", "src_id", "firm_id", "credit_code"):
        if cells.get(c):
            dst = cells.get("dst") or cells.get("dst_id")
            return cells[c] + (f" → {dst}" if c in ("src", "src_id") and dst else "")
    return ""


def _values(cells: dict[str, str], units: dict[str, str | None], ctx: _Context) -> dict:
    """Text cells → typed values; the first bad cell raises :class:`_Bad` (column, message)."""
    spec = SPECS[KINDS[ctx.kind]]
    kinds = {c.name: c for c in spec.columns}
    rec = {}
    for col, raw in cells.items():
        try:
            v = _text(raw, col)
            c = kinds.get(col)
            if c is None or c.kind in ("str", "slug"):
                v = _choice(v, col) if col in _CHOICES else _SYNONYMS.get(col, {}).get(v, v)
                if c is not None and c.choices is not None and v and v not in c.choices:
                    raise _Bad(f"{v!r} is not one of {', '.join(c.choices)}")
            elif c.kind == "float":
                v = parse_amount_yi(v, units.get(col) or "亿元")
            elif c.kind == "int":
                v = _int(v, int(c.min or 0), int(c.max or 10**9))
            elif c.kind == "bool":
                v = _bool(v)
            elif c.kind == "date":
                v = parse_date(v)
                if col in ("signed_on", "contact_date"):
                    v = _not_after(v, ctx.today, "signing date" if col == "signed_on" else "contact date")
        except (_Bad, ValueError) as e:
            raise ctx.bad(col, e.args[0]) from None
        rec[col] = v
    code = rec.get("credit_code", "")
    if code and not validate_uscc(code):
        raise ctx.bad("credit_code", f"credit code {code!r} is not valid (18 characters with the GB 32100 check "
                                     f"character)")
    return rec


def _resolve_chain(rec: dict, ctx: _Context, col: str = "chain") -> str:
    v = rec.get(col, "")
    if not v:
        return ""
    cid = ctx.vocab.chains.get(_norm(v))
    if cid is None:
        raise ctx.bad(col, f"unknown chain {v!r} (known: {', '.join(ctx.vocab.chain_names.values())})")
    return cid


def _resolve_link(rec: dict, ctx: _Context, chain: str, col: str) -> str:
    v = rec.get(col, "")
    if not v:
        return ""
    hits = ctx.vocab.links.get(_norm(v), [])
    pick = [lid for lid, ch in hits if ch == chain] if chain else [lid for lid, _ in hits]
    if not pick:
        where = f" in chain {ctx.vocab.chain_names.get(chain, chain)}" if chain and hits else ""
        raise ctx.bad(col, f"unknown link {v!r}{where}")
    return pick[0]


def _firm_ref(rec: dict, ctx: _Context, id_col: str, name_col: str, code_col: str | None) -> tuple[str | None, dict]:
    """Resolve a firm named by id, credit code or name; ``(firm id, report fields)``.

    A firm id of ``None`` means the row goes to review (or is rejected, for a
    firm that is not in the library at all).
    """
    fid, name = rec.get(id_col, ""), rec.get(name_col, "")
    code = rec.get(code_col, "") if code_col else ""
    if fid:
        if fid in ctx.vocab.firm_ids or fid in ctx.firms:
            return fid, {"reason": f"firm id {fid}"}
        code = code or (fid if validate_uscc(fid) else "")
        if not code:
            raise ctx.bad(id_col, f"unknown firm id {fid!r}: import the firm first (chainmap import firms)")
    m = ctx.matcher.match(name, code or None)
    if m.method in AUTO_METHODS:
        how = {"credit_code": "credit code", "group": "group"}.get(m.method, "name")
        return m.firm_id, {"reason": f"{name or code} → {m.firm_id} (by {how}{'; ' + m.note if m.note else ''})"}
    if m.review:
        return None, {"action": "review", "candidates": "|".join(m.candidates),
                      "reason": f"{name}: uncertain ({m.note}); choose one of {', '.join(m.candidates)}"}
    col = name_col if name else (code_col or id_col)
    raise ctx.bad(col, f"firm {name or code!r} is not in the library: import it first (chainmap import firms)")


def _plan_firm(rec: dict, ctx: _Context) -> dict:
    name = rec.get("name_zh", "")
    if not name:
        raise ctx.bad("name_zh", "required, but empty")
    code, given = rec.get("credit_code", ""), rec.get("id", "")
    chain = _resolve_chain(rec, ctx)
    link = _resolve_link(rec, ctx, chain, "link")
    key = normalise_name(name)
    m = ctx.matcher.match(name)  # by name alone: a credit code is checked against it
    coded = ctx.matcher.firm_of_code(code) if code else None
    if code:
        first = ctx.codes.setdefault(code, (name, key, m.firm_id))
        if core_key(first[1]) != core_key(key) and (m.firm_id is None or m.firm_id != first[2]):
            raise ctx.bad("credit_code", f"credit code {code} is also given to {first[0]!r} on an earlier row: "
                                         f"one code, one firm")
    parent, action = None, "added"
    if given and (given in ctx.vocab.firm_ids or given in ctx.firms):
        fid, reason = given, f"firm id {given}"
    elif coded is not None:
        if m.method in AUTO_METHODS and coded not in m.group_path and m.firm_id not in ctx.matcher.group_path(coded):
            return {"action": "review", "firm_id": None, "candidates": f"{coded}|{m.firm_id}",
                    "reason": f"credit code {code} is {coded} but the name matches {m.firm_id}"}
        fid, reason = coded, f"credit code {code}"
    elif (code and code in ctx.firms) or (key in ctx.new_keys and not given):
        fid = code if code in ctx.firms else ctx.new_keys[key]
        action, reason = "merged", f"same firm as an earlier row ({fid})"
    elif m.method == "group" and bracketed_regions(name):
        fid, parent = None, m.firm_id
        reason = f"regional entity of {m.firm_id} ({' > '.join(m.group_path)}): a new firm PART_OF it"
    elif m.method in AUTO_METHODS:
        fid, reason = m.firm_id, f"{m.method} match" + (f" ({m.note})" if m.note else "")
    elif m.review:
        return {"action": "review", "firm_id": None, "candidates": "|".join(m.candidates),
                "reason": f"uncertain: {m.note}; choose one of {', '.join(m.candidates)} or mark it new"}
    else:
        fid, reason = None, "new firm"
    fields = {c: rec[c] for c in SPECS["firms"].names if c in rec and c not in ("id", "aliases") and _given(rec[c])}
    aliases = [a.strip() for a in rec.get("aliases", "").split("|") if a.strip()]
    if fid is None:
        fid = given or code or "F" + hashlib.sha1(key.encode()).hexdigest()[:12]
        ctx.new_keys[key] = fid
        record = {c: None for c in SPECS["firms"].names} | fields | {"id": fid, "aliases": "|".join(aliases)}
        record["source"] = record.get("source") or f"import: {ctx.file}"
        ctx.firms[fid] = record
        if parent:
            _put(ctx, "relations", {"src": fid, "dst": parent, "type": "PART_OF", "product": "",
                                    "source": record["source"], "verified": "", "notes": f"import: {name}"})
        _link(ctx, fid, link, record["source"])
        return {"action": action, "firm_id": fid, "reason": reason}
    record = dict(ctx.firms.get(fid) or _stored(ctx, "firms", (fid,)))
    before = dict(record)
    have = [a for a in (record.get("aliases") or "").split("|") if a]
    known = {_same_name(x) for x in (record.get("name_zh"), record.get("name_en"), *have) if x}
    fields.pop("name_zh", None)  # a known firm is never renamed by an import
    if _same_name(name) not in known:
        aliases.append(name)
        if action != "merged":
            action, reason = "merged", f"{reason}; {name!r} kept as an alias of {record.get('name_zh')}"
    if code and code != fid:
        aliases.append(code)
    # Sources and notes add up: the file's own never push out what was known before.
    fields["source"] = _sources(record.get("source"), fields.get("source"))
    fields["notes"] = _sources(record.get("notes"), fields.get("notes"), " | ")
    record.update(fields)
    record["aliases"] = "|".join(dict.fromkeys(have + [a for a in aliases if _same_name(a) not in known]))
    ctx.firms[fid] = record
    linked = _link(ctx, fid, link, record.get("source") or f"import: {ctx.file}")
    if action == "merged":
        pass
    elif linked or not _all_same(record, before):
        changed = [ctx.headers.get(c, c) for c in record if not _same(record[c], before.get(c))]
        action, reason = "updated", f"{reason}; changed: {', '.join(changed + (['link'] if linked else []))}"
    else:
        action = "unchanged"
    return {"action": action, "firm_id": fid, "reason": reason}


def _same_name(name: str) -> str:
    """Names that differ only in width, brackets, spaces or case are the same name."""
    return _norm(unicodedata.normalize("NFKC", name))


def _link(ctx: _Context, fid: str, link: str, source: str) -> bool:
    """Plan an operation of the firm in the link (not local), unless it has one; whether one was planned."""
    if not link:
        return False
    if ctx.ops is None:
        ops = ctx.tables.operations
        ctx.ops = set(zip(ops["firm_id"], ops["link_id"]))
    if (fid, link) in ctx.ops:
        return False
    ctx.ops.add((fid, link))
    _put(ctx, "operations", {"firm_id": fid, "link_id": link, "local": False, "entity": "", "location": "",
                             "output_yi": None, "chain_leader": False, "since": "", "source": source,
                             "verified": "", "notes": ""})
    return True


def _py(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return v.item() if hasattr(v, "item") else v


def _given(v) -> bool:
    return v is not None and v != ""


def _both_blank(a, b) -> bool:
    return not _given(_py(a)) and not _given(_py(b))


def _put(ctx: _Context, table: str, record: dict) -> tuple[str, dict | None]:
    """Plan a record of a keyed table; ``(action, stored record or None)``, comparing with what is stored."""
    key = tuple(record[k] for k in SPECS[table].key)
    stored = _stored(ctx, table, key)
    planned = ctx.out.setdefault(table, {})
    if key in planned:
        action = "merged"
    elif stored is None:
        action = "added"
    else:
        action = "unchanged" if all(_same(record.get(c), stored.get(c)) for c in SPECS[table].names) else "updated"
    if action != "unchanged":
        planned[key] = record
    return action, stored


def _stored(ctx: _Context, table: str, key: tuple) -> dict | None:
    index = ctx.stored
    if table not in index:
        df = getattr(ctx.tables, table)
        k = list(SPECS[table].key)
        index[table] = {tuple(_py(x) for x in r[: len(k)]): dict(zip(k + [c for c in df.columns if c not in k],
                                                                       map(_py, r)))
                        for r in df[k + [c for c in df.columns if c not in k]].itertuples(index=False)}
    return index[table].get(tuple(_py(x) for x in key))


def _same(a, b) -> bool:
    a, b = _py(a), _py(b)
    if not _given(a) and not _given(b):
        return True
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
        except (TypeError, ValueError):
            return False
    return a == b


def _fill(table: str, rec: dict, stored: dict | None, file: str) -> dict:
    """A whole record: the row's values, and the stored ones where the row is blank.

    A new record without a source gets the file as its source.
    """
    out = {}
    for c in SPECS[table].names:
        v = rec.get(c)
        out[c] = v if _given(v) else (stored or {}).get(c, v)
    if "source" in out:
        out["source"] = _sources(stored.get("source"), rec.get("source")) if stored else \
            out["source"] or f"import: {file}"
    return out


def _sources(old: str | None, new: str | None, sep: str = " ; ") -> str:
    """Sources of a record: an import adds its own, keeping those of the facts already held."""
    have = [x.strip() for x in (old or "").split(sep) if x.strip()]
    add = [x.strip() for x in (new or "").split(sep) if x.strip() and x.strip() not in have]
    return sep.join(have + add) if have or add else (old or new or "")


def _plan_keyed(table: str, rec: dict, ctx: _Context, fid: str | None, info: dict) -> dict:
    record = _fill(table, rec, _stored(ctx, table, tuple(rec.get(k) for k in SPECS[table].key)), ctx.file)
    action, _ = _put(ctx, table, record)
    return {"action": action, "firm_id": fid, **info}


def _plan_honour(rec: dict, ctx: _Context) -> dict:
    fid, info = _firm_ref(rec, ctx, "firm_id", "firm", "credit_code")
    if fid is None:
        return {"firm_id": None, **info}
    if not rec.get("list"):
        raise ctx.bad("list", "required, but empty")
    rec = {**rec, "firm_id": fid, "detail": rec.get("detail", "")}
    return _plan_keyed("honours", rec, ctx, fid, info)


def _plan_relation(rec: dict, ctx: _Context) -> dict:
    src, info = _firm_ref(rec, ctx, "src_id", "src", None)
    if src is None:
        return {"firm_id": None, **info}
    dst, info2 = _firm_ref(rec, ctx, "dst_id", "dst", None)
    if dst is None:
        return {"firm_id": src, **info2}
    if src == dst:
        raise ctx.bad("dst" if "dst" in ctx.headers else "dst_id", f"a firm cannot relate to itself ({src})")
    if not rec.get("type"):
        raise ctx.bad("type", "required, but empty")
    rec = {**rec, "src": src, "dst": dst}
    return _plan_keyed("relations", rec, ctx, src, {"reason": f"{info['reason']}; {info2['reason']}"})


def _plan_project(rec: dict, ctx: _Context) -> dict:
    for c in ("name", "chain", "stage"):
        if not rec.get(c):
            raise ctx.bad(c, "required, but empty")
    chain = _resolve_chain(rec, ctx)
    rec = {**rec, "chain": chain, "link_id": _resolve_link(rec, ctx, chain, "link_id")}
    info = {"reason": "investor not named"}
    fid = None
    if rec.get("investor_id") or rec.get("investor_name") or rec.get("credit_code"):
        try:
            fid, info = _firm_ref(rec, ctx, "investor_id", "investor_name", "credit_code")
        except _Bad as e:
            if rec.get("investor_id"):
                raise
            fid, info = None, {"reason": f"investor not in the library ({e.args[0][1].split(':')[0]})"}
        if info.get("action") == "review":
            return {"firm_id": None, "name": rec["name"], **info}
    rec["investor_id"] = fid or ""
    if not rec.get("id"):
        key = f"{rec['name']}|{rec.get('investor_name', '')}|{rec.get('signed_on', '')}".encode()
        rec["id"] = "P-" + hashlib.sha1(key).hexdigest()[:8]
    return {"name": rec["name"], **_plan_keyed("projects", rec, ctx, fid or None, info)}


def _plan_contact(rec: dict, ctx: _Context) -> dict:
    fid, info = _firm_ref(rec, ctx, "firm_id", "firm", "credit_code")
    if fid is None:
        return {"firm_id": None, **info}
    for c in ("chain", "status"):
        if not rec.get(c):
            raise ctx.bad(c, "required, but empty")
    rec = {**rec, "firm_id": fid, "chain": _resolve_chain(rec, ctx),
           "updated_by": rec.get("updated_by") or ctx.author, "updated_at": rec.get("updated_at") or ctx.today.isoformat()}
    return _plan_keyed("followups", rec, ctx, fid, info)


_PLANNERS = {"firms": _plan_firm, "honours": _plan_honour, "relations": _plan_relation, "projects": _plan_project,
             "contacts": _plan_contact}


def _frames(ctx: _Context) -> dict[str, pd.DataFrame]:
    """The planned records as typed tables in the spec's column order."""
    records = {t: list(recs.values()) for t, recs in ctx.out.items()}
    changed = [r for fid, r in ctx.firms.items() if not _all_same(r, _stored(ctx, "firms", (fid,)))]
    if changed:
        records["firms"] = changed
    out = {}
    for table, recs in records.items():
        if not recs:
            continue
        spec = SPECS[table]
        df = pd.DataFrame(recs, columns=spec.names)
        for c in spec.columns:
            if c.kind == "float":
                df[c.name] = pd.to_numeric(df[c.name], errors="coerce").astype(float)
            elif c.kind == "int":
                df[c.name] = pd.to_numeric(df[c.name], errors="coerce").astype("Int64")
            elif c.kind == "bool":
                df[c.name] = df[c.name].fillna(False).astype(bool)
            else:
                df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), "").astype("str")
        out[table] = df
    return out


def _all_same(record: dict, stored: dict | None) -> bool:
    return stored is not None and all(_same(record.get(c), stored.get(c)) for c in SPECS["firms"].names)
