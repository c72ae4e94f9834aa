"""Parse cells: text as read → typed values of the table's columns, and the one formula policy.

A cell *would run as a formula* when it starts with ``=``, ``+``, ``-`` or
``@`` and is not a number (``-1``, ``+3.5``, ``-1,200`` are numbers; a lone
``-`` is the usual "none" of exchange downloads). Such a cell, and a formula
cell of a workbook, is refused with its row and column, or with
``formulas="text"`` stored as text behind an apostrophe (``'=A1*2``): never
raw, so nothing imported can run when the data are exported again.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

from ...model import Tables
from ..errors import Invalid
from ..names import validate_uscc
from ..schemas import FOLLOWUP_STATUS, HONOUR_LEVELS, HONOUR_LISTS, SPECS, VERIFIED
from ..values import parse_amount_yi, parse_date
from .headers import KINDS, norm
from .sources import status_of

__all__ = ["Vocabulary", "Formula", "FORMULA_POLICIES", "formula_like", "cell_text", "Bad", "values"]

#: How formula-like cells are handled: refused (default) or kept as text behind an apostrophe.
FORMULA_POLICIES = ("refuse", "text")

_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?%?", re.IGNORECASE)


class Formula(str):
    """The text of a workbook cell that holds a formula (never evaluated)."""


def formula_like(text: str) -> bool:
    """Whether a text cell would run as a formula in a spreadsheet.

    Examples
    --------
    >>> [formula_like(s) for s in ["=SUM(A1:A3)", "+1", "-1", "-1,200.5", "-", "@x", "-x", "建滔", "'=A1"]]
    [True, False, False, False, False, True, True, False, False]
    """
    return (len(text) > 1 and text[0] in "=+-@" and _NUMBER.fullmatch(text) is None) or text == "="


def cell_text(v) -> str:
    """A cell's value as text: dates ``YYYY-MM-DD``, whole floats without ``.0``, booleans ``true``/``false``.

    Examples
    --------
    >>> cell_text(56000.0), cell_text(1.5), cell_text(dt.datetime(2026, 3, 8)), cell_text(None), cell_text(" 建滔 ")
    ('56000', '1.5', '2026-03-08', '', '建滔')
    """
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.timedelta):  # a time of day: kept as Excel shows it
        s = int(v.total_seconds())
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
    if isinstance(v, dt.time):
        return v.isoformat()
    return str(v).strip()


@dataclass(frozen=True)
class Vocabulary:
    """Names users write for chains, links and firms, mapped to their ids.

    Keys are normalised (:func:`~chainmap.io.importing.headers.norm`): ids,
    Chinese and English names and firm aliases all resolve. ``firm_names=False``
    leaves ``firms`` empty (the import pipeline matches firms with its matcher).
    """

    chains: dict[str, str]
    links: dict[str, list[tuple[str, str]]]
    firms: dict[str, str]
    chain_names: dict[str, str] = field(default_factory=dict)
    firm_ids: frozenset = frozenset()
    link_ids: frozenset = frozenset()

    @classmethod
    def from_tables(cls, tables: Tables, firm_names: bool = True) -> "Vocabulary":
        chains = {}
        for cid, zh, en in zip(tables.chains["id"], tables.chains["name_zh"], tables.chains["name_en"]):
            for k in (cid, zh, en):
                if k:
                    chains[norm(k)] = cid
        links: dict[str, list[tuple[str, str]]] = {}
        for lid, ch, zh, en in zip(tables.links["id"], tables.links["chain"], tables.links["name_zh"],
                                   tables.links["name_en"]):
            for k in dict.fromkeys(x for x in (lid, zh, en) if x):
                links.setdefault(norm(k), []).append((lid, ch))
        firms = {}
        f = tables.firms
        for fid, zh, aliases in zip(f["id"], f["name_zh"], f["aliases"]) if firm_names else ():
            firms.setdefault(norm(fid), fid)
            firms.setdefault(norm(zh), fid)
            for a in (aliases or "").split("|"):
                if a.strip():
                    firms.setdefault(norm(a), fid)
        return cls(chains, links, firms, dict(zip(tables.chains["id"], tables.chains["name_zh"])),
                   frozenset(f["id"]), frozenset(tables.links["id"]))


# Cells that name something and so may hold no line breaks or tabs either.
NAME_COLUMNS = {"name_zh", "name_en", "firm", "src", "dst", "investor_name", "name", "id", "firm_id", "src_id",
                "dst_id", "investor_id", "credit_code"}

STAGE_SYNONYMS = {"已签约": "签约", "已注册": "注册", "已供地": "供地", "已动工": "动工", "开工": "动工", "已开工": "动工",
                  "在建": "动工", "已投产": "投产", "已达产": "达产", "在谈": "洽谈", "洽谈中": "洽谈", "储备": "线索"}
KIND_SYNONYMS = {"首签": "首次签约", "新签": "首次签约", "新签约": "首次签约", "增资": "增资扩产", "扩产": "增资扩产",
                 "升级": "项目升级", "变更投资方": "投资方变更"}

SYNONYMS: dict[str, dict[str, str]] = {
    "list": {"世界500强": "FG500", "财富世界500强": "FG500", "fortune500": "FG500", "fortuneglobal500": "FG500",
             "中国企业500强": "CN500", "中国500强": "CN500", "中国民营企业500强": "CN_PRIVATE500",
             "民营企业500强": "CN_PRIVATE500", "民营500强": "CN_PRIVATE500", "制造业单项冠军": "single_champion",
             "单项冠军": "single_champion", "制造业单项冠军示范企业": "single_champion",
             "专精特新小巨人": "little_giant", "专精特新“小巨人”": "little_giant", "国家级专精特新小巨人": "little_giant",
             "小巨人": "little_giant", "上市企业": "listed", "上市公司": "listed", "上市": "listed"},
    "level": {"全球": "global", "国际": "global", "国家级": "national", "全国": "national", "国家": "national",
              "省级": "provincial", "省": "provincial", "交易所": "exchange", "上市": "exchange"},
    "hq_region": {"珠三角": "PRD", "长三角": "YRD", "京津冀": "BTH", "国内其他": "other_cn", "其他": "other_cn",
                  "境外": "overseas", "海外": "overseas", "港澳台": "overseas"},
    "verified": {"已核实": "yes", "是": "yes", "部分核实": "partial", "未核实": "no", "否": "no", "示意": "illustrative"},
    "type": {"供应": "SUPPLIES_TO", "供货": "SUPPLIES_TO", "供应商": "SUPPLIES_TO", "供应关系": "SUPPLIES_TO",
             "隶属": "PART_OF", "子公司": "PART_OF", "下属企业": "PART_OF", "控股": "PART_OF", "集团关系": "PART_OF"},
    "status": {"未联系": "未对接", "待对接": "未对接", "联系": "已联系", "已电话联系": "已联系", "拜访": "已拜访",
               "已走访": "已拜访", "走访": "已拜访", "意向": "有意向", "有投资意向": "有意向", "签约": "已签约",
               "暂停": "暂缓", "搁置": "暂缓"},
    "stage": STAGE_SYNONYMS,
    "signing_kind": KIND_SYNONYMS,
}
_CHOICES = {"list": HONOUR_LISTS, "level": HONOUR_LEVELS, "verified": VERIFIED, "type": ("SUPPLIES_TO", "PART_OF"),
            "status": FOLLOWUP_STATUS}
_TRUE, _FALSE = {"true", "1", "yes", "y", "是", "t"}, {"false", "0", "no", "n", "否", "f", ""}


class Bad(Exception):
    """One bad cell, ``((column, code, params))``: becomes a Problem naming the row and the header as written."""


@functools.cache
def _control_class(keep: str) -> re.Pattern:
    """Control and invisible format characters (Cc, Cf) but those in ``keep``: built on first need (scanning the
    code points takes ~0.4 s, which a process that never checks a cell should not pay)."""
    codes = [c for c in range(0x30000) if unicodedata.category(chr(c)) in ("Cc", "Cf") and chr(c) not in keep]
    return re.compile("[" + "".join(re.escape(chr(c)) for c in codes) + "]")


# Control and invisible format characters (Cc, Cf); notes may keep line breaks and tabs.
_KEEP_IN_TEXT, _KEEP_IN_NAME = "\t\n\r", ""


def text(v: str, col: str, formulas: str = "refuse") -> str:
    """A text cell checked: no formula (see the module), no control characters."""
    if isinstance(v, Formula) or formula_like(v):
        if formulas == "text":
            v = "'" + v
        else:
            raise Invalid("formula" if isinstance(v, Formula) else "formula_like", text=v[:40])
    # str.isprintable() is False for every Cc and Cf character (and for Zs but ' ', Zl, Zp, Cs, Co, Cn), so a
    # printable string holds none: only the others need the character class.
    hit = None if v.isprintable() else _control_class(_KEEP_IN_NAME if col in NAME_COLUMNS else _KEEP_IN_TEXT).search(v)
    if hit:
        raise Invalid("control_char", char=f"U+{ord(hit.group()):04X}", text=v)
    return v


def _choice(v: str, col: str) -> str:
    if not v:
        return v
    allowed = _CHOICES[col]
    if v in allowed:
        return v
    hit = SYNONYMS.get(col, {}).get(norm(v)) or SYNONYMS.get(col, {}).get(v)
    if hit is None:
        lowered = {a.lower(): a for a in allowed}
        hit = lowered.get(v.lower())
    if hit is None:
        words = sorted(k for k in SYNONYMS.get(col, {}) if len(k) > 2)[:6]
        raise Invalid("not_one_of", value=v, allowed=list(allowed), synonyms=words)
    return hit


def _int(v: str, lo: int, hi: int) -> int | None:
    if not v:
        return None
    s = unicodedata.normalize("NFKC", v).removesuffix("年")
    try:
        f = float(s)
    except ValueError:
        raise Invalid("not_whole_number", value=v) from None
    if not math.isfinite(f) or f != int(f):
        raise Invalid("not_whole_number", value=v)
    if not lo <= f <= hi:
        raise Invalid("out_of_range", lo=lo, hi=hi, value=v)
    return int(f)


def _bool(v: str) -> bool:
    low = v.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise Invalid("not_yes_no", value=v)


def _not_after(iso: str, today: dt.date, what: str) -> str:
    """Refuse a date later than ``today`` at its own precision (2027 is later than 2026-12-31)."""
    if iso and iso > today.isoformat()[: len(iso)]:
        raise Invalid("date_after_today", what=what, date=iso, today=today.isoformat())
    return iso


@functools.cache
def _columns_of(kind: str) -> dict:
    """Column name → column spec of the table an import kind fills (made once per kind, asked once per row)."""
    return {c.name: c for c in SPECS[KINDS[kind]].columns}


def values(cells: dict[str, str], units: dict[str, str | None], kind: str, today: dt.date,
           formulas: str = "refuse") -> dict:
    """Text cells of one row → typed values; the first bad cell raises :class:`Bad` ``((column, code, params))``.

    Examples
    --------
    >>> values({"name_zh": "建滔集团", "revenue_yi": "56000"}, {"revenue_yi": "万元"}, "firms", dt.date(2026, 1, 1))
    {'name_zh': '建滔集团', 'revenue_yi': 5.6}
    >>> values({"name_zh": "=HYPERLINK(1)"}, {}, "firms", dt.date(2026, 1, 1), formulas="text")
    {'name_zh': "'=HYPERLINK(1)"}
    """
    kinds = _columns_of(kind)
    rec = {}
    for col, raw in cells.items():
        try:
            c = kinds.get(col)
            if c is None or c.kind in ("str", "slug"):
                v = text(raw, col, formulas)
                if kind == "firms" and col == "status":  # a firm's 登记状态, not a contact's 对接状态
                    v = status_of(v) or v
                else:
                    v = _choice(v, col) if col in _CHOICES else SYNONYMS.get(col, {}).get(v, v)
                if c is not None and c.choices is not None and v and v not in c.choices:
                    raise Invalid("not_one_of", value=v, allowed=list(c.choices))
            else:
                v = text(raw, col)  # a number, date or flag is never kept as text
                if c.kind == "float":
                    v = parse_amount_yi(v, units.get(col) or "亿元")
                elif c.kind == "int":
                    v = _int(v, int(c.min or 0), int(c.max or 10**9))
                elif c.kind == "bool":
                    v = _bool(v)
                elif c.kind == "date":
                    v = parse_date(v)
                    if col in ("signed_on", "contact_date"):
                        v = _not_after(v, today, col)
        except Invalid as e:
            raise Bad((col, e.code, e.params)) from None
        except ValueError as e:  # a parser outside chainmap's own
            raise Bad((col, "other", {"message": str(e)})) from None
        rec[col] = v
    code = rec.get("credit_code", "")
    if code and not validate_uscc(code):
        raise Bad(("credit_code", "invalid_credit_code", {"code": code}))
    return rec
