"""Benchmark of the workbench in a real browser (headless Chromium driven by Playwright).

Run: ``PYTHONPATH=. .venv/bin/python bench/bench_browser.py [REPEAT] [save]`` (default 5; ``save``: the saves only,
printed, nothing written)

What an officer waits for, timed from the browser's side on the bundled workspace:

* **page change, warm** (budget 0.5 s): a click on a page in the sidebar's navigation
  until that page's title and main content (the overview's charts, the map's labelled
  nodes, the target grid, the 八个一 slots) are visible. Every page is visited twice
  first (warm caches), then each change is timed ``REPEAT`` times per page.
* **first page after the launcher reports ready** (budget 3 s): ``python -m
  chainmap.app.serve`` is started, and when it prints "workbench ready" a new browser
  context (empty HTTP cache) opens the overview and waits for its charts. A new
  server each time (``REPEAT`` starts, the workspace made by the first).
* **a save** (budget 0.5 s): a 八个一 slot's evidence is changed and 保存 clicked, until
  the page shows 已保存 and the store holds the new text; and until the page is drawn again
  from the saved data (its evidence panel holds the new text).

Every request that is not to 127.0.0.1 is blocked and counted (there must be none).
Results (medians, min, max in ms) go to ``bench/results/browser.json``.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from chainmap.app.serve import stop  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: nav link text → (text in the page's h1, a selector of its main content)
PAGES = {
    "总览": ("产业链招商总览", '[data-testid="stMain"] svg[role="img"]'),
    "产业链图谱": ("产业链图谱", '[data-testid="stPlotlyChart"] .textpoint text'),
    "目标企业": ("目标企业", '[data-testid="stDataFrame"]'),
    "八个一": ("产业链招商机制", '[data-testid="stMain"] [data-testid="stExpander"]'),
}
OUTSIDE: list[str] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_only(route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        OUTSIDE.append(url)
        route.abort()


def start_server(ws: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """``python -m chainmap.app.serve`` on a free port; returns once it reports ready."""
    port = free_port()
    env = dict(os.environ, CHAINMAP_WORKSPACE=str(ws), PYTHONPATH=str(ROOT))
    env.pop("NEO4J_URI", None)
    out = open(log, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "chainmap.app.serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    end = time.monotonic() + 300
    while "workbench ready" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > end:
            stop(proc)
            raise RuntimeError(log.read_text(errors="replace"))
        time.sleep(0.05)
    return proc, f"http://127.0.0.1:{port}"


def content_visible(tab, nav: str, timeout: float = 60_000) -> None:
    title, selector = PAGES[nav]
    tab.wait_for_function("([t, s]) => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
                          " const e = document.querySelector(s);"
                          " return h && h.innerText.includes(t) && e && e.getBoundingClientRect().height > 0; }",
                          arg=[title, selector], timeout=timeout)


def idle(tab, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and tab.locator('[data-testid="stStatusWidget"]').count():
        time.sleep(0.05)
    tab.wait_for_timeout(300)


def stats(times: list[float]) -> dict:
    ms = [t * 1e3 for t in times]
    return {"median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1), "max_ms": round(max(ms), 1),
            "runs": len(ms)}


def bench_first_page(browser, ws: Path, tmp: Path, repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        proc, url = start_server(ws, tmp / f"serve{i}.log")
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
            tab = context.new_page()
            tab.route("**/*", local_only)
            t0 = time.perf_counter()
            tab.goto(url + "/", wait_until="commit")
            content_visible(tab, "总览")
            times.append(time.perf_counter() - t0)
            context.close()
        finally:
            stop(proc)
    return times


def bench_page_changes(tab, repeat: int) -> dict[str, list[float]]:
    navs = list(PAGES)
    for _ in range(2):  # warm up: every page twice
        for nav in navs[1:] + navs[:1]:
            tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=nav).first.click()
            content_visible(tab, nav)
            idle(tab)
    times: dict[str, list[float]] = {nav: [] for nav in navs}
    for _ in range(repeat):
        for nav in navs[1:] + navs[:1]:
            link = tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=nav).first
            t0 = time.perf_counter()
            link.click()
            content_visible(tab, nav)
            times[nav].append(time.perf_counter() - t0)
            idle(tab)
    return times


def bench_save(tab, ws: Path, repeat: int) -> tuple[list[float], list[float]]:
    sys.path.insert(0, str(ROOT))
    from tests.conftest import saved

    tab.locator('[data-testid="stSidebarNav"] a').filter(has_text="八个一").first.click()
    content_visible(tab, "八个一")
    idle(tab)
    times, shown = [], []
    for i in range(repeat + 1):  # the first save is a warm-up
        slot = tab.locator('[data-testid="stMain"] [data-testid="stExpander"]').filter(has_text="一名链长") \
            .filter(has=tab.locator("textarea")).first
        if not slot.locator("textarea").is_visible():
            slot.locator("summary").click()
        note = f"2026年第{i + 1}次链长工作会议纪要（清府办〔2026〕{40 + i}号）"
        slot.locator("textarea").fill(note)
        button = slot.get_by_role("button", name="保存")
        t0 = time.perf_counter()
        button.click()
        tab.locator('[data-testid="stToast"]').filter(has_text="已保存").first.wait_for(timeout=30_000)
        took = time.perf_counter() - t0
        # ... and the page drawn again from the saved data: the evidence panel (全部佐证) holds the new text.
        tab.wait_for_function("n => document.querySelector('[data-testid=\"stMain\"]').textContent.includes(n)",
                              arg=note, timeout=30_000)
        drawn = time.perf_counter() - t0
        m = saved(ws).mechanism
        assert note in set(m["evidence"]), "the save reached the store"
        if i:
            times.append(took)
            shown.append(drawn)
        idle(tab)
        tab.wait_for_timeout(4000)  # let the toast go, so the next one is the next save's
    return times, shown


def main(repeat: int = 5, only: str | None = None) -> None:
    """All three measures, written to ``bench/results/browser.json``; ``only="save"`` times the saves
    alone and prints them (a quick check while working on the save path; nothing written)."""
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench_browser_"))
    ws = tmp / "ws"
    rows = []
    load_before = os.getloadavg()[0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            if only != "save":
                first = bench_first_page(browser, ws, tmp, repeat)
                rows.append({"what": "first page (总览 with charts) after serve reports ready", **stats(first),
                             "budget_ms": 3000})
            proc, url = start_server(ws, tmp / "serve.log")
            try:
                tab = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
                tab.route("**/*", local_only)
                tab.goto(url + "/", wait_until="commit")
                content_visible(tab, "总览")
                idle(tab)
                if only != "save":
                    changes = bench_page_changes(tab, repeat)
                    every = [t for ts in changes.values() for t in ts]
                    rows.append({"what": "page change, warm (all pages)", **stats(every), "budget_ms": 500})
                    for nav, ts in changes.items():
                        rows.append({"what": f"page change, warm: → {nav}", **stats(ts), "budget_ms": 500})
                saves, shown = bench_save(tab, ws, repeat)
                rows.append({"what": "save a 八个一 slot (click → 已保存)", **stats(saves), "budget_ms": 500})
                rows.append({"what": "save a 八个一 slot (click → page drawn again with the saved text)",
                             **stats(shown), "budget_ms": 500})
            finally:
                stop(proc)
        finally:
            browser.close()
    # The cores are shared: the load says how much of the wait was someone else's work.
    rows.append({"what": "load average (1 min) before / after", "value": round(load_before, 1), "unit": "before",
                 "after": round(os.getloadavg()[0], 1), "cpus": os.cpu_count()})
    rows.append({"what": "requests that tried to leave 127.0.0.1", "value": float(len(OUTSIDE)), "unit": "requests",
                 "urls": OUTSIDE[:20]})
    if only:
        for r in rows:
            print(r)
        return
    report("browser", rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2] if len(sys.argv) > 2 else None)
