"""Real listed firms placed on the chains by industry class, checked against hand-made truth.

Reads the public tables of ``../shared/data/listed`` (beside the repository;
never copied into it) and skips with a message when they are absent.
"""

import numpy as np
import pandas as pd
import pytest

from chainmap.i18n import basis_text, with_reasons
from chainmap.io.listed import listed_honours, merge_firms
from chainmap.io.workspace import validate_tables
from chainmap.scoring import STRATEGIES
from chainmap.scoring.engine import TargetScorer
from chainmap.scoring.placement import BASIS

# ``listed`` (tests/conftest.py): the real listed-firm tables of ../shared as firms, built once per worker.


def _tables(bundled, firms):
    return validate_tables(bundled.replace(firms=firms.sort_values("id").reset_index(drop=True)))


@pytest.fixture(scope="module")
def by_class(bundled, listed):
    """Bundled library + the listed firms as separate rows: the listed rows have no operations, so
    every placement of theirs comes from their industry classes."""
    firms = pd.concat([bundled.firms, listed[~listed["id"].isin(bundled.firms["id"])]], ignore_index=True)
    return TargetScorer().fit(_tables(bundled, firms))


@pytest.fixture(scope="module")
def merged(bundled, listed):
    firms, report = merge_firms(bundled.firms, listed)
    honours = pd.concat([bundled.honours, listed_honours(firms, bundled.honours)], ignore_index=True)
    tables = validate_tables(bundled.replace(firms=firms.sort_values("id").reset_index(drop=True), honours=honours))
    return TargetScorer().fit(tables), report


def _row(scorer, firm_id):
    return int(scorer.firm_index_.get_loc(firm_id))


def _placed(scorer, firm_id):
    i = _row(scorer, firm_id)
    row = scorer.fit_[i]
    return {scorer.link_ids_[j]: BASIS[int(scorer.basis_[i, j])] for j in row.indices}


def test_listed_tables_give_active_firms_with_classes_and_flag_the_delisted(listed):
    active = listed[listed["status"] == "存续"]
    assert len(active) >= 5000
    assert (active["hq_province"] != "").mean() > 0.99
    # BSE firms listed after the Tushare list was taken come only from the status table, which has no date
    assert (active["listed_on"] != "").mean() > 0.98
    assert (active["board"] != "").mean() > 0.99
    assert ((active["sw_l3"] != "") | (active["ts_industry"] != "") | (active["csrc_division"] != "")).mean() > 0.98
    assert (listed["status"] == "退市").sum() >= 300
    chaohua = listed.set_index("id").loc["002288.SZ"]  # delisted in 2024, missing from the 2025 list
    assert chaohua["status"] == "退市" and chaohua["name_zh"] == "*ST超华"  # its last short name
    assert listed.set_index("id").loc["002916.SZ", "hq_region"] == "PRD"  # 深南电路, 深圳
    # BSE's 2024 renumbering: 贝特瑞 is 835185 in the 2025 Tushare list and 920185 in the 2026 status table
    btr = listed.set_index("id").loc["920185.BJ"]
    assert btr["stock_code"] == "920185.BJ|835185.BJ" and btr["listed_on"] != "" and "835185.BJ" not in listed["id"].values


def test_every_real_class_has_one_spelling_in_the_fit_and_in_a_reason(listed):
    """One rule spells a class (``_normalise_one``): the fit applies it to each distinct value of a column,
    ``describe`` to one firm's. On every real listed firm: GB codes are digits, CSRC codes a letter and two
    digits, names are stripped."""
    import re

    from chainmap.scoring.placement import FIRM_COLUMN, normalise_class

    shape = {"gb": r"\d{2,4}", "csrc": r"[A-Z](\d{2})?"}
    for system, column in FIRM_COLUMN.items():
        real = listed[column] if column in listed else listed["csrc_division"]  # no GB column: CSRC's codes
        values = pd.concat([real, pd.Series([None, np.nan, " c 39 ", "K70房地产业", " 3982 电子电路 "])],
                           ignore_index=True)
        spelt = normalise_class(system, values)
        given = real.fillna("").astype(str).str.strip() != ""
        # a given class is spelt (the listed tables carry no GB class: only the added values test it)
        assert not given.any() or (spelt.iloc[:len(real)][given.to_numpy()] != "").mean() > 0.95, system
        for v, out in zip(values, spelt):
            assert out == "" or re.fullmatch(shape.get(system, r"\S(.*\S)?"), out), (system, v, out)
        if system == "csrc":
            assert spelt.iloc[-3:].tolist() == ["C39", "K70", ""]   # " c 39 " upper-cased; a GB text is no CSRC code
        if system == "gb":
            assert spelt.iloc[-3:].tolist() == ["39", "70", "3982"]


@pytest.mark.parametrize("firm_id, link, basis", [
    ("603228.SH", "pcb", "sw"),  # 景旺电子: 申万「印制电路板」
    ("002916.SZ", "pcb", "sw"),  # 深南电路
    ("600176.SH", "e_glass_yarn", "sw"),  # 中国巨石: 申万「玻纤制造」
    ("603529.SH", "vehicle", "tushare"),  # 爱玛科技: Tushare「摩托车」(申万 has it under 其他运输设备)
    ("600110.SH", "copper_foil", "coarse_classes"),  # 诺德股份: 申万「铜」 and 证监会 C39 agree on one link
])
def test_real_firms_are_placed_by_their_industry_class(by_class, firm_id, link, basis):
    assert _placed(by_class, firm_id).get(link) == basis


def test_a_coarse_class_alone_places_nobody(by_class):
    # 豪美新材: 申万「铜」-like coarse classes only (铝, Tushare 铝, C32) shared by 原铝 and 铝型材: not placed
    # by classes alone, and never on a link outside the aluminium ones.
    assert set(_placed(by_class, "002988.SZ")) <= {"primary_aluminium", "aluminium_extrusion"}
    # 圣邦股份, an analog-chip designer (Tushare 半导体, C39), is not spread over the electronics links.
    assert _placed(by_class, "300661.SZ") == {}


def test_banks_and_property_developers_are_never_placed(by_class):
    for firm_id in ("000001.SZ", "000002.SZ", "601398.SH", "600048.SH"):  # 平安银行, 万科A, 工商银行, 保利发展
        assert _placed(by_class, firm_id) == {}
        assert by_class.excluded_[_row(by_class, firm_id)]


def test_reasons_and_explain_show_the_basis(by_class):
    r = with_reasons(by_class.rank("electronics", top=None, link="pcb"))
    row = r.set_index("firm_id").loc["603228.SH"]
    assert "按申万行业「印制电路板」归入【印制电路板】" in row["reason"] and row["inferred"]
    info = by_class.explain("600110.SH", "materials")
    item = next(d for m in info["links"].values() for d in m if d["link_id"] == "copper_foil")
    assert item["basis"] == "coarse" and item["fit"] == pytest.approx(by_class.params.coarse_fit)
    assert item["basis_zh"] == "按申万行业「铜」、Tushare行业「电气设备」、证监会行业C39（粗类）共同归入【电子铜箔】"


# 低空经济 has no drone-specific 申万 or Tushare class and most of its makers are unlisted (大疆, 亿航 on
# NASDAQ, 小鹏汇天): its A-share firms are placed by coarse classes and name words only, about 60.
MIN_PLACED = {"lowalt": 50}


def test_each_chain_has_at_least_80_placed_firms_with_a_shown_basis(by_class):
    links = by_class.tables_.links
    for chain in by_class.tables_.chains["id"]:
        cols = np.flatnonzero(links["chain"].to_numpy() == chain)
        sub = by_class.basis_[:, cols]
        placed = np.flatnonzero((sub.getnnz(axis=1) > 0) & ~by_class.inactive_)
        assert len(placed) >= MIN_PLACED.get(chain, 80), chain
        # every placement names its basis; non-known ones say it in words
        for i in placed[:: max(1, len(placed) // 40)]:
            j = cols[sub[i].indices[0]]
            code = BASIS[int(by_class.basis_[i, j])]
            assert code != ""
            if code not in ("known", "classifier", "keywords"):
                assert basis_text(by_class.basis(i, j)).startswith("按")


def test_delisted_firms_are_left_out_of_rankings_unless_asked(by_class):
    i = _row(by_class, "002288.SZ")  # 超华科技: copper foil, CCL and PCB maker, delisted
    assert by_class.inactive_[i]
    ids = set(by_class.rank("electronics", top=None)["firm_id"])
    assert "002288.SZ" not in ids
    with_inactive = by_class.rank("electronics", top=None, include_inactive=True)
    assert len(with_inactive) >= len(ids)


def test_merging_enriches_the_bundled_firms_instead_of_doubling_them(merged, bundled):
    scorer, report = merged
    firms = scorer.tables_.firms.set_index("id")
    assert report["merged"] >= 50 and report["flagged"] >= 300
    assert firms.loc["kinwong", "sw_l3"] == "印制电路板" and "603228.SH" not in firms.index
    assert firms.loc["haomei", "ts_industry"] == "铝"
    # the bundled firms keep their known links: known beats any class
    for fid, link in [("kinwong", "pcb"), ("scc", "pcb"), ("jushi", "e_glass_yarn"), ("aima", "vehicle"),
                      ("haomei", "aluminium_extrusion"), ("nuode", "copper_foil")]:
        assert _placed(scorer, fid)[link] == "known"
    assert len(firms) == len(bundled.firms) + report["added"]
    # listed firms from the tables carry the 上市公司 honour as the bundled ones do (tier 0.4)
    assert scorer.honours_.loc["603659.SH", ["list", "detail"]].tolist() == ["listed", "603659.SH"]  # 璞泰来, not bundled
    assert "002288.SZ" not in set(scorer.honours_.index)  # delisted: no honour


def test_each_chain_ranks_at_least_80_listed_firms_including_unassessed_links(merged, bundled):
    """Unassessed links (待评估) are opportunities to check (mode check, 待摸排), so firms placed on them rank."""
    scorer, _ = merged
    for chain in scorer.tables_.chains["id"]:
        ranked = scorer.rank(chain, top=None)
        listed = ranked[~ranked["firm_id"].isin(bundled.firms["id"])]
        assert len(listed) >= 80, (chain, len(listed))   # 低空经济 too, its neighbours across chains included
        if not (scorer.gaps_[chain]["status"] == "unassessed").any():
            continue   # every link surveyed (低空经济): nothing to check
        check = with_reasons(ranked[ranked["mode"] == "check"])
        assert len(check) and check["reason"].str.startswith("待摸排：").all()
        # discounted: at 0 no row is in mode check, and the rows in other modes keep their scores
        off = scorer.rank(chain, strategy={**STRATEGIES["稳健"], "unassessed": 0.0}, top=None).set_index("firm_id")
        assert "check" not in set(off["mode"]) and len(off) < len(ranked)
        other = ranked[ranked["mode"] != "check"].set_index("firm_id")
        assert np.allclose(other["score"].to_numpy(), off.loc[other.index, "score"].to_numpy())


def test_a_firm_next_to_a_chain_across_a_supply_edge_is_its_candidate(merged):
    """纵向延伸: a cell maker (锂电芯, 电动自行车) is a candidate for 正极材料 (先进材料), as a firm placed there is not."""
    scorer, _ = merged
    info = scorer.explain("sunwoda", "materials")
    items = [d for m in info["links"].values() for d in m]
    across = [d for d in items if d["basis"] == "integration"]
    assert across and all(d["fit"] == pytest.approx(scorer.params.integration_fit) for d in across)
    assert {d["link_id"] for d in across} <= {"cathode", "copper_foil"}
    assert info["score"] is not None
    # below the firms placed on the link itself, all else equal: the fit is a fraction of a class placement
    assert scorer.params.integration_fit < scorer.params.coarse_fit < scorer.params.class_fit
    # no integration without a supply edge across chains: a bank stays out of every chain
    assert scorer.integration_[_row(scorer, "000001.SZ")].nnz == 0
