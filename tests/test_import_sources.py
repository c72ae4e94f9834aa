"""`chainmap import firms FILE` of real sources, without a mapping file: recognised, merged, flagged.

The exchange downloads and classification tables are read from ``../shared/data/listed`` (never copied into the
repository); the company-database export, the MIIT list and the 500 list are our own files
(``tests/data/make_source_files.py``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from chainmap.cli import main
from tests.conftest import data_fingerprint, saved

REPO = Path(__file__).resolve().parents[1]
LISTED = REPO.parent / "shared" / "data" / "listed"
DATA = Path(__file__).parent / "data"
SZSE = LISTED / "szse_A股列表_2025-10.xlsx"
SSE = LISTED / "sse_GPLIST_mainboard.xls"
BASIC = LISTED / "a_share_basic_2025-06.csv"
SW = LISTED / "a_share_sw2021_l3_2021-10.csv"
STATUS = LISTED / "a_share_csrc_status_2026-06.csv"

needs_listed = pytest.mark.skipif(not LISTED.is_dir(), reason=f"the real listed-firm tables are not at {LISTED} "
                                                               f"(lay shared/ beside the clone to run these tests)")


def imp(capsys, ws, path, kind="firms", *extra):
    code = main(["--workspace", str(ws), "import", kind, str(path), *extra])
    out, err = capsys.readouterr()
    assert code in (0, None), err
    return out, err


def firm_by_code(firms, code):
    hit = firms[firms["stock_code"].str.split("|").map(lambda xs: code in xs)]
    assert len(hit) == 1, f"{code}: {len(hit)} records"
    return hit.iloc[0]


def each_code_once(firms):
    """No stock code on two records (a record may hold several, ``|``-separated)."""
    codes = firms["stock_code"].str.split("|").explode()
    codes = codes[codes != ""]
    assert not codes.duplicated().any(), codes[codes.duplicated()].head().tolist()


@needs_listed
def test_szse_list_is_recognised_and_gives_code_city_and_board(capsys, workspace_copy):
    out, err = imp(capsys, workspace_copy, SZSE)
    assert "识别为：深交所A股列表" in out + err
    firms = saved(workspace_copy).firms
    scc = firm_by_code(firms, "002916.SZ")  # 深南电路, in the bundled library as scc
    assert scc["id"] == "scc" and scc["hq_city"] == "深圳" and scc["listed_on"] == "2017-12-13"
    assert scc["board"] == "主板" and scc["hq_region"] == "PRD"
    added = firms[firms["stock_code"].str.endswith(".SZ")]
    assert len(added) >= 2800  # 2,875 rows: one record each, library firms enriched
    # "万  科Ａ" (spaces, a full-width Ａ) is one name: 万科A.
    assert firm_by_code(firms, "000002.SZ")["name_zh"] == "万科A"
    # The SZSE list names only the CSRC 门类 (C 制造业): no division is invented from it.
    assert firm_by_code(firms, "300476.SZ")["csrc_division"] == ""


@needs_listed
def test_sse_list_then_tables_enrich_one_record_and_flag_delisted(capsys, workspace_copy):
    out, err = imp(capsys, workspace_copy, SSE)
    assert "识别为：上交所股票列表" in out + err
    jushi = firm_by_code(saved(workspace_copy).firms, "600176.SH")
    assert jushi["name_zh"] == "中国巨石" and jushi["listed_on"] == "1999-04-22"
    assert "China Jushi" in jushi["name_en"] or "CHINA JUSHI" in jushi["name_en"].upper()
    n_after_sse = len(saved(workspace_copy).firms)
    imp(capsys, workspace_copy, SW)
    imp(capsys, workspace_copy, STATUS)
    firms = saved(workspace_copy).firms
    jushi = firm_by_code(firms, "600176.SH")  # still one record
    assert jushi["sw_l3"] == "玻纤制造" and jushi["csrc_division"] == "C30" and jushi["hq_province"] == "浙江"
    kinwong = firm_by_code(firms, "603228.SH")  # the bundled library's 景旺电子
    assert kinwong["sw_l3"] == "印制电路板" and kinwong["csrc_division"] == "C39"
    # 邯郸钢铁 (600001) was delisted in 2009: kept, flagged 退市.
    handan = firm_by_code(firms, "600001.SH")
    assert handan["status"] == "退市" and handan["name_zh"] == "邯郸钢铁"
    assert len(firms) > n_after_sse


@needs_listed
def test_szse_then_tushare_enrich_one_record_instead_of_doubling(capsys, workspace_copy):
    """Then the CSRC status table gives the BSE firms their new codes: one record per firm, old code and new.
    (That was test_old_and_new_bse_codes_are_one_firm, which imported the Tushare table once more.)"""
    imp(capsys, workspace_copy, SZSE)
    before = saved(workspace_copy).firms
    out, err = imp(capsys, workspace_copy, BASIC)
    assert "识别为：Tushare上市公司基本信息" in out + err
    firms = saved(workspace_copy).firms
    scc = firm_by_code(firms, "002916.SZ")
    assert scc["ts_industry"] == "元器件" and scc["hq_city"] == "深圳"
    # Every SZSE firm is still one record: the Tushare table added only firms of other exchanges (and SZSE firms
    # the 2025-10 list no longer holds).
    sz_before = before["stock_code"].str.contains(r"\.SZ").sum()
    sz_after = firms["stock_code"].str.contains(r"\.SZ").sum()
    assert sz_after - sz_before < 60
    each_code_once(firms)
    # BSE firms come with their 920xxx codes; an old code given in another table is the same firm.
    assert firms["stock_code"].str.contains(r"\.BJ").sum() >= 200
    assert firm_by_code(firms, "430047.BJ")["name_zh"] == "诺思兰德"   # the Tushare table's old code ...
    imp(capsys, workspace_copy, STATUS)                                  # ... and the CSRC table's new one
    firms = saved(workspace_copy).firms
    nsld = firms[firms["name_zh"] == "诺思兰德"]
    assert len(nsld) == 1 and set(nsld.iloc[0]["stock_code"].split("|")) == {"430047.BJ", "920047.BJ"}
    each_code_once(firms)


@needs_listed
def test_importing_the_same_file_twice_changes_nothing(capsys, workspace_copy):
    imp(capsys, workspace_copy, SSE)
    first = data_fingerprint(workspace_copy)
    out, err = imp(capsys, workspace_copy, SSE)
    assert data_fingerprint(workspace_copy) == first
    assert "新增 0" in out and "更新 0" in out


def test_company_db_export_is_recognised_merged_and_flagged(capsys, workspace_copy):
    out, err = imp(capsys, workspace_copy, DATA / "company_db_export.csv")
    assert "识别为：企业数据库导出" in out + err
    # Five new firms; 泰山玻璃纤维有限公司 is the library's 泰山玻纤 (merged, enriched); the eighth row is the first
    # firm again (merged); two firms are 吊销/注销 (flagged).
    assert "新增 5" in out and "合并 2" in out and "标记 2" in out
    firms = saved(workspace_copy).firms.set_index("name_zh")
    hongtu = firms.loc["清远市宏图电路科技有限公司"]
    assert hongtu["gb_industry"] == "3982" and hongtu["hq_city"] == "清远" and hongtu["hq_province"] == "广东"
    assert hongtu["status"] == "存续" and "清远宏图线路板有限公司" in hongtu["aliases"].split("|")
    assert hongtu["business_scope"].startswith("印制电路板")
    assert hongtu["id"] == "91441800MA4W03K7XB" and hongtu["credit_code"] == "91441800MA4W03K7XB"
    assert firms.loc["天津新程电动车有限公司", "status"] == "吊销"
    assert firms.loc["苏州华铜箔材料有限公司", "status"] == "注销"
    assert firms.loc["惠州锂源新能源科技有限公司", "gb_industry"] == "3841"  # codes alone, no names
    # Names only (no codes): no code is guessed; the class is kept in words. The library's record keeps its
    # name and sources and gains the export's credit code and scope.
    taishan = firms.loc["泰山玻璃纤维有限公司(泰山玻纤)"]
    assert taishan["id"] == "taishan_gf" and taishan["gb_industry"] == "" and "玻璃纤维及制品制造" in taishan["notes"]
    assert taishan["business_scope"].startswith("玻璃纤维") and taishan["credit_code"] != ""
    # Again: nothing changes.
    first = data_fingerprint(workspace_copy)
    imp(capsys, workspace_copy, DATA / "company_db_export.csv")
    assert data_fingerprint(workspace_copy) == first


def test_miit_list_adds_firms_and_their_honours(capsys, workspace_copy):
    imp(capsys, workspace_copy, DATA / "company_db_export.csv")
    out, err = imp(capsys, workspace_copy, DATA / "miit_single_champions.csv")
    assert "识别为：制造业单项冠军名单" in out + err
    t = saved(workspace_copy)
    firms = t.firms.set_index("name_zh")
    honours = t.honours
    hongtu = firms.loc["清远市宏图电路科技有限公司", "id"]
    h = honours[(honours["firm_id"] == hongtu) & (honours["list"] == "single_champion")]
    assert len(h) == 1 and h.iloc[0]["detail"] == "第八批；产品：高多层印制电路板" and h.iloc[0]["level"] == "national"
    assert "江门新能动力电池有限公司" in firms.index  # a firm not yet known is added with its honour
    assert firms.loc["江门新能动力电池有限公司", "hq_province"] == "广东"


def test_fortune_list_matches_english_names_through_aliases(capsys, workspace_copy):
    out, err = imp(capsys, workspace_copy, DATA / "fortune500_sample.csv", "honours")  # no --accept-valid needed
    assert "识别为：财富世界500强" in out + err
    t = saved(workspace_copy)
    honours = t.honours
    amer = honours[(honours["firm_id"] == "amer") & (honours["list"] == "FG500")]
    # The library already holds both (cited): the list confirms them, adds no copy.
    assert sorted(zip(amer["year"].astype(int), amer["detail"])) == [(2020, "#91"), (2021, "#68")]
    # Shandong Everbright Holdings is in no library: a 500-list firm is a target itself, added with its honour.
    assert "未变 2" in out and "新增 1" in out and "企业库中没有，已连同荣誉 FG500 #312 一并新增" in out
    new = t.firms[t.firms["name_en"] == "Shandong Everbright Holdings"]
    assert len(new) == 1
    h = honours[honours["firm_id"] == new["id"].iloc[0]]
    assert h[["list", "detail"]].values.tolist() == [["FG500", "#312"]] and int(h["year"].iloc[0]) == 2021


def test_a_bse_shaped_list_gets_codes_from_their_prefix(capsys, workspace_copy, tmp_path):
    f = tmp_path / "北交所股票列表.csv"
    # Two real BSE firms, as the exchange lists them (dates from the Tushare table; 胜业电气 makes capacitors).
    f.write_text("证券代码,证券简称,上市日期,所属行业,所属地区\n"
                 "920047,诺思兰德,2020-11-24,C27医药制造业,北京\n"
                 "920128,胜业电气,2024-11-29,C39计算机、通信和其他电子设备制造业,广东\n", encoding="utf-8")
    out, err = imp(capsys, workspace_copy, f)
    assert "识别为：北交所股票列表" in out + err and "新增 2" in out
    firms = saved(workspace_copy).firms.set_index("name_zh")
    assert firms.loc["胜业电气", "stock_code"] == "920128.BJ" and firms.loc["胜业电气", "csrc_division"] == "C39"
    assert firms.loc["诺思兰德", "hq_province"] == "北京" and firms.loc["诺思兰德", "hq_region"] == "BTH"


def test_little_giants_list_in_gbk_adds_honours_with_province(capsys, workspace_copy):
    imp(capsys, workspace_copy, DATA / "company_db_export.csv")
    out, err = imp(capsys, workspace_copy, DATA / "miit_little_giants.csv")
    assert "识别为：专精特新“小巨人”名单" in out + err and "新增 1" in out and "更新 1" in out
    t = saved(workspace_copy)
    firms = t.firms.set_index("name_zh")
    assert firms.loc["韶关精铜箔材有限公司", "hq_province"] == "广东"
    lithium = firms.loc["惠州锂源新能源科技有限公司", "id"]
    h = t.honours[(t.honours["firm_id"] == lithium)]
    assert h[["list", "detail"]].values.tolist() == [["little_giant", "第五批"]]


def test_cn500_list_names_chinese_firms_and_keeps_the_library_record(capsys, workspace_copy):
    out, err = imp(capsys, workspace_copy, DATA / "cn500_sample.csv", "honours")
    assert "识别为：中国企业500强" in out + err
    h = saved(workspace_copy).honours
    cn = h[(h["firm_id"] == "amer") & (h["list"] == "CN500")]
    # The library's row (detail "CEC 2021 #22") and the list's (#22) are two details of one honour year: both kept.
    assert sorted(cn["detail"]) == ["#22", "CEC 2021 #22"] and set(cn["year"].astype(int)) == {2021}


def test_an_ordinary_list_with_the_new_firm_columns_needs_no_mapping(capsys, workspace_copy, tmp_path):
    f = tmp_path / "目标企业.csv"
    f.write_text("企业名称,企业状态,国标行业代码,经营范围,上市板块\n"
                 "佛冈恒通线路板有限公司,吊销，未注销,3982,印制电路板制造,\n"
                 "清新宏达铝材有限公司,在业,3252,铝型材加工,\n", encoding="utf-8")
    out, err = imp(capsys, workspace_copy, f)
    assert "识别为" not in out + err and "新增 2" in out and "标记 1" in out
    firms = saved(workspace_copy).firms.set_index("name_zh")
    assert firms.loc["佛冈恒通线路板有限公司", "status"] == "吊销" and firms.loc["清新宏达铝材有限公司", "gb_industry"] == "3252"
    assert firms.loc["清新宏达铝材有限公司", "business_scope"] == "铝型材加工"
