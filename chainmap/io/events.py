"""Investment events as data: read an events file and match it to the library.

Two layouts are read:

* the **shared** layout (``date, firm_name_zh, firm_full_name, stock_code,
  project, city, province, chain, link_hint, amount_yi, kind, source, …``): the
  firm is named, not identified, and the link is a hint in words;
* the **bundled** layout of ``seeds/events.csv`` (``id, date, firm_id, …``).

:func:`parse_events` is pure (bytes or a DataFrame in, rows out): each event's
firm is matched to the library by stock code, then by name through
:class:`~chainmap.io.matching.FirmMatcher` (only its sure methods); its link
hint is matched to a link of its chain by the links' names and keywords, and
failing that by the keywords found in the project text. An event whose firm or
link could not be matched is *kept* and listed in the report: a backtest counts
an investor absent from the library as a miss, never drops it.

Bad cells (a date that is no date, an unknown chain, a missing source) are
problems naming file, row and column; the rows that carry them are left out.

The home (city, province and the provinces next to it) is data: it lives in
the workspace's ``seeds/city.toml`` (:func:`chainmap.io.city.parse_city`), never in code.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..model import Tables
from .errors import InputError, Problem
from .matching import AUTO_METHODS, FirmMatcher
from .schemas import EVENT_KINDS
from .tables import read_csv_strings, decode_bytes
from .values import parse_amount_yi, parse_date

__all__ = ["Home", "EventFile", "parse_events", "province_of",
           "normalise_stock_code", "SHARED_COLUMNS", "EVENT_COLUMNS"]

#: Columns of the shared layout that must be present.
SHARED_COLUMNS = ("date", "firm_name_zh", "stock_code", "chain", "link_hint", "kind", "source")
#: Columns of an event row as :func:`parse_events` returns it (the ``events`` table's, then extras).
EVENT_COLUMNS = ("id", "date", "firm_id", "firm_name", "chain", "link_id", "kind", "project", "place",
                 "in_qingyuan", "amount_yi", "origin", "source", "verified", "notes",
                 "stock_code", "province", "row", "firm_method", "link_method")
#: Province-level divisions, short names (geography, not a choice of city).
PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
             "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾")
_SPLIT = re.compile(r"[|/｜、,，;；]+")


@dataclass(frozen=True)
class Home:
    """Where the promoting city is: its name, its province and the provinces next to it.

    >>> Home("清远", "广东", ("广西", "湖南")).proximity(pd.Series(["广东", "湖南", "江苏", ""])).tolist()
    [1.0, 0.5, 0.0, 0.0]
    """

    city: str = ""
    province: str = ""
    neighbours: tuple[str, ...] = ()

    def proximity(self, provinces: pd.Series) -> np.ndarray:
        """1 in the home province, 0.5 next to it, 0 elsewhere or unknown (a gravity step)."""
        p = provinces.fillna("").astype(str).map(province_of)
        return np.where((p == self.province) & (p != ""), 1.0, np.where(p.isin(self.neighbours), 0.5, 0.0))


def province_of(text: str) -> str:
    """The province a place name starts with (or contains), short form; ``""`` when none.

    >>> province_of("广东省惠州市"), province_of("惠州博罗县"), province_of("江苏昆山"), province_of("内蒙古自治区")
    ('广东', '', '江苏', '内蒙古')
    """
    if not isinstance(text, str) or not text:
        return ""
    for p in PROVINCES:
        if text.startswith(p):
            return p
    hits = [(text.find(p), p) for p in PROVINCES if p in text]
    return min(hits)[1] if hits else ""


def normalise_stock_code(code) -> str:
    """One stock code in a comparable form: ``603529.SH``, ``1585.HK``; ``""`` when blank.

    >>> normalise_stock_code(" 603529.sh"), normalise_stock_code("01585.HK"), normalise_stock_code("002288")
    ('603529.SH', '1585.HK', '002288')
    """
    if not isinstance(code, str):
        return ""
    c = "".join(unicodedata.normalize("NFKC", code).split()).upper()
    m = re.fullmatch(r"(\d+)\.(HK)", c)
    return f"{int(m.group(1))}.HK" if m else c


def _codes(cell) -> list[str]:
    return [normalise_stock_code(c) for c in _SPLIT.split(cell) if c.strip()] if isinstance(cell, str) else []


def _code_index(firms: pd.DataFrame) -> dict[str, str]:
    """Stock code (with and without exchange suffix for A-shares) -> firm id; ambiguous codes left out."""
    out: dict[str, set] = {}
    if "stock_code" not in firms:
        return {}
    for fid, cell in zip(firms["id"], firms["stock_code"]):
        for c in _codes(cell):
            out.setdefault(c, set()).add(fid)
            if re.fullmatch(r"\d{6}\.(SH|SZ|BJ)", c):
                out.setdefault(c[:6], set()).add(fid)
    return {c: next(iter(f)) for c, f in out.items() if len(f) == 1}


def _link_words(links: pd.DataFrame) -> dict[str, list[tuple[str, list[str]]]]:
    """Per chain, each link's words: its Chinese name (and the parts of a name like 轮毂电机/中置电机) and keywords."""
    out: dict[str, list] = {}
    for _, row in links.iterrows():
        kw = row.get("keywords", "")
        kws = list(kw) if isinstance(kw, (list, tuple)) else [k for k in _SPLIT.split(str(kw or "")) if k]
        words = [row["name_zh"], *_SPLIT.split(str(row["name_zh"])), *kws]
        out.setdefault(row["chain"], []).append((row["id"], [w.strip().lower() for w in words if w and w.strip()]))
    return out


def _match_link(hint: str, project: str, candidates: list[tuple[str, list[str]]]) -> tuple[str, str]:
    """The link of a chain the hint names: (link_id, method) with method exact/contains/project/"".

    Exact word > a link word inside a hint word (or the reverse) > a link word in the
    project text; ties go to the longest matching word, then to the first link.
    """
    tokens = [t.strip().lower() for t in _SPLIT.split(hint or "") if t.strip()]
    best, best_key = "", (0, 0)
    for lid, words in candidates:
        for w in words:
            if not w:
                continue
            if w in tokens:
                key = (3, len(w))
            elif any(w in t or (len(t) >= 2 and t in w) for t in tokens):
                key = (2, len(w))
            elif len(w) >= 2 and w in (project or "").lower():
                key = (1, len(w))
            else:
                continue
            if key > best_key:
                best, best_key = lid, key
    return best, {3: "exact", 2: "contains", 1: "project", 0: ""}[best_key[0]]


def _event_id(*parts: str) -> str:
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:6]
    return f"E{parts[0][:4]}-{digest}"


@dataclass
class EventFile:
    """What :func:`parse_events` read.

    Attributes
    ----------
    events : DataFrame
        Every readable event (:data:`EVENT_COLUMNS`); ``firm_id`` is blank where
        the firm is not in the library, ``link_id`` blank where no link matched.
    problems : list of Problem
        Rows left out, each naming file, row and column.
    layout : str
        ``shared`` or ``bundled``.
    """

    events: pd.DataFrame
    problems: list = field(default_factory=list)
    layout: str = "shared"

    @property
    def matched(self) -> pd.DataFrame:
        """The events whose firm is in the library, in the ``events`` table's columns."""
        from .schemas import SPECS

        cols = SPECS["events"].names
        return self.events.loc[self.events["firm_id"] != "", cols].reset_index(drop=True)

    def report(self) -> pd.DataFrame:
        """One row per event whose firm or link could not be matched: row, date, firm, chain, what is missing."""
        e = self.events
        firm_miss, link_miss = e["firm_id"] == "", e["link_id"] == ""
        what = np.where(firm_miss & link_miss, "firm+link", np.where(firm_miss, "firm", "link"))
        out = e.loc[firm_miss | link_miss, ["row", "date", "firm_name", "stock_code", "chain", "firm_id"]].copy()
        out["unmatched"] = what[(firm_miss | link_miss).to_numpy()]
        out["link_hint"] = e.loc[firm_miss | link_miss, "notes"].str.extract(r"link_hint=([^;]*)", expand=False)
        return out.reset_index(drop=True)

    def coverage(self) -> dict[str, float | int]:
        """Shares matched: events, those with an A-share code, firms and links.

        ``a_share_firm`` is the share of events carrying an A-share code
        (``.SH/.SZ/.BJ``) whose firm is in the library.
        """
        e = self.events
        a = e["stock_code"].str.contains(r"\.(?:SH|SZ|BJ)\b", regex=True, na=False)
        return {"events": len(e), "firm": float((e["firm_id"] != "").mean()) if len(e) else 0.0,
                "link": float((e["link_id"] != "").mean()) if len(e) else 0.0,
                "a_share_events": int(a.sum()),
                "a_share_firm": float((e.loc[a, "firm_id"] != "").mean()) if a.any() else 0.0}


def _frame(data, file: str) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        df = data.astype(object).where(data.notna(), "").astype(str)
        df.index = range(2, len(df) + 2)
        return df.apply(lambda s: s.str.strip())
    if data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):  # a workbook: the import pipeline's reader picks the sheet
        from .importing.sheets import read_sheet

        rows = [list(r) for r in read_sheet(data, file, {"date": "date", "firm_name_zh": "firm_name_zh",
                                                        "firm_id": "firm_id"}).rows()]
        for h, row in enumerate(rows[:10]):
            header = [str(c).strip() for c in row]
            if "date" in header and ("firm_name_zh" in header or "firm_id" in header):
                body = [(list(r) + [""] * len(header))[: len(header)] for r in rows[h + 1:]]
                df = pd.DataFrame(body, columns=header, dtype=object, index=range(h + 2, h + 2 + len(body)))
                df = df.apply(lambda c: c.astype(str).str.strip())
                return df[(df != "").any(axis=1)]
        raise InputError([Problem(file, "events_no_header")])
    text, _ = decode_bytes(data, file)
    return read_csv_strings(text, file)


def parse_events(data: bytes | pd.DataFrame, file: str, tables: Tables, home: Home | None = None,
                 places=()) -> EventFile:
    """Read an events file in the shared or the bundled layout and match it to ``tables``.

    Parameters
    ----------
    data : bytes or DataFrame
        The file's bytes (CSV in UTF-8 or GBK, or an xlsx workbook) or its cells.
    file : str
        Its name, for messages.
    tables : Tables
        The library: firms (``stock_code``, names, aliases), relations (group
        structure, for the name matcher), chains and links.
    home : Home, optional
        Sets ``in_qingyuan`` (the event is in the home city) from the place.
    places : iterable of str, optional
        The workspace's own counties and parks, stripped from the front of
        firm names when matching (see :class:`~chainmap.io.matching.FirmMatcher`).

    Returns
    -------
    EventFile

    Raises
    ------
    InputError
        When the file is neither layout (naming the missing columns).

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> t = read_workspace(bundled_workspace())
    >>> text = ("date,firm_name_zh,firm_full_name,stock_code,project,city,province,chain,link_hint,amount_yi,kind,source\\n"
    ...         "2023-05,爱玛,,603529.SH,新工厂,兰州,甘肃,ebike,电动两轮车整车,20,new_plant,https://example.org/a\\n"
    ...         "2024,无名电池厂,,,电芯项目,清远,广东,ebike,锂电芯,,new_plant,https://example.org/b\\n"
    ...         "2024-13,某企业,,,x,,,ebike,,,new_plant,https://example.org/c\\n")
    >>> ef = parse_events(text.encode(), "ev.csv", t, Home("清远", "广东"))
    >>> ef.events[["firm_id", "link_id", "firm_method", "in_qingyuan"]].values.tolist()
    [['aima', 'vehicle', 'stock_code', False], ['', 'li_cell', 'none', True]]
    >>> print(ef.problems[0])
    ev.csv, row 4, column 'date': not a valid month: '2024-13'
    """
    home = home or Home()
    df = _frame(data, file)
    cols = set(df.columns)
    if "firm_id" in cols and "firm_name_zh" not in cols:
        layout = "bundled"
        need = ("id", "date", "firm_id", "chain", "kind", "source")
    else:
        layout = "shared"
        need = SHARED_COLUMNS
    missing = [c for c in need if c not in cols]
    if missing:
        raise InputError([Problem(file, "not_events_file", {"missing": list(missing), "needed": list(SHARED_COLUMNS)},
                                  column=missing[0])])
    get = lambda c: df[c] if c in df else pd.Series("", index=df.index)  # noqa: E731
    firms, links = tables.firms, tables.links
    matcher = FirmMatcher(firms[[c for c in ("id", "name_zh", "name_en", "aliases", "credit_code") if c in firms]],
                          tables.relations, places=places)
    codes = _code_index(firms)
    known_ids = set(firms["id"])
    link_words = _link_words(links)
    link_chain = dict(zip(links["id"], links["chain"]))
    chains = set(tables.chains["id"])
    rows, problems = [], []
    for n, r in df.iterrows():
        bad = []
        try:
            date = parse_date(r["date"])
            if not date:
                bad.append(Problem(file, "blank_date", row=n, column="date"))
        except ValueError as e:
            bad.append(Problem.from_error(file, e, row=n, column="date"))
        if r["chain"] not in chains:
            bad.append(Problem(file, "unknown_chain_choose", {"value": r["chain"], "known": sorted(chains)},
                               row=n, column="chain"))
        if r["kind"] not in EVENT_KINDS:
            bad.append(Problem(file, "unknown_event_kind", {"value": r["kind"], "known": list(EVENT_KINDS)},
                               row=n, column="kind"))
        if not r["source"]:
            bad.append(Problem(file, "blank_source", row=n, column="source"))
        try:
            amount = parse_amount_yi(r["amount_yi"]) if "amount_yi" in df and r["amount_yi"] else None
        except ValueError as e:
            bad.append(Problem.from_error(file, e, row=n, column="amount_yi"))
        if bad:
            problems += bad
            continue
        code = normalise_stock_code(get("stock_code")[n])
        if layout == "bundled":
            name, hint = get("firm_name")[n], ""
            fid, method = (r["firm_id"], "id") if r["firm_id"] in known_ids else ("", "none")
            place, province = get("place")[n], province_of(get("place")[n])
            lid = get("link_id")[n]
            link_method = "id" if lid and link_chain.get(lid) == r["chain"] else ""
            if lid and not link_method:
                problems.append(Problem(file, "link_not_in_chain", {"link": lid, "chain": r["chain"]},
                                        row=n, column="link_id"))
                lid = ""
            eid, origin = r["id"] or _event_id(date, name, r["project"], r["chain"]), get("origin")[n] or "public"
            in_home = get("in_qingyuan")[n].lower() in ("true", "1", "yes", "是")
            notes = get("notes")[n]
        else:
            name, hint = r["firm_name_zh"], r["link_hint"]
            fid, method = "", "none"
            for c in (code, code[:6] if re.fullmatch(r"\d{6}\.(SH|SZ|BJ)", code) else ""):
                if c and c in codes:
                    fid, method = codes[c], "stock_code"
                    break
            if not fid:
                for nm in (name, get("firm_full_name")[n]):
                    m = matcher.match(nm)
                    if m.firm_id and m.method in AUTO_METHODS:
                        fid, method = m.firm_id, m.method
                        break
            city, province = get("city")[n], province_of(get("province")[n]) or province_of(get("city")[n])
            place = city if not province or city.startswith(province) else f"{province}{city}"
            lid, link_method = _match_link(hint, r["project"], link_words.get(r["chain"], []))
            eid, origin = _event_id(date, name, r["project"], r["chain"]), "public"
            in_home = bool(home.city) and home.city in city
            notes = "; ".join(x for x in (get("notes")[n], f"link_hint={hint}" if hint else "") if x)
        rows.append({"id": eid, "date": date, "firm_id": fid, "firm_name": name, "chain": r["chain"],
                     "link_id": lid, "kind": r["kind"], "project": r["project"] if "project" in df else "",
                     "place": place, "in_qingyuan": in_home, "amount_yi": np.nan if amount is None else amount,
                     "origin": origin, "source": r["source"], "verified": get("verified")[n], "notes": notes,
                     "stock_code": code, "province": province, "row": n, "firm_method": method,
                     "link_method": link_method})
    events = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
    dup = events["id"].duplicated(keep="first")
    for n, eid in zip(events.loc[dup, "row"], events.loc[dup, "id"]):
        problems.append(Problem(file, "same_event", {"id": eid}, row=int(n)))
    return EventFile(events[~dup].reset_index(drop=True), problems, layout)
