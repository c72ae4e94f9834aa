"""Reading workspaces: every kind of bad input gets one clear error naming file, row and column."""
import pandas as pd
import pytest

from chainmap.io import InputError, format_workspace, parse_table, parse_workspace, read_workspace
from chainmap.io.tables import decode_bytes
from tests.worlds import PCB_EDGES, PCB_LINKS, PCB_OPS, chain_file, firm, op, pcb_world, table_file


def problems_of(files):
    with pytest.raises(InputError) as info:
        parse_workspace(files)
    return info.value.problems


def test_a_valid_world_parses_into_typed_tables():
    t = parse_workspace(pcb_world())
    assert list(t.chains["id"]) == ["pcbdemo"]
    assert len(t.links) == 7 and len(t.edges) == 6
    assert t.operations["local"].dtype == bool
    assert t.operations.set_index(["firm_id", "link_id"]).loc[("luxshare", "pcba"), "output_yi"] == 20.0


def test_missing_column_names_file_and_column():
    text = "id,name_zh,source\nkingboard,建滔集团,x\n"
    with pytest.raises(InputError) as info:
        parse_table(text, "firms", "seeds/firms.csv")
    msg = str(info.value)
    assert "seeds/firms.csv" in msg and "missing column 'name_en'" in msg


def test_duplicate_firm_id_names_both_rows():
    firms = table_file("firms", [firm("kingboard", "建滔集团"), firm("grace", "宏和科技"), firm("kingboard", "建滔化工")])
    ps = problems_of(pcb_world(**{"seeds/firms.csv": firms}))
    assert {(p.file, p.row, p.column) for p in ps} == {("seeds/firms.csv", 2, "id"), ("seeds/firms.csv", 4, "id")}
    assert "duplicate key 'kingboard'" in ps[0].message


def test_duplicate_link_id_across_chain_files():
    files = pcb_world(**{"graphs/zother.toml": chain_file("zother", "另一链", [("ccl", "覆铜板", "midstream", 1.0)])})
    (p,) = problems_of(files)
    assert p.file == "graphs/zother.toml" and "'ccl' is already defined in graphs/pcbdemo.toml" in p.message


def test_edge_to_unknown_link_names_the_edge():
    files = pcb_world(**{"graphs/pcbdemo.toml": chain_file("pcbdemo", "PCB示例链", PCB_LINKS,
                                                            PCB_EDGES + [("ccl", "pcbb")])})
    (p,) = problems_of(files)
    assert p.file == "graphs/pcbdemo.toml" and p.message == "edge ccl → pcbb: unknown link 'pcbb'"


def test_operation_on_unknown_link_names_the_row():
    ops = table_file("operations", PCB_OPS + [op("kingboard", "coper_foil")])
    (p,) = problems_of(pcb_world(**{"seeds/operations.csv": ops}))
    assert (p.file, p.row, p.column) == ("seeds/operations.csv", len(PCB_OPS) + 2, "link_id")
    assert "unknown link 'coper_foil'" in p.message


def test_edge_against_stage_order_is_refused_unless_feedback():
    back = PCB_EDGES + [("pcba", "yarn")]
    (p,) = problems_of(pcb_world(**{"graphs/pcbdemo.toml": chain_file("pcbdemo", "PCB示例链", PCB_LINKS, back)}))
    assert "pcba → yarn runs from a later stage to an earlier one" in p.message
    ok = PCB_EDGES + [("pcba", "yarn", None, True)]
    t = parse_workspace(pcb_world(**{"graphs/pcbdemo.toml": chain_file("pcbdemo", "PCB示例链", PCB_LINKS, ok)}))
    assert t.edges.set_index(["src", "dst"]).loc[("pcba", "yarn"), "feedback"]


def test_cycle_within_one_stage_is_refused():
    cyc = PCB_EDGES + [("cloth", "yarn")]
    (p,) = problems_of(pcb_world(**{"graphs/pcbdemo.toml": chain_file("pcbdemo", "PCB示例链", PCB_LINKS, cyc)}))
    assert "cycle among supply edges" in p.message and "yarn → cloth → yarn" in p.message


def test_cycle_across_chains_is_refused():
    files = pcb_world(**{"graphs/zmat.toml": chain_file(
        "zmat", "材料", [("copper", "铜杆线", "upstream", 0.5)], [("copper", "foil"), ("pcb", "copper")])})
    (p,) = problems_of(files)
    assert "cycle" in p.message and "graphs/zmat.toml" in p.file


@pytest.mark.parametrize("cell,message", [
    ("abc", "expected a number, got 'abc'"),
    ("-3", "must be at least 0.0, got -3.0"),
])
def test_wrong_type_or_negative_amount_names_row_and_column(cell, message):
    ops = table_file("operations", [op("kingboard", "yarn", output_yi=cell)])
    (p,) = problems_of(pcb_world(**{"seeds/operations.csv": ops}))
    assert (p.row, p.column, p.message) == (2, "output_yi", message)


def test_bad_enum_and_bool_values_are_named():
    ops = table_file("operations", [op("kingboard", "yarn", local="maybe")])
    (p,) = problems_of(pcb_world(**{"seeds/operations.csv": ops}))
    assert p.message == "expected true or false, got 'maybe'"
    files = pcb_world(**{"graphs/pcbdemo.toml": chain_file("pcbdemo", "PCB示例链", [("ccl", "覆铜板", "middle", 1.0)])})
    (p,) = problems_of(files)
    assert p.file == "graphs/pcbdemo.toml" and "link 'ccl'" in p.message and "'middle' is not one of" in p.message


def test_toml_syntax_error_names_the_line():
    (p,) = problems_of(pcb_world(**{"graphs/pcbdemo.toml": b'[chain]\nid = "pcbdemo\n'}))
    assert p.file == "graphs/pcbdemo.toml" and "not valid TOML" in p.message and "line 2" in p.message


def test_gbk_and_bom_exports_read_like_utf8():
    plain = parse_workspace(pcb_world())
    for enc in ("gbk", "utf-8-sig"):
        t = parse_workspace(pcb_world(**{"seeds/firms.csv": table_file("firms", [
            firm("kingboard", "建滔集团"), firm("grace", "宏和科技"), firm("cpic", "国际复材"),
            firm("taishan", "泰山玻纤"), firm("shengyi", "生益科技"), firm("luxshare", "立讯精密")], enc)}))
        assert t.firms.equals(plain.firms)


def test_undecodable_bytes_name_the_file():
    with pytest.raises(InputError, match="a.csv: cannot decode: neither UTF-8 nor GBK"):
        decode_bytes(b"id\n\x80\xff\xfe", "a.csv")


def test_ragged_row_is_reported_with_its_row():
    with pytest.raises(InputError) as info:
        parse_table("link_id,assessed_on,method,source,notes\npcb,2026-11-01,x,y,z,extra\n", "assessments", "a.csv")
    assert (info.value.first.row, info.value.first.message) == (2, "6 cells but the header has 5")


def test_blank_excel_rows_are_skipped_and_rows_keep_their_numbers():
    text = "link_id,assessed_on,method,source,notes\n,,,,\npcb,2026-13,x,y,\n"
    with pytest.raises(InputError) as info:
        parse_table(text, "assessments", "a.csv")
    assert info.value.first.row == 3 and "is not a date" in info.value.first.message


def test_format_then_parse_round_trips():
    t = parse_workspace(pcb_world())
    again = parse_workspace(format_workspace(t))
    for name, df in t.items():
        assert df.equals(getattr(again, name)), name


def test_bundled_workspace_reads_and_round_trips(bundled):
    again = parse_workspace(format_workspace(bundled))
    for name, df in bundled.items():
        assert df.equals(getattr(again, name)), name


def test_reading_a_folder_without_graphs_says_so(tmp_path):
    with pytest.raises(InputError, match="not a workspace folder: it has no graphs/ folder"):
        read_workspace(tmp_path)


def test_a_table_checked_once_is_handed_out_again_but_never_shared_and_a_bad_one_is_always_refused(bundled):
    """validate_table keeps the tables it passed, by content: the same content comes back equal, as a copy of
    its own; a refusal is never kept; a number among the text of a column hashes like its text ("1" and 1) and
    so is checked each time."""
    from chainmap.io.schemas import SPECS
    from chainmap.io.tables import validate_table

    firms = bundled.firms.copy()
    firms["hq_city"] = firms["hq_city"].astype(object)   # as a hand-built table arrives: plain Python objects
    first = validate_table(firms, SPECS["firms"])
    first.loc[first.index[0], "name_zh"] = "改过的名字"     # the caller's copy is its own
    again = validate_table(firms.copy(), SPECS["firms"])
    assert again.equals(validate_table(firms, SPECS["firms"])) and again.loc[again.index[0], "name_zh"] != "改过的名字"
    assert again["hq_city"].tolist() == bundled.firms["hq_city"].tolist()

    text, number = firms.copy(), firms.copy()
    text.loc[text.index[0], "hq_city"] = "1"
    number.loc[number.index[0], "hq_city"] = 1
    assert validate_table(text, SPECS["firms"]).loc[text.index[0], "hq_city"] == "1"
    for _ in range(2):
        with pytest.raises(InputError, match="hq_city"):
            validate_table(number, SPECS["firms"])
    dup = pd.concat([bundled.firms, bundled.firms.iloc[:1]])
    for _ in range(2):   # a refusal is never kept
        with pytest.raises(InputError, match="duplicate|重复"):
            validate_table(dup, SPECS["firms"])
