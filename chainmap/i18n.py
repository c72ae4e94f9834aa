"""Display labels in Chinese (the default) and English."""
from __future__ import annotations

from .model import Stage, Status

__all__ = ["STATUS_LABEL", "STAGE_LABEL", "COLUMN_LABEL", "label", "basis_text"]


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
