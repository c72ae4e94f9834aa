"""One contract, run against every GraphStore backend (as networkx re-runs its suite per backend).

Import it into a test module and give it a ``store_factory`` fixture: a function
that makes an empty store of your backend. chainmap's own suite parametrises
it over the memory, SQLite and Neo4j stores (``tests/test_store_contract.py``);
a third backend runs the same checks with::

    # tests/test_my_store.py
    import pytest
    from chainmap.testing.store_contract import *  # noqa: F401,F403

    @pytest.fixture
    def store_factory(tmp_path):
        return lambda: MyStore(tmp_path / "db")
"""
import functools

import pandas as pd
import pytest

from chainmap.analysis import gap_analysis
from chainmap.io import InputError, bundled_workspace, parse_workspace, read_workspace
from chainmap.model import TABLE_NAMES
from chainmap.store import GraphStore
from chainmap.testing.worlds import pcb_world


@pytest.fixture(scope="session")
def bundled():
    """The bundled workspace's tables, read once."""
    return read_workspace(bundled_workspace())


@functools.lru_cache(maxsize=1)
def _pcb_parsed():
    return parse_workspace(pcb_world())


def _pcb():
    """The miniature PCB world's tables, parsed once (0.2 s each time); every caller gets its own copy."""
    t = _pcb_parsed()
    return t.replace(**{name: getattr(t, name).copy() for name in TABLE_NAMES})


def assert_same_tables(a, b):
    for name, df in a.items():
        other = getattr(b, name)
        pd.testing.assert_frame_equal(df, other, obj=name)


def test_store_follows_the_protocol(store_factory):
    assert isinstance(store_factory(), GraphStore)


def test_the_version_changes_with_every_load_and_write(store_factory):
    store = store_factory()
    store.load(_pcb())
    seen = {store.version()}
    assert store.version() in seen, "reading changes nothing"
    store.upsert("assessments", store.tables().assessments.head(1).assign(method="电话核实"), author="李科长")
    seen.add(store.version())
    store.load(_pcb())
    seen.add(store.version())
    assert len(seen) == 3 and isinstance(store.describe(), str)


def test_load_then_tables_returns_the_same_tables(store_factory, bundled):
    store = store_factory()
    store.load(bundled)
    assert_same_tables(store.tables(), bundled)


def test_counts_per_label_and_type(store_factory, bundled):
    store = store_factory()
    store.load(bundled)
    c = store.counts()
    assert c["Firm"] == len(bundled.firms) and c["Link"] == len(bundled.links)
    assert c["OPERATES_IN"] == len(bundled.operations) and c["SUPPLIES"] == len(bundled.edges)
    assert c["PART_OF"] + c["SUPPLIES_TO"] == len(bundled.relations)


def test_loading_twice_is_idempotent(store_factory, bundled):
    store = store_factory()
    store.load(bundled)
    first = store.counts()
    store.load(bundled)
    assert store.counts() == first


def test_gap_results_are_the_same_as_from_the_tables(store_factory, bundled):
    store = store_factory()
    store.load(bundled)
    got = store.tables()   # one read serves every chain (a Neo4j read is a round trip and a rebuild)
    for chain in bundled.chains["id"]:
        pd.testing.assert_frame_equal(gap_analysis(got, chain), gap_analysis(bundled, chain))


def test_upsert_adds_and_updates_by_key(store_factory):
    store = store_factory()
    store.load(_pcb())
    row = pd.DataFrame([{"link_id": "resin", "assessed_on": "2026-11-20", "method": "走访", "source": "招商局摸排",
                         "notes": ""}])
    store.upsert("assessments", row)
    assert "resin" in set(store.tables().assessments["link_id"])
    store.upsert("assessments", row.assign(method="电话核实"))
    a = store.tables().assessments.set_index("link_id")
    assert a.loc["resin", "method"] == "电话核实" and len(a) == 3


def test_bad_upsert_changes_nothing(store_factory):
    store = store_factory()
    store.load(_pcb())
    before = store.tables()
    bad = pd.DataFrame([{"firm_id": "kingboard", "link_id": "no_such_link", "local": True, "entity": "",
                         "location": "", "output_yi": float("nan"), "chain_leader": False, "since": "",
                         "source": "x", "verified": "", "notes": ""}])
    with pytest.raises(InputError, match="unknown link 'no_such_link'"):
        store.upsert("operations", bad)
    assert_same_tables(store.tables(), before)


def test_failed_load_leaves_the_store_as_it_was(store_factory, bundled):
    store = store_factory()
    store.load(bundled)
    broken = bundled.replace(operations=bundled.operations.assign(
        output_yi=[-1.0] + [float("nan")] * (len(bundled.operations) - 1)))
    with pytest.raises(InputError, match="output_yi"):
        store.load(broken)
    assert_same_tables(store.tables(), bundled)


def test_values_that_look_like_code_are_stored_verbatim(store_factory):
    t = _pcb()
    evil = "x'}) DETACH DELETE n //"
    firms = t.firms.copy()
    firms.loc[firms["id"] == "grace", "name_zh"] = evil
    store = store_factory()
    store.load(t.replace(firms=firms))
    got = store.tables()
    assert got.firms.set_index("id").loc["grace", "name_zh"] == evil
    assert len(got.firms) == len(t.firms) and len(got.operations) == len(t.operations)


def test_concurrent_edit_of_the_same_record_is_a_conflict(store_factory):
    from chainmap.store import ConflictError

    store = store_factory()
    store.load(_pcb())
    mine = store.tables().assessments.query("link_id == 'pcb'")        # two officers open the same record
    theirs = mine.copy()
    store.upsert("assessments", theirs.assign(method="电话核实"), expected=theirs)   # the first saves
    with pytest.raises(ConflictError, match="changed by someone else"):
        store.upsert("assessments", mine.assign(method="实地走访"), expected=mine)    # the second is told
    assert store.tables().assessments.set_index("link_id").loc["pcb", "method"] == "电话核实"


def test_new_record_conflicts_if_someone_created_it_first(store_factory):
    from chainmap.store import ConflictError

    store = store_factory()
    store.load(_pcb())
    row = pd.DataFrame([{"firm_id": "grace", "chain": "pcbdemo", "status": "已联系", "person": "李科长",
                         "team": "", "contact_date": "2026-11-20", "notes": "", "updated_by": "", "updated_at": ""}])
    empty = row.iloc[0:0]
    store.upsert("followups", row, expected=empty)
    with pytest.raises(ConflictError):
        store.upsert("followups", row.assign(person="王主任"), expected=empty)
    assert store.tables().followups["person"].tolist() == ["李科长"]


@pytest.fixture(scope="module")
def generated():
    from chainmap.synth import synthetic_world

    return synthetic_world(n_chains=3, links_per_chain=15, n_firms=3_000, local_ops=400, seed=7)


def _rankings(tables, top):
    from chainmap.scoring import TargetScorer

    scorer = TargetScorer().fit(tables)
    return {chain: scorer.rank(chain, top=top) for chain in tables.chains["id"]}


@pytest.fixture(scope="module")
def generated_rankings(generated):
    """The generated world's top 50 per chain, scored from the tables themselves: once for every backend."""
    return _rankings(generated, 50)


@pytest.fixture(scope="module")
def bundled_rankings(bundled):
    """The bundled world's whole ranking per chain, scored from the tables themselves: once for every backend."""
    return _rankings(bundled, None)


def test_generated_world_round_trips_with_identical_gaps_and_ranking(store_factory, generated, generated_rankings):
    store = store_factory()
    store.load(generated)
    got = store.tables()
    assert_same_tables(got, generated)
    for chain in generated.chains["id"]:
        pd.testing.assert_frame_equal(gap_analysis(got, chain), gap_analysis(generated, chain))
    ours = _rankings(got, 50)
    assert list(ours) == list(generated_rankings)
    for chain, theirs in generated_rankings.items():
        pd.testing.assert_frame_equal(ours[chain], theirs)


def test_bundled_ranking_is_the_same_on_every_backend(store_factory, bundled, bundled_rankings):
    store = store_factory()
    store.load(bundled)
    ours = _rankings(store.tables(), None)
    assert list(ours) == list(bundled_rankings)
    for chain, theirs in bundled_rankings.items():
        pd.testing.assert_frame_equal(ours[chain], theirs)


# ------------------------------------------------------------ change sets and the audit trail
def _firm(fid: str, name: str, **kw) -> dict:
    row = {c: "" for c in ("name_en", "aliases", "hq_city", "hq_province", "hq_region", "products", "stock_code",
                           "verified", "notes")}
    return {**row, "id": fid, "name_zh": name, "revenue_yi": float("nan"), "revenue_year": pd.NA,
            "source": "2025年企业名录", **kw}


def _followup(fid: str, person: str) -> dict:
    return {"firm_id": fid, "chain": "pcbdemo", "status": "已联系", "person": person, "team": "",
            "contact_date": "2026-11-20", "notes": "", "updated_by": "", "updated_at": ""}


def _import_edits() -> dict:
    """An import of several tables: two new firms (建滔集团's laminate arm, 台铃科技) with a plant
    and a follow-up, and a new name for one firm that is already stored."""
    from chainmap.store import Edit

    firms = pd.DataFrame([_firm("kblaminates", "建滔积层板", hq_region="PRD"), _firm("tailg", "台铃科技")])
    return {
        "firms": Edit(upsert=firms),
        "operations": Edit(upsert=pd.DataFrame([{"firm_id": "kblaminates", "link_id": "ccl", "local": True,
                                                 "entity": "建滔（佛冈）积层板有限公司", "location": "佛冈",
                                                 "output_yi": 30.0, "chain_leader": False, "since": "2008",
                                                 "source": "2025年企业名录", "verified": "yes", "notes": ""}])),
        "followups": Edit(upsert=pd.DataFrame([_followup("tailg", "李科长")])),
        "assessments": Edit(delete=pd.DataFrame({"link_id": ["pcb"]})),
    }


def _fixed_clock():
    import datetime as dt
    import itertools

    ticks = itertools.count()
    return lambda: dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=next(ticks))


def test_write_applies_several_tables_and_records_one_audit_row_per_record(store_factory):
    store = store_factory()
    store.clock = _fixed_clock()
    store.load(_pcb())
    before = store.tables()
    cs = store.write(_import_edits(), author="李科长", action="import firms.xlsx")
    t = store.tables()
    assert {"kblaminates", "tailg"} <= set(t.firms["id"]) and "pcb" not in set(t.assessments["link_id"])
    h = store.history(change_set=cs)
    assert len(h) == 5 and set(h["author"]) == {"李科长"} and set(h["action"]) == {"import firms.xlsx"}
    assert h["at"].iloc[0].startswith("2026-03-01T08:") and h["at"].iloc[0].endswith("+00:00")
    ops = dict(zip(zip(h["table"], h["key"]), h["op"]))
    assert ops[("firms", '["tailg"]')] == "add" and ops[("assessments", '["pcb"]')] == "delete"
    firm = h[(h["table"] == "firms") & (h["key"] == '["tailg"]')].iloc[0]
    assert firm["before"] == "" and '"name_zh": "台铃科技"' in firm["after"]
    gone = h[h["table"] == "assessments"].iloc[0]
    assert gone["after"] == "" and '"link_id": "pcb"' in gone["before"]
    # The audit trail is part of the store's content; the other tables are as written.
    assert_same_tables(t.replace(changes=before.changes, firms=before.firms, operations=before.operations,
                                 followups=before.followups, assessments=before.assessments), before)


def test_an_import_of_several_tables_is_undone_as_one_unit(store_factory):
    store = store_factory()
    store.load(_pcb())
    before = store.tables()
    cs = store.write(_import_edits(), author="李科长", action="import firms.xlsx")
    undo = store.undo(cs, author="王主任")
    after = store.tables()
    assert_same_tables(after.replace(changes=before.changes), before)   # firms, plant, follow-up gone; pcb back
    h = store.history(change_set=undo)
    assert len(h) == 5 and set(h["action"]) == {f"undo {cs}"} and set(h["author"]) == {"王主任"}
    assert set(h.loc[h["table"] == "firms", "op"]) == {"delete"}
    assert list(store.history(key="tailg")["change_set"]) == [undo, undo, cs, cs]   # newest first


def test_a_failed_write_leaves_tables_and_history_unchanged(store_factory):
    from chainmap.store import Edit

    store = store_factory()
    store.load(_pcb())
    store.write(_import_edits(), author="李科长", action="import")
    before = store.tables()
    edits = _import_edits() | {"operations": Edit(upsert=pd.DataFrame([{
        "firm_id": "tailg", "link_id": "no_such_link", "local": True, "entity": "", "location": "",
        "output_yi": float("nan"), "chain_leader": False, "since": "", "source": "x", "verified": "", "notes": ""}]))}
    edits["firms"] = Edit(upsert=pd.DataFrame([_firm("tailg", "台铃科技（改名）")]))
    with pytest.raises(InputError, match="unknown link 'no_such_link'"):
        store.write(edits, author="李科长", action="import again")
    assert_same_tables(store.tables(), before)
    assert len(store.history()) == len(before.changes)


def test_write_honours_expected_rows_across_tables(store_factory):
    from chainmap.store import ConflictError, Edit

    store = store_factory()
    store.load(_pcb())
    seen = store.tables().assessments.query("link_id == 'pcb'")
    store.upsert("assessments", seen.assign(method="电话核实"), author="王主任")
    before = store.tables()
    with pytest.raises(ConflictError, match="pcb"):
        store.write({"assessments": Edit(delete=seen[["link_id"]]),
                     "firms": Edit(upsert=pd.DataFrame([_firm("tailg", "台铃科技")]))},
                    author="李科长", action="edit", expected={"assessments": seen})
    assert_same_tables(store.tables(), before)


def test_an_unchanged_upsert_records_nothing(store_factory):
    store = store_factory()
    store.load(_pcb())
    same = store.tables().firms.query("id == 'kingboard'")
    cs = store.upsert("firms", same, author="李科长")
    assert store.history(change_set=cs).empty and store.history().empty


def test_undo_after_a_later_edit_is_a_conflict_and_changes_nothing(store_factory):
    from chainmap.store import ConflictError

    store = store_factory()
    store.load(_pcb())
    cs = store.write(_import_edits(), author="李科长", action="import")
    store.upsert("followups", pd.DataFrame([_followup("tailg", "王主任")]), author="王主任")   # a later edit
    before = store.tables()
    with pytest.raises(ConflictError, match=r"tailg/pcbdemo.*changed or added after"):
        store.undo(cs, author="李科长")
    assert_same_tables(store.tables(), before)


def test_undo_refuses_to_orphan_records_added_later(store_factory):
    from chainmap.store import ConflictError

    store = store_factory()
    store.load(_pcb())
    cs = store.write(_import_edits(), author="李科长", action="import")
    later = pd.DataFrame([{**_followup("kblaminates", "王主任")}])
    store.upsert("followups", later, author="王主任")   # a follow-up of an imported firm
    with pytest.raises(ConflictError, match="kblaminates/pcbdemo"):
        store.undo(cs, author="李科长")
    assert "kblaminates" in set(store.tables().firms["id"])


def test_undo_of_an_update_restores_the_old_values_and_can_itself_be_undone(store_factory):
    store = store_factory()
    store.load(_pcb())
    original = store.tables()
    row = original.firms.query("id == 'kingboard'").assign(name_zh="建滔化工集团", revenue_yi=512.5)
    cs = store.upsert("firms", row, author="李科长", action="app: firm profile")
    h = store.history(table="firms", key=("kingboard",))
    assert h["op"].tolist() == ["update"] and '"name_zh": "建滔集团"' in h["before"].iloc[0]
    undo = store.undo(cs, author="王主任")
    assert_same_tables(store.tables().replace(changes=original.changes), original)
    store.undo(undo, author="王主任")   # redo
    assert store.tables().firms.set_index("id").at["kingboard", "name_zh"] == "建滔化工集团"


def test_undo_of_an_unknown_change_set_says_so(store_factory):
    from chainmap.store import StoreError

    store = store_factory()
    store.load(_pcb())
    with pytest.raises(StoreError, match="no change set 'nope'"):
        store.undo("nope", author="李科长")


def test_load_replaces_the_audit_trail_and_records_nothing(store_factory):
    store = store_factory()
    store.load(_pcb())
    store.write(_import_edits(), author="李科长", action="import")
    saved = store.tables()
    other = store_factory()
    other.load(saved)                      # e.g. `chainmap db load` of a workspace with history
    assert_same_tables(other.tables(), saved)
    other.load(_pcb())
    assert other.history().empty
