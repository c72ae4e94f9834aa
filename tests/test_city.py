"""A city is data: the settings file's parser, and a second city's workspace (肇庆) on which every
command and every page of the workbench runs without a word of 清远.

The 肇庆 workspace is built from ``tests/data/zhaoqing/`` (its own settings, teams, projects and
八个一 slots) and the bundled data (the ebike chain and the firms active on it whose rows never
mention 清远), so that any 清远 on its pages or in its commands' output can only come from code.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from chainmap.cli import main
from chainmap.io import InputError, bundled_workspace
from chainmap.io.chains import format_chain, parse_chain
from chainmap.io.city import City, parse_city, read_city
from tests.conftest import saved

HERE = Path(__file__).resolve().parent
ZQ = HERE / "data" / "zhaoqing"
HOME, OTHER = "肇庆", "清远"
CHAIN = "ebike"
#: CATL's 肇庆 plant, as the bundled events name it (sources: seeds/events.csv rows E2021-0a886a, E2023-4b6833).
CATL_PLANT = {"local": "true", "entity": "肇庆瑞庆时代新能源科技有限公司", "location": "广东肇庆高新区(四会)",
              "source": "http://news.caixun.net/qiche/2022/0531/128164.html ; "
                        "https://www.pltyw.com/showinfo-95-80210-0.html", "verified": "partial",
              "notes": "瑞庆时代: the plant of 宁德时代动力及储能电池肇庆项目 (phase 1 in production 2022-05-30)"}


# ------------------------------------------------------------------ the parser
def test_bundled_settings_carry_the_plan_that_was_in_code():
    c = read_city(bundled_workspace())
    assert (c.name, c.province, c.target(2026), c.target(2025)) == ("清远", "广东", 800.0, None)
    b = c.latest_baseline()
    assert (b.year, b.n_signed, b.planned_yi, b.start_rate, b.completed_yi, b.n_ge_10yi) == (2025, 516, 753.0, 0.6,
                                                                                              111.0, 20)
    assert "英德市" in c.counties and c.home.neighbours[:2] == ("广西", "湖南")
    assert (c.label(), c.label("en")) == ("清远市", "Qingyuan")  # the words the pages showed before
    assert all(t.source for t in c.targets) and all(x.source for x in c.baselines)


def test_bundled_shares_of_the_target_are_illustrative_and_sum_to_at_most_one():
    c = read_city(bundled_workspace())
    teams, team_src = c.shares_of(2026, "team")
    counties, county_src = c.shares_of(2026, "county")
    assert set(counties) == set(c.counties) and sum(counties.values()) == pytest.approx(1.0)
    assert len(teams) == 7 and sum(teams.values()) < 0.34, "city teams: part of the 2025 pioneer teams' 34%"
    assert team_src.startswith("illustrative") and county_src.startswith("illustrative")
    assert c.shares_of(2025, "team") == ({}, "")


@pytest.mark.parametrize("text, key", [
    ('province = "广东"\n', "city"),
    ('city = "肇庆"\n', "province"),
    ('city = "肇庆"\nprovince = "广东"\ncounties = "端州区"\n', "counties"),
    ('city = "肇庆"\nprovince = "广东"\n[[targets]]\ntarget_yi = 300\nsource = "x"\n', "year"),
    ('city = "肇庆"\nprovince = "广东"\n[[targets]]\nyear = 2026\ntarget_yi = 300\n', "source"),
    ('city = "肇庆"\nprovince = "广东"\n[[targets]]\nyear = 2026\ntarget_yi = "很多"\nsource = "x"\n', "target_yi"),
    ('city = "肇庆"\nprovince = "广东"\n[[baselines]]\nyear = 2025\nstart_rate = 60\nsource = "x"\n', "start_rate"),
    ('city = "肇庆"\nprovince = "广东"\n[[targets]]\nyear = 2026\ntarget_yi = 1\nsource = "x"\n'
     '[[targets]]\nyear = 2026\ntarget_yi = 2\nsource = "x"\n', "year"),
    ('city = "肇庆"\nprovince = "广东"\n[[shares]]\nyear = 2026\nby = "town"\nsource = "x"\nvalues = { a = 0.1 }\n', "by"),
    ('city = "肇庆"\nprovince = "广东"\n[[shares]]\nyear = 2026\nby = "county"\nvalues = { a = 0.1 }\n', "source"),
    ('city = "肇庆"\nprovince = "广东"\n[[shares]]\nyear = 2026\nby = "county"\nsource = "x"\n'
     'values = { "端州区" = 0.7, "高要区" = 0.6 }\n', "values"),
])
def test_bad_settings_name_the_file_and_the_key(text, key):
    with pytest.raises(InputError) as e:
        parse_city(text.encode(), "ws/seeds/city.toml")
    p = e.value.problems[0]
    assert p.file == "ws/seeds/city.toml" and p.column == key


def test_unreadable_settings_say_so():
    with pytest.raises(InputError, match="not a readable TOML"):
        parse_city(b'city = "\n', "city.toml")


def test_a_workspace_without_settings_has_no_city_and_no_plan(tmp_path):
    c = read_city(tmp_path)
    assert c == City() and c.target(2026) is None and c.latest_baseline() is None and c.label() == ""


# ------------------------------------------------------------------ a second city
def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        r = csv.DictReader(f)
        return list(r.fieldnames), list(r)


def _write(path: Path, cols: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def make_zhaoqing(dst: Path) -> Path:
    """The 肇庆 test workspace (see the module's description) in ``dst``."""
    src = bundled_workspace()
    (dst / "graphs").mkdir(parents=True)
    (dst / "seeds").mkdir()
    chain, links, edges = parse_chain((src / "graphs" / f"{CHAIN}.toml").read_bytes(), f"{CHAIN}.toml")
    ids = set(links["id"])
    edges = edges[edges["src"].isin(ids) & edges["dst"].isin(ids)]
    (dst / "graphs" / f"{CHAIN}.toml").write_text(format_chain(chain, links, edges), encoding="utf-8")
    seeds = {p.stem: _rows(p) for p in sorted((src / "seeds").glob("*.csv"))}
    mentions = {r[k] for name in ("firms", "operations", "honours", "signals", "channels", "events")
                for r in seeds[name][1] if OTHER in json.dumps(r, ensure_ascii=False)
                for k in ("id", "firm_id") if k in r}
    active = {r["firm_id"] for r in seeds["operations"][1] if r["link_id"] in ids}
    active |= {r["firm_id"] for r in seeds["events"][1] if r["chain"] == CHAIN}
    firms = active - mentions
    assert "catl" in firms
    keep = {
        "firms": lambda r: r["id"] in firms,
        "operations": lambda r: r["firm_id"] in firms and r["link_id"] in ids,
        "honours": lambda r: r["firm_id"] in firms,
        "signals": lambda r: r["firm_id"] in firms,
        "channels": lambda r: r["firm_id"] in firms,
        "events": lambda r: r["firm_id"] in firms and r["chain"] == CHAIN and r["link_id"] in ids | {""},
        "relations": lambda r: r["src"] in firms and r["dst"] in firms and OTHER not in json.dumps(r, ensure_ascii=False),
    }
    for name, (cols, rows) in seeds.items():
        rows = [r for r in rows if keep[name](r)] if name in keep else []
        if name == "operations":
            rows = [{**r, "local": "false", "entity": ""} | (CATL_PLANT if (r["firm_id"], r["link_id"]) ==
                                                            ("catl", "li_cell") else {}) for r in rows]
        if name == "events":
            rows = [{**r, "in_qingyuan": "true" if HOME in r["place"] else "false"} for r in rows]
        _write(dst / "seeds" / f"{name}.csv", cols, rows)
    for f in (ZQ / "seeds").iterdir():
        (dst / "seeds" / f.name).write_bytes(f.read_bytes())
    return dst


@pytest.fixture(scope="module")
def zhaoqing(tmp_path_factory):
    return make_zhaoqing(tmp_path_factory.mktemp("zq") / "ws")


def test_the_second_city_is_its_own(zhaoqing):
    c = read_city(zhaoqing)
    assert (c.name, c.target(2026), c.counties[0]) == (HOME, 300.0, "端州区")
    text = "".join(p.read_text(encoding="utf-8") for sub in ("graphs", "seeds") for p in (zhaoqing / sub).iterdir()
                   if p.suffix in (".csv", ".toml"))
    assert OTHER not in text  # so any 清远 below comes from code


def run(capsys, ws: Path, *argv: str) -> str:
    code = main(["--workspace", str(ws), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert OTHER not in out + err, (argv, [ln for ln in (out + err).splitlines() if OTHER in ln][:3])
    return out


def test_every_command_runs_on_the_second_city(capsys, tmp_path):
    zhaoqing = make_zhaoqing(tmp_path / "ws")  # its own copy: this test writes (an import, for the history)
    assert "电动自行车" in run(capsys, zhaoqing, "chains")
    gaps = run(capsys, zhaoqing, "gaps", "--chain", CHAIN, "--format", "json")
    status = {g["link_id"]: g["status"] for g in json.loads(gaps)}
    # Its one local plant is CATL's cells; the links its survey found empty are gaps to fill or extend to.
    assert status["li_cell"] == "strengthen"
    assert {status[k] for k in ("hub_motor", "frame", "controller")} <= {"fill", "extend"}
    assert list(status.values()).count("unassessed") == len(status) - 4  # the others were never surveyed
    assert "li_cell" in run(capsys, zhaoqing, "graph", "--chain", CHAIN, "--format", "json")
    ranked = run(capsys, zhaoqing, "rank", "--chain", CHAIN, "--format", "csv", "--top", "50")
    rows = list(csv.DictReader(io.StringIO(ranked.lstrip("\ufeff"))))
    assert {r["责任先锋队"] for r in rows} == {"肇庆市驻深圳招商组", "肇庆市驻上海招商组"}
    assert {r["企业编号"] for r in rows} <= set(read_csv_ids(zhaoqing / "seeds" / "firms.csv"))
    explained = run(capsys, zhaoqing, "explain", "--chain", CHAIN, "catl")
    assert f"已在{HOME}投资" in explained
    xlsx = tmp_path / "targets.xlsx"
    run(capsys, zhaoqing, "-o", str(xlsx), "export", "--chain", CHAIN)
    from openpyxl import load_workbook

    cells = [str(v) for ws in load_workbook(xlsx, read_only=True).worksheets for row in ws.iter_rows(values_only=True)
             for v in row if v is not None]
    assert cells and not any(OTHER in v for v in cells)
    bt = json.loads(run(capsys, zhaoqing, "backtest", "--boot", "20", "--format", "json"))
    assert "ebike" in json.dumps(bt) and "electronics" not in json.dumps(bt)
    ledger = tmp_path / "ledger.csv"
    cols, rows = _rows(ZQ / "seeds" / "projects.csv")
    _write(ledger, cols, [{**rows[0], "id": "ZQ2026-002", "name": "电机项目（示例）", "link_id": "hub_motor",
                           "investor_id": "", "investor_name": "示例电机公司", "signing_kind": "首次签约",
                           "county": "高要区", "park": ""}])
    run(capsys, zhaoqing, "import", "projects", str(ledger), "--author", "肇庆测试")
    history = run(capsys, zhaoqing, "history")
    assert "肇庆测试" in history and "ZQ2026-002" in history, history


def run_both(capsys, ws: Path, *argv: str) -> tuple[str, str]:
    """``run``, with what the command said on standard error (change-set ids, files written)."""
    code = main(["--workspace", str(ws), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert OTHER not in out + err, (argv, [ln for ln in (out + err).splitlines() if OTHER in ln][:3])
    return out, err


def docx_words(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_briefs_mechanism_learning_undo_and_a_round_trip_run_on_the_second_city(capsys, tmp_path):
    from openpyxl import load_workbook

    zhaoqing = make_zhaoqing(tmp_path / "ws")
    # 八个一: its own slots (tests/data/zhaoqing/seeds/mechanism.csv), as a table and as the meeting workbook
    review = json.loads(run(capsys, zhaoqing, "mechanism", "--chain", CHAIN, "--format", "json"))
    assert len(review) == 8 and review[0]["事项"].startswith("一名链长")
    book = tmp_path / "八个一.xlsx"
    run(capsys, zhaoqing, "mechanism", "--format", "xlsx", "-o", str(book))
    wb = load_workbook(book, read_only=True)
    assert wb.sheetnames == ["汇总", "电动自行车"]
    assert not any(OTHER in str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    # the three briefs, in Word: each names 肇庆市 and never 清远
    for argv, name, head in ((("firm", "catl"), "f.docx", "一企一策：宁德时代"),
                             (("chain", "--chain", CHAIN), "c.docx", "电动自行车产业链招商报告"),
                             (("ledger", "--month", "2026-03"), "m.docx", "招商引资月报（2026年3月）")):
        run(capsys, zhaoqing, "brief", *argv, "-o", str(tmp_path / name))
        words = docx_words(tmp_path / name)
        assert words.startswith(head) and f"{HOME}市" in words and OTHER not in words, name
    # learning from its own events, then ranking with what was learned
    said = "".join(run_both(capsys, zhaoqing, "learn", "--boot", "10", "--boot-weights", "2"))
    assert (zhaoqing / "seeds" / "learned_weights.toml").is_file() and "learned_weights.toml" in said
    ranked = json.loads(run(capsys, zhaoqing, "rank", "--chain", CHAIN, "--strategy", "learned", "--format", "json"))
    assert ranked and {r["firm_id"] for r in ranked} <= set(read_csv_ids(zhaoqing / "seeds" / "firms.csv"))
    # an import, undone
    ledger = tmp_path / "ledger.csv"
    cols, rows = _rows(ZQ / "seeds" / "projects.csv")
    _write(ledger, cols, [{**rows[0], "id": "ZQ2026-003", "name": "车架项目（示例）", "link_id": "frame",
                           "investor_id": "", "investor_name": "示例车架公司", "county": "端州区", "park": ""}])
    _, err = run_both(capsys, zhaoqing, "import", "projects", str(ledger), "--author", "肇庆测试")
    change_set = err.rsplit("变更集 ", 1)[1].split("）")[0]
    assert "ZQ2026-003" in run(capsys, zhaoqing, "history", "--table", "projects")
    run(capsys, zhaoqing, "undo", change_set, "--author", "肇庆测试")

    assert "ZQ2026-003" not in set(saved(zhaoqing).projects["id"])
    # dump, and load the dump into a new workspace: the same city, still without 清远
    run(capsys, zhaoqing, "dump", str(tmp_path / "dump"))
    assert read_city(tmp_path / "dump") == read_city(zhaoqing)
    (tmp_path / "ws2").mkdir()
    run(capsys, tmp_path / "ws2", "load", str(tmp_path / "dump"))
    assert "电动自行车" in run(capsys, tmp_path / "ws2", "chains")
    assert f"已在{HOME}投资" in run(capsys, tmp_path / "ws2", "explain", "--chain", CHAIN, "catl")
    assert "already invests in Zhaoqing" in run(capsys, tmp_path / "ws2", "explain", "--chain", CHAIN, "catl",
                                                "--lang", "en")


def test_the_second_city_strips_its_own_counties_from_firm_names(capsys, zhaoqing, tmp_path):
    """A 肇庆 plant's name starts with 肇庆's own county (高要区, 四会市: its city.toml), not 清远's: the importer
    still finds the firm in the library, as a name starting 清城区 would be found in 清远."""
    names = {"肇庆市高要区南都电源有限公司": "narada", "四会市鹏辉能源有限公司": "greatpower"}
    file = tmp_path / "firms.csv"
    _write(file, ["企业名称", "所属环节"], [{"企业名称": n, "所属环节": "li_cell"} for n in names])
    out = run(capsys, zhaoqing, "import", "firms", str(file), "--dry-run")
    rows = {line.split()[1]: line.split()[2:4] for line in out.splitlines()[3:]}
    assert rows == {n: ["合并", fid] for n, fid in names.items()}, out
    # The counties come from the workspace's settings: with 清远's, 高要 is not a place to strip.
    from chainmap.io.matching import FirmMatcher

    firms = saved(zhaoqing).firms[["id", "name_zh", "name_en", "aliases"]]
    for city, method in ((read_city(zhaoqing), "normalised"), (read_city(bundled_workspace()), "none")):
        assert FirmMatcher(firms, places=city.places).match("肇庆市高要区南都电源有限公司").method == method, city.name


def read_csv_ids(path: Path) -> list[str]:
    return [r["id"] for r in _rows(path)[1]]


# ------------------------------------------------------------------ the workbench on the second city
@pytest.fixture
def zq_app(zhaoqing, monkeypatch):
    """The app pointed at the 肇庆 folder (it gets its database on first use)."""
    monkeypatch.setenv("CHAINMAP_WORKSPACE", str(zhaoqing))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    return zhaoqing


def page_text(at) -> str:
    """Every word a page shows: titles, headings, captions, markdown, metrics, messages, tables, choices."""
    parts = [e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                                  "success", "error") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    parts += [p.proto.text for p in at.get("progress")]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("page", ["overview", "map", "targets", "firm", "mechanism", "projects", "maintain",
                                  "incumbents", "imports"])
def test_every_page_shows_the_second_city_and_never_the_first(zq_app, page):
    from tests.test_app import goto, start

    at = start(page)
    if page == "firm":
        at.session_state["firm_pick"] = "catl"
        goto(at, "firm")
    text = page_text(at)
    assert not at.error, [e.value for e in at.error]
    assert OTHER not in text, [ln for ln in text.splitlines() if OTHER in ln][:3]
    expect = {"overview": [f"{HOME}市产业链招商总览", "/ 300亿元", "2025年：120个", "完成投资—（illustrative"],
              "map": ["两轮车锂电芯"], "targets": ["肇庆市驻"], "firm": [f"已在{HOME}市投资"],
              "mechanism": ["一名链长"], "projects": ["ZQ2026-001", "300", "德庆县", "肇庆高新区"],
              "maintain": ["电动自行车链条维护", "两轮车锂电芯"],
              "incumbents": [f"{HOME}市的在地企业", f"在{HOME}市再投资", "在地企业 1个", "宁德时代"],
              "imports": ["数据导入", "项目台账"]}[page]
    for want in expect:
        assert want in text, (page, want)


def test_the_second_city_in_english(zq_app):
    from tests.test_app import start

    at = start()
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    assert at.title[0].value == "Zhaoqing chain promotion: overview"


def test_the_mechanism_workbook_follows_the_language_of_the_page(zq_app, monkeypatch):
    """The 八个一 page exports the workbook the CLI writes (one function), in the page's language."""
    import io

    from openpyxl import load_workbook

    from tests.test_app import RecordingFiles, RecordingMedia, download, goto, start

    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingMedia)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", RecordingFiles)   # deferred downloads

    at = start("mechanism")
    assert load_workbook(io.BytesIO(download(at, "mc_xlsx"))).sheetnames == ["汇总", "电动自行车"]
    at.sidebar.radio(key="lang_choice").set_value("English").run()
    goto(at, "mechanism")
    wb = load_workbook(io.BytesIO(download(at, "mc_xlsx")))
    assert wb.sheetnames == ["Summary", "Electric two-wheelers (e-bike)"]
    head = [c.value for c in next(wb["Summary"].iter_rows(max_row=1))]
    assert head == ["chain", "completeness", "in place", "in progress", "not started", "slots"]
