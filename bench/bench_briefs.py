"""Benchmark of the briefs to print (issue 15): building each brief and rendering it as Word and PDF.

Run: ``.venv/bin/python bench/bench_briefs.py [RUNS]``

On the bundled data, the scorer fitted once beforehand (the workbench and the
CLI keep it cached). A PDF subsets the embedded Noto Sans CJK font (CFF
outlines), which is most of its time; the workbench makes files on click, so
these times never slow a page. Budgets: building a brief ≤ 1.5 s (the chain
report includes the Graphviz map), Word ≤ 1 s, PDF ≤ 5 s.
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import report, timeit  # noqa: E402

from chainmap.briefs import chain_brief, firm_brief, ledger_brief, to_docx, to_pdf  # noqa: E402
from chainmap.io import bundled_workspace  # noqa: E402
from chainmap.io.city import read_city  # noqa: E402
from chainmap.scoring import TargetScorer  # noqa: E402
from chainmap.store.memory import MemoryStore  # noqa: E402


def main(runs: int = 3) -> None:
    t = MemoryStore.open().tables()
    scorer = TargetScorer().fit(t)
    city, today = read_city(bundled_workspace()), dt.date(2026, 11, 30)
    briefs = {
        "一企一策 (kingboard, electronics)": lambda: firm_brief(t, scorer, "kingboard", "electronics", city=city,
                                                                 today=today),
        "chain report (electronics, with map)": lambda: chain_brief(t, scorer, "electronics", city=city, today=today),
        "monthly report (2026-11)": lambda: ledger_brief(t, "2026-11", city=city, today=today),
    }
    rows = []
    for name, make in briefs.items():
        b = make()
        rows.append({"what": f"build {name}", **timeit(make, repeat=runs), "budget_ms": 1500})
        rows.append({"what": f"Word {name}", **timeit(lambda: to_docx(b), repeat=runs), "budget_ms": 1000})
        rows.append({"what": f"PDF {name}", **timeit(lambda: to_pdf(b), repeat=runs, warmup=0), "budget_ms": 5000})
    report("briefs", rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
