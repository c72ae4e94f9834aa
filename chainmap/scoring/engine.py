"""Target scoring: which firms would best 补链, 强链 or 延链 a chain, and why.

The engine follows DESIGN.md "Target scoring":

* ``Fit[firm, link]`` is a sparse matrix: 1 where the firm is known to operate
  in the link. A firm with no known link is placed, with its basis kept in
  ``basis_`` and shown in every reason and in :meth:`TargetScorer.explain`,
  by the first of (:mod:`chainmap.scoring.placement`): a fine industry class
  its link declares (GB/T 4754-2017, 申万2021 L3, Tushare;
  ``ScoringParams.class_fit``); its products or business-scope text — the
  calibrated probability of :class:`~chainmap.learn.LinkClassifier`, trained
  in :meth:`TargetScorer.fit` on the labelled library (firms with known links),
  and the keyword match (``ScoringParams.inferred_fit``) for links the
  classifier could not learn, or for every link when it refuses to train on
  too few labels (the reason is kept in ``inference_``); a coarse class
  confirmed by words of its name or scope, or by a second system
  (``ScoringParams.coarse_fit``). Finance and property firms
  (``ScoringParams.never_place``) are placed only by operations rows. Any
  other firm is also placed where it had an investment event before ``as_of``
  and nothing else placed it (basis ``event``, ``ScoringParams.event_fit``):
  a bank or a developer an event names as a plant's investor financed it,
  it does not make what the link makes.
* Per chain and mode (``fill``, ``strengthen``, ``extend``) an opportunity
  vector over links holds the gap analysis's severity of the links in that
  status. A mode score is the firm's best link, ``max_j Fit_eff[i, j] ×
  opportunity[j]``, scaled to [0, 1] by its maximum: a firm brings one
  project at a time, and a sum over links let a group placed on eight links
  (华为 on every unassessed electronics link) outrank every firm that makes
  the one thing a link lacks. Links the city has not assessed (待评估) are opportunities to
  check (mode ``check``, 待摸排): severity as if empty, scored with the
  ``fill`` weight times the strategy's ``unassessed`` discount
  (:mod:`chainmap.scoring.weights`). ``Fit_eff`` ``Fit_eff`` drops the links a firm's group already has in the
  city (a local firm is not asked to fill its own link; its expansion,
  增资扩产, counts as strengthening and is flagged ``expand``).
* Firm vectors: ``affinity`` (supply edges to local incumbents: 以商引商),
  ``relatedness`` (the home city's Hidalgo density around the firm's links,
  weighted by fit: how feasible what it would bring is, given what 清远
  already has), ``tier`` (honours), ``propensity`` (expansion signals decaying
  with age) and ``reach`` (pioneer-team coverage plus access channels).
* The score is the weighted mean of the components, ``Σ w_k c_k / Σ w_k``,
  times the fit gate ``c_mode ** fit_power`` (the firm's value in its mode:
  how well it fits how severe an opportunity) and the momentum factor
  ``1 + momentum × m`` of past investments (:meth:`TargetScorer.momentum`);
  both are strategy parameters, off (0) for custom weights that omit them.

No Python loop runs over firms: everything is a sparse product or a vector
operation, and reasons are built only for the rows that are shown. A reason
is a list of typed parts ``[(code, params), ...]`` (the ``reason_parts``
column: ``("target_fill", {"links": [...]})``, ``("buys_local", {"link", "firm"})``,
``("honour", {"list", "detail", "year"})`` …); the words, zh or en, come
from the one catalogue, :func:`chainmap.i18n.reason_text`, at the edge.

References
----------
C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann, "The product space
conditions the development of nations", *Science* 317 (2007) 482–487 (density,
see :mod:`chainmap.features.relatedness`).

J. Platt, "Probabilistic outputs for support vector machines and comparisons to
regularized likelihood methods", in *Advances in Large Margin Classifiers*, MIT
Press, 1999, 61–74 (the calibration of the link classifier, see
:mod:`chainmap.features.classifier`).
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._arrays import positions, present
from ..analysis.gaps import GapParams, gap_analysis
from ..analysis.graph import link_graph
from ..features.relatedness import link_space
from ..i18n import RELATION_LABEL, reason_text
from ..io.messages import CodedError
from ..io.schemas import INACTIVE_STATUS
from ..model import Tables, anchored
from . import placement
from .placement import BASIS, NEVER_PLACE
from .weights import (CHECK, COMPONENTS, MODES, STRATEGIES, fit_power, momentum_weight, resolve_weights,
                      unassessed_discount)

__all__ = ["TargetScorer", "ScoringParams", "combine", "TIER_WEIGHTS", "UNASSIGNED", "INFERENCE", "team_coverage"]

#: Weight of each honour list in ``tier``; a firm takes its best honour.
TIER_WEIGHTS = {"FG500": 1.0, "CN500": 0.8, "single_champion": 0.8, "CN_PRIVATE500": 0.7,
                "little_giant": 0.6, "listed": 0.4}
#: Every mode a firm can rank in: the three of the gap analysis, then ``check`` (an unassessed link, 待摸排).
ALL_MODES = (*MODES, CHECK)
UNASSIGNED = "市本级"
#: How firms without a known link are placed on links (``TargetScorer(inference=...)``).
INFERENCE = ("classifier", "keywords", "none")


@dataclass(frozen=True)
class ScoringParams:
    """Tuning of :class:`TargetScorer`.

    Attributes
    ----------
    as_of : str or None
        Reference date (ISO) for signal ages; None takes the latest signal date.
    half_life_years : float
        A signal's weight halves every this many years.
    inferred_fit : float
        Fit given to a link whose name or keyword occurs in a firm's products
        text (the keyword match: the fallback of the classifier).
    inference_threshold : float
        Classifier probabilities below this are not placed (kept sparse);
        those above are the fit.
    max_train : int
        Most labelled firms the classifier is trained on (a sample stratified
        on each firm's rarest link, :func:`~chainmap.learn.capped_sample`).
        Training fits three calibrated models per link, so its cost is set by
        the links and this cap, not by the library: about 7 s for 5,000 texts
        over 150 links on one core (2,000 still take 5 s: per-model overhead
        dominates), leaving about 30 texts per link. The bundled library
        (about 100 labelled firms) is used whole. Prediction then grows only
        with the firms to place (``bench/bench_scoring.py``: fit 27 s for
        1,000,000 firms of which 135,000 without operations, against 5 s
        with ``inference="keywords"``).
    relatedness_level : {"firm", "city"}
        Proximity from firms active in both links (the default, as
        ``methods.md`` recommends at prefecture scale) or from cities'
        co-specialisation; see :func:`~chainmap.learn.link_density`.
    home : str
        The home city's name (``seeds/city.toml``), needed only with
        ``relatedness_level="city"`` to tell its headquarters from the other
        cities'; at firm level its plants are the ``local`` operations.
    seed : int
        Seed of the training sample.
    class_fit : float
        Fit of a placement by a fine industry class (GB/T 4754-2017 code,
        申万 level 3, a specific Tushare class) the link declares.
    coarse_fit : float
        Fit of a placement by a coarse class confirmed by words of the firm's
        name or business scope, or by coarse classes of two systems agreeing
        (:mod:`chainmap.scoring.placement`).
    max_coarse_links : int
        Most links coarse classes of several systems, with no word to confirm
        them, may narrow a firm down to (申万「铜」 and 证监会 C39 agree on
        电子铜箔 alone; 申万「电池化学品」, Tushare 化工原料 and C39 on 正极材料
        and 前驱体). The fit ``coarse_fit`` is split over those links, so a
        firm spread over several guesses weighs no more than one placed on
        one. 3 placed 65 % of the A-share investors of the shared events on
        their chain, against 55 % with 1 (bench/bench_backtest_market.py).
    never_place : tuple of str
        ``system:value`` classes whose firms are placed only by an operations
        row (banks, insurers, property developers: ``placement.NEVER_PLACE``).
    gap : GapParams
        Parameters of the gap analysis behind the opportunity vectors.
    home_province, neighbours : str, tuple of str
        The home city's province and the provinces next to it
        (``seeds/city.toml``, :class:`chainmap.io.events.Home`), for the
        ``gravity`` component: 1 for a firm headquartered in the home
        province or that invested there in the last ``gravity_years``, 0.5
        next to it, 0 elsewhere (a step version of the distance decay of
        gravity models, Tinbergen 1962). Without them ``gravity`` is 0.
    gravity_years : float
        How far back a firm's investment events count toward ``gravity``.
    event_fit : float
        Fit of a firm on a link where one of its past investment events
        (``events`` dated before ``as_of``, with a ``link_id``) was, wherever
        nothing else placed it (basis ``event``): the evidence of a plant,
        trusted as a fine industry class. 0 turns it off.
    integration_fit : float
        Fit of a firm on a link of another chain that supplies or buys from
        one of its links (纵向延伸: 锂电芯 makers building 正极材料 plants);
        0 turns it off. Such firms rank only where that link is an
        opportunity, below the firms placed on it.
    """

    as_of: str | None = None
    half_life_years: float = 2.0
    inferred_fit: float = 0.6
    inference_threshold: float = 0.3
    max_train: int = 5_000
    relatedness_level: str = "firm"
    seed: int = 0
    class_fit: float = 0.8
    coarse_fit: float = 0.4
    max_coarse_links: int = 3
    never_place: tuple[str, ...] = NEVER_PLACE
    gap: GapParams = field(default_factory=GapParams)
    home: str = ""
    home_province: str = ""
    neighbours: tuple[str, ...] = ()
    gravity_years: float = 3.0
    integration_fit: float = 0.2
    event_fit: float = 0.8


def _to_date(s: pd.Series) -> pd.Series:
    # A signal's age is measured from the middle of its period: 2025 -> 2025-07-01, 2025-09 -> 2025-09-15.
    return anchored(s, "mid")


def _decayed(dates: pd.Series, as_of: pd.Timestamp, half_life: float) -> np.ndarray:
    """Weight of each dated fact by its age at ``as_of``: halves every ``half_life`` years; undated ~0."""
    age = ((as_of - dates).dt.days / 365.25).clip(lower=0).fillna(99).to_numpy()
    return np.exp(-np.log(2) * age / half_life)


def _place_province(places: pd.Series, firms: pd.DataFrame) -> pd.Series:
    """The province of each place: named in it, else that of a city the library's HQs place in a province.

    >>> firms = pd.DataFrame({"hq_city": ["惠州"], "hq_province": ["广东"]})
    >>> _place_province(pd.Series(["惠州博罗县龙华镇", "江苏昆山", "越南"]), firms).tolist()
    ['广东', '江苏', '']
    """
    from ..io.events import province_of
    from ..io.regions import PROVINCE_OF_CITY

    pairs = firms[["hq_city", "hq_province"]].fillna("").astype(str)
    known = {**{c: p for c, p in zip(pairs["hq_city"], pairs["hq_province"]) if len(c) >= 2 and p},
             **PROVINCE_OF_CITY}
    cities = sorted(known.items(), key=lambda kv: -len(kv[0]))

    def one(text) -> str:
        text = text if isinstance(text, str) else ""
        return province_of(text) or next((v for c, v in cities if len(c) >= 2 and c in text), "")
    codes, distinct = pd.factorize(places.fillna("").astype(str))  # each distinct place once
    out = np.array([one(d) for d in distinct] + [""], dtype=object)
    return pd.Series(out[codes], index=places.index)


def _gate_value(comp: dict[str, np.ndarray], mode: str, weights: dict) -> np.ndarray:
    """What the fit gate reads for a firm in ``mode``: its value in that mode; an unassessed link's (``check``)
    counts with the discount. The one computation for :func:`combine` and :meth:`TargetScorer.explain`.

    >>> comp = {"fill": np.array([0.8]), CHECK: np.array([0.8])}
    >>> _gate_value(comp, "fill", STRATEGIES["稳健"]).tolist(), _gate_value(comp, CHECK, STRATEGIES["稳健"]).tolist()
    ([0.8], [0.4])
    """
    return comp[mode] * unassessed_discount(weights) if mode == CHECK else comp[mode]


def _fit_gate(value, weights: dict):
    """The fit gate's factor for a gate value: ``clip(value, 0, 1) ** fit_power``, 1 when the power is 0 (off).

    >>> float(_fit_gate(0.25, STRATEGIES["稳健"])), _fit_gate(np.array([0.25, 2.0]), {"fit_power": 2.0}).tolist()
    (0.5, [0.0625, 1.0])
    >>> _fit_gate(0.25, {"fill": 1.0})
    1.0
    """
    power = fit_power(weights)
    return np.power(np.clip(value, 0.0, 1.0), power) if power > 0 else 1.0


def combine(comp: dict[str, np.ndarray], weights: dict, momentum: np.ndarray | None = None,
            modes: tuple[str, ...] = ALL_MODES, base: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Scores from component vectors: ``(score, mode index)``, as :meth:`TargetScorer.score` computes them.

    Each firm takes its best mode; its score is the weighted mean of that
    mode's value and the other components, times the fit gate
    ``c ** fit_power`` and the momentum factor ``1 + momentum × m``
    (:mod:`chainmap.scoring.weights`). A firm with no value in any of
    ``modes`` scores ``nan``. Pure, so that :mod:`chainmap.learn` can score
    stored component rows under other weights.

    Parameters
    ----------
    comp : dict of str to ndarray
        Every component of :data:`~chainmap.scoring.weights.COMPONENTS` and ``check``, over the same rows.
    weights : dict
        Checked weights (:func:`~chainmap.scoring.weights.resolve_weights`).
    momentum : ndarray, optional
        ``m`` per row (:meth:`TargetScorer.momentum`); needed when ``weights`` has a momentum > 0.
    modes : tuple of str
        The modes a firm may rank in.
    base : (ndarray, float), optional
        The weighted sum of the chain-independent components and its weight sum, if already known.

    Examples
    --------
    >>> comp = {k: np.array([0.0, 0.0]) for k in COMPONENTS + (CHECK,)}
    >>> comp["fill"] = np.array([1.0, 0.25])
    >>> w = {**STRATEGIES["稳健"], "momentum": 1.0}
    >>> score, _ = combine(comp, w, momentum=np.array([0.0, 1.0]))
    >>> bool(score[0] > score[1]), combine(comp, {**w, "fit_power": 0.0}, np.array([0.0, 1.0]))[0].round(3).tolist()
    (True, [0.282, 0.141])
    """
    w = dict(weights)
    w[CHECK] = w["fill"] * unassessed_discount(w)
    if base is None:
        key = [k for k in COMPONENTS if k not in MODES]
        base = (sum(w[k] * comp[k] for k in key), sum(w[k] for k in key))
    base, base_w = base
    # Best mode per firm by running maxima over whole vectors: argmax(axis=0) of a modes x firms
    # array walks it with a stride and took ~20 % of rank() at 10^6 firms. Strict ">" keeps the
    # first of equal modes, as argmax does.
    # The denominator of check is the undiscounted fill weight: the discount lowers the score.
    denom = {**w, CHECK: w["fill"]}
    mode_val = w[modes[0]] * comp[modes[0]]
    mode_w = np.full(len(mode_val), denom[modes[0]])
    mode_idx = np.full(len(mode_val), ALL_MODES.index(modes[0]))
    # The fit gate reads a firm's value in its mode (:func:`_gate_value`).
    mode_fit = np.array(_gate_value(comp, modes[0], w), dtype=float)
    for m in modes[1:]:
        val = w[m] * comp[m]
        better = val > mode_val
        mode_val = np.where(better, val, mode_val)
        mode_w[better] = denom[m]
        mode_idx[better] = ALL_MODES.index(m)
        mode_fit[better] = _gate_value(comp, m, w)[better]
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where sparse weights meet zeros: nan below
        score = (mode_val + base) / (mode_w + base_w)
    if fit_power(w) > 0:
        score = score * _fit_gate(mode_fit, w)
    m = momentum_weight(w)
    if m > 0:
        score = score * (1.0 + m * momentum)
    score[mode_val <= 0] = np.nan
    return score, mode_idx


def _row_max(m: sp.csr_matrix, v: np.ndarray) -> np.ndarray:
    """Per row of ``m``, ``max_j m[i, j] × v[j]`` (0 for an empty row; products are ≥ 0 here).

    One pass over the stored entries (``np.maximum.reduceat``), twice as fast
    as ``m.multiply(v).max(axis=1)`` at 10^6 firms.

    >>> _row_max(sp.csr_matrix(np.array([[1.0, 0.5], [0.0, 0.0], [0.0, 2.0]])), np.array([0.2, 0.3])).tolist()
    [0.2, 0.0, 0.6]
    """
    m = sp.csr_matrix(m)
    prod = m.data * v[m.indices]
    out = np.zeros(m.shape[0])
    rows = np.flatnonzero(np.diff(m.indptr) > 0)
    if len(rows):
        out[rows] = np.maximum.reduceat(prod, m.indptr[rows])
    return np.maximum(out, 0.0)


def _group_roots(firm_index: pd.Index, relations: pd.DataFrame) -> np.ndarray:
    """Row of each firm's top parent via PART_OF (its own row when it has none)."""
    part = relations[relations["type"] == "PART_OF"]
    parent = dict(zip(part["src"], part["dst"]))
    group = np.arange(len(firm_index))
    for child in parent:  # group trees are shallow and few: a loop over relations, not firms
        seen, top = {child}, child
        while top in parent and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        group[firm_index.get_loc(child)] = firm_index.get_loc(top)
    return group


def _lookup(values: pd.Series, table: dict, key=None) -> np.ndarray:
    """``table[key(value)]`` for every value (None where absent), one dict lookup per distinct value."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([table.get(key(u) if key else u) for u in uniques] + [None], dtype=object)
    return mapped[codes]  # code -1 (missing) takes the trailing None


def _short_place(name) -> str:
    """广东省 -> 广东, 清远市 -> 清远: places compared without their suffix."""
    s = str(name or "").strip()
    for suf in ("特别行政区", "自治区", "省", "市"):
        if s.endswith(suf) and len(s) > len(suf) + 1:
            return s[: -len(suf)]
    return s


def team_coverage(teams: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Area → team id, per kind of area (``city``, ``province``, ``region``).

    ``covers`` lists areas separated by ``|``. An area may say its kind
    (``city:清远``, ``province:广东``, ``region:PRD``); a bare area (the older
    format: ``深圳|惠州``, ``江苏``, ``BTH``) is matched as a city, a province
    and a region code. The first team naming an area wins.

    Examples
    --------
    >>> teams = pd.DataFrame({"id": ["gz", "gd"], "covers": ["广州|佛山", "province:广东省|region:hmt"]})
    >>> c = team_coverage(teams)
    >>> c["city"]["广州"], c["province"]["广东"], c["region"]["hmt"], "广东" in c["city"]
    ('gz', 'gd', 'gd', False)
    """
    out = {"city": {}, "province": {}, "region": {}}
    for tid, cov in zip(teams["id"], teams["covers"]):
        for area in str(cov).split("|"):
            kind, sep, value = area.strip().partition(":")
            if sep and kind in out:
                value = value.strip() if kind == "region" else _short_place(value)
                out[kind].setdefault(value, tid)
            elif area.strip():
                for k in out:
                    out[k].setdefault(area.strip() if k == "region" else _short_place(area), tid)
    return out


def _keyword_fit(products: pd.Series, links: pd.DataFrame) -> sp.csr_matrix:
    """Links named by a products text: rows = products, 1 where a link name or keyword occurs."""
    codes, distinct = pd.factorize(products)
    if len(distinct) < len(products):  # match each distinct text once
        return _keyword_fit(pd.Series(distinct), links)[codes]
    rows, cols = [], []
    for j, (name, kws) in enumerate(zip(links["name_zh"], links["keywords"])):
        words = [k for k in {name, *kws.split("|")} if len(k) >= 2]
        if not words or products.empty:
            continue
        hit = products.str.contains("|".join(map(re.escape, words)), regex=True).to_numpy()
        r = np.flatnonzero(hit)
        rows.append(r)
        cols.append(np.full(len(r), j))
    if not rows:
        return sp.csr_matrix((len(products), len(links)))
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(products), len(links)))


class TargetScorer:
    """Rank firms on how well they would extend, fill or strengthen a chain.

    Follows scikit-learn's habits: ``__init__`` stores parameters, :meth:`fit`
    computes everything that does not depend on the chain or the weights and
    returns ``self``; learned state ends in ``_``.

    Parameters
    ----------
    params : ScoringParams, optional
    inference : {"classifier", "keywords", "none"}, default "classifier"
        How firms without a known link (no operations row) are placed:
        ``"classifier"`` by the calibrated probabilities of a
        :class:`~chainmap.learn.LinkClassifier` trained in :meth:`fit` on the
        library's labelled firms (keyword match for the links it could not
        learn; the keyword match throughout if it refuses to train);
        ``"keywords"`` by the keyword match only; ``"none"`` not at all (such
        firms are unscorable).

    Attributes
    ----------
    fit_ : scipy.sparse.csr_matrix, firms × links
        Known links (1) plus inferred ones (probability or keyword fit).
    eff_ : csr_matrix
        ``fit_`` without the links the firm's group already has in the city.
    local_ : csr_matrix
        1 where the firm's group has a local plant in the link.
    inferred_ : csr_matrix
        The entries of ``fit_`` placed by text (only rows of firms with no known link).
    by_class_ : csr_matrix
        The entries of ``fit_`` placed by a fine or coarse industry class.
    by_event_ : csr_matrix
        1 where ``fit_`` was placed by a past investment event on the link (basis ``event``).
    basis_ : csr_matrix of int
        The basis of every entry of ``fit_``, an index into ``placement.BASIS``
        (known, gb, sw, tushare, classifier, keywords, coarse_words,
        coarse_classes); :meth:`basis` gives its codes and values.
    excluded_ : ndarray of bool
        Firms of a ``never_place`` class (banks, property developers …).
    inactive_ : ndarray of bool
        Firms whose status is 注销, 吊销, 退市 …: left out of :meth:`rank` unless asked.
    inferred_proba_ : csr_matrix
        The classifier's probability for the inferred entries it placed; an
        inferred entry absent here came from the keyword match.
    has_inferred_ : ndarray of bool
        Firms placed (partly) by something other than an operations row (text or class).
    inference_ : str
        What placed them: ``"classifier"``, ``"keywords: <why>"`` (asked for,
        or the classifier's refusal, e.g. too few labels) or ``"none"``.
    inference_parts_ : list of (code, params)
        The same as a reason part (``inference_classifier`` with the counts …).
    inference_note_ : str
        ``inference_parts_`` in Chinese for officers (a property), e.g.
        ``环节推断：主营产品文本分类器（…学习17个环节；其余4个环节样本不足，按关键词）``.
    classifier_ : LinkClassifier or None
        The fitted classifier; None unless it was trained (it is not when no
        firm needs placing).
    density_ : ndarray, links
        The home city's density around each link (Hidalgo et al. 2007, zero
        diagonal, :func:`~chainmap.learn.link_space` at
        ``params.relatedness_level``).
    proximity_ : ndarray, links × links
        The proximity behind ``density_``, used to name in a reason the local
        link that makes a firm's link related.
    presence_ : ndarray of bool, links
        Links the home city has (local plants at firm level, RCA ≥ 1 at city level).
    relatedness_ : ndarray, firms
        Fit-weighted mean of ``density_`` over the firm's links, in [0, 1];
        0 for a firm with no link.
    affinity_, tier_, propensity_, reach_, gravity_ : ndarray, firms
        The other chain-independent components, each in [0, 1].
    honours_, signals_ : DataFrame, indexed by firm id
        Each firm's best honour (``list``, ``detail``, ``year``) and latest
        expansion signal (``date``, ``detail``, ``amount_yi``): the values
        reasons cite.
    partners_, channels_ : dict, firm id → list of reason parts
        Supply ties to local firms (``supplier_of``, ``customer_of``) and
        access channels (``channel``).
    unscorable_ : ndarray of int
        Rows of firms with no link, known or inferred.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> scorer = TargetScorer().fit(MemoryStore.open().tables())
    >>> top = scorer.rank("electronics", top=5)
    >>> list(top.columns[:4])
    ['rank', 'firm_id', 'name_zh', 'chain']
    >>> scorer.inference_
    'classifier'
    >>> bool(((scorer.relatedness_ >= 0) & (scorer.relatedness_ <= 1)).all())
    True
    """

    def __init__(self, params: ScoringParams | None = None, inference: str = "classifier"):
        self.params = params or ScoringParams()
        self.inference = inference

    # ------------------------------------------------------------------ fit
    def fit(self, tables: Tables) -> "TargetScorer":
        """Compute everything that depends on the data but not on the chain or the weights.

        Parameters
        ----------
        tables : Tables

        Returns
        -------
        self

        Raises
        ------
        ValueError
            If ``inference`` or ``params.relatedness_level`` is not one of its choices.
        """
        p = self.params
        if self.inference not in INFERENCE:
            raise ValueError(f"unknown inference {self.inference!r}; choose one of: {', '.join(INFERENCE)}")
        self.tables_ = tables
        firms, links = tables.firms, tables.links
        n_f, n_l = len(firms), len(links)
        self.firm_index_ = pd.Index(firms["id"])
        self.link_ids_ = links["id"].to_numpy(dtype=object)
        self.link_names_ = links["name_zh"].to_numpy(dtype=object)
        self.link_names_en_ = (links["name_en"] if "name_en" in links else links["name_zh"]).to_numpy(dtype=object)
        self._link_col = dict(zip(self.link_ids_, range(n_l)))

        ops = tables.operations
        r, c = positions(firms["id"], ops["firm_id"]), positions(links["id"], ops["link_id"])
        known = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n_f, n_l))
        known.data[:] = 1.0
        group = _group_roots(self.firm_index_, tables.relations)
        loc = ops["local"].to_numpy()
        by_group = sp.csr_matrix((np.ones(int(loc.sum())), (group[r[loc]], c[loc])), shape=(n_f, n_l))
        local = by_group[group]
        local.data[:] = 1.0
        self.local_ = local
        self.is_local_ = local.getnnz(axis=1) > 0

        # Placement (DESIGN.md): known > fine industry class > products / business-scope text > a coarse
        # class confirmed by words or by a second system; finance and real estate never by class or text.
        from ..features.classifier import firm_texts

        texts = firm_texts(firms)
        placing = self.inference != "none"
        classes = placement.firm_classes(firms) if placing else None
        self.excluded_ = placement.excluded(firms, p.never_place, classes) if placing else np.zeros(n_f, dtype=bool)
        open_ = (known.getnnz(axis=1) == 0) & ~self.excluded_
        fine = sp.diags(open_.astype(float)) @ placement.fine_fit(firms, links, classes) if placing \
            else sp.csr_matrix((n_f, n_l))
        fine_rows = fine.getnnz(axis=1) > 0
        unlinked = np.flatnonzero(open_ & ~fine_rows & (texts.str.len() > 0).to_numpy())
        inferred = self._fit_inference(tables, texts, unlinked)
        text_rows = inferred.getnnz(axis=1) > 0
        coarse = placement.coarse_fit(firms, links, np.flatnonzero(open_ & ~fine_rows & ~text_rows),
                                      p.max_coarse_links, classes) if placing else sp.csr_matrix((n_f, n_l))
        # A coarse-classes placement over k links gets coarse_fit / k on each (words keep the whole fit).
        narrowed = (coarse == BASIS.index("coarse_classes")).astype(float)
        k = narrowed.getnnz(axis=1)
        split = sp.diags(np.where(k > 0, 1.0 / np.maximum(k, 1), 1.0)) @ (coarse > 0).astype(float)
        by_class = ((fine > 0) * p.class_fit + split * p.coarse_fit).tocsr()
        text_basis = (inferred > 0) * BASIS.index("keywords") - (self.inferred_proba_ > 0) * (
            BASIS.index("keywords") - BASIS.index("classifier"))
        placed = ((known + inferred + by_class) > 0).astype(float)
        # A past event places a firm where nothing else did, unless its class is a never_place one (a bank
        # or a developer named by an event as the investor of a plant is its financier, not its maker).
        by_event = sp.diags((~self.excluded_).astype(float)) @ self._event_cells(tables)
        by_event = (by_event - by_event.multiply(placed)).tocsr()
        by_event.eliminate_zeros()
        self.basis_ = (known * BASIS.index("known") + fine + coarse + text_basis
                       + by_event * BASIS.index("event")).tocsr()
        self.inferred_ = inferred  # placed by text (classifier or keywords)
        self.by_class_ = by_class  # placed by a fine or coarse industry class
        self.by_event_ = by_event  # placed by a past investment event on the link
        self.has_inferred_ = (inferred + by_class + by_event).getnnz(axis=1) > 0
        status = firms["status"] if "status" in firms else pd.Series("", index=firms.index)
        self.inactive_ = status.isin(INACTIVE_STATUS).to_numpy()
        self.fit_ = (known + inferred + by_class + by_event * p.event_fit).tocsr()
        eff = self.fit_ - self.fit_.multiply(local)
        eff.eliminate_zeros()
        self.eff_ = eff.tocsr()
        self.unscorable_ = np.flatnonzero((self.fit_.getnnz(axis=1) == 0))

        self.link_graph_ = link_graph(tables)
        self.gaps_ = {ch: gap_analysis(tables, ch, p.gap, graph=self.link_graph_) for ch in tables.chains["id"]}
        # caches of the previous fit are stale
        self._opportunities, self._bases, self._heats, self._components = {}, {}, {}, {}
        self._fit_integration(links)
        # Local firms per present link, for reasons that name the incumbent next door.
        self.incumbents_ = {lid: firms for gap in self.gaps_.values()
                            for lid, firms in zip(gap["link_id"], gap["incumbents"]) if firms}
        self._fit_relatedness(tables)
        self._fit_tier(tables)
        self._fit_propensity(tables)
        self._fit_link_heat(tables)
        self._fit_affinity_and_reach(tables, group)
        self._fit_gravity(tables)
        return self

    def _event_cells(self, tables: Tables) -> sp.csr_matrix:
        """1 where a firm had an investment event on a link known before ``params.as_of`` (every dated one without)."""
        shape = (len(self.firm_index_), len(self.link_ids_))
        e = tables.events
        if not len(e) or self.params.event_fit <= 0:
            return sp.csr_matrix(shape)
        known_from = anchored(e["date"], "end")  # a "2023" event is known from the end of 2023 only
        past = (known_from < pd.Timestamp(self.params.as_of)) if self.params.as_of else known_from.notna()
        r = self.firm_index_.get_indexer(e["firm_id"])
        c = pd.Index(self.link_ids_).get_indexer(e["link_id"].fillna("").astype(str))
        keep = past.to_numpy() & (r >= 0) & (c >= 0)
        m = sp.csr_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=shape)
        m.data[:] = 1.0
        return m

    def _fit_integration(self, links: pd.DataFrame) -> None:
        """``integration_``: fit on the links of *other* chains next to a firm's links (纵向延伸).

        A cell maker (锂电芯, 电动自行车) builds cathode plants (正极材料, 先进材料): a supply edge
        between links of two chains makes a firm on one end a candidate for the other, with fit
        ``params.integration_fit``, never where it is already placed. Only firms known or placed by a
        fine class on their link (fit ≥ ``class_fit``) reach across: a guess of a guess is no candidate.
        """
        n_l = len(self.link_ids_)
        idx = {lid: j for j, lid in enumerate(self.link_ids_)}
        chain_of = links["chain"].to_numpy()
        r, c = [], []
        for a, b in self.link_graph_.edges:  # few edges: a loop over links, not firms
            if a in idx and b in idx and chain_of[idx[a]] != chain_of[idx[b]]:
                r += [idx[a], idx[b]]
                c += [idx[b], idx[a]]
        adj = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(n_l, n_l))
        sure = self.fit_ >= min(self.params.class_fit, 1.0)  # known or by a fine class: not a guess of a guess
        reach = (sure.astype(float) @ adj > 0).astype(float)
        reach = reach - reach.multiply(self.fit_ > 0)
        reach.eliminate_zeros()
        self.integration_ = (reach * self.params.integration_fit).tocsr()

    def _fit_gravity(self, tables: Tables) -> None:
        """``gravity_``: how near the home province a firm's HQ and recent investments are (see ScoringParams)."""
        from ..io.events import Home

        p, n = self.params, len(self.firm_index_)
        self.gravity_ = np.zeros(n)
        if not p.home_province:
            return
        home = Home(p.home, p.home_province, tuple(p.neighbours))
        self.gravity_ = home.proximity(tables.firms["hq_province"])
        e = tables.events
        if len(e) and "place" in e:
            t = _to_date(e["date"])
            age = ((self.as_of_ - t).dt.days / 365.25).to_numpy()
            rows = self.firm_index_.get_indexer(e["firm_id"])
            keep = (rows >= 0) & (age >= 0) & (age < p.gravity_years)
            near = home.proximity(_place_province(e["place"], tables.firms))
            np.maximum.at(self.gravity_, rows[keep], near[keep])

    def _fit_inference(self, tables: Tables, products: pd.Series, unlinked: np.ndarray) -> sp.csr_matrix:
        """Fit of the firms without a known link (rows ``unlinked``); sets ``inference_`` and the classifier."""
        p, links = self.params, tables.links
        shape = (len(tables.firms), len(links))
        self.classifier_ = None
        self.inferred_proba_ = sp.csr_matrix(shape)
        if self.inference == "none":
            self.inference_, self.inference_parts_ = "none", [("inference_off", {})]
            return sp.csr_matrix(shape)
        keyword_cols = np.arange(len(links))
        if self.inference == "keywords":
            self.inference_ = "keywords: requested (inference='keywords')"
            self.inference_parts_ = [("inference_keywords", {})]
        elif not len(unlinked):  # nobody to place: no training
            self.inference_, self.inference_parts_ = "classifier", [("inference_not_needed", {})]
            keyword_cols = keyword_cols[:0]
        else:
            from ..features.classifier import (DroppedClassesWarning, capped_sample, inferred_fit, shared_fit,
                                            training_data)

            data = training_data(tables)
            rows = capped_sample(list(data["links"]), p.max_train, p.seed)
            try:
                with warnings.catch_warnings():  # dropped links are reported through inference_note_
                    warnings.simplefilter("ignore", DroppedClassesWarning)
                    # shared: the backtest's snapshots often hold the same labelled firms (one fit, not one per fold)
                    clf = shared_fit(data["text"].iloc[rows].reset_index(drop=True),
                                     [data["links"].iat[i] for i in rows])
            except ValueError as e:  # too few labels: the classifier refuses, saying why
                self.inference_ = f"keywords: {e}"
                self.inference_parts_ = [("inference_too_few", {"labelled": len(data)})]
            else:
                self.classifier_ = clf
                self.inferred_proba_ = inferred_fit(tables, clf, p.inference_threshold, rows=unlinked)
                keyword_cols = np.flatnonzero(~np.isin(self.link_ids_, clf.classes_))
                self.inference_ = "classifier"
                self.inference_parts_ = [("inference_classifier", {
                    "labelled": len(data), "trained": len(rows), "learned": len(clf.classes_),
                    "by_keyword": len(keyword_cols)})]
        kw = sp.csr_matrix(shape)
        if len(keyword_cols) and len(unlinked):
            m = _keyword_fit(products.iloc[unlinked].reset_index(drop=True), links.iloc[keyword_cols]).tocoo()
            kw = sp.csr_matrix((np.full(m.nnz, p.inferred_fit), (unlinked[m.row], keyword_cols[m.col])), shape=shape)
        return (self.inferred_proba_ + kw).tocsr()

    def _fit_relatedness(self, tables: Tables) -> None:
        phi, here, omega = link_space(tables, level=self.params.relatedness_level, home=self.params.home)
        self.proximity_ = phi.to_numpy()
        self.presence_ = here.to_numpy() > 0
        self.density_ = omega.to_numpy()
        # The density of what the firm would bring, weighted by how sure its fit is.
        fit_sum = np.asarray(self.fit_.sum(axis=1)).ravel()
        rel = np.divide(self.fit_ @ self.density_, fit_sum, out=np.zeros(len(fit_sum)), where=fit_sum > 0)
        self.relatedness_ = np.clip(rel, 0.0, 1.0)

    def _fit_tier(self, tables: Tables) -> None:
        h = tables.honours.assign(w=tables.honours["list"].map(TIER_WEIGHTS).fillna(0.0))
        h = h.sort_values(["w", "year"], ascending=False, na_position="last").drop_duplicates("firm_id")
        rows = self.firm_index_.get_indexer(h["firm_id"])
        self.tier_ = np.zeros(len(self.firm_index_))
        self.tier_[rows] = h["w"].to_numpy()
        # Each firm's best honour as codes and values (list, detail, year); words come from chainmap.i18n.
        self.honours_ = h.set_index("firm_id")[["list", "detail", "year"]]

    def _fit_propensity(self, tables: Tables) -> None:
        # Expansion signals and past investment events (serial expanders invest again: the "recent
        # expanders" an officer watches), each decaying with its age; events on or after as_of are unknown.
        s = tables.signals
        dates = _to_date(s["date"])
        as_of = pd.Timestamp(self.params.as_of) if self.params.as_of else (dates.max() if len(s) else pd.Timestamp(0))
        half_life = self.params.half_life_years
        e = tables.events
        self.chain_history_ = {}
        if len(e):
            e_dates = _to_date(e["date"])
            past = (e_dates < as_of).to_numpy() if self.params.as_of else e_dates.notna().to_numpy()
            e = e[past]
            # Past investments in each chain, decaying alike: the chain's part of the momentum factor.
            e_rows = self.firm_index_.get_indexer(e["firm_id"])
            e_w = _decayed(e_dates[past], as_of, half_life)
            for chain in pd.unique(e["chain"]):
                sel = (e["chain"] == chain).to_numpy() & (e_rows >= 0)
                self.chain_history_[chain] = 1.0 - np.exp(-np.bincount(e_rows[sel], weights=e_w[sel],
                                                                       minlength=len(self.firm_index_)))
            detail = (e["project"] if "project" in e else e["kind"]).fillna("").astype(str)
            s = pd.concat([s[["firm_id", "date", "detail", "amount_yi"]],
                           pd.DataFrame({"firm_id": e["firm_id"], "date": e["date"].astype(str),
                                         "detail": detail.str.slice(0, 40), "amount_yi": e["amount_yi"]})],
                          ignore_index=True)
            dates = _to_date(s["date"])
        weight = _decayed(dates, as_of, half_life)
        rows = self.firm_index_.get_indexer(s["firm_id"])
        self.propensity_ = np.minimum(1.0, np.bincount(rows, weights=weight, minlength=len(self.firm_index_)))
        latest = s.assign(_d=dates).sort_values("_d", ascending=False).drop_duplicates("firm_id")
        self.signals_ = latest.set_index("firm_id")[["date", "detail", "amount_yi"]]  # each firm's latest signal
        self.as_of_ = as_of

    def _fit_link_heat(self, tables: Tables) -> None:
        """``link_heat_``: per link, the investment events on it known before ``as_of``, each decaying with age.

        Industries expand in waves (lithium salts in 2021–2023, display panels
        before): a link many firms recently built plants for is one where the
        next plant is likelier. Any firm's event counts (the library's or
        not), with the half-life of ``propensity``; an event is known from the
        end of its period (``2023``: from 2024-01-01), as in the backtest.
        """
        n_l = len(self.link_ids_)
        self.link_heat_ = np.zeros(n_l)
        e = tables.events
        if not len(e):
            return
        cols = pd.Index(self.link_ids_).get_indexer(e["link_id"].fillna("").astype(str))
        keep = ((anchored(e["date"], "end") < self.as_of_) & (cols >= 0)).to_numpy()
        self.link_heat_ = np.bincount(cols[keep], weights=_decayed(_to_date(e["date"])[keep], self.as_of_,
                                                                   self.params.half_life_years), minlength=n_l)

    def link_heat(self, chain: str) -> np.ndarray:
        """Each firm's hottest link of ``chain`` in [0, 1]: ``link_heat_`` of its placed links over the chain's hottest.

        Examples
        --------
        >>> from chainmap.io import bundled_workspace, read_workspace
        >>> s = TargetScorer(ScoringParams(as_of="2024-01-01"), inference="keywords").fit(
        ...     read_workspace(bundled_workspace()))
        >>> h = s.link_heat("ebike")
        >>> float(h.max()), bool(((h >= 0) & (h <= 1)).all())
        (1.0, True)
        """
        self._check_chain(chain)
        cache = self.__dict__.setdefault("_heats", {})
        if chain not in cache:  # every score() of the chain reads it: one sparse pass per chain and fit
            heat = np.where(self.tables_.links["chain"].to_numpy() == chain, self.link_heat_, 0.0)
            top = heat.max(initial=0.0)
            cache[chain] = np.zeros(len(self.firm_index_)) if top <= 0 else \
                _row_max((self.fit_ > 0).astype(float).tocsr(), heat / top)
        return cache[chain]

    def _fit_affinity_and_reach(self, tables: Tables, group: np.ndarray) -> None:
        firms = tables.firms
        n_f = len(firms)
        # Affinity: known supply edges with a local incumbent (either direction).
        sup = tables.relations[tables.relations["type"] == "SUPPLIES_TO"]
        a, b = self.firm_index_.get_indexer(sup["src"]), self.firm_index_.get_indexer(sup["dst"])
        adj = sp.csr_matrix((np.ones(len(a)), (a, b)), shape=(n_f, n_f))
        adj = ((adj + adj.T) > 0).astype(float)
        self.affinity_ = np.minimum(1.0, 0.5 * (adj @ self.is_local_.astype(float)))
        names = firms["name_zh"].to_numpy(dtype=object)
        partner = {}
        for s_, d_ in zip(a, b):  # few edges: a loop over relations, not firms
            if self.is_local_[d_] and not self.is_local_[s_]:
                partner.setdefault(s_, []).append(("supplier_of", names[d_]))
            if self.is_local_[s_] and not self.is_local_[d_]:
                partner.setdefault(d_, []).append(("customer_of", names[s_]))
        #: Per firm, its supply ties to local firms as reason parts.
        self.partners_ = {self.firm_index_[k]: [(code, {"firm": f}) for code, f in dict.fromkeys(v)]
                          for k, v in partner.items()}

        # Team coverage: by city, then province, then region code (the first team naming an area wins).
        covers = team_coverage(tables.teams)
        team = _lookup(firms["hq_city"], covers["city"], _short_place)
        for col, kind in (("hq_province", "province"), ("hq_region", "region")):
            found = _lookup(firms[col], covers[kind], _short_place if kind == "province" else None)
            team = np.where(team == None, found, team)  # noqa: E711 (elementwise)
        self.team_ = np.where(team == None, "", team).astype(object)  # noqa: E711
        self.team_names_ = dict(zip(tables.teams["id"], tables.teams["name_zh"]))
        ch = tables.channels
        n_channels = np.bincount(self.firm_index_.get_indexer(ch["firm_id"]), minlength=n_f)
        self.reach_ = np.minimum(1.0, 0.5 * (self.team_ != "") + 0.25 * n_channels + 0.25 * (self.affinity_ > 0))
        self.channels_ = {fid: [("channel", {"channel": c, "detail": d}) for c, d in zip(g["channel"], g["detail"])]
                          for fid, g in ch.groupby("firm_id", sort=False)}

    # ---------------------------------------------------------------- score
    def _check_chain(self, chain: str) -> None:
        if chain not in self.gaps_:
            raise CodedError("unknown_chain", chain=chain, known=list(self.gaps_))

    def opportunities(self, chain: str) -> dict[str, np.ndarray]:
        """Per mode, the severity of the chain's links in that status (0 elsewhere).

        ``check`` holds the unassessed links (待评估) with the severity they
        would have if empty: importance × demand pull × centrality.
        """
        self._check_chain(chain)
        cache = self.__dict__.setdefault("_opportunities", {})
        if chain not in cache:  # used once per ranked row by the reasons: compute once per chain
            g = self.gaps_[chain].set_index("link_id").reindex(self.link_ids_)
            sev = g["severity"].astype(float).fillna(0.0).to_numpy()
            status = g["status"].to_numpy()
            cache[chain] = {m: np.where(status == m, sev, 0.0) for m in MODES}
            if_empty = (g["importance"].astype(float) * g["demand_pull"].astype(float)
                        * g["centrality"].astype(float)).fillna(0.0).to_numpy()
            cache[chain][CHECK] = np.where(status == "unassessed", if_empty, 0.0)
        return cache[chain]

    def components(self, chain: str) -> dict[str, np.ndarray]:
        """Every component as a vector over firms, each in [0, 1] (computed once per chain and fit)."""
        cache = self.__dict__.setdefault("_components", {})
        if chain in cache:
            return dict(cache[chain])
        opp = self.opportunities(chain)
        out = {}
        for m in ALL_MODES:
            # 纵向延伸 counts its best link only: a firm next to five links of a chain is one candidate
            # reaching across, not five placements (summed, an integrator outranked the chain's own makers).
            across = _row_max(self.integration_, opp[m])
            # The best link, not the sum over links: a firm brings one project at a time; summed, a group
            # on many links (华为: eight unassessed electronics links) outranked the makers of each one.
            raw = np.maximum(_row_max(self.eff_, opp[m]), across)
            if m == "strengthen":  # 增资扩产: a local firm growing on its own weak link
                raw = np.maximum(raw, _row_max(self.local_, opp[m]))
            top = raw.max(initial=0.0)
            out[m] = raw / top if top > 0 else raw
        out.update(affinity=self.affinity_, relatedness=self.relatedness_, tier=self.tier_,
                   propensity=self.propensity_, reach=self.reach_, gravity=self.gravity_)
        cache[chain] = out
        return dict(out)

    def zeroed_modes(self, chain: str, strategy=None) -> list[str]:
        """Modes with an opportunity on ``chain`` that ``strategy`` weighs 0: their firms cannot rank.

        Learned weights can give a mode 0 (no investor of the training folds
        was in it); on a chain whose every opportunity is in that mode (a new
        chain the city does not have: all 延链) nobody ranks, and the caller
        should say why.

        Examples
        --------
        >>> from chainmap.store.memory import MemoryStore
        >>> s = TargetScorer(inference="keywords").fit(MemoryStore.open().tables())
        >>> s.zeroed_modes("ebike", "稳健")
        []
        >>> "fill" in s.zeroed_modes("ebike", {**STRATEGIES["稳健"], "fill": 0.0})
        True
        """
        w = resolve_weights(strategy)
        weight = {**w, CHECK: w["fill"] * unassessed_discount(w)}
        opp = self.opportunities(chain)
        return [m for m in ALL_MODES if opp[m].max(initial=0.0) > 0 and weight[m] <= 0]

    def momentum(self, chain: str) -> np.ndarray:
        """Each firm's momentum for ``chain`` in [0, 1]: past investments, its own and on its links.

        Two thirds the firm's own past: a third of that its ``propensity``
        (expansion signals and investment events anywhere, decaying with
        ``params.half_life_years``) and two thirds its past investment events
        in this chain (``1 − exp(−Σ decayed events)``, the same decay); one
        third the heat of its hottest link of the chain (:meth:`link_heat`:
        the recent events of every firm there). The score is multiplied by
        ``1 + momentum × m`` (:mod:`chainmap.scoring.weights`): serial
        expanders invest again, most often where they already did, and firms
        follow their industry's wave.
        """
        return (2.0 * self._own_momentum(chain) + self.link_heat(chain)) / 3.0

    def _own_momentum(self, chain: str) -> np.ndarray:
        """The firm's own part of :meth:`momentum`: a third ``propensity``, two thirds its past events in ``chain``."""
        return (self.propensity_ + 2.0 * self.chain_history_.get(chain, 0.0)) / 3.0

    def _base(self, w: dict) -> tuple[np.ndarray, float]:
        """Weighted sum of the components that do not depend on the chain, cached per weight set."""
        key = tuple(w[k] for k in COMPONENTS if k not in MODES)
        cache = self.__dict__.setdefault("_bases", {})
        if key not in cache:
            cache[key] = (sum(w[k] * getattr(self, f"{k}_") for k in COMPONENTS if k not in MODES), sum(key))
        return cache[key]

    def score(self, chain: str, strategy=None, mode: str = "all") -> tuple[np.ndarray, np.ndarray, dict]:
        """Scores of every firm for ``chain``: ``(score, mode index, components)``.

        A firm that fits no opportunity of the chain in the asked mode(s) scores
        ``nan``. ``mode`` is one of fill, strengthen, extend, check or all (each
        firm in its best mode). The mode index is into :data:`ALL_MODES`;
        ``check`` (an unassessed link) scores with the ``fill`` weight times the
        strategy's ``unassessed`` discount.
        """
        if mode != "all" and mode not in ALL_MODES:
            raise CodedError("unknown_mode", mode=mode, known=["all", *ALL_MODES])
        w = resolve_weights(strategy)
        comp = self.components(chain)
        momentum = self.momentum(chain) if momentum_weight(w) > 0 else None
        score, mode_idx = combine(comp, w, momentum, ALL_MODES if mode == "all" else (mode,), self._base(w))
        return score, mode_idx, comp

    # ----------------------------------------------------------------- rank
    def rank(self, chain: str, strategy=None, mode: str = "all", top: int | None = 20, team: str | None = None,
             region: str | None = None, honour: str | None = None, link: str | None = None,
             min_score: float = 0.0, include_inactive: bool = False) -> pd.DataFrame:
        """The ranked target list of ``chain`` with components and reasons.

        Reasons are codes: the ``reason_parts`` column, and ``honour`` the
        code of the firm's best honour list; :func:`chainmap.i18n.with_reasons`
        (called by ``target_table``) adds them in words.

        Filters (``team``, ``region``, ``honour``, ``link``, ``min_score``) are
        applied to the scores of all firms before the top ``top`` are taken.
        Firms whose status is 注销, 吊销, 退市 … (``INACTIVE_STATUS``) are left
        out unless ``include_inactive``.
        """
        score, mode_idx, comp = self.score(chain, strategy, mode)
        keep = score >= min_score  # NaN (no opportunity in this chain) compares False
        if not include_inactive:
            keep &= ~self.inactive_
        firms = self.tables_.firms
        if team is not None:
            by_name = {v: k for k, v in self.team_names_.items()}
            team = by_name.get(team, team)
            valid = sorted(self.team_names_) + [UNASSIGNED]
            if team not in valid:
                raise CodedError("unknown_team", team=team, known=valid, names=list(by_name))
            keep &= (self.team_ == ("" if team == UNASSIGNED else team))
        if region is not None:
            keep &= (firms["hq_region"] == region).to_numpy()
        if honour is not None:
            h = self.tables_.honours
            keep &= present(firms["id"], h.loc[h["list"] == honour, "firm_id"])
        if link is not None:
            j = np.flatnonzero(self.link_ids_ == link)
            if not len(j):
                raise CodedError("unknown_link_id", link=link)
            keep &= (self.eff_[:, j[0]] + self.local_[:, j[0]]).toarray().ravel() > 0
        idx = np.flatnonzero(keep)
        if top is not None and len(idx) > top:
            # argpartition picks arbitrarily among scores tied at the cut: keep them all, then cut by id.
            cut = -np.partition(-score[idx], top - 1)[top - 1]
            idx = idx[score[idx] >= cut]
        idx = idx[np.lexsort((idx, -score[idx]))][:top]  # ties: firm id order, as firms are sorted by id
        return self._rows(chain, idx, score, mode_idx, comp, strategy)

    def _top_links(self, chain: str, rows: np.ndarray, mode: str, k: int = 2) -> list[list[int]]:
        opp = self.opportunities(chain)[mode]
        m = (self.eff_[rows] + self.integration_[rows]).multiply(opp).tocsr()
        if mode == "strengthen":
            m = (m + self.local_[rows].multiply(opp)).tocsr()
        m.eliminate_zeros()  # links without an opportunity in this chain (another chain's) are never named
        out = []
        for i in range(len(rows)):
            start, end = m.indptr[i], m.indptr[i + 1]
            order = np.argsort(-m.data[start:end], kind="stable")[:k]
            out.append(m.indices[start:end][order].tolist())
        return out

    def _rows(self, chain, idx, score, mode_idx, comp, strategy) -> pd.DataFrame:
        firms = self.tables_.firms
        w = resolve_weights(strategy)
        gaps = self.gaps_[chain].set_index("link_id")
        top_links = {}
        for k, m in enumerate(ALL_MODES):  # one sparse slice per mode, not one per row
            rows = idx[mode_idx[idx] == k]
            top_links.update(zip(rows.tolist(), self._top_links(chain, rows, m)))
        out = []
        shown = self.firm_index_[idx]
        honours, signals = self._honour_parts(shown), self._signal_parts(shown)
        for n, i in enumerate(idx):
            fid = firms["id"].iat[i]
            mode = ALL_MODES[mode_idx[i]]
            links = top_links[i]
            team = self.team_[i]
            rec = {
                "rank": n + 1, "firm_id": fid, "name_zh": firms["name_zh"].iat[i], "chain": chain, "mode": mode,
                "score": round(float(score[i]), 4),
                **{f"{m}_score": round(float(comp[m][i]), 4) for m in ALL_MODES},
                **{k: round(float(comp[k][i]), 4) for k in COMPONENTS if k not in MODES},
                "team": team or UNASSIGNED, "team_name": self.team_names_.get(team, UNASSIGNED),
                "hq_city": firms["hq_city"].iat[i], "hq_region": firms["hq_region"].iat[i],
                "honour": honours[n][0][1]["list"] if honours[n] else "",
                "links": [self.link_names_[j] for j in links],
                "expand": bool(self.is_local_[i]),
                "inferred": bool(self.has_inferred_[i]),
            }
            # 待摸排 (check): the fill reason's evidence, under a head that says the link is unassessed
            parts = self._reason_parts(i, fid, "fill" if mode == CHECK else mode, links, comp, w, gaps, honours[n],
                                       signals[n])
            if mode == CHECK:
                parts[0] = ("target_check", parts[0][1])
            rec["reason_parts"] = parts
            out.append(rec)
        cols = ["rank", "firm_id", "name_zh", "chain", "mode", "score", *[f"{m}_score" for m in ALL_MODES],
                *[k for k in COMPONENTS if k not in MODES], "team", "team_name", "hq_city", "hq_region",
                "honour", "links", "expand", "inferred", "reason_parts"]
        return pd.DataFrame(out, columns=cols)

    def _link_ref(self, j: int) -> dict:
        """A link as reasons name it: its id and its names (the catalogue picks the language)."""
        return {"id": self.link_ids_[j], "zh": self.link_names_[j], "en": self.link_names_en_[j]}

    def _reason_parts(self, i, fid, mode, links, comp, w, gaps, honour, signal) -> list[tuple[str, dict]]:
        """A short reason from the largest weighted components, as typed parts (words: ``i18n.reason_text``)."""
        by_text = [j for j in links if BASIS[int(self.basis_[i, j])] in ("classifier", "keywords")]
        head = {"links": [self._link_ref(j) for j in links], "by_text": self._text_probabilities(i, by_text),
                "expand": bool(self.is_local_[i])}
        parts = [(f"target_{mode}", head)]
        parts += [("basis", self.basis(i, j)) for j in links if BASIS[int(self.basis_[i, j])] not in
                  ("", "known", "classifier", "keywords")]
        # The local firms around the top link: who the target would supply or buy from.
        if links:
            lid = self.link_ids_[links[0]]
            row = gaps.loc[lid] if lid in gaps.index else None
            if mode == "strengthen" and self.is_local_[i]:
                pass  # its own plant is the incumbent: the head already says it could expand (增资扩产)
            elif mode == "strengthen" and row is not None and row["incumbents"]:
                parts.append(("incumbents", {"firms": list(row["incumbents"][:2])}))
            else:
                parts += self._neighbour_incumbents(lid)
        # Officers read honours aloud, so the honour always shows; then the two largest others.
        parts += honour
        extras = [(w[k] * comp[k][i], k) for k in ("affinity", "propensity", "reach", "relatedness") if comp[k][i] > 0]
        for _, k in sorted(extras, reverse=True)[:2]:
            parts += {
                "affinity": lambda: self.partners_.get(fid, []),
                "propensity": lambda: signal,
                "reach": lambda: self._reach_parts(i, fid),
                "relatedness": lambda: [self._relatedness_part(i, links)],
            }[k]()
        return parts

    def _text_probabilities(self, i: int, links: list[int]) -> list[float]:
        """The classifier's probability of each of ``links`` for firm row ``i`` (0: placed by keyword)."""
        m = self.inferred_proba_
        row = dict(zip(m.indices[m.indptr[i]:m.indptr[i + 1]], m.data[m.indptr[i]:m.indptr[i + 1]]))
        return [float(row.get(j, 0.0)) for j in links]

    def _honour_parts(self, fids) -> list[list[tuple[str, dict]]]:
        """Per firm id, its best honour as a reason part (none: ``[]``); one lookup for all the shown rows."""
        h = self.honours_.reindex(pd.Index(fids))
        return [[] if not isinstance(lst, str) else
                [("honour", {"list": lst, "detail": det if isinstance(det, str) else "",
                             "year": None if pd.isna(y) else int(y)})]
                for lst, det, y in zip(h["list"].tolist(), h["detail"].tolist(), h["year"].tolist())]

    def _signal_parts(self, fids) -> list[list[tuple[str, dict]]]:
        """Per firm id, its latest expansion signal as a reason part (none: ``[]``)."""
        s = self.signals_.reindex(pd.Index(fids))
        return [[] if not isinstance(d, str) else
                [("signal", {"date": d, "detail": det, "amount_yi": None if pd.isna(a) else float(a)})]
                for d, det, a in zip(s["date"].tolist(), s["detail"].tolist(), s["amount_yi"].tolist())]

    def basis(self, i: int, j: int) -> dict:
        """How firm row ``i`` was placed on link column ``j``: codes and values (see ``placement.describe``)."""
        firm = self.tables_.firms.iloc[i].to_dict()
        link = self.tables_.links.iloc[j].to_dict()
        return placement.describe(firm, link, int(self.basis_[i, j]))

    def _relatedness_part(self, i: int, links: list[int] = ()) -> tuple[str, dict]:
        """The firm's relatedness to what the city has, naming the local link behind the density.

        The link explained is the most related of ``links`` (those the reason
        names), else of all the firm's links.
        """
        value = float(self.relatedness_[i])
        out = {"density": value, "grade": "high" if value >= 0.5 else "medium" if value >= 0.2 else "low",
               "level": self.params.relatedness_level, "link": None, "near": None}
        f = self.fit_  # this runs per shown row: read the CSR arrays, no row slicing
        idx = f.indices[f.indptr[i]:f.indptr[i + 1]]
        cand = [j for j in links if self.density_[j] > 0] or idx[self.density_[idx] > 0]
        if len(cand):
            j = max(cand, key=lambda c: self.density_[c])
            near = self.proximity_[j] * self.presence_
            q = int(np.argmax(near))
            if near[q] > 0:
                out.update(link=self._link_ref(j), near=self._link_ref(q))
        return ("relatedness", out)

    def _neighbour_incumbents(self, lid: str) -> list[tuple[str, dict]]:
        g, local = self.link_graph_, self.incumbents_
        down = [d for d in g.successors(lid) if d in local]
        up = [u for u in g.predecessors(lid) if u in local]
        if down:
            d = down[0]
            return [("supplies_local", {"link": self._link_ref(self._link_col[d]), "firm": local[d][0]})]
        if up:
            u = up[0]
            return [("buys_local", {"link": self._link_ref(self._link_col[u]), "firm": local[u][0]})]
        return []

    def _reach_parts(self, i, fid) -> list[tuple[str, dict]]:
        parts = [("team", {"team": self.team_names_[self.team_[i]]})] if self.team_[i] else []
        return parts + self.channels_.get(fid, [])

    @property
    def inference_note_(self) -> str:
        """How firms without a known link were placed, in Chinese for officers (``inference_parts_`` rendered)."""
        return reason_text(self.inference_parts_, "zh")

    # -------------------------------------------------------------- explain
    def explain(self, firm: str, chain: str, strategy=None, lang: str = "zh") -> dict:
        """Full breakdown of one firm's score for one chain.

        Returns a dict with the firm, its score and mode, every component with
        its weight, the links behind each mode (status, severity, fit, the
        home city's density around the link, and the basis: ``known``,
        ``local`` or ``inferred`` — then with ``method`` ``classifier`` and its
        ``probability``, or ``keywords`` — with ``basis_zh`` such as
        ``推断（概率83%）`` and ``basis_text`` in ``lang``), how unknown links are
        inferred (``inference``, ``inference_note``), the relatedness in words,
        and referral paths from local incumbents (以商引商: shortest paths over
        known supply and group relations). Words (honour, signal, channels,
        partners, relatedness, the inference note, relation verbs) are rendered
        by the catalogue of :mod:`chainmap.i18n` in ``lang`` (``"zh"`` or ``"en"``).
        """
        self._check_chain(chain)
        i = self.firm_index_.get_indexer([firm])[0]
        if i < 0:
            by_name = self.tables_.firms.index[self.tables_.firms["name_zh"] == firm]
            if len(by_name):
                i = int(by_name[0])
            else:
                hint = self.tables_.firms["id"].head(8).tolist()
                raise CodedError("unknown_firm", firm=firm, hint=hint)
        fid = self.firm_index_[i]
        w = resolve_weights(strategy)
        score, mode_idx, comp = self.score(chain, strategy, "all")
        opp = self.opportunities(chain)
        gaps = self.gaps_[chain].set_index("link_id")
        modes = {}
        for m in ALL_MODES:
            row = (self.eff_[i] + self.integration_[i] + (self.local_[i] if m == "strengthen" else 0)).tocsr()
            items = []
            for j, v in zip(row.indices, row.data):
                if opp[m][j] > 0:
                    lid = self.link_ids_[j]
                    inferred = bool(self.inferred_[i, j])
                    prob = float(self.inferred_proba_[i, j])
                    method = ("classifier" if prob > 0 else "keywords") if inferred else None
                    detail = self.basis(i, j) if self.by_class_[i, j] or self.by_event_[i, j] else None
                    integrating = self.fit_[i, j] == 0 and self.integration_[i, j] > 0
                    basis = detail["basis"] if detail else "integration" if integrating else (
                        "inferred" if inferred else ("local" if self.local_[i, j] else "known"))
                    if detail:
                        method = detail.get("system") or detail.get("method")
                    placed = [("basis", detail)] if detail else [("placed_integration", {})] if integrating else [
                        ("placed_classifier", {"probability": prob}) if method == "classifier" else
                        ("placed_keywords", {}) if inferred else
                        ("placed_local", {}) if self.local_[i, j] else ("placed_known", {})]
                    items.append({"link_id": lid, "name_zh": self.link_names_[j], "status": gaps.at[lid, "status"],
                                  "severity": float(opp[m][j]), "fit": float(v),
                                  "basis": basis,
                                  "method": method, "probability": prob if method == "classifier" else None,
                                  "basis_zh": reason_text(placed, "zh"), "basis_text": reason_text(placed, lang),
                                  "basis_detail": detail,
                                  "density": round(float(self.density_[j]), 4)})
            modes[m] = sorted(items, key=lambda d: -d["severity"] * d["fit"])
        mode_name = ALL_MODES[mode_idx[i]] if not np.isnan(score[i]) else None
        w_mode = (w["fill"] if mode_name == CHECK else w.get(mode_name, 0.0)) if mode_name else 0.0
        # The momentum factor multiplies the weighted mean: each contribution is scaled by it, so they
        # still sum to the score.
        m_value = float(self.momentum(chain)[i])
        # the fit gate as combine() applies it: the same value, the same factor
        fit_value = float(_gate_value(comp, mode_name, w)[i]) if mode_name else 0.0
        gate = float(_fit_gate(fit_value, w))
        factor = (1.0 + momentum_weight(w) * m_value) * (gate if mode_name else 1.0)
        factor = factor if mode_name and factor > 0 else 1.0  # an unscored firm: contributions as the plain mean
        denom = ((w_mode + sum(w[k] for k in COMPONENTS if k not in MODES)) or 1.0) / factor
        return {
            "firm_id": fid, "name_zh": self.tables_.firms["name_zh"].iat[i], "chain": chain,
            "score": None if np.isnan(score[i]) else round(float(score[i]), 4),
            "mode": ALL_MODES[mode_idx[i]] if not np.isnan(score[i]) else None,
            # contribution: what each component adds to the score (weight × value / Σ weights of the firm's
            # mode and the chain-independent components), so the contributions of the mode and the rest sum to it
            "components": {k: {"value": round(float(comp[k][i]), 4), "weight": w[k],
                               "contribution": round(float(w[k] * comp[k][i]) / denom, 4)
                               if (k not in MODES or k == mode_name) else 0.0} for k in COMPONENTS}
            | ({CHECK: {"value": round(float(comp[CHECK][i]), 4), "weight": w["fill"] * unassessed_discount(w),
                        "contribution": round(float(w["fill"] * unassessed_discount(w) * comp[CHECK][i]) / denom, 4)}}
               if mode_name == CHECK else {}),
            # the momentum's parts: the firm's own past (propensity and chain history) and its link's heat
            "momentum": {"value": round(m_value, 4), "weight": momentum_weight(w),
                         "factor": round(1.0 + momentum_weight(w) * m_value, 4),
                         "own": round(float(self._own_momentum(chain)[i]), 4),
                         "link_heat": round(float(self.link_heat(chain)[i]), 4)},
            "fit_gate": {"value": round(fit_value, 4), "power": fit_power(w), "factor": round(gate, 4)},
            "links": modes,
            "honour": reason_text(self._honour_parts([fid])[0], lang),
            "signal": reason_text([("signal_plain", p) for _, p in self._signal_parts([fid])[0]], lang),
            "team": self.team_names_.get(self.team_[i], UNASSIGNED),
            "channels": reason_text(self.channels_.get(fid, []), lang),
            "partners": reason_text(self.partners_.get(fid, []), lang),
            "expand": bool(self.is_local_[i]),
            "inferred": bool(self.has_inferred_[i]),
            "status": (self.tables_.firms["status"].iat[i] if "status" in self.tables_.firms else "") or "",
            "inactive": bool(self.inactive_[i]),
            "excluded": bool(self.excluded_[i]),
            "inference": self.inference_, "inference_note": reason_text(self.inference_parts_, lang),
            "relatedness": reason_text([self._relatedness_part(i)], lang),
            "referrals": self.referral_paths(fid, lang=lang),
        }

    def referral_paths(self, firm: str, max_hops: int = 4, lang: str = "zh") -> list[list[tuple[str, str, str]]]:
        """Shortest relation paths from local incumbents to ``firm`` (以商引商).

        Each path is a list of ``(from, relation, to)`` steps with firm names,
        following SUPPLIES_TO and PART_OF in either direction; the relation is
        worded in ``lang`` (供货给 / 隶属于, or supplies / is part of).
        """
        rel = self.tables_.relations
        g = nx.Graph()
        for s_, d_, t_ in zip(rel["src"], rel["dst"], rel["type"]):
            g.add_edge(s_, d_, type=t_, src=s_)
        if firm not in g:
            return []
        names = dict(zip(self.tables_.firms["id"], self.tables_.firms["name_zh"]))
        local = {self.firm_index_[k] for k in np.flatnonzero(self.is_local_)}
        paths = []
        for inc in sorted(local & set(g) - {firm}):
            try:
                path = nx.shortest_path(g, inc, firm)
            except nx.NetworkXNoPath:
                continue
            if len(path) - 1 > max_hops:
                continue
            steps = []
            for a, b in zip(path, path[1:]):
                e = g.edges[a, b]
                verb = RELATION_LABEL["en" if lang == "en" else "zh"][e["type"]]
                src, dst = (a, b) if e["src"] == a else (b, a)
                steps.append((names.get(src, src), verb, names.get(dst, dst)))
            paths.append(steps)
        return sorted(paths, key=len)
