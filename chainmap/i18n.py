"""Display labels in Chinese (the default) and English."""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from .model import Stage, Status

__all__ = ["STATUS_LABEL", "STAGE_LABEL", "COLUMN_LABEL", "label", "basis_text", "CST", "local_time", "action_text",
           "history_view"]


STATUS_LABEL = {
    "zh": {Status.STRONG: "优势", Status.STRENGTHEN: "强链", Status.FILL: "补链",
           Status.EXTEND: "延链", Status.UNASSESSED: "待评估"},
    "en": {Status.STRONG: "strong", Status.STRENGTHEN: "strengthen", Status.FILL: "fill",
           Status.EXTEND: "extend", Status.UNASSESSED: "unassessed"},
}
STAGE_LABEL = {
    "zh": {Stage.UPSTREAM: "上游", Stage.MIDSTREAM: "中游", Stage.DOWNSTREAM: "下游"},
    "en": {Stage.UPSTREAM: "upstream", Stage.MIDSTREAM: "midstream", Stage.DOWNSTREAM: "downstream"},
}
COLUMN_LABEL = {
    "zh": {
        "link_id": "环节编号", "name_zh": "名称", "name_en": "英文名", "stage": "位置", "status": "状态",
        "strength": "强度", "severity": "紧迫度", "importance": "重要性", "demand_pull": "需求拉动",
        "centrality": "枢纽度", "n_local": "本地企业数", "incumbents": "本地企业", "chain_leaders": "链主",
        "reason": "判断依据", "source": "数据来源", "as_of": "数据日期",
        "id": "编号", "chain": "产业链", "links": "环节数", "local_firms": "本地企业数",
    },
    "en": {},
}


def label(kind: dict, value, lang: str = "zh") -> str:
    """Look ``value`` up in a label table, falling back to the value itself.

    Examples
    --------
    >>> label(STATUS_LABEL, "fill")
    '补链'
    >>> label(STATUS_LABEL, "fill", "en")
    'fill'
    """
    table = kind.get(lang, {})
    for k, v in table.items():
        if k == value or getattr(k, "value", None) == value:
            return v
    return str(value)


#: Industry classification systems as officers name them.
SYSTEM_LABEL = {
    "zh": {"gb": "国标行业", "sw": "申万行业", "tushare": "Tushare行业", "csrc": "证监会行业"},
    "en": {"gb": "GB/T 4754 class", "sw": "SW 2021 class", "tushare": "Tushare class", "csrc": "CSRC division"},
}


def _class_text(system: str, value: str, lang: str) -> str:
    name = SYSTEM_LABEL[lang][system]
    if lang == "en":
        return f"{name} {value}"
    return f"{name}{value}" if system in ("gb", "csrc") else f"{name}「{value}」"


def basis_text(basis: dict, lang: str = "zh") -> str:
    """How a firm was placed on a link, in words, from the codes and values the scorer emits.

    ``basis`` is ``TargetScorer.basis(i, j)`` / an ``explain`` item's
    ``basis_detail``: ``{"basis": "class", "system", "value", "link"}`` or
    ``{"basis": "coarse", "method": "words"|"classes", "classes", "word", "link"}``.
    Other bases (known, classifier, keywords) are worded by their callers: "".

    Examples
    --------
    >>> basis_text({"basis": "class", "system": "gb", "value": "3982", "link": "印制电路板"})
    '按国标行业3982归入【印制电路板】'
    >>> basis_text({"basis": "class", "system": "sw", "value": "印制电路板", "link": "PCB"}, "en")
    'placed on [PCB] by its SW 2021 class 印制电路板'
    >>> basis_text({"basis": "coarse", "method": "classes", "classes": [("sw", "铜"), ("csrc", "C39")],
    ...             "link": "电子铜箔"})
    '按申万行业「铜」、证监会行业C39（粗类）共同归入【电子铜箔】'
    """
    link = basis.get("link", "")
    if basis.get("basis") == "class":
        cls = _class_text(basis["system"], basis["value"], lang)
        return f"按{cls}归入【{link}】" if lang == "zh" else f"placed on [{link}] by its {cls}"
    if basis.get("basis") == "coarse":
        sep = "、" if lang == "zh" else " and "
        cls = sep.join(_class_text(s, v, lang) for s, v in basis["classes"])
        if basis["method"] == "words":
            word = basis.get("word", "")
            return (f"按{cls}（粗类）及名称或经营范围中的「{word}」归入【{link}】" if lang == "zh" else
                    f"placed on [{link}] by its coarse {cls}, confirmed by \"{word}\" in its name or business scope")
        return (f"按{cls}（粗类）共同归入【{link}】" if lang == "zh" else
                f"placed on [{link}] where its coarse classes agree: {cls}")
    return ""


# ------------------------------------------------------------------ the audit trail, for people
#: China Standard Time. A fixed offset, not a zone database: China has had no daylight saving since 1991,
#: and an intranet server may lack tzdata.
CST = dt.timezone(dt.timedelta(hours=8), "CST")

_OP_LABEL = {"zh": {"add": "新增", "update": "修改", "delete": "删除"}, "en": {}}
_TABLE_LABEL = {"zh": {"firms": "企业库", "honours": "荣誉资质", "operations": "企业环节", "relations": "企业关系",
                       "teams": "先锋队", "mechanism": "八个一", "assessments": "摸排记录", "signals": "扩张信号",
                       "channels": "触达渠道", "followups": "跟进记录", "projects": "项目信息库", "events": "投资事件",
                       "chains": "产业链", "links": "环节", "edges": "供应关系"},
                "en": {}}
_KIND_LABEL = {"zh": {"firms": "企业", "honours": "荣誉", "relations": "企业关系", "projects": "项目",
                      "contacts": "对接记录", "events": "投资事件"}, "en": {}}
#: What a 链条维护 save did (actions ``app: maintain KIND NAMES``, written by chainmap/app/maintain.py).
_MAINTAIN_LABEL = {"zh": {"survey": "摸排", "firm": "登记本地企业", "link": "环节", "edge": "供应关系",
                          "unedge": "删除供应关系"},
                   "en": {"survey": "survey", "firm": "local firm", "link": "link", "edge": "supply edge",
                          "unedge": "edge removed"}}
_HEADERS = {"zh": {"at": "时间（北京时间）", "author": "修改人", "action": "操作", "table": "数据表", "key": "记录",
                   "op": "变化", "what": "修改前 → 修改后", "change_set": "变更集"},
            "en": {"at": "time (Beijing)", "what": "before → after"}}


def local_time(at: str) -> str:
    """An audit time stamp (UTC, ISO 8601) as Beijing time to the minute.

    >>> local_time("2026-03-01T16:30:05.123456+00:00")
    '2026-03-02 00:30'
    >>> local_time("")
    ''
    """
    if not at:
        return ""
    return dt.datetime.fromisoformat(at).astimezone(CST).strftime("%Y-%m-%d %H:%M")


def action_text(action: str, lang: str = "zh") -> str:
    """The action of a change set in words (actions are recorded as codes such as ``import firms a.xlsx``).

    >>> action_text("import firms 目标企业.xlsx")
    '导入企业：目标企业.xlsx'
    >>> action_text("app: followups"), action_text("undo 3f9c2a7b1d0e")
    ('工作台编辑：跟进记录', '撤销变更集 3f9c2a7b1d0e')
    >>> action_text("app: import projects 台账.xlsx", "en")
    'app: import projects 台账.xlsx'
    >>> action_text("app: maintain survey 印制电路板"), action_text("app: maintain edge 覆铜板 → 印制电路板", "en")
    ('链条维护·摸排：印制电路板', 'Chain upkeep · supply edge: 覆铜板 → 印制电路板')
    """
    if m := re.fullmatch(r"app: maintain (\w+) (.+)", action):
        kind = _MAINTAIN_LABEL["zh" if lang == "zh" else "en"].get(m.group(1), m.group(1))
        return f"链条维护·{kind}：{m.group(2)}" if lang == "zh" else f"Chain upkeep · {kind}: {m.group(2)}"
    if lang != "zh":
        return action
    kinds, tables = _KIND_LABEL["zh"], _TABLE_LABEL["zh"]
    if m := re.fullmatch(r"(app: )?import (\w+) (.+)", action):
        return f"{'工作台' if m.group(1) else ''}导入{kinds.get(m.group(2), m.group(2))}：{m.group(3)}"
    if m := re.fullmatch(r"undo (\w+)", action):
        return f"撤销变更集 {m.group(1)}"
    if m := re.fullmatch(r"app: (\w+)", action):
        return f"工作台编辑：{tables.get(m.group(1), m.group(1))}"
    if m := re.fullmatch(r"edit(?: (\w+))?", action):
        return "编辑" + (f"：{tables.get(m.group(1), m.group(1))}" if m.group(1) else "")
    return action


def history_view(history: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Audit rows for people: Beijing time, author, action, table, record, change and before → after.

    Headers and labels are Chinese by default (``lang="en"`` for English).
    """
    from .store.changes import change_text

    out = pd.DataFrame({
        "at": history["at"].map(local_time),
        "author": history["author"],
        "action": history["action"].map(lambda a: action_text(a, lang)),
        "table": history["table"].map(lambda t: _TABLE_LABEL[lang].get(t, t)),
        "key": history["key"].map(lambda k: " / ".join("" if v is None else str(v) for v in json.loads(k)).rstrip(" /")),
        "op": history["op"].map(lambda o: _OP_LABEL[lang].get(o, o)),
        "what": [change_text(b, a) for b, a in zip(history["before"], history["after"])],
        "change_set": history["change_set"],
    }, index=history.index)
    return out.rename(columns=_HEADERS[lang])
