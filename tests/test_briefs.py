"""Briefs to print (一企一策, chain report, monthly report) on the bundled data, opened as a reader would:
Word files with python-docx, PDFs with poppler's pdftotext and pdffonts."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest

from chainmap.briefs import (chain_brief, find_firm, firm_brief, ledger_brief, public_sources, render, to_docx,
                             to_pdf)
from chainmap.cli import main
from chainmap.i18n import with_reasons
from chainmap.io import bundled_workspace
from chainmap.io.city import read_city
from chainmap.scoring import TargetScorer
from chainmap.store.memory import MemoryStore
from tests.test_app import workspace  # noqa: F401 - the app's workspace fixture (a fresh CHAINMAP_WORKSPACE)

TODAY = dt.date(2026, 11, 30)
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                   reason="poppler-utils (pdftotext, pdffonts) not installed: tools/test installs it")
#: What an officer must never see in a brief: the project's own paths and working files.
INTERNAL = re.compile(r"(?:shared|seeds|graphs)/|\.csv\b|\.toml\b")


@pytest.fixture(scope="module")
def world():
    t = MemoryStore.open().tables()
    return t, TargetScorer().fit(t), read_city(bundled_workspace())


def docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    f = tmp_path / "b.pdf"
    f.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    f = tmp_path / "f.pdf"
    f.write_bytes(data)
    out = subprocess.run(["pdffonts", str(f)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.split() for line in out[2:]]


# ------------------------------------------------------------------------- 一企一策
def test_firm_brief_in_word_holds_facts_reasons_links_referrals_and_sources(world):
    t, scorer, city = world
    b = firm_brief(t, scorer, "kblaminates", "electronics", city=city, today=TODAY)
    text = docx_text(to_docx(b))
    reason = with_reasons(scorer.rank("electronics", top=None)).set_index("firm_id").at["kblaminates", "reason"]
    assert text.splitlines()[0] == "一企一策：建滔积层板"
    assert reason in text, "the scorer's own reason is printed whole"
    assert "【覆铜板】" in reason and "覆铜板" in text
    assert "建滔集团 供货给 建滔积层板" in text, "the referral path through the incumbent group"
    assert "市招商先锋队（深圳）" in text and "1888.HK" in text
    assert "数据来源" in text and "http" in text.split("数据来源")[-1]
    assert "2026-11-30（北京时间）" in text
    assert not INTERNAL.search(text), INTERNAL.search(text)
    assert "kblaminates" not in text, "no internal id"
    styles = docx.Document(io.BytesIO(to_docx(b))).styles
    fonts = {n: styles[n].element.rPr.rFonts.attrib for n in ("Normal", "Heading 1")}
    assert [f.get(docx.oxml.ns.qn("w:eastAsia")) for f in fonts.values()] == ["宋体", "黑体"]
    assert not any(docx.oxml.ns.qn("w:eastAsiaTheme") in f for f in fonts.values())


def test_firm_brief_lists_the_recorded_followups(world):
    t, scorer, city = world
    fu = pd.DataFrame([{"firm_id": "shengyi", "chain": "electronics", "status": "已拜访", "person": "王建国",
                        "team": "市招商先锋队（东莞）", "contact_date": "2026-11-18",
                        "notes": "约定12月到清远考察覆铜板配套", "updated_by": "李明", "updated_at": "2026-11-18T16:00:00+08:00"}])
    t2 = t.replace(followups=pd.concat([t.followups, fu], ignore_index=True))
    text = docx_text(to_docx(firm_brief(t2, scorer, "shengyi", "electronics", city=city, today=TODAY)))
    assert "王建国" in text and "约定12月到清远考察覆铜板配套" in text and "已拜访" in text
    assert "尚无跟进记录" not in text
    bare = docx_text(to_docx(firm_brief(t, scorer, "shengyi", "electronics", city=city, today=TODAY)))
    assert "尚无跟进记录" in bare


@needs_poppler
def test_firm_brief_pdf_has_its_chinese_font_embedded_and_text_intact(world, tmp_path):
    t, scorer, city = world
    data = to_pdf(firm_brief(t, scorer, "shengyi", "electronics", city=city, today=TODAY))
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for words in ("一企一策：生益科技", "二、为何适合引进", "壮大【覆铜板】", "数据来源", "204亿元"):
        assert words in text, words
    fonts = pdf_fonts(data, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts     # column "emb"
    assert any("CJK" in row[0] for row in fonts)


def test_firm_brief_in_english(world):
    t, scorer, city = world
    text = docx_text(to_docx(firm_brief(t, scorer, "shengyi", "electronics", city=city, today=TODAY, lang="en")))
    assert text.startswith("One firm, one plan: 生益科技")
    assert "Why it fits" in text and "Sources" in text and "Qingyuan" in text
    assert "数据来源" not in text


def test_find_firm_by_name_alias_or_id_and_a_clear_message_otherwise(world):
    t, _, _ = world
    assert find_firm(t, "生益科技") == find_firm(t, "生益") == find_firm(t, "shengyi") == "shengyi"
    with pytest.raises(ValueError, match="企业库中没有“某某电子”"):
        find_firm(t, "某某电子")


# ------------------------------------------------------------------------- chain report
def test_chain_report_has_the_map_gaps_team_targets_and_mechanism(world, tmp_path):
    t, scorer, city = world
    b = chain_brief(t, scorer, "electronics", city=city, today=TODAY)
    data = to_docx(b)
    d = docx.Document(io.BytesIO(data))
    text = docx_text(data)
    assert text.splitlines()[0] == "电子信息产业链招商报告"
    if shutil.which("dot"):
        assert len(d.inline_shapes) == 1, "the chain map is drawn"
    top = with_reasons(scorer.rank("electronics", top=1, team="team_dg")).iloc[0]
    assert top["name_zh"] in text and top["reason"] in text
    for words in ("印制电路板", "补链", "待评估", "市招商先锋队（江苏）", "一名链长（市领导）", "机制完备度", "数据来源"):
        assert words in text, words
    assert not INTERNAL.search(text), INTERNAL.search(text)
    assert "team_dg" not in text and "e_glass_yarn" not in text


def test_chain_report_words_the_derived_slots_of_the_mechanism(world):
    """八个一 in the report: a derived slot's evidence is computed (it used to print blank), statuses in ``lang``."""
    t, scorer, city = world
    zh = docx_text(to_docx(chain_brief(t, scorer, "electronics", city=city, today=TODAY)))
    assert "链主：建滔集团（电子级玻纤纱、电子布）" in zh and "已摸排或有本地企业的环节" in zh
    en = docx_text(to_docx(chain_brief(t, scorer, "electronics", city=city, today=TODAY, lang="en")))
    assert "chain leaders: 建滔集团" in en and "links surveyed or with a local firm" in en
    assert "in place" in en and "已落实" not in en and "未启动" not in en


@needs_poppler
def test_chain_report_pdf_embeds_fonts_and_the_picture(world, tmp_path):
    t, scorer, city = world
    data = to_pdf(chain_brief(t, scorer, "materials", city=city, today=TODAY))
    text = pdf_text(data, tmp_path)
    assert "先进材料产业链招商报告" in text and "“八个一”工作机制" in text
    assert all(row[-5] == "yes" for row in pdf_fonts(data, tmp_path))
    if shutil.which("dot"):
        f = tmp_path / "c.pdf"
        f.write_bytes(data)
        images = subprocess.run(["pdfimages", "-list", str(f)], capture_output=True, text=True).stdout.splitlines()
        assert len(images) >= 3, "the map is in the PDF"   # two header lines, then one line per image


# ------------------------------------------------------------------------- monthly report
def _with_signing(t):
    """The bundled ledger plus one November signing (as an officer would enter it in the workbench)."""
    row = {c: "" for c in t.projects.columns}
    row.update(id="P2026-001", name="年产5万吨高频高速覆铜板项目", investor_id="shengyi", investor_name="生益科技",
               chain="electronics", link_id="ccl", planned_yi=35.5, stage="签约", signing_kind="首次签约",
               signed_on="2026-11-12", county="英德市", lead_unit="市招商先锋队（东莞）", land_mu=float("nan"),
               completed_yi=float("nan"))
    return t.replace(projects=pd.concat([t.projects, pd.DataFrame([row])], ignore_index=True))


def test_monthly_report_counts_the_months_signings_against_the_year_target(world):
    t, _, city = world
    text = docx_text(to_docx(ledger_brief(_with_signing(t), "2026-11", city=city, today=TODAY)))
    assert text.splitlines()[0] == "招商引资月报（2026年11月）"
    assert "本月新签约项目1个，计划总投资35.5亿元" in text
    assert "完成年度目标800亿元的4.4%" in text          # 35.5 / 800
    assert "年产5万吨高频高速覆铜板项目" in text and "英德市" in text and "市招商先锋队（东莞）" in text
    assert "对照：2025年全市新签约项目516个、计划总投资753亿元" in text
    assert "P2026-001" not in text


def test_monthly_report_says_plainly_when_the_ledger_has_no_signing_for_the_year(world):
    t, _, city = world
    text = docx_text(to_docx(ledger_brief(t, "2026-11", city=city, today=TODAY)))
    assert "台账中尚无2026年的签约记录" in text
    assert "本月无新签约项目" in text


def test_monthly_report_of_another_month_leaves_the_signing_out_of_the_month(world):
    t, _, city = world
    text = docx_text(to_docx(ledger_brief(_with_signing(t), "2026-10", city=city, today=TODAY)))
    assert "本月新签约项目0个" in text and "年产5万吨高频高速覆铜板项目" not in text


def test_weekly_report_places_a_signing_in_its_iso_week_and_counts_it_after(world):
    t, _, city = world
    t2 = _with_signing(t)   # signed 2026-11-12: ISO week 46
    loose = t2.projects.iloc[[-1]].assign(id="P2026-002", name="电子级玻纤布扩产项目", signed_on="2026-11",
                                          planned_yi=8.0)   # dated to the month only
    t2 = t2.replace(projects=pd.concat([t2.projects, loose], ignore_index=True))
    w46 = docx_text(to_docx(ledger_brief(t2, "2026-W46", city=city, today=TODAY)))
    assert w46.splitlines()[0] == "招商引资周报（2026年第46周，11月9日至11月15日）"
    assert "本周新签约项目1个，计划总投资35.5亿元" in w46 and "年产5万吨高频高速覆铜板项目" in w46
    assert "另有1个本年签约项目的签约日期不完整" in w46 and "电子级玻纤布扩产项目" not in w46
    w47 = docx_text(to_docx(ledger_brief(t2, "2026-W47", city=city, today=TODAY)))
    assert "本周新签约项目0个" in w47 and "累计签约1个，计划总投资35.5亿元" in w47
    month = docx_text(to_docx(ledger_brief(t2, "2026-11", city=city, today=TODAY)))
    assert "本月新签约项目2个，计划总投资43.5亿元" in month and "日期不完整" not in month


def test_public_sources_never_show_the_projects_own_paths(world):
    t, _, _ = world
    got = public_sources(*t.mechanism["source"], *t.assessments["source"], *t.teams["source"])
    assert got and not any(INTERNAL.search(s) for s in got)
    assert "清远发布 2026-02-25《2026年清远市招商引资攻坚工作方案》会议报道" in got


# ------------------------------------------------------------------------- the command line
def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_brief_firm_writes_word_and_pdf(capsys, tmp_path):
    out = tmp_path / "jt.docx"
    code, _, err = run(capsys, "brief", "firm", "建滔积层板", "--chain", "electronics", "-o", str(out))
    assert code == 0, err
    assert docx_text(out.read_bytes()).startswith("一企一策：建滔积层板")
    code, _, err = run(capsys, "brief", "firm", "生益科技", "--format", "pdf", "-o", str(tmp_path / "sy.out"))
    assert code == 0 and (tmp_path / "sy.out").read_bytes().startswith(b"%PDF")


def test_cli_brief_chain_and_ledger(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "brief", "chain", "--chain", "ebike", "--format", "docx")
    assert code == 0, err
    made = list(tmp_path.glob("产业链报告-电动自行车-*.docx"))
    assert len(made) == 1 and "电动自行车产业链招商报告" in docx_text(made[0].read_bytes())
    code, _, err = run(capsys, "brief", "ledger", "--month", "2026-11", "-o", "m.docx", "--lang", "en")
    assert code == 0, err
    assert docx_text((tmp_path / "m.docx").read_bytes()).startswith("Investment-promotion monthly report (2026-11)")


@pytest.mark.parametrize("argv, message", [
    (["brief", "firm", "某某电子"], "企业库中没有“某某电子”"),
    (["brief", "ledger", "--month", "2026-13"], "月份“2026-13”无法识别"),
    (["brief", "ledger", "--week", "2026-W60"], "周次“2026-W60”不存在"),
    (["brief", "ledger"], "--month"),
    (["brief", "chain"], "--chain"),
    (["brief", "chain", "--chain", "digital"], "未知产业链“digital”"),
    (["brief", "chain", "--chain", "digital", "--lang", "en"], "unknown chain 'digital'"),
])
def test_cli_brief_bad_input_is_one_message(capsys, tmp_path, argv, message):
    code, _, err = run(capsys, *argv, "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_pdf_without_a_chinese_font_is_one_clear_message_and_word_still_works(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("chainmap.briefs.formats._FONT_PATHS", ())
    monkeypatch.setattr("chainmap.briefs.formats.shutil.which", lambda name: None)
    code, _, err = run(capsys, "brief", "ledger", "--month", "2026-11", "-o", str(tmp_path / "m.pdf"))
    assert code == 2 and "fonts-noto-cjk" in err and "--format docx" in err
    assert not (tmp_path / "m.pdf").exists()
    code, _, err = run(capsys, "brief", "ledger", "--month", "2026-11", "-o", str(tmp_path / "m.docx"))
    assert code == 0 and docx_text((tmp_path / "m.docx").read_bytes()).startswith("招商引资月报（2026年11月）")


def test_render_refuses_an_unknown_format(world):
    t, _, city = world
    with pytest.raises(ValueError, match="docx or pdf"):
        render(ledger_brief(t, "2026-11", city=city, today=TODAY), "odt")


# ------------------------------------------------------------------------- the workbench
def test_download_buttons_make_the_briefs_on_click(tmp_path, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import AppTest

    made: dict[str, object] = {}

    class Recording(MediaFileManager):
        def add_deferred(self, data_callable, *a, **kw):
            file_id = super().add_deferred(data_callable, *a, **kw)
            made[file_id] = data_callable
            return file_id

    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Recording)
    from tests.test_app import APP, goto

    at = AppTest.from_file(APP, default_timeout=120).run()
    at.session_state["firm_pick"] = "shengyi"
    goto(at, "firm")
    buttons = {b.key: b for b in at.get("download_button")}
    assert {"br_firm_docx", "br_firm_pdf"} <= set(buttons)
    text = docx_text(made[buttons["br_firm_docx"].proto.deferred_file_id]())
    assert text.startswith("一企一策：生益科技")
    assert made[buttons["br_firm_pdf"].proto.deferred_file_id]().startswith(b"%PDF")

    goto(at, "projects")
    buttons = {b.key: b for b in at.get("download_button")}
    assert {"br_chain_docx", "br_chain_pdf", "br_ledger_docx", "br_ledger_pdf"} <= set(buttons)
    month = at.selectbox(key="br_month").value
    text = docx_text(made[buttons["br_ledger_docx"].proto.deferred_file_id]())
    y, m = month.split("-")
    assert text.startswith(f"招商引资月报（{y}年{int(m)}月）")
    chain = docx_text(made[buttons["br_chain_docx"].proto.deferred_file_id]())
    assert chain.splitlines()[0].endswith("产业链招商报告") and "“八个一”工作机制" in chain


def test_the_ledger_page_prints_the_weekly_report(workspace):
    """招商周报 in the app: the generator of ``chainmap brief ledger --week`` over the ISO week chosen on the
    project ledger page; a project signed last week is in last week's report and not in the week before's."""
    from chainmap.app.state import today
    from chainmap.location import open_workspace
    from chainmap.store import Edit
    from tests.test_app import download, start

    ws = workspace
    start("overview")                                  # the app makes the workspace
    day = today() - dt.timedelta(weeks=1)
    y, w, _ = day.isocalendar()
    store = open_workspace(ws)
    row = store.tables().projects.iloc[[0]].assign(id="P-W-1", name="年产120万平方米高多层印制电路板扩建项目",
                                                  signed_on=day.isoformat(), stage="签约", planned_yi=12.0)
    store.write({"projects": Edit(upsert=row)}, author="测试", action="test: a signing last week")
    store.close()

    at = start("projects")
    box = at.selectbox(key="br_week")
    assert box.value == f"{today().isocalendar()[0]}-W{today().isocalendar()[1]:02d}", "this week first"
    box.set_value(f"{y}-W{w:02d}").run()
    assert not at.exception
    assert at.selectbox(key="br_week").format_func(f"{y}-W{w:02d}").startswith(f"{y}年第{w}周（")
    text = docx_text(download(at, "br_week_docx"))
    assert text.startswith(f"招商引资周报（{y}年第{w}周") and "年产120万平方米高多层印制电路板扩建项目" in text
    assert next(b for b in at.get("download_button") if b.key == "br_week_docx").proto.deferred_file_id, \
        "the report is made on the click, not while the page draws"

    before = day - dt.timedelta(weeks=1)
    at.selectbox(key="br_week").set_value("{}-W{:02d}".format(*before.isocalendar()[:2])).run()
    text = docx_text(download(at, "br_week_docx"))
    assert text.startswith("招商引资周报（{}年第{}周".format(*before.isocalendar()[:2]))
    assert "年产120万平方米高多层印制电路板扩建项目" not in text


# ------------------------------------------------------------------------- in a real browser
@pytest.mark.browser
@pytest.mark.xdist_group("browser")   # the worker's browser and server, shared with tests/test_browser.py
@needs_poppler
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="REAL-BROWSER TEST SKIPPED: no /usr/bin/chromium")
def test_firm_brief_downloads_in_a_real_browser_and_opens(server, browser, tmp_path):
    """Click 一企一策（PDF） on the firm page: the file is made on the click, saved by the browser, and reads."""
    from tests.test_browser import settle

    tab = browser.new_page()   # the worker's context (zh-CN, 1440×1000), which accepts downloads
    try:
        tab.goto(f"{server}/firm", wait_until="domcontentloaded")
        tab.wait_for_selector("h1", timeout=60_000)
        settle(tab)
        with tab.expect_download(timeout=120_000) as dl:
            tab.get_by_role("button", name="一企一策（PDF）").click()
        saved = tmp_path / "brief.pdf"
        dl.value.save_as(saved)
        name = dl.value.suggested_filename
    finally:
        tab.close()
    assert not browser.outside, f"requests that tried to leave 127.0.0.1: {browser.outside}"
    assert name.startswith("一企一策-") and name.endswith(".pdf"), name
    text = pdf_text(saved.read_bytes(), tmp_path)
    assert text.startswith("一企一策：") and "数据来源" in text
    assert all(row[-5] == "yes" for row in pdf_fonts(saved.read_bytes(), tmp_path))
