"""The report of an import: the plan, one line per row, and every layout decision, in Chinese or English.

Planning emits codes and values (:data:`DECISION_COLUMNS`); words for people
are made here, by :meth:`ImportPlan.describe` and :meth:`ImportPlan.row_notes`,
so the CLI's ``--dry-run`` and the app's preview say the same things.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import re

import pandas as pd

from ..errors import InputError, Problem

__all__ = ["ACTIONS", "MAX_BYTES", "DECISION_COLUMNS", "ImportPlan", "check_size", "describe_decision",
           "PROBLEM_ZH", "problem_text", "problems_in"]

#: What can happen to one input row.
ACTIONS = ("added", "updated", "merged", "unchanged", "rejected", "review")
#: Files above this size are refused before they are read.
MAX_BYTES = 50 * 1024 * 1024
#: One decision: the Excel row it concerns (``None``: the whole file), a code, the header, a value, a detail.
DECISION_COLUMNS = ["row", "code", "column", "value", "detail"]

_ACTION_ZH = {"added": "新增", "updated": "更新", "merged": "合并", "unchanged": "未变", "rejected": "拒绝",
              "review": "待核"}
_SKIP_ZH = {"hidden": "隐藏", "cover": "填表说明", "fewer_headers": "表头较少", "empty": "空表",
            "not_a_worksheet": "非工作表"}
_SKIP_EN = {"hidden": "hidden", "cover": "a cover sheet", "fewer_headers": "fewer known headers", "empty": "empty",
            "not_a_worksheet": "not a worksheet"}
_UNIT_FROM_ZH = {"header": "表头自带", "title": "标题行说明", "note": "表头说明"}
_UNIT_FROM_EN = {"header": "its own header", "title": "a title row", "note": "a note in the header"}
_DELIM = {",": ("逗号", "comma"), ";": ("分号", "semicolon"), "\t": ("制表符", "tab"), "|": ("竖线", "bar")}


def describe_decision(d: dict, lang: str = "zh") -> str:
    """One decision in words.

    Examples
    --------
    >>> describe_decision({"row": 9, "code": "total_row", "column": "企业名称", "value": "合计", "detail": ""})
    '第 9 行是合计行（企业名称：合计），未导入'
    >>> describe_decision({"row": None, "code": "unit", "column": "营业收入", "value": "万元", "detail": "title"}, "en")
    "unit 万元 applied to '营业收入' (stated in a title row); amounts converted to 亿元"
    """
    zh = lang == "zh"
    r, code, col, v, det = d.get("row"), d["code"], d.get("column") or "", d.get("value") or "", d.get("detail") or ""
    if code == "sheet":
        return f"使用工作表「{v}」" + ("（隐藏工作表）" if det == "hidden" else "") if zh else \
            f"sheet used: {v!r}" + (" (a hidden sheet)" if det == "hidden" else "")
    if code == "sheet_skipped":
        return f"跳过工作表「{v}」（{_SKIP_ZH.get(det, det)}）" if zh else f"sheet {v!r} skipped ({_SKIP_EN.get(det, det)})"
    if code == "encoding":
        return f"文本编码 {v}" if zh else f"text encoding {v}"
    if code == "delimiter":
        return f"分隔符：{_DELIM.get(v, (v, v))[0]}" if zh else f"delimiter: {_DELIM.get(v, (v, v))[1]}"
    if code == "title_rows":
        return f"第 {v} 行是标题行，已跳过" if zh else f"row(s) {v}: title, skipped"
    if code == "header":
        return f"表头在第 {v} 行" if zh else f"header in row(s) {v}"
    if code == "ignored_column":
        return f"未识别的列「{col}」，已忽略" if zh else f"column {col!r} not recognised, ignored"
    if code == "unit":
        if zh:
            return f"「{col}」按{v}计（{_UNIT_FROM_ZH.get(det, det)}）" + ("，已换算为亿元" if v != "亿元" else "")
        return f"unit {v} applied to {col!r} (stated in {_UNIT_FROM_EN.get(det, det)})" + \
            ("; amounts converted to 亿元" if v != "亿元" else "")
    if code == "total_row":
        return f"第 {r} 行是合计行（{col}：{v}），未导入" if zh else f"row {r}: a total row ({col}: {v}), left out"
    if code == "section_row":
        return f"第 {r} 行是分组标题（{v}），未导入" if zh else f"row {r}: a section title ({v}), left out"
    if code == "blank_row":
        return f"第 {r} 行是空行，已跳过" if zh else f"row {r}: blank, skipped"
    if code == "hidden_row":
        kept = det == "kept"
        return (f"第 {r} 行是隐藏行，" + ("已导入" if kept else "未导入")) if zh else \
            f"row {r}: hidden, " + ("imported" if kept else "left out")
    if code == "merged_fill":
        return f"第 {r} 行「{col}」取自第 {v} 行的合并单元格" if zh else \
            f"row {r}, {col!r}: filled from the merged cell of row {v}"
    if code == "formula_text":
        return f"第 {r} 行「{col}」像公式，已加 ' 按文本保存" if zh else \
            f"row {r}, {col!r}: formula-like text kept as text behind an apostrophe"
    if code == "source":
        return f"识别为：{v}" if zh else f"recognised as: {det or v}"
    if code == "inactive":
        return f"第 {r} 行企业状态为「{v}」（{det}）：已保留并标记，不进入排名" if zh else \
            f"row {r}: status {v} ({det}): kept and flagged, left out of rankings"
    return f"{code} {r or ''} {col} {v} {det}".strip()


@dataclass
class ImportPlan:
    """What importing one file would do; nothing has been changed yet.

    Attributes
    ----------
    kind, table, file : str
        The import kind, the table it fills and the file name.
    encoding, sheet : str
        ``UTF-8``, ``UTF-8-BOM`` or ``GB18030`` for text (``xlsx``, ``xlsm``,
        ``xls`` or ``et`` for a workbook) and the sheet read.
    upserts : dict of str to DataFrame
        Per table, the whole records to insert or replace by key (the store's
        ``Edit(upsert=…)``). Empty tables are left out.
    report : DataFrame
        One line per input row: ``row`` (as the spreadsheet numbers it),
        ``name``, ``action`` (one of :data:`ACTIONS`), ``firm_id``,
        ``reason``, ``candidates`` (``|``-joined, for review rows).
    problems : list of Problem
        Why rows were rejected (only non-empty with ``accept_valid``).
    decisions : DataFrame
        Every layout decision (:data:`DECISION_COLUMNS`): the sheet used and
        those skipped, title and header rows, units applied per column, rows
        left out (totals, blank, section titles, hidden), cells filled from a
        merge. See :meth:`describe`.
    """

    kind: str
    table: str
    file: str
    encoding: str
    sheet: str
    upserts: dict[str, pd.DataFrame]
    report: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    decisions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DECISION_COLUMNS))

    @property
    def review(self) -> pd.DataFrame:
        """The rows a person must decide: name, candidates and reason."""
        return self.report[self.report["action"] == "review"]

    def counts(self) -> dict[str, int]:
        """Rows per action, every action listed."""
        c = self.report["action"].value_counts()
        return {a: int(c.get(a, 0)) for a in ACTIONS}

    @property
    def source(self) -> tuple[str, str]:
        """The recognised source ``(zh, en)`` (深交所A股列表, SZSE A-share list), or blanks."""
        d = self.decisions
        hit = d[d["code"] == "source"] if len(d) else d
        return (str(hit["value"].iloc[0]), str(hit["detail"].iloc[0])) if len(hit) else ("", "")

    @property
    def flagged(self) -> int:
        """Rows whose firm is 注销/吊销/退市 (kept, flagged, out of rankings)."""
        d = self.decisions
        return int((d["code"] == "inactive").sum()) if len(d) else 0

    @property
    def changes(self) -> int:
        """How many records the plan writes."""
        return sum(len(df) for df in self.upserts.values())

    @property
    def notes(self) -> list[str]:
        """The decisions in English (see :meth:`describe`)."""
        return self.describe("en")

    def describe(self, lang: str = "zh", *, limit: int | None = None) -> list[str]:
        """Every decision in words, file-level first, then by row; ``limit`` keeps the first ones."""
        d = self.decisions
        lines = [describe_decision(r, lang) for r in d.to_dict("records")[: limit]] if len(d) else []
        if limit is not None and len(d) > limit:
            lines.append(f"……另有 {len(d) - limit} 条" if lang == "zh" else f"… and {len(d) - limit} more")
        return lines

    def row_notes(self, lang: str = "zh") -> pd.Series:
        """Per Excel row of the report, the layout decisions that concern it (merge fills, hidden, formula text)."""
        d = self.decisions
        d = d[d["row"].notna() & d["code"].isin(["merged_fill", "hidden_row", "formula_text"])] if len(d) else d
        if not len(d):
            return pd.Series(dtype=object)
        words = [describe_decision(r, lang) for r in d.to_dict("records")]
        return pd.Series(words, index=d["row"].astype(int).to_numpy()).groupby(level=0).agg("；".join if lang == "zh"
                                                                                             else "; ".join)

    def report_for(self, lang: str = "zh") -> pd.DataFrame:
        """The report with actions in words and a ``layout`` column from :meth:`row_notes`."""
        out = self.report.drop(columns="candidates")
        if lang == "zh":
            out = out.assign(action=out["action"].map(_ACTION_ZH))
        notes = self.row_notes(lang)
        if len(notes):
            out = out.assign(layout=out["row"].map(notes).fillna(""))
        return out


def check_size(size: int, file: str, limit: int = MAX_BYTES) -> None:
    """Refuse a file larger than ``limit`` bytes, before reading it.

    Examples
    --------
    >>> check_size(120 * 1024 * 1024, "全国企业库.xlsx")
    Traceback (most recent call last):
    ...
    chainmap.io.errors.InputError: 全国企业库.xlsx: the file is 120.0 MB, more than the 50 MB an import takes; split it into smaller files
    """
    if size > limit:
        raise InputError([Problem(file, f"the file is {size / 2**20:.1f} MB, more than the {limit / 2**20:g} MB an "
                                        f"import takes; split it into smaller files")])


#: The one catalogue of problem messages (English at the source) → Chinese, for the CLI and the app: (pattern, replacement), the first full match wins.
PROBLEM_ZH: list[tuple[str, str]] = [
    (r"a formula \((.*)\) in a cell: .*", r"单元格中是公式（\1）：不计算公式，请粘贴为数值，或按文本导入公式"),
    (r"text that a spreadsheet would run as a formula \((.*)\) in a cell: .*",
     r"单元格文本以 = + - @ 开头，会被表格软件当作公式执行（\1）：请修改，或按文本导入（前加 '）"),
    (r"control character (U\+[0-9A-F]+) in (.*): .*", r"\2 中含不可见控制字符 \1：请重新输入（复制的文字常带此类字符）"),
    (r"no header row in the first 10 rows(?: of sheet '(.*)')?; expected headers such as (.*)",
     r"前10行中找不到表头（工作表「\1」）；应包含如 \2 等列名"),
    (r"missing column (.*?)(?: of sheet '(.*)')?; the header \(row (\d+)\) has: (.*)",
     r"缺少列 \1（工作表「\2」第 \3 行的表头为：\4）"),
    (r"no sheet to import: (.*)", r"没有可导入的工作表：\1"),
    (r"two columns mean '(.*)': '(.*)' and '(.*)'", r"“\2”和“\3”两列含义相同，请删去一列"),
    (r"amounts in a foreign currency: .*", "金额为外币：请先换算为亿元人民币"),
    (r"not a readable workbook \((.*)\); .*", r"不是可读取的工作簿（\1）：请用 Excel 或 WPS 重新另存为 xlsx 或“CSV UTF-8”"),
    (r"the file is UTF-16 text.*", "文件是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”"),
    (r"binary content \(a NUL byte at offset (\d+)\).*", r"文件含二进制内容（第 \1 字节为 NUL）：不是 CSV 文本，请另存为 xlsx 或“CSV UTF-8”"),
    (r"cannot decode.*", "无法识别文件编码：请在 Excel 或 WPS 中另存为“CSV UTF-8”或 xlsx"),
    (r"broken CSV: (.*)", r"CSV 格式错误：\1"),
    (r"the file is ([\d.]+) MB, more than the (\d+) MB an import takes.*", r"文件 \1 MB，超过导入上限 \2 MB：请拆分为较小的文件"),
    (r"required, but empty", "必填，但为空"),
    (r"negative amount (.*): .*", r"金额为负数 \1：金额须大于或等于零"),
    (r"approximate amount (.*?): .*", r"金额为约数 \1：只填数字（如 5亿），“约”写在备注中"),
    (r"not an amount: (.*?) \(.*", r"不是金额：\1（应写作 3.5、1.2亿 或 12000万元）"),
    (r"(signing|contact) date (.*) is after today \((.*)\).*",
     r"日期 \2 晚于今天（\3）：发生后再登记"),
    (r"unknown chain '(.*)' \(known: (.*)\)", r"未知产业链“\1”（现有：\2）"),
    (r"unknown link '(.*)' in chain (.*)", r"产业链\2中没有环节“\1”"),
    (r"unknown link '(.*)'", r"未知环节“\1”"),
    (r"unknown firm id '(.*)': .*", r"企业库中没有编号“\1”：请先导入该企业（chainmap import firms）"),
    (r"firm '(.*)' is not in the library: .*", r"企业库中没有“\1”：请先导入该企业（chainmap import firms）"),
    (r"credit code '(.*)' is not valid .*", r"统一社会信用代码“\1”无效（应为18位且校验位正确）"),
    (r"credit code (\S+) is also given to '(.*)' on an earlier row.*", r"统一社会信用代码 \1 已用于前面一行的“\2”：一码一企"),
    (r"'(.*)' is not one of (.*?)(?: \(or .*\))?", r"“\1”不是可选值（可选：\2）"),
    (r"expected a whole number, got (.*)", r"应为整数，现为\1"),
    (r"must be between (.*) and (.*), got (.*)", r"应在\1到\2之间，现为\3"),
    (r"expected 是/否 or true/false, got (.*)", r"应为“是/否”，现为\1"),
    (r"a firm cannot relate to itself \((.*)\)", r"企业不能与自身建立关系（\1）"),
    (r"unknown column '(.*)' for (\w+); columns: (.*)", r"对照表中的列“\1”不是 \2 的字段（可用：\3）"),
    # the tables' own checks (chainmap.io.schemas), met when the app saves a form or a table
    (r"duplicate key (.*)", r"编号重复：\1"),
    (r"'(.*)' is not a date like .*", r"“\1”不是有效日期（应写作2025、2025-09或2025-09-01）"),
    (r"'(.*)' is not an id of lowercase letters, digits and _", r"“\1”不是有效编号（只能用小写字母、数字和下划线）"),
    (r"must be at least (.*), got (.*)", r"不能小于\1（现为\2）"),
    (r"must be at most (.*), got (.*)", r"不能大于\1（现为\2）"),
    (r"expected a number, got (.*)", r"应为数字，现为\1"),
    (r"expected true or false, got (.*)", r"应为“是/否”，现为\1"),
    (r"unknown chain '(.*)'", r"未知产业链“\1”"),
    (r"unknown firm '(.*)': .*", r"企业库中没有“\1”：请留空投资方编号、只填投资方名称，或先将该企业加入企业库"),
    (r"unknown firm '(.*)'", r"企业库中没有“\1”"),
    (r"missing column '(.*)'.*", r"缺少列“\1”"),
    (r"no header row found.*expected headers such as (.*)", r"前10行中找不到表头，应包含如 \1 等列名"),
    (r"not a readable xlsx workbook.*", "不是可读取的xlsx工作簿：请在Excel或WPS中另存为xlsx或“CSV UTF-8”"),
    (r"(\d+) cells but the header has (\d+)", r"该行有\1个单元格，但表头只有\2列"),
]


def problem_text(message: str, lang: str = "zh") -> str:
    """An import problem's message in the user's language (messages are English at the source).

    Examples
    --------
    >>> problem_text("a formula (=F13*2) in a cell: formulas are not evaluated; paste the values instead")
    '单元格中是公式（=F13*2）：不计算公式，请粘贴为数值，或按文本导入公式'
    >>> problem_text("required, but empty", "en")
    'required, but empty'
    """
    if lang != "zh":
        return message
    for pattern, repl in PROBLEM_ZH:
        m = re.fullmatch(pattern, message, flags=re.S)
        if m:
            return m.expand(repl).replace("（工作表「」）", "").replace("工作表「」", "")
    return message


def problems_in(err: InputError, lang: str = "zh") -> InputError:
    """The same error with each message in the user's language, and its place said in it too.

    Examples
    --------
    >>> e = InputError([Problem("a.xlsx", "required, but empty", row=3, column="企业名称", sheet="目标企业")])
    >>> print(problems_in(e))
    a.xlsx，工作表「目标企业」，第 3 行，「企业名称」：必填，但为空
    """
    if lang != "zh":
        return err
    return InputError([_ZhProblem(p.file, problem_text(p.message, lang), p.row, p.column, p.sheet)
                       for p in err.problems])


class _ZhProblem(Problem):
    def __str__(self) -> str:
        where = [self.file] + ([f"工作表「{self.sheet}」"] if self.sheet else []) + \
            ([f"第 {self.row} 行"] if self.row is not None else []) + \
            ([f"「{self.column}」"] if self.column else [])
        return f"{'，'.join(where)}：{self.message}"
