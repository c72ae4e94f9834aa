"""服务已落地企业: the firms here, their expansion leads and their partners outside the city."""
from __future__ import annotations

import pandas as pd

from chainmap.analysis.incumbents import expansion_leads, home_firms, partner_leads
from chainmap.io import bundled_workspace, read_workspace

# A home city that is not 清远, so nothing here leans on the bundled city.
FIRMS = pd.DataFrame({
    "id": ["jinlu", "xinya", "kb", "sy", "nanya", "byd", "geely"],
    "name_zh": ["金禄电子", "新亚电缆", "建滔集团", "生益科技", "南亚新材", "比亚迪", "吉利"],
    "hq_city": ["韶关", "韶关", "香港", "东莞", "上海", "深圳", "杭州"],
    "stock_code": ["301282.SZ", "", "0148.HK", "600183.SH", "688519.SH", "002594.SZ", ""],
    "revenue_yi": [15.0, 30.0, 500.0, 200.0, 30.0, 6000.0, 3000.0]})
OPS = pd.DataFrame({
    "firm_id": ["jinlu", "kb", "sy", "nanya", "byd", "xinya"],
    "link_id": ["pcb", "ccl", "ccl", "ccl", "vehicle", "wire_cable"],
    "local": [True, True, False, False, False, True],
    "entity": ["金禄电子科技", "建滔(韶关)积层板", "", "", "", "新亚电缆"],
    "location": ["韶关高新区", "乐昌市", "东莞", "上海", "深圳", "韶关"]})
EDGES = pd.DataFrame({"src": ["ccl", "pcb"], "dst": ["pcb", "vehicle"]})
RELATIONS = pd.DataFrame({"src": ["sy", "jinlu", "xinya"], "dst": ["jinlu", "geely", "geely"],
                          "type": ["SUPPLIES_TO", "SUPPLIES_TO", "PART_OF"], "product": ["覆铜板", "汽车PCB", ""],
                          "source": ["http://a.example/1", "http://a.example/2", "http://a.example/3"]})


def test_home_firms_are_those_registered_or_with_a_plant_here():
    h = home_firms(FIRMS, OPS, "韶关").set_index("firm_id")
    assert list(h.index) == ["jinlu", "xinya", "kb"], "local listed first, then registered, then plants"
    assert h["kind"].tolist() == ["local_listed", "registered", "plant"]
    assert h.loc["kb", "entity"] == "建滔(韶关)积层板" and "sy" not in h.index


def test_expansion_leads_say_why_and_drop_old_or_repeated_ones():
    h = home_firms(FIRMS, OPS, "韶关")
    signals = pd.DataFrame({"firm_id": ["jinlu", "jinlu", "kb"], "date": ["2025-06-12", "2020-03", "2025-08-25"],
                            "kind": ["capital_raise", "expansion", "expansion"],
                            "detail": ["可转债募资: 高端PCB扩产", "老厂技改", "低介电玻纤纱窑炉"],
                            "amount_yi": [6.0, 1.0, 13.5], "place": ["韶关/湖北", "韶关", "韶关乐昌"],
                            "source": ["http://s.example/1"] * 3})
    events = pd.DataFrame({"firm_id": ["kb", "kb", "kb"], "date": ["2025-08-25", "2025-09", "2025-09"],
                           "kind": ["expansion", "new_plant", "new_plant"], "project": ["低介电玻纤纱窑炉", "AI线路板", "AI线路板"],
                           "place": ["韶关乐昌", "江门开平", "江门开平"], "in_qingyuan": [True, False, False],
                           "amount_yi": [13.5, 10.0, 10.0], "source": ["http://e.example/1"] * 3})
    g = expansion_leads(h, signals, events, "韶关", 2023)
    assert list(zip(g["firm_id"], g["date"], g["reason"])) == [
        ("kb", "2025-09", "elsewhere"), ("kb", "2025-08-25", "here"), ("jinlu", "2025-06-12", "raise")]
    assert g["amount_yi"].tolist() == [10.0, 13.5, 6.0]


def test_partner_leads_known_first_then_inferred_from_the_chain_edges():
    h = home_firms(FIRMS, OPS, "韶关")
    p = partner_leads(h, RELATIONS, OPS, EDGES, FIRMS)
    known = p[p["basis"] == "known"]
    assert list(zip(known["home_id"], known["partner_id"], known["role"])) == [
        ("jinlu", "sy", "supplier"), ("jinlu", "geely", "customer"), ("xinya", "geely", "group")]
    inferred = p[p["basis"] == "inferred"]
    # upstream of jinlu's pcb: ccl makers outside the city (sy is known already, kb is here); downstream: byd.
    # kb's ccl feeds pcb, whose only maker (jinlu) is here: no lead.
    assert list(zip(inferred["home_id"], inferred["partner_id"], inferred["role"], inferred["partner_link"])) == [
        ("jinlu", "nanya", "supplier", "ccl"), ("jinlu", "byd", "customer", "vehicle")]
    assert "kb" not in set(p["partner_id"]), "a firm already here is not a lead"


def test_bundled_data_finds_the_local_listed_firm_and_its_raise():
    t = read_workspace(bundled_workspace())
    h = home_firms(t.firms, t.operations, "清远")
    assert "haomei" in set(h.loc[h["kind"] == "local_listed", "firm_id"])    # 豪美新材 002988, 清远高新区
    g = expansion_leads(h, t.signals, t.events, "清远", 2023)
    raise_ = g[(g["firm_id"] == "haomei") & (g["reason"] == "raise")]
    assert len(raise_) == 1 and raise_["amount_yi"].iat[0] == 17.51
