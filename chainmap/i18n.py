"""Display labels in Chinese (the default) and English."""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from .model import Stage, Status

__all__ = ["STATUS_LABEL", "STAGE_LABEL", "COLUMN_LABEL", "label", "basis_text", "CST", "local_time", "action_text",
           "history_view", "HONOUR_LABEL", "CHANNEL_LABEL", "MODE_LABEL", "RELATION_LABEL", "METHOD_LABEL", "method_label", "with_evidence", "SIGNAL_LABEL", "FIELD_LABEL", "REASONS", "reason_text", "with_reasons",
           "COMPONENT_LABEL", "explain_text", "SLOT_STATUS_LABEL", "MECHANISM_LABEL",
           "problem_text", "problem_line", "error_text"]


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
    if basis.get("basis") == "event":
        return f"按过往投资事件归入【{link}】" if lang == "zh" else f"placed on [{link}] by a past investment in it"
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


# ------------------------------------------------------------------ reasons, for people
# The core (scoring, gap analysis) explains itself as a list of typed parts: ``[(code, params), ...]``,
# kept in a ``reason_parts`` column. This one catalogue turns them into words, zh first, en available.

#: Honour lists as officers name them.
HONOUR_LABEL = {
    "zh": {"FG500": "世界500强", "CN500": "中国企业500强", "CN_PRIVATE500": "中国民营企业500强",
           "single_champion": "制造业单项冠军", "little_giant": "专精特新小巨人", "listed": "上市公司"},
    "en": {"FG500": "Fortune Global 500", "CN500": "China Top 500", "CN_PRIVATE500": "China Top 500 Private",
           "single_champion": "manufacturing single champion", "little_giant": "little giant (专精特新)",
           "listed": "listed"},
}
#: Access channels (触达渠道).
CHANNEL_LABEL = {
    "zh": {"fund": "资本招商", "incubator": "深圳孵化", "chamber": "商协会", "alumni": "校友会",
           "fair": "展会", "ambassador": "招商大使", "intermediary": "中介机构"},
    "en": {"fund": "investment fund", "incubator": "Shenzhen incubator", "chamber": "chamber of commerce",
           "alumni": "alumni association", "fair": "trade fair", "ambassador": "investment ambassador",
           "intermediary": "intermediary"},
}
#: Promotion modes of a target.
MODE_LABEL = {"zh": {"fill": "补链", "strengthen": "强链", "extend": "延链", "check": "待摸排"},
              "en": {"fill": "fill", "strengthen": "strengthen", "extend": "extend", "check": "to survey"}}


def _name(v, lang: str) -> str:
    """A link given as a name, or as ``{"id", "zh", "en"}`` (en falls back to zh, then the id)."""
    if isinstance(v, dict):
        return (v.get("en") if lang == "en" else None) or v.get("zh") or v.get("id", "")
    return str(v)


def _links(links, lang: str) -> str:
    if lang == "zh":
        return "、".join(f"【{_name(v, lang)}】" for v in links)
    return ", ".join(f"[{_name(v, lang)}]" for v in links)


def _firms(firms, lang: str, k: int = 3) -> str:
    firms = list(firms)
    if lang == "zh":
        return "、".join(firms[:k]) + (f"等{len(firms)}家" if len(firms) > k else "")
    return ", ".join(firms[:k]) + (f" and {len(firms) - k} more" if len(firms) > k else "")


def _by_text(probs, lang: str) -> str:
    """How links were inferred from a firm's products: probabilities (0: by keyword)."""
    if not probs:
        return ""
    shown = [p for p in probs if p > 0]
    if lang == "zh":
        bits = ([f"概率{'、'.join(f'{p:.0%}' for p in shown)}"] if shown else []) + \
            (["关键词匹配"] if len(shown) < len(probs) else [])
        return f"（据主营产品推断，{'，'.join(bits)}）"
    bits = ([f"probability {', '.join(f'{p:.0%}' for p in shown)}"] if shown else []) + \
        (["keyword match"] if len(shown) < len(probs) else [])
    return f" (inferred from its products: {'; '.join(bits)})"


def _target(mode: str, lang: str):
    zh = {"fill": "补链：填补{links}空白", "extend": "延链：延伸至{links}", "strengthen": "强链：壮大{links}",
          "check": "待摸排：{links}本地尚未评估，可先摸排再对接"}[mode]
    en = {"fill": "fill: fills the gap at {links}", "extend": "extend: reaches out to {links}",
          "strengthen": "strengthen: adds to {links}",
          "check": "to survey: {links} not yet assessed here; survey it, then approach"}[mode]

    def render(p: dict) -> str:
        text = (zh if lang == "zh" else en).format(links=_links(p["links"], lang)) + _by_text(p.get("by_text"), lang)
        if p.get("expand"):
            text += "（已在本地投资，可增资扩产）" if lang == "zh" else " (already invests here: could expand)"
        return text
    return render


def _honour(p: dict, lang: str) -> str:
    name = HONOUR_LABEL[lang].get(p["list"], p["list"])
    extra = p.get("detail") if p["list"] == "listed" else p.get("year")
    if extra in (None, ""):
        return name
    return f"{name}（{extra}）" if lang == "zh" else f"{name} ({extra})"


def _signal(p: dict, lang: str, head: bool = True) -> str:
    what = " ".join(str(v) for v in (p.get("date"), p.get("detail")) if v)
    amount = p.get("amount_yi")
    if lang == "zh":
        return ("近期扩张：" if head else "") + what + (f"，{amount:g}亿元" if amount is not None else "")
    return ("recent expansion: " if head else "") + what + (f", RMB {amount / 10:g} bn" if amount is not None else "")


#: Ranking methods of the backtest (baselines and learned weights); a strategy is worded by its name.
METHOD_LABEL = {
    "zh": {"biggest": "最大企业优先（营收与荣誉）", "relatedness": "仅看关联度（Hidalgo密度）",
           "recent": "近期扩张企业优先（两年内有投资事件）", "learned": "学习权重", "signals": "学习权重＋投资信号"},
    "en": {"biggest": "biggest firms first (revenue and honours)", "relatedness": "relatedness only (Hidalgo density)",
           "recent": "recent expanders first (an investment event in two years)", "learned": "learned weights",
           "signals": "learned weights + investment signals"},
}


def method_label(method: str, lang: str = "zh") -> str:
    """A backtest method in words; any other method is a weight strategy, named as such.

    >>> method_label("biggest"), method_label("稳健"), method_label("稳健", "en")
    ('最大企业优先（营收与荣誉）', '策略·稳健', 'strategy 稳健')
    """
    lang = "en" if lang == "en" else "zh"
    if method in METHOD_LABEL[lang]:
        return METHOD_LABEL[lang][method]
    return f"策略·{method}" if lang == "zh" else f"strategy {method}"


#: Investment signals the learned weights use (chainmap.learn.signals).
SIGNAL_LABEL = {
    "zh": {"expander": "连续扩张（近年投资事件）", "amount": "投资金额", "chain_history": "曾在本链投资",
           "gravity": "距离（总部与近期工厂离本省远近）", "toward_home": "近期投向本省及周边",
           "size": "企业规模（营收、股本或注册资本）"},
    "en": {"expander": "serial expander (recent investment events)", "amount": "investment amount",
           "chain_history": "invested in this chain before", "gravity": "distance (HQ and recent plants from the province)",
           "toward_home": "recently investing in or near the province", "size": "size (revenue, shares or capital)"},
}

#: Fields of a ledger project (要素), as the missing ones are named.
FIELD_LABEL = {
    "zh": {"investor_name": "投资方", "link_id": "环节", "planned_yi": "计划总投资", "responsible_unit": "责任单位",
           "lead_unit": "线索来源单位", "signed_on": "签约时间", "county": "所在县区", "started_on": "动工时间"},
    "en": {"investor_name": "investor", "link_id": "link", "planned_yi": "planned investment",
           "responsible_unit": "responsible unit", "lead_unit": "lead source unit", "signed_on": "signing date",
           "county": "county", "started_on": "start date"},
}

#: Relations between firms, as a step of a referral path reads them.
RELATION_LABEL = {"zh": {"SUPPLIES_TO": "供货给", "PART_OF": "隶属于"},
                  "en": {"SUPPLIES_TO": "supplies", "PART_OF": "is part of"}}


def _relatedness(p: dict, lang: str) -> str:
    grade = {"zh": {"high": "高", "medium": "中等", "low": "较低"}, "en": {}}[lang].get(p["grade"], p["grade"])
    a, b = p.get("link"), p.get("near")
    if lang == "zh":
        text = f"与本地已有环节关联度{grade}（密度{p['density']:.2f}"
        if b:
            text += (f"；经营【{_name(a, lang)}】的企业常兼营本地已有的【{_name(b, lang)}】" if p["level"] == "firm"
                     else f"；【{_name(a, lang)}】常与本地已有的【{_name(b, lang)}】集聚于同一城市")
        return text + "）"
    text = f"{grade} relatedness to the city's present links (density {p['density']:.2f}"
    if b:
        text += (f"; firms on [{_name(a, lang)}] often also run [{_name(b, lang)}], which the city has"
                 if p["level"] == "firm" else
                 f"; [{_name(a, lang)}] tends to cluster in the same cities as [{_name(b, lang)}], which the city has")
    return text + ")"


#: Every code the core may emit, per language: a function of the part's params. ``reason_text`` renders
#: them; ``tests/test_reasons.py`` checks that every code the engine and the gap analysis use has both.
REASONS = {
    "zh": {
        # target scoring (chainmap.scoring.engine): the head names the mode and the links
        "target_fill": _target("fill", "zh"), "target_extend": _target("extend", "zh"),
        "target_strengthen": _target("strengthen", "zh"), "target_check": _target("check", "zh"),
        "basis": lambda p: basis_text(p, "zh"),
        "incumbents": lambda p: f"本地现有{'、'.join(p['firms'])}",
        "supplies_local": lambda p: f"为本地【{_name(p['link'], 'zh')}】（{p['firm']}）的上游环节",
        "buys_local": lambda p: f"可承接本地【{_name(p['link'], 'zh')}】（{p['firm']}）的产品",
        "honour": lambda p: _honour(p, "zh"),
        "supplier_of": lambda p: f"已是{p['firm']}的供应商",
        "customer_of": lambda p: f"{p['firm']}的下游客户",
        "signal": lambda p: _signal(p, "zh"),
        "signal_plain": lambda p: _signal(p, "zh", head=False),
        "team": lambda p: f"{p['team']}覆盖",
        "channel": lambda p: f"{CHANNEL_LABEL['zh'].get(p['channel'], p['channel'])}：{p['detail']}",
        "relatedness": lambda p: _relatedness(p, "zh"),
        # how a link was placed (explain) and how the scorer placed firms without a known link
        "placed_known": lambda p: "已知", "placed_local": lambda p: "本地已有",
        "placed_integration": lambda p: "上下游延伸（所在环节与本环节直接供需相连）",
        "placed_classifier": lambda p: f"推断（概率{p['probability']:.0%}）",
        "placed_keywords": lambda p: "推断（关键词匹配）",
        "inference_off": lambda p: "环节推断：未启用（无已知环节的企业不参与评分）",
        "inference_keywords": lambda p: "环节推断：主营产品关键词匹配（按设置）",
        "inference_not_needed": lambda p: "环节推断：无需推断（企业均有已知环节）",
        "inference_too_few": lambda p: f"环节推断：主营产品关键词匹配（已标注企业{p['labelled']}家，样本不足以训练文本分类器）",
        "inference_classifier": lambda p: (
            f"环节推断：主营产品文本分类器（{p['labelled']}家已标注企业中取{p['trained']}家训练，学习{p['learned']}个环节"
            + (f"；其余{p['by_keyword']}个环节样本不足，按关键词" if p["by_keyword"] else "") + "）"),
        # gap analysis (chainmap.analysis.gaps)
        "gap_unassessed": lambda p: "待评估：尚未摸排本地企业（未评估不等于缺失）",
        "gap_strong": lambda p: "优势环节",
        "gap_strengthen": lambda p: "强链：本地已有但偏弱",
        "ev_leader": lambda p: f"链主{_firms(p['firms'], 'zh')}在本地",
        "ev_count": lambda p: f"本地{len(p['firms'])}家企业（{_firms(p['firms'], 'zh')}）",
        "ev_sufficiency": lambda p: f"本地产出满足本地下游需求的{p['share']:.0%}",
        "ev_scale": lambda p: f"本地年产出约{p['output_yi']:.0f}亿元",
        "below_threshold": lambda p: f"强度{p['strength']:.2f}低于{p['threshold']:.2f}",
        "local_firms": lambda p: f"本地企业：{_firms(p['firms'], 'zh')}",
        "gap_fill": lambda p: (f"补链：本地空白，上游有{_links(p['up'], 'zh')}，下游有{_links(p['down'], 'zh')}，"
                               "是本地链条的断点"),
        "gap_extend_down": lambda p: f"延链：本地空白，上游已有{_links(p['up'], 'zh')}，可向下游延伸",
        "gap_extend_up": lambda p: f"延链：本地空白，下游已有{_links(p['down'], 'zh')}，可向上游延伸",
        "gap_leap": lambda p: "延链：本地空白，且无本地上下游衔接（需跨越式引进）",
        # the 八个一 review (chainmap.analysis.mechanism): evidence of derived slots, and how slots are scored
        "mech_chain_map": lambda p: (
            f"已摸排或有本地企业的环节{p['covered']}/{p['links']}个（覆盖率{p['coverage']:.0%}），"
            f"待评估{p['links'] - p['covered']}个；最近摸排日期{p['latest'] or '无'}"
            + (f"（最近摸排{p['latest']}，已超过{p['stale_after']}天）" if p["stale_after"] else "")),
        "mech_target_list": lambda p: f"目标企业{p['targets']}家（得分>0），已对接{p['contacted']}家（已联系及以后）",
        "mech_ledger": lambda p: (f"项目{p['projects']}个，计划总投资合计{p['planned_yi']:g}亿元"
                                  f"（{p['with_amount']}个有金额），要素齐全率{p['fill']:.0%}"),
        "mech_no_ledger": lambda p: "台账中尚无本链项目",
        "mech_leaders": lambda p: "链主：" + "；".join(f"{x['firm']}（{'、'.join(x['links'])}）" for x in p["leaders"]),
        "mech_no_leader": lambda p: "本地尚无标记为链主的企业",
        "metric_chain_map": lambda p: "覆盖率×新鲜度", "metric_target_list": lambda p: "½有清单＋½×已对接进度",
        "metric_project_ledger": lambda p: "½有台账＋½×要素齐全率", "metric_chain_leader": lambda p: "有链主记1",
        "metric_manual": lambda p: "已落实1／推进中½／未启动0",
        "metric_unproven": lambda p: "已落实但未附佐证，按推进中计",
        # a strategy that weighs 0 every mode a chain's opportunities are in (chainmap rank)
        "strategy_zeroes_modes": lambda p: (
            f"策略「{p['strategy']}」给{'、'.join(MODE_LABEL['zh'][m] for m in p['modes'])}的权重为0，"
            f"{_name(p['chain'], 'zh')}的机会环节" + ("都在其中，按它无企业可排" if p["empty"] else "中属于这些类型的企业不会上榜")
            + (f"；已改用默认策略「{p['fallback']}」排序" if p.get("fallback") else "")),
        # the project ledger (chainmap.analysis.ledger)
        "missing_fields": lambda p: "缺" + "、".join(FIELD_LABEL["zh"].get(f, f) for f in p["fields"]),
        "started_before_signed": lambda p: "动工时间早于签约时间",
    },
    "en": {
        "target_fill": _target("fill", "en"), "target_extend": _target("extend", "en"),
        "target_strengthen": _target("strengthen", "en"), "target_check": _target("check", "en"),
        "basis": lambda p: basis_text(p, "en"),
        "incumbents": lambda p: f"local incumbents: {', '.join(p['firms'])}",
        "supplies_local": lambda p: f"upstream of the city's [{_name(p['link'], 'en')}] ({p['firm']})",
        "buys_local": lambda p: f"can take the products of the city's [{_name(p['link'], 'en')}] ({p['firm']})",
        "honour": lambda p: _honour(p, "en"),
        "supplier_of": lambda p: f"already supplies {p['firm']}",
        "customer_of": lambda p: f"a customer of {p['firm']}",
        "signal": lambda p: _signal(p, "en"),
        "signal_plain": lambda p: _signal(p, "en", head=False),
        "team": lambda p: f"covered by {p['team']}",
        "channel": lambda p: f"{CHANNEL_LABEL['en'].get(p['channel'], p['channel'])}: {p['detail']}",
        "relatedness": lambda p: _relatedness(p, "en"),
        "placed_known": lambda p: "known", "placed_local": lambda p: "present here",
        "placed_integration": lambda p: "vertical integration (its link directly supplies or buys from this one)",
        "placed_classifier": lambda p: f"inferred (probability {p['probability']:.0%})",
        "placed_keywords": lambda p: "inferred (keyword match)",
        "inference_off": lambda p: "link inference: off (firms with no known link are not scored)",
        "inference_keywords": lambda p: "link inference: keywords of the products text (as set)",
        "inference_not_needed": lambda p: "link inference: not needed (every firm has a known link)",
        "inference_too_few": lambda p: (f"link inference: keywords of the products text ({p['labelled']} labelled firms "
                                        "are too few to train the text classifier)"),
        "inference_classifier": lambda p: (
            f"link inference: products-text classifier (trained on {p['trained']} of {p['labelled']} labelled firms, "
            f"{p['learned']} links learned"
            + (f"; the other {p['by_keyword']} links by keyword, too few examples" if p["by_keyword"] else "") + ")"),
        "gap_unassessed": lambda p: "unassessed: local firms not surveyed yet (unknown is not missing)",
        "gap_strong": lambda p: "strong link",
        "gap_strengthen": lambda p: "strengthen: present here but weak",
        "ev_leader": lambda p: f"chain leader {_firms(p['firms'], 'en')} is here",
        "ev_count": lambda p: (f"{len(p['firms'])} local firm{'s' if len(p['firms']) != 1 else ''} "
                               f"({_firms(p['firms'], 'en')})"),
        "ev_sufficiency": lambda p: f"local output meets {p['share']:.0%} of local downstream demand",
        "ev_scale": lambda p: f"local output about RMB {p['output_yi'] / 10:.1f} bn a year",
        "below_threshold": lambda p: f"strength {p['strength']:.2f} below {p['threshold']:.2f}",
        "local_firms": lambda p: f"local firms: {_firms(p['firms'], 'en')}",
        "gap_fill": lambda p: (f"fill: missing here, with {_links(p['up'], 'en')} upstream and "
                               f"{_links(p['down'], 'en')} downstream: a break in the local chain"),
        "gap_extend_down": lambda p: f"extend: missing here; {_links(p['up'], 'en')} upstream, so the chain can grow "
                                     "downstream",
        "gap_extend_up": lambda p: f"extend: missing here; {_links(p['down'], 'en')} downstream, so the chain can grow "
                                   "upstream",
        "gap_leap": lambda p: "extend: missing here, with no local link on either side (a leap)",
        "mech_chain_map": lambda p: (
            f"{p['covered']}/{p['links']} links surveyed or with a local firm (coverage {p['coverage']:.0%}), "
            f"{p['links'] - p['covered']} unassessed; latest survey {p['latest'] or 'none'}"
            + (f" (more than {p['stale_after']} days ago)" if p["stale_after"] else "")),
        "mech_target_list": lambda p: (f"{p['targets']} target firms (score > 0), {p['contacted']} in contact "
                                       "(contacted or further)"),
        "mech_ledger": lambda p: (f"{p['projects']} projects, planned investment RMB {p['planned_yi'] / 10:g} bn "
                                  f"({p['with_amount']} with an amount), records {p['fill']:.0%} complete"),
        "mech_no_ledger": lambda p: "no project of this chain in the ledger yet",
        "mech_leaders": lambda p: "chain leaders: " + "; ".join(f"{x['firm']} ({', '.join(x['links'])})"
                                                                for x in p["leaders"]),
        "mech_no_leader": lambda p: "no local firm is marked as chain leader yet",
        "metric_chain_map": lambda p: "coverage × freshness",
        "metric_target_list": lambda p: "½ for a list + ½ × contact progress",
        "metric_project_ledger": lambda p: "½ for a ledger + ½ × completeness of records",
        "metric_chain_leader": lambda p: "1 with a chain leader",
        "metric_manual": lambda p: "done 1 / in progress ½ / not started 0",
        "metric_unproven": lambda p: "done but without evidence: counted as in progress",
        "strategy_zeroes_modes": lambda p: (
            f"the strategy '{p['strategy']}' weighs {', '.join(MODE_LABEL['en'][m] for m in p['modes'])} 0; "
            + (f"every opportunity of {_name(p['chain'], 'en')} is of that kind, so it ranks nobody" if p["empty"]
               else f"firms of that kind on {_name(p['chain'], 'en')} cannot rank")
            + ("; ranked with the default strategy instead" if p.get("fallback") else "")),
        "missing_fields": lambda p: "missing: " + ", ".join(FIELD_LABEL["en"].get(f, f) for f in p["fields"]),
        "started_before_signed": lambda p: "started before it was signed",
    },
}
#: Codes followed by a colon rather than a semicolon (a head and its evidence), and the separator (zh, en)
#: put before some codes instead of the semicolon.
_HEADS = {"gap_strong", "gap_strengthen"}
_SEP_BEFORE = {"below_threshold": ("，", ", "), "started_before_signed": ("、", "; ")}


def reason_text(parts, lang: str = "zh") -> str:
    """A reason in words from the typed parts the core emits (``[(code, params), ...]``).

    Parts are joined with ``；`` (en: ``; ``); a head part (``gap_strong``,
    ``gap_strengthen``) with ``：``. An unknown code raises ``KeyError``
    naming it, so a code missing from :data:`REASONS` cannot pass unseen.

    Examples
    --------
    >>> parts = [("target_fill", {"links": [{"id": "pcb", "zh": "印制电路板", "en": "PCB"}], "by_text": [0.83]}),
    ...          ("buys_local", {"link": {"id": "ccl", "zh": "覆铜板", "en": "copper-clad laminate"}, "firm": "生益科技"}),
    ...          ("honour", {"list": "listed", "detail": "002916.SZ"})]
    >>> reason_text(parts)
    '补链：填补【印制电路板】空白（据主营产品推断，概率83%）；可承接本地【覆铜板】（生益科技）的产品；上市公司（002916.SZ）'
    >>> print(reason_text(parts, "en"))
    fill: fills the gap at [PCB] (inferred from its products: probability 83%); can take the products of the city's [copper-clad laminate] (生益科技); listed (002916.SZ)
    >>> reason_text([("gap_strengthen", {}), ("ev_count", {"firms": ["A", "B"]}),
    ...              ("below_threshold", {"strength": 0.4, "threshold": 2 / 3})])
    '强链：本地已有但偏弱：本地2家企业（A、B），强度0.40低于0.67'
    >>> reason_text([("no_such_code", {})])
    Traceback (most recent call last):
    ...
    KeyError: "no words for reason code 'no_such_code' in 'zh'"
    """
    table = REASONS["en" if lang == "en" else "zh"]
    lang = "en" if lang == "en" else "zh"
    out, after_head = "", False
    for k, (code, params) in enumerate(parts):
        if code not in table:
            raise KeyError(f"no words for reason code {code!r} in {lang!r}")
        text = table[code](params)
        if not text:
            continue
        if out:
            sep = _SEP_BEFORE.get(code, ("；", "; "))
            out += ("：" if lang == "zh" else ": ") if after_head else sep[lang == "en"]
        out += text
        after_head = code in _HEADS
    return out


def with_evidence(review: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A 八个一 review (:func:`chainmap.analysis.mechanism.mechanism_review`) with its evidence and metrics in words.

    Derived slots' ``evidence_parts`` become their ``evidence``; a manual
    slot keeps the evidence its owner typed. ``metric`` codes become words.

    Examples
    --------
    >>> r = pd.DataFrame({"evidence": ["", "清府办〔2026〕8号"], "metric": ["metric_chain_leader", "metric_manual"],
    ...                   "evidence_parts": [[("mech_no_leader", {})], []]})
    >>> with_evidence(r)[["evidence", "metric"]].values.tolist()
    [['本地尚无标记为链主的企业', '有链主记1'], ['清府办〔2026〕8号', '已落实1／推进中½／未启动0']]
    >>> with_evidence(r, "en")["metric"].tolist()
    ['1 with a chain leader', 'done 1 / in progress ½ / not started 0']
    """
    table = REASONS["en" if lang == "en" else "zh"]
    out = review.copy()
    if "evidence_parts" in out.columns:
        out["evidence"] = [reason_text(p, lang) if isinstance(p, list) and p else e
                           for p, e in zip(out["evidence_parts"], out["evidence"])]
    if "metric" in out.columns:
        out["metric"] = [table[m]({}) if m in table else m for m in out["metric"]]
    return out


def with_reasons(df: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """``df`` with a ``reason`` column rendered from its ``reason_parts``: the one place reasons become words.

    A ranked list (:meth:`chainmap.scoring.TargetScorer.rank`) holds its
    ``honour`` as a code (``listed``); it is worded here too, with its detail
    (``上市公司（002916.SZ）``). A frame without ``reason_parts``, or that
    already has words, is returned as it is.

    Examples
    --------
    >>> df = pd.DataFrame({"honour": ["FG500"], "reason_parts": [[("gap_leap", {}),
    ...                                                            ("honour", {"list": "FG500", "year": 2025})]]})
    >>> with_reasons(df)[["honour", "reason"]].values.tolist()
    [['世界500强（2025）', '延链：本地空白，且无本地上下游衔接（需跨越式引进）；世界500强（2025）']]
    >>> with_reasons(df, "en")["honour"].tolist()
    ['Fortune Global 500 (2025)']
    """
    if "reason_parts" not in df.columns or "reason" in df.columns:
        return df
    out = df.assign(reason=[reason_text(p, lang) for p in df["reason_parts"]])
    if "honour" in df.columns:
        out["honour"] = [reason_text([q for q in p if q[0] == "honour"], lang) for p in df["reason_parts"]]
    return out


# ------------------------------------------------------------------ one firm's score, for people (chainmap explain)
#: Score components (:data:`chainmap.scoring.weights.COMPONENTS`, and ``check``), as the explain text names them.
COMPONENT_LABEL = {
    "zh": {"fill": "补链分", "strengthen": "强链分", "extend": "延链分", "check": "待摸排分", "affinity": "以商引商",
           "relatedness": "产业关联", "tier": "企业层级", "propensity": "扩张意愿", "reach": "可触达",
           "gravity": "距离"},
    "en": {"fill": "fill", "strengthen": "strengthen", "extend": "extend", "check": "to survey",
           "affinity": "affinity", "relatedness": "relatedness", "tier": "tier", "propensity": "propensity",
           "reach": "reach", "gravity": "gravity"},
}
_EXPLAIN = {
    "zh": {"score": "综合得分：", "no_score": "—（与本链机会环节不匹配）", "mode": "  类型：",
           "expand": "  · 已在{city}投资，可增资扩产", "here": "本地", "components": "得分构成（值 × 权重）：",
           "links": "{mode}机会环节：", "link": "  【{name}】{status} 紧迫度{severity:.2f} 匹配{fit:.1f}（{basis}）",
           "honour": "荣誉资质", "signal": "扩张信号", "team": "责任先锋队", "channels": "触达渠道",
           "partners": "与本地企业关系", "colon": "：", "referrals": "以商引商路径：",
           "no_referral": "以商引商路径：暂无已知供应/股权关系",
           "factors": "  加权平均 × 匹配系数 {gate:.3f}（本类型匹配度 {fit:.3f} 的 {power:g} 次方） × 投资动量系数 {momentum:.3f}"
                      "（过往投资 {past:.3f}）"},
    "en": {"score": "score: ", "no_score": "— (fits no opportunity link of this chain)", "mode": "  mode: ",
           "expand": "  · already invests in {city}: could expand", "here": "the city",
           "components": "score components (value × weight):", "links": "{mode} opportunity links:",
           "link": "  [{name}] {status}, severity {severity:.2f}, fit {fit:.1f} ({basis})",
           "honour": "honours", "signal": "expansion signal", "team": "pioneer team", "channels": "access channels",
           "partners": "ties to local firms", "colon": ": ", "referrals": "referral paths (以商引商):",
           "no_referral": "referral paths (以商引商): no known supply or ownership tie yet",
           "factors": "  weighted mean × fit gate {gate:.3f} (fit in this mode {fit:.3f} to the power {power:g})"
                      " × momentum {momentum:.3f} (past investments {past:.3f})"},
}


def explain_text(info: dict, lang: str = "zh", city: str = "", chain: str = "", links: dict | None = None) -> str:
    """One firm's score breakdown (:meth:`chainmap.scoring.TargetScorer.explain`) as text, in ``lang``.

    ``city`` names the home city (``已在{city}投资``; blank: 本地 / the city),
    ``chain`` the chain (default its id) and ``links`` maps a link's id to its
    name in ``lang`` (default the Chinese name the scorer gives). The parts the
    scorer already rendered in ``lang`` (basis, honour, signal, channels,
    partners, referral steps) are used as they are.

    Examples
    --------
    >>> info = {"firm_id": "kblaminates", "name_zh": "建滔积层板", "chain": "electronics", "score": 0.65,
    ...         "mode": "strengthen", "expand": True,
    ...         "components": {"strengthen": {"value": 0.94, "weight": 1.0}, "gravity": {"value": 0.5, "weight": 0.65}},
    ...         "links": {"strengthen": [{"link_id": "ccl", "name_zh": "覆铜板", "status": "strengthen",
    ...                                   "severity": 0.28, "fit": 1.0, "basis_text": "本地已有"}]},
    ...         "honour": "", "signal": "", "team": "市招商先锋队（深圳）", "channels": "", "partners": "",
    ...         "referrals": [[("建滔集团", "供货给", "建滔积层板")]]}
    >>> print(explain_text(info, city="肇庆"), end="")
    建滔积层板（kblaminates） · electronics
    综合得分：0.65  类型：强链  · 已在肇庆投资，可增资扩产
    <BLANKLINE>
    得分构成（值 × 权重）：
      强链分    0.940 × 1
      距离     0.500 × 0.65
    强链机会环节：
      【覆铜板】强链 紧迫度0.28 匹配1.0（本地已有）
    责任先锋队：市招商先锋队（深圳）
    以商引商路径：
      建滔集团 供货给 建滔积层板
    >>> info["links"]["strengthen"][0]["basis_text"] = "present here"
    >>> print(explain_text(info, "en", city="Zhaoqing", chain="Electronics", links={"ccl": "copper-clad laminate"}), end="")
    建滔积层板 (kblaminates) · Electronics
    score: 0.65  mode: strengthen  · already invests in Zhaoqing: could expand
    <BLANKLINE>
    score components (value × weight):
      strengthen   0.940 × 1
      gravity      0.500 × 0.65
    strengthen opportunity links:
      [copper-clad laminate] strengthen, severity 0.28, fit 1.0 (present here)
    pioneer team: 市招商先锋队（深圳）
    referral paths (以商引商):
      建滔集团 供货给 建滔积层板
    """
    lang = "en" if lang == "en" else "zh"
    w, modes, links = _EXPLAIN[lang], MODE_LABEL[lang], links or {}
    head = f"{info['name_zh']}（{info['firm_id']}）" if lang == "zh" else f"{info['name_zh']} ({info['firm_id']})"
    lines = [f"{head} · {chain or info['chain']}",
             w["score"] + (str(info["score"]) if info["score"] is not None else w["no_score"])
             + (w["mode"] + modes.get(info["mode"], info["mode"]) if info["mode"] else "")
             + (w["expand"].format(city=city or w["here"]) if info["expand"] else ""), "", w["components"]]
    width = 6 if lang == "zh" else 12
    for k, c in info["components"].items():
        lines.append(f"  {COMPONENT_LABEL[lang].get(k, k):<{width}} {c['value']:.3f} × {c['weight']:g}")
    gate, momentum = info.get("fit_gate"), info.get("momentum")
    if info["score"] is not None and gate and momentum and (gate["factor"] != 1.0 or momentum["factor"] != 1.0):
        lines.append(w["factors"].format(gate=gate["factor"], fit=gate["value"], power=gate["power"],
                                         momentum=momentum["factor"], past=momentum["value"]))
    for m, items in info["links"].items():
        if items:
            lines.append(w["links"].format(mode=modes.get(m, m)))
            lines += [w["link"].format(name=links.get(d["link_id"]) or d["name_zh"],
                                       status=label(STATUS_LABEL, d["status"], lang), severity=d["severity"],
                                       fit=d["fit"], basis=d["basis_text"]) for d in items]
    for key in ("honour", "signal", "team", "channels", "partners"):
        if info[key]:
            text = info[key] + (" (city level)" if key == "team" and lang == "en" and info[key] == "市本级" else "")
            lines.append(f"{w[key]}{w['colon']}{text}")
    lines.append(w["referrals"] if info["referrals"] else w["no_referral"])
    for path in info["referrals"]:
        lines.append("  " + " → ".join(f"{a} {verb} {b}" for a, verb, b in path))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the 八个一 workbook, for people
#: Slot statuses (values of the ``mechanism`` table's ``status``), slot kinds, and the workbook's words.
SLOT_STATUS_LABEL = {"zh": {"已落实": "已落实", "推进中": "推进中", "未启动": "未启动"},
                     "en": {"已落实": "in place", "推进中": "in progress", "未启动": "not started"}}
MECHANISM_LABEL = {
    "zh": {"summary": "汇总", "chain": "产业链", "completeness": "机制完备度", "slots": "事项数",
           "slot": "序号", "name_zh": "事项", "kind": "类型", "status": "状态", "score": "得分",
           "owner": "责任单位/人", "evidence": "进展与佐证", "updated_on": "更新日期", "metric": "计分方法",
           "derived": "系统派生", "manual": "手工填报"},
    "en": {"summary": "Summary", "chain": "chain", "completeness": "completeness", "slots": "slots",
           "slot": "no.", "name_zh": "item", "kind": "kind", "status": "status", "score": "score",
           "owner": "owner", "evidence": "progress and evidence", "updated_on": "updated on", "metric": "scored as",
           "derived": "derived", "manual": "manual"},
}
# ------------------------------------------------------------------ problems with input, and import decisions
# The catalogue is chainmap.io.messages (it sits with the io layer, which raises the problems, so that str(problem)
# can be English for logs); here it is said in the user's language for the CLI, the app and exports.

def problem_text(problem, lang: str = "zh") -> str:
    """One :class:`~chainmap.io.Problem` in words, without its place.

    Examples
    --------
    >>> from chainmap.io import Problem
    >>> problem_text(Problem("a.xlsx", "negative_amount", {"value": "-5"}, row=3, column="营业收入"))
    "金额为负数 '-5'：金额须大于或等于零"
    >>> problem_text(Problem("a.xlsx", "required", row=3, column="企业名称"), "en")
    'required, but empty'
    """
    return problem.text("en" if lang == "en" else "zh")


def problem_line(problem, lang: str = "zh") -> str:
    """One problem with its place: file, sheet, row and column, then what is wrong.

    Examples
    --------
    >>> from chainmap.io import Problem
    >>> problem_line(Problem("a.xlsx", "required", row=3, column="企业名称", sheet="目标企业"))
    'a.xlsx，工作表「目标企业」，第 3 行，「企业名称」：必填，但为空'
    >>> problem_line(Problem("a.xlsx", "required", row=3, column="企业名称", sheet="目标企业"), "en")
    "a.xlsx, sheet '目标企业', row 3, column '企业名称': required, but empty"
    """
    return problem.line("en" if lang == "en" else "zh")


def error_text(err, lang: str = "zh") -> str:
    """An :class:`~chainmap.io.InputError` in words, one line per problem (the first 20, then how many more).

    Examples
    --------
    >>> from chainmap.io import InputError, Problem
    >>> print(error_text(InputError([Problem("m.csv", "utf16")])))
    m.csv：文件是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”
    """
    return err.text(lang)
