"""Recognise a sheet's header: which columns mean what, where the header row is, which unit amounts are in.

Header aliases are data: :data:`IMPORT_HEADERS` holds, per import kind and
column, every header met in practice (the first one is the display header).
To accept a new header (an exchange's download, a county's template), add it
to the tuple of its column here; nothing else changes.
"""
from __future__ import annotations

import re
import unicodedata

from ..schemas import SPECS
from ..values import unit_from_header

__all__ = ["HEADERS_ZH", "IMPORT_HEADERS", "KINDS", "AMOUNT_COLUMNS", "header_map", "lookup", "header_at",
           "merged_header", "unit_note", "norm", "is_cover_sheet"]

#: Import kind → the table it fills.
KINDS: dict[str, str] = {"firms": "firms", "honours": "honours", "relations": "relations",
                         "projects": "projects", "contacts": "followups"}

#: The Chinese display header of every column, per table: what the app shows and
#: exports, and what an import accepts back.
HEADERS_ZH: dict[str, dict[str, str]] = {
    "projects": {
        "id": "项目编号", "name": "项目名称", "investor_id": "投资方编号", "investor_name": "投资方",
        "chain": "产业链", "link_id": "环节", "planned_yi": "计划总投资（亿元）", "stage": "阶段",
        "signing_kind": "签约类型", "signed_on": "签约时间", "started_on": "动工时间", "land_mu": "用地（亩）",
        "county": "所在县区", "park": "园区", "responsible_unit": "责任单位", "lead_unit": "线索来源单位",
        "completed_yi": "完成投资（亿元）", "source": "信息来源", "notes": "备注",
    },
}

# Other headers of the project ledger met in practice.
_PROJECT_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("项目ID", "编号", "项目代码"),
    "investor_id": ("统一社会信用代码", "投资方统一社会信用代码", "企业编号"),
    "investor_name": ("投资方名称", "投资主体", "投资企业", "签约企业", "企业名称"),
    "chain": ("所属产业链", "产业链条", "产业"),
    "link_id": ("产业链环节", "所属环节", "环节名称"),
    "planned_yi": ("计划投资（亿元）", "总投资（亿元）", "投资额（亿元）", "计划总投资额（亿元）", "协议投资（亿元）",
                   "计划总投资", "计划投资", "总投资", "投资额", "协议投资"),
    "stage": ("项目阶段", "进度", "项目进度", "当前阶段"),
    "signing_kind": ("签约方式", "签约性质"),
    "signed_on": ("签约日期", "签约时间（年月日）"),
    "started_on": ("动工日期", "开工时间", "开工日期"),
    "land_mu": ("用地面积（亩）", "用地", "用地面积"),
    "county": ("县区", "县（市、区）", "所在县（市、区）", "承载地", "落户县区"),
    "park": ("所在园区", "落户园区"),
    "responsible_unit": ("跟进责任单位", "责任部门"),
    "lead_unit": ("线索来源", "引荐单位", "首谈单位", "信息来源单位"),
    "completed_yi": ("已完成投资（亿元）", "累计完成投资（亿元）", "完成投资", "已完成投资", "累计完成投资"),
    "source": ("来源", "数据来源"),
    "notes": ("说明",),
}

# Per kind: column → the headers that mean it. The first header is the display
# header (what an export writes); English column names are always accepted.
# Columns outside the table (firm, credit_code, chain, link …) name firms or
# links that the importer resolves to ids. A header with a unit suffix
# (（万元）, 万元人民币, (亿元)) is recognised by its stem, so list stems only.
IMPORT_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "firms": {
        "id": ("企业编号", "企业ID", "firm_id"),
        "name_zh": ("企业名称", "公司名称", "企业全称", "单位名称", "名称", "公司全称"),
        "name_en": ("英文名称", "英文名", "公司英文全称"),
        "aliases": ("别名", "简称", "曾用名"),
        "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
        "hq_city": ("总部城市", "总部所在地", "所在城市", "城市"),
        "hq_province": ("总部省份", "所在省份", "省份"),
        "hq_region": ("总部区域", "区域"),
        "revenue_yi": ("营业收入（亿元）", "营收（亿元）", "年营业收入（亿元）", "营业收入", "营收", "年营业收入"),
        "revenue_year": ("营收年度", "营收年份"),
        "products": ("主营产品", "主要产品", "产品"),
        "stock_code": ("股票代码", "证券代码"),
        "chain": ("所属产业链", "产业链"),
        "link": ("所属环节", "环节", "产业链环节"),
        "source": ("信息来源", "来源", "数据来源"),
        "verified": ("核实情况", "核实"),
        "notes": ("备注", "说明"),
        # Registration, listing and industry facts (real sources are also recognised whole: see .sources).
        "board": ("上市板块", "板块"),
        "listed_on": ("上市日期", "上市时间"),
        "status": ("登记状态", "经营状态", "企业状态", "上市状态"),
        "gb_industry": ("国标行业代码", "国民经济行业代码", "行业代码"),
        "sw_l3": ("申万三级行业", "申万行业"),
        "ts_industry": ("Tushare行业",),
        "csrc_division": ("证监会行业代码", "证监会行业"),
        "business_scope": ("经营范围",),
    },
    "honours": {
        "firm_id": ("企业编号", "企业ID"),
        "firm": ("企业名称", "公司名称", "企业"),
        "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
        "list": ("荣誉", "榜单", "荣誉名称", "称号"),
        "year": ("年份", "入选年份", "年度"),
        "level": ("级别", "层级"),
        "detail": ("详情", "排名", "批次", "说明"),
        "source": ("信息来源", "来源", "数据来源"),
    },
    "relations": {
        "src_id": ("企业编号", "src"),
        "src": ("企业名称", "供应方", "子公司", "企业"),
        "dst_id": ("关联企业编号", "dst"),
        "dst": ("关联企业", "客户", "母公司", "上级企业", "所属集团"),
        "type": ("关系类型", "关系"),
        "product": ("产品", "供应产品"),
        "source": ("信息来源", "来源", "数据来源"),
        "verified": ("核实情况", "核实"),
        "notes": ("备注", "说明"),
    },
    "projects": {
        **{c: (h, *_PROJECT_ALIASES.get(c, ())) for c, h in HEADERS_ZH["projects"].items()},
        "credit_code": ("投资方统一社会信用代码",),
    },
    "contacts": {
        "firm_id": ("企业编号", "企业ID"),
        "firm": ("企业名称", "公司名称", "企业", "对接企业", "拜访企业"),
        "credit_code": ("统一社会信用代码", "社会信用代码", "信用代码"),
        "chain": ("产业链", "所属产业链"),
        "status": ("对接状态", "状态", "进展"),
        "person": ("责任人", "对接人", "联系人"),
        "team": ("先锋队", "招商先锋队", "小分队", "团队"),
        "contact_date": ("最近对接日期", "对接日期", "拜访日期", "联系日期", "日期"),
        "notes": ("备注", "对接情况", "拜访情况", "情况说明"),
        "updated_by": ("更新人",),
        "updated_at": ("更新时间",),
    },
}

#: Columns that hold amounts in 亿元: a unit stated for the sheet (title row,
#: header note) applies to those of them whose header names no unit.
AMOUNT_COLUMNS = frozenset({"revenue_yi", "planned_yi", "completed_yi"})

#: Names of sheets that explain how to fill the form in (cover sheets): never the data.
COVER_SHEETS = ("填表说明", "填报说明", "说明", "封面", "目录", "使用说明", "填写说明", "instructions", "readme")

# A unit written after a header, with or without brackets: 营业收入（万元）, 营业收入万元人民币, 营收(亿元).
_UNIT_SUFFIX = re.compile(r"(?:\((?:单位:)?(亿元|万元|元|亿|万)(?:人民币)?\)|(亿元|万元)(?:人民币)?)$")
# A sheet-level unit note: 单位：万元, 金额单位：万元, （单位：亿元）, 单位:万元人民币.
_UNIT_NOTE = re.compile(r"单位[:]?(亿元|万元|元)")


def norm(text) -> str:
    """A header or name as compared: full-width characters half-width (NFKC), no spaces, lower case.

    Examples
    --------
    >>> norm(" 计划总投资（亿元） "), norm("城     市"), norm("Ａ股代码")
    ('计划总投资(亿元)', '城市', 'a股代码')
    """
    t = unicodedata.normalize("NFKC", str(text)).strip().replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", t).lower()


def is_cover_sheet(name: str) -> bool:
    """A sheet that explains the form (填表说明) rather than holding its rows.

    Examples
    --------
    >>> is_cover_sheet("填表说明"), is_cover_sheet("附件1 填报说明"), is_cover_sheet("企业名单")
    (True, True, False)
    """
    key = norm(name)
    return any(norm(c) in key for c in COVER_SHEETS)


def header_map(kind: str, mapping: dict[str, str] | None = None) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Normalised header → column for one kind, the user's mapping on top; and the mapping's unknown entries.

    Examples
    --------
    >>> hmap, bad = header_map("firms", {"企业中文名": "name_zh", "x": "nonsense"})
    >>> hmap["企业中文名"], hmap["营业收入"], bad
    ('name_zh', 'revenue_yi', [('x', 'nonsense')])
    """
    table = KINDS[kind]
    columns = IMPORT_HEADERS[kind]
    hmap: dict[str, str] = {}
    for c in SPECS[table].names:
        if c in columns or kind == "projects":
            hmap[norm(c)] = c
    for c, hs in columns.items():
        hmap.setdefault(norm(c), c)
        for h in hs:
            hmap.setdefault(norm(h), c)
    bad = []
    for theirs, ours in (mapping or {}).items():
        col = ours if ours in columns else hmap.get(norm(ours))
        if col is None:
            bad.append((theirs, ours))
        else:
            hmap[norm(theirs)] = col
    return hmap, bad


def lookup(hmap: dict[str, str], header: str) -> tuple[str | None, str | None]:
    """The column a header means and the amount unit it names itself (``"foreign"`` for another currency).

    Examples
    --------
    >>> hmap, _ = header_map("firms")
    >>> lookup(hmap, "营业收入（万元）"), lookup(hmap, "营业收入万元人民币"), lookup(hmap, "营业收入")
    (('revenue_yi', '万元'), ('revenue_yi', '万元'), ('revenue_yi', None))
    >>> lookup(hmap, "营业收入（亿美元）"), lookup(hmap, "股东")
    (('revenue_yi', 'foreign'), (None, None))
    """
    key = norm(header)
    if key in hmap:
        return hmap[key], _unit(header)
    m = _UNIT_SUFFIX.search(key)
    if m and key[: m.start()] in hmap:
        return hmap[key[: m.start()]], m.group(1) and _canon(m.group(1)) or _canon(m.group(2))
    stem = re.sub(r"\([^()]*\)$", "", key)
    if stem != key and stem in hmap:
        return hmap[stem], _unit(header)
    return None, None


def _canon(u: str) -> str:
    return {"亿": "亿元", "万": "万元"}.get(u, u)


def _unit(header: str) -> str | None:
    try:
        return unit_from_header(header)
    except ValueError:
        return "foreign"


def unit_note(cells) -> str | None:
    """The unit a row states for the whole sheet (单位：万元), or ``None``.

    Examples
    --------
    >>> unit_note(["2026年目标企业名单", "", "单位：万元"]), unit_note(["（金额单位：亿元）"]), unit_note(["企业名称"])
    ('万元', '亿元', None)
    """
    for c in cells:
        if c:
            m = _UNIT_NOTE.search(norm(c))
            if m:
                return m.group(1)
    return None


def merged_header(rows: list[list[str]], at: int) -> list[str]:
    """The header row; a blank cell takes the cell above (a header merged over two rows)."""
    above = rows[at - 1] if at > 0 else []
    header = [str(c).strip() for c in rows[at]]
    header += [""] * (len(above) - len(header))  # a row read without its trailing blank cells
    return [h or (str(above[j]).strip() if j < len(above) else "") for j, h in enumerate(header)]


def header_at(rows: list[list[str]], hmap: dict[str, str]) -> tuple[int | None, int]:
    """The header row (0-based) among the first ten, and how many headers of ``hmap`` it holds.

    Title rows hold none; a header merged over two rows is read as one (see
    :func:`merged_header`).

    Examples
    --------
    >>> hmap, _ = header_map("firms")
    >>> header_at([["2026年目标企业"], ["单位：万元"], ["企业名称", "营业收入"], ["建滔集团", "1"]], hmap)
    (2, 2)
    """
    best, at = 0, None
    for i in range(min(10, len(rows))):
        n = sum(1 for c in merged_header(rows, i) if c and lookup(hmap, c)[0] is not None)
        if n > best:
            best, at = n, i
    return at, best
