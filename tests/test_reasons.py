"""Reasons are codes in the core and words at the edge: one catalogue, zh and en, for every code emitted."""
import ast
import re
from pathlib import Path

import pytest

from chainmap.analysis.mechanism import DERIVED_SLOTS
from chainmap.i18n import REASONS, reason_text, with_reasons
from chainmap.scoring.weights import MODES

PACKAGE = Path(__file__).resolve().parents[1] / "chainmap"
#: The modules that explain themselves with reason parts.
EMITTERS = ("scoring/engine.py", "analysis/gaps.py", "analysis/mechanism.py", "analysis/ledger.py")
CJK = re.compile(r"[\u4e00-\u9fff]")


def emitted_codes(source: str) -> set[str]:
    """Codes of the ``(code, params)`` parts written in ``source``.

    A part is a pair whose first item is a code (a string, a choice of two
    strings, or ``f"target_{mode}"``) and whose second is a dict, a name, a
    call or a subscript; and the metric codes of the 八个一 review
    (``"metric_manual"``, ``f"metric_{derived}"``).
    """
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"metric_[a-z_]+", node.value):
            out.add(node.value)
        if isinstance(node, ast.JoinedStr) and ast.unparse(node) == "f'metric_{derived}'":
            out |= {f"metric_{d}" for d in DERIVED_SLOTS.values()}
        if not (isinstance(node, ast.Tuple) and len(node.elts) == 2
                and isinstance(node.elts[1], (ast.Dict, ast.Name, ast.Call, ast.Subscript))):
            continue
        head = node.elts[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            out.add(head.value)
        elif isinstance(head, ast.IfExp) and all(isinstance(x, ast.Constant) for x in (head.body, head.orelse)):
            out |= {head.body.value, head.orelse.value}
        elif isinstance(head, ast.JoinedStr) and ast.unparse(head) == "f'target_{mode}'":
            out |= {f"target_{m}" for m in MODES}
    return out


def all_emitted() -> set[str]:
    return set().union(*(emitted_codes((PACKAGE / f).read_text(encoding="utf-8")) for f in EMITTERS))


def missing(catalogue: dict) -> dict[str, list[str]]:
    codes = all_emitted()
    return {lang: sorted(codes - set(catalogue[lang])) for lang in ("zh", "en") if codes - set(catalogue[lang])}


def test_the_scan_finds_the_codes_of_both_emitters():
    codes = all_emitted()
    # a sample of each kind of writing: literal, choice of two, f-string, subscript params
    assert {"gap_fill", "gap_strong", "gap_strengthen", "target_fill", "target_extend", "target_strengthen",
            "supplier_of", "customer_of", "basis", "honour", "relatedness", "mech_leaders", "metric_manual",
            "metric_chain_leader"} <= codes
    assert len(codes) >= 45


def test_every_code_the_core_emits_has_zh_and_en_words():
    assert missing(REASONS) == {}
    assert set(REASONS["zh"]) == set(REASONS["en"])


def test_the_check_fails_on_a_code_without_words(monkeypatch):
    """It can fail: a new code in the engine, or a language losing one, is caught."""
    assert emitted_codes('parts.append(("new_code", {"firm": f}))\n') == {"new_code"}
    en = {k: v for k, v in REASONS["en"].items() if k != "gap_leap"}
    assert missing({"zh": REASONS["zh"], "en": en}) == {"en": ["gap_leap"]}
    monkeypatch.setitem(REASONS, "en", en)
    with pytest.raises(KeyError, match="gap_leap"):
        reason_text([("gap_leap", {})], "en")


LINK = {"id": "ccl", "zh": "覆铜板", "en": "copper-clad laminate"}
#: Params for every code of the catalogue, ASCII where they are not link or firm names.
SAMPLES = {
    "target_fill": {"links": [LINK], "by_text": [0.83, 0.0], "expand": True},
    "target_check": {"links": [LINK], "by_text": [], "expand": False},
    "target_extend": {"links": [LINK], "by_text": [], "expand": False},
    "target_strengthen": {"links": [LINK, LINK], "by_text": [0.0], "expand": False},
    "basis": {"basis": "class", "system": "gb", "value": "3982", "link": "PCB"},
    "incumbents": {"firms": ["Shengyi", "Kingboard"]},
    "supplies_local": {"link": LINK, "firm": "Shengyi"}, "buys_local": {"link": LINK, "firm": "Shengyi"},
    "honour": {"list": "FG500", "detail": "", "year": 2025},
    "supplier_of": {"firm": "Shengyi"}, "customer_of": {"firm": "Shengyi"},
    "signal": {"date": "2025-03", "detail": "new plant", "amount_yi": 12.0},
    "signal_plain": {"date": "2025-03", "detail": "new plant", "amount_yi": 3.5},
    "team": {"team": "Team Shenzhen"}, "channel": {"channel": "fund", "detail": "Fund A"},
    "relatedness": {"density": 0.62, "grade": "high", "level": "firm", "link": LINK, "near": LINK},
    "placed_known": {}, "placed_local": {}, "placed_integration": {}, "placed_classifier": {"probability": 0.83}, "placed_keywords": {},
    "inference_off": {}, "inference_keywords": {}, "inference_not_needed": {}, "inference_too_few": {"labelled": 12},
    "inference_classifier": {"labelled": 100, "trained": 90, "learned": 17, "by_keyword": 4},
    "gap_unassessed": {}, "gap_strong": {}, "gap_strengthen": {},
    "ev_leader": {"firms": ["Kingboard"]}, "ev_count": {"firms": ["A", "B", "C", "D"]},
    "ev_sufficiency": {"share": 1.0}, "ev_scale": {"output_yi": 50.0},
    "below_threshold": {"strength": 0.4, "threshold": 2 / 3}, "local_firms": {"firms": ["A"]},
    "gap_fill": {"up": [LINK], "down": [LINK]}, "gap_extend_down": {"up": [LINK]},
    "gap_extend_up": {"down": [LINK]}, "gap_leap": {},
    "mech_chain_map": {"covered": 9, "links": 20, "coverage": 0.45, "latest": "2026-11-26", "stale_after": 365},
    "mech_target_list": {"targets": 25, "contacted": 2},
    "mech_ledger": {"projects": 2, "planned_yi": 25.0, "with_amount": 1, "fill": 0.29}, "mech_no_ledger": {},
    "mech_leaders": {"leaders": [{"firm": "Kingboard", "links": ["yarn", "cloth"]}]}, "mech_no_leader": {},
    **{f"metric_{m}": {} for m in (*DERIVED_SLOTS.values(), "manual", "unproven")},
    "missing_fields": {"fields": ["planned_yi", "lead_unit"]}, "started_before_signed": {},
    "strategy_zeroes_modes": {"strategy": "learned", "modes": ["extend"], "empty": True, "fallback": "稳健",
                              "chain": {"id": "lowalt", "zh": "低空经济", "en": "Low-altitude economy"}},
}


def test_the_samples_cover_the_catalogue():
    assert set(SAMPLES) == set(REASONS["zh"])


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_each_code_reads_as_chinese_in_zh_and_as_english_in_en(code):
    zh, en = reason_text([(code, SAMPLES[code])], "zh"), reason_text([(code, SAMPLES[code])], "en")
    assert zh and en and zh != en
    assert CJK.search(zh), zh
    # English words only: the one Chinese allowed in English is a name given as data (覆铜板 has an English name here).
    assert not CJK.search(en.replace("专精特新", "")), en


def test_english_names_links_in_english_and_falls_back_to_chinese():
    assert "[copper-clad laminate]" in reason_text([("gap_extend_up", {"down": [LINK]})], "en")
    assert "[覆铜板]" in reason_text([("gap_extend_up", {"down": [{"id": "ccl", "zh": "覆铜板", "en": ""}]})], "en")
    assert "【覆铜板】" in reason_text([("gap_extend_up", {"down": [LINK]})], "zh")


def test_bundled_reasons_render_in_both_languages(bundled):
    from chainmap.scoring import TargetScorer

    scorer = TargetScorer(inference="keywords").fit(bundled)
    for chain in bundled.chains["id"]:
        ranked = scorer.rank(chain, top=15)
        zh, en = with_reasons(ranked, "zh"), with_reasons(ranked, "en")
        assert "reason" not in ranked.columns and ranked["reason_parts"].map(len).min() >= 1
        # 待摸排: a firm on a link not yet surveyed (电子组装/PCBA, taking the local 金禄电子's boards)
        assert zh["reason"].str.match(r"^(补链|延链|强链|待摸排)：").all()
        assert en["reason"].str.match(r"^(fill|extend|strengthen|to survey): ").all()
        assert not en["reason"].str.contains("补链|延链|强链|本地|；").any()
        gaps = with_reasons(scorer.gaps_[chain], "en")
        assert not gaps["reason"].str.contains("待评估|本地|优势|；").any()
