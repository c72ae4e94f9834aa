"""Scoring weights learned from outcomes: which components did real investors have?

Each (firm, chain) pair of a backtest snapshot is a row whose features are the
eight score components of :class:`~chainmap.scoring.TargetScorer` and whose
label says whether the firm invested in the chain in the period that followed.
A logistic regression (class-balanced, L2) weighs the components; its positive
coefficients, scaled so the largest is 1, become the ``learned`` strategy.
Negative coefficients are clipped to 0 because the score is a weighted *mean*
of components (weights must be ≥ 0); the clipped ones are reported as such.

The two factors on the mean (the momentum factor ``1 + momentum × m`` and the
fit gate ``c ** fit_power``, :mod:`chainmap.scoring.weights`) multiply it, so
the regression cannot weigh them: :func:`choose_factors` picks them from a
small grid by the pooled average precision of the earlier rankings under the
learned mean (the backtest passes those rankings: earlier folds only).

Uncertainty comes from refitting on bootstrap resamples of the rows
(Efron & Tibshirani 1993): each weight gets a standard deviation and a 90 %
interval. With a few dozen positive events they are wide, and saying so is the
point: the learned strategy is offered beside the hand-set ones, never instead.

References
----------
King, G. & Zeng, L. (2001). Logistic regression in rare events data.
*Political Analysis*, 9(2), 137–163. (Why the classes are re-weighted.)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..io.messages import CodedError
from ..scoring.weights import COMPONENTS, FIT_POWER, MODES, MOMENTUM, UNASSESSED, UNASSESSED_DISCOUNT

__all__ = ["LearnedWeights", "InsufficientEventsError", "fit_weights", "blend_weights", "choose_factors",
           "ranking_ap", "MIN_POSITIVES", "MOMENTUM_GRID", "FIT_POWER_GRID"]

#: Fewer real investors than this and the weights would be noise: refuse.
MIN_POSITIVES = 8
#: The momentum factors and fit-gate powers :func:`choose_factors` tries (0: the factor is off).
MOMENTUM_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
FIT_POWER_GRID = (0.0, 0.25, 0.5, 1.0)


class InsufficientEventsError(CodedError):
    """Too few positive (or negative) rows to learn weights from."""


@dataclass
class LearnedWeights:
    """Weights over :data:`~chainmap.scoring.weights.COMPONENTS` with their uncertainty.

    ``weights`` is a valid strategy for :meth:`TargetScorer.score`; ``std``,
    ``lo`` and ``hi`` (5th and 95th bootstrap percentiles) are empty when no
    bootstrap was run; ``clipped`` lists components whose coefficient was
    negative.
    """

    weights: dict[str, float]
    n_positive: int
    n_negative: int
    coef: dict[str, float] = field(default_factory=dict)
    std: dict[str, float] = field(default_factory=dict)
    lo: dict[str, float] = field(default_factory=dict)
    hi: dict[str, float] = field(default_factory=dict)
    clipped: list[str] = field(default_factory=list)
    factors: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"weights": self.weights, "std": self.std, "lo": self.lo, "hi": self.hi, "coef": self.coef,
                "clipped": self.clipped, "n_positive": self.n_positive, "n_negative": self.n_negative,
                **({"factors": self.factors} if self.factors else {})}


def _scaled(coef: np.ndarray) -> np.ndarray:
    w = np.clip(coef, 0.0, None)
    if not any(w[COMPONENTS.index(m)] > 0 for m in MODES):
        # The score needs a mode to be defined; the smallest weight keeps the learned order of the rest.
        for m in MODES:
            w[COMPONENTS.index(m)] = 0.01 * max(w.max(), 1e-9)
    return w / w.max()


def _logit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=1000).fit(X, y).coef_[0]


def ranking_ap(score: np.ndarray, y: np.ndarray) -> float:
    """Average precision of one ranking: the mean, over the positives, of the precision at each one's rank.

    Every row is a candidate; the ranks and precisions are the backtest's own
    (:func:`~chainmap.learn.backtest.positive_ranks`: unscored rows last, ties by row order).

    >>> ranking_ap(np.array([0.9, 0.1, 0.5, np.nan]), np.array([True, False, False, True]))
    0.75
    """
    from .backtest import positive_ranks, precisions_at_ranks  # the backtest imports this module

    positives = np.flatnonzero(np.asarray(y, dtype=bool))
    if not len(positives):
        return 0.0
    return float(precisions_at_ranks(positive_ranks(score, np.arange(len(score)), positives)).mean())


def choose_factors(rankings: list[dict], weights: dict, momenta=MOMENTUM_GRID, powers=FIT_POWER_GRID) -> dict:
    """The momentum factor and fit-gate power that rank the earlier investors best under ``weights``.

    The two factors multiply the weighted mean (:func:`chainmap.scoring.engine.combine`), so a
    logistic regression over the components cannot learn them; they are chosen instead on the
    earlier rankings by their pooled average precision (each ranking's AP weighted by its
    investors, as the backtest pools them), trying every pair of ``momenta`` × ``powers``. Ties
    go to the smaller factor (off before on).

    Parameters
    ----------
    rankings : list of dict
        One per earlier (fold, chain) ranking: ``comp`` (component vectors over its candidate
        rows, ``check`` included), ``momentum`` (``m`` over the same rows) and ``y`` (invested).
    weights : dict
        The weights of the mean (learned); their ``unassessed`` discount is kept.

    Returns
    -------
    dict
        ``momentum``, ``fit_power`` and ``ap`` of the best pair, and ``ap_off``: the pooled AP with both off.

    Examples
    --------
    A ranking where past investors invest again: the momentum factor is chosen.

    >>> from chainmap.scoring.weights import STRATEGIES
    >>> rng = np.random.default_rng(1)
    >>> comp = {k: rng.random(300) for k in (*COMPONENTS, "check")}
    >>> m = rng.random(300) ** 4
    >>> r = [{"comp": comp, "momentum": m, "y": m > 0.6}]
    >>> f = choose_factors(r, STRATEGIES["稳健"])
    >>> f["momentum"] > 0, f["ap"] > f["ap_off"]
    (True, True)
    """
    from ..scoring.engine import combine

    base = {k: v for k, v in weights.items() if k not in (MOMENTUM, FIT_POWER)}
    rankings = [r for r in rankings if np.asarray(r["y"]).any()]
    n = np.array([int(np.asarray(r["y"]).sum()) for r in rankings], dtype=float)

    def pooled(mom: float, power: float) -> float:
        if not len(rankings):
            return 0.0
        w = {**base, MOMENTUM: mom, FIT_POWER: power}
        aps = [ranking_ap(combine(r["comp"], w, r["momentum"])[0], r["y"]) for r in rankings]
        return float(np.dot(aps, n) / n.sum())
    grid = [(pooled(m, p), -m, -p) for m in momenta for p in powers]
    ap, m, p = max(grid)
    return {MOMENTUM: -m, FIT_POWER: -p, "ap": round(ap, 4), "ap_off": round(pooled(0.0, 0.0), 4)}


def fit_weights(X: np.ndarray, y: np.ndarray, n_boot: int = 200, C: float = 1.0, seed: int = 0,
                rankings: list[dict] | None = None) -> LearnedWeights:
    """Fit scoring weights from component rows ``X`` and invest/not labels ``y``.

    Parameters
    ----------
    X : array of shape (n_rows, 8)
        Components in the order of :data:`~chainmap.scoring.weights.COMPONENTS`.
    y : array of bool
        True where the firm invested in the chain in the following period.
    n_boot : int
        Bootstrap refits for the uncertainty (0: point estimate only).
    C : float
        Inverse L2 strength of the logistic regression.
    rankings : list of dict, optional
        The same rows grouped by ranking, with momentum (``Backtest.rankings``): then the momentum
        factor and the fit gate are chosen too (:func:`choose_factors`), and the weights carry
        ``momentum``, ``fit_power`` and the ``unassessed`` discount.

    Raises
    ------
    InsufficientEventsError
        With fewer than :data:`MIN_POSITIVES` positives or negatives.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.random((400, 8))
    >>> y = X[:, 0] + 0.5 * X[:, 6] + 0.2 * rng.random(400) > 1.1      # fill and propensity matter
    >>> lw = fit_weights(X, y, n_boot=20)
    >>> max(lw.weights, key=lw.weights.get), lw.weights["fill"] > lw.weights["tier"]
    ('fill', True)
    >>> fit_weights(X[:5], y[:5])
    Traceback (most recent call last):
    ...
    chainmap.learn.weights.InsufficientEventsError: only 2 positive and 3 negative rows; learning weights needs at least 8 of each
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if min(n_pos, n_neg) < MIN_POSITIVES:
        raise InsufficientEventsError("too_few_events", n_pos=n_pos, n_neg=n_neg, need=MIN_POSITIVES)
    coef = _logit(X, y, C)
    out = LearnedWeights({k: round(float(v), 4) for k, v in zip(COMPONENTS, _scaled(coef))}, n_pos, n_neg,
                         coef={k: round(float(v), 4) for k, v in zip(COMPONENTS, coef)},
                         clipped=[k for k, v in zip(COMPONENTS, coef) if v < 0])
    if n_boot:
        rng = np.random.default_rng(seed)
        pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
        boot = []
        for _ in range(n_boot):  # stratified: every resample keeps both classes
            rows = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
            boot.append(_scaled(_logit(X[rows], y[rows], C)))
        boot = np.array(boot)
        lo, hi = np.percentile(boot, [5, 95], axis=0)
        out.std = {k: round(float(v), 4) for k, v in zip(COMPONENTS, boot.std(axis=0))}
        out.lo = {k: round(float(v), 4) for k, v in zip(COMPONENTS, lo)}
        out.hi = {k: round(float(v), 4) for k, v in zip(COMPONENTS, hi)}
    if rankings:
        mean = {**out.weights, UNASSESSED: UNASSESSED_DISCOUNT}
        out.factors = choose_factors(rankings, mean)
        out.weights = {**mean, MOMENTUM: out.factors[MOMENTUM], FIT_POWER: out.factors[FIT_POWER]}
    return out


def blend_weights(prior: dict[str, float], learned: dict[str, float], share: float = 0.5) -> dict[str, float]:
    """Shrink learned weights toward a hand-set prior: ``share`` × learned + (1 − share) × prior.

    Both are first scaled so their largest weight is 1 (only ratios matter to
    a weighted mean). With a few dozen events the learned weights are noisy,
    and a component the training folds cannot show (past events as
    propensity, when no event predates the first fold) would be learned as 0;
    the prior keeps it. Keys of ``prior`` that are not components (the
    ``unassessed`` discount) are kept as they are.

    Examples
    --------
    >>> blend_weights({"fill": 1.0, "tier": 0.5, "unassessed": 0.5}, {"fill": 0.5, "tier": 1.0})
    {'fill': 0.75, 'tier': 0.75, 'unassessed': 0.5}
    """
    def scaled(w):
        top = max((w.get(k, 0.0) for k in COMPONENTS), default=0.0) or 1.0
        return {k: w.get(k, 0.0) / top for k in COMPONENTS}
    p, q = scaled(prior), scaled(learned)
    out = {k: round(share * q[k] + (1 - share) * p[k], 2) for k in COMPONENTS if k in prior or k in learned}
    out.update({k: v for k, v in prior.items() if k not in COMPONENTS})
    return out
