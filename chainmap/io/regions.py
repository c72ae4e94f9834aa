"""HQ region of a firm from its province and city (the pioneer teams map onto regions).

港澳台 (Hong Kong, Macao, Taiwan) is a region of its own (``hmt``), apart from
国内其他 (``other_cn``) and 境外 (``overseas``): a Hong Kong 建滔 or a Taiwan 台光
is reached through other channels than a firm in 成都.
"""
from __future__ import annotations

import pandas as pd

from ..model import Region

__all__ = ["region_of", "regions", "PRD_CITIES", "YRD_PROVINCES", "BTH_PROVINCES", "HMT", "PROVINCE_OF_CITY"]

#: The 9 cities of the 珠三角 (Pearl River Delta) economic zone.
PRD_CITIES = frozenset("广州 深圳 珠海 佛山 惠州 东莞 中山 江门 肇庆".split())
YRD_PROVINCES = frozenset("上海 江苏 浙江 安徽".split())
BTH_PROVINCES = frozenset("北京 天津 河北".split())
HMT = frozenset("香港 澳门 台湾".split())
_CN_PROVINCES = frozenset(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
    "云南 陕西 甘肃 青海 内蒙古 广西 西藏 宁夏 新疆".split())
#: Province of the cities that sources give in the province column (Tushare's ``area`` says 深圳).
PROVINCE_OF_CITY = {"深圳": "广东", "广州": "广东", "内蒙": "内蒙古"}
_SUFFIX = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")


def _short(name) -> str:
    s = "" if name is None or (isinstance(name, float) and pd.isna(name)) else str(name).strip()
    for suf in _SUFFIX:
        if s.endswith(suf) and len(s) > len(suf) + 1:
            return s[: -len(suf)]
    return s


def region_of(province, city="") -> str:
    """Region code of an HQ: PRD / YRD / BTH / hmt / other_cn / overseas, or "" when unknown.

    A Guangdong firm whose city is not known has no region: it may sit in the
    珠三角 or in 清远.

    Examples
    --------
    >>> [region_of("广东", "深圳市"), region_of("江苏省"), region_of("香港"), region_of("台湾", "桃园")]
    ['PRD', 'YRD', 'hmt', 'hmt']
    >>> [region_of("广东", "清远"), region_of("广东"), region_of("四川"), region_of("美国"), region_of("")]
    ['other_cn', '', 'other_cn', 'overseas', '']
    """
    p, c = _short(province), _short(city)
    p = PROVINCE_OF_CITY.get(p, p)
    if c in PRD_CITIES:
        return Region.PRD.value
    if p in HMT or c in HMT:
        return Region.HMT.value
    if p in YRD_PROVINCES:
        return Region.YRD.value
    if p in BTH_PROVINCES:
        return Region.BTH.value
    if p == "广东":
        return Region.OTHER_CN.value if c else ""
    if p in _CN_PROVINCES:
        return Region.OTHER_CN.value
    return Region.OVERSEAS.value if p else ""


def regions(province: pd.Series, city: pd.Series) -> pd.Series:
    """:func:`region_of` over columns, once per distinct (province, city) pair."""
    pairs = pd.DataFrame({"p": province.fillna("").astype(str), "c": city.fillna("").astype(str)})
    codes, uniq = pd.factorize(pairs["p"] + "\x00" + pairs["c"])
    out = [region_of(*u.split("\x00")) for u in uniq]
    return pd.Series([out[k] for k in codes], index=province.index, dtype=object)
