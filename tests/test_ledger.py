"""项目信息库 KPIs by the counting rules, checked against answers worked out by hand."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from chainmap.analysis.ledger import (STAGES, advance_stage, kpis_by_chain, ledger_completeness, ledger_issues,
                                      ledger_kpis, next_stage, projects_to_events, signed_mask, stage_summary,
                                      time_share)
from chainmap.io.schemas import SPECS

NAN = float("nan")


def ledger(rows: list[dict]) -> pd.DataFrame:
    """A projects table in the spec's layout: blank strings and NaN where a row says nothing."""
    out = []
    for r in rows:
        rec = {}
        for c in SPECS["projects"].columns:
            rec[c.name] = r.get(c.name, NAN if c.kind == "float" else "")
        out.append(rec)
    return pd.DataFrame(out, columns=SPECS["projects"].names)


# Six projects of 2025–2026; the comments give what each one contributes to 2026.
PROJECTS = ledger([
    # signed 2026, started 2026: counted, started, ≥10亿
    dict(id="P1", name="高频高速覆铜板项目", investor_id="shengyi", investor_name="生益科技", chain="electronics",
         link_id="ccl", planned_yi=45.0, stage="动工", signing_kind="首次签约", signed_on="2026-03-08",
         started_on="2026-06-30", county="佛冈县", park="广佛冈产业园", responsible_unit="市工业和信息化局",
         lead_unit="市招商先锋队（东莞）", completed_yi=5.0, source="签约仪式报道"),
    # an expansion: only the increase (13.5亿) is in planned_yi; signed 2026, not started
    dict(id="P2", name="特种玻纤纱扩产", investor_id="kingboard", investor_name="建滔集团", chain="electronics",
         link_id="e_glass_yarn", planned_yi=13.5, stage="签约", signing_kind="增资扩产", signed_on="2026-05-20",
         county="佛冈县", responsible_unit="佛冈县", lead_unit="佛冈县"),
    # signed in 2025, started in 2026: belongs to 2025, not to 2026's rate
    dict(id="P3", name="高端电子铜箔项目", investor_id="jiayuan", investor_name="嘉元科技", chain="materials",
         link_id="copper_foil", planned_yi=30.0, stage="投产", signing_kind="首次签约", signed_on="2025-12-15",
         started_on="2026-02-01", county="清城区", responsible_unit="清城区", lead_unit="市投资促进局",
         completed_yi=12.0),
    # signed 2026 without an amount: counted, amount missing
    dict(id="P4", name="电动两轮车整车二期", investor_id="yadea", investor_name="雅迪控股", chain="ebike",
         link_id="vehicle", stage="注册", signing_kind="首次签约", signed_on="2026-09", county="佛冈县"),
    # still in talks: never counted, whatever its amount
    dict(id="P5", name="中置电机项目", investor_id="bafang", investor_name="八方电气(苏州)股份有限公司(八方股份)",
         chain="ebike", link_id="hub_motor", planned_yi=8.0, stage="洽谈"),
    # at 动工 but with no start date: counted as signed, not as started, flagged
    dict(id="P6", name="印制电路板项目", investor_id="wus", investor_name="沪电股份(沪士电子)", chain="electronics",
         link_id="pcb", planned_yi=12.0, stage="动工", signing_kind="首次签约", signed_on="2026-01-10",
         county="英德市", responsible_unit="英德市", lead_unit="市招商先锋队（深圳）"),
])


def test_kpis_of_2026_by_the_counting_rules():
    k = ledger_kpis(PROJECTS, 2026, target_yi=800)
    assert k["n_signed"] == 4                          # P1 P2 P4 P6
    assert k["planned_yi"] == 45 + 13.5 + 12           # P4 has no amount: 70.5
    assert k["n_amount_missing"] == 1
    assert k["n_started"] == 1                         # only P1 signed and started in 2026
    assert k["start_rate"] == 0.25                     # 1 ÷ 4
    assert k["n_start_date_missing"] == 1              # P6
    assert k["n_ge_10yi"] == 3                         # P1 45, P2 13.5, P6 12
    assert k["completed_yi"] == 5 + 12                 # every signed project: P1 and P3
    assert k["completed_yi_signed"] == 5               # the year's signings only
    assert k["progress"] == pytest.approx(70.5 / 800)


def test_a_project_signed_last_year_counts_for_last_year():
    k = ledger_kpis(PROJECTS, 2025)
    assert (k["n_signed"], k["planned_yi"], k["n_started"], k["start_rate"]) == (1, 30.0, 0, 0.0)
    assert k["progress"] is None, "no target given"


def test_a_year_with_no_signing_has_no_start_rate():
    k = ledger_kpis(PROJECTS, 2024, target_yi=800)
    assert (k["n_signed"], k["planned_yi"], k["start_rate"], k["progress"]) == (0, 0.0, None, 0.0)


def test_dates_given_as_a_year_or_a_month_count_in_that_year():
    p = ledger([dict(id="A", stage="动工", signed_on="2026", started_on="2026-11", planned_yi=1.0)])
    assert ledger_kpis(p, 2026)["start_rate"] == 1.0


def test_a_lead_with_a_date_typed_in_is_not_a_signing():
    p = ledger([dict(id="A", stage="线索", signed_on="2026-02-01", planned_yi=100.0)])
    assert not signed_mask(p, 2026).any() and ledger_kpis(p, 2026)["planned_yi"] == 0


def test_bundled_2025_signings_have_no_amount_yet(bundled):
    k = ledger_kpis(bundled.projects, 2025)
    assert (k["n_signed"], k["planned_yi"], k["n_amount_missing"]) == (2, 0.0, 2)  # 粤实电子, 楚江铜业


def test_kpis_per_chain():
    by = kpis_by_chain(PROJECTS, 2026, ["ebike", "electronics", "materials"]).set_index("chain")
    assert by.loc["electronics", "n_signed"] == 3 and by.loc["electronics", "planned_yi"] == 70.5
    assert by.loc["ebike", "n_signed"] == 1 and by.loc["ebike", "n_amount_missing"] == 1
    assert by.loc["materials", "n_signed"] == 0 and pd.isna(by.loc["materials", "start_rate"])


def test_stage_summary_is_in_stage_order():
    s = stage_summary(PROJECTS)
    assert list(s["stage"]) == list(STAGES)
    row = s.set_index("stage")
    assert row.loc["动工", "n"] == 2 and row.loc["动工", "planned_yi"] == 57.0   # P1 + P6
    assert row.loc["注册", "n"] == 1 and row.loc["注册", "planned_yi"] == 0.0     # P4, amount unknown
    assert row.loc["达产", "n"] == 0


def test_advancing_fills_the_signing_and_start_dates_once():
    talks = PROJECTS.set_index("id").loc["P5"].to_dict() | {"id": "P5"}
    signed = advance_stage(talks, "2026-11-26")
    assert signed["stage"] == "签约" and signed["signed_on"] == "2026-11-26"
    land = dict(signed, stage="供地")
    started = advance_stage(land, "2026-12-01")
    assert started["stage"] == "动工" and started["started_on"] == "2026-12-01"
    assert started["signed_on"] == "2026-11-26", "an existing date is kept"
    assert advance_stage(dict(started, started_on="2026-11-30"), "2027-01-01")["started_on"] == "2026-11-30"
    with pytest.raises(ValueError, match="last stage"):
        advance_stage({"id": "X", "stage": "达产"}, "2026-11-26")
    assert [next_stage(s) for s in STAGES] == [*STAGES[1:], None]


def test_issues_name_the_missing_fields_by_stage():
    issues = ledger_issues(PROJECTS).set_axis(PROJECTS["id"])
    assert issues["P1"] == ""
    assert issues["P4"] == "缺计划总投资、责任单位、线索来源单位"
    assert issues["P5"] == "缺责任单位、线索来源单位"            # a project in talks needs no dates yet
    assert issues["P6"] == "缺动工时间"
    bad = ledger([dict(id="Z", stage="动工", investor_name="甲", link_id="ccl", planned_yi=1.0, responsible_unit="乙",
                       lead_unit="丙", signed_on="2026-05-01", started_on="2026-04-01", county="清城区")])
    assert ledger_issues(bad).iloc[0] == "动工时间早于签约时间"


def test_completeness_counts_needed_fields_only():
    # P1 needs 8 fields (at 动工) and has all; P5 needs 5 (in talks) and has 3.
    two = PROJECTS[PROJECTS["id"].isin(["P1", "P5"])]
    assert ledger_completeness(two) == pytest.approx((8 + 3) / (8 + 5))
    assert ledger_completeness(PROJECTS.iloc[0:0]) == 0.0


def test_signed_projects_become_dated_events():
    ev = projects_to_events(PROJECTS)
    assert list(ev["project_id"]) == ["P3", "P6", "P1", "P2", "P4"]   # by signing date; P5 is not signed
    first = ev.iloc[0]
    assert (first["firm_id"], first["firm_name"], first["date"], first["chain"], first["link_id"]) == \
        ("jiayuan", "嘉元科技", "2025-12-15", "materials", "copper_foil")
    assert first["amount_yi"] == 30.0
    assert np.isnan(ev.set_index("project_id").loc["P4", "amount_yi"])
    assert ev.set_index("project_id").loc["P2", "signing_kind"] == "增资扩产"
    assert ev.set_index("project_id").loc["P1", "source"] == "签约仪式报道"


def test_time_share_of_the_year():
    assert time_share(dt.date(2026, 1, 1)) == pytest.approx(1 / 365)
    assert time_share(dt.date(2028, 12, 31)) == 1.0   # a leap year


# ------------------------------------------------------------ the honest headline (issue 15)
def test_year_list_never_skips_a_year():
    from chainmap.analysis.ledger import year_range

    # the bundled ledger signs in 2023 and 2025 only; 2024 (a year with a lead but no signing) must still be there
    assert year_range([2023, 2025, 2025, None], 2026) == [2026, 2025, 2024, 2023]
    assert year_range([2027], 2026) == [2027, 2026], "a year signed ahead of the calendar stays choosable"


def test_pace_line_is_target_times_the_share_of_the_year_elapsed():
    from chainmap.analysis.ledger import pace

    share, due = pace(800, 2026, dt.date(2026, 12, 1))   # day 335 of 365
    assert share == pytest.approx(335 / 365) and due == pytest.approx(800 * 335 / 365)
    assert pace(800, 2025, dt.date(2026, 12, 1)) == (1.0, 800.0)
    assert pace(None, 2026, dt.date(2026, 7, 1))[1] is None


def test_monthly_curve_cumulates_the_years_signings_and_stops_today():
    from chainmap.analysis.ledger import monthly_cumulative

    m = monthly_cumulative(PROJECTS, 2026, 800, on=dt.date(2026, 10, 15)).set_index("month")
    # 2026 signings: P6 2026-01 12亿, P1 2026-03 45亿, P2 2026-05 13.5亿, P4 2026-09 (no amount); P3 is 2025's
    assert m["n"].tolist() == [1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    assert m.loc[[1, 3, 5, 9, 10], "cum_yi"].tolist() == [12.0, 57.0, 70.5, 70.5, 70.5]
    assert m.loc[11:, "cum_yi"].isna().all(), "no figure for the months still to come"
    assert m.loc[12, "plan_yi"] == pytest.approx(800.0)
    assert m.loc[6, "plan_yi"] == pytest.approx(800 * 181 / 365)
    assert monthly_cumulative(PROJECTS, 2026)["plan_yi"].isna().all(), "no target, no plan line"


def test_stage_chart_rows_belong_to_the_chosen_year_only():
    from chainmap.analysis.ledger import year_rows

    y26 = PROJECTS.loc[year_rows(PROJECTS, 2026, 2026), "id"].tolist()
    y25 = PROJECTS.loc[year_rows(PROJECTS, 2025, 2026), "id"].tolist()
    assert y26 == ["P1", "P2", "P4", "P5", "P6"] and y25 == ["P3"]
    assert stage_summary(PROJECTS[year_rows(PROJECTS, 2025, 2026)])["n"].sum() == 1


def test_county_scoreboard_against_an_even_share_of_the_target():
    from chainmap.analysis.ledger import scoreboard

    shares = {c: 0.125 for c in ("清城区", "佛冈县", "英德市")}
    b = scoreboard(["清城区", "佛冈县", "英德市"], PROJECTS, 2026, PROJECTS["county"], 800, shares).set_index("unit")
    assert b.loc["佛冈县", ["n_signed", "planned_yi", "due_yi"]].tolist() == [3, 58.5, 100.0]
    assert b.loc["佛冈县", "progress"] == pytest.approx(0.585)
    assert b.loc["英德市", "planned_yi"] == 12.0 and b.loc["清城区", "n_signed"] == 0   # 清城's P3 is a 2025 signing
    assert b["visits"].isna().all(), "counties have no visits"


def test_team_scoreboard_counts_follow_ups_as_leads_and_visits_in_the_year():
    from chainmap.analysis.ledger import scoreboard

    dg, sz = "市招商先锋队（东莞）", "市招商先锋队（深圳）"
    fu = pd.DataFrame({"firm_id": ["shengyi", "goldenmax", "nanya", "avary"], "chain": ["electronics"] * 4,
                       "status": ["已拜访", "已联系", "有意向", "已拜访"], "team": [dg, dg, dg, sz],
                       "contact_date": ["2026-04-02", "2026-05-11", "2025-11-20", "2026-02"]})
    b = scoreboard([dg, sz], PROJECTS, 2026, PROJECTS["lead_unit"], 800, {dg: 0.016}, fu).set_index("unit")
    assert b.loc[dg, ["leads", "visits", "n_signed", "planned_yi"]].tolist() == [3, 1, 1, 45.0]
    assert b.loc[dg, "due_yi"] == pytest.approx(12.8) and b.loc[dg, "progress"] == pytest.approx(45 / 12.8)
    assert b.loc[sz, ["leads", "visits", "n_signed", "planned_yi"]].tolist() == [1, 1, 1, 12.0]
    assert pd.isna(b.loc[sz, "due_yi"]), "no share given, none made up"
