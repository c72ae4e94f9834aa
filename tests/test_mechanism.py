"""八个一 review: derived slots and the completeness score, with answers worked out by hand."""
import datetime as dt

import pandas as pd
import pytest

from chainmap.analysis import gap_analysis
from chainmap.i18n import reason_text, with_evidence
from chainmap.analysis.mechanism import (chain_leader_slot, chain_map_slot, completeness, mechanism_review,
                                         project_ledger_slot, review_summary, status_of, target_list_slot)
from chainmap.briefs.workbook import mechanism_sheets
from chainmap.scoring import TargetScorer

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def scorer(bundled):
    return TargetScorer().fit(bundled)


@pytest.fixture(scope="module")
def electronics_scores(scorer):
    return pd.Series(scorer.score("electronics")[0], index=scorer.firm_index_)


def followups(rows):
    cols = ["firm_id", "chain", "status", "person", "team", "contact_date", "notes", "updated_by", "updated_at"]
    return pd.DataFrame([dict(dict.fromkeys(cols, ""), **r) for r in rows], columns=cols)


def test_chain_map_covers_surveyed_and_present_links(bundled):
    gaps = gap_analysis(bundled, "electronics")
    s = chain_map_slot(bundled, "electronics", gaps, TODAY)
    # Present: 电子级玻纤纱, 电子布 (建滔), 覆铜板 (建滔), 化合物半导体衬底, 溅射靶材, 电子浆料 (先导),
    # 印制电路板 (金禄电子, surveyed again 2026-12-01): 7. Surveyed and empty: IC封装基板, 柔性电路板 (补链): 2.
    # The other 11 are 待评估.
    assert (s["n_covered"], s["n_links"]) == (9, 20)
    assert s["coverage"] == 0.45 and s["score"] == 0.45 and s["status"] == "推进中"
    assert s["updated_on"] == "2026-12-01", "the latest survey: 印制电路板's"
    (code, params), = s["evidence_parts"]
    assert code == "mech_chain_map" and (params["covered"], params["links"], params["stale_after"]) == (9, 20, None)
    words = reason_text(s["evidence_parts"])
    assert "9/20" in words and "待评估11个" in words
    assert reason_text(s["evidence_parts"], "en").startswith("9/20 links surveyed or with a local firm")


def test_a_stale_chain_map_counts_half(bundled):
    gaps = gap_analysis(bundled, "electronics")
    s = chain_map_slot(bundled, "electronics", gaps, dt.date(2028, 1, 1))
    assert s["score"] == 0.225 and "已超过365天" in reason_text(s["evidence_parts"])


def test_target_list_counts_contacts_beyond_first_contact(bundled, electronics_scores):
    n_targets = int((electronics_scores.fillna(0) > 0).sum())
    assert n_targets >= 10, "a working list of 10 can be filled"
    t = bundled.replace(followups=followups([
        {"firm_id": "shengyi", "chain": "electronics", "status": "已拜访", "contact_date": "2026-11-02"},   # 生益科技
        {"firm_id": "fastprint", "chain": "electronics", "status": "未对接"},                              # 兴森科技
        {"firm_id": "kingboard", "chain": "electronics", "status": "暂缓", "contact_date": "2026-10-15"},   # 建滔集团
        {"firm_id": "avary", "chain": "ebike", "status": "有意向"},                                          # other chain
    ]))
    s = target_list_slot(t, "electronics", electronics_scores)
    # 2 contacted of a working list of min(10, n_targets) = 10: ½ + ½ × 2/10
    assert (s["n_targets"], s["n_contacted"]) == (n_targets, 2)
    assert s["score"] == pytest.approx(0.6) and s["status"] == "推进中"
    assert s["updated_on"] == "2026-11-02"


def test_target_list_with_no_target_is_not_started(bundled):
    s = target_list_slot(bundled, "electronics", pd.Series({"kingboard": float("nan")}))
    assert (s["score"], s["status"]) == (0.0, "未启动")


def test_project_ledger_slot_of_materials(bundled):
    s = project_ledger_slot(bundled, "materials")
    # 年产1万吨碳纤维 (签约, 25亿), 科城铜业电磁线 (动工), 钛美铝业二期 (动工), 楚江铜业 (签约).
    # Needed fields filled: 5/7 + 3/8 + 2/8 + 2/7 = 12/30.
    assert (s["n_projects"], s["planned_yi"]) == (4, 25.0)
    assert s["fill_rate"] == pytest.approx(12 / 30)
    assert s["score"] == pytest.approx(0.5 + 0.5 * 12 / 30) and s["status"] == "推进中"


def test_project_ledger_slot_without_projects(bundled):
    s = project_ledger_slot(bundled, "ebike")
    assert (s["n_projects"], s["score"], s["status"]) == (0, 0.0, "未启动")


def test_chain_leader_comes_from_the_gap_analysis(bundled):
    s = chain_leader_slot(gap_analysis(bundled, "electronics"))
    assert s["leaders"] == ["建滔集团"] and s["score"] == 1.0 and s["status"] == "已落实"
    assert reason_text(s["evidence_parts"]) == "链主：建滔集团（电子级玻纤纱、电子布）"
    assert chain_leader_slot(gap_analysis(bundled, "ebike"))["score"] == 0.0


def test_review_of_electronics_and_its_completeness(bundled, electronics_scores):
    gaps = gap_analysis(bundled, "electronics")
    r = mechanism_review(bundled, "electronics", gaps, electronics_scores, TODAY).set_index("slot")
    assert list(r.index) == list(range(1, 9))
    assert list(r["kind"]) == ["manual", "manual", "derived", "derived", "derived", "manual", "manual", "derived"]
    # 3: 0.45; 4: a list of 25, none contacted: 0.5; 5: 2 projects with 4 of 14 needed fields: ½ + ½ × 4/14; 8: 1.
    assert r.loc[3, "score"] == 0.45 and r.loc[4, "score"] == 0.5 and r.loc[8, "score"] == 1.0
    assert r.loc[5, "score"] == pytest.approx(0.5 + 0.5 * 4 / 14, abs=1e-4)
    assert r.loc[[1, 2, 6, 7], "score"].tolist() == [0.0] * 4
    expected = (0.45 + 0.5 + (0.5 + 0.5 * 4 / 14) + 1.0) / 8
    assert completeness(r.reset_index()) == pytest.approx(expected, abs=1e-4)   # ≈ 0.324


def test_manual_slot_in_place_needs_evidence(bundled, electronics_scores):
    m = bundled.mechanism.copy()
    sel = (m["chain"] == "electronics") & (m["slot"] == 1)
    m.loc[sel, ["status", "owner", "evidence"]] = ["已落实", "市工业和信息化局", ""]
    sel6 = (m["chain"] == "electronics") & (m["slot"] == 6)
    m.loc[sel6, ["status", "evidence"]] = ["已落实", "清府办〔2026〕8号"]
    sel7 = (m["chain"] == "electronics") & (m["slot"] == 7)
    m.loc[sel7, "status"] = "推进中"
    gaps = gap_analysis(bundled, "electronics")
    r = mechanism_review(bundled.replace(mechanism=m), "electronics", gaps, electronics_scores, TODAY).set_index("slot")
    assert r.loc[1, "score"] == 0.5 and r.loc[1, "metric"] == "metric_unproven"
    words = with_evidence(r)
    assert "未附佐证" in words.loc[1, "metric"] and words.loc[6, "evidence"] == "清府办〔2026〕8号"
    assert words.loc[8, "evidence"].startswith("链主：建滔集团") and r.loc[8, "evidence"] == ""
    assert r.loc[6, "score"] == 1.0 and r.loc[7, "score"] == 0.5
    assert r.loc[1, "owner"] == "市工业和信息化局"


def test_status_thresholds():
    assert [status_of(x) for x in (0.0, 0.01, 0.79, 0.8, 1.0)] == ["未启动", "推进中", "推进中", "已落实", "已落实"]


def test_meeting_workbook_has_a_summary_and_a_sheet_per_chain(bundled, scorer):
    reviews = {}
    for chain, name in zip(bundled.chains["id"], bundled.chains["name_zh"]):
        scores = pd.Series(scorer.score(chain)[0], index=scorer.firm_index_)
        reviews[name] = mechanism_review(bundled, chain, gap_analysis(bundled, chain), scores, TODAY)
    sheets = mechanism_sheets(reviews)
    assert list(sheets) == ["汇总", *bundled.chains["name_zh"]]   # one sheet per chain file, in chain order
    summary = sheets["汇总"].set_index("产业链")
    assert summary.loc["电子信息", "机制完备度"] == "32%" and summary.loc["电子信息", "已落实"] == 1
    assert list(sheets["电子信息"].columns)[:4] == ["序号", "事项", "类型", "状态"]


def test_the_workbook_in_english_has_the_same_figures_in_english_words(bundled, scorer):
    reviews = {}
    for chain, zh, en in zip(bundled.chains["id"], bundled.chains["name_zh"], bundled.chains["name_en"]):
        scores = pd.Series(scorer.score(chain)[0], index=scorer.firm_index_)
        reviews[chain] = (zh, en, mechanism_review(bundled, chain, gap_analysis(bundled, chain), scores, TODAY))
    zh = mechanism_sheets({z: r for z, _, r in reviews.values()})
    en = mechanism_sheets({e: r for _, e, r in reviews.values()}, "en")
    assert list(en) == ["Summary", *bundled.chains["name_en"]]
    assert list(en["Summary"].columns) == ["chain", "completeness", "in place", "in progress", "not started", "slots"]
    # the same figures, in the same order, whatever the language
    assert en["Summary"].iloc[:, 1:].values.tolist() == zh["汇总"].iloc[:, 1:].values.tolist()
    z, e = zh["电子信息"], en["Electronic information"]
    assert e["score"].tolist() == z["得分"].tolist() and e["item"].tolist() == z["事项"].tolist()  # slot names are data
    assert set(e["status"]) <= {"in place", "in progress", "not started"} and set(e["kind"]) == {"derived", "manual"}
    derived = e[e["kind"] == "derived"]
    assert derived["progress and evidence"].str.contains("links surveyed or with a local firm").any()
    assert not derived["progress and evidence"].str.contains("摸排|目标企业|台账").any()
    assert e["scored as"].str.contains("coverage × freshness").any()


def test_review_summary_counts_each_status(bundled, electronics_scores):
    r = mechanism_review(bundled, "electronics", gap_analysis(bundled, "electronics"), electronics_scores, TODAY)
    s = review_summary(r)
    assert s["slots"] == len(r) == 8 and sum(s["by_status"].values()) == 8
    assert s["by_status"] == r["status"].value_counts().reindex(list(s["by_status"]), fill_value=0).to_dict()
    assert s["completeness"] == completeness(r)
    assert review_summary(r.iloc[:0]) == {"completeness": 0.0, "slots": 0,
                                          "by_status": {"已落实": 0, "推进中": 0, "未启动": 0}}
