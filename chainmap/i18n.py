"""Display labels in Chinese (the default) and English."""
from __future__ import annotations

from .model import Stage, Status

__all__ = ["STATUS_LABEL", "STAGE_LABEL", "COLUMN_LABEL", "label"]


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
