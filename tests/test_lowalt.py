"""低空经济 (lowalt): the fourth chain, added as one file in graphs/ with no code change.

It must load with its classes, reuse the cells, composites and electronics links of the other chains
instead of copying them, place real listed firms from ``../shared/data/listed`` (skipped when absent)
and never a bank, and answer every command the other chains answer.
"""
import json
import tomllib

import numpy as np
import pytest

from chainmap.cli import main
from chainmap.io import bundled_workspace
from chainmap.io.listed import merge_firms
from chainmap.io.workspace import validate_tables
from chainmap.scoring.engine import TargetScorer
from chainmap.scoring.placement import BASIS
from tests.test_app import read_only_workspace  # noqa: F401  (fixture: the app's workspace, shared by readers)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def lowalt_links(tables):
    return tables.links[tables.links["chain"] == "lowalt"]


# ------------------------------------------------------------------ the chain file


def test_lowalt_loads_with_its_stages_classes_and_sources(bundled):
    chain = bundled.chains.set_index("id").loc["lowalt"]
    assert (chain["name_zh"], chain["name_en"]) == ("低空经济", "Low-altitude economy")
    assert "清府办函〔2024〕94号" in chain["source"]
    links = lowalt_links(bundled)
    assert 10 <= len(links) <= 16
    assert set(links["stage"]) == {"upstream", "midstream", "downstream"}
    for r in links.to_dict("records"):
        assert r["class_source"].startswith("GB/T 4754-2017"), r["id"]
        codes = [c for c in r["gb_codes"].split("|") if c] + \
                [c.partition(":")[2] for c in r["coarse"].split("|") if c.startswith("gb:")]
        assert codes, f"{r['id']}: no GB/T 4754-2017 class"
        assert all(c in r["class_source"] for c in codes), f"{r['id']}: a code without its name in class_source"


def test_lowalt_reuses_the_battery_composite_and_electronics_links_of_the_other_chains(bundled):
    chain_of = dict(zip(bundled.links["id"], bundled.links["chain"]))
    into = bundled.edges[bundled.edges["dst"].map(chain_of) == "lowalt"]
    sources = {chain_of[s] for s in into["src"]}
    assert {"ebike", "materials", "electronics"} <= sources
    for src, dst in (("li_cell", "uav_battery"), ("composites", "aero_parts"), ("pcba", "flight_control")):
        assert ((into["src"] == src) & (into["dst"] == dst)).any(), (src, dst)
    # reused, not copied: no lowalt link repeats a fine class that already places firms on another chain's link
    others = bundled.links[bundled.links["chain"] != "lowalt"]
    for col in ("gb_codes", "sw_l3", "tushare"):
        taken = {v for cell in others[col] for v in cell.split("|") if v}
        mine = {v for cell in lowalt_links(bundled)[col] for v in cell.split("|") if v}
        assert not mine & taken, (col, mine & taken)


def test_retired_drone_batteries_go_to_battery_recycling_by_an_edge_in_the_ebike_file(bundled):
    """The one edge out of 低空经济: it lives in the file of the link it feeds, with its source, like the others."""
    chain_of = dict(zip(bundled.links["id"], bundled.links["chain"]))
    out = bundled.edges[(bundled.edges["src"].map(chain_of) == "lowalt") & (bundled.edges["dst"].map(chain_of) != "lowalt")]
    assert list(zip(out["src"], out["dst"], out["feedback"])) == [("uav_battery", "battery_recycling", False)]
    doc = tomllib.loads((bundled_workspace() / "graphs" / "ebike.toml").read_text(encoding="utf-8"))
    edge, = [e for e in doc["edges"] if e["from"] == "uav_battery"]
    assert edge["to"] == "battery_recycling" and "http" in edge["note"] and "share" not in edge  # no share known



def test_a_battery_recycler_reaches_the_drone_battery_link_by_integration_only(capsys):
    """What the edge changes: 格林美 (known on 电池回收) is one supply step from 无人机动力电池, so it is a
    延链 target of 低空经济 by vertical integration, never as a known maker of drone batteries."""
    code, out, err = run(capsys, "explain", "gem", "--chain", "lowalt", "--format", "json")
    assert code == 0, err
    info = json.loads(out)
    on = {d["link_id"]: d["basis"] for items in info["links"].values() for d in items}
    assert on == {"uav_battery": "integration"}


def test_the_chain_file_keeps_every_edge_in_the_file_of_the_link_it_feeds():
    doc = tomllib.loads((bundled_workspace() / "graphs" / "lowalt.toml").read_text(encoding="utf-8"))
    own = {link["id"] for link in doc["links"]}
    assert all(e["to"] in own for e in doc["edges"])


def test_every_lowalt_link_was_surveyed_and_the_targets_carry_sources(bundled):
    ids = set(lowalt_links(bundled)["id"])
    assert ids <= set(bundled.assessments["link_id"])
    ops = bundled.operations[bundled.operations["link_id"].isin(ids)]
    assert len(ops) >= 8 and ops["source"].str.startswith("http").all()
    assert not ops["local"].any()   # no local low-altitude firm was found in the sources read
    firms = bundled.firms.set_index("id").loc[sorted(set(ops["firm_id"]))]
    assert firms["source"].str.startswith("http").all()


# ------------------------------------------------------------------ commands


def test_gaps_answers_for_lowalt_with_every_link_surveyed(capsys):
    code, out, _ = run(capsys, "gaps", "--chain", "lowalt", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 16
    assert "unassessed" not in {r["status"] for r in rows}
    assert {r["status"] for r in rows} <= {"fill", "extend", "strengthen", "strong"}


def test_rank_answers_for_lowalt_with_sourced_targets(capsys):
    code, out, _ = run(capsys, "rank", "--chain", "lowalt", "--top", "50", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows
    ids = {r["firm_id"] for r in rows}
    assert {"ehang", "dji", "wanfeng"} <= ids
    ehang = next(r for r in rows if r["firm_id"] == "ehang")
    assert "eVTOL与飞行汽车" in ehang["links"] and ehang["mode"] == "extend"


def test_rank_puts_the_makers_on_lowalt_links_above_the_big_firms_reaching_across(capsys):
    # 大疆 is known on the chain's most severe link; 比亚迪 and 豪美新材 only reach across from their own
    # chains (纵向延伸, fit 0.2). Big, near and busy must not outweigh fit (the fit gate of 稳健).
    code, out, _ = run(capsys, "rank", "--chain", "lowalt", "--top", "30", "--format", "json")
    order = [r["firm_id"] for r in json.loads(out)]
    assert code == 0 and order.index("dji") < order.index("byd") and order.index("ehang") < order.index("haomei")


def _learned_without_extend(ws):
    """A learned strategy as ``chainmap learn`` writes it, whose fit gave 延链 no weight (its coefficient clipped
    to 0, as happens when few events are 延链): built here, so the test does not hang on the bundled file."""
    from chainmap.io.strategies import write_learned
    from chainmap.scoring.weights import check_weights

    weights = check_weights({"fill": 1.0, "strengthen": 0.95, "extend": 0.0, "affinity": 0.0, "relatedness": 0.0,
                             "tier": 0.0, "propensity": 0.31, "reach": 0.0, "gravity": 0.0, "unassessed": 0.5,
                             "momentum": 2.0, "fit_power": 0.0})
    write_learned(ws, {"fitted_on": "2026-12-01", "n_events": 85, "clipped": ["extend"], "weights": weights})
    return ws


@pytest.mark.parametrize("lang, said", [("zh", ["延链", "稳健", "低空经济"]), ("en", ["extend", "default strategy", "ranks nobody"])])
def test_rank_with_learned_weights_that_zero_extend_says_why_and_falls_back_on_lowalt(capsys, workspace_copy, lang,
                                                                                      said):
    # Learned weights that give 延链 0, and every opportunity of 低空经济 is 延链: an empty list
    # without a word would look like a chain with no candidates.
    ws = str(_learned_without_extend(workspace_copy))
    code, out, err = run(capsys, "rank", "--chain", "lowalt", "--strategy", "learned", "--top", "10",
                         "--format", "json", "--lang", lang, "--workspace", ws)
    _, steady, _ = run(capsys, "rank", "--chain", "lowalt", "--top", "10", "--format", "json", "--lang", lang,
                       "--workspace", ws)
    assert code == 0 and all(w in err for w in said)
    assert json.loads(out) and [r["firm_id"] for r in json.loads(out)] == [r["firm_id"] for r in json.loads(steady)]


def test_rank_with_learned_weights_on_a_chain_they_can_rank_notes_the_zeroed_mode_only(capsys, workspace_copy):
    ws = str(_learned_without_extend(workspace_copy))
    code, out, err = run(capsys, "rank", "--chain", "ebike", "--strategy", "learned", "--top", "5", "--format", "json",
                         "--workspace", ws)
    assert code == 0 and json.loads(out) and "延链" in err and "稳健" not in err


def test_rank_with_learned_weights_that_keep_extend_ranks_lowalt_without_a_fallback(capsys, workspace_copy):
    ws = str(_learned_without_extend(workspace_copy))
    doc = tomllib.loads((workspace_copy / "seeds" / "learned_weights.toml").read_text(encoding="utf-8"))
    from chainmap.io.strategies import write_learned

    write_learned(ws, {**doc, "weights": {**doc["weights"], "extend": 0.4}})
    code, out, err = run(capsys, "rank", "--chain", "lowalt", "--strategy", "learned", "--top", "10",
                         "--format", "json", "--workspace", ws)
    assert code == 0 and json.loads(out) and "稳健" not in err and "延链" not in err


def test_chains_explain_and_graph_answer_for_lowalt(capsys):
    code, out, _ = run(capsys, "chains")
    assert code == 0 and "低空经济" in out
    code, out, _ = run(capsys, "explain", "wanfeng", "--chain", "lowalt")
    assert code == 0 and "通用飞机与直升机" in out
    code, out, _ = run(capsys, "graph", "--chain", "lowalt", "--format", "json")
    assert code == 0 and "multirotor_uav" in out


# ------------------------------------------------------------------ real listed firms


@pytest.fixture(scope="module")
def merged(bundled, listed):
    """The bundled library enriched with the listed firms (as ``chainmap import listed`` does)."""
    firms, _ = merge_firms(bundled.firms, listed)
    return TargetScorer(inference="keywords").fit(
        validate_tables(bundled.replace(firms=firms.sort_values("id").reset_index(drop=True))))


def _lowalt_placed(scorer, firm_id):
    i = int(scorer.firm_index_.get_loc(firm_id))
    chain_of = dict(zip(scorer.tables_.links["id"], scorer.tables_.links["chain"]))
    return {scorer.link_ids_[j]: BASIS[int(scorer.basis_[i, j])] for j in scorer.fit_[i].indices
            if chain_of[scorer.link_ids_[j]] == "lowalt"}


def _id(scorer, code):
    firms = scorer.tables_.firms
    return firms.loc[firms["stock_code"].str.contains(code, regex=False), "id"].iloc[0]


@pytest.mark.parametrize("code, link, basis", [
    ("002389.SZ", "fixed_wing_uav", "coarse_words"),   # 航天彩虹无人机: 航空装备Ⅲ/C37 and 「无人机」 in its name
    ("688297.SH", "fixed_wing_uav", "coarse_words"),   # 中航(成都)无人机系统
    ("600038.SH", "general_aviation", "coarse_words"),  # 中航直升机
    ("000099.SZ", "emergency_rescue", "coarse_words"),  # 中信海洋直升机: 航空运输/空运 and 「直升机」
    ("300696.SZ", "aero_parts", "coarse_words"),   # 成都爱乐达航空制造
    ("300900.SZ", "aero_parts", "coarse_classes"),  # 广联航空: Tushare 航空 and C37 agree on one link
])
def test_real_listed_firms_are_placed_on_their_lowalt_link_by_class(merged, code, link, basis):
    assert _lowalt_placed(merged, _id(merged, code)) == {link: basis}


def test_bundled_targets_keep_their_known_link_once_merged_with_the_listed_tables(merged):
    assert _lowalt_placed(merged, _id(merged, "002085.SZ")) == {"general_aviation": "known"}   # 万丰奥威
    assert _lowalt_placed(merged, _id(merged, "688070.SH")) == {"fixed_wing_uav": "known"}     # 纵横股份


def test_no_bank_or_developer_is_placed_on_a_lowalt_link(merged):
    for code in ("000001.SZ", "601398.SH", "000002.SZ"):   # 平安银行, 工商银行, 万科A
        assert _lowalt_placed(merged, _id(merged, code)) == {}
    links = merged.tables_.links
    cols = np.flatnonzero(links["chain"].to_numpy() == "lowalt")
    placed = np.flatnonzero(merged.basis_[:, cols].getnnz(axis=1) > 0)
    assert not merged.excluded_[placed].any()
    assert len(placed) >= 50


# ------------------------------------------------------------------ the app


@pytest.mark.parametrize("page", ["overview", "map", "targets", "firm", "mechanism", "projects"])
def test_every_app_page_runs_with_lowalt_chosen(read_only_workspace, page):
    from tests.test_app import goto, start, texts

    at = start("overview")
    at.sidebar.selectbox(key="chain_choice").set_value("lowalt").run()
    at = goto(at, page)
    assert at.sidebar.selectbox(key="chain_choice").value == "lowalt"
    assert not at.error, texts(at, "error")
    if page == "mechanism":   # its 八个一 slots are data (seeds/mechanism.csv), like the other chains'
        assert not any("尚未配置" in t for t in texts(at, "info")), texts(at, "info")
