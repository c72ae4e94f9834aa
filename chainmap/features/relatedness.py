"""Relatedness of links: RCA, presence, proximity and density (the product space).

Pure functions over matrices whose rows are locations (cities) or firms and
whose columns are links (环节), plus entry points that build those matrices
from :class:`~chainmap.model.Tables`. Every function accepts a numpy array, a
pandas DataFrame (labels are kept) or, where it makes sense, a scipy sparse
matrix, and is vectorised: no Python loop runs over rows.

Definitions
-----------
With ``x_rp ≥ 0`` the activity of location (or firm) ``r`` in link ``p``:

**Revealed comparative advantage** (Balassa's RCA, the location quotient)::

    RCA_rp = (x_rp / Σ_p x_rp) / (Σ_r x_rp / Σ_rp x_rp)

and 0 where a denominator is 0 (a row or column without activity).

**Presence**: ``M_rp = 1 if RCA_rp ≥ threshold else 0`` (threshold 1).

**Proximity** between links ``p`` and ``q``, from co-occurrence in the rows of
``M``::

    φ_pq = Σ_r M_rp M_rq / max(k_p, k_q),   k_p = Σ_r M_rp  (ubiquity)

with ``φ_pq = 0`` where ``max(k_p, k_q) = 0``. **The diagonal is set to 0**
(``φ_pp = 0``), as recommended in ``shared/reference/methods.md``: with the
textbook ``φ_pp = 1`` a row's own presence in ``p`` would count towards its
density in ``p``, so a link already present would always look "related". This
is the one deliberate difference from the Growth Lab's ``ecomplexity``
package, which keeps ``φ_pp = 1``; ``tests/test_relatedness.py`` checks both
conventions against it.

**Density** of row ``r`` around link ``p`` (how feasible an extension is)::

    ω_rp = Σ_q M_rq φ_pq / Σ_q φ_pq

and 0 where ``Σ_q φ_pq = 0`` (a link related to nothing). Distance is ``1 − ω``.

Scales
------
:func:`city_matrix` counts firms per city × link (HQ city for plants outside
the home city, the home city for local plants); :func:`firm_matrix` is the
binary firm × link matrix. :func:`link_density` gives the home city's density
over every link at either level. At prefecture scale ``methods.md``
recommends the firm level: proximity from which firms are active in both
links, and the home city's presence from its local plants.

Complexity outlook gain (COG) is not implemented: public implementations
disagree on its last term and nothing here needs it yet.

References
----------
C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann, "The product space
conditions the development of nations", *Science* 317 (2007) 482–487.

B. Balassa, "Trade liberalisation and 'revealed' comparative advantage",
*The Manchester School* 33 (1965) 99–123.

Harvard Growth Lab, ``ecomplexity`` (PyPI), the reference implementation used
as an independent check in the tests.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..model import Tables

__all__ = ["rca", "presence", "proximity", "density", "city_matrix", "firm_matrix",
           "link_density", "link_space"]


def _unwrap(values, name: str) -> tuple[np.ndarray | sp.csr_matrix, Callable]:
    """The numbers of ``values`` as float64 (dense array or CSR) and a function wrapping a result alike."""
    if isinstance(values, pd.DataFrame):
        index, columns = values.index, values.columns
        arr = values.to_numpy(dtype=float)
        return arr, lambda out: pd.DataFrame(out, index=index, columns=columns)
    if sp.issparse(values):
        return sp.csr_matrix(values, dtype=float), lambda out: sp.csr_matrix(out)
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows × links); got an array of shape {arr.shape}")
    return arr, lambda out: out


def _data(m) -> np.ndarray:
    return m.data if sp.issparse(m) else m


def _inverse(v: np.ndarray) -> np.ndarray:
    """``1 / v`` where ``v > 0``, else 0."""
    return np.divide(1.0, v, out=np.zeros_like(v, dtype=float), where=v > 0)


def rca(values):
    """Revealed comparative advantage of every row in every column.

    ``RCA_rp = (x_rp / Σ_p x_rp) / (Σ_r x_rp / Σ_rp x_rp)``, 0 where a row or a
    column has no activity.

    Parameters
    ----------
    values : array-like, DataFrame or scipy sparse matrix, shape (n_rows, n_links)
        Non-negative activity (firm counts, output, employment) of each row
        (city or firm) in each link.

    Returns
    -------
    Same kind as ``values`` (DataFrame with the same labels, ndarray, or CSR)
        The float RCA matrix.

    Raises
    ------
    ValueError
        If ``values`` is not 2-D or holds a negative or non-finite number.

    References
    ----------
    B. Balassa, "Trade liberalisation and 'revealed' comparative advantage",
    *The Manchester School* 33 (1965) 99–123.

    Examples
    --------
    Total 4; row sums 2 and 2; column sums 3 and 1. ``RCA_00 = (2/2)/(3/4)``,
    ``RCA_10 = (1/2)/(3/4)``, ``RCA_11 = (1/2)/(1/4)``:

    >>> rca([[2, 0], [1, 1]]).round(4)
    array([[1.3333, 0.    ],
           [0.6667, 2.    ]])

    A row without activity gets 0, and DataFrame labels are kept:

    >>> out = rca(pd.DataFrame([[1, 0], [0, 0]], index=["深圳", "清远"], columns=["pcb", "ccl"]))
    >>> out.loc["深圳"].to_dict(), out.loc["清远"].to_dict()
    ({'pcb': 1.0, 'ccl': 0.0}, {'pcb': 0.0, 'ccl': 0.0})
    """
    x, wrap = _unwrap(values, "values")
    d = _data(x)
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("values must be finite and non-negative (activity such as firm counts or output)")
    row = np.asarray(x.sum(axis=1)).ravel()
    col = np.asarray(x.sum(axis=0)).ravel()
    total = float(row.sum())
    r_scale = total * _inverse(row)
    c_scale = _inverse(col)
    if sp.issparse(x):
        out = sp.diags(r_scale) @ x @ sp.diags(c_scale)
    else:
        out = x * r_scale[:, None] * c_scale[None, :]
    return wrap(out)


def presence(rca_values, threshold: float = 1.0):
    """Binary presence ``M_rp = 1 if RCA_rp ≥ threshold else 0``.

    Parameters
    ----------
    rca_values : array-like, DataFrame or scipy sparse matrix
        Output of :func:`rca` (or any matrix to threshold).
    threshold : float, default 1
        Must be positive, so that an absent activity (RCA 0) is never present
        and a sparse input stays sparse.

    Returns
    -------
    Same kind as ``rca_values``, int64 zeros and ones.

    Examples
    --------
    >>> presence(np.array([[1.3333, 0.0], [0.6667, 2.0]]))
    array([[1, 0],
           [0, 1]])
    >>> presence(np.array([[1.3333, 0.0], [0.6667, 2.0]]), threshold=0.5)
    array([[1, 0],
           [1, 1]])
    """
    if not threshold > 0:
        raise ValueError(f"threshold must be positive, got {threshold!r}")
    r, wrap = _unwrap(rca_values, "rca_values")
    if sp.issparse(r):
        m = (r >= threshold).astype(np.int64)
        m.eliminate_zeros()
        return m
    return wrap((r >= threshold).astype(np.int64))


def proximity(M):
    """Proximity ``φ_pq = Σ_r M_rp M_rq / max(k_p, k_q)`` between links, diagonal 0.

    Any positive entry of ``M`` counts as present. ``φ_pq = 0`` where neither
    link is present anywhere; the diagonal is set to 0 so that a row's own
    presence in a link never counts towards its density there (see the module
    docstring).

    Parameters
    ----------
    M : array-like, DataFrame or scipy sparse matrix, shape (n_rows, n_links)
        Presence of rows (cities or firms) in links. Sparse input suits the
        firm level (many rows, few links).

    Returns
    -------
    ndarray or DataFrame, shape (n_links, n_links)
        Symmetric, in [0, 1], zero diagonal; a DataFrame indexed and labelled
        by ``M``'s columns when ``M`` is a DataFrame.

    References
    ----------
    C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann, "The product
    space conditions the development of nations", *Science* 317 (2007) 482–487.

    Examples
    --------
    Links 0 and 1 meet in 2 rows, ubiquities 3 and 2: ``φ_01 = 2 / 3``;
    links 0 and 2 meet once: ``φ_02 = 1 / 3``; 1 and 2 never meet.

    >>> M = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0], [0, 0, 1]])
    >>> proximity(M).round(4)
    array([[0.    , 0.6667, 0.3333],
           [0.6667, 0.    , 0.    ],
           [0.3333, 0.    , 0.    ]])
    """
    labels = M.columns if isinstance(M, pd.DataFrame) else None
    m, _ = _unwrap(M, "M")
    if sp.issparse(m):
        b = (m > 0).astype(float)
        co = (b.T @ b).toarray()
    else:
        b = (m > 0).astype(float)
        co = b.T @ b
    k = np.diag(co).copy()
    phi = co * _inverse(np.maximum(k[:, None], k[None, :]))
    np.fill_diagonal(phi, 0.0)
    if labels is not None:
        return pd.DataFrame(phi, index=labels, columns=labels)
    return phi


def density(M, phi):
    """Density ``ω_rp = Σ_q M_rq φ_pq / Σ_q φ_pq`` of every row around every link.

    Parameters
    ----------
    M : array-like, DataFrame or scipy sparse matrix, shape (n_rows, n_links)
        Presence (usually binary, as from :func:`presence`; it is used as given).
    phi : array-like or DataFrame, shape (n_links, n_links)
        Proximity, e.g. from :func:`proximity`. When both are DataFrames,
        ``phi`` is aligned on ``M``'s columns.

    Returns
    -------
    ndarray or DataFrame, shape (n_rows, n_links)
        In [0, 1] for binary ``M``; 0 for a link whose proximities are all 0.
        A DataFrame with ``M``'s labels when ``M`` is a DataFrame.

    References
    ----------
    C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann, "The product
    space conditions the development of nations", *Science* 317 (2007) 482–487.

    Examples
    --------
    With ``M`` and ``φ`` of the :func:`proximity` example, row 3 holds only
    link 2: ``ω_30 = φ_02 / (φ_01 + φ_02) = (1/3) / 1``; links 1 and 2 are not
    related to link 2, so ``ω_31 = ω_32 = 0``:

    >>> M = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0], [0, 0, 1]])
    >>> density(M, proximity(M)).round(4)
    array([[0.6667, 1.    , 1.    ],
           [0.3333, 1.    , 1.    ],
           [0.6667, 1.    , 1.    ],
           [0.3333, 0.    , 0.    ]])
    """
    if isinstance(M, pd.DataFrame) and isinstance(phi, pd.DataFrame):
        missing = M.columns.difference(phi.index).union(M.columns.difference(phi.columns))
        if len(missing):
            raise ValueError(f"phi has no row or column for links of M: {', '.join(map(str, missing[:5]))}")
        phi = phi.loc[M.columns, M.columns]
    m, wrap = _unwrap(M, "M")
    p = np.asarray(phi.to_numpy() if isinstance(phi, pd.DataFrame) else phi, dtype=float)
    if p.shape != (m.shape[1], m.shape[1]):
        raise ValueError(f"phi must be {m.shape[1]} × {m.shape[1]} (links of M); got {p.shape}")
    num = np.asarray(m @ p.T)
    out = num * _inverse(p.sum(axis=1))[None, :]
    return out if sp.issparse(M) else wrap(out)


def city_matrix(tables: Tables, home: str) -> pd.DataFrame:
    """Firm counts per city × link: the activity matrix for city-level relatedness.

    A firm counts once in a (city, link) cell however many plants it has there.

    * An operation with ``local = true`` (a plant in the home city) counts for
      the ``home`` row.
    * Any other operation counts for the firm's ``hq_city`` (plant locations
      outside the home city are not recorded, so the HQ stands in for them).
      Operations of firms without an ``hq_city`` are left out, and so are the
      non-local operations of firms headquartered in ``home``: the home row
      holds only what is physically in the home city.

    Parameters
    ----------
    tables : Tables
    home : str
        Name of the home city's row (``seeds/city.toml``); it is present even
        with no local plant.

    Returns
    -------
    DataFrame
        Rows = cities (sorted, index name ``city``), columns = every link of
        ``tables.links`` in its order (name ``link_id``), int64 counts.

    Examples
    --------
    >>> from chainmap.synth import synthetic_world
    >>> t = synthetic_world(n_chains=1, links_per_chain=6, n_firms=300, local_ops=20)
    >>> X = city_matrix(t, "甲市")  # synthetic_world's default home city
    >>> X.shape, int(X.loc["甲市"].sum()) <= 20, list(X.columns[:2])
    ((18, 6), True, ['c0_l000', 'c0_l001'])
    """
    ops = tables.operations
    hq = ops["firm_id"].map(tables.firms.set_index("id")["hq_city"]).fillna("").astype(str).str.strip()
    local = ops["local"].to_numpy(dtype=bool)
    keep = local | ((hq != "") & (hq != home)).to_numpy()
    cells = pd.DataFrame({"city": np.where(local, home, hq.to_numpy(dtype=object)),
                          "firm_id": ops["firm_id"].to_numpy(), "link_id": ops["link_id"].to_numpy()})[keep]
    counts = cells.drop_duplicates().groupby(["city", "link_id"]).size()
    cities = sorted(set(counts.index.get_level_values("city")) | {home})
    out = counts.unstack("link_id", fill_value=0).reindex(index=cities, columns=tables.links["id"], fill_value=0)
    out.index.name, out.columns.name = "city", "link_id"
    return out.astype(np.int64)


def firm_matrix(tables: Tables) -> sp.csr_matrix:
    """Binary firm × link matrix: 1 where the firm operates in the link (anywhere).

    Parameters
    ----------
    tables : Tables

    Returns
    -------
    scipy.sparse.csr_matrix, int64, shape (len(tables.firms), len(tables.links))
        Rows in ``tables.firms`` order, columns in ``tables.links`` order.

    Examples
    --------
    >>> from chainmap.synth import synthetic_world
    >>> t = synthetic_world(n_chains=1, links_per_chain=6, n_firms=300, local_ops=20)
    >>> F = firm_matrix(t)
    >>> F.shape, int(F.max())
    ((300, 6), 1)
    """
    ops = tables.operations
    r = pd.Index(tables.firms["id"]).get_indexer(ops["firm_id"])
    c = pd.Index(tables.links["id"]).get_indexer(ops["link_id"])
    ok = (r >= 0) & (c >= 0)
    m = sp.csr_matrix((np.ones(int(ok.sum()), dtype=np.int64), (r[ok], c[ok])),
                      shape=(len(tables.firms), len(tables.links)))
    m.data[:] = 1  # duplicates (several plants of a firm in a link) were summed
    return m


def link_space(tables: Tables, level: str = "firm", home: str = "",
               threshold: float = 1.0) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Proximity between links, the home city's presence and its density, in one pass.

    What :func:`link_density` computes, with the two intermediate results a
    reader needs to explain a density ("which present link makes this one
    feasible?").

    Parameters
    ----------
    tables : Tables
    level : {"firm", "city"}, default "firm"
        See :func:`link_density`.
    home : str, default ""
        The home city's name (``seeds/city.toml``); required at city level.
    threshold : float, default 1
        RCA threshold of presence (city level only).

    Returns
    -------
    phi : DataFrame, shape (n_links, n_links)
        Proximity (zero diagonal), indexed and labelled by link id in
        ``tables.links`` order.
    here : Series of float
        The home city's presence (0 or 1) in each link, named ``presence``.
    omega : Series of float
        The home city's density in [0, 1], named ``density``.
        All three indexed by link id (index name ``link_id``).

    References
    ----------
    C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann, "The product
    space conditions the development of nations", *Science* 317 (2007) 482–487.

    Examples
    --------
    >>> from chainmap.synth import synthetic_world
    >>> t = synthetic_world(n_chains=1, links_per_chain=6, n_firms=300, local_ops=20)
    >>> phi, here, omega = link_space(t)
    >>> phi.shape, float(phi.to_numpy().trace()), set(here.unique()) <= {0.0, 1.0}
    ((6, 6), 0.0, True)
    >>> bool((omega == link_density(t)).all())
    True
    """
    ids = pd.Index(tables.links["id"].to_numpy(), name="link_id")
    if level == "city":
        if not home:
            raise ValueError("level='city' needs the home city's name (home=..., from seeds/city.toml)")
        X = city_matrix(tables, home)
        M = presence(rca(X), threshold)
        phi = proximity(M)
        here = M.loc[home].astype(float)
        omega = density(M, phi).loc[home]
    elif level == "firm":
        phi = pd.DataFrame(proximity(firm_matrix(tables)), index=ids, columns=ids)
        ops = tables.operations
        local_links = ops.loc[ops["local"].to_numpy(dtype=bool), "link_id"]
        here = pd.Series(tables.links["id"].isin(local_links).to_numpy(dtype=float), index=ids)
        omega = pd.Series(density(here.to_numpy()[None, :], phi.to_numpy())[0], index=ids)
    else:
        raise ValueError(f"unknown level {level!r}; choose 'firm' or 'city'")
    phi = phi.reindex(index=ids, columns=ids, fill_value=0.0).astype(float)
    here = here.reindex(ids, fill_value=0.0).astype(float).rename("presence")
    omega = omega.reindex(ids, fill_value=0.0).astype(float).rename("density")
    phi.index.name = phi.columns.name = here.index.name = omega.index.name = "link_id"
    return phi, here, omega


def link_density(tables: Tables, level: str = "firm", home: str = "",
                 threshold: float = 1.0) -> pd.Series:
    """The home city's density around every link.

    Parameters
    ----------
    tables : Tables
    level : {"firm", "city"}, default "firm"
        ``"city"``: the Hidalgo et al. pipeline on :func:`city_matrix` — RCA,
        presence at ``threshold``, proximity from co-presence across cities,
        and the ``home`` row of the density. ``"firm"``: proximity from
        :func:`firm_matrix` (which firms are active in both links, the choice
        ``methods.md`` recommends at prefecture scale) and the home city's
        presence = links with at least one local plant (no RCA).
    home : str, default ""
        The home city's name (``seeds/city.toml``); required at city level.
    threshold : float, default 1
        RCA threshold of presence (city level only).

    Returns
    -------
    Series
        Density in [0, 1] indexed by link id (``tables.links`` order, index
        name ``link_id``), named ``density``.

    References
    ----------
    C. A. Hidalgo, B. Klinger, A.-L. Barabási and R. Hausmann, "The product
    space conditions the development of nations", *Science* 317 (2007) 482–487.

    Examples
    --------
    >>> from chainmap.synth import synthetic_world
    >>> t = synthetic_world(n_chains=1, links_per_chain=6, n_firms=300, local_ops=20)
    >>> d = link_density(t, level="firm")
    >>> d.index.name, len(d), bool(d.between(0, 1).all())
    ('link_id', 6, True)
    """
    return link_space(tables, level, home, threshold)[2]
