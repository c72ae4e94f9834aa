"""Benchmark of issue 13: import the five listed-firm tables into the bundled workspace, as an officer would.

Run: ``.venv/bin/python bench/bench_sources.py`` (needs ``../shared/data/listed``; says so and stops without it)

Each table is imported with ``chainmap import firms FILE`` as a new process, in the order the README shows
(SZSE list, SSE list, Tushare basic, 申万 2021, CSRC status), into a fresh copy of the bundled workspace: the
whole command is timed (start-up, reading, recognising the source, matching every row against what the earlier
tables added, writing to the SQLite store). Each import changes the workspace, so the sequence runs once; the
figures are of that one run. Budget (issue 13): ≤ 30 s for the five in all.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LISTED = REPO.parent / "shared" / "data" / "listed"
FILES = ["szse_A股列表_2025-10.xlsx", "sse_GPLIST_mainboard.xls", "a_share_basic_2025-06.csv",
         "a_share_sw2021_l3_2021-10.csv", "a_share_csrc_status_2026-06.csv"]
BUDGET_MS = 30_000


def main() -> None:
    if not LISTED.is_dir():
        print(f"skipped: the listed-firm tables are not at {LISTED}")
        return
    env = dict(os.environ, PYTHONPATH=str(REPO))
    rows, total = [], 0.0
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        for sub in ("graphs", "seeds"):
            shutil.copytree(REPO / sub, ws / sub)
        env["CHAINMAP_CACHE_DIR"] = str(Path(tmp) / "cache")
        for name in FILES:
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "chainmap.cli", "--workspace", str(ws), "import", "firms",
                                str(LISTED / name)], capture_output=True, text=True, env=env)
            ms = (time.perf_counter() - t0) * 1e3
            if p.returncode:
                raise SystemExit(p.stderr[-2000:])
            total += ms
            head = p.stdout.splitlines()[0]
            rows.append({"what": f"chainmap import firms {name} (new process)", "median_ms": round(ms, 1),
                         "min_ms": round(ms, 1), "max_ms": round(ms, 1), "runs": 1, "report": head})
        sys.path.insert(0, str(REPO))
        from chainmap.io.schemas import INACTIVE_STATUS
        from chainmap.location import open_workspace

        store = open_workspace(ws)
        try:
            firms = store.tables().firms
        finally:
            store.close()
        listed = firms[firms["stock_code"] != ""]
        active = listed[~listed["status"].isin(INACTIVE_STATUS)]
    rows.append({"what": "the five tables in all", "median_ms": round(total, 1), "min_ms": round(total, 1),
                 "max_ms": round(total, 1), "runs": 1, "budget_ms": BUDGET_MS,
                 "firms": int(len(firms)), "listed_active": int(len(active)),
                 "listed_inactive": int(len(listed) - len(active)),
                 "with_city": int((active["hq_city"] != "").sum()),
                 "with_province": int((active["hq_province"] != "").sum())})
    report("sources", rows)
    for r in rows[:-1]:
        print("  ", r["report"])
    print({k: v for k, v in rows[-1].items() if k in ("firms", "listed_active", "listed_inactive", "with_city",
                                                         "with_province")})


if __name__ == "__main__":
    main()
