"""The workbench in a real browser: ``streamlit run`` as a server, headless Chromium via Playwright.

Checks that each page renders (the gap map's SVG with its links, the target
table, the charts) and saves a screenshot per page to ``test-artifacts/``.
Needs ``/usr/bin/chromium`` (Debian package ``chromium``) and CJK fonts
(``fonts-noto-cjk``); skipped, loudly, without the browser.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from chainmap.app.serve import stop

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = {"overview": "", "map": "map", "targets": "targets", "firm": "firm", "mechanism": "mechanism",
         "projects": "projects"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"REAL-BROWSER TEST SKIPPED: {CHROMIUM} is missing (apt-get install chromium "
                              f"fonts-noto-cjk)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer in {timeout} s:\n{log.read_text(errors='replace')}")


class Server(str):
    """The server's base URL, with its log file."""

    def __new__(cls, url: str, log: Path):
        obj = super().__new__(cls, url)
        obj.log = log
        return obj


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A streamlit server on a free port over a fresh workspace; stopped whatever happens."""
    tmp = tmp_path_factory.mktemp("browser")
    log = tmp / "streamlit.log"
    port = free_port()
    env = dict(os.environ, CHAINMAP_WORKSPACE=str(tmp / "ws"))
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app_streamlit.py"), "--server.headless", "true",
           "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_served(url, proc, log)
        yield Server(url, log)
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


#: Requests that tried to leave the server (every tab blocks them): an intranet has no internet.
OUTSIDE: list[str] = []


def _local_only(route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        OUTSIDE.append(url)
        route.abort()


def open_page(browser, server: str, page: str):
    """Open one page, blocking any request that is not to the server, and wait until the script has run."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab.route("**/*", _local_only)
    tab.goto(f"{server}/{PAGES[page]}", wait_until="domcontentloaded")
    tab.wait_for_selector("h1", timeout=60_000)
    settle(tab)
    return tab


def settle(tab, timeout: float = 60) -> None:
    """Wait for the run to finish (the status widget disappears) and for lazy charts to draw."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and tab.locator('[data-testid="stStatusWidget"]').count():
        time.sleep(0.2)
    tab.wait_for_timeout(1500)


def screenshot(tab, name: str) -> Path:
    """The whole page (Streamlit scrolls inside its main area, so the viewport grows to fit)."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    tab.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 12_000)})
    tab.wait_for_timeout(800)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path))
    return path


def no_exception(tab) -> None:
    errors = tab.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def test_overview_renders_with_charts(server, browser):
    tab = open_page(browser, server, "overview")
    no_exception(tab)
    assert "清远市产业链招商总览" in tab.locator("h1").first.inner_text()
    charts = tab.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] svg[role="img"]')  # inline SVG
    charts.first.wait_for(timeout=30_000)
    assert charts.count() >= 4, "gauge plus one status chart per chain"
    assert "2026年新签约项目计划总投资" in charts.first.inner_html()
    assert charts.first.bounding_box()["height"] > 150
    body = tab.locator('[data-testid="stMain"]').inner_text()
    assert "800亿元" in body and "516" in body and "电子信息" in body
    assert screenshot(tab, "overview").stat().st_size > 10_000
    tab.close()


def test_gap_map_svg_renders_with_its_links(server, browser):
    tab = open_page(browser, server, "map")
    no_exception(tab)
    svg = tab.locator('[data-testid="stGraphVizChart"] svg')
    svg.first.wait_for(timeout=30_000)
    text = svg.first.inner_html()
    assert "覆铜板" in text and "印制电路板" in text and "图例" in text
    assert svg.first.bounding_box()["height"] > 300
    screenshot(tab, "map")
    # The 远景图 adds the recommended targets, drawn dashed.
    tab.set_viewport_size({"width": 1440, "height": 1000})
    tab.get_by_text("远景图", exact=True).first.click()
    settle(tab)
    svg = tab.locator('[data-testid="stGraphVizChart"] svg')
    tab.wait_for_function("() => document.querySelector('[data-testid=\"stGraphVizChart\"] svg')"
                          " && document.querySelector('[data-testid=\"stGraphVizChart\"] svg').innerHTML"
                          ".includes('拟引进')", timeout=30_000)
    assert "stroke-dasharray" in svg.first.inner_html()
    screenshot(tab, "map-vision")
    tab.close()


def test_target_table_renders(server, browser):
    tab = open_page(browser, server, "targets")
    no_exception(tab)
    grid = tab.locator('[data-testid="stDataFrame"]')
    grid.first.wait_for(timeout=30_000)
    assert grid.first.bounding_box()["height"] > 200
    # The grid draws on a canvas; its accessible table carries the cells.
    tab.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] [role=\"gridcell\"],"
                          " [data-testid=\"stDataFrame\"] td')].some(c => c.textContent.includes('生益科技'))",
                          timeout=30_000)
    assert tab.get_by_text("下载招商清单（xlsx）").count() == 1
    screenshot(tab, "targets")
    tab.close()


@pytest.mark.parametrize("page", ["firm", "mechanism", "projects"])
def test_other_pages_render(server, browser, page):
    tab = open_page(browser, server, page)
    no_exception(tab)
    assert tab.locator("h1").first.inner_text().strip()
    tab.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
    screenshot(tab, page)
    tab.close()


def test_english_switch_in_the_browser(server, browser):
    tab = open_page(browser, server, "overview")
    tab.get_by_text("English", exact=True).click()
    settle(tab)
    tab.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText"
                          ".includes('overview')", timeout=30_000)
    no_exception(tab)
    assert "Chain" in tab.locator('[data-testid="stSidebar"]').inner_text()
    screenshot(tab, "overview-en")
    tab.close()


def test_first_page_load_is_quick_once_the_server_is_up(server, browser):
    """Not a benchmark (see bench/bench_app.py): a regression guard with a generous limit."""
    t0 = time.perf_counter()
    tab = open_page(browser, server, "overview")
    tab.locator('[data-testid="stMain"] svg[role="img"]').first.wait_for(timeout=30_000)
    assert time.perf_counter() - t0 < 20
    tab.close()


def test_server_log_has_no_traceback(server):
    """Every page above ran without an error reaching the server log."""
    text = server.log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]


def test_launcher_warms_the_app_up_and_stops_its_server(tmp_path, browser):
    """``python -m chainmap.app.serve``: ready only after one run of the app; SIGTERM stops the server too."""
    import signal

    port = free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, CHAINMAP_WORKSPACE=str(tmp_path / "ws"))
    env.pop("NEO4J_URI", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "chainmap.app.serve", "--port", str(port)], cwd=tmp_path,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + 120
        while "workbench ready" not in log.read_text(errors="replace"):
            assert proc.poll() is None and time.monotonic() < end, log.read_text(errors="replace")
            time.sleep(0.2)
        assert (tmp_path / "ws" / "chainmap.sqlite").is_file(), "the warm-up run created the workspace"
        tab = open_page(browser, f"http://127.0.0.1:{port}", "overview")
        no_exception(tab)
        tab.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    time.sleep(1)
    with pytest.raises(OSError):  # the streamlit child is gone with its launcher
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)


def test_no_request_leaves_the_server(server, browser):
    """Self-contained: every page, in both languages, asks nothing of any host but the server."""
    OUTSIDE.clear()
    for page in PAGES:
        tab = open_page(browser, server, page)
        tab.close()
    tab = open_page(browser, server, "overview")
    tab.get_by_text("English").click()
    settle(tab)
    tab.close()
    assert OUTSIDE == []
