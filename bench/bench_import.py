"""Benchmark of issue 7: import 100,000 firm rows from xlsx, matched against a 100,000-firm library.

Run: ``.venv/bin/python bench/bench_import.py [N]`` (N rows and library firms, default 100000)

Budget: end to end (read the xlsx, find the header, normalise values, match
every name, plan) under 60 s. The library is the bundled seeds plus N
generated firms named as registers write them (region prefix + 字号 +
industry word + legal form); the file holds a third exact library names, a
third variants of them (another legal form, no place, full-width brackets
around the place, a city prefix) and a third firms the library does not have.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402

from chainmap.io.importers import plan_import  # noqa: E402
from chainmap.store.memory import MemoryStore  # noqa: E402

PLACES = ["广东省", "广州市", "深圳市", "佛山市", "东莞市", "清远市", "江苏", "苏州", "浙江", "宁波", "安徽", "上海",
          "湖南", "江西", "福建", "厦门", "山东", "四川", "湖北", "天津"]
ZIHAO = list("华宏盛泰鑫嘉兴瑞恒丰隆新中金天润达源昌和永安康福鸿伟明光辉东南西北海阳信诚德正大通宇航科创捷博远云龙凯"
             "豪聚力成合益凯晟启越铭卓睿锦佳昊铂骏钜联通芯微智精锐赛腾飞众")
INDUSTRY = ["电子", "新材料", "铜业", "铝业", "电路", "覆铜板", "电池", "科技", "智能装备", "精密制造", "电子材料", "铜箔",
            "玻纤", "化工", "车业", "电机", "塑胶", "五金"]
LEGAL = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]


def firm_names(n: int, rng: random.Random, taken: set[str]) -> list[tuple[str, str]]:
    """``n`` distinct (place, 字号+industry) pairs, none in ``taken``."""
    out = []
    while len(out) < n:
        core = "".join(rng.sample(ZIHAO, rng.choice((2, 2, 3)))) + rng.choice(INDUSTRY)
        if core in taken:
            continue
        taken.add(core)
        out.append((rng.choice(PLACES), core))
    return out


def variant(place: str, core: str, legal: str, rng: random.Random) -> str:
    return rng.choice([f"{place}{core}{rng.choice(LEGAL)}", f"{core}{legal}", f"{core}（{place.rstrip('省市')}）{legal}",
                       f"{place}{core}", f"{core}{legal}".replace("有限公司", "有限公司 ")])


def world(n: int, seed: int = 7):
    rng = random.Random(seed)
    seeds = MemoryStore.open().tables()
    taken: set[str] = set()
    lib = firm_names(n, rng, taken)
    legal = [rng.choice(LEGAL) for _ in lib]
    firms = pd.DataFrame({"id": [f"g{i:06d}" for i in range(n)],
                          "name_zh": [f"{p}{c}{lg}" for (p, c), lg in zip(lib, legal)],
                          "name_en": "", "aliases": "", "hq_city": "", "hq_province": "", "hq_region": "",
                          "revenue_yi": float("nan"), "revenue_year": pd.array([pd.NA] * n, dtype="Int64"),
                          "products": "", "stock_code": "", "source": "illustrative: bench", "verified": "",
                          "notes": ""})
    tables = seeds.replace(firms=pd.concat([seeds.firms, firms.astype(seeds.firms.dtypes.to_dict())],
                                           ignore_index=True))
    new = firm_names(n - 2 * (n // 3), rng, taken)
    links = ["覆铜板", "电子铜箔", "电动两轮车整车", "印制电路板", ""]
    rows = []
    for i in range(n):
        if i % 3 == 0:
            name = firms.at[i, "name_zh"]
        elif i % 3 == 1:
            name = variant(*lib[i], legal[i], rng)
        else:
            p, c = new[i // 3]
            name = f"{p}{c}{rng.choice(LEGAL)}"
        rows.append([name, rng.choice(PLACES).rstrip("省市"), rng.choice(links), f"{rng.randint(1, 900_000):,}",
                     "企查查导出 2026-06"])
    return tables, rows


def workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目标企业")
    ws.append(["目标企业清单（企查查导出）"])
    ws.append(["企业名称", "总部城市", "所属环节", "营业收入（万元）", "信息来源"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    tables, rows = world(n)
    data = workbook(rows)
    print(f"library {len(tables.firms):,} firms; workbook {len(rows):,} rows, {len(data) / 2**20:.1f} MB "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    t0 = time.perf_counter()
    plan = plan_import(data, "firms", "目标企业.xlsx", tables, today=dt.date(2026, 11, 26), accept_valid=True)
    seconds = time.perf_counter() - t0
    counts = {k: v for k, v in plan.counts().items() if v}
    print("actions:", counts)
    report("bench_import", [{"what": f"import {n:,} firm rows from xlsx against {len(tables.firms):,} firms "
                                     "(parse + normalise + match + plan)",
                             "median_ms": round(seconds * 1e3, 1), "min_ms": round(seconds * 1e3, 1),
                             "max_ms": round(seconds * 1e3, 1), "runs": 1, "budget_ms": 60_000, "actions": counts}])


if __name__ == "__main__":
    main()
