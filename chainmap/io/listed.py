"""Firms from the listed-company classification tables: pure, DataFrames in, firm rows out.

Three public table layouts of Chinese listed companies (read by the caller,
e.g. with ``pandas.read_csv(..., dtype=str)``; nothing here reads a file):

* **basic** — a Tushare ``stock_basic`` response: ``ts_code, name, fullname,
  enname, area, industry, market, list_date (YYYYMMDD), list_status``;
* **sw** — 申万2021 level 3 per firm: ``ts_code`` (or ``code``),
  ``sw2021_l3`` (and ``fullname``);
* **status** — listing status and CSRC 2012 division per code: ``code,
  exchange (上交所/深交所/北交所), board, name, list_date, status
  (active/delisted), csrc_division, province, city``.

:func:`firms_from_listed` joins them on the stock code into rows of the
``firms`` table (``seeds/SCHEMA.md``): stock code, board, listing date,
status (退市 flagged), province and city (region derived), and the industry
classes the scorer places firms with (``sw_l3``, ``ts_industry``,
``csrc_division``). :func:`merge_firms` adds them to a library, enriching a
firm already there (same stock code, else same name) instead of doubling it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .regions import PROVINCE_OF_CITY, regions
from .schemas import SPECS

__all__ = ["firms_from_listed", "merge_firms", "stock_key", "listed_honours"]

_EXCHANGE = {"上交所": "SH", "深交所": "SZ", "北交所": "BJ", "SSE": "SH", "SZSE": "SZ", "BSE": "BJ"}
_STATUS = {"active": "存续", "L": "存续", "delisted": "退市", "D": "退市"}


def _s(df: pd.DataFrame | None, col: str) -> pd.Series:
    if df is None or col not in df:
        return pd.Series("", index=[] if df is None else df.index, dtype=object)
    return df[col].fillna("").astype(str).str.strip()


def _date(s: pd.Series) -> pd.Series:
    """20170106 or 2017-01-06 -> 2017-01-06; anything else blank."""
    d = s.str.replace("-", "", regex=False)
    ok = d.str.fullmatch(r"\d{8}")
    return (d.str[:4] + "-" + d.str[4:6] + "-" + d.str[6:8]).where(ok, "")


def stock_key(codes: pd.Series) -> pd.Series:
    """Each ``|``-separated code list as a list of ``NNNNNN.EX`` keys (upper case).

    >>> stock_key(pd.Series(["603228.sh", "430047.BJ|920047.BJ", ""])).tolist()
    [['603228.SH'], ['430047.BJ', '920047.BJ'], []]
    """
    return codes.fillna("").astype(str).str.upper().str.replace(" ", "", regex=False).str.split("|").map(
        lambda xs: [x for x in xs if x])


def firms_from_listed(basic: pd.DataFrame, sw: pd.DataFrame | None = None, status: pd.DataFrame | None = None,
                      source: str = "listed-company tables") -> pd.DataFrame:
    """Rows of the ``firms`` table for every code in ``basic`` or ``status``.

    Parameters
    ----------
    basic : DataFrame
        Tushare ``stock_basic`` layout (see the module docstring).
    sw, status : DataFrame, optional
        申万2021 level 3; listing status with CSRC division, province, city.
    source : str
        What the caller read, written into every row's ``source``.

    Returns
    -------
    DataFrame in the ``firms`` column order, id = the stock code (``603228.SH``).
    Firms only in ``status`` (delisted before ``basic`` was taken) are kept,
    with status 退市.

    Examples
    --------
    >>> basic = pd.DataFrame({"ts_code": ["603228.SH"], "name": ["景旺电子"],
    ...     "fullname": ["深圳市景旺电子股份有限公司"], "area": ["深圳"], "industry": ["元器件"],
    ...     "market": ["主板"], "list_date": ["20170106"], "list_status": ["L"]})
    >>> sw = pd.DataFrame({"ts_code": ["603228.SH"], "sw2021_l3": ["印制电路板"]})
    >>> status = pd.DataFrame({"code": ["603228", "002288"], "exchange": ["上交所", "深交所"],
    ...     "board": ["主板", "主板"], "name": ["景旺电子", "超华科技"], "list_date": ["2017-01-06", "2009-09-03"],
    ...     "status": ["active", "delisted"], "csrc_division": ["C39计算机、通信和其他电子设备制造业", ""],
    ...     "province": ["广东", "广东"], "city": ["", "梅州"]})
    >>> f = firms_from_listed(basic, sw, status)
    >>> f[["id", "name_zh", "hq_city", "hq_region", "sw_l3", "csrc_division", "status"]].values.tolist()
    [['002288.SZ', '超华科技', '梅州', 'other_cn', '', '', '退市'], ['603228.SH', '景旺电子', '深圳', 'PRD', '印制电路板', 'C39', '存续']]
    """
    b = pd.DataFrame({
        "id": _s(basic, "ts_code").str.upper(), "name_zh": _s(basic, "name"), "full": _s(basic, "fullname"),
        "name_en": _s(basic, "enname"), "area": _s(basic, "area"), "ts_industry": _s(basic, "industry"),
        "board": _s(basic, "market"), "listed_on": _date(_s(basic, "list_date")),
        "status": _s(basic, "list_status").map(_STATUS).fillna(""),
    })
    if status is not None and len(status):
        ex = _s(status, "exchange").map(_EXCHANGE).fillna("")
        st = pd.DataFrame({
            "id": _s(status, "code").str.zfill(6) + "." + ex, "name_zh": _s(status, "name"),
            "board_s": _s(status, "board"), "listed_s": _date(_s(status, "list_date")),
            "status_s": _s(status, "status").map(_STATUS).fillna(""),
            "csrc_division": _s(status, "csrc_division").str.extract(r"^([A-Z]\d{2})", expand=False).fillna(""),
            "province": _s(status, "province"), "city": _s(status, "city"),
        })
        st = st[(ex.to_numpy() != "") & ~st["name_zh"].str.endswith("定转")].drop_duplicates("id")  # 定转: bonds
        # BSE renumbered its stocks in 2024: old 4xxxxx/8xxxxx codes became 920 + their last three digits.
        # An old code in one table and its new code under the same name in the other are one firm: the
        # new code is its id, both are its stock codes.
        b["old_code"] = ""
        old_bse = b["id"].str.fullmatch(r"[48]\d{5}\.BJ")
        new_id = "920" + b["id"].str[3:6] + ".BJ"
        name_of = dict(zip(st["id"], st["name_zh"]))
        same = old_bse & (new_id.map(name_of) == b["name_zh"])
        b.loc[same, "old_code"] = b.loc[same, "id"]
        b.loc[same, "id"] = new_id[same]
        f = b.merge(st, on="id", how="outer", suffixes=("", "_st"))
        for c in ("name_zh",):
            f[c] = f[c].fillna("").where(f[c].fillna("") != "", f[f"{c}_st"].fillna(""))
        f["board"] = f["board"].fillna("").where(f["board"].fillna("") != "", f["board_s"].fillna(""))
        f["listed_on"] = f["listed_on"].fillna("").where(f["listed_on"].fillna("") != "", f["listed_s"].fillna(""))
        # The later table says whether a firm is still listed.
        f["status"] = f["status_s"].fillna("").where(f["status_s"].fillna("") != "", f["status"].fillna(""))
    else:
        f = b.assign(csrc_division="", province="", city="", old_code="")
    f = f.fillna("")
    if sw is not None and len(sw):
        key = _s(sw, "ts_code").str.upper()
        sw_l3 = pd.Series(_s(sw, "sw2021_l3").to_numpy(), index=key.to_numpy())
        sw_l3 = sw_l3[(sw_l3.index != "") & (sw_l3 != "")]
        f["sw_l3"] = f["id"].map(sw_l3[~sw_l3.index.duplicated()]).fillna("")
    else:
        f["sw_l3"] = ""
    # Province: the status table's, else Tushare's area (a city for 深圳).
    area_city = f["area"].where(f["area"].isin(["深圳"]), "")
    province = f["province"].where(f["province"] != "", f["area"].map(lambda a: PROVINCE_OF_CITY.get(a, a)))
    city = f["city"].where(f["city"] != "", area_city)
    aliases = f["full"].where(f["full"] != f["name_zh"], "")
    out = pd.DataFrame({
        "id": f["id"], "name_zh": f["name_zh"], "name_en": f["name_en"], "aliases": aliases,
        "hq_city": city, "hq_province": province, "hq_region": regions(province, city),
        "revenue_yi": np.nan, "revenue_year": pd.array([pd.NA] * len(f), dtype="Int64"),
        "products": "", "stock_code": f["id"] + np.where(f["old_code"] != "", "|" + f["old_code"], ""),
        "source": source, "verified": "partial", "notes": "",
        "credit_code": "", "board": f["board"], "listed_on": f["listed_on"], "status": f["status"],
        "gb_industry": "", "sw_l3": f["sw_l3"], "ts_industry": f["ts_industry"],
        "csrc_division": f["csrc_division"], "business_scope": "",
    })
    out = out[(out["id"] != "") & (out["name_zh"] != "")].sort_values("id").reset_index(drop=True)
    return out[SPECS["firms"].names]


def merge_firms(library: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Add ``incoming`` firms to ``library``; a firm already there is enriched, not doubled.

    A firm matches by any shared stock code, else by the same ``name_zh``
    (or an incoming name equal to a library alias). Blank cells of a matched
    library row take the incoming values; filled cells are kept (the library's
    sourced facts win). Returns ``(firms, report)`` with the counts ``added``,
    ``merged`` and ``flagged`` (incoming firms whose status is inactive).

    Examples
    --------
    >>> row = {c: "" for c in SPECS["firms"].names}
    >>> lib = pd.DataFrame([row | {"id": "kinwong", "name_zh": "景旺电子", "stock_code": "603228.SH", "source": "x"}])
    >>> new = pd.DataFrame({"id": ["603228.SH", "000001.SZ"], "name_zh": ["景旺电子", "平安银行"],
    ...     "stock_code": ["603228.SH", "000001.SZ"], "sw_l3": ["印制电路板", "股份制银行Ⅲ"], "status": ["存续", ""]})
    >>> merged, report = merge_firms(lib, new)
    >>> merged.set_index("id").loc["kinwong", "sw_l3"], report
    ('印制电路板', {'added': 1, 'merged': 1, 'flagged': 0})
    """
    from .schemas import INACTIVE_STATUS
    from .tables import with_optional_columns

    spec = SPECS["firms"]
    lib = with_optional_columns(library, spec).reset_index(drop=True).copy()
    inc = with_optional_columns(incoming, spec).reset_index(drop=True)
    by_code: dict[str, int] = {}
    for k, codes in enumerate(stock_key(lib["stock_code"])):
        for c in codes:
            by_code.setdefault(c, k)
    by_name: dict[str, int] = {}
    for k, (n, al) in enumerate(zip(lib["name_zh"], lib["aliases"].fillna(""))):
        for x in [n, *str(al).split("|")]:
            if x:
                by_name.setdefault(x, k)
    inc_codes = stock_key(inc["stock_code"])
    # One loop over incoming firms: a dict lookup each (5,000 rows in milliseconds).
    target = np.array([next((by_code[c] for c in codes if c in by_code), by_name.get(n, -1))
                       for codes, n in zip(inc_codes, inc["name_zh"])], dtype=int)
    hit = target >= 0
    cols = [c for c in spec.names if c in inc and c not in ("id", "name_zh", "source")]
    for c in cols:
        cur = lib[c]
        new = pd.Series(inc.loc[hit, c].to_numpy(), index=target[hit])
        new = new[~new.index.duplicated()]
        blank = cur.isna() | (cur.astype(str) == "")
        fill = blank & cur.index.isin(new.index)
        if fill.any():
            lib.loc[fill, c] = new.reindex(cur.index[fill]).to_numpy()
    added = inc[~hit & ~inc["id"].isin(lib["id"])].reindex(columns=spec.names)
    for c in spec.columns:  # columns the incoming table lacks: blank
        if c.kind not in ("float", "int", "bool"):
            added[c.name] = added[c.name].astype(object).where(added[c.name].notna(), "")
    out = pd.concat([lib, added], ignore_index=True)
    report = {"added": int(len(added)), "merged": int(hit.sum()),
              "flagged": int(inc["status"].isin(INACTIVE_STATUS).sum())}
    return out[spec.names], report


def listed_honours(firms: pd.DataFrame, existing: pd.DataFrame | None = None) -> pd.DataFrame:
    """``honours`` rows (list ``listed``, level ``exchange``, detail = the stock code) of listed firms.

    One row per active firm with a stock code, as the bundled library records
    its listed firms (``aima,listed,,exchange,603529.SH``); delisted firms get
    none, and firms that already have a ``listed`` honour in ``existing`` are
    skipped.

    Examples
    --------
    >>> f = pd.DataFrame({"id": ["603228.SH", "002288.SZ"], "stock_code": ["603228.SH", "002288.SZ"],
    ...                   "status": ["存续", "退市"], "source": ["tushare", "tushare"]})
    >>> listed_honours(f)[["firm_id", "list", "level", "detail"]].values.tolist()
    [['603228.SH', 'listed', 'exchange', '603228.SH']]
    """
    from .schemas import INACTIVE_STATUS

    status = firms["status"] if "status" in firms else pd.Series("", index=firms.index)
    keep = (firms["stock_code"].fillna("") != "") & ~status.isin(INACTIVE_STATUS)
    if existing is not None and len(existing):
        keep &= ~firms["id"].isin(existing.loc[existing["list"] == "listed", "firm_id"])
    f = firms[keep]
    out = pd.DataFrame({"firm_id": f["id"].to_numpy(), "list": "listed",
                        "year": pd.array([pd.NA] * len(f), dtype="Int64"), "level": "exchange",
                        "detail": f["stock_code"].str.split("|").str[0].to_numpy(), "source": f["source"].to_numpy()})
    return out[SPECS["honours"].names].reset_index(drop=True)
