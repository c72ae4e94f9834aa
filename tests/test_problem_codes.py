"""Problems with input are codes with values; one catalogue says each in Chinese and in English.

The codes are collected from the source with :mod:`ast` (every ``Problem(file, "code", …)``,
``Invalid("code", …)`` and ``ctx.bad(column, "code", …)``), and from running the bad files of the
import corpus, so a code added without words in both languages fails here.
"""
from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from chainmap.cli import main
from chainmap.i18n import error_text, problem_line, problem_text
from chainmap.io import InputError, Problem, bundled_workspace, read_workspace
from chainmap.io.errors import Invalid
from chainmap.io.importers import plan_import
from chainmap.io.messages import PROBLEMS, REASONS, render
from tests.conftest import data_fingerprint

PACKAGE = Path(__file__).resolve().parents[1] / "chainmap"
DATA = Path(__file__).parent / "data"


def _strings(node) -> set[str]:
    """The codes an expression may give: a string, or either branch of ``a if cond else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def codes_in_source() -> dict[str, str]:
    """Every problem code the package emits → where (file:line): ``Problem(file, code)``, ``Invalid(code)``,
    ``ctx.bad(column, code)``, ``Bad((column, code, params))`` and the schema checks' ``_describe``."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            arg = None
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name == "Problem":
                    arg = node.args[1] if len(node.args) > 1 else next(
                        (k.value for k in node.keywords if k.arg == "code"), None)
                elif name == "Invalid":
                    arg = node.args[0] if node.args else None
                elif name == "bad" and len(node.args) > 1:
                    arg = node.args[1]
                elif name == "Bad" and node.args and isinstance(node.args[0], ast.Tuple):  # Bad((column, code, …))
                    arg = node.args[0].elts[1]
                if isinstance(arg, ast.Starred):
                    arg = None
            elif isinstance(node, ast.FunctionDef) and node.name == "_describe":  # schema checks → codes
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Tuple):
                        for code in _strings(ret.value.elts[0]):
                            out.setdefault(code, f"{path.name}:{ret.lineno}")
            if arg is not None:
                for code in _strings(arg):
                    out.setdefault(code, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return out


def test_the_source_emits_codes_and_every_code_is_in_the_catalogue_in_both_languages():
    used = codes_in_source()
    assert len(used) > 60, "the collector finds the codes (they were ~90 call sites)"
    missing = {c: w for c, w in used.items() if c not in PROBLEMS}
    assert missing == {}, f"codes without words: {missing}"
    for code, (en, zh) in PROBLEMS.items():
        assert en and zh, code
    unused = set(PROBLEMS) - set(used) - {"other"}
    assert unused == set(), f"words for codes nothing emits: {sorted(unused)}"


def test_the_collector_sees_a_code_missing_from_the_catalogue(tmp_path, monkeypatch):
    """The check can fail: a call site with a code the catalogue lacks is reported."""
    fake = tmp_path / "chainmap"
    fake.mkdir()
    (fake / "x.py").write_text('def f(ctx):\n    raise ctx.bad("name_zh", "no_such_words", value=1)\n'
                               'P = Problem("a.csv", "required", row=2)\n', encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert set(codes_in_source()) == {"no_such_words", "required"}


def test_a_problem_refuses_a_code_without_words():
    with pytest.raises(ValueError, match="unknown problem code 'duplicate id'"):
        Problem("seeds/firms.csv", "duplicate id", row=7)
    with pytest.raises(KeyError, match="no_such_code"):
        render("no_such_code")


_CJK = re.compile(r"[\u4e00-\u9fff]")
# English sentence words that must not be left in a Chinese message (values quoted from the file are fine).
_ENGLISH = re.compile(r"\b(?:the|a|an|is|not|must|expected|unknown|missing|required|got|one of|column|row)\b")


def _corpus_problems() -> list[Problem]:
    """The problems of every file of the import corpus imported as each kind it might be mistaken for."""
    tables = read_workspace(bundled_workspace())
    files = sorted(p for p in (DATA / "layout").iterdir() if p.suffix in (".xlsx", ".xls", ".csv", ".txt")) + \
        [DATA / "messy_import.xlsx", DATA / "messy_firms_gbk.csv", DATA / "company_db_export.csv"]
    out = []
    for f in files:
        for kind in ("firms", "projects", "operations"):
            try:
                plan = plan_import(f.read_bytes(), kind, f.name, tables, today=dt.date(2026, 12, 1), accept_valid=True)
                out += plan.problems
            except InputError as e:
                out += e.problems
    return out


def test_every_problem_of_the_bad_file_corpus_is_said_in_both_languages():
    problems = _corpus_problems()
    codes = {p.code for p in problems}
    assert len(codes) >= 8, codes  # the corpus meets many kinds of problem
    assert "other" not in codes, [str(p) for p in problems if p.code == "other"][:3]
    for p in problems:
        en, zh = problem_text(p, "en"), problem_text(p, "zh")
        assert en == p.text() and en in str(p)
        assert _CJK.search(zh), (p.code, zh)
        leftover = _ENGLISH.findall(re.sub(r"'[^']*'|“[^”]*”|「[^」]*」|\([^)]*\)|（[^）]*）", "", zh))
        assert not leftover, (p.code, zh)


def test_a_cells_error_keeps_its_code_through_the_parsers():
    e = Invalid("negative_amount", value="-5")
    assert isinstance(e, ValueError) and str(e) == "negative amount '-5': amounts must be zero or more"
    p = Problem.from_error("a.csv", e, row=3, column="营业收入")
    assert (p.code, p.params, p.row) == ("negative_amount", {"value": "-5"}, 3)
    assert problem_line(p) == "a.csv，第 3 行，「营业收入」：金额为负数 '-5'：金额须大于或等于零"
    q = Problem.from_error("a.csv", ValueError("a library's own words"), row=3)
    assert (q.code, q.text("zh")) == ("other", "a library's own words")


def test_more_than_twenty_problems_are_counted_in_the_users_language():
    err = InputError([Problem("a.csv", "required", row=n, column="企业名称") for n in range(2, 27)])
    zh, en = error_text(err).splitlines(), error_text(err, "en").splitlines()
    assert len(zh) == len(en) == 21
    assert zh[-1] == "……另有 5 个问题" and en[-1] == "... and 5 more problems"
    assert zh[0] == "a.csv，第 2 行，「企业名称」：必填，但为空" and en[0] == str(err).splitlines()[0]


BAD_FIRMS = ("企业名称,所属产业链,营业收入（亿元）,统一社会信用代码\n"
             "建滔集团,电子信息,-5,\n"
             "某某新材料有限公司,不存在的链,3,\n"
             ",电子信息,2,\n"
             "另一家电子有限公司,电子信息,1,91441800MA00000000\n")


def test_the_same_bad_file_is_refused_in_chinese_and_in_english(workspace_copy, tmp_path, capsys):
    f = tmp_path / "名单.csv"
    f.write_text(BAD_FIRMS, encoding="utf-8")
    before = data_fingerprint(workspace_copy)
    assert main(["import", "firms", str(f), "--workspace", str(workspace_copy)]) == 2
    zh = capsys.readouterr().err
    assert main(["import", "firms", str(f), "--workspace", str(workspace_copy), "--lang", "en"]) == 2
    en = capsys.readouterr().err
    assert zh.startswith("错误: ") and en.startswith("error: ")
    assert "名单.csv，第 2 行，「营业收入（亿元）」：金额为负数 '-5'：金额须大于或等于零" in zh
    assert "名单.csv, row 2, column '营业收入（亿元）': negative amount '-5': amounts must be zero or more" in en
    assert "第 3 行，「所属产业链」：未知产业链“不存在的链”（现有：" in zh
    assert "row 3, column '所属产业链': unknown chain '不存在的链' (known: " in en
    assert "第 4 行，「企业名称」：必填，但为空" in zh and "row 4, column '企业名称': required, but empty" in en
    assert "统一社会信用代码“91441800MA00000000”无效" in zh and "credit code '91441800MA00000000' is not valid" in en
    assert not re.search(r"required|negative|unknown|not valid", zh)
    assert data_fingerprint(workspace_copy) == before
    # with --accept-valid the good rows go on and each refused row is said in the same language
    assert main(["import", "firms", str(f), "--workspace", str(workspace_copy), "--accept-valid", "--dry-run"]) == 0
    zh = capsys.readouterr().err
    assert "已拒绝: 名单.csv，第 4 行，「企业名称」：必填，但为空" in zh
    assert main(["import", "firms", str(f), "--workspace", str(workspace_copy), "--accept-valid", "--dry-run",
                 "--lang", "en"]) == 0
    assert "rejected: 名单.csv, row 4, column '企业名称': required, but empty" in capsys.readouterr().err


# --- the row decisions of an import: codes too, worded in the report ------------------------------------------------

def _reason_codes_in_source() -> set[str]:
    """Codes of reason parts written in the import package: ``("code", {...})`` tuples."""
    out = set()
    for path in (PACKAGE / "io" / "importing").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[1], ast.Dict) \
                    and isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[0].value, str):
                out.add(node.elts[0].value)
    return out


def test_every_reason_code_has_words_in_both_languages_and_every_word_a_use():
    used = _reason_codes_in_source()
    assert {"new_firm", "method_match", "changed", "uncertain"} <= used
    assert used <= set(REASONS), f"reasons without words: {sorted(used - set(REASONS))}"
    assert set(REASONS) <= used, f"words for reasons nothing gives: {sorted(set(REASONS) - used)}"
    assert all(en and zh for en, zh in REASONS.values())


def test_the_import_report_gives_each_rows_reason_in_the_users_language():
    tables = read_workspace(bundled_workspace())
    plan = plan_import((DATA / "messy_import.xlsx").read_bytes(), "firms", "messy_import.xlsx", tables,
                       today=dt.date(2026, 12, 1), accept_valid=True)
    zh, en = plan.report_for("zh"), plan.report_for("en")
    assert len(zh) == len(en) == len(plan.report) and (zh["reason"] != "").all()
    by_action = dict(zip(zh["action"], zh["reason"]))
    assert by_action["新增"] == "新企业"
    assert all(_CJK.search(r) for r in zh["reason"]), zh["reason"].tolist()
    assert "new firm" in set(en["reason"]) and not any(_CJK.search(a) for a in en["action"])
    # a rejected row's reason is its problem, in the same words as the problem itself
    rejected = plan.report["action"] == "rejected"
    assert sorted(zh.loc[rejected, "reason"]) == sorted(problem_text(p) for p in plan.problems)
    review = plan.review_for("zh")
    assert len(review) == plan.counts()["review"] and review["reason"].str.contains("请从").all()
