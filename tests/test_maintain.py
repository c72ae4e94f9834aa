"""链条维护: surveys, local firms, links and edges, through the store (audited, undoable, conflict-checked),
and the page that edits them, driven with ``AppTest`` on a copy of the bundled data."""
from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from chainmap.analysis.gaps import gap_analysis
from chainmap.app.maintain import edge_problem, search_firms
from chainmap.i18n import history_view
from chainmap.io import InputError
from chainmap.location import open_workspace
from chainmap.store import ConflictError, Edit
from chainmap.store.sqlite import DB_NAME, SqliteStore
from tests.conftest import saved
from tests.test_app import APP, workspace  # noqa: F401 - the fixture

SURVEY = {"link_id": "connectors", "assessed_on": "2026-11-30", "method": "实地走访",
          "source": "清城区工业园走访记录 2026-11-30", "notes": "走访清城、清新两区工业园，未发现连接器企业",
          "assessed_by": "市商务局 李明"}


def status(tables, link: str, chain: str = "electronics") -> str:
    return gap_analysis(tables, chain).set_index("link_id").at[link, "status"]


# ------------------------------------------------------------------ the store
def test_a_survey_turns_unassessed_into_a_judged_status_and_undo_brings_it_back(workspace_copy):
    store = open_workspace(workspace_copy)
    before = store.tables()
    assert status(before, "connectors") == "unassessed"
    cs = store.write({"assessments": Edit(upsert=pd.DataFrame([SURVEY]))}, author="李明",
                     action="app: maintain survey 连接器", expected={"assessments": before.assessments.head(0)})
    store.close()

    after = saved(workspace_copy)
    row = gap_analysis(after, "electronics").set_index("link_id").loc["connectors"]
    assert row["status"] in ("fill", "extend") and not pd.isna(row["severity"])
    assert (row["as_of"], row["source"]) == ("2026-11-30", SURVEY["source"])
    assert after.assessments.set_index("link_id").at["connectors", "assessed_by"] == "市商务局 李明"

    store = open_workspace(workspace_copy)
    view = history_view(store.history(change_set=cs))
    assert view["操作"].tolist() == ["链条维护·摸排：连接器"] and view["数据表"].tolist() == ["摸排记录"]
    store.undo(cs, author="李明")
    store.close()
    again = saved(workspace_copy)
    assert status(again, "connectors") == "unassessed"
    assert "connectors" not in set(again.assessments["link_id"])


def test_a_second_survey_saved_in_between_is_a_conflict_and_nothing_is_lost(workspace_copy):
    store = open_workspace(workspace_copy)
    mine = store.tables().assessments.query("link_id == 'pcb'")          # two officers open the same record
    theirs = mine.copy()
    store.upsert("assessments", theirs.assign(method="电话核实", assessed_by="王芳"), expected=theirs, author="王芳")
    with pytest.raises(ConflictError):
        store.write({"assessments": Edit(upsert=mine.assign(method="实地走访", assessed_by="李明"))}, author="李明",
                    action="app: maintain survey 印制电路板", expected={"assessments": mine})
    store.close()
    kept = saved(workspace_copy).assessments.set_index("link_id").loc["pcb"]
    assert (kept["method"], kept["assessed_by"]) == ("电话核实", "王芳")


def test_an_older_database_gains_the_who_column_on_open(tmp_path, bundled):
    db = tmp_path / DB_NAME
    store = SqliteStore(db)
    store.load(bundled)
    n = len(store.tables().assessments)
    store.close()
    with sqlite3.connect(db) as conn:  # as a database written before the column existed
        conn.execute('ALTER TABLE "t_assessments" DROP COLUMN "assessed_by"')
    store = SqliteStore(db)
    a = store.tables().assessments
    assert len(a) == n and "assessed_by" in a and set(a["assessed_by"]) == {""}
    store.upsert("assessments", a.head(1).assign(assessed_by="李明"), expected=a.head(1), author="李明")
    assert store.tables().assessments.iloc[0]["assessed_by"] == "李明"
    store.close()


def test_an_edge_that_would_close_a_loop_is_refused_by_the_page_check_and_by_the_store(workspace_copy):
    store = open_workspace(workspace_copy)
    t = store.tables()
    problem = edge_problem(t.links, t.edges, "pcba", "ccl", None, False, new=True)
    assert problem[0] in ("mt.err.cycle", "mt.err.stage_order")
    problem = edge_problem(t.links, t.edges, "consumer_electronics", "e_glass_yarn", None, False, new=True)
    assert problem[0] == "mt.err.stage_order"
    loop = pd.DataFrame([{"src": "consumer_electronics", "dst": "e_glass_yarn", "share": None, "feedback": False,
                          "note": ""}])
    with pytest.raises(InputError):
        store.write({"edges": Edit(upsert=loop)}, author="李明", action="app: maintain edge 消费电子整机 → 电子级玻纤纱")
    assert store.tables().edges.equals(t.edges)
    store.close()


def test_removing_an_edge_is_audited_and_undone(workspace_copy):
    store = open_workspace(workspace_copy)
    edges = store.tables().edges
    one = edges[(edges["src"] == "ccl") & (edges["dst"] == "pcb")]
    assert len(one) == 1
    cs = store.write({"edges": Edit(delete=one[["src", "dst"]])}, author="李明",
                     action="app: maintain unedge 覆铜板 → 印制电路板", expected={"edges": one})
    assert not ((store.tables().edges["src"] == "ccl") & (store.tables().edges["dst"] == "pcb")).any()
    assert history_view(store.history(change_set=cs))["变化"].tolist() == ["删除"]
    store.undo(cs, author="李明")
    store.close()
    assert saved(workspace_copy).edges.equals(edges)


def test_share_checks_and_firm_search(bundled):
    t = bundled
    assert edge_problem(t.links, t.edges, "ccl", "pcb", 1.5, False, new=False) == ("mt.err.share", {"v": "1.5"})
    assert edge_problem(t.links, t.edges, "ccl", "pcb", -0.1, False, new=False)[0] == "mt.err.share"
    assert edge_problem(t.links, t.edges, "ccl", "pcb", None, False, new=True)[0] == "mt.err.edge_exists"
    hits, n = search_firms(t.firms, "002988")
    assert hits["id"].tolist() == ["haomei"] and n == 1
    hits, n = search_firms(t.firms, "建滔")
    assert "kingboard" in set(hits["id"]) and n >= 1


# ------------------------------------------------------------------ the page
def open_maintain(link: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if link:
        at.query_params["link"] = link
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if lang:
        at.sidebar.radio(key="lang_choice").set_value(lang).run()
    at.switch_page("app_pages/maintain.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at: AppTest, kind: str, suffix: str):
    """The one widget of ``kind`` whose key ends with ``suffix`` (keys carry a counter)."""
    found = [w for w in getattr(at, kind) if w.key and w.key.endswith(suffix)]
    assert len(found) == 1, [w.key for w in getattr(at, kind)]
    return found[0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if label in m.label)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_page_opens_on_the_link_of_the_address_and_surveys_it(workspace):
    at = open_maintain(link="connectors")
    assert at.selectbox(key="mt_link_electronics").value == "connectors"
    assert metric(at, "待评估") == "11个环节"
    widget(at, "text_input", "survey:connectors:0:who").input("市商务局 李明")
    widget(at, "text_input", "survey:connectors:0:source").input("清城区工业园走访记录 2026-11-30")
    widget(at, "text_area", "survey:connectors:0:notes").input("未发现连接器企业")
    widget(at, "button", "survey:connectors:0:submit").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert metric(at, "待评估") == "10个环节"
    a = saved(workspace).assessments.set_index("link_id").loc["connectors"]
    assert (a["assessed_by"], a["method"], a["notes"]) == ("市商务局 李明", "实地走访", "未发现连接器企业")
    card = next(m.value for m in at.markdown if m.value.startswith("### ") and "连接器" in m.value)
    assert "连接器 · 补链" in card or "连接器 · 延链" in card, card
    recent = " ".join(m.value for m in at.markdown)
    assert "链条维护·摸排：连接器" in recent

    undo = next(b for b in at.button if b.key and b.key.startswith("mt_undo:"))
    undo.click().run()
    assert not at.exception
    assert "connectors" not in set(saved(workspace).assessments["link_id"])
    assert metric(at, "待评估") == "11个环节"
    assert at.selectbox(key="mt_link_electronics").value == "connectors"     # still on the same link
    assert "撤销「链条维护·摸排：连接器」" in " ".join(m.value for m in at.markdown)
    assert widget(at, "text_input", "survey:connectors:2:who").value == ""   # the form shows the store again


def test_a_survey_without_source_is_refused_with_one_message_in_the_users_language(workspace):
    at = open_maintain(link="connectors")
    widget(at, "text_input", "survey:connectors:0:who").input("李明")
    widget(at, "button", "survey:connectors:0:submit").click().run()
    assert errors(at) == ["未保存：请填写依据或来源（走访记录、网页链接或文件）。"]
    at = open_maintain(link="connectors", lang="English")
    widget(at, "text_input", "survey:connectors:0:source").input("visit record 12")
    widget(at, "button", "survey:connectors:0:submit").click().run()
    assert errors(at) == ["Not saved: say who surveyed."]
    assert "connectors" not in set(saved(workspace).assessments["link_id"])


def test_a_survey_saved_by_someone_else_in_between_is_a_clear_conflict(workspace):
    at = open_maintain(link="pcb")
    widget(at, "text_input", "survey:pcb:0:who").input("李明")
    store = open_workspace(workspace)            # a second editor saves the same record first
    theirs = store.tables().assessments.query("link_id == 'pcb'")
    store.upsert("assessments", theirs.assign(method="电话核实", assessed_by="王芳"), expected=theirs, author="王芳")
    store.close()
    widget(at, "button", "survey:pcb:0:submit").click().run()
    assert any("已有其他人先保存" in e for e in errors(at)), errors(at)
    assert saved(workspace).assessments.set_index("link_id").at["pcb", "assessed_by"] == "王芳"
    assert widget(at, "text_input", "survey:pcb:0:who").value == "李明"   # what was typed is still there


def test_recording_a_local_firm_found_in_the_library(workspace):
    at = open_maintain(link="pcba")
    widget(at, "text_input", "firm:pcba:q").input("不存在的企业甲乙").run()
    assert any("企业库中没有与" in w.value for w in at.warning)
    widget(at, "text_input", "firm:pcba:q").input("002988").run()
    assert widget(at, "selectbox", "firm:pcba:pick").value == "haomei"
    widget(at, "text_input", "pcba:haomei:0:entity").input("广东豪美新材股份有限公司")
    widget(at, "selectbox", "pcba:haomei:0:place").set_value("清城区")
    widget(at, "text_input", "pcba:haomei:0:source").input("https://podms.com/p20240318001486.html")
    widget(at, "button", "pcba:haomei:0:submit").click().run()
    assert not at.exception and not errors(at), errors(at)
    t = saved(workspace)
    op = t.operations.query("firm_id == 'haomei' and link_id == 'pcba'").iloc[0]
    assert bool(op["local"]) and op["location"] == "清城区" and op["verified"] == "yes"
    assert status(t, "pcba") in ("strong", "strengthen")


def test_edges_refused_saved_and_removed(workspace):
    at = open_maintain(link="pcba")
    widget(at, "selectbox", "edge:__new__:pcba:0:src").set_value("consumer_electronics")
    widget(at, "button", "edge:__new__:pcba:0:submit").click().run()
    assert len(errors(at)) == 1 and "与上下游顺序相反" in errors(at)[0] and "消费电子整机" in errors(at)[0]

    widget(at, "selectbox", "edge:__new__:pcba:0:src").set_value("connectors")
    widget(at, "button", "edge:__new__:pcba:0:submit").click().run()
    assert errors(at) == ["未保存：“连接器 → 电子组装/PCBA”已存在，请在上方选中它再修改。"]
    widget(at, "selectbox", "edge:__new__:pcba:0:src").set_value("display_panel")
    widget(at, "number_input", "edge:__new__:pcba:0:share").set_value(1.5)
    widget(at, "button", "edge:__new__:pcba:0:submit").click().run()
    assert errors(at) == ["未保存：投入占比应在0到1之间（现为1.5）。"]
    original = saved(workspace).edges
    widget(at, "number_input", "edge:__new__:pcba:0:share").set_value(0.1)
    widget(at, "button", "edge:__new__:pcba:0:submit").click().run()
    assert not at.exception and not errors(at), errors(at)
    added = saved(workspace).edges.set_index(["src", "dst"]).loc[("display_panel", "pcba")]
    assert added["share"] == 0.1 and not added["feedback"]
    assert "链条维护·供应关系：新型显示面板 → 电子组装/PCBA" in " ".join(m.value for m in at.markdown)

    at.selectbox(key="maintain:edge_pick:electronics").set_value("display_panel>pcba").run()
    widget(at, "checkbox", "edge:display_panel>pcba:0:confirm").check().run()
    widget(at, "button", "edge:display_panel>pcba:0:remove").click().run()
    assert not at.exception and not errors(at), errors(at)
    assert saved(workspace).edges.equals(original)


def test_adding_a_link_and_refusing_a_bad_id(workspace):
    at = open_maintain()
    at.selectbox(key="maintain:link_pick:electronics").set_value("__new__").run()
    widget(at, "text_input", "link:__new__:0:id").input("PCB-Drill")
    widget(at, "text_input", "link:__new__:0:name_zh").input("PCB钻针")
    widget(at, "button", "link:__new__:0:submit").click().run()
    assert errors(at) == ["未保存：环节编号“PCB-Drill”无效，只能用小写字母、数字和下划线。"]
    widget(at, "text_input", "link:__new__:0:id").input("")
    widget(at, "text_input", "link:__new__:0:name_en").input("PCB drill bits")
    widget(at, "selectbox", "link:__new__:0:stage").set_value("upstream")
    widget(at, "text_input", "link:__new__:0:keywords").input("钻针、微钻，铣刀")
    widget(at, "button", "link:__new__:0:submit").click().run()
    assert not at.exception and not errors(at), errors(at)
    link = saved(workspace).links.set_index("id").loc["pcb_drill_bits"]
    assert (link["chain"], link["name_zh"], link["stage"], link["keywords"]) == \
        ("electronics", "PCB钻针", "upstream", "钻针|微钻|铣刀")
    assert "PCB钻针（上游）" in at.selectbox(key="mt_link_electronics").options


def test_a_reader_sees_the_link_but_no_form(workspace):
    from tests.test_app_access import SECRETS, VIEWER, signed_in
    import tomllib

    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in tomllib.loads(SECRETS).items():
        at.secrets[k] = v
    at.user = signed_in(VIEWER)
    at.query_params["link"] = "pcb"
    at.run()
    at.switch_page("app_pages/maintain.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="mt_link_electronics").value == "pcb"
    assert not [w for w in at.text_input if w.key and w.key.startswith("maintain:")]
    assert not [b for b in at.button if b.key and (b.key.startswith("maintain:") or b.key.startswith("mt_undo:"))]
    assert any("只读" in i.value for i in at.info)


def test_the_page_in_english(workspace):
    at = open_maintain(link="ic_substrate", lang="English")   # surveyed, no maker here: fill
    title = at.title[0].value
    assert title == "Electronic information: chain upkeep", title
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="mt_link_electronics").value == "ic_substrate"
    card = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert "fill" in card and "midstream" in card, card
    last = next(m.value for m in at.markdown if m.value.startswith("Last survey:"))
    assert "2026-11-26" in last and "项目组" in last, last
    assert [t.label for t in at.tabs] == ["Survey", "Local firm", "Link", "Supply edges"]
