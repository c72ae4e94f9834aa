"""A listed-firm library for the backtest, built in memory from ``../shared/data/listed`` (never copied).

Until the market importer (issue 13) places listed firms on links by their
industry classes, this helper gives each A-share firm of Tushare's
``stock_basic`` (``a_share_basic_2025-06.csv``) a products text made of its
申万 2021 level-3 class and its Tushare industry (``印制电路板、元器件``), so the
scorer's products-text placement (the classifier trained on the bundled,
hand-placed firms) can put it on links; its listing date becomes ``listed_on``
(a firm listed after a snapshot is not in it) and its listing a ``listed``
honour of that year. Firms already in the bundled library (same stock code)
are left as they are.

The tables are read from ``Path(repo)/../shared/data/listed``; callers skip
with a clear message when the folder is absent.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from chainmap.model import Tables

LISTED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "listed"
REGION = {"上海": "YRD", "江苏": "YRD", "浙江": "YRD", "安徽": "YRD", "北京": "BTH", "天津": "BTH", "河北": "BTH",
          "广东": "PRD"}


def available() -> bool:
    return (LISTED / "a_share_basic_2025-06.csv").exists()


def market_tables(tables: Tables, listed: Path = LISTED) -> Tables:
    """``tables`` plus every listed A-share firm not already in it."""
    from chainmap.io.events import normalise_stock_code

    basic = pd.read_csv(listed / "a_share_basic_2025-06.csv", dtype=str).fillna("")
    sw = pd.read_csv(listed / "a_share_sw2021_l3_2021-10.csv", dtype=str).fillna("")
    sw_l3 = dict(zip(sw["code"].str.zfill(6), sw["sw2021_l3"]))
    have = {c[:6] for cell in tables.firms["stock_code"].fillna("") for c in
            (normalise_stock_code(x) for x in str(cell).replace(";", "|").split("|")) if c[:6].isdigit()}
    b = basic[~basic["symbol"].isin(have)]
    province = b["area"].replace({"深圳": "广东"})
    products = [("、".join(x for x in (sw_l3.get(sym, ""), ind) if x)) for sym, ind in zip(b["symbol"], b["industry"])]
    listed_on = b["list_date"].str.replace(r"^(\d{4})(\d{2})(\d{2})$", r"\1-\2-\3", regex=True)
    ids = "ts_" + b["ts_code"].str.lower().str.replace(".", "_", regex=False)
    firms = pd.DataFrame({c: "" for c in tables.firms.columns}, index=range(len(b)))
    firms = firms.assign(
        id=ids.to_numpy(), name_zh=b["name"].to_numpy(), name_en=b["enname"].to_numpy(),
        aliases=b["fullname"].to_numpy(), hq_city=b["area"].where(b["area"] == "深圳", "").to_numpy(),
        hq_province=province.to_numpy(), hq_region=province.map(REGION).fillna("other_cn").to_numpy(),
        products=products, stock_code=b["ts_code"].to_numpy(), source="../shared/data/listed (bench only)",
        verified="partial")
    firms["revenue_yi"] = float("nan")
    firms["revenue_year"] = pd.NA
    firms["listed_on"] = listed_on.to_numpy()
    all_firms = pd.concat([tables.firms.assign(listed_on=""), firms.astype(tables.firms.dtypes.to_dict())],
                          ignore_index=True)
    honours = pd.DataFrame({"firm_id": ids.to_numpy(), "list": "listed",
                            "year": pd.to_numeric(b["list_date"].str[:4], errors="coerce").to_numpy(),
                            "level": "exchange", "detail": b["ts_code"].to_numpy(),
                            "source": "../shared/data/listed (bench only)"})
    honours = pd.concat([tables.honours, honours.astype({"year": tables.honours["year"].dtype})],
                        ignore_index=True)
    return tables.replace(firms=all_firms, honours=honours)
