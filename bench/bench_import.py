"""Benchmark of issues 7 and 12: plan the import of N firm rows from xlsx against a 100,000-firm library.

Run: ``.venv/bin/python bench/bench_import.py [N ...]`` (default: 100000 1000000)

What is timed is ``plan_import`` on the file's bytes, what ``chainmap import
--dry-run`` does (read the workbook, find the header, lay out the body,
normalise values, match every name, plan, report). Each size runs in a fresh
child process, so its peak resident memory (``ru_maxrss``, the library's
tables included) is the import's own.

Budgets (issue 12): 100,000 rows ≤ 20 s; 1,000,000 rows ≤ 120 s and ≤ 1.5 GB
peak; a file over the size cap refused in < 1 s.

The library is the bundled seeds plus 100,000 generated firms named as
registers write them (region prefix + 字号 + industry word + legal form); the
file holds a third exact library names, a third variants of them (another
legal form, no place, full-width brackets around the place, a city prefix)
and a third firms the library does not have; amounts in 万元 under a title row.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402

from chainmap.store.memory import MemoryStore  # noqa: E402

LIBRARY = 100_000
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
        core = "".join(rng.sample(ZIHAO, rng.choice((2, 2, 3, 3, 4)))) + rng.choice(INDUSTRY)
        if core in taken:
            continue
        taken.add(core)
        out.append((rng.choice(PLACES), core))
    return out


def variant(place: str, core: str, legal: str, rng: random.Random) -> str:
    return rng.choice([f"{place}{core}{rng.choice(LEGAL)}", f"{core}{legal}", f"{core}（{place.rstrip('省市')}）{legal}",
                       f"{place}{core}", f"{core}{legal}".replace("有限公司", "有限公司 ")])


def world(n: int, library: int = LIBRARY, seed: int = 7):
    """The library's tables and ``n`` file rows."""
    rng = random.Random(seed)
    seeds = MemoryStore.open().tables()
    taken: set[str] = set()
    lib = firm_names(library, rng, taken)
    legal = [rng.choice(LEGAL) for _ in lib]
    names = [f"{p}{c}{lg}" for (p, c), lg in zip(lib, legal)]
    firms = pd.DataFrame({"id": [f"g{i:06d}" for i in range(library)], "name_zh": names,
                          "name_en": "", "aliases": "", "hq_city": "", "hq_province": "", "hq_region": "",
                          "revenue_yi": float("nan"), "revenue_year": pd.array([pd.NA] * library, dtype="Int64"),
                          "products": "", "stock_code": "", "source": "illustrative: bench", "verified": "",
                          "notes": ""})
    firms = firms.reindex(columns=seeds.firms.columns)  # columns the generator does not know are blank
    for c in seeds.firms.columns:
        if str(seeds.firms[c].dtype) in ("str", "object", "string"):
            firms[c] = firms[c].astype(object).fillna("")
    tables = seeds.replace(firms=pd.concat([seeds.firms, firms.astype(seeds.firms.dtypes.to_dict())],
                                           ignore_index=True))
    new = firm_names(n - 2 * (n // 3), rng, taken)
    links = ["覆铜板", "电子铜箔", "电动两轮车整车", "印制电路板", ""]
    rows = []
    for i in range(n):
        k = i % library
        if i % 3 == 0:
            name = names[k]
        elif i % 3 == 1:
            name = variant(*lib[k], legal[k], rng)
        else:
            p, c = new[i // 3]
            name = f"{p}{c}{rng.choice(LEGAL)}"
        rows.append([name, rng.choice(PLACES).rstrip("省市"), rng.choice(links), rng.randint(1, 900_000),
                     "企查查导出 2026-06"])
    return tables, rows


def write_workbook(rows: list[list], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("目标企业")
    ws.append(["目标企业清单（企查查导出）", None, None, "单位：万元"])
    ws.append(["企业名称", "总部城市", "所属环节", "营业收入", "信息来源"])
    for r in rows:
        ws.append(r)
    wb.save(path)


def child(xlsx: str, tables_pkl: str) -> None:
    """Plan one file in this (fresh) process; print seconds, peak RSS and the counts as JSON."""
    from chainmap.io.importing import plan_import

    with open(tables_pkl, "rb") as f:
        tables = pickle.load(f)
    data = Path(xlsx).read_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    plan = plan_import(data, "firms", "目标企业.xlsx", tables, today=dt.date(2026, 11, 26), accept_valid=True)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, "rows": len(plan.report),
                      "actions": {k: v for k, v in plan.counts().items() if v},
                      "decisions": int(len(plan.decisions)), "mb": len(data) / 2**20}))


def oversize() -> dict:
    """How long refusing a file over the cap takes: the CLI's stat check, and plan_import on the bytes."""
    from chainmap.io import InputError
    from chainmap.io.importing import MAX_BYTES, check_size, plan_import

    data = b"PK\x03\x04" + os.urandom(MAX_BYTES + 1024)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(data)
        f.flush()
        t0 = time.perf_counter()
        try:
            check_size(Path(f.name).stat().st_size, f.name)
        except InputError:
            pass
        stat_ms = (time.perf_counter() - t0) * 1e3
    tables = MemoryStore.open().tables()
    t0 = time.perf_counter()
    try:
        plan_import(data, "firms", "big.xlsx", tables, today=dt.date(2026, 11, 26))
    except InputError:
        pass
    plan_ms = (time.perf_counter() - t0) * 1e3
    return {"stat_ms": stat_ms, "plan_ms": plan_ms}


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]
    budgets = {100_000: (20_000, None), 1_000_000: (120_000, 1536)}
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            t0 = time.perf_counter()
            tables, rows = world(n)
            xlsx, pkl = Path(tmp) / f"rows{n}.xlsx", Path(tmp) / f"tables{n}.pkl"
            write_workbook(rows, xlsx)
            del rows
            with open(pkl, "wb") as f:
                pickle.dump(tables, f)
            del tables
            print(f"{n:,} rows: workbook {xlsx.stat().st_size / 2**20:.1f} MB, built in {time.perf_counter() - t0:.0f} s")
            load = os.getloadavg()[0]  # shared cores: wall time is only the import's own when this is low
            res = subprocess.run([sys.executable, __file__, "--child", str(xlsx), str(pkl)], capture_output=True,
                                 text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
            load_after = os.getloadavg()[0]
            if res.returncode:
                raise SystemExit(res.stderr)
            r = json.loads(res.stdout.strip().splitlines()[-1])
            budget_ms, budget_mb = budgets.get(n, (None, None))
            row = {"what": f"plan {n:,} firm rows from a {r['mb']:.1f} MB xlsx against {LIBRARY:,} firms "
                           f"(= import --dry-run)",
                   "median_ms": round(r["seconds"] * 1e3, 1), "min_ms": round(r["seconds"] * 1e3, 1),
                   "max_ms": round(r["seconds"] * 1e3, 1), "runs": 1, "cpu_ms": round(r["cpu_seconds"] * 1e3, 1),
                   "load_before": round(load, 2), "load_after": round(load_after, 2), "peak_mb": round(r["peak_mb"]),
                   "actions": r["actions"], "decisions": r["decisions"]}
            if budget_ms:
                row["budget_ms"] = budget_ms
            if budget_mb:
                row["budget_peak_mb"] = budget_mb
            print(f"  {r['seconds']:.1f} s ({r['cpu_seconds']:.1f} s CPU, load {load:.1f} → {load_after:.1f}), peak {r['peak_mb']:.0f} MB, {r['actions']}")
            out.append(row)
    big = oversize()
    out.append({"what": "refuse a file over the 50 MB cap (CLI: stat before reading)", "median_ms":
                round(big["stat_ms"], 2), "min_ms": round(big["stat_ms"], 2), "max_ms": round(big["stat_ms"], 2),
                "runs": 1, "budget_ms": 1000})
    out.append({"what": "refuse a file over the 50 MB cap (plan_import on the bytes)", "median_ms":
                round(big["plan_ms"], 2), "min_ms": round(big["plan_ms"], 2), "max_ms": round(big["plan_ms"], 2),
                "runs": 1, "budget_ms": 1000})
    out.append({"what": "load average during the run (2 shared cores)", "value": os.getloadavg()[0], "unit": "",
                "median_ms": 0})
    report("bench_import", out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
