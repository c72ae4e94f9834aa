"""Spreadsheets as offices make them, through the one import pipeline (issue 12).

The corpus in ``tests/data/layout/`` is written by ``tests/data/make_layout_corpus.py``
with the expected outcome of each file in ``expected.json``: old .xls and WPS
.et, a wrong dimension record, ``;``/tab/``|`` delimiters, 合计 rows, units in
a title row or a header, vertically merged cells, hidden rows and sheets, a
cover sheet, blank and section rows, the formula policy, and combinations.
Two real downloads from the exchanges are read from ``../shared`` when present.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from chainmap.io import InputError
from chainmap.io.importing import plan_import
from chainmap.io.importing.headers import header_map
from chainmap.io.importing.sheets import read_sheet

DATA = Path(__file__).parent / "data" / "layout"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 26)
LISTED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "listed"


def _plan(name: str, tables):
    e = EXPECTED[name]
    return plan_import((DATA / name).read_bytes(), e["kind"], name, tables, today=TODAY, **e.get("options", {}))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_imports_as_expected(name, bundled):
    e = EXPECTED[name]
    if "refused" in e:
        with pytest.raises(InputError) as err:
            _plan(name, bundled)
        for words in e["refused"]:
            assert words in str(err.value), (words, str(err.value))
        return
    p = _plan(name, bundled)
    assert not p.problems, [str(x) for x in p.problems]
    counts = {a: n for a, n in p.counts().items() if n}
    if "actions" in e:
        assert counts == e["actions"]
    for key, attr in (("encoding", "encoding"), ("sheet", "sheet")):
        if key in e:
            assert getattr(p, attr) == e[key]
    if "delimiter" in e:
        assert ((p.decisions["code"] == "delimiter") & (p.decisions["value"] == e["delimiter"])).any()
    got = {(c, None if pd.isna(r) else int(r)) for c, r in zip(p.decisions["code"], p.decisions["row"])}
    for code, row in e.get("decisions", []):
        if row is None:
            assert any(c == code for c, _ in got), (code, p.describe("en"))
        else:
            assert (code, row) in got, (code, row, p.describe("en"))
    firms = p.upserts.get("firms")
    by_name = firms.set_index("name_zh") if firms is not None else None
    ids = dict(zip(p.report["name"], p.report["firm_id"]))
    for firm, yi in e.get("revenue", {}).items():
        fid = ids[firm]
        assert float(firms.set_index("id").loc[fid, "revenue_yi"]) == pytest.approx(yi), firm
    for firm, link in e.get("links", {}).items():
        ops = p.upserts["operations"]
        assert link in set(ops.loc[ops["firm_id"] == ids[firm], "link_id"]), firm
    for firm, cols in e.get("values", {}).items():
        for col, v in cols.items():
            assert by_name.loc[firm, col] == v
    for text in e.get("absent", []):
        assert text not in set(p.report["name"])
        assert by_name is None or text not in by_name.index
    if e["kind"] == "projects" and "actions" in e:
        assert len(p.upserts["projects"]) == e["actions"].get("added", 0) + e["actions"].get("updated", 0)


def test_every_decision_is_said_in_both_languages(bundled):
    p = _plan("combined.xlsx", bundled)
    zh, en = p.describe("zh"), p.describe("en")
    assert len(zh) == len(en) == len(p.decisions)
    assert "使用工作表「目标企业」" in zh and "跳过工作表「填表说明」（填表说明）" in zh
    assert "「营业收入」按万元计（标题行说明），已换算为亿元" in zh
    assert "第 10 行是合计行（企业名称：合计），未导入" in zh
    assert "第 6 行「所属环节」取自第 5 行的合并单元格" in zh
    assert "row 9: hidden, imported" in en
    layout = p.report_for("zh").set_index("行" if False else "row")["layout"]
    assert "合并单元格" in layout.loc[6] and "隐藏行" in layout.loc[9] and layout.loc[8] == ""


def test_hidden_sheet_is_used_only_when_no_visible_one_fits(bundled):
    from openpyxl import Workbook
    import io

    wb = Workbook()
    wb.active.title = "封面图"
    wb.active.append(["清远市招商局"])
    ws = wb.create_sheet("数据")
    ws.append(["企业名称"])
    ws.append(["建滔集团"])
    ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    p = plan_import(buf.getvalue(), "firms", "a.xlsx", bundled, today=TODAY)
    assert p.sheet == "数据" and "使用工作表「数据」（隐藏工作表）" in p.describe("zh")
    with pytest.raises(InputError, match="no sheet to import: '封面图' is a cover sheet, '数据' is hidden"):
        plan_import(buf.getvalue(), "firms", "a.xlsx", bundled, today=TODAY, hidden="skip")


def test_a_minus_one_is_never_matched_to_plus_one(bundled):
    from chainmap.store import Edit
    from chainmap.store.memory import MemoryStore

    store = MemoryStore(bundled)
    first = plan_import("企业名称\n+1\n".encode(), "firms", "a.csv", store.tables(), today=TODAY)
    store.write({t: Edit(upsert=df) for t, df in first.upserts.items()}, author="t", action="import")
    second = plan_import("企业名称\n-1\n".encode(), "firms", "b.csv", store.tables(), today=TODAY)
    assert second.report["action"].tolist() == ["added"]
    assert second.upserts["firms"]["name_zh"].tolist() == ["-1"]


def _listed(name: str) -> Path:
    path = LISTED / name
    if not path.is_file():
        pytest.skip(f"{path} is absent: the exchange downloads live in shared/data/listed beside the repository")
    return path


def test_szse_download_with_a_wrong_dimension_record_is_read_whole():
    path = _listed("szse_A股列表_2025-10.xlsx")
    hmap, _ = header_map("firms")
    sheet = read_sheet(path.read_bytes(), path.name, hmap)
    rows = list(sheet.rows())
    assert sheet.name == "A股列表" and rows[0][1] == "公司全称" and len(rows[0]) == 22
    assert len(rows) > 2000, "every listed firm, not just the first row the dimension record claims"
    assert rows[1][4] == "000001", "stock codes keep their leading zeros"


def test_sse_old_binary_xls_is_read(bundled):
    path = _listed("sse_GPLIST_mainboard.xls")
    data = path.read_bytes()
    sheet = read_sheet(data, path.name, header_map("firms")[0])
    rows = list(sheet.rows())
    assert sheet.encoding == "xls" and rows[0][:3] == ["A股代码", "B股代码", "证券简称"] and len(rows) > 1000
    # As a firms import: recognised as the SSE list by its headers (issue 13), no mapping needed.
    p = plan_import(data, "firms", path.name, bundled, today=TODAY)
    assert p.source[0] == "上交所股票列表"
    assert len(p.report) == len(rows) - 1 and "-" not in set(p.upserts["firms"]["name_zh"])


def test_skipping_hidden_never_reads_a_hidden_sheet_even_when_it_is_the_only_one(bundled):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "填表说明"
    wb.active.append(["企业名称", "填写全称"])
    ws = wb.create_sheet("数据")
    ws.append(["企业名称"])
    ws.append(["建滔集团"])
    ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError, match="no sheet to import: '填表说明' is a cover sheet, '数据' is hidden"):
        plan_import(buf.getvalue(), "firms", "a.xlsx", bundled, today=TODAY, hidden="skip")
    assert plan_import(buf.getvalue(), "firms", "a.xlsx", bundled, today=TODAY).sheet == "数据"


def test_streamed_xlsx_rows_read_as_calamine_reads_them():
    """The bounded-memory xlsx reader gives the cells calamine gives: strings, numbers, dates, flags, gaps."""
    import io

    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from chainmap.io.importing.cells import cell_text
    from chainmap.io.importing.xlsx_stream import open_book

    wb = Workbook()
    ws = wb.active
    ws.append(["企业名称", "成立日期", "营业收入", "上市", "备注"])
    ws.append(["A&B <电子> 有限公司", dt.datetime(2021, 3, 8), 56000, True, "第一行\n第二行"])
    ws.append(["建滔（佛冈）积层板有限公司", dt.date(1999, 11, 10), 1.25, False, None])
    ws.append([])
    ws.append([None, None, -3.5, None, "'=1"])
    ws["F7"] = "远处的格子"
    ws["B3"].number_format = "yyyy\"年\"m\"月\"d\"日\""
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    book = open_book(data)
    mine = list(book.rows(book.sheets[0][1], set()))
    theirs = [[cell_text(v) for v in r] for r in
              CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)]
    assert len(mine) == len(theirs) == 7
    for a, b in zip(mine, theirs):
        assert a + [""] * (len(b) - len(a)) == b
    assert mine[1][:4] == ["A&B <电子> 有限公司", "2021-03-08", "56000", "true"]
    assert mine[2][1] == "1999-11-10" and mine[6][5] == "远处的格子"


@pytest.mark.parametrize("write_only", [False, True])
def test_streamed_xlsx_fast_chunks_read_as_the_general_reader(write_only, monkeypatch):
    """The one-regex reading of a chunk (issue 12) gives the cells, hidden rows and formulas the per-row reader
    gives, on shared strings (Excel's way) and inline strings (openpyxl's write-only way) alike; a chunk it cannot
    account for whole (a formula) goes to the general reader."""
    import io

    from openpyxl import Workbook

    from chainmap.io.importing import xlsx_stream
    from chainmap.io.importing.cells import Formula

    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("目标企业") if write_only else wb.active
    ws.append(["目标企业清单", None, None, "单位：万元"])
    ws.append(["企业名称", "成立日期", "营业收入", "上市", "备注"])
    for i in range(300):
        ws.append([f"清远市第{i}号&<电子>有限公司 ", dt.datetime(2020, 1, 1 + i % 28), 56000 + i / 4, i % 2 == 0,
                   None if i % 3 else "  第一行\n第二行"])
    if not write_only:
        ws.row_dimensions[7].hidden = True
        ws["G9"] = "远处的格子"
    buf = io.BytesIO()
    wb.save(buf)
    book = xlsx_stream.open_book(buf.getvalue())
    part = book.sheets[0][1]
    fast_chunks = []
    real = xlsx_stream._fast

    def counting(chunk):
        found = real(chunk)
        fast_chunks.append(found is not None)
        return found

    monkeypatch.setattr(xlsx_stream, "_fast", counting)
    hidden_fast: set[int] = set()
    fast = list(book.rows(part, hidden_fast))
    assert fast_chunks and all(fast_chunks), "the fast reading was used (the test can fail)"
    monkeypatch.setattr(xlsx_stream, "_fast", lambda chunk: None)
    hidden_slow: set[int] = set()
    slow = list(book.rows(part, hidden_slow))
    assert fast == slow and len(fast) == 302 and hidden_fast == hidden_slow == ({6} if not write_only else set())
    assert fast[2][:4] == ["清远市第0号&<电子>有限公司", "2020-01-01", "56000", "true"]
    # a formula in the chunk: read by the general reader, as a Formula
    ws2 = Workbook()
    ws2.active.append(["企业名称", "营业收入"])
    ws2.active.append(["建滔", "=1+2"])
    buf = io.BytesIO()
    ws2.save(buf)
    book = xlsx_stream.open_book(buf.getvalue())
    monkeypatch.setattr(xlsx_stream, "_fast", counting)
    fast_chunks.clear()
    rows = list(book.rows(book.sheets[0][1], set()))
    assert fast_chunks[0] is False and isinstance(rows[1][1], Formula) and rows[1][1] == "=1+2"


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith((".xlsx", ".xlsm")) and
                                        "refused" not in EXPECTED[n]))
def test_streamed_and_calamine_read_xlsx_plan_alike(name, bundled, monkeypatch):
    """A small xlsx is read by calamine, a large one streamed (sheets.STREAM_ABOVE): both give the same plan."""
    from chainmap.io.importing import sheets

    by_calamine = _plan(name, bundled)
    monkeypatch.setattr(sheets, "STREAM_ABOVE", -1)
    streamed = _plan(name, bundled)
    assert (streamed.sheet, streamed.encoding) == (by_calamine.sheet, by_calamine.encoding)
    pd.testing.assert_frame_equal(streamed.report, by_calamine.report)
    pd.testing.assert_frame_equal(streamed.decisions, by_calamine.decisions)
    assert sorted(streamed.upserts) == sorted(by_calamine.upserts)
    for t in streamed.upserts:
        pd.testing.assert_frame_equal(streamed.upserts[t], by_calamine.upserts[t])


@pytest.mark.parametrize("seed", range(3))
def test_streamed_xlsx_text_is_unescaped_as_html_does(seed):
    """The streaming reader's fast decoding of numeric character references (openpyxl writes every non-ASCII
    character as one) gives what html.unescape gives, for valid, invalid and odd references alike."""
    import html
    import random

    from chainmap.io.importing.xlsx_stream import _unescape

    rng = random.Random(seed)
    atoms = ["&#30446;", "&#x4E07;", "&#X4e07;", "&#65306;", ";", "&#", "&#;", "&#0;", "&#12", "&#1_2;", "&#+30446;",
             "&#３;", "&#128;", "&#55296;", "&#70000;", "&#65535;", "&#64976;", "&#33;", "&amp;", "&#xZZ;", "a", "目",
             " ", "2026-06"]
    for _ in range(20_000):
        s = "".join(rng.choice(atoms) for _ in range(rng.randint(0, 8)))
        assert _unescape(s) == html.unescape(s), s
