"""The workbench in a real browser: ``streamlit run`` as a server, headless Chromium via Playwright.

Checks that each page renders (the gap map's SVG with its links, the target
table, the charts) and saves a screenshot per page to ``test-artifacts/``.
Needs ``/usr/bin/chromium`` (Debian package ``chromium``) and CJK fonts
(``fonts-noto-cjk``); skipped, loudly, without the browser. The server and the
browser are the worker's (``tests/conftest.py``, the browser block), shared with
the other browser tests.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import ON_BROWSER, free_port

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
PAGES = {"overview": "", "map": "map", "targets": "targets", "firm": "firm", "mechanism": "mechanism",
         "projects": "projects", "maintain": "maintain", "incumbents": "incumbents", "imports": "imports"}

pytestmark = ON_BROWSER   # one worker: the tests share the worker's server and browser


@pytest.fixture(autouse=True)
def nothing_leaves_the_server(browser):
    """Self-contained: every browser test fails if its pages asked any host but the server (URLs listed)."""
    browser.outside.clear()
    yield
    assert browser.outside == [], f"requests that tried to leave 127.0.0.1: {browser.outside}"


def open_page(browser, server: str, page: str, query: str = "", width: int = 1440, tab=None):
    """Open one page by its address, in ``tab`` or else in a new tab of the worker's context, and wait until the
    script has run. Each address opened is a new Streamlit session, in a new tab or not."""
    if tab is None:
        tab = browser.new_page()
    if width != tab.viewport_size["width"]:
        tab.set_viewport_size({"width": width, "height": 1000})
    tab.goto(f"{server}/{PAGES[page]}{query}", wait_until="domcontentloaded")
    tab.wait_for_selector("h1", timeout=60_000)
    settle(tab)
    return tab


#: How often (ms) a ``wait_for_function`` condition is checked. Playwright's default, every animation frame, runs
#: the check (a query of the page, often a layout) on each frame while a rerun draws: about 4% of Chromium's CPU
#: over these tests.
POLL = 100

#: The app's root once a run has finished: Streamlit marks it with the connection's and the script's state
#: (what Streamlit's own end-to-end tests wait on). Before the first run the script state is ``initial``.
IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


def settle(tab, timeout: float = 60) -> None:
    """Wait until the app's run has finished. After a click, call it once the click's effect has begun to show
    (a new URL, a new heading): until the server starts the rerun, the root still says the last run finished.
    Charts draw after the run: a test that reads one waits for it."""
    tab.wait_for_selector(IDLE, state="attached", timeout=timeout * 1000)
    tab.wait_for_timeout(100)   # the last deltas of the run reach the page


def screenshot(tab, name: str, width: int = 1440, full: bool = True) -> Path:
    """The whole page (Streamlit scrolls inside its main area, so the viewport grows to fit),
    or with ``full=False`` the first screen only (the window: what an officer sees without scrolling)."""
    ARTIFACTS.mkdir(exist_ok=True)
    if full:
        height = tab.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        size = {"width": width, "height": min(int(height) + 40, 12_000)}
    else:
        size = {"width": width, "height": tab.viewport_size["height"]}
    if size["width"] != tab.viewport_size["width"]:
        tab.set_viewport_size(size)
        tab.wait_for_timeout(800)   # charts follow the new width
    elif size != tab.viewport_size:
        tab.set_viewport_size(size)   # taller only: nothing is laid out again
    charts_drawn(tab)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path))
    return path


def charts_drawn(tab) -> None:
    """Wait until every Plotly chart of the page has drawn its SVG (they draw after the run), then for the next
    frame to be painted."""
    tab.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                          ".every(c => c.querySelector('svg.main-svg'))", polling=POLL, timeout=30_000)
    tab.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def no_exception(tab) -> None:
    errors = tab.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def overview_has_its_charts(tab, page: str, started: float) -> None:
    """The overview: the city's title, the gauge and one status chart per chain drawn as inline SVG, the plan's
    figures in its text; drawn within 20 s of opening (not a benchmark, see bench/bench_app.py: a regression
    guard with a generous limit)."""
    assert "清远市产业链招商总览" in tab.locator("h1").first.inner_text()
    charts = tab.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] svg[role="img"]')  # inline SVG
    charts.first.wait_for(timeout=30_000)
    assert time.perf_counter() - started < 20
    assert charts.count() >= 4, "gauge plus one status chart per chain"
    assert "2026年新签约项目计划总投资" in charts.first.inner_html()
    assert charts.first.bounding_box()["height"] > 150
    body = tab.locator('[data-testid="stMain"]').inner_text()
    assert "800亿元" in body and "516" in body and "电子信息" in body
    assert screenshot(tab, "page-overview-zh").stat().st_size > 10_000


def target_table_has_its_firms(tab, page: str, started: float) -> None:
    """The target table: a tall grid holding a known target, and the download of the list."""
    grid = tab.locator('[data-testid="stDataFrame"]')
    grid.first.wait_for(timeout=30_000)
    assert grid.first.bounding_box()["height"] > 200
    # The grid draws on a canvas; its accessible table carries the cells.
    tab.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stDataFrame\"] [role=\"gridcell\"],"
                          " [data-testid=\"stDataFrame\"] td')].some(c => c.textContent.includes('生益科技'))",
                          polling=POLL, timeout=30_000)
    assert tab.get_by_text("下载招商清单（xlsx）").count() == 1
    screenshot(tab, "page-targets-zh")


def page_has_a_chart(tab, page: str, started: float) -> None:
    """The firm, 八个一 and projects pages each draw a Plotly chart."""
    tab.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
    screenshot(tab, f"page-{page}-zh")


#: What each page shows beyond its title, checked in the Chinese walk. These were tests of their own, each
#: opening its page once more: test_overview_renders_with_charts and test_first_page_load_is_quick_once_the_server_is_up
#: (overview), test_target_table_renders (targets), test_other_pages_render[firm|mechanism|projects].
ZH_CONTENT = {"overview": overview_has_its_charts, "targets": target_table_has_its_firms,
              "firm": page_has_a_chart, "mechanism": page_has_a_chart, "projects": page_has_a_chart}


def test_every_page_opens_by_its_address_in_chinese(server, browser):
    """Each page of the navigation, opened by its address with no ``lang`` in it: Chinese, the default (``?lang=zh``
    is opened by the map tests, ``?lang=en`` by test_chain_map_is_readable_at_office_widths[en]; English through
    the switch is test_english_switch_then_20_page_changes). Each address is a new session, opened in the same tab
    one after the other. Each page has a Chinese title and no exception, and asks nothing of any host but the
    server (the autouse check: this walk is also what test_no_request_leaves_the_server proved); each page's
    content is checked too (``ZH_CONTENT``). One screenshot per page: the first screen, or the whole page for those
    whose content is checked (it was both: ``page-<page>-zh`` and ``<page>``)."""
    tab = browser.new_page()
    for page in PAGES:
        started = time.perf_counter()
        open_page(browser, server, page, tab=tab)
        no_exception(tab)
        title = tab.locator("h1").first.inner_text().strip()
        assert re.search(r"[\u4e00-\u9fff]", title), (page, title)
        if page in ZH_CONTENT:   # its checks take the screenshot, of the whole page
            ZH_CONTENT[page](tab, page, started)
            tab.set_viewport_size({"width": 1440, "height": 1000})   # the full-page screenshot grew it
        else:
            screenshot(tab, f"page-{page}-zh", full=False)
    tab.close()


MAP = '[data-testid="stPlotlyChart"] .js-plotly-plot'


def wait_for_map(tab, text: str, timeout: float = 30_000) -> None:
    """Wait until the chain map has drawn a node labelled ``text``."""
    tab.wait_for_function("t => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .textpoint text')]"
                          ".some(e => e.textContent.includes(t))", arg=text, polling=POLL, timeout=timeout)


def map_texts(tab) -> list[str]:
    return tab.eval_on_selector_all(f"{MAP} .textpoint text", "es => es.map(e => e.textContent)")


def font_sizes(tab) -> list[float]:
    return tab.eval_on_selector_all(f"{MAP} .textpoint text",
                                    "es => es.map(e => parseFloat(getComputedStyle(e).fontSize))")


def map_fits(tab, width: int) -> None:
    """Wait until the map has been drawn again at the window's width ``width`` (Plotly follows a resize)."""
    tab.wait_for_function("""([sel, w]) => { const p = document.querySelector(sel);
        const svg = p && p.querySelector('svg.main-svg');
        return !!svg && p.getBoundingClientRect().right <= w && p.querySelectorAll('.legend').length > 0
            && Math.abs(svg.getBoundingClientRect().width - p.parentElement.getBoundingClientRect().width) < 2; }""",
                          arg=[MAP, width], polling=POLL, timeout=30_000)
    tab.wait_for_timeout(200)   # the labels are placed in the same redraw; let it finish


def map_is_readable(tab, lang: str, width: int) -> None:
    """The map fits the window, its labels are readable (≥ 12 px, no chain ids) and the legend and the detail
    panel sit beside it."""
    wait_for_map(tab, "碳纤维" if lang == "zh" else "Carbon fibre")
    map_fits(tab, width)
    texts = map_texts(tab)
    assert len(texts) >= 20
    assert min(font_sizes(tab)) >= 12, "labels readable in both languages"
    assert not any(ch in " ".join(texts) for ch in ("(ebike)", "(electronics)", "(materials)"))
    chart = tab.locator(MAP).first.bounding_box()
    assert chart["x"] + chart["width"] <= width, "the map fits the window"
    legend = tab.locator(f"{MAP} .legend").first.bounding_box()
    plot = tab.locator(f"{MAP} .nsewdrag").first.bounding_box()  # the plotting area
    assert legend["x"] >= plot["x"] + plot["width"] - 1, "the legend is beside the chart, not above it"
    assert legend["height"] < 400, "the legend does not fill the first screen"
    # No label is cut by the chart's edge or runs under the legend.
    boxes = tab.eval_on_selector_all(f"{MAP} .textpoint text", "es => es.map(e => { const r = e.getBoundingClientRect();"
                                     " return [e.textContent, r.left, r.right]; })")
    cut = [t for t, left, right in boxes if left < chart["x"] - 1 or right > legend["x"] + 1]
    assert not cut, f"labels cut or under the legend: {cut}"
    # The detail panel is beside the map (same band of the screen), not below it.
    panel = tab.locator('[data-testid="stMain"] h3').first.bounding_box()
    assert panel["x"] > chart["x"] + chart["width"] - 5 and panel["y"] < chart["y"] + chart["height"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_map_is_readable_at_office_widths(server, browser, lang):
    """An address opens the map of that chain in that language; at 1440 px and, the window narrowed in place, on
    a 1280 px laptop the map fits the window, its labels are readable (≥ 12 px, no chain ids) and the legend sits
    beside it. (Each width was a page load of its own: test_chain_map_is_readable_at_office_widths[1440|1280-zh|en].)"""
    tab = open_page(browser, server, "map", f"?chain=materials&lang={lang}")
    no_exception(tab)
    # The address alone chose the chain and the language (in English this was test_a_url_opens_that_chain_in_english).
    assert tab.locator("h1").first.inner_text().strip() == {"zh": "先进材料产业链图谱",
                                                            "en": "Advanced materials: chain map"}[lang]
    assert {"zh": "先进材料", "en": "Advanced materials"}[lang] in sidebar_chain(tab)
    assert tab.locator('[data-testid="stSidebar"] input[type="radio"]:checked').first.evaluate(
        "e => e.closest('label').innerText").strip() == {"zh": "中文", "en": "English"}[lang]
    for width in (1440, 1280):
        if width != tab.viewport_size["width"]:
            tab.set_viewport_size({"width": width, "height": 1000})
        map_is_readable(tab, lang, width)
        screenshot(tab, f"map-{lang}-{width}", width=width, full=False)
        no_exception(tab)
    tab.close()


def click_node(tab, text: str) -> None:
    """A real mouse click on the map's dot labelled ``text`` (the marker, not its label)."""
    box = tab.evaluate("""t => {
        for (const tr of document.querySelectorAll('[data-testid="stPlotlyChart"] .scatterlayer .trace')) {
            const labels = [...tr.querySelectorAll('.textpoint text')];
            const i = labels.findIndex(e => e.textContent.includes(t));
            if (i < 0) continue;
            const r = tr.querySelectorAll('.points path.point')[i].getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2};
        }
        return null;
    }""", text)
    assert box, f"no dot labelled {text} on the map"
    tab.mouse.move(box["x"], box["y"])
    tab.wait_for_timeout(200)
    tab.mouse.click(box["x"], box["y"])


def panel_heading(tab) -> str:
    return tab.locator('[data-testid="stMain"] h3').first.inner_text()


def test_clicking_a_map_node_opens_its_side_panel_then_the_vision_rings_the_targets(server, browser):
    """Two clicks on the map's dots open their links' side panels (and the URL follows); then the 远景图 picture
    rings the targets. (These were test_clicking_a_map_node_opens_its_side_panel and
    test_vision_picture_rings_the_targets, each opening the map of 电子信息 in Chinese.)"""
    tab = open_page(browser, server, "map", "?chain=electronics&lang=zh")
    wait_for_map(tab, "覆铜板")
    start = panel_heading(tab)   # the most pressing link opens first; click two others, one after the other
    clicks = [(n, k) for n, k in [("覆铜板", "ccl"), ("印制电路板", "pcb"), ("电子布", "e_glass_cloth")]
              if n not in start][:2]
    for name, link in clicks:
        assert name not in panel_heading(tab)
        click_node(tab, name)
        tab.wait_for_function("t => document.querySelector('[data-testid=\"stMain\"] h3').innerText.includes(t)",
                              arg=name, polling=POLL, timeout=30_000)
        settle(tab)
        no_exception(tab)
        # The accessible fallback follows the click, and so does the URL.
        assert name in shown_choice(tab.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first)
        assert f"link={link}" in tab.url
    # The panel holds the link's detail: reason, local firms, source, top targets with reasons.
    main = tab.locator('[data-testid="stMain"]').inner_text()
    assert "本地企业" in main and "数据来源" in main and "该环节的目标企业" in main
    screenshot(tab, "map-clicked")
    tab.set_viewport_size({"width": 1440, "height": 1000})

    assert "拟引进目标" not in tab.locator(f"{MAP} .legend").first.text_content()
    tab.get_by_text("远景图", exact=True).first.click()
    tab.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .textpoint text')]"
                          ".some(e => e.textContent.includes('拟引进'))", polling=POLL, timeout=30_000)
    settle(tab)
    no_exception(tab)
    assert "拟引进目标" in tab.locator(f"{MAP} .legend").first.text_content()
    screenshot(tab, "map-vision")
    tab.close()


def choose_chain(tab, name: str) -> None:
    """Choose a chain in the sidebar's select box, as a person would."""
    tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    tab.locator('[role="option"]').filter(has_text=name).first.click()


def go_to(tab, title: str) -> None:
    """Change page with the sidebar's navigation."""
    tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()


def shown_choice(select) -> str:
    """What a select box shows: its text and the value of its search input."""
    return select.evaluate("e => e.innerText + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")


def sidebar_chain(tab) -> str:
    return shown_choice(tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first)


def test_english_switch_then_20_page_changes_keep_the_chain_and_an_edit_is_saved(server, browser):
    """The switch to English, then the flip reproduced in English: 20 changes, page changes through the
    navigation (every page of it) alternating with chain changes in the sidebar. The page and the sidebar always
    show the chain chosen last, each page has an English title and no exception, and a 八个一 edit typed after
    them is saved. This walk is also the English walk over every page (it was opened by address,
    test_every_page_renders_in_both_languages[en]; ``?lang=en`` is opened by the map test) and was
    test_english_switch_in_the_browser and test_chain_cannot_flip_and_an_edit_is_saved_after_20_page_changes
    (in Chinese, over five of the pages)."""
    from tests.conftest import saved

    tab, sent = browser.new_page(), []
    # What the page sends the server (Streamlit's BackMsgs): if the save below is lost, its message says whether
    # the click's submit left the browser with the typed text.
    tab.on("websocket", lambda ws: ws.on("framesent", lambda data: sent.append(
        data if isinstance(data, bytes) else data.encode())))
    open_page(browser, server, "overview", tab=tab)   # Chinese, the default
    tab.get_by_text("English", exact=True).click()
    tab.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText"
                          ".includes('overview')", polling=POLL, timeout=30_000)
    settle(tab)
    no_exception(tab)
    assert "Chain" in tab.locator('[data-testid="stSidebar"]').inner_text()
    screenshot(tab, "page-overview-en", full=False)

    chains = {"ebike": "Electric two-wheelers (e-bike)", "electronics": "Electronic information",
              "materials": "Advanced materials"}
    pages = [("Chain map", "map"), ("Target firms", "targets"), ("Mechanism", "mechanism"), ("Overview", ""),
             ("Firm profile", "firm"), ("Project ledger", "projects"), ("Chain upkeep", "maintain"),
             ("Firms already here", "incumbents"), ("Import", "imports"), ("Chain map", "map")]
    chosen, seen = "electronics", {""}
    for i in range(20):
        if i % 2 == 0:
            chosen = list(chains)[(i // 2) % 3]
            choose_chain(tab, chains[chosen])
        else:
            title, path = pages[i // 2]
            go_to(tab, title)
            tab.wait_for_url(lambda u, _p=path: urlparse(u).path.strip("/") in ({_p} if _p else {"", "overview"}),
                             timeout=30_000)
        tab.wait_for_function("c => location.search.includes('chain=' + c)", arg=chosen, polling=POLL, timeout=30_000)
        settle(tab, 60)
        no_exception(tab)
        assert chains[chosen] in sidebar_chain(tab), f"step {i}: the sidebar flipped"
        assert f"chain={chosen}" in tab.url, f"step {i}: the URL flipped"
        heading = tab.locator("h1").first.inner_text().strip()
        if "/map" in tab.url:
            assert chains[chosen] in heading, f"step {i}: the page flipped"
        if i % 2 == 1:
            assert re.search(r"[A-Za-z]{3,}", heading), (path, heading)
            if path not in seen:
                screenshot(tab, f"page-{path}-en", full=False)
                seen.add(path)
    assert seen == set(PAGES.values()), "the walk went through every page"
    go_to(tab, "Mechanism")
    tab.wait_for_url(lambda u: urlparse(u).path.strip("/") == "mechanism", timeout=30_000)
    settle(tab)
    slot = tab.locator('[data-testid="stExpander"]').filter(has_text="一名链长") \
        .filter(has=tab.locator("textarea")).first
    slot.locator("summary").click()
    note = f"市领导挂帅，2026年第{len(chosen)}次链长会议纪要（浏览器测试）"
    slot.locator("textarea").fill(note)
    before = len(sent)
    slot.get_by_role("button", name="Save").click()
    end, evidence = time.monotonic() + 30, []
    while time.monotonic() < end and evidence != [note]:  # the save, read from the store as another process would
        m = saved(server.ws).mechanism
        evidence = list(m.loc[(m["chain"] == chosen) & (m["slot"] == 1), "evidence"])
        time.sleep(0.3)
    settle(tab)
    screenshot(tab, "flip-saved", full=False)
    no_exception(tab)
    after = sent[before:]
    assert evidence == [note], (f"the edit was saved, on the chain shown; after the click the page sent {len(after)} "
                                f"messages, {sum(note.encode() in m for m in after)} with the typed text; the slot "
                                f"shows: {slot.inner_text()[:600]!r}")
    assert chains[chosen] in sidebar_chain(tab) and f"chain={chosen}" in tab.url
    assert chains[chosen] in tab.locator('[data-testid="stMain"]').inner_text()
    tab.close()


def test_a_request_to_another_host_is_refused_and_recorded(browser):
    """The guard of every test here can fail: a page's requests to other hosts are refused by the browser and
    listed in ``browser.outside``: a name, and this machine's own network address, where a server answers (so the
    refusal is the browser's, not a missing network), while the same server on 127.0.0.1 is reached."""
    import socket
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        try:
            u.connect(("192.0.2.1", 80))   # no packet is sent: this picks the address of the default route
            address = u.getsockname()[0]
        except OSError:
            address = None
    if address is None or address.startswith("127."):
        pytest.skip("this machine has no network address but loopback")
    httpd = ThreadingHTTPServer(("0.0.0.0", 0), Ok)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    tab = browser.new_page()
    try:
        tab.set_content("<p>intranet</p>")
        fetch = "u => fetch(u, {mode: 'no-cors'}).then(() => 'fetched', () => 'refused')"   # no-cors: no CORS refusal
        tried = ["http://fonts.example.org/font.css", f"http://{address}:{port}/x.png"]
        results = [tab.evaluate(fetch, u) for u in [*tried, f"http://127.0.0.1:{port}/x.png"]]
    finally:
        tab.close()
        httpd.shutdown()
    assert results == ["refused", "refused", "fetched"]
    assert browser.outside == tried
    browser.outside.clear()   # seen: the autouse check is for the pages of the other tests


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
    end = time.monotonic() + 1   # the streamlit child is gone with its launcher, within a second
    with pytest.raises(OSError):
        while True:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).close()
            assert time.monotonic() < end, "the streamlit server still answers after its launcher stopped"
            time.sleep(0.1)
