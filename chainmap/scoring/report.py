"""Ranked lists as officers read them: Chinese headers, team sheets, follow-up columns."""
from __future__ import annotations

import pandas as pd

from ..i18n import with_reasons
from ..i18n import MODE_LABEL
from .engine import UNASSIGNED

MODE_ZH = MODE_LABEL["zh"]

__all__ = ["TARGET_HEADERS", "FOLLOW_UP", "target_table", "target_sheets", "team_workload"]

TARGET_HEADERS = {
    "rank": "排名", "name_zh": "企业名称", "mode": "招商类型", "score": "综合得分", "links": "对应环节",
    "reason": "推荐理由", "honour": "荣誉资质", "hq_city": "总部城市", "hq_region": "所属区域",
    "team_name": "责任先锋队", "fill_score": "补链分", "strengthen_score": "强链分", "extend_score": "延链分",
    "affinity": "以商引商", "relatedness": "产业关联", "tier": "企业层级", "propensity": "扩张意愿",
    "reach": "可触达", "expand": "增资扩产", "inferred": "环节系推断", "firm_id": "企业编号",
}
FOLLOW_UP = ["对接状态", "责任人", "最近对接日期", "备注"]
REGION_ZH = {"PRD": "珠三角", "YRD": "长三角", "BTH": "京津冀", "other_cn": "国内其他", "hmt": "港澳台",
             "overseas": "境外"}


def target_table(ranked: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The ranked list with display columns; in Chinese, with modes and regions translated.

    The reasons and honours the scorer emits as codes are put in words in
    ``lang`` here (:func:`chainmap.i18n.with_reasons`).
    """
    ranked = with_reasons(ranked, lang)
    cols = [c for c in TARGET_HEADERS if c in ranked.columns]
    df = ranked[cols]
    if lang != "zh":
        return df
    df = df.assign(mode=df["mode"].map(MODE_ZH), hq_region=df["hq_region"].map(REGION_ZH).fillna(df["hq_region"]))
    return df.rename(columns=TARGET_HEADERS)


def team_workload(ranked: pd.DataFrame) -> pd.DataFrame:
    """Per pioneer team: how many targets of each mode, and the top three."""
    rows = []
    for team, grp in ranked.groupby("team_name", sort=False):
        counts = grp["mode"].value_counts()
        rows.append({"责任先锋队": team, "目标企业数": len(grp),
                     **{f"{MODE_ZH[m]}数": int(counts.get(m, 0)) for m in MODE_ZH},
                     "重点目标": "、".join(grp.sort_values("rank")["name_zh"].head(3))})
    out = pd.DataFrame(rows)
    if len(out):
        unassigned = out["责任先锋队"] == UNASSIGNED
        out = pd.concat([out[~unassigned].sort_values("目标企业数", ascending=False), out[unassigned]])
    return out.reset_index(drop=True)


def target_sheets(ranked: pd.DataFrame, chain_name: str, team_names: list[str],
                  unassigned: bool = True) -> dict[str, pd.DataFrame]:
    """Sheets of the 招商清单 workbook: a summary, then one sheet per team of ``team_names``
    (even those with no target yet), then 市本级 for firms outside every team's region
    (``unassigned=False`` leaves it out: one team's list holds its own sheet only).
    """
    sheets = {"汇总": team_workload(ranked)}
    blank = {c: "" for c in FOLLOW_UP}
    for team in dict.fromkeys([*team_names, *([UNASSIGNED] if unassigned else [])]):
        part = ranked[ranked["team_name"] == team]
        sheets[team] = target_table(part).assign(**blank)
    sheets["汇总"].attrs["title"] = f"{chain_name}产业链招商清单"
    return sheets
