"""Where the workbench's data comes from: the store, and results cached per data version.

* The **store** is a :class:`~chainmap.store.GraphStore`: the user's workspace
  database (:class:`~chainmap.store.sqlite.SqliteStore`, found like the CLI
  finds it: ``$CHAINMAP_WORKSPACE``, else ``var/workspace/``, made from the
  bundled data on first use; see :mod:`chainmap.location`), or Neo4j when
  ``NEO4J_URI`` is set and chosen in the sidebar. Pages read and write through
  the protocol only: ``tables()``, ``upsert(name, rows, expected=...)``,
  ``undo``, ``history``, ``version``. A record someone else saved in between
  raises :class:`~chainmap.store.ConflictError` instead of being overwritten,
  and every save lands in the store's audit trail.
* Stores are held with ``st.cache_resource`` (one per workspace or URI, shared
  by every session of the server). The tables, the fitted scorer and derived
  tables (ranked lists, gap tables, mechanism reviews) are cached keyed by the
  store and its :meth:`~chainmap.store.GraphStore.version`, which changes with
  every write by anyone (another session, the CLI, another server), so any
  save invalidates them and nothing stale is shown.
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import streamlit as st

from ..model import Tables

__all__ = ["workspace_path", "workspace_store", "neo4j_store", "store_key", "tables", "scorer", "gaps", "ranked",
           "scores", "review", "vision_targets"]


def workspace_path() -> Path:
    """The workspace folder the app edits (the same rule as the CLI's without ``--workspace``)."""
    from ..location import resolve

    return resolve(None)[0]


@st.cache_resource(show_spinner=False)
def workspace_store(path: str):
    """The workspace database, one per folder, shared by every session of the server."""
    from ..location import open_workspace

    return open_workspace(Path(path), explicit=False)


@st.cache_resource(show_spinner=False)
def neo4j_store(uri: str, user: str | None):
    """The Neo4j store; the password is read from ``NEO4J_PASSWORD`` (never part of a cache key)."""
    from ..store.neo4j import Neo4jStore  # imported lazily: the driver is optional

    return Neo4jStore.connect(uri, user, os.environ.get("NEO4J_PASSWORD") or None)


def store_key(store) -> str:
    """What names a store in cache keys: its backend, where its data lives and, for a workspace
    database, its id (a workspace deleted and made again at the same place is another store)."""
    uid = store.meta("uuid") if hasattr(store, "meta") else None
    return f"{store.backend}:{store.describe()}" + (f":{uid}" if uid else "")


@st.cache_resource(max_entries=4, show_spinner=False)
def tables(key: str, version: str, _store) -> Tables:
    """The store's tables at one data version (read once per version, shared by every session)."""
    return _store.tables()


# ------------------------------------------------------------- derived data
#: Tables the target scorer's fit never reads: saving a 八个一 slot, a follow-up or a project keeps the
#: fitted scorer (a refit takes seconds; a save must not).
NOT_FITTED = ("mechanism", "followups", "projects", "changes")  # events feed propensity: fitted


#: Digests of table frames, memoised by the frame itself (a reference is kept, so an id is never reused
#: while it is here). A store hands back the same frames for the tables a write did not change
#: (SqliteStore re-reads only those), so after a save only the changed tables are hashed again.
_DIGESTS: OrderedDict[int, tuple[pd.DataFrame, str]] = OrderedDict()
_DIGESTS_LOCK = threading.Lock()
_DIGESTS_KEPT = 64


def _digest(name: str, df: pd.DataFrame, memo: bool = True) -> str:
    """The content digest of one table (see :func:`chainmap.fitcache.tables_digest`)."""
    from ..fitcache import tables_digest

    if not memo:
        return tables_digest({name: df})
    with _DIGESTS_LOCK:
        hit = _DIGESTS.get(id(df))
        if hit is not None and hit[0] is df:
            _DIGESTS.move_to_end(id(df))
            return hit[1]
    digest = tables_digest({name: df})
    with _DIGESTS_LOCK:
        _DIGESTS[id(df)] = (df, digest)
        while len(_DIGESTS) > _DIGESTS_KEPT:
            _DIGESTS.popitem(last=False)
    return digest


def _digest_of(tables: Tables, names) -> str:
    import hashlib

    return hashlib.sha256("|".join(f"{n}:{_digest(n, getattr(tables, n))}" for n in names).encode()).hexdigest()


@st.cache_resource(max_entries=3, show_spinner=False)
def scorer(key: str, version: str, _tables: Tables):
    """The target scorer fitted on one version of the data (from the on-disk fit cache after a restart);
    a new version that differs only in :data:`NOT_FITTED` tables gets the scorer already fitted."""
    return _fitted(key, _digest_of(_tables, [n for n, _ in _tables.items() if n not in NOT_FITTED]), _tables)


@st.cache_resource(max_entries=3, show_spinner=False)
def _fitted(key: str, digest: str, _tables: Tables):
    from ..fitcache import cached_fit

    # On disk the fit is keyed by the content it reads (and the parameters), not by the store: a new workspace
    # holding the same data (a copy, one made again) reuses it instead of refitting for seconds.
    return cached_fit(_tables, _params(), data_digest=digest)[0]


def _params():
    """The scorer's parameters: the home city, its province and neighbours (the gravity term) from the
    workspace's settings; the defaults when they cannot be read (the sidebar says why)."""
    from ..io import InputError
    from ..io.city import read_city
    from ..scoring import ScoringParams

    try:
        home = read_city(workspace_path()).home
    except InputError:
        return ScoringParams()
    return ScoringParams(home=home.city, home_province=home.province, neighbours=tuple(home.neighbours))


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
    """The 八个一 review of one chain (:func:`chainmap.analysis.mechanism.mechanism_review`).

    The review works row by row: the derived slots (chain map, target list, ledger, 链主) are
    computed once per content of what they read, the manual ones from the table each time. Saving
    a manual slot then costs no recomputation of the derived ones (~0.1 s for the four chains).
    """
    from ..analysis.mechanism import mechanism_review

    m = _tables.mechanism
    derived = m["kind"] == "derived"
    parts = [_derived_review(key, _derived_inputs(key, version, _tables), chain, as_of, _tables, version),
             mechanism_review(_tables.replace(mechanism=m[~derived]), chain, pd.DataFrame(), pd.Series(dtype=float),
                              as_of)]
    parts = [p for p in parts if len(p)] or parts[1:]
    return pd.concat(parts, ignore_index=True).sort_values("slot", kind="stable", ignore_index=True)


@st.cache_resource(max_entries=4, show_spinner=False)
def _derived_inputs(key: str, version: str, _tables: Tables) -> str:
    """A digest of what the derived slots read: the fitted tables, follow-ups, projects and the derived rows."""
    m = _tables.mechanism
    return _digest_of(_tables, [n for n, _ in _tables.items() if n not in NOT_FITTED] + ["followups", "projects"]) \
        + _digest("mechanism", m[m["kind"] == "derived"], memo=False)


@st.cache_data(max_entries=32, show_spinner=False)
def _derived_review(key: str, digest: str, chain: str, as_of: dt.date, _tables: Tables, _version: str):
    from ..analysis.mechanism import mechanism_review

    m = _tables.mechanism
    return mechanism_review(_tables.replace(mechanism=m[m["kind"] == "derived"]), chain,
                            gaps(key, _version, chain, _tables), scores(key, _version, chain, _tables), as_of)


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
