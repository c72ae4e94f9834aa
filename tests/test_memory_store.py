"""What only the embedded store does: its networkx graph and its workspace folder."""
import os

import pytest

from chainmap.io import read_workspace
from chainmap.store.mapping import from_records
from chainmap.store.memory import MemoryStore
from tests.test_store_contract import assert_same_tables


def test_the_graph_is_the_store(bundled):
    store = MemoryStore(bundled)
    g = store.graph
    assert g.nodes["Firm", "kingboard"]["name_zh"] == "建滔集团"
    edges = g.get_edge_data(("Firm", "kingboard"), ("Link", "e_glass_yarn"))
    assert any(d["type"] == "OPERATES_IN" and d.get("chain_leader") for d in edges.values())
    assert g.has_edge(("Link", "copper_foil"), ("Link", "ccl"))
    assert_same_tables(from_records(store.records()), bundled)


def test_save_then_open_round_trips(tmp_path, bundled):
    MemoryStore(bundled).save(tmp_path)
    assert_same_tables(MemoryStore.open(tmp_path).tables(), bundled)


def test_a_crash_while_saving_leaves_the_previous_files(tmp_path, bundled, monkeypatch):
    store = MemoryStore(bundled, tmp_path)
    store.save()
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    store.upsert("assessments", bundled.assessments.head(1).assign(method="中途崩溃前的修改"))

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        store.save()
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # old files intact, no temporary files left behind
    assert_same_tables(read_workspace(tmp_path), bundled)


def test_save_needs_a_folder(bundled):
    with pytest.raises(ValueError, match="no workspace folder"):
        MemoryStore(bundled).save()


def test_the_audit_trail_is_saved_with_the_workspace(tmp_path, bundled):
    store = MemoryStore(bundled, tmp_path)
    row = bundled.firms.query("id == 'tailg'").assign(notes="2026年3月拜访：有扩产意向")
    cs = store.upsert("firms", row, author="李科长", action="app: firm profile")
    store.save()
    again = MemoryStore.open(tmp_path)
    h = again.history(key="tailg")
    assert h["change_set"].tolist() == [cs] and h["author"].tolist() == ["李科长"]
    assert "有扩产意向" in h["after"].iloc[0] and "有扩产意向" not in h["before"].iloc[0]
    assert (tmp_path / "seeds" / "changes.csv").read_text(encoding="utf-8").count("\n") == 2
