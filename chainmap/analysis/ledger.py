"""The 项目信息库 (project ledger): KPIs by the counting rules, stage moves, events.

Pure functions over the ``projects`` table (layout in ``seeds/SCHEMA.md``);
they never read files, the environment or the clock unless a date is passed.

Counting rules (``shared/reference/conventions.md``, as practised in 三明 and
鄂州), and how this module applies them:

* **One row, one signing.** ``planned_yi`` is what that signing newly commits:
  the whole amount for a 首次签约 or an 投资方变更 (a change of investor is a
  new signing), only the increase for 增资扩产 and 项目升级. So summing
  ``planned_yi`` never counts an amount twice.
* **Signed in year Y** means ``signed_on`` falls in Y and the stage is 签约 or
  later. A row still at 线索/洽谈 is not counted even if a date was typed.
* **当年动工率 (start rate) of Y** = signed in Y *and* ``started_on`` in Y ÷
  signed in Y. A project whose stage is 动工 or later but whose start date is
  blank is not counted as started (its date is missing, see
  :func:`ledger_issues`); the KPI reports how many such rows there are.
* **Completed investment** is the sum of ``completed_yi`` (investment actually
  put in, as reported per project). The ledger keeps one cumulative figure per
  project, not one per year, so the KPI is "as recorded in the ledger".
* **Blank is unknown, never zero**: a signed project without an amount adds 0
  to the sum but is counted in ``n_amount_missing`` so the gap is visible.

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({
...     "id": ["A", "B", "C"], "stage": ["动工", "签约", "洽谈"],
...     "signed_on": ["2026-03-01", "2026-05", ""], "started_on": ["2026-06-30", "", ""],
...     "planned_yi": [12.0, float("nan"), 30.0], "completed_yi": [2.5, float("nan"), float("nan")],
...     "chain": ["electronics"] * 3})
>>> k = ledger_kpis(p, 2026, target_yi=800)
>>> k["n_signed"], k["planned_yi"], k["n_amount_missing"], k["start_rate"]
(2, 12.0, 1, 0.5)
"""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..i18n import reason_text
from ..io.messages import CodedError
from ..model import PartialDate, ProjectStage, anchored

__all__ = [
    "STAGES", "stage_rank", "year_of", "signed_mask", "ledger_kpis", "ledger_issue_parts",
    "kpis_by_chain", "stage_summary", "time_share", "next_stage", "advance_stage", "ledger_issues",
    "ledger_completeness", "projects_to_events", "year_range", "pace", "year_rows", "monthly_cumulative",
    "scoreboard", "VISITED",
]

#: Project stages in order: 线索 → 洽谈 → 签约 → 注册 → 供地 → 动工 → 投产 → 达产.
STAGES: tuple[str, ...] = tuple(s.value for s in ProjectStage)
_SIGNED = STAGES.index(ProjectStage.SIGNED.value)
_STARTED = STAGES.index(ProjectStage.STARTED.value)


def stage_rank(stage: str) -> int:
    """Position of a stage in :data:`STAGES` (-1 for an unknown or blank stage).

    Examples
    --------
    >>> stage_rank("线索"), stage_rank("动工"), stage_rank("")
    (0, 5, -1)
    """
    return STAGES.index(stage) if stage in STAGES else -1


def year_of(date: str) -> int | None:
    """The year of a date written ``2025``, ``2025-09`` or ``2025-09-01``; None if blank.

    Examples
    --------
    >>> year_of("2025-09-01"), year_of("2026"), year_of("")
    (2025, 2026, None)
    """
    try:
        return PartialDate.parse(date).year
    except ValueError:
        return None


def _years(s: pd.Series) -> pd.Series:
    # The year does not depend on the anchor; "start" is as good as any.
    return anchored(s, "start").dt.year


def _ranks(stages: pd.Series) -> np.ndarray:
    return stages.map(lambda v: stage_rank(v)).to_numpy(dtype=int)


def signed_mask(projects: pd.DataFrame, year: int) -> pd.Series:
    """True for the rows signed in ``year``: ``signed_on`` in that year and stage ≥ 签约.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["签约", "洽谈", "投产"], "signed_on": ["2026-01", "2026-02", "2025"]})
    >>> signed_mask(p, 2026).tolist()
    [True, False, False]
    """
    return pd.Series((_years(projects["signed_on"]) == year).to_numpy() & (_ranks(projects["stage"]) >= _SIGNED),
                     index=projects.index)


def ledger_kpis(projects: pd.DataFrame, year: int, target_yi: float | None = None) -> dict:
    """The ledger's key figures for one year, by the counting rules of this module.

    Parameters
    ----------
    projects : DataFrame
        The ``projects`` table (only ``stage``, ``signed_on``, ``started_on``,
        ``planned_yi`` and ``completed_yi`` are read).
    year : int
    target_yi : float, optional
        The year's target of newly signed planned investment (亿元), from the
        workspace's settings (``seeds/city.toml``, :meth:`chainmap.io.city.City.target`).

    Returns
    -------
    dict
        ``n_signed`` projects signed in the year; ``planned_yi`` their Σ planned
        investment (亿元); ``n_amount_missing`` of them without an amount;
        ``n_started`` signed and started in the year; ``start_rate`` (当年动工率,
        None when nothing was signed); ``n_start_date_missing`` signed in the
        year, at 动工 or later, but with no start date; ``n_ge_10yi`` signings of
        ≥ 10亿元; ``completed_yi`` Σ completed investment over all projects in
        the ledger and ``completed_yi_signed`` over the year's signings;
        ``target_yi`` and ``progress`` (share of the target reached, None
        without a target).

    Examples
    --------
    >>> p = pd.DataFrame({
    ...     "stage": ["投产", "签约", "动工", "签约"],
    ...     "signed_on": ["2026-01-10", "2026-02", "2025-12-01", "2026-04-01"],
    ...     "started_on": ["2026-03-01", "", "2026-01-05", ""],
    ...     "planned_yi": [50.0, 20.0, 100.0, 10.0], "completed_yi": [8.0, None, 30.0, None]})
    >>> k = ledger_kpis(p, 2026, target_yi=800)
    >>> k["n_signed"], k["planned_yi"], k["n_started"], round(k["start_rate"], 4), k["progress"]
    (3, 80.0, 1, 0.3333, 0.1)
    >>> k["completed_yi"], k["completed_yi_signed"], k["n_ge_10yi"]
    (38.0, 8.0, 3)
    """
    signed = signed_mask(projects, year).to_numpy()
    planned = pd.to_numeric(projects["planned_yi"], errors="coerce").to_numpy(dtype=float)
    completed = pd.to_numeric(projects["completed_yi"], errors="coerce").to_numpy(dtype=float)
    started_year = (_years(projects["started_on"]) == year).to_numpy()
    ranks = _ranks(projects["stage"])
    start_blank = _years(projects["started_on"]).isna().to_numpy()
    n_signed = int(signed.sum())
    n_started = int((signed & started_year).sum())
    planned_sum = float(np.nansum(planned[signed])) if n_signed else 0.0
    counted = ranks >= _SIGNED
    return {
        "year": year,
        "n_signed": n_signed,
        "planned_yi": round(planned_sum, 6),
        "n_amount_missing": int((signed & np.isnan(planned)).sum()),
        "n_started": n_started,
        "start_rate": (n_started / n_signed) if n_signed else None,
        "n_start_date_missing": int((signed & (ranks >= _STARTED) & start_blank).sum()),
        "n_ge_10yi": int((signed & (np.nan_to_num(planned) >= 10)).sum()),
        "completed_yi": round(float(np.nansum(completed[counted])), 6),
        "completed_yi_signed": round(float(np.nansum(completed[signed])), 6),
        "target_yi": target_yi,
        "progress": (planned_sum / target_yi) if target_yi else None,
    }


def kpis_by_chain(projects: pd.DataFrame, year: int, chains: list[str] | None = None) -> pd.DataFrame:
    """:func:`ledger_kpis` per chain: one row per chain with ``n_signed``,
    ``planned_yi``, ``n_started``, ``start_rate`` and ``completed_yi``.

    Examples
    --------
    >>> p = pd.DataFrame({"chain": ["ebike", "materials", "materials"], "stage": ["签约"] * 3,
    ...                   "signed_on": ["2026"] * 3, "started_on": ["", "2026-05", ""],
    ...                   "planned_yi": [3.0, 20.0, 5.0], "completed_yi": [None] * 3})
    >>> kpis_by_chain(p, 2026, ["ebike", "electronics", "materials"])[["chain", "n_signed", "planned_yi"]]
             chain  n_signed  planned_yi
    0        ebike         1         3.0
    1  electronics         0         0.0
    2    materials         2        25.0
    """
    chains = chains if chains is not None else sorted(projects["chain"].unique())
    rows = []
    for c in chains:
        k = ledger_kpis(projects[projects["chain"] == c], year)
        rows.append({"chain": c, **{f: k[f] for f in ("n_signed", "planned_yi", "n_amount_missing", "n_started",
                                                      "start_rate", "completed_yi")}})
    return pd.DataFrame(rows, columns=["chain", "n_signed", "planned_yi", "n_amount_missing", "n_started",
                                       "start_rate", "completed_yi"])


def stage_summary(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects per stage, in stage order, with their Σ planned investment (亿元).

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["签约", "动工", "签约"], "planned_yi": [5.0, 10.0, None]})
    >>> stage_summary(p).set_index("stage").loc[["线索", "签约", "动工"]]
           n  planned_yi
    stage               
    线索     0         0.0
    签约     2         5.0
    动工     1        10.0
    """
    planned = pd.to_numeric(projects["planned_yi"], errors="coerce")
    g = pd.DataFrame({"stage": projects["stage"].to_numpy(), "p": planned.to_numpy()}).groupby("stage")
    n, s = g.size(), g["p"].sum(min_count=0)
    return pd.DataFrame({"stage": list(STAGES), "n": [int(n.get(st, 0)) for st in STAGES],
                         "planned_yi": [float(s.get(st, 0.0)) for st in STAGES]})


def time_share(on: dt.date) -> float:
    """Share of the calendar year elapsed at the end of day ``on`` (时间进度).

    Examples
    --------
    >>> round(time_share(dt.date(2026, 7, 1)), 3), time_share(dt.date(2026, 12, 31))
    (0.499, 1.0)
    """
    days = 366 if calendar.isleap(on.year) else 365
    return on.timetuple().tm_yday / days


def next_stage(stage: str) -> str | None:
    """The stage after ``stage``; None at 达产 (the last).

    Examples
    --------
    >>> next_stage("洽谈"), next_stage("达产")
    ('签约', None)
    """
    r = stage_rank(stage)
    if r < 0:
        raise CodedError("unknown_stage", stage=stage, stages="→".join(STAGES))
    return STAGES[r + 1] if r + 1 < len(STAGES) else None


def advance_stage(project: Mapping, on: str) -> dict:
    """The project moved one stage on, as of the date ``on`` (``YYYY-MM-DD``).

    Reaching 签约 fills a blank ``signed_on`` with ``on``, and reaching 动工
    fills a blank ``started_on``: the dates the 当年动工率 counts. Dates already
    entered are kept. Raises ``ValueError`` at the last stage.

    Examples
    --------
    >>> p = {"id": "P1", "stage": "洽谈", "signed_on": "", "started_on": ""}
    >>> advance_stage(p, "2026-11-26")
    {'id': 'P1', 'stage': '签约', 'signed_on': '2026-11-26', 'started_on': ''}
    >>> advance_stage({"stage": "供地", "signed_on": "2026-01", "started_on": ""}, "2026-11-26")["started_on"]
    '2026-11-26'
    """
    new = next_stage(project["stage"])
    if new is None:
        raise CodedError("last_stage", project=project.get("id", ""), stage=STAGES[-1])
    out = dict(project)
    out["stage"] = new
    if new == ProjectStage.SIGNED.value and not out.get("signed_on"):
        out["signed_on"] = on
    if new == ProjectStage.STARTED.value and not out.get("started_on"):
        out["started_on"] = on
    return out


#: Fields every project should carry (要素), and those needed from a stage on.
_REQUIRED_ALWAYS = ("investor_name", "link_id", "planned_yi", "responsible_unit", "lead_unit")
_REQUIRED_FROM = {"signed_on": _SIGNED, "county": _SIGNED, "started_on": _STARTED}
#: The order in which missing fields are named (words: ``chainmap.i18n.FIELD_LABEL``).
_FIELDS = ("investor_name", "link_id", "planned_yi", "responsible_unit", "lead_unit", "signed_on", "county",
           "started_on")


def _filled(s: pd.Series) -> np.ndarray:
    if s.dtype.kind in "fiu":
        return s.notna().to_numpy()
    return (s.astype(object).where(s.notna(), "").astype(str).str.strip() != "").to_numpy()


def _required(projects: pd.DataFrame) -> dict[str, np.ndarray]:
    ranks = _ranks(projects["stage"])
    need = {c: np.ones(len(projects), bool) for c in _REQUIRED_ALWAYS}
    need.update({c: ranks >= r for c, r in _REQUIRED_FROM.items()})
    return need


def ledger_issue_parts(projects: pd.DataFrame) -> pd.Series:
    """Per project, the missing fields (要素待补) and inconsistent dates, as typed parts.

    A field counts as needed from the stage where it becomes known: the
    signing date and county from 签约, the start date from 动工. Parts are
    ``("missing_fields", {"fields": [column, ...]})`` and
    ``("started_before_signed", {})``; :func:`ledger_issues` puts them in words.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["动工"], "investor_name": ["甲公司"], "link_id": ["ccl"],
    ...     "planned_yi": [5.0], "responsible_unit": ["市投促局"], "lead_unit": [""], "signed_on": ["2026-05"],
    ...     "county": ["佛冈县"], "started_on": ["2026-03"]})
    >>> ledger_issue_parts(p).tolist()
    [[('missing_fields', {'fields': ['lead_unit']}), ('started_before_signed', {})]]
    """
    need = _required(projects)
    out = []
    missing = {c: need[c] & ~_filled(projects[c]) for c in need}
    signed = projects["signed_on"].astype(object).where(projects["signed_on"].notna(), "").astype(str)
    started = projects["started_on"].astype(object).where(projects["started_on"].notna(), "").astype(str)
    for i in range(len(projects)):
        fields = [c for c in _FIELDS if missing[c][i]]
        parts = [("missing_fields", {"fields": fields})] if fields else []
        s, b = signed.iat[i], started.iat[i]
        # Compare at the precision both dates share (2026-05 vs 2026-03-10: month against month).
        k = min(len(s), len(b))
        if s and b and b[:k] < s[:k]:
            parts.append(("started_before_signed", {}))
        out.append(parts)
    return pd.Series(out, index=projects.index, dtype=object)


def ledger_issues(projects: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """:func:`ledger_issue_parts` in words (``lang`` zh or en); ``""`` for a complete project.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["动工"], "investor_name": ["甲公司"], "link_id": ["ccl"],
    ...     "planned_yi": [5.0], "responsible_unit": ["市投促局"], "lead_unit": [""], "signed_on": ["2026-05"],
    ...     "county": ["佛冈县"], "started_on": ["2026-03"]})
    >>> ledger_issues(p).tolist(), ledger_issues(p, "en").tolist()
    (['缺线索来源单位、动工时间早于签约时间'], ['missing: lead source unit; started before it was signed'])
    """
    return ledger_issue_parts(projects).map(lambda parts: reason_text(parts, lang))


def ledger_completeness(projects: pd.DataFrame) -> float:
    """Share of needed fields that are filled (要素齐全率), over all projects; 0 when empty.

    Needed fields are those of :func:`ledger_issues`.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["线索"], "investor_name": ["甲公司"], "link_id": ["ccl"],
    ...     "planned_yi": [float("nan")], "responsible_unit": ["市投促局"], "lead_unit": [""],
    ...     "signed_on": [""], "county": [""], "started_on": [""]})
    >>> ledger_completeness(p)     # 3 of the 5 fields a lead needs
    0.6
    """
    if not len(projects):
        return 0.0
    need = _required(projects)
    total = sum(int(v.sum()) for v in need.values())
    done = sum(int((v & _filled(projects[c])).sum()) for c, v in need.items())
    return done / total if total else 1.0


EVENT_COLUMNS = ["firm_id", "firm_name", "date", "chain", "link_id", "amount_yi", "signing_kind", "project_id",
                 "source"]


def projects_to_events(projects: pd.DataFrame) -> pd.DataFrame:
    """Signed projects as dated events (who came, when, to which chain and link, how much).

    One event per signing at stage 签约 or later with a ``signed_on`` date, in
    date order: the outcomes a backtest of the target ranking learns from.
    ``amount_yi`` is the signing's newly committed amount (NaN when unknown).

    Examples
    --------
    >>> p = pd.DataFrame({"id": ["P1", "P2"], "investor_id": ["kingboard", ""], "investor_name": ["建滔集团", "甲公司"],
    ...     "chain": ["electronics", "ebike"], "link_id": ["ccl", ""], "planned_yi": [13.5, None],
    ...     "stage": ["动工", "洽谈"], "signing_kind": ["增资扩产", ""], "signed_on": ["2025-06", ""],
    ...     "source": ["ic-pcb.cn", ""]})
    >>> projects_to_events(p)[["firm_id", "firm_name", "date", "link_id", "amount_yi"]]
         firm_id firm_name     date link_id  amount_yi
    0  kingboard      建滔集团  2025-06     ccl       13.5
    """
    ok = (_ranks(projects["stage"]) >= _SIGNED) & (_years(projects["signed_on"]).notna().to_numpy())
    p = projects[ok]
    out = pd.DataFrame({
        "firm_id": p["investor_id"].to_numpy(), "firm_name": p["investor_name"].to_numpy(),
        "date": p["signed_on"].to_numpy(), "chain": p["chain"].to_numpy(), "link_id": p["link_id"].to_numpy(),
        "amount_yi": pd.to_numeric(p["planned_yi"], errors="coerce").to_numpy(dtype=float),
        "signing_kind": p["signing_kind"].to_numpy(), "project_id": p["id"].to_numpy(),
        "source": p["source"].to_numpy(),
    }, columns=EVENT_COLUMNS)
    return out.sort_values(["date", "project_id"], kind="stable").reset_index(drop=True)



# ------------------------------------------------------------ the honest headline
def year_range(years, current: int) -> list[int]:
    """Every year from the earliest given to ``current`` (or the latest given, if later), newest first.

    A year with no signing in the ledger still appears (the ledger may simply
    not hold its projects yet): the list never skips a year.

    Examples
    --------
    >>> year_range([2023, 2025, None], 2026)
    [2026, 2025, 2024, 2023]
    >>> year_range([], 2026)
    [2026]
    """
    ys = {int(y) for y in years if y is not None and not pd.isna(y)} | {current}
    return list(range(max(ys), min(ys) - 1, -1))


def pace(target_yi: float | None, year: int, on: dt.date) -> tuple[float, float | None]:
    """The year's pace line: the share of ``year`` elapsed on the day ``on`` and where the
    signings should stand at an even pace (``target × share``; None without a target).

    A past year is wholly elapsed (share 1), a future one not begun (share 0).

    Examples
    --------
    >>> share, due = pace(800, 2026, dt.date(2026, 12, 1))
    >>> round(share, 3), round(due, 1)
    (0.918, 734.2)
    >>> pace(800, 2025, dt.date(2026, 3, 1)), pace(None, 2027, dt.date(2026, 3, 1))
    ((1.0, 800.0), (0.0, None))
    """
    share = time_share(on) if year == on.year else (1.0 if year < on.year else 0.0)
    return share, (None if target_yi is None else float(target_yi) * share)


def year_rows(projects: pd.DataFrame, year: int, current: int) -> pd.Series:
    """The projects that belong to ``year`` on a per-year chart: signed in that year (``signed_on``),
    and, for the ``current`` year only, the open leads and talks that carry no signing date yet.

    A project signed in 2025 is never counted under 2026, nor a 2026 lead under 2025.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["签约", "动工", "洽谈", "线索"],
    ...                   "signed_on": ["2026-03", "2025-06", "", ""]})
    >>> year_rows(p, 2026, 2026).tolist(), year_rows(p, 2025, 2026).tolist()
    ([True, False, True, True], [False, True, False, False])
    """
    y = _years(projects["signed_on"])
    open_lead = y.isna().to_numpy() & (_ranks(projects["stage"]) < _SIGNED)
    mask = (y == year).to_numpy() | (open_lead & (year == current))
    return pd.Series(mask, index=projects.index)


def _month_of(s: pd.Series) -> pd.Series:
    s = s.astype(object).where(s.notna(), "").astype(str)
    return pd.to_numeric(s.str[5:7].where(s.str.match(r"^\d{4}-\d{2}")), errors="coerce")


def monthly_cumulative(projects: pd.DataFrame, year: int, target_yi: float | None = None,
                       on: dt.date | None = None) -> pd.DataFrame:
    """Signings of ``year`` month by month, cumulated, against the plan's even pace.

    Parameters
    ----------
    projects : DataFrame
        The ``projects`` table.
    year : int
    target_yi : float, optional
        The year's target (亿元); ``plan_yi`` is its even-pace share at each month's end.
    on : date, optional
        Today: months after it have no ledger figure yet (NaN), so the curve stops today.

    Returns
    -------
    DataFrame
        One row per month 1–12: ``n`` and ``planned_yi`` signed that month,
        ``cum_n`` and ``cum_yi`` cumulated, ``plan_yi``. Signings dated only by
        the year (``2025``) have no month: they are left out here, and the
        difference from :func:`ledger_kpis` is theirs.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["签约", "动工", "签约"], "signed_on": ["2026-01-15", "2026-03", "2026"],
    ...                   "planned_yi": [10.0, 30.0, 5.0]})
    >>> m = monthly_cumulative(p, 2026, 120, on=dt.date(2026, 4, 10))
    >>> m.loc[:4, ["month", "n", "cum_yi", "plan_yi"]].round(1)
       month  n  cum_yi  plan_yi
    0      1  1    10.0     10.2
    1      2  0    10.0     19.4
    2      3  1    40.0     29.6
    3      4  0    40.0     39.5
    4      5  0     NaN     49.6
    """
    signed = signed_mask(projects, year).to_numpy()
    month = _month_of(projects["signed_on"]).to_numpy()
    planned = np.nan_to_num(pd.to_numeric(projects["planned_yi"], errors="coerce").to_numpy(dtype=float))
    rows = []
    cum_n, cum_yi = 0, 0.0
    days = 366 if calendar.isleap(year) else 365
    for m in range(1, 13):
        hit = signed & (month == m)
        n, v = int(hit.sum()), float(planned[hit].sum())
        cum_n, cum_yi = cum_n + n, cum_yi + v
        end = dt.date(year, m, calendar.monthrange(year, m)[1])
        future = on is not None and dt.date(year, m, 1) > on
        rows.append({"month": m, "n": n, "planned_yi": round(v, 6), "cum_n": np.nan if future else cum_n,
                     "cum_yi": np.nan if future else round(cum_yi, 6),
                     "plan_yi": np.nan if target_yi is None else float(target_yi) * end.timetuple().tm_yday / days})
    return pd.DataFrame(rows)


#: Follow-up statuses that mean the firm was visited (or got further): 已拜访 and after.
VISITED: tuple[str, ...] = ("已拜访", "有意向", "已签约")


def scoreboard(units: list[str], projects: pd.DataFrame, year: int, unit_of_project: pd.Series,
               target_yi: float | None = None, shares: Mapping[str, float] | None = None,
               followups: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit (a pioneer team or a county): its leads, visits, signings and amounts
    in ``year``, against its share of the year's target.

    Parameters
    ----------
    units : list of str
        The units, in display order (team names, or counties).
    projects : DataFrame
        The ``projects`` table.
    year : int
    unit_of_project : Series
        Per project (same index as ``projects``), the unit it counts for ("" for none).
    target_yi : float, optional
        The year's target (亿元).
    shares : mapping, optional
        Unit → its share of the target (0–1), from the workspace's settings.
    followups : DataFrame, optional
        The ``followups`` table with its ``team`` column, for teams: a unit's
        leads are its follow-up records (all statuses) plus its projects still
        at 线索/洽谈; its visits are its follow-ups at 已拜访 or later
        (:data:`VISITED`) whose contact date is in ``year``. Without it (a
        county), leads are the projects at 线索/洽谈 and visits are None.

    Returns
    -------
    DataFrame
        ``unit``, ``leads``, ``visits``, ``n_signed``, ``planned_yi``,
        ``share``, ``due_yi`` (share × target), ``progress`` (planned ÷ due),
        each NaN/None where unknown.

    Examples
    --------
    >>> p = pd.DataFrame({"stage": ["签约", "洽谈", "动工"], "signed_on": ["2026-02", "", "2026-05-01"],
    ...                   "planned_yi": [12.0, 3.0, 8.0], "county": ["英德市", "英德市", "佛冈县"]})
    >>> b = scoreboard(["佛冈县", "英德市"], p, 2026, p["county"], 800, {"英德市": 0.1})
    >>> b[["unit", "leads", "n_signed", "planned_yi", "due_yi", "progress"]]
      unit  leads  n_signed  planned_yi  due_yi  progress
    0  佛冈县      0         1         8.0     NaN       NaN
    1  英德市      1         1        12.0    80.0      0.15
    """
    signed = signed_mask(projects, year).to_numpy()
    lead = _ranks(projects["stage"]) < _SIGNED
    planned = np.nan_to_num(pd.to_numeric(projects["planned_yi"], errors="coerce").to_numpy(dtype=float))
    unit = unit_of_project.astype(object).where(unit_of_project.notna(), "").astype(str).to_numpy()
    shares = dict(shares or {})
    rows = []
    for u in units:
        mine = unit == u
        leads = int((mine & lead).sum())
        visits = None
        if followups is not None:
            fu = followups[followups["team"] == u]
            leads += len(fu)
            visits = int((fu["status"].isin(VISITED) & (_years(fu["contact_date"]) == year)).sum())
        v = float(planned[mine & signed].sum())
        share = shares.get(u)
        due = None if share is None or target_yi is None else float(target_yi) * share
        rows.append({"unit": u, "leads": leads, "visits": visits, "n_signed": int((mine & signed).sum()),
                     "planned_yi": round(v, 6), "share": share, "due_yi": due,
                     "progress": (v / due) if due else None})
    return pd.DataFrame(rows, columns=["unit", "leads", "visits", "n_signed", "planned_yi", "share", "due_yi",
                                       "progress"]).astype({"share": float, "due_yi": float, "progress": float})
