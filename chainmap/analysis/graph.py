"""The link graph: 环节 as nodes, input–output flows as edges."""
from __future__ import annotations

import networkx as nx
import numpy as np

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
    g.add_nodes_from(zip(links["id"].to_numpy(dtype=object), links.to_dict("records")))
    e = tables.edges
    if not feedback:
        e = e[~e["feedback"].to_numpy()]
    if chain is not None:
        e = e[e["src"].isin(links["id"]) & e["dst"].isin(links["id"])]
    g.add_edges_from(
        (s, d, {"share": sh, "feedback": fb})
        for s, d, sh, fb in zip(e["src"].to_numpy(dtype=object), e["dst"].to_numpy(dtype=object),
                                e["share"].to_numpy(), e["feedback"].to_numpy()))
    return g


_STAGE_RANK = {s.value: s.rank for s in Stage}


def topo_order(g: nx.DiGraph) -> list:
    """Nodes upstream first: by stage, then topological generation, then id."""
    gen = {n: i for i, layer in enumerate(nx.topological_generations(g)) for n in layer}
    stage = g.nodes(data="stage")
    return sorted(g, key=lambda n: (_STAGE_RANK[stage[n]], gen[n], n))


def input_shares(dst: np.ndarray, share: np.ndarray, n_links: int) -> np.ndarray:
    """Input share ``a_ij`` of every edge ``i → j``, given each edge's ``j`` and known share.

    ``dst`` holds each edge's downstream link as a position ``0 <= j < n_links``;
    ``share`` is NaN where the chain file gives none. The inputs of ``j`` without
    a share split what the known shares leave over equally (a plain default, not
    data).

    Examples
    --------
    >>> # cloth → ccl (0.4), foil → ccl (?), resin → ccl (?); ccl is link 0
    >>> input_shares(np.array([0, 0, 0]), np.array([0.4, np.nan, np.nan]), 1).round(2).tolist()
    [0.4, 0.3, 0.3]
    """
    unknown = np.isnan(share)
    known_sum = np.bincount(dst[~unknown], weights=share[~unknown], minlength=n_links)
    n_unknown = np.bincount(dst[unknown], minlength=n_links)
    rest = np.maximum(0.0, 1.0 - known_sum[dst]) / np.maximum(n_unknown[dst], 1)
    return np.where(unknown, rest, share)
