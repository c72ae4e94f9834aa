"""The embedded workspace database: persistence, load/dump, global options and bad workspaces.

Crash safety and concurrency with real processes are in ``test_store_processes.py``.
"""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from chainmap.cli import main
from chainmap.io import bundled_workspace, read_workspace
from chainmap.location import dump_folder, load_folder, open_workspace
from chainmap.store.memory import MemoryStore
from chainmap.store.sqlite import DB_NAME, SqliteStore
from tests.conftest import saved
from tests.test_store_contract import assert_same_tables

BUNDLED_FILES = sorted(p.relative_to(bundled_workspace()) for sub in ("graphs", "seeds")
                       for p in (bundled_workspace() / sub).iterdir() if p.suffix in (".toml", ".csv"))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ the graph and persistence
@pytest.mark.parametrize("make", [lambda t, tmp: MemoryStore(t), lambda t, tmp: _loaded(t, tmp)],
                         ids=["memory", "sqlite"])
def test_the_graph_is_built_from_the_store(bundled, tmp_path, make):
    store = make(bundled, tmp_path)
    g = store.graph
    assert g.nodes["Firm", "kingboard"]["name_zh"] == "建滔集团"
    edges = g.get_edge_data(("Firm", "kingboard"), ("Link", "e_glass_yarn"))
    assert any(d["type"] == "OPERATES_IN" and d.get("chain_leader") for d in edges.values())
    assert g.has_edge(("Link", "copper_foil"), ("Link", "ccl"))


def _loaded(tables, tmp_path) -> SqliteStore:
    store = SqliteStore(tmp_path / DB_NAME)
    store.load(tables)
    return store


def test_tables_come_back_in_canonical_order_whatever_the_script_of_their_keys(bundled, tmp_path):
    """SQLite returns each table in its key's order (no sort after the read): the order of ``canonical`` (Python's,
    by code point) for ids in Latin capitals and small letters, digits, accented letters and Chinese, and for
    keys of several columns whose last part is blank or a whole number, though they were saved after the rest."""
    from chainmap.io.workspace import canonical

    store = _loaded(bundled, tmp_path)
    ids = ["建滔集团", "b", "B", "a10", "a9", "Ä", "_x", "比亚迪", "1"]
    store.upsert("firms", pd.concat([bundled.firms.iloc[:1].assign(id=i, name_zh=f"公司{i}") for i in ids]),
                 author="测试")
    first = bundled.honours.iloc[:1]
    store.upsert("honours", pd.concat([first.assign(firm_id="b", year=pd.NA), first.assign(firm_id="b", year=1999),
                                       first.assign(firm_id="B", detail="")]).astype({"year": "Int64"}), author="测试")
    got = SqliteStore(tmp_path / DB_NAME).tables()
    for name, df in got.items():
        assert df.equals(canonical(name, df)), name
    assert [i for i in got.firms["id"] if i in ids] == sorted(ids)
    assert got.honours["firm_id"].isin(["b", "B"]).sum() == 3


def test_a_write_is_seen_by_another_process_opening_the_workspace(bundled, tmp_path):
    store = _loaded(bundled, tmp_path)
    row = bundled.firms.query("id == 'tailg'").assign(notes="2026年3月拜访：有扩产意向")
    cs = store.upsert("firms", row, author="李科长", action="app: firm profile")
    code = ("import sys; from chainmap.store.sqlite import SqliteStore; s = SqliteStore(sys.argv[1]); "
            "h = s.history(key='tailg'); print(h['change_set'].iloc[0], h['author'].iloc[0], "
            "s.tables().firms.set_index('id').at['tailg', 'notes'])")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / DB_NAME)], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [cs, "李科长", "2026年3月拜访：有扩产意向"]


def test_the_version_changes_with_every_write_and_tables_are_reread_only_then(bundled, tmp_path):
    store = _loaded(bundled, tmp_path)
    other = SqliteStore(tmp_path / DB_NAME)
    v0, t0 = store.version(), store.tables()
    assert store.tables() is t0, "unchanged data is not read again"
    other.upsert("assessments", bundled.assessments.head(1).assign(method="电话核实"))
    assert store.version() != v0
    assert store.tables() is not t0 and store.tables().assessments["method"].iloc[0] == "电话核实"


def test_after_a_save_only_the_tables_it_changed_are_read_again(bundled, tmp_path):
    """A 八个一 save re-reads the mechanism table and the audit trail, not the firm library; what is kept
    equals what a fresh read gives, whichever process wrote."""
    store = _loaded(bundled, tmp_path)
    other = SqliteStore(tmp_path / DB_NAME)
    t0 = store.tables()
    other.upsert("mechanism", bundled.mechanism.head(1).assign(evidence="链长制已印发（清府办〔2026〕3号）"),
                 author="王主任")
    t1 = store.tables()
    assert t1.firms is t0.firms and t1.links is t0.links, "tables the save did not touch are kept"
    assert t1.mechanism is not t0.mechanism and t1.changes is not t0.changes
    assert_same_tables(t1, SqliteStore(tmp_path / DB_NAME).tables())
    # a commit that stamps no table (a note in meta) makes the next read a whole one: nothing is missed
    other.set_meta(source="x")
    other.upsert("firms", bundled.firms.query("id == 'tailg'").assign(notes="拜访"), author="李科长")
    t2 = store.tables()
    assert t2.links is not t1.links and t2.firms.set_index("id").at["tailg", "notes"] == "拜访"
    assert_same_tables(t2, SqliteStore(tmp_path / DB_NAME).tables())


def test_a_write_costs_the_change_not_the_workspace(bundled, tmp_path):
    """A one-record write reads back only the records it touches (SQLite's statement log shows it)."""
    store = _loaded(bundled, tmp_path)
    seen = []
    store._conn.set_trace_callback(seen.append)
    store.upsert("firms", bundled.firms.query("id == 'tailg'").assign(notes="拜访"), author="李科长")
    store._conn.set_trace_callback(None)
    reads = [q for q in seen if q.lstrip().upper().startswith("SELECT") and "t_firms" in q]
    assert reads and all("WHERE" in q for q in reads), reads   # never a full scan of the firms table


# ------------------------------------------------------------------ load and dump
def test_load_then_dump_gives_back_the_bundled_files_byte_for_byte(tmp_path):
    ws, out = tmp_path / "ws", tmp_path / "out"
    load_folder(bundled_workspace(), ws).close()
    dump_folder(SqliteStore(ws / DB_NAME), out)
    for rel in BUNDLED_FILES:
        assert (out / rel).read_bytes() == (bundled_workspace() / rel).read_bytes(), rel
    assert "GB 17761-2024" in (out / "graphs" / "ebike.toml").read_text(encoding="utf-8")  # comments kept


def test_a_chain_edited_since_the_load_is_written_anew(tmp_path):
    ws = tmp_path / "ws"
    store = load_folder(bundled_workspace(), ws)
    link = store.tables().links.query("id == 'pcb'").assign(importance=0.55)
    store.upsert("links", link, author="李科长")
    dump_folder(store, tmp_path / "out")
    again = read_workspace(tmp_path / "out")
    assert again.links.set_index("id").at["pcb", "importance"] == 0.55
    for chain in ("ebike", "materials"):   # untouched chains keep their text
        rel = f"graphs/{chain}.toml"
        assert (tmp_path / "out" / rel).read_bytes() == (bundled_workspace() / rel).read_bytes()


def test_cli_load_and_dump(tmp_path, capsys):
    ws, out = tmp_path / "ws", tmp_path / "backup"
    code, _, err = run(capsys, "load", str(bundled_workspace()), "--workspace", str(ws))
    assert code == 0 and f"firms {len(read_workspace(bundled_workspace()).firms)}," in err   # every firm loaded
    code, _, err = run(capsys, "--workspace", str(ws), "dump", str(out))
    assert code == 0 and (out / "seeds" / "firms.csv").read_bytes() == \
        (bundled_workspace() / "seeds" / "firms.csv").read_bytes()


def test_a_bad_folder_loads_nothing(tmp_path, capsys, workspace_copy):
    ws = tmp_path / "ws"
    load_folder(bundled_workspace(), ws).close()
    before = saved(ws)
    ops = workspace_copy / "seeds" / "operations.csv"
    ops.write_text(ops.read_text(encoding="utf-8").replace(",ccl,", ",coper_foil,", 1), encoding="utf-8")
    code, _, err = run(capsys, "load", str(workspace_copy), "--workspace", str(ws))
    assert code == 2 and "operations.csv" in err and "未知环节“coper_foil”" in err
    assert_same_tables(saved(ws), before)


def test_dump_keeps_the_modes_of_files_it_replaces(tmp_path):
    ws, out = tmp_path / "ws", tmp_path / "out"
    store = load_folder(bundled_workspace(), ws)
    dump_folder(store, out)
    for p in (out / "seeds").iterdir():
        assert stat.S_IMODE(p.stat().st_mode) & 0o044 == 0o044, p   # readable by group and others, not 0600
    firms = out / "seeds" / "firms.csv"
    firms.chmod(0o640)
    dump_folder(store, out)
    assert stat.S_IMODE(firms.stat().st_mode) == 0o640


# ------------------------------------------------------------------ where the data lives
def test_global_options_work_before_and_after_the_command(tmp_path, capsys, workspace_copy):
    xlsx = str(bundled_workspace() / "tests" / "data" / "messy_import.xlsx")
    for argv in (["--workspace", str(workspace_copy), "import", "firms", xlsx],
                 ["import", "firms", xlsx, "--workspace", str(workspace_copy)]):
        code, _, err = run(capsys, *argv, "--accept-valid", "--author", "李明")
        assert code == 0, err
    h = saved(workspace_copy).changes
    assert h["change_set"].nunique() == 1, "the second import found nothing new to save in the same workspace"
    code, _, err = run(capsys, "--lang", "en", "--workspace", str(tmp_path / "nope"), "gaps", "--chain", "ebike")
    assert code == 2 and err.startswith("error: no workspace at")


def test_commands_without_a_workspace_never_write_the_bundled_data(capsys, workspace_copy, monkeypatch, tmp_path):
    before = {rel: (bundled_workspace() / rel).read_bytes() for rel in BUNDLED_FILES}
    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(tmp_path / "mine"))
    xlsx = str(bundled_workspace() / "tests" / "data" / "messy_import.xlsx")
    code, _, err = run(capsys, "import", "firms", xlsx, "--accept-valid")
    assert code == 0 and "首次使用" in err
    assert "kblaminates_fogang" in set(saved(tmp_path / "mine").firms["id"]) or \
        len(saved(tmp_path / "mine").firms) > len(read_workspace(bundled_workspace()).firms)
    assert {rel: (bundled_workspace() / rel).read_bytes() for rel in BUNDLED_FILES} == before
    assert not (bundled_workspace() / DB_NAME).exists()
    code, _, err = run(capsys, "gaps", "--chain", "ebike", "--workspace", str(bundled_workspace()))
    assert code == 2 and "自带的数据，从不写入" in err


def test_neo4j_backend_given_before_the_command_is_used(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    code, _, err = run(capsys, "--backend", "neo4j", "import", "firms", "x.csv")
    assert code == 2 and "缺少 Neo4j 地址" in err or "文件不存在" in err
    code, _, err = run(capsys, "--backend", "neo4j", "chains", "--lang", "en")
    assert code == 2 and "no Neo4j URI" in err


# ------------------------------------------------------------------ bad workspaces: one clear line
def _one_line(err: str) -> str:
    assert "Traceback" not in err
    return err.strip()


def test_a_missing_required_table_is_named(capsys, workspace_copy):
    (workspace_copy / "seeds" / "operations.csv").unlink()
    code, _, err = run(capsys, "gaps", "--chain", "ebike", "--workspace", str(workspace_copy))
    assert code == 2 and "seeds/operations.csv" in _one_line(err) and "missing" in err


def test_a_missing_seeds_folder_is_named(capsys, workspace_copy):
    import shutil

    shutil.rmtree(workspace_copy / "seeds")
    code, _, err = run(capsys, "chains", "--workspace", str(workspace_copy))
    assert code == 2 and "没有 seeds/ 文件夹" in _one_line(err)


def test_a_truncated_file_names_the_file_and_the_line(capsys, workspace_copy):
    firms = workspace_copy / "seeds" / "firms.csv"
    data = firms.read_bytes()
    firms.write_bytes(data[: len(data) * 2 // 3].rsplit(b",", 3)[0])
    code, _, err = run(capsys, "gaps", "--chain", "ebike", "--workspace", str(workspace_copy))
    line = _one_line(err)
    assert code == 2 and "firms.csv" in line and "文件不完整" in line and "honours" not in line
    assert len(line.splitlines()) == 1


def test_a_pipe_named_like_a_chain_file_is_refused_not_read(capsys, workspace_copy):
    os.mkfifo(workspace_copy / "graphs" / "x.toml")
    code, _, err = run(capsys, "chains", "--workspace", str(workspace_copy))   # would hang if it were opened
    assert code == 2 and "x.toml" in _one_line(err) and "不是普通文件" in err


def test_a_read_only_workspace_says_so():
    """Run as an unprivileged user when the tests run as root (root ignores permissions), in a real process."""
    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="chainmap-ro-"))   # pytest's tmp_path is private to its user
    top.chmod(0o755)
    ws = top / "ws"
    load_folder(bundled_workspace(), ws).close()
    ws.chmod(0o555)
    (ws / DB_NAME).chmod(0o444)
    cmd = [sys.executable, "-m", "chainmap.cli", "gaps", "--chain", "ebike", "--workspace", str(ws)]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    env = dict(os.environ, PYTHONPATH=str(bundled_workspace()), HOME=str(top))
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=top)
    ws.chmod(0o755)
    shutil.rmtree(top)
    assert r.returncode == 2, r.stderr
    assert "是只读的" in _one_line(r.stderr), r.stderr


def test_a_workspace_of_a_newer_chainmap_is_refused(capsys, tmp_path):
    import sqlite3

    ws = tmp_path / "ws"
    load_folder(bundled_workspace(), ws).close()
    with sqlite3.connect(ws / DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'format'")
    code, _, err = run(capsys, "chains", "--workspace", str(ws))
    assert code == 2 and "由较新版本的 chainmap 写入" in _one_line(err)
    code, _, err = run(capsys, "chains", "--workspace", str(ws), "--lang", "en")
    assert code == 2 and "newer chainmap" in _one_line(err)


def test_a_damaged_database_is_named(capsys, tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / DB_NAME).write_bytes(b"this is not a database, it is a spreadsheet someone renamed" * 100)
    code, _, err = run(capsys, "chains", "--workspace", str(ws))
    assert code == 2 and DB_NAME in _one_line(err) and "已损坏" in err


def test_a_folder_workspace_follows_its_files_until_it_is_edited(capsys, bare_workspace_copy):
    code, _, err = run(capsys, "chains", "--workspace", str(bare_workspace_copy))
    assert code == 0 and "数据库" in err     # made from the folder, and said so
    firms = bare_workspace_copy / "seeds" / "firms.csv"
    firms.write_text(firms.read_text(encoding="utf-8").replace("台铃科技股份有限公司", "台铃科技", 1),
                     encoding="utf-8")
    run(capsys, "chains", "--workspace", str(bare_workspace_copy))
    assert saved(bare_workspace_copy).firms.set_index("id").at["tailg", "name_zh"] == "台铃科技"   # no edits yet: re-read
    store = open_workspace(bare_workspace_copy)
    store.upsert("firms", store.tables().firms.query("id == 'tailg'").assign(notes="拜访"), author="李科长")
    store.close()
    firms.write_text(firms.read_text(encoding="utf-8").replace("台铃科技", "台铃", 1), encoding="utf-8")
    code, _, err = run(capsys, "chains", "--workspace", str(bare_workspace_copy))
    assert code == 2 and "而数据库此后也有编辑" in _one_line(err)
    kept = SqliteStore(bare_workspace_copy / DB_NAME).tables().firms.set_index("id")   # the database itself
    assert kept.at["tailg", "notes"] == "拜访" and kept.at["tailg", "name_zh"] == "台铃科技"   # nothing lost
