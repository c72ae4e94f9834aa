"""An in-memory store: one networkx ``MultiDiGraph``, nothing persisted.

For tests, examples and one-off analyses of a folder; a user's workspace lives
in :class:`~chainmap.store.sqlite.SqliteStore`.
"""
from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pandas as pd

from ..io.workspace import bundled_workspace, read_workspace, validate_tables
from ..model import Tables
from . import LOCAL_AUTHOR, Edit, Progress
from .changes import Clock, apply_edits, new_change_set, select_history, timestamp, undo_change_set, utc_now
from .mapping import ENDPOINTS, NODE_LABELS, REL_KEYS, REL_TYPES, GraphRecords, from_records, to_records

__all__ = ["MemoryStore", "build_graph", "graph_counts"]


def build_graph(records: GraphRecords) -> nx.MultiDiGraph:
    """The property graph of :mod:`chainmap.store.mapping` as a networkx ``MultiDiGraph``.

    Nodes are keyed ``(label, id)``; each relationship's key is its type plus
    the properties that tell parallel relationships apart.
    """
    g = nx.MultiDiGraph()
    # Rows as object arrays and one add_*_from per label: half the time of per-row dicts and add_edge.
    for label, df in records.nodes.items():
        cols, at = list(df.columns), list(df.columns).index("id")
        g.add_nodes_from(((label, row[at]), {"label": label, **{c: v for c, v in zip(cols, row) if v is not None}})
                         for row in df.to_numpy(dtype=object))
    for rtype, df in records.rels.items():
        src_label, dst_label = ENDPOINTS[rtype]
        cols = list(df.columns)
        si, di = cols.index("src"), cols.index("dst")
        keys = [cols.index(k) if k in cols else None for k in REL_KEYS[rtype]]
        g.add_edges_from(((src_label, row[si]), (dst_label, row[di]),
                          (rtype, *(None if k is None else row[k] for k in keys)),
                          {"type": rtype, **{c: v for c, v in zip(cols, row) if v is not None and c not in ("src", "dst")}})
                         for row in df.to_numpy(dtype=object))
    return g


def graph_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and relationships per type (every label and type, zeros included)."""
    c = Counter(d["label"] for _, d in g.nodes(data=True))
    c.update(d["type"] for _, _, d in g.edges(data=True))
    return {k: c.get(k, 0) for k in (*NODE_LABELS, *REL_TYPES)}


def _frame(rows: list[dict], required: list[str]) -> pd.DataFrame:
    """Records as a DataFrame that has the ``required`` columns even when empty."""
    df = pd.DataFrame(rows)
    return df.reindex(columns=df.columns.union(required))


class MemoryStore:
    """A networkx property graph held in memory.

    Parameters
    ----------
    tables : Tables, optional
        Initial content; validated like any :meth:`load`.
    clock : callable, optional
        Returns the time stamped on audit rows (default: now, UTC).

    Examples
    --------
    >>> store = MemoryStore.open()          # the bundled graphs/ and seeds/
    >>> "electronics" in set(store.tables().chains["id"])
    True
    >>> store.graph.nodes["Firm", "kingboard"]["name_zh"]
    '建滔集团'
    """

    backend = "memory"

    def __init__(self, tables: Tables | None = None, clock: Clock = utc_now):
        self.graph = nx.MultiDiGraph()
        self.clock = clock
        self._tables: Tables | None = None
        self._version = 0
        # Streamlit serves sessions from threads of one process: check-then-write must not interleave.
        self._lock = threading.RLock()
        if tables is not None:
            self.load(tables)

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "MemoryStore":
        """Read a workspace folder (default: the bundled one) into memory."""
        return cls(read_workspace(Path(path) if path is not None else bundled_workspace()))

    def load(self, tables: Tables, progress: Progress | None = None) -> None:
        with self._lock:
            self._load(tables, progress)

    def _load(self, tables: Tables, progress: Progress | None) -> None:
        self._swap(validate_tables(tables), progress)

    def _swap(self, checked: Tables, progress: Progress | None = None) -> None:
        graph = build_graph(to_records(checked))
        # Swap only once everything is built: a failure above leaves the store as it was.
        # Tables are then read back from the graph itself, not kept from the input.
        self.graph, self._tables = graph, None
        self._version += 1
        if progress:
            progress(graph.number_of_nodes() + graph.number_of_edges(),
                     graph.number_of_nodes() + graph.number_of_edges(), "loaded")

    def tables(self) -> Tables:
        if self._tables is None:
            self._tables = from_records(self.records())
        return self._tables

    def records(self) -> GraphRecords:
        """Read the graph back into node and relationship records."""
        nodes = {label: [] for label in NODE_LABELS}
        for _, data in self.graph.nodes(data=True):
            nodes[data["label"]].append({k: v for k, v in data.items() if k != "label"})
        rels = {rtype: [] for rtype in REL_TYPES}
        for u, v, data in self.graph.edges(data=True):
            rels[data["type"]].append({"src": u[1], "dst": v[1], **{k: x for k, x in data.items() if k != "type"}})
        return GraphRecords({k: _frame(v, ["id"]) for k, v in nodes.items()},
                            {k: _frame(v, ["src", "dst"]) for k, v in rels.items()})

    def write(self, edits: Mapping[str, Edit], *, author: str, action: str,
              expected: Mapping[str, pd.DataFrame] | None = None) -> str:
        change_set = new_change_set()
        with self._lock:
            new, _ = apply_edits(self.tables(), edits, change_set=change_set, at=timestamp(self.clock),
                                 author=author, action=action, expected=expected)
            self._swap(new)
        return change_set

    def history(self, *, table: str | None = None, key=None, change_set: str | None = None) -> pd.DataFrame:
        return select_history(self.tables().changes, table=table, key=key, change_set=change_set)

    def undo(self, change_set: str, *, author: str) -> str:
        new_id = new_change_set()
        with self._lock:
            new, _ = undo_change_set(self.tables(), change_set, new_change_set=new_id, at=timestamp(self.clock),
                                     author=author)
            self._swap(new)
        return new_id

    def upsert(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None = None, *,
               author: str = LOCAL_AUTHOR, action: str = "edit") -> str:
        return self.write({name: Edit(upsert=rows)}, author=author, action=action,
                          expected=None if expected is None else {name: expected})

    def counts(self) -> dict[str, int]:
        return graph_counts(self.graph)

    def version(self) -> str:
        """Changes with every load and write (of this object: nothing else writes to it)."""
        return str(self._version)

    def describe(self) -> str:
        return "memory"

    def close(self) -> None:
        pass
