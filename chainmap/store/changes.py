"""Change sets: the pure core of ``write``, ``history`` and ``undo``, shared by every store.

A *change set* is one call of :meth:`~chainmap.store.GraphStore.write`: edits
to one or more tables, applied all-or-nothing and recorded in the ``changes``
table with one audit row per record that really changed (an upsert that leaves
a record as it was records nothing). An audit row holds the change-set id, the
time (UTC, ISO 8601), the author, the action, the table, the record's key (a
JSON list), ``op`` (add / update / delete) and the whole row before and after
as JSON (``before`` is blank for an add, ``after`` for a delete).

These functions take tables and return tables; the stores only add locking,
persistence and the clock.

Examples
--------
>>> from chainmap.io import bundled_workspace, read_workspace
>>> t = read_workspace(bundled_workspace())
>>> firm = t.firms.query("id == 'tailg'").assign(revenue_yi=250.0)
>>> t2, audit = apply_edits(t, {"firms": Edit(upsert=firm)}, change_set="c1",
...                         at="2026-03-01T08:00:00.000000+00:00", author="李科长", action="edit firms")
>>> audit[["change_set", "author", "table", "key", "op"]].to_dict("records")
[{'change_set': 'c1', 'author': '李科长', 'table': 'firms', 'key': '["tailg"]', 'op': 'update'}]
>>> t3, _ = undo_change_set(t2, "c1", new_change_set="c2", at="2026-03-01T09:00:00.000000+00:00", author="王主任")
>>> t3.firms.equals(t.firms)
True
>>> list(select_history(t3.changes, key="tailg")["change_set"])
['c2', 'c1']
"""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Callable, Mapping
import numpy as np
import pandas as pd

from ..io.schemas import SPECS
from ..io.workspace import REFERENCES, canonical
from ..model import TABLE_NAMES, Tables
from . import ConflictError, Edit, StoreError, check_expected
from .mapping import conform

__all__ = ["Clock", "AUDITED", "utc_now", "timestamp", "new_change_set", "row_json", "key_texts", "rows_by_key",
           "apply_edits", "validate_edited", "check_write", "audit_rows", "undo_change_set", "undo_edits", "select_history",
           "trail_problems", "change_text"]

#: ``clock()`` returns the current time (timezone-aware); stores take one so tests can fix it.
Clock = Callable[[], dt.datetime]
#: Tables a write may edit: everything but the audit trail itself.
AUDITED = tuple(n for n in TABLE_NAMES if n != "changes")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def timestamp(clock: Clock) -> str:
    """``clock()`` in UTC as ISO 8601 with microseconds, so timestamps sort as text.

    >>> timestamp(lambda: dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    '2026-03-01T08:30:00.000000+00:00'
    """
    return clock().astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def new_change_set() -> str:
    """A fresh change-set id: 12 hex digits, short enough to type in ``chainmap undo``."""
    return uuid.uuid4().hex[:12]


def _plain(v):
    # JSON has no NaN or NA: a blank is null. numpy scalars become Python ones.
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    return v.item() if isinstance(v, np.generic) else v


def row_json(row: Mapping) -> str:
    """One record as JSON: blanks as null, numbers as numbers, Chinese unescaped.

    >>> row_json({"id": "kingboard", "name_zh": "建滔集团", "revenue_yi": float("nan"), "revenue_year": 2024})
    '{"id": "kingboard", "name_zh": "建滔集团", "revenue_yi": null, "revenue_year": 2024}'
    """
    return json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False)


def key_texts(name: str, df: pd.DataFrame) -> pd.Series:
    """The key of every row of table ``name`` as a JSON list (the ``key`` column of ``changes``).

    >>> key_texts("followups", pd.DataFrame({"firm_id": ["tailg"], "chain": ["ebike"]})).tolist()
    ['["tailg", "ebike"]']
    >>> key_texts("mechanism", pd.DataFrame({"chain": ["ebike"], "slot": [np.int64(3)]})).tolist()
    ['["ebike", 3]']
    """
    spec = SPECS[name]
    cols = []
    # Plain Python over the key columns: this runs on every write, where pandas' per-column overhead dominated.
    for k in spec.key:
        kind = spec.col(k).kind
        vals = df[k].tolist() if k in df else [None] * len(df)
        if kind == "int":
            cols.append([None if _blank(v) else int(v) for v in vals])
        elif kind == "float":
            cols.append([None if _blank(v) else float(v) for v in vals])
        else:
            cols.append(["" if _blank(v) else str(v) for v in vals])
    return pd.Series([json.dumps(list(r), ensure_ascii=False) for r in zip(*cols)], index=df.index, dtype=object)


def _blank(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def rows_by_key(name: str, df: pd.DataFrame, keys: set[str]) -> dict[str, str]:
    """``{key text: row JSON}`` for the rows of ``df`` whose key is in ``keys``."""
    k = key_texts(name, df)
    hit = k.isin(keys).to_numpy()
    return {kt: row_json(r) for kt, r in zip(k[hit], df[hit].to_dict("records"))}


def _replace(current: pd.DataFrame, name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``current`` with ``rows`` inserted, replacing rows of the same key."""
    rows = rows.reindex(columns=SPECS[name].names)
    keep = ~key_texts(name, current).isin(set(key_texts(name, rows))).to_numpy()
    return pd.concat([current[keep], rows.astype(current.dtypes.to_dict())], ignore_index=True)


def apply_edits(tables: Tables, edits: Mapping[str, Edit], *, change_set: str, at: str, author: str,
                action: str, expected: Mapping[str, pd.DataFrame] | None = None) -> tuple[Tables, pd.DataFrame]:
    """Apply a change set to ``tables``: the new, validated tables and the audit rows added.

    Raises :class:`~chainmap.io.InputError` when the result breaks a rule
    (schema, references, link graph) and :class:`~chainmap.store.ConflictError`
    when a table's stored rows differ from its ``expected`` rows (see
    :func:`~chainmap.store.check_expected`); either way nothing is returned, so
    the caller changes nothing.
    """
    check_write(edits, author)
    new, touched = {}, {}
    for name, edit in edits.items():
        key = list(SPECS[name].key)
        table = getattr(tables, name)
        given = [df for df in (edit.upsert, edit.delete) if df is not None and len(df)]
        if not given:
            continue
        if expected is not None and expected.get(name) is not None:
            check_expected(table, name, pd.concat([conform(name, df.reindex(columns=key)) for df in given]),
                           expected[name])
        if edit.delete is not None and len(edit.delete):
            table = table[~key_texts(name, table).isin(set(key_texts(name, edit.delete))).to_numpy()]
        if edit.upsert is not None and len(edit.upsert):
            table = _replace(table, name, edit.upsert)
        new[name] = table
        touched[name] = set().union(*(key_texts(name, df) for df in given))
    checked = validate_edited(tables.replace(**new), set(new)) if new else tables
    audit = []
    for name, keys in touched.items():
        audit += audit_rows(name, keys, rows_by_key(name, getattr(tables, name), keys),
                            rows_by_key(name, getattr(checked, name), keys),
                            change_set=change_set, at=at, author=author, action=action)
    audit = conform("changes", pd.DataFrame(audit, columns=SPECS["changes"].names))
    changes = canonical("changes", pd.concat([tables.changes, audit], ignore_index=True))
    return checked.replace(changes=changes), audit


def validate_edited(tables: Tables, edited: set[str]) -> Tables:
    """:func:`~chainmap.io.validate_tables` for a store's tables after a write that changed the tables ``edited``.

    The other tables are a store's content, validated when they were saved and unchanged since: only the
    edited ones are checked against their schema again (pandera took ~0.6 s a write for all sixteen), while
    the rules between tables (references, and the link graph when chains, links or edges changed) run over
    everything. The edited tables come back in canonical order, the others as they were.

    >>> from chainmap.io import InputError, bundled_workspace, read_workspace
    >>> t = read_workspace(bundled_workspace())
    >>> bad = t.operations.head(1).assign(link_id="no_such_link")
    >>> try:
    ...     validate_edited(t.replace(operations=pd.concat([t.operations, bad])), {"operations"})
    ... except InputError as e:
    ...     print(e.problems[0].code, e.problems[0].column)
    unknown_ref link_id
    >>> validate_edited(t, {"firms"}).firms.equals(t.firms)
    True
    """
    from ..io.chains import check_link_graph
    from ..io.tables import validate_table
    from ..io.workspace import check_references

    checked = {}
    for name, df in tables.items():
        df = df.set_axis(range(2, len(df) + 2))   # row numbers for messages, as validate_tables numbers them
        checked[name] = validate_table(df, SPECS[name], f"<{name} table>") if name in edited else df
    if edited & {"chains", "links", "edges"}:
        links, edges = checked["links"], checked["edges"]
        check_link_graph(links, edges, ["<edges table>"] * len(edges), ["<links table>"] * len(links))
    check_references(checked, {n: f"<{n} table>" for n in checked})
    return tables.replace(**{n: canonical(n, checked[n]) for n in edited})


def check_write(edits: Mapping[str, Edit], author: str) -> None:
    """Refuse a change set to a table that cannot be edited, or one without an author."""
    bad = sorted(set(edits) - set(AUDITED))
    if bad:
        raise ValueError(f"cannot write table(s) {', '.join(bad)}: choose from {', '.join(AUDITED)}")
    if not str(author).strip():
        raise ValueError("a write needs an author")


def audit_rows(name: str, keys, before: Mapping[str, str], after: Mapping[str, str], *, change_set: str, at: str,
               author: str, action: str) -> list[dict]:
    """One audit row per key whose row JSON differs between ``before`` and ``after`` (absent: added/deleted).

    >>> audit_rows("firms", ['["a"]'], {}, {'["a"]': '{"id": "a"}'}, change_set="c1", at="t", author="me",
    ...            action="edit")[0]["op"]
    'add'
    """
    out = []
    for k in sorted(keys):
        b, a = before.get(k), after.get(k)
        if b != a:
            out.append({"change_set": change_set, "at": at, "author": author, "action": action, "table": name,
                        "key": k, "op": "add" if b is None else "delete" if a is None else "update",
                        "before": b or "", "after": a or ""})
    return out


def undo_change_set(tables: Tables, change_set: str, *, new_change_set: str, at: str,
                    author: str) -> tuple[Tables, pd.DataFrame]:
    """Restore the before-values of every record of ``change_set``, as a new change set.

    Records the change set added are deleted, records it deleted come back,
    updated records get their old values. Raises
    :class:`~chainmap.store.ConflictError` naming the records, and changes
    nothing, when a record was changed again after the change set (undo the
    later change first) or when a record added later depends on one the undo
    would delete; :class:`~chainmap.store.StoreError` for an unknown change set.
    """
    def dependents(table: str, col: str, values: set, skip: set[str]) -> list[str]:
        df = getattr(tables, table)
        keys = key_texts(table, df)
        return keys[(df[col].isin(values) & ~keys.isin(skip)).to_numpy()].tolist()

    def undone_by() -> str | None:
        hit = tables.changes.loc[tables.changes["action"] == f"undo {change_set}", "change_set"]
        return hit.iloc[0] if len(hit) else None

    edits = undo_edits(tables.changes[tables.changes["change_set"] == change_set], change_set,
                       current=lambda name, keys: rows_by_key(name, getattr(tables, name), keys),
                       dependents=dependents, undone_by=undone_by)
    return apply_edits(tables, edits, change_set=new_change_set, at=at, author=author, action=f"undo {change_set}")


def undo_edits(rows: pd.DataFrame, change_set: str, *, current, dependents, undone_by) -> dict[str, Edit]:
    """The edits that undo one change set, given its audit ``rows``; every store's undo runs on this.

    The store answers three questions through callables, so it can look up
    only what the change set touched: ``current(table, key_texts)`` returns
    ``{key text: row JSON}`` of the records stored now; ``dependents(table,
    column, values, skip)`` the key texts of rows of ``table`` whose ``column``
    holds one of ``values`` (except keys in ``skip``); ``undone_by()`` the id
    of a change set that already undid this one, or None. Raises
    :class:`~chainmap.store.ConflictError` (see :func:`undo_change_set`).
    """
    if rows.empty:
        raise StoreError("no_change_set", change_set=change_set)
    edits, conflicts, gone = {}, [], {}
    for name, group in rows.groupby("table", sort=True):
        now = current(name, set(group["key"]))
        conflicts += [(name, *json.loads(k)) for k, a in zip(group["key"], group["after"]) if now.get(k) != (a or None)]
        restore = [json.loads(b) for b in group["before"] if b]
        remove = [json.loads(a) for a, b in zip(group["after"], group["before"]) if not b]
        edits[name] = Edit(conform(name, pd.DataFrame(restore)) if restore else None,
                           conform(name, pd.DataFrame(remove)) if remove else None)
        if remove:
            gone[name] = (set(key_texts(name, pd.DataFrame(remove))), pd.DataFrame(remove))
    # Rows added later that point at a record the undo deletes (a follow-up of an imported firm).
    for table, col, target, tcol in REFERENCES:
        if target in gone:
            skip = gone[table][0] if table in gone else set()
            conflicts += [(table, *json.loads(k)) for k in dependents(table, col, set(gone[target][1][tcol]), skip)]
    if conflicts:
        done = undone_by()
        raise ConflictError(", ".join(sorted({c[0] for c in conflicts})), conflicts,
                            why="already_undone" if done else "cannot_undo", change_set=change_set, by=done)
    return edits


def trail_problems(tables: Tables) -> list[str]:
    """Where the audit trail and the data disagree: an empty list means they match.

    For every record the trail mentions, its newest audit row must describe the
    record as it is stored now (its ``after`` row, or no record after a
    delete). Records never edited (loaded ones) have no audit rows and are not
    checked. Used after crashes and races to prove nothing was half-written.

    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> t = read_workspace(bundled_workspace())
    >>> t2, _ = apply_edits(t, {"firms": Edit(upsert=t.firms.head(1).assign(notes="x"))}, change_set="c1",
    ...                     at="2026-03-01T08:00:00.000000+00:00", author="me", action="edit")
    >>> trail_problems(t2)
    []
    >>> trail_problems(t2.replace(firms=t.firms))[0][:37]
    'firms ["aima"]: store → trail: notes:'
    """
    ch = tables.changes
    if ch.empty:
        return []
    newest = ch.sort_values(["at", "change_set"], kind="stable").groupby(["table", "key"], sort=True).tail(1)
    problems = []
    for name, group in newest.groupby("table", sort=True):
        now = rows_by_key(name, getattr(tables, name), set(group["key"]))
        for k, after in zip(group["key"], group["after"]):
            if now.get(k) != (after or None):
                held = now.get(k)
                what = ("the trail says it was deleted" if not after else "the trail has it but the store does not"
                        if not held else f"store → trail: {change_text(held, after)}")
                problems.append(f"{name} {k}: {what}")
    return problems


def select_history(changes: pd.DataFrame, *, table: str | None = None, key=None,
                   change_set: str | None = None) -> pd.DataFrame:
    """Audit rows, newest first, filtered by table, record key and change set.

    ``key`` is a record's whole key as a tuple (``("tailg", "ebike")``), or
    one value (a firm id) that matches every record whose key contains it: a
    firm's own row, its follow-ups, plants, honours and relations.
    """
    df = changes
    if change_set is not None:
        df = df[df["change_set"] == change_set]
    if table is not None:
        df = df[df["table"] == table]
    if key is not None:
        parts = df["key"].map(lambda k: [str(v) for v in json.loads(k)])
        if isinstance(key, tuple):
            want = [str(v) for v in key]
            df = df[parts.map(lambda p: p == want).astype(bool)]
        else:
            df = df[parts.map(lambda p: str(key) in p).astype(bool)]
    return df.sort_values(["at", "change_set", "table", "key"], ascending=[False, False, True, True]).reset_index(
        drop=True)


def change_text(before: str, after: str, limit: int = 8, width: int = 40) -> str:
    """One audit row's before → after as short text: the changed fields only, long values cut at ``width``.

    >>> change_text('{"id": "kingboard", "name_zh": "建滔集团", "revenue_yi": null}',
    ...             '{"id": "kingboard", "name_zh": "建滔化工集团", "revenue_yi": 512.5}')
    'name_zh: 建滔集团 → 建滔化工集团; revenue_yi: — → 512.5'
    >>> change_text("", '{"id": "tailg", "name_zh": "台铃科技", "notes": ""}')
    'id: tailg; name_zh: 台铃科技'
    """
    b = json.loads(before) if before else {}
    a = json.loads(after) if after else {}

    def show(v, skip: int = 0):
        text = "—" if v is None or v == "" else str(v)
        text = "…" + text[skip:] if skip else text
        return text if len(text) <= width else text[:width - 1] + "…"

    def pair(old, new):
        # Long texts that differ late (an appended source) are shown from just before the difference.
        o, n = show(old, 0), show(new, 0)
        if isinstance(old, str) and isinstance(new, str) and (len(old) > width or len(new) > width):
            same = len(os.path.commonprefix([old, new]))
            skip = max(same - 10, 0)
            o, n = show(old, skip), show(new, skip)
        return f"{o} → {n}"

    if not b or not a:  # an add or a delete: the row's filled-in fields
        parts = [f"{k}: {show(v)}" for k, v in (a or b).items() if v not in (None, "", False)]
    else:
        parts = [f"{k}: {pair(b.get(k), a.get(k))}" for k in a if a.get(k) != b.get(k)]
    return "; ".join(parts[:limit]) + ("; …" if len(parts) > limit else "")
