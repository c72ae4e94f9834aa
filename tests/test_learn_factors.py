"""The learned strategy knows the two factors on the mean: momentum and the fit gate."""
from __future__ import annotations

import numpy as np
import pytest

from chainmap.learn.backtest import backtest
from chainmap.learn.weights import MOMENTUM_GRID, choose_factors, fit_weights, ranking_ap
from chainmap.scoring import ScoringParams, TargetScorer
from chainmap.scoring.engine import combine
from chainmap.scoring.weights import COMPONENTS, STRATEGIES, check_weights


def _ranking(rng, n, signal):
    """Candidates whose investors are those with the highest ``signal`` (momentum or fit)."""
    comp = {k: rng.random(n) for k in (*COMPONENTS, "check")}
    momentum = rng.random(n)
    y = {"momentum": momentum, "fit": comp["strengthen"]}[signal] > 0.9
    comp["strengthen"] = np.maximum(comp["strengthen"], comp["fill"])  # strengthen is each firm's mode
    return {"comp": comp, "momentum": momentum, "y": y}


def test_choose_factors_turns_momentum_on_where_past_investors_invest_again_and_off_where_not():
    rng = np.random.default_rng(3)
    busy = choose_factors([_ranking(rng, 400, "momentum") for _ in range(3)], STRATEGIES["稳健"])
    assert busy["momentum"] == max(MOMENTUM_GRID) and busy["ap"] > busy["ap_off"] + 0.1
    quiet = choose_factors([_ranking(rng, 400, "fit") for _ in range(3)], STRATEGIES["稳健"])
    assert quiet["momentum"] < busy["momentum"] and quiet["fit_power"] > 0


def test_ranking_ap_puts_unscored_investors_last():
    y = np.array([False, True, True])
    assert ranking_ap(np.array([0.9, 0.5, np.nan]), y) == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert ranking_ap(np.array([0.1, 0.5, 0.4]), y) == 1.0


@pytest.mark.parametrize("weights", ["稳健", "跨越", {**STRATEGIES["稳健"], "momentum": 0.0, "fit_power": 1.0}])
def test_combine_scores_stored_components_as_the_scorer_does(bundled, weights):
    s = TargetScorer(ScoringParams(as_of="2024-01-01"), inference="keywords").fit(bundled)
    w = STRATEGIES[weights] if isinstance(weights, str) else weights
    for chain in ("ebike", "electronics"):
        score, mode = s.score(chain, weights)[:2]
        again, mode2 = combine(s.components(chain), check_weights(w), s.momentum(chain))
        np.testing.assert_allclose(again, score, equal_nan=True)
        assert (mode == mode2).all()


def test_the_learned_strategy_carries_momentum_and_the_fit_gate_chosen_on_earlier_folds(bundled):
    bt = backtest(bundled, cutoff="2024-01-01", n_boot=0)
    assert sum(len(r["y"]) for r in bt.rankings) == len(bt.y)  # the same rows as X, grouped by ranking
    assert all("check" in r["comp"] and len(r["momentum"]) == len(r["y"]) for r in bt.rankings)
    lw = fit_weights(bt.X, bt.y, n_boot=0, rankings=bt.rankings)
    w = check_weights(lw.weights)  # a valid strategy, factors included
    assert w["momentum"] == lw.factors["momentum"] and w["fit_power"] == lw.factors["fit_power"]
    learned = bt.weights["2024-01-01~"]
    assert {"momentum", "fit_power"} <= set(learned) if isinstance(learned, dict) else "not learned" in learned
    s = TargetScorer(ScoringParams(as_of="2024-01-01"), inference="keywords").fit(bundled)
    assert np.isfinite(s.score("ebike", w)[0]).any()
