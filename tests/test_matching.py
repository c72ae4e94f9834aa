"""Tests of chainmap.io.matching against the bundled seeds and tests/data/name_variants.csv."""
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from chainmap.io.city import read_city
from chainmap.io.matching import AUTO_METHODS, FirmMatcher
from chainmap.io.names import place_words

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = Path(__file__).parent / "data" / "name_variants.csv"


def _csv(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def firms():
    return _csv(ROOT / "seeds" / "firms.csv")


@pytest.fixture(scope="module")
def matcher(firms):
    """The bundled (清远) workspace's matcher: its counties and parks from its own seeds/city.toml, as the CLI and
    the app pass them."""
    return FirmMatcher(firms, _csv(ROOT / "seeds" / "relations.csv"), places=read_city(ROOT).places)


def test_variants_file_is_sound(firms):
    v = _csv(VARIANTS)
    assert list(v.columns) == ["variant", "expected_firm_id", "kind", "note"]
    assert len(v) >= 60
    assert set(v["kind"]) <= {"exact", "fullwidth", "bracket_city", "suffix", "alias", "english", "subsidiary",
                              "different_firm"}
    assert set(v["expected_firm_id"]) - {""} <= set(firms["id"])
    assert not v["variant"].duplicated().any()


def test_precision_and_recall(matcher):
    v = _csv(VARIANTS)
    got = matcher.match_all(v["variant"])
    assigned = got["method"].isin(AUTO_METHODS)
    expected = v["expected_firm_id"]
    correct = assigned & ((got["firm_id"] == expected) | pd.Series(
        [e != "" and e in gp.split(">") for e, gp in zip(expected, got["group_path"])], index=v.index))
    precision = correct.sum() / max(assigned.sum(), 1)
    recall = correct.sum() / (expected != "").sum()
    wrong = v.assign(got=got["firm_id"], method=got["method"])[assigned & ~correct]
    missed = v.assign(got=got["firm_id"], method=got["method"])[(expected != "") & ~correct]
    print(f"\nname matching on {len(v)} variants: precision {precision:.3f} "
          f"({correct.sum()}/{assigned.sum()}), recall {recall:.3f} ({correct.sum()}/{(expected != '').sum()})")
    print("false matches:\n" + wrong[["variant", "expected_firm_id", "got", "method"]].to_string())
    print("missed:\n" + missed[["variant", "expected_firm_id", "got", "method"]].to_string())
    assert precision >= 0.95
    assert recall >= 0.8


def test_different_firms_stay_apart(matcher):
    assert matcher.match("生益电子").firm_id == "sye"
    assert matcher.match("生益科技").firm_id == "shengyi"
    assert matcher.match("天能电池").firm_id == "tianneng_sh"
    assert matcher.match("天能动力国际").firm_id == "tianneng_hk"
    assert matcher.match("建滔积层板").firm_id == "kblaminates"


def test_regional_subsidiary_is_group_not_merge(matcher):
    m = matcher.match("建滔（佛冈）积层板有限公司")
    assert (m.method, m.firm_id, m.group_path) == ("group", "kblaminates", ("kblaminates", "kingboard"))
    assert "佛冈" in m.note


def test_root_match_is_group(matcher):
    m = matcher.match("建滔化工集团有限公司")
    assert (m.method, m.firm_id) == ("group", "kingboard")


def test_ambiguous_goes_to_review(matcher):
    m = matcher.match("天能")
    assert m.review and m.firm_id is None and set(m.candidates) == {"tianneng_hk", "tianneng_sh"}


def test_non_generic_root_goes_to_review(matcher):
    m = matcher.match("美的置业集团有限公司")
    assert m.review and m.firm_id is None and m.candidates == ("midea",)


def test_fuzzy_goes_to_review(matcher):
    m = matcher.match("鹏鼎控股深圳")  # no legal form, city glued on
    assert m.firm_id in (None, "avary")
    m = matcher.match("格林美美")
    assert m.method == "fuzzy_review" and m.firm_id is None and "gem" in m.candidates


def test_difflib_band(firms):
    m = FirmMatcher(firms).match("宏和电子材料科")  # 宏和电子材料科技 minus one character
    assert m.method == "fuzzy_review" and m.candidates[0] == "grace" and 0.75 <= m.score < 1


def test_no_match(matcher):
    assert matcher.match("小鹏汽车").method == "none"
    assert matcher.match("").method == "none"
    assert matcher.match(None).method == "none"


def test_credit_code(firms):
    f = firms.assign(credit_code="")
    f.loc[f["id"] == "taimei", "credit_code"] = "91441800MA4W12345K"
    m = FirmMatcher(f)
    assert m.match("随便什么名字", credit_code="91441800ma4w12345k").method == "credit_code"
    assert m.match("随便什么名字", credit_code="91441800ma4w12345k").firm_id == "taimei"
    bad = m.match("钛美铝业", credit_code="91441800MA4W12345W")
    assert bad.firm_id == "taimei" and bad.method == "alias" and "GB 32100" in bad.note


def test_extra_aliases(firms):
    m = FirmMatcher(firms, aliases={"鸿富锦精密工业（深圳）有限公司": "honhai"})
    assert m.match("鸿富锦精密工业(深圳)有限公司").firm_id == "honhai"


def test_match_all_keeps_index_and_order(matcher):
    s = pd.Series(["比亚迪", "小鹏汽车", "比亚迪"], index=[5, 7, 9])
    out = matcher.match_all(s)
    assert list(out.index) == [5, 7, 9]
    assert out["method"].tolist() == ["exact", "none", "exact"]
    assert out["review"].tolist() == [False, False, False]


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.text(max_size=30), st.none()))
def test_match_fuzz(matcher, name):
    m = matcher.match(name)
    assert m.method in AUTO_METHODS | {"fuzzy_review", "none"}
    assert (m.firm_id is not None) == (m.method in AUTO_METHODS)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="华宏盛泰ab", max_size=24), st.text(alphabet="华宏盛泰ab", max_size=24))
def test_ratio_is_difflibs(a, b):
    """The matcher's own Ratcliff/Obershelp ratio is difflib's, to the last bit (repeated characters included)."""
    import difflib

    from chainmap.io.matching import _b2j, _ratio

    assert _ratio(a, b, _b2j(b)) == difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def test_batch_shortlists_are_the_single_ones():
    """prime's shortlists (cut by a histogram before sorting) pick the same 50 keys, in the same order, as one
    name alone, on a library where hundreds of keys tie on one shared pair and the length gap decides."""
    import random

    rng = random.Random(11)
    chars = list("华宏盛泰鑫嘉兴瑞恒丰隆新中金天润达源昌和永安康福鸿伟明光辉")
    names = {"".join(rng.sample(chars, rng.choice((2, 3, 4, 5)))) + rng.choice(["电子", "铜业", "五金"]) for _ in range(3000)}
    firms = pd.DataFrame({"id": [f"f{i}" for i in range(len(names))], "name_zh": sorted(names), "name_en": "",
                          "aliases": ""})
    m = FirmMatcher(firms)
    queries = [["".join(rng.sample(chars, rng.choice((2, 3, 6)))) + "电子"] for _ in range(300)]
    batch = m._shortlists(queries)
    assert sum(len(b[q[0]]) == 50 for q, b in zip(queries, batch)) > 250  # most queries have a full shortlist
    assert all(b[q[0]] == m._shortlist(q[0]) for q, b in zip(queries, batch))


def test_match_notes_are_codes_worded_in_chinese_and_english():
    """The matcher says why in codes (issue 12): each code it gives has words in both languages, and a note
    worded in Chinese holds no English sentence (it used to be English text inside the Chinese report)."""
    import re

    from chainmap.io.messages import MATCH_NOTES, match_note

    firms = pd.DataFrame({"id": ["kingboard", "kblaminates", "tn_a", "tn_b", "jxcu"],
                          "name_zh": ["建滔集团", "建滔积层板", "天能电池", "天能电池", "江西铜业股份有限公司"],
                          "name_en": "", "aliases": ""})
    rel = pd.DataFrame({"src": ["kblaminates"], "dst": ["kingboard"], "type": ["PART_OF"]})
    m = FirmMatcher(firms, rel, places=["佛冈县"])
    hits = {"regional_of": m.match("建滔（佛冈）积层板有限公司"), "several_named": m.match("天能电池有限公司"),
            "similar_names": m.match("江西铜叶股份有限公司"), "blank_name": m.match("  "),
            "bad_credit_code": m.match("江西铜业", "91441800MA4W12345W"), "starts_with_part": m.match("建滔集团化工有限公司"),
            "starts_with": m.match("建滔集团置业有限公司")}
    for code, hit in hits.items():
        assert code in [c for c, _ in hit.notes], (code, hit)
    source = (ROOT / "chainmap" / "io" / "matching.py").read_text(encoding="utf-8")
    given = set(re.findall(r'\("(\w+)", \(', source))
    assert given == set(MATCH_NOTES), given ^ set(MATCH_NOTES)
    for hit in hits.values():
        zh, en = match_note(hit.notes, "zh"), match_note(hit.notes, "en")
        assert zh and en and zh != en and hit.note == en
        words = re.sub(r"kingboard|kblaminates|GB 32100", "", zh)  # firm ids and the standard stay as written
        assert not re.search(r"[A-Za-z]{3,}", words), zh
    assert "佛冈" in match_note(hits["regional_of"].notes, "zh") and "kblaminates" in hits["regional_of"].note


def test_a_citys_own_counties_come_from_its_settings_not_from_the_code(firms):
    """places.txt holds no county of any city: 清远's counties are known to a matcher given 清远's city.toml, and
    a 肇庆 workspace strips its own (高要) but takes 佛冈 for part of the name."""
    rel = _csv(ROOT / "seeds" / "relations.csv")
    qingyuan = FirmMatcher(firms, rel, places=read_city(ROOT).places)
    zhaoqing = FirmMatcher(firms, rel, places=read_city(ROOT / "tests" / "data" / "zhaoqing").places)
    bare = FirmMatcher(firms, rel)
    sub = "建滔（佛冈）积层板有限公司"
    hit = qingyuan.match(sub)
    assert (hit.method, hit.firm_id, qingyuan.regions(sub)) == ("group", "kblaminates", ["佛冈"])
    assert [m.regions(sub) for m in (zhaoqing, bare)] == [[], []]
    assert [[c for c, _ in m.match(sub).notes if c == "regional_of"] for m in (zhaoqing, bare)] == [[], []]
    for county in ("清城区", "英德市", "佛冈县"):
        assert qingyuan.name_key(f"清远市{county}钛美铝业有限公司") == "钛美铝业"
        assert zhaoqing.name_key(f"清远市{county}钛美铝业有限公司") == f"{county}钛美铝业"
    assert qingyuan.name_key("连山宏达电机有限公司") == "宏达电机"   # 连山壮族瑶族自治县 in city.toml
    assert zhaoqing.name_key("肇庆市高要区钛美铝业有限公司") == "钛美铝业"
    assert qingyuan.name_key("肇庆市高要区钛美铝业有限公司") == "高要区钛美铝业"


def test_the_bundled_workspace_knows_every_county_places_txt_used_to_list():
    """The counties that left places.txt are all words of 清远's own city.toml: its matching is as it was."""
    left = {"清城", "清新", "佛冈", "英德", "连州", "阳山", "连山", "连南"}
    assert left <= place_words(read_city(ROOT).places)
