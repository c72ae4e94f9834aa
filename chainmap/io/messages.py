"""The catalogue of input problems: every code a :class:`~chainmap.io.errors.Problem` can carry, in English and Chinese.

The code that finds a problem emits a code and its values
(``Problem(file, "unknown_link", {"link": "电机"}, row=4, column="所属环节")``);
words for people are made from this one table, in the user's language, by
:func:`render` (used by :mod:`chainmap.i18n` for the CLI, the app and exports).
English stays available to ``str(problem)`` for logs and tracebacks, which is
why the table sits at the io layer that raises the problems: it is data, with
no imports.

A template is a :meth:`str.format` string over the problem's ``params``, or a
function of the params for the few messages with optional parts. A list value
is joined with ``", "`` in English and ``"、"`` in Chinese (``{x!r}`` is never
used on lists).
"""
from __future__ import annotations

from typing import Mapping

__all__ = ["PROBLEMS", "REASONS", "DECISIONS", "MORE_PROBLEMS", "render", "place", "reason_words", "describe_decision",
           "ERRORS", "DOING", "TABLE_LABEL", "error_words", "ARGPARSE_ZH", "HELP", "help_words", "SAID", "said", "Coded", "CodedError",
           "STATUS_LABEL", "STAGE_LABEL", "COLUMN_LABEL", "SYSTEM_LABEL", "basis_words", "OP_LABEL", "KIND_LABEL",
           "MAINTAIN_LABEL", "HISTORY_HEADERS", "HONOUR_LABEL", "CHANNEL_LABEL", "MODE_LABEL", "METHOD_LABEL",
           "SIGNAL_LABEL", "FIELD_LABEL", "RELATION_LABEL", "SCORE_REASONS", "REASON_HEADS", "REASON_SEP_BEFORE",
           "COMPONENT_LABEL", "EXPLAIN_WORDS", "SLOT_STATUS_LABEL", "MECHANISM_LABEL", "CLI_HEADERS", "CLI_WORDS",
           "IMPORT_ACTION_LABEL", "UNMATCHED_LABEL"]

def _opt(text: str, key: str, p: dict) -> str:
    return text.format_map(p) if p.get(key) else ""


#: code → (English, Chinese). English reproduces the messages the code emitted before it emitted codes.
PROBLEMS: dict[str, tuple] = {
    # anything that truly needs free text: a wrapped library error, a message from outside chainmap
    "other": ("{message}", "{message}"),
    # --- files as a whole
    "file_too_big": ("the file is {size_mb:.1f} MB, more than the {limit_mb:g} MB an import takes; split it into "
                     "smaller files", "文件 {size_mb:.1f} MB，超过导入上限 {limit_mb:g} MB：请拆分为较小的文件"),
    "cannot_decode": ("cannot decode: neither UTF-8 nor GBK/GB18030 (first bad byte at offset {offset}); save the "
                      "file as 'CSV UTF-8' from Excel or WPS",
                      "无法识别文件编码：请在 Excel 或 WPS 中另存为“CSV UTF-8”或 xlsx"),
    "utf16": ("the file is UTF-16 text (Excel's 'Unicode text'): save it as 'CSV UTF-8'",
              "文件是 UTF-16 文本（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8”"),
    "binary_content": ("binary content (a NUL byte at offset {offset}): not a CSV text file; save it as .xlsx or "
                       "'CSV UTF-8'", "文件含二进制内容（第 {offset} 字节为 NUL）：不是 CSV 文本，请另存为 xlsx 或“CSV UTF-8”"),
    "not_a_workbook": ("not a readable workbook ({error}); save it from Excel or WPS again, as .xlsx or as 'CSV UTF-8'",
                       "不是可读取的工作簿（{error}）：请用 Excel 或 WPS 重新另存为 xlsx 或“CSV UTF-8”"),
    "broken_csv": ("broken CSV: {error}", "CSV 格式错误：{error}"),
    "cut_off_quoted": ("the file ends inside a quoted cell: it was cut off (copied or saved incompletely); restore it "
                       "from a backup", "文件在一个带引号的单元格中间结束：文件不完整（复制或保存未完成），请从备份恢复"),
    "empty_file": ("the file is empty: a header row is needed", "文件为空：至少需要一行表头"),
    "cut_off_row": ("the file ends in the middle of this row ({cells} of {width} cells): it was cut off (copied or "
                    "saved incompletely); restore it from a backup",
                    "文件在此行中间结束（{width} 列中只有 {cells} 列）：文件不完整（复制或保存未完成），请从备份恢复"),
    "row_width": ("{cells} cells but the header has {width}", "该行有{cells}个单元格，但表头只有{width}列"),
    "not_toml": ("not a readable TOML file: {error}", "不是可读取的 TOML 文件：{error}"),
    "not_valid_toml": ("not valid TOML: {error}", "TOML 格式错误：{error}"),
    "not_regular_file": ("not a regular file (a pipe, device or folder): remove it",
                         "不是普通文件（管道、设备或文件夹）：请删除"),
    # --- workspaces and settings
    "no_such_folder": ("no such folder", "文件夹不存在"),
    "not_a_workspace": ("not a workspace folder: it has no {folder}/ folder", "不是工作区文件夹：其中没有 {folder}/ 文件夹"),
    "missing_table": ("missing: a workspace folder needs this table (a header row alone is fine)",
                      "缺少此表：工作区需要它（只有表头行也可以）"),
    "no_chain_files": ("no chain files (graphs/*.toml) in the workspace", "工作区中没有产业链文件（graphs/*.toml）"),
    "chain_id_not_file": ("[chain] id {id!r} must equal the file name {stem!r}", "[chain] 的 id“{id}”须与文件名“{stem}”相同"),
    "missing_home": ('missing; give the home {key}, e.g. {key} = "{example}"',
                     lambda p: f'缺少：请填写本地{"城市" if p["key"] == "city" else "省份"}，如 {p["key"]} = "{p["example"]}"'),
    "not_text": ("must be text", "须为文字"),
    "not_names": ('must be a list of names, e.g. ["甲", "乙"]', '须为名称列表，如 ["甲", "乙"]'),
    "not_tables": ("must be a list of tables ([[{key}]])", "须为表数组（[[{key}]]）"),
    "missing_in": ("missing in {where}", "{where} 中缺少此项"),
    "not_count": ("{where}: {value!r} is not a whole number ≥ 0", "{where}：{value!r} 不是大于或等于 0 的整数"),
    "not_amount_ge0": ("{where}: {value!r} is not a number ≥ 0", "{where}：{value!r} 不是大于或等于 0 的数"),
    "give_year": ("{where}: give the year, e.g. year = 2026", "{where}：请填写年份，如 year = 2026"),
    "year_twice": ("[[{key}]]: the year {year} is given twice", "[[{key}]]：年份 {year} 出现了两次"),
    "figures_unsourced": ("{where}: missing; say where the figures come from", "{where}：缺少来源，请注明数字出处"),
    "not_a_share": ("{where}: {value!r} is a share, between 0 and 1", "{where}：{value!r} 是比例，应在 0 到 1 之间"),
    "shares_by": ('{where}: by = "team" or by = "county"', '{where}：应为 by = "team" 或 by = "county"'),
    "shares_twice": ("[[shares]] {year} {by} is given twice", "[[shares]] {year} {by} 出现了两次"),
    "shares_unsourced": ("{where}: missing; say what the shares are based on", "{where}：缺少来源，请注明比例的依据"),
    "shares_missing": ('{where}: give the shares, e.g. values = {{ "某区" = 0.2 }}', '{where}：请填写比例，如 values = {{ "某区" = 0.2 }}'),
    "shares_over_one": ("{where}: shares are parts of the target, each and their sum ≤ 1",
                        "{where}：比例是目标的组成部分，每项及其合计都不能超过 1"),
    "no_weights": ("has no [weights] table: run chainmap learn again", "没有 [weights] 表：请重新运行 chainmap learn"),
    "weight_not_number": ("weights.{key} must be a number, got {value!r}", "weights.{key} 须为数字，现为{value!r}"),
    # --- sheets, headers and the column mapping
    "unknown_kind": ("unknown kind {kind!r}: one of {kinds}", "未知的导入类型“{kind}”（可选：{kinds}）"),
    "mapping_unknown_column": ("unknown column {column!r} for {kind}; columns: {columns}",
                               "对照表中的列“{column}”不是 {kind} 的字段（可用：{columns}）"),
    "mapping_entry": ("every entry must be \"their header\" = \"our column\"; not: {entry!r}",
                      "对照表每项须写作 \"原表头\" = \"本系统列名\"；此项不符：{entry}"),
    "mapping_row": ("each row needs two cells: their header, our column", "每行需要两个单元格：原表头、本系统列名"),
    "no_sheet": (lambda p: "no sheet to import: " + ", ".join(f"{n!r} is {_SHEET_WHY[0].get(w, w)}"
                                                              for n, w in p["skipped"]),
                 lambda p: "没有可导入的工作表：" + "，".join(f"「{n}」{_SHEET_WHY[1].get(w, w)}"
                                                       for n, w in p["skipped"])),
    "no_header": ("no header row in the first 10 rows; expected headers such as {expected}",
                  "前10行中找不到表头；应包含如 {expected} 等列名"),
    "same_column_twice": ("two columns mean {column!r}: {first!r} and {second!r}", "“{first}”和“{second}”两列含义相同，请删去一列"),
    "foreign_currency": ("amounts in a foreign currency: convert them to 亿元 first", "金额为外币：请先换算为亿元人民币"),
    "missing_header": (lambda p: f"missing column {' or '.join(repr(h) for h in p['want'])}; the header "
                                 f"(row {p['header_row']}) has: {', '.join(p['have'])}",
                       lambda p: f"缺少列 {' 或 '.join(f'“{h}”' for h in p['want'])}（第 {p['header_row']} 行的表头为："
                                 f"{'、'.join(p['have'])}）"),
    # --- cells
    "required": ("required, but empty", "必填，但为空"),
    "formula": ("a formula ({text}) in a cell: formulas are not evaluated; paste the values instead, or import "
                "formulas as text", "单元格中是公式（{text}）：不计算公式，请粘贴为数值，或按文本导入公式"),
    "formula_like": ("text that a spreadsheet would run as a formula ({text}) in a cell: formulas are not evaluated; "
                     "paste the values instead, or import formulas as text",
                     "单元格文本以 = + - @ 开头，会被表格软件当作公式执行（{text}）：请修改，或按文本导入（前加 '）"),
    "control_char": ("control character {char} in {text!r}: retype the text (copied text often carries invisible "
                     "characters)", "{text!r} 中含不可见控制字符 {char}：请重新输入（复制的文字常带此类字符）"),
    "not_one_of": (lambda p: f"{p['value']!r} is not one of {', '.join(p['allowed'])}"
                             + (f" (or {', '.join(p['synonyms'])} …)" if p.get("synonyms") else ""),
                   lambda p: f"“{p['value']}”不是可选值（可选：{'、'.join(p['allowed'])}）"),
    "not_whole_number": ("expected a whole number, got {value!r}", "应为整数，现为{value!r}"),
    "not_number": ("expected a number, got {value!r}", "应为数字，现为{value!r}"),
    "not_true_false": ("expected true or false, got {value!r}", "应为“是/否”，现为{value!r}"),
    "not_yes_no": ("expected 是/否 or true/false, got {value!r}", "应为“是/否”，现为{value!r}"),
    "out_of_range": ("must be between {lo} and {hi}, got {value}", "应在{lo}到{hi}之间，现为{value}"),
    "at_least": ("must be at least {bound}, got {value}", "不能小于{bound}（现为{value}）"),
    "at_most": ("must be at most {bound}, got {value}", "不能大于{bound}（现为{value}）"),
    "fails_check": ("fails check {check}: {value!r}", "未通过检查 {check}：{value!r}"),
    "missing_column": (lambda p: f"missing column {p['column']!r}"
                                 + (f" (the header has: {', '.join(p['have'])})" if "have" in p else ""),
                       lambda p: f"缺少列“{p['column']}”" + (f"（表头为：{'、'.join(p['have'])}）" if "have" in p else "")),
    "unknown_column": ("unknown column {column!r} (expected: {expected})", "未知列“{column}”（应为：{expected}）"),
    "duplicate_key": ("duplicate key {value!r}", "编号重复：{value!r}"),
    "not_a_date_like": ("{value!r} is not a date like 2025, 2025-09 or 2025-09-01",
                        "“{value}”不是有效日期（应写作2025、2025-09或2025-09-01）"),
    "not_a_slug": ("{value!r} is not an id of lowercase letters, digits and _",
                   "“{value}”不是有效编号（只能用小写字母、数字和下划线）"),
    "date_after_today": (lambda p: f"{'signing' if p['what'] == 'signed_on' else 'contact'} date {p['date']} is after "
                                   f"today ({p['today']}): record it once it has happened",
                         "日期 {date} 晚于今天（{today}）：发生后再登记"),
    "invalid_credit_code": ("credit code {code!r} is not valid (18 characters with the GB 32100 check character)",
                            "统一社会信用代码“{code}”无效（应为18位且校验位正确）"),
    "credit_code_reused": ("credit code {code} is also given to {firm!r} on an earlier row: one code, one firm",
                           "统一社会信用代码 {code} 已用于前面一行的“{firm}”：一码一企"),
    # amounts and dates (chainmap.io.values)
    "unknown_unit": ("unknown amount unit {unit!r}: use 亿元, 万元 or 元", "未知金额单位“{unit}”：请用亿元、万元或元"),
    "not_an_amount": ("expected an amount, got {value!r}", "不是金额：{value!r}"),
    "not_finite_amount": ("expected a finite amount, got {value!r}", "金额须为有限数值，现为{value!r}"),
    "negative_amount": ("negative amount {value!r}: amounts must be zero or more", "金额为负数 {value!r}：金额须大于或等于零"),
    "amount_not_yuan": ("amount {value!r} is not in 元: convert it to 亿元 first", "金额 {value!r} 不是人民币：请先换算为亿元人民币"),
    "approximate_amount": ("approximate amount {value!r}: type the number alone (e.g. 5亿) and put \"约\" in the notes",
                           "金额为约数 {value!r}：只填数字（如 5亿），“约”写在备注中"),
    "amount_format": ("not an amount: {value!r} (expected e.g. 3.5, 1.2亿, 12000万元)",
                      "不是金额：{value!r}（应写作 3.5、1.2亿 或 12000万元）"),
    "column_foreign_currency": ("column {header!r} is in a foreign currency: convert it to 亿元 first",
                                "列“{header}”为外币金额：请先换算为亿元人民币"),
    "year_out_of_range": ("date {value!r}: year {year} is outside 1900-2100", "日期 {value!r}：年份 {year} 不在 1900—2100 之间"),
    "not_calendar_date": ("not a calendar date: {value!r}", "不是有效的日历日期：{value!r}"),
    "not_a_month": ("not a valid month: {value!r}", "不是有效月份：{value!r}"),
    "not_a_date": (lambda p: f"not a date: {p['value']!r}" + {"": "", "year_or_serial": " (neither a year nor an Excel "
                                                                                        "serial date)",
                                                             "eg": " (expected e.g. 2025-03-01, 2025年3月1日, 2025-03 or "
                                                                   "2025)"}[p.get("hint", "")],
                   lambda p: f"不是日期：{p['value']!r}" + {"": "", "year_or_serial": "（既不是年份也不是 Excel 日期序号）",
                                                         "eg": "（应写作 2025-03-01、2025年3月1日、2025-03 或 2025）"}[
                                                            p.get("hint", "")]),
    # --- events files
    "events_no_header": ("no sheet has a header row with date and firm_name_zh (or firm_id) in its first 10 rows",
                         "没有工作表在前10行中含有 date 和 firm_name_zh（或 firm_id）的表头"),
    "not_events_file": ("not an events file: missing column(s) {missing}; the shared layout needs {needed}",
                        "不是投资事件文件：缺少列 {missing}；共享格式需要 {needed}"),
    "blank_date": ("blank date: every event needs one (YYYY-MM-DD, YYYY-MM or YYYY)",
                   "日期为空：每个事件都需要日期（YYYY-MM-DD、YYYY-MM 或 YYYY）"),
    "unknown_chain_choose": ("unknown chain {value!r}; choose one of: {known}", "未知产业链“{value}”（可选：{known}）"),
    "unknown_event_kind": ("unknown kind {value!r}; choose one of: {known}", "未知事件类型“{value}”（可选：{known}）"),
    "blank_source": ("blank source: every real event names where it was read", "来源为空：每个真实事件都要注明出处"),
    "link_not_in_chain": ("link {link!r} is not a link of chain {chain!r}: left blank",
                          "环节“{link}”不属于产业链“{chain}”：已留空"),
    "same_event": ("the same event as an earlier row (id {id}): counted once", "与前面一行是同一事件（编号 {id}）：只计一次"),
    # --- names that must resolve
    "unknown_chain_known": ("unknown chain {value!r} (known: {known})", "未知产业链“{value}”（现有：{known}）"),
    "unknown_link": (lambda p: f"unknown link {p['value']!r}" + _opt(" in chain {chain}", "chain", p),
                     lambda p: f"产业链{p['chain']}中没有环节“{p['value']}”" if p.get("chain") else f"未知环节“{p['value']}”"),
    "unknown_firm_id": ("unknown firm id {value!r}: import the firm first (chainmap import firms)",
                        "企业库中没有编号“{value}”：请先导入该企业（chainmap import firms）"),
    "firm_not_in_library": ("firm {value!r} is not in the library: import it first (chainmap import firms)",
                            "企业库中没有“{value}”：请先导入该企业（chainmap import firms）"),
    "firm_uncertain": ("firm {value!r} is uncertain: choose one of {candidates}",
                       "无法确定“{value}”是哪家企业：请从 {candidates} 中选择"),
    # --- chain files (graphs/*.toml)
    "toml_not_tables": ("[[{key}]] must be an array of tables", "[[{key}]] 必须是表数组（每项写作 [[{key}]]）"),
    "unknown_key": (lambda p: f"{p['what']} {p['label']!r}: unknown key {p['key']!r} (allowed: {', '.join(p['allowed'])})",
                    lambda p: f"{_ENTRY_ZH[p['what']]}“{p['label']}”：未知的键“{p['key']}”（可用：{'、'.join(p['allowed'])}）"),
    "in_entry": (lambda p: f"{_entry(p['entry'], 'en')}: {p['field'] + ' ' if p['field'] else ''}"
                           f"{render(p['code'], p['params'], 'en')}",
                 lambda p: f"{_entry(p['entry'], 'zh')}：{p['field'] + ' ' if p['field'] else ''}"
                           f"{render(p['code'], p['params'], 'zh')}"),
    "no_chain_table": ("missing the [chain] table with id and name_zh", "缺少 [chain] 表（含 id 和 name_zh）"),
    "unknown_top_keys": ("unknown top-level key(s): {keys}", "未知的顶层键：{keys}"),
    "coarse_class": ("link {link!r}: coarse class {value!r} is not system:value with system one of {systems} "
                     "(e.g. csrc:C39)", "环节“{link}”：粗分类“{value}”应写作 体系:代码，体系为 {systems} 之一（如 csrc:C39）"),
    "link_defined_twice": ("link {link!r} is already defined in {first}", "环节“{link}”已在 {first} 中定义"),
    "edge_unknown_link": ("edge {src} → {dst}: unknown link {link!r}", "供应关系 {src} → {dst}：未知环节“{link}”"),
    "edge_defined_twice": ("edge {src} → {dst} is already defined in {first}", "供应关系 {src} → {dst} 已在 {first} 中定义"),
    "edge_to_itself": ("edge {src} → {dst}: a link cannot supply itself", "供应关系 {src} → {dst}：环节不能供应自身"),
    "edge_backwards": ("edge {src} → {dst} runs from a later stage to an earlier one; mark it feedback = true if it "
                       "is a recycling loop", "供应关系 {src} → {dst} 从后段流向前段：如为回收循环，请标注 feedback = true"),
    "edge_cycle": ("cycle among supply edges: {path}; mark the recycling edge feedback = true",
                   "供应关系成环：{path}；请将回收的那条标注 feedback = true"),
    "unknown_ref": ("unknown {kind} {value!r}", lambda p: _REF_ZH.get(p["kind"], "未知{kind}“{value}”").format_map(p)),
    "refers_to_deleted": ("still refers to the deleted {kind} {value!r}",
                          lambda p: f"仍引用已删除的{_KIND_ZH.get(p['kind'], p['kind'])}“{p['value']}”"),
    "signed_without_investor": ("signed project {project} ({firm}) has no investor in the firm library, so it cannot "
                                "be a backtest event", "已签约项目 {project}（{firm}）的投资方不在企业库中，不能作为回测事件"),
    "self_relation": ("a firm cannot relate to itself ({firm})", "企业不能与自身建立关系（{firm}）"),
}

_REF_ZH = {"firm": "企业库中没有“{value}”", "chain": "未知产业链“{value}”", "link": "未知环节“{value}”"}
_KIND_ZH = {"firm": "企业", "chain": "产业链", "link": "环节", "project": "项目", "event": "事件"}
_ENTRY_ZH = {"link": "环节", "edge": "供应关系", "chain": "[chain]"}


def _entry(entry, lang: str) -> str:
    """A chain file's entry (it has no rows): ``("link", "ccl")`` → link 'ccl' / 环节“ccl”."""
    what, label = entry
    if what == "chain":
        return "[chain]"
    if lang == "en":
        return f"link {label!r}" if what == "link" else f"edge {label}"
    return f"环节“{label}”" if what == "link" else f"供应关系 {label}"


# Why a sheet was not taken, in the no_sheet problem (English, Chinese).
_SHEET_WHY = ({"cover": "a cover sheet", "hidden": "hidden", "not_a_worksheet": "not a worksheet"},
              {"cover": "是填表说明", "hidden": "已隐藏", "not_a_worksheet": "不是工作表"})


def _fill(template, params: Mapping, lang: str) -> str:
    sep = ", " if lang == "en" else "、"
    if callable(template):
        return template(dict(params))
    values = {k: (sep.join(map(str, v)) if isinstance(v, (list, tuple)) else v) for k, v in params.items()}
    return template.format_map(values)


def render(code: str, params: Mapping | None = None, lang: str = "en") -> str:
    """The words for one problem code and its values.

    Examples
    --------
    >>> render("unknown_link", {"value": "电机", "chain": "电动自行车"})
    "unknown link '电机' in chain 电动自行车"
    >>> render("unknown_link", {"value": "电机", "chain": "电动自行车"}, "zh")
    '产业链电动自行车中没有环节“电机”'
    >>> render("no_such_code", {"x": 1})
    Traceback (most recent call last):
    ...
    KeyError: "no words for problem code 'no_such_code'"
    """
    if code not in PROBLEMS:
        raise KeyError(f"no words for problem code {code!r}")
    return _fill(PROBLEMS[code][0 if lang == "en" else 1], params or {}, lang)


def place(file: str, sheet: str | None, row: int | None, column: str | None, lang: str = "en") -> str:
    """Where a problem is, as people say it: file, sheet, row (as the spreadsheet numbers it) and column.

    Examples
    --------
    >>> place("名单.xlsx", "目标企业", 5, "企业名称")
    "名单.xlsx, sheet '目标企业', row 5, column '企业名称'"
    >>> place("名单.xlsx", "目标企业", 5, "企业名称", "zh")
    '名单.xlsx，工作表「目标企业」，第 5 行，「企业名称」'
    """
    if lang == "en":
        return ", ".join([file] + ([f"sheet {sheet!r}"] if sheet else []) + ([f"row {row}"] if row is not None else [])
                         + ([f"column {column!r}"] if column else []))
    return "，".join([file] + ([f"工作表「{sheet}」"] if sheet else []) + ([f"第 {row} 行"] if row is not None else [])
                    + ([f"「{column}」"] if column else []))


#: The line after the problems shown, when there are more (English, Chinese).
MORE_PROBLEMS = ("... and {n} more problems", "……另有 {n} 个问题")


# ------------------------------------------------------------------ errors of the store and the command line
# A refusal of the store (chainmap.store.StoreError and ConflictError: a conflict between two saves, a read-only
# or busy workspace, a missing one) or a wrong choice on the command line is a code with values too; its words are
# here, rendered by :func:`error_words` (English for logs and ``str(error)``, the user's language at the edge).

#: What the store was doing when it failed (the ``doing`` of ``db_busy`` and ``db_failed``).
DOING = {"opening": ("opening", "打开"), "reading": ("reading", "读取"), "saving": ("saving", "保存"),
         "loading": ("loading", "载入"), "undoing": ("undoing", "撤销"),
         "reading the audit trail": ("reading the audit trail", "读取变更记录"), "counting": ("counting", "计数"),
         "loading_resumable": ("loading (run the same load again to complete it)", "载入（请再次运行同一载入以完成）")}
#: Tables as officers name them (the audit trail, conflicts).
TABLE_LABEL = {"zh": {"firms": "企业库", "honours": "荣誉资质", "operations": "企业环节", "relations": "企业关系",
                      "teams": "先锋队", "mechanism": "八个一", "assessments": "摸排记录", "signals": "扩张信号",
                      "channels": "触达渠道", "followups": "跟进记录", "projects": "项目信息库", "events": "投资事件",
                      "chains": "产业链", "links": "环节", "edges": "供应关系"},
               "en": {}}


def _doing(p: dict, lang: int) -> str:
    return DOING.get(p.get("doing", ""), (p.get("doing", ""),) * 2)[lang]


def _tables_zh(names: str) -> str:
    return "、".join(TABLE_LABEL["zh"].get(n.strip(), n.strip()) for n in names.split(","))


def _conflict(p: dict, lang: int) -> str:
    why = p.get("why") or "changed_since"
    reason = _fill(ERRORS[why][lang], p, "en" if lang == 0 else "zh")
    if lang == 0:
        return f"{p['table']}: {p['n']} record(s) ({p['shown']}): {reason}"
    return f"{_tables_zh(p['table'])}：{p['n']} 条记录（{p['shown']}）{reason}"


#: code → (English, Chinese): refusals of the store, and usage errors of the ``chainmap`` command.
ERRORS: dict[str, tuple] = {
    "other": ("{message}", "{message}"),
    # --- saving and undoing (chainmap.store: ConflictError)
    "conflict": (lambda p: _conflict(p, 0), lambda p: _conflict(p, 1)),
    "changed_since": ("were changed by someone else since you opened them; reload to see their version, then edit "
                      "again", "在您打开之后已被他人修改：请重新载入查看对方的版本，再编辑"),
    "already_undone": ("change set {change_set} was already undone by change set {by}",
                       "：变更集 {change_set} 已由变更集 {by} 撤销"),
    "cannot_undo": ("change set {change_set} cannot be undone: these records were changed or added after it; undo "
                    "those later changes first", "在其后被修改或新增：变更集 {change_set} 无法撤销，请先撤销这些后来的更改"),
    "no_change_set": ("no change set {change_set!r} in the audit trail", "变更记录中没有变更集“{change_set}”"),
    # --- the workspace database (chainmap.store.sqlite, chainmap.location)
    "not_a_database_file": ("{path} is not a database file", "{path} 不是数据库文件"),
    "cannot_open_db": ("cannot open the workspace database {path}: {error}", "无法打开工作区数据库 {path}：{error}"),
    "newer_format": ("{path} was written by a newer chainmap (format {format}; this one reads up to {reads}): upgrade "
                     "chainmap to open it", "{path} 由较新版本的 chainmap 写入（格式 {format}，本版本最高读取 {reads}）：请升级 chainmap 后再打开"),
    "read_only": (lambda p: f"the workspace {p['folder']} is read-only" + (f" ({p['error']})" if p.get("error") else "")
                            + ": give yourself write permission or choose another workspace",
                  lambda p: f"工作区 {p['folder']} 是只读的" + (f"（{p['error']}）" if p.get("error") else "")
                            + "：请为自己开通写权限，或换一个工作区"),
    "db_damaged": ("{path} is not a chainmap database or is damaged ({error}); restore it from a dump",
                   "{path} 不是 chainmap 数据库或已损坏（{error}）：请用备份（dump）恢复"),
    "db_busy": (lambda p: f"the workspace {p['folder']} is busy: another process kept it locked for {p['seconds']:g} s "
                          f"while {_doing(p, 0)}; try again",
                lambda p: f"工作区 {p['folder']} 正忙：{_doing(p, 1)}时另一个进程占用了 {p['seconds']:g} 秒：请稍后再试"),
    "db_failed": (lambda p: f"{_doing(p, 0)} {p['path']}: {p['error']}",
                  lambda p: f"{_doing(p, 1)} {p['path']} 失败：{p['error']}"),
    "bundled_refused": ("{path} holds chainmap's bundled data, which is never written: point --workspace or "
                        "CHAINMAP_WORKSPACE elsewhere, or leave both out to use your own workspace (made from the "
                        "bundled data on first use)",
                        "{path} 存放 chainmap 自带的数据，从不写入：请把 --workspace 或 CHAINMAP_WORKSPACE 指向别处，"
                        "或两者都不填，使用您自己的工作区（首次使用时由自带数据生成）"),
    "workspace_not_a_folder": ("{path} is not a folder: a workspace is a folder holding {db}",
                               "{path} 不是文件夹：工作区是存放 {db} 的文件夹"),
    "not_a_chainmap_workspace": ("{path} is not a chainmap workspace: it has no {db} and no graphs/ folder",
                                 "{path} 不是 chainmap 工作区：其中没有 {db}，也没有 graphs/ 文件夹"),
    "no_workspace": ("no workspace at {path}: make one with `chainmap load DIR --workspace {path}` (DIR: a folder of "
                     "graphs/ and seeds/, e.g. the bundled data)",
                     "{path} 处没有工作区：请用 `chainmap load DIR --workspace {path}` 建立（DIR：含 graphs/ 和 seeds/ "
                     "的文件夹，如自带数据）"),
    "files_changed_since": ("the files in {path} changed after its database ({db}) was made from them, and the "
                            "database holds edits since: nothing was read. Keep the database's data with `chainmap dump "
                            "{path} --workspace {path}` (overwrites the files), or take the files with `chainmap load "
                            "{path} --workspace {path}` (replaces the database's data)",
                            "{path} 中的文件在生成数据库（{db}）之后被改动，而数据库此后也有编辑：未读取任何内容。"
                            "保留数据库的数据请运行 `chainmap dump {path} --workspace {path}`（覆盖文件），"
                            "采用文件请运行 `chainmap load {path} --workspace {path}`（替换数据库的数据）"),
    # --- the shared Neo4j database (chainmap.store.neo4j)
    "neo4j_refused": ("Neo4j at {where} refused the user name or password", "Neo4j（{where}）拒绝了用户名或密码"),
    "neo4j_unreachable": ("cannot reach Neo4j at {where}: is the server running and the port right?",
                          "无法连接 Neo4j（{where}）：服务器是否在运行、端口是否正确？"),
    "neo4j_bad_uri": ("not a usable Neo4j URI {where!r}: expected e.g. bolt://host:7687 or neo4j://host:7687",
                      "Neo4j 地址“{where}”不可用：应写作 bolt://host:7687 或 neo4j://host:7687"),
    "neo4j_failed": ("Neo4j at {where} failed: {error}", "Neo4j（{where}）出错：{error}"),
    "neo4j_credentials_in_uri": ("put the Neo4j user and password in --user/--password or NEO4J_USER/NEO4J_PASSWORD, "
                                 "not in the URI", "请把 Neo4j 用户名和密码写在 --user/--password 或 NEO4J_USER/NEO4J_PASSWORD 中，"
                                 "不要写在地址里"),
    "neo4j_failed_while": (lambda p: f"Neo4j failed while {_doing(p, 0)}: {p['error']}",
                           lambda p: f"Neo4j 在{_doing(p, 1)}时出错：{p['error']}"),
    "neo4j_incomplete_load": ("the last load into this Neo4j database did not finish (connection lost?): run `chainmap "
                              "db load` again to complete it",
                              "上次载入此 Neo4j 数据库未完成（连接中断？）：请再次运行 `chainmap db load` 完成载入"),
    # --- the command line (chainmap.cli: UsageError)
    "neo4j_driver": ("the Neo4j backend needs the driver: pip install 'chainmap[neo4j]'",
                     "Neo4j 后端需要安装驱动：pip install 'chainmap[neo4j]'"),
    "neo4j_uri": ("no Neo4j URI: give --uri bolt://host:7687 or set NEO4J_URI",
                  "缺少 Neo4j 地址：请用 --uri bolt://host:7687 指定，或设置 NEO4J_URI"),
    "unknown_chain": ("unknown chain {chain!r}; choose one of: {known}", "未知产业链“{chain}”（可选：{known}）"),
    "weights_unreadable": ("cannot read weights file {path}: {error}", "无法读取权重文件 {path}：{error}"),
    "no_learned": ("no learned strategy yet ({file} is missing): run `chainmap learn` first",
                   "还没有学习所得的策略（缺少 {file}）：请先运行 `chainmap learn`"),
    "learned_bad": (lambda p: f"{p['file']}: {error_words(p['inner'], p['values'], 'en')}; run `chainmap learn` again",
                    lambda p: f"{p['file']}：{error_words(p['inner'], p['values'], 'zh')}：请重新运行 `chainmap learn`"),
    "needs_output": ("{what} needs -o {target}", "{what} 需要用 -o {target} 指定输出"),
    "bad_review_date": ("--date {value!r}: write the review date as YYYY-MM-DD, e.g. 2026-11-26",
                        "--date “{value}”：评估日期请写作 YYYY-MM-DD，如 2026-11-26"),
    "cutoff_and_years": ("give --cutoff (one split) or --years (yearly folds), not both",
                         "--cutoff（一次划分）与 --years（逐年划分）只能二选一"),
    "no_such_file": ("no such file: {path}", "文件不存在：{path}"),
    "cannot_learn": (lambda p: f"cannot learn weights: {error_words(p['inner'], p['values'], 'en')}",
                     lambda p: f"无法学习权重：{error_words(p['inner'], p['values'], 'zh')}"),
    # --- the core's refusals (chainmap.io.messages.CodedError): weights, backtest, learning
    "weight_unknown": ("unknown weight {key!r}; the weights are: {known}", "未知权重“{key}”（权重有：{known}）"),
    "weight_missing": ("weight {key!r} is missing; give all of: {known}", "缺少权重“{key}”：请给出全部权重（{known}）"),
    "weight_not_number": ("weight {key!r} must be a number, got {value!r}", "权重“{key}”须为数字，现为 {value}"),
    "weight_not_finite": ("weight {key!r} must be a finite number, got {value!r}", "权重“{key}”须为有限数值，现为 {value}"),
    "weight_negative": ("weight {key!r} must be ≥ 0, got {value!r}", "权重“{key}”不能为负数，现为 {value}"),
    "weight_no_mode": ("at least one of the mode weights (fill, strengthen, extend) must be > 0",
                       "补链、强链、延链三项权重中至少一项须大于 0"),
    "weight_discount_range": ("weight {key!r} (the discount of unassessed links) must be in [0, 1], got {value!r}",
                              "权重“{key}”（待评估环节的折扣）须在 0 到 1 之间，现为 {value}"),
    "weight_factor": (lambda p: f"weight {p['key']!r} ({'the factor of past investments' if p['what'] == 'momentum' else 'the power of the fit gate'}) must be a finite number ≥ 0, got {p['value']!r}",
                      lambda p: f"权重“{p['key']}”（{'过往投资系数' if p['what'] == 'momentum' else '匹配系数的幂'}）须为大于或等于 0 的有限数值，现为 {p['value']}"),
    # --- what the core is asked for and does not know (chainmap.scoring, chainmap.analysis)
    "unknown_mode": ("unknown mode {mode!r}; choose one of: {known}", "未知招商方式“{mode}”（可选：{known}）"),
    "unknown_team": ("unknown team {team!r}; choose one of: {known} (or a team name: {names})",
                     "未知招商队“{team}”（可选：{known}，或队名：{names}）"),
    "unknown_link_id": ("unknown link {link!r}", "未知环节“{link}”"),
    "unknown_firm": ("unknown firm {firm!r}; use a firm id or exact Chinese name, e.g. {hint}",
                     "未知企业“{firm}”：请用企业编号或完整中文名称，如 {hint}"),
    "unknown_stage": ("unknown stage {stage!r}; the stages are: {stages}", "未知项目阶段“{stage}”（阶段依次为：{stages}）"),
    "last_stage": ("project {project!r} is already at the last stage ({stage})", "项目“{project}”已在最后阶段（{stage}）"),
    "unknown_strategy": ("unknown strategy {strategy!r}; choose one of: {known}", "未知策略“{strategy}”（可选：{known}）"),
    "no_events_after": ("no events on or after {date} ({n} before it, the latest {latest}): nothing to test",
                        "{date} 及以后没有投资事件（此前 {n} 条，最近一条 {latest}）：无可回测"),
    "no_events": ("there are no events at all: add some to seeds/events.csv or sign ledger projects",
                  "没有任何投资事件：请在 seeds/events.csv 中添加，或在台账中登记签约项目"),
    "no_events_in": ("no events in {lo}–{hi}: nothing to test", "{lo}—{hi} 年没有投资事件：无可回测"),
    "no_event_firm": ("no held-out event names a firm of the library: nothing to rank",
                      "留出的投资事件中没有企业库里的企业：无可排名"),
    "too_few_events": ("only {n_pos} positive and {n_neg} negative rows; learning weights needs at least {need} of each",
                       "投资样本 {n_pos} 个、未投资样本 {n_neg} 个：学习权重每类至少需要 {need} 个"),
    "unknown_format": ("unknown format {fmt!r}: choose docx or pdf", "未知格式“{fmt}”：请选择 docx 或 pdf"),
    "brief_needs_period": ("brief ledger needs --month YYYY-MM (月报) or --week YYYY-Www (周报), e.g. --month 2026-11",
                           "brief ledger 需要 --month YYYY-MM（月报）或 --week YYYY-Www（周报），如 --month 2026-11"),
    "bad_week": ("--week {value!r}: write the ISO week as 2026-W48", "--week “{value}”：ISO 周请写作 2026-W48"),
    "brief_needs_firm": ("brief firm needs the firm's name or id", "brief firm 需要企业名称或编号"),
    "brief_needs_chain": ("brief chain needs --chain ID, e.g. --chain electronics",
                          "brief chain 需要 --chain 产业链编号，如 --chain electronics"),
    "no_cjk_font": ("{error}; or use --format docx",
                    "PDF 需要嵌入中文字体，但本机没有：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk），或改用 --format docx"),
    "bad_ks": ("--k takes whole numbers joined by commas, e.g. 10,20,50; got {value!r}",
               "--k 应为以逗号分隔的整数，如 10,20,50；现为“{value}”"),
    "ks_below_one": ("--k values must be ≥ 1, got {value!r}", "--k 的值须大于或等于 1，现为“{value}”"),
    "bad_years": ("--years takes a year or a range, e.g. 2021-2024; got {value!r}",
                  "--years 应为一个年份或范围，如 2021-2024；现为“{value}”"),
    "years_reversed": ("--years: {lo} is after {hi}", "--years：{lo} 晚于 {hi}"),
    "unscorable": ("cannot score (no known link, and neither industry class, products nor business scope place them "
                   "on a link, or finance and real estate): {n} firms: {names}",
                   "无法评分（无已知环节，行业分类、主营产品和经营范围均不足以归入环节，或属金融、房地产）：{n}家：{names}"),
    "error_head": ("error", "错误"),
}


def error_words(code: str, params: Mapping | None = None, lang: str = "zh") -> str:
    """The words for one error code (a store's refusal, a usage error) and its values.

    Examples
    --------
    >>> error_words("no_change_set", {"change_set": "3f9c"})
    '变更记录中没有变更集“3f9c”'
    >>> error_words("conflict", {"table": "firms", "n": 1, "shown": "tailg", "why": "already_undone",
    ...                          "change_set": "3f9c", "by": "8e1d"}, "en")
    'firms: 1 record(s) (tailg): change set 3f9c was already undone by change set 8e1d'
    >>> error_words("conflict", {"table": "firms", "n": 1, "shown": "tailg"})
    '企业库：1 条记录（tailg）在您打开之后已被他人修改：请重新载入查看对方的版本，再编辑'
    """
    if code not in ERRORS:
        raise KeyError(f"no words for error code {code!r}")
    return _fill(ERRORS[code][0 if lang == "en" else 1], params or {}, lang)


class Coded:
    """An exception that is a code of :data:`ERRORS` and its values: ``str(error)`` is English (logs);
    :meth:`text` says it in the user's language. Mixed into the core's, the store's and the command line's
    refusals (:class:`CodedError`, ``chainmap.store.StoreError``, ``chainmap.cli.UsageError``)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(error_words(code, params, "en"))

    def text(self, lang: str = "zh") -> str:
        return error_words(self.code, self.params, lang)


class CodedError(Coded, ValueError):
    """A refusal of the core (bad weights, nothing to test, too few events to learn from) as a code of
    :data:`ERRORS` and its values: ``str(error)`` is English (logs); :meth:`text` says it in the user's language.

    >>> e = CodedError("weight_negative", key="tier", value=-1)
    >>> str(e), e.text()
    ("weight 'tier' must be ≥ 0, got -1", '权重“tier”不能为负数，现为 -1')
    """


#: What the command line and the workspace say on the way (not errors): code → (English, Chinese).
SAID: dict[str, tuple] = {
    "created": ("first use: created the workspace {path} from the bundled data", "首次使用：已从内置数据创建工作区 {path}"),
    "made_from_folder": ("made the workspace database {db} from the files of {path}; from now on the database holds "
                         "the data (export with chainmap dump)",
                         "已将文件夹 {path} 的数据建成工作区数据库 {db}；此后以数据库为准（用 chainmap dump 导出）"),
    "reloaded_folder": ("the files of {path} changed: reloaded them into its database (it held no edits)",
                        "{path} 的文件已更新，工作区数据库已重新载入（此前无编辑）"),
    "wrote": ("wrote {path}", "已写入 {path}"),
    "wrote_workspace": ("wrote the workspace to {path}", "已导出工作区到 {path}"),
    "loaded": ("loaded: {counts}", "已载入：{counts}"),
    "loaded_folder": ("loaded {folder} into {path}: {counts}", "已将 {folder} 载入工作区 {path}：{counts}"),
    "skipped": ("skipped: {line}", "已跳过: {line}"),
    "note": ("note: {line}", "注意: {line}"),
    "rejected": ("rejected: {line}", "已拒绝: {line}"),
    "dry_run": ("dry run: nothing saved", "试运行：未保存任何更改"),
    "nothing_to_save": ("nothing to save", "无需保存"),
    "saved_events": ("saved {n} events (change set {change_set})", "已保存 {n} 条投资事件（变更集 {change_set}）"),
    "saved_records": ("saved {n} records (change set {change_set})", "已保存 {n} 条记录（变更集 {change_set}）"),
    "review_written": ("review list written to {path}", "待核清单已写入 {path}"),
    "no_changes": ("no changes recorded", "没有变更记录"),
    "undone": ("undid change set {change_set} ({n} records) as change set {new}",
               "已撤销变更集 {change_set}（{n} 条记录），新变更集 {new}"),
}


def said(code: str, params: Mapping | None = None, lang: str = "zh") -> str:
    """What the command says on the way, in ``lang``.

    >>> said("saved_records", {"n": 3, "change_set": "3f9c"}), said("dry_run", lang="en")
    ('已保存 3 条记录（变更集 3f9c）', 'dry run: nothing saved')
    """
    return _fill(SAID[code][0 if lang == "en" else 1], params or {}, lang)


#: argparse's own words (its gettext message ids, Python 3.11–3.13) in Chinese: usage lines, section titles and
#: the errors it prints before any command runs. The command line renders them through argparse's ``_``.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项“%(value)s”（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：“%(value)s”",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可指 %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知命令“%(parser_name)s”（可选：%(choices)s）",
}


#: The ``chainmap`` command's help (``--help``): code → (English, Chinese). Codes are ``command`` for a command's
#: line in the list and ``command.option`` (or ``option`` for the options every command takes) for an option.
HELP: dict[str, tuple[str, str]] = {
    "description": ("industrial-chain matchmaking engine for investment promotion", "产业链招商匹配引擎 chainmap"),
    "workspace": ("workspace folder (default: $CHAINMAP_WORKSPACE, else your workspace made from the bundled data on "
                  "first use)", "工作区文件夹（默认：$CHAINMAP_WORKSPACE，否则为首次使用时由自带数据生成的您的工作区）"),
    "lang": ("language of tables and messages (default zh)", "表格与提示的语言（默认 zh 中文）"),
    "debug": ("show tracebacks", "出错时显示调用栈"),
    "output": ("write to FILE instead of standard output", "写入文件 FILE，而不是标准输出"),
    "backend": ("sqlite (default: the workspace database) or neo4j (a shared database)",
                "sqlite（默认：工作区数据库）或 neo4j（共享数据库）"),
    "uri": ("Neo4j URI, e.g. bolt://127.0.0.1:7687 (default: $NEO4J_URI)",
            "Neo4j 地址，如 bolt://127.0.0.1:7687（默认：$NEO4J_URI）"),
    "user": ("Neo4j user (default: $NEO4J_USER)", "Neo4j 用户名（默认：$NEO4J_USER）"),
    "password": ("Neo4j password (default: $NEO4J_PASSWORD; prefer the variable)",
                 "Neo4j 密码（默认：$NEO4J_PASSWORD；建议用环境变量）"),
    "format": ("output format", "输出格式"),
    "chains": ("list the chains (产业链列表)", "列出产业链"),
    "gaps": ("gap map of one chain (强链/补链/延链)", "一条产业链的强链/补链/延链分析"),
    "chain": ("chain id, e.g. electronics", "产业链编号，如 electronics"),
    "strategy": ("稳健 (low-hanging fruit), 跨越 (long jumps) or learned (after `chainmap learn`)",
                 "稳健（易落地）、跨越（跨越式引进）或 learned（运行 `chainmap learn` 之后）"),
    "weights": ("custom weights (TOML with every component)", "自定义权重（含全部分项的 TOML 文件）"),
    "as_of": ("reference date for signal ages (default: the latest signal)", "计算信号时效的参照日期（默认：最近的信号）"),
    "no_cache": ("fit the scorer afresh instead of reusing the cached fit of unchanged data (cache: $CHAINMAP_CACHE_DIR "
                 "or ~/.cache/chainmap)", "重新拟合评分模型，不复用数据未变时的缓存（缓存：$CHAINMAP_CACHE_DIR 或 ~/.cache/chainmap）"),
    "rank": ("ranked target list (招商目标企业)", "招商目标企业排名"),
    "rank.mode": ("only targets of this mode (default all)", "只看此招商类型（默认 all 全部）"),
    "rank.team": ("only this pioneer team's targets (team id or 市本级)", "只看此先锋队的目标（先锋队编号或“市本级”）"),
    "rank.region": ("only firms with this HQ region (PRD, YRD, BTH, other_cn, hmt (港澳台), overseas)",
                    "只看总部在此区域的企业（PRD 珠三角、YRD 长三角、BTH 京津冀、other_cn 国内其他、hmt 港澳台、overseas 境外）"),
    "rank.honour": ("only firms with this honour (FG500, CN500, single_champion, listed, …)",
                    "只看有此荣誉的企业（FG500、CN500、single_champion、listed 等）"),
    "rank.min_score": ("only firms scoring at least this", "只看得分不低于此值的企业"),
    "rank.include_inactive": ("also rank firms whose status is 注销/吊销/退市 (left out by default)",
                              "也对注销、吊销、退市企业排名（默认不排）"),
    "rank.top": ("how many firms (default 20)", "列出多少家企业（默认 20）"),
    "explain": ("full score breakdown of one firm", "一家企业的完整得分构成"),
    "explain.firm": ("firm id or exact Chinese name", "企业编号或完整中文名称"),
    "mechanism": ("八个一 review: every chain's summary, or one chain's slots", "八个一评估：各产业链汇总，或一条产业链的各项"),
    "mechanism.chain": ("one chain's slots (default: the summary of every chain)", "一条产业链的各项（默认：各产业链汇总）"),
    "mechanism.date": ("review date (freshness of the chain map; default today)", "评估日期（用于链图新鲜度；默认今天）"),
    "mechanism.format": ("xlsx (with -o): the meeting workbook, a summary and one sheet per chain",
                         "xlsx（配合 -o）：会议用工作簿，一张汇总表，每条产业链一张表"),
    "mechanism.no_cache": ("fit the scorer afresh instead of reusing the cached fit", "重新拟合评分模型，不复用缓存"),
    "export": ("招商清单 workbook: one sheet per pioneer team", "招商清单工作簿：每个先锋队一张表"),
    "export.top": ("how many firms (default 200)", "列出多少家企业（默认 200）"),
    "db": ("shared Neo4j database: load, dump, status", "共享 Neo4j 数据库：载入、导出、状态"),
    "db.command": ("load, dump or status", "load 载入、dump 导出或 status 状态"),
    "load": ("fill the workspace from a folder of graphs/ and seeds/ (恢复/导入)", "用含 graphs/ 和 seeds/ 的文件夹填充工作区（恢复/导入）"),
    "load.folder": ("a folder of graphs/*.toml and seeds/*.csv (e.g. a dump)", "含 graphs/*.toml 和 seeds/*.csv 的文件夹（如备份）"),
    "dump": ("write the workspace as a folder of graphs/ and seeds/ (备份)", "把工作区写成含 graphs/ 和 seeds/ 的文件夹（备份）"),
    "dump.folder": ("the folder to write (created if missing)", "要写入的文件夹（不存在则新建）"),
    "backtest": ("does the ranking find the firms that really invested?", "回测：排名能否找到真正投资的企业？"),
    "backtest.cutoff": ("hold out events from DATE on (default: each year in turn)", "留出 DATE 及以后的事件（默认：逐年轮流）"),
    "backtest.k": ("precision/recall cut-offs", "计算精确率/召回率的前 K 名"),
    "backtest.boot": ("bootstrap resamples for the intervals (default 1000)", "置信区间的自助抽样次数（默认 1000）"),
    "backtest.events": ("test on this events file (shared or seeds/events.csv layout) instead of the workspace's events; "
                        "firms not in the library count as misses",
                        "用此事件文件（共享格式或 seeds/events.csv 格式）代替工作区的事件回测；不在企业库中的企业计为未命中"),
    "backtest.years": ("test only the yearly folds of these years (earlier folds still train the learned methods)",
                       "只检验这些年份的逐年划分（更早的年份仍用于训练学习方法）"),
    "backtest.no_cache": ("fit each yearly snapshot afresh instead of reusing its cached fit (cache: $CHAINMAP_CACHE_DIR "
                          "or ~/.cache/chainmap)", "每个年度快照都重新拟合，不复用缓存的拟合（缓存：$CHAINMAP_CACHE_DIR 或 ~/.cache/chainmap）"),
    "learn": ("fit the learned strategy's weights from the events", "从投资事件学习策略权重"),
    "learn.boot": ("bootstrap resamples for the backtest intervals", "回测置信区间的自助抽样次数"),
    "learn.boot_weights": ("bootstrap refits for the weights' uncertainty", "估计权重不确定性的自助重拟合次数"),
    "graph": ("export a chain for Graphviz (dot) or Gephi (graphml)", "导出产业链图，供 Graphviz（dot）或 Gephi（graphml）使用"),
    "import": ("import your own spreadsheet (xlsx, xls, et or CSV): 导入数据", "导入您自己的表格（xlsx、xls、et 或 CSV）"),
    "import.kind": ("what the file holds", "文件内容的类型"),
    "import.file": ("xlsx/xlsm/xls/et, or csv/tsv/txt in UTF-8, UTF-8 with BOM or GBK (delimiter sniffed)",
                    "xlsx/xlsm/xls/et，或 UTF-8、带 BOM 的 UTF-8、GBK 编码的 csv/tsv/txt（自动识别分隔符）"),
    "import.mapping": ("your headers to ours: TOML or two-column CSV", "表头对照表：TOML 或两列 CSV"),
    "import.dry_run": ("show what would change; save nothing", "只显示将要发生的更改，不保存"),
    "import.accept_valid": ("import the good rows of a file that has bad ones", "文件有错误行时，导入其中正确的行"),
    "import.author": ("who imports (recorded in the audit trail; default: your login)", "导入人（记入变更记录；默认：您的登录名）"),
    "import.review_out": ("write the rows to review to FILE (xlsx or csv)", "把待核的行写入文件 FILE（xlsx 或 csv）"),
    "import.formulas": ("a formula (or text starting = + - @ that is not a number): refuse the row (default) or keep it "
                        "as text behind an apostrophe", "公式（或以 = + - @ 开头且不是数字的文字）：拒绝该行（默认），或加 ' 按文本保存"),
    "import.hidden_rows": ("hidden rows (and hidden sheets): import them (default) or leave them out; reported either way",
                           "隐藏行（及隐藏工作表）：导入（默认）或不导入；两种情况都会在报告中列出"),
    "brief": ("print a brief as Word or PDF: 一企一策, chain report, 月报", "生成 Word 或 PDF 报告：一企一策、产业链报告、月报"),
    "brief.kind": ("firm: 一企一策 of one firm; chain: the chain report; ledger: the ledger's 月报 or 周报",
                   "firm：一家企业的一企一策；chain：产业链报告；ledger：台账的月报或周报"),
    "brief.target": ("the firm (brief firm): its name, an alias or its id", "企业（brief firm）：名称、别名或编号"),
    "brief.chain": ("chain id (brief chain; for brief firm default: the chain it scores best on)",
                    "产业链编号（brief chain；brief firm 默认取该企业得分最高的产业链）"),
    "brief.month": ("the month of the ledger report (月报), e.g. 2026-11", "月报的月份，如 2026-11"),
    "brief.week": ("or its ISO week (周报), e.g. 2026-W48", "或周报的 ISO 周，如 2026-W48"),
    "brief.format": ("default: from -o's suffix, else pdf", "默认：按 -o 的文件后缀，否则为 pdf"),
    "brief.strategy": ("scoring strategy of the reasons and rankings", "推荐理由与排名所用的评分策略"),
    "history": ("audit trail: who changed what, when (变更记录)", "变更记录：谁在何时改了什么"),
    "history.firm": ("only records of this firm (id or exact Chinese name)", "只看此企业的记录（编号或完整中文名称）"),
    "history.change_set": ("only this change set", "只看此变更集"),
    "history.table": ("only this table", "只看此数据表"),
    "undo": ("undo one change set, e.g. an import (撤销)", "撤销一个变更集，如一次导入"),
    "undo.change_set": ("the change-set id shown by import or history", "import 或 history 显示的变更集编号"),
    "undo.author": ("who undoes (recorded in the audit trail; default: your login)", "撤销人（记入变更记录；默认：您的登录名）"),
}


def help_words(code: str, lang: str = "zh") -> str:
    """One help text of the ``chainmap`` command in ``lang``.

    >>> help_words("undo"), help_words("undo", "en")
    ('撤销一个变更集，如一次导入', 'undo one change set, e.g. an import (撤销)')
    """
    return HELP[code][0 if lang == "en" else 1]


# ------------------------------------------------------------------ labels and reasons of the core, for people
# Moved here from chainmap.i18n so that every word is in this one catalogue; chainmap.i18n renders them (label,
# reason_text, with_reasons, explain_text, history_view …) for the CLI, the app and the exports.
STATUS_LABEL = {
    "zh": {'strong': "优势", 'strengthen': "强链", 'fill': "补链",
           'extend': "延链", 'unassessed': "待评估"},
    "en": {'strong': "strong", 'strengthen': "strengthen", 'fill': "fill",
           'extend': "extend", 'unassessed': "unassessed"},
}
STAGE_LABEL = {
    "zh": {'upstream': "上游", 'midstream': "中游", 'downstream': "下游"},
    "en": {'upstream': "upstream", 'midstream': "midstream", 'downstream': "downstream"},
}
COLUMN_LABEL = {
    "zh": {
        "link_id": "环节编号", "name_zh": "名称", "name_en": "英文名", "stage": "位置", "status": "状态",
        "strength": "强度", "severity": "紧迫度", "importance": "重要性", "demand_pull": "需求拉动",
        "centrality": "枢纽度", "n_local": "本地企业数", "incumbents": "本地企业", "chain_leaders": "链主",
        "reason": "判断依据", "source": "数据来源", "as_of": "数据日期",
        "id": "编号", "chain": "产业链", "links": "环节数", "local_firms": "本地企业数",
    },
    "en": {},
}

#: Industry classification systems as officers name them.
SYSTEM_LABEL = {
    "zh": {"gb": "国标行业", "sw": "申万行业", "tushare": "Tushare行业", "csrc": "证监会行业"},
    "en": {"gb": "GB/T 4754 class", "sw": "SW 2021 class", "tushare": "Tushare class", "csrc": "CSRC division"},
}


def _class_text(system: str, value: str, lang: str) -> str:
    name = SYSTEM_LABEL[lang][system]
    if lang == "en":
        return f"{name} {value}"
    return f"{name}{value}" if system in ("gb", "csrc") else f"{name}「{value}」"


def basis_words(basis: dict, lang: str = "zh") -> str:
    """How a firm was placed on a link, in words (see :func:`chainmap.i18n.basis_text`)."""
    link = basis.get("link", "")
    if basis.get("basis") == "class":
        cls = _class_text(basis["system"], basis["value"], lang)
        return f"按{cls}归入【{link}】" if lang == "zh" else f"placed on [{link}] by its {cls}"
    if basis.get("basis") == "coarse":
        sep = "、" if lang == "zh" else " and "
        cls = sep.join(_class_text(s, v, lang) for s, v in basis["classes"])
        if basis["method"] == "words":
            word = basis.get("word", "")
            return (f"按{cls}（粗类）及名称或经营范围中的「{word}」归入【{link}】" if lang == "zh" else
                    f"placed on [{link}] by its coarse {cls}, confirmed by \"{word}\" in its name or business scope")
        return (f"按{cls}（粗类）共同归入【{link}】" if lang == "zh" else
                f"placed on [{link}] where its coarse classes agree: {cls}")
    if basis.get("basis") == "event":
        return f"按过往投资事件归入【{link}】" if lang == "zh" else f"placed on [{link}] by a past investment in it"
    return ""


# the audit trail
OP_LABEL = {"zh": {"add": "新增", "update": "修改", "delete": "删除"}, "en": {}}
KIND_LABEL = {"zh": {"firms": "企业", "honours": "荣誉", "relations": "企业关系", "projects": "项目",
                      "contacts": "对接记录", "events": "投资事件"}, "en": {}}
#: What a 链条维护 save did (actions ``app: maintain KIND NAMES``, written by chainmap/app/maintain.py).
MAINTAIN_LABEL = {"zh": {"survey": "摸排", "firm": "登记本地企业", "link": "环节", "edge": "供应关系",
                          "unedge": "删除供应关系"},
                   "en": {"survey": "survey", "firm": "local firm", "link": "link", "edge": "supply edge",
                          "unedge": "edge removed"}}
HISTORY_HEADERS = {"zh": {"at": "时间（北京时间）", "author": "修改人", "action": "操作", "table": "数据表", "key": "记录",
                   "op": "变化", "what": "修改前 → 修改后", "change_set": "变更集"},
            "en": {"at": "time (Beijing)", "what": "before → after"}}


# The core (scoring, gap analysis) explains itself as a list of typed parts: ``[(code, params), ...]``,
# kept in a ``reason_parts`` column. This one catalogue turns them into words, zh first, en available.

#: Honour lists as officers name them.
HONOUR_LABEL = {
    "zh": {"FG500": "世界500强", "CN500": "中国企业500强", "CN_PRIVATE500": "中国民营企业500强",
           "single_champion": "制造业单项冠军", "little_giant": "专精特新小巨人", "listed": "上市公司"},
    "en": {"FG500": "Fortune Global 500", "CN500": "China Top 500", "CN_PRIVATE500": "China Top 500 Private",
           "single_champion": "manufacturing single champion", "little_giant": "little giant (专精特新)",
           "listed": "listed"},
}
#: Access channels (触达渠道).
CHANNEL_LABEL = {
    "zh": {"fund": "资本招商", "incubator": "深圳孵化", "chamber": "商协会", "alumni": "校友会",
           "fair": "展会", "ambassador": "招商大使", "intermediary": "中介机构"},
    "en": {"fund": "investment fund", "incubator": "Shenzhen incubator", "chamber": "chamber of commerce",
           "alumni": "alumni association", "fair": "trade fair", "ambassador": "investment ambassador",
           "intermediary": "intermediary"},
}
#: Promotion modes of a target.
MODE_LABEL = {"zh": {"fill": "补链", "strengthen": "强链", "extend": "延链", "check": "待摸排"},
              "en": {"fill": "fill", "strengthen": "strengthen", "extend": "extend", "check": "to survey"}}


def _name(v, lang: str) -> str:
    """A link given as a name, or as ``{"id", "zh", "en"}`` (en falls back to zh, then the id)."""
    if isinstance(v, dict):
        return (v.get("en") if lang == "en" else None) or v.get("zh") or v.get("id", "")
    return str(v)


def _links(links, lang: str) -> str:
    if lang == "zh":
        return "、".join(f"【{_name(v, lang)}】" for v in links)
    return ", ".join(f"[{_name(v, lang)}]" for v in links)


def _firms(firms, lang: str, k: int = 3) -> str:
    firms = list(firms)
    if lang == "zh":
        return "、".join(firms[:k]) + (f"等{len(firms)}家" if len(firms) > k else "")
    return ", ".join(firms[:k]) + (f" and {len(firms) - k} more" if len(firms) > k else "")


def _by_text(probs, lang: str) -> str:
    """How links were inferred from a firm's products: probabilities (0: by keyword)."""
    if not probs:
        return ""
    shown = [p for p in probs if p > 0]
    if lang == "zh":
        bits = ([f"概率{'、'.join(f'{p:.0%}' for p in shown)}"] if shown else []) + \
            (["关键词匹配"] if len(shown) < len(probs) else [])
        return f"（据主营产品推断，{'，'.join(bits)}）"
    bits = ([f"probability {', '.join(f'{p:.0%}' for p in shown)}"] if shown else []) + \
        (["keyword match"] if len(shown) < len(probs) else [])
    return f" (inferred from its products: {'; '.join(bits)})"


def _target(mode: str, lang: str):
    zh = {"fill": "补链：填补{links}空白", "extend": "延链：延伸至{links}", "strengthen": "强链：壮大{links}",
          "check": "待摸排：{links}本地尚未评估，可先摸排再对接"}[mode]
    en = {"fill": "fill: fills the gap at {links}", "extend": "extend: reaches out to {links}",
          "strengthen": "strengthen: adds to {links}",
          "check": "to survey: {links} not yet assessed here; survey it, then approach"}[mode]

    def render(p: dict) -> str:
        text = (zh if lang == "zh" else en).format(links=_links(p["links"], lang)) + _by_text(p.get("by_text"), lang)
        if p.get("expand"):
            text += "（已在本地投资，可增资扩产）" if lang == "zh" else " (already invests here: could expand)"
        return text
    return render


def _honour(p: dict, lang: str) -> str:
    name = HONOUR_LABEL[lang].get(p["list"], p["list"])
    extra = p.get("detail") if p["list"] == "listed" else p.get("year")
    if extra in (None, ""):
        return name
    return f"{name}（{extra}）" if lang == "zh" else f"{name} ({extra})"


def _signal(p: dict, lang: str, head: bool = True) -> str:
    what = " ".join(str(v) for v in (p.get("date"), p.get("detail")) if v)
    amount = p.get("amount_yi")
    if lang == "zh":
        return ("近期扩张：" if head else "") + what + (f"，{amount:g}亿元" if amount is not None else "")
    return ("recent expansion: " if head else "") + what + (f", RMB {amount / 10:g} bn" if amount is not None else "")


#: Ranking methods of the backtest (baselines and learned weights); a strategy is worded by its name.
METHOD_LABEL = {
    "zh": {"biggest": "最大企业优先（营收与荣誉）", "relatedness": "仅看关联度（Hidalgo密度）",
           "recent": "近期扩张企业优先（两年内有投资事件）", "learned": "学习权重", "signals": "学习权重＋投资信号"},
    "en": {"biggest": "biggest firms first (revenue and honours)", "relatedness": "relatedness only (Hidalgo density)",
           "recent": "recent expanders first (an investment event in two years)", "learned": "learned weights",
           "signals": "learned weights + investment signals"},
}


SIGNAL_LABEL = {
    "zh": {"expander": "连续扩张（近年投资事件）", "amount": "投资金额", "chain_history": "曾在本链投资",
           "gravity": "距离（总部与近期工厂离本省远近）", "toward_home": "近期投向本省及周边",
           "size": "企业规模（营收、股本或注册资本）"},
    "en": {"expander": "serial expander (recent investment events)", "amount": "investment amount",
           "chain_history": "invested in this chain before", "gravity": "distance (HQ and recent plants from the province)",
           "toward_home": "recently investing in or near the province", "size": "size (revenue, shares or capital)"},
}

#: Fields of a ledger project (要素), as the missing ones are named.
FIELD_LABEL = {
    "zh": {"investor_name": "投资方", "link_id": "环节", "planned_yi": "计划总投资", "responsible_unit": "责任单位",
           "lead_unit": "线索来源单位", "signed_on": "签约时间", "county": "所在县区", "started_on": "动工时间"},
    "en": {"investor_name": "investor", "link_id": "link", "planned_yi": "planned investment",
           "responsible_unit": "responsible unit", "lead_unit": "lead source unit", "signed_on": "signing date",
           "county": "county", "started_on": "start date"},
}

#: Relations between firms, as a step of a referral path reads them.
RELATION_LABEL = {"zh": {"SUPPLIES_TO": "供货给", "PART_OF": "隶属于"},
                  "en": {"SUPPLIES_TO": "supplies", "PART_OF": "is part of"}}


def _relatedness(p: dict, lang: str) -> str:
    grade = {"zh": {"high": "高", "medium": "中等", "low": "较低"}, "en": {}}[lang].get(p["grade"], p["grade"])
    a, b = p.get("link"), p.get("near")
    if lang == "zh":
        text = f"与本地已有环节关联度{grade}（密度{p['density']:.2f}"
        if b:
            text += (f"；经营【{_name(a, lang)}】的企业常兼营本地已有的【{_name(b, lang)}】" if p["level"] == "firm"
                     else f"；【{_name(a, lang)}】常与本地已有的【{_name(b, lang)}】集聚于同一城市")
        return text + "）"
    text = f"{grade} relatedness to the city's present links (density {p['density']:.2f}"
    if b:
        text += (f"; firms on [{_name(a, lang)}] often also run [{_name(b, lang)}], which the city has"
                 if p["level"] == "firm" else
                 f"; [{_name(a, lang)}] tends to cluster in the same cities as [{_name(b, lang)}], which the city has")
    return text + ")"


#: Every code the core may emit, per language: a function of the part's params. ``chainmap.i18n.reason_text`` renders
#: them; ``tests/test_reasons.py`` checks that every code the engine and the gap analysis use has both.
SCORE_REASONS = {
    "zh": {
        # target scoring (chainmap.scoring.engine): the head names the mode and the links
        "target_fill": _target("fill", "zh"), "target_extend": _target("extend", "zh"),
        "target_strengthen": _target("strengthen", "zh"), "target_check": _target("check", "zh"),
        "basis": lambda p: basis_words(p, "zh"),
        "incumbents": lambda p: f"本地现有{'、'.join(p['firms'])}",
        "supplies_local": lambda p: f"为本地【{_name(p['link'], 'zh')}】（{p['firm']}）的上游环节",
        "buys_local": lambda p: f"可承接本地【{_name(p['link'], 'zh')}】（{p['firm']}）的产品",
        "honour": lambda p: _honour(p, "zh"),
        "supplier_of": lambda p: f"已是{p['firm']}的供应商",
        "customer_of": lambda p: f"{p['firm']}的下游客户",
        "signal": lambda p: _signal(p, "zh"),
        "signal_plain": lambda p: _signal(p, "zh", head=False),
        "team": lambda p: f"{p['team']}覆盖",
        "channel": lambda p: f"{CHANNEL_LABEL['zh'].get(p['channel'], p['channel'])}：{p['detail']}",
        "relatedness": lambda p: _relatedness(p, "zh"),
        # how a link was placed (explain) and how the scorer placed firms without a known link
        "placed_known": lambda p: "已知", "placed_local": lambda p: "本地已有",
        "placed_integration": lambda p: "上下游延伸（所在环节与本环节直接供需相连）",
        "placed_classifier": lambda p: f"推断（概率{p['probability']:.0%}）",
        "placed_keywords": lambda p: "推断（关键词匹配）",
        "inference_off": lambda p: "环节推断：未启用（无已知环节的企业不参与评分）",
        "inference_keywords": lambda p: "环节推断：主营产品关键词匹配（按设置）",
        "inference_not_needed": lambda p: "环节推断：无需推断（企业均有已知环节）",
        "inference_too_few": lambda p: f"环节推断：主营产品关键词匹配（已标注企业{p['labelled']}家，样本不足以训练文本分类器）",
        "inference_classifier": lambda p: (
            f"环节推断：主营产品文本分类器（{p['labelled']}家已标注企业中取{p['trained']}家训练，学习{p['learned']}个环节"
            + (f"；其余{p['by_keyword']}个环节样本不足，按关键词" if p["by_keyword"] else "") + "）"),
        # gap analysis (chainmap.analysis.gaps)
        "gap_unassessed": lambda p: "待评估：尚未摸排本地企业（未评估不等于缺失）",
        "gap_strong": lambda p: "优势环节",
        "gap_strengthen": lambda p: "强链：本地已有但偏弱",
        "ev_leader": lambda p: f"链主{_firms(p['firms'], 'zh')}在本地",
        "ev_count": lambda p: f"本地{len(p['firms'])}家企业（{_firms(p['firms'], 'zh')}）",
        "ev_sufficiency": lambda p: f"本地产出满足本地下游需求的{p['share']:.0%}",
        "ev_scale": lambda p: f"本地年产出约{p['output_yi']:.0f}亿元",
        "below_threshold": lambda p: f"强度{p['strength']:.2f}低于{p['threshold']:.2f}",
        "local_firms": lambda p: f"本地企业：{_firms(p['firms'], 'zh')}",
        "gap_fill": lambda p: (f"补链：本地空白，上游有{_links(p['up'], 'zh')}，下游有{_links(p['down'], 'zh')}，"
                               "是本地链条的断点"),
        "gap_extend_down": lambda p: f"延链：本地空白，上游已有{_links(p['up'], 'zh')}，可向下游延伸",
        "gap_extend_up": lambda p: f"延链：本地空白，下游已有{_links(p['down'], 'zh')}，可向上游延伸",
        "gap_leap": lambda p: "延链：本地空白，且无本地上下游衔接（需跨越式引进）",
        # the 八个一 review (chainmap.analysis.mechanism): evidence of derived slots, and how slots are scored
        "mech_chain_map": lambda p: (
            f"已摸排或有本地企业的环节{p['covered']}/{p['links']}个（覆盖率{p['coverage']:.0%}），"
            f"待评估{p['links'] - p['covered']}个；最近摸排日期{p['latest'] or '无'}"
            + (f"（最近摸排{p['latest']}，已超过{p['stale_after']}天）" if p["stale_after"] else "")),
        "mech_target_list": lambda p: f"目标企业{p['targets']}家（得分>0），已对接{p['contacted']}家（已联系及以后）",
        "mech_ledger": lambda p: (f"项目{p['projects']}个，计划总投资合计{p['planned_yi']:g}亿元"
                                  f"（{p['with_amount']}个有金额），要素齐全率{p['fill']:.0%}"),
        "mech_no_ledger": lambda p: "台账中尚无本链项目",
        "mech_leaders": lambda p: "链主：" + "；".join(f"{x['firm']}（{'、'.join(x['links'])}）" for x in p["leaders"]),
        "mech_no_leader": lambda p: "本地尚无标记为链主的企业",
        "metric_chain_map": lambda p: "覆盖率×新鲜度", "metric_target_list": lambda p: "½有清单＋½×已对接进度",
        "metric_project_ledger": lambda p: "½有台账＋½×要素齐全率", "metric_chain_leader": lambda p: "有链主记1",
        "metric_manual": lambda p: "已落实1／推进中½／未启动0",
        "metric_unproven": lambda p: "已落实但未附佐证，按推进中计",
        # a strategy that weighs 0 every mode a chain's opportunities are in (chainmap rank)
        "strategy_zeroes_modes": lambda p: (
            f"策略「{p['strategy']}」给{'、'.join(MODE_LABEL['zh'][m] for m in p['modes'])}的权重为0，"
            f"{_name(p['chain'], 'zh')}的机会环节" + ("都在其中，按它无企业可排" if p["empty"] else "中属于这些类型的企业不会上榜")
            + (f"；已改用默认策略「{p['fallback']}」排序" if p.get("fallback") else "")),
        # the project ledger (chainmap.analysis.ledger)
        "missing_fields": lambda p: "缺" + "、".join(FIELD_LABEL["zh"].get(f, f) for f in p["fields"]),
        "started_before_signed": lambda p: "动工时间早于签约时间",
    },
    "en": {
        "target_fill": _target("fill", "en"), "target_extend": _target("extend", "en"),
        "target_strengthen": _target("strengthen", "en"), "target_check": _target("check", "en"),
        "basis": lambda p: basis_words(p, "en"),
        "incumbents": lambda p: f"local incumbents: {', '.join(p['firms'])}",
        "supplies_local": lambda p: f"upstream of the city's [{_name(p['link'], 'en')}] ({p['firm']})",
        "buys_local": lambda p: f"can take the products of the city's [{_name(p['link'], 'en')}] ({p['firm']})",
        "honour": lambda p: _honour(p, "en"),
        "supplier_of": lambda p: f"already supplies {p['firm']}",
        "customer_of": lambda p: f"a customer of {p['firm']}",
        "signal": lambda p: _signal(p, "en"),
        "signal_plain": lambda p: _signal(p, "en", head=False),
        "team": lambda p: f"covered by {p['team']}",
        "channel": lambda p: f"{CHANNEL_LABEL['en'].get(p['channel'], p['channel'])}: {p['detail']}",
        "relatedness": lambda p: _relatedness(p, "en"),
        "placed_known": lambda p: "known", "placed_local": lambda p: "present here",
        "placed_integration": lambda p: "vertical integration (its link directly supplies or buys from this one)",
        "placed_classifier": lambda p: f"inferred (probability {p['probability']:.0%})",
        "placed_keywords": lambda p: "inferred (keyword match)",
        "inference_off": lambda p: "link inference: off (firms with no known link are not scored)",
        "inference_keywords": lambda p: "link inference: keywords of the products text (as set)",
        "inference_not_needed": lambda p: "link inference: not needed (every firm has a known link)",
        "inference_too_few": lambda p: (f"link inference: keywords of the products text ({p['labelled']} labelled firms "
                                        "are too few to train the text classifier)"),
        "inference_classifier": lambda p: (
            f"link inference: products-text classifier (trained on {p['trained']} of {p['labelled']} labelled firms, "
            f"{p['learned']} links learned"
            + (f"; the other {p['by_keyword']} links by keyword, too few examples" if p["by_keyword"] else "") + ")"),
        "gap_unassessed": lambda p: "unassessed: local firms not surveyed yet (unknown is not missing)",
        "gap_strong": lambda p: "strong link",
        "gap_strengthen": lambda p: "strengthen: present here but weak",
        "ev_leader": lambda p: f"chain leader {_firms(p['firms'], 'en')} is here",
        "ev_count": lambda p: (f"{len(p['firms'])} local firm{'s' if len(p['firms']) != 1 else ''} "
                               f"({_firms(p['firms'], 'en')})"),
        "ev_sufficiency": lambda p: f"local output meets {p['share']:.0%} of local downstream demand",
        "ev_scale": lambda p: f"local output about RMB {p['output_yi'] / 10:.1f} bn a year",
        "below_threshold": lambda p: f"strength {p['strength']:.2f} below {p['threshold']:.2f}",
        "local_firms": lambda p: f"local firms: {_firms(p['firms'], 'en')}",
        "gap_fill": lambda p: (f"fill: missing here, with {_links(p['up'], 'en')} upstream and "
                               f"{_links(p['down'], 'en')} downstream: a break in the local chain"),
        "gap_extend_down": lambda p: f"extend: missing here; {_links(p['up'], 'en')} upstream, so the chain can grow "
                                     "downstream",
        "gap_extend_up": lambda p: f"extend: missing here; {_links(p['down'], 'en')} downstream, so the chain can grow "
                                   "upstream",
        "gap_leap": lambda p: "extend: missing here, with no local link on either side (a leap)",
        "mech_chain_map": lambda p: (
            f"{p['covered']}/{p['links']} links surveyed or with a local firm (coverage {p['coverage']:.0%}), "
            f"{p['links'] - p['covered']} unassessed; latest survey {p['latest'] or 'none'}"
            + (f" (more than {p['stale_after']} days ago)" if p["stale_after"] else "")),
        "mech_target_list": lambda p: (f"{p['targets']} target firms (score > 0), {p['contacted']} in contact "
                                       "(contacted or further)"),
        "mech_ledger": lambda p: (f"{p['projects']} projects, planned investment RMB {p['planned_yi'] / 10:g} bn "
                                  f"({p['with_amount']} with an amount), records {p['fill']:.0%} complete"),
        "mech_no_ledger": lambda p: "no project of this chain in the ledger yet",
        "mech_leaders": lambda p: "chain leaders: " + "; ".join(f"{x['firm']} ({', '.join(x['links'])})"
                                                                for x in p["leaders"]),
        "mech_no_leader": lambda p: "no local firm is marked as chain leader yet",
        "metric_chain_map": lambda p: "coverage × freshness",
        "metric_target_list": lambda p: "½ for a list + ½ × contact progress",
        "metric_project_ledger": lambda p: "½ for a ledger + ½ × completeness of records",
        "metric_chain_leader": lambda p: "1 with a chain leader",
        "metric_manual": lambda p: "done 1 / in progress ½ / not started 0",
        "metric_unproven": lambda p: "done but without evidence: counted as in progress",
        "strategy_zeroes_modes": lambda p: (
            f"the strategy '{p['strategy']}' weighs {', '.join(MODE_LABEL['en'][m] for m in p['modes'])} 0; "
            + (f"every opportunity of {_name(p['chain'], 'en')} is of that kind, so it ranks nobody" if p["empty"]
               else f"firms of that kind on {_name(p['chain'], 'en')} cannot rank")
            + ("; ranked with the default strategy instead" if p.get("fallback") else "")),
        "missing_fields": lambda p: "missing: " + ", ".join(FIELD_LABEL["en"].get(f, f) for f in p["fields"]),
        "started_before_signed": lambda p: "started before it was signed",
    },
}
#: Codes followed by a colon rather than a semicolon (a head and its evidence), and the separator (zh, en)
#: put before some codes instead of the semicolon.
REASON_HEADS = {"gap_strong", "gap_strengthen"}
REASON_SEP_BEFORE = {"below_threshold": ("，", ", "), "started_before_signed": ("、", "; ")}

#: Score components (:data:`chainmap.scoring.weights.COMPONENTS`, and ``check``), as the explain text names them.
COMPONENT_LABEL = {
    "zh": {"fill": "补链分", "strengthen": "强链分", "extend": "延链分", "check": "待摸排分", "affinity": "以商引商",
           "relatedness": "产业关联", "tier": "企业层级", "propensity": "扩张意愿", "reach": "可触达",
           "gravity": "距离"},
    "en": {"fill": "fill", "strengthen": "strengthen", "extend": "extend", "check": "to survey",
           "affinity": "affinity", "relatedness": "relatedness", "tier": "tier", "propensity": "propensity",
           "reach": "reach", "gravity": "gravity"},
}
EXPLAIN_WORDS = {
    "zh": {"score": "综合得分：", "no_score": "—（与本链机会环节不匹配）", "mode": "  类型：",
           "expand": "  · 已在{city}投资，可增资扩产", "here": "本地", "components": "得分构成（值 × 权重）：",
           "links": "{mode}机会环节：", "link": "  【{name}】{status} 紧迫度{severity:.2f} 匹配{fit:.1f}（{basis}）",
           "honour": "荣誉资质", "signal": "扩张信号", "team": "责任先锋队", "channels": "触达渠道",
           "partners": "与本地企业关系", "colon": "：", "referrals": "以商引商路径：",
           "no_referral": "以商引商路径：暂无已知供应/股权关系",
           "factors": "  加权平均 × 匹配系数 {gate:.3f}（本类型匹配度 {fit:.3f} 的 {power:g} 次方） × 投资动量系数 {momentum:.3f}"
                      "（过往投资 {past:.3f}）"},
    "en": {"score": "score: ", "no_score": "— (fits no opportunity link of this chain)", "mode": "  mode: ",
           "expand": "  · already invests in {city}: could expand", "here": "the city",
           "components": "score components (value × weight):", "links": "{mode} opportunity links:",
           "link": "  [{name}] {status}, severity {severity:.2f}, fit {fit:.1f} ({basis})",
           "honour": "honours", "signal": "expansion signal", "team": "pioneer team", "channels": "access channels",
           "partners": "ties to local firms", "colon": ": ", "referrals": "referral paths (以商引商):",
           "no_referral": "referral paths (以商引商): no known supply or ownership tie yet",
           "factors": "  weighted mean × fit gate {gate:.3f} (fit in this mode {fit:.3f} to the power {power:g})"
                      " × momentum {momentum:.3f} (past investments {past:.3f})"},
}


#: Slot statuses (values of the ``mechanism`` table's ``status``), slot kinds, and the workbook's words.
SLOT_STATUS_LABEL = {"zh": {"已落实": "已落实", "推进中": "推进中", "未启动": "未启动"},
                     "en": {"已落实": "in place", "推进中": "in progress", "未启动": "not started"}}
MECHANISM_LABEL = {
    "zh": {"summary": "汇总", "chain": "产业链", "completeness": "机制完备度", "slots": "事项数",
           "slot": "序号", "name_zh": "事项", "kind": "类型", "status": "状态", "score": "得分",
           "owner": "责任单位/人", "evidence": "进展与佐证", "updated_on": "更新日期", "metric": "计分方法",
           "derived": "系统派生", "manual": "手工填报"},
    "en": {"summary": "Summary", "chain": "chain", "completeness": "completeness", "slots": "slots",
           "slot": "no.", "name_zh": "item", "kind": "kind", "status": "status", "score": "score",
           "owner": "owner", "evidence": "progress and evidence", "updated_on": "updated on", "metric": "scored as",
           "derived": "derived", "manual": "manual"},
}


_HOW = ({"credit_code": "credit code", "group": "group", "name": "name"}, {"credit_code": "统一社会信用代码", "group": "集团", "name": "名称"})
_METHOD_ZH = {"exact": "名称完全一致", "alias": "别名", "normalised": "名称规范化后一致", "credit_code": "统一社会信用代码",
              "group": "集团", "fuzzy": "名称相似"}


def _note(p: dict, head: str = "", lang: str = "en") -> str:
    """The matcher's notes, if any, in words (codes from the matcher; an old plan's English text as it is)."""
    n = match_note(p.get("note") or (), lang)
    return f"{head}{n}" if n else ""


#: Why an import row is planned as it is: code → (English, Chinese). A row's reason is a tuple of such parts
#: ``((code, params), …)``; a rejected row's part is its problem's code (see :data:`PROBLEMS`).
REASONS: dict[str, tuple] = {
    "by_firm_id": ("firm id {firm}", "企业编号 {firm}"),
    "by_credit_code": ("credit code {code}", "统一社会信用代码 {code}"),
    "matched": (lambda p: f"{p['name']} → {p['firm']} (by {_HOW[0][p['how']]}{_note(p, '; ')})",
                lambda p: f"{p['name']} → {p['firm']}（按{_HOW[1][p['how']]}匹配{_note(p, '；', 'zh')}）"),
    "method_match": (lambda p: f"{p['method']} match" + (f" ({_note(p)})" if p.get("note") else ""),
                     lambda p: f"按{_METHOD_ZH.get(p['method'], p['method'])}匹配" + (f"（{_note(p, '', 'zh')}）" if p.get("note") else "")),
    "uncertain": (lambda p: f"{p['name']}: uncertain ({_note(p)}); choose one of {', '.join(p['candidates'])}",
                  lambda p: f"{p['name']}：无法确定（{_note(p, '', 'zh')}），请从 {'、'.join(p['candidates'])} 中选择"),
    "uncertain_or_new": (lambda p: f"uncertain: {_note(p)}; choose one of {', '.join(p['candidates'])} or mark it new",
                         lambda p: f"无法确定：{_note(p, '', 'zh')}；请从 {'、'.join(p['candidates'])} 中选择，或标为新企业"),
    "code_name_conflict": ("credit code {code} is {coded} but the name matches {firm}",
                           "统一社会信用代码 {code} 属于 {coded}，但名称与 {firm} 相符"),
    "same_as_earlier_row": ("same firm as an earlier row ({firm})", "与前面一行是同一企业（{firm}）"),
    "regional_entity": (lambda p: f"regional entity of {p['parent']} ({' > '.join(p['path'])}): a new firm PART_OF it",
                        lambda p: f"{p['parent']} 的地区分支机构（{' > '.join(p['path'])}）：新增企业并隶属于它"),
    "new_firm": ("new firm", "新企业"),
    "alias_kept": ("{name!r} kept as an alias of {of}", "“{name}”保留为 {of} 的别名"),
    "changed": (lambda p: "changed: " + ", ".join(list(p["columns"]) + (["link"] if p.get("link") else [])),
                lambda p: "更改：" + "、".join(list(p["columns"]) + (["所属环节"] if p.get("link") else []))),
    "honour_added": ("honour added: {list} {detail}", "新增荣誉：{list} {detail}"),
    "added_with_honour": ("not in the library, added with its honour {list} {detail}",
                          "企业库中没有，已连同荣誉 {list} {detail} 一并新增"),
    "investor_not_named": ("investor not named", "未填投资方"),
    "investor_not_in_library": ("investor not in the library ({value})", "投资方不在企业库中（{value}）"),
}


def reason_words(parts, lang: str = "en") -> str:
    """A row's reason, ``((code, params), …)``, in words; a plain string (an old plan) is returned as it is.

    Examples
    --------
    >>> parts = (("method_match", {"method": "exact"}), ("changed", {"columns": ["营业收入"], "link": True}))
    >>> reason_words(parts)
    'exact match; changed: 营业收入, link'
    >>> reason_words(parts, "zh")
    '按名称完全一致匹配；更改：营业收入、所属环节'
    """
    if isinstance(parts, str) or parts is None:
        return parts or ""
    out = []
    for code, params in parts:
        if code in REASONS:
            out.append(_fill(REASONS[code][0 if lang == "en" else 1], params, lang).strip())
        else:
            out.append(render(code, params, lang))
    return ("; " if lang == "en" else "；").join(out)


_SKIP = ({"hidden": "hidden", "cover": "a cover sheet", "fewer_headers": "fewer known headers", "empty": "empty",
          "not_a_worksheet": "not a worksheet"},
         {"hidden": "隐藏", "cover": "填表说明", "fewer_headers": "表头较少", "empty": "空表", "not_a_worksheet": "非工作表"})
_UNIT_FROM = ({"header": "its own header", "title": "a title row", "note": "a note in the header"},
              {"header": "表头自带", "title": "标题行说明", "note": "表头说明"})
_DELIM = {",": ("comma", "逗号"), ";": ("semicolon", "分号"), "\t": ("tab", "制表符"), "|": ("bar", "竖线")}

#: The layout decisions of an import (the report's file- and row-level notes): code → (English, Chinese), each a
#: function of the decision ``{"row", "column", "value", "detail"}`` (blanks as "").
DECISIONS: dict[str, tuple] = {
    "sheet": (lambda d: f"sheet used: {d['value']!r}" + (" (a hidden sheet)" if d["detail"] == "hidden" else ""),
              lambda d: f"使用工作表「{d['value']}」" + ("（隐藏工作表）" if d["detail"] == "hidden" else "")),
    "sheet_skipped": (lambda d: f"sheet {d['value']!r} skipped ({_SKIP[0].get(d['detail'], d['detail'])})",
                      lambda d: f"跳过工作表「{d['value']}」（{_SKIP[1].get(d['detail'], d['detail'])}）"),
    "encoding": (lambda d: f"text encoding {d['value']}", lambda d: f"文本编码 {d['value']}"),
    "delimiter": (lambda d: f"delimiter: {_DELIM.get(d['value'], (d['value'],) * 2)[0]}",
                  lambda d: f"分隔符：{_DELIM.get(d['value'], (d['value'],) * 2)[1]}"),
    "title_rows": (lambda d: f"row(s) {d['value']}: title, skipped", lambda d: f"第 {d['value']} 行是标题行，已跳过"),
    "header": (lambda d: f"header in row(s) {d['value']}", lambda d: f"表头在第 {d['value']} 行"),
    "ignored_column": (lambda d: f"column {d['column']!r} not recognised, ignored",
                       lambda d: f"未识别的列「{d['column']}」，已忽略"),
    "unit": (lambda d: f"unit {d['value']} applied to {d['column']!r} (stated in "
                       f"{_UNIT_FROM[0].get(d['detail'], d['detail'])})"
                       + ("; amounts converted to 亿元" if d["value"] != "亿元" else ""),
             lambda d: f"「{d['column']}」按{d['value']}计（{_UNIT_FROM[1].get(d['detail'], d['detail'])}）"
                       + ("，已换算为亿元" if d["value"] != "亿元" else "")),
    "total_row": (lambda d: f"row {d['row']}: a total row ({d['column']}: {d['value']}), left out",
                  lambda d: f"第 {d['row']} 行是合计行（{d['column']}：{d['value']}），未导入"),
    "section_row": (lambda d: f"row {d['row']}: a section title ({d['value']}), left out",
                    lambda d: f"第 {d['row']} 行是分组标题（{d['value']}），未导入"),
    "blank_row": (lambda d: f"row {d['row']}: blank, skipped", lambda d: f"第 {d['row']} 行是空行，已跳过"),
    "hidden_row": (lambda d: f"row {d['row']}: hidden, " + ("imported" if d["detail"] == "kept" else "left out"),
                   lambda d: f"第 {d['row']} 行是隐藏行，" + ("已导入" if d["detail"] == "kept" else "未导入")),
    "merged_fill": (lambda d: f"row {d['row']}, {d['column']!r}: filled from the merged cell of row {d['value']}",
                    lambda d: f"第 {d['row']} 行「{d['column']}」取自第 {d['value']} 行的合并单元格"),
    "formula_text": (lambda d: f"row {d['row']}, {d['column']!r}: formula-like text kept as text behind an apostrophe",
                     lambda d: f"第 {d['row']} 行「{d['column']}」像公式，已加 ' 按文本保存"),
    "source": (lambda d: f"recognised as: {d['detail'] or d['value']}", lambda d: f"识别为：{d['value']}"),
    "inactive": (lambda d: f"row {d['row']}: status {d['value']} ({d['detail']}): kept and flagged, left out of rankings",
                 lambda d: f"第 {d['row']} 行企业状态为「{d['value']}」（{d['detail']}）：已保留并标记，不进入排名"),
}


def describe_decision(d: dict, lang: str = "zh") -> str:
    """One layout decision of an import in words.

    Examples
    --------
    >>> describe_decision({"row": 9, "code": "total_row", "column": "企业名称", "value": "合计", "detail": ""})
    '第 9 行是合计行（企业名称：合计），未导入'
    >>> describe_decision({"row": None, "code": "unit", "column": "营业收入", "value": "万元", "detail": "title"}, "en")
    "unit 万元 applied to '营业收入' (stated in a title row); amounts converted to 亿元"
    """
    v = {k: ("" if _blank(d.get(k)) else d.get(k)) for k in ("row", "column", "value", "detail")}
    words = DECISIONS.get(d["code"])
    if words is None:
        return f"{d['code']} {v['row']} {v['column']} {v['value']} {v['detail']}".strip()
    return words[0 if lang == "en" else 1](v)



def _blank(x) -> bool:
    """None, NaN or pandas' NA (a decision without a row)."""
    return x is None or (isinstance(x, float) and x != x) or type(x).__name__ == "NAType"


# --------------------------------------------------------------------------------------------------------------
# The firm matcher's notes (issue 12): a Match's ``notes`` are ``((code, ((param, value), …)), …)``, worded here.

#: Why the matcher answered as it did: code → (English, Chinese).
MATCH_NOTES: dict[str, tuple[str, str]] = {
    "bad_credit_code": ("credit code {code!r} fails the GB 32100 check; matched by name",
                        "统一社会信用代码“{code}”未通过 GB 32100 校验，按名称匹配"),
    "blank_name": ("blank name", "名称为空"),
    "several_named": ("several firms are named {key!r}", "多家企业名称为“{key}”"),
    "regional_of": ("regional entity ({regions}) of {firm}", "{firm} 的地区机构（{regions}）"),
    "starts_with_part": ("name starts with {key!r}: part of {firm}?", "名称以“{key}”开头：可能隶属于 {firm}"),
    "starts_with": ("name starts with {key!r}", "名称以“{key}”开头"),
    "similar_names": ("similar names; choose or create a firm", "名称相近，请选择已有企业或新建"),
}


def match_note(notes, lang: str = "en") -> str:
    """The matcher's notes in words; a plain string (an old plan's English note) is returned as it is.

    Examples
    --------
    >>> notes = (("bad_credit_code", (("code", "91441800MA4W12345W"),)), ("starts_with", (("key", "建滔"),)))
    >>> match_note(notes)
    "credit code '91441800MA4W12345W' fails the GB 32100 check; matched by name; name starts with '建滔'"
    >>> match_note(notes, "zh")
    '统一社会信用代码“91441800MA4W12345W”未通过 GB 32100 校验，按名称匹配；名称以“建滔”开头'
    """
    if isinstance(notes, str) or not notes:
        return notes or ""
    i = 0 if lang == "en" else 1
    return ("; " if lang == "en" else "；").join(
        MATCH_NOTES[code][i].format(**dict(params)) if code in MATCH_NOTES else code for code, params in notes)


# ------------------------------------------------------------------ the command line's own words
# The tables, summaries and file names the ``chainmap`` command makes itself (chainmap.cli), zh and en; rendered by
# chainmap.i18n (cli_text, cli_headers, label).

#: Headers of the tables the command prints: table → column → (English, Chinese). A column a table does not name
#: takes :data:`COLUMN_LABEL` (Chinese) or its own name (English).
CLI_HEADERS: dict[str, dict[str, tuple[str, str]]] = {
    "chains": {"name_zh": ("name_zh", "产业链")},
    "gaps": {"name_zh": ("name_zh", "环节")},
    "db_status": {"kind": ("kind", "标签/关系"), "count": ("count", "数量")},
    "backtest": {"method": ("method", "方法"), "chain": ("chain", "产业链"), "n_events": ("n_events", "事件数"),
                 "coverage": ("coverage", "覆盖率"), "random": ("random", "随机基准AP")},
    "contributions": {"feature": ("feature", "得分项"), "coef": ("coef", "系数"), "inv": ("inv", "投资企业均值"),
                      "all": ("all", "候选均值"), "contribution": ("contribution", "贡献")},
    "learn": {"component": ("component", "得分项"), "weight": ("weight", "学习权重"), "std": ("std", "标准差"),
              "interval": ("interval", "90%区间"), "coef": ("coef", "回归系数")},
    "import_events": {"row": ("row", "行"), "date": ("date", "日期"), "firm_name": ("firm_name", "企业"),
                      "stock_code": ("stock_code", "股票代码"), "chain": ("chain", "产业链"),
                      "firm_id": ("firm_id", "企业编号"), "unmatched": ("unmatched", "未匹配"),
                      "link_hint": ("link_hint", "环节提示")},
    "import": {"row": ("row", "行"), "name": ("name", "名称"), "action": ("action", "处理"),
               "firm_id": ("firm_id", "企业编号"), "reason": ("reason", "说明"), "layout": ("layout", "版式")},
}

#: What an import does with a row (the summary line of ``chainmap import``).
IMPORT_ACTION_LABEL = {"zh": {"added": "新增", "updated": "更新", "merged": "合并", "unchanged": "未变",
                              "rejected": "拒绝", "review": "待核"},
                       "en": {"added": "added", "updated": "updated", "merged": "merged", "unchanged": "unchanged",
                              "rejected": "rejected", "review": "review"}}
#: What an event of ``chainmap import events`` could not be matched to.
UNMATCHED_LABEL = {"zh": {"firm": "企业不在库", "link": "环节未匹配", "firm+link": "企业与环节均未匹配"},
                   "en": {"firm": "firm not in the library", "link": "link not matched",
                          "firm+link": "firm and link not matched"}}


def _verdict_line(p: dict, lang: int) -> str:
    if lang == 0:
        return (f"{p['method']}: AUC-PR {p['ap']:.3f} ({', '.join(p['ratios'])}) {'meets' if p['ok'] else 'below'} the "
                f"1.5× bar; P@{p['k']}/ceiling {', '.join(p['per_chain'])}")
    return (f"{p['method']}: AUC-PR {p['ap']:.3f}（{'，'.join(p['ratios'])}）{'达到' if p['ok'] else '未达'}1.5倍；"
            f"P@{p['k']}/可达上限 {'，'.join(p['per_chain'])}")


def _goal_line(p: dict, lang: int) -> str:
    ok = "✓" if p["p_ok"] else "✗"
    if lang == 0:
        return (f"{p['chain']}: AUC-PR {p['ap']:.3f} (lower {p['lo']:.3f}) goals {', '.join(p['parts'])}; "
                f"P@{p['k']} {p['pk']:.3f}/attainable {p['ceiling']:.3f}{ok}; coverage {p['coverage']:.0%}")
    return (f"{p['chain']}: AUC-PR {p['ap']:.3f}（下限{p['lo']:.3f}）目标 {'，'.join(p['parts'])}；"
            f"P@{p['k']} {p['pk']:.3f}/可达{p['ceiling']:.3f}{ok}；覆盖率{p['coverage']:.0%}")


#: The command's summaries, titles and file names: code → (English, Chinese), a :meth:`str.format` string over the
#: values or a function of them.
CLI_WORDS: dict[str, tuple] = {
    "graph_title": ("{name} chain map (current)", "{name}产业链图谱（现状）"),
    "targets_sheet": ("targets", "目标企业"),
    "review_sheet": ("to review", "待核"),
    "loading": ("loading", "载入"),
    "backtesting": ("backtest", "回测"),
    "overall": ("all", "全部"),
    "backtest_head": ("held-out periods: {folds}; ranked on the graph as it stood before each\n",
                      "回测期：{folds}；每期之前重建产业图谱后排名，看真实投资企业排第几\n"),
    "verdict_head": ("against the bars (AUC-PR ≥ 1.5× both baselines; P@20 ≥ 0.3 per chain)",
                     "对照议题标准（AUC-PR ≥ 两个基准的1.5倍；各链P@20 ≥ 0.3）"),
    "verdict_line": (lambda p: _verdict_line(p, 0), lambda p: _verdict_line(p, 1)),
    "few_events": ("few events: read the bootstrap intervals, not the point figures",
                   "事件较少：请看自助法区间，而非单个数值"),
    "goals_head": ("default strategy {strategy} against the goals (AUC-PR ≥ min(2b, b+(1−b)/2) with the lower bound > "
                   "b; P@{k} ≥ half of the attainable)",
                   "默认策略「{strategy}」对照目标（AUC-PR ≥ min(2b, b+(1−b)/2) 且区间下限 > b；P@{k} ≥ 可达上限的一半）"),
    "goal_line": (lambda p: _goal_line(p, 0), lambda p: _goal_line(p, 1)),
    "contributions_head": ("contribution of each feature of the signals method (mean over test folds; coef × "
                           "(investors − all))\n",
                           "「学习权重＋投资信号」各得分项的贡献（各测试期平均；贡献 = 系数 × (投资企业均值 − 全部候选均值)）\n"),
    "events_coverage": ("{file}: {events} events, firm in the library {firm:.0%}; {a_share_events} with an A-share "
                        "code, {a_share_firm:.0%} of them in the library (the others count as misses)",
                        "{file}：事件 {events} 条，企业在库 {firm:.0%}；带A股代码 {a_share_events} 条，其中企业在库 "
                        "{a_share_firm:.0%}（不在库的计为未命中）"),
    "import_events_head": ("{file}: {events} events, firm matched {firm:.0%}, link matched {link:.0%} "
                           "({a_share_events} with an A-share code, {a_share_firm:.0%} of them in the library); {new} new",
                           "{file}：事件 {events} 条，企业匹配 {firm:.0%}，环节匹配 {link:.0%}（带A股代码 {a_share_events} "
                           "条，其中企业在库 {a_share_firm:.0%}）；新增 {new} 条"),
    "clipped": (" (clipped to 0)", "（截断为0）"),
    "learn_note": ("learned weights written to {path} ({n_positive} positive, {n_negative} negative rows). The default "
                   "strategy stays 稳健; use --strategy learned to try them.\n",
                   "学习权重已写入 {path}（{n_positive} 个投资样本、{n_negative} 个未投资样本）。"
                   "默认策略仍为「稳健」；用 --strategy learned 使用学习权重。\n"),
    "import_head": (lambda p: f"{p['file']} ({p['encoding']}" + (f", sheet {p['sheet']!r}" if p["sheet"] else "")
                              + "): " + ", ".join(f"{a} {n}" for a, n in p["counts"]),
                    lambda p: f"{p['file']}（{p['encoding']}" + (f"，工作表「{p['sheet']}」" if p["sheet"] else "")
                              + "）：" + "，".join(f"{a} {n}" for a, n in p["counts"])),
    "recognised_as": (" (recognised as: {source})", "（识别为：{source}）"),
    "flagged": (", flagged {n} (inactive)", "，标记 {n}（注销/吊销/退市）"),
    "brief_weekly": ("weekly-report", "招商周报"),
    "brief_monthly": ("monthly-report", "招商月报"),
    "brief_firm": ("firm-brief-", "一企一策-"),
    "brief_chain": ("chain-report-", "产业链报告-"),
    "list_sep": (", ", "、"),
}
