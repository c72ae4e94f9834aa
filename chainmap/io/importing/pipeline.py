"""The one import pipeline: bytes → sheet → header → body rows → values → firms → plan (and its report)."""
from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib

import pandas as pd

from ...model import Tables
from ..errors import InputError, Problem
from ..matching import AUTO_METHODS, FirmMatcher
from ..tables import decode_bytes
from .cells import FORMULA_POLICIES, Bad, Formula, Vocabulary, formula_like, values
from .headers import AMOUNT_COLUMNS, IMPORT_HEADERS, KINDS, header_at, header_map, lookup, merged_header, norm, \
    unit_note
from .layout import body_rows
from ..schemas import INACTIVE_STATUS
from .merging import Context, frames, put, stored_record
from .firms import Records
from .planners import PLANNERS
from .report import DECISION_COLUMNS, MAX_BYTES, ImportPlan, check_size
from .sheets import read_sheet
from .sources import add_codes, honour_of, prepare, recognise, source_headers, stock_firm, stock_index

__all__ = ["plan_import", "parse_mapping", "REQUIRED"]

_CHUNK_ROWS = 20_000  # rows whose names are matched in one batch

# Which input columns are required (any one of each group), per kind.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "firms": (("name_zh",),),
    "honours": (("firm", "firm_id", "credit_code"), ("list",)),
    "relations": (("src", "src_id"), ("dst", "dst_id"), ("type",)),
    "projects": (("name",), ("chain",), ("stage",)),
    "contacts": (("firm", "firm_id", "credit_code"), ("chain",), ("status",)),
}


def plan_import(data: bytes, kind: str, file: str, tables: Tables, *, today: dt.date,
                mapping: dict[str, str] | None = None, mapping_file: str = "mapping",
                accept_valid: bool = False, author: str = "", max_bytes: int = MAX_BYTES,
                formulas: str = "refuse", hidden: str = "keep", places=()) -> ImportPlan:
    """Plan importing one file of one kind into ``tables``; change nothing.

    Parameters
    ----------
    data : bytes
        The file's content: an xlsx/xlsm/xls/et workbook, or csv/tsv/txt text
        in UTF-8, UTF-8 with BOM or GBK/GB18030, delimited by ``,`` ``;`` tab
        or ``|``.
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
    formulas : {"refuse", "text"}
        A formula, or text that would run as one, is refused (with its row
        and column) or kept as text behind an apostrophe.
    hidden : {"keep", "skip"}
        Hidden rows are imported or left out (reported either way); ``skip``
        never reads a hidden sheet either.
    places : iterable of str, optional
        The workspace's own counties and parks (``City.places``), stripped from
        the front of firm names when matching them to the library.

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
    ...         "建滔（佛冈）积层板有限公司,91441821MA4UHXY81E,\\n天能,,\\n合计,,\\n").encode("gbk")
    >>> plan = plan_import(data, "firms", "目标企业.csv", tables, today=dt.date(2026, 11, 26),
    ...                    places=["佛冈县"])      # the workspace's counties (its city.toml)
    >>> plan.encoding, plan.report["action"].tolist()
    ('GB18030', ['merged', 'added', 'review'])
    >>> plan.report["firm_id"].tolist(), plan.report.loc[2, "candidates"]
    (['kingboard', '91441821MA4UHXY81E', ''], 'tianneng_hk|tianneng_sh')
    >>> plan.upserts["relations"][["src", "dst", "type"]].values.tolist()
    [['91441821MA4UHXY81E', 'kblaminates', 'PART_OF']]
    >>> plan.describe()[-1]
    '第 5 行是合计行（企业名称：合计），未导入'
    """
    if kind not in KINDS:
        raise InputError([Problem(file, "unknown_kind", {"kind": kind, "kinds": list(KINDS)})])
    if formulas not in FORMULA_POLICIES or hidden not in ("keep", "skip"):
        raise ValueError(f"formulas must be one of {FORMULA_POLICIES} and hidden 'keep' or 'skip'")
    check_size(len(data), file, max_bytes)
    hmap, bad = header_map(kind, mapping)
    if bad:
        columns = IMPORT_HEADERS[kind]
        raise InputError([Problem(mapping_file, "mapping_unknown_column", {"column": ours, "kind": kind,
                                                                           "columns": list(columns)}, column=theirs)
                          for theirs, ours in bad])
    # Headers of the known sources (exchange lists, classification tables, honours lists) find their header row
    # too; once the source is recognised, its own meaning of each header applies.
    detect = dict(hmap)
    for h, c in source_headers(kind).items():
        detect.setdefault(h, c)
    sheet = read_sheet(data, file, detect, hidden=hidden)
    decisions: list[tuple] = []

    def decide(row, code, column="", value="", detail=""):
        decisions.append((row, code, column, value, detail))

    if sheet.name:
        decide(None, "sheet", "", sheet.name, "hidden" if sheet.hidden else "")
    for name, why in sheet.skipped:
        decide(None, "sheet_skipped", "", name, why)
    if sheet.delimiter:
        decide(None, "encoding", "", sheet.encoding, "")
        decide(None, "delimiter", "", sheet.delimiter, "")
    head = sheet.head
    at, _ = header_at(head, detect)
    if at is None and not sheet.name and sheet.skipped:
        raise InputError([Problem(file, "no_sheet", {"skipped": [list(s) for s in sheet.skipped]})])
    if at is None:
        shown = "、".join(h[0] for h in list(IMPORT_HEADERS[kind].values())[:6])
        raise InputError([Problem(file, "no_header", {"expected": shown}, sheet=sheet.name or None)])
    header = merged_header(head, at)
    source = recognise(header, kind)
    if source is not None:
        decide(None, "source", "", source.zh, source.en)
        hmap = dict(hmap)
        hmap.update({norm(h): c for c, hs in source.headers.items() for h in hs})
    two_rows = at > 0 and any(not str(c).strip() for c in head[at]) and header != [str(c).strip() for c in head[at]]
    first_header = at if not two_rows else at - 1
    if first_header > 0:
        decide(None, "title_rows", "", f"1-{first_header}" if first_header > 1 else "1", "")
    decide(None, "header", "", f"{first_header + 1}-{at + 1}" if two_rows else str(at + 1), "")
    # A unit stated for the sheet: in a title row, or in a cell of the header row that names no column.
    sheet_unit, unit_from = None, ""
    for i in range(at):
        u = unit_note(head[i])
        if u:
            sheet_unit, unit_from = u, "title"
    cols: dict[str, int] = {}
    units: dict[str, str | None] = {}
    written: dict[str, str] = {}
    ignored, problems = [], []
    for j, h in enumerate(header):
        if not h:
            continue
        col, unit = lookup(hmap, h)
        if col is None:
            if unit_note([h]):
                sheet_unit, unit_from = unit_note([h]), "note"
            else:
                ignored.append(h)
        elif col in cols:
            problems.append(Problem(file, "same_column_twice", {"column": col, "first": written[col], "second": h},
                                    row=at + 1, column=h, sheet=sheet.name or None))
        elif unit == "foreign":
            problems.append(Problem(file, "foreign_currency", row=at + 1, column=h, sheet=sheet.name or None))
        else:
            cols[col], units[col], written[col] = j, unit, h
    implied = set()
    if source is not None:
        implied |= {"list"} if source.honour else set()
        implied |= {"name_zh"} if {"short_name", "full_name"} & set(cols) else set()
        implied |= {"firm"} if "name_zh" in cols else set()
    for group in REQUIRED[kind]:
        if not any(c in cols or c in implied for c in group):
            problems.append(Problem(file, "missing_header", {"want": [IMPORT_HEADERS[kind][c][0] for c in group],
                                                             "header_row": at + 1, "have": [h for h in header if h]},
                                    sheet=sheet.name or None))
    if problems:
        raise InputError(problems)
    for h in ignored:
        decide(None, "ignored_column", h, "", "")
    for c in cols:
        if c in AMOUNT_COLUMNS:
            if units[c]:
                decide(None, "unit", written[c], units[c], "header")
            elif sheet_unit:
                units[c] = sheet_unit
                decide(None, "unit", written[c], sheet_unit, unit_from)

    ctx = Context(kind, file, tables, today, author, Vocabulary.from_tables(tables, firm_names=False),
                  FirmMatcher(tables.firms[["id", "name_zh", "name_en", "aliases"]], tables.relations, places=places),
                  written,
                  firms=Records())
    rows, names, actions, firm_ids, reasons, candidates = [], [], [], [], [], []
    problems = []
    width = len(header)
    labels = {j: written[c] for c, j in cols.items()}
    planner = PLANNERS[kind]
    codes = None  # stock code → firms holding it (built on the first row that names one)
    # Rows are taken a chunk at a time, so that the chunk's distinct names are matched in one batch; the layout
    # decisions of the chunk's rows are kept back and put in their places between the rows' own.
    layout: list[tuple] = []
    named = [cols[c] for c in ("name_zh", "firm", "full_name", "short_name") if c in cols]

    def chunked():
        rows_in = body_rows(sheet, at, width, labels, lambda *a, **k: layout.append((a, k)), hidden=hidden)
        while True:
            chunk = [(n, r, len(layout)) for n, r in itertools.islice(rows_in, _CHUNK_ROWS)]
            if not chunk:
                break
            ctx.matcher.prime(r[j] for _, r, _ in chunk for j in named if j < len(r) and r[j])
            yield from chunk
        yield None, None, len(layout)

    flushed = 0
    for n, r, mark in chunked():
        for a, k in layout[flushed:mark]:
            decide(*a, **k)
        flushed = mark
        if n is None:
            break
        cells = {c: (r[j] if j < len(r) else "") for c, j in cols.items()}
        try:
            if source is None:
                rec = values(cells, units, kind, today, formulas)
                line = planner(rec, ctx)
            else:
                rec, line, codes = _plan_source_row(source, cells, units, kind, today, formulas, ctx, codes)
            if kind == "firms" and rec.get("status") in INACTIVE_STATUS and line.get("firm_id"):
                decide(n, "inactive", "", rec["status"], line["firm_id"])
        except Bad as e:
            col, code, params = e.args[0]
            col = ctx.headers.get(col, col)
            problems.append(Problem(file, code, params, row=n, column=col, sheet=sheet.name or None))
            line = {"action": "rejected", "firm_id": None, "reason": ((code, params),), "name": _label(cells)}
        if formulas == "text":
            for c, v in cells.items():
                if isinstance(v, Formula) or formula_like(v):
                    decide(n, "formula_text", written[c], "", "")
        rows.append(n)
        names.append(line.get("name") or _label(cells))
        actions.append(line["action"])
        firm_ids.append(line.get("firm_id") or "")
        reasons.append(line.get("reason", ()))
        candidates.append(line.get("candidates", ""))
    del layout
    # What only planning rows needed goes before the tables are made (the matcher alone holds the library's keys
    # and their pair matrix: a few hundred MB of a 100,000-firm library, which the frames can now reuse).
    ctx.matcher = None
    ctx.new_keys.clear(), ctx.codes.clear(), ctx.shared.clear(), ctx.seen_links.clear()
    ctx.ops = None
    if problems and not accept_valid:
        raise InputError(problems)
    # Object columns keep the row's own strings (no copy into new string buffers: a million rows are held once).
    report = pd.DataFrame({"row": pd.array(rows, dtype="int64"), "name": pd.array(names, dtype=object),
                           "action": pd.array(actions, dtype=object), "firm_id": pd.array(firm_ids, dtype=object),
                           "reason": pd.array(reasons, dtype=object), "candidates": pd.array(candidates, dtype=object)},
                          columns=["row", "name", "action", "firm_id", "reason", "candidates"])
    del rows, names, actions, firm_ids, reasons, candidates
    decided = pd.DataFrame(decisions, columns=DECISION_COLUMNS)
    decided["row"] = decided["row"].astype("Int64")
    upserts = frames(ctx)
    return ImportPlan(kind, KINDS[kind], file, sheet.encoding, sheet.name, upserts, report, problems, decided)


def _plan_source_row(source, cells, units, kind, today, formulas, ctx, codes):
    """Plan one row of a recognised source: its cells made firm columns, the firm matched by credit code, then
    stock code (old and new BSE codes as one), then name; the honour the source gives (a MIIT or 500 list)."""
    year = values({"year": cells["year"]}, {}, "honours", today)["year"] if cells.get("year") else None
    honour = honour_of(source, cells, year)
    if kind == "honours":
        rec = values({"firm": cells.get("firm") or cells.get("name_zh", ""), "credit_code": cells.get("credit_code", "")}, units, kind,
                     today, formulas)
        rec.update({k: v for k, v in honour.items() if v is not None})
        if source.id in TOP_LISTS and rec.get("firm") and \
                ctx.matcher.match(rec["firm"], rec.get("credit_code") or None).method == "none":
            return rec, _add_listed_firm(rec, honour, source, ctx), codes
        return rec, PLANNERS[kind](rec, ctx), codes
    firm_cells, after = prepare(source, cells)
    rec = values(firm_cells, units, kind, today, formulas)
    rec.update(after)
    if rec.get("stock_code") and not rec.get("credit_code"):
        if codes is None:
            f = ctx.tables.firms
            codes = stock_index(f["id"], f["name_zh"], f["stock_code"])
        found = stock_firm(codes, rec["stock_code"], rec.get("name_zh", ""))
        rec["id"] = found or rec["stock_code"].split("|")[0]
        if not found:
            # A name like a firm listed under another code (中铝国际 and 中国铝业) is a listed firm of its own.
            m = ctx.matcher.match(rec.get("name_zh", ""))
            near = [m.firm_id] if m.method in AUTO_METHODS else list(m.candidates) if m.review else []
            if near and all(_other_listing(ctx, c, rec["stock_code"]) for c in near):
                rec["own_listing"] = True
    rec["fill_only"] = True
    line = PLANNERS[kind](rec, ctx)
    fid = line.get("firm_id")
    if fid and rec.get("stock_code") and codes is not None:
        add_codes(codes, fid, rec.get("name_zh", ""), rec["stock_code"].split("|"))
    if fid and honour is not None:
        done, _ = put(ctx, "honours", {"firm_id": fid, **honour, "source": f"import: {ctx.file}"})
        if done == "added" and line["action"] == "unchanged":  # the row's news is its honour
            line = {**line, "action": "updated", "reason": line.get("reason", ()) + (
                ("honour_added", {"list": honour["list"], "detail": honour["detail"]}),)}
    return rec, line, codes


#: Lists whose firms are targets in their own right: one the library lacks is added with its honour.
TOP_LISTS = frozenset({"fortune500", "cn500"})


def _add_listed_firm(rec: dict, honour: dict, source, ctx) -> dict:
    """A firm of a 500 list that no library firm matches: a new firm (its name as the list writes it, English
    names kept as ``name_en`` too) with the list's honour; the reason says so."""
    name = rec["firm"]
    firm = {"name_zh": name, "source": f"{source.zh}: {ctx.file}"}
    if name.isascii():
        firm["name_en"] = name
    if rec.get("credit_code"):
        firm["credit_code"] = rec["credit_code"]
    line = PLANNERS["firms"](firm, ctx)
    fid = line["firm_id"]
    if fid:
        put(ctx, "honours", {"firm_id": fid, **{k: v for k, v in honour.items() if v is not None},
                             "source": f"import: {ctx.file}"})
        line = {**line, "reason": line.get("reason", ()) + (
            ("added_with_honour", {"list": honour["list"], "detail": honour.get("detail") or ""}),)}
    return line


def _a_codes(codes) -> set[str]:
    """A-share codes (SH, SZ, BJ; a BSE code by its last three digits, old and new alike)."""
    out = set()
    for x in str(codes or "").upper().split("|"):
        if re.fullmatch(r"\d{6}\.(SH|SZ)", x):
            out.add(x)
        elif re.fullmatch(r"\d{6}\.BJ", x):
            out.add("BJ:" + x[3:6])
    return out


def _other_listing(ctx, fid: str, codes: str) -> bool:
    """Whether firm ``fid`` holds A-share codes, none of them among ``codes``."""
    rec = ctx.firms.get(fid) or stored_record(ctx, "firms", (fid,)) or {}
    have = _a_codes(rec.get("stock_code")) | _a_codes(fid)
    return bool(have) and not (have & _a_codes(codes))


def _label(cells: dict[str, str]) -> str:
    for c in ("name_zh", "short_name", "full_name", "firm", "name", "src", "src_id", "firm_id", "credit_code"):
        if cells.get(c):
            dst = cells.get("dst") or cells.get("dst_id")
            return cells[c] + (f" → {dst}" if c in ("src", "src_id") and dst else "")
    return ""


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
            raise InputError([Problem(file, "not_valid_toml", {"error": str(e)})]) from None
        table = doc.get("columns", doc)
        bad = [k for k, v in table.items() if not isinstance(v, str)] if isinstance(table, dict) else ["columns"]
        if bad:
            raise InputError([Problem(file, "mapping_entry", {"entry": bad[0]})])
        return {str(k).strip(): v.strip() for k, v in table.items()}
    out = {}
    for n, r in enumerate(read_sheet(data, file, {}).rows(), start=1):
        cells = [c for c in r if c]
        if not cells:
            continue
        if n == 1 and norm(cells[0]) in ("header", "表头", "their_header", "原表头"):
            continue
        if len(cells) != 2:
            raise InputError([Problem(file, "mapping_row", row=n)])
        out[cells[0]] = cells[1]
    return out
