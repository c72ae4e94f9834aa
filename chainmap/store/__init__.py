"""Graph stores: one protocol, two backends (networkx in memory, Neo4j).

Analysis and scoring never talk to a store's internals: they take the
:class:`~chainmap.model.Tables` snapshot that :meth:`GraphStore.tables` returns,
so both backends feed them exactly the same input.
"""
from __future__ import annotations

from typing import Callable, Protocol, runtime_checkable

import pandas as pd

from ..model import Tables

__all__ = ["GraphStore", "Progress"]

#: ``progress(done, total, what)``: called during long loads.
Progress = Callable[[int, int, str], None]


@runtime_checkable
class GraphStore(Protocol):
    """What every store offers.

    ``load`` replaces the whole content and is all-or-nothing: the tables are
    validated first, and a failure leaves the store as it was. ``upsert``
    inserts or updates rows of one table by the table's key, with the same
    guarantee. ``tables`` returns every table in canonical order (sorted by
    key), identical across backends for the same content.
    """

    backend: str

    def load(self, tables: Tables, progress: Progress | None = None) -> None: ...

    def tables(self) -> Tables: ...

    def upsert(self, name: str, rows: pd.DataFrame) -> None: ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...
