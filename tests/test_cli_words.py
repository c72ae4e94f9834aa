"""Everything the command says is in the user's language: argparse's own errors and ``--help``, the store's
refusals (a conflict, an unknown change set, a missing workspace) and the command's usage errors, as codes
rendered from the one catalogue (:mod:`chainmap.io.messages`), in Chinese by default and in English.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from chainmap.cli import main
from chainmap.io.messages import ARGPARSE_ZH, ERRORS, HELP, error_words

PACKAGE = Path(__file__).resolve().parents[1] / "chainmap"
#: What argparse says in English on its own (none of it may reach a Chinese screen).
ENGLISH = re.compile(r"usage:|error:|the following arguments are required|invalid choice|unrecognized arguments|"
                     r"expected one argument|show this help|options:|positional arguments")


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:   # argparse exits by itself (help, usage errors)
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, zh, en", [
    (["gaps"], "缺少必填参数：--chain", "the following arguments are required: --chain"),
    (["gaps", "--chain", "ebike", "--format", "xml"], "参数 --format：无效的选项“xml”",
     "argument --format: invalid choice: 'xml'"),
    (["frob"], "参数 COMMAND：无效的选项“frob”", "argument COMMAND: invalid choice: 'frob'"),
    (["chains", "--colour"], "无法识别的参数：--colour", "unrecognized arguments: --colour"),
    (["rank", "--chain"], "参数 --chain：需要一个值", "argument --chain: expected one argument"),
    (["rank", "--chain", "ebike", "--top", "many"], "参数 --top：无效的 int 值：“many”",
     "argument --top: invalid int value: 'many'"),
    (["backtest", "--k", "10,x"], "参数 --k：--k 应为以逗号分隔的整数，如 10,20,50；现为“10,x”",
     "argument --k: --k takes whole numbers joined by commas"),
    (["backtest", "--years", "2024-2021"], "参数 --years：--years：2024 晚于 2021", "--years: 2024 is after 2021"),
])
def test_argparse_errors_are_in_the_users_language(capsys, argv, zh, en):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and zh in err and "：错误：" in err and err.startswith("用法：chainmap"), err
    assert not ENGLISH.search(err), err
    code, _, err = run(capsys, *argv, "--lang", "en")
    assert code == 2 and en in err and ": error: " in err and err.startswith("usage: chainmap"), err


def test_help_is_in_the_users_language(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and out.startswith("用法：chainmap") and "选项" in out and "显示本帮助并退出" in out
    assert "撤销一个变更集，如一次导入" in out and not ENGLISH.search(out), out
    code, out, _ = run(capsys, "rank", "--help", "--lang", "en")
    assert code == 0 and out.startswith("usage: chainmap rank") and "only this pioneer team's targets" in out
    code, out, _ = run(capsys, "import", "-h")
    assert code == 0 and "只显示将要发生的更改，不保存" in out and "show what would change" not in out


COMMANDS = ("chains", "gaps", "rank", "explain", "mechanism", "export", "db", "load", "dump", "backtest", "learn",
            "graph", "import", "brief", "history", "undo")


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_is_in_chinese_by_default_and_english_on_request(capsys, command):
    english = [en[:30] for en, _ in HELP.values()]
    code, out, _ = run(capsys, command, "--help")
    assert code == 0 and out.startswith(f"用法：chainmap {command}") and HELP[command][1] in out
    assert [e for e in english if e in out] == [] and not ENGLISH.search(out), out
    code, out, _ = run(capsys, command, "--help", "--lang", "en")
    assert code == 0 and out.startswith(f"usage: chainmap {command}") and HELP[command][0][:30] in out


def test_every_help_code_the_parser_uses_is_in_the_catalogue_and_every_one_is_used():
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    used = {n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
            and n.func.id == "h" and n.args and isinstance(n.args[0], ast.Constant)}
    assert len(used) > 60 and used - set(HELP) == set() and set(HELP) - used == set()


def test_a_missing_workspace_and_an_unknown_change_set_are_refused_in_both_languages(capsys, tmp_path):
    code, _, err = run(capsys, "chains", "--workspace", str(tmp_path / "nope"))
    assert code == 2 and err.startswith("错误: ") and f"{tmp_path / 'nope'} 处没有工作区：请用 `chainmap load" in err
    code, _, err = run(capsys, "chains", "--workspace", str(tmp_path / "nope"), "--lang", "en")
    assert code == 2 and err.startswith(f"error: no workspace at {tmp_path / 'nope'}")


def test_a_conflict_between_two_saves_is_said_in_both_languages(workspace_copy):
    """Two officers read the same firm; the first saves; the second's save is refused, naming the record."""
    from chainmap.location import open_workspace
    from chainmap.store import ConflictError, Edit

    first, second = open_workspace(workspace_copy), open_workspace(workspace_copy)
    read = second.tables().firms.query("id == 'tailg'")
    first.write({"firms": Edit(upsert=read.assign(notes="2026年3月拜访"))}, author="李明", action="edit firms")
    with pytest.raises(ConflictError) as caught:
        second.write({"firms": Edit(upsert=read.assign(notes="已电话联系"))}, author="王芳", action="edit firms",
                     expected={"firms": read})
    e = caught.value
    assert e.text("zh") == "企业库：1 条记录（tailg）在您打开之后已被他人修改：请重新载入查看对方的版本，再编辑"
    assert str(e) == e.text("en") == ("firms: 1 record(s) (tailg): were changed by someone else since you opened "
                                      "them; reload to see their version, then edit again")


def _codes_raised() -> dict[str, str]:
    """Every code the package gives ``UsageError``, ``StoreError`` (and its kinds), ``CodedError`` (and its kinds)
    or ``ConflictError(…, why=…)`` → where."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            args = []
            if name in ("UsageError", "StoreError", "StoreConnectionError", "IncompleteLoadError", "CodedError",
                        "NoEventsError", "InsufficientEventsError") and node.args:
                args = [node.args[0]]
            elif name == "ConflictError":
                args = [k.value for k in node.keywords if k.arg == "why"]
            elif name == "error_words" and node.args:
                args = [node.args[0]]
            for a in args:
                for v in ([a.body, a.orelse] if isinstance(a, ast.IfExp) else [a]):
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        out.setdefault(v.value, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return out


def test_every_error_code_raised_has_words_in_both_languages_and_every_word_is_used():
    used = _codes_raised()
    assert len(used) > 30, "the collector finds the codes"
    assert {c: w for c, w in used.items() if c not in ERRORS} == {}
    for code, (en, zh) in ERRORS.items():
        assert en and zh, code
    # conflict and changed_since are made by ConflictError itself (its default why)
    assert set(ERRORS) - set(used) - {"conflict", "changed_since"} == set()


def test_the_chinese_words_of_argparse_and_the_help_are_chinese():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert [k for k, zh in ARGPARSE_ZH.items() if not cjk.search(zh)] == []
    assert [k for k, (en, zh) in HELP.items() if not cjk.search(zh) or en == zh] == []
    names = {"n": 2, "names": ["甲公司", "乙公司"]}
    assert error_words("unscorable", names).endswith("2家：甲公司、乙公司")
    assert error_words("unscorable", names, "en").endswith("2 firms: 甲公司, 乙公司")


def test_the_app_says_every_coded_refusal_in_the_sessions_language():
    """The app's error line takes any refusal that is a catalogue code (the core's, the store's, the command
    line's) in the session's language, and anything else as it says itself."""
    import streamlit as st

    from chainmap.app.state import error_words_of
    from chainmap.cli import UsageError
    from chainmap.io.messages import CodedError
    from chainmap.store import StoreError

    refusals = [UsageError("unknown_chain", chain="drones", known=["ebike"]),
                CodedError("weight_negative", key="tier", value=-1), StoreError("no_change_set", change_set="3f9c")]
    assert [error_words_of(e) for e in refusals] == ["未知产业链“drones”（可选：ebike）", "权重“tier”不能为负数，现为 -1",
                                                     "变更记录中没有变更集“3f9c”"]
    st.session_state["lang_choice"] = "English"
    try:
        assert [error_words_of(e) for e in refusals] == [str(e) for e in refusals]
        assert str(refusals[0]) == "unknown chain 'drones'; choose one of: ebike"
    finally:
        del st.session_state["lang_choice"]
    assert error_words_of(PermissionError("read-only disk")) == "read-only disk"


def _cli_codes() -> tuple[set[str], set[str], set[str]]:
    """The codes cli.py gives ``cli_text``, the tables it gives ``_table`` and the progress codes ``_progress``."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    words, tables, progress = set(), set(), set()
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)):
            continue
        first = n.args[0] if n.args else None
        given = {v.value for v in ([first.body, first.orelse] if isinstance(first, ast.IfExp) else [first])
                 if isinstance(v, ast.Constant) and isinstance(v.value, str)}
        if n.func.id == "cli_text":
            words |= given
        elif n.func.id == "_table" and len(n.args) == 3 and isinstance(n.args[2], ast.Constant):
            tables.add(n.args[2].value)
        elif n.func.id == "_progress" and len(n.args) == 2 and isinstance(n.args[1], ast.Constant):
            progress.add(n.args[1].value)
    return words, tables, progress


def test_every_word_of_the_command_is_in_the_catalogue_in_both_languages_and_used():
    """The command's own tables, summaries and file names are catalogue entries (chainmap.io.messages), each in
    English and Chinese, each used by cli.py; cli.py itself writes no Chinese."""
    from chainmap.io.messages import CLI_HEADERS, CLI_WORDS, IMPORT_ACTION_LABEL, UNMATCHED_LABEL

    words, tables, progress = _cli_codes()
    assert (words | progress) - set(CLI_WORDS) == set() and set(CLI_WORDS) - (words | progress) == set()
    assert tables - set(CLI_HEADERS) == set() and set(CLI_HEADERS) - tables == set()
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for code, (en, zh) in CLI_WORDS.items():
        assert en and zh and en != zh, code
    for table, columns in CLI_HEADERS.items():
        assert [c for c, (en, zh) in columns.items() if not en or not cjk.search(zh)] == [], table
    for labels in (IMPORT_ACTION_LABEL, UNMATCHED_LABEL):
        assert set(labels["zh"]) == set(labels["en"]) and all(cjk.search(v) for v in labels["zh"].values())
    # no Chinese outside comments and docstrings of cli.py (the help's default strategy 稳健 is a value, not a word)
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    chinese = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and id(n) not in docs and cjk.search(n.value)]
    assert set(chinese) <= {"稳健"}, chinese


def test_the_commands_tables_and_summaries_in_both_languages(capsys, workspace_copy, tmp_path):
    """Through the real command: the chains table, the graph's title and an import's summary line, zh and en."""
    ws = ["--workspace", str(workspace_copy)]
    code, out, _ = run(capsys, "chains", *ws)
    assert code == 0 and out.split("\n")[0].split()[:3] == ["编号", "产业链", "英文名"]
    code, out, _ = run(capsys, "chains", *ws, "--lang", "en")
    assert code == 0 and out.split("\n")[0].split()[:3] == ["id", "name_zh", "name_en"]
    code, out, _ = run(capsys, "graph", "--chain", "electronics", *ws)
    assert code == 0 and "电子信息产业链图谱（现状）" in out
    code, out, _ = run(capsys, "graph", "--chain", "electronics", *ws, "--lang", "en")
    assert code == 0 and "chain map (current)" in out and "产业链图谱" not in out
    f = tmp_path / "目标企业.csv"
    f.write_text("企业名称,总部城市\n宁德时代新能源科技股份有限公司,宁德\n肇庆宏达电机有限公司,肇庆\n", encoding="utf-8")
    code, out, err = run(capsys, "import", "firms", str(f), "--dry-run", *ws)
    head = out.split("\n")[0]
    assert code == 0 and head == "目标企业.csv（UTF-8）：新增 1，更新 0，合并 1，未变 0，拒绝 0，待核 0", head
    assert out.split("\n")[1].split()[:3] == ["行", "名称", "处理"] and "试运行" in err
    code, out, err = run(capsys, "import", "firms", str(f), "--dry-run", *ws, "--lang", "en")
    head = out.split("\n")[0]
    assert code == 0 and head == "目标企业.csv (UTF-8): added 1, updated 0, merged 1, unchanged 0, rejected 0, review 0", head
    assert out.split("\n")[1].split()[:3] == ["row", "name", "action"] and "dry run" in err


def test_the_backtest_summary_in_both_languages(capsys, workspace_copy):
    """The backtest's table, verdict and goals through the real command: words from the catalogue, zh and en."""
    ws = ["--workspace", str(workspace_copy), "--years", "2023-2023", "--boot", "0", "--k", "10,20"]
    code, zh, _ = run(capsys, "backtest", *ws)
    assert code == 0 and zh.startswith("回测期：2023；") and "对照议题标准" in zh and "默认策略「稳健」对照目标" in zh
    assert "最大企业优先（营收与荣誉）" in zh and "随机基准AP" in zh and "\n  全部: AUC-PR" in zh
    assert "「学习权重＋投资信号」各得分项的贡献" in zh and "\n曾在本链投资 " in zh and "\n补链分 " in zh
    code, en, _ = run(capsys, "backtest", *ws, "--lang", "en")
    assert code == 0 and en.startswith("held-out periods: 2023;") and "against the bars" in en
    assert "biggest firms first (revenue and honours)" in en and "random" in en and "\n  all: AUC-PR" in en
    assert "contribution of each feature" in en and "\ninvested in this chain before " in en and "\nfill " in en
    assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"稳健|跨越|以商引商", "", en)), en
