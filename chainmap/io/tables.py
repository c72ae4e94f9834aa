"""Parse and format the CSV tables of a workspace.

Pure functions over bytes and text: file handling lives in
:mod:`chainmap.io.workspace`. Users' spreadsheets arrive as UTF-8, UTF-8 with a
BOM (Excel's "CSV UTF-8") or GBK/GB18030 (Excel's default "CSV" on a Chinese
Windows), so :func:`decode_bytes` tries them in that order and reports which.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re

import numpy as np
import pandas as pd
from .._memo import Memo
from .errors import InputError, Problem
from .schemas import SPECS, TableSpec

__all__ = ["decode_bytes", "read_csv_strings", "coerce_table", "parse_table", "validate_table", "format_table", "empty_table", "with_optional_columns"]

_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f", ""}


def decode_bytes(data: bytes, file: str) -> tuple[str, str]:
    """Decode a text file, trying UTF-8 (with or without BOM), then GB18030.

    GB18030 is a superset of GBK and GB2312, so it reads every Chinese Excel
    export. Returns ``(text, encoding)``.

    Examples
    --------
    >>> decode_bytes("建滔".encode("gbk"), "a.csv")
    ('建滔', 'gb18030')
    >>> decode_bytes("\\ufeffid".encode("utf-8"), "a.csv")
    ('id', 'utf-8-sig')
    """
    try:
        enc = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        return data.decode(enc), enc
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            raise InputError([Problem(file, "cannot_decode", {"offset": utf8_error.start})]) from None


def read_csv_strings(text: str, file: str) -> pd.DataFrame:
    """A CSV text as a frame of stripped strings, indexed by the spreadsheet's row numbers (the header is row 1).

    Rows blank in every cell are dropped; a cut-off file, a broken quote or a row wider than the header is
    refused (:class:`~chainmap.io.errors.InputError` naming ``file`` and the row).

    Examples
    --------
    >>> read_csv_strings("名称,城市\\n 建滔 ,清远\\n,\\n生益,东莞\\n", "a.csv").to_dict("index")
    {2: {'名称': '建滔', '城市': '清远'}, 4: {'名称': '生益', '城市': '东莞'}}
    """
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise InputError([Problem(file, "cut_off_quoted")]) from None
        raise InputError([Problem(file, "broken_csv", {"error": str(e)})]) from None
    if not rows:
        raise InputError([Problem(file, "empty_file")])
    header = [h.strip() for h in rows[0]]
    if len(rows) > 1 and text and not text.endswith(("\n", "\r")) and len(rows[-1]) < len(header):
        # A data file always ends with a line break: a short last line without one was cut off.
        raise InputError([Problem(file, "cut_off_row", {"cells": len(rows[-1]), "width": len(header)}, row=len(rows))])
    problems = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
            problems.append(Problem(file, "row_width", {"cells": len(row), "width": len(header)}, row=n))
    if problems:
        raise InputError(problems)
    body = [(row + [""] * len(header))[: len(header)] for row in rows[1:]]
    df = pd.DataFrame(body, columns=header, dtype=object, index=range(2, len(body) + 2))
    df = df.apply(lambda s: s.str.strip())
    # Excel leaves rows that are blank in every cell: they carry no data.
    return df[(df != "").any(axis=1)] if len(df.columns) else df


def coerce_table(df: pd.DataFrame, spec: TableSpec, file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """String cells turned into the spec's types, and the problems of the cells that do not parse.

    Examples
    --------
    >>> from chainmap.io.schemas import SPECS
    >>> raw = pd.DataFrame({c: [""] for c in SPECS["teams"].names}).assign(id="team_sz", name_zh="深圳先锋队")
    >>> typed, problems = coerce_table(raw, SPECS["teams"], "teams.csv")
    >>> typed.loc[0, "id"], problems
    ('team_sz', [])
    """
    problems: list[Problem] = []
    out = {}
    for c in spec.columns:
        s = df[c.name].astype(object).fillna("").astype(str).str.strip()
        if c.kind in ("float", "int"):
            num = pd.to_numeric(s.str.replace(",", "", regex=False), errors="coerce")
            bad = (s != "") & num.isna()
            if c.kind == "int":
                bad |= num.notna() & (num != np.floor(num))
            for row, value in s[bad].items():
                problems.append(Problem(file, "not_whole_number" if c.kind == "int" else "not_number", {"value": value},
                                        row=row, column=c.name))
            num = num.where(~bad)
            out[c.name] = num.astype("Int64") if c.kind == "int" else num.astype(float)
        elif c.kind == "bool":
            low = s.str.lower()
            bad = ~low.isin(_TRUE | _FALSE)
            for row, value in s[bad].items():
                problems.append(Problem(file, "not_true_false", {"value": value}, row=row, column=c.name))
            out[c.name] = low.isin(_TRUE).astype(bool)
        else:
            out[c.name] = s.astype("str")
    return pd.DataFrame(out, index=df.index), problems


def _describe(check: str, value) -> tuple[str, dict]:
    """A failed schema check as a problem code and its values."""
    if check == "required" or check == "not_nullable":
        return "required", {}
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        return "duplicate_key", {"value": value}
    if check.startswith("isin("):
        allowed = re.findall(r"'([^']*)'", check)
        return "not_one_of", {"value": value, "allowed": [a for a in allowed if a]}
    if check == "date":
        return "not_a_date_like", {"value": value}
    if check == "slug":
        return "not_a_slug", {"value": value}
    m = re.match(r"(greater|less)_than_or_equal_to\((.*)\)", check)
    if m:
        return ("at_least" if m.group(1) == "greater" else "at_most"), {"bound": m.group(2), "value": value}
    return "fails_check", {"check": check, "value": value}


def validate_table(df: pd.DataFrame, spec: TableSpec, file: str | None = None) -> pd.DataFrame:
    """Check a typed table against its spec; raise :class:`InputError` naming rows.

    The DataFrame's index is taken as the row number reported in messages. A table that passed before in this
    process, the same cell for cell, is not checked again: its checked copy is handed out once more.
    """
    file = file or spec.file
    df = with_optional_columns(df, spec)
    content = _content_key(df)
    if content is None:
        return _validate(df, spec, file)
    # A workspace's tables are validated again on every load, write and re-read of the same data. The key is
    # the checks (the spec) and the content, not the file name: that is only in a refusal's words, never kept.
    key = (spec.name, spec.columns, spec.key, content)
    return _VALIDATED.get(key, lambda: _validate(df, spec, file).copy()).copy()


#: Tables that passed :func:`validate_table`, by their spec and content (see :func:`_content_key`).
_VALIDATED: Memo[pd.DataFrame] = Memo(kept=128)
_VALIDATED_MAX_ROWS = 5_000  # a listed-firm library is validated each time: rarely the same twice, and costly to hash and hold


def _content_key(df: pd.DataFrame) -> str | None:
    """A digest of ``df``: its columns, types, index and every cell; ``None`` for a table not to keep.

    Cells are hashed by value, and an object column's values by their text (``1`` and ``"1"`` alike), so a table
    is kept only when each object column holds text alone: a number among the text is checked every time.

    Examples
    --------
    >>> t = pd.DataFrame({"id": ["a", "b"], "x": [1.0, 2.0]})
    >>> _content_key(t) == _content_key(t.copy()), _content_key(t) == _content_key(t.assign(x=[1.0, 3.0]))
    (True, False)
    >>> _content_key(t.assign(id=["a", 1])) is None
    True
    """
    if len(df) > _VALIDATED_MAX_ROWS or not df.columns.is_unique:
        return None
    if any(pd.api.types.infer_dtype(df[c], skipna=False) not in ("string", "empty")
           for c, t in df.dtypes.items() if t == object):
        return None
    cells = pd.util.hash_pandas_object(df, index=True).to_numpy()
    layout = repr((list(df.columns), [str(t) for t in df.dtypes], str(df.index.dtype), df.index.names, len(df)))
    return hashlib.blake2b(layout.encode() + cells.tobytes(), digest_size=20).hexdigest()


def _validate(df: pd.DataFrame, spec: TableSpec, file: str) -> pd.DataFrame:
    import pandera.errors  # on first use: see TableSpec.schema

    try:
        return spec.schema.validate(df, lazy=True)
    except pandera.errors.SchemaErrors as e:
        fc = e.failure_cases
        problems = []
        for rec in fc.itertuples(index=False):
            row = None if rec.index is None or pd.isna(rec.index) else int(rec.index)
            if rec.check == "column_in_dataframe":
                problems.append(Problem(file, "missing_column", {"column": rec.failure_case}))
            else:
                problems.append(Problem(file, *_describe(str(rec.check), rec.failure_case), row=row, column=rec.column))
        # Duplicate compound keys are reported once per row, not once per column.
        seen, unique = set(), []
        for p in problems:
            k = (p.row, p.message) if p.code == "duplicate_key" else (p.row, p.column, p.message)
            if k not in seen:
                seen.add(k)
                unique.append(p)
        raise InputError(sorted(unique, key=lambda p: (p.row or 0))) from None


def with_optional_columns(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """``df`` with the spec's optional columns it lacks added blank, in the spec's column order.

    Missing cells (NaN, None) of optional text columns become blank too.

    Tables written before a column was added (the bundled ``seeds/firms.csv``
    has no ``credit_code``) keep loading unchanged.

    Examples
    --------
    >>> from chainmap.io.schemas import SPECS
    >>> df = empty_table("firms").drop(columns=["credit_code", "status"])
    >>> list(with_optional_columns(df, SPECS["firms"]).columns) == SPECS["firms"].names
    True
    """
    holes = [c.name for c in spec.columns if c.optional and c.kind in ("str", "date", "slug") and c.name in df.columns
             and df[c.name].isna().any()]
    if holes:  # rows added by code that does not know the column yet (an edit, a concat): blank
        df = df.assign(**{n: df[n].astype(object).where(df[n].notna(), "").astype(str) for n in holes})
    missing = [c for c in spec.columns if c.optional and c.name not in df.columns]
    if not missing:
        return df
    blank = {c.name: (pd.Series(np.nan, index=df.index, dtype=float) if c.kind in ("float", "int")
                      else pd.Series(False, index=df.index) if c.kind == "bool"
                      else pd.Series("", index=df.index, dtype=object).astype(str)) for c in missing}
    df = df.assign(**blank)
    known = [n for n in spec.names if n in df.columns]
    return df[known + [c for c in df.columns if c not in known]]


def parse_table(text: str, name: str, file: str | None = None) -> pd.DataFrame:
    """Parse one seed table from CSV text into a typed, validated DataFrame.

    Missing columns are an error; unknown extra columns too (they usually mean a
    misspelt header). Rows blank in every cell are skipped. The returned index
    is the spreadsheet row number (header = 1), so later checks can name rows.

    Examples
    --------
    >>> text = "link_id,assessed_on,method,source,notes\\npcb,2026-11-26,桌面核查,清远发布,\\n"
    >>> parse_table(text, "assessments")[["link_id", "assessed_on"]]
      link_id assessed_on
    2     pcb  2026-11-26
    """
    spec = SPECS[name]
    file = file or spec.file
    if len(text) > _PARSED_MAX_CHARS:
        return _parse_table(text, spec, file)
    # Kept per content (small tables only): a workspace's seed files are parsed again on every open and load
    # of the same folder; validating them is most of the cost. Callers get their own copy.
    key = hashlib.sha256(f"{name}\0{file}\0{text}".encode()).hexdigest()
    return _PARSED.get(key, lambda: _parse_table(text, spec, file)).copy()


#: Parsed seed tables by a digest of their name, file and text, see :func:`parse_table`.
_PARSED: Memo[pd.DataFrame] = Memo(kept=64)
_PARSED_MAX_CHARS = 2_000_000  # a national library is parsed each time rather than held twice


def _parse_table(text: str, spec: TableSpec, file: str) -> pd.DataFrame:
    raw = read_csv_strings(text, file)
    have = list(raw.columns)
    missing = [c.name for c in spec.columns if c.name not in have and not c.optional]
    extra = [c for c in have if c not in spec.names]
    problems = [Problem(file, "missing_column", {"column": c, "have": have}) for c in missing]
    problems += [Problem(file, "unknown_column", {"column": c, "expected": list(spec.names)}) for c in extra]
    if problems:
        raise InputError(problems)
    raw = with_optional_columns(raw, spec)
    typed, problems = coerce_table(raw[spec.names], spec, file)
    if problems:
        raise InputError(problems)
    return validate_table(typed, spec, file)


def empty_table(name: str) -> pd.DataFrame:
    """A table with no rows and the right columns and dtypes."""
    spec = SPECS[name]
    return coerce_table(pd.DataFrame(columns=spec.names, dtype=object), spec, spec.file)[0]


def format_table(df: pd.DataFrame, name: str) -> str:
    """Format a table as CSV text in the spec's column order.

    Booleans are written ``true``/``false`` and missing numbers as blank cells,
    so :func:`parse_table` reads back exactly the same table.
    """
    spec = SPECS[name]
    df = with_optional_columns(df, spec)
    out = pd.DataFrame(index=df.index)
    for c in spec.columns:
        s = df[c.name]
        if c.kind == "bool":
            out[c.name] = s.map({True: "true", False: "false"})
        elif c.kind in ("float", "int"):
            out[c.name] = s.map(lambda v: "" if pd.isna(v) else _num(v))
        else:
            out[c.name] = s
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _num(v) -> str:
    f = float(v)
    return str(int(f)) if f.is_integer() else repr(f)
