"""The embedded default store: one SQLite database file per workspace.

Each table of :class:`~chainmap.model.Tables` is one SQLite table with the
spec's columns (:data:`chainmap.io.schemas.SPECS`) and its key as the primary
key; the audit trail is the ``changes`` table beside them. The database runs
in WAL mode with a busy timeout, so any number of processes (CLI commands,
app sessions) read while one writes, and writers queue.

Every change set is one ``BEGIN IMMEDIATE`` transaction: the records, their
audit rows and the data version land together or not at all (a killed
process leaves the last committed state; SQLite's journal rolls the rest
back). Inside it the store reads only the records the change set touches:
the editor's expected values are checked against them, the new rows are
validated, references from and to them are checked with indexed queries, and
the audit rows are computed from before and after. A write therefore costs
O(change), not O(workspace). The link graph is checked whole when links,
edges or chains change (a few hundred rows).

:meth:`SqliteStore.tables` reads every table once per data version and keeps
the result, so readers pay for a reload only after someone wrote; the
networkx graph (:attr:`SqliteStore.graph`) is built from those tables.

The chain files a workspace was loaded from are kept verbatim, so that
``chainmap dump`` writes them back byte for byte, comments included, while
their data is unchanged (see :func:`chainmap.io.workspace.format_workspace`).
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ..io.chains import check_link_graph
from ..io.errors import InputError, Problem
from ..io.schemas import SPECS
from ..io.tables import validate_table
from ..io.workspace import REFERENCES, validate_tables
from ..model import TABLE_NAMES, Tables
from . import LOCAL_AUTHOR, Edit, Progress, StoreError, check_expected_rows
from .changes import (Clock, audit_rows, check_write, key_texts, new_change_set,
                      select_history, timestamp, undo_edits, utc_now)
from .mapping import conform

__all__ = ["SqliteStore", "FORMAT", "DB_NAME"]

#: The layout version this chainmap writes; a database of a higher one was written by a newer chainmap.
FORMAT = 1
#: The database file inside a workspace folder.
DB_NAME = "chainmap.sqlite"
_SQL_TYPE = {"float": "REAL", "int": "INTEGER", "bool": "INTEGER"}
_CHUNK = 400  # keys per IN (...) query: well under SQLite's limit of bound parameters


def _q(name: str) -> str:
    """An SQL identifier; names come from SPECS only (``table`` and ``key`` are keywords)."""
    return '"' + name.replace('"', '""') + '"'


def _table(name: str) -> str:
    if name not in SPECS:
        raise ValueError(f"not a chainmap table: {name!r}")
    return _q(f"t_{name}")


def _ddl(name: str) -> list[str]:
    spec = SPECS[name]
    cols = []
    for c in spec.columns:
        kind = _SQL_TYPE.get(c.kind, "TEXT")
        default = " NOT NULL DEFAULT ''" if kind == "TEXT" else " NOT NULL DEFAULT 0" if c.kind == "bool" else ""
        cols.append(f"{_q(c.name)} {kind}{default}")
    out = [f"CREATE TABLE IF NOT EXISTS {_table(name)} ({', '.join(cols)}, "
           f"PRIMARY KEY ({', '.join(map(_q, spec.key))}))"]
    # Indexes for the reference checks of a write and an undo (the first key column has the primary key's).
    for table, col, *_ in REFERENCES:
        if table == name and col != spec.key[0]:
            out.append(f"CREATE INDEX IF NOT EXISTS {_q(f'ix_{name}_{col}')} ON {_table(name)} ({_q(col)})")
    if name == "changes":
        out.append(f"CREATE INDEX IF NOT EXISTS ix_changes_action ON {_table(name)} (action)")
        out.append(f"CREATE INDEX IF NOT EXISTS ix_changes_key ON {_table(name)} (\"table\", \"key\")")
    return out


def _values(name: str, df: pd.DataFrame) -> list[tuple]:
    """Rows of a conformed table as SQL values: blanks stay '' in text, missing numbers are NULL."""
    out = []
    for c in SPECS[name].columns:
        s = df[c.name]
        if c.kind == "bool":
            out.append(s.astype(bool).astype(int).tolist())
        elif c.kind in ("float", "int"):
            out.append([None if pd.isna(v) else (int(v) if c.kind == "int" else float(v)) for v in s.tolist()])
        else:
            out.append(s.astype(str).tolist())
    return list(zip(*out))


def _chunks(items: list, n: int = _CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


class SqliteStore:
    """A workspace database: SQLite, safe for several processes, one transaction per change set.

    Parameters
    ----------
    path : path-like
        The database file (created when missing, with its folder).
    clock : callable, optional
        Returns the time stamped on audit rows (default: now, UTC).
    timeout : float
        Seconds a writer waits for another writer before giving up.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> db = pathlib.Path(tempfile.mkdtemp()) / "chainmap.sqlite"
    >>> store = SqliteStore(db)
    >>> store.load(read_workspace(bundled_workspace()))
    True
    >>> firm = store.tables().firms.query("id == 'tailg'")
    >>> cs = store.upsert("firms", firm.assign(revenue_yi=250.0), expected=firm, author="李科长")
    >>> store.history(key="tailg")["author"].tolist()
    ['李科长']
    >>> SqliteStore(db).tables().firms.set_index("id").at["tailg", "revenue_yi"]
    np.float64(250.0)
    """

    backend = "sqlite"

    def __init__(self, path: str | os.PathLike, *, clock: Clock = utc_now, timeout: float = 30.0):
        self.path = Path(path)
        self.clock = clock
        self.timeout = timeout
        # Streamlit serves sessions from threads of one process: one connection, used under a lock.
        self._lock = threading.RLock()
        self._cache: tuple[int, Tables] | None = None
        self._graph = None
        self._conn = self._connect()

    # ------------------------------------------------------------ connection
    def _connect(self) -> sqlite3.Connection:
        if self.path.exists() and not self.path.is_file():
            raise StoreError("not_a_database_file", path=str(self.path))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._check_format(conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a killed process
            self._ensure_schema(conn)
        except sqlite3.DatabaseError as e:
            raise self._why(e, "opening") from None
        except OSError as e:
            raise StoreError("cannot_open_db", path=str(self.path), error=str(e.strerror or e)) from None
        return conn

    def _why(self, e: Exception, doing: str) -> StoreError:
        text = str(e)
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return StoreError("read_only", folder=str(self.path.parent), error=text)
        if "not a database" in text or "malformed" in text:
            return StoreError("db_damaged", path=str(self.path), error=text)
        if "locked" in text or "busy" in text:
            return StoreError("db_busy", folder=str(self.path.parent), seconds=self.timeout, doing=doing)
        return StoreError("db_failed", doing=doing, path=str(self.path), error=text)

    def _check_format(self, conn: sqlite3.Connection) -> None:
        has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if not has_meta:
            return
        row = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row and int(row[0]) > FORMAT:
            raise StoreError("newer_format", path=str(self.path), format=row[0], reads=FORMAT)

    def _ensure_schema(self, conn: sqlite3.Connection) -> None:
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing_cols = []
        for name in TABLE_NAMES:
            if f"t_{name}" in have:
                cols = {r[1] for r in conn.execute(f"PRAGMA table_info({_table(name)})")}
                missing_cols += [(name, c) for c in SPECS[name].columns if c.name not in cols]
        ready = "meta" in have and all(f"t_{n}" in have for n in TABLE_NAMES) and "chain_files" in have
        if ready and not missing_cols:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("CREATE TABLE IF NOT EXISTS chain_files (chain TEXT PRIMARY KEY, text BLOB NOT NULL)")
            for name in TABLE_NAMES:
                for stmt in _ddl(name):
                    conn.execute(stmt)
            # Columns added by a newer release of this format: old rows get blanks.
            for name, c in missing_cols:
                kind = _SQL_TYPE.get(c.kind, "TEXT")
                default = " NOT NULL DEFAULT ''" if kind == "TEXT" else " NOT NULL DEFAULT 0" if c.kind == "bool" else ""
                conn.execute(f"ALTER TABLE {_table(name)} ADD COLUMN {_q(c.name)} {kind}{default}")
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(FORMAT),))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('uuid', ?)", (uuid.uuid4().hex,))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', '0')")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _tx(self, doing: str):
        """One write transaction, taken at once (``BEGIN IMMEDIATE``), so concurrent writers queue."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as e:
                raise self._why(e, doing) from None
            try:
                yield conn
                conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as e:
                conn.execute("ROLLBACK")
                raise self._why(e, doing) from None
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _read(self, query: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(query, tuple(params)).fetchall()
            except sqlite3.DatabaseError as e:
                raise self._why(e, "reading") from None

    # ------------------------------------------------------------ reading
    def version(self) -> str:
        """The data version: changes with every committed write or load, from any process."""
        return self._read("SELECT value FROM meta WHERE key = 'version'")[0][0]

    def fingerprint(self) -> str:
        """Names this database's content: its id and data version (for caches of results derived from it)."""
        return f"sqlite:{self.meta('uuid') or self.path.resolve()}:{self.version()}"

    def tables(self) -> Tables:
        with self._lock:
            # Read the version and the tables in one read transaction: a snapshot.
            self._conn.execute("BEGIN")
            try:
                version = int(self._conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])
                if self._cache is None or self._cache[0] != version:
                    self._cache = (version, self._read_tables(version))
                    self._graph = None
            except sqlite3.DatabaseError as e:
                raise self._why(e, "reading") from None
            finally:
                self._conn.execute("COMMIT")
            return self._cache[1]

    def _read_tables(self, version: int) -> Tables:
        """Every table at ``version``; after a save, only the tables it changed are read again (a save of a
        八个一 slot re-reads two small tables, not the firm library), the others kept from the cache."""
        meta = dict(self._conn.execute("SELECT key, value FROM meta WHERE key LIKE 'table:%' OR key = 'stamped'"))
        if self._cache is None or meta.get("stamped") != str(version):
            return Tables(**{n: self._frame(n) for n in TABLE_NAMES})
        since, old = self._cache
        return Tables(**{n: self._frame(n) if int(meta.get(f"table:{n}", version)) > since else getattr(old, n)
                         for n in TABLE_NAMES})

    def _frame(self, name: str, where: str = "", params: Iterable = ()) -> pd.DataFrame:
        spec = SPECS[name]
        # In canonical order (see io.workspace.canonical) from the primary key's index: SQLite compares text by
        # its UTF-8 bytes, i.e. by code point as Python does, and puts NULL first, so no sort is left to do.
        rows = self._conn.execute(f"SELECT {', '.join(map(_q, spec.names))} FROM {_table(name)} {where} "
                                  f"ORDER BY {', '.join(map(_q, spec.key))}", tuple(params)).fetchall()
        return conform(name, pd.DataFrame(rows, columns=spec.names))

    @property
    def graph(self):
        """The workspace as a networkx ``MultiDiGraph`` (see :func:`chainmap.store.memory.build_graph`)."""
        from .mapping import to_records
        from .memory import build_graph

        tables = self.tables()
        with self._lock:
            if self._graph is None:
                self._graph = build_graph(to_records(tables))
            return self._graph

    def counts(self) -> dict[str, int]:
        from .memory import graph_counts

        return graph_counts(self.graph)

    def chain_texts(self) -> dict[str, bytes]:
        """The chain files as loaded, by chain id (for :func:`chainmap.io.workspace.format_workspace`)."""
        return {c: bytes(t) for c, t in self._read("SELECT chain, text FROM chain_files")}

    def history(self, *, table: str | None = None, key=None, change_set: str | None = None) -> pd.DataFrame:
        where, params = [], []
        if change_set is not None:
            where.append("change_set = ?")
            params.append(change_set)
        if table is not None:
            where.append('"table" = ?')
            params.append(table)
        with self._lock:
            try:
                df = self._frame("changes", ("WHERE " + " AND ".join(where)) if where else "", params)
            except sqlite3.DatabaseError as e:
                raise self._why(e, "reading the audit trail") from None
        return select_history(df, table=table, key=key, change_set=change_set)

    # ------------------------------------------------------------ writing
    def load(self, tables: Tables, progress: Progress | None = None, *,
             chain_texts: Mapping[str, bytes] | None = None, meta: Mapping[str, str] | None = None,
             only_if: str | None = None) -> bool:
        """Replace the whole content (audit trail included) in one transaction; records nothing.

        ``chain_texts`` (chain id → file bytes) keeps the chain files as they
        were, comments included, for :meth:`chain_texts`; ``meta`` adds notes
        to the database's meta table (see :meth:`meta`). ``only_if`` makes the
        load conditional, decided inside the transaction so that concurrent
        openers agree: ``"empty"`` (nothing loaded yet) or ``"unedited"`` (no
        write since the last load). Returns True when it loaded.
        """
        checked = validate_tables(tables)  # before touching the database: bad tables change nothing
        total = sum(len(df) for _, df in checked.items())
        done = 0
        with self._tx("loading") as conn:
            if only_if == "empty" and conn.execute(f"SELECT 1 FROM {_table('chains')} LIMIT 1").fetchone():
                return False
            if only_if == "unedited" and self._meta(conn, "edited") == "1":
                return False
            conn.execute("DELETE FROM chain_files")
            for name, df in checked.items():
                conn.execute(f"DELETE FROM {_table(name)}")
                self._insert(conn, name, df)
                done += len(df)
                if progress:
                    progress(done, total, name)
            known = set(checked.chains["id"])
            conn.executemany("INSERT INTO chain_files VALUES (?, ?)",
                             [(c, bytes(t)) for c, t in (chain_texts or {}).items() if c in known])
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [*(meta or {}).items(), ("edited", "0")])
            self._stamp(conn, TABLE_NAMES)
        return True

    def _stamp(self, conn, names) -> None:
        """Note, inside the write transaction, the version at which each of ``names`` changes, so that
        :meth:`tables` re-reads only those. A commit that did not stamp (an older release's, or a note in
        ``meta``) since the last stamp makes this one stamp every table: stamps never miss a change."""
        new = int(self._meta(conn, "version")) + 1          # what this transaction commits (see _tx)
        if self._meta(conn, "stamped") != str(new - 1):
            names = TABLE_NAMES
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                         [(f"table:{n}", str(new)) for n in names] + [("stamped", str(new))])

    @staticmethod
    def _meta(conn, key: str) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def meta(self, key: str) -> str | None:
        """A note kept in the database: ``edited`` ("1" once anything was written since the last load),
        ``source`` and ``source_stamp`` (the folder a workspace was loaded from, and its files' sizes and times)."""
        with self._lock:
            return self._meta(self._conn, key)

    def set_meta(self, **values: str) -> None:
        """Set notes in the meta table (see :meth:`meta`)."""
        with self._tx("saving") as conn:
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    @staticmethod
    def _insert(conn: sqlite3.Connection, name: str, df: pd.DataFrame, replace: bool = False) -> None:
        names = SPECS[name].names
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        conn.executemany(f"{verb} INTO {_table(name)} ({', '.join(map(_q, names))}) VALUES "
                         f"({', '.join('?' * len(names))})", _values(name, df))

    @staticmethod
    def _where_keys(name: str, keys: Iterable[str]) -> Iterable[tuple[str, list]]:
        """``WHERE`` clauses (and their parameters) selecting the rows with these key texts, in chunks."""
        key = list(SPECS[name].key)
        rows = [json.loads(k) for k in sorted(keys)]
        for chunk in _chunks(rows):
            if len(key) == 1:
                yield f"WHERE {_q(key[0])} IN ({', '.join('?' * len(chunk))})", [r[0] for r in chunk]
            else:
                one = "(" + ", ".join("?" * len(key)) + ")"
                yield (f"WHERE ({', '.join(map(_q, key))}) IN (VALUES {', '.join([one] * len(chunk))})",
                       [v for r in chunk for v in r])

    def _row_jsons(self, conn, name: str, keys: Iterable[str]) -> dict[str, str]:
        """``{key text: row JSON}`` of the stored rows with these keys, straight from SQL.

        The same texts as :func:`~chainmap.store.changes.rows_by_key` of the
        conformed rows, without building a DataFrame: a write's hot path.
        """
        spec = SPECS[name]
        names = spec.names
        at = [names.index(k) for k in spec.key]
        bools = {i for i, c in enumerate(spec.columns) if c.kind == "bool"}
        out = {}
        for where, params in self._where_keys(name, keys):
            for row in conn.execute(f"SELECT {', '.join(map(_q, names))} FROM {_table(name)} {where}", params):
                row = [bool(v) if i in bools else v for i, v in enumerate(row)]
                out[json.dumps([row[i] for i in at], ensure_ascii=False)] = json.dumps(dict(zip(names, row)),
                                                                                       ensure_ascii=False)
        return out

    def _apply(self, conn, edits: Mapping[str, Edit], *, change_set: str, at: str, author: str, action: str,
               expected: Mapping[str, pd.DataFrame] | None) -> list[dict]:
        """Apply a change set inside the open transaction ``conn``; returns its audit rows."""
        check_write(edits, author)
        touched, upserted, deleted = {}, {}, {}
        for name, edit in edits.items():
            given = [df for df in (edit.upsert, edit.delete) if df is not None and len(df)]
            if not given:
                continue
            keys = set().union(*(key_texts(name, df) for df in given))
            before = self._row_jsons(conn, name, keys)
            if expected is not None and expected.get(name) is not None:
                check_expected_rows(name, keys, before, expected[name])
            touched[name] = (keys, before)
            if edit.delete is not None and len(edit.delete):
                gone = set(key_texts(name, edit.delete))
                for where, params in self._where_keys(name, gone):
                    conn.execute(f"DELETE FROM {_table(name)} {where}", params)
                deleted[name] = [json.loads(before[k]) for k in gone if k in before]
            if edit.upsert is not None and len(edit.upsert):
                rows = conform(name, edit.upsert.reindex(columns=SPECS[name].names))
                rows = validate_table(rows.set_axis(range(2, len(rows) + 2)), SPECS[name], f"<{name} table>")
                self._insert(conn, name, rows, replace=True)
                upserted[name] = rows
        self._check_references(conn, upserted, deleted)
        if touched.keys() & {"chains", "links", "edges"}:
            links, edges = self._frame("links"), self._frame("edges")
            check_link_graph(links, edges, ["<edges table>"] * len(edges), ["<links table>"] * len(links))
        audit = []
        for name, (keys, before) in touched.items():
            audit += audit_rows(name, keys, before, self._row_jsons(conn, name, keys), change_set=change_set, at=at,
                                author=author, action=action)
        if audit:
            self._insert(conn, "changes", conform("changes", pd.DataFrame(audit)))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('edited', '1')")
        self._stamp(conn, [*touched, "changes"])
        return audit

    def _check_references(self, conn, upserted: dict[str, pd.DataFrame], deleted: dict[str, list[dict]]) -> None:
        """Every reference from a new row exists, and no stored row points at a deleted record."""
        problems = []
        for table, col, target, tcol in REFERENCES:
            if table in upserted:
                rows = upserted[table]
                values = sorted(set(rows[col]) - {""})
                found = set()
                for chunk in _chunks(values):
                    found |= {r[0] for r in conn.execute(
                        f"SELECT {_q(tcol)} FROM {_table(target)} WHERE {_q(tcol)} IN ({', '.join('?' * len(chunk))})",
                        chunk)}
                for row, value in rows[col].items():
                    if value != "" and value not in found:
                        problems.append(Problem(f"<{table} table>", "unknown_ref",
                                                {"kind": target[:-1], "value": value}, row=row, column=col))
            if deleted.get(target):
                values = sorted({r[tcol] for r in deleted[target]})
                for chunk in _chunks(values):
                    still = {r[0] for r in conn.execute(
                        f"SELECT {_q(tcol)} FROM {_table(target)} WHERE {_q(tcol)} IN ({', '.join('?' * len(chunk))})",
                        chunk)}
                    gone = [v for v in chunk if v not in still]
                    if not gone:
                        continue
                    hits = conn.execute(
                        f"SELECT DISTINCT {_q(col)} FROM {_table(table)} WHERE {_q(col)} IN "
                        f"({', '.join('?' * len(gone))})", gone).fetchall()
                    problems += [Problem(f"<{table} table>", "refers_to_deleted", {"kind": target[:-1], "value": v},
                                         column=col) for (v,) in hits]
        if problems:
            raise InputError(problems)

    def write(self, edits: Mapping[str, Edit], *, author: str, action: str,
              expected: Mapping[str, pd.DataFrame] | None = None) -> str:
        change_set = new_change_set()
        with self._tx("saving") as conn:
            self._apply(conn, edits, change_set=change_set, at=timestamp(self.clock), author=author, action=action,
                        expected=expected)
        return change_set

    def upsert(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None = None, *,
               author: str = LOCAL_AUTHOR, action: str = "edit") -> str:
        return self.write({name: Edit(upsert=rows)}, author=author, action=action,
                          expected=None if expected is None else {name: expected})

    def undo(self, change_set: str, *, author: str) -> str:
        new_id = new_change_set()
        with self._tx("undoing") as conn:
            # Everything is read inside the write transaction: two undos of one change set cannot both pass.
            rows = self._frame("changes", "WHERE change_set = ?", [change_set])

            def current(name: str, keys: set[str]) -> dict[str, str]:
                return self._row_jsons(conn, name, keys)

            def dependents(table: str, col: str, values: set, skip: set[str]) -> list[str]:
                found = []
                for chunk in _chunks(sorted(values)):
                    df = self._frame(table, f"WHERE {_q(col)} IN ({', '.join('?' * len(chunk))})", chunk)
                    k = key_texts(table, df)
                    found += k[~k.isin(skip)].tolist()
                return found

            def undone_by() -> str | None:
                hit = conn.execute("SELECT change_set FROM t_changes WHERE action = ? LIMIT 1",
                                   (f"undo {change_set}",)).fetchone()
                return hit[0] if hit else None

            edits = undo_edits(rows, change_set, current=current, dependents=dependents, undone_by=undone_by)
            self._apply(conn, edits, change_set=new_id, at=timestamp(self.clock), author=author,
                        action=f"undo {change_set}", expected=None)
        return new_id

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def describe(self) -> str:
        return str(self.path)

