"""Reading the officers' own ledgers for the 项目信息库 import: the app goes through the one import pipeline.

``plan_import(..., "projects", ...)`` is what the app's import tab and its
project form call (``chainmap.app.projects``), and what ``chainmap import
projects`` calls: bytes in, a plan and its report, or one error listing every
bad cell (file, spreadsheet row, header as written) out.
"""
import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook

from chainmap.io import InputError
from chainmap.io.importing import HEADERS_ZH, plan_import
from chainmap.store import Edit

TODAY = dt.date(2026, 11, 26)


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plan(data, bundled, file="台账.xlsx", **kw):
    return plan_import(data, "projects", file, bundled, today=TODAY, **kw)


def test_chinese_headers_names_and_excel_dates_are_understood(bundled):
    data = xlsx([
        ["清远市2026年招商引资项目台账（截至11月）"],
        [],
        ["序号", "项目编号", "项目名称", "投资方", "产业链", "环节", "计划总投资(亿元)", "阶段", "签约时间", "动工时间",
         "所在县区", "园区", "责任单位", "线索来源单位"],
        [1, "P2026-201", "高端电子铜箔项目", "嘉元科技", "先进材料", "电子铜箔", 30, "已签约", dt.datetime(2026, 3, 8),
         None, "清城区", "", "清城区", "市招商先锋队（深圳）"],
        [2, "P2026-202", "两轮车锂电池包项目", "", "电动自行车", "锂电池包/BMS", "5.5", "洽谈", None, None, "佛冈县", "",
         "佛冈县", "佛冈县"],
    ])
    p = plan(data, bundled)
    assert p.report["row"].tolist() == [4, 5], "numbered as the spreadsheet numbers its rows"
    t = p.upserts["projects"].set_index("id")
    a, b = t.loc["P2026-201"], t.loc["P2026-202"]
    assert (a["chain"], a["link_id"], a["investor_id"], a["stage"], a["signed_on"]) == \
        ("materials", "copper_foil", "jiayuan", "签约", "2026-03-08")
    assert (b["chain"], b["link_id"], b["investor_id"], float(b["planned_yi"])) == ("ebike", "battery_pack", "", 5.5)
    assert a["county"] == "清城区" and a["lead_unit"] == "市招商先锋队（深圳）", "host and lead source kept apart"
    assert "第 1-2 行是标题行，已跳过" in p.describe("zh") and "未识别的列「序号」，已忽略" in p.describe("zh")


def test_amounts_in_wan_yuan_are_converted_to_yi(bundled):
    data = "项目编号,项目名称,产业链,阶段,计划总投资（万元）\nP1,车架项目,ebike,线索,\"12,000\"\n".encode()
    p = plan(data, bundled, "a.csv")
    assert float(p.upserts["projects"].loc[0, "planned_yi"]) == 1.2
    assert "「计划总投资（万元）」按万元计（表头自带），已换算为亿元" in p.describe("zh")


def test_english_column_names_work_too(bundled):
    head = list(bundled.projects.columns)
    row = [str(v) if v == v else "" for v in bundled.projects.iloc[0].tolist()]
    p = plan(",".join(head).encode() + b"\n" + ",".join(f'"{v}"' for v in row).encode() + b"\n", bundled, "p.csv")
    assert p.report["action"].tolist() == ["unchanged"] and not p.upserts


def test_missing_ids_are_made_stable(bundled):
    data = "项目名称,投资方,产业链,阶段,签约时间\n覆铜板项目,生益科技,电子信息,签约,2026-05\n".encode()
    first = plan(data, bundled, "a.csv").upserts["projects"].loc[0, "id"]
    again = plan(data, bundled, "b.csv").upserts["projects"].loc[0, "id"]
    assert first == again and re.fullmatch(r"P2026-\d{3}", first), first   # the ledger's own form, not a hash
    # Once saved, importing the same ledger again updates that project instead of adding a second one.
    from chainmap.store.memory import MemoryStore

    store = MemoryStore(bundled)
    store.write({"projects": Edit(upsert=plan(data, bundled, "a.csv").upserts["projects"])}, author="李明",
                action="import projects a.csv")
    again = plan(data, store.tables(), "a.csv")
    assert again.report["action"].tolist() == ["unchanged"] and not again.upserts


def test_gbk_csv_with_every_problem_listed_at_once(bundled):
    text = ("项目编号,项目名称,产业链,环节,计划总投资（亿元）,阶段,签约时间\r\n"
            "P1,智算中心项目,数字经济,,10,洽谈,\r\n"
            "P2,车架项目,电动自行车,车架,-5,线索,\r\n"
            "P3,铜箔项目,先进材料,铜箔A,8,在谈,2026/13/01\r\n")
    with pytest.raises(InputError) as e:
        plan(text.encode("gbk"), bundled, "台账.csv")
    got = {(p.row, p.column) for p in e.value.problems}
    assert (2, "产业链") in got                       # unknown chain 数字经济
    assert (3, "计划总投资（亿元）") in got             # negative amount
    assert (4, "签约时间") in got or (4, "环节") in got  # the first bad cell of row 4 names it
    assert all(p.file == "台账.csv" for p in e.value.problems)
    assert "在谈" not in str(e.value), "在谈 is read as 洽谈"


def test_unknown_investor_id_is_refused_with_advice(bundled):
    data = "项目编号,项目名称,投资方编号,产业链,阶段\nP1,甲,no_such_firm,ebike,线索\n".encode()
    with pytest.raises(InputError, match="unknown firm id 'no_such_firm'"):
        plan(data, bundled, "a.csv")


def test_a_sheet_without_a_header_says_what_headers_it_expects(bundled):
    with pytest.raises(InputError, match="no header row.*项目编号"):
        plan(xlsx([["a", "b"], ["1", "2"]]), bundled)


def test_required_columns_are_named_in_chinese(bundled):
    with pytest.raises(InputError) as e:
        plan(xlsx([["项目名称", "投资方"], ["甲", "乙"]]), bundled)
    assert [(p.code, p.params["want"]) for p in e.value.problems] == [("missing_header", ["产业链"]),
                                                                        ("missing_header", ["阶段"])]
    assert [p.message.split(";")[0] for p in e.value.problems] == ["missing column '产业链'", "missing column '阶段'"]
    assert all(p.sheet for p in e.value.problems), "the sheet is named"


def test_the_reader_is_picked_by_content_not_by_name(bundled):
    head = ["项目编号", "项目名称", "产业链", "阶段"]
    by_xlsx = plan(xlsx([head, ["P1", "甲", "ebike", "线索"]]), bundled, "noname")
    by_csv = plan("\ufeff项目编号,项目名称,产业链,阶段\nP1,甲,ebike,线索\n".encode(), bundled, "a.xlsx")
    assert by_xlsx.encoding == "xlsx" and by_csv.encoding == "UTF-8-BOM"
    assert by_xlsx.upserts["projects"]["id"].tolist() == by_csv.upserts["projects"]["id"].tolist() == ["P1"]
    for junk in (b"\xd0\xcf\x11\xe0 old excel", b"PK\x03\x04 broken"):
        with pytest.raises(InputError, match="not a readable workbook"):
            plan(junk, bundled, "台账.xls")


def test_the_export_headers_import_back(bundled):
    """The ledger the app exports (Chinese headers, chain and link names) imports back unchanged."""
    from chainmap.io.export import xlsx_bytes

    p = bundled.projects
    links = dict(zip(bundled.links["id"], bundled.links["name_zh"]))
    chains = dict(zip(bundled.chains["id"], bundled.chains["name_zh"]))
    shown = p.assign(chain=p["chain"].map(chains), link_id=p["link_id"].map(lambda v: links.get(v, v)))
    shown = shown.rename(columns=HEADERS_ZH["projects"])
    back = plan(xlsx_bytes({"项目台账": shown}), bundled, "export.xlsx")
    assert set(back.report["action"]) == {"unchanged"} and len(back.report) == len(p) and not back.upserts


# ------------------------------------------------------------------ the 数据导入 page (chainmap/app/imports.py)
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from chainmap.cli import main as cli_main  # noqa: E402
from tests.conftest import saved  # noqa: E402

DATA = Path(__file__).parent / "data"
SZSE = Path(__file__).resolve().parents[2] / "shared" / "data" / "listed" / "szse_A股列表_2025-10.xlsx"


def _import_page():
    from chainmap.app.imports import page

    page()


def import_page(ws, monkeypatch) -> AppTest:
    """The import page on its own, on the workspace folder ``ws`` (made from the bundled data on first use)."""
    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(ws))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    at = AppTest.from_function(_import_page, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, kind: str, path: Path) -> AppTest:
    at.selectbox(key="im_kind").set_value(kind).run()
    at.file_uploader[0].upload(path.name, path.read_bytes()).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_import_page_previews_in_chinese_then_saves_what_the_cli_saves(tmp_path, monkeypatch, capsys,
                                                                       workspace_copy):
    app_ws, cli_ws = tmp_path / "app", workspace_copy
    at = upload(import_page(app_ws, monkeypatch), "firms", DATA / "company_db_export.csv")
    shown = " ".join(e.value for e in at.success) + " ".join(c.value for c in at.caption)
    assert "识别为：企业库导出" in shown or "识别为" in shown, shown
    assert "新增" in shown, shown
    before = saved(app_ws).firms
    assert not (before["source"].str.contains("company_db_export.csv")).any(), "a preview saves nothing"
    go = next(b for b in at.button if b.key == "im_go")
    go.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已保存" in s.value for s in at.success), [s.value for s in at.success]
    code = cli_main(["--workspace", str(cli_ws), "import", "firms", str(DATA / "company_db_export.csv")])
    assert code in (0, None), capsys.readouterr().err
    by_app, by_cli = saved(app_ws), saved(cli_ws)
    for table in ("firms", "operations", "relations", "honours"):
        a = getattr(by_app, table).sort_values(list(getattr(by_app, table).columns[:2])).reset_index(drop=True)
        c = getattr(by_cli, table).sort_values(list(getattr(by_cli, table).columns[:2])).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, c, obj=table)
    assert len(by_app.firms) > len(before), "the export's new firms were saved"


def test_import_page_refuses_a_bad_file_with_its_cells_named_and_saves_nothing(tmp_path, monkeypatch):
    bad = tmp_path / "台账.csv"
    bad.write_text("项目名称,产业链,阶段,计划总投资(亿元)\n铜箔项目,先进材料,已签约,很多\n", encoding="utf-8")
    at = upload(import_page(tmp_path / "ws", monkeypatch), "projects", bad)
    assert any("台账.csv" in e.value and "1" in e.value for e in at.error), [e.value for e in at.error]
    table = at.dataframe[0].value
    assert "很多" in " ".join(table.astype(str).values.ravel()), table
    assert not [b for b in at.button if b.key == "im_go"]


@pytest.mark.parametrize("lang, words", [("zh", "不是金额：'待定'（应写作 3.5、1.2亿 或 12000万元）"),
                                         ("en", "not an amount: '待定' (expected e.g. 3.5, 1.2亿, 12000万元)")])
def test_import_page_says_a_bad_cell_in_the_users_language(tmp_path, monkeypatch, lang, words):
    bad = tmp_path / "台账.csv"
    bad.write_text("项目名称,产业链,阶段,计划总投资(亿元)\n铜箔项目,先进材料,已签约,待定\n", encoding="utf-8")
    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    at = AppTest.from_function(_import_page, default_timeout=120)
    # the language the officer chose and the kind a link preset (both owned values, kept in the URL)
    at.session_state["_own"] = {"lang": lang, "kind": "projects"}
    at.run().file_uploader[0].upload(bad.name, bad.read_bytes()).run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    assert table.iloc[0].tolist()[1:] == ["2", "计划总投资(亿元)", words], table


@pytest.mark.skipif(not SZSE.is_file(), reason=f"the real SZSE list is not at {SZSE} (lay shared/ beside the clone)")
def test_import_page_takes_the_real_szse_list(tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    at = upload(import_page(ws, monkeypatch), "firms", SZSE)
    assert any("识别为：深交所A股列表" in c.value for c in at.caption), [c.value for c in at.caption]
    next(b for b in at.button if b.key == "im_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    firms = saved(ws).firms
    codes = firms["stock_code"].str.split("|").explode()
    assert (codes.str.endswith(".SZ")).sum() > 2000, "the exchange's firms are in the library now"
