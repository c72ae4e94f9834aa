"""The link graph: 环节 as nodes, input–output flows as edges."""
from __future__ import annotations

import networkx as nx
import pandas as pd

from ..model import Stage, Tables

__all__ = ["link_graph", "topo_order", "input_shares"]


def link_graph(tables: Tables, chain: str | None = None, *, feedback: bool = False) -> nx.DiGraph:
    """Directed graph of links, upstream → downstream.

    Parameters
    ----------
    tables : Tables
    chain : str, optional
        Keep only this chain's links and the edges among them. By default all
        chains, joined by their cross-chain edges.
    feedback : bool, default False
        Include recycling edges that run against the stage order. Without them
        the graph is acyclic (the loader guarantees it).

    Returns
    -------
    networkx.DiGraph
        Node attributes are the link's columns; edge attributes ``share``
        (NaN where unknown) and ``feedback``.

    Examples
    --------
    >>> from chainmap.store.memory import MemoryStore
    >>> g = link_graph(MemoryStore.open().tables())
    >>> g.has_edge("copper_foil", "ccl")    # a cross-chain edge
    True
    """
    links = tables.links if chain is None else tables.links[tables.links["chain"] == chain]
    g = nx.DiGraph()
    g.add_nodes_from((r["id"], r) for r in links.to_dict("records"))
    e = tables.edges
    if not feedback:
        e = e[~e["feedback"]]
    e = e[e["src"].isin(g) & e["dst"].isin(g)]
    g.add_edges_from((s, d, {"share": sh, "feedback": fb}) for s, d, sh, fb in
                     e[["src", "dst", "share", "feedback"]].itertuples(index=False))
    return g


def topo_order(g: nx.DiGraph) -> list:
    """Nodes upstream first: by stage, then topological generation, then id."""
    gen = {n: i for i, layer in enumerate(nx.topological_generations(g)) for n in layer}
    return sorted(g, key=lambda n: (Stage(g.nodes[n]["stage"]).rank, gen[n], n))


def input_shares(g: nx.DiGraph) -> pd.Series:
    """Input share ``a_ij`` of every edge ``i → j``, indexed by ``(i, j)``.

    Where the chain file gives no share, the inputs of ``j`` without a share
    split what the known shares leave over equally (a plain default, not data).

    Examples
    --------
    >>> g = nx.DiGraph([("cloth", "ccl", {"share": 0.4}), ("foil", "ccl", {}), ("resin", "ccl", {})])
    >>> input_shares(g).round(2).to_dict()
    {('cloth', 'ccl'): 0.4, ('foil', 'ccl'): 0.3, ('resin', 'ccl'): 0.3}
    """
    out = {}
    for j in g:
        preds = list(g.predecessors(j))
        known = {i: g.edges[i, j].get("share") for i in preds}
        known = {i: s for i, s in known.items() if s is not None and pd.notna(s)}
        unknown = [i for i in preds if i not in known]
        rest = max(0.0, 1.0 - sum(known.values()))
        for i in preds:
            out[(i, j)] = known[i] if i in known else rest / len(unknown)
    return pd.Series(out, dtype=float)
