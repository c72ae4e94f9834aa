"""The 八个一 chain mechanism: which slots are in place, and how complete each chain is.

Slots are data (the ``mechanism`` table, eight per chain by default; the
default template is in ``shared/reference/conventions.md``). Four slots of the
default template are *derived*: the engine already holds what they are about,
so their state is computed here instead of being typed in. The others are
*manual*: an owner, a status, evidence and a date, kept by the task force.

Slot score (each in [0, 1])
---------------------------
* **Manual slot**: 已落实 1, 推进中 ½, 未启动 0. A slot marked 已落实 without
  any evidence counts ½: a claim needs its 佐证.
* **3 一张产业链图谱** (chain map): ``coverage × freshness``. ``coverage`` is
  the share of the chain's links that are either surveyed (a row in
  ``assessments``) or have a local firm: the rest are 待评估, holes in the map
  itself. ``freshness`` is 1 when the latest survey date is at most
  ``max_age_days`` (365) before ``as_of``, else ½ (also ½ when no date).
* **4 一份目标企业清单** (target list): 0 without any ranked target (score > 0);
  otherwise ½ for having the list plus ½ × the share of the first
  ``contact_goal`` (10) targets' worth of firms that have a follow-up beyond
  未对接 (已联系, 已拜访, 有意向, 已签约 or 暂缓), i.e.
  ``½ + ½ · min(1, contacted / min(contact_goal, n_targets))``.
* **5 一个项目信息库** (project ledger): 0 without a project of the chain;
  otherwise ``½ + ½ · 要素齐全率`` (:func:`chainmap.analysis.ledger.ledger_completeness`).
* **8 一家链主企业/产业联盟** (chain leader): 1 when the gap analysis finds a
  链主 among the chain's local firms, else 0.

A derived slot's status follows its score: 0 → 未启动, ≥ 0.8 → 已落实, else
推进中.

Chain completeness (机制完备度) is the plain mean of the slot scores of the
chain's slots, in [0, 1]: every slot of the mechanism weighs the same, as the
template gives no ranking among them.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..io.schemas import SLOT_STATUS
from ..model import PartialDate, Tables
from .ledger import ledger_completeness

__all__ = ["SLOT_SCORE", "DERIVED_SLOTS", "REVIEW_COLUMNS", "chain_map_slot", "target_list_slot",
           "project_ledger_slot", "chain_leader_slot", "mechanism_review", "completeness", "status_of",
           "review_summary"]

#: Score of a manual slot by its status.
SLOT_SCORE = {"已落实": 1.0, "推进中": 0.5, "未启动": 0.0}
#: Slots of the default template computed from data, by slot number.
DERIVED_SLOTS = {3: "chain_map", 4: "target_list", 5: "project_ledger", 8: "chain_leader"}
#: Follow-up statuses that mean the firm was actually approached.
CONTACTED = ("已联系", "已拜访", "有意向", "已签约", "暂缓")

REVIEW_COLUMNS = ["chain", "slot", "name_zh", "kind", "status", "score", "owner", "evidence", "updated_on",
                  "metric", "source"]


def status_of(score: float) -> str:
    """The status a derived slot's score stands for.

    Examples
    --------
    >>> status_of(0.0), status_of(0.5), status_of(0.8)
    ('未启动', '推进中', '已落实')
    """
    if score <= 0:
        return "未启动"
    return "已落实" if score >= 0.8 else "推进中"


def _as_date(value) -> dt.date | None:
    # A survey dated only 2025 may have been made on its last day: freshness credits it with the end.
    if not isinstance(value, str) or not value:
        return None
    return PartialDate.parse(value).end


def chain_map_slot(tables: Tables, chain: str, gaps: pd.DataFrame, as_of: dt.date,
                   max_age_days: int = 365) -> dict:
    """Slot 3, the chain map: coverage of the links and freshness of the surveys.

    Parameters
    ----------
    tables : Tables
    chain : str
    gaps : DataFrame
        :func:`chainmap.analysis.gap_analysis` of the chain.
    as_of : datetime.date
        The day the review is made (freshness is measured against it).

    Returns
    -------
    dict
        ``score``, ``status``, ``evidence_parts`` (typed parts: codes and values,
        worded by :func:`chainmap.i18n.with_evidence`), ``updated_on`` (latest
        survey date), ``coverage``, ``n_links``, ``n_covered``.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> from chainmap.analysis import gap_analysis
    >>> t = MemoryStore.open().tables()
    >>> s = chain_map_slot(t, "electronics", gap_analysis(t, "electronics"), dt.date(2026, 11, 26))
    >>> s["n_covered"], s["n_links"], s["updated_on"], s["score"]
    (9, 20, '2026-12-01', 0.45)
    """
    links = gaps["link_id"]
    assessed = tables.assessments[tables.assessments["link_id"].isin(links)]
    present = set(gaps.loc[gaps["n_local"] > 0, "link_id"])
    covered = set(assessed["link_id"]) | present
    n_links = len(links)
    coverage = len(covered) / n_links if n_links else 0.0
    latest = max(assessed["assessed_on"], default="") if len(assessed) else ""
    latest_day = _as_date(latest)
    fresh = latest_day is not None and (as_of - latest_day).days <= max_age_days
    score = round(coverage * (1.0 if fresh else 0.5), 4)
    evidence = [("mech_chain_map", {"covered": len(covered), "links": n_links, "coverage": coverage, "latest": latest,
                                     "stale_after": None if fresh or not latest else max_age_days})]
    return {"score": score, "status": status_of(score), "evidence_parts": evidence, "updated_on": latest,
            "coverage": coverage, "n_links": n_links, "n_covered": len(covered)}


def target_list_slot(tables: Tables, chain: str, scores: pd.Series, contact_goal: int = 10) -> dict:
    """Slot 4, the target list: ranked targets, and how many are being followed up.

    Parameters
    ----------
    tables : Tables
        Its ``followups`` table is read.
    chain : str
    scores : Series
        Every firm's score for the chain, indexed by firm id (NaN where the
        firm fits no opportunity), e.g. from :meth:`TargetScorer.score`.
    contact_goal : int
        How many targets in contact make the list a working one.

    Examples
    --------
    >>> from chainmap.model import Tables
    >>> from chainmap.io.tables import empty_table
    >>> t = Tables(**{n: empty_table(n) for n in Tables.__dataclass_fields__})
    >>> f = pd.DataFrame({"firm_id": ["shengyi", "fastprint", "avary"], "chain": ["electronics"] * 3,
    ...                   "status": ["已拜访", "未对接", "有意向"],
    ...                   "contact_date": ["2026-11-02", "", "2026-10-15"]})
    >>> t = t.replace(followups=f)
    >>> scores = pd.Series({"shengyi": 0.51, "fastprint": 0.48, "avary": 0.44, "kingboard": np.nan, "zte": 0.0})
    >>> s = target_list_slot(t, "electronics", scores)
    >>> s["n_targets"], s["n_contacted"], s["score"], s["status"], s["updated_on"]
    (3, 2, 0.8333, '已落实', '2026-11-02')
    """
    targets = set(scores.index[np.nan_to_num(scores.to_numpy(dtype=float)) > 0])
    fu = tables.followups[tables.followups["chain"] == chain]
    contacted = set(fu.loc[fu["status"].isin(CONTACTED), "firm_id"]) & targets
    n_t, n_c = len(targets), len(contacted)
    score = 0.0 if n_t == 0 else round(0.5 + 0.5 * min(1.0, n_c / min(contact_goal, n_t)), 4)
    latest = max([d for d in fu.loc[fu["firm_id"].isin(contacted), "contact_date"] if isinstance(d, str) and d],
                 default="")
    evidence = [("mech_target_list", {"targets": n_t, "contacted": n_c})]
    return {"score": score, "status": status_of(score), "evidence_parts": evidence,
            "updated_on": latest, "n_targets": n_t, "n_contacted": n_c}


def project_ledger_slot(tables: Tables, chain: str) -> dict:
    """Slot 5, the project ledger: the chain's projects, their Σ planned investment, and
    how complete their records are.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> s = project_ledger_slot(MemoryStore.open().tables(), "materials")
    >>> s["n_projects"], s["planned_yi"]
    (4, 25.0)
    """
    p = tables.projects[tables.projects["chain"] == chain]
    n = len(p)
    planned = float(np.nansum(pd.to_numeric(p["planned_yi"], errors="coerce"))) if n else 0.0
    fill = ledger_completeness(p)
    score = 0.0 if n == 0 else round(0.5 + 0.5 * fill, 4)
    n_amount = int(p["planned_yi"].notna().sum())
    latest = max([d for d in p["signed_on"] if d], default="")
    evidence = [("mech_ledger", {"projects": n, "planned_yi": planned, "with_amount": n_amount, "fill": fill})
                if n else ("mech_no_ledger", {})]
    return {"score": score, "status": status_of(score), "evidence_parts": evidence, "updated_on": latest,
            "n_projects": n, "planned_yi": planned, "fill_rate": fill}


def chain_leader_slot(gaps: pd.DataFrame) -> dict:
    """Slot 8, the 链主: local firms the gap analysis flags as chain leader, with their links.

    Examples
    --------
    >>> g = pd.DataFrame({"name_zh": ["电子级玻纤纱", "电子布", "覆铜板"],
    ...                   "chain_leaders": [["建滔集团"], ["建滔集团"], []], "as_of": ["2026-11-26"] * 3})
    >>> chain_leader_slot(g)["evidence_parts"]
    [('mech_leaders', {'leaders': [{'firm': '建滔集团', 'links': ['电子级玻纤纱', '电子布']}]})]
    """
    by_firm: dict[str, list[str]] = {}
    for name, leaders in zip(gaps["name_zh"], gaps["chain_leaders"]):
        for f in leaders or []:
            by_firm.setdefault(f, []).append(name)
    score = 1.0 if by_firm else 0.0
    evidence = [("mech_leaders", {"leaders": [{"firm": f, "links": ls} for f, ls in by_firm.items()]})
                if by_firm else ("mech_no_leader", {})]
    latest = max([d for d in gaps.get("as_of", pd.Series(dtype=str)) if isinstance(d, str) and d], default="")
    return {"score": score, "status": status_of(score), "evidence_parts": evidence,
            "updated_on": latest if by_firm else "", "leaders": list(by_firm)}


def _manual(row) -> tuple[float, str]:
    score = SLOT_SCORE.get(row["status"], 0.0)
    metric = "metric_manual"
    if score == 1.0 and not str(row.get("evidence") or "").strip():
        score, metric = 0.5, "metric_unproven"  # 已落实 without 佐证 counts as 推进中
    return score, metric


def mechanism_review(tables: Tables, chain: str, gaps: pd.DataFrame, scores: pd.Series,
                     as_of: dt.date) -> pd.DataFrame:
    """Every slot of one chain with its status and score, derived slots computed live.

    Parameters
    ----------
    tables : Tables
    chain : str
    gaps : DataFrame
        :func:`chainmap.analysis.gap_analysis` of the chain.
    scores : Series
        Every firm's score for the chain, indexed by firm id (see
        :func:`target_list_slot`).
    as_of : datetime.date
        The review date (freshness of the chain map).

    Returns
    -------
    DataFrame
        One row per slot, columns :data:`REVIEW_COLUMNS` and ``evidence_parts``:
        ``kind`` is ``derived`` or ``manual``; for derived slots ``status``,
        ``updated_on`` and ``evidence_parts`` (typed parts, as reasons are)
        are computed and ``evidence`` is blank; ``metric`` is a code saying how
        the score was found (``metric_chain_map`` …, ``metric_manual``,
        ``metric_unproven``); ``owner``, ``source`` and a manual slot's
        ``evidence`` come from the table. :func:`chainmap.i18n.with_evidence`
        puts evidence and metric in words.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> from chainmap.analysis import gap_analysis
    >>> t = MemoryStore.open().tables()
    >>> r = mechanism_review(t, "electronics", gap_analysis(t, "electronics"), pd.Series(dtype=float),
    ...                      dt.date(2026, 11, 26))
    >>> [(k, st, round(sc, 2)) for k, st, sc in zip(r["kind"], r["status"], r["score"])]  # slots 1..8
    ... # doctest: +NORMALIZE_WHITESPACE
    [('manual', '未启动', 0.0), ('manual', '未启动', 0.0), ('derived', '推进中', 0.45),
     ('derived', '未启动', 0.0), ('derived', '推进中', 0.64), ('manual', '未启动', 0.0),
     ('manual', '未启动', 0.0), ('derived', '已落实', 1.0)]
    """
    slots = tables.mechanism[tables.mechanism["chain"] == chain].sort_values("slot")
    rows = []
    for rec in slots.to_dict("records"):
        slot = int(rec["slot"])
        derived = DERIVED_SLOTS.get(slot) if rec["kind"] == "derived" else None
        out = {c: rec.get(c, "") for c in REVIEW_COLUMNS if c in rec}
        out["slot"] = slot
        if derived == "chain_map":
            d = chain_map_slot(tables, chain, gaps, as_of)
        elif derived == "target_list":
            d = target_list_slot(tables, chain, scores)
        elif derived == "project_ledger":
            d = project_ledger_slot(tables, chain)
        elif derived == "chain_leader":
            d = chain_leader_slot(gaps)
        else:
            score, metric = _manual(rec)
            out.update(kind="manual", score=score, metric=metric, evidence_parts=[])
            rows.append(out)
            continue
        out.update(kind="derived", score=d["score"], status=d["status"], evidence="", evidence_parts=d["evidence_parts"],
                   updated_on=d["updated_on"], metric=f"metric_{derived}")
        rows.append(out)
    return pd.DataFrame(rows, columns=[*REVIEW_COLUMNS, "evidence_parts"])


def completeness(review: pd.DataFrame) -> float:
    """Chain completeness (机制完备度): the mean slot score, 0 for a chain with no slot.

    Examples
    --------
    >>> completeness(pd.DataFrame({"score": [1.0, 0.5, 0.0, 0.5]}))
    0.5
    """
    return round(float(review["score"].mean()), 4) if len(review) else 0.0


def review_summary(review: pd.DataFrame) -> dict:
    """A chain's review in figures: its completeness, how many slots, and how many have each status.

    Values only: the 八个一 workbook (:func:`chainmap.briefs.workbook.mechanism_sheets`) puts them in words.

    Examples
    --------
    >>> review_summary(pd.DataFrame({"status": ["已落实", "推进中", "推进中"], "score": [1.0, 0.5, 0.5]}))
    {'completeness': 0.6667, 'slots': 3, 'by_status': {'已落实': 1, '推进中': 2, '未启动': 0}}
    """
    counts = review["status"].value_counts() if len(review) else pd.Series(dtype=int)
    return {"completeness": completeness(review), "slots": len(review),
            "by_status": {s: int(counts.get(s, 0)) for s in SLOT_STATUS}}
