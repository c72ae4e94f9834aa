"""Graph stores: one protocol, two backends (networkx in memory, Neo4j).

Analysis and scoring never talk to a store's internals: they take the
:class:`~chainmap.model.Tables` snapshot that :meth:`GraphStore.tables` returns,
so both backends feed them exactly the same input.
"""
from __future__ import annotations

from typing import Callable, Protocol, runtime_checkable

import pandas as pd

from ..model import Tables

__all__ = ["GraphStore", "Progress", "StoreError", "ConflictError", "check_expected"]

#: ``progress(done, total, what)``: called during long loads.
Progress = Callable[[int, int, str], None]


class StoreError(RuntimeError):
    """A store cannot do what was asked; the message says why, without credentials."""


class ConflictError(StoreError):
    """Someone else saved the same record after you read it; nothing was written.

    ``keys`` lists the keys of the records that changed underneath the editor.
    """

    def __init__(self, table: str, keys: list[tuple]):
        self.table, self.keys = table, keys
        shown = ", ".join("/".join(map(str, k)) for k in keys[:5])
        super().__init__(f"{table}: {len(keys)} record(s) were changed by someone else since you opened them "
                         f"({shown}); reload to see their version, then edit again")


def check_expected(current: pd.DataFrame, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None) -> None:
    """Raise :class:`ConflictError` unless the stored rows still equal what the editor read.

    ``expected`` holds the rows as the editor first read them; a key of
    ``rows`` that is absent from ``expected`` must be absent from the store too
    (a new record). Comparison is by value over every column.
    """
    from ..io.schemas import SPECS
    from .mapping import conform

    if expected is None:
        return
    key = list(SPECS[name].key)
    cur = conform(name, current).set_index(key)
    exp = conform(name, expected.reindex(columns=SPECS[name].names)).set_index(key)
    changed = []
    for k in rows.set_index(key).index:
        in_cur, in_exp = k in cur.index, k in exp.index
        if in_cur != in_exp:
            changed.append(k if isinstance(k, tuple) else (k,))
        elif in_cur:
            a, b = cur.loc[[k]].iloc[0], exp.loc[[k]].iloc[0]
            same = all((pd.isna(x) and pd.isna(y)) or x == y for x, y in zip(a.tolist(), b.tolist()))
            if not same:
                changed.append(k if isinstance(k, tuple) else (k,))
    if changed:
        raise ConflictError(name, changed)


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers.

    ``load`` replaces the whole content and is all-or-nothing: the tables are
    validated first, and a failure leaves the store as it was. ``upsert``
    inserts or updates rows of one table by the table's key, with the same
    guarantee; given ``expected`` (the rows as the editor first read them) it
    raises :class:`ConflictError` instead of overwriting a record someone else
    saved in between. ``tables`` returns every table in canonical order
    (sorted by key), identical across backends for the same content.
    """

    backend: str

    def load(self, tables: Tables, progress: Progress | None = None) -> None: ...

    def tables(self) -> Tables: ...

    def upsert(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None = None) -> None: ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...
