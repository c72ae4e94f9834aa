import os
from pathlib import Path

import pytest

from chainmap.io import bundled_workspace, read_workspace

#: Set by tools/test, which starts a real Neo4j 5.26 server for the run.
NEO4J_URI = os.environ.get("CHAINMAP_TEST_NEO4J_URI")


def _copy_folder(src: Path, dst: Path) -> Path:
    import shutil

    for sub in ("graphs", "seeds"):
        shutil.copytree(src / sub, dst / sub)
    return dst


@pytest.fixture
def bare_workspace_copy(tmp_path):
    """A writable copy of the bundled workspace (graphs/ and seeds/) in ``tmp_path``, with no database yet:
    it is made on first use, as for a user's new folder."""
    return _copy_folder(bundled_workspace(), tmp_path)


@pytest.fixture(scope="session")
def _workspace_template(tmp_path_factory):
    """The bundled folder with its database made once per session (per test worker) and closed."""
    from chainmap.location import open_workspace
    from chainmap.store.sqlite import DB_NAME

    root = _copy_folder(bundled_workspace(), tmp_path_factory.mktemp("template") / "ws")
    open_workspace(root).close()
    # The last connection closed checkpoints the WAL; copy what is left anyway so a copy is never short of it.
    return sorted(f for f in root.iterdir() if f.is_file() and f.name.startswith(DB_NAME))


@pytest.fixture
def workspace_copy(tmp_path, _workspace_template):
    """A writable copy of the bundled workspace (graphs/ and seeds/) in ``tmp_path``, with its database already
    made from those files (a copy of one made once per session). Its stamp is the files' content, so a test that
    edits the files before first use still gets them re-read; tests about the first use take
    ``bare_workspace_copy``."""
    import shutil

    _copy_folder(bundled_workspace(), tmp_path)
    for f in _workspace_template:
        shutil.copy2(f, tmp_path / f.name)
    _new_identity(tmp_path / _workspace_template[0].name)
    return tmp_path


def _new_identity(db: Path) -> None:
    """Each copy is its own database: caches keyed by the database's id must never mix two tests' copies."""
    import uuid

    from chainmap.store.sqlite import SqliteStore

    store = SqliteStore(db)
    try:
        store.set_meta(uuid=uuid.uuid4().hex)
    finally:
        store.close()


@pytest.fixture(scope="session")
def _first_run_template(tmp_path_factory):
    """A workspace as a first run makes it where ``$CHAINMAP_WORKSPACE`` names no folder yet (the app's, the
    command line's): the bundled data loaded into its database and the settings copied beside it. Made once
    per session (per test worker), closed."""
    from chainmap.location import open_workspace

    root = tmp_path_factory.mktemp("first-run") / "ws"
    open_workspace(root, explicit=False).close()
    return root


def first_run_copy(template: Path, dst: Path) -> Path:
    """A copy at ``dst`` of the workspace ``template`` (see ``_first_run_template``), with its own id."""
    import shutil

    from chainmap.store.sqlite import DB_NAME

    shutil.copytree(template, dst)
    _new_identity(dst / DB_NAME)
    return dst


@pytest.fixture(scope="session", autouse=True)
def _default_workspace(tmp_path_factory):
    """Commands run without --workspace use a session workspace, never the repository's var/workspace/."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CHAINMAP_WORKSPACE", str(tmp_path_factory.mktemp("default") / "ws"))
    mp.setenv("CHAINMAP_CACHE_DIR", str(tmp_path_factory.mktemp("fitcache")))   # never the user's ~/.cache
    yield
    mp.undo()


_component_scan_shared = False


@pytest.fixture(autouse=True)
def _one_component_scan():
    """Every ``AppTest`` scans the installed distributions for Streamlit components (it parses ~90 METADATA
    files: about 0.2 s per AppTest, ~150 of them). Nothing is installed during a test run: scan once per
    worker and hand each AppTest a copy of that list. Patched only where the app tests are loaded."""
    global _component_scan_shared
    import sys

    if not _component_scan_shared and "streamlit.testing.v1" in sys.modules:
        import functools

        from streamlit.components.v2 import manifest_scanner

        scan = functools.cache(manifest_scanner.scan_component_manifests)
        manifest_scanner.scan_component_manifests = lambda *a, **kw: list(scan(*a, **kw))
        _component_scan_shared = True
    yield


def saved(ws):
    """The tables saved in the workspace folder ``ws``, opened as another process would (a folder of files
    gets its database first, as the command line would make it)."""
    from chainmap.location import open_workspace

    store = open_workspace(ws)
    try:
        return store.tables()
    finally:
        store.close()


def data_fingerprint(ws) -> str:
    """A digest of every table saved in the workspace ``ws``: equal digests, equal data."""
    import hashlib

    h = hashlib.sha256()
    for name, df in saved(ws).items():
        h.update(name.encode() + df.to_csv(index=False).encode())
    return h.hexdigest()


@pytest.fixture(scope="session")
def bundled():
    """The bundled workspace's tables, read once."""
    return read_workspace(bundled_workspace())


#: The real listed-firm tables (never copied into the repository): ``../shared/data/listed`` beside it.
LISTED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "listed"
LISTED_FILES = {"basic": "a_share_basic_2025-06.csv", "sw": "a_share_sw2021_l3_2021-10.csv",
                "status": "a_share_csrc_status_2026-06.csv"}


@pytest.fixture(scope="session")
def listed():
    """The listed-firm tables as firms (:func:`chainmap.io.listed.firms_from_listed`), built once per worker
    (5,829 firms; tests read it, never change it), or a skip saying where the tables should be."""
    import pandas as pd

    from chainmap.io.listed import firms_from_listed

    missing = [f for f in LISTED_FILES.values() if not (LISTED / f).is_file()]
    if missing:
        pytest.skip(f"the real listed-firm tables are not beside the repository ({LISTED.resolve()}: "
                    f"missing {', '.join(missing)}); real-placement tests SKIPPED")
    t = {k: pd.read_csv(LISTED / f, dtype=str) for k, f in LISTED_FILES.items()}
    return firms_from_listed(t["basic"], t["sw"], t["status"], source="; ".join(LISTED_FILES.values()))


def _memory():
    from chainmap.store.memory import MemoryStore

    return MemoryStore()


_sqlite_dirs = []


def _sqlite():
    import tempfile

    from chainmap.store.sqlite import SqliteStore

    folder = tempfile.mkdtemp(prefix="chainmap-contract-")
    _sqlite_dirs.append(folder)
    return SqliteStore(Path(folder) / "chainmap.sqlite")


def neo4j_uri() -> str:
    """The test server's URI; without one, skip loudly (or fail in CI, which always has Java)."""
    if not NEO4J_URI:
        why = ("no Neo4j test server: run the suite with ./tools/test, which starts one "
               "(needs Java 17 and Maven); Neo4j tests SKIPPED")
        if os.environ.get("CI"):
            pytest.fail("CI must run the Neo4j tests: " + why)
        pytest.skip(why)
    _wait_for_neo4j()
    return NEO4J_URI


_neo4j_up = False


def _wait_for_neo4j(timeout: float = 600) -> None:
    """tools/test starts the tests while Neo4j boots (a JVM, and a Maven build on a new machine): it names the
    file the server's start script writes its URI to once Bolt answers (``CHAINMAP_TEST_NEO4J_READY``) and the
    script's process (``CHAINMAP_TEST_NEO4J_PID``). Wait for that line; fail at once if the server is gone."""
    global _neo4j_up
    ready = os.environ.get("CHAINMAP_TEST_NEO4J_READY")
    if _neo4j_up or not ready:
        return
    import time

    pid, end = os.environ.get("CHAINMAP_TEST_NEO4J_PID"), time.monotonic() + timeout
    log = Path(ready).with_name("neo4j.log")
    while True:
        try:
            if Path(ready).read_text().startswith("bolt://"):
                _neo4j_up = True
                return
        except FileNotFoundError:
            pass
        if pid and not _running(int(pid)):
            pytest.fail(f"the Neo4j test server stopped before it was ready; see {log}")
        if time.monotonic() > end:
            pytest.fail(f"the Neo4j test server did not answer within {timeout:.0f} s; see {log}")
        time.sleep(0.2)


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, exited but not yet reaped by tools/test, does not)."""
    stat = Path(f"/proc/{pid}/stat")
    if not Path("/proc").is_dir():
        return True   # no procfs: the timeout decides
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


_open_stores = []


def _neo4j():
    from chainmap.store.neo4j import Neo4jStore

    store = Neo4jStore.connect(neo4j_uri())
    store.clear()
    _open_stores.append(store)
    return store


@pytest.fixture(scope="session", autouse=True)
def _close_neo4j_stores():
    yield
    for store in _open_stores:
        store.close()
    import shutil

    for folder in _sqlite_dirs:
        shutil.rmtree(folder, ignore_errors=True)


BACKENDS = {"memory": _memory, "sqlite": _sqlite, "neo4j": _neo4j}


#: ``tools/test`` runs the suite on two workers (pytest-xdist, ``--dist loadgroup``): the Neo4j tests clear and
#: fill the server's one database, so they keep to one worker (``xdist_group``), as the browser tests of one file do.
ON_NEO4J = [pytest.mark.neo4j, pytest.mark.xdist_group("neo4j")]


@pytest.fixture(params=[pytest.param(b, marks=ON_NEO4J if b == "neo4j" else ()) for b in sorted(BACKENDS)])
def store_factory(request):
    """Makes empty stores of one backend; the contract suite runs once per backend."""
    return BACKENDS[request.param]


def pytest_collection_modifyitems(config, items):
    """Longest work first, so neither of ``tools/test``'s two workers is left alone with a long tail.

    Under ``--dist loadgroup`` each ``xdist_group`` (the Neo4j tests, each browser module) is one unit of
    work and goes whole to one worker, in collection order; the ``slow`` process tests are the next longest.
    Moving them to the front, the largest group first (their own order kept), lets the many short tests fill
    in around them.
    """
    def group(item):
        mark = item.get_closest_marker("xdist_group")
        return mark.args[0] if mark and mark.args else mark.kwargs.get("name") if mark else None

    size = {}
    for item in items:
        size[group(item)] = size.get(group(item), 0) + 1

    def rank(item):
        g = group(item)
        return (0, -size[g], g) if g else (1, 0, "") if item.get_closest_marker("slow") else (2, 0, "")

    items.sort(key=rank)   # stable: the order within each group is the collection's
