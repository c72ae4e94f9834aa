"""Match the firm names of users' spreadsheets to the firms of ``seeds/firms.csv``.

:class:`FirmMatcher` tries, in order, and stops at the first level that finds
anything: the credit code; the exact name; the normalised name
(:func:`~chainmap.io.names.normalise_name`); the core name
(:func:`~chainmap.io.names.core_name`); a known name as the *root* of a longer
one (建滔化工 → part of 建滔集团); and finally difflib similarity.

Decisions
---------
* Nothing uncertain is merged: several firms on one key, a root followed by a
  word that is not a generic industry word (美的置业, 格力地产), and every
  difflib match (similarity ≥ 0.75) give ``method="fuzzy_review"`` with
  ``firm_id=None`` and the ``candidates`` for a person to choose.
* A regional subsidiary (建滔（佛冈）积层板有限公司) or a root match gives
  ``method="group"``: ``firm_id`` is the firm it is *part of* and
  ``group_path`` climbs the PART_OF relations (kblaminates → kingboard). The
  importer records it as a local entity of that firm, never as a rename.
"""
from __future__ import annotations

import difflib
from collections import Counter
from itertools import chain
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from .names import PLACES, bracketed_regions, core_key, normalise_name, strip_leading_places, validate_uscc

__all__ = ["Match", "FirmMatcher", "AUTO_METHODS"]

#: Methods whose ``firm_id`` the importer may use without asking.
AUTO_METHODS = frozenset({"credit_code", "exact", "normalised", "alias", "group"})
_SCORES = {"credit_code": 1.0, "exact": 1.0, "normalised": 0.97, "alias": 0.95, "group": 0.9}
FUZZY_MIN = 0.75
#: At most this many names, those sharing the most character pairs, are compared by difflib.
FUZZY_CANDIDATES = 50
#: A character pair found in more names than this (科技, 材料) does not pick candidates.
COMMON_PAIR = 1000
#: Words that may follow a known firm name in a subsidiary's name (建滔 + 化工).
GENERIC_WORDS = frozenset(
    "科技 发展 化工 电子 电器 电气 新材料 材料 电池 新能源 能源 机车 电动车 电动 车业 工业 制造 精密 铜业 铝业 "
    "铜箔 积层板 覆铜板 电路 线路板 电路板 动力 智能 汽车 技术 产业 集团 控股 股份 玻纤 玻璃纤维 智造 零部件 部件 "
    "锂电 半导体 新能源汽车 "
    "chemical chemicals electronics electronic technology materials energy new holdings holding group".split()
)
_SEGMENT_WORDS = sorted(GENERIC_WORDS | PLACES | {"省", "市", "县", "区"}, key=len, reverse=True)


@dataclass(frozen=True)
class Match:
    """The answer for one name.

    ``firm_id`` is set only for the methods in :data:`AUTO_METHODS`; for
    ``fuzzy_review`` it is ``None`` and ``candidates`` lists the firms to choose
    from, best first.
    """

    name: str
    firm_id: str | None
    method: str
    score: float
    candidates: tuple[str, ...] = ()
    group_path: tuple[str, ...] = ()
    note: str = ""

    @property
    def review(self) -> bool:
        return self.method == "fuzzy_review"


def _exact_key(name) -> str:
    if not isinstance(name, str):
        return ""
    s = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in s if not ch.isspace() and unicodedata.category(ch)[0] != "C").lower()


def _parts(name: str) -> list[str]:
    """A seed name, its text outside brackets, and each non-place bracket content."""
    if not isinstance(name, str) or not name.strip():
        return []
    s = unicodedata.normalize("NFKC", name)
    out = [s, re.sub(r"\([^()]*\)", "", s)]
    out += [c for c in re.findall(r"\(([^()]*)\)", s) if c.strip() and c not in bracketed_regions(f"({c})")]
    return [p for p in dict.fromkeys(p.strip() for p in out) if p]


def _only_generic(rest: str) -> bool:
    while rest:
        for w in _SEGMENT_WORDS:
            if rest.startswith(w):
                rest = rest[len(w):]
                break
        else:
            return False
    return True


class FirmMatcher:
    """Match names (and credit codes) to firm ids.

    Parameters
    ----------
    firms : DataFrame
        With columns ``id``, ``name_zh``, ``name_en``, ``aliases`` (``|``-separated);
        an optional ``credit_code`` column is used for credit-code matches, and
        so is an id or alias that is a valid 统一社会信用代码.
    relations : DataFrame, optional
        With ``src``, ``dst``, ``type``; ``PART_OF`` rows give ``group_path``.
    aliases : dict, optional
        Extra ``{name: firm_id}`` (e.g. former names such as 建滔化工集团).

    Examples
    --------
    >>> firms = pd.DataFrame({"id": ["kingboard", "kblaminates"], "name_zh": ["建滔集团", "建滔积层板"],
    ...     "name_en": ["Kingboard Holdings", "Kingboard Laminates Holdings"],
    ...     "aliases": ["建滔|Kingboard", "建滔积层板|KBL"]})
    >>> rel = pd.DataFrame({"src": ["kblaminates"], "dst": ["kingboard"], "type": ["PART_OF"]})
    >>> m = FirmMatcher(firms, rel)
    >>> m.match("Kingboard Holdings Limited").firm_id
    'kingboard'
    >>> hit = m.match("建滔（佛冈）积层板有限公司")
    >>> hit.method, hit.firm_id, hit.group_path
    ('group', 'kblaminates', ('kblaminates', 'kingboard'))
    >>> m.match("建滔化工集团有限公司").method
    'group'
    >>> m.match("美的置业").method
    'none'
    """

    def __init__(self, firms: pd.DataFrame, relations: pd.DataFrame | None = None, aliases: dict | None = None):
        self._exact: dict[str, dict[str, str]] = {}
        self._norm: dict[str, dict[str, str]] = {}
        self._core: dict[str, dict[str, str]] = {}
        self._codes: dict[str, str] = {}
        self._regions: dict[str, set[str]] = {}
        self._parent: dict[str, str] = {}
        for rec in firms.fillna("").astype(str).to_dict("records"):
            fid = rec["id"].strip()
            if not fid:
                continue
            names = _parts(rec.get("name_zh", "")) + _parts(rec.get("name_en", ""))
            als = [a.strip() for a in rec.get("aliases", "").split("|") if a.strip()]
            self._regions[fid] = set(bracketed_regions(rec.get("name_zh", "")))
            for n in names:
                self._add(n, fid, "name")
            for a in als:
                self._add(a, fid, "alias")
            code = "".join(rec.get("credit_code", "").split()).upper()
            if code:
                self._codes[code] = fid
            for c in [fid, *als]:
                if validate_uscc(c):
                    self._codes.setdefault(_code(c), fid)
        for name, fid in (aliases or {}).items():
            self._add(name, fid, "alias")
        if relations is not None and len(relations):
            rel = relations.fillna("").astype(str)
            for src, dst in rel.loc[rel["type"] == "PART_OF", ["src", "dst"]].itertuples(index=False):
                self._parent.setdefault(src, dst)
        # Character pairs → normalised keys: difflib only sees names that share some.
        self._pairs: dict[str, list[str]] = {}
        for key in self._norm:
            for pair in _pairs_of(key):
                self._pairs.setdefault(pair, []).append(key)

    def _add(self, name: str, fid: str, source: str) -> None:
        n0 = normalise_name(name, strip_places=False)
        n1 = strip_leading_places(n0)
        for index, key in ((self._exact, _exact_key(name)), (self._norm, n0), (self._norm, n1),
                           (self._core, core_key(n0)), (self._core, core_key(n1))):
            if key:
                hits = index.setdefault(key, {})
                if hits.get(fid) != "name":  # a name beats an alias for the method label
                    hits[fid] = source

    def group_path(self, firm_id: str) -> tuple[str, ...]:
        """The firm and the firms it is PART_OF, nearest first."""
        path = [firm_id]
        while path[-1] in self._parent and self._parent[path[-1]] not in path:
            path.append(self._parent[path[-1]])
        return tuple(path)

    def firm_of_code(self, code) -> str | None:
        """The firm whose credit code this is, if the library knows it."""
        return self._codes.get(_code(code)) if isinstance(code, str) else None

    def _lookup(self, index: dict, keys: list[str]) -> dict[str, str]:
        for k in keys:
            if k and k in index:
                return index[k]
        return {}

    def match(self, name, credit_code=None) -> Match:
        """Match one name (and optionally its 统一社会信用代码). See the class doc."""
        name = name if isinstance(name, str) else ("" if name is None or name != name else str(name))
        note = ""
        if credit_code is not None and isinstance(credit_code, str) and credit_code.strip():
            code = _code(credit_code)
            if not validate_uscc(code):
                note = f"credit code {credit_code!r} fails the GB 32100 check; matched by name"
            elif code in self._codes:
                fid = self._codes[code]
                return Match(name, fid, "credit_code", 1.0, (fid,), self.group_path(fid))
        if not _exact_key(name):
            return Match(name, None, "none", 0.0, note=note or "blank name")
        regions = set(bracketed_regions(name))
        n0 = normalise_name(name, strip_places=False)
        keys = list(dict.fromkeys([n0, strip_leading_places(n0)]))
        levels = (
            (self._exact, [_exact_key(name)], None),
            (self._norm, keys, "normalised"),
            (self._core, [core_key(k) for k in keys], "normalised"),
        )
        for index, keys, label in levels:
            hits = self._lookup(index, keys)
            if len(hits) > 1:
                cands = tuple(sorted(hits))
                return Match(name, None, "fuzzy_review", 1.0, cands,
                             note=_join(note, f"several firms are named {keys[0]!r}"))
            if len(hits) == 1:
                fid, source = next(iter(hits.items()))
                if regions and not regions <= self._regions.get(fid, set()):
                    return Match(name, fid, "group", _SCORES["group"], (fid,), self.group_path(fid),
                                 _join(note, f"regional entity ({'、'.join(sorted(regions))}) of {fid}"))
                method = "alias" if source == "alias" else (label or "exact")
                return Match(name, fid, method, _SCORES[method], (fid,), self.group_path(fid), note)
        root = self._root(keys)
        if root is not None:
            key, fids, generic = root
            if len(fids) == 1 and generic:
                fid = next(iter(fids))
                return Match(name, fid, "group", _SCORES["group"], (fid,), self.group_path(fid),
                             _join(note, f"name starts with {key!r}: part of {fid}?"))
            return Match(name, None, "fuzzy_review", 0.8, tuple(sorted(fids)),
                         note=_join(note, f"name starts with {key!r}"))
        return self._fuzzy(name, keys, note)

    def _root(self, keys: list[str]):
        best = None
        for q in keys:
            for end in range(len(q) - 1, 1, -1):
                key = q[:end]
                if key in self._norm and (best is None or len(key) > len(best[0])):
                    rest = re.sub(r"\([^()]*\)", "", q[end:])
                    best = (key, set(self._norm[key]), _only_generic(rest))
                    break
        return best

    def _fuzzy(self, name: str, keys: list[str], note: str) -> Match:
        scored: dict[str, float] = {}
        for q in keys:
            if len(q) < 2:
                continue
            sm = difflib.SequenceMatcher(autojunk=False)
            sm.set_seq2(q)
            lists = sorted((self._pairs.get(p, ()) for p in _pairs_of(q)), key=len)
            lists = [ks for ks in lists if len(ks) <= COMMON_PAIR] or lists[:1]
            shared = Counter(chain.from_iterable(lists))
            for key, _ in shared.most_common(FUZZY_CANDIDATES):
                # Indel similarity (2·LCS/total, in C) bounds difflib's ratio from above: a cheaper quick_ratio.
                if _indel(key, q) < FUZZY_MIN:
                    continue
                sm.set_seq1(key)
                r = sm.ratio()
                if r >= FUZZY_MIN:
                    for fid in self._norm[key]:
                        scored[fid] = max(scored.get(fid, 0.0), r)
        if not scored:
            return Match(name, None, "none", 0.0, note=note)
        cands = tuple(sorted(scored, key=lambda f: (-scored[f], f)))
        return Match(name, None, "fuzzy_review", round(scored[cands[0]], 3), cands[:5],
                     note=_join(note, "similar names; choose or create a firm"))

    def match_all(self, names, credit_codes=None) -> pd.DataFrame:
        """Match many names; one row per name, in order, with the input's index.

        Columns: name, firm_id, method, score, review, candidates (``|``-joined),
        group_path (``>``-joined), note. Repeated names are matched once.

        Examples
        --------
        >>> firms = pd.DataFrame({"id": ["byd"], "name_zh": ["比亚迪"], "name_en": ["BYD"], "aliases": ["比亚迪|BYD"]})
        >>> FirmMatcher(firms).match_all(["比亚迪股份有限公司", "BYD", "小鹏"])["method"].tolist()
        ['normalised', 'exact', 'none']
        """
        s = pd.Series(names) if not isinstance(names, pd.Series) else names
        codes = (pd.Series(credit_codes, index=s.index) if credit_codes is not None
                 else pd.Series([None] * len(s), index=s.index, dtype=object))
        cache: dict = {}
        rows = []
        for n, c in zip(s.tolist(), codes.tolist()):
            k = (n if isinstance(n, str) else repr(n), c if isinstance(c, str) else None)
            if k not in cache:
                cache[k] = self.match(n, c if isinstance(c, str) else None)
            m = cache[k]
            rows.append({"name": m.name, "firm_id": m.firm_id, "method": m.method, "score": m.score,
                         "review": m.review, "candidates": "|".join(m.candidates),
                         "group_path": ">".join(m.group_path), "note": m.note})
        cols = ["name", "firm_id", "method", "score", "review", "candidates", "group_path", "note"]
        return pd.DataFrame(rows, columns=cols, index=s.index)


try:
    from rapidfuzz.distance.Indel import normalized_similarity as _indel
except ImportError:  # without rapidfuzz: difflib's own upper bound (slower, the same matches)
    def _indel(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio()


def _code(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def _pairs_of(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b
