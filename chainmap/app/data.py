"""Where the workbench's data comes from: the workspace, the store behind it, cached results.

* The **workspace** is a folder (``CHAINMAP_WORKSPACE``, default
  ``var/workspace/`` in the repository, git-ignored). On first use it is
  created as a copy of the bundled ``graphs/`` and ``seeds/``; the app never
  writes into the repository's own ``seeds/``.
* A **backend** wraps a store for the app: :class:`MemoryBackend` (the default,
  a :class:`~chainmap.store.memory.MemoryStore` saved to the workspace folder)
  or :class:`Neo4jBackend`. Both hand out a ``(tables, version)`` snapshot and
  write through ``store.upsert(name, rows, expected=..., author=...)``, so a
  record that someone else saved in between raises
  :class:`~chainmap.store.ConflictError` instead of being overwritten, and every
  save lands in the store's audit trail (``history``, ``undo``).
* The backend and the fitted scorer are held with ``st.cache_resource``;
  derived tables (ranked lists, gap tables, mechanism reviews) with
  ``st.cache_data``, keyed by the data version, so any save invalidates them.

The memory backend's version is a fingerprint of the workspace files (name,
size, modification time): edits made outside the app (the CLI, another
server) are picked up on the next rerun, and the store is re-read from disk
before a write so that conflict checks run against what is really saved. A
parsed copy of the tables is kept in ``<workspace>/.cache/`` (Parquet, keyed by
the fingerprint), so a restarted server does not parse a large library again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from ..io import bundled_workspace, read_workspace
from ..model import TABLE_NAMES, Tables

__all__ = ["DEFAULT_WORKSPACE", "workspace_path", "ensure_workspace", "MemoryBackend", "Neo4jBackend",
           "memory_backend", "neo4j_backend", "scorer", "gaps", "ranked", "scores", "review", "vision_targets"]

DEFAULT_WORKSPACE = bundled_workspace() / "var" / "workspace"
_CREATE_LOCK = threading.Lock()


def workspace_path(environ=os.environ) -> Path:
    """``CHAINMAP_WORKSPACE`` if set, else ``var/workspace/`` under the repository."""
    env = environ.get("CHAINMAP_WORKSPACE", "").strip()
    return Path(env).expanduser().resolve() if env else DEFAULT_WORKSPACE.resolve()


def ensure_workspace(path: Path) -> bool:
    """Create ``path`` as a copy of the bundled graphs/ and seeds/ unless it is a workspace already.

    Returns True when it was created. Refuses the repository itself (its
    ``seeds/`` are the bundled data, never edited by the app) and a non-empty
    folder that is not a workspace.
    """
    path = Path(path).resolve()
    bundled = bundled_workspace().resolve()
    if path == bundled:
        raise ValueError(f"{path} is the repository's own bundled data; point CHAINMAP_WORKSPACE elsewhere")
    with _CREATE_LOCK:
        if (path / "graphs").is_dir():
            return False
        if path.exists() and any(p.name != ".cache" for p in path.iterdir()):
            raise ValueError(f"{path} exists but is not a workspace (it has no graphs/ folder)")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".workspace-", dir=path.parent))
        try:
            shutil.copytree(bundled / "graphs", tmp / "graphs", ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copytree(bundled / "seeds", tmp / "seeds", ignore=shutil.ignore_patterns("__pycache__"))
            if path.exists():
                path.rmdir()
            os.replace(tmp, path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return True


def file_stamp(path: Path) -> tuple:
    """Fingerprint of a workspace's data files: (relative path, size, mtime in ns) of each."""
    out = []
    for sub, pattern in (("graphs", "*.toml"), ("seeds", "*.csv")):
        for p in sorted((path / sub).glob(pattern)):
            st_ = p.stat()
            out.append((f"{sub}/{p.name}", st_.st_size, st_.st_mtime_ns))
    return tuple(out)


def _digest(stamp: tuple) -> str:
    return hashlib.sha1(repr(stamp).encode()).hexdigest()[:16]


class MemoryBackend:
    """The workspace folder, read as tables and written through a :class:`MemoryStore`."""

    kind = "memory"

    def __init__(self, path: Path):
        self.path = Path(path)
        self.lock = threading.RLock()
        self._tables: Tables | None = None
        self._stamp: tuple | None = None
        self._store = None
        self._store_stamp: tuple | None = None

    @property
    def key(self) -> str:
        return f"memory:{self.path}"

    def needs_load(self) -> bool:
        """True when the next :meth:`snapshot` has to read files (first use, or changed on disk)."""
        return self._tables is None or file_stamp(self.path) != self._stamp

    def snapshot(self) -> tuple[Tables, str]:
        """The current tables and their version (a fingerprint of the files)."""
        with self.lock:
            stamp = file_stamp(self.path)
            if self._tables is None or stamp != self._stamp:
                self._tables = self._read(stamp)
                self._stamp = stamp
            return self._tables, _digest(self._stamp)

    # A parsed copy of the tables per fingerprint, so a restarted server skips parsing.
    def _cache_dir(self, stamp: tuple) -> Path:
        return self.path / ".cache" / f"tables-{_digest(stamp)}"

    def _read(self, stamp: tuple) -> Tables:
        cached = self._cache_dir(stamp)
        if (cached / "done").is_file():
            try:
                return Tables(**{n: pd.read_parquet(cached / f"{n}.parquet") for n in TABLE_NAMES})
            except Exception:  # noqa: BLE001 - a damaged cache is re-read from the CSV files
                shutil.rmtree(cached, ignore_errors=True)
        tables = read_workspace(self.path)
        self._write_cache(stamp, tables)
        return tables

    def _write_cache(self, stamp: tuple, tables: Tables) -> None:
        final = self._cache_dir(stamp)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".tables-", dir=final.parent))
            for name, df in tables.items():
                df.to_parquet(tmp / f"{name}.parquet", index=False)
            (tmp / "done").write_text(dt.datetime.now().isoformat())
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
            for old in final.parent.glob("tables-*"):
                if old != final:
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass  # the cache is an optimisation only

    def write(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None, *, author: str,
              action: str) -> str:
        """Upsert ``rows`` into table ``name`` unless the stored rows differ from ``expected``, then save.

        The change is recorded in the audit trail under ``author`` and
        ``action``; returns the change-set id. Raises
        :class:`~chainmap.store.ConflictError` or :class:`~chainmap.io.InputError`;
        either way nothing is written.
        """
        return self._change(lambda store: store.upsert(name, rows, expected=expected, author=author, action=action))

    def undo(self, change_set: str, *, author: str) -> str:
        """Undo one change set (see :meth:`chainmap.store.GraphStore.undo`), then save."""
        return self._change(lambda store: store.undo(change_set, author=author))

    def history(self, **filters) -> pd.DataFrame:
        """Audit rows, newest first (filters as :meth:`chainmap.store.GraphStore.history`)."""
        from ..store.changes import select_history

        return select_history(self.snapshot()[0].changes, **filters)

    def _change(self, apply):
        from ..store.memory import MemoryStore

        with self.lock:
            stamp = file_stamp(self.path)
            if self._store is None or self._store_stamp != stamp:
                tables, _ = self.snapshot()
                self._store = MemoryStore(tables, self.path)
                self._store_stamp = stamp
            try:
                result = apply(self._store)
                self._store.save()  # every file written atomically
            except BaseException:
                self._store = None  # re-read from disk next time: never keep an unsaved change
                raise
            self._tables = self._store.tables()
            self._stamp = self._store_stamp = file_stamp(self.path)
            self._write_cache(self._stamp, self._tables)
            return result

    def refresh(self) -> None:
        with self.lock:
            self._tables = self._store = None

    def describe(self) -> str:
        return str(self.path)


class Neo4jBackend:
    """A Neo4j database through ``chainmap.store.neo4j.Neo4jStore`` (writes are immediate)."""

    kind = "neo4j"

    def __init__(self, uri: str, user: str | None, password: str | None):
        from ..store.neo4j import Neo4jStore  # imported lazily: the driver is optional

        self.uri = uri
        self.store = Neo4jStore.connect(uri, user, password)
        self.lock = threading.RLock()
        self._tables: Tables | None = None
        self._version = 0

    @property
    def key(self) -> str:
        return f"neo4j:{self.uri}"

    def needs_load(self) -> bool:
        return self._tables is None

    def snapshot(self) -> tuple[Tables, str]:
        with self.lock:
            if self._tables is None:
                self._tables = self.store.tables()
            return self._tables, f"n{self._version}"

    def write(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None, *, author: str,
              action: str) -> str:
        return self._change(lambda: self.store.upsert(name, rows, expected=expected, author=author, action=action))

    def undo(self, change_set: str, *, author: str) -> str:
        return self._change(lambda: self.store.undo(change_set, author=author))

    def history(self, **filters) -> pd.DataFrame:
        return self.store.history(**filters)

    def _change(self, apply):
        with self.lock:
            try:
                return apply()
            finally:
                self._tables = None
                self._version += 1

    def refresh(self) -> None:
        with self.lock:
            self._tables = None
            self._version += 1

    def describe(self) -> str:
        return self.uri


@st.cache_resource(show_spinner=False)
def memory_backend(path: str) -> MemoryBackend:
    """The one memory backend per workspace folder, shared by every session of the server."""
    return MemoryBackend(Path(path))


@st.cache_resource(show_spinner=False)
def neo4j_backend(uri: str, user: str | None) -> Neo4jBackend:
    """The Neo4j backend; the password is read from ``NEO4J_PASSWORD`` (never part of a cache key)."""
    return Neo4jBackend(uri, user, os.environ.get("NEO4J_PASSWORD") or None)


# ------------------------------------------------------------- derived data
@st.cache_resource(max_entries=3, show_spinner=False)
def scorer(key: str, version: str, _tables: Tables):
    """The target scorer fitted on one version of the data."""
    from ..scoring import TargetScorer

    return TargetScorer().fit(_tables)


@st.cache_data(max_entries=64, show_spinner=False)
def gaps(key: str, version: str, chain: str, _tables: Tables) -> pd.DataFrame:
    """Gap analysis of one chain (computed once by the scorer's fit)."""
    return scorer(key, version, _tables).gaps_[chain].copy()


@st.cache_data(max_entries=256, show_spinner=False)
def ranked(key: str, version: str, chain: str, _tables: Tables, strategy: str | None = None, mode: str = "all",
           top: int | None = 20, team: str | None = None, region: str | None = None, honour: str | None = None,
           link: str | None = None, min_score: float = 0.0) -> pd.DataFrame:
    """The ranked target list for one set of filters (see :meth:`TargetScorer.rank`)."""
    return scorer(key, version, _tables).rank(chain, strategy, mode, top=top, team=team, region=region,
                                              honour=honour, link=link, min_score=min_score)


@st.cache_data(max_entries=32, show_spinner=False)
def scores(key: str, version: str, chain: str, _tables: Tables) -> pd.Series:
    """Every firm's score for the chain (default strategy), indexed by firm id."""
    s = scorer(key, version, _tables)
    return pd.Series(s.score(chain)[0], index=s.firm_index_)


@st.cache_data(max_entries=32, show_spinner=False)
def review(key: str, version: str, chain: str, as_of: dt.date, _tables: Tables) -> pd.DataFrame:
    """The 八个一 review of one chain (:func:`chainmap.analysis.mechanism.mechanism_review`)."""
    from ..analysis.mechanism import mechanism_review

    return mechanism_review(_tables, chain, gaps(key, version, chain, _tables), scores(key, version, chain, _tables),
                            as_of)


@st.cache_data(max_entries=32, show_spinner=False)
def vision_targets(key: str, version: str, chain: str, strategy: str | None, _tables: Tables,
                   k: int = 1) -> dict[str, list[str]]:
    """For the 远景图: the top ``k`` targets of every 补链/强链/延链 link of the chain."""
    g = gaps(key, version, chain, _tables)
    s = scorer(key, version, _tables)
    out = {}
    for lid in g.loc[g["status"].isin(["fill", "strengthen", "extend"]), "link_id"]:
        top = s.rank(chain, strategy, top=k + 5, link=lid)
        # A local firm growing on its own link is 增资扩产, not a firm to bring in: outsiders only.
        names = top.loc[~top["expand"], "name_zh"].tolist()
        if names:
            out[lid] = names[:k]
    return out
