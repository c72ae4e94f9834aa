"""Signals the real world offers about who invests next: past events, size, distance.

Pure functions over a snapshot of the tables (see
:func:`chainmap.learn.backtest.as_of`): every vector is over ``tables.firms``
in row order and uses only what is dated before ``as_of``.

* **Propensity from past events** (:func:`event_signals`): serial expanders
  (events with a two-year half-life), their amounts, and whether they already
  expanded in this chain. Firms that invested recently invest again: the
  "recent expanders" an officer already watches.
* **Gravity**: how close a firm's HQ and its recent plants are to the home
  province: 1 there, 0.5 in a neighbouring province, 0 elsewhere (a step
  version of the distance decay of gravity models, Tinbergen 1962; the
  neighbours are data, :class:`~chainmap.io.events.Home`).
* **Direction**: the share of a firm's recent moves that went into the home
  province or next to it (toward us) rather than away.
* **Size** (:func:`size_score`): what the library knows of a firm's scale,
  for the "biggest firms first" baseline.

References
----------
Tinbergen, J. (1962). *Shaping the World Economy*. Twentieth Century Fund.

Neffke, F., Hartog, M., Boschma, R. & Henning, M. (2018). Agents of structural
change: the role of firms and entrepreneurs in regional diversification.
*Economic Geography*, 94(1), 23–48. (New plants of outside firms bring entry.)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.events import Home, province_of
from ..i18n import SIGNAL_LABEL
from ..model import Tables, anchored

__all__ = ["SIGNALS", "SIGNAL_ZH", "event_signals", "place_provinces", "recent_expanders", "size_score", "when"]

#: The signal features, in order.
SIGNALS = ("expander", "amount", "chain_history", "gravity", "toward_home")
SIGNAL_ZH = SIGNAL_LABEL["zh"]  # the words live in the one catalogue (chainmap.i18n)
#: A past event's weight halves every this many years.
HALF_LIFE_YEARS = 2.0
#: Columns of ``firms`` that tell its size, in order of preference (those present are used).
SIZE_COLUMNS = ("revenue_yi", "total_shares", "registered_capital_yi", "registered_capital")


def when(values: pd.Series) -> pd.Series:
    """The day from which a past event is known: ``2025`` and ``2025-09`` mean the END of the period.

    Features at ``as_of`` count only events known before it, so an event dated
    only ``2025`` does not count in a snapshot taken during 2025 (the anchor
    that cannot leak, as in :func:`chainmap.learn.backtest.when`).

    >>> when(pd.Series(["2025", "2025-09", "2025-09-16", ""])).dt.strftime("%Y-%m-%d").tolist()
    ['2025-12-31', '2025-09-30', '2025-09-16', nan]
    """
    return anchored(values, "end")


def _past(tables: Tables, as_of: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Events known before ``as_of`` of library firms: (events, firm rows, age in years).

    Known before: the end of the event's period is before ``as_of``; its age is
    measured from the middle of the period (a ``2023`` event is half a year old
    on 2024-01-01, not a day).
    """
    e = tables.events
    t = when(e["date"])
    d = pd.Timestamp(as_of)
    rows = pd.Index(tables.firms["id"]).get_indexer(e["firm_id"])
    keep = ((t < d) & (rows >= 0)).to_numpy()
    age = ((d - anchored(e["date"], "mid")[keep]).dt.days / 365.25).to_numpy()
    return e[keep], rows[keep], age


def event_signals(tables: Tables, as_of: str, chain: str, home: Home | None = None) -> dict[str, np.ndarray]:
    """Each signal of :data:`SIGNALS` as a vector over firms, in [0, 1].

    Parameters
    ----------
    tables : Tables
        A snapshot: events dated on or after ``as_of`` are ignored anyway.
    as_of : str
        The snapshot date.
    chain : str
        The chain ranked (for ``chain_history``).
    home : Home, optional
        Home province and its neighbours; without it ``gravity`` and
        ``toward_home`` are 0.

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> t = read_workspace(bundled_workspace())
    >>> s = event_signals(t, "2024-01-01", "ebike", Home("清远", "广东", ("广西",)))
    >>> i = list(t.firms["id"]).index("xiaodao")     # 小刀: two plants in 惠州 (2021, 2023)
    >>> round(float(s["expander"][i]), 2) > 0.5, float(s["gravity"][i]), float(s["toward_home"][i])
    (True, 1.0, 1.0)
    >>> later = event_signals(t, "2019-01-01", "ebike", Home("清远", "广东"))
    >>> float(later["expander"][i]), float(later["chain_history"].max())   # nothing known before 2019
    (0.0, 0.0)
    """
    home = home or Home()
    n = len(tables.firms)
    e, rows, age = _past(tables, as_of)
    w = np.power(0.5, age / HALF_LIFE_YEARS)
    out = {"expander": 1.0 - np.exp(-np.bincount(rows, weights=w, minlength=n))}
    amount = np.bincount(rows, weights=w * e["amount_yi"].fillna(0.0).to_numpy(dtype=float), minlength=n)
    out["amount"] = np.minimum(1.0, np.log1p(amount) / np.log1p(100.0))  # 100亿 (decayed) saturates
    in_chain = (e["chain"] == chain).to_numpy()
    out["chain_history"] = 1.0 - np.exp(-np.bincount(rows[in_chain], weights=w[in_chain], minlength=n))
    hq = home.proximity(tables.firms["hq_province"]) if home.province else np.zeros(n)
    place = home.proximity(place_provinces(e["place"], tables.firms)) if home.province else np.zeros(len(e))
    recent = age < 3.0
    plants = np.zeros(n)
    np.maximum.at(plants, rows[recent], place[recent])
    out["gravity"] = np.maximum(hq, plants)
    toward = np.bincount(rows, weights=w * place, minlength=n)
    total = np.bincount(rows, weights=w, minlength=n)
    out["toward_home"] = np.divide(toward, total, out=np.zeros(n), where=total > 0)
    return out


def place_provinces(places: pd.Series, firms: pd.DataFrame) -> pd.Series:
    """The province of each place: named in it, else that of a city the library's HQs place in a province.

    >>> firms = pd.DataFrame({"hq_city": ["惠州", "深圳"], "hq_province": ["广东", "广东"]})
    >>> place_provinces(pd.Series(["惠州博罗县龙华镇", "江苏昆山", "越南"]), firms).tolist()
    ['广东', '江苏', '']
    """
    pairs = firms[["hq_city", "hq_province"]].fillna("").astype(str)
    cities = {c: p for c, p in zip(pairs["hq_city"], pairs["hq_province"]) if len(c) >= 2 and p}
    cities = dict(sorted(cities.items(), key=lambda kv: -len(kv[0])))

    def one(text: str) -> str:
        p = province_of(text)
        if p or not isinstance(text, str):
            return p
        return next((province_of(v) or v for c, v in cities.items() if c in text), "")
    return places.map(one)


def recent_expanders(firm_ids: pd.Series, events: pd.DataFrame, as_of: str, years: int = 2) -> np.ndarray:
    """The "recent expanders" baseline: firms with an event in the ``years`` before ``as_of``.

    Score is the date of the firm's latest such event (days since 1970, most
    recent highest, a partial date at the middle of its period); ``nan`` for
    firms without one (ranked last). Only events known before ``as_of`` (the
    end of their period before it) count.

    >>> ev = pd.DataFrame({"firm_id": ["a", "b", "b", "c"], "date": ["2023-06", "2021", "2023-09-01", "2024-02"]})
    >>> s = recent_expanders(pd.Series(["a", "b", "c"]), ev, "2024-01-01")
    >>> s > 19000, bool(s[1] > s[0])
    (array([ True,  True, False]), True)
    """
    t = when(events["date"])
    d = pd.Timestamp(as_of)
    rows = pd.Index(firm_ids).get_indexer(events["firm_id"])
    mid = anchored(events["date"], "mid")
    keep = ((t < d) & (mid >= d - pd.DateOffset(years=years)) & (rows >= 0)).to_numpy()
    out = np.full(len(firm_ids), -np.inf)
    np.maximum.at(out, rows[keep], (mid[keep] - pd.Timestamp(0)).dt.days.to_numpy(dtype=float))
    return np.where(np.isfinite(out), out, np.nan)


def size_score(firms: pd.DataFrame) -> np.ndarray:
    """Size in [0, 1] from what the library knows: revenue, else total shares, else registered capital.

    Each measure is turned into its percentile among the firms that have it,
    and a firm takes the first measure it has (0 with none).

    >>> size_score(pd.DataFrame({"revenue_yi": [10.0, None, 30.0], "total_shares": [None, 5.0, None]})).tolist()
    [0.5, 1.0, 1.0]
    """
    out = np.full(len(firms), np.nan)
    for col in SIZE_COLUMNS:
        if col in firms:
            v = pd.to_numeric(firms[col], errors="coerce")
            pct = v.rank(pct=True).to_numpy()
            out = np.where(np.isnan(out), pct, out)
    return np.nan_to_num(out, nan=0.0)
