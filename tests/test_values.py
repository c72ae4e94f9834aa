"""Tests of chainmap.io.values: amounts in 亿元, ISO dates, header units."""
import datetime as dt
import re

import pytest
from hypothesis import given, settings, strategies as st

from chainmap.io.schemas import DATE_PATTERN, is_date
from chainmap.io.values import parse_amount_yi, parse_date, unit_from_header


@pytest.mark.parametrize("text, unit, want", [
    ("3.5", None, 3.5), ("3.5", "亿元", 3.5), ("35000", "万元", 3.5), ("350000000", "元", 3.5),
    ("1.2亿", None, 1.2), ("1.2亿元", "万元", 1.2), ("12,000万元", None, 1.2), ("12000万", None, 1.2),
    ("１２亿", None, 12.0), ("１２，０００万元", None, 1.2), (" 0 ", None, 0.0), (".5亿", None, 0.5),
    (7, None, 7.0), (2.5, "万元", 0.00025), (35000, "万", 3.5),
])
def test_amounts(text, unit, want):
    assert parse_amount_yi(text, unit) == pytest.approx(want)


def test_amount_exact_decimal():
    assert parse_amount_yi("12000万") == 1.2  # Decimal arithmetic: no 1.2000000000000002


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000", float("nan")])
def test_blank_amount_is_none(blank):
    assert parse_amount_yi(blank) is None


@pytest.mark.parametrize("text, words", [
    ("-3", "negative"), ("-3亿", "negative"), (-1.0, "negative"), ("约5亿", "approximate"),
    ("5亿左右", "approximate"), ("5亿以上", "approximate"), ("abc", "not an amount"),
    ("3.5亿美元", "not in 元"), ("1.2.3", "not an amount"), (float("inf"), "finite"), (True, "expected an amount"),
])
def test_bad_amounts(text, words):
    with pytest.raises(ValueError, match=words):
        parse_amount_yi(text)


def test_bad_unit():
    with pytest.raises(ValueError, match="unknown amount unit"):
        parse_amount_yi("3", unit="美元")


@pytest.mark.parametrize("text, want", [
    ("2025-03-01", "2025-03-01"), ("2025/3/1", "2025-03-01"), ("2025年3月1日", "2025-03-01"),
    ("2025.3.1", "2025-03-01"), ("2025年3月", "2025-03"), ("2025-3", "2025-03"), ("2025", "2025"),
    ("2025年", "2025"), ("20250301", "2025-03-01"), ("２０２５年３月１日", "2025-03-01"),
    ("2025-03-01 00:00:00", "2025-03-01"), (45717, "2025-03-01"), ("45717", "2025-03-01"),
    (45717.0, "2025-03-01"), (2025, "2025"), (dt.date(2024, 2, 29), "2024-02-29"),
    (dt.datetime(2024, 2, 29, 13, 5), "2024-02-29"), ("", ""), (None, ""),
])
def test_dates(text, want):
    assert parse_date(text) == want


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13", "2025年13月", "三月", "1850", "45717.5", "2025/03/01/02", True])
def test_bad_dates_name_the_value(text):
    with pytest.raises(ValueError) as e:
        parse_date(text)
    assert repr(text) in str(e.value)


@pytest.mark.parametrize("header, want", [
    ("计划总投资（亿元）", "亿元"), ("计划总投资(亿元)", "亿元"), ("投资额（万元）", "万元"), ("(万元)", "万元"),
    ("金额（元）", "元"), ("金额 (亿)", "亿元"), ("投资额　单位：万元", "万元"), ("投资额", None), ("", None),
])
def test_unit_from_header(header, want):
    assert unit_from_header(header) == want


def test_foreign_currency_header_rejected():
    with pytest.raises(ValueError, match="foreign currency"):
        unit_from_header("投资额（亿美元）")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789.,-亿万元约年月日/ ０１２３"), st.floats(), st.integers(),
                 st.none()), st.sampled_from([None, "亿元", "万元", "元"]))
def test_amount_fuzz_only_valueerror(text, unit):
    try:
        out = parse_amount_yi(text, unit)
    except ValueError:
        return
    assert out is None or (out >= 0 and out == out)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789-/.年月日号 T:"), st.integers(), st.floats(), st.none()))
def test_date_fuzz_only_valueerror(text):
    try:
        out = parse_date(text)
    except ValueError:
        return
    # Blank, or a real calendar date written 2025, 2025-09 or 2025-09-01: what the tables accept.
    assert out == "" or (re.fullmatch(DATE_PATTERN, out) and is_date(out)), out


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_header_fuzz_only_valueerror(text):
    try:
        assert unit_from_header(text) in (None, "亿元", "万元", "元")
    except ValueError:
        pass
