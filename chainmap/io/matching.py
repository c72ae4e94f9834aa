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

from .messages import match_note
from .names import PLACES, CharTable, bracketed_regions, core_key, name_key_and_regions, normalise_name, \
    place_words, strip_leading_places, validate_uscc

__all__ = ["Match", "FirmMatcher", "AUTO_METHODS"]

#: Methods whose ``firm_id`` the importer may use without asking.
AUTO_METHODS = frozenset({"credit_code", "exact", "normalised", "alias", "group"})
_SCORES = {"credit_code": 1.0, "exact": 1.0, "normalised": 0.97, "alias": 0.95, "group": 0.9}
FUZZY_MIN = 0.75
#: At most this many names, those sharing the most character pairs, are compared by difflib.
FUZZY_CANDIDATES = 50
#: A character pair found in more names than this (科技, 材料) does not pick candidates.
COMMON_PAIR = 1000
_BATCH = 2000  # names per sparse product in :meth:`FirmMatcher.prime`
_GAPS = 32  # length gaps told apart when a batch's shortlists are cut before sorting
_CACHE = 60_000  # matched names kept (a batch is at most 20,000 rows' names)
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
    notes: tuple = ()  # ((code, ((param, value), …)), …): worded by chainmap.io.messages.match_note

    @property
    def review(self) -> bool:
        return self.method == "fuzzy_review"

    @property
    def note(self) -> str:
        """The notes in English (:func:`~chainmap.io.messages.match_note`; ``match_note(m.notes, "zh")`` in
        Chinese)."""
        return match_note(self.notes, "en")


#: Characters an exact key leaves out: spaces and control/format characters (decided once per character).
_EXACT_DROP = CharTable(lambda ch: ch.isspace() or unicodedata.category(ch)[0] == "C")


def _exact_key(name) -> str:
    if not isinstance(name, str):
        return ""
    return unicodedata.normalize("NFKC", name).translate(_EXACT_DROP).lower()


def _parts(name: str, places: frozenset[str] = frozenset()) -> list[str]:
    """A seed name, its text outside brackets, and each non-place bracket content."""
    if not isinstance(name, str) or not name.strip():
        return []
    s = unicodedata.normalize("NFKC", name)
    if "(" not in s:  # no bracket: the name alone
        return [s.strip()] if s.strip() else []
    out = [s, re.sub(r"\([^()]*\)", "", s)]
    out += [c for c in re.findall(r"\(([^()]*)\)", s) if c.strip() and c not in bracketed_regions(f"({c})", places)]
    return [p for p in dict.fromkeys(p.strip() for p in out) if p]


def _only_generic(rest: str, words=_SEGMENT_WORDS) -> bool:
    while rest:
        for w in words:
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
    places : iterable of str, optional
        The workspace's own counties and parks (``City.counties`` and
        ``City.parks``), stripped from the front of names like the provinces
        and cities of ``places.txt``: a 肇庆 workspace matches
        肇庆市高要区金利电机 to 金利电机.

    Examples
    --------
    >>> firms = pd.DataFrame({"id": ["kingboard", "kblaminates"], "name_zh": ["建滔集团", "建滔积层板"],
    ...     "name_en": ["Kingboard Holdings", "Kingboard Laminates Holdings"],
    ...     "aliases": ["建滔|Kingboard", "建滔积层板|KBL"]})
    >>> rel = pd.DataFrame({"src": ["kblaminates"], "dst": ["kingboard"], "type": ["PART_OF"]})
    >>> m = FirmMatcher(firms, rel, places=["佛冈县"])   # the workspace's counties (city.toml)
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

    def __init__(self, firms: pd.DataFrame, relations: pd.DataFrame | None = None, aliases: dict | None = None,
                 places=()):
        self._places = place_words(places)
        self._segment_words = sorted(set(_SEGMENT_WORDS) | self._places, key=len, reverse=True) if self._places \
            else _SEGMENT_WORDS
        self._exact: dict[str, dict[str, str]] = {}
        self._norm: dict[str, dict[str, str]] = {}
        self._core: dict[str, dict[str, str]] = {}
        self._codes: dict[str, str] = {}
        self._regions: dict[str, set[str]] = {}
        self._parent: dict[str, str] = {}
        self._cache: dict[str, Match] = {}
        self._names: dict[str, str] = {}  # name → normalise_name(name), made while matching it (see name_key)
        self._order: dict[str, int] | None = None  # normalised key → its place (ties are broken by it)
        self._pm = None  # the sparse pair × key matrix of :meth:`_pair_matrix`
        def column(c: str) -> list[str]:  # one column as Python strings (no per-row dicts)
            if c not in firms:
                return [""] * len(firms)
            return ["" if v is None or v != v or v is pd.NA else str(v) for v in firms[c].tolist()]

        for fid, name_zh, name_en, also, credit_code in zip(*map(column, ("id", "name_zh", "name_en", "aliases",
                                                                             "credit_code"))):
            fid = fid.strip()
            if not fid:
                continue
            names = _parts(name_zh, self._places) + _parts(name_en, self._places)
            als = [a.strip() for a in also.split("|") if a.strip()]
            self._regions[fid] = set(bracketed_regions(name_zh, self._places))
            for n in names:
                self._add(n, fid, "name")
            for a in als:
                self._add(a, fid, "alias")
            code = "".join(credit_code.split()).upper()
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
        n0 = normalise_name(name, strip_places=False, places=self._places)
        n1 = strip_leading_places(n0, self._places)
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
        """Match one name (and optionally its 统一社会信用代码). See the class doc.

        A name matched before (alone, or by :meth:`prime`) is answered from a cache.
        """
        cacheable = isinstance(name, str) and not (isinstance(credit_code, str) and credit_code.strip())
        if cacheable:
            hit = self._cache.get(name)
            if hit is not None:
                return hit
        m = self._match(name, credit_code)
        if isinstance(m, tuple):
            m = self._fuzzy(*m)
        if cacheable:
            self._remember(name, m)
        return m

    def prime(self, names) -> None:
        """Match many names at once (each distinct name once), so that :meth:`match` answers them from the cache.

        The names that no key finds are compared in one batch: the character pairs they share with the known
        names are counted by a sparse product (the same counts, the same candidates as :meth:`match` alone).

        Examples
        --------
        >>> firms = pd.DataFrame({"id": ["byd", "jxcu"], "name_zh": ["比亚迪股份有限公司", "江西铜业股份有限公司"],
        ...                       "name_en": "", "aliases": ""})
        >>> m = FirmMatcher(firms)
        >>> m.prime(["比亚迪", "江西铜叶股份有限公司", "比亚迪"])
        >>> hit = m.match("江西铜叶股份有限公司")
        >>> hit.method, hit.candidates, m.match("比亚迪").firm_id
        ('fuzzy_review', ('jxcu',), 'byd')
        """
        pending = []
        distinct = dict.fromkeys(n for n in names if isinstance(n, str))
        if len(self._cache) + len(distinct) > _CACHE:  # room for the whole batch: none of it is dropped half-way
            self._cache.clear()
        for n in distinct:
            if n in self._cache:
                continue
            m = self._match(n, None)
            if isinstance(m, tuple):
                pending.append(m)
            else:
                self._remember(n, m)
        for i in range(0, len(pending), _BATCH):
            part = pending[i:i + _BATCH]
            for (n, keys, note), shortlist in zip(part, self._shortlists([keys for _, keys, _ in part])):
                self._remember(n, self._fuzzy(n, keys, note, shortlist))

    def name_key(self, name) -> str:
        """:func:`~chainmap.io.names.normalise_name` of ``name``, kept from matching it when it was matched lately.

        Examples
        --------
        >>> m = FirmMatcher(pd.DataFrame({"id": ["jxcu"], "name_zh": ["江西铜业股份有限公司"], "name_en": "",
        ...                               "aliases": ""}))
        >>> m.match("清远市钛美铝业有限公司").method, m.name_key("清远市钛美铝业有限公司"), m.name_key("江西铜业")
        ('none', '钛美铝业', '江西铜业')
        """
        key = self._names.get(name) if isinstance(name, str) else None
        return key if key is not None else strip_leading_places(
            normalise_name(name, strip_places=False, places=self._places), self._places)

    def regions(self, name) -> list[str]:
        """The places in brackets in ``name`` (a regional subsidiary's mark), the workspace's own counties and
        parks among them (:func:`~chainmap.io.names.bracketed_regions` with this matcher's ``places``).

        Examples
        --------
        >>> m = FirmMatcher(pd.DataFrame({"id": ["kblaminates"], "name_zh": ["建滔积层板"]}), places=["佛冈县"])
        >>> m.regions("建滔（佛冈）积层板有限公司"), FirmMatcher(pd.DataFrame({"id": []})).regions("建滔（佛冈）积层板")
        (['佛冈'], [])
        """
        return bracketed_regions(name, self._places)

    def _remember(self, name: str, m: Match) -> None:
        if len(self._cache) >= _CACHE + _BATCH:  # bounded: a file of a million distinct names is not held twice
            self._cache.clear()
        self._cache[name] = m

    def _match(self, name, credit_code=None):
        """A :class:`Match`, or ``(name, keys, notes)`` for a name only the fuzzy comparison can answer."""
        name = name if isinstance(name, str) else ("" if name is None or name != name else str(name))
        note = ()
        if credit_code is not None and isinstance(credit_code, str) and credit_code.strip():
            code = _code(credit_code)
            if not validate_uscc(code):
                note = (("bad_credit_code", (("code", credit_code),)),)
            elif code in self._codes:
                fid = self._codes[code]
                return Match(name, fid, "credit_code", 1.0, (fid,), self.group_path(fid))
        exact = _exact_key(name)
        if not exact:
            return Match(name, None, "none", 0.0, notes=note or (("blank_name", ()),))
        n0, regions = name_key_and_regions(name, self._places)  # one pass for the key and the regions
        regions = set(regions)
        keys = list(dict.fromkeys([n0, strip_leading_places(n0, self._places)]))
        if len(self._names) >= _CACHE + _BATCH:
            self._names.clear()
        self._names[name] = keys[-1]
        levels = (
            (self._exact, [exact], None),
            (self._norm, keys, "normalised"),
            (self._core, None, "normalised"),  # core keys made only when the stricter keys find nothing
        )
        for index, keys, label in levels:
            if keys is None:
                keys = [core_key(k) for k in levels[1][1]]
            hits = self._lookup(index, keys)
            if len(hits) > 1:
                cands = tuple(sorted(hits))
                return Match(name, None, "fuzzy_review", 1.0, cands,
                             notes=note + (("several_named", (("key", keys[0]),)),))
            if len(hits) == 1:
                fid, source = next(iter(hits.items()))
                if regions and not regions <= self._regions.get(fid, set()):
                    return Match(name, fid, "group", _SCORES["group"], (fid,), self.group_path(fid),
                                 note + (("regional_of", (("regions", "、".join(sorted(regions))), ("firm", fid))),))
                method = "alias" if source == "alias" else (label or "exact")
                return Match(name, fid, method, _SCORES[method], (fid,), self.group_path(fid), note)
        root = self._root(keys)
        if root is not None:
            key, fids, generic = root
            if len(fids) == 1 and generic:
                fid = next(iter(fids))
                return Match(name, fid, "group", _SCORES["group"], (fid,), self.group_path(fid),
                             note + (("starts_with_part", (("key", key), ("firm", fid))),))
            return Match(name, None, "fuzzy_review", 0.8, tuple(sorted(fids)),
                         notes=note + (("starts_with", (("key", key),)),))
        return name, keys, note

    def _root(self, keys: list[str]):
        best = None
        for q in keys:
            for end in range(len(q) - 1, 1, -1):
                key = q[:end]
                if key in self._norm and (best is None or len(key) > len(best[0])):
                    rest = re.sub(r"\([^()]*\)", "", q[end:])
                    best = (key, set(self._norm[key]), _only_generic(rest, self._segment_words))
                    break
        return best

    def _pair_lists(self, q: str) -> list[list[str]]:
        """The known keys sharing each character pair of ``q`` (common pairs left out), in a fixed order."""
        return [self._pairs[p] for p in self._pair_keys(q)]

    def _shortlist(self, q: str) -> list[str]:
        """The :data:`FUZZY_CANDIDATES` known keys sharing most character pairs with ``q``.

        Ties go to the key closest in length to ``q`` (the one that can be most similar), then to the key known
        first: the same names get the same candidates in every run.
        """
        shared = Counter(chain.from_iterable(self._pair_lists(q)))
        order = self._key_order()
        return sorted(shared, key=lambda k: (-shared[k], abs(len(k) - len(q)), order[k]))[:FUZZY_CANDIDATES]

    def _key_order(self) -> dict[str, int]:
        if self._order is None:
            self._order = {k: i for i, k in enumerate(self._norm)}
        return self._order

    def _pair_matrix(self):
        """Character pairs × known keys (a key's pairs are 1), the pairs' row numbers, the keys' lengths."""
        if self._pm is None:
            import numpy as np
            from scipy import sparse

            order = self._key_order()
            rows = {p: i for i, p in enumerate(self._pairs)}
            lens = np.fromiter(map(len, self._pairs.values()), dtype=np.int64, count=len(rows))
            cols = np.fromiter(map(order.__getitem__, chain.from_iterable(self._pairs.values())), dtype=np.int32,
                               count=int(lens.sum()))
            indptr = np.concatenate([[0], np.cumsum(lens)])
            pk = sparse.csr_matrix((np.ones(len(cols), dtype=np.int32), cols, indptr), shape=(len(rows), len(order)))
            klen = np.fromiter(map(len, order), dtype=np.int32, count=len(order))
            keys = np.empty(len(order), dtype=object)
            keys[:] = list(order)
            self._pm = pk, rows, klen, keys
        return self._pm

    def _shortlists(self, queries: list[list[str]]) -> list[dict[str, list[str]]]:
        """:meth:`_shortlist` of every key of many names, from one sparse product (queries × pairs × keys).

        Only the (query, key) pairs that can be in a query's top :data:`FUZZY_CANDIDATES` are sorted: a query's
        keys sharing fewer pairs than its 50th best are dropped first (a histogram of the counts per query), so
        the sort sees a few hundred pairs per query instead of every key sharing one pair.
        """
        import numpy as np
        from scipy import sparse

        pk, rows, klen, keys = self._pair_matrix()
        qs = list(dict.fromkeys(q for ks in queries for q in ks if len(q) >= 2))
        qrow, qcol = [], []
        for i, q in enumerate(qs):
            for p in self._pair_keys(q):
                qrow.append(i)
                qcol.append(rows[p])
        out: dict[str, list[str]] = {}
        if qs and qrow:
            nq = len(qs)
            qm = sparse.csr_matrix((np.ones(len(qrow), dtype=np.int32), (qrow, qcol)), shape=(nq, len(rows)))
            shared = (qm @ pk).tocsr()
            # int32 throughout and in place: a batch has tens of millions of (query, key) pairs.
            row = np.repeat(np.arange(nq, dtype=np.int32), np.diff(shared.indptr))
            idx, cnt = shared.indices, shared.data
            qlen = np.fromiter(map(len, qs), dtype=np.int32, count=nq)
            gap = klen[idx]
            gap -= qlen[row]
            np.abs(gap, out=gap)
            # Most keys share one pair with a query and tie: a histogram per query of (count, length gap), the
            # gap capped, finds the worst rank its best FUZZY_CANDIDATES keys can have; keys ranked worse go.
            top = int(cnt.max()) + 1 if len(cnt) else 1
            bins = top * _GAPS
            rank_of = np.minimum(gap, _GAPS - 1)
            rank_of -= cnt * _GAPS
            rank_of += (top - 1) * _GAPS
            where = row * bins if nq * bins < 1 << 31 else row.astype(np.int64) * bins
            where += rank_of
            hist = np.bincount(where, minlength=nq * bins).reshape(nq, bins)
            del where
            upto = hist.cumsum(axis=1)
            enough = upto >= FUZZY_CANDIDATES
            worst = np.where(enough.any(axis=1), np.argmax(enough, axis=1), bins - 1).astype(np.int32)
            wr = worst[row]
            keep = rank_of <= wr
            # The worst kept bin is mostly a tie of thousands of keys sharing one pair at one length gap, which
            # the key known first breaks: of such a bin (gap not capped) only the keys in the first blocks of
            # 4096 keys that can hold the places left are kept (a second histogram, by query and key block).
            edge = np.flatnonzero(rank_of == wr)
            del rank_of, wr
            q_edge = row[edge]
            exact = (worst[q_edge] % _GAPS) < _GAPS - 1
            edge, q_edge = edge[exact], q_edge[exact]
            if len(edge):
                qi = np.arange(nq)
                left = FUZZY_CANDIDATES - (upto[qi, worst] - hist[qi, worst])  # places the worst bin fills
                block = idx[edge] >> 12
                nb = int(block.max()) + 1
                h2 = np.bincount(q_edge.astype(np.int64) * nb + block, minlength=nq * nb).reshape(nq, nb)
                last = np.argmax(h2.cumsum(axis=1) >= left[:, None], axis=1)
                keep[edge[block > last[q_edge]]] = False
                del block, h2
            del edge, q_edge, exact, upto
            row, idx, cnt = row[keep].astype(np.int64), idx[keep], cnt[keep]
            gap = np.minimum(gap[keep], 4095).astype(np.int64)
            per = np.bincount(row, minlength=nq)
            starts = np.concatenate([[0], np.cumsum(per)[:-1]])
            # One sort of what is left: by query, then most pairs shared, closest length, key known first.
            if nq < 1 << 16 and len(keys) < 1 << 22:  # the four keys packed in one int64: one plain sort
                packed = (row << 46) | ((4095 - np.minimum(cnt, 4095).astype(np.int64)) << 34) | \
                    (gap << 22) | idx.astype(np.int64)
                packed.sort()
                srow, sidx = packed >> 46, packed & ((1 << 22) - 1)
            else:
                order = np.lexsort((idx, gap, -cnt, row))
                srow, sidx = row[order], idx[order]
            rank = np.arange(len(srow)) - starts[srow]
            ends = np.cumsum(np.minimum(per, FUZZY_CANDIDATES))
            picked = keys[sidx[rank < FUZZY_CANDIDATES]].tolist()  # the keys themselves, gathered in C
            start = 0
            for q, end in zip(qs, ends.tolist()):
                out[q] = picked[start:end]
                start = end
        return [{q: out.get(q, []) for q in ks} for ks in queries]

    def _pair_keys(self, q: str) -> list[str]:
        """The pairs of ``q`` whose lists :meth:`_pair_lists` keeps (only pairs some known key has)."""
        pairs = sorted((p for p in _pairs_of(q) if p in self._pairs), key=lambda p: (len(self._pairs[p]), p))
        if len(pairs) < len(_pairs_of(q)):  # a pair no key has: an empty list, kept, so no fallback
            return [p for p in pairs if len(self._pairs[p]) <= COMMON_PAIR]
        return [p for p in pairs if len(self._pairs[p]) <= COMMON_PAIR] or pairs[:1]

    def _fuzzy(self, name: str, keys: list[str], note: tuple, shortlist: dict | None = None) -> Match:
        scored: dict[str, float] = {}
        for q in keys:
            if len(q) < 2:
                continue
            b2j = None
            # Indel similarity (2·LCS/total, in C) bounds difflib's ratio from above: only the candidates it lets
            # through are compared by Ratcliff/Obershelp (difflib's ratio, computed by :func:`_ratio`).
            for key in _near(q, shortlist[q] if shortlist is not None else self._shortlist(q)):
                if b2j is None:
                    b2j = _b2j(q)
                r = _ratio(key, q, b2j)
                if r >= FUZZY_MIN:
                    for fid in self._norm[key]:
                        scored[fid] = max(scored.get(fid, 0.0), r)
        if not scored:
            return Match(name, None, "none", 0.0, notes=note)
        cands = tuple(sorted(scored, key=lambda f: (-scored[f], f)))
        return Match(name, None, "fuzzy_review", round(scored[cands[0]], 3), cands[:5],
                     notes=note + _SIMILAR)

    def match_all(self, names, credit_codes=None) -> pd.DataFrame:
        """Match many names; one row per name, in order, with the input's index.

        Columns: name, firm_id, method, score, review, candidates (``|``-joined),
        group_path (``>``-joined), note (in English). Repeated names are matched once.

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
    from rapidfuzz.process import extract as _extract

    def _near(q: str, keys: list[str]) -> list[str]:
        """The keys whose Indel similarity to ``q`` reaches :data:`FUZZY_MIN` (one call into C for them all)."""
        if not keys:
            return []
        return [k for k, _, _ in _extract(q, keys, scorer=_indel, score_cutoff=FUZZY_MIN, limit=None)]
except ImportError:  # without rapidfuzz: difflib's own upper bound (slower, the same matches)
    def _indel(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio()

    def _near(q: str, keys: list[str]) -> list[str]:
        return [k for k in keys if _indel(k, q) >= FUZZY_MIN]


def _b2j(b: str) -> dict[str, list[int]]:
    """Where each character of ``b`` is, in order (difflib's ``b2j`` without junk)."""
    out: dict[str, list[int]] = {}
    for j, ch in enumerate(b):
        out.setdefault(ch, []).append(j)
    return out


def _ratio(a: str, b: str, b2j: dict[str, list[int]]) -> float:
    """``difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()``, without difflib's per-call objects.

    Ratcliff/Obershelp (Ratcliff & Metzener 1988, "Pattern matching: the gestalt approach", Dr. Dobb's Journal):
    the longest common block (earliest in ``a``, then in ``b``, as difflib's ``find_longest_match`` takes it),
    then the same on each side of it; the ratio is twice the matched characters over both lengths. With no junk
    and no popular characters (``autojunk=False``) difflib's block extensions never apply, so this is the same
    number.

    Examples
    --------
    >>> a, b = "江西铜叶", "江西铜业"
    >>> _ratio(a, b, _b2j(b)) == difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    True
    """
    matched = 0
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        besti, bestj, best = alo, blo, 0
        j2len: dict[int, int] = {}
        for i in range(alo, ahi):
            new: dict[int, int] = {}
            for j in b2j.get(a[i], ()):
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = new[j] = j2len.get(j - 1, 0) + 1
                if k > best:
                    besti, bestj, best = i - k + 1, j - k + 1, k
            j2len = new
        if best:
            matched += best
            if alo < besti and blo < bestj:
                todo.append((alo, besti, blo, bestj))
            if besti + best < ahi and bestj + best < bhi:
                todo.append((besti + best, ahi, bestj + best, bhi))
    total = len(a) + len(b)
    return 2.0 * matched / total if total else 1.0


def _code(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code).split()).upper()


def _pairs_of(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)}


_SIMILAR = (("similar_names", ()),)
