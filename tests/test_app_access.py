"""Access control and the audit trail in the workbench, with configured secrets and simulated sign-ins.

Sign-in is Streamlit's own ``st.login`` (OIDC); ``AppTest.user`` stands in for
the identity provider, as Streamlit's test API intends, and ``AppTest.secrets``
carries a ``secrets.toml`` read from a temporary file.
"""
from __future__ import annotations

import logging
import tomllib

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from chainmap.store import Edit
from chainmap.location import open_workspace
from tests.conftest import data_fingerprint, saved
from tests.test_app import APP, PAGES, RecordingMedia, download, goto, texts, workspace  # noqa: F401

EDITOR = "li.ming@qingyuan.gov.cn"
VIEWER = "wang.fang@qingyuan.gov.cn"
CANARY = "S3CRET-canary-7f3a9c-不可外泄"
SECRETS = f"""
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "{CANARY}-cookie"
client_id = "chainmap-workbench"
client_secret = "{CANARY}"
server_metadata_url = "https://id.qingyuan.example/.well-known/openid-configuration"

[chainmap]
editors = ["{EDITOR}", "zhao.lei@qingyuan.gov.cn"]
"""


@pytest.fixture
def secrets(tmp_path):
    path = tmp_path / ".streamlit" / "secrets.toml"
    path.parent.mkdir()
    path.write_text(SECRETS, encoding="utf-8")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def start(page: str, secrets: dict | None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    at.switch_page(f"app_pages/{page}.py").run()   # opened on the page, as test_app.start does
    assert not at.exception, [e.value for e in at.exception]
    return at


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, "name": email.split("@")[0]}


def change_sets(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "记录数" in d.value.columns)


def _seed_import(ws) -> str:
    """An import through the store, as `chainmap import` makes it: 台铃科技's new plant arm and a follow-up."""
    AppTest.from_file(APP, default_timeout=90).run()  # the app creates the workspace copy
    store = open_workspace(ws)
    firm = store.tables().firms.query("id == 'tailg'").assign(id="tailg_qy", name_zh="台铃（清远）新能源科技有限公司",
                                                              aliases="", stock_code="")
    fu = pd.DataFrame([{"firm_id": "tailg_qy", "chain": "ebike", "status": "已联系", "person": "李明", "team": "",
                        "contact_date": "2026-03-02", "notes": "", "updated_by": "", "updated_at": ""}])
    cs = store.write({"firms": Edit(upsert=firm), "followups": Edit(upsert=fu)}, author="李明",
                     action="import firms 台铃.xlsx")
    return cs


# ------------------------------------------------------------------ roles
def test_viewer_sees_no_edit_forms_anywhere(workspace, secrets):
    at = start("firm", secrets, signed_in(VIEWER))
    assert any(f"{VIEWER}（只读）" in c.value for c in at.sidebar.caption)
    assert not any(b.label == "保存对接记录" for b in at.button)
    assert any("只读" in i.value for i in at.info)
    goto(at, "mechanism")
    assert not any(k.startswith("mechanism:") for k in (w.key or "" for w in at.text_input))
    goto(at, "projects")
    assert not any("保存" in b.label or "导入" in b.label or "撤销" in b.label for b in at.button)
    assert sum("只读" in i.value for i in at.info) == 2   # edit and advance tabs (import: a link to 数据导入)


def test_the_app_refuses_a_save_from_a_viewer(workspace, secrets):
    """Not only hidden forms: state.save itself refuses, and nothing is written."""
    def attempt():
        import pandas as pd
        import streamlit as st

        from chainmap.app import state

        row = pd.DataFrame([{"firm_id": "kingboard", "chain": "electronics", "status": "已拜访", "person": "王芳",
                             "team": "", "contact_date": "", "notes": "", "updated_by": "", "updated_at": ""}])
        st.write(f"saved={state.save('followups', row, None, 'attack')}")

    AppTest.from_file(APP, default_timeout=90).run()  # creates the workspace
    before = data_fingerprint(workspace)
    at = AppTest.from_function(attempt, default_timeout=90)
    for k, v in secrets.items():
        at.secrets[k] = v
    at.user = signed_in(VIEWER)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("没有编辑权限" in e.value for e in at.error)
    assert any("saved=False" in m.value for m in at.markdown)
    assert data_fingerprint(workspace) == before


def test_signed_out_session_reads_and_is_offered_sign_in(workspace, secrets):
    at = start("firm", secrets, {"is_logged_in": False})
    assert any(b.label == "登录" for b in at.sidebar.button)
    assert not any(b.label == "保存对接记录" for b in at.button)


def test_unverified_email_on_the_editor_list_is_only_a_viewer(workspace, secrets):
    at = start("firm", secrets, {**signed_in(EDITOR), "email_verified": False})
    assert any("（只读）" in c.value for c in at.sidebar.caption)


def test_editor_save_is_recorded_with_the_signed_in_user_and_shown_in_the_firm_history(workspace, secrets):
    at = start("firm", secrets, signed_in(EDITOR))
    assert any(f"{EDITOR}（编辑）" in c.value for c in at.sidebar.caption)
    assert any(b.label == "退出登录" for b in at.sidebar.button)
    fid = at.session_state["firm_pick"]
    k = f"followup:{fid}:electronics:0"
    at.selectbox(key=f"{k}:status").set_value("已拜访")
    at.text_input(key=f"{k}:person").input("李明")
    next(b for b in at.button if b.label == "保存对接记录").click().run()
    assert not at.exception and not at.error, texts(at, "error")
    ws = saved(workspace)
    fu = ws.followups.set_index(["firm_id", "chain"]).loc[(fid, "electronics")]
    assert fu["updated_by"] == EDITOR
    assert ws.changes["author"].tolist() == [EDITOR] and ws.changes["action"].tolist() == ["app: followups"]
    history = next(d.value for d in at.dataframe if "修改人" in d.value.columns)
    assert history["修改人"].tolist() == [EDITOR] and history["数据表"].tolist() == ["跟进记录"]
    assert "status: — → 已拜访" not in history["修改前 → 修改后"].iloc[0]   # a new follow-up is an add
    assert history["变化"].tolist() == ["新增"]


def test_local_mode_says_so_and_records_the_local_user(workspace):
    at = start("mechanism", None)
    assert any("本地单用户编辑模式" in c.value for c in at.sidebar.caption)
    k = "mechanism:electronics:1:0"
    at.text_input(key=f"{k}:owner").input("市工业和信息化局")
    at.button(key=f"{k}:submit").click().run()
    assert not at.error, texts(at, "error")
    assert saved(workspace).changes["author"].tolist() == ["本地单用户"]


# ------------------------------------------------------------------ undo an import
def test_editor_undoes_an_import_from_the_change_log(workspace, secrets):
    cs = _seed_import(workspace)
    at = start("projects", secrets, signed_in(EDITOR))
    sets = change_sets(at)
    assert sets.iloc[0]["变更集"] == cs and sets.iloc[0]["修改人"] == "李明" and sets.iloc[0]["记录数"] == 2
    assert at.selectbox(key="hx_pick").value == cs
    at.button(key=f"hx_undo:{cs}").click().run()
    assert not at.exception and not at.error, texts(at, "error")
    t = saved(workspace)
    assert "tailg_qy" not in set(t.firms["id"]) and "tailg_qy" not in set(t.followups["firm_id"])
    undo = t.changes[t.changes["action"] == f"undo {cs}"]
    assert len(undo) == 2 and set(undo["author"]) == {EDITOR}
    # Undoing it again is refused with the reason, and changes nothing.
    before = data_fingerprint(workspace)
    at.selectbox(key="hx_pick").set_value(cs).run()
    at.button(key=f"hx_undo:{cs}").click().run()
    assert any(f"变更集 {cs} 已由变更集" in e.value for e in at.error), texts(at, "error")
    assert data_fingerprint(workspace) == before


def test_viewer_sees_the_change_log_but_cannot_undo(workspace, secrets):
    cs = _seed_import(workspace)
    at = start("projects", secrets, signed_in(VIEWER))
    assert change_sets(at).iloc[0]["变更集"] == cs
    assert not any((b.key or "").startswith("hx_undo") for b in at.button)


# ------------------------------------------------------------------ secrets stay secret
def _all_text(at: AppTest) -> str:
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(out)


def test_secrets_never_reach_pages_errors_exports_or_logs(workspace, secrets, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")   # a failing connection: an error message to inspect
    monkeypatch.setenv("NEO4J_PASSWORD", CANARY)
    RecordingMedia.files.clear()
    seen = []
    at = start("overview", secrets, signed_in(EDITOR))
    at.sidebar.radio(key="backend_choice").set_value("neo4j").run()
    assert at.sidebar.error, "the failed connection is reported"
    for page in PAGES:
        goto(at, page)
        seen.append(_all_text(at))
    # A save, then every export.
    goto(at, "mechanism")
    k = "mechanism:electronics:1:0"
    at.text_input(key=f"{k}:owner").input("市工业和信息化局")
    at.button(key=f"{k}:submit").click().run()
    seen.append(_all_text(at))
    goto(at, "targets")
    for b in at.get("download_button"):
        download(at, b.key)
    goto(at, "mechanism")
    for b in at.get("download_button"):
        download(at, b.key)
    blobs = list(RecordingMedia.files.values())
    assert blobs, "exports were produced"
    assert all(CANARY.encode() not in b for b in blobs)
    assert any(EDITOR in s for s in seen), "the walk sees the rendered text"
    assert all(CANARY not in s for s in seen)
    assert CANARY not in caplog.text
    assert all(CANARY not in p.read_text(encoding="utf-8", errors="ignore")
               for p in workspace.rglob("*") if p.is_file())   # the database and every other file
