"""链条维护 in a real browser: survey an unassessed link, see its status change, undo, see it back.

``streamlit run`` as a server over a fresh workspace and headless Chromium via
Playwright, as in ``tests/test_browser.py`` (whose server fixture this copies).
Every request that would leave the server is blocked and recorded. Screenshots
go to ``test-artifacts/``. Skipped, loudly, without ``/usr/bin/chromium``.
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
from tests.conftest import saved

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

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
    """The server's base URL, with its log file and workspace."""

    def __new__(cls, url: str, log: Path, ws: Path):
        obj = super().__new__(cls, url)
        obj.log, obj.ws = log, ws
        return obj


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A streamlit server on a free port over a fresh workspace; stopped whatever happens."""
    tmp = tmp_path_factory.mktemp("browser_maintain")
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
        yield Server(url, log, tmp / "ws")
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


OUTSIDE: list[str] = []


def _local_only(route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlparse(url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        OUTSIDE.append(url)
        route.abort()


def settle(tab, timeout: float = 90) -> None:
    """Wait for the run to finish (the status widget disappears)."""
    tab.wait_for_timeout(500)
    end = time.monotonic() + timeout
    while time.monotonic() < end and tab.locator('[data-testid="stStatusWidget"]').count():
        time.sleep(0.2)
    tab.wait_for_timeout(1000)


def screenshot(tab, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    height = tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    tab.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 12_000)})
    tab.wait_for_timeout(800)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path))
    tab.set_viewport_size({"width": 1440, "height": 1000})
    return path


def heading(tab, link: str) -> str:
    """The status line of the chosen link (``● 连接器 · 待评估 · 中游``)."""
    h = tab.locator('[data-testid="stMain"] h3', has_text=link).first
    h.wait_for(timeout=60_000)
    return h.inner_text()


def test_survey_an_unassessed_link_then_undo_it(server, browser):
    tab = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab.route("**/*", _local_only)
    tab.goto(f"{server}/maintain?link=connectors", wait_until="domcontentloaded")
    tab.wait_for_selector("h1", timeout=90_000)
    settle(tab)
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert "电子信息链条维护" in tab.locator("h1").first.inner_text()
    assert "待评估" in heading(tab, "连接器")
    screenshot(tab, "maintain-before")

    # The survey tab is the open one: hidden tabs' fields are not in the accessibility tree.
    tab.get_by_role("textbox", name="摸排人/单位").fill("市商务局 李明")
    tab.get_by_role("textbox", name="依据/来源").fill("清城区工业园走访记录 2026-11-30")
    tab.get_by_role("textbox", name="摸排结论").fill("走访清城、清新两区工业园，未发现连接器企业")
    tab.get_by_role("button", name="保存摸排记录").click()
    tab.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stMain\"] h3')]"
                          ".some(h => h.innerText.includes('连接器') && !h.innerText.includes('待评估'))",
                          timeout=90_000)
    settle(tab)
    judged = heading(tab, "连接器")
    assert "补链" in judged or "延链" in judged, judged
    main = tab.locator('[data-testid="stMain"]').inner_text()
    assert "10个环节" in main and "市商务局 李明" in main and "链条维护·摸排：连接器" in main
    assert saved(server.ws).assessments.set_index("link_id").at["connectors", "assessed_by"] == "市商务局 李明"
    assert screenshot(tab, "maintain-surveyed").stat().st_size > 10_000

    tab.get_by_role("button", name="撤销").first.click()
    tab.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stMain\"] h3')]"
                          ".some(h => h.innerText.includes('连接器') && h.innerText.includes('待评估'))",
                          timeout=90_000)
    settle(tab)
    assert "11个环节" in tab.locator('[data-testid="stMain"]').inner_text()
    assert "connectors" not in set(saved(server.ws).assessments["link_id"])
    screenshot(tab, "maintain-undone")
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert not OUTSIDE, OUTSIDE
    tab.close()


def test_server_log_has_no_traceback(server):
    text = server.log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
