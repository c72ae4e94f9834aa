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


@pytest.fixture(scope="session")
def _read_only_template(_first_run_template, tmp_path_factory):
    """One copy of ``_first_run_template`` per worker that the app's read-only tests share
    (``tests/test_app.py``: ``read_only_workspace``)."""
    return first_run_copy(_first_run_template, tmp_path_factory.mktemp("read-only") / "ws")


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
    # Never the user's ~/.cache. One folder for the run's workers, as for an office's users: a fit made by one
    # (a backtest's yearly snapshots, the bundled data's) is read by the other.
    run = tmp_path_factory.getbasetemp()
    mp.setenv("CHAINMAP_CACHE_DIR", str((run.parent if os.environ.get("PYTEST_XDIST_WORKER") else run) / "fitcache"))
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


# ------------------------------------------------------------------ the real browser (tests marked ``browser``)
# One streamlit server and one headless Chromium per test worker, shared by every browser test (tests/test_browser.py,
# the survey of tests/test_browser_maintain.py, the brief download of tests/test_briefs.py; all in the ``browser``
# xdist group, so on one worker): each server start costs a cold import and a first run of the app, each browser a
# launch and an empty HTTP cache.
CHROMIUM = "/usr/bin/chromium"
BROWSER_ROOT = Path(__file__).resolve().parents[1]
#: Chromium's own flags (Playwright adds its automation defaults). Requests to any host but the server are refused
#: by an unreachable proxy (Chromium always goes direct to loopback) and recorded by the context's request event:
#: a route (``context.route``) would do both, but Playwright turns the HTTP cache off while a route is set, so
#: every tab then fetched and compiled Streamlit's scripts again. ``--process-per-site``: the tabs of the server
#: share one renderer process, kept alive by the context's first tab (see ``browser``).
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--process-per-site"]
ON_BROWSER = [pytest.mark.browser, pytest.mark.xdist_group("browser"),
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason=f"REAL-BROWSER TEST SKIPPED: {CHROMIUM} is missing (apt-get install "
                                        f"chromium fonts-noto-cjk)")]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server(str):
    """The server's base URL, with its log file and its workspace folder."""

    def __new__(cls, url: str, log: Path, ws: Path | None = None):
        obj = super().__new__(cls, url)
        obj.log = log
        obj.ws = ws
        return obj


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The worker's streamlit server of the workbench, on a free port over a fresh workspace, run once (warm)
    before it is yielded; stopped whatever happens. Its tests only read, but for the 八个一 edit of test_browser's
    20 page changes, a record no other test reads, and the survey of test_browser_maintain, undone before it ends.

    The stop is not waited for: Streamlit takes 2-3 s to exit after SIGTERM, which the tests that follow need
    not wait (a thread sends it, and SIGKILL if the server is still there after 15 s; that the server stops on
    SIGTERM is test_launcher_warms_the_app_up_and_stops_its_server's)."""
    import subprocess
    import threading

    from chainmap.app.serve import command, stop, wait_ready

    tmp = tmp_path_factory.mktemp("browser")
    log = tmp / "streamlit.log"
    port = free_port()
    env = dict(os.environ, CHAINMAP_WORKSPACE=str(tmp / "ws"))
    env.pop("NEO4J_URI", None)
    with open(log, "wb") as out:   # the launcher's own command line and wait (python -m chainmap.app.serve)
        proc = subprocess.Popen(command(port, []), cwd=BROWSER_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url, proc, timeout=300)   # it answers, then the app has run once (warm caches)
        except (RuntimeError, TimeoutError) as e:
            raise RuntimeError(f"{e}:\n{log.read_text(errors='replace')}") from None
        yield Server(url, log, tmp / "ws")
    finally:
        threading.Thread(target=stop, args=(proc,), daemon=True).start()


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium, launched once per worker. Every request to a host but 127.0.0.1/localhost goes to a
    proxy port that is bound and never listened on, so it fails at once (an intranet has no internet)."""
    import socket

    from playwright.sync_api import sync_playwright

    with socket.socket() as closed, sync_playwright() as p:
        closed.bind(("127.0.0.1", 0))   # held, not listening: connections to it are refused
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=[*ARGS, f"--proxy-server=http://127.0.0.1:{closed.getsockname()[1]}"])
        try:
            yield b
        finally:
            b.close()


def _local(url: str) -> bool:
    from urllib.parse import urlparse

    return url.startswith(("data:", "blob:", "about:")) or urlparse(url).hostname in ("127.0.0.1", "localhost")


@pytest.fixture(scope="session")
def browser(chromium, server):
    """One browser context for every tab (Chinese locale, 1440×1000): its HTTP cache keeps Streamlit's scripts
    between tabs. ``browser.outside`` lists every request of any of its tabs to another host (each refused,
    see ``chromium``); the browser tests fail on any (``nothing_leaves_the_server``).

    A first tab stays open on the server's health check for the whole run: the tests' tabs join its renderer
    process (``--process-per-site``) instead of each starting one of its own, which cost Chromium some 3 CPU-s
    a tab (9 pages, each in a new tab closed after it: 43-61 CPU-s; with this tab kept open: 21-24; the browser
    tests: 101-105 CPU-s of all their processes, against 117-132)."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    context.outside = []
    context.on("request", lambda r: None if _local(r.url) else context.outside.append(r.url))
    context.new_page().goto(f"{server}/_stcore/health")
    try:
        yield context
    finally:
        context.close()


def pytest_configure(config):
    """Python's cyclic collector, tuned for a test process: a young generation of 10,000 objects instead of 700,
    since pandas and Streamlit allocate in bursts and most of it dies young. Measured over the app, backtest,
    store-contract, import and upkeep tests on one process: 7.7 of 72 CPU-s went to collecting, 1.8 with this
    and the freeze below."""
    import gc

    gc.set_threshold(10_000, 10, 10)


def pytest_collection_finish(session):
    """What collection imported lives for the whole run: freeze it, so full collections stop walking it."""
    import gc

    gc.collect()
    gc.freeze()
