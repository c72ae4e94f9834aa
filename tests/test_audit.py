"""The audit trail from the command line: an import shows up in `chainmap history` and
`chainmap undo` takes it back as one unit."""
import json
import re
from pathlib import Path


from chainmap.cli import main
from chainmap.location import open_workspace
from tests.conftest import saved
from tests.test_store_contract import assert_same_tables

DATA = Path(__file__).parent / "data"


def test_an_import_is_shown_in_history_and_undone_from_the_cli(workspace_copy, capsys):
    before = open_workspace(workspace_copy).tables()
    assert main(["import", "firms", str(DATA / "messy_import.xlsx"), "--workspace", str(workspace_copy),
                 "--accept-valid", "--author", "李明"]) == 0
    change_set = re.search(r"变更集 (\w+)", capsys.readouterr().err).group(1)

    assert main(["history", "--workspace", str(workspace_copy), "--firm", "建滔集团"]) == 0
    out = capsys.readouterr().out
    assert "修改人" in out.splitlines()[0] and "修改前 → 修改后" in out.splitlines()[0]
    assert "李明" in out and "建滔化工集团有限公司" in out and change_set in out

    assert main(["history", "--workspace", str(workspace_copy), "--change-set", change_set, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    added = {r["key"] for r in rows if r["op"] == "add" and r["table"] == "firms"}
    assert {r["author"] for r in rows} == {"李明"} and len(added) == 2
    assert any("建滔（佛冈）积层板有限公司" in r["after"] for r in rows)

    assert main(["undo", change_set, "--workspace", str(workspace_copy), "--author", "王主任", "--lang", "en"]) == 0
    assert f"undid change set {change_set} ({len(rows)} records)" in capsys.readouterr().err
    after = saved(workspace_copy)
    assert_same_tables(after.replace(changes=before.changes), before)   # the imported firms are gone again
    assert set(after.changes["author"]) == {"李明", "王主任"}

    assert main(["undo", change_set, "--workspace", str(workspace_copy)]) == 2   # twice: refused, named
    assert f"变更集 {change_set} 已由变更集" in capsys.readouterr().err
    assert main(["undo", change_set, "--workspace", str(workspace_copy), "--lang", "en"]) == 2
    assert f"change set {change_set} was already undone" in capsys.readouterr().err


def test_cli_author_defaults_to_the_os_login(workspace_copy, capsys, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "qy_zhaoshang")
    store = open_workspace(workspace_copy)
    row = store.tables().firms.query("id == 'tailg'").assign(notes="2026年3月拜访")
    cs = store.upsert("firms", row, author="李明")
    assert main(["undo", cs, "--workspace", str(workspace_copy)]) == 0
    h = open_workspace(workspace_copy).history(key="tailg")
    assert h["author"].tolist() == ["qy_zhaoshang", "李明"]


def test_history_of_a_firm_without_changes_says_so(workspace_copy, capsys):
    assert main(["history", "--workspace", str(workspace_copy), "--firm", "台铃科技"]) == 0
    assert "没有变更记录" in capsys.readouterr().err


def test_undo_of_an_unknown_change_set_is_a_clear_error(workspace_copy, capsys):
    assert main(["undo", "nope", "--workspace", str(workspace_copy)]) == 2
    assert "错误: 变更记录中没有变更集“nope”" in capsys.readouterr().err
    assert main(["undo", "nope", "--workspace", str(workspace_copy), "--lang", "en"]) == 2
    assert "error: no change set 'nope'" in capsys.readouterr().err
