"""Placement with a basis: known > fine industry class > products / business-scope text > confirmed coarse class.

Firms with planted classes are added to the bundled library (whose chain files declare the
classes of every link), so each placement and its basis is known by construction.
"""
import pandas as pd
import pytest

from chainmap.i18n import basis_text, with_reasons
from chainmap.io.schemas import SPECS
from chainmap.io.workspace import validate_tables
from chainmap.scoring import TargetScorer
from chainmap.scoring.placement import BASIS

SRC = "test: planted firm"
PLANTED = [
    dict(id="t_gb", name_zh="某甲电子股份有限公司", hq_city="东莞", hq_province="广东", hq_region="PRD",
         gb_industry="C3982"),  # 电子电路制造, written with its section letter
    dict(id="t_scope", name_zh="某乙新材料有限公司", hq_city="九江", hq_province="江西", hq_region="other_cn",
         business_scope="高精度电子铜箔、锂电铜箔的研发、生产和销售；货物进出口"),
    dict(id="t_words", name_zh="华南覆铜板科技有限公司", hq_city="惠州", hq_province="广东", hq_region="PRD",
         csrc_division="C39计算机、通信和其他电子设备制造业"),
    dict(id="t_coarse", name_zh="某丙科技股份有限公司", hq_city="苏州", hq_province="江苏", hq_region="YRD",
         csrc_division="C39", ts_industry="元器件"),
    dict(id="t_bank", name_zh="某农村商业银行股份有限公司", hq_city="佛山", hq_province="广东", hq_region="PRD",
         sw_l3="农商行Ⅲ", products="印制电路板产业链供应链金融", business_scope="吸收公众存款；发放贷款"),
    dict(id="t_gone", name_zh="某丁电路股份有限公司", hq_city="梅州", hq_province="广东", hq_region="other_cn",
         sw_l3="印制电路板", status="退市"),
]


@pytest.fixture(scope="module")
def scorer(bundled):
    rows = pd.DataFrame([{c: "" for c in SPECS["firms"].names} | {"source": SRC} | r for r in PLANTED])
    rows["revenue_yi"] = float("nan")
    rows["revenue_year"] = pd.array([pd.NA] * len(rows), dtype="Int64")
    firms = pd.concat([bundled.firms, rows], ignore_index=True).sort_values("id").reset_index(drop=True)
    return TargetScorer().fit(validate_tables(bundled.replace(firms=firms)))


def placed(scorer, fid):
    i = scorer.firm_index_.get_loc(fid)
    return {scorer.link_ids_[j]: BASIS[int(scorer.basis_[i, j])] for j in scorer.fit_[i].indices}


def test_a_fine_gb_code_places_the_firm_and_the_reason_says_so(scorer):
    assert placed(scorer, "t_gb") == {"pcb": "gb"}
    row = with_reasons(scorer.rank("electronics", top=None, link="pcb")).set_index("firm_id").loc["t_gb"]
    assert "按国标行业3982归入【印制电路板】" in row["reason"]
    # 印制电路板 is 强链 (金禄电子 makes PCBs here): the item is among the links to strengthen
    item = next(i for items in scorer.explain("t_gb", "electronics")["links"].values() for i in items
                if i["link_id"] == "pcb")
    assert (item["basis"], item["method"], item["fit"]) == ("class", "gb", scorer.params.class_fit)
    assert item["basis_detail"] == {"basis": "class", "system": "gb", "value": "3982", "link": "印制电路板"}


def test_the_business_scope_is_read_like_a_products_text(scorer):
    got = placed(scorer, "t_scope")
    assert got.get("copper_foil") in ("classifier", "keywords")
    assert set(got.values()) <= {"classifier", "keywords"}


def test_a_coarse_class_confirmed_by_the_name_places_with_the_word_shown(scorer):
    assert placed(scorer, "t_words") == {"ccl": "coarse_words"}
    i, j = scorer.firm_index_.get_loc("t_words"), list(scorer.link_ids_).index("ccl")
    assert basis_text(scorer.basis(i, j)) == "按证监会行业C39（粗类）及名称或经营范围中的「覆铜板」归入【覆铜板】"
    assert scorer.fit_[i, j] == pytest.approx(scorer.params.coarse_fit)


def test_coarse_classes_that_do_not_narrow_to_one_link_place_nobody(scorer):
    assert placed(scorer, "t_coarse") == {}
    assert scorer.firm_index_.get_loc("t_coarse") in set(scorer.unscorable_)


def test_a_bank_is_never_placed_even_with_words_of_a_link_in_its_text(scorer):
    assert placed(scorer, "t_bank") == {}
    assert scorer.explain("t_bank", "electronics")["excluded"]


def test_a_delisted_firm_is_placed_but_ranked_only_when_asked(scorer):
    assert placed(scorer, "t_gone") == {"pcb": "sw"}
    assert "t_gone" not in set(scorer.rank("electronics", top=None)["firm_id"])
    asked = with_reasons(scorer.rank("electronics", top=None, include_inactive=True)).set_index("firm_id")
    assert "按申万行业「印制电路板」归入【印制电路板】" in asked.loc["t_gone", "reason"]


def test_known_operations_win_over_every_class(bundled, scorer):
    # 景旺 (bundled, known on pcb and fpc) given a class of another link keeps its known links only
    firms = bundled.firms.copy()
    firms.loc[firms["id"] == "kinwong", "sw_l3"] = "被动元件"
    s = TargetScorer(inference="keywords").fit(validate_tables(bundled.replace(firms=firms)))
    assert placed(s, "kinwong") == {"fpc": "known", "pcb": "known"}


def test_a_chain_file_with_a_malformed_coarse_class_names_the_link():
    from chainmap.io import InputError
    from chainmap.io.chains import parse_chain

    text = ('[chain]\nid = "demo"\nname_zh = "示例"\n[[links]]\nid = "pcb"\nname_zh = "印制电路板"\n'
            'stage = "midstream"\nimportance = 1.0\ngb_codes = ["3982"]\ncoarse = ["C39"]\n')
    with pytest.raises(InputError, match="link 'pcb': coarse class 'C39' is not system:value"):
        parse_chain(text, "graphs/demo.toml")
    chain, links, _ = parse_chain(text.replace('"C39"', '"csrc:C39"'), "graphs/demo.toml")
    assert links.loc[0, "gb_codes"] == "3982" and links.loc[0, "coarse"] == "csrc:C39"


def test_firm_files_with_or_without_the_new_columns_load():
    from chainmap.io import InputError, parse_table

    old = "id,name_zh,name_en,aliases,hq_city,hq_province,hq_region,revenue_yi,revenue_year,products,stock_code," \
          "source,verified,notes\nx,某公司,,,香港,香港,hmt,,,,,src,,\n"
    t = parse_table(old, "firms")
    assert t.loc[2, "status"] == "" and t.loc[2, "hq_region"] == "hmt"
    new = "id,name_zh,source,status,gb_industry,credit_code\ny,某厂,src,退市,C3982,91441800MA4UXXXX0X\n"
    with pytest.raises(InputError, match="missing column"):  # the old required columns stay required
        parse_table(new, "firms")
    full = old.rstrip("\n").split("\n")[0] + ",status,gb_industry\n" + "y,某厂,,,,,,,,,,src,,,退市,3982\n"
    assert parse_table(full, "firms").loc[2, ["status", "gb_industry"]].tolist() == ["退市", "3982"]
    with pytest.raises(InputError, match="'已倒闭' is not one of"):
        parse_table(full.replace("退市", "已倒闭"), "firms")


def test_the_cli_explains_and_ranks_with_the_basis(scorer, tmp_path, monkeypatch, capsys):
    from chainmap.cli import main
    from chainmap.io import write_workspace

    monkeypatch.setenv("CHAINMAP_CACHE_DIR", str(tmp_path / "cache"))
    write_workspace(scorer.tables_, tmp_path / "ws")
    ws = ["--workspace", str(tmp_path / "ws")]
    assert main(["explain", "t_gb", "--chain", "electronics", *ws]) == 0
    assert "【印制电路板】" in (out := capsys.readouterr().out) and "按国标行业3982归入【印制电路板】" in out
    assert main(["rank", "--chain", "electronics", "--top", "500", "--format", "json", *ws]) == 0
    ranked = capsys.readouterr().out
    assert "t_gb" in ranked and "t_gone" not in ranked
    assert main(["rank", "--chain", "electronics", "--top", "500", "--format", "json", "--include-inactive", *ws]) == 0
    assert "t_gone" in capsys.readouterr().out


def test_a_residual_sw_class_does_not_veto_coarse_classes_that_agree_but_a_specific_one_does():
    # 丰元股份 (申万「其他化学原料」, Tushare 电气设备, C39) built LFP cathode plants: its 申万 class is a residue
    # that names no trade, so the two coarse classes may narrow it down; 新洋丰 (「复合肥」) names fertiliser.
    import numpy as np

    from chainmap.scoring.placement import coarse_fit

    links = pd.DataFrame({"id": ["cathode", "precursor", "separator"], "name_zh": ["正极材料", "前驱体", "隔膜"],
                          "keywords": "", "scope_words": "", "gb_codes": "", "sw_l3": ["", "", "膜材料"],
                          "tushare": "", "coarse": ["tushare:电气设备|csrc:C39", "tushare:电气设备|csrc:C39",
                                                    "tushare:电气设备|csrc:C29"]})
    firms = pd.DataFrame({"name_zh": ["某元股份", "某洋丰"], "business_scope": "", "gb_industry": "",
                          "sw_l3": ["其他化学原料", "复合肥"], "ts_industry": "电气设备", "csrc_division": "C39"})
    got = coarse_fit(firms, links, np.arange(2), max_links=3).toarray()
    assert (got[0] == [BASIS.index("coarse_classes")] * 2 + [0]).all()
    assert not got[1].any()
