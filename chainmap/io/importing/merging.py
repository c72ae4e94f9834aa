"""Merge planned records with what the store holds: one record per key, blanks never erase, sources add up.

Every planner writes through :func:`put`; :func:`frames` turns what was
planned into the typed tables the store's ``write`` takes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ...model import Tables
from ..matching import FirmMatcher
from ..schemas import SPECS
from .cells import Bad, Vocabulary

__all__ = ["Context", "put", "stored_record", "same", "fill", "sources", "frames", "all_same", "given"]


@dataclass
class Context:
    """What planning one file knows: the store's tables, the firms and records planned so far."""

    kind: str
    file: str
    tables: Tables
    today: dt.date
    author: str
    vocab: Vocabulary
    matcher: FirmMatcher
    headers: dict[str, str]  # column → header as written
    firms: dict[str, dict] = field(default_factory=dict)  # firm id → record as planned
    new_keys: dict[str, str] = field(default_factory=dict)  # normalised name → id of a firm this file adds
    out: dict[str, dict[tuple, dict]] = field(default_factory=dict)  # table → key → record
    codes: dict[str, tuple] = field(default_factory=dict)  # credit code → (name, key, firm) of its first row
    index: dict[str, tuple] = field(default_factory=dict)  # table → (key → position, columns, values)
    ops: dict | None = None  # link → the firms with an operation in it
    new_ops: tuple = field(default_factory=lambda: ([], [], []))  # firms, links and sources of the operations planned

    shared: dict = field(default_factory=dict)  # key → a reason given by many rows, held once
    seen_links: dict = field(default_factory=dict)  # (link as written, chain) → link id

    def shared_reason(self, key: tuple, reason: tuple) -> tuple:
        """The reason held under ``key`` (``reason`` itself the first time): rows whose reasons are alike share one
        tuple, so a million rows' report does not hold a million copies of "exact match; changed: 营业收入"."""
        hit = self.shared.get(key)
        if hit is None:
            if len(self.shared) >= 100_000:  # keys are few (method, note, columns changed); bounded all the same
                return reason
            hit = self.shared[key] = reason
        return hit

    def bad(self, col: str, code: str, /, **params) -> Bad:
        """A bad cell of ``col`` (named by its header as written): a problem code and its values."""
        return Bad((self.headers.get(col, col), code, params))


def py(v):
    if v.__class__ is str:  # most values: a plain string is itself (checked first, it is the hot path)
        return v
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    return v.item() if hasattr(v, "item") else v


def given(v) -> bool:
    return v is not None and v != ""


def put(ctx: Context, table: str, record: dict) -> tuple[str, dict | None]:
    """Plan a record of a keyed table; ``(action, stored record or None)``, comparing with what is stored."""
    key = tuple(record[k] for k in SPECS[table].key)
    stored = stored_record(ctx, table, key)
    planned = ctx.out.setdefault(table, {})
    if key in planned:
        action = "merged"
    elif stored is None:
        action = "added"
    else:
        action = "unchanged" if all(same(record.get(c), stored.get(c)) for c in SPECS[table].names) else "updated"
    if action != "unchanged":
        planned[key] = record
    return action, stored


def stored_record(ctx: Context, table: str, key: tuple) -> dict | None:
    """The stored record with this key, as a dict made when asked (the table is held as columns, not records)."""
    index = ctx.index
    if table not in index:
        df = getattr(ctx.tables, table)
        k = list(SPECS[table].key)
        names = k + [c for c in df.columns if c not in k]
        # Each stored value made a Python value once, the rows as tuples: a record asked for is one zip in C (a
        # million-row file asks for its firms' records a million times).
        rows = list(zip(*[list(map(py, _column(df[c]))) for c in names])) if len(df) else []
        index[table] = ({x[: len(k)]: i for i, x in enumerate(rows)}, names, rows)
    at, names, rows = index[table]
    i = at.get(tuple(py(x) for x in key))
    return None if i is None else dict(zip(names, rows[i]))


def _column(s: pd.Series) -> list:
    """A column's values as Python objects (strings of an Arrow-backed column converted once, in C)."""
    return s.tolist()


def same(a, b) -> bool:
    if a.__class__ is str and b.__class__ is str:  # two plain strings: blank equals blank, else equal text
        return a == b
    a, b = py(a), py(b)
    if not given(a) and not given(b):
        return True
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))
        except (TypeError, ValueError):
            return False
    return a == b


def fill(table: str, rec: dict, stored: dict | None, file: str) -> dict:
    """A whole record: the row's values, and the stored ones where the row is blank.

    A new record without a source gets the file as its source.
    """
    out = {}
    for c in SPECS[table].names:
        v = rec.get(c)
        out[c] = v if given(v) else (stored or {}).get(c, v)
    if "source" in out:
        out["source"] = sources(stored.get("source"), rec.get("source")) if stored else \
            out["source"] or f"import: {file}"
    return out


def sources(old: str | None, new: str | None, sep: str = " ; ") -> str:
    """Sources of a record: an import adds its own, keeping those of the facts already held."""
    have = [x.strip() for x in (old or "").split(sep) if x.strip()]
    add = [x.strip() for x in (new or "").split(sep) if x.strip() and x.strip() not in have]
    return sep.join(have + add) if have or add else (old or new or "")



def frames(ctx: Context) -> dict[str, pd.DataFrame]:
    """The planned records as typed tables in the spec's column order."""
    records = {t: list(recs.values()) for t, recs in ctx.out.items()}
    ctx.out.clear()
    names = SPECS["firms"].names
    # Changed records as tuples in the spec's order (a column a record lacks is None, blank in the frame as a
    # missing key was): a quarter of a million dicts are not built again for the frame.
    changed = [tuple(map(r.get, names)) for fid, r in ctx.firms.items()
               if not all_same(r, stored_record(ctx, "firms", (fid,)))]
    ctx.firms.clear()  # the records live on in ``changed`` only: a million rows' worth is not held twice
    ctx.index.clear()
    if changed:
        records["firms"] = changed
    if ctx.new_ops[0]:
        firm, link, source = ctx.new_ops
        ops = {"firm_id": firm, "link_id": link, "local": False, "entity": "", "location": "",
               "output_yi": None, "chain_leader": False, "since": "", "source": source, "verified": "",
               "notes": ""}
        records["operations"] = records.get("operations", []) + [pd.DataFrame(ops, columns=SPECS["operations"].names)]
        firm.clear(), link.clear(), source.clear()
        ctx.new_ops = ([], [], [])
        del ops, firm, link, source
    out = {}
    for table in list(records):
        recs = records.pop(table)
        if not len(recs):
            continue
        spec = SPECS[table]
        if recs and isinstance(recs[-1], pd.DataFrame):  # operations: planned rows as one frame
            frame = recs.pop()
            df = pd.concat([pd.DataFrame(recs, columns=spec.names), frame], ignore_index=True) if recs else frame
        else:
            df = pd.DataFrame(recs, columns=spec.names)
        for c in spec.columns:
            if c.kind == "float":
                df[c.name] = pd.to_numeric(df[c.name], errors="coerce").astype(float)
            elif c.kind == "int":
                df[c.name] = pd.to_numeric(df[c.name], errors="coerce").astype("Int64")
            elif c.kind == "bool":
                df[c.name] = df[c.name].fillna(False).astype(bool)
            else:
                df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), "").astype("str")
        out[table] = df
    return out


def all_same(record: dict, stored: dict | None) -> bool:
    return stored is not None and all(same(record.get(c), stored.get(c)) for c in _FIRM_COLUMNS)


_FIRM_COLUMNS = tuple(SPECS["firms"].names)  # asked for every planned firm: made once
