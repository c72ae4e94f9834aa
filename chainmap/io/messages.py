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

from typing import Callable, Mapping

__all__ = ["PROBLEMS", "render", "place"]

Template = "str | Callable[[dict], str]"


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
    "no_header": (lambda p: f"no header row in the first 10 rows{_opt(' of sheet {sheet!r}', 'sheet', p)}; expected "
                            f"headers such as {p['expected']}",
                  lambda p: f"前10行中找不到表头{_opt('（工作表「{sheet}」）', 'sheet', p)}；应包含如 {p['expected']} 等列名"),
    "same_column_twice": ("two columns mean {column!r}: {first!r} and {second!r}", "“{first}”和“{second}”两列含义相同，请删去一列"),
    "foreign_currency": ("amounts in a foreign currency: convert them to 亿元 first", "金额为外币：请先换算为亿元人民币"),
    "missing_header": (lambda p: f"missing column {' or '.join(repr(h) for h in p['want'])}"
                                 f"{_opt(' of sheet {sheet!r}', 'sheet', p)}; the header (row {p['header_row']}) has: "
                                 f"{', '.join(p['have'])}",
                       lambda p: f"缺少列 {' 或 '.join(f'“{h}”' for h in p['want'])}（"
                                 f"{_opt('工作表「{sheet}」', 'sheet', p)}第 {p['header_row']} 行的表头为："
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
