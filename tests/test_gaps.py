"""Gap definitions on hand-made graphs whose answers were worked out by hand."""
import math

import pytest

from chainmap.analysis import GapParams, gap_analysis
from chainmap.i18n import reason_text
from chainmap.io import parse_workspace
from tests.worlds import PCB_OPS, chain_file, firm, op, pcb_world, table_file


@pytest.fixture
def pcb_gaps():
    return gap_analysis(parse_workspace(pcb_world()), "pcbdemo").set_index("link_id")


def test_each_status_follows_its_definition(pcb_gaps):
    # yarn: 链主 → strong; cloth: 3 local firms → strong; ccl, pcba: 1 firm → strengthen;
    # pcb: none, between ccl (present) and pcba (present) → fill;
    # foil: none, only ccl downstream → extend; resin: none and never surveyed → unassessed.
    assert pcb_gaps["status"].to_dict() == {
        "yarn": "strong", "cloth": "strong", "foil": "extend", "resin": "unassessed",
        "ccl": "strengthen", "pcb": "fill", "pcba": "strengthen",
    }


def test_strength_takes_the_best_evidence(pcb_gaps):
    # yarn: leader=1; cloth: min(3,3)/3=1; ccl: 1/3; pcba: scale 20/50=0.4 beats count 1/3.
    assert pcb_gaps["strength"].to_dict() == pytest.approx(
        {"yarn": 1.0, "cloth": 1.0, "foil": 0.0, "resin": 0.0, "ccl": 1 / 3, "pcb": 0.0, "pcba": 0.4}, abs=1e-4)


def test_severity_is_importance_pull_centrality_and_gap(pcb_gaps):
    # Estimated outputs X̂: yarn 50, cloth 50, ccl 50/3, pcba 20 (known), others 0.
    # Req: yarn 1.0*50=50 (max), cloth/foil/resin 0.3*50/3=5, pcb 1.0*20=20, ccl 0.3*0=0, pcba 0.
    # pull = .5+.5*Req/50; paths through: ccl, pcb, pcba 3 of 3, the sources 1 → centrality 1 or 2/3.
    sev = pcb_gaps["severity"]
    assert sev["pcb"] == pytest.approx(1.0 * 0.7 * 1.0 * 1.0, abs=1e-4)
    assert sev["ccl"] == pytest.approx(1.0 * 0.5 * 1.0 * (2 / 3), abs=1e-4)
    assert sev["foil"] == pytest.approx(0.8 * 0.55 * (2 / 3) * 1.0, abs=1e-4)
    assert sev["pcba"] == pytest.approx(0.7 * 0.5 * 1.0 * 0.6, abs=1e-4)
    assert sev["yarn"] == 0.0
    assert sev["resin"] is None or math.isnan(sev["resin"])
    assert pcb_gaps.loc["pcb", "demand_pull"] == pytest.approx(0.7)
    assert pcb_gaps.loc["foil", "centrality"] == pytest.approx(2 / 3, abs=1e-4)


def test_incumbents_and_reasons_name_local_firms_only(pcb_gaps):
    assert pcb_gaps.loc["yarn", "incumbents"] == ["建滔集团"]  # 泰山玻纤 is not local
    assert pcb_gaps.loc["yarn", "chain_leaders"] == ["建滔集团"]
    assert pcb_gaps.loc["cloth", "n_local"] == 3
    why = pcb_gaps["reason_parts"].map(reason_text)
    assert pcb_gaps.loc["yarn", "reason_parts"][:2] == [("gap_strong", {}), ("ev_leader", {"firms": ["建滔集团"]})]
    assert "链主建滔集团" in why["yarn"]
    (code, params), = pcb_gaps.loc["pcb", "reason_parts"]
    assert code == "gap_fill" and [r["id"] for r in params["up"]] == ["ccl"] and params["down"][0]["zh"] == "电子组装"
    assert why["pcb"].startswith("补链") and "【覆铜板】" in why["pcb"] and "【电子组装】" in why["pcb"]
    assert why["foil"] == "延链：本地空白，下游已有【覆铜板】，可向上游延伸"
    assert why["resin"].startswith("待评估")
    # The same reasons in English read as English, naming links by their English names.
    en = reason_text(pcb_gaps.loc["foil", "reason_parts"], "en")
    assert en.startswith("extend: missing here;") and "[" in en and "【" not in en and "延链" not in en


def test_status_carries_source_and_date(pcb_gaps):
    assert pcb_gaps.loc["pcb", "as_of"] == "2026-11-01"
    assert pcb_gaps.loc["ccl", "source"] == "test fixture (hand-made world)"
    assert pcb_gaps.loc["resin", "source"] == ""


def test_rows_run_upstream_to_downstream(pcb_gaps):
    stages = list(pcb_gaps["stage"])
    assert stages == sorted(stages, key=["upstream", "midstream", "downstream"].index)
    assert list(pcb_gaps.index).index("yarn") < list(pcb_gaps.index).index("cloth")


def test_self_sufficiency_makes_a_single_firm_strong():
    # ccl: one firm with 40亿 output; pcb downstream has 100亿 known output and takes
    # 0.3 of its inputs from ccl: Req* = 30 → sufficiency min(1, 40/30) = 1.
    ops = PCB_OPS + [op("luxshare", "pcb", output_yi="100")]
    ops[4] = op("shengyi", "ccl", output_yi="40")
    gaps = gap_analysis(parse_workspace(pcb_world(**{"seeds/operations.csv": table_file("operations", ops)})),
                        "pcbdemo").set_index("link_id")
    assert gaps.loc["ccl", "status"] == "strong"
    assert gaps.loc["ccl", "reason_parts"][1] == ("ev_sufficiency", {"share": 1.0})
    assert "满足本地下游需求的100%" in reason_text(gaps.loc["ccl", "reason_parts"])


def test_threshold_is_a_parameter(pcb_gaps):
    gaps = gap_analysis(parse_workspace(pcb_world()), "pcbdemo", GapParams(strong_threshold=0.3)).set_index("link_id")
    assert gaps.loc["ccl", "status"] == "strong"


def test_fill_and_extend_follow_edges_across_chains():
    # Aluminium extrusions (materials, present) → frame (ebike, missing) → vehicle (ebike, present):
    # the frame is a hole between present links even though they are in two chains.
    files = {
        "graphs/mat.toml": chain_file("mat", "先进材料", [("al", "铝型材", "midstream", 0.9)]),
        "graphs/bike.toml": chain_file("bike", "电动自行车", [
            ("frame", "车架", "upstream", 0.7), ("motor", "轮毂电机", "upstream", 0.9),
            ("vehicle", "整车", "midstream", 1.0), ("swap", "换电运营", "downstream", 0.5),
        ], [("al", "frame", 0.2), ("frame", "vehicle", 0.1), ("motor", "vehicle", 0.2), ("vehicle", "swap")]),
        "seeds/firms.csv": table_file("firms", [firm("haomei", "豪美新材"), firm("yadea_gd", "广东雅迪机车有限公司")]),
        "seeds/operations.csv": table_file("operations", [op("haomei", "al"), op("yadea_gd", "vehicle")]),
        "seeds/assessments.csv": table_file("assessments", [
            {"link_id": l, "assessed_on": "2026-11-26"} for l in ("frame", "motor", "swap")]),
    }
    gaps = gap_analysis(parse_workspace(files), "bike").set_index("link_id")
    assert gaps["status"].to_dict() == {"frame": "fill", "motor": "extend", "vehicle": "strengthen", "swap": "extend"}
    assert "【铝型材】" in reason_text(gaps.loc["frame", "reason_parts"])
    assert reason_text(gaps.loc["swap", "reason_parts"]) == "延链：本地空白，上游已有【整车】，可向下游延伸"


def test_missing_link_with_no_local_neighbour_is_a_long_jump():
    files = {
        "graphs/bike.toml": chain_file("bike", "电动自行车", [
            ("controller", "控制器", "upstream", 0.8), ("vehicle", "整车", "midstream", 1.0)],
            [("controller", "vehicle")]),
        "seeds/assessments.csv": table_file("assessments", [
            {"link_id": "controller", "assessed_on": "2026-11-26"}, {"link_id": "vehicle", "assessed_on": "2026-11-26"}]),
    }
    gaps = gap_analysis(parse_workspace(files), "bike").set_index("link_id")
    assert list(gaps["status"]) == ["extend", "extend"]
    assert gaps.loc["controller", "reason_parts"] == [("gap_leap", {})]
    assert "跨越" in reason_text(gaps.loc["controller", "reason_parts"])


def test_unknown_chain_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown chain 'ebke'.*pcbdemo"):
        gap_analysis(parse_workspace(pcb_world()), "ebke")
