"""Parse the amounts and dates that users type into spreadsheets.

Pure functions over single cell values: the importer calls them cell by cell and
turns a :class:`ValueError` into a :class:`~chainmap.io.errors.Problem` that
names the file, row and column. Text is NFKC-normalised first, so full-width
digits and brackets (``１２亿``, ``（万元）``) read like their ASCII forms.

Decisions
---------
* Amounts are returned in 亿元, the unit of every ``*_yi`` column. A unit
  written in the cell (``12000万``) wins over the unit of the column header
  (``计划总投资（亿元）``): the cell is the more specific statement.
* Approximate amounts (``约5亿``, ``5亿左右``, ``5亿以上``) are *rejected*, not read
  as 5: a rounded guess must not enter the ledger looking like a confirmed
  figure, and the user is asked to type the number alone (and note "约" in the
  notes column).
* Foreign currencies (``亿美元``, ``万港元``) are rejected: converting needs a rate
  and a date that this module does not know.
* A blank date is returned as ``""`` (blank means unknown, as in the seeds);
  a blank amount is returned as ``None``.
* A bare integer 1900–2100 is a year; a 5-digit integer is an Excel serial date
  (1900 date system, day 0 = 1899-12-30, so 45717 is 2025-03-01).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..model import PartialDate
from .errors import Invalid

__all__ = ["parse_amount_yi", "parse_date", "unit_from_header", "UNITS"]

#: Factor that turns one of each unit into 亿元.
UNITS: dict[str, Decimal] = {"亿元": Decimal(1), "万元": Decimal("0.0001"), "元": Decimal("0.00000001")}
_UNIT_ALIASES = {"亿元": "亿元", "亿": "亿元", "万元": "万元", "万": "万元", "元": "元"}
_FOREIGN = ("美元", "港元", "港币", "欧元", "日元", "英镑", "韩元", "新台币", "台币", "usd", "hkd", "eur", "jpy")
_APPROX = ("约", "大约", "近", "超", "逾", "左右", "以上", "以下", "多", "余", "~", "≈", "+")
_AMOUNT = re.compile(
    r"^(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<unit>亿元|亿|万元|万|元)?$"
)
_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C")


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:  # pandas.NA / NaT without importing pandas
        if type(value).__name__ in ("NAType", "NaTType"):
            return True
    except Exception:  # pragma: no cover
        pass
    return isinstance(value, str) and _clean(value) == ""


def _canonical_unit(unit: str | None) -> str:
    if unit is None:
        return "亿元"
    known = _CANONICAL.get(unit) if isinstance(unit, str) else None
    if known is not None:
        return known
    u = _clean(str(unit))
    if u not in _UNIT_ALIASES:
        raise Invalid("unknown_unit", unit=unit)
    if isinstance(unit, str) and len(_CANONICAL) < 1000:
        _CANONICAL[unit] = _UNIT_ALIASES[u]
    return _UNIT_ALIASES[u]


_CANONICAL: dict[str, str] = {}  # a unit as written → its canonical unit (a column's unit, asked once per cell)
#: A plain number (ASCII digits, an optional decimal part): what most amount cells hold, read without the checks
#: for units, signs, commas and approximations, none of which it can have.
_PLAIN = re.compile(r"\d+(?:\.\d+)?", re.ASCII)


def parse_amount_yi(text, unit: str | None = None) -> float | None:
    """Read an amount and return it in 亿元, or ``None`` for a blank cell.

    Parameters
    ----------
    text : str, int, float or None
        The cell: ``"3.5"``, ``"1.2亿"``, ``"12,000万元"``, ``"１２亿"``, ``35000``.
    unit : {"亿元", "万元", "元"}, optional
        Unit of a bare number, usually from the column header (see
        :func:`unit_from_header`). Default 亿元. A unit written in the cell wins.

    Returns
    -------
    float or None

    Raises
    ------
    ValueError
        For negative, approximate (``约5亿``), foreign-currency or non-numeric
        amounts; the message quotes the value.

    Examples
    --------
    >>> parse_amount_yi("1.2亿元")
    1.2
    >>> parse_amount_yi("12,000万元")
    1.2
    >>> parse_amount_yi("35000", unit="万元")
    3.5
    >>> parse_amount_yi("１２亿")
    12.0
    >>> parse_amount_yi("  ") is None
    True
    >>> parse_amount_yi("约5亿")
    Traceback (most recent call last):
    ...
    chainmap.io.errors.Invalid: approximate amount '约5亿': type the number alone (e.g. 5亿) and put "约" in the notes
    """
    factor_unit = _canonical_unit(unit)
    if text.__class__ is str and _PLAIN.fullmatch(text):
        return float(Decimal(text) * UNITS[factor_unit])
    if _is_blank(text):
        return None
    if isinstance(text, bool):
        raise Invalid("not_an_amount", value=text)
    if isinstance(text, (int, float, Decimal)):
        try:
            num = Decimal(str(text))
        except InvalidOperation:  # pragma: no cover
            raise Invalid("not_an_amount", value=text) from None
        if not num.is_finite():
            raise Invalid("not_finite_amount", value=text)
        if num < 0:
            raise Invalid("negative_amount", value=text)
        return float(num * UNITS[factor_unit])
    if not isinstance(text, str):
        raise Invalid("not_an_amount", value=text)
    s = _clean(text).replace("，", ",")
    low = s.lower()
    if any(c in low for c in _FOREIGN):
        raise Invalid("amount_not_yuan", value=text)
    if s.startswith("-") or s.startswith("负"):
        raise Invalid("negative_amount", value=text)
    if any(a in s for a in _APPROX):
        raise Invalid("approximate_amount", value=text)
    m = _AMOUNT.match(s)
    if not m:
        raise Invalid("amount_format", value=text)
    num = Decimal(m.group("num").replace(",", ""))
    u = _UNIT_ALIASES[m.group("unit")] if m.group("unit") else factor_unit
    return float(num * UNITS[u])


def _ymd(y: int, m: int, d: int, original) -> str:
    if not 1900 <= y <= 2100:
        raise Invalid("year_out_of_range", value=original, year=y)
    try:
        return PartialDate(y, m, d).iso
    except ValueError:
        raise Invalid("not_calendar_date", value=original) from None


def _ym(y: int, m: int, original) -> str:
    if not 1900 <= y <= 2100 or not 1 <= m <= 12:
        raise Invalid("not_a_month", value=original)
    return PartialDate(y, m).iso


def _excel_serial(n: int, original) -> str:
    d = _EXCEL_EPOCH + _dt.timedelta(days=n)
    return _ymd(d.year, d.month, d.day, original)


_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_YMD_ZH = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YM_ZH = re.compile(r"^(\d{4})年(\d{1,2})月?$")
_Y = re.compile(r"^(\d{4})年?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


def parse_date(text) -> str:
    """Read a date and return ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    The text is a :class:`~chainmap.model.PartialDate` (``PartialDate.parse``
    reads it back, with its precision and anchors); this function reads the
    many ways people type one.

    Accepts ``2025-03-01``, ``2025/3/1``, ``2025.3.1``, ``2025年3月1日``,
    ``20250301``, ``2025年3月`` / ``2025-3`` (month precision), ``2025`` (year
    precision), Excel serial numbers (``45717``) and ``datetime.date`` objects.
    A blank cell gives ``""``.

    Raises
    ------
    ValueError
        Naming the value, when it is not one of those forms or not a calendar date.

    Examples
    --------
    >>> parse_date("2025年3月1日")
    '2025-03-01'
    >>> parse_date("2025/3/1"), parse_date("2025.3.1"), parse_date("2025年3月"), parse_date("2025")
    ('2025-03-01', '2025-03-01', '2025-03', '2025')
    >>> parse_date(45717)
    '2025-03-01'
    >>> parse_date("2025-02-30")
    Traceback (most recent call last):
    ...
    chainmap.io.errors.Invalid: not a calendar date: '2025-02-30'
    """
    if _is_blank(text):
        return ""
    if isinstance(text, bool):
        raise Invalid("not_a_date", value=text)
    if isinstance(text, _dt.datetime):
        return _ymd(text.year, text.month, text.day, text)
    if isinstance(text, _dt.date):
        return _ymd(text.year, text.month, text.day, text)
    if isinstance(text, (int, float)):
        if isinstance(text, float) and (not math.isfinite(text) or text != int(text)):
            raise Invalid("not_a_date", value=text)
        n = int(text)
        if 1900 <= n <= 2100:
            return f"{n:04d}"
        if 10000 <= n <= 99999:
            return _excel_serial(n, text)
        raise Invalid("not_a_date", value=text, hint="year_or_serial")
    if not isinstance(text, str):
        raise Invalid("not_a_date", value=text)
    s = _clean(text)
    for pattern in (_YMD, _YMD_ZH, _COMPACT):
        m = pattern.match(s)
        if m:
            return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    for pattern in (_YM, _YM_ZH):
        m = pattern.match(s)
        if m:
            return _ym(int(m.group(1)), int(m.group(2)), text)
    m = _Y.match(s)
    if m:
        y = int(m.group(1))
        if not 1900 <= y <= 2100:
            raise Invalid("year_out_of_range", value=text, year=y)
        return PartialDate(y).iso
    m = _SERIAL.match(s)
    if m:
        return _excel_serial(int(m.group(1)), text)
    raise Invalid("not_a_date", value=text, hint="eg")


_HEADER_UNIT = re.compile(r"\(([^()]*)\)")
_HEADER_LABEL = re.compile(r"单位[:]?(亿元|万元|元|亿|万)")


def unit_from_header(header: str) -> str | None:
    """The amount unit named in a column header, or ``None`` if it names none.

    Looks in brackets (ASCII or full-width) and at ``单位：…``.

    Raises
    ------
    ValueError
        If the header names a foreign currency (``（亿美元）``): the amounts
        would need converting, which this module does not do.

    Examples
    --------
    >>> unit_from_header("计划总投资（亿元）")
    '亿元'
    >>> unit_from_header("投资额(万元)"), unit_from_header("金额（元）"), unit_from_header("投资额")
    ('万元', '元', None)
    """
    if not isinstance(header, str):
        return None
    s = _clean(header)
    low = s.lower()
    for content in _HEADER_UNIT.findall(s)[::-1] + _HEADER_LABEL.findall(s):
        c = content.lower()
        if any(f in c for f in _FOREIGN):
            raise Invalid("column_foreign_currency", header=header)
        for key in ("亿元", "万元", "亿", "万", "元"):
            if key in c:
                return _UNIT_ALIASES[key]
    if any(f in low for f in _FOREIGN) and ("(" in s or "单位" in s):
        raise Invalid("column_foreign_currency", header=header)
    return None
