"""The Streamlit workbench, driven page by page with ``AppTest`` on a copy of the bundled data.

Every test that saves gets its own workspace (``CHAINMAP_WORKSPACE`` in a tmp
folder), so edits never touch the repository's ``seeds/`` nor another test; the
tests that only read share one per worker (``read_only_workspace``), which fails
a test that saves to it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from chainmap.io import bundled_workspace, read_workspace
from chainmap.app.state import today
from tests.conftest import data_fingerprint, saved as saved_tables
from tests.test_store_contract import assert_same_tables

APP = str(Path(__file__).resolve().parents[1] / "app_streamlit.py")
PAGES = {"overview": "", "map": "map", "targets": "targets", "firm": "firm", "mechanism": "mechanism",
         "projects": "projects", "incumbents": "incumbents"}


# ------------------------------------------------------------------ helpers
class RecordingMedia(MemoryMediaFileStorage):
    """Keeps every file a download button serves, so tests can open it."""

    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            RecordingMedia.files[file_id] = path_or_data
        return file_id


class RecordingFiles(MediaFileManager):
    """Keeps the callables of deferred downloads (files made on the click), so tests can make them."""

    deferred: dict[str, object] = {}

    def add_deferred(self, data_callable, *a, **kw):
        file_id = super().add_deferred(data_callable, *a, **kw)
        RecordingFiles.deferred[file_id] = data_callable
        return file_id


def _app_env(ws: Path, monkeypatch) -> Path:
    """The app's environment for a test: ``ws`` as its workspace, no Neo4j, downloads recorded."""
    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(ws))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingMedia)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", RecordingFiles)
    return ws


@pytest.fixture
def fresh_workspace(tmp_path, monkeypatch):
    """A workspace folder that does not exist yet: the app's first run creates it from the bundled data."""
    return _app_env(tmp_path / "ws", monkeypatch)


@pytest.fixture
def workspace(tmp_path, monkeypatch, _first_run_template):
    """The app's workspace as its first run creates it (the bundled data in its database, the settings beside
    it): a copy, with its own id, of one made once per session, which spares each test the making.
    (Other test modules import this fixture: it asks only for conftest's fixtures.)"""
    from tests.conftest import first_run_copy

    return _app_env(first_run_copy(_first_run_template, tmp_path / "ws"), monkeypatch)


@pytest.fixture
def read_only_workspace(_read_only_template, monkeypatch):
    """For tests that only read: one workspace per worker, as the first run makes it, shared by them as by an
    office's sessions; so its tables, fitted scorer and gaps are read and computed once, not in every test
    (about a quarter of these tests' time). A test that saves anything to it fails: it needs ``workspace``."""
    from chainmap.store.sqlite import DB_NAME, SqliteStore

    def version():
        store = SqliteStore(_read_only_template / DB_NAME)
        try:
            return store.version()
        finally:
            store.close()

    before = version()
    yield _app_env(_read_only_template, monkeypatch)
    assert version() == before, "a test saved to the shared read-only workspace: give it its own (`workspace`)"


def start(page: str = "overview") -> AppTest:
    """A new session (as a new browser tab would be) opened on ``page`` (its address): one run, not one of the
    overview and one more of the page. Before the first run ``AppTest.switch_page`` names a page by its file's
    name, which is each page's ``url_path`` here."""
    at = AppTest.from_file(APP, default_timeout=90)
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    """Open a page of ``st.navigation`` by its file in ``app_pages/``."""
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download(at: AppTest, key: str) -> bytes:
    """The file the download button ``key`` serves (made now, as on a click, when it is deferred)."""
    proto = next(b.proto for b in at.get("download_button") if b.key == key)
    if proto.deferred_file_id:
        made = RecordingFiles.deferred[proto.deferred_file_id]()
        made = made.encode() if isinstance(made, str) else made
        RecordingMedia.files[proto.deferred_file_id] = made
        return made
    return RecordingMedia.files[proto.url.rsplit("/", 1)[-1].split(".")[0]]


def fingerprint(ws: Path) -> dict[str, str]:
    """Digests of a data folder's files (the bundled data: never written)."""
    return {str(p.relative_to(ws)): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("graphs", "seeds") for p in sorted((ws / sub).glob("*"))}


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


# -------------------------------------------------------------------- pages
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_on_the_bundled_data(read_only_workspace, page):
    at = start(page)
    assert at.title, "each page has a title"
    assert not at.error, texts(at, "error")


def test_first_run_creates_the_workspace_as_a_copy_of_the_bundled_data(fresh_workspace):
    bundled = fingerprint(bundled_workspace())
    assert not fresh_workspace.exists()
    start()
    assert_same_tables(saved_tables(fresh_workspace), read_workspace(bundled_workspace()))
    assert fingerprint(bundled_workspace()) == bundled


def test_sidebar_says_local_single_user_mode(read_only_workspace):
    at = start()
    assert any("本地单用户编辑模式" in c.value for c in at.sidebar.caption)


def test_overview_compares_the_year_with_the_800_target_and_2025_baseline(read_only_workspace):
    at = start()
    md = " ".join(texts(at, "caption") + texts(at, "markdown"))
    assert "800亿元" in md and "516" in md and "753" in md and "111" in md
    assert "shared/" not in md, "sources without internal paths"
    labels = [m.label for m in at.metric]
    assert "新签约项目" in labels and "当年动工率" in labels
    # one card per chain, with its top targets
    assert {"#### 电动自行车", "#### 电子信息", "#### 先进材料"} <= set(texts(at, "markdown"))
    # the monthly curve is inline SVG (no Vega to load): the plan's even pace reaches the target in December
    curve = next(m.value for m in at.markdown if m.value.startswith("<svg") and "台账累计" in m.value)
    assert "按计划均衡进度 · 12月：800.0" in curve and not at.get("arrow_vega_lite_chart")


def test_overview_says_plainly_when_the_ledger_has_no_signing_for_the_year(read_only_workspace):
    at = start()   # the bundled ledger holds no 2026 signing
    year = today().year
    assert at.selectbox(key="ov_year").options[:4] == [str(y) for y in range(year, year - 4, -1)], "no year skipped"
    assert any(f"尚无{year}年签约项目" in i.value for i in at.info), texts(at, "info")
    assert not any("/ 800亿元" in p.proto.text for p in at.get("progress")), "no empty progress bar"
    gauge = next(m.value for m in at.markdown if m.value.startswith("<svg"))
    assert "台账暂无数据" in gauge and "0.0亿元" not in gauge
    assert {m.value for m in at.metric if m.label in ("新签约项目", "完成投资")} == {"—"}
    from chainmap.analysis.ledger import pace
    due = pace(800, year, today())[1]
    pace_line = next(m.value for m in at.markdown if "时间进度线" in m.value)
    assert f"{due:,.0f}亿元" in pace_line or f"{due:,.1f}亿元" in pace_line


def test_overview_puts_the_official_2025_figures_beside_the_ledger(read_only_workspace):
    at = start()
    at.selectbox(key="ov_year").set_value(2025).run()
    table = at.table[0].value
    assert table.loc["新签约项目"].tolist() == ["516个", "2个"]     # official beside the two signings entered
    assert table.loc["计划总投资"].tolist() == ["753亿元", "—"]      # no amount entered: not "0.0亿"
    assert not any(m.value == "0.0亿元" for m in at.metric)
    assert not any("2025年：516个" in (m.proto.delta or "") for m in at.metric), "2025 is not compared with itself"


def test_overview_scoreboards_per_team_and_county_against_their_share(read_only_workspace):
    at = start()
    boards = {tuple(d.value.columns[:2]): d.value for d in at.dataframe if "分解目标（亿元）" in d.value.columns}
    teams = boards[("先锋队", "线索")].set_index("先锋队")
    counties = boards[("县（市、区）", "线索")].set_index("县（市、区）")
    assert len(teams) == 7 and teams["分解目标（亿元）"].eq(12.8).all()    # 0.016 × 800
    assert len(counties) == 8 and counties["分解目标（亿元）"].eq(100).all()       # 0.125 × 800
    assert any("illustrative" in c for c in texts(at, "caption")), "the shares say they are illustrative"


def test_overview_in_english_has_the_pace_line_and_boards(read_only_workspace):
    at = start()
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    assert not at.exception
    assert any("Pace line" in m.value for m in at.markdown)
    assert any("Share of target (亿元)" in d.value.columns for d in at.dataframe)
    assert any("holds no project signed" in i.value for i in at.info)


def test_stage_chart_counts_only_the_chosen_year(read_only_workspace):
    at = goto(start(), "projects")
    import json

    def counted(year: int) -> int:
        at.selectbox(key="pj_year").set_value(year).run()
        fig = at.get("plotly_chart")[0]   # the stage chart comes first
        return sum(int(v.split("<br>")[0]) for v in json.loads(fig.proto.spec)["data"][0]["text"])
    # bundled ledger: one project signed 2023-03-08, two signed in 2025, the rest without a signing date
    assert (counted(2023), counted(2025), counted(2024)) == (1, 2, 0)


def test_english_switch_renders_every_page(read_only_workspace):
    at = start()
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    assert not at.exception
    assert "overview" in at.title[0].value.lower()
    for page in PAGES:
        goto(at, page)
        title = at.title[0].value.replace("八个一", "")  # the mechanism keeps its Chinese name
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in title), title
    assert at.sidebar.selectbox(key="chain_choice").value == "electronics", "the chain survives the switch"
    goto(at, "targets")
    head = list(at.dataframe[0].value.columns)
    assert "Firm" in head and "Score" in head and "Why" in head


# ------------------------------------------------------------------ map
def map_spec(at: AppTest) -> str:
    """The chain map's Plotly figure as readable JSON (CJK unescaped)."""
    return json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec), ensure_ascii=False)


def test_chain_map_draws_the_graph_and_the_link_detail(read_only_workspace):
    at = start("map")
    spec = map_spec(at)
    assert "覆铜板" in spec and "图例" in spec and "拟引进" not in spec
    fig = json.loads(spec)
    shown = " ".join([t.get("name", "") for t in fig["data"]] + [x for t in fig["data"] for x in t.get("text", [])]
                     + [x for t in fig["data"] for x in t.get("hovertext", [])]
                     + [a.get("text", "") for a in fig["layout"]["annotations"]])
    assert "（电动自行车）" in shown or "（先进材料）" in shown, "links of other chains carry their chain's name"
    assert not any(ch in shown for ch in ("ebike", "electronics", "materials")), "no chain id on the map in Chinese"
    at.selectbox(key="map_link_electronics").set_value("ic_substrate").run()   # surveyed, no maker here: 补链
    md = " ".join(texts(at, "markdown"))
    assert "IC封装基板" in md
    assert any("补链" in i.value for i in at.info)
    assert at.query_params["link"] == "ic_substrate", "the chosen link is in the URL"
    # the top targets of the link, each with its reason (a caption that wraps, not a cut grid cell)
    assert any(m.startswith("**1. ") for m in texts(at, "markdown"))
    assert any("补链" in c or "强链" in c or "延链" in c for c in texts(at, "caption"))


def test_vision_picture_adds_one_target_per_gap_link(read_only_workspace):
    at = start("map")
    at.segmented_control(key="map_view").set_value("vision").run()
    assert not at.exception
    spec = map_spec(at)
    assert "拟引进：" in spec and "拟引进目标" in spec and "circle-open" in spec


def test_a_url_opens_its_chain_language_and_link(read_only_workspace):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(chain="materials", lang="en")
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="chain_choice").value == "materials"
    assert at.sidebar.radio(key="lang_choice").value == "English"
    goto(at, "map")
    assert at.title[0].value == "Advanced materials: chain map"
    # a later choice in the sidebar wins over the URL the session was opened with, and is written back
    at.sidebar.selectbox(key="chain_choice").set_value("ebike").run()
    assert at.query_params["chain"] == "ebike" and at.title[0].value.startswith("Electric two-wheelers")


# ---------------------------------------------------------------- targets
def test_filter_then_table_then_downloads(read_only_workspace):
    at = start("targets")
    at.segmented_control(key="tg_mode").set_value("fill").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) > 0 and set(table["招商类型"]) == {"补链"}
    assert {"企业名称", "综合得分", "推荐理由"} <= set(table.columns)
    assert table["综合得分"].is_monotonic_decreasing

    rows = list(csv.DictReader(io.StringIO(download(at, "tg_csv").decode("utf-8-sig"))))
    assert [r["企业名称"] for r in rows] == list(table["企业名称"])
    wb = load_workbook(io.BytesIO(download(at, "tg_xlsx")))
    assert wb.sheetnames[0] == "汇总" and "市本级" in wb.sheetnames
    assert any(ws.max_row > 1 for ws in wb.worksheets[1:])

    at.selectbox(key="tg_region").set_value("YRD").run()
    assert set(at.dataframe[0].value["所属区域"]) <= {"长三角"}


def test_the_minimum_score_slider_reaches_the_best_score(read_only_workspace):
    """Scores exceed 1: the slider runs up to the chain's best score (to its 0.05 step), so the top of the
    list can be singled out."""
    at = start("targets")
    best = float(at.dataframe[0].value["综合得分"].astype(float).max())
    slider = at.slider(key="tg_min")
    assert best > 1 and slider.max == round(math.ceil(best / 0.05) * 0.05, 2) >= best, (best, slider.max)
    slider.set_value(round(math.floor(best / 0.05) * 0.05, 2)).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert 1 <= len(table) and (table["综合得分"].astype(float) >= slider.value).all()
    assert at.dataframe[0].value["综合得分"].astype(float).max() == best


def test_target_filters_live_in_the_url(read_only_workspace):
    """A link a colleague sends (?mode=fill&region=YRD) opens the list so filtered; a choice made on the
    page is written back to the address."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["mode"], at.query_params["region"] = "fill", "YRD"
    at.run()
    goto(at, "targets")
    table = at.dataframe[0].value
    assert len(table) and set(table["招商类型"]) == {"补链"} and set(table["所属区域"]) <= {"长三角"}
    at.selectbox(key="tg_region").set_value("").run()
    assert at.query_params["region"] == "" and len(at.dataframe[0].value) > len(table)
    at.segmented_control(key="tg_mode").set_value("strengthen").run()
    assert at.query_params["mode"] == "strengthen" and set(at.dataframe[0].value["招商类型"]) == {"强链"}


def test_one_teams_export_holds_its_own_sheet_only(read_only_workspace):
    at = start("targets")
    for team in [t for t in at.selectbox(key="tg_team").options if "先锋队" in t]:
        at.selectbox(key="tg_team").set_value(team).run()
        assert not at.exception
        if any(b.key == "tg_xlsx" for b in at.get("download_button")):   # a team with targets on this chain
            break
    wb = load_workbook(io.BytesIO(download(at, "tg_xlsx")))
    assert wb.sheetnames == ["汇总", team], wb.sheetnames


def test_firm_profile_opens_on_the_firm_picked_in_the_target_list(read_only_workspace):
    at = start("targets")
    at.session_state["firm_pick"] = "shengyi"  # what selecting its row in the table stores
    goto(at, "firm")
    assert "生益科技" in at.header[0].value
    assert at.get("plotly_chart"), "the score breakdown is drawn"


# ------------------------------------------------------------------ editing
def _edit_slot(at: AppTest, chain: str, slot: int, owner: str, status: str, evidence: str) -> AppTest:
    k = f"mechanism:{chain}:{slot}:0"
    at.text_input(key=f"{k}:owner").input(owner)
    at.selectbox(key=f"{k}:status").set_value(status)
    at.text_area(key=f"{k}:evidence").input(evidence)
    return at.button(key=f"{k}:submit").click().run()


def test_mechanism_slot_edit_is_saved_and_seen_after_a_reload(workspace):
    at = start("mechanism")
    _edit_slot(at, "electronics", 1, "市工业和信息化局（张三）", "已落实", "清府办〔2026〕8号")
    assert not at.exception and not at.error, texts(at, "error")
    saved = saved_tables(workspace).mechanism.set_index(["chain", "slot"]).loc[("electronics", 1)]
    assert saved["owner"] == "市工业和信息化局（张三）" and saved["status"] == "已落实"
    assert saved["updated_on"] == today().isoformat(), "更新日期 is the day of the update"

    again = start("mechanism")  # a new session on the same workspace
    slots = again.dataframe[0].value
    row = slots[slots["序号"] == 1].iloc[0]
    assert row["责任单位/人"] == "市工业和信息化局（张三）" and row["状态"] == "已落实"
    assert again.text_input(key="mechanism:electronics:1:0:owner").value == "市工业和信息化局（张三）"


def test_second_of_two_conflicting_edits_is_refused_with_a_message(workspace):
    first, second = start("mechanism"), start("mechanism")
    _edit_slot(first, "electronics", 6, "市发展改革局", "推进中", "政策草案已起草")
    assert not first.error
    before = data_fingerprint(workspace)
    _edit_slot(second, "electronics", 6, "市财政局", "已落实", "另一版本")
    assert any("其他人" in e.value and "重新加载" in e.value for e in second.error), texts(second, "error")
    assert data_fingerprint(workspace) == before, "the second edit wrote nothing"
    saved = saved_tables(workspace).mechanism.set_index(["chain", "slot"]).loc[("electronics", 6)]
    assert saved["owner"] == "市发展改革局"
    # Reloading shows the first session's version and allows editing again.
    second.button(key="reload:mechanism:electronics:6").click().run()
    assert second.text_input(key="mechanism:electronics:6:1:owner").value == "市发展改革局"


def test_followup_saved_from_the_firm_profile(workspace):
    at = start("firm")
    fid = at.session_state["firm_pick"]
    k = f"followup:{fid}:electronics:0"
    at.selectbox(key=f"{k}:status").set_value("已拜访")
    at.text_input(key=f"{k}:person").input("李四")
    at.text_area(key=f"{k}:notes").input("意向：高频覆铜板，用地约200亩")
    next(b for b in at.button if b.label == "保存对接记录").click().run()
    assert not at.exception and not at.error, texts(at, "error")
    fu = saved_tables(workspace).followups
    row = fu[(fu["firm_id"] == fid) & (fu["chain"] == "electronics")].iloc[0]
    assert row["status"] == "已拜访" and row["person"] == "李四" and row["updated_at"]


def test_new_project_then_advance_its_stage(workspace):
    at = start("projects")
    k = "project:new:0"
    at.text_input(key=f"{k}:name").input("高端覆铜板项目")
    at.text_input(key=f"{k}:investor").input("生益科技")
    at.selectbox(key=f"{k}:link").set_value("ccl")
    at.selectbox(key=f"{k}:stage").set_value("洽谈")
    at.number_input(key=f"{k}:planned").set_value(45.0)
    at.text_input(key=f"{k}:lead").input("市招商先锋队（东莞）")
    at.button(key=f"{k}:submit").click().run()
    assert not at.exception and not at.error, texts(at, "error")
    p = saved_tables(workspace).projects.set_index("id")
    new = p[p["name"] == "高端覆铜板项目"].iloc[0]
    assert new["investor_id"] == "shengyi" and new["chain"] == "electronics" and new["planned_yi"] == 45.0
    pid = p.index[p["name"] == "高端覆铜板项目"][0]

    at.selectbox(key="pj_adv_pick").set_value(pid).run()
    at.button(key=f"advance:{pid}:go").click().run()
    assert not at.exception and not at.error, texts(at, "error")
    row = saved_tables(workspace).projects.set_index("id").loc[pid]
    assert row["stage"] == "签约" and row["signed_on"]


# ------------------------------------------------------------------- import
def _gbk_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("gbk")


HEAD = ["项目名称", "投资方", "产业链", "环节", "计划总投资（亿元）", "阶段", "签约时间", "所在县区", "园区", "责任单位",
        "线索来源单位"]


def ledger_import() -> AppTest:
    """The project ledger's import tab: a link to 数据导入 preset to 项目台账, followed as a click would."""
    at = start("projects")
    assert not at.file_uploader, "the ledger page has no import form of its own"
    (link,) = [e for e in at.get("page_link") if "数据导入" in e.proto.label]
    assert link.proto.page == "imports" and link.proto.query_string == "kind=projects", link.proto
    at.query_params["kind"] = "projects"
    goto(at, "imports")
    assert at.selectbox(key="im_kind").value == "projects", "the import page opens on the project ledger"
    assert at.query_params["kind"] == "projects"
    return at


def test_bad_spreadsheet_shows_row_errors_and_saves_nothing(workspace):
    at = ledger_import()
    before = data_fingerprint(workspace)
    data = _gbk_csv([HEAD,
                     ["铜箔项目", "嘉元科技", "先进材料", "电子铜箔", "30", "签约", "2026/3/8", "清城区", "", "市投促局", "清城区"],
                     ["智算中心项目", "某公司", "数字经济", "", "12", "洽谈", "", "英德市", "", "", ""],
                     ["车架项目", "某车架厂", "电动自行车", "车架", "-5", "线索", "", "佛冈县", "", "", ""]])
    at.file_uploader[0].upload("2026项目台账.csv", data, "text/csv").run()
    assert not at.exception
    assert any("2处问题" in e.value for e in at.error), texts(at, "error")
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["文件", "行", "列", "问题"]
    found = {(r["行"], r["列"]) for _, r in problems.iterrows()}
    assert ("3", "产业链") in found and ("4", "计划总投资（亿元）") in found
    assert problems["问题"].str.contains("未知产业链“数字经济”").any()
    assert problems["问题"].str.contains("金额为负数").any()
    assert not [b for b in at.button if b.key == "im_go"], "no confirm button"
    assert data_fingerprint(workspace) == before, "nothing was saved"


def test_good_xlsx_is_previewed_then_imported(workspace):
    wb = Workbook()
    ws = wb.active
    ws.append(["清远市2026年招商项目台账"])
    ws.append(["项目编号"] + HEAD)
    ws.append(["P2026-101", "高频高速覆铜板项目", "生益科技", "电子信息", "覆铜板", 45, "已签约", "2026-03-08", "佛冈县",
               "广佛冈产业园", "市工业和信息化局", "市招商先锋队（东莞）"])
    buf = io.BytesIO()
    wb.save(buf)
    at = ledger_import()
    at.file_uploader[0].upload("台账.xlsx", buf.getvalue()).run()
    assert not at.exception and not at.error, texts(at, "error")
    assert any("台账.xlsx" in s.value and "新增 1" in s.value for s in at.success), texts(at, "success")
    assert saved_tables(workspace).projects["id"].eq("P2026-101").sum() == 0, "not saved before confirming"
    at.button(key="im_go").click().run()
    assert not at.exception and not at.error, texts(at, "error")
    row = saved_tables(workspace).projects.set_index("id").loc["P2026-101"]
    assert (row["chain"], row["link_id"], row["investor_id"], row["stage"]) == ("electronics", "ccl", "shengyi", "签约")
    assert (row["county"], row["lead_unit"]) == ("佛冈县", "市招商先锋队（东莞）")
    # The overview now counts it against the 800亿 target.
    goto(at, "overview")
    assert any("45.0亿元" in p.proto.text for p in at.get("progress"))


def test_mechanism_export_is_a_workbook_with_one_sheet_per_chain(read_only_workspace):
    at = start("mechanism")
    wb = load_workbook(io.BytesIO(download(at, "mc_xlsx")))
    names = [tomllib.loads(p.read_text(encoding="utf-8"))["chain"]["name_zh"]   # one sheet per chain file
             for p in sorted((bundled_workspace() / "graphs").glob("*.toml"))]
    assert wb.sheetnames == ["汇总", *names]
    head = [c.value for c in wb["电子信息"][1]]
    assert head[:4] == ["序号", "事项", "类型", "状态"]
    summary = pd.DataFrame(list(wb["汇总"].values)[1:], columns=[c.value for c in wb["汇总"][1]])
    assert set(summary["产业链"]) == set(names)


def test_unreachable_neo4j_falls_back_to_the_workspace_with_a_message(workspace, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")   # nothing listens there
    at = start()
    assert at.sidebar.radio(key="backend_choice").value == "sqlite", "the workspace database is the default"
    at.sidebar.radio(key="backend_choice").set_value("neo4j").run()
    assert not at.exception
    assert any("Neo4j" in e.value and "本地工作区" in e.value for e in at.sidebar.error), texts(at.sidebar, "error")
    assert any("本地工作区" in c.value for c in at.sidebar.caption)
    goto(at, "targets")
    assert len(at.dataframe[0].value) > 0


def test_without_neo4j_uri_there_is_no_backend_choice(read_only_workspace):
    at = start()
    assert not [r for r in at.sidebar.radio if r.key == "backend_choice"]


def test_the_repository_itself_is_never_used_as_the_workspace(workspace, monkeypatch):
    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(bundled_workspace()))
    before = fingerprint(bundled_workspace())
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert any("CHAINMAP_WORKSPACE" in e.value for e in at.error), texts(at, "error")
    assert fingerprint(bundled_workspace()) == before
    assert not (bundled_workspace() / "chainmap.sqlite").exists()


def test_the_all_links_table_rounds_numbers_and_leaves_blanks_blank(read_only_workspace):
    at = goto(start(), "map")
    table = next(d.value for d in at.dataframe if "紧迫度" in d.value.columns)
    assert table["强度"].str.fullmatch(r"\d\.\d\d").all()
    assert not table.isin([None, "None", "nan"]).any().any()
    assert (table["紧迫度"] == "").any(), "unassessed links have no severity, shown blank"


def test_a_firm_without_a_score_here_says_where_it_scores(read_only_workspace):
    at = start("firm")   # the default chain is 电子信息
    at.text_input(key="fm_query").input("爱玛").run()
    assert at.session_state["firm_pick"] == "aima"
    assert any("电动自行车" in i.value and "切换产业链" in i.value for i in at.info), texts(at, "info")


def test_the_follow_up_form_starts_with_the_team_the_card_shows(read_only_workspace):
    at = start("firm")
    at.text_input(key="fm_query").input("爱玛").run()
    assert "责任先锋队" in texts(at, "caption")
    card = next(m.value.strip("*") for m in at.markdown if m.proto.help.startswith("按企业总部所在地"))  # the team card
    form = next(s for s in at.selectbox if (s.key or "").endswith(":team"))
    assert form.value == card and card != "—"


def test_sources_show_no_internal_paths():
    from chainmap.app.state import source_markdown

    text = ("shared/data/qingyuan_incumbents.csv ; https://www.gdqy.gov.cn/a.html ; "
            "清远发布 2026-02-25《2026年清远市招商引资攻坚工作方案》会议报道 (shared/reference/qingyuan-2026-plan.md)")
    md = source_markdown(text)
    assert "shared/" not in md and "[www.gdqy.gov.cn](https://www.gdqy.gov.cn/a.html)" in md
    assert "清远发布 2026-02-25《2026年清远市招商引资攻坚工作方案》会议报道" in md and "项目组整理的公开资料" in md


def test_incumbents_page_lists_local_firms_and_their_leads_in_both_languages(read_only_workspace):
    at = goto(start(), "incumbents")
    home = at.table[0].value
    assert home.loc["豪美新材", "类别"] == "本地上市公司" and "002988.SZ" in home.loc["豪美新材", "股票代码"]
    assert home.loc["建滔集团", "类别"] == "在清远市设厂"
    # Every A-share firm the exchange lists register in 清远 is served here, each with the links it makes here.
    listed = home[home["类别"] == "本地上市公司"]
    assert {"联合精密", "新亚电缆", "豪美新材", "东鹏控股", "广康生化", "金禄电子"} <= set(listed.index), listed
    assert home.loc["金禄电子", "在本地的环节"] == "印制电路板" and "301282.SZ" in home.loc["金禄电子", "股票代码"]
    md = " ".join(texts(at, "markdown"))
    assert "23.4亿元" in md and "金禄电子" in md                       # its 2023 PCB expansion here, as a lead
    assert "募资 17.5亿元" in md and "募投项目尚可争取落在清远市" in md       # 豪美's 2026 raise as a lead
    assert "比亚迪** · 豪美新材的客户" in md and "stock.stockstar.com" in md   # a known customer, with its source
    assert "shared/" not in md
    at.selectbox(key="ic_pick").set_value("xinya").run()
    at.button(key="ic_open").click().run()                                 # opens the firm's profile
    assert not at.exception and at.session_state["firm_pick"] == "xinya"
    assert at.header[0].value.startswith("新亚电缆")
    goto(at, "incumbents")
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    assert not at.exception
    md = " ".join(texts(at, "markdown"))
    assert "It has just raised capital" in md and "a customer of 豪美新材" in md
    assert "Listed, registered in Qingyuan" in at.table[0].value.to_csv()


def test_firm_page_hides_working_notes_and_shows_team_in_full(read_only_workspace):
    at = start("firm")
    at.text_input(key="fm_query").input("鹏鼎").run()        # avary: its notes were only working notes
    md = " ".join(texts(at, "markdown"))
    assert "revenue_cny_bn" not in md and "link_hint" not in md and "shared/" not in md
    at.text_input(key="fm_query").input("建滔集团").run()    # kingboard: English notes kept for checking, closed
    facts = next(m.value for m in at.markdown if "**企业编号**" in m.value)
    assert "revenue column left blank" not in facts
    assert any(e.label == "资料核实备注（英文工作记录）" for e in at.expander)
    card = next(m.value for m in at.markdown if m.proto.help.startswith("按企业总部所在地"))
    assert card.strip("*") and "…" not in card


def _forms(node) -> list:
    """Every form block under an AppTest node."""
    out = []
    for child in getattr(node, "children", {}).values():
        proto = getattr(child, "proto", None)
        from streamlit.proto.Block_pb2 import Block

        if isinstance(proto, Block) and proto.HasField("form"):
            out.append(proto.form)
        out += _forms(child)
    return out


@pytest.mark.parametrize("page", ["mechanism", "firm", "projects"])
def test_no_form_says_press_ctrl_enter(read_only_workspace, page):
    at = start(page)
    forms = _forms(at._tree)
    assert forms, "the page has a form"
    assert not any(f.enter_to_submit for f in forms), "Streamlit's English 'Press Ctrl+Enter to submit form' is off"


def test_a_chosen_targets_reason_is_shown_in_full(read_only_workspace):
    at = start("targets")
    table = at.dataframe[0].value
    reason_col = "推荐理由"
    longest = table[reason_col].astype(str).str.len().idxmax()
    expander = next(e for e in at.expander if e.label.startswith("全部"))
    full = " ".join(m.value for m in expander.markdown)
    assert table[reason_col].iat[longest] in full, "every reason in full in the panel"
    assert any("选择框" in c and "全文" in c for c in texts(at, "caption"))


def test_mechanism_evidence_is_readable_in_full(workspace):
    at = start("mechanism")
    _edit_slot(at, "electronics", 1, "市工业和信息化局", "推进中",
               "已起草《清远市电子信息产业链链长制工作方案》，报市政府常务会议审议；配套资金和专班人员名单待定。")
    panel = next(e for e in at.expander if e.label == "各项的佐证材料（全文）")
    text = " ".join(m.value for m in panel.markdown)
    assert "报市政府常务会议审议；配套资金和专班人员名单待定。" in text and today().isoformat() in text


def test_full_text_panels_in_english(read_only_workspace):
    at = start("targets")
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    assert not at.exception
    assert any(e.label.startswith("Why, in full, for all") for e in at.expander)
    goto(at, "mechanism")
    assert any(e.label == "Evidence of each slot, in full" for e in at.expander)
    goto(at, "firm")
    assert any(c == "Pioneer team" for c in texts(at, "caption"))
