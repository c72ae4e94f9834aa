"""The workspace's settings: which city promotes, where it is, and the year's plan (``seeds/city.toml``).

A city is data: another city's bureau edits ``seeds/city.toml``, never code.
:func:`parse_city` is pure (bytes in, a frozen :class:`City` out, an
:class:`~chainmap.io.InputError` naming the file and the key on bad input);
the CLI and the app read the file (:func:`read_city`) and hand the parsed
settings to the core as parameters. The layout is described in
``seeds/SCHEMA.md``.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem
from .events import Home, province_of

__all__ = ["City", "Target", "Baseline", "Shares", "CITY_FILE", "parse_city", "read_city"]

CITY_FILE = "seeds/city.toml"


@dataclass(frozen=True)
class Target:
    """One year's target: newly signed planned investment of at least ``target_yi`` 亿元."""

    year: int
    target_yi: float
    source: str = ""


@dataclass(frozen=True)
class Baseline:
    """One year's results as the city reported them (blank figures are None: unknown)."""

    year: int
    n_signed: int | None = None
    planned_yi: float | None = None
    start_rate: float | None = None
    completed_yi: float | None = None
    n_ge_10yi: int | None = None
    source: str = ""


@dataclass(frozen=True)
class Shares:
    """Each unit's share of one year's target: ``by`` is ``team`` (keys: team ids of ``seeds/teams.csv``)
    or ``county`` (keys: the county names of ``counties``); ``values`` pairs a key with its share (0–1)."""

    year: int
    by: str
    values: tuple[tuple[str, float], ...] = ()
    source: str = ""


@dataclass(frozen=True)
class City:
    """The promoting city: its name, province, neighbouring provinces, counties, parks and plan.

    Examples
    --------
    >>> c = City("肇庆", "广东", ("广西",), targets=(Target(2026, 500.0),))
    >>> c.target(2026), c.target(2025), c.baseline(2025), c.home
    (500.0, None, None, Home(city='肇庆', province='广东', neighbours=('广西',)))
    """

    name: str = ""
    province: str = ""
    neighbours: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    parks: tuple[str, ...] = ()
    targets: tuple[Target, ...] = ()
    baselines: tuple[Baseline, ...] = ()
    source: str = ""
    name_en: str = ""
    full_name: str = ""
    shares: tuple[Shares, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """The city's name for people in ``lang``: its full name (清远市) in Chinese, its English name in
        English, the short name where those are not given."""
        return (self.name_en or self.name) if lang == "en" else (self.full_name or self.name)

    @property
    def places(self) -> tuple[str, ...]:
        """The city's own counties and parks: stripped from the front of firm names when matching them.

        >>> City("肇庆", "广东", counties=("高要区",), parks=("肇庆高新区",)).places
        ('高要区', '肇庆高新区')
        """
        return self.counties + self.parks

    @property
    def home(self) -> Home:
        """Where the city is, as the backtest's gravity signal and the event import read it."""
        return Home(self.name, self.province, self.neighbours)

    def target(self, year: int) -> float | None:
        """The target (亿元) of ``year``, None when the plan sets none."""
        return next((t.target_yi for t in self.targets if t.year == year), None)

    def target_source(self, year: int) -> str:
        """Where the target of ``year`` comes from (blank without one)."""
        return next((t.source for t in self.targets if t.year == year), "")

    def baseline(self, year: int) -> Baseline | None:
        """The reported results of ``year``, None when the file gives none."""
        return next((b for b in self.baselines if b.year == year), None)

    def shares_of(self, year: int, by: str) -> tuple[dict[str, float], str]:
        """Each unit's share of the target of ``year`` (``by`` = ``team`` or ``county``) and its source;
        an empty dict when the settings give none.

        Examples
        --------
        >>> c = City("肇庆", "广东", shares=(Shares(2026, "county", (("端州区", 0.4),), "illustrative"),))
        >>> c.shares_of(2026, "county"), c.shares_of(2026, "team")
        (({'端州区': 0.4}, 'illustrative'), ({}, ''))
        """
        s = next((x for x in self.shares if x.year == year and x.by == by), None)
        return (dict(s.values), s.source) if s else ({}, "")

    def latest_baseline(self) -> Baseline | None:
        """The latest reported year (what the overview compares the ledger with), None without one."""
        return max(self.baselines, key=lambda b: b.year) if self.baselines else None


def _strings(doc: dict, key: str, file: str) -> tuple[str, ...]:
    v = doc.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise InputError([Problem(file, "not_names", column=key)])
    return tuple(x.strip() for x in v if x.strip())


def _number(item: dict, key: str, where: str, file: str, kind=float, required: bool = False):
    v = item.get(key)
    if v is None:
        if required:
            raise InputError([Problem(file, "missing_in", {"where": where}, column=key)])
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or (kind is int and v != int(v)):
        raise InputError([Problem(file, "not_count" if kind is int else "not_amount_ge0",
                                  {"where": where, "value": v}, column=key)])
    return kind(v)


def _tables(doc: dict, key: str, file: str) -> list[dict]:
    v = doc.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise InputError([Problem(file, "not_tables", {"key": key}, column=key)])
    years = [x.get("year") for x in v]
    for i, (item, y) in enumerate(zip(v, years)):
        if isinstance(y, bool) or not isinstance(y, int):
            raise InputError([Problem(file, "give_year", {"where": f"[[{key}]] #{i + 1}"}, column="year")])
        if years.count(y) > 1:
            raise InputError([Problem(file, "year_twice", {"key": key, "year": y}, column="year")])
        if not isinstance(item.get("source", ""), str) or not str(item.get("source", "")).strip():
            raise InputError([Problem(file, "figures_unsourced", {"where": f"[[{key}]] {y}"}, column="source")])
    return v


def parse_city(data: bytes, file: str = CITY_FILE) -> City:
    """Read ``seeds/city.toml`` into a :class:`City`.

    Parameters
    ----------
    data : bytes
        The file's content (UTF-8 TOML).
    file : str
        Its name, for messages.

    Returns
    -------
    City

    Raises
    ------
    InputError
        Naming the file and the key: unreadable TOML, a missing ``city`` or
        ``province``, a list that is not a list of names, a target or baseline
        without its year or source, or a figure that is not a number ≥ 0.

    Examples
    --------
    >>> text = '''
    ... city = "肇庆"
    ... province = "广东省"
    ... neighbours = ["广西"]
    ... counties = ["端州区", "高要区"]
    ... [[targets]]
    ... year = 2026
    ... target_yi = 500
    ... source = "illustrative: a test city"
    ... '''
    >>> c = parse_city(text.encode())
    >>> c.name, c.province, c.counties, c.target(2026)
    ('肇庆', '广东', ('端州区', '高要区'), 500.0)
    >>> parse_city(b'province = "x"\\n')
    Traceback (most recent call last):
    ...
    chainmap.io.errors.InputError: seeds/city.toml, column 'city': missing; give the home city, e.g. city = "韶关"
    """
    try:
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InputError([Problem(file, "not_toml", {"error": str(e)})]) from None
    for key, eg in (("city", "韶关"), ("province", "广东")):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            raise InputError([Problem(file, "missing_home", {"key": key, "example": eg}, column=key)])
    for key in ("source", "city_en", "city_full"):
        if not isinstance(doc.get(key, ""), str):
            raise InputError([Problem(file, "not_text", column=key)])
    targets = tuple(Target(int(t["year"]), _number(t, "target_yi", f"[[targets]] {t['year']}", file, required=True),
                           t["source"].strip()) for t in _tables(doc, "targets", file))
    baselines = []
    for b in _tables(doc, "baselines", file):
        where = f"[[baselines]] {b['year']}"
        rate = _number(b, "start_rate", where, file)
        if rate is not None and rate > 1:
            raise InputError([Problem(file, "not_a_share", {"where": where, "value": rate}, column="start_rate")])
        baselines.append(Baseline(int(b["year"]), _number(b, "n_signed", where, file, int),
                                  _number(b, "planned_yi", where, file), rate, _number(b, "completed_yi", where, file),
                                  _number(b, "n_ge_10yi", where, file, int), b["source"].strip()))
    shares = []
    seen = set()
    for i, sh in enumerate(doc.get("shares", []) if isinstance(doc.get("shares", []), list) else [None]):
        where = f"[[shares]] #{i + 1}"
        if not isinstance(sh, dict) or isinstance(sh.get("year"), bool) or not isinstance(sh.get("year"), int):
            raise InputError([Problem(file, "give_year", {"where": where}, column="year")])
        if sh.get("by") not in ("team", "county"):
            raise InputError([Problem(file, "shares_by", {"where": where}, column="by")])
        if (sh["year"], sh["by"]) in seen:
            raise InputError([Problem(file, "shares_twice", {"year": sh["year"], "by": sh["by"]}, column="by")])
        seen.add((sh["year"], sh["by"]))
        if not isinstance(sh.get("source"), str) or not sh["source"].strip():
            raise InputError([Problem(file, "shares_unsourced", {"where": where}, column="source")])
        vals = sh.get("values")
        if not isinstance(vals, dict) or not vals:
            raise InputError([Problem(file, "shares_missing", {"where": where}, column="values")])
        pairs = tuple((str(k), _number(vals, k, where, file)) for k in vals)
        if any(v > 1 for _, v in pairs) or sum(v for _, v in pairs) > 1 + 1e-9:
            raise InputError([Problem(file, "shares_over_one", {"where": where}, column="values")])
        shares.append(Shares(int(sh["year"]), sh["by"], pairs, sh["source"].strip()))
    return City(doc["city"].strip(), province_of(doc["province"]) or doc["province"].strip(),
                tuple(province_of(x) or x for x in _strings(doc, "neighbours", file)),
                _strings(doc, "counties", file), _strings(doc, "parks", file), targets, tuple(baselines),
                doc.get("source", "").strip(), doc.get("city_en", "").strip(), doc.get("city_full", "").strip(),
                tuple(shares))


def read_city(root: str | os.PathLike) -> City:
    """The settings of the workspace at ``root``, or an empty :class:`City` when it has no ``seeds/city.toml``.

    For the edges (CLI, app) only: the core takes the parsed :class:`City` as a parameter.
    """
    path = Path(root) / CITY_FILE
    return parse_city(path.read_bytes(), str(path)) if path.exists() else City()
