"""Benchmark of the Streamlit workbench on a national-scale target library.

Run: ``.venv/bin/python bench/bench_app.py [N_FIRMS] [rerun]`` (default 100,000; ``rerun``: the filter
change alone, its rows replaced in the results, the browser rows kept)

Budgets:

* re-render of the 目标企业 page after a filter change, server side: < 300 ms.
  Measured with ``AppTest`` (one rerun of the whole script: router, sidebar
  and the page), each time with a filter combination not seen before, so the
  ranked list, the table and both download files are computed afresh. The
  page's own work (rank + table + CSV + xlsx) is timed too, without Streamlit.
* first page load after the server is up: < 3 s, measured with headless
  Chromium (a new browser context each time: empty HTTP cache) from
  navigation until the 总览 page has drawn its charts. Measured for the
  launcher ``python -m chainmap.app.serve`` (which runs the app once before it
  reports the server up: imports, workspace, scorer), for a plain ``streamlit
  run`` restarted on a workspace it has read before (its parsed tables are
  kept in ``<workspace>/.cache``, but the first session pays for imports and
  the scorer), for a second session on a running server, and for the very
  first start on a never-read library, which parses and validates the CSV
  files (not budgeted: once per data change, with a progress bar).

Results go to ``bench/results/app.json``.
"""
from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.app.serve import stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_workspace(n_firms: int, path: Path) -> None:
    from chainmap.io import write_workspace
    from chainmap.synth import synthetic_world

    t0 = time.perf_counter()
    # Few local plants (120 over 150 links), so every chain has strong, weak, missing and unsurveyed links
    # and about half the library scores: a list worth filtering.
    world = synthetic_world(n_chains=3, links_per_chain=50, n_firms=n_firms, local_ops=120, seed=3)
    write_workspace(world, path)
    print(f"synthetic workspace: {len(world.firms):,} firms, {len(world.operations):,} operations, "
          f"{len(world.links)} links, written in {time.perf_counter() - t0:.1f} s")


# ------------------------------------------------------------ server-side rerun
def bench_rerun(ws: Path, rows: list[dict]) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["CHAINMAP_WORKSPACE"] = str(ws)
    at = AppTest.from_file(str(ROOT / "app_streamlit.py"), default_timeout=600)
    t0 = time.perf_counter()
    at.run()
    print(f"AppTest first run (reads the library, fits the scorer): {time.perf_counter() - t0:.1f} s")
    at._page_hash = next(h for h, i in at._registered_pages.items() if i.get("url_pathname") == "targets")
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    modes = ("fill", "strengthen", "extend", "all")
    combos = [(mode, score) for score in (0.0, 0.05, 0.1, 0.15, 0.2) for mode in modes]
    times = []
    for mode, score in combos:
        at.segmented_control(key="tg_mode").set_value(mode)
        at.slider(key="tg_min").set_value(score)
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1e3)
        assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe[0].value), "the table shows targets"
    rows.append({"what": f"targets page rerun after a filter change (AppTest, {len(times)} new filter sets)",
                 "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
                 "max_ms": round(max(times), 2), "runs": len(times), "budget_ms": 300})

    # The page's own work, without Streamlit: rank, table, both downloads.
    from chainmap.app.targets import display_targets
    from chainmap.io import read_workspace
    from chainmap.io.export import csv_bytes, xlsx_bytes
    from chainmap.scoring import TargetScorer
    from chainmap.scoring.report import target_sheets, target_table

    tables = read_workspace(ws)
    scorer = TargetScorer().fit(tables)
    state = {"i": 0}

    def work():
        state["i"] += 1
        ranked = scorer.rank("c0", "稳健", ("fill", "strengthen", "extend", "all")[state["i"] % 4], top=50,
                             min_score=0.01 * (state["i"] % 20))
        display_targets(ranked, "zh")
        csv_bytes(target_table(ranked))
        xlsx_bytes(target_sheets(ranked, "合成链0", list(tables.teams["name_zh"])))

    rows.append({"what": "targets page work alone: rank + table + CSV + xlsx (top 50)", **timeit(work, repeat=20)})


# ------------------------------------------------------------- real browser
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(ws: Path, log: Path, warm: bool) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` as documented; with ``warm``, the launcher ``python -m chainmap.app.serve``
    (the same server, warmed up by one run of the app before it counts as up)."""
    port = free_port()
    env = dict(os.environ, CHAINMAP_WORKSPACE=str(ws))
    env.pop("NEO4J_URI", None)
    if warm:
        cmd = [sys.executable, "-m", "chainmap.app.serve", "--port", str(port), "--server.fileWatcherType", "none"]
    else:
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app_streamlit.py"), "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 300
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text(errors="replace"))
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    if warm:  # the launcher prints "ready" after this; wait for the same condition
        while "workbench ready" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > end:
                raise RuntimeError(log.read_text(errors="replace"))
            time.sleep(0.1)
    return proc, url


READY = """() => {
  const h = document.querySelector('h1');
  const charts = document.querySelectorAll('[data-testid="stMain"] svg[role="img"]').length;
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  return h && h.innerText.includes('总览') && charts >= 4 && !running;
}"""


def first_load(browser, url: str) -> float:
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    t0 = time.perf_counter()
    tab.goto(url + "/", wait_until="commit")
    tab.wait_for_function(READY, timeout=180_000, polling=50)
    elapsed = time.perf_counter() - t0
    tab.close()
    return elapsed * 1e3


def bench_browser(ws: Path, rows: list[dict], log: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"SKIPPED browser timings: {CHROMIUM} missing")
        return
    cold, restart, warmed, second = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # Each load opens a new browser context: an empty HTTP cache, the strictest case.
            for _ in range(2):
                shutil.rmtree(ws / ".cache", ignore_errors=True)
                proc, url = start_server(ws, log, warm=False)
                try:
                    cold.append(first_load(browser, url))
                finally:
                    stop(proc)
            for _ in range(5):
                proc, url = start_server(ws, log, warm=False)
                try:
                    restart.append(first_load(browser, url))
                    second.append(first_load(browser, url))
                finally:
                    stop(proc)
            for _ in range(5):
                proc, url = start_server(ws, log, warm=True)
                try:
                    time.sleep(1.0)  # let the launcher's warm-up run finish its clean-up (2 CPUs here)
                    warmed.append(first_load(browser, url))
                finally:
                    stop(proc)
        finally:
            browser.close()

    def row(what, ts, budget=None):
        r = {"what": what, "median_ms": round(statistics.median(ts), 2), "min_ms": round(min(ts), 2),
             "max_ms": round(max(ts), 2), "runs": len(ts)}
        if budget:
            r["budget_ms"] = budget
        rows.append(r)

    row("first page load, server started with python -m chainmap.app.serve (warmed up)", warmed, 3000)
    row("first page load, plain streamlit run restarted (library read before)", restart, 3000)
    row("another session's first load on a running server", second, 3000)
    row("first page load on a never-read library, plain streamlit run (parses the CSVs)", cold)


def main(n_firms: int = 100_000, only: str | None = None) -> None:
    """Every measure; ``only="rerun"`` re-measures the filter change alone and replaces its rows in
    ``bench/results/app.json``, keeping the browser rows of the last full run (each row says its load)."""
    rows: list[dict] = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="chainmap-bench-app-") as tmp:
        ws = Path(tmp) / "ws"
        make_workspace(n_firms, ws)
        bench_rerun(ws, rows)
        if only != "rerun":
            bench_browser(ws, rows, Path(tmp) / "streamlit.log")
    for r in rows:
        r["what"] = r["what"] + f" [{n_firms:,} firms]"
        # The cores are shared: the load says how much of the wait was someone else's work.
        r["load_1min_before"] = round(load, 1)
    if only == "rerun":
        import json

        from _timing import RESULTS

        old = json.loads((RESULTS / "app.json").read_text()).get("rows", []) if (RESULTS / "app.json").exists() else []
        mine = {r["what"] for r in rows}
        rows = rows + [r for r in old if r["what"] not in mine and not r["what"].startswith("targets page")]
    report("app", rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, sys.argv[2] if len(sys.argv) > 2 else None)
