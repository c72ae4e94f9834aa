"""The chainmap command on the bundled data, as an officer would run it."""
import csv
import json
import shutil
import subprocess
import tomllib

import networkx as nx
import pytest

from chainmap.cli import main
from chainmap.io import bundled_workspace


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_chains_lists_every_chain_file_in_chinese(capsys):
    code, out, _ = run(capsys, "chains")
    assert code == 0
    assert "产业链" in out.splitlines()[0] and "环节数" in out.splitlines()[0]
    files = sorted((bundled_workspace() / "graphs").glob("*.toml"))
    assert len(out.splitlines()) == 2 + len(files)   # header, rule, one row per chain file
    for f in files:
        assert tomllib.loads(f.read_text(encoding="utf-8"))["chain"]["name_zh"] in out


def test_chains_in_english(capsys):
    _, out, _ = run(capsys, "chains", "--lang", "en")
    assert out.splitlines()[0].split()[:2] == ["id", "name_zh"]


def test_gaps_json_shows_kingboard_on_its_links(capsys):
    code, out, _ = run(capsys, "gaps", "--chain", "electronics", "--format", "json")
    rows = {r["link_id"]: r for r in json.loads(out)}
    assert code == 0
    for r in rows.values():
        assert {"link_id", "name_zh", "stage", "status", "severity", "incumbents", "reason"} <= set(r)
    assert "建滔集团" in rows["e_glass_yarn"]["incumbents"]
    assert "建滔集团" in rows["e_glass_cloth"]["incumbents"]
    assert rows["e_glass_yarn"]["status"] == "strong" and "链主建滔集团" in rows["e_glass_yarn"]["reason"]


def test_every_kind_of_gap_appears_across_the_three_chains(capsys):
    statuses = set()
    for chain in ("ebike", "electronics", "materials"):
        _, out, _ = run(capsys, "gaps", "--chain", chain, "--format", "json")
        statuses |= {r["status"] for r in json.loads(out)}
    assert {"fill", "strengthen", "extend", "strong", "unassessed"} <= statuses


def test_gaps_table_is_in_chinese_with_status_labels(capsys):
    _, out, _ = run(capsys, "gaps", "--chain", "electronics")
    head = out.splitlines()[0]
    assert "环节" in head and "状态" in head and "判断依据" in head
    assert "补链" in out and "优势" in out


def test_gaps_csv_opens_in_excel(capsys, tmp_path):
    target = tmp_path / "缺口.csv"
    code, _, err = run(capsys, "gaps", "--chain", "materials", "--format", "csv", "-o", str(target))
    data = target.read_bytes()
    assert code == 0 and "已写入" in err
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel/WPS read UTF-8
    assert "状态" in data.decode("utf-8-sig").splitlines()[0]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` not installed (tools/test installs it)")
def test_graph_dot_renders_with_graphviz(capsys, tmp_path):
    code, out, _ = run(capsys, "graph", "--chain", "ebike", "--format", "dot")
    assert code == 0
    svg = subprocess.run(["dot", "-Tsvg"], input=out.encode(), capture_output=True, check=True).stdout.decode()
    assert "<svg" in svg and "整车" in svg and "图例" in svg and "补链" in svg


def test_graph_exports_for_gephi_and_web(capsys, tmp_path):
    target = tmp_path / "ebike.graphml"
    run(capsys, "graph", "--chain", "ebike", "--format", "graphml", "-o", str(target))
    g = nx.read_graphml(target)
    assert g.nodes["vehicle"]["status"] in ("strong", "strengthen")
    assert g.has_edge("aluminium_extrusion", "frame") and g.nodes["aluminium_extrusion"]["external"]
    _, out, _ = run(capsys, "graph", "--chain", "ebike", "--format", "json")
    data = json.loads(out)
    assert any(n["id"] == "frame" for n in data["nodes"])


DIGITAL = """
[chain]
id = "digital"
name_zh = "数字经济"
name_en = "Digital economy"
source = "test: one more chain is one more file"

[[links]]
id = "dc_server"
name_zh = "智算服务器"
stage = "midstream"
importance = 0.8
keywords = ["智算服务器", "GPU服务器"]

[[links]]
id = "dc_cooling"
name_zh = "液冷设备"
stage = "upstream"
importance = 0.6
keywords = ["液冷", "冷板"]

[[links]]
id = "idc"
name_zh = "数据中心运营"
stage = "downstream"
importance = 0.9
keywords = ["数据中心", "IDC"]

[[edges]]
from = "pcba"
to = "dc_server"

[[edges]]
from = "dc_cooling"
to = "dc_server"

[[edges]]
from = "dc_server"
to = "idc"
"""


def test_one_more_chain_is_one_more_file(capsys, workspace_copy):
    (workspace_copy / "graphs" / "digital.toml").write_text(DIGITAL, encoding="utf-8")
    _, out, _ = run(capsys, "chains", "--workspace", str(workspace_copy))
    assert "数字经济" in out
    code, out, _ = run(capsys, "gaps", "--chain", "digital", "--workspace", str(workspace_copy), "--format", "json")
    rows = {r["link_id"]: r for r in json.loads(out)}
    assert code == 0 and set(rows) == {"dc_server", "dc_cooling", "idc"}
    assert all(r["status"] == "unassessed" for r in rows.values())  # nobody has surveyed it yet
    code, out, _ = run(capsys, "graph", "--chain", "digital", "--workspace", str(workspace_copy))
    assert code == 0 and "pcba" in out  # the cross-chain edge from 电子信息 is drawn


def test_bad_workspace_gets_one_clear_message_and_no_traceback(capsys, workspace_copy):
    ops = workspace_copy / "seeds" / "operations.csv"
    rows = list(csv.reader(ops.open(encoding="utf-8")))
    rows[3][rows[0].index("link_id")] = "coper_foil"  # row 4 as Excel counts it
    with ops.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    code, out, err = run(capsys, "gaps", "--chain", "electronics", "--workspace", str(workspace_copy))
    assert code == 2 and out == ""
    assert "operations.csv，第 4 行，「link_id」：未知环节“coper_foil”" in err  # Chinese by default
    assert "Traceback" not in err
    code, out, err = run(capsys, "gaps", "--chain", "electronics", "--workspace", str(workspace_copy), "--lang", "en")
    assert code == 2 and "operations.csv, row 4, column 'link_id': unknown link 'coper_foil'" in err
    assert "Traceback" not in err


def test_unknown_chain_lists_the_choices(capsys):
    code, _, err = run(capsys, "gaps", "--chain", "低空")
    chains = sorted(p.stem for p in (bundled_workspace() / "graphs").glob("*.toml"))
    assert code == 2 and f"错误: 未知产业链“低空”（可选：{'、'.join(chains)}）" in err
    code, _, err = run(capsys, "gaps", "--chain", "低空", "--lang", "en")
    assert code == 2 and f"error: unknown chain '低空'; choose one of: {', '.join(chains)}" in err


def test_rank_json_rows_carry_the_contract_fields(capsys):
    code, out, _ = run(capsys, "rank", "--chain", "electronics", "--top", "20", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 20
    need = {"firm_id", "name_zh", "chain", "mode", "score", "fill_score", "strengthen_score", "extend_score",
            "affinity", "relatedness", "tier", "propensity", "reach", "team", "reason", "links"}
    assert all(need <= set(r) for r in rows)
    assert [r["rank"] for r in rows] == list(range(1, 21))
    # IC封装基板: no maker in the city (印制电路板 has one since 金禄电子 was found, so its targets strengthen)
    assert any(r["mode"] == "fill" and "IC封装基板" in r["links"] for r in rows)
    assert not any(r["mode"] == "fill" and "印制电路板" in r["links"] for r in rows)


def test_rank_table_reads_aloud_in_chinese(capsys):
    code, out, _ = run(capsys, "rank", "--chain", "materials", "--top", "10")
    assert code == 0 and "推荐理由" in out.splitlines()[0]
    assert "补链：填补【电子铜箔】空白" in out and "为本地【覆铜板】（建滔集团）的上游环节" in out


def test_rank_filters_by_honour_and_region(capsys):
    _, out, _ = run(capsys, "rank", "--chain", "materials", "--honour", "FG500", "--region", "YRD",
                    "--top", "50", "--format", "json")
    rows = json.loads(out)
    assert rows and all(r["hq_region"] == "YRD" and "世界500强" in r["honour"] for r in rows)


def test_custom_weights_file_with_a_bad_value_names_the_key(capsys, tmp_path):
    w = tmp_path / "weights.toml"
    w.write_text("[weights]\nfill = 1\nstrengthen = 1\nextend = 1\naffinity = 1\nrelatedness = 1\n"
                 "tier = -2\npropensity = 1\nreach = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "rank", "--chain", "ebike", "--weights", str(w))
    assert code == 2 and "错误: 权重“tier”不能为负数，现为 -2" in err
    code, _, err = run(capsys, "rank", "--chain", "ebike", "--weights", str(w), "--lang", "en")
    assert code == 2 and "weight 'tier' must be ≥ 0" in err
    w.write_text(w.read_text(encoding="utf-8").replace("tier = -2", "tier = 2"), encoding="utf-8")
    code, out, _ = run(capsys, "rank", "--chain", "ebike", "--weights", str(w), "--format", "json")
    assert code == 0 and json.loads(out)


def test_explain_prints_components_links_and_referrals(capsys):
    code, out, _ = run(capsys, "explain", "kblaminates", "--chain", "electronics")
    assert code == 0
    assert "得分构成" in out and "覆铜板" in out and "增资扩产" in out
    assert "以商引商路径" in out and "建滔集团" in out
    code, _, err = run(capsys, "explain", "不存在的公司", "--chain", "electronics")
    assert code == 2 and "未知企业“不存在的公司”" in err and "unknown" not in err
    code, _, err = run(capsys, "explain", "不存在的公司", "--chain", "electronics", "--lang", "en")
    assert code == 2 and "unknown firm '不存在的公司'" in err


def test_explain_speaks_the_language_asked_for(capsys):
    """``--lang en`` words every part of the text breakdown in English; the firm's and teams' names stay as they are."""
    _, zh, _ = run(capsys, "explain", "catl", "--chain", "ebike")
    code, en, err = run(capsys, "explain", "catl", "--chain", "ebike", "--lang", "en")
    assert code == 0, err
    for want in ("综合得分：", "类型：补链", "得分构成（值 × 权重）：", "补链机会环节：", "【两轮车锂电芯】补链",
                 "荣誉资质：世界500强", "责任先锋队：市本级", "以商引商路径："):
        assert want in zh, want
    for want in ("score: ", "mode: fill", "score components (value × weight):", "fill opportunity links:",
                 "[Lithium-ion cells for two-wheelers] fill, severity", "honours: Fortune Global 500",
                 "pioneer team: 市本级 (city level)", "referral paths (以商引商):", "Electric two-wheelers"):
        assert want in en, want
    # Nothing Chinese is left in English but names (the firm's, its signal's, a team's) and the 以商引商 term.
    names = ("宁德时代", "瑞庆时代锂离子电池生产项目二阶段工程开工", "市本级", "以商引商")
    rest = en
    for n in names:
        rest = rest.replace(n, "")
    assert not [c for c in rest if "\u4e00" <= c <= "\u9fff"], [ln for ln in en.splitlines()
                                                                  if any("\u4e00" <= c <= "\u9fff" for c in ln)]
    # the same numbers in both
    assert zh.splitlines()[1].split("：")[1].split()[0] == en.splitlines()[1].split()[1]


def test_mechanism_prints_the_review_and_writes_the_meeting_workbook(capsys, tmp_path):
    import openpyxl

    code, out, err = run(capsys, "mechanism", "--format", "json", "--date", "2026-11-26")
    assert code == 0, err
    summary = {r["产业链"]: r for r in json.loads(out)}
    assert summary["电子信息"]["机制完备度"] == "32%" and summary["电子信息"]["事项数"] == 8
    _, out, _ = run(capsys, "mechanism", "--chain", "electronics", "--lang", "en", "--date", "2026-11-26")
    assert "links surveyed or with a local firm" in out and "coverage × freshness" in out and "覆盖率" not in out
    book = tmp_path / "八个一.xlsx"
    code, _, _ = run(capsys, "mechanism", "--format", "xlsx", "-o", str(book))
    wb = openpyxl.load_workbook(book)
    names = [tomllib.loads(p.read_text(encoding="utf-8"))["chain"]["name_zh"]
             for p in sorted((bundled_workspace() / "graphs").glob("*.toml"))]
    assert code == 0 and wb.sheetnames[0] == "汇总" and sorted(wb.sheetnames[1:]) == sorted(names)
    code, _, err = run(capsys, "mechanism", "--date", "26/11/2026")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "mechanism", "--format", "xlsx")
    assert code == 2 and "-o FILE" in err


def test_export_writes_the_team_workbook(capsys, tmp_path):
    import openpyxl

    target = tmp_path / "电子信息招商清单.xlsx"
    code, _, _ = run(capsys, "export", "--chain", "electronics", "-o", str(target))
    wb = openpyxl.load_workbook(target)
    assert code == 0 and wb.sheetnames[0] == "汇总" and wb.sheetnames[-1] == "市本级"
    assert len(wb.sheetnames) == 2 + 7  # summary, 7 pioneer teams, 市本级
    assert [c.value for c in wb.sheetnames and wb["市招商先锋队（深圳）"][1]][:2] == ["排名", "企业名称"]
