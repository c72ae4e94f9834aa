"""Small hand-made workspaces for tests, built as real files' bytes."""
from __future__ import annotations

import csv
import io

import tomli_w

from chainmap.io.schemas import SPECS

SRC = "test fixture (hand-made world)"


def chain_file(chain_id: str, name_zh: str, links: list[tuple], edges: list[tuple] = ()) -> bytes:
    """links: (id, name_zh, stage, importance[, keywords]); edges: (src, dst[, share[, feedback]])."""
    doc = {"chain": {"id": chain_id, "name_zh": name_zh, "source": SRC}, "links": [], "edges": []}
    for lk in links:
        d = {"id": lk[0], "name_zh": lk[1], "stage": lk[2], "importance": lk[3]}
        if len(lk) > 4:
            d["keywords"] = list(lk[4])
        doc["links"].append(d)
    for e in edges:
        d = {"from": e[0], "to": e[1]}
        if len(e) > 2 and e[2] is not None:
            d["share"] = e[2]
        if len(e) > 3 and e[3]:
            d["feedback"] = True
        doc["edges"].append(d)
    return tomli_w.dumps(doc).encode()


def table_file(name: str, rows: list[dict], encoding: str = "utf-8") -> bytes:
    """A seed CSV with the spec's header; missing cells blank, ``source`` filled in."""
    cols = SPECS[name].names
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        r = {"source": SRC, **r} if "source" in cols else dict(r)
        w.writerow({c: r.get(c, "") for c in cols})
    return buf.getvalue().encode(encoding)


def op(firm_id: str, link_id: str, **kw) -> dict:
    return {"firm_id": firm_id, "link_id": link_id, "local": "true", **kw}


def firm(fid: str, name_zh: str, **kw) -> dict:
    return {"id": fid, "name_zh": name_zh, **kw}


# A PCB chain in miniature. Answers worked out by hand in test_gaps.py.
PCB_LINKS = [
    ("yarn", "电子级玻纤纱", "upstream", 0.8),
    ("cloth", "电子布", "upstream", 0.8),
    ("foil", "电子铜箔", "upstream", 0.8),
    ("resin", "电子级环氧树脂", "upstream", 0.6),
    ("ccl", "覆铜板", "midstream", 1.0),
    ("pcb", "印制电路板", "midstream", 1.0),
    ("pcba", "电子组装", "downstream", 0.7),
]
PCB_EDGES = [
    ("yarn", "cloth"), ("cloth", "ccl", 0.3), ("foil", "ccl", 0.3), ("resin", "ccl", 0.3),
    ("ccl", "pcb", 0.3), ("pcb", "pcba"),
]
PCB_FIRMS = [
    firm("kingboard", "建滔集团"), firm("grace", "宏和科技"), firm("cpic", "国际复材"),
    firm("taishan", "泰山玻纤"), firm("shengyi", "生益科技"), firm("luxshare", "立讯精密"),
]
PCB_OPS = [
    op("kingboard", "yarn", chain_leader="true", entity="忠信世纪电子材料有限公司"),
    op("kingboard", "cloth"), op("grace", "cloth"), op("cpic", "cloth"),
    op("shengyi", "ccl"),
    op("luxshare", "pcba", output_yi="20"),
    op("taishan", "yarn", local="false"),  # not local: must not count
]


def pcb_world(**overrides) -> dict[str, bytes]:
    """Files of the miniature PCB world; ``overrides`` replace whole files."""
    files = {
        "graphs/pcbdemo.toml": chain_file("pcbdemo", "PCB示例链", PCB_LINKS, PCB_EDGES),
        "seeds/firms.csv": table_file("firms", PCB_FIRMS),
        "seeds/operations.csv": table_file("operations", PCB_OPS),
        "seeds/assessments.csv": table_file("assessments", [
            {"link_id": "pcb", "assessed_on": "2026-11-01"},
            {"link_id": "foil", "assessed_on": "2026-11-01"},
        ]),
    }
    files.update(overrides)
    return files
