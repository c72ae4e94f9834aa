"""Graph stores: one protocol, two backends (networkx in memory, Neo4j).

Analysis and scoring never talk to a store's internals: they take the
:class:`~chainmap.model.Tables` snapshot that :meth:`GraphStore.tables` returns,
so both backends feed them exactly the same input.

Every edit goes through :meth:`GraphStore.write` as one *change set* and leaves
an audit trail in the store itself (the ``changes`` table; see
:mod:`chainmap.store.changes`), which :meth:`GraphStore.history` reads and
:meth:`GraphStore.undo` reverts.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Callable, NamedTuple, Protocol, runtime_checkable

import pandas as pd

from ..io.messages import ERRORS, Coded
from ..model import Tables

__all__ = ["GraphStore", "Edit", "Progress", "StoreError", "ConflictError", "check_expected", "check_expected_rows", "expected_rows",
           "LOCAL_AUTHOR"]

#: The author of writes made where nobody signed in (the CLI's fallback is the OS user).
LOCAL_AUTHOR = "local"

#: ``progress(done, total, what)``: called during long loads.
Progress = Callable[[int, int, str], None]


class StoreError(Coded, RuntimeError):
    """A store cannot do what was asked: a code of :data:`chainmap.io.messages.ERRORS` and its values, without
    credentials. ``str(error)`` is English (logs); :meth:`text` says it in the user's language.

    A message that is no code (a driver's own words) is kept as it is (code ``other``).

    >>> e = StoreError("no_change_set", change_set="3f9c")
    >>> str(e), e.text("zh")
    ("no change set '3f9c' in the audit trail", '变更记录中没有变更集“3f9c”')
    """

    def __init__(self, code: str, **params):
        if code not in ERRORS:
            code, params = "other", {"message": code}
        super().__init__(code, **params)


class ConflictError(StoreError):
    """Someone else saved the same record after you read it; nothing was written.

    ``keys`` lists the keys of the records that changed underneath the editor; ``why`` is a code
    (``changed_since``, the default; ``already_undone`` and ``cannot_undo`` for an undo) and ``params`` its values.
    """

    def __init__(self, table: str, keys: list[tuple], why: str = "changed_since", **params):
        self.table, self.keys = table, keys
        shown = ", ".join("/".join(map(str, k)) for k in keys[:5]) + (", …" if len(keys) > 5 else "")
        super().__init__("conflict", table=table, n=len(keys), shown=shown, why=why, **params)


class Edit(NamedTuple):
    """What one change set does to one table (see :meth:`GraphStore.write`).

    ``upsert`` holds rows to insert or replace, by the table's key;
    ``delete`` holds the key columns of rows to remove (other columns are
    ignored, keys that are not stored are skipped).
    """

    upsert: pd.DataFrame | None = None
    delete: pd.DataFrame | None = None


def check_expected(current: pd.DataFrame, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None) -> None:
    """Raise :class:`ConflictError` unless the stored rows still equal what the editor read.

    ``expected`` holds the rows as the editor first read them; a key of
    ``rows`` that is absent from ``expected`` must be absent from the store too
    (a new record). Comparison is by value over every column (blanks equal blanks).
    """
    from .changes import key_texts, rows_by_key

    if expected is None:
        return
    keys = set(key_texts(name, rows))
    check_expected_rows(name, keys, rows_by_key(name, current, keys), expected)


def check_expected_rows(name: str, keys: set[str], current: Mapping[str, str], expected: pd.DataFrame) -> None:
    """:func:`check_expected` on the stored rows as ``{key text: row JSON}`` (what a store read by key)."""
    import json

    from ..io.schemas import SPECS
    from .changes import rows_by_key
    from .mapping import conform

    exp = rows_by_key(name, conform(name, expected.reindex(columns=SPECS[name].names)), keys)
    changed = [tuple(json.loads(k)) for k in sorted(keys) if current.get(k) != exp.get(k)]
    if changed:
        raise ConflictError(name, changed)


def expected_rows(current: pd.DataFrame, name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``current`` (a table as read) with the keys of ``rows``: the ``expected`` of a write
    planned from that read, so that a record saved by someone else in between is a conflict.

    >>> cur = pd.DataFrame({"link_id": ["pcb", "ccl"], "method": ["走访", "电话"]})
    >>> expected_rows(cur, "assessments", pd.DataFrame({"link_id": ["pcb", "resin"]}))["link_id"].tolist()
    ['pcb']
    """
    from ..io.schemas import SPECS

    key = list(SPECS[name].key)
    want = pd.MultiIndex.from_frame(rows[key].astype(object)) if len(key) > 1 else pd.Index(rows[key[0]])
    have = pd.MultiIndex.from_frame(current[key].astype(object)) if len(key) > 1 else pd.Index(current[key[0]])
    return current[have.isin(want)]


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers.

    ``load`` replaces the whole content, the ``changes`` audit table included,
    and records nothing in it (a load is a restore or a migration, not an
    edit). It is all-or-nothing: the tables are validated first, and a failure
    leaves the store as it was.

    ``write`` applies one change set, ``{table: Edit(upsert=rows,
    delete=keys)}``, with the same guarantee: the resulting tables are
    validated first, then written in one transaction (SQLite, Neo4j) or one
    swap (memory). Given ``expected`` (per table, the rows as the editor first read
    them) it raises :class:`ConflictError` instead of overwriting a record
    someone else saved in between. It appends one audit row per record that
    changed, stamped with ``author``, ``action`` and the store's clock, and
    returns the change-set id. ``history`` returns audit rows, newest first
    (see :func:`chainmap.store.changes.select_history` for the filters).
    ``undo`` writes a new change set that restores the before-values, or raises
    :class:`ConflictError` naming the records changed since. ``upsert`` is
    ``write`` for one table.

    ``tables`` returns every table in canonical order (sorted by key),
    identical across backends for the same content. ``version`` returns a
    text that changes whenever the content does (a write or load by anyone),
    so callers can key caches on it; ``describe`` says where the data lives,
    without credentials.
    """

    backend: str

    def load(self, tables: Tables, progress: Progress | None = None) -> None: ...

    def tables(self) -> Tables: ...

    def write(self, edits: Mapping[str, Edit], *, author: str, action: str,
              expected: Mapping[str, pd.DataFrame] | None = None) -> str: ...

    def history(self, *, table: str | None = None, key=None, change_set: str | None = None) -> pd.DataFrame: ...

    def undo(self, change_set: str, *, author: str) -> str: ...

    def upsert(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None = None, *,
               author: str = LOCAL_AUTHOR, action: str = "edit") -> str: ...

    def counts(self) -> dict[str, int]: ...

    def version(self) -> str: ...

    def describe(self) -> str: ...

    def close(self) -> None: ...
