"""Write the messy sample files that tests/test_importers.py imports.

Run: ``.venv/bin/python tests/data/make_messy_workbook.py`` (writes next to this file).

The firm names are real variants of firms of ``seeds/firms.csv`` (建滔集团 as
建滔化工集团有限公司 and "Kingboard Holdings", its 佛冈 laminate plant, 生益科技's
full legal name, full-width ＢＹＤ …) plus firms the seeds do not hold. The
credit codes, revenues and project amounts are illustrative: made up, with a
valid GB 32100 check character. Everything an officer's spreadsheet does to an
importer is here: a title row, a header merged over two rows, blank rows,
万元 columns, amounts written with units, dates typed three ways, a formula,
invisible and control characters, a credit code given to two firms, a future
signing date, a negative amount and an unknown chain.
"""
from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from chainmap.io.names import uscc_check_char  # noqa: E402

HERE = Path(__file__).parent


def code(body: str) -> str:
    """An illustrative credit code: 17 characters and their check character."""
    return body + uscc_check_char(body)


FOGANG = code("91441821MA4UHXY81")  # illustrative code of 建滔（佛冈）积层板有限公司
TONGBO = code("91360700MA35G2K4X")  # illustrative code of 江西铜博科技股份有限公司

FIRMS = [  # 序号, 企业名称, 统一社会信用代码, 总部城市, 所属环节, 营业收入（万元）, 信息来源, 备注
    [1, "建滔集团", "", "香港", "覆铜板", "", "招商局摸排 2026-03", ""],
    [2, "建滔化工集团有限公司", "", "", "", "", "", "旧称"],
    None,
    [3, "建滔（佛冈）积层板有限公司", FOGANG, "清远", "覆铜板", "350,000", "illustrative: test workbook", "佛冈厂"],
    [4, "建滔(佛冈)积层板有限公司", "", "", "", "", "", "半角括号"],
    [5, "Kingboard Holdings", "", "", "", "", "", ""],
    [6, "广东生益科技股份有限公司", "", "东莞", "覆铜板", "", "", ""],
    [7, "ＢＹＤ", "", "", "", "", "", ""],
    [8, "天能", "", "", "", "", "", "两家天能"],
    [9, "江西铜博科技股份有限公司", TONGBO, "", "电子铜箔", "", "", "名似江西铜业"],
    [10, "铜陵华创新材料有限公司", "", "铜陵", "电子铜箔", "12,000", "illustrative: test workbook", ""],
    [11, "雅迪\u200b控股", "", "", "", "", "", "名称里有零宽空格"],
    [12, "博敏电子", "", "", "", "=F13*2", "", "公式"],
    [13, "美的置业", "", "", "", "", "", "不是美的集团"],
    [14, "广东超华科技股份有限公司", TONGBO, "", "", "", "", "信用代码填错"],
    None,
]

PROJECTS = [  # 项目名称, 投资方, 产业链, 环节, 计划总投资（万元）, 阶段, 签约时间, 所在县区
    ["高端覆铜板扩产项目", "建滔（佛冈）积层板有限公司", "电子信息", "覆铜板", 150000, "已签约", "2025年3月1日", "佛冈县"],
    ["电动两轮车整车生产基地", "雅迪控股", "电动自行车", "电动两轮车整车", "1.2亿", "洽谈", "", "清城区"],
    ["锂电铜箔项目", "江西铜博科技股份有限公司", "先进材料", "电子铜箔", "12,000万元", "签约", "2025/3/1", "英德市"],
    ["电池项目", "天能", "电动自行车", "", 30000, "洽谈", "", ""],
    None,
    ["电子布项目", "建滔集团", "电子信息", "电子布", -5000, "洽谈", "", ""],
    ["覆铜板二期", "生益科技", "电子信息", "覆铜板", 30000, "签约", "2027年1月1日", ""],
    ["智算中心项目", "某数据科技公司", "数字经济", "", 10000, "线索", "", ""],
]


def firms_sheet(ws) -> None:
    ws.title = "目标企业"
    ws.append(["清远市电子信息产业链目标企业清单（2026年第一批）"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(["序号", "企业信息", None, None, "所属环节", "营业收入（万元）", "信息来源", "备注"])
    ws.append([None, "企业名称", "统一社会信用代码", "总部城市"])
    for a, b in [("A3", "A4"), ("E3", "E4"), ("F3", "F4"), ("G3", "G4"), ("H3", "H4")]:
        ws.merge_cells(f"{a}:{b}")
    ws.merge_cells("B3:D3")
    for row in FIRMS:
        ws.append(row or [])


def projects_sheet(ws) -> None:
    ws.append(["2026年招商项目台账"])
    ws.merge_cells("A1:H1")
    ws.append(["项目名称", "投资方", "产业链", "环节", "计划总投资（万元）", "阶段", "签约时间", "所在县区"])
    for row in PROJECTS:
        ws.append(row or [])


def gbk_csv() -> bytes:
    """The firms sheet as Excel's default CSV on a Chinese Windows: GBK, title row, a control character."""
    head = "序号,企业名称,统一社会信用代码,总部城市,所属环节,营业收入（万元）,信息来源,备注"
    body = ["1,建滔集团,,香港,覆铜板,,招商局摸排 2026-03,",
            "2,建滔化工集团有限公司,,,,,,旧称",
            ",,,,,,,",
            f"3,建滔（佛冈）积层板有限公司,{FOGANG},清远,覆铜板,\"350,000\",illustrative: test workbook,佛冈厂",
            "4,广东生益科技股份有限公司,,东莞,覆铜板,,,",
            "5,天能,,,,,,",
            "6,雅迪\x07控股,,,,,,控制字符",
            "7,博敏电子,,,,=1+1,,公式"]
    text = "清远市电子信息产业链目标企业清单\r\n" + head + "\r\n" + "\r\n".join(body) + "\r\n"
    return text.encode("gbk")


def main() -> None:
    wb = Workbook()
    firms_sheet(wb.active)
    projects_sheet(wb.create_sheet("项目台账"))
    wb.save(HERE / "messy_import.xlsx")
    (HERE / "messy_firms_gbk.csv").write_bytes(gbk_csv())
    print(f"wrote {HERE / 'messy_import.xlsx'} and {HERE / 'messy_firms_gbk.csv'}")


if __name__ == "__main__":
    main()
