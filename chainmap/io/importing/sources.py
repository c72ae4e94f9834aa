"""Real sources recognised by their headers: exchange lists, classification tables, company-database exports, honours.

A source is data (:data:`SOURCES`): the headers that identify it, what its
own columns mean (headers that would mislead in a generic file, e.g. ``name``
or ``code``), and constants its rows share (an exchange suffix, an honour
list). :func:`recognise` names the source of a header row; :func:`prepare`
turns one row's cells into the firm columns: bare codes become ``NNNNNN.EX``
stock codes (A and B codes joined by ``|``), YYYYMMDD dates become ISO, a
registration or listing status becomes one of ``FIRM_STATUS``, the finest
GB/T 4754-2017 class with a code becomes ``gb_industry``.

Matching the same firm across files (credit code, then stock code with old
and new BSE codes as one, then name) is done by :func:`stock_firm` with an
index built once per import (:func:`stock_index`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..names import core_key, normalise_name
from ..regions import region_of
from ..schemas import SPECS
from .headers import norm

__all__ = ["Source", "SOURCES", "recognise", "prepare", "source_headers", "stock_index", "stock_firm", "bse_alt",
           "status_of", "honour_of", "add_codes"]


@dataclass(frozen=True)
class Source:
    """One kind of real file: how to recognise it and what its columns mean.

    Attributes
    ----------
    id, zh, en : str
        Code and names said in the report (识别为：深交所A股列表).
    kinds : tuple of str
        Import kinds the source fills.
    needs : tuple of str
        Headers that must all be present (compared normalised).
    headers : dict
        Column → headers of this source (pseudo-columns such as ``a_code``
        are turned into firm columns by :func:`prepare`).
    exchange : str
        Suffix of bare stock codes (``SZ``, ``SH``, ``BJ``).
    honour : dict
        ``list``/``level`` of the honour each row gives its firm.
    """

    id: str
    zh: str
    en: str
    kinds: tuple[str, ...]
    needs: tuple[str, ...]
    headers: dict[str, tuple[str, ...]]
    exchange: str = ""
    honour: dict = field(default_factory=dict)


_GB = {"gb_section": ("国标行业门类", "行业门类", "国民经济行业门类"),
       "gb_division": ("国标行业大类", "行业大类", "国民经济行业大类"),
       "gb_group": ("国标行业中类", "行业中类", "国民经济行业中类"),
       "gb_class": ("国标行业小类", "行业小类", "国民经济行业小类")}

#: Known sources, most specific first (the first whose ``needs`` are all present wins).
SOURCES: tuple[Source, ...] = (
    Source("szse_a", "深交所A股列表", "SZSE A-share list", ("firms",), ("公司全称", "A股代码", "A股简称"),
           {"full_name": ("公司全称",), "a_code": ("A股代码",), "short_name": ("A股简称",),
            "listed_on": ("A股上市日期",), "b_code": ("B股代码",), "hq_province": ("省份",), "hq_city": ("城市",),
            "name_en": ("英文名称",), "board": ("板块",), "csrc": ("所属行业",)}, exchange="SZ"),
    # The BSE's list (证券代码, 证券简称, 上市日期, 所属行业, 所属地区) and lists of that shape from any exchange:
    # the exchange is read from the code (4xxxxx, 8xxxxx, 920xxx → BJ; 6xxxxx → SH; else SZ).
    Source("stock_list", "北交所股票列表（证券代码）", "BSE stock list (or one of its shape)", ("firms",),
           ("证券代码", "证券简称", "上市日期"),
           {"a_code": ("证券代码",), "short_name": ("证券简称",), "full_name": ("公司全称", "公司名称"),
            "listed_on": ("上市日期",), "hq_province": ("所属地区", "所属省份", "地区"), "csrc": ("所属行业",)}),
    Source("sse_a", "上交所股票列表", "SSE stock list", ("firms",), ("A股代码", "证券简称", "上市日期"),
           {"a_code": ("A股代码",), "b_code": ("B股代码",), "short_name": ("证券简称",),
            "long_name": ("扩位证券简称",), "name_en": ("公司英文全称",), "listed_on": ("上市日期",)}, exchange="SH"),
    Source("sw2021", "申万2021行业分类表", "Shenwan 2021 classification", ("firms",), ("sw2021_l3", "name"),
           {"ts_code": ("ts_code",), "code": ("code",), "exchange": ("exchange",), "short_name": ("name",),
            "full_name": ("fullname",), "sw_l3": ("sw2021_l3",)}),
    Source("ts_basic", "Tushare上市公司基本信息", "Tushare stock_basic", ("firms",), ("ts_code", "name", "list_date"),
           {"ts_code": ("ts_code",), "short_name": ("name",), "full_name": ("fullname",), "name_en": ("enname",),
            "area": ("area",), "ts_industry": ("industry",), "board": ("market",), "listed_on": ("list_date",),
            "list_status": ("list_status",)}),
    Source("csrc_status", "上市状态与证监会行业表", "listing status and CSRC division", ("firms",),
           ("code", "exchange", "status", "csrc_division"),
           {"code": ("code",), "exchange": ("exchange",), "board": ("board",), "short_name": ("name",),
            "listed_on": ("list_date",), "list_status": ("status",), "out_date": ("out_date",),
            "csrc": ("csrc_division",), "hq_province": ("province",), "hq_city": ("city",)}),
    Source("company_db", "企业数据库导出", "company-database export", ("firms",),
           ("企业名称", "统一社会信用代码", "登记状态", "成立日期"),
           {"name_zh": ("企业名称",), "credit_code": ("统一社会信用代码",), "reg_status": ("登记状态", "经营状态"),
            "hq_province": ("所属省份", "省份"), "hq_city": ("所属城市", "城市"), "business_scope": ("经营范围",),
            "aliases": ("曾用名",), **_GB}),
    Source("miit_champion", "制造业单项冠军名单", "MIIT manufacturing single champions", ("firms", "honours"),
           ("企业名称", "单项冠军产品"),
           {"name_zh": ("企业名称",), "batch": ("批次",), "product": ("单项冠军产品", "产品"),
            "hq_province": ("省份", "所在省份", "地区", "所在地区")},
           honour={"list": "single_champion", "level": "national"}),
    Source("miit_giant", "专精特新“小巨人”名单", "MIIT little giants", ("firms", "honours"), ("企业名称", "批次", "省份"),
           {"name_zh": ("企业名称",), "batch": ("批次",),
            "hq_province": ("省份", "所在省份", "地区", "所在地区")},
           honour={"list": "little_giant", "level": "national"}),
    Source("fortune500", "财富世界500强", "Fortune Global 500", ("honours",), ("rank", "company_en"),
           {"rank": ("rank",), "firm": ("company_en",), "year": ("year",)},
           honour={"list": "FG500", "level": "global"}),
    Source("cn500", "中国企业500强", "China Top 500 Enterprises", ("honours",), ("排名", "企业名称", "年份"),
           {"rank": ("排名", "名次"), "firm": ("企业名称",), "year": ("年份", "年度")},
           honour={"list": "CN500", "level": "national"}),
)

_EXCHANGES = {"上交所": "SH", "上海证券交易所": "SH", "深交所": "SZ", "深圳证券交易所": "SZ", "北交所": "BJ",
              "北京证券交易所": "BJ", "SSE": "SH", "SZSE": "SZ", "BSE": "BJ"}
#: Registration and listing statuses as written → ``FIRM_STATUS``.
_STATUS = {"active": "存续", "l": "存续", "listed": "存续", "delisted": "退市", "d": "退市", "p": "停业",
           "开业": "存续", "在营": "存续", "在册": "存续", "正常": "存续", "在业": "在业", "存续": "存续", "迁出": "迁出",
           "注销": "注销", "吊销": "吊销", "退市": "退市", "停业": "停业", "清算": "清算", "撤销": "注销"}
_CODE = re.compile(r"^\d{6}$")


def _key(h: str) -> str:
    return norm(unicodedata.normalize("NFKC", str(h)))


def recognise(header: list[str], kind: str) -> Source | None:
    """The source a header row comes from, or ``None`` for a file of no known source.

    Examples
    --------
    >>> recognise(["板块", "公司全称", "A股代码", "A股简称", "城     市"], "firms").zh
    '深交所A股列表'
    >>> recognise(["A股代码", "B股代码", "证券简称", "扩位证券简称", "上市日期"], "firms").id
    'sse_a'
    >>> recognise(["企业名称", "营业收入"], "firms") is None
    True
    """
    have = {_key(h) for h in header if h}
    for s in SOURCES:
        if kind in s.kinds and all(_key(n) in have for n in s.needs):
            return s
    return None


def source_headers(kind: str) -> dict[str, str]:
    """Normalised header → pseudo column of every source of ``kind`` (finding the header row of any of them)."""
    out: dict[str, str] = {}
    for s in SOURCES:
        if kind in s.kinds:
            for col, hs in s.headers.items():
                for h in hs:
                    out.setdefault(_key(h), col)
    return out


def status_of(text: str) -> str:
    """A registration or listing status as written → one of ``FIRM_STATUS`` ("" when unknown).

    Examples
    --------
    >>> [status_of("存续（在营、开业、在册）"), status_of("吊销，未注销"), status_of("delisted"), status_of("注销")]
    ['存续', '吊销', '退市', '注销']
    """
    t = _key(text)
    if not t:
        return ""
    if t in _STATUS:
        return _STATUS[t]
    for word in ("吊销", "注销", "撤销", "清算", "停业", "迁出", "退市", "存续", "在业", "在营", "开业"):
        if word in t:
            return _STATUS[word]
    return ""


def _date(v: str) -> str:
    d = v.strip().replace("-", "").replace("/", "")
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}" if re.fullmatch(r"\d{8}", d) else v.strip()


def _bse_or(code: str, default: str) -> str:
    if code.startswith(("4", "8", "920")):
        return "BJ"
    return default or ("SH" if code.startswith(("6", "9")) else "SZ")


def _stock(code: str, exchange: str) -> str:
    c = _key(code).upper()
    if c.isdigit() and len(c) < 6:
        c = c.zfill(6)
    if _CODE.match(c):
        return f"{c}.{_bse_or(c, exchange)}" if exchange != "BJ" else f"{c}.BJ"
    return c if re.fullmatch(r"\d{6}\.(SH|SZ|BJ|HK)", c) else ""


def _gb(cells: dict[str, str]) -> tuple[str, str]:
    """The finest GB/T 4754 class given: ``(code, name)``; the code is blank when only names are given."""
    for col in ("gb_class", "gb_group", "gb_division", "gb_section"):
        v = unicodedata.normalize("NFKC", cells.get(col, "")).strip()
        if v:
            m = re.match(r"^\s*([A-T]?\d{2,4}|[A-T])\s*(.*)$", v)
            if m and (m.group(1)[0].isdigit() or len(m.group(1)) == 1 and m.group(2)):
                code = m.group(1)
                return (code if code[0].isdigit() else code), m.group(2).strip()
            return "", v
    return "", ""


def prepare(source: Source, cells: dict[str, str]) -> tuple[dict[str, str], dict]:
    """One row's cells of ``source`` → ``(cells of firm columns, values set after parsing)``.

    Examples
    --------
    >>> s = next(x for x in SOURCES if x.id == "szse_a")
    >>> cells, after = prepare(s, {"full_name": "深南电路股份有限公司", "a_code": "002916", "short_name": "深南电路",
    ...     "listed_on": "2017-12-13", "b_code": "", "hq_province": "广东", "hq_city": "深圳市", "board": "主板"})
    >>> cells["name_zh"], cells["stock_code"], cells["aliases"], after
    ('深南电路', '002916.SZ', '深南电路股份有限公司', {'hq_region': 'PRD', 'hq_city': '深圳'})
    >>> s = next(x for x in SOURCES if x.id == "company_db")
    >>> cells, after = prepare(s, {"name_zh": "广东某某电子有限公司", "reg_status": "吊销，未注销",
    ...     "gb_section": "C 制造业", "gb_class": "3982 电子电路制造"})
    >>> after["status"], after["gb_industry"]
    ('吊销', '3982')
    """
    c = {k: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v for k, v in cells.items()}
    out: dict[str, str] = {}
    after: dict = {}
    codes = []
    if c.get("ts_code"):
        codes.append(_stock(c["ts_code"], ""))
    if c.get("code"):
        codes.append(_stock(c["code"], _EXCHANGES.get(c.get("exchange", ""), "")))
    if c.get("a_code"):
        codes.append(_stock(c["a_code"], source.exchange))
    if c.get("b_code") and c["b_code"] not in ("-", "—"):
        codes.append(_stock(c["b_code"], source.exchange))
    codes = [x for x in dict.fromkeys(codes) if x]
    if codes:
        out["stock_code"] = "|".join(codes)
    short = re.sub(r"\s+", "", c.get("short_name", ""))
    full = c.get("full_name", "")
    name = c.get("name_zh") or short or full
    if name:
        out["name_zh"] = re.sub(r"\s+", "", name) if short and name == short else name
    aliases = [a for a in (c.get("aliases", ""), full, c.get("long_name", "")) if a and a != out.get("name_zh")]
    aliases = [x.strip() for a in aliases for x in re.split(r"[|;；、,，]", a) if x.strip()]
    if aliases:
        out["aliases"] = "|".join(dict.fromkeys(aliases))
    for col in ("name_en", "credit_code", "business_scope", "ts_industry", "sw_l3", "board", "hq_province"):
        if c.get(col):
            out[col] = c[col]
    if c.get("listed_on"):
        out["listed_on"] = _date(c["listed_on"])
    if c.get("csrc"):
        m = re.match(r"^([A-T]\d{2})", c["csrc"])
        if m:
            after["csrc_division"] = m.group(1)
    province, city = c.get("hq_province", ""), re.sub(r"市$", "", c.get("hq_city", ""))
    if c.get("area") and not province:  # Tushare's area: a province, or 深圳
        province = "广东" if c["area"] == "深圳" else c["area"]
        city = city or ("深圳" if c["area"] == "深圳" else "")
    if province:  # as the library writes provinces: 广东, 天津, 广西, 香港
        province = re.sub(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$", "", province) or province
        out["hq_province"] = province
    if province or city:
        region = region_of(province, city)
        if region:
            after["hq_region"] = region
    if city:
        after["hq_city"] = city
    status = status_of(c.get("reg_status", "") or c.get("list_status", ""))
    if status:
        after["status"] = status
    code, gb_name = _gb(c)
    if code and code[0].isdigit():
        after["gb_industry"] = code
    elif gb_name:
        out["notes"] = f"国标行业：{gb_name}"
    for k, v in c.items():  # the file's other columns (企业编号, 所属环节, 营业收入 …) as in any firms file
        if k in _PASS and k not in out and k not in after and v:
            out[k] = v
    return out, after


_PASS = frozenset(SPECS["firms"].names) | {"chain", "link"}


def honour_of(source: Source, cells: dict[str, str], year) -> dict | None:
    """The honour a row of an honours source gives its firm: ``list``, ``level``, ``year``, ``detail``.

    Examples
    --------
    >>> s = next(x for x in SOURCES if x.id == "miit_champion")
    >>> honour_of(s, {"batch": "第八批", "product": "高多层印制电路板"}, None)["detail"]
    '第八批；产品：高多层印制电路板'
    """
    if not source.honour:
        return None
    parts = []
    if cells.get("batch"):
        parts.append(cells["batch"].strip())
    if cells.get("rank"):
        parts.append(f"#{cells['rank'].strip()}")  # as the library writes ranks (FG500 2021 #68)
    if cells.get("product"):
        parts.append(f"产品：{cells['product'].strip()}")
    return {**source.honour, "year": year, "detail": "；".join(parts)}


def bse_alt(code: str) -> str:
    """The other code of a BSE stock: an old 4xxxxx/8xxxxx code and its new 920xxx code are one firm.

    >>> bse_alt("430047.BJ"), bse_alt("920047.BJ"), bse_alt("603228.SH")
    ('920047.BJ', 'BJ:047', '')
    """
    if re.fullmatch(r"[48]\d{5}\.BJ", code):
        return "920" + code[3:6] + ".BJ"
    if re.fullmatch(r"920\d{3}\.BJ", code):
        return "BJ:" + code[3:6]
    return ""


def stock_index(ids, names, stock_codes) -> dict[str, list[tuple[str, str]]]:
    """Stock code → ``[(firm id, name)]`` of the firms holding it (ids that are codes count)."""
    index: dict[str, list[tuple[str, str]]] = {}
    for fid, name, codes in zip(ids, names, stock_codes):
        add_codes(index, fid, name, [fid, *str(codes or "").split("|")])
    return index


def add_codes(index: dict, fid: str, name: str, codes) -> None:
    key = name or ""  # compared (normalised) only for an old/new BSE pair: see stock_firm
    for x in codes:
        x = str(x or "").strip().upper()
        if re.fullmatch(r"\d{6}\.(SH|SZ|BJ|HK)", x):
            index.setdefault(x, []).append((fid, key))
            if re.fullmatch(r"[48]\d{5}\.BJ", x):
                index.setdefault("BJ:" + x[3:6], []).append((fid, key))


def stock_firm(index: dict, codes: str, name: str) -> str | None:
    """The firm already holding one of ``codes`` (an old/new BSE code pair only under the same name).

    Examples
    --------
    >>> index = stock_index(["kinwong", "430047.BJ"], ["景旺电子", "诺思兰德"], ["603228.SH", ""])
    >>> stock_firm(index, "603228.SH", "景旺"), stock_firm(index, "920047.BJ", "诺思兰德")
    ('kinwong', '430047.BJ')
    >>> stock_firm(index, "920047.BJ", "另一家公司") is None
    True
    """
    key = None
    for x in str(codes or "").split("|"):
        x = x.strip().upper()
        if x in index:
            return index[x][0][0]
        alt = bse_alt(x)
        for fid, k in index.get(alt, []) if alt else []:
            key = key if key is not None else core_key(normalise_name(name or ""))
            if core_key(normalise_name(k)) == key:
                return fid
    return None
