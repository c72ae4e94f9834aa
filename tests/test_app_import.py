"""Reading the officers' own ledgers (xlsx, CSV in UTF-8 or GBK) for the 项目信息库 import.

Pure functions of ``chainmap.io.xlsx``: bytes in, a validated table or one
error listing every bad cell (file, spreadsheet row, header as written) out.
"""
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from chainmap.io import InputError
from chainmap.io.xlsx import HEADERS_ZH, Vocabulary, parse_csv_table, parse_upload, parse_xlsx_table, table_from_rows


@pytest.fixture(scope="module")
def vocab(bundled):
    return Vocabulary.from_tables(bundled)


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_chinese_headers_names_and_excel_dates_are_understood(vocab):
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
    t = parse_xlsx_table(data, "projects", "台账.xlsx", vocab)
    assert list(t.index) == [4, 5], "indexed by the spreadsheet's own row numbers"
    a, b = t.loc[4], t.loc[5]
    assert (a["chain"], a["link_id"], a["investor_id"], a["stage"], a["signed_on"]) == \
        ("materials", "copper_foil", "jiayuan", "签约", "2026-03-08")
    assert (b["chain"], b["link_id"], b["investor_id"], float(b["planned_yi"])) == ("ebike", "battery_pack", "", 5.5)
    assert a["county"] == "清城区" and a["lead_unit"] == "市招商先锋队（深圳）", "host and lead source kept apart"


def test_amounts_in_wan_yuan_are_converted_to_yi(vocab):
    rows = [["项目编号", "项目名称", "产业链", "阶段", "计划总投资（万元）"], ["P1", "车架项目", "ebike", "线索", "12,000"]]
    imp = table_from_rows(rows, "projects", "a.csv", vocab)
    assert float(imp.table.loc[2, "planned_yi"]) == 1.2
    assert any("万元" in n for n in imp.notes)


def test_english_column_names_work_too(vocab, bundled):
    head = list(bundled.projects.columns)
    row = [str(v) if v == v else "" for v in bundled.projects.iloc[0].tolist()]
    imp = table_from_rows([head, row], "projects", "projects.csv", vocab)
    assert imp.table.loc[2, "id"] == bundled.projects.iloc[0]["id"]


def test_missing_ids_are_made_stable(vocab):
    rows = [["项目名称", "投资方", "产业链", "阶段", "签约时间"], ["覆铜板项目", "生益科技", "电子信息", "签约", "2026-05"]]
    first = table_from_rows(rows, "projects", "a.xlsx", vocab).table.loc[2, "id"]
    again = table_from_rows(rows, "projects", "b.xlsx", vocab).table.loc[2, "id"]
    assert first == again and first.startswith("P-")


def test_gbk_csv_with_every_problem_listed_at_once(vocab):
    text = ("项目编号,项目名称,产业链,环节,计划总投资（亿元）,阶段,签约时间\r\n"
            "P1,无人机项目,低空经济,,10,洽谈,\r\n"
            "P2,车架项目,电动自行车,车架,-5,线索,\r\n"
            "P3,铜箔项目,先进材料,铜箔A,8,在谈,2026/13/01\r\n"
            "P3,重复编号,先进材料,,1,线索,\r\n")
    with pytest.raises(InputError) as e:
        parse_csv_table(text.encode("gbk"), "projects", "台账.csv", vocab)
    got = {(p.row, p.column) for p in e.value.problems}
    assert (2, "产业链") in got                       # unknown chain 低空经济
    assert (3, "计划总投资（亿元）") in got             # negative amount
    assert (4, "环节") in got                         # unknown link 铜箔A
    assert (4, "签约时间") in got                     # 2026-13-01 is no date
    assert any("duplicate" in p.message for p in e.value.problems)
    assert all(p.file == "台账.csv" for p in e.value.problems)
    assert "在谈" not in str(e.value), "在谈 is read as 洽谈"


def test_unknown_investor_id_is_refused_with_advice(vocab):
    rows = [["项目编号", "项目名称", "投资方编号", "产业链", "阶段"], ["P1", "甲", "91440000XXXXXXXX", "ebike", "线索"]]
    with pytest.raises(InputError, match="leave the id blank"):
        table_from_rows(rows, "projects", "a.csv", vocab)


def test_a_sheet_without_a_header_says_what_headers_it_expects():
    with pytest.raises(InputError, match="no header row"):
        table_from_rows([["a", "b"], ["1", "2"]], "projects", "a.xlsx")


def test_required_columns_are_named_in_chinese():
    with pytest.raises(InputError) as e:
        table_from_rows([["项目名称", "投资方"], ["甲", "乙"]], "projects", "a.xlsx")
    assert {p.message for p in e.value.problems} >= {"missing column '产业链'", "missing column '阶段'"}


def test_upload_picks_the_reader_by_content(vocab):
    head = ["项目编号", "项目名称", "产业链", "阶段"]
    by_xlsx = parse_upload(xlsx([head, ["P1", "甲", "ebike", "线索"]]), "projects", "noname", vocab)
    by_csv = parse_upload("\ufeff项目编号,项目名称,产业链,阶段\nP1,甲,ebike,线索\n".encode(), "projects", "a.csv", vocab)
    assert by_xlsx.encoding == "xlsx" and by_csv.encoding == "utf-8-sig"
    assert by_xlsx.table.loc[2, "id"] == by_csv.table.loc[2, "id"] == "P1"
    with pytest.raises(InputError, match="xls"):
        parse_upload(b"\xd0\xcf\x11\xe0 old excel", "projects", "台账.xls")
    with pytest.raises(InputError, match="not a readable xlsx"):
        parse_upload(b"PK\x03\x04 broken", "projects", "台账.xlsx")


def test_the_export_headers_import_back(bundled, vocab):
    """The ledger the app exports (Chinese headers, chain and link names) imports back unchanged."""
    from chainmap.io.export import xlsx_bytes

    p = bundled.projects
    links = dict(zip(bundled.links["id"], bundled.links["name_zh"]))
    chains = dict(zip(bundled.chains["id"], bundled.chains["name_zh"]))
    shown = p.assign(chain=p["chain"].map(chains), link_id=p["link_id"].map(lambda v: links.get(v, v)))
    shown = shown.rename(columns=HEADERS_ZH["projects"])
    back = parse_xlsx_table(xlsx_bytes({"项目台账": shown}), "projects", "export.xlsx", vocab).reset_index(drop=True)
    for col in ("id", "chain", "link_id", "stage", "signed_on", "investor_id"):
        assert back[col].tolist() == p[col].tolist(), col
