"""How :class:`~chainmap.model.Tables` map onto one property graph.

Both stores use this one mapping, so they hold the same graph: the networkx
store as a ``MultiDiGraph``, Neo4j as labelled nodes and typed relationships.

========================  =======================================================
table                     graph
========================  =======================================================
chains                    ``(:Chain {id, name_zh, name_en, source})``
links (+ assessments)     ``(:Link {id, chain, stage, importance, keywords[], …,
                          assessed_on, assessment_method, assessment_source, …})``
edges                     ``(:Link)-[:SUPPLIES {share, feedback, note}]->(:Link)``
firms                     ``(:Firm {id, name_zh, aliases[], hq_region, …})``
honours                   ``(:Firm)-[:HONOURED {year, level, detail, source}]->(:HonourList {id})``
signals                   ``(:Firm)-[:SIGNALLED {date, detail, amount_yi, …}]->(:SignalKind {id})``
channels                  ``(:Firm)-[:REACHABLE_VIA {detail, since, …}]->(:Channel {id})``
followups                 ``(:Firm)-[:FOLLOWED_UP {status, person, contact_date, …}]->(:Chain)``
operations                ``(:Firm)-[:OPERATES_IN {local, entity, chain_leader, …}]->(:Link)``
relations                 ``(:Firm)-[:SUPPLIES_TO|PART_OF {product, source, …}]->(:Firm)``
teams                     ``(:Team {id, …})-[:COVERS {pos}]->(:Region {id})``
mechanism                 ``(:MechanismSlot {id: "chain/slot", chain, slot, …})``
projects                  ``(:Project {id, …})``
events                    ``(:Event {id, date, firm_id, chain, link_id, …})``
changes                   ``(:Change {id: "change_set|table|key", change_set, at, author, …})``
========================  =======================================================

Empty cells are absent properties; ``|``-joined cells (keywords, aliases) are
lists.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..io.schemas import SPECS
from ..io.workspace import canonical
from ..model import Tables

__all__ = ["GraphRecords", "to_records", "from_records", "conform", "NODE_LABELS", "REL_TYPES", "SOURCES"]

NODE_LABELS = ("Chain", "Link", "Firm", "HonourList", "SignalKind", "Channel", "Team", "Region", "MechanismSlot",
               "Project", "Event", "Change")
REL_TYPES = ("SUPPLIES", "OPERATES_IN", "SUPPLIES_TO", "PART_OF", "HONOURED", "SIGNALLED", "REACHABLE_VIA",
             "FOLLOWED_UP", "COVERS")
LIST_PROPS = {"keywords", "aliases"}
_ASSESSMENT = {"assessed_on": "assessed_on", "method": "assessment_method",
               "source": "assessment_source", "notes": "assessment_notes", "assessed_by": "assessed_by"}
# Relationship props that identify one of several parallel relationships.
REL_KEYS = {
    "SUPPLIES": (), "SUPPLIES_TO": (), "PART_OF": (), "COVERS": (),
    "OPERATES_IN": ("entity",), "HONOURED": ("year", "detail"), "SIGNALLED": ("date", "detail"),
    "REACHABLE_VIA": ("detail",), "FOLLOWED_UP": (),
}


@dataclass
class GraphRecords:
    """Nodes per label (DataFrames with an ``id`` column) and relationships per
    type (DataFrames with ``src``, ``dst`` and properties; src/dst are node ids
    of the labels in :data:`ENDPOINTS`)."""

    nodes: dict[str, pd.DataFrame]
    rels: dict[str, pd.DataFrame]


ENDPOINTS = {
    "SUPPLIES": ("Link", "Link"), "OPERATES_IN": ("Firm", "Link"), "SUPPLIES_TO": ("Firm", "Firm"),
    "PART_OF": ("Firm", "Firm"), "HONOURED": ("Firm", "HonourList"), "SIGNALLED": ("Firm", "SignalKind"),
    "REACHABLE_VIA": ("Firm", "Channel"), "FOLLOWED_UP": ("Firm", "Chain"), "COVERS": ("Team", "Region"),
}


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Give a table exactly the spec's columns and dtypes (missing -> empty).

    A column that already has its dtype is kept (text only has its blanks filled): every read of a store
    conforms all sixteen tables, and most of their columns come back typed.

    >>> conform("chains", pd.DataFrame({"id": ["ebike"], "name_zh": [None]})).to_dict("records")
    [{'id': 'ebike', 'name_zh': '', 'name_en': '', 'source': ''}]
    """
    out = {}
    for c in SPECS[name].columns:
        s = df[c.name] if c.name in df else pd.Series([None] * len(df), index=df.index, dtype=object)
        if c.kind in ("float",):
            out[c.name] = s if s.dtype == "float64" else pd.to_numeric(s, errors="coerce").astype(float)
        elif c.kind == "int":
            out[c.name] = s if s.dtype == "Int64" else pd.to_numeric(s, errors="coerce").astype("Int64")
        elif c.kind == "bool":
            out[c.name] = s if s.dtype == "bool" else s.astype(object).where(s.notna(), False).astype(bool)
        elif c.name in LIST_PROPS:
            s = s.astype(object).where(s.notna(), "")
            out[c.name] = s.map(lambda v: "|".join(v) if isinstance(v, (list, tuple, np.ndarray)) else str(v)).astype("str")
        elif s.dtype == "str":
            out[c.name] = s.fillna("")
        else:  # blanks filled after the conversion, not before: 3-4x faster on a library of firms
            out[c.name] = s.astype("str").fillna("")
    return pd.DataFrame(out, index=df.index)


def _props(df: pd.DataFrame, lists=LIST_PROPS) -> pd.DataFrame:
    """Table cells to property values: blanks become None, lists are split.

    One object array per column (Python scalars, None for missing): ``where``/``astype`` over
    the whole frame cost ~7 ms of pandas per call, and every write converts some 20 frames.

    >>> _props(pd.DataFrame({"id": ["a", "b"], "keywords": ["x|y", ""], "n": [1.5, float("nan")]})).values.tolist()
    [['a', ['x', 'y'], 1.5], ['b', None, None]]
    """
    out = {}
    for col in df.columns:
        s = df[col]
        values = s.to_numpy(dtype=object, na_value=None, copy=True)   # a copy: never write into df
        if col in lists:
            values = np.array([[x for x in v.split("|") if x] if v else None for v in values.tolist()] + [None],
                              dtype=object)[:-1]   # the trailing None keeps numpy from making a 2-D array
        elif s.dtype == "str" or s.dtype == object:
            values[values == ""] = None
        out[col] = values
    return pd.DataFrame(out, index=df.index, columns=df.columns, dtype=object)


#: The tables each label and relationship type is made from.
SOURCES = {
    "Chain": {"chains"}, "Link": {"links", "assessments"}, "Firm": {"firms"}, "HonourList": {"honours"},
    "SignalKind": {"signals"}, "Channel": {"channels"}, "Team": {"teams"}, "Region": {"teams"},
    "MechanismSlot": {"mechanism"}, "Project": {"projects"}, "Event": {"events"}, "Change": {"changes"},
    "SUPPLIES": {"edges"}, "OPERATES_IN": {"operations"}, "SUPPLIES_TO": {"relations"}, "PART_OF": {"relations"},
    "HONOURED": {"honours"}, "SIGNALLED": {"signals"}, "REACHABLE_VIA": {"channels"}, "FOLLOWED_UP": {"followups"},
    "COVERS": {"teams"},
}


def _covers(t: Tables) -> pd.DataFrame:
    covers = t.teams[["id", "covers"]].assign(dst=t.teams["covers"].str.split("|")).explode("dst")
    covers = covers[covers["dst"].str.len() > 0]
    return covers.assign(src=covers["id"], pos=covers.groupby("id").cumcount())[["src", "dst", "pos"]]


def to_records(t: Tables, tables: set[str] | None = None) -> GraphRecords:
    """Split validated tables into node and relationship records.

    ``tables`` limits the records to the labels and types made from those tables (see :data:`SOURCES`):
    a write compares only what its edits can have changed.

    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> rec = to_records(read_workspace(bundled_workspace()), {"assessments"})
    >>> list(rec.nodes), list(rec.rels)
    (['Link'], [])
    """
    rel = t.relations
    nodes = {
        "Chain": lambda: t.chains,
        "Link": lambda: t.links.merge(t.assessments.rename(columns={**_ASSESSMENT, "link_id": "id"}), on="id",
                                      how="left"),
        "Firm": lambda: t.firms, "HonourList": lambda: pd.DataFrame({"id": sorted(set(t.honours["list"]))}),
        "SignalKind": lambda: pd.DataFrame({"id": sorted(set(t.signals["kind"]))}),
        "Channel": lambda: pd.DataFrame({"id": sorted(set(t.channels["channel"]))}),
        "Team": lambda: t.teams.drop(columns="covers"),
        "Region": lambda: pd.DataFrame({"id": sorted(set(_covers(t)["dst"]))}),
        "MechanismSlot": lambda: t.mechanism.assign(id=t.mechanism["chain"] + "/" + t.mechanism["slot"].astype(str)),
        "Project": lambda: t.projects, "Event": lambda: t.events,
        "Change": lambda: t.changes.assign(id=t.changes["change_set"] + "|" + t.changes["table"] + "|"
                                           + t.changes["key"]),
    }
    rels = {
        "SUPPLIES": lambda: t.edges,
        "OPERATES_IN": lambda: t.operations.rename(columns={"firm_id": "src", "link_id": "dst"}),
        "SUPPLIES_TO": lambda: rel[rel["type"] == "SUPPLIES_TO"].drop(columns="type"),
        "PART_OF": lambda: rel[rel["type"] == "PART_OF"].drop(columns="type"),
        "HONOURED": lambda: t.honours.rename(columns={"firm_id": "src", "list": "dst"}),
        "SIGNALLED": lambda: t.signals.rename(columns={"firm_id": "src", "kind": "dst"}),
        "REACHABLE_VIA": lambda: t.channels.rename(columns={"firm_id": "src", "channel": "dst"}),
        "FOLLOWED_UP": lambda: t.followups.rename(columns={"firm_id": "src", "chain": "dst"}),
        "COVERS": lambda: _covers(t),
    }

    def wanted(what: str) -> bool:
        return tables is None or bool(SOURCES[what] & tables)
    return GraphRecords({k: _props(v().reset_index(drop=True)) for k, v in nodes.items() if wanted(k)},
                        {k: _props(v().reset_index(drop=True)) for k, v in rels.items() if wanted(k)})


def from_records(g: GraphRecords) -> Tables:
    """Rebuild tables from node and relationship records (the inverse of :func:`to_records`)."""
    n, r = g.nodes, g.rels
    link = n["Link"]
    assess = link[[c for c in ["id", *_ASSESSMENT.values()] if c in link]]
    if "assessed_on" in assess:
        assess = assess[assess["assessed_on"].notna() & (assess["assessed_on"] != "")]
    assess = assess.rename(columns={v: k for k, v in _ASSESSMENT.items()} | {"id": "link_id"})
    covers = r["COVERS"]
    if len(covers):
        covers = covers.sort_values(["src", "pos"]).groupby("src")["dst"].agg("|".join)
    teams = n["Team"].copy()
    teams["covers"] = teams["id"].map(covers) if len(covers) else ""
    relations = pd.concat([r["SUPPLIES_TO"].assign(type="SUPPLIES_TO"), r["PART_OF"].assign(type="PART_OF")],
                          ignore_index=True)
    tables = {
        "chains": n["Chain"], "links": link, "edges": r["SUPPLIES"],
        "firms": n["Firm"], "honours": r["HONOURED"].rename(columns={"src": "firm_id", "dst": "list"}),
        "operations": r["OPERATES_IN"].rename(columns={"src": "firm_id", "dst": "link_id"}),
        "relations": relations, "teams": teams, "mechanism": n["MechanismSlot"],
        "assessments": assess, "projects": n["Project"], "events": n["Event"],
        "signals": r["SIGNALLED"].rename(columns={"src": "firm_id", "dst": "kind"}),
        "channels": r["REACHABLE_VIA"].rename(columns={"src": "firm_id", "dst": "channel"}),
        "followups": r["FOLLOWED_UP"].rename(columns={"src": "firm_id", "dst": "chain"}),
        "changes": n["Change"],
    }
    return Tables(**{k: canonical(k, conform(k, v.reset_index(drop=True))) for k, v in tables.items()})
