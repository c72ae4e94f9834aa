"""链条维护 in a real browser: survey an unassessed link, see its status change, undo, see it back.

``streamlit run`` as a server over a fresh workspace and headless Chromium via
Playwright: the worker's browser and server (``tests/conftest.py``); the survey
is undone, so the tests sharing the server see the data as it was. Every request
that would leave the server is blocked and recorded. Screenshots
go to ``test-artifacts/``. Skipped, loudly, without ``/usr/bin/chromium``.
"""
from __future__ import annotations

from tests.conftest import ON_BROWSER, saved
from tests.test_browser import POLL, nothing_leaves_the_server, screenshot, settle  # noqa: F401

pytestmark = ON_BROWSER   # the worker's browser and server


def heading(tab, link: str) -> str:
    """The status line of the chosen link (``● 连接器 · 待评估 · 中游``)."""
    h = tab.locator('[data-testid="stMain"] h3', has_text=link).first
    h.wait_for(timeout=60_000)
    return h.inner_text()


def test_survey_an_unassessed_link_then_undo_it(server, browser):
    tab = browser.new_page()   # the worker's context: zh-CN, 1440×1000, requests off the server refused
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
                          polling=POLL, timeout=90_000)
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
                          polling=POLL, timeout=90_000)
    settle(tab)
    assert "11个环节" in tab.locator('[data-testid="stMain"]').inner_text()
    assert "connectors" not in set(saved(server.ws).assessments["link_id"])
    screenshot(tab, "maintain-undone")
    assert tab.locator('[data-testid="stException"]').count() == 0
    assert not browser.outside, browser.outside
    tab.close()


def test_server_log_has_no_traceback(server):
    text = server.log.read_text(errors="replace")
    assert "Traceback" not in text, text[-3000:]
