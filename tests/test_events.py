"""Events as data: the shared layout read and matched, outsiders kept as misses, and a roll-back that cannot leak."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import saved

from chainmap.cli import main
from chainmap.io import InputError, read_workspace
from chainmap.io.events import Home, parse_events
from chainmap.learn.backtest import as_of, backtest
from chainmap.learn.signals import event_signals
from chainmap.scoring import ScoringParams, TargetScorer

HEADER = ("date,firm_name_zh,firm_full_name,stock_code,project,city,province,in_guangdong,chain,link_hint,amount_yi,"
          "kind,source,verified,notes\n")
# Real rows of shared/data/events/events_2019_2024.csv (爱玛 兰州, 景旺 珠海), plus one firm the library lacks
# (奥士康, a real PCB maker absent from the bundled library) and one row with a broken date.
ROWS = [
    "2024-05-31,爱玛,爱玛科技集团股份有限公司,603529.SH,爱玛兰州新区产业园,兰州新区,甘肃,no,ebike,电动两轮车整车,20,"
    "new_plant,http://www.thelatenighthour.com/detail/1717155780129390.html,yes,",
    "2023-06,景旺,景旺电子科技(珠海)有限公司,,珠海金湾基地HDI工厂,珠海,广东,yes,electronics,PCB(HDI),,expansion,"
    "https://cfi.cn/p20250825000737.html,partial,",
    "2019,奥士康,奥士康科技股份有限公司,002913.SZ,肇庆奥士康科技产业园,肇庆新区,广东,yes,electronics,PCB,35,new_plant,"
    "http://en.plainvim.com.cn/cmscontent/421.html,partial,",
    "2023-02-30,欣旺达,,300207.SZ,x,南京,江苏,no,ebike,动力锂电池,,new_plant,https://js.cri.cn/x.html,yes,",
]


def shared_file(rows=ROWS) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_shared_events_match_firms_by_code_then_name_and_links_by_hint(bundled):
    ef = parse_events(shared_file(), "events.csv", bundled, Home("清远", "广东"))
    e = ef.events.set_index("firm_name")
    assert e.loc["爱玛", ["firm_id", "firm_method", "link_id"]].tolist() == ["aima", "stock_code", "vehicle"]
    assert e.loc["景旺", "firm_id"] == "kinwong" and e.loc["景旺", "firm_method"] != "stock_code"
    assert e.loc["景旺", "link_id"] == "pcb" and e.loc["景旺", "place"] == "广东珠海"
    # The firm absent from the library is kept, unmatched, and reported: a backtest counts it as a miss.
    assert e.loc["奥士康", "firm_id"] == "" and e.loc["奥士康", "stock_code"] == "002913.SZ"
    report = ef.report()
    assert report["firm_name"].tolist() == ["奥士康"] and report["unmatched"].tolist() == ["firm"]
    assert ef.coverage()["a_share_events"] == 2 and ef.coverage()["a_share_firm"] == 0.5
    # The broken date is one problem naming file, row and column; its row is left out.
    assert [(p.file, p.row, p.column) for p in ef.problems] == [("events.csv", 5, "date")]
    assert len(ef.events) == 3


def test_an_xlsx_events_workbook_reads_like_the_csv(bundled):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["投资事件（公开报道）"])  # a title row above the header, as officers' workbooks have
    for line in (HEADER + "\n".join(ROWS)).splitlines():
        ws.append(next(iter(pd.read_csv(io.StringIO(line), header=None, dtype=str, keep_default_na=False)
                            .itertuples(index=False))))
    buf = io.BytesIO()
    wb.save(buf)
    ef = parse_events(buf.getvalue(), "events.xlsx", bundled)
    from_csv = parse_events(shared_file(), "events.csv", bundled)
    assert ef.events["firm_id"].tolist() == from_csv.events["firm_id"].tolist()
    assert [(p.row, p.column) for p in ef.problems] == [(6, "date")]  # Excel's row: the title row counts


def test_the_bundled_events_file_reads_back_whole(bundled):
    from chainmap.io.workspace import format_workspace

    data = format_workspace(bundled)["seeds/events.csv"]
    ef = parse_events(data, "seeds/events.csv", bundled)
    assert ef.layout == "bundled" and ef.problems == []
    assert len(ef.events) == len(bundled.events) and (ef.events["firm_id"] != "").all()
    pd.testing.assert_series_equal(ef.matched["link_id"], bundled.events["link_id"].reset_index(drop=True),
                                   check_dtype=False, check_names=False)


def test_a_file_of_neither_layout_names_its_missing_columns(bundled):
    with pytest.raises(InputError, match="missing column.*firm_name_zh"):
        parse_events(b"date,name,chain\n2024,x,ebike\n", "wrong.csv", bundled)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_events_saves_the_matched_once_and_reports_the_rest(capsys, workspace_copy, tmp_path):
    f = tmp_path / "ev.csv"
    f.write_bytes(shared_file())
    before = len(read_workspace(workspace_copy).events)
    code, out, err = run(capsys, "import", "events", str(f), "--workspace", str(workspace_copy), "--author", "t")
    assert code == 0, err
    assert "奥士康" in out and "企业不在库" in out and "已保存 2 条" in err
    assert "第 5 行，「date」：不是有效的日历日期：'2023-02-30'" in err  # said in the user's language (zh by default)
    after = saved(workspace_copy).events
    assert len(after) == before + 2 and {"aima", "kinwong"} <= set(after.loc[after["date"] >= "2023-06", "firm_id"])
    code, _, err = run(capsys, "import", "events", str(f), "--workspace", str(workspace_copy), "--author", "t")
    assert code == 0 and "无需保存" in err and len(saved(workspace_copy).events) == before + 2


def test_an_investor_outside_the_library_is_a_miss_not_dropped(bundled):
    ef = parse_events(shared_file(), "events.csv", bundled)
    bt = backtest(bundled, cutoff="2019-01-01", events=ef.events, n_boot=0, learned=False)
    r = bt.ranks[(bt.ranks["method"] == "稳健") & (bt.ranks["chain"] == "electronics")].set_index("firm_id")
    outsider = r.loc["?奥士康"]
    assert outsider["rank"] == outsider["n_candidates"] + 1 and outsider["ap"] == 0.0
    row = bt.metrics.set_index(["method", "chain"]).loc[("稳健", "electronics")]
    assert row["n_events"] == 2 and row["coverage"] == 0.5


def plant_the_future(t, cutoff: str):
    """Facts dated on or after ``cutoff``: a new firm (founded and listed later, placed and honoured), a later
    plant, honour, signal and event of an existing firm. None may reach a snapshot taken at ``cutoff``."""
    year = int(cutoff[:4])
    firm = t.firms.iloc[[0]].assign(id="future_co", name_zh="未来新材料", stock_code="", products="电子铜箔")
    firms = pd.concat([t.firms.assign(founded_on=""), firm.assign(founded_on=f"{year}-03-01")], ignore_index=True)
    ops = pd.concat([t.operations, t.operations.iloc[[0, 1]].assign(
        firm_id=["future_co", "sunwoda"], link_id=["copper_foil", "copper_foil"], local=[True, True],
        since=[f"{year}-04", f"{year}-06-01"])], ignore_index=True)
    hon = pd.concat([t.honours, t.honours.iloc[[0, 0]].assign(
        firm_id=["future_co", "sunwoda"], list=["FG500", "FG500"], year=[year, year + 1])], ignore_index=True)
    sig = pd.concat([t.signals, t.signals.iloc[[0]].assign(firm_id="sunwoda", date=f"{year}-02-01")],
                    ignore_index=True)
    ev = pd.concat([t.events, t.events.iloc[[0]].assign(id="E-future", firm_id="sunwoda", chain="materials",
                                                        link_id="copper_foil", date=cutoff, place="广东清远")],
                   ignore_index=True)
    rel = pd.concat([t.relations, t.relations.iloc[[0]].assign(src="future_co", dst="kingboard",
                                                               type="SUPPLIES_TO")], ignore_index=True)
    return t.replace(firms=firms, operations=ops, honours=hon, signals=sig, events=ev, relations=rel)


def test_facts_dated_after_the_cutoff_change_nothing_in_the_ranking(bundled):
    cutoff = "2023-01-01"
    planted = plant_the_future(bundled, cutoff)
    clean, dirty = as_of(bundled, cutoff), as_of(planted, cutoff)
    assert "future_co" not in set(dirty.firms["id"]) and "future_co" not in set(dirty.relations["src"])
    home = Home("清远", "广东", ("湖南",))
    a = TargetScorer(ScoringParams(as_of=cutoff)).fit(clean)
    b = TargetScorer(ScoringParams(as_of=cutoff)).fit(dirty)
    for chain in ("ebike", "electronics", "materials"):
        np.testing.assert_array_equal(a.score(chain, "稳健")[0], b.score(chain, "稳健")[0])
        sa, sb = event_signals(clean, cutoff, chain, home), event_signals(dirty, cutoff, chain, home)
        for k in sa:
            np.testing.assert_array_equal(sa[k], sb[k], err_msg=k)
    # And the whole backtest of the held-out year ranks every investor where it did without the plants.
    kw = dict(cutoff=cutoff, n_boot=0, home=home, baselines=("biggest", "relatedness", "recent"), signals=True)
    # (The planted event is itself a held-out investor: it adds its own rows, and nothing else changes.)
    key = ["method", "fold", "chain", "firm_id"]
    ra, rb = backtest(bundled, **kw).ranks, backtest(planted, **kw).ranks
    both = ra.merge(rb, on=key, how="outer", suffixes=("", "_planted"), indicator=True)
    assert set(both.loc[both["_merge"] != "both", "firm_id"]) <= {"sunwoda"}
    assert set(both.loc[both["_merge"] == "right_only", "chain"]) == {"materials"}
    same = both[both["_merge"] == "both"]
    assert len(same) == len(ra)
    assert (same["rank"] == same["rank_planted"]).all() and (same["n_candidates"] == same["n_candidates_planted"]).all()


def test_the_same_plants_before_the_cutoff_do_change_it(bundled):
    """The check above can fail: moved a year earlier, the planted facts enter the snapshot."""
    planted = plant_the_future(bundled, "2022-01-01")
    dirty = as_of(planted, "2023-01-01")
    assert "future_co" in set(dirty.firms["id"])
    a = TargetScorer(ScoringParams(as_of="2023-01-01")).fit(as_of(bundled, "2023-01-01"))
    b = TargetScorer(ScoringParams(as_of="2023-01-01")).fit(dirty)
    assert not np.array_equal(np.nan_to_num(a.score("materials", "稳健")[0]),
                              np.nan_to_num(b.score("materials", "稳健")[0][: len(a.firm_index_)]))


def test_recent_expanders_rank_the_latest_investor_first(bundled):
    bt = backtest(bundled, cutoff="2024-01-01", n_boot=0, learned=False, baselines=("recent",))
    r = bt.ranks[bt.ranks["method"] == "recent"]
    assert len(r) and "recent" in set(bt.metrics["method"])
    from chainmap.learn.signals import recent_expanders
    snap = as_of(bundled, "2024-01-01")
    score = recent_expanders(snap.firms["id"], snap.events, "2024-01-01")
    ids = snap.firms["id"].to_numpy()
    last = snap.events[snap.events["date"] >= "2022"].sort_values("date").iloc[-1]["firm_id"]
    assert ids[np.nanargmax(score)] == last
    assert np.isnan(score[list(ids).index("amer")])  # no event in 2022–2023


def test_gravity_reads_the_home_from_data_not_code(bundled):
    here = event_signals(bundled, "2024-01-01", "ebike", Home("清远", "广东", ("广西",)))["gravity"]
    elsewhere = event_signals(bundled, "2024-01-01", "ebike", Home("天津", "天津", ("河北", "北京")))["gravity"]
    ids = list(bundled.firms["id"])
    assert here[ids.index("xiaodao")] == 1.0 and elsewhere[ids.index("xiaodao")] == 0.0
    assert elsewhere[ids.index("aima")] == 1.0  # 爱玛's HQ is in 天津
    assert not event_signals(bundled, "2024-01-01", "ebike")["gravity"].any()


def test_cli_backtest_on_an_events_file_reports_coverage_and_contributions(capsys, tmp_path):
    f = tmp_path / "ev.csv"
    f.write_bytes(shared_file())
    code, out, err = run(capsys, "backtest", "--events", str(f), "--cutoff", "2023-01-01", "--boot", "50",
                         "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    rows = {(r["method"], r["chain"]): r for r in doc["metrics"]}
    assert {"recent", "biggest", "relatedness", "稳健"} <= {m for m, _ in rows}
    assert rows[("稳健", "all")]["n_events"] == 2 and 0 < rows[("稳健", "all")]["coverage"] <= 1
    assert "A股代码" in err


def test_cli_backtest_years_hold_out_only_those_folds_and_refuse_a_cutoff_beside_them(capsys):
    code, out, err = run(capsys, "backtest", "--years", "2022-2023", "--boot", "0", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["folds"] == ["2022", "2023"]
    code, _, err = run(capsys, "backtest", "--years", "2022-2023", "--cutoff", "2024-01-01")
    assert code == 2 and "只能二选一" in err
    code, _, err = run(capsys, "backtest", "--years", "2022-2023", "--cutoff", "2024-01-01", "--lang", "en")
    assert code == 2 and "not both" in err
