"""Normalise firm names for matching, and check 统一社会信用代码.

These keys are for *matching only*: they are never shown or stored. The same
firm arrives as 建滔集团, 建滔化工集团有限公司, 建滔（佛冈）积层板有限公司 or
"Kingboard Holdings"; :func:`normalise_name` removes what does not tell firms
apart (width, brackets, spaces, place prefixes, legal forms) and
:func:`core_name` also drops trailing generic words such as 集团 and 控股.

Decisions
---------
* :func:`normalise_name` strips the legal form (股份有限公司, 有限责任公司,
  有限公司, Co., Ltd. ...) but *keeps* 集团 and 控股: "建滔集团" and "建滔" are
  different strings at this level. :func:`core_name` removes them, and the
  matcher tries it after the stricter keys, so an ambiguity at the strict
  level is never hidden by the looser one.
* A bracketed place (``（佛冈）``, ``(中国)``) marks a regional subsidiary; it is
  removed from the key and reported by :func:`bracketed_regions`, so the
  matcher can say "part of firm X" rather than "is firm X".
* A leading place (清远市, 广东省, 江苏) is removed only when at least three
  characters remain: in 江西铜业, 山东玻纤 or 宁德时代 the place is the name.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

__all__ = ["normalise_name", "core_name", "core_key", "bracketed_regions", "validate_uscc", "uscc_check_char", "PLACES",
           "place_words", "strip_leading_places", "name_key_and_regions", "CharTable"]

#: Place names removed from the front of a name or from brackets: data, read from ``places.txt`` beside this module.
PLACES: frozenset[str] = frozenset(
    word for line in (resources.files(__package__) / "places.txt").read_text(encoding="utf-8").splitlines()
    for word in line.partition("#")[0].split())
_PLACE_SUFFIX = ("特别行政区", "自治区", "省", "市", "县", "区", "镇")
#: An autonomous county or banner: its place (two characters or more), its peoples (…族), 自治县 or 自治旗.
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+自治[县旗]$")


def _place_pattern(places) -> re.Pattern:
    return re.compile("^(?:" + "|".join(map(re.escape, sorted(places, key=len, reverse=True))) + ")(?:"
                      + "|".join(_PLACE_SUFFIX) + ")?")


_PLACE_RE = _place_pattern(PLACES - {"中国"})


def place_words(names) -> frozenset[str]:
    """The words to strip for a workspace's own places (its counties and parks, as ``city.toml`` gives them),
    each also without its suffix (区, 市, 县…): a name may write 高要区 or 高要. An autonomous county is also
    its place alone, without its peoples (连山壮族瑶族自治县: 连山).

    Examples
    --------
    >>> sorted(place_words(["高要区", "四会市", "肇庆高新区", ""]))
    ['四会', '四会市', '肇庆高新', '肇庆高新区', '高要', '高要区']
    >>> sorted(place_words(["连山壮族瑶族自治县"]))
    ['连山', '连山壮族瑶族自治', '连山壮族瑶族自治县']
    """
    out = set()
    for n in names:
        n = re.sub(r"\s+", "", n or "")
        if not n:
            continue
        out.add(n)
        if m := _AUTONOMOUS.match(n):
            out.add(m.group(1))
        for suffix in _PLACE_SUFFIX:
            if n.endswith(suffix) and len(n) > len(suffix) + 1:
                out.add(n[: -len(suffix)])
                break
    return frozenset(out)


@functools.lru_cache(maxsize=16)
def _places_re(extra: frozenset[str]) -> re.Pattern:
    """The leading-place pattern with a workspace's own places added (one per set of places, kept)."""
    return _place_pattern((PLACES - {"中国"}) | extra) if extra else _PLACE_RE
_LEGAL_ZH = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "总公司", "公司")
_LEGAL_EN = ("co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "company limited", "co., ltd.", "limited", "ltd.", "ltd",
             "incorporated", "inc.", "inc", "corporation", "corp.", "corp", "company", "co.", "co", "plc", "llc",
             "gmbh", "ag", "s.a.", "sa")
_UNWRAP = {"集团", "控股", "股份", "有限", "中国集团"}
_GENERIC_TAIL_ZH = ("集团", "控股", "股份", "科技", "技术", "国际", "工业", "发展", "新能源", "新材料")
_GENERIC_TAIL_EN = ("holdings", "holding", "group", "technology", "technologies", "international", "industry",
                    "industrial", "industries")


class CharTable(dict):
    """A ``str.translate`` table that decides each character once, on first sight: ``drop(ch)`` true removes it.

    Per-character ``unicodedata`` calls dominate the cost of a name key; a
    library of 100,000 firms has only a few thousand distinct characters.

    Examples
    --------
    >>> no_spaces = CharTable(str.isspace)
    >>> "建 滔\u3000积层板".translate(no_spaces), len(no_spaces)
    ('建滔积层板', 7)
    """

    def __init__(self, drop):
        super().__init__()
        self._drop = drop

    def __missing__(self, code: int):
        out = None if self._drop(chr(code)) else code
        self[code] = out
        return out


_NO_CONTROL = CharTable(lambda ch: unicodedata.category(ch)[0] == "C")
# Key characters: no spaces, punctuation or symbols, except the brackets that mark places.
_KEY_CHARS = CharTable(lambda ch: ch not in "()" and (ch.isspace() or unicodedata.category(ch)[0] in "PSZC"))
_ASCII_LETTER = re.compile(r"[a-z]")
_BRACKETED = re.compile(r"\(([^()]*)\)")
_GENERIC_TAILS = _GENERIC_TAIL_ZH + _GENERIC_TAIL_EN


def _nfkc(name: str) -> str:
    s = unicodedata.normalize("NFKC", name)
    s = s.replace("【", "(").replace("】", ")").replace("〔", "(").replace("〕", ")")
    s = s.replace("[", "(").replace("]", ")")
    return s.translate(_NO_CONTROL)


def _is_place(text: str, places: frozenset[str] = frozenset()) -> bool:
    t = re.sub(r"\s+", "", text)
    if t in places:
        return True
    for suffix in _PLACE_SUFFIX:
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)]
            break
    if t in PLACES or t in places:
        return True
    pattern = _places_re(places) if places else _PLACE_RE
    return bool(pattern.match(t) and pattern.sub("", t) in ("",))


def bracketed_regions(name: str, places: frozenset[str] = frozenset()) -> list[str]:
    """The places written in brackets in a name (a regional subsidiary's mark).

    A place is a province or city of ``places.txt``, or one of ``places``:
    a workspace's own counties and parks (:func:`place_words` of its
    ``city.toml``), which ``places.txt`` never lists.

    Examples
    --------
    >>> bracketed_regions("建滔（清远）积层板有限公司")
    ['清远']
    >>> bracketed_regions("建滔（佛冈）积层板有限公司"), bracketed_regions("建滔（佛冈）积层板有限公司", place_words(["佛冈县"]))
    ([], ['佛冈'])
    >>> bracketed_regions("工业富联(富士康工业互联网)")
    []
    """
    if not isinstance(name, str):
        return []
    return _regions(_nfkc(name), places)


def name_key_and_regions(name: str, places: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """``(normalise_name(name, False, places), bracketed_regions(name, places))`` from one pass over the name.

    A matcher needs both for every name it is asked (the key to look up, the
    regions that mark a regional subsidiary); Unicode normalisation, the
    costly part, is done once.

    Examples
    --------
    >>> name_key_and_regions("广东建滔（清远）积层板有限公司")
    ('广东建滔积层板', ['清远'])
    >>> name_key_and_regions("建滔（英德）积层板有限公司", place_words(["英德市"]))
    ('建滔积层板', ['英德'])
    >>> name_key_and_regions("建滔积层板") == (normalise_name("建滔积层板", strip_places=False), [])
    True
    """
    s = _nfkc(name)
    return _normalise(s.strip(), strip_places=False, places=places), _regions(s, places)


def _regions(s: str, places: frozenset[str] = frozenset()) -> list[str]:
    """:func:`bracketed_regions` of a name already passed through :func:`_nfkc`."""
    if "(" not in s:
        return []
    return [c.strip() for c in _BRACKETED.findall(s) if _is_place(c, places)]


def _strip_legal_en(s: str) -> str:
    if not _ASCII_LETTER.search(s):
        return s
    changed = True
    while changed:
        changed = False
        t = s.rstrip(" ,.")
        if not t.endswith(_LEGAL_EN):  # most names: one test instead of three per suffix
            return t
        for suffix in _LEGAL_EN:
            if t.endswith(" " + suffix) or t.endswith("," + suffix) or (t.endswith(suffix) and t[: -len(suffix)].endswith(".")):
                t = t[: -len(suffix)].rstrip(" ,.")
                changed = True
                break
        s = t
    return s


def normalise_name(name, strip_places: bool = True, places: frozenset[str] = frozenset()) -> str:
    """A matching key for a firm name.

    NFKC (full-width to half-width), brackets to ``()``, no spaces or control
    characters, no bracketed place, no leading place (unless fewer than three
    characters would remain; ``strip_places=False`` keeps it always), no legal
    form, ASCII lower-cased. 集团 and 控股 are kept (see :func:`core_name`).
    A place is a province or city of ``places.txt`` or one of ``places``, a
    workspace's own counties and parks (:func:`place_words`).

    Examples
    --------
    >>> normalise_name("建滔（佛冈）积层板有限公司", places=place_words(["佛冈县"]))
    '建滔积层板'
    >>> normalise_name("清远市英德市宏达电机有限公司"), normalise_name("清远市英德市宏达电机有限公司", places=place_words(["英德市"]))
    ('英德市宏达电机', '宏达电机')
    >>> normalise_name("清远市钛美铝业有限公司")
    '钛美铝业'
    >>> normalise_name("广东生益科技股份有限公司")
    '生益科技'
    >>> normalise_name("建滔化工集团有限公司")
    '建滔化工集团'
    >>> normalise_name("江西铜业股份有限公司")
    '江西铜业'
    >>> normalise_name("Kingboard Holdings Co., Ltd.")
    'kingboardholdings'
    >>> normalise_name("ＢＹＤ　Company Limited")
    'byd'
    >>> normalise_name("-1"), normalise_name("+1")
    ('-1', '+1')
    """
    if not isinstance(name, str):
        return ""
    return _normalise(_nfkc(name).strip(), strip_places, places)


def _normalise(s: str, strip_places: bool = True, places: frozenset[str] = frozenset()) -> str:
    """:func:`normalise_name` of a name already passed through :func:`_nfkc` and stripped."""
    if not any(map(str.isalpha, s)):
        # no letter at all ("-1", "+1", "2024"): signs stay; spaces go, as from any key (NFKC turns ¯ into " ̄");
        # marks brought together put in their canonical order ("´¸" -> "\u0327\u0301"), as a second pass would
        return unicodedata.normalize("NFC", "".join(s.split()))
    # Bracket contents: places go, generic words are unwrapped, the rest stays.
    def _bracket(m: re.Match) -> str:
        inner = m.group(1).strip()
        if _is_place(inner, places) or inner == "":
            return ""
        if inner in _UNWRAP:
            return inner
        return "(" + inner + ")"

    bracketed = "(" in s
    if bracketed:
        s = _BRACKETED.sub(_bracket, s)
    s = _strip_legal_en(s.lower()).translate(_KEY_CHARS)
    if bracketed and "(" in s:
        m = re.match(r"^(.*?)((?:\([^()]*\))*)$", s)
        base, tail = m.group(1), m.group(2)
    else:  # no bracket: no bracketed tail
        base, tail = s, ""
    changed = True
    while changed:
        changed = False
        for suffix in _LEGAL_ZH:
            if base.endswith(suffix) and len(base) > len(suffix):
                base = base[: -len(suffix)]
                changed = True
                break
    s = (base + tail).replace("()", "")
    # Removing spaces can join a letter and a combining mark (NFKC turns ¯ into " ̄"): compose them,
    # so that a key normalised again stays the same key.
    s = unicodedata.normalize("NFC", s)
    return strip_leading_places(s, places) if strip_places else s


def strip_leading_places(key: str, places: frozenset[str] = frozenset()) -> str:
    """A key of :func:`normalise_name` ``(strip_places=False)`` without its leading places.

    ``normalise_name(n) == strip_leading_places(normalise_name(n, strip_places=False))``,
    so a matcher that needs both keys normalises once. ``places`` adds a
    workspace's own counties and parks (see :func:`place_words`) to the
    provinces and cities of ``places.txt``.

    Examples
    --------
    >>> strip_leading_places(normalise_name("清远市钛美铝业有限公司", strip_places=False))
    '钛美铝业'
    >>> key = normalise_name("肇庆市高要区金利电机有限公司", strip_places=False)
    >>> strip_leading_places(key), strip_leading_places(key, place_words(["高要区"]))
    ('高要区金利电机', '金利电机')
    """
    s = key
    if not any(map(str.isalpha, s)):
        return s
    pattern = _places_re(places) if places else _PLACE_RE
    for _ in range(3):  # 广东省清远市… : at most three levels
        rest = pattern.sub("", s, count=1)
        if rest == s or len(rest) < 3:
            break
        s = rest
    return s


def core_name(name, strip_places: bool = True) -> str:
    """:func:`normalise_name`, then trailing generic words removed (集团, 控股, 科技...).

    At least two characters are kept, so 中材科技 becomes 中材, not empty.

    Examples
    --------
    >>> core_name("雅迪集团控股有限公司")
    '雅迪'
    >>> core_name("宁德时代新能源科技股份有限公司", strip_places=False)
    '宁德时代'
    >>> core_name("Kingboard Holdings Limited")
    'kingboard'
    """
    return core_key(normalise_name(name, strip_places=strip_places))


def core_key(key: str) -> str:
    """:func:`core_name` of a name already passed through :func:`normalise_name`.

    Examples
    --------
    >>> core_key("建滔化工集团")
    '建滔化工'
    """
    s = (re.sub(r"\([^()]*\)$", "", key) or key) if key.endswith(")") else key
    if not s.endswith(_GENERIC_TAILS):  # no generic word at the end: nothing to take off
        return s
    changed = True
    while changed:
        changed = False
        for tail in _GENERIC_TAIL_ZH + _GENERIC_TAIL_EN:
            if s.endswith(tail) and len(s) - len(tail) >= 2:
                s = s[: -len(tail)]
                changed = True
    return s


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(body: str) -> str:
    """The 18th character of a 统一社会信用代码 for its first 17 (GB 32100-2015).

    Each character's value is its position in ``0-9A-HJ-NPQRTUWXY``; the check
    value is ``31 - (Σ value·weight mod 31)``, with 31 written as ``0``.

    Raises
    ------
    ValueError
        If ``body`` is not 17 characters of that alphabet.

    Examples
    --------
    >>> uscc_check_char("91441800MA4W12345")
    'K'
    """
    if not isinstance(body, str) or len(body) != 17 or any(c not in _USCC_VALUE for c in body):
        raise ValueError(f"not the first 17 characters of a credit code: {body!r}")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(body, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code) -> bool:
    """Whether ``code`` is a well-formed 18-character 统一社会信用代码.

    Checks the length, the alphabet (no I, O, S, V, Z) and the GB 32100-2015
    check character. Full-width characters, spaces and lower case are tolerated.
    Anything that is not a string is simply not valid.

    Examples
    --------
    >>> validate_uscc("91441800MA4W12345K")
    True
    >>> validate_uscc("91441800MA4W12345W")
    False
    """
    if not isinstance(code, str):
        return False
    s = "".join(unicodedata.normalize("NFKC", code).split()).upper()
    if len(s) != 18 or any(c not in _USCC_VALUE for c in s):
        return False
    return uscc_check_char(s[:17]) == s[17]
