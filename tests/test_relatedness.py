"""RCA, proximity and density: hand-worked cases and a check against the Growth Lab's ``ecomplexity``."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chainmap.features.relatedness import (city_matrix, density, firm_matrix, link_density, link_space,
                                        presence, proximity, rca)
from chainmap.io.city import read_city
from chainmap.io.workspace import bundled_workspace
from chainmap.synth import synthetic_world

#: The bundled workspace's home city, as its settings name it (seeds/city.toml).
HOME_CITY = read_city(bundled_workspace()).name

# ----------------------------------------------------------------------------- RCA and presence


def test_rca_is_the_location_quotient_worked_by_hand():
    x = np.array([[4, 0, 2],
                  [2, 2, 0],
                  [0, 0, 0]])  # a row without activity
    # total 10; row sums 6, 4, 0; column sums 6, 2, 2.
    # RCA_rp = x_rp · total / (row_r · col_p):
    #   row 0: 4·10/(6·6) = 10/9, 0, 2·10/(6·2) = 5/3
    #   row 1: 2·10/(4·6) = 5/6, 2·10/(4·2) = 5/2, 0
    #   row 2: 0 everywhere (undefined → 0)
    expected = np.array([[10 / 9, 0, 5 / 3],
                         [5 / 6, 5 / 2, 0],
                         [0, 0, 0]])
    np.testing.assert_allclose(rca(x), expected)
    np.testing.assert_allclose(rca(sp.csr_matrix(x)).toarray(), expected)
    np.testing.assert_array_equal(presence(rca(x)), [[1, 0, 1], [0, 1, 0], [0, 0, 0]])
    np.testing.assert_array_equal(presence(rca(sp.csr_matrix(x))).toarray(), presence(rca(x)))


def test_rca_keeps_dataframe_labels_and_zero_columns():
    x = pd.DataFrame([[1, 0], [3, 0]], index=["深圳", "梅州"], columns=["pcb", "ccl"])
    out = rca(x)
    assert list(out.index) == ["深圳", "梅州"] and list(out.columns) == ["pcb", "ccl"]
    # column ccl has no activity: RCA 0, not NaN; pcb is everyone's only link: RCA 1.
    assert out.to_dict() == {"pcb": {"深圳": 1.0, "梅州": 1.0}, "ccl": {"深圳": 0.0, "梅州": 0.0}}


@pytest.mark.parametrize("bad", [[[1, -1]], [[1, np.nan]], [[np.inf, 1]]])
def test_rca_refuses_negative_or_missing_activity(bad):
    with pytest.raises(ValueError, match="non-negative"):
        rca(bad)


def test_presence_needs_a_positive_threshold():
    with pytest.raises(ValueError, match="positive"):
        presence([[1.0]], threshold=0)


# ----------------------------------------------------------------------------- proximity and density

M_HAND = np.array([[1, 1, 0],
                   [1, 0, 1],
                   [1, 1, 0],
                   [0, 0, 1]])
# Ubiquities k = (3, 2, 2). Co-occurrences: (0,1) rows 0 and 2 → 2; (0,2) row 1 → 1; (1,2) none.
# φ_01 = 2/max(3,2) = 2/3; φ_02 = 1/max(3,2) = 1/3; φ_12 = 0; diagonal pinned to 0.
PHI_HAND = np.array([[0, 2 / 3, 1 / 3],
                     [2 / 3, 0, 0],
                     [1 / 3, 0, 0]])
# Row sums Σ_q φ_pq = (1, 2/3, 1/3). ω_rp = Σ_q M_rq φ_pq / Σ_q φ_pq:
#   row 0 (links 0, 1): ω_0 = (2/3)/1, ω_1 = (2/3)/(2/3) = 1, ω_2 = (1/3)/(1/3) = 1
#   row 1 (links 0, 2): ω_0 = (1/3)/1, ω_1 = (2/3)/(2/3) = 1, ω_2 = (1/3)/(1/3) = 1
#   row 2 = row 0
#   row 3 (link 2):     ω_0 = (1/3)/1, ω_1 = 0, ω_2 = φ_22 = 0 (its own presence does not count)
OMEGA_HAND = np.array([[2 / 3, 1, 1],
                       [1 / 3, 1, 1],
                       [2 / 3, 1, 1],
                       [1 / 3, 0, 0]])


def test_proximity_worked_by_hand_with_zero_diagonal():
    phi = proximity(M_HAND)
    np.testing.assert_allclose(phi, PHI_HAND)
    assert np.all(np.diag(phi) == 0)
    np.testing.assert_allclose(phi, phi.T)
    np.testing.assert_allclose(proximity(sp.csr_matrix(M_HAND)), PHI_HAND)
    # any positive entry counts as present
    np.testing.assert_allclose(proximity(M_HAND * 7), PHI_HAND)


def test_proximity_of_a_link_present_nowhere_is_zero():
    phi = proximity([[1, 0], [1, 0]])
    np.testing.assert_array_equal(phi, [[0, 0], [0, 0]])


def test_density_worked_by_hand():
    np.testing.assert_allclose(density(M_HAND, PHI_HAND), OMEGA_HAND)
    np.testing.assert_allclose(density(sp.csr_matrix(M_HAND), PHI_HAND), OMEGA_HAND)


def test_density_is_zero_for_a_link_related_to_nothing():
    np.testing.assert_array_equal(density([[1, 1]], np.zeros((2, 2))), [[0, 0]])


def test_density_aligns_dataframes_on_link_labels():
    links = ["pcb", "ccl", "copper_foil"]
    M = pd.DataFrame(M_HAND, columns=links, index=["深圳", "梅州", "苏州", "清远"])
    phi = proximity(M)
    assert list(phi.index) == links and list(phi.columns) == links
    shuffled = phi.loc[links[::-1], links[::-1]]
    out = density(M, shuffled)
    np.testing.assert_allclose(out.to_numpy(), OMEGA_HAND)
    assert list(out.columns) == links and out.index[3] == "清远"


def test_density_refuses_a_proximity_of_the_wrong_shape():
    with pytest.raises(ValueError, match="3 × 3"):
        density(M_HAND, np.zeros((2, 2)))


@settings(max_examples=50, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 12), st.integers(1, 8)), elements=st.integers(0, 1)))
def test_proximity_and_density_stay_in_range(M):
    phi = proximity(M)
    assert np.all((phi >= 0) & (phi <= 1)) and np.all(np.diag(phi) == 0)
    np.testing.assert_allclose(phi, phi.T)
    omega = density(M, phi)
    assert omega.shape == M.shape and np.all((omega >= -1e-12) & (omega <= 1 + 1e-12))


# ----------------------------------------------------------------------------- matrices over Tables

LINKS4 = ["pcb", "ccl", "copper_foil", "e_glass_yarn"]


@pytest.fixture()
def tiny(bundled):
    """Six firms on four real links of the electronics chain, real cities."""
    firms = pd.DataFrame({
        "id": ["A", "B", "C", "D", "K", "Q"],
        "hq_city": ["深圳", "深圳", "梅州", "苏州", "", "清远"],
    })
    ops = pd.DataFrame([
        ("A", "pcb", False, ""), ("A", "ccl", False, ""),
        ("B", "pcb", False, ""),
        ("C", "copper_foil", False, ""), ("C", "ccl", False, ""), ("C", "pcb", False, ""),
        ("D", "e_glass_yarn", False, ""),
        ("K", "ccl", True, "清远一厂"), ("K", "ccl", True, "清远二厂"),  # two plants: one firm
        ("K", "e_glass_yarn", True, "清远一厂"),
        ("K", "e_glass_yarn", False, ""),  # no HQ city: left out of the city matrix
        ("Q", "copper_foil", False, ""),  # HQ in the home city, plant elsewhere: left out
    ], columns=["firm_id", "link_id", "local", "entity"])
    links = bundled.links.set_index("id").loc[LINKS4].reset_index()
    return bundled.replace(firms=firms, operations=ops, links=links)


def test_city_matrix_counts_firms_per_city_and_link(tiny):
    X = city_matrix(tiny, HOME_CITY)
    assert list(X.columns) == LINKS4 and X.index.name == "city"
    expected = pd.DataFrame([[1, 1, 1, 0],   # 梅州: C
                             [2, 1, 0, 0],   # 深圳: A, B
                             [0, 1, 0, 1],   # 清远: K's local plants (two ccl plants count once)
                             [0, 0, 0, 1]],  # 苏州: D
                            index=["梅州", "深圳", "清远", "苏州"], columns=LINKS4)
    pd.testing.assert_frame_equal(X.loc[expected.index], expected, check_names=False)
    assert sorted(X.index) == sorted(expected.index)


def test_city_level_density_worked_by_hand(tiny):
    # From the city matrix above: total 9, row sums 梅州 3, 深圳 3, 清远 2, 苏州 1;
    # column sums pcb 3, ccl 3, copper_foil 1, e_glass_yarn 2. RCA = x·9/(row·col):
    #   梅州 (1, 1, 3, 0), 深圳 (2, 1, 0, 0), 清远 (0, 1.5, 0, 2.25), 苏州 (0, 0, 0, 4.5)
    # M (RCA ≥ 1): 梅州 {pcb, ccl, cf}, 深圳 {pcb, ccl}, 清远 {ccl, egy}, 苏州 {egy}
    # k = (pcb 2, ccl 3, cf 1, egy 2); co-presence: pcb–ccl 2, pcb–cf 1, ccl–cf 1, ccl–egy 1.
    # φ: pcb–ccl 2/3, pcb–cf 1/2, ccl–cf 1/3, ccl–egy 1/3, the rest 0.
    # Row sums: pcb 7/6, ccl 4/3, cf 5/6, egy 1/3. 清远 holds ccl and egy:
    #   pcb (2/3 + 0)/(7/6) = 4/7; ccl (0 + 1/3)/(4/3) = 1/4; cf (1/3 + 0)/(5/6) = 2/5; egy (1/3)/(1/3) = 1
    X = city_matrix(tiny, HOME_CITY)
    np.testing.assert_allclose(rca(X).loc["清远"], [0, 1.5, 0, 2.25])
    d = link_density(tiny, level="city", home=HOME_CITY)
    assert d.name == "density" and d.index.name == "link_id" and list(d.index) == LINKS4
    np.testing.assert_allclose(d.to_numpy(), [4 / 7, 1 / 4, 2 / 5, 1])


def test_firm_level_density_worked_by_hand(tiny):
    # Firms (any location): A {pcb, ccl}, B {pcb}, C {cf, ccl, pcb}, D {egy}, K {ccl, egy}, Q {cf}
    # k = (pcb 3, ccl 3, cf 2, egy 2); co-occurrence: pcb–ccl 2 (A, C), pcb–cf 1 (C), ccl–cf 1 (C),
    # ccl–egy 1 (K). φ = C / max(k_p, k_q): pcb–ccl 2/3, pcb–cf 1/3, ccl–cf 1/3, ccl–egy 1/3, the rest 0.
    # Row sums: pcb 1, ccl 4/3, cf 2/3, egy 1/3. Home presence = local plants: {ccl, egy}.
    #   pcb (2/3)/1 = 2/3; ccl (1/3)/(4/3) = 1/4; cf (1/3)/(2/3) = 1/2; egy (1/3)/(1/3) = 1
    F = firm_matrix(tiny)
    assert sp.issparse(F) and F.shape == (6, 4) and F.max() == 1
    np.testing.assert_array_equal(F.toarray()[4], [0, 1, 0, 1])  # K: two ccl plants, one entry
    d = link_density(tiny, level="firm")
    np.testing.assert_allclose(d.to_numpy(), [2 / 3, 1 / 4, 1 / 2, 1])


def test_link_density_rejects_an_unknown_level(tiny):
    with pytest.raises(ValueError, match="'firm' or 'city'"):
        link_density(tiny, level="province")


def test_link_density_covers_every_link_of_the_bundled_workspace(bundled):
    for level in ("city", "firm"):
        d = link_density(bundled, level=level, home=HOME_CITY)
        assert list(d.index) == list(bundled.links["id"])
        assert d.between(0, 1).all()
    # a link with a local plant but related to nothing else still has a defined density
    assert not link_density(bundled, level="firm").isna().any()


# ----------------------------------------------------------------------------- against ecomplexity


def _ecomplexity():
    try:
        import ecomplexity
    except ImportError:  # pragma: no cover - the dev extra installs it
        why = "ecomplexity is not installed (pip install ecomplexity==0.5.3, in the dev extra)"
        if os.environ.get("CI"):
            pytest.fail("CI must run the ecomplexity cross-check: " + why)
        pytest.skip(why)
    return ecomplexity


def _worlds(bundled):
    yield "bundled", bundled
    yield "synthetic", synthetic_world(n_chains=2, links_per_chain=10, n_firms=600, local_ops=40, seed=3)


@pytest.mark.filterwarnings("ignore")  # ecomplexity warns about ECI/PCI on tiny worlds; not what is checked
@pytest.mark.parametrize("world", ["bundled", "synthetic"])
def test_city_density_agrees_with_ecomplexity(bundled, world, capsys):
    """Same (time, location, product, value) rows through both implementations.

    How the definitions are aligned:

    * ``ecomplexity`` drops locations and products with zero total value; we compare on the
      cells it returns (our extra all-zero link columns get RCA 0 and density 0).
    * RCA and M_cp: same formula and threshold (≥ 1); compared directly.
    * Proximity: ``ecomplexity`` computes ``min(C_pq / k_q, C_pq / k_p)`` = ``C_pq / max(k_p, k_q)``,
      the same off the diagonal, but keeps φ_pp = 1. We compare off-diagonal entries directly.
    * Density, textbook diagonal: its plain density (``knn=None``; the kNN path sums RCA instead
      of weighted proximity) equals ours computed with φ_pp = 1 restored.
    * Density, our diagonal: its own proximity with the diagonal zeroed, passed back through its
      ``proximity_edgelist`` argument, must give our :func:`link_density` numbers. A link that is
      then related to nothing (Σ_q φ_pq = 0) gets NaN from it (0/0) and 0 from us.
    """
    ec = _ecomplexity()
    tables = dict(_worlds(bundled))[world]
    X = city_matrix(tables, HOME_CITY)
    rows = (X.stack().rename("value").reset_index().query("value > 0")
            .assign(year=2025)[["year", "city", "link_id", "value"]])
    assert X.loc[HOME_CITY].sum() > 0 and rows["city"].nunique() >= 10
    cols = {"time": "year", "loc": "city", "prod": "link_id", "val": "value"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ec.ecomplexity(rows, cols, check_logsupermodularity=False, verbose=False)
        their_phi = ec.proximity(rows, cols)
    capsys.readouterr()  # ec.proximity prints the year
    theirs = theirs.set_index(["city", "link_id"])
    kept_cities = theirs.index.get_level_values("city").unique()
    kept_links = theirs.index.get_level_values("link_id").unique()

    def ours_at(frame: pd.DataFrame) -> np.ndarray:
        return frame.stack().reindex(theirs.index).to_numpy(dtype=float)

    R = rca(X)
    M = presence(R)
    phi = proximity(M)
    assert np.abs(ours_at(R) - theirs["rca"].to_numpy()).max() < 1e-9
    assert (ours_at(M) == theirs["mcp"].to_numpy()).all()

    their_phi = their_phi.pivot(index="link_id_1", columns="link_id_2", values="proximity")
    off = ~np.eye(len(kept_links), dtype=bool)
    diff_phi = np.abs(phi.loc[kept_links, kept_links].to_numpy() - their_phi.loc[kept_links, kept_links].to_numpy())
    assert diff_phi[off].max() < 1e-12
    assert np.allclose(np.diag(their_phi.loc[kept_links, kept_links]), 1.0)  # their convention

    # (1) textbook diagonal φ_pp = 1 (for links present somewhere) against their plain density
    k = M.sum(axis=0).to_numpy()
    phi_textbook = phi + np.diag((k > 0).astype(float))
    diff_textbook = np.abs(ours_at(density(M, phi_textbook)) - theirs["density"].to_numpy()).max()
    assert diff_textbook < 1e-12

    # (2) our zero diagonal: their proximity, diagonal zeroed, through their own density code
    edges = their_phi.stack().rename("proximity").rename_axis(["prod1", "prod2"]).reset_index()
    edges.loc[edges["prod1"] == edges["prod2"], "proximity"] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs0 = ec.ecomplexity(rows, cols, proximity_edgelist=edges, check_logsupermodularity=False,
                                 verbose=False).set_index(["city", "link_id"])
    # A link related to nothing once φ_pp = 0 (Σ_q φ_pq = 0) gets 0/0 = NaN there and 0 here.
    isolated = phi.sum(axis=1).pipe(lambda s: s[s == 0].index)
    nan = theirs0["density"].isna().to_numpy()
    assert set(theirs0.index[nan].get_level_values("link_id")) == set(isolated.intersection(kept_links))
    ours0 = density(M, phi).stack().reindex(theirs0.index).to_numpy()
    assert (ours0[nan] == 0).all()
    diff_zero = np.abs(ours0[~nan] - theirs0["density"].to_numpy()[~nan]).max()
    assert diff_zero < 1e-12
    home = theirs0.xs(HOME_CITY, level="city")["density"].fillna(0.0)
    np.testing.assert_allclose(link_density(tables, level="city", home=HOME_CITY).loc[home.index], home, atol=1e-12)
    assert len(kept_cities) == len(X.index[X.sum(axis=1) > 0])
    print(f"[{world}] max |Δ| rca/phi/density(φ_pp=1)/density(φ_pp=0): "
          f"{np.abs(ours_at(R) - theirs['rca'].to_numpy()).max():.2e} {diff_phi[off].max():.2e} "
          f"{diff_textbook:.2e} {diff_zero:.2e}")


def test_link_space_returns_the_proximity_and_presence_behind_the_density(tiny):
    # Firm level on the tiny world (see test_firm_level_density_worked_by_hand): 清远 holds ccl and egy.
    phi, here, omega = link_space(tiny, level="firm")
    assert list(phi.index) == list(phi.columns) == LINKS4 and (np.diag(phi) == 0).all()
    np.testing.assert_allclose(phi.loc["pcb", "ccl"], 2 / 3)
    assert here.to_dict() == {"pcb": 0.0, "ccl": 1.0, "copper_foil": 0.0, "e_glass_yarn": 1.0}
    pd.testing.assert_series_equal(omega, link_density(tiny, level="firm"))
    # City level: presence is RCA ≥ 1 of the home row (ccl 1.5, egy 2.25)
    phi_c, here_c, omega_c = link_space(tiny, level="city", home=HOME_CITY)
    assert here_c.to_dict() == {"pcb": 0.0, "ccl": 1.0, "copper_foil": 0.0, "e_glass_yarn": 1.0}
    np.testing.assert_allclose(omega_c.to_numpy(), [4 / 7, 1 / 4, 2 / 5, 1])
    np.testing.assert_allclose(phi_c.loc["pcb", "copper_foil"], 1 / 2)
