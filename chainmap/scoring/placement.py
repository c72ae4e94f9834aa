"""Placing firms on links by their industry classes, and saying on what basis.

DESIGN.md "Placement": a firm sits on a link with a fit and a basis, in this
order of trust:

1. ``known``: an operations row (fit 1);
2. a **fine industry class** the link declares (``gb_codes``: GB/T 4754-2017,
   a code matching itself and finer codes; ``sw_l3``: 申万2021 level 3;
   ``tushare``: a Tushare class specific enough) — basis ``gb``, ``sw`` or
   ``tushare``;
3. the firm's **products or business-scope text** (the link classifier, else
   the keyword match: :mod:`chainmap.scoring.engine`) — ``classifier`` /
   ``keywords``;
4. a **coarse class** (``coarse`` entries ``system:value`` such as
   ``csrc:C39``, ``tushare:元器件``) never places a firm alone: only where
   words of the firm's name or business scope name the link
   (``coarse_words``), or where coarse classes of at least two systems agree on
   at most ``max_links`` links (``coarse_classes``: 申万「铜」 and 证监会 C39
   leave only 电子铜箔), and the firm's finest class (申万 level 3, GB) does not
   say it makes something else: a firm whose 申万 class or GB code no link
   declares at all (圣邦股份, 申万「模拟芯片设计」) is not placed by the coarse
   classes it shares with the chain (Tushare 半导体, C39). The scorer splits the
   coarse fit over the links so narrowed down, so a firm spread over three
   guesses weighs as much as one placed on one.
5. a **past investment event** on the link (``event``): a firm that built or
   expanded a plant for it before the reference date (``events`` with a
   ``link_id``) is placed there with ``ScoringParams.event_fit`` on every
   link nothing above placed it on — a fertiliser maker that built a
   cathode plant makes cathodes now, whatever its 申万 class says.

Firms of a class in ``never_place`` (banks, insurers, property developers …)
are placed by nothing but an operations row: not by class or text, and not
by a past investment event either, since a link's classes are manufacturing
ones and a bank or developer an event names as a plant's investor financed
or hosts it (a developer's 产业园) without making what the link makes.

Everything here is a sparse product or a loop over *distinct* class values and
links, never over firms. The core emits each basis as codes and values
(:func:`describe`); the words, zh and en, are :func:`chainmap.i18n.basis_text`.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["SYSTEMS", "FIRM_COLUMN", "BASIS", "NEVER_PLACE", "normalise_class", "firm_classes", "class_matrix",
           "excluded",
           "fine_fit", "coarse_fit", "describe", "basis_zh"]

#: Classification systems, in the order a basis names them.
SYSTEMS = ("gb", "sw", "tushare", "csrc")
#: The firm column holding each system's class.
FIRM_COLUMN = {"gb": "gb_industry", "sw": "sw_l3", "tushare": "ts_industry", "csrc": "csrc_division"}
#: The link column listing each system's fine classes (csrc has none: it is coarse everywhere).
_FINE_COLUMN = {"gb": "gb_codes", "sw": "sw_l3", "tushare": "tushare"}
_PREFIX = {"gb": True, "sw": False, "tushare": False, "csrc": True}  # codes match finer codes
#: Basis codes stored in ``TargetScorer.basis_`` (0 = no fit).
BASIS = ("", "known", "gb", "sw", "tushare", "classifier", "keywords", "coarse_words", "coarse_classes", "event")
#: Classes never placed on a link by class or text: finance and real estate (GB/T 4754-2017 sections
#: J 66-69 and K 70, CSRC J and K, their 申万2021 level-3 and Tushare classes).
NEVER_PLACE = ("gb:66", "gb:67", "gb:68", "gb:69", "gb:70", "csrc:J", "csrc:K",
               "sw:国有大型银行Ⅲ", "sw:股份制银行Ⅲ", "sw:城商行Ⅲ", "sw:农商行Ⅲ", "sw:证券Ⅲ", "sw:保险Ⅲ",
               "sw:信托", "sw:期货", "sw:租赁", "sw:资产管理", "sw:金融控股", "sw:其他多元金融",
               "sw:金融信息服务", "sw:住宅开发", "sw:商业地产", "sw:产业地产", "sw:房产租赁经纪", "sw:物业管理",
               "tushare:银行", "tushare:证券", "tushare:保险", "tushare:多元金融", "tushare:全国地产",
               "tushare:区域地产", "tushare:房产服务", "tushare:园区开发")
#: The start of a residual 申万 class (其他电子Ⅲ, 其他化学原料 …): it names no trade.
RESIDUAL = "其他"
_CSRC = re.compile(r"^\s*([A-Za-z])\s*(\d{2})?")


def normalise_class(system: str, values: pd.Series) -> pd.Series:
    """One spelling per class: GB codes as digits, CSRC as letter + 2 digits, names stripped.

    Examples
    --------
    >>> normalise_class("gb", pd.Series(["C3982", "3982 电子电路制造", ""])).tolist()
    ['3982', '3982', '']
    >>> normalise_class("csrc", pd.Series(["C39计算机、通信和其他电子设备制造业", "c 39", "K"])).tolist()
    ['C39', 'C39', 'K']
    """
    codes, distinct = pd.factorize(values.fillna("").astype(str))  # each distinct class once: 10^6 firms
    out = np.array([_normalise_one(system, v) for v in distinct] + [""], dtype=object)[codes]  # -1 (missing): blank
    return pd.Series(out, index=values.index, dtype=object)


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _normalise_one(system: str, value) -> str:
    """:func:`normalise_class` of one value, without a frame: ``describe`` runs once per shown reason.

    >>> [_normalise_one("gb", "C3982"), _normalise_one("csrc", " c 39 电子"), _normalise_one("sw", None)]
    ['3982', 'C39', '']
    """
    v = "" if _blank(value) else str(value).strip()
    if system == "gb":
        m = re.search(r"(\d{2,4})", v)
        return m.group(1) if m else ""
    if system == "csrc":
        m = _CSRC.search(v)
        return m.group(1).upper() + (m.group(2) or "") if m else ""
    return v


def _split(cell) -> list[str]:
    return [v.strip() for v in str(cell or "").split("|") if v.strip()]


def class_matrix(values: pd.Series, lists: list[list[str]], prefix: bool) -> sp.csr_matrix:
    """Rows = firms, columns = lists: 1 where the firm's class is in the list (or extends it, ``prefix``).

    Examples
    --------
    >>> m = class_matrix(pd.Series(["3982", "3061", "", "398"]), [["398"], ["3061", "3062"]], prefix=True)
    >>> m.toarray().astype(int).tolist()
    [[1, 0], [0, 1], [0, 0], [1, 0]]
    """
    codes, distinct = pd.factorize(values.where(values != ""))
    rows, cols = [], []
    for d, v in enumerate(distinct):  # distinct classes x lists: never a loop over firms
        for j, lst in enumerate(lists):
            if any(v == c or (prefix and v.startswith(c)) for c in lst):
                rows.append(d)
                cols.append(j)
    dm = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(distinct) + 1, len(lists)))
    return dm[np.where(codes < 0, len(distinct), codes)].tocsr()  # missing -> the empty last row


def firm_classes(firms: pd.DataFrame) -> dict[str, pd.Series]:
    """Each system's class of every firm, normalised (:func:`normalise_class`); blank where unknown."""
    return {s: normalise_class(s, firms[c] if c in firms else pd.Series("", index=firms.index))
            for s, c in FIRM_COLUMN.items()}


def excluded(firms: pd.DataFrame, never_place=NEVER_PLACE, classes: dict | None = None) -> np.ndarray:
    """Firms in a class of ``never_place`` (``system:value`` entries): never placed by class or text.

    Examples
    --------
    >>> f = pd.DataFrame({"sw_l3": ["股份制银行Ⅲ", "印制电路板"], "csrc_division": ["", "K70房地产业"]})
    >>> excluded(f).tolist()
    [True, True]
    """
    cls = classes if classes is not None else firm_classes(firms)
    out = np.zeros(len(firms), dtype=bool)
    for s in SYSTEMS:
        lst = [v.partition(":")[2] for v in never_place if v.partition(":")[0] == s]
        if lst:
            out |= class_matrix(cls[s].reset_index(drop=True), [lst], _PREFIX[s]).getnnz(axis=1) > 0
    return out


def fine_fit(firms: pd.DataFrame, links: pd.DataFrame, classes: dict | None = None) -> sp.csr_matrix:
    """Firm × link basis codes (:data:`BASIS`) of the fine-class placements.

    The first system that places a firm on a link names the basis (GB before
    申万 before Tushare).
    """
    cls = classes if classes is not None else firm_classes(firms)
    out = sp.csr_matrix((len(firms), len(links)))
    for s in ("tushare", "sw", "gb"):  # later systems overwrite: gb wins
        col = _FINE_COLUMN[s]
        lists = [_split(v) for v in (links[col] if col in links else [""] * len(links))]
        m = class_matrix(cls[s].reset_index(drop=True), lists, _PREFIX[s])
        out = out - out.multiply(m) + m * BASIS.index(s)
    out = out.tocsr()
    out.eliminate_zeros()
    return out


def _coarse_lists(links: pd.DataFrame) -> dict[str, list[list[str]]]:
    rows = [_coarse_of(v) for v in (links["coarse"] if "coarse" in links else [""] * len(links))]
    return {s: [row[s] for row in rows] for s in SYSTEMS}


def _coarse_of(cell) -> dict[str, list[str]]:
    """One link's coarse classes by system (``"gb:39|sw:电子"`` → ``{"gb": ["39"], "sw": ["电子"], …}``)."""
    entries = [e.partition(":") for e in _split(cell)]
    return {s: [v for system, _, v in entries if system == s] for s in SYSTEMS}


def link_words(links: pd.DataFrame) -> list[list[str]]:
    """The words that name each link: its name, keywords and scope words (2 characters or more)."""
    return [_words_of(r) for r in links.to_dict("records")]


def _words_of(link: dict) -> list[str]:
    words = [link["name_zh"], *_split(link.get("keywords")), *_split(link.get("scope_words"))]
    return [w for w in dict.fromkeys(words) if len(w) >= 2]


def firm_words_text(firms: pd.DataFrame) -> pd.Series:
    """Name, aliases and business scope of each firm: the text coarse classes are confirmed by."""
    parts = [firms[c].fillna("").astype(str) for c in ("name_zh", "aliases", "business_scope") if c in firms]
    return parts[0].str.cat(parts[1:], sep=" ") if parts else pd.Series("", index=firms.index)


def word_hits(text: pd.Series, words: list[list[str]]) -> sp.csr_matrix:
    """Rows = texts, columns = links: 1 where a word of the link occurs in the text (one regex per link)."""
    text = text.reset_index(drop=True)
    codes, distinct = pd.factorize(text)
    d = pd.Series(distinct, dtype=object)
    rows, cols = [], []
    for j, ws in enumerate(words):
        if ws and len(d):
            r = np.flatnonzero(d.str.contains("|".join(map(re.escape, ws)), regex=True).to_numpy())
            rows.append(r)
            cols.append(np.full(len(r), j))
    r = np.concatenate(rows) if rows else np.zeros(0, int)
    c = np.concatenate(cols) if cols else np.zeros(0, int)
    dm = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(d), len(words)))
    return dm[codes].tocsr() if len(text) else sp.csr_matrix((0, len(words)))


def coarse_fit(firms: pd.DataFrame, links: pd.DataFrame, rows: np.ndarray, max_links: int = 1,
               classes: dict | None = None) -> sp.csr_matrix:
    """Firm × link basis codes of the coarse-class placements of the firms at ``rows``.

    ``coarse_words`` where a link of one of the firm's coarse classes is named
    by words of its name or business scope; otherwise ``coarse_classes`` where
    coarse classes of two or more systems, each spanning several links, share
    1 to ``max_links`` links (and the firm's other coarse classes include them),
    unless the firm's 申万 level-3 class or GB code is one no link declares
    (its finest class names another trade: a veto); a residual 申万 class
    (:data:`RESIDUAL`: 其他电子Ⅲ, 其他化学原料) names no trade and vetoes nothing.
    """
    shape = (len(firms), len(links))
    if not len(rows):
        return sp.csr_matrix(shape)
    lists = _coarse_lists(links)
    cls = classes if classes is not None else firm_classes(firms)
    per = [class_matrix(cls[s].iloc[rows], lists[s], _PREFIX[s]) for s in SYSTEMS]
    # Only firms with a coarse class some link declares go on: the word search is the costly step.
    has = np.flatnonzero(sum(m.getnnz(axis=1) for m in per) > 0)
    rows, per = rows[has], [m[has] for m in per]
    if not len(rows):
        return sp.csr_matrix(shape)
    sub = firms.iloc[rows].reset_index(drop=True)
    member = sp.csr_matrix(sum((m > 0).astype(float) for m in per))
    union = (member > 0).astype(float)
    words = union.multiply(word_hits(firm_words_text(sub), link_words(links))).tocsr()
    has_words = words.getnnz(axis=1) > 0
    n_sys = sum((m.getnnz(axis=1) > 0).astype(int) for m in per)
    # Links in every system's set: member count equals the number of systems the firm has a coarse class in.
    common = sp.csr_matrix(member)
    common.data = (common.data >= np.repeat(n_sys, np.diff(common.indptr))).astype(float)
    common.eliminate_zeros()
    k = common.getnnz(axis=1)
    # Only classes that span several links narrow anything: a class declared by one link alone would
    # decide by itself (装修装饰 + E50 are both only 系统门窗's), which a coarse class must never do. So
    # at least two systems must each span 2+ links, and those broad sets alone must agree on <= max_links.
    broad = [sp.diags((m.getnnz(axis=1) >= 2).astype(float)) @ (m > 0).astype(float) for m in per]
    n_broad = sum((b.getnnz(axis=1) > 0).astype(int) for b in broad)
    narrowed = sp.csr_matrix(sum(broad))
    narrowed.data = (narrowed.data >= np.repeat(n_broad, np.diff(narrowed.indptr))).astype(float)
    narrowed.eliminate_zeros()
    k_broad = narrowed.getnnz(axis=1)
    # The veto: a fine class (申万 L3, GB) the firm has but no link declares, finely or coarsely. A residual
    # class (申万「其他…」: 其他电子Ⅲ, 其他化学原料, 其他塑料制品) names no trade, so it vetoes nothing.
    veto = np.zeros(len(rows), dtype=bool)
    for s_ in ("sw", "gb"):
        declared = [sorted({c for lst in lists[s_] for c in lst} | {c for v in (
            links[_FINE_COLUMN[s_]] if _FINE_COLUMN[s_] in links else []) for c in _split(v)})]
        val = cls[s_].iloc[rows].reset_index(drop=True)
        specific = (val != "").to_numpy() & ~val.str.startswith(RESIDUAL).to_numpy()
        veto |= specific & (class_matrix(val, declared, _PREFIX[s_]).getnnz(axis=1) == 0)
    # Three systems agreeing are three independent votes: enough even when one is narrow (联创电子:
    # 申万「光学元件」, Tushare 元器件 and C39 meet only on 显示面板).
    three = (n_sys >= 3) & (n_broad >= 2)
    ok = (~has_words) & ~veto & (k >= 1) & (k <= max_links) & (
        ((n_broad >= 2) & (k_broad >= 1) & (k_broad <= max_links)) | three)
    pick = sp.diags(has_words.astype(float)) @ words * BASIS.index("coarse_words") + \
        sp.diags(ok.astype(float)) @ common * BASIS.index("coarse_classes")
    pick = sp.coo_matrix(pick)
    return sp.csr_matrix((pick.data, (rows[pick.row], pick.col)), shape=shape)


def describe(firm: dict, link: dict, code: int) -> dict:
    """The basis of one placement as codes and values (rendered by :func:`basis_zh`).

    Examples
    --------
    >>> describe({"sw_l3": "印制电路板"}, {"name_zh": "印制电路板"}, BASIS.index("sw"))
    {'basis': 'class', 'system': 'sw', 'value': '印制电路板', 'link': '印制电路板'}
    """
    kind = BASIS[code]
    cls = {s: _normalise_one(s, firm.get(c, "")) for s, c in FIRM_COLUMN.items()}
    if kind in ("gb", "sw", "tushare"):
        return {"basis": "class", "system": kind, "value": cls[kind], "link": link["name_zh"]}
    if kind in ("coarse_words", "coarse_classes"):
        lists = _coarse_of(link.get("coarse"))
        classes = [(s, cls[s]) for s in SYSTEMS
                   if cls[s] and any(cls[s] == c or (_PREFIX[s] and cls[s].startswith(c)) for c in lists[s])]
        out = {"basis": "coarse", "method": "words" if kind == "coarse_words" else "classes",
               "classes": classes, "link": link["name_zh"]}
        if kind == "coarse_words":
            # one firm's firm_words_text
            text = " ".join("" if _blank(firm[c]) else str(firm[c])
                            for c in ("name_zh", "aliases", "business_scope") if c in firm)
            out["word"] = next((w for w in _words_of(link) if w in text), "")
        return out
    return {"basis": kind, "link": link["name_zh"]}


def basis_zh(b: dict) -> str:
    """A placement basis in words for officers (:func:`chainmap.i18n.basis_text`, zh).

    Examples
    --------
    >>> basis_zh({"basis": "class", "system": "gb", "value": "3982", "link": "印制电路板"})
    '按国标行业3982归入【印制电路板】'
    """
    from ..i18n import basis_text

    return basis_text(b, "zh")
