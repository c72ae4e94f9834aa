"""Chain files: one TOML file per chain in ``graphs/`` (layout in ``seeds/SCHEMA.md``).

:func:`parse_chain` reads one file into three small tables (the chain, its links,
its edges); checks that need every chain at once (unknown link, duplicate id,
stage order, cycles) are in :func:`check_link_graph`. :func:`format_chain` is
the inverse of :func:`parse_chain`.
"""
from __future__ import annotations

import hashlib
import tomllib

import networkx as nx
import pandas as pd
import tomli_w

from .._memo import Memo
from ..model import Stage
from .errors import InputError, Problem
from .schemas import CLASS_SYSTEMS, SPECS
from .tables import coerce_table, validate_table

__all__ = ["parse_chain", "format_chain", "check_link_graph"]

#: Link keys holding lists (stored |-separated in the links table): the keywords, and the industry
#: classes that make the link's products (GB/T 4754-2017 codes, 申万2021 L3 names, Tushare classes,
#: coarse classes as ``system:value``, 经营范围 words), see seeds/SCHEMA.md.
_LIST_KEYS = ("keywords", "gb_codes", "sw_l3", "tushare", "coarse", "scope_words")
_LINK_KEYS = ("id", "name_zh", "name_en", "stage", "importance", "keywords", "scope",
              "gb_codes", "sw_l3", "tushare", "coarse", "scope_words", "class_source")
_EDGE_KEYS = ("from", "to", "share", "feedback", "note")


def _entries(doc, key, allowed, file, what):
    entries = doc.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError([Problem(file, "toml_not_tables", {"key": key})])
    problems = []
    for n, e in enumerate(entries, start=1):
        label = e.get("id") or (f"{e.get('from')} → {e.get('to')}" if key == "edges" else f"#{n}")
        for k in e:
            if k not in allowed:
                problems.append(Problem(file, "unknown_key", {"what": what, "label": label, "key": k,
                                                              "allowed": list(allowed)}))
    if problems:
        raise InputError(problems)
    return entries


def _as_table(entries, name, rename, file, labels):
    spec = SPECS[name]
    rows = []
    for e in entries:
        row = {rename.get(k, k): v for k, v in e.items()}
        for k in _LIST_KEYS:
            if isinstance(row.get(k), list):
                row[k] = "|".join(str(v) for v in row[k])
        rows.append({c: ("" if row.get(c) is None else row.get(c)) for c in spec.names})
    raw = pd.DataFrame(rows, columns=spec.names, index=range(1, len(rows) + 1), dtype=object)
    typed, problems = coerce_table(raw, spec, file)
    if not problems:
        try:
            return validate_table(typed, spec, file).reset_index(drop=True)
        except InputError as e:
            problems = e.problems
    # TOML has no rows: name the link or edge instead.
    raise InputError([
        Problem(file, "in_entry", {"entry": labels.get(p.row, ("", "?")), "field": p.column or "", "code": p.code,
                                   "params": p.params})
        for p in problems
    ])


def parse_chain(data: bytes | str, file: str) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """Parse one chain file into ``(chain, links, edges)``.

    ``chain`` is a dict with id, name_zh, name_en and source; ``links`` and
    ``edges`` follow the ``links`` and ``edges`` specs of
    :data:`chainmap.io.schemas.SPECS`. Every link gets ``chain`` = the chain id.

    Examples
    --------
    >>> text = '''
    ... [chain]
    ... id = "demo"
    ... name_zh = "示例链"
    ... [[links]]
    ... id = "ccl"
    ... name_zh = "覆铜板"
    ... stage = "midstream"
    ... importance = 0.9
    ... keywords = ["覆铜板", "CCL"]
    ... [[links]]
    ... id = "pcb"
    ... name_zh = "印制电路板"
    ... stage = "midstream"
    ... importance = 1.0
    ... [[edges]]
    ... from = "ccl"
    ... to = "pcb"
    ... share = 0.3
    ... '''
    >>> chain, links, edges = parse_chain(text, "graphs/demo.toml")
    >>> chain["name_zh"], list(links["id"]), float(edges.loc[0, "share"])
    ('示例链', ['ccl', 'pcb'], 0.3)
    """
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    # Kept per content: opening a folder, loading it and checking the stored chain files parse the same few
    # files again and again (their validation is most of a workspace's parse). Callers get their own copies.
    key = hashlib.sha256(f"{file}\0{text}".encode()).hexdigest()
    chain, links, edges = _PARSED.get(key, lambda: _parse_chain(text, file))
    return dict(chain), links.copy(), edges.copy()


#: Parsed chain files by a digest of their name and text, see :func:`parse_chain`.
_PARSED: Memo[tuple[dict, pd.DataFrame, pd.DataFrame]] = Memo(kept=32)


def _parse_chain(text: str, file: str) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError([Problem(file, "not_valid_toml", {"error": str(e)})]) from None
    head = doc.get("chain")
    if not isinstance(head, dict):
        raise InputError([Problem(file, "no_chain_table")])
    chain = {k: str(head.get(k, "") or "") for k in SPECS["chains"].names}
    unknown = set(doc) - {"chain", "links", "edges"}
    if unknown:
        raise InputError([Problem(file, "unknown_top_keys", {"keys": sorted(unknown)})])
    _as_table([chain], "chains", {}, file, {1: ("chain", "")})
    links_in = _entries(doc, "links", _LINK_KEYS, file, "link")
    edges_in = _entries(doc, "edges", _EDGE_KEYS, file, "edge")
    for e in links_in:
        e.setdefault("scope", "core")
        e["chain"] = chain["id"]
    links = _as_table(links_in, "links", {}, file,
                      {n: ("link", e.get('id', '#' + str(n))) for n, e in enumerate(links_in, 1)})
    bad = [Problem(file, "coarse_class", {"link": lid, "value": c, "systems": list(CLASS_SYSTEMS)})
           for lid, cs in zip(links["id"], links["coarse"]) for c in cs.split("|")
           if c and (c.partition(":")[0] not in CLASS_SYSTEMS or not c.partition(":")[2])]
    if bad:
        raise InputError(bad)
    edges = _as_table(edges_in, "edges", {"from": "src", "to": "dst"}, file,
                      {n: ("edge", f"{e.get('from')} → {e.get('to')}") for n, e in enumerate(edges_in, 1)})
    return chain, links, edges


def format_chain(chain: dict, links: pd.DataFrame, edges: pd.DataFrame) -> str:
    """Write a chain back as TOML; ``parse_chain(format_chain(...))`` round-trips."""
    doc = {"chain": {k: chain[k] for k in SPECS["chains"].names if chain.get(k)}}
    doc["links"] = []
    for r in links.to_dict("records"):
        d = {k: r[k] for k in ("id", "name_zh", "name_en", "stage") if r[k] != ""}
        d["importance"] = float(r["importance"])
        d["keywords"] = [k for k in r["keywords"].split("|") if k]
        if r["scope"] not in ("", "core"):
            d["scope"] = r["scope"]
        for k in _LIST_KEYS[1:]:
            if r.get(k):
                d[k] = [v for v in r[k].split("|") if v]
        if r.get("class_source"):
            d["class_source"] = r["class_source"]
        doc["links"].append(d)
    doc["edges"] = []
    for r in edges.to_dict("records"):
        d = {"from": r["src"], "to": r["dst"]}
        if pd.notna(r["share"]):
            d["share"] = float(r["share"])
        if r["feedback"]:
            d["feedback"] = True
        if r["note"]:
            d["note"] = r["note"]
        doc["edges"].append(d)
    return tomli_w.dumps(doc)


def check_link_graph(links: pd.DataFrame, edges: pd.DataFrame, edge_files: list[str],
                     link_files: list[str]) -> None:
    """Check the links and edges of all chains together.

    Raises :class:`InputError` for a link id defined twice, an edge to an
    unknown link, a duplicate edge, an edge running against the stage order
    inside one chain (unless ``feedback``), and a cycle among the non-feedback
    edges. ``edge_files``/``link_files`` give the file of each row, for messages.
    """
    problems = []
    first_file: dict[str, str] = {}
    for lid, f in zip(links["id"], link_files):
        if lid in first_file:
            problems.append(Problem(f, "link_defined_twice", {"link": lid, "first": first_file[lid]}))
        else:
            first_file[lid] = f
    chain_of = dict(zip(links["id"], links["chain"]))
    stage_of = {lid: Stage(s).rank for lid, s in zip(links["id"], links["stage"])}
    seen = {}
    for (src, dst, fb), f in zip(edges[["src", "dst", "feedback"]].itertuples(index=False), edge_files):
        for end in (src, dst):
            if end not in chain_of:
                problems.append(Problem(f, "edge_unknown_link", {"src": src, "dst": dst, "link": end}))
        if (src, dst) in seen:
            problems.append(Problem(f, "edge_defined_twice", {"src": src, "dst": dst, "first": seen[(src, dst)]}))
        seen.setdefault((src, dst), f)
        if src == dst:
            problems.append(Problem(f, "edge_to_itself", {"src": src, "dst": dst}))
        elif (src in chain_of and dst in chain_of and chain_of[src] == chain_of[dst]
              and stage_of[src] > stage_of[dst] and not fb):
            problems.append(Problem(f, "edge_backwards", {"src": src, "dst": dst}))
    if problems:
        raise InputError(problems)
    g = nx.DiGraph()
    g.add_edges_from((s, d) for s, d, fb in edges[["src", "dst", "feedback"]].itertuples(index=False) if not fb)
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return
    files = {f for (s, d), f in seen.items() if (s, d) in set(cycle)}
    path = " → ".join([u for u, _ in cycle] + [cycle[0][0]])
    raise InputError([Problem(", ".join(sorted(files)), "edge_cycle", {"path": path})])
