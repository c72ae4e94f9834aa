"""Write the layout corpus that tests/test_import_layout.py imports: spreadsheets as offices make them.

Run: ``python tests/data/make_layout_corpus.py`` (writes ``tests/data/layout/`` and its ``expected.json``).

Each file is one case of issue 12, or a combination of cases, with the
outcome expected of ``plan_import`` against the bundled workspace: the counts
of actions, the decisions the report must state (codes, with the Excel row
where a row is concerned), values of the planned firms, or the refusal's words.
Firms are real names of the bundled seeds (matched) and plausible new ones.
The .xls files are written with xlwt (the Excel 97-2003 format WPS and many
offices still save); an .et file is the same binary format under WPS's name.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
OUT = HERE / "layout"

NEW = ["铜陵华创新材料有限公司", "清远市恒昌精密五金有限公司", "佛冈县瑞丰电子科技有限公司", "英德市宏泰铝业有限公司",
       "江门市金盛达电子有限公司", "东莞市博远电路科技有限公司", "韶关市鑫源铜箔有限公司"]


class F(str):
    """A real formula cell (any other text starting with = is written as a text cell)."""


def xlsx(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None,
         hidden_rows: dict[str, list[int]] | None = None, hidden_sheets: tuple[str, ...] = ()) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
            for c in ws[ws.max_row]:
                if isinstance(c.value, str) and c.value.startswith("=") and not isinstance(c.value, F):
                    c.data_type = "s"  # text that looks like a formula, as a cell typed or pasted as text
        for m in (merges or {}).get(name, []):
            ws.merge_cells(m)
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
        if name in hidden_sheets:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(sheets: dict[str, list[list]], merges: dict[str, list[tuple[int, int, int, int]]] | None = None,
        hidden_rows: dict[str, list[int]] | None = None) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r in (hidden_rows or {}).get(name, []):  # Excel row numbers, as for xlsx
            ws.row(r - 1).hidden = True
        merged = {(r0, c0): (r1, c1) for r0, r1, c0, c1 in (merges or {}).get(name, [])}
        covered = {(r, c) for (r0, c0), (r1, c1) in merged.items() for r in range(r0, r1 + 1)
                   for c in range(c0, c1 + 1)} - set(merged)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if (i, j) in covered:
                    continue
                if (i, j) in merged:
                    r1, c1 = merged[(i, j)]
                    ws.write_merge(i, r1, j, c1, v)
                elif v is not None and v != "":
                    ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def wrong_dimension(data: bytes) -> bytes:
    """The same workbook with its sheet's dimension record claiming A1:B1 (as some exporters write)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B1"/>', body)
            out.writestr(item, body)
    return buf.getvalue()


def text(rows: list[list], delimiter: str, encoding: str) -> bytes:
    return "\r\n".join(delimiter.join(str(c) for c in r) for r in rows).encode(encoding) + b"\r\n"


FIRM_HEAD = ["企业名称", "所在城市", "所属环节", "营业收入"]


def cases() -> list[tuple[str, bytes, dict]]:
    out = []

    def add(name, data, **expect):
        out.append((name, data, expect))

    # -- reading --------------------------------------------------------------------------------------------
    body = [["建滔集团", "香港", "覆铜板", 56000], [NEW[0], "铜陵", "电子铜箔", 1230000]]
    add("old_binary.xls", xls({"企业名单": [["2026年目标企业名单"], ["单位：万元"], FIRM_HEAD, *body]}),
        kind="firms", encoding="xls", sheet="企业名单", actions={"updated": 1, "added": 1},
        revenue={"建滔集团": 5.6, NEW[0]: 123.0}, decisions=[["title_rows", None], ["unit", None]])
    add("wps_table.et", xls({"Sheet1": [[*FIRM_HEAD[:3], "营业收入（万元）"], *body]}), kind="firms", encoding="et",
        actions={"updated": 1, "added": 1}, revenue={NEW[0]: 123.0})
    rows = [FIRM_HEAD, *[[n, "清远", "", 100 + i] for i, n in enumerate(NEW)]]
    add("wrong_dimension.xlsx", wrong_dimension(xlsx({"目标企业": rows})), kind="firms",
        actions={"added": len(NEW)}, note="dimension record says A1:B1; every row and column is read")
    add("semicolon.csv", text([["企业名称", "营业收入（万元）", "所属环节"], ["生益科技", "1,200", "覆铜板"],
                               [NEW[1], "3,500", ""]], ";", "gb18030"),
        kind="firms", encoding="GB18030", delimiter=";", revenue={NEW[1]: 0.35})
    add("tabs.tsv", text([["企业名称", "所属环节"], ["生益科技", "覆铜板"], [NEW[2], "印制电路板"]], "\t", "utf-8-sig"),
        kind="firms", encoding="UTF-8-BOM", delimiter="\t", actions={"added": 1, "unchanged": 1})
    add("pipes.txt", text([["企业名称", "所属环节"], [NEW[3], "电子铜箔"]], "|", "utf-8"),
        kind="firms", encoding="UTF-8", delimiter="|", actions={"added": 1})

    # -- layout ---------------------------------------------------------------------------------------------
    add("total_rows.xlsx", xlsx({"企业": [FIRM_HEAD, ["建滔集团", "香港", "", 560], [NEW[0], "铜陵", "", 12],
                                         ["小计", "", "", 572], [NEW[1], "清远", "", 3], ["合 计", "", "", 575]]}),
        kind="firms", actions={"updated": 1, "added": 2}, decisions=[["total_row", 4], ["total_row", 6]],
        absent=["小计", "合 计"])
    proj_head = ["项目名称", "投资方", "所属产业链", "阶段", "计划总投资（亿元）"]
    add("project_totals.xlsx", xlsx({"项目台账": [["2026年签约项目"], proj_head,
                                                 ["高端覆铜板项目", "生益科技", "电子信息", "签约", 15],
                                                 ["电动车车架项目", "", "电动自行车", "洽谈", 2],
                                                 ["合计", "", "", "", 17]]}),
        kind="projects", actions={"added": 2}, decisions=[["total_row", 5]])
    add("unit_in_title.xlsx", xlsx({"企业": [["目标企业（单位：万元）"], ["企业名称", "营业收入"],
                                            ["建滔集团", 56000], [NEW[4], 1230000]]}),
        kind="firms", revenue={"建滔集团": 5.6, NEW[4]: 123.0}, decisions=[["unit", None]], unit="万元")
    add("unit_suffixes.csv", text([["企业名称", "营业收入万元人民币"], [NEW[5], "56000"]], ",", "utf-8"),
        kind="firms", revenue={NEW[5]: 5.6})
    add("unit_yi_header_wins.xlsx", xlsx({"企业": [["单位：万元"], ["企业名称", "营业收入（亿元）"], [NEW[6], 12]]}),
        kind="firms", revenue={NEW[6]: 12.0}, note="a column's own unit beats the sheet's")
    merged_rows = [FIRM_HEAD, *[[n, "清远", "覆铜板" if i == 0 else None, 10 + i] for i, n in enumerate(NEW[:5])]]
    add("merged_link.xlsx", xlsx({"企业": merged_rows}, merges={"企业": ["C2:C6"]}), kind="firms",
        actions={"added": 5}, links={n: "ccl" for n in NEW[:5]},
        decisions=[["merged_fill", 3], ["merged_fill", 6]])
    add("merged_link.xls", xls({"企业": merged_rows}, merges={"企业": [(1, 5, 2, 2)]}), kind="firms",
        actions={"added": 5}, links={n: "ccl" for n in NEW[:5]})
    add("hidden_rows.xlsx", xlsx({"企业": [FIRM_HEAD, [NEW[0], "", "", 1], [NEW[1], "", "", 2], [NEW[2], "", "", 3]]},
                                 hidden_rows={"企业": [3]}),
        kind="firms", actions={"added": 3}, decisions=[["hidden_row", 3]])
    add("hidden_rows_skipped.xlsx", xlsx({"企业": [FIRM_HEAD, [NEW[0], "", "", 1], [NEW[1], "", "", 2]]},
                                         hidden_rows={"企业": [3]}),
        kind="firms", options={"hidden": "skip"}, actions={"added": 1}, absent=[NEW[1]],
        decisions=[["hidden_row", 3]])
    add("hidden_rows.xls", xls({"企业": [FIRM_HEAD, [NEW[0], "", "", 1], [NEW[1], "", "", 2], [NEW[2], "", "", 3]]},
                               hidden_rows={"企业": [3]}),
        kind="firms", actions={"added": 3}, decisions=[["hidden_row", 3]])
    add("hidden_rows_skipped.xls", xls({"企业": [FIRM_HEAD, [NEW[0], "", "", 1], [NEW[1], "", "", 2]]},
                                       hidden_rows={"企业": [3]}),
        kind="firms", options={"hidden": "skip"}, actions={"added": 1}, absent=[NEW[1]],
        decisions=[["hidden_row", 3]])
    add("hidden_sheet.xlsx", xlsx({"旧版": [FIRM_HEAD, [NEW[3], "", "", 1], [NEW[4], "", "", 1]],
                                   "目标企业": [FIRM_HEAD, [NEW[0], "", "", 1]]}, hidden_sheets=("旧版",)),
        kind="firms", sheet="目标企业", actions={"added": 1}, decisions=[["sheet_skipped", None]])
    add("cover_sheet.xlsx", xlsx({"填表说明": [["企业名称", "填写企业全称"], ["所属环节", "按产业链环节填写"],
                                              ["营业收入", "单位：万元"]],
                                  "企业名单": [FIRM_HEAD, ["建滔集团", "", "", ""]]}),
        kind="firms", sheet="企业名单", actions={"unchanged": 1}, decisions=[["sheet_skipped", None]])
    add("blank_separators.csv", text([FIRM_HEAD, [NEW[0], "", "", ""], ["", "", "", ""], [NEW[1], "", "", ""],
                                      ["", "", "", ""], [NEW[2], "", "", ""], ["", "", "", ""]], ",", "utf-8"),
        kind="firms", actions={"added": 3}, decisions=[["blank_row", 3], ["blank_row", 5]],
        note="trailing blank rows are not reported")
    add("section_rows.xlsx", xlsx({"企业": [FIRM_HEAD, ["一、电子信息产业链"], [NEW[0], "", "覆铜板", ""],
                                            ["二、先进材料产业链"], [NEW[1], "", "电子铜箔", ""]]},
                                  merges={"企业": ["A2:D2", "A4:D4"]}),
        kind="firms", actions={"added": 2}, decisions=[["section_row", 2], ["section_row", 4]])

    # -- formulas -------------------------------------------------------------------------------------------
    add("formula_text_cell.xlsx", xlsx({"企业": [["企业名称", "备注"], ["建滔集团", "=HYPERLINK(\"http://x\",\"官网\")"]]}),
        kind="firms", refused=["row 2", "备注", "would run as a formula"])
    add("formula_text_kept.xlsx", xlsx({"企业": [["企业名称", "备注"], [NEW[0], "=1+1"]]}), kind="firms",
        options={"formulas": "text"}, values={NEW[0]: {"notes": "'=1+1"}}, decisions=[["formula_text", 2]])
    add("formula_cell.xlsx", xlsx({"企业": [["企业名称", "营业收入（亿元）"], [NEW[0], F("=2*3")]]}), kind="firms",
        refused=["row 2", "营业收入（亿元）", "a formula (=2*3)"])
    add("formula_csv.csv", text([["企业名称", "备注"], [NEW[1], "@SUM(1)"]], ",", "utf-8"), kind="firms",
        refused=["row 2", "备注", "would run as a formula"])
    add("negative_is_a_number.csv", text([["企业名称", "备注"], [NEW[1], "-1"]], ",", "utf-8"), kind="firms",
        values={NEW[1]: {"notes": "-1"}})

    # -- combinations ---------------------------------------------------------------------------------------
    combo = [["清远市2026年电子信息产业链目标企业"], ["（金额单位：万元）"],
             ["基本信息", None, "产业链信息", None], FIRM_HEAD,
             ["建滔集团", "香港", "覆铜板", 56000], [NEW[0], "铜陵", None, 1230000], [],
             [NEW[1], "清远", "电子铜箔", 800], [NEW[2], "佛冈", None, 900], ["合计", "", "", 2087700]]
    add("combined.xlsx", xlsx({"填表说明": [["请按模板填写"]], "目标企业": combo},
                              merges={"目标企业": ["A3:B3", "C3:D3", "C5:C6", "C8:C9"]},
                              hidden_rows={"目标企业": [9]}),
        kind="firms", sheet="目标企业", actions={"updated": 1, "added": 3},
        revenue={"建滔集团": 5.6, NEW[0]: 123.0, NEW[2]: 0.09}, links={NEW[0]: "ccl", NEW[2]: "copper_foil"},
        decisions=[["sheet_skipped", None], ["title_rows", None], ["unit", None], ["merged_fill", 6],
                   ["blank_row", 7], ["hidden_row", 9], ["merged_fill", 9], ["total_row", 10]])
    add("combined.xls", xls({"说明": [["填表说明：金额单位万元"]], "目标企业": combo},
                            merges={"目标企业": [(4, 5, 2, 2), (7, 8, 2, 2)]}),
        kind="firms", sheet="目标企业", actions={"updated": 1, "added": 3}, encoding="xls",
        revenue={"建滔集团": 5.6, NEW[2]: 0.09}, links={NEW[0]: "ccl", NEW[2]: "copper_foil"},
        decisions=[["unit", None], ["merged_fill", 6], ["blank_row", 7], ["total_row", 10]])
    add("combined_semicolon_gbk.csv",
        text([["目标企业", "", "单位：万元"], ["企业名称", "营业收入", "所属环节"], ["建滔集团", "56000", "覆铜板"],
              ["", "", ""], [NEW[3], "3000", ""], ["小 计", "59000", ""]], ";", "gb18030"),
        kind="firms", delimiter=";", encoding="GB18030", revenue={"建滔集团": 5.6, NEW[3]: 0.3},
        decisions=[["unit", None], ["blank_row", 4], ["total_row", 6]])
    return out


def main() -> None:
    OUT.mkdir(exist_ok=True)
    expected = {}
    for name, data, expect in cases():
        (OUT / name).write_bytes(data)
        expected[name] = expect
    (OUT / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(expected)} files and expected.json to {OUT}")


if __name__ == "__main__":
    main()
