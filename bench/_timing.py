"""Timing helpers shared by the benchmarks."""
from __future__ import annotations

import json
import platform
import statistics
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def timeit(fn, repeat: int = 10, warmup: int = 1) -> dict:
    """Run ``fn`` ``warmup + repeat`` times; report median, min and max in ms."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
            "max_ms": round(max(times), 2), "runs": repeat}


def report(name: str, rows: list[dict]) -> None:
    """Print a table and save it as ``bench/results/NAME.json``."""
    width = max(len(r["what"]) for r in rows)
    for r in rows:
        budget = f"budget {r['budget_ms']:g} ms: {'OK' if r['median_ms'] < r['budget_ms'] else 'OVER'}" \
            if "budget_ms" in r else ""
        if "value" in r:
            print(f"{r['what']:<{width}}  {r['value']:9.2f} {r['unit']}  {budget}")
        else:
            print(f"{r['what']:<{width}}  median {r['median_ms']:9.2f} ms  min {r['min_ms']:9.2f}  {budget}")
    RESULTS.mkdir(exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": __import__("os").cpu_count()}
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=2))
