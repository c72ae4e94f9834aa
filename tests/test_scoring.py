"""Target scoring on a hand-made world whose right answers are planted."""
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from chainmap.analysis import gap_analysis
from chainmap.i18n import reason_text, with_reasons
from chainmap.io import parse_workspace
from chainmap.io.export import csv_bytes, xlsx_bytes
from chainmap.scoring import ScoringParams, TargetScorer, check_weights, STRATEGIES
from chainmap.scoring.report import target_sheets, target_table
from tests.worlds import PCB_FIRMS, PCB_OPS, firm, op, pcb_world, table_file

# In the miniature PCB chain: pcb is 补链 (fill), ccl and pcba are 强链 (strengthen),
# foil is 延链 (extend), resin is unassessed (see test_gaps.py).
TARGETS = [
    firm("scc", "深南电路", hq_city="深圳", hq_region="PRD", products="印制电路板、封装基板"),
    firm("pcb_small", "某电路板小厂", hq_city="赣州", hq_region="other_cn", products="单面板"),
    firm("nanya", "南亚新材", hq_city="上海", hq_region="YRD", products="覆铜板"),
    firm("goldenmax", "金安国纪", hq_city="上海", hq_region="YRD", products="覆铜板"),
    firm("tgcf", "铜冠铜箔", hq_city="合肥", hq_region="YRD", products="电子铜箔"),
    firm("defu", "德福科技", hq_city="九江", hq_region="other_cn", products="电解铜箔"),
    firm("resin_co", "某树脂厂", hq_city="昆山", hq_region="YRD", products="环氧树脂"),
    firm("newfoil", "某铜箔新秀", hq_city="惠州", hq_region="PRD", products="高端电子铜箔、锂电铜箔"),
    firm("ghost", "无主营信息公司", hq_city="北京", hq_region="BTH"),
    firm("evil", "=HYPERLINK(\"http://x\",\"点我\")", hq_city="深圳", hq_region="PRD", products="PCB"),
]
TARGET_OPS = [
    op("scc", "pcb", local="false"), op("pcb_small", "pcb", local="false"),
    op("nanya", "ccl", local="false"), op("goldenmax", "ccl", local="false"),
    op("tgcf", "foil", local="false"), op("defu", "foil", local="false"),
    op("resin_co", "resin", local="false"), op("evil", "pcb", local="false"),
]


def world(**extra):
    files = pcb_world(**{
        "seeds/firms.csv": table_file("firms", PCB_FIRMS + TARGETS),
        "seeds/operations.csv": table_file("operations", PCB_OPS + TARGET_OPS),
        "seeds/honours.csv": table_file("honours", [
            {"firm_id": "scc", "list": "listed", "level": "exchange", "detail": "002916.SZ"},
            {"firm_id": "tgcf", "list": "FG500", "year": "2025", "level": "global"},
        ]),
        "seeds/relations.csv": table_file("relations", [
            {"src": "nanya", "dst": "shengyi", "type": "SUPPLIES_TO", "product": "粘结片"},
        ]),
        "seeds/teams.csv": table_file("teams", [
            {"id": "team_sz", "name_zh": "市招商先锋队（深圳）", "covers": "深圳|惠州"},
            {"id": "team_sh", "name_zh": "市招商先锋队（上海）", "covers": "上海|江苏"},
        ]),
        "seeds/signals.csv": table_file("signals", [
            {"firm_id": "scc", "date": "2026-03", "kind": "new_plant", "detail": "新建高端PCB工厂", "amount_yi": "20"},
            {"firm_id": "pcb_small", "date": "2016-01", "kind": "expansion", "detail": "扩产"},
        ]),
        "seeds/channels.csv": table_file("channels", [
            {"firm_id": "tgcf", "channel": "fair", "detail": "进博会参展"},
        ]),
    })
    files.update(extra)
    return parse_workspace(files)


@pytest.fixture(scope="module")
def scorer():
    return TargetScorer(ScoringParams(as_of="2026-11-26")).fit(world())


@pytest.mark.parametrize("mode,best,decoy", [
    ("fill", "scc", "pcb_small"),          # same link; scc is listed, expanding now and in a team's region
    ("strengthen", "nanya", "goldenmax"),  # same link; nanya already supplies the local 生益科技
    ("extend", "tgcf", "defu"),            # same link; tgcf is FG500 and reachable via 进博会
])
def test_planted_best_firm_ranks_first_in_its_mode(scorer, mode, best, decoy):
    ranked = scorer.rank("pcbdemo", mode=mode, top=None)
    ids = list(ranked["firm_id"])
    assert ids[0] == best
    assert ids.index(best) < ids.index(decoy)
    assert set(ranked["mode"]) == {mode}


def test_unassessed_link_is_an_opportunity_to_check_discounted_by_the_strategy(scorer):
    # resin is unassessed (待评估): its maker ranks in mode check (待摸排), not as a known gap
    r = with_reasons(scorer.rank("pcbdemo", top=None)).set_index("firm_id")
    assert r.loc["resin_co", "mode"] == "check"
    assert r.loc["resin_co", "reason"].startswith("待摸排：【电子级环氧树脂】本地尚未评估")
    base = {**STRATEGIES["稳健"]}
    scores = {d: scorer.rank("pcbdemo", strategy={**base, "unassessed": d}, top=None).set_index("firm_id")
              for d in (0.25, 1.0)}
    assert scores[0.25].loc["resin_co", "score"] < scores[1.0].loc["resin_co", "score"]
    # the discount touches only the check mode
    assert scores[0.25].loc["scc", "score"] == scores[1.0].loc["scc", "score"]
    # a discount of 0 leaves unassessed links out, as before
    assert "resin_co" not in set(scorer.rank("pcbdemo", strategy={**base, "unassessed": 0.0}, top=None)["firm_id"])
    assert scorer.explain("resin_co", "pcbdemo")["links"]["check"][0]["status"] == "unassessed"
    with pytest.raises(ValueError, match="unassessed"):
        check_weights({**base, "unassessed": 1.5})


def test_local_firm_is_not_asked_to_fill_its_own_link_but_may_expand(scorer):
    ranked = with_reasons(scorer.rank("pcbdemo", top=None)).set_index("firm_id")
    assert ranked.loc["shengyi", "mode"] == "strengthen" and ranked.loc["shengyi", "expand"]
    assert "可增资扩产" in ranked.loc["shengyi", "reason"]
    assert ranked.loc["shengyi", "fill_score"] == 0.0
    assert not ranked.loc["scc", "expand"]


def test_reasons_name_the_link_the_incumbent_and_the_honour(scorer):
    r = with_reasons(scorer.rank("pcbdemo", top=None)).set_index("firm_id")
    assert r.loc["scc", "reason"].startswith("补链：填补【印制电路板】空白")
    assert "本地【电子组装】（立讯精密）" in r.loc["scc", "reason"] or "【覆铜板】（生益科技）" in r.loc["scc", "reason"]
    assert "上市公司（002916.SZ）" in r.loc["scc", "reason"]
    assert "已是生益科技的供应商" in r.loc["nanya", "reason"]
    assert "世界500强（2025）" in r.loc["tgcf", "reason"]
    assert "延链：延伸至【电子铜箔】" in r.loc["tgcf", "reason"]
    # The scorer emits codes; the words come from the catalogue, in English too.
    code, head = r.loc["scc", "reason_parts"][0]
    assert code == "target_fill" and [link["id"] for link in head["links"]][:1] == ["pcb"] and not head["expand"]
    assert r.loc["scc", "honour"] == "上市公司（002916.SZ）"  # rendered at the edge from the code "listed"
    en = reason_text(r.loc["scc", "reason_parts"], "en")
    assert en.startswith("fill: fills the gap at [印制电路板]") and "listed (002916.SZ)" in en and "补链" not in en


def test_firm_without_known_link_is_placed_by_products_and_marked_inferred(scorer):
    r = with_reasons(scorer.rank("pcbdemo", top=None)).set_index("firm_id")
    assert r.loc["newfoil", "inferred"] and r.loc["newfoil", "mode"] == "extend"
    assert "据主营产品推断" in r.loc["newfoil", "reason"]
    assert not r.loc["tgcf", "inferred"]


def test_firm_with_no_link_and_no_products_is_reported_unscorable(scorer):
    names = scorer.tables_.firms["id"].iloc[scorer.unscorable_].tolist()
    assert "ghost" in names and "scc" not in names


def test_components_stay_in_unit_range_and_score_is_their_weighted_mean_times_momentum(scorer):
    w = STRATEGIES["稳健"]
    r = scorer.rank("pcbdemo", mode="fill", top=None).set_index("firm_id")
    row = r.loc["scc"]
    others = ("affinity", "relatedness", "tier", "propensity", "reach", "gravity")
    mean = (w["fill"] * row["fill_score"] + sum(w[k] * row[k] for k in others)) / (
        w["fill"] + sum(w[k] for k in others))
    m = scorer.momentum("pcbdemo")[scorer.firm_index_.get_loc("scc")]
    assert 0 <= m <= 1 and row["propensity"] > 0  # scc has expansion signals: its momentum counts
    assert row["score"] == pytest.approx(mean * (1 + w["momentum"] * m), abs=1e-3)
    comps = r[["fill_score", *others]].to_numpy()
    assert comps.min() >= 0 and comps.max() <= 1


def test_old_signals_weigh_less_than_new_ones(scorer):
    prop = dict(zip(scorer.tables_.firms["id"], scorer.propensity_))
    # 8 months old vs ~11 years old with a two-year half-life
    assert prop["scc"] == pytest.approx(0.5 ** ((pd.Timestamp("2026-11-26") - pd.Timestamp("2026-03-15")).days
                                                  / 365.25 / 2), abs=1e-3)
    assert prop["pcb_small"] < 0.05


def test_long_jump_strategy_lifts_extension(scorer):
    steady = scorer.rank("pcbdemo", strategy="稳健", top=None).set_index("firm_id")["rank"]
    jump = scorer.rank("pcbdemo", strategy="跨越", top=None).set_index("firm_id")["rank"]
    assert jump["tgcf"] < steady["tgcf"]


def test_filters_by_team_region_and_honour(scorer):
    assert set(scorer.rank("pcbdemo", team="team_sz", top=None)["firm_id"]) == {"scc", "newfoil", "evil"}
    assert set(scorer.rank("pcbdemo", team="市招商先锋队（深圳）", top=None)["firm_id"]) == {"scc", "newfoil", "evil"}
    assert set(scorer.rank("pcbdemo", honour="FG500", top=None)["firm_id"]) == {"tgcf"}
    # resin_co (昆山) ranks for its unassessed link (待摸排)
    assert set(scorer.rank("pcbdemo", region="YRD", top=None)["firm_id"]) == {"nanya", "goldenmax", "tgcf", "resin_co"}
    unassigned = scorer.rank("pcbdemo", team="市本级", top=None)
    assert "pcb_small" in set(unassigned["firm_id"]) and set(unassigned["team_name"]) == {"市本级"}


def test_unknown_names_list_the_choices(scorer):
    with pytest.raises(ValueError, match="unknown chain 'pcb'.*pcbdemo"):
        scorer.rank("pcb")
    with pytest.raises(ValueError, match="unknown team 'team_xx'.*team_sh, team_sz, 市本级"):
        scorer.rank("pcbdemo", team="team_xx")
    with pytest.raises(ValueError, match="unknown firm '不存在'"):
        scorer.explain("不存在", "pcbdemo")
    with pytest.raises(ValueError, match="unknown strategy '激进'.*稳健, 跨越"):
        scorer.rank("pcbdemo", strategy="激进")


@pytest.mark.parametrize("change,message", [
    ({"tier": -0.5}, "weight 'tier' must be ≥ 0"),
    ({"reach": "high"}, "weight 'reach' must be a number, got 'high'"),
    ({"reach": float("nan")}, "weight 'reach' must be a finite number"),
    ({"speed": 1.0}, "unknown weight 'speed'"),
])
def test_bad_weights_are_rejected_with_the_key_named(change, message):
    with pytest.raises(ValueError, match=message):
        check_weights({**STRATEGIES["稳健"], **change})


def test_missing_weight_is_named():
    w = dict(STRATEGIES["跨越"])
    del w["propensity"]
    with pytest.raises(ValueError, match="weight 'propensity' is missing"):
        check_weights(w)


def test_explain_gives_components_links_and_referral_paths(scorer):
    info = scorer.explain("nanya", "pcbdemo")
    assert info["mode"] == "strengthen" and info["components"]["affinity"]["value"] > 0
    assert info["links"]["strengthen"][0]["name_zh"] == "覆铜板"
    assert info["links"]["strengthen"][0]["basis"] == "known"
    assert [("南亚新材", "供货给", "生益科技")] in info["referrals"]
    by_name = scorer.explain("南亚新材", "pcbdemo")
    assert by_name["firm_id"] == "nanya"


def test_csv_export_is_excel_safe():
    ranked = TargetScorer().fit(world()).rank("pcbdemo", top=None)
    data = csv_bytes(target_table(ranked))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "企业名称" in text.splitlines()[0] and "深南电路" in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_xlsx_workbook_has_team_sheets_and_never_runs_formulas(tmp_path):
    t = world()
    ranked = TargetScorer().fit(t).rank("pcbdemo", top=None)
    data = xlsx_bytes(target_sheets(ranked, "PCB示例链", list(t.teams["name_zh"])))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["汇总", "市招商先锋队（上海）", "市招商先锋队（深圳）", "市本级"]
    sz = wb["市招商先锋队（深圳）"]
    header = [c.value for c in sz[1]]
    assert header[:4] == ["排名", "企业名称", "招商类型", "综合得分"]
    assert header[-4:] == ["对接状态", "责任人", "最近对接日期", "备注"]
    assert sz.freeze_panes == "A2"
    names = {row[1].value: row[1] for row in sz.iter_rows(min_row=2)}
    evil = names['=HYPERLINK("http://x","点我")']
    assert evil.data_type == "s"  # a string cell: Excel and WPS show it, never run it
    summary = {r[0].value: r[1].value for r in wb["汇总"].iter_rows(min_row=2)}
    assert summary["市招商先锋队（深圳）"] == 3


def test_bundled_electronics_list_is_led_by_real_pcb_and_ccl_firms(bundled):
    scorer = TargetScorer().fit(bundled)
    # The scorer analyses every chain over one link graph; each chain's gaps are those gap_analysis gives alone.
    for chain in bundled.chains["id"]:
        pd.testing.assert_frame_equal(scorer.gaps_[chain], gap_analysis(bundled, chain))
    ranked = with_reasons(scorer.rank("electronics", top=20))
    assert len(ranked) == 20
    assert ranked["score"].is_monotonic_decreasing
    links = {l for ls in ranked["links"] for l in ls}
    assert {"印制电路板", "覆铜板"} <= links
    assert ranked["reason"].str.len().min() > 10


def test_refitting_on_new_data_renews_the_incumbents_named_in_reasons():
    scorer = TargetScorer().fit(world())
    before = with_reasons(scorer.rank("pcbdemo", mode="fill", top=None)).set_index("firm_id").loc["scc", "reason"]
    assert "本地【电子组装】（立讯精密）" in before
    ops = [o for o in PCB_OPS + TARGET_OPS if not (o["firm_id"] == "luxshare" and o["link_id"] == "pcba")]
    ops.append(op("cpic", "pcba"))  # 电子组装 now has a different local firm
    scorer.fit(world(**{"seeds/operations.csv": table_file("operations", ops)}))
    after = with_reasons(scorer.rank("pcbdemo", mode="fill", top=None)).set_index("firm_id").loc["scc", "reason"]
    assert "本地【电子组装】（国际复材）" in after and "立讯精密" not in after


# ----------------------------------------------------------------------------- relatedness and inferred links
# A library with enough labelled firms for the link classifier, and firms active in several links,
# so that proximity (firm-level co-occurrence) has structure. Real firms, real links.
LABELLED = [
    firm("chaohua", "超华科技", hq_city="梅州", hq_region="other_cn", products="高精度电子铜箔、覆铜板、印制电路板"),
    firm("jinbao", "金宝电子", hq_city="烟台", hq_region="other_cn", products="电解铜箔、覆铜板"),
    firm("huazheng", "华正新材", hq_city="杭州", hq_region="YRD", products="覆铜板、粘结片"),
    firm("chongda", "崇达技术", hq_city="深圳", hq_region="PRD", products="高多层印制电路板"),
    firm("nuode", "诺德股份", hq_city="长春", hq_region="other_cn", products="锂电铜箔"),
    firm("hongchang", "宏昌电子", hq_city="珠海", hq_region="PRD", products="电子级环氧树脂"),
    # no operations: placed from the products text alone
    firm("ccl_new", "某高速覆铜板新厂", hq_city="东莞", hq_region="PRD", products="高频高速覆铜板、半固化片"),
    firm("resin_new", "某树脂新厂", hq_city="惠州", hq_region="PRD", products="电子级环氧树脂、固化剂"),
]
LABELLED_OPS = [
    op("chaohua", "foil", local="false"), op("chaohua", "ccl", local="false"), op("chaohua", "pcb", local="false"),
    op("jinbao", "foil", local="false"), op("jinbao", "ccl", local="false"),
    op("huazheng", "ccl", local="false"), op("chongda", "pcb", local="false"),
    op("nuode", "foil", local="false"), op("hongchang", "resin", local="false"),
]


@pytest.fixture(scope="module")
def labelled():
    t = world(**{"seeds/firms.csv": table_file("firms", PCB_FIRMS + TARGETS + LABELLED),
                 "seeds/operations.csv": table_file("operations", PCB_OPS + TARGET_OPS + LABELLED_OPS)})
    return TargetScorer(ScoringParams(as_of="2026-11-26")).fit(t)


def test_relatedness_is_the_home_citys_density_around_the_firms_links(labelled):
    # Firms per link (anywhere): yarn 2, cloth 3, foil 5, ccl 6, pcb 5, resin 2, pcba 1. Firms in two links:
    # 超华 (foil, ccl, pcb), 金宝 (foil, ccl), 建滔 (yarn, cloth). φ = co-occurrence / max(k_p, k_q):
    # foil–ccl 2/6, foil–pcb 1/5, ccl–pcb 1/6, yarn–cloth 1/3, the rest 0 (zero diagonal).
    # 清远 has yarn, cloth, ccl and pcba. Density ω_p = Σ_q present_q φ_pq / Σ_q φ_pq:
    #   foil (1/3)/(1/3 + 1/5) = 5/8; pcb (1/6)/(1/6 + 1/5) = 5/11; ccl 0 (foil, pcb absent); resin 0.
    d = dict(zip(labelled.link_ids_, labelled.density_))
    assert d["foil"] == pytest.approx(5 / 8) and d["pcb"] == pytest.approx(5 / 11)
    assert d["ccl"] == 0 and d["resin"] == 0 and d["yarn"] == pytest.approx(1)
    rel = dict(zip(labelled.firm_index_, labelled.relatedness_))
    assert rel["tgcf"] == pytest.approx(5 / 8) and rel["scc"] == pytest.approx(5 / 11)
    assert rel["chaohua"] == pytest.approx((5 / 8 + 0 + 5 / 11) / 3)  # mean over its three links, fit 1 each
    assert rel["resin_co"] == 0 and rel["ghost"] == 0
    assert labelled.relatedness_.min() >= 0 and labelled.relatedness_.max() <= 1


def test_relatedness_reason_names_the_local_link_that_makes_it_feasible(labelled):
    r = with_reasons(labelled.rank("pcbdemo", top=None)).set_index("firm_id")
    assert "与本地已有环节关联度高（密度0.62；经营【电子铜箔】的企业常兼营本地已有的【覆铜板】）" in r.loc["tgcf", "reason"]
    assert r.loc["tgcf", "relatedness"] == pytest.approx(0.625, abs=1e-4)


def test_city_level_relatedness_is_available_and_bounded():
    scorer = TargetScorer(ScoringParams(relatedness_level="city", home="清远")).fit(world())
    assert scorer.relatedness_.min() >= 0 and scorer.relatedness_.max() <= 1
    with pytest.raises(ValueError, match="home city"):  # the city is data: the caller names it
        TargetScorer(ScoringParams(relatedness_level="city")).fit(world())
    with pytest.raises(ValueError, match="'firm' or 'city'"):
        TargetScorer(ScoringParams(relatedness_level="province")).fit(world())


def test_classifier_places_a_firm_without_operations_with_a_probability(labelled):
    assert labelled.inference_ == "classifier"
    assert set(labelled.classifier_.classes_) == {"foil", "ccl", "pcb"}  # resin has 2 labelled firms: not learned
    i = labelled.firm_index_.get_loc("ccl_new")
    row = labelled.inferred_proba_[i].toarray().ravel()
    assert labelled.link_ids_[row.argmax()] == "ccl"
    p = row.max()
    assert 0.3 <= p <= 1 and labelled.fit_[i, row.argmax()] == pytest.approx(p)  # the fit is the probability
    r = with_reasons(labelled.rank("pcbdemo", top=None)).set_index("firm_id")
    assert r.loc["ccl_new", "inferred"] and r.loc["ccl_new", "mode"] == "strengthen"
    assert r.loc["ccl_new", "reason"].startswith(f"强链：壮大【覆铜板】（据主营产品推断，概率{p:.0%}）")
    assert r.loc["newfoil", "inferred"] and "据主营产品推断，概率" in r.loc["newfoil", "reason"]
    assert not r.loc["tgcf", "inferred"] and "推断" not in r.loc["tgcf", "reason"]


def test_explain_marks_classifier_links_as_inferred_with_their_probability(labelled):
    info = labelled.explain("某高速覆铜板新厂", "pcbdemo")
    item = info["links"]["strengthen"][0]
    assert item["name_zh"] == "覆铜板" and item["basis"] == "inferred" and item["method"] == "classifier"
    assert item["probability"] == pytest.approx(item["fit"])
    assert item["basis_zh"] == f"推断（概率{item['probability']:.0%}）"
    assert info["inferred"] and info["inference"] == "classifier"
    assert info["inference_note"].startswith("环节推断：主营产品文本分类器")
    known = labelled.explain("tgcf", "pcbdemo")["links"]["extend"][0]
    assert known["basis"] == "known" and known["method"] is None and known["probability"] is None


def test_links_the_classifier_could_not_learn_fall_back_to_keywords(labelled):
    i, j = labelled.firm_index_.get_loc("resin_new"), list(labelled.link_ids_).index("resin")
    assert labelled.inferred_[i, j] == pytest.approx(0.6) and labelled.inferred_proba_[i, j] == 0
    assert "其余4个环节样本不足，按关键词" in labelled.inference_note_


def test_too_few_labels_fall_back_to_keywords_and_say_why(scorer):
    # The planted world has 8 labelled firms: pcb 3, ccl 2, foil 2, resin 1 — one link with 3 texts.
    assert scorer.classifier_ is None
    assert scorer.inference_.startswith("keywords: too few labels to train a LinkClassifier: "
                                        "found 8 labelled texts over 4 links")
    assert "样本不足以训练文本分类器" in scorer.inference_note_
    r = with_reasons(scorer.rank("pcbdemo", top=None)).set_index("firm_id")
    assert "（据主营产品推断，关键词匹配）" in r.loc["newfoil", "reason"]
    item = scorer.explain("newfoil", "pcbdemo")["links"]["extend"][0]
    assert (item["basis"], item["method"], item["fit"], item["basis_zh"]) == ("inferred", "keywords", 0.6, "推断（关键词匹配）")


def test_inference_can_be_chosen_or_switched_off():
    kw = TargetScorer(inference="keywords").fit(world())
    assert kw.inference_ == "keywords: requested (inference='keywords')" and kw.classifier_ is None
    off = TargetScorer(inference="none").fit(world())
    assert off.inference_ == "none" and not off.has_inferred_.any()
    assert "newfoil" in set(off.tables_.firms["id"].iloc[off.unscorable_])
    with pytest.raises(ValueError, match="unknown inference 'bert'; choose one of: classifier, keywords, none"):
        TargetScorer(inference="bert").fit(world())


def test_scores_tied_at_the_cut_are_taken_in_firm_id_order(bundled):
    """top=5 and top=6 agree on the first five even when the fifth and sixth scores tie."""
    scorer = TargetScorer().fit(bundled)
    for chain in bundled.chains["id"]:
        score = scorer.score(chain)[0]
        rows = np.flatnonzero(np.isfinite(score))
        order = scorer.firm_index_[rows[np.lexsort((rows, -score[rows]))]]
        for k in (1, 5, 10):
            assert list(scorer.rank(chain, top=k)["firm_id"]) == list(order[:k])


def test_teams_cover_provinces_cities_and_the_hmt_region(bundled):
    from chainmap.scoring.engine import TargetScorer

    teams = bundled.teams.copy()
    # the old format keeps working; new entries name their kind
    teams.loc[teams["id"] == "team_sz", "covers"] = "深圳|惠州|region:hmt"
    teams.loc[teams["id"] == "team_gz", "covers"] = "广州|佛山|肇庆|province:广东省"
    s = TargetScorer(inference="keywords").fit(bundled.replace(teams=teams))
    team = dict(zip(bundled.firms["id"], s.team_))
    region = dict(zip(bundled.firms["id"], bundled.firms["hq_region"]))
    assert region["kingboard"] == "hmt" and team["kingboard"] == "team_sz"  # 建滔, 香港
    assert region["emc"] == "hmt" and team["emc"] == "team_sz"  # 台光, 台湾
    assert team["kinwong"] == "team_sz"  # 深圳: the city wins over the province
    qingyuan = bundled.firms.loc[bundled.firms["hq_city"] == "清远", "id"]
    assert len(qingyuan) and all(team[f] == "team_gz" for f in qingyuan)  # 广东 outside the team cities
    old_teams = bundled.teams.copy()
    old_teams.loc[old_teams["id"] == "team_sz", "covers"] = "深圳|惠州"  # the file before 港澳台 had a team
    old = TargetScorer(inference="keywords").fit(bundled.replace(teams=old_teams))
    assert dict(zip(bundled.firms["id"], old.team_))["kingboard"] == ""
    bundled_teams = dict(zip(bundled.firms["id"], TargetScorer(inference="keywords").fit(bundled).team_))
    assert bundled_teams["kingboard"] == "team_sz" and bundled_teams["cst"] == "team_sz"  # 建滔 HK, 正新 TW


@pytest.mark.parametrize("firm_id", ["scc", "nanya", "tgcf", "resin_co"])
def test_explain_shows_each_components_contribution_summing_to_the_score(scorer, firm_id):
    info = scorer.explain(firm_id, "pcbdemo")
    total = sum(c["contribution"] for c in info["components"].values())
    assert total == pytest.approx(info["score"], abs=2e-3)
    assert info["components"]["gravity"]["contribution"] == 0.0  # no home province given: no gravity


def _with_events(tables, rows):
    """``tables`` with investment events (the columns ``seeds/events.csv`` has; blanks elsewhere)."""
    cols = tables.events.columns
    ev = pd.DataFrame([{c: r.get(c, np.nan if c == "amount_yi" else "") for c in cols} for r in rows], columns=cols)
    ev["in_qingyuan"] = False
    ev["amount_yi"] = pd.to_numeric(ev["amount_yi"])
    return tables.replace(events=ev.astype(tables.events.dtypes.to_dict()))


def test_a_past_investment_event_places_a_firm_on_its_link_and_a_later_one_does_not(scorer):
    t = _with_events(scorer.tables_, [{"id": "e1", "date": "2024-05", "firm_id": "ghost", "chain": "pcbdemo",
                                       "link_id": "pcb", "kind": "new_plant", "place": "江西赣州"}])
    after = TargetScorer(ScoringParams(as_of="2025-01-01"), inference="keywords").fit(t)
    before = TargetScorer(ScoringParams(as_of="2024-03-01"), inference="keywords").fit(t)
    i, j = after.firm_index_.get_loc("ghost"), list(after.link_ids_).index("pcb")
    assert "ghost" in scorer.tables_.firms["id"].iloc[scorer.unscorable_].tolist()  # no class, no products
    assert after.fit_[i, j] == pytest.approx(0.8) and after.basis(i, j)["basis"] == "event"
    assert before.fit_[i].nnz == 0  # the event lies after the snapshot: it cannot place the firm
    info = after.explain("ghost", "pcbdemo")
    assert [d["basis"] for d in info["links"]["fill"]] == ["event"]
    assert reason_text([("basis", info["links"]["fill"][0]["basis_detail"])], "en") == \
        "placed on [印制电路板] by a past investment in it"


def test_momentum_lifts_a_serial_expander_most_for_the_chain_it_invested_in(scorer):
    ev = [{"id": f"e{k}", "date": d, "firm_id": "defu", "chain": "pcbdemo", "link_id": "foil", "kind": "expansion"}
          for k, d in enumerate(["2023-06", "2024-06"])]
    base = TargetScorer(ScoringParams(as_of="2025-01-01"), inference="keywords").fit(scorer.tables_)
    busy = TargetScorer(ScoringParams(as_of="2025-01-01"), inference="keywords").fit(_with_events(scorer.tables_, ev))
    elsewhere = TargetScorer(ScoringParams(as_of="2025-01-01"), inference="keywords").fit(
        _with_events(scorer.tables_, [{**e, "chain": "other"} for e in ev]))
    i = base.firm_index_.get_loc("defu")
    m_here, m_there = busy.momentum("pcbdemo")[i], elsewhere.momentum("pcbdemo")[i]
    assert base.momentum("pcbdemo")[i] == 0 and 0 < m_there < m_here <= 1
    s0, s1 = base.score("pcbdemo")[0][i], busy.score("pcbdemo")[0][i]
    assert s1 > s0
    # Without the momentum factor the same events only add their share of the mean (propensity).
    plain = {**STRATEGIES["稳健"], "momentum": 0.0}
    assert s1 / s0 > busy.score("pcbdemo", plain)[0][i] / base.score("pcbdemo", plain)[0][i]


@pytest.mark.parametrize("firm_id", ["scc", "nanya", "tgcf", "resin_co", "newfoil"])
def test_the_fit_gate_multiplies_the_mean_by_the_root_of_the_firms_value_in_its_mode(scorer, firm_id):
    s, _, _ = scorer.score("pcbdemo", "稳健")
    plain, _, _ = scorer.score("pcbdemo", {**STRATEGIES["稳健"], "fit_power": 0.0})
    ok = np.isfinite(s)
    assert (s[ok] <= plain[ok] + 1e-12).all()  # a value in [0, 1] to a positive power: never lifts a firm
    info = scorer.explain(firm_id, "pcbdemo")
    i = scorer.firm_index_.get_loc(firm_id)
    value = info["fit_gate"]["value"]
    assert 0 < value <= 1 and info["fit_gate"]["factor"] == pytest.approx(value ** 0.5, abs=1e-4)
    assert s[i] == pytest.approx(plain[i] * value ** 0.5, rel=1e-3)


def test_a_mode_values_a_firms_best_link_not_the_sum_of_its_links(scorer):
    # A firm on two strengthen links (ccl, pcba) is worth its better one, not both: it brings one project.
    new = [firm("both", "两环节企业", hq_city="赣州"), firm("pcba_only", "组装企业", hq_city="赣州")]
    ops = [op("both", "ccl", local="false"), op("both", "pcba", local="false"), op("pcba_only", "pcba", local="false")]
    t = world(**{"seeds/firms.csv": table_file("firms", PCB_FIRMS + TARGETS + new),
                 "seeds/operations.csv": table_file("operations", PCB_OPS + TARGET_OPS + ops)})
    s = TargetScorer(ScoringParams(as_of="2026-11-26"), inference="keywords").fit(t)
    v = s.components("pcbdemo")["strengthen"]
    both, ccl_only, pcba_only = (s.firm_index_.get_loc(f) for f in ("both", "goldenmax", "pcba_only"))
    assert v[ccl_only] > 0 and v[pcba_only] > 0
    assert v[both] == pytest.approx(max(v[ccl_only], v[pcba_only]))


@pytest.mark.parametrize("sw_l3", ["股份制银行Ⅲ", "住宅开发"])
def test_an_event_never_places_a_bank_or_a_developer_on_a_link(scorer, sw_l3):
    t = _with_events(scorer.tables_, [{"id": "e1", "date": "2024-05", "firm_id": "ghost", "chain": "pcbdemo",
                                       "link_id": "pcb", "kind": "new_plant", "place": "江西赣州"}])
    firms = t.firms.copy()
    firms["sw_l3"] = np.where(firms["id"] == "ghost", sw_l3, firms["sw_l3"] if "sw_l3" in firms else "")
    s = TargetScorer(ScoringParams(as_of="2025-01-01"), inference="keywords").fit(t.replace(firms=firms))
    i = s.firm_index_.get_loc("ghost")
    # The same event places the same firm without that class (the test above): here it is the financier.
    assert s.excluded_[i] and s.fit_[i].nnz == 0 and np.isnan(s.score("pcbdemo")[0][i])


def test_link_heat_counts_every_firms_earlier_events_on_a_link_and_no_later_one(scorer):
    ev = [{"id": f"e{k}", "date": d, "firm_id": f, "chain": "pcbdemo", "link_id": lk, "kind": "new_plant"}
          for k, (f, d, lk) in enumerate([("nanya", "2023-06", "ccl"), ("scc", "2024-03", "ccl"),
                                          ("defu", "2025-06", "foil")])]
    s = TargetScorer(ScoringParams(as_of="2025-01-01"), inference="keywords").fit(_with_events(scorer.tables_, ev))
    h = s.link_heat("pcbdemo")
    at = s.firm_index_.get_loc
    # 金安国纪 never invested, but two firms of its link (覆铜板) just did: it follows the wave ...
    assert h[at("goldenmax")] == 1.0 and s.momentum("pcbdemo")[at("goldenmax")] == pytest.approx(1 / 3)
    m = s.explain("goldenmax", "pcbdemo")["momentum"]  # explain shows the two parts
    assert (m["own"], m["link_heat"], m["value"]) == (0.0, 1.0, pytest.approx(1 / 3, abs=1e-4))
    m = s.explain("nanya", "pcbdemo")["momentum"]
    assert m["own"] > 0 and m["value"] == pytest.approx((2 * m["own"] + m["link_heat"]) / 3, abs=1e-3)
    # ... and the 2025 foil plant is unknown on 2025-01-01: foil makers get no heat from it.
    assert h[at("tgcf")] == 0.0 and h[at("defu")] == 0.0
