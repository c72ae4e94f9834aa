"""What only the Neo4j store does: generated Cypher, constraints, faults, the db commands.

The recording fake checks the Cypher we send; every other test here talks to the
real Neo4j 5.26 server that tools/test starts.
"""
import json
import socket
import threading

import pandas as pd
import pytest

from chainmap.cli import main
from chainmap.store.mapping import NODE_LABELS
from chainmap.testing.store_contract import _pcb   # the PCB world, parsed once per session
from chainmap.store.neo4j import (IncompleteLoadError, Neo4jStore, StoreConnectionError, _label,
                                  describe_connection_error)
from tests.conftest import ON_NEO4J, neo4j_uri

pytestmark = ON_NEO4J   # one worker: the tests share the server's database


# --------------------------------------------------------------- recording fake
class _Rec(dict):
    def data(self):
        return dict(self)


class _Result:
    def __init__(self, rows=()):
        self.rows = [_Rec(r) for r in rows]

    def consume(self):
        return None

    def single(self):
        return self.rows[0] if self.rows else _Rec(c=0)

    def __iter__(self):
        return iter(self.rows)


class _Tx:
    def __init__(self, driver):
        self.driver = driver

    def run(self, query, **params):
        self.driver.log.append((query, params))
        if self.driver.has_data and "RETURN n.id AS id LIMIT 1" in query:
            return _Result([{"id": "x"}])
        return _Result()


class RecordingDriver:
    """Records (query, parameters) of every transaction function.

    It answers only the question "does the database hold chainmap data?" (``has_data``).
    """

    def __init__(self, has_data=False):
        self.log, self.has_data = [], has_data

    def session(self, **_):
        driver = self

        class _Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute_write(self, fn):
                return fn(_Tx(driver))

            execute_read = execute_write

        return _Session()

    def close(self):
        pass


def test_load_sends_only_parameterised_batched_cypher():
    t = _pcb()
    driver = RecordingDriver()
    Neo4jStore(driver, batch_size=3).load(t)
    queries = [q for q, _ in driver.log]
    constraints = [q for q in queries if q.startswith("CREATE CONSTRAINT")]
    assert len(constraints) == len(NODE_LABELS) + 1 and all("IF NOT EXISTS" in q for q in constraints)
    data = [(q, p) for q, p in driver.log if "UNWIND $rows" in q]
    assert data and all(len(p["rows"]) <= 3 for _, p in data)  # bounded transactions
    names = set(t.firms["name_zh"]) | set(t.links["name_zh"])
    assert not any(name in q for q in queries for name in names)  # values never in query text
    sent = {v for q, p in data if "(n:Firm" in q for r in p["rows"] for v in r}
    assert set(t.firms["name_zh"]) <= sent  # the values travel as parameters
    creates = [q for q, _ in data if "CREATE (a)-[e:OPERATES_IN {_key: row[2]}]->(b)" in q]
    assert creates, "into an empty database relationships are created"
    assert queries[-1].endswith("SET m.status = 'complete'")


def test_load_into_a_database_with_data_merges_so_a_retry_adds_nothing():
    driver = RecordingDriver(has_data=True)
    Neo4jStore(driver).load(_pcb())
    data = [q for q, _ in driver.log if "UNWIND $rows" in q and "(a)-[e:" in q]
    assert data and all("MERGE (a)-[e:" in q and "CREATE" not in q for q in data)


def test_labels_come_from_the_mapping_only():
    assert _label("Firm") == "Firm"
    with pytest.raises(ValueError, match="not a chainmap label"):
        _label("Firm) DETACH DELETE (n")


def test_connection_messages_are_clear_and_hold_no_credentials():
    from neo4j.exceptions import AuthError, ServiceUnavailable

    msg = describe_connection_error(AuthError("bad"), "bolt://alice:s3cret@db.example:7687")
    assert msg == "Neo4j at bolt://db.example:7687 refused the user name or password"
    assert "s3cret" not in describe_connection_error(ServiceUnavailable("x"), "bolt://a:s3cret@h:1")


# ------------------------------------------------------------------ real server
@pytest.fixture
def store():
    s = Neo4jStore.connect(neo4j_uri())
    s.clear()
    yield s
    s.close()


def test_uniqueness_constraints_exist_on_every_label(store):
    store.load(_pcb())
    with store.driver.session() as s:
        rows = s.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type").data()
    unique = {r["labelsOrTypes"][0] for r in rows if r["type"] == "UNIQUENESS" and r["properties"] == ["id"]}
    assert set(NODE_LABELS) <= unique


def test_every_property_chainmap_uses_is_named_in_the_database_and_nothing_is_left_from_naming_them(store):
    """Neo4j plans a query again once a label, type or property it names first appears (the read of every
    table: ~2 s on a fresh server). Setting up a database names every one chainmap uses, with a node or
    relationship created and deleted at once: a column blank in every record so far is still a property name.
    (Neo4j lists only the labels and types in use; property names it lists all.)"""
    from chainmap.store.neo4j import _columns

    t = _pcb()
    assert not len(t.events) and not len(t.projects), "the PCB world has no events or projects"
    store.load(t)
    with store.driver.session() as s:
        keys = set(s.run("CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS k").single()["k"])
        left = s.run("MATCH (n) WHERE n.id STARTS WITH 'chainmap-tokens-' RETURN count(n) AS c").single()["c"]
    node_cols, rel_cols = _columns()
    want = {c for cols in (*node_cols.values(), *rel_cols.values()) for c in cols} - {"src", "dst"}
    assert want | {"_load", "_key", "status", "token", "at"} <= keys, sorted(want - keys)
    assert left == 0
    assert store.counts()["Firm"] == len(t.firms)


def test_a_database_larger_than_one_page_is_read_whole(store, monkeypatch):
    """Most reads fit the first pages of one query; a label or type of more than ``_PAGE`` rows is read on,
    page by page (here pages of 2 rows, so the PCB world's 7 links, 6 firms and 7 plants need several)."""
    import chainmap.store.neo4j as neo4j_store
    from tests.test_store_contract import assert_same_tables

    t = _pcb()
    store.load(t)
    monkeypatch.setattr(neo4j_store, "_PAGE", 2)
    assert_same_tables(store.tables(), t)


def test_refused_connection_is_one_clear_message():
    with pytest.raises(StoreConnectionError, match="cannot reach Neo4j at bolt://127.0.0.1:1"):
        Neo4jStore.connect("bolt://127.0.0.1:1", connection_timeout=2)
    with pytest.raises(StoreConnectionError, match="not a usable Neo4j URI"):
        Neo4jStore.connect("http://127.0.0.1:7474")


class CuttableProxy:
    """A TCP relay on loopback between the driver and the server that can drop every connection."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.cut_now = target, threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.cut_now.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.cut_now.set()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
                c.close()
            except OSError:
                pass

    def close(self):
        self.cut()
        self.server.close()


def test_dropped_connection_mid_load_fails_clearly_and_a_retry_completes(store, bundled):
    host, port = neo4j_uri().removeprefix("bolt://").split(":")
    proxy = CuttableProxy((host, int(port)))
    # The driver retries a failed transaction (three times here, 0.1 s, 0.2 s and 0.4 s apart: its default first
    # wait is 1 s, doubling, which spent 3 s waiting for a network that stays cut) before the store says so.
    flaky = Neo4jStore.connect(f"bolt://127.0.0.1:{proxy.port}", max_transaction_retry_time=0.5,
                               initial_retry_delay=0.1, connection_timeout=1.0)
    flaky.batch_size = 100   # ten transactions for the bundled world's ~900 records: the cut falls after the fifth
    seen, totals = [], []

    def progress(done, total, what):
        seen.append(done)
        totals.append(total)
        if done > total / 2 and not proxy.cut_now.is_set():
            proxy.cut()  # the network goes away halfway through

    try:
        with pytest.raises(StoreConnectionError, match="while loading .*run the same load again"):
            flaky.load(bundled, progress=progress)
    finally:
        proxy.close()
        flaky.driver.close()
    assert seen[-1] < totals[-1]  # it really stopped partway
    with pytest.raises(IncompleteLoadError, match="did not finish"):
        store.tables()  # half-written data is never used
    store.load(bundled)  # the retry
    from tests.test_store_contract import assert_same_tables

    assert_same_tables(store.tables(), bundled)
    assert store.counts()["Firm"] == len(bundled.firms)


def test_cli_on_neo4j_gives_the_memory_store_output(capsys, tmp_path, store):
    uri = neo4j_uri()
    assert main(["db", "load", "--uri", uri]) == 0
    capsys.readouterr()
    assert main(["gaps", "--chain", "electronics", "--backend", "neo4j", "--uri", uri, "--format", "json"]) == 0
    from_db = capsys.readouterr().out
    assert main(["gaps", "--chain", "electronics", "--format", "json"]) == 0
    assert from_db == capsys.readouterr().out
    assert main(["rank", "--chain", "materials", "--backend", "neo4j", "--uri", uri, "--format", "json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert ranked[0]["reason"]
    assert main(["db", "status", "--uri", uri]) == 0
    status = capsys.readouterr().out
    assert "Firm" in status and "OPERATES_IN" in status


def test_load_then_dump_round_trips_the_bundled_seed_files(capsys, tmp_path, store):
    from chainmap.io import bundled_workspace

    uri = neo4j_uri()
    assert main(["db", "load", "--uri", uri]) == 0
    assert main(["db", "load", "--uri", uri]) == 0  # twice: same counts
    assert main(["db", "dump", "--uri", uri, "-o", str(tmp_path)]) == 0
    for csv in sorted((bundled_workspace() / "seeds").glob("*.csv")):
        assert (tmp_path / "seeds" / csv.name).read_bytes() == csv.read_bytes(), csv.name


def test_cli_refused_connection_prints_no_traceback(capsys):
    code = main(["gaps", "--chain", "ebike", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code == 2 and "无法连接 Neo4j（bolt://127.0.0.1:1）" in err and "Traceback" not in err
    code = main(["gaps", "--chain", "ebike", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:1", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach Neo4j" in err and "Traceback" not in err


def test_tables_edited_in_neo4j_are_seen_by_another_connection(store):
    store.load(_pcb())
    row = pd.DataFrame([{"link_id": "resin", "assessed_on": "2026-11-20", "method": "走访", "source": "招商局",
                         "notes": ""}])
    store.upsert("assessments", row, expected=row.iloc[0:0])
    other = Neo4jStore.connect(neo4j_uri())
    try:
        assert "resin" in set(other.tables().assessments["link_id"])
    finally:
        other.close()


def test_readme_cypher_runs_and_its_fill_gaps_match_chainmap(store, bundled):
    import re

    from chainmap.analysis import gap_analysis
    from chainmap.io import bundled_workspace

    blocks = re.findall(r"```cypher\n(.*?)```", (bundled_workspace() / "README.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    store.load(bundled)
    with store.driver.session() as s:
        results = [s.run(b.strip().rstrip(";")).data() for b in blocks]
    gaps = gap_analysis(bundled, "electronics")
    assert [r["link"] for r in results[0]] == sorted(gaps.loc[gaps["status"] == "fill", "link_id"])
    assert {"建滔积层板"} <= {r["企业"] for r in results[1]}
    assert results[2] and all(r["企业"] for r in results[2])
