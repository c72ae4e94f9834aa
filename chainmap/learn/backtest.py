"""Does the ranking find the firms that really invested? A time-split backtest.

The loop, following the evaluation advice collected in ``methods.md``
(Albora & Zaccaria 2022; hold out by time, count real new establishments as
positives, always compare with "biggest firms first" and "relatedness only"):

1. **Events** (:func:`event_table`): the ``events`` table plus every ledger
   project that reached 签约 (:func:`~chainmap.analysis.ledger.projects_to_events`),
   one row per (firm, chain). A signing already in ``events`` is not counted twice.
2. **Folds** (:func:`make_folds`): each calendar year with events is held out
   in turn (rolling origin), or, with a ``cutoff``, everything from the cutoff on.
3. **Snapshot** (:func:`as_of`): the tables as they stood on the fold's first
   day. Firms founded or listed on or after it are removed with every row that
   names them; operations, signals, honours, channels, events and projects dated
   on or after it are removed, and so is every local plant an event on or after
   it brought to the home city (the event *is* the evidence of when it arrived).
4. **Rank** every candidate of the chain (firms with a known or inferred link
   in it, or any score for it) by each method, and record where each real
   investor landed; an investor outside the candidates counts as a miss.
5. **Metrics** per chain and overall: coverage (investors that are candidates
   at all), precision@k, recall@k, MRR and AUC-PR (average precision; an
   investor never shown contributes 0), each with a bootstrap confidence interval.

Baselines (:data:`BASELINES`): biggest firms first, relatedness only, and
recent expanders (an event in the two years before the fold). With
``signals=True`` a logistic regression over the scorer's components and the
event signals of :mod:`chainmap.learn.signals`, fitted on earlier folds only,
is evaluated too, with each feature's contribution.

Events may come from any file (``events=``, read by
:func:`chainmap.io.events.parse_events`): an investor outside the library
stays in the test as a miss.

Every metric is a mean of per-investor contributions, so one bootstrap serves
them all: resample the investors with replacement and recompute (percentile
interval, Efron & Tibshirani 1993, ch. 13). With a few dozen events the
intervals are wide; they are reported so that nobody reads a single number.

The ``learned`` method is evaluated honestly: in fold *t* it uses weights
fitted (:func:`~chainmap.learn.weights.fit_weights`) only on folds before *t*.

References
----------
Albora, G. & Zaccaria, A. (2022). Machine learning to assess relatedness: the
advantage of using firm-level data. *Complexity*, 2022, 2095048.

Davis, J. & Goadrich, M. (2006). The relationship between precision-recall and
ROC curves. *ICML '06*, 233–240.

Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
Chapman & Hall.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._arrays import present
from ..analysis.ledger import projects_to_events
from ..io.errors import Problem
from ..io.messages import CodedError
from ..model import Tables, anchored
from ..scoring.engine import ScoringParams, TargetScorer
from ..io.events import Home
from ..scoring.weights import CHECK, COMPONENTS, DEFAULT_STRATEGY, STRATEGIES, UNASSESSED_DISCOUNT
from .signals import SIGNALS, event_signals, recent_expanders, size_score

__all__ = ["precisions_at_ranks", "BASELINES", "OVERALL", "FEATURES", "Fold", "Backtest", "NoEventsError", "event_table", "as_of", "make_folds",
           "positive_ranks", "summarise", "backtest"]

#: The baselines every backtest reports, and what they rank by.
#: (What each ranks by, in words: ``chainmap.i18n.METHOD_LABEL``.)
BASELINES = ("biggest", "relatedness", "recent")
#: The ``chain`` of the metrics row that pools every chain.
OVERALL = "all"
#: Columns of ``firms`` that date a firm's arrival (founded, listed); a firm dated on or after a
#: snapshot is not in it. Those present are used.
FIRM_DATE_COLUMNS = ("founded_on", "listed_on", "founded", "list_date", "established_on")
#: Features of the ``signals`` method: the scorer's components, :data:`~chainmap.learn.signals.SIGNALS`
#: and the firm's size (:func:`~chainmap.learn.signals.size_score`).
FEATURES = (*COMPONENTS, *(k for k in SIGNALS if k not in COMPONENTS), "size")


class NoEventsError(CodedError):
    """There is nothing to test: no event falls in the held-out period."""


def when(values: pd.Series) -> pd.Series:
    """The day from which a dated fact is known: ``2025`` and ``2025-09`` mean the END of the period.

    This is the anchor that cannot leak (:func:`chainmap.model.anchored` with
    ``"end"``): a snapshot taken on any day of 2025 excludes a plant, signal
    or event dated ``2025``, since it may have happened after the snapshot;
    only the snapshot of 2026-01-01 knows it. A fact dated to the day is known
    from that day.

    >>> when(pd.Series(["2025", "2025-09", "2025-09-16", ""])).dt.strftime("%Y-%m-%d").tolist()
    ['2025-12-31', '2025-09-30', '2025-09-16', nan]
    """
    return anchored(values, "end")


def event_table(tables: Tables, ledger: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """All events a backtest counts: ``tables.events`` plus ledger signings.

    Returns the events (columns ``id, date, firm_id, chain, link_id, origin,
    in_qingyuan``) and the problems of ledger rows that cannot be counted (an
    investor who is not in the firm library, for instance), each naming its
    project row. A signing already present in ``events`` (same firm, chain and
    month) is counted once.

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> events, problems = event_table(read_workspace(bundled_workspace()))
    >>> sorted(set(events["origin"]))
    ['ledger', 'public']
    >>> problems                     # every signed ledger project names a library firm
    []
    """
    e = tables.events
    out = e[["id", "date", "firm_id", "chain", "link_id", "origin", "in_qingyuan"]].copy()
    problems = []
    if not ledger:
        return out.sort_values(["date", "id"], kind="stable").reset_index(drop=True), problems
    ledger = projects_to_events(tables.projects)
    known = present(ledger["firm_id"], tables.firms["id"])
    for _, row in ledger[~known].iterrows():
        problems.append(Problem("seeds/projects.csv", "signed_without_investor",
                                {"project": row["project_id"], "firm": row["firm_name"]}, column="investor_id"))
    ledger = ledger[known]
    month = lambda d: d.astype(str).str[:7]  # noqa: E731
    seen = set(zip(out["firm_id"], out["chain"], month(out["date"])))
    new = np.array([(f, c, m) not in seen for f, c, m in zip(ledger["firm_id"], ledger["chain"],
                                                              month(ledger["date"]))], dtype=bool)
    ledger = ledger[new]
    out = pd.concat([out, pd.DataFrame({
        "id": ledger["project_id"], "date": ledger["date"], "firm_id": ledger["firm_id"],
        "chain": ledger["chain"], "link_id": ledger["link_id"], "origin": "ledger", "in_qingyuan": True})],
        ignore_index=True)
    return out.sort_values(["date", "id"], kind="stable").reset_index(drop=True), problems


def as_of(tables: Tables, date: str, events: pd.DataFrame | None = None) -> Tables:
    """The tables as they stood on ``date``: nothing dated on or after it.

    Removed: operations whose ``since`` is on or after ``date``; local plants
    of a firm that an event on or after ``date`` brought to the city (its
    link, or the whole chain when the event names no link); signals, channels,
    follow-ups and projects dated on or after it (undated follow-ups and
    unsigned projects too: they describe today); honours of that year or later;
    the events themselves. Link assessments and firm revenues are kept: they
    describe the chain and the firm, and are the known limits of this replay.

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> t = read_workspace(bundled_workspace())
    >>> events, _ = event_table(t)
    >>> old = as_of(t, "2023-01-01", events)
    >>> bool(((t.operations["firm_id"] == "chuangmai") & t.operations["local"]).any())
    True
    >>> bool(((old.operations["firm_id"] == "chuangmai") & old.operations["local"]).any())
    False
    """
    d = pd.Timestamp(date)
    events = tables.events if events is None else events
    ops = tables.operations
    later = (when(ops["since"]) >= d).to_numpy()
    ev = events[(when(events["date"]) >= d).to_numpy() & events["in_qingyuan"].astype(bool).to_numpy()]
    link_chain = dict(zip(tables.links["id"], tables.links["chain"]))
    op_chain = ops["link_id"].map(link_chain)
    by_link = set(zip(ev["firm_id"], ev["link_id"]))
    by_chain = set(zip(ev.loc[ev["link_id"] == "", "firm_id"], ev.loc[ev["link_id"] == "", "chain"]))
    brought = ops["local"].to_numpy() & np.array(
        [(f, l) in by_link or (f, c) in by_chain for f, l, c in zip(ops["firm_id"], ops["link_id"], op_chain)],
        dtype=bool)

    def before(df: pd.DataFrame, col: str, keep_blank: bool = True) -> pd.DataFrame:
        t = when(df[col])
        return df[((t < d) | (t.isna() & keep_blank)).to_numpy()]

    h = tables.honours
    snap = tables.replace(
        operations=ops[~(later | brought)], signals=before(tables.signals, "date"),
        channels=before(tables.channels, "since"), followups=before(tables.followups, "contact_date", False),
        projects=before(tables.projects, "signed_on", False), events=before(tables.events, "date", False),
        honours=h[(h["year"].isna() | (h["year"] < d.year)).to_numpy()])
    return _without_later_firms(snap, d)


def _without_later_firms(t: Tables, d: pd.Timestamp) -> Tables:
    """Drop firms founded or listed on or after ``d``, and every row that names them."""
    firms = t.firms
    late = np.zeros(len(firms), dtype=bool)
    for col in FIRM_DATE_COLUMNS:
        if col in firms:
            late |= (when(firms[col].fillna("").astype(str).str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3",
                                                                          regex=True)) >= d).to_numpy()
    if not late.any():
        return t
    gone = pd.Series(firms.loc[late, "id"].to_numpy())
    keep = lambda df, *cols: df[np.logical_and.reduce([~present(df[c], gone) for c in cols])]  # noqa: E731
    return t.replace(firms=firms[~late], operations=keep(t.operations, "firm_id"), honours=keep(t.honours, "firm_id"),
                     relations=keep(t.relations, "src", "dst"), signals=keep(t.signals, "firm_id"),
                     channels=keep(t.channels, "firm_id"), followups=keep(t.followups, "firm_id"),
                     events=keep(t.events, "firm_id"), projects=keep(t.projects, "investor_id"))


def _with_own_events(tested: pd.DataFrame, own: pd.DataFrame) -> pd.DataFrame:
    """The events a backtest on a file knows: the file's, plus the workspace's own that the file lacks.

    The workspace's events (``seeds/events.csv``) are past knowledge like the
    file's: before each fold they feed propensity, momentum and placement (the
    snapshot drops those dated later), but only the file's events are tested.
    An own event with the same firm, chain and year as one of the file's is
    the same investment, counted once.

    >>> cols = ["firm_id", "chain", "date"]
    >>> f = pd.DataFrame([["a", "ebike", "2021-06"]], columns=cols)
    >>> o = pd.DataFrame([["a", "ebike", "2021-06-11"], ["b", "ebike", "2020"]], columns=cols)
    >>> _with_own_events(f, o)["firm_id"].tolist()
    ['a', 'b']
    """
    year = lambda df: df["date"].astype(str).str[:4]  # noqa: E731
    seen = set(zip(tested["firm_id"], tested["chain"], year(tested)))
    extra = own[[k not in seen for k in zip(own["firm_id"], own["chain"], year(own))]]
    return pd.concat([tested, extra[tested.columns]], ignore_index=True) if len(extra) else tested


@dataclass(frozen=True)
class Fold:
    """One held-out period: the snapshot date and the events from it to ``end``."""

    start: str
    end: str | None
    events: pd.DataFrame = field(repr=False)

    @property
    def label(self) -> str:
        return self.start[:4] if self.end and self.end[:4] == str(int(self.start[:4]) + 1) else f"{self.start}~"


def make_folds(events: pd.DataFrame, cutoff: str | None = None) -> list[Fold]:
    """Held-out periods: one per calendar year with events, or one from ``cutoff`` on.

    Raises
    ------
    NoEventsError
        When no event falls on or after ``cutoff``, saying how many fall before.

    Examples
    --------
    >>> ev = pd.DataFrame({"date": ["2022-05", "2023-03-08", "2023"], "id": ["a", "b", "c"]})
    >>> [(f.start, f.end, len(f.events)) for f in make_folds(ev)]
    [('2022-01-01', '2023-01-01', 1), ('2023-01-01', '2024-01-01', 2)]
    >>> make_folds(ev, cutoff="2024-01-01")
    Traceback (most recent call last):
    ...
    chainmap.learn.backtest.NoEventsError: no events on or after 2024-01-01 (3 before it, the latest 2023): nothing to test
    """
    t = when(events["date"])
    if cutoff is not None:
        c = pd.Timestamp(cutoff)
        test = events[(t >= c).to_numpy()]
        if test.empty:
            latest = events["date"].iloc[int(np.argmax(t.to_numpy()))] if len(events) else "none"
            raise NoEventsError("no_events_after", date=str(c.date()), n=len(events), latest=str(latest))
        return [Fold(str(c.date()), None, test)]
    if events.empty:
        raise NoEventsError("no_events")
    years = sorted(set(t.dt.year.dropna().astype(int)))
    return [Fold(f"{y}-01-01", f"{y + 1}-01-01", events[(t.dt.year == y).to_numpy()]) for y in years]


def positive_ranks(score: np.ndarray, candidates: np.ndarray, positives: np.ndarray) -> np.ndarray:
    """1-based rank of each positive among the candidates, best score first.

    Unscored candidates (NaN) go last; ties go by row order, as in
    :meth:`TargetScorer.rank`. A positive that is no candidate gets
    ``n_candidates + 1``: the method would never have shown it; so does a
    positive outside the library (row ``-1``).

    >>> positive_ranks(np.array([0.2, 0.9, np.nan, 0.5]), np.array([0, 1, 2, 3]), np.array([3, 2, -1]))
    array([2, 4, 5])
    """
    s = np.where(np.isnan(score[candidates]), -np.inf, score[candidates])
    order = candidates[np.lexsort((candidates, -s))]
    rank = np.full(len(score) + 1, len(candidates) + 1)
    rank[order] = np.arange(1, len(order) + 1)
    return rank[np.where(positives >= 0, positives, len(score))]


def precisions_at_ranks(ranks: np.ndarray, n_candidates: int | None = None) -> np.ndarray:
    """Each positive's precision at its own rank; their mean is the ranking's average precision.

    A positive the ranking never shows (rank beyond ``n_candidates``)
    contributes 0, as in average precision when recall stays below 1.

    >>> precisions_at_ranks(np.array([3, 1, 5]), n_candidates=4).tolist()
    [0.6666666666666666, 1.0, 0.0]
    """
    r = np.sort(ranks)
    prec = np.arange(1, len(r) + 1) / r
    if n_candidates is not None:
        prec = np.where(r <= n_candidates, prec, 0.0)
    out = np.empty(len(r))
    out[np.argsort(ranks, kind="stable")] = prec
    return out


def _metric_values(hits: np.ndarray, rr: np.ndarray, ap: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Metrics from per-positive arrays (rows: resamples x positives) -> resamples x metrics."""
    return np.column_stack([*(h.mean(axis=-1) * s for h, s in zip(hits, scale)),
                            *(h.mean(axis=-1) for h in hits), rr.mean(axis=-1), ap.mean(axis=-1)])


def summarise(ranks: pd.DataFrame, ks: Sequence[int] = (10, 20, 50), n_boot: int = 1000, seed: int = 0,
              by: Sequence[str] = ("method", "chain")) -> pd.DataFrame:
    """Metrics of ranked positives, per group and overall, with bootstrap intervals.

    ``ranks`` has one row per (method, fold, chain, positive) with ``rank``,
    ``n_candidates`` and ``ap`` (the positive's precision at its rank). For a
    group with ``R`` rankings and ``P`` positives: precision@k = hits / (k·R),
    recall@k = hits / P, MRR = mean of 1/rank, AUC-PR = mean of ``ap`` (each
    ranking's average precision, weighted by its positives); ``random_ap`` is
    what a random order would score (positives / candidates per ranking);
    ``coverage`` the share of positives that are candidates at all (in the
    library and placed on the chain).

    Examples
    --------
    >>> r = pd.DataFrame({"method": "m", "fold": "2024", "chain": "ebike", "rank": [1, 3],
    ...                   "n_candidates": 10, "ap": [1.0, 2 / 3]})
    >>> row = summarise(r, ks=(2,), n_boot=0).iloc[0]
    >>> float(row["p@2"]), float(row["r@2"]), float(row["mrr"]), round(float(row["auc_pr"]), 3)
    (0.5, 0.5, 0.6666666666666666, 0.833)
    """
    rng = np.random.default_rng(seed)
    names = [f"p@{k}" for k in ks] + [f"r@{k}" for k in ks] + ["mrr", "auc_pr"]
    rows = []
    groups = [(key, df) for key, df in ranks.groupby(list(by), sort=True)]
    overall = [((m, OVERALL), df) for m, df in ranks.groupby("method", sort=True)] if "chain" in by else []
    for key, df in groups + overall:
        r = df["rank"].to_numpy()
        n_rank = df.groupby(["fold", "chain"]).ngroups
        hits = np.array([(r <= k).astype(float) for k in ks])
        scale = np.array([len(r) / (k * n_rank) for k in ks])
        point = _metric_values(hits, 1.0 / r, df["ap"].to_numpy(), scale)[0]
        row = dict(zip(by, key if isinstance(key, tuple) else (key,)))
        row.update(n_events=len(r), n_rankings=n_rank,
                   coverage=float((r <= df["n_candidates"].to_numpy()).mean()),
                   random_ap=float((df.groupby(["fold", "chain"])["rank"].size()
                                    / df.groupby(["fold", "chain"])["n_candidates"].first()).mean()),
                   **dict(zip(names, point.tolist())))
        if n_boot:
            idx = rng.integers(0, len(r), size=(n_boot, len(r)))
            boot = _metric_values(hits[:, idx], 1.0 / r[idx], df["ap"].to_numpy()[idx], scale)
            lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
            row.update({f"{n}_lo": float(a) for n, a in zip(names, lo)})
            row.update({f"{n}_hi": float(b) for n, b in zip(names, hi)})
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass
class Backtest:
    """What :func:`backtest` found.

    Attributes
    ----------
    ranks : DataFrame
        One row per (method, fold, chain, real investor): its ``rank`` among
        ``n_candidates`` and its precision at that rank (``ap``).
    metrics : DataFrame
        :func:`summarise` of ``ranks``: per method and chain, and overall (chain :data:`OVERALL`, ``"all"``).
    weights : dict
        Per fold label, the learned weights used in it (fitted on earlier folds
        only), or the reason there were none.
    signal_weights : dict
        The same for the ``signals`` method: a coefficient per :data:`FEATURES`.
    contributions : DataFrame
        Per test fold, chain and feature of the ``signals`` method: its
        coefficient, its mean among the real investors and among all
        candidates, and ``contribution`` = coef × (difference): how much the
        feature lifted the investors above the crowd.
    problems : list of Problem
        Events that could not be counted, each naming its row.
    X, y : ndarray
        Component rows of every (candidate, chain, fold) and whether the firm
        invested: what :func:`~chainmap.learn.weights.fit_weights` learns from.
    rankings : list of dict
        The same rows per (fold, chain) ranking, with every component
        (``check`` too) and the momentum: what
        :func:`~chainmap.learn.weights.choose_factors` picks the momentum
        factor and the fit gate from (``fit_weights(X, y, rankings=...)``).
    """

    ranks: pd.DataFrame
    metrics: pd.DataFrame
    weights: dict
    problems: list
    folds: list[str]
    ks: tuple[int, ...]
    X: np.ndarray = field(repr=False, default=None)
    y: np.ndarray = field(repr=False, default=None)
    contributions: pd.DataFrame = field(repr=False, default=None)
    signal_weights: dict = field(default_factory=dict)
    rankings: list = field(repr=False, default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for ``--format json``."""
        c = self.contributions
        return {"ks": list(self.ks), "folds": self.folds,
                "metrics": self.metrics.to_dict("records"),
                "learned_weights": self.weights, "signal_weights": self.signal_weights,
                "contributions": [] if c is None else c.to_dict("records"),
                "problems": [str(p) for p in self.problems],
                "ranks": self.ranks.to_dict("records")}


def _features(comp: dict[str, np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Component rows for :func:`~chainmap.learn.weights.fit_weights`, ``fill`` counting unassessed links too.

    The ``fill`` weight also scores the links the city has not assessed (mode
    ``check``, discounted by ``unassessed``): the feature is the better of the
    two, so an investor on an unassessed link (most electronics investors:
    panels, components, servers) is not taught as a firm with no fit.

    >>> comp = {k: np.zeros(2) for k in COMPONENTS} | {"check": np.array([0.8, 0.0])}
    >>> comp["fill"] = np.array([0.1, 0.3])
    >>> _features(comp, np.array([0, 1]))[:, 0].tolist()
    [0.4, 0.3]
    """
    cols = {**comp, "fill": np.maximum(comp["fill"], UNASSESSED_DISCOUNT * comp[CHECK])} if CHECK in comp else comp
    return np.column_stack([cols[k][rows] for k in COMPONENTS])


def _fit_signals(X: list, y: list, C: float = 1.0):
    """Logistic regression over :data:`FEATURES` (class-balanced, L2), or the reason there is none."""
    from sklearn.linear_model import LogisticRegression

    from .weights import MIN_POSITIVES

    yy = np.concatenate(y) if y else np.empty(0, dtype=bool)
    n_pos = int(yy.sum())
    if min(n_pos, len(yy) - n_pos) < MIN_POSITIVES:
        return f"only {n_pos} positive and {len(yy) - n_pos} negative rows in earlier folds; need {MIN_POSITIVES}"
    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(np.vstack(X), yy)


def _schedule(events: pd.DataFrame, cutoff: str | None, years: tuple[int, int] | None) -> list[tuple[Fold, bool]]:
    """Folds in time order, each with whether it is tested (earlier ones only train the learned methods)."""
    if cutoff is not None:
        folds = make_folds(events, cutoff)
        earlier = events[(when(events["date"]) < pd.Timestamp(cutoff)).to_numpy()]
        train_folds = make_folds(earlier) if len(earlier) else []
        return [(f, False) for f in train_folds] + [(folds[0], True)]
    folds = make_folds(events)
    if years is None:
        return [(f, True) for f in folds]
    lo, hi = years
    out = [(f, lo <= int(f.start[:4]) <= hi) for f in folds if int(f.start[:4]) <= hi]
    if not any(test for _, test in out):
        raise NoEventsError("no_events_in", lo=lo, hi=hi)
    return out


def backtest(tables: Tables, cutoff: str | None = None, ks: Sequence[int] = (10, 20, 50),
             strategies: Sequence[str] = tuple(STRATEGIES), learned: bool = True, n_boot: int = 1000,
             seed: int = 0, scorer: Callable[[], TargetScorer] | None = None,
             progress: Callable[[int, int, str], None] | None = None, events: pd.DataFrame | None = None,
             home: Home | None = None, years: tuple[int, int] | None = None,
             baselines: Sequence[str] = ("biggest", "relatedness"), signals: bool = False,
             fit: Callable[[TargetScorer, Tables], TargetScorer] | None = None) -> Backtest:
    """Replay history: rank before each held-out period, see where the real investors landed.

    Parameters
    ----------
    tables : Tables
        Today's workspace; snapshots are taken from it (:func:`as_of`).
    cutoff : str, optional
        Hold out everything from this date on (one fold). Default: each year
        with events in turn.
    ks : sequence of int
        Cut-offs of precision@k and recall@k.
    strategies : sequence of str
        Hand-set strategies to evaluate beside the baselines.
    learned : bool
        Also evaluate the scorer's weights learned on earlier folds
        (time-split CV): ``learned``.
    n_boot : int
        Bootstrap resamples for the confidence intervals (0: none).
    scorer : callable, optional
        Makes an unfitted :class:`TargetScorer` for a snapshot date; default
        ``TargetScorer(ScoringParams(as_of=date))`` with ``home``'s city,
        province and neighbours (the ``gravity`` component).
    progress : callable, optional
        ``progress(done, total, what)`` after each fold.
    events : DataFrame, optional
        Events to test on instead of the workspace's (and its ledger's), as
        :func:`chainmap.io.events.parse_events` returns them: those whose
        firm is in the library replace ``tables.events`` (so earlier ones are
        signals), those with a blank ``firm_id`` stay as investors every
        method misses.
    home : Home, optional
        Home province and neighbours, for the gravity signals.
    years : (int, int), optional
        Test only the yearly folds of these years (inclusive); earlier folds
        still train the learned methods, later ones are not looked at.
    baselines : sequence of str
        Which of :data:`BASELINES` to report (``chainmap backtest``: all three).
    signals : bool
        Also evaluate ``signals``: a logistic regression over the scorer's
        components and the event signals (:data:`FEATURES`), fitted on
        earlier folds only, with each feature's contribution.
    fit : callable, optional
        ``fit(scorer, snapshot)`` returns ``scorer`` fitted on ``snapshot``, or
        an equal fit; default ``scorer.fit(snapshot)``. The command line and
        the app pass the on-disk fit cache (:func:`chainmap.fitcache.refit`),
        so a backtest run again on the same data fits no snapshot again.

    Raises
    ------
    NoEventsError
        When no event falls in the held-out period.

    Examples
    --------
    Every method at once, on one held-out period (``learned=False`` would drop
    ``learned``; the default ``baselines`` drop ``recent``):

    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> bt = backtest(read_workspace(bundled_workspace()), cutoff="2024-01-01", n_boot=0,
    ...               baselines=tuple(BASELINES), signals=True)
    >>> sorted(set(bt.metrics["method"]))
    ['biggest', 'learned', 'recent', 'relatedness', 'signals', '稳健', '跨越']
    >>> set(bt.metrics["chain"]) >= {"ebike", "electronics", "materials", "all"}
    True
    """
    from .weights import fit_weights, InsufficientEventsError

    outsiders = None
    if events is not None:
        from ..io.schemas import SPECS

        known = events["firm_id"].fillna("").astype(str) != ""
        tested = events.loc[known, SPECS["events"].names].reset_index(drop=True)
        tables = tables.replace(events=_with_own_events(tested, tables.events))
        outsiders = events.loc[~known]
    all_events, problems = event_table(tables if events is None else tables.replace(events=tested),
                                       ledger=events is None)
    all_events["key"] = all_events["firm_id"]
    if outsiders is not None and len(outsiders):
        out = outsiders[["id", "date", "firm_id", "chain", "link_id", "origin", "in_qingyuan"]].copy()
        out["key"] = "?" + outsiders["firm_name"].astype(str)  # one investor per name, never in the library
        all_events = pd.concat([all_events, out], ignore_index=True)
    schedule = _schedule(all_events, cutoff, years)
    make = scorer or (lambda date: TargetScorer(ScoringParams(
        as_of=date, **({"home": home.city, "home_province": home.province, "neighbours": tuple(home.neighbours)}
                       if home is not None else {}))))
    chain_links = {c: tables.links.loc[tables.links["chain"] == c, "id"] for c in tables.chains["id"]}
    X, y, XS, R = [], [], [], []
    records, weights, signal_weights, contrib = [], {}, {}, []
    for step, (fold, test) in enumerate(schedule):
        snap = as_of(tables, fold.start, all_events)
        s = fit(make(fold.start), snap) if fit else make(fold.start).fit(snap)
        firm_rows = s.firm_index_
        w_learned, model = None, None
        if test and learned:
            try:
                w_learned = fit_weights(np.vstack(X) if X else np.empty((0, len(COMPONENTS))),
                                        np.concatenate(y) if y else np.empty(0), n_boot=0, rankings=R).weights
                weights[fold.label] = w_learned
            except InsufficientEventsError as err:
                # Same folds for every method: without history the learned row falls back to the default.
                w_learned = dict(STRATEGIES[DEFAULT_STRATEGY])
                weights[fold.label] = f"not learned ({err}); used {DEFAULT_STRATEGY}"
        if test and signals:
            model = _fit_signals(XS, y)
            if isinstance(model, str):
                signal_weights[fold.label] = f"not learned ({model}); used {DEFAULT_STRATEGY}"
            else:
                signal_weights[fold.label] = {k: round(float(v), 4) for k, v in zip(FEATURES, model.coef_[0])}
        size = size_score(snap.firms)
        recent = recent_expanders(snap.firms["id"], snap.events, fold.start)
        for chain, links in chain_links.items():
            pos_ids = fold.events.loc[fold.events["chain"] == chain, "key"].unique()
            cols = np.flatnonzero(present(pd.Series(s.link_ids_), links))
            comp = s.components(chain)
            feats = {**comp, **event_signals(snap, fold.start, chain, home), "size": size} if signals else comp
            # Candidates: firms on the chain's links, and firms the scorer can score for it (a link of a
            # neighbouring chain that fills or extends this one counts too).
            steady = s.score(chain, DEFAULT_STRATEGY)[0]
            cand = np.flatnonzero((s.fit_[:, cols].getnnz(axis=1) > 0) | np.isfinite(steady))
            pos = firm_rows.get_indexer(pos_ids)
            if test and len(pos):
                methods = {"biggest": 0.5 * s.tier_ + 0.5 * size, "relatedness": comp["relatedness"].copy(),
                           "recent": recent}
                methods = {b: methods[b] for b in baselines}
                with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where sparse learned weights meet 0s
                    for name in strategies:
                        methods[name] = steady if name == DEFAULT_STRATEGY else s.score(chain, name)[0]
                    if w_learned is not None:
                        methods["learned"] = s.score(chain, w_learned)[0]
                if model is not None:
                    F = np.column_stack([feats[k] for k in FEATURES])
                    methods["signals"] = steady if isinstance(model, str) else model.decision_function(F)
                    if not isinstance(model, str) and (pos >= 0).any():
                        inv, everyone = F[pos[pos >= 0]].mean(axis=0), F[cand].mean(axis=0)
                        contrib.append(pd.DataFrame({
                            "fold": fold.label, "chain": chain, "feature": FEATURES, "coef": model.coef_[0],
                            "mean_investors": inv, "mean_candidates": everyone,
                            "contribution": model.coef_[0] * (inv - everyone)}))
                for name, score in methods.items():
                    r = positive_ranks(score, cand, pos)
                    records.append(pd.DataFrame({
                        "method": name, "fold": fold.label, "chain": chain, "firm_id": pos_ids, "rank": r,
                        "n_candidates": len(cand), "ap": precisions_at_ranks(r, len(cand))}))
            if not test or len(pos):  # training rows: every training ranking, and test rankings with investors
                lab = np.zeros(len(firm_rows), dtype=bool)
                lab[pos[pos >= 0]] = True
                rows = np.union1d(cand, pos[pos >= 0])
                X.append(_features(comp, rows))
                R.append({"comp": {k: v[rows] for k, v in comp.items()}, "momentum": s.momentum(chain)[rows],
                          "y": lab[rows]})
                if signals:
                    XS.append(np.column_stack([feats[k][rows] for k in FEATURES]))
                y.append(lab[rows])
        if progress:
            progress(step + 1, len(schedule), fold.label)
    ranks = pd.concat(records, ignore_index=True) if records else pd.DataFrame(
        columns=["method", "fold", "chain", "firm_id", "rank", "n_candidates", "ap"])
    if ranks.empty:
        raise NoEventsError("no_event_firm")
    contributions = pd.concat(contrib, ignore_index=True) if contrib else pd.DataFrame(
        columns=["fold", "chain", "feature", "coef", "mean_investors", "mean_candidates", "contribution"])
    return Backtest(ranks, summarise(ranks, ks, n_boot, seed), weights, problems,
                    [f.label for f, test in schedule if test], tuple(ks), np.vstack(X), np.concatenate(y),
                    contributions, signal_weights, R)
