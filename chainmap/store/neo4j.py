"""The shared store: a Neo4j 5.26 database through the official driver.

The graph is the one of :mod:`chainmap.store.mapping`, so a load into Neo4j
followed by :meth:`Neo4jStore.tables` returns exactly the tables the memory
store returns. Rules kept everywhere below:

* Values travel only as ``$parameters``. Labels and relationship types cannot
  be parameters in Cypher, so they come from the fixed lists of the mapping
  (``_label`` refuses anything else), never from data.
* Reads use ``execute_read``, writes ``execute_write`` (transaction functions,
  which the driver retries on transient errors).
* Bulk writes are ``UNWIND $rows … MERGE`` in transactions of at most
  ``batch_size`` rows, so a load of any size keeps bounded memory on the server.

A load first marks the database as loading, writes every record stamped with a
fresh load token, deletes records without that token (what the new tables no
longer hold), and marks the load complete. If the connection drops halfway,
the mark stays "loading" and :meth:`tables` refuses to read half-written data
with a clear message; running the same load again completes it, and MERGE on
ids keeps it free of duplicates.
"""
from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Iterable, Mapping

import pandas as pd

from ..io.schemas import SPECS
from ..io.workspace import validate_tables
from ..model import TABLE_NAMES, Tables
from . import LOCAL_AUTHOR, Edit, Progress, StoreError
from .changes import Clock, apply_edits, new_change_set, select_history, timestamp, undo_change_set, utc_now
from .mapping import ENDPOINTS, NODE_LABELS, REL_KEYS, REL_TYPES, GraphRecords, conform, from_records, to_records

__all__ = ["Neo4jStore", "StoreConnectionError", "IncompleteLoadError", "describe_connection_error"]

_META = "ChainmapMeta"
# DETACH DELETE holds every relationship of the deleted nodes in memory: smaller batches
# keep a deletion inside the server's transaction memory limit.
_DELETE_BATCH = 1_000
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class StoreConnectionError(StoreError):
    """The database cannot be reached or refuses us; the message never holds credentials."""


class IncompleteLoadError(StoreError):
    """The last load into this database did not finish: its data is not used."""


def _label(name: str) -> str:
    if name not in NODE_LABELS and name not in REL_TYPES and name != _META:
        raise ValueError(f"not a chainmap label or relationship type: {name!r}")
    return name


def _rel_keys(rtype: str, df: pd.DataFrame) -> list[str]:
    # MERGE cannot match on null properties, so parallel relationships are told apart by one string.
    cols = REL_KEYS[rtype]
    if not cols or df.empty:
        return [""] * len(df)
    parts = [df[c].astype(object).where(df[c].notna(), "").astype(str) for c in cols]
    return list(parts[0].str.cat(parts[1:], sep="\x1f") if len(parts) > 1 else parts[0])


def _sets(var: str, names: list[str], offset: int) -> str:
    # Every property is set, nulls included, so a record that lost a value loses the property.
    return ", ".join(f"{var}.`{c}` = row[{i + offset}]" for i, c in enumerate(names))


def _writes(rec: GraphRecords, verb: str) -> list[tuple[str, str, list[str], list[list]]]:
    """``(what, query, columns, rows)`` per label and relationship type, rows as plain lists.

    Node rows hold the node's properties; relationship rows hold src, dst, the
    relationship key and its properties. ``verb`` is MERGE, or CREATE into an
    empty database.
    """
    out = []
    for label, df in rec.nodes.items():
        names = list(df.columns)
        q = (f"UNWIND $rows AS row {verb} (n:{_label(label)} {{id: row[{names.index('id')}]}}) "
             f"SET {_sets('n', names, 0)}, n._load = $token")
        out.append((label, q, names, _lists(df)))
    for rtype, df in rec.rels.items():
        a, b = ENDPOINTS[rtype]
        props = _rel_props(df)
        q = (f"UNWIND $rows AS row MATCH (a:{_label(a)} {{id: row[0]}}) MATCH (b:{_label(b)} {{id: row[1]}}) "
             f"{verb} (a)-[e:{_label(rtype)} {{_key: row[2]}}]->(b) "
             f"SET {_sets('e', props, 3) + ', ' if props else ''}e._load = $token")
        out.append((rtype, q, ["src", "dst", "_key", *props],
                    _lists(df.assign(_key=_rel_keys(rtype, df))[["src", "dst", "_key", *props]])))
    return out


def _rel_props(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in ("src", "dst")]


def _lists(df: pd.DataFrame) -> list[list]:
    """Rows as plain lists, None for missing: the cheapest form to build and to send."""
    return df.astype(object).where(df.notna(), None).values.tolist() if len(df) else []


def _diff(old: GraphRecords, new: GraphRecords) -> list[tuple[str, list]]:
    """``(query, rows)`` that turn the database holding ``old`` into ``new``, touching only what differs.

    Changed and new records are MERGEd (nodes first, so relationships find
    their ends); vanished ones are deleted (relationships first).
    """
    merges, deletes = [], []
    for (what, query, cols, old_rows), (*_, new_rows) in zip(_writes(old, "MERGE"), _writes(new, "MERGE")):
        # A node is known by its id, a relationship by (src, dst, key): its first three columns.
        i = cols.index("id") if what in NODE_LABELS else None
        ident = (lambda r: r[i]) if i is not None else (lambda r: tuple(r[:3]))
        before = {ident(r): r for r in old_rows}
        after = {ident(r) for r in new_rows}
        changed = [r for r in new_rows if before.get(ident(r)) != r]
        gone = [list(k) if i is None else k for k in before if k not in after]
        if changed:
            merges.append((query, changed))
        if gone and i is not None:
            deletes.append((f"UNWIND $rows AS id MATCH (n:{_label(what)} {{id: id}}) DETACH DELETE n", gone))
        elif gone:
            a, b = ENDPOINTS[what]
            deletes.insert(0, (f"UNWIND $rows AS row MATCH (:{_label(a)} {{id: row[0]}})"
                               f"-[e:{_label(what)} {{_key: row[2]}}]->(:{_label(b)} {{id: row[1]}}) DELETE e", gone))
    return merges + deletes


def _deletions(where: str, labels: Iterable[str]) -> list[str]:
    """The two deletions of :meth:`Neo4jStore._delete_stale`: chainmap relationships, then nodes of ``labels``,
    those that match ``where`` (a condition on ``_load``, or none), at most ``$n`` at a time.

    Relationships go first: a link node can hold a whole library's plants, and DETACH DELETE holds every
    relationship of the nodes it deletes in memory. One query each (a type scan per relationship type, one
    scan over the union of the labels) rather than one per label and type: 2 round trips, not 21.
    """
    cond = f"WHERE {{v}}.{where}" if where else ""
    rels = " UNION ALL ".join(f"MATCH ()-[e:{_label(t)}]->() {cond.format(v='e')} RETURN e" for t in REL_TYPES)
    nodes = "|".join(_label(label) for label in labels)
    return [f"CALL () {{ {rels} }} WITH e LIMIT $n DELETE e RETURN count(*) AS c",
            f"MATCH (n:{nodes}) {cond.format(v='n')} WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c"]


def _batches(rows: list, size: int) -> Iterable[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _transactions(writes: list[tuple[str, str, list[str], list[list]]], size: int) -> list[list[tuple[str, str, list]]]:
    """The ``(what, query, rows)`` of each write transaction of a load: at most ``size`` rows in all.

    Small labels and relationship types share a transaction (a load of a small
    workspace is a few round trips, not one per label); a large one is split.
    """
    out, current, room = [], [], size
    for what, query, _, rows in writes:
        start = 0
        while start < len(rows):
            part = rows[start:start + room]
            start += len(part)
            current.append((what, query, part))
            room -= len(part)
            if room == 0:
                out.append(current)
                current, room = [], size
    if current:
        out.append(current)
    return out


@functools.lru_cache(maxsize=1)
def _columns() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The property names every label and relationship type can carry (``nodes, rels``): the columns of
    empty records. The same on every read, so they are worked out once (it took a third of a read)."""
    from ..io.tables import empty_table
    from ..model import TABLE_NAMES

    empty = to_records(Tables(**{n: empty_table(n) for n in TABLE_NAMES}))
    return ({k: list(df.columns) for k, df in empty.nodes.items()},
            {k: list(df.columns) for k, df in empty.rels.items()})


@functools.lru_cache(maxsize=1)
def _tokens_query() -> str:
    """One write that creates, then deletes, a node of every label and a relationship of every type, with every
    property chainmap reads or writes: their names (Neo4j's tokens) then exist in the database for good.

    A query planned while a name it uses does not exist yet is planned again once the name appears. Without
    this, the read of every table (one query of some 30 subqueries, ~2 s to plan on a fresh server) was planned
    again each time a load first brought a label, type or property, e.g. a column blank so far.
    """
    node_cols, rel_cols = _columns()
    node = {label: f"n{i}" for i, label in enumerate(node_cols)}
    parts = [f"CREATE ({node[label]}:{_label(label)} {{id: $id, {_zeros([*names, '_load'])}}})"
             for label, names in node_cols.items()]
    parts.append(f"CREATE (m:{_META} {{id: $id, status: 0, token: 0, at: 0}})")
    for rtype, columns in rel_cols.items():
        a, b = ENDPOINTS[rtype]
        parts.append(f"CREATE ({node[a]})-[:{_label(rtype)} {{{_zeros([*_rel_names(columns)[2:], '_key', '_load'])}}}]"
                     f"->({node[b]})")
    return " ".join(parts) + " DETACH DELETE " + ", ".join([*node.values(), "m"])


def _zeros(names: list[str]) -> str:
    return ", ".join(f"`{c}`: 0" for c in names if c != "id")


_PAGE = 5_000


def _node_page(label: str, names: list[str], after: str = "$after", as_: str = "") -> str:
    """A page of ``label``'s nodes after the id ``after``, along the id index: its rows (``{as_}rows``), their
    number (``{as_}n``) and the last id (``{as_}last``)."""
    values = ", ".join(f"n.`{c}`" for c in names)
    return (f"MATCH (n:{_label(label)}) WHERE n.id > {after} WITH n ORDER BY n.id LIMIT $page "
            f"RETURN collect([{values}]) AS {as_}rows, count(n) AS {as_}n, max(n.id) AS {as_}last")


def _rel_names(columns: list[str]) -> list[str]:
    return ["src", "dst", *[c for c in columns if c not in ("src", "dst")]]


def _rel_values(names: list[str]) -> str:
    return ", ".join(["a.id", "b.id", *[f"e.`{c}`" for c in names[2:]]])


@functools.lru_cache(maxsize=1)
def _first_pages() -> str:
    """One query for a whole read of a small database: the load mark (status, token), the first page of every
    label, and every relationship type's count with all its rows when they fit in a page.

    A read was 30 queries (a label or type each, and a count per type); each round trip cost the server a
    few ms of work however small the answer, and most databases fit in first pages.
    """
    node_cols, rel_cols = _columns()
    parts = [f"OPTIONAL MATCH (m:{_META} {{id: 'load'}}) WITH m.status AS status, m.token AS token"]
    out = ["status", "token"]
    for i, (label, names) in enumerate(node_cols.items()):
        page = _node_page(label, names, after="''", as_=f"n{i}_")
        parts.append(f"CALL () {{ {page} }}")
        out += [f"n{i}_rows", f"n{i}_n", f"n{i}_last"]
    for j, (rtype, columns) in enumerate(rel_cols.items()):
        a, b = ENDPOINTS[rtype]
        parts.append(f"CALL () {{ MATCH ()-[e:{_label(rtype)}]->() RETURN count(e) AS r{j}_n }}")   # count store
        # Aggregation returns its one row even when the filter lets nothing through (a type paged below).
        parts.append(f"CALL (r{j}_n) {{ WITH r{j}_n WHERE r{j}_n <= $page "
                     f"MATCH (a:{_label(a)})-[e:{_label(rtype)}]->(b:{_label(b)}) "
                     f"RETURN collect([{_rel_values(_rel_names(columns))}]) AS r{j} }}")
        out += [f"r{j}", f"r{j}_n"]
    return " ".join(parts) + " RETURN " + ", ".join(out)


def _fetch_records(tx) -> tuple[GraphRecords, str]:
    """Every chainmap node and relationship, read inside the transaction ``tx``, and the last load's token.

    Raises :class:`IncompleteLoadError` when the last load did not finish. Rows come back as lists: one
    query holds the first page (``_PAGE`` rows) of every label and type; a larger one is read on in pages
    along the id index, a few large records decode far faster than one per row.
    """
    node_cols, rel_cols = _columns()
    first = tx.run(_first_pages(), page=_PAGE).single()
    if first["status"] not in (None, "complete"):
        raise IncompleteLoadError("neo4j_incomplete_load")
    nodes = {}
    for i, (label, names) in enumerate(node_cols.items()):
        rows = first[f"n{i}_rows"]
        if first[f"n{i}_n"] == _PAGE:
            rows = rows + _paged(tx, _node_page(label, names), first[f"n{i}_last"])
        nodes[label] = pd.DataFrame(rows, columns=names)
    rels = {}
    for j, (rtype, columns) in enumerate(rel_cols.items()):
        names = _rel_names(columns)
        if first[f"r{j}_n"] <= _PAGE:
            rels[rtype] = pd.DataFrame(first[f"r{j}"], columns=names)
            continue
        a, b = ENDPOINTS[rtype]
        q = (f"MATCH (a:{_label(a)}) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $page "
             f"WITH collect(a) AS page "
             f"CALL (page) {{ UNWIND page AS a MATCH (a)-[e:{_label(rtype)}]->(b:{_label(b)}) "
             f"RETURN collect([{_rel_values(names)}]) AS rows }} "
             f"RETURN rows, size(page) AS n, page[-1].id AS last")
        rels[rtype] = pd.DataFrame(_paged(tx, q, ""), columns=names)
    return GraphRecords(nodes, rels), first["token"] or ""


def _paged(tx, query: str, after: str) -> list[list]:
    """The rows of a query that pages along the id index (``$after``, ``$page``), from ``after`` to a short page."""
    rows = []
    while True:
        rec = tx.run(query, after=after, page=_PAGE).single()
        rows += rec["rows"]
        if rec["n"] < _PAGE:
            return rows
        after = rec["last"]


def connection_error(error: Exception, uri: str) -> StoreConnectionError:
    """A failed connection as a :class:`StoreConnectionError` with its code (words: :mod:`chainmap.io.messages`),
    without credentials."""
    from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

    where = uri.split("://", 1)[0] + "://" + uri.split("@")[-1] if "@" in uri else uri  # never echo user:password@
    if isinstance(error, AuthError):
        return StoreConnectionError("neo4j_refused", where=where)
    if isinstance(error, ServiceUnavailable):
        return StoreConnectionError("neo4j_unreachable", where=where)
    if isinstance(error, (ConfigurationError, ValueError)):
        return StoreConnectionError("neo4j_bad_uri", where=where)
    return StoreConnectionError("neo4j_failed", where=where, error=type(error).__name__)


def describe_connection_error(error: Exception, uri: str) -> str:
    """One clear sentence (English) for a failed connection, without credentials."""
    return str(connection_error(error, uri))


class Neo4jStore:
    """A :class:`~chainmap.store.GraphStore` on Neo4j.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver, injected (see :meth:`connect` to build one from a URI).
    database : str, optional
        Database name; the server's default when None.
    batch_size : int
        Rows per write transaction during bulk loads.
    clock : callable, optional
        Returns the time stamped on audit rows (default: now, UTC).
    """

    backend = "neo4j"

    def __init__(self, driver, database: str | None = None, batch_size: int = 5_000, clock: Clock = utc_now):
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.clock = clock
        self.uri = ""  # set by connect; shown by describe
        self._schema_ready = False

    @classmethod
    def connect(cls, uri: str, user: str | None = None, password: str | None = None,
                database: str | None = None, clock: Clock = utc_now, **driver_config) -> "Neo4jStore":
        """Open a driver and check that the server answers.

        Raises
        ------
        StoreConnectionError
            For a wrong URI, a refused connection or bad credentials.
        """
        from urllib.parse import urlsplit

        from neo4j import GraphDatabase

        parts = urlsplit(uri)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise connection_error(ValueError(uri), uri)
        if "@" in parts.netloc:
            raise StoreConnectionError("neo4j_credentials_in_uri")
        auth = (user, password or "") if user else None
        try:
            driver = GraphDatabase.driver(uri, auth=auth, **driver_config)
            driver.verify_connectivity()
        except Exception as e:  # the driver raises several types; all become one clear message
            raise connection_error(e, uri) from None
        store = cls(driver, database, clock=clock)
        store.uri = uri
        return store

    @contextlib.contextmanager
    def _talking(self, action: str):
        """Turn driver failures during ``action`` into one clear :class:`StoreConnectionError`."""
        from neo4j.exceptions import DriverError, Neo4jError

        try:
            yield
        except (DriverError, Neo4jError) as e:
            detail = getattr(e, "message", None) or type(e).__name__
            raise StoreConnectionError("neo4j_failed_while", doing=action, error=detail) from e

    # -------------------------------------------------------------- plumbing
    def _session(self):
        # Notifications such as "relationship type does not exist yet" are noise for an empty table.
        kw = {"notifications_min_severity": "OFF"}
        return self.driver.session(database=self.database, **kw) if self.database else self.driver.session(**kw)

    def _write(self, query: str, **params):
        with self._session() as s:
            return s.execute_write(lambda tx: tx.run(query, **params).consume())

    def _read(self, query: str, **params) -> list[dict]:
        with self._session() as s:
            return s.execute_read(lambda tx: [r.data() for r in tx.run(query, **params)])

    def ensure_schema(self) -> None:
        """Uniqueness constraints on the id of every node label (Community Edition supports these)."""
        if self._schema_ready:
            return
        # One round trip when they exist already (every load but the first).
        have = {r["name"] for r in self._read("SHOW CONSTRAINTS YIELD name RETURN name")}
        missing = [label for label in (*NODE_LABELS, _META) if f"{label.lower()}_id" not in have]
        for label in missing:
            self._write(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                        f"FOR (n:{_label(label)}) REQUIRE n.id IS UNIQUE")
        if missing:  # a database new to chainmap; after the constraints, as each one empties the plan cache
            self._write(_tokens_query(), id=f"chainmap-tokens-{uuid.uuid4().hex}")
        self._schema_ready = True

    # ------------------------------------------------------------------ load
    def load(self, tables: Tables, progress: Progress | None = None) -> None:
        checked = validate_tables(tables)  # before touching the database: bad tables change nothing
        with self._talking("loading_resumable"):
            self.ensure_schema()
            self._write_records(to_records(checked), progress)

    def _write_records(self, rec: GraphRecords, progress: Progress | None) -> None:
        token = uuid.uuid4().hex
        # Into a database with no chainmap data at all, records can be created rather than
        # merged (much faster). A retry after a failed load finds data and merges: no duplicates.
        fresh = not self._read(" UNION ALL ".join(f"MATCH (n:{_label(label)}) RETURN n.id AS id LIMIT 1"
                                                  for label in (_META, *NODE_LABELS)))
        writes = _writes(rec, "CREATE" if fresh else "MERGE")
        total, done = sum(len(rows) for *_, rows in writes), 0
        self._write(f"MERGE (m:{_META} {{id: 'load'}}) SET m.status = 'loading', m.token = $token", token=token)
        for parts in _transactions(writes, self.batch_size):
            with self._session() as s:
                s.execute_write(lambda tx: [tx.run(query, rows=rows, token=token).consume()
                                            for _, query, rows in parts])
            done += sum(len(rows) for *_, rows in parts)
            if progress:
                progress(done, total, parts[-1][0])
        # What the new tables no longer hold: delete in bounded transactions too.
        self._delete_stale(_deletions("_load <> $token", NODE_LABELS), token)
        self._write(f"MATCH (m:{_META} {{id: 'load'}}) SET m.status = 'complete'")

    def _delete_stale(self, queries: list[str], token: str) -> None:
        """Run each deletion (``LIMIT $n … RETURN count(*) AS c``), in order, until it deletes nothing.

        One transaction deletes at most ``_DELETE_BATCH`` records, over as many of
        the queries as fit: where there is little to delete, that is one round trip.
        """
        pending = list(queries)

        def work(tx) -> list[str]:
            room, still = _DELETE_BATCH, []
            for i, query in enumerate(pending):
                if room == 0:
                    return still + pending[i:]
                c = tx.run(query, token=token, n=room).single()["c"]
                room -= c
                if c and room == 0:   # the limit was reached: there may be more
                    still.append(query)
            return still

        while pending:
            with self._session() as s:
                pending = s.execute_write(work)

    # ------------------------------------------------------------------ read
    def _check_complete(self) -> None:
        meta = self._read(f"MATCH (m:{_META} {{id: 'load'}}) RETURN m.status AS status")
        if meta and meta[0]["status"] != "complete":
            raise IncompleteLoadError("neo4j_incomplete_load")

    def records(self) -> GraphRecords:
        """Read every chainmap node and relationship back, in one read transaction."""
        with self._session() as s:
            return s.execute_read(_fetch_records)[0]

    def tables(self) -> Tables:
        with self._talking("reading"):
            return from_records(self.records())

    def counts(self) -> dict[str, int]:
        # One query (counts of one moment, from the count store): a subquery per label and type.
        q = " ".join([*(f"CALL () {{ MATCH (n:{_label(label)}) RETURN count(n) AS `{label}` }}" for label in NODE_LABELS),
                      *(f"CALL () {{ MATCH ()-[e:{_label(rtype)}]->() RETURN count(e) AS `{rtype}` }}"
                        for rtype in REL_TYPES)]) + " RETURN " + ", ".join(f"`{w}`" for w in (*NODE_LABELS, *REL_TYPES))
        with self._talking("counting"):
            return {what: c for what, c in self._read(q)[0].items()}

    def version(self) -> str:
        """The token of the last load and the time of the last write: changes with every change."""
        with self._talking("reading"):
            rows = self._read(f"MATCH (m:{_META}) RETURN m.id AS id, m.token AS token, m.at AS at ORDER BY id")
        return "|".join(f"{r['id']}:{r['token'] or ''}:{r['at'] or ''}" for r in rows)

    def describe(self) -> str:
        return self.uri or "neo4j"

    # ---------------------------------------------------------------- update
    def _change(self, compute) -> None:
        """Run ``compute(tables) -> new tables`` and write the difference, in one write transaction.

        The transaction first takes a write lock on a meta node, so concurrent
        writers queue up; the tables it computes from are then read inside it,
        so conflict checks and audit before-values see what is really stored.
        An exception from ``compute`` (bad input, a conflict) rolls everything back.
        """
        def work(tx):
            tx.run(f"MERGE (m:{_META} {{id: 'write'}}) SET m.at = $at", at=timestamp(self.clock)).consume()
            records, token = _fetch_records(tx)   # refuses a database whose last load did not finish
            current = from_records(records)
            new = compute(current)
            # Tables a change set left alone are the very objects read (chainmap.store.changes.validate_edited):
            # only the labels and types made from the others can differ.
            edited = {n for n in TABLE_NAMES if getattr(new, n) is not getattr(current, n)}
            for query, rows in _diff(to_records(current, edited), to_records(new, edited)):
                for batch in _batches(rows, self.batch_size):
                    tx.run(query, rows=batch, token=token).consume()

        with self._talking("saving"), self._session() as s:
            s.execute_write(work)

    def write(self, edits: Mapping[str, Edit], *, author: str, action: str,
              expected: Mapping[str, pd.DataFrame] | None = None) -> str:
        """Apply one change set in one write transaction (see :class:`~chainmap.store.GraphStore`)."""
        change_set = new_change_set()
        self._change(lambda t: apply_edits(t, edits, change_set=change_set, at=timestamp(self.clock),
                                           author=author, action=action, expected=expected)[0])
        return change_set

    def history(self, *, table: str | None = None, key=None, change_set: str | None = None) -> pd.DataFrame:
        names = SPECS["changes"].names
        q = (f"MATCH (c:Change) WHERE ($cs IS NULL OR c.change_set = $cs) AND ($t IS NULL OR c.table = $t) "
             f"RETURN {', '.join(f'c.`{n}` AS `{n}`' for n in names)}")
        with self._talking("reading the audit trail"):
            self._check_complete()
            rows = self._read(q, cs=change_set, t=table)
        changes = conform("changes", pd.DataFrame(rows, columns=names))
        return select_history(changes, table=table, key=key, change_set=change_set)

    def undo(self, change_set: str, *, author: str) -> str:
        new_id = new_change_set()
        self._change(lambda t: undo_change_set(t, change_set, new_change_set=new_id, at=timestamp(self.clock),
                                               author=author)[0])
        return new_id

    def upsert(self, name: str, rows: pd.DataFrame, expected: pd.DataFrame | None = None, *,
               author: str = LOCAL_AUTHOR, action: str = "edit") -> str:
        return self.write({name: Edit(upsert=rows)}, author=author, action=action,
                          expected=None if expected is None else {name: expected})

    def clear(self) -> None:
        """Delete every chainmap node and relationship (tests and `db load --replace`)."""
        self._delete_stale(_deletions("", (*NODE_LABELS, _META)), "")

    def close(self) -> None:
        self.driver.close()

