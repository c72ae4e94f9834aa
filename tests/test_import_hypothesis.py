"""Random and malformed tables fed to every importer (hypothesis).

Properties: an importer either plans or raises :class:`InputError`, nothing
else; a refused import leaves the store as it was; and whatever it plans, the
store accepts (the plan passes the store's own validation). ``HYPOTHESIS_EXAMPLES=300``
runs a longer search (25 examples per test by default, to keep the suite fast).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from chainmap.io import InputError
from chainmap.io.importers import IMPORT_HEADERS, KINDS, plan_import
from chainmap.store import Edit
from chainmap.store.memory import MemoryStore

TODAY = dt.date(2026, 11, 26)
SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", 25)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_HEADERS = sorted({h for cols in IMPORT_HEADERS.values() for hs in cols.values() for h in hs})
_VALUES = ["建滔集团", "建滔（佛冈）积层板有限公司", "Kingboard Holdings", "天能", "生益科技", "电子信息", "electronics",
           "覆铜板", "电子铜箔", "电动两轮车整车", "低空经济", "1.2亿", "12,000万元", "3.5", "-3", "约5亿", "2025年3月1日",
           "2025/3/1", "2099-01-01", "=SUM(A1:A2)", "'=1", "单项冠军", "世界500强", "供应", "隶属", "已拜访", "签约",
           "91441821MA4UHXY81E", "91441800MA4W12345W", "", " ", "是", "2024", "2024.5", "nan", "None", "|", "\u200b"]
cell = st.one_of(st.sampled_from(_VALUES), st.sampled_from(_HEADERS), st.text(max_size=12))
row = st.lists(cell, min_size=0, max_size=7)
header = st.lists(st.one_of(st.sampled_from(_HEADERS), st.text(max_size=8)), min_size=1, max_size=7)
table = st.tuples(st.lists(row, max_size=2), header, st.lists(row, max_size=6))  # title rows, header, body
kinds = st.sampled_from(sorted(KINDS))


@pytest.fixture(scope="module")
def store():
    return MemoryStore.open()


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    for r in rows:
        wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in r])  # openpyxl cannot store those
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _import(store: MemoryStore, data: bytes, kind: str, accept_valid: bool, **options) -> None:
    """Plan and apply as ``chainmap import`` does; a refusal must leave the store as it was."""
    before = store.tables()
    try:
        plan = plan_import(data, kind, "随机.xlsx", before, today=TODAY, accept_valid=accept_valid, **options)
    except InputError as e:
        assert e.problems and all(p.file for p in e.problems)
        after = store.tables()
        for name, df in before.items():
            pd.testing.assert_frame_equal(getattr(after, name), df)
        return
    assert set(plan.report["action"]) <= {"added", "updated", "merged", "unchanged", "rejected", "review"}
    assert len(plan.describe("zh")) == len(plan.describe("en")) == len(plan.decisions)
    for df in plan.upserts.values():  # never a formula stored raw
        text = df.select_dtypes(include=["object", "string"])
        assert not text.map(lambda v: isinstance(v, str) and v[:1] == "=").to_numpy().any()
    if plan.upserts:
        store.write({t: Edit(upsert=df) for t, df in plan.upserts.items()}, author="hypothesis", action="import")
        store.load(before)  # back to the seeds for the next example


@SETTINGS
@given(t=table, kind=kinds, enc=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"]),
       accept=st.booleans())
def test_random_csv_tables(store, t, kind, enc, accept):
    title, head, body = t
    _import(store, _csv([*title, head, *body], enc), kind, accept)


@SETTINGS
@given(t=table, kind=kinds, accept=st.booleans())
def test_random_xlsx_tables(store, t, kind, accept):
    title, head, body = t
    _import(store, _xlsx([*title, head, *body]), kind, accept)


@SETTINGS
@given(data=st.one_of(st.binary(max_size=300), st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                      st.binary(max_size=200).map(lambda b: b"\xd0\xcf\x11\xe0" + b)), kind=kinds)
def test_random_bytes(store, data, kind):
    _import(store, data, kind, True)


@SETTINGS
@given(t=table, kind=kinds, cut=st.integers(min_value=0, max_value=2000))
def test_truncated_workbooks(store, t, kind, cut):
    title, head, body = t
    data = _xlsx([*title, head, *body])
    _import(store, data[: len(data) - cut], kind, True)


@st.composite
def recognised_table(draw):
    """A kind and a table under that kind's own headers (in any order), with cells from the messy values."""
    kind = draw(kinds)
    names = [hs[0] for hs in IMPORT_HEADERS[kind].values()]
    head = draw(st.lists(st.sampled_from(names), min_size=2, max_size=len(names), unique=True))
    body = draw(st.lists(st.lists(st.sampled_from(_VALUES), min_size=len(head), max_size=len(head)), max_size=6))
    return kind, [head, *body]


@SETTINGS
@given(t=recognised_table(), as_xlsx=st.booleans(), accept=st.booleans())
def test_recognised_headers_random_cells(store, t, as_xlsx, accept):
    kind, rows = t
    _import(store, _xlsx(rows) if as_xlsx else _csv(rows, "gb18030"), kind, accept)


def _xls(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("随机")
    done = set()
    for r0, r1, c0, c1 in merges:
        cells = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if cells & done:
            continue
        done |= cells
        v = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
        ws.write_merge(r0, r1, c0, c1, v[:200])
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if (i, j) not in done and v:
                ws.write(i, j, v[:200])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


merges = st.lists(st.tuples(st.integers(0, 8), st.integers(0, 3), st.integers(0, 5), st.integers(0, 2))
                  .map(lambda t: (t[0], t[0] + t[1], t[2], t[2] + t[3])), max_size=4)


@SETTINGS
@given(t=table, kind=kinds, m=merges, accept=st.booleans())
def test_random_xls_sheets_with_merges(store, t, kind, m, accept):
    title, head, body = t
    rows = [[c.replace("\x00", "") for c in r] for r in [*title, head, *body]]
    _import(store, _xls(rows, m), kind, accept)


@SETTINGS
@given(t=recognised_table(), m=merges, hidden=st.lists(st.integers(1, 8), max_size=3),
       formulas=st.sampled_from(["refuse", "text"]), skip=st.booleans())
def test_random_merges_and_hidden_rows_in_xlsx(store, t, m, hidden, formulas, skip):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    kind, rows = t
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in r])
    taken = set()
    for r0, r1, c0, c1 in m:
        cells = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            ws.merge_cells(f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}")
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    _import(store, buf.getvalue(), kind, True, formulas=formulas, hidden="skip" if skip else "keep")


@SETTINGS
@given(t=recognised_table(), delim=st.sampled_from([",", ";", "\t", "|"]),
       enc=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]), formulas=st.sampled_from(["refuse", "text"]))
def test_random_delimited_text(store, t, delim, enc, formulas):
    kind, rows = t
    buf = io.StringIO()
    csv.writer(buf, delimiter=delim).writerows(rows)
    _import(store, buf.getvalue().encode(enc, errors="replace"), kind, True, formulas=formulas)
