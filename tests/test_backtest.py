"""The backtest: snapshots without leaks, ranks and metrics computed right, honest refusals."""
from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import pytest

from tests.conftest import saved
from tests.test_store_contract import assert_same_tables
from chainmap.cli import main
from chainmap.io import InputError, bundled_workspace, parse_workspace, read_workspace
from chainmap.io.workspace import format_workspace
from chainmap.learn.backtest import NoEventsError, as_of, backtest, event_table, positive_ranks, summarise
from chainmap.learn.weights import InsufficientEventsError, fit_weights
from chainmap.scoring import ScoringParams, TargetScorer


def synthetic_events(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """Events labelled synthetic: (date, firm_id, chain, link_id)."""
    return pd.DataFrame({
        "id": [f"S{i:03d}" for i in range(len(rows))], "date": [r[0] for r in rows],
        "firm_id": [r[1] for r in rows], "firm_name": "", "chain": [r[2] for r in rows],
        "link_id": [r[3] for r in rows], "kind": "new_plant", "project": "", "place": "",
        "in_qingyuan": False, "amount_yi": np.nan, "origin": "synthetic",
        "source": "test fixture (synthetic event)", "verified": "", "notes": ""})


def test_bundled_events_include_real_rows_and_the_ledgers_signings(bundled):
    events, problems = event_table(bundled)
    assert set(events["origin"]) == {"public", "ledger"}
    assert {"tailg", "kingboard", "chuangmai"} <= set(events["firm_id"])
    # 创脉's signing is both a public event and ledger project P2023-001: counted once.
    assert ((events["firm_id"] == "chuangmai") & (events["chain"] == "materials")).sum() == 1
    assert problems == []


def test_a_signed_ledger_project_without_a_library_investor_is_reported_by_row(bundled):
    p = bundled.projects.copy()
    p.loc[p["id"] == "P2025-001", "investor_id"] = ""
    events, problems = event_table(bundled.replace(projects=p))
    assert "P2025-001" not in set(events["id"])
    assert len(problems) == 1 and "P2025-001" in str(problems[0]) and problems[0].column == "investor_id"


def test_an_event_naming_an_unknown_firm_is_reported_with_its_row(bundled):
    files = format_workspace(bundled)
    text = files["seeds/events.csv"].decode("utf-8").replace(",tailg,", ",tailg_typo,", 1)
    with pytest.raises(InputError) as err:
        parse_workspace({**files, "seeds/events.csv": text.encode("utf-8")})
    p = err.value.problems[0]
    assert p.file == "seeds/events.csv" and p.column == "firm_id" and p.row is not None
    assert "tailg_typo" in str(err.value)


def test_snapshot_drops_the_plant_an_event_brought_and_later_signals(bundled):
    events, _ = event_table(bundled)
    before = as_of(bundled, "2023-03-01", events)  # 创脉 signed for carbon fibre in 清远 on 2023-03-08
    local = before.operations[before.operations["local"]]
    assert "chuangmai" not in set(local["firm_id"])
    assert (pd.to_datetime(before.signals["date"].str[:7], format="%Y-%m") < "2023-03-01").all()
    assert (before.honours["year"].dropna() < 2023).all()
    scorer = TargetScorer(ScoringParams(as_of="2023-03-01")).fit(before)
    assert not scorer.is_local_[scorer.firm_index_.get_loc("chuangmai")]
    after = TargetScorer().fit(bundled)
    assert after.is_local_[after.firm_index_.get_loc("chuangmai")]


def test_positive_ranks_put_unscored_candidates_last_and_outsiders_beyond():
    score = np.array([0.3, np.nan, 0.9, 0.3, 0.1])
    cand = np.array([0, 1, 2, 3])
    assert positive_ranks(score, cand, np.array([2, 0, 3, 1, 4])).tolist() == [1, 2, 3, 4, 5]


def test_planted_investors_are_found_and_scored_by_hand(bundled):
    """Investors planted at the top of 稳健's ranking: P@5 = 1, AUC-PR = 1, MRR by hand."""
    cutoff = "2024-01-01"
    quiet = bundled.replace(projects=bundled.projects.iloc[0:0])
    # the backtest below replaces the events by the planted ones: rank on a snapshot without the bundled
    # events too (past events feed propensity)
    base = as_of(quiet.replace(events=synthetic_events([])), cutoff, synthetic_events([]))
    scorer = TargetScorer(ScoringParams(as_of=cutoff)).fit(base)
    planted = []
    for chain in ("ebike", "electronics"):
        score = scorer.score(chain, "稳健")[0]
        rows = np.flatnonzero(np.isfinite(score))
        top = rows[np.lexsort((rows, -score[rows]))][:5]  # ties by row, as the backtest ranks them
        planted += [("2024-06", f, chain, "") for f in scorer.firm_index_[top]]
    world = quiet.replace(events=synthetic_events(planted))
    bt = backtest(world, cutoff=cutoff, ks=(5, 10), n_boot=200)
    m = bt.metrics.set_index(["method", "chain"])
    for chain in ("ebike", "electronics"):
        row = m.loc[("稳健", chain)]
        assert row["p@5"] == 1.0 and row["r@5"] == 1.0 and row["auc_pr"] == 1.0
        assert row["mrr"] == pytest.approx(np.mean([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5]))
        assert row["p@5_lo"] <= row["p@5"] <= row["p@5_hi"]
    # The baselines ran on the same rankings and do worse on planted 稳健 winners.
    assert m.loc[("biggest", "all"), "auc_pr"] < 1.0 and m.loc[("relatedness", "all"), "auc_pr"] < 1.0
    assert ("materials" not in set(bt.metrics["chain"]))  # no planted event, no ranking


def test_summarise_matches_hand_figures_across_two_rankings():
    r = pd.DataFrame({"method": "m", "fold": ["2024", "2024", "2025"], "chain": ["ebike", "ebike", "ebike"],
                      "rank": [1, 4, 2], "n_candidates": 20, "ap": [1.0, 0.5, 0.5]})
    row = summarise(r, ks=(2,), n_boot=0).query("chain == 'ebike'").iloc[0]
    assert row["p@2"] == pytest.approx(2 / (2 * 2))        # two hits in two top-2 lists
    assert row["r@2"] == pytest.approx(2 / 3)
    assert row["mrr"] == pytest.approx((1 + 1 / 4 + 1 / 2) / 3)
    assert row["auc_pr"] == pytest.approx(2 / 3)
    assert row["random_ap"] == pytest.approx((2 / 20 + 1 / 20) / 2)


def test_no_events_after_the_cutoff_is_said_plainly(bundled):
    with pytest.raises(NoEventsError, match="no events on or after 2030-01-01 .*nothing to test"):
        backtest(bundled, cutoff="2030-01-01", n_boot=0)


def test_learned_weights_refuse_too_few_events_and_explain():
    X, y = np.random.default_rng(1).random((50, 8)), np.zeros(50, dtype=bool)
    y[:3] = True
    with pytest.raises(InsufficientEventsError, match="only 3 positive .* at least 8"):
        fit_weights(X, y)


def test_learned_weights_in_a_cutoff_backtest_come_only_from_earlier_years(bundled):
    bt = backtest(bundled, cutoff="2024-01-01", n_boot=0)
    assert list(bt.weights) == ["2024-01-01~"]
    training_positives = int(bt.y.sum())
    before, _ = event_table(bundled)
    n_before = int((before["date"].str[:4].astype(int) < 2024).sum())
    # every earlier event of a library firm is a positive row (one per firm, chain and year) ...
    assert 0 < training_positives <= n_before + len(bt.ranks[bt.ranks["method"] == "稳健"])


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_backtest_prints_both_baselines_and_the_bars(capsys):
    code, out, err = run(capsys, "backtest", "--cutoff", "2024-01-01", "--boot", "100")
    assert code == 0, err
    for text in ("最大企业优先", "仅看关联度", "策略·稳健", "学习权重", "AUC-PR", "P@20", "1.5倍"):
        assert text in out
    assert "回测" in err  # progress on stderr


def test_cli_backtest_json_has_metrics_per_chain_and_overall(capsys):
    code, out, _ = run(capsys, "backtest", "--format", "json", "--k", "5,20", "--boot", "50")
    assert code == 0
    doc = json.loads(out)
    methods = {(r["method"], r["chain"]) for r in doc["metrics"]}
    assert {("biggest", "all"), ("relatedness", "all"), ("稳健", "electronics"), ("learned", "all")} <= methods
    assert {"p@5", "p@20", "r@20", "mrr", "auc_pr", "auc_pr_lo", "auc_pr_hi"} <= set(doc["metrics"][0])


def test_cli_backtest_with_nothing_to_test_exits_2(capsys):
    code, _, err = run(capsys, "backtest", "--cutoff", "2030-01-01")
    assert code == 2 and "2030-01-01 及以后没有投资事件" in err
    code, _, err = run(capsys, "backtest", "--cutoff", "2030-01-01", "--lang", "en")
    assert code == 2 and "no events on or after 2030-01-01" in err


def test_cli_learn_writes_the_learned_strategy_beside_the_defaults(capsys, workspace_copy):
    (workspace_copy / "seeds" / "learned_weights.toml").unlink(missing_ok=True)
    code, _, err = run(capsys, "rank", "--workspace", str(workspace_copy), "--chain", "ebike", "--strategy", "learned")
    assert code == 2 and "chainmap learn" in err
    code, out, err = run(capsys, "learn", "--workspace", str(workspace_copy), "--boot", "50", "--boot-weights", "20")
    assert code == 0, err
    assert "学习权重" in out and "90%区间" in out and "默认策略仍为「稳健」" in out
    assert (workspace_copy / "seeds" / "learned_weights.toml").exists()
    doc = tomllib.loads((workspace_copy / "seeds" / "learned_weights.toml").read_text(encoding="utf-8"))
    # the two factors on the mean are learned too, chosen on the backtest's rankings
    assert doc["weights"]["momentum"] == doc["factors"]["momentum"]
    assert doc["weights"]["fit_power"] == doc["factors"]["fit_power"]
    code, learned, _ = run(capsys, "rank", "--workspace", str(workspace_copy), "--chain", "ebike",
                           "--strategy", "learned", "--format", "json")
    assert code == 0
    _, default, _ = run(capsys, "rank", "--workspace", str(workspace_copy), "--chain", "ebike", "--format", "json")
    _, steady, _ = run(capsys, "rank", "--workspace", str(workspace_copy), "--chain", "ebike", "--strategy", "稳健",
                       "--format", "json")
    assert default == steady  # learning never changes the default
    assert json.loads(learned)[0]["firm_id"]
    # The workspace still opens and learning wrote no record (the TOML sits beside the data).
    assert_same_tables(saved(workspace_copy), read_workspace(bundled_workspace()))


def test_a_corrupt_learned_file_names_itself(capsys, workspace_copy):
    (workspace_copy / "seeds" / "learned_weights.toml").write_text("[weights]\nfill = -1\n", encoding="utf-8")
    code, _, err = run(capsys, "rank", "--workspace", str(workspace_copy), "--chain", "ebike", "--strategy", "learned")
    assert code == 2 and "learned_weights.toml" in err
