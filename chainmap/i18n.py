"""Words for people, in Chinese (the default) and English, rendered at the edge (CLI, app, exports).

The words themselves are in one catalogue, :mod:`chainmap.io.messages` (labels, reasons, problems, import
decisions, the store's and the command line's errors), low in the layers so that the io layer can say its
problems too; this module renders them: labels, reasons, score breakdowns, the audit trail, problems and errors.
"""
from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from .io.messages import (CHANNEL_LABEL, CLI_HEADERS as _CLI_HEADERS, CLI_WORDS as _CLI_WORDS, COLUMN_LABEL,
                          IMPORT_ACTION_LABEL, UNMATCHED_LABEL, COMPONENT_LABEL, EXPLAIN_WORDS as _EXPLAIN, FIELD_LABEL,
                          HISTORY_HEADERS as _HEADERS, HONOUR_LABEL, KIND_LABEL as _KIND_LABEL,
                          MAINTAIN_LABEL as _MAINTAIN_LABEL, MECHANISM_LABEL, METHOD_LABEL, MODE_LABEL,
                          OP_LABEL as _OP_LABEL, REASON_HEADS as _HEADS, REASON_SEP_BEFORE as _SEP_BEFORE,
                          RELATION_LABEL, SCORE_REASONS as REASONS, SIGNAL_LABEL, SLOT_STATUS_LABEL, STAGE_LABEL,
                          STATUS_LABEL, TABLE_LABEL as _TABLE_LABEL, basis_words)

__all__ = ["STATUS_LABEL", "STAGE_LABEL", "COLUMN_LABEL", "label", "basis_text", "CST", "today", "local_time", "action_text",
           "history_view", "HONOUR_LABEL", "CHANNEL_LABEL", "MODE_LABEL", "RELATION_LABEL", "METHOD_LABEL", "method_label", "with_evidence", "SIGNAL_LABEL", "FIELD_LABEL", "REASONS", "reason_text", "with_reasons",
           "COMPONENT_LABEL", "explain_text", "SLOT_STATUS_LABEL", "MECHANISM_LABEL",
           "problem_text", "problem_line", "error_text", "cli_text", "cli_headers",
           "IMPORT_ACTION_LABEL", "UNMATCHED_LABEL"]



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
    return basis_words(basis, lang)


# ------------------------------------------------------------------ the audit trail, for people
#: China Standard Time. A fixed offset, not a zone database: China has had no daylight saving since 1991,
#: and an intranet server may lack tzdata.
CST = dt.timezone(dt.timedelta(hours=8), "CST")


def today() -> dt.date:
    """Today in Beijing time, whatever the machine's zone (a server in UTC is still on yesterday until 08:00
    there): the day the app and the command line stamp, review and check dates against."""
    return dt.datetime.now(CST).date()


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


# ------------------------------------------------------------------ the command line's own words
def cli_text(code: str, params: dict | None = None, lang: str = "zh") -> str:
    """A summary, title or file name of the ``chainmap`` command (:data:`chainmap.io.messages.CLI_WORDS`) in
    ``lang``.

    Examples
    --------
    >>> cli_text("graph_title", {"name": "电子信息"}), cli_text("graph_title", {"name": "Electronics"}, "en")
    ('电子信息产业链图谱（现状）', 'Electronics chain map (current)')
    >>> cli_text("flagged", {"n": 2})
    '，标记 2（注销/吊销/退市）'
    """
    template = _CLI_WORDS[code][0 if lang == "en" else 1]
    return template(dict(params or {})) if callable(template) else template.format_map(params or {})


def cli_headers(table: str, lang: str = "zh") -> dict[str, str]:
    """The headers of one table the ``chainmap`` command prints, column → words in ``lang``: the table's own
    (:data:`chainmap.io.messages.CLI_HEADERS`) over the common column labels (:data:`COLUMN_LABEL`).

    Examples
    --------
    >>> cli_headers("chains")["name_zh"], cli_headers("chains")["links"], cli_headers("chains", "en")["name_zh"]
    ('产业链', '环节数', 'name_zh')
    """
    lang = "en" if lang == "en" else "zh"
    own = {c: words[0 if lang == "en" else 1] for c, words in _CLI_HEADERS.get(table, {}).items()}
    return {**COLUMN_LABEL.get(lang, {}), **own}
