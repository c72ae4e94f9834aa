"""Write the test files of sources not bundled with the listed tables: a company-database export, a MIIT list, a 500 list.

Run ``python tests/data/make_source_files.py`` to rebuild them. The export has the columns a 企查查/天眼查
download has (企业名称, 统一社会信用代码, 登记状态, 成立日期, 注册资本, 所属省份/城市/区县, 国标行业门类…小类 with
codes, 经营范围, 参保人数, 企业地址, 曾用名); the firms are invented (credit codes with a valid GB 32100 check
character), except the last rows, which name firms of the bundled library.
"""
from __future__ import annotations

import csv
from pathlib import Path

from chainmap.io.names import uscc_check_char, validate_uscc

HERE = Path(__file__).parent


def uscc(body17: str) -> str:
    """A credit code: 17 characters and their GB 32100 check character."""
    code = body17 + uscc_check_char(body17)
    assert validate_uscc(code), code
    return code


EXPORT = [  # name, status, founded, capital, province, city, county, gb (section, division, group, class), scope, staff, former
    ("清远市宏图电路科技有限公司", "存续（在营、开业、在册）", "2012-05-18", "8000万元人民币", "广东省", "清远市", "清城区",
     ("C 制造业", "39 计算机、通信和其他电子设备制造业", "398 电子元件及电子专用材料制造", "3982 电子电路制造"),
     "印制电路板、柔性线路板的研发、生产和销售；货物进出口。", "612", "清远宏图线路板有限公司"),
    ("肇庆市金瑞铝型材有限公司", "在业", "2008-11-02", "5000万元人民币", "广东省", "肇庆市", "高要区",
     ("C 制造业", "32 有色金属冶炼和压延加工业", "325 有色金属压延加工", "3252 铝压延加工"),
     "铝型材、铝合金门窗的生产、加工、销售。", "388", ""),
    ("天津新程电动车有限公司", "吊销，未注销", "2015-03-09", "1000万元人民币", "天津市", "天津市", "静海区",
     ("C 制造业", "37 铁路、船舶、航空航天和其他运输设备制造业", "377 助动车制造", "3770 助动车制造"),
     "电动自行车、电动摩托车整车及零部件制造、销售。", "0", ""),
    ("苏州华铜箔材料有限公司", "注销", "2011-07-21", "2亿元人民币", "江苏省", "苏州市", "吴江区",
     ("C 制造业", "39 计算机、通信和其他电子设备制造业", "398 电子元件及电子专用材料制造", "3985 电子专用材料制造"),
     "电解铜箔的研发、生产、销售。", "0", "吴江华铜箔材有限公司"),
    ("惠州锂源新能源科技有限公司", "存续", "2019-09-30", "12000万元人民币", "广东省", "惠州市", "仲恺高新区",
     ("C", "38", "384", "3841"), "锂离子电池、电池组的研发、生产和销售。", "1,204", ""),
    ("泰山玻璃纤维有限公司", "存续", "2001-01-19", "229000万元人民币", "山东省", "泰安市", "岱岳区",
     ("制造业", "非金属矿物制品业", "玻璃纤维和玻璃纤维增强塑料制品制造", "玻璃纤维及制品制造"),
     "玻璃纤维及制品的生产、销售。", "5,023", ""),
]


def write() -> None:
    head = ["企业名称", "统一社会信用代码", "登记状态", "法定代表人", "成立日期", "注册资本", "所属省份", "所属城市",
            "所属区县", "国标行业门类", "国标行业大类", "国标行业中类", "国标行业小类", "经营范围", "参保人数", "企业地址",
            "曾用名"]
    rows = []
    for i, (name, status, founded, capital, prov, city, county, gb, scope, staff, former) in enumerate(EXPORT):
        code = uscc(f"914418{i:02d}MA4W{i + 3:02d}K7X")
        rows.append([name, code, status, "张三" if i % 2 else "李四", founded, capital, prov, city, county, *gb, scope,
                     staff, f"{prov}{city}{county}工业大道{10 + i}号", former])
    # The same firm twice (a second export of the year after): merges into one record.
    rows.append(list(rows[0]))
    with open(HERE / "company_db_export.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        w.writerows(rows)
    miit = [["序号", "批次", "企业名称", "单项冠军产品", "省份"],
            ["1", "第八批", "清远市宏图电路科技有限公司", "高多层印制电路板", "广东"],
            ["2", "第七批", "肇庆市金瑞铝型材有限公司", "工业铝型材", "广东"],
            ["3", "第六批", "江门新能动力电池有限公司", "电动自行车用锂离子电池", "广东"]]
    with open(HERE / "miit_single_champions.csv", "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(miit)
    giants = [["序号", "批次", "企业名称", "省份", "所属领域"],
              ["1", "第五批", "惠州锂源新能源科技有限公司", "广东", "新能源"],
              ["2", "第六批", "韶关精铜箔材有限公司", "广东", "新材料"]]
    with open(HERE / "miit_little_giants.csv", "w", encoding="gbk", newline="") as f:  # as offices save it
        csv.writer(f).writerows(giants)
    # 中国企业500强 as the CEC list has it (排名, 企业名称, 年份); Amer's rank is the one the library cites.
    cn = [["排名", "企业名称", "营业收入（万元）", "年份"], ["22", "正威国际集团有限公司", "69195224", "2021"]]
    with open(HERE / "cn500_sample.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(cn)
    # Fortune Global 500 in the published layout, English names only. Amer's ranks are those the bundled library
    # cites (seeds/firms.csv: FG500 2020 #91, 2021 #68); the third firm is in no library.
    fg = [["rank", "company_en", "country", "industry", "revenue_musd", "year"],
          ["91", "Amer International Group", "China", "Metals", "88862.3", "2020"],
          ["68", "AMER INTERNATIONAL GROUP", "China", "Metals", "91171.2", "2021"],
          ["312", "Shandong Everbright Holdings", "China", "Metals", "37408.8", "2021"]]
    with open(HERE / "fortune500_sample.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(fg)


if __name__ == "__main__":
    write()
