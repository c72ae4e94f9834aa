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

__all__ = ["PROBLEMS", "REASONS", "DECISIONS", "MORE_PROBLEMS", "render", "place", "reason_words", "describe_decision"]

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
