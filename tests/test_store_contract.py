"""One contract, run against every GraphStore backend (as networkx re-runs its suite per backend).

The ``store_factory`` fixture yields a function that makes an empty store of one
backend; conftest parametrises it over the backends available.
"""
import pandas as pd
import pytest

from chainmap.analysis import gap_analysis
from chainmap.io import InputError, parse_workspace
from chainmap.store import GraphStore
from tests.worlds import pcb_world


def assert_same_tables(a, b):
    for name, df in a.items():
        other = getattr(b, name)
        pd.testing.assert_frame_equal(df, other, obj=name)


def test_store_follows_the_protocol(store_factory):
    assert isinstance(store_factory(), GraphStore)


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
    for chain in bundled.chains["id"]:
        pd.testing.assert_frame_equal(gap_analysis(store.tables(), chain), gap_analysis(bundled, chain))


def test_upsert_adds_and_updates_by_key(store_factory):
    store = store_factory()
    store.load(parse_workspace(pcb_world()))
    row = pd.DataFrame([{"link_id": "resin", "assessed_on": "2026-11-20", "method": "走访", "source": "招商局摸排",
                         "notes": ""}])
    store.upsert("assessments", row)
    assert "resin" in set(store.tables().assessments["link_id"])
    store.upsert("assessments", row.assign(method="电话核实"))
    a = store.tables().assessments.set_index("link_id")
    assert a.loc["resin", "method"] == "电话核实" and len(a) == 3


def test_bad_upsert_changes_nothing(store_factory):
    store = store_factory()
    store.load(parse_workspace(pcb_world()))
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
    t = parse_workspace(pcb_world())
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
    store.load(parse_workspace(pcb_world()))
    mine = store.tables().assessments.query("link_id == 'pcb'")        # two officers open the same record
    theirs = mine.copy()
    store.upsert("assessments", theirs.assign(method="电话核实"), expected=theirs)   # the first saves
    with pytest.raises(ConflictError, match="changed by someone else"):
        store.upsert("assessments", mine.assign(method="实地走访"), expected=mine)    # the second is told
    assert store.tables().assessments.set_index("link_id").loc["pcb", "method"] == "电话核实"


def test_new_record_conflicts_if_someone_created_it_first(store_factory):
    from chainmap.store import ConflictError

    store = store_factory()
    store.load(parse_workspace(pcb_world()))
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


def test_generated_world_round_trips_with_identical_gaps_and_ranking(store_factory, generated):
    from chainmap.scoring import TargetScorer

    store = store_factory()
    store.load(generated)
    got = store.tables()
    assert_same_tables(got, generated)
    for chain in generated.chains["id"]:
        pd.testing.assert_frame_equal(gap_analysis(got, chain), gap_analysis(generated, chain))
    ours, theirs = TargetScorer().fit(got), TargetScorer().fit(generated)
    for chain in generated.chains["id"]:
        pd.testing.assert_frame_equal(ours.rank(chain, top=50), theirs.rank(chain, top=50))


def test_bundled_ranking_is_the_same_on_every_backend(store_factory, bundled):
    from chainmap.scoring import TargetScorer

    store = store_factory()
    store.load(bundled)
    a, b = TargetScorer().fit(store.tables()), TargetScorer().fit(bundled)
    for chain in bundled.chains["id"]:
        pd.testing.assert_frame_equal(a.rank(chain, top=None), b.rank(chain, top=None))
