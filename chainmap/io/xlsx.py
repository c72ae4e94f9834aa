"""Read the spreadsheets officers keep: xlsx from Excel or WPS, and CSV in UTF-8 or GBK.

Officers' ledgers carry Chinese headers (项目名称, 计划总投资（亿元）, 签约时间 …),
write chains and links by name (电子信息, 覆铜板), type dates as ``2025/3/8`` or
``2025年3月``, put a title row above the header and leave out columns they do
not keep. :func:`table_from_rows` turns such rows into one validated table of
``seeds/SCHEMA.md``, reporting every bad cell at once with the file, the
spreadsheet row (as Excel numbers it) and the header as the user wrote it. It
is pure: bytes or rows in, a table or :class:`~chainmap.io.InputError` out;
nothing is saved here.

* :func:`parse_xlsx_table` reads an xlsx workbook (openpyxl), the first sheet
  that has a recognisable header row;
* :func:`parse_csv_table` reads CSV bytes (UTF-8, UTF-8 with BOM or GBK, see
  :func:`~chainmap.io.decode_bytes`);
* :func:`parse_upload` picks one of them by the file's content.

Headers are matched after normalising full-width brackets and spaces, so
``计划总投资(亿元)`` and ``计划总投资（亿元）`` are the same column. A header in
万元 is converted to 亿元. Unknown headers are ignored and listed in the notes.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from ..model import Tables
from .errors import InputError, Problem
from .schemas import SPECS
from .tables import decode_bytes, parse_table

__all__ = ["HEADERS_ZH", "Vocabulary", "Imported", "xlsx_rows", "csv_rows", "table_from_rows", "parse_xlsx_table",
           "parse_csv_table", "parse_upload", "normalise_date"]

#: The Chinese display header of every column, per table: what the app shows and
#: exports, and what an import accepts back.
HEADERS_ZH: dict[str, dict[str, str]] = {
    "projects": {
        "id": "项目编号", "name": "项目名称", "investor_id": "投资方编号", "investor_name": "投资方",
        "chain": "产业链", "link_id": "环节", "planned_yi": "计划总投资（亿元）", "stage": "阶段",
        "signing_kind": "签约类型", "signed_on": "签约时间", "started_on": "动工时间", "land_mu": "用地（亩）",
        "county": "所在县区", "park": "园区", "responsible_unit": "责任单位", "lead_unit": "线索来源单位",
        "completed_yi": "完成投资（亿元）", "source": "信息来源", "notes": "备注",
    },
}

# Other headers met in practice, per table and column.
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "projects": {
        "id": ("项目ID", "编号", "项目代码"),
        "investor_id": ("统一社会信用代码", "投资方统一社会信用代码", "企业编号"),
        "investor_name": ("投资方名称", "投资主体", "投资企业", "签约企业", "企业名称"),
        "chain": ("所属产业链", "产业链条", "产业"),
        "link_id": ("产业链环节", "所属环节", "环节名称"),
        "planned_yi": ("计划投资（亿元）", "总投资（亿元）", "投资额（亿元）", "计划总投资额（亿元）", "协议投资（亿元）",
                       "计划总投资"),
        "stage": ("项目阶段", "进度", "项目进度", "当前阶段"),
        "signing_kind": ("签约方式", "签约性质"),
        "signed_on": ("签约日期", "签约时间（年月日）"),
        "started_on": ("动工日期", "开工时间", "开工日期"),
        "land_mu": ("用地面积（亩）", "用地", "用地面积"),
        "county": ("县区", "县（市、区）", "所在县（市、区）", "承载地", "落户县区"),
        "park": ("所在园区", "落户园区"),
        "responsible_unit": ("跟进责任单位", "责任部门"),
        "lead_unit": ("线索来源", "引荐单位", "首谈单位", "信息来源单位"),
        "completed_yi": ("已完成投资（亿元）", "累计完成投资（亿元）", "完成投资"),
        "source": ("来源", "数据来源"),
        "notes": ("说明",),
    },
}
# Amount columns in 亿元 that a 万元 header converts into.
_WAN_ALIASES = {"planned_yi": ("计划总投资（万元）", "计划投资（万元）", "总投资（万元）", "投资额（万元）"),
                "completed_yi": ("完成投资（万元）", "已完成投资（万元）", "累计完成投资（万元）")}

_STAGE_SYNONYMS = {"已签约": "签约", "已注册": "注册", "已供地": "供地", "已动工": "动工", "开工": "动工", "已开工": "动工",
                   "在建": "动工", "已投产": "投产", "已达产": "达产", "在谈": "洽谈", "洽谈中": "洽谈", "储备": "线索"}
_KIND_SYNONYMS = {"首签": "首次签约", "新签": "首次签约", "新签约": "首次签约", "增资": "增资扩产", "扩产": "增资扩产",
                  "升级": "项目升级", "变更投资方": "投资方变更"}


def _norm(text: str) -> str:
    t = str(text).strip().replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", t).lower()


def _header_map(name: str) -> dict[str, tuple[str, float]]:
    """Normalised header → (column, factor to 亿元)."""
    out = {_norm(c): (c, 1.0) for c in SPECS[name].names}
    for c, h in HEADERS_ZH.get(name, {}).items():
        out[_norm(h)] = (c, 1.0)
    for c, hs in _ALIASES.get(name, {}).items():
        for h in hs:
            out.setdefault(_norm(h), (c, 1.0))
    if name in HEADERS_ZH:
        for c, hs in _WAN_ALIASES.items():
            for h in hs:
                out[_norm(h)] = (c, 1e-4)
    return out


@dataclass(frozen=True)
class Vocabulary:
    """Names users write for chains, links and firms, mapped to their ids.

    Keys are normalised (:func:`_norm`): ids, Chinese and English names and
    firm aliases all resolve.
    """

    chains: dict[str, str]
    links: dict[str, list[tuple[str, str]]]
    firms: dict[str, str]
    chain_names: dict[str, str] = field(default_factory=dict)
    firm_ids: frozenset = frozenset()
    link_ids: frozenset = frozenset()

    @classmethod
    def from_tables(cls, tables: Tables) -> "Vocabulary":
        chains = {}
        for cid, zh, en in zip(tables.chains["id"], tables.chains["name_zh"], tables.chains["name_en"]):
            for k in (cid, zh, en):
                if k:
                    chains[_norm(k)] = cid
        links: dict[str, list[tuple[str, str]]] = {}
        for lid, ch, zh, en in zip(tables.links["id"], tables.links["chain"], tables.links["name_zh"],
                                   tables.links["name_en"]):
            for k in dict.fromkeys(x for x in (lid, zh, en) if x):
                links.setdefault(_norm(k), []).append((lid, ch))
        firms = {}
        f = tables.firms
        for fid, zh, aliases in zip(f["id"], f["name_zh"], f["aliases"]):
            firms.setdefault(_norm(fid), fid)
            firms.setdefault(_norm(zh), fid)
            for a in (aliases or "").split("|"):
                if a.strip():
                    firms.setdefault(_norm(a), fid)
        return cls(chains, links, firms, dict(zip(tables.chains["id"], tables.chains["name_zh"])),
                   frozenset(f["id"]), frozenset(tables.links["id"]))


@dataclass
class Imported:
    """A validated table read from a user's file.

    ``table`` has the spec's columns and is indexed by spreadsheet row
    number; ``notes`` are things the user should know (ignored columns,
    converted units, generated ids, matched investors); ``headers`` maps each
    column to the header as the file wrote it.
    """

    table: pd.DataFrame
    notes: list[str]
    headers: dict[str, str]
    encoding: str = ""


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v).strip()


def xlsx_rows(data: bytes, file: str) -> list[list[list[str]]]:
    """Every sheet of an xlsx workbook as rows of text cells (dates as ``YYYY-MM-DD``).

    Formulas are read as their last computed value (``data_only``): the file
    is never evaluated.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    import zipfile

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise InputError([Problem(file, f"not a readable xlsx workbook ({type(e).__name__}); save it from Excel "
                                        f"or WPS as .xlsx, or as 'CSV UTF-8'")]) from None
    try:
        return [[[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets]
    finally:
        wb.close()


def csv_rows(data: bytes, file: str) -> tuple[list[list[str]], str]:
    """CSV bytes (UTF-8, UTF-8 with BOM, GBK/GB18030) as rows of text cells, and the encoding."""
    text, encoding = decode_bytes(data, file)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        raise InputError([Problem(file, f"broken CSV: {e}")]) from None
    return [[c.strip() for c in r] for r in rows], encoding


def normalise_date(text: str) -> str:
    """A date as users type it, written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; unknown forms unchanged.

    Examples
    --------
    >>> [normalise_date(s) for s in ["2025/3/8", "2025年3月", "2025.03.08", "2025-03-08 00:00:00", "2025年"]]
    ['2025-03-08', '2025-03', '2025-03-08', '2025-03-08', '2025']
    >>> normalise_date("明年")
    '明年'
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", t)
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?", t)
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}"
    m = re.fullmatch(r"(\d{4})\s*年?", t)
    if m:
        return m[1]
    return t


def _find_header(rows: list[list[str]], hmap: dict) -> int | None:
    for i, row in enumerate(rows[:10]):
        if sum(1 for c in row if _norm(c) in hmap) >= 2:
            return i
    return None


def table_from_rows(rows: list[list[str]], name: str, file: str, vocab: Vocabulary | None = None) -> Imported:
    """Turn spreadsheet rows (header included) into one validated table.

    Parameters
    ----------
    rows : list of list of str
        The sheet as text cells; the header is the first of the first ten rows
        with two or more known headers (rows above it, such as a title, are
        skipped).
    name : str
        The table (``projects`` for the 项目信息库).
    file : str
        The file name used in messages.
    vocab : Vocabulary, optional
        When given, chains, links and investors may be written by name; every
        chain, link and investor id is checked to exist; a blank investor id
        is filled when the investor's name matches one firm.

    Raises
    ------
    InputError
        Listing every problem (file, spreadsheet row, header as written,
        message); nothing is returned when any row is bad.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> vocab = Vocabulary.from_tables(MemoryStore.open().tables())
    >>> rows = [["2026年招商项目台账"],
    ...         ["项目名称", "投资方", "产业链", "环节", "计划总投资（万元）", "阶段", "签约时间", "所在县区", "序号"],
    ...         ["高端覆铜板项目", "生益科技", "电子信息", "覆铜板", "150000", "已签约", "2026/3/8", "佛冈县", "1"]]
    >>> imp = table_from_rows(rows, "projects", "台账.xlsx", vocab)
    >>> r = imp.table.loc[3]      # spreadsheet row 3: the title row and the header come first
    >>> r["chain"], r["link_id"], r["investor_id"], float(r["planned_yi"]), r["stage"], r["signed_on"]
    ('electronics', 'ccl', 'shengyi', 15.0, '签约', '2026-03-08')
    >>> rows[2][2] = "低空经济"
    >>> table_from_rows(rows, "projects", "台账.xlsx", vocab)
    Traceback (most recent call last):
    ...
    chainmap.io.errors.InputError: 台账.xlsx, row 3, column '产业链': unknown chain '低空经济' (known: 电动自行车, 电子信息, 先进材料)
    """
    spec = SPECS[name]
    hmap = _header_map(name)
    at = _find_header(rows, hmap)
    if at is None:
        known = "、".join(list(HEADERS_ZH.get(name, {}).values())[:6]) or ", ".join(spec.names[:6])
        raise InputError([Problem(file, f"no header row found in the first 10 rows; expected headers such as {known}")])
    header = rows[at]
    notes: list[str] = []
    cols: dict[str, int] = {}
    factor: dict[str, float] = {}
    headers: dict[str, str] = {}
    ignored = []
    problems: list[Problem] = []
    for j, h in enumerate(header):
        if not h.strip():
            continue
        hit = hmap.get(_norm(h))
        if hit is None:
            ignored.append(h)
            continue
        col, f = hit
        if col in cols:
            problems.append(Problem(file, f"two columns mean {col!r}: {headers[col]!r} and {h!r}", row=at + 1))
            continue
        cols[col], factor[col], headers[col] = j, f, h
    if ignored:
        notes.append("ignored columns: " + ", ".join(ignored))
    for c in spec.columns:
        if c.required and c.name not in cols and not (c.name == "id" and name == "projects"):
            problems.append(Problem(file, f"missing column {HEADERS_ZH.get(name, {}).get(c.name, c.name)!r}"))
    if problems:
        raise InputError(problems)

    body, numbers = [], []
    for k, r in enumerate(rows[at + 1:], start=at + 2):
        cells = [(r[cols[c]] if cols[c] < len(r) else "").strip() if c in cols else "" for c in spec.names]
        if any(cells):
            body.append(cells)
            numbers.append(k)
    df = pd.DataFrame(body, columns=spec.names, index=numbers, dtype=object)
    show = {c: headers.get(c, HEADERS_ZH.get(name, {}).get(c, c)) for c in spec.names}

    kinds = {c.name: c.kind for c in spec.columns}
    for c, kind in kinds.items():
        if kind == "date":
            df[c] = df[c].map(normalise_date)
        if kind == "float":
            df[c] = df[c].str.replace(r"\s*(亿元|亿|万元|万)$", "", regex=True)
    if name == "projects":
        df["stage"] = df["stage"].map(lambda s: _STAGE_SYNONYMS.get(s, s))
        df["signing_kind"] = df["signing_kind"].map(lambda s: _KIND_SYNONYMS.get(s, s))
        if "id" not in cols:
            def make_id(r):
                key = f"{r['name']}|{r['investor_name']}|{r['signed_on']}".encode()
                return "P-" + hashlib.sha1(key).hexdigest()[:8]
            df["id"] = df.apply(make_id, axis=1) if len(df) else df["id"]
            notes.append("no 项目编号 column: ids were made from name, investor and signing date "
                         "(the same row imported again gets the same id)")
        if vocab is not None:
            problems += _resolve_names(df, vocab, file, show, notes)

    # Type and range checks: the table's own validation, rows renumbered back to the sheet's.
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([spec.names, *df.to_numpy().tolist()])
    try:
        table = parse_table(text.getvalue(), name, file)
        table.index = numbers
    except InputError as e:
        table = None
        for p in e.problems:
            row = numbers[p.row - 2] if p.row is not None and 2 <= p.row < len(numbers) + 2 else p.row
            problems.append(Problem(file, p.message, row=row, column=show.get(p.column, p.column)))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    for c, f in factor.items():
        if f != 1.0:
            table[c] = table[c] * f
            notes.append(f"{headers[c]!r} converted from 万元 to 亿元")
    return Imported(table, notes, headers)


def _resolve_names(df: pd.DataFrame, vocab: Vocabulary, file: str, show: dict, notes: list) -> list[Problem]:
    """Chains, links and investors written by name → ids, in place; problems for unknown ones."""
    problems = []
    known_chains = ", ".join(vocab.chain_names.values())
    placeholder = next(iter(vocab.chain_names), "")
    matched = 0
    for row in df.index:
        chain = df.at[row, "chain"]
        if chain:
            cid = vocab.chains.get(_norm(chain))
            if cid is None:
                problems.append(Problem(file, f"unknown chain {chain!r} (known: {known_chains})", row=row,
                                        column=show["chain"]))
                cid = placeholder  # keeps the other checks of the row running
            df.at[row, "chain"] = cid
        link = df.at[row, "link_id"]
        if link:
            hits = vocab.links.get(_norm(link), [])
            pick = [lid for lid, ch in hits if ch == df.at[row, "chain"]] or [lid for lid, _ in hits]
            if not pick:
                problems.append(Problem(file, f"unknown link {link!r}", row=row, column=show["link_id"]))
                df.at[row, "link_id"] = ""
            else:
                df.at[row, "link_id"] = pick[0]
        inv = df.at[row, "investor_id"]
        if inv:
            fid = vocab.firms.get(_norm(inv))
            if fid is None:
                problems.append(Problem(file, f"unknown firm {inv!r}: leave the id blank and write the investor's "
                                              f"name, or add the firm to the library first", row=row,
                                        column=show["investor_id"]))
            else:
                df.at[row, "investor_id"] = fid
        elif df.at[row, "investor_name"]:
            fid = vocab.firms.get(_norm(df.at[row, "investor_name"]))
            if fid is not None:
                df.at[row, "investor_id"] = fid
                matched += 1
    if matched:
        notes.append(f"{matched} investor(s) matched to firms of the library by name")
    return problems


def parse_xlsx_table(data: bytes, name: str, file: str, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """One table from an xlsx workbook: the first sheet with a recognisable header row.

    English column names and the Chinese display headers of :data:`HEADERS_ZH`
    (and common variants) are accepted; see :func:`table_from_rows`.

    Examples
    --------
    >>> from openpyxl import Workbook
    >>> wb = Workbook(); ws = wb.active
    >>> ws.append(["项目编号", "项目名称", "产业链", "阶段", "计划总投资（亿元）"])
    >>> ws.append(["P9", "铜箔项目", "materials", "洽谈", 12.5])
    >>> buf = io.BytesIO(); wb.save(buf)
    >>> t = parse_xlsx_table(buf.getvalue(), "projects", "a.xlsx")
    >>> t.loc[2, "id"], t.loc[2, "chain"], float(t.loc[2, "planned_yi"]), t.loc[2, "source"]
    ('P9', 'materials', 12.5, '')
    """
    return _first_sheet(xlsx_rows(data, file), name, file, vocab).table


def _first_sheet(sheets, name, file, vocab) -> Imported:
    hmap = _header_map(name)
    for rows in sheets:
        if _find_header(rows, hmap) is not None:
            return table_from_rows(rows, name, file, vocab)
    return table_from_rows(sheets[0] if sheets else [], name, file, vocab)


def parse_csv_table(data: bytes, name: str, file: str, vocab: Vocabulary | None = None) -> Imported:
    """One table from CSV bytes in UTF-8, UTF-8 with BOM or GBK; see :func:`table_from_rows`.

    Examples
    --------
    >>> data = "项目编号,项目名称,产业链,阶段,计划总投资（亿元）\\nP1,车架项目,ebike,线索,-3\\n".encode("gbk")
    >>> parse_csv_table(data, "projects", "台账.csv")
    Traceback (most recent call last):
    ...
    chainmap.io.errors.InputError: 台账.csv, row 2, column '计划总投资（亿元）': must be at least 0.0, got -3.0
    """
    rows, encoding = csv_rows(data, file)
    imp = table_from_rows(rows, name, file, vocab)
    imp.encoding = encoding
    return imp


def parse_upload(data: bytes, name: str, file: str, vocab: Vocabulary | None = None) -> Imported:
    """An uploaded xlsx or CSV file as one validated table, by its content (xlsx is a zip)."""
    if data[:4] == b"PK\x03\x04":
        imp = _first_sheet(xlsx_rows(data, file), name, file, vocab)
        imp.encoding = "xlsx"
        return imp
    if file.lower().endswith((".xls", ".et")):
        raise InputError([Problem(file, "old .xls/.et workbooks are not read: save as .xlsx or 'CSV UTF-8'")])
    return parse_csv_table(data, name, file, vocab)
