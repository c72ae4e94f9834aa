"""One partial-date type: precision, explicit anchors, the same errors as the importer, no leak in roll-backs."""
import datetime as dt

import pandas as pd
import pytest

from chainmap.io import parse_table
from chainmap.io.errors import InputError
from chainmap.io.schemas import is_date
from chainmap.io.values import parse_date
from chainmap.learn.backtest import as_of, when
from chainmap.model import ANCHORS, PartialDate, anchored


@pytest.mark.parametrize("text, precision, start, end, mid", [
    ("2025", "year", "2025-01-01", "2025-12-31", "2025-07-01"),
    ("2024-02", "month", "2024-02-01", "2024-02-29", "2024-02-15"),  # a leap February
    ("2023-02", "month", "2023-02-01", "2023-02-28", "2023-02-15"),
    ("2025-12", "month", "2025-12-01", "2025-12-31", "2025-12-15"),
    ("2025-09-16", "day", "2025-09-16", "2025-09-16", "2025-09-16"),
])
def test_precision_and_every_anchor(text, precision, start, end, mid):
    d = PartialDate.parse(text)
    assert d.precision == precision and d.iso == text == str(d)
    assert (d.start.isoformat(), d.end.isoformat(), d.mid.isoformat()) == (start, end, mid)
    assert [d.anchor(a).isoformat() for a in ANCHORS] == [start, end, mid]


def test_the_vectorised_form_agrees_with_the_scalar_one():
    texts = ["2025", "2024-02", "2023-02", "2025-12", "2025-09-16", "2000", "1999-11-30"]
    texts = texts + texts[::-1] + texts[2:5]   # repeated, as in a column: each distinct value is read once
    rows = range(10, 10 + len(texts))
    for a in ANCHORS:
        got = anchored(pd.Series(texts, index=rows, name="signed_on"), a)
        assert list(got.index) == list(rows) and got.name == "signed_on"  # the caller's rows and name are kept
        assert [t.date() for t in got] == [PartialDate.parse(t).anchor(a) for t in texts], a


def test_blank_missing_and_unreadable_values_are_nat_in_a_column():
    got = anchored(pd.Series(["", None, float("nan"), "soon", "2025-13", "2025"]), "end")
    assert got.isna().tolist() == [True, True, True, True, True, False]


@pytest.mark.parametrize("text, message", [
    ("2025-02-30", "not a calendar date: '2025-02-30'"),
    ("2025-13", "not a calendar date: '2025-13'"),
    ("2025/03/01", "not a date: '2025/03/01' (expected 2025, 2025-09 or 2025-09-01)"),
    ("25", "not a date: '25'"),
    ("", "not a date: ''"),
])
def test_bad_text_raises_a_valueerror_naming_it(text, message):
    with pytest.raises(ValueError) as info:
        PartialDate.parse(text)
    assert str(info.value).startswith(message)


def test_an_unknown_anchor_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="choose one of: start, end, mid"):
        PartialDate.parse("2025").anchor("middle")
    with pytest.raises(ValueError, match="choose one of: start, end, mid"):
        anchored(pd.Series(["2025"]), "first")


def test_the_importer_and_the_tables_read_dates_through_the_type():
    # What people type becomes the type's ISO text; what the type refuses, the importer refuses with its message.
    assert parse_date("2024年2月") == PartialDate(2024, 2).iso == "2024-02"
    assert PartialDate.parse(parse_date(45717)).start == dt.date(2025, 3, 1)
    with pytest.raises(ValueError, match="not a calendar date: '2025年2月30日'"):
        parse_date("2025年2月30日")
    assert is_date("2024-02-29") and not is_date("2023-02-29") and not is_date("2025-9")
    with pytest.raises(InputError) as info:
        parse_table("link_id,assessed_on,method,source,notes\npcb,2023-02-29,x,y,\n", "assessments", "a.csv")
    assert info.value.first.row == 2 and info.value.first.column == "assessed_on"


def test_a_roll_back_counts_a_year_only_fact_from_the_end_of_that_year(bundled):
    # The anchor that cannot leak: 2025 is known only from 2025-12-31, so no snapshot during 2025 sees it.
    assert when(pd.Series(["2025"])).iat[0] == pd.Timestamp("2025-12-31")
    ops = bundled.operations
    fid, lid = ops.loc[ops["local"], ["firm_id", "link_id"]].iloc[0]
    dated = bundled.replace(operations=ops.assign(since=ops["since"].where(
        ~((ops["firm_id"] == fid) & (ops["link_id"] == lid)), "2025")))
    during = as_of(dated, "2025-11-30").operations
    after = as_of(dated, "2026-01-01").operations
    assert not ((during["firm_id"] == fid) & (during["link_id"] == lid)).any()
    assert ((after["firm_id"] == fid) & (after["link_id"] == lid)).any()


def _clock_at(monkeypatch, utc: str) -> None:
    """The machine's clock (in UTC, as on a server) set to ``utc``."""
    import types

    import chainmap.i18n

    class At(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.fromisoformat(utc).astimezone(tz)

    monkeypatch.setattr(chainmap.i18n, "dt", types.SimpleNamespace(**{**vars(dt), "datetime": At}))


def test_the_command_line_dates_by_beijing_time_on_a_server_in_utc(capsys, monkeypatch, workspace_copy, tmp_path):
    """At 04:00 in Beijing the server's UTC clock still says yesterday: a project signed today (Beijing) is
    imported, not refused as later than today; and one signed tomorrow is refused, naming Beijing's today."""
    import csv

    from chainmap.cli import main
    from tests.conftest import saved

    with open(workspace_copy / "seeds" / "projects.csv", encoding="utf-8", newline="") as f:
        columns = next(csv.reader(f))
    ledger = tmp_path / "项目台账.csv"

    def ledger_signed(day: str, pid: str) -> None:
        row = {"id": pid, "name": "年产2万吨碳纤维项目", "investor_name": "某碳纤维公司", "chain": "materials",
               "link_id": "carbon_fibre", "planned_yi": "12", "stage": "签约", "signing_kind": "首次签约",
               "signed_on": day, "county": "清新区", "source": "招商局项目台账 2026-12"}
        with open(ledger, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, columns, restval="")
            w.writeheader()
            w.writerow(row)

    _clock_at(monkeypatch, "2026-12-01T20:00:00+00:00")   # 2026-12-02 04:00 in Beijing
    ledger_signed("2026-12-02", "P2026-901")
    assert main(["--workspace", str(workspace_copy), "import", "projects", str(ledger), "--accept-valid"]) in (0, None)
    projects = saved(workspace_copy).projects
    assert projects.loc[projects["id"] == "P2026-901", "signed_on"].tolist() == ["2026-12-02"]
    capsys.readouterr()
    ledger_signed("2026-12-03", "P2026-902")
    assert main(["--workspace", str(workspace_copy), "import", "projects", str(ledger)]) == 2
    assert "日期 2026-12-03 晚于今天（2026-12-02）" in capsys.readouterr().err
    assert "P2026-902" not in set(saved(workspace_copy).projects["id"])
