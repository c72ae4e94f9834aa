"""LinkClassifier: products text → calibrated link probabilities; evaluation; the inferred fit block."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from chainmap.features.classifier import (DroppedClassesWarning, LinkClassifier, capped_sample, evaluate, inferred_fit,
                                       training_data)

# Realistic 主营产品 texts of the kind the library holds, on real link ids of the three chains.
LIBRARY = [
    ("高端电子铜箔、锂电铜箔", "copper_foil"),
    ("电解铜箔", "copper_foil"),
    ("高精度电子铜箔", "copper_foil"),
    ("极薄铜箔、HVLP铜箔", "copper_foil"),
    ("覆铜板、粘结片", "ccl"),
    ("高频高速覆铜板", "ccl"),
    ("挠性覆铜板、半固化片", "ccl"),
    ("覆铜板(CCL)", "ccl"),
    ("电动自行车、电动摩托车", "vehicle"),
    ("电动两轮车", "vehicle"),
    ("电动轻便摩托车、电动三轮车", "vehicle"),
    ("电踏车整车", "vehicle"),
    ("三元前驱体", "precursor"),
    ("三元前驱体、四氧化三钴", "precursor"),
    ("NCM前驱体、磷酸铁", "precursor"),
    ("印制电路板", "pcb"),
    ("HDI、刚挠结合板", "pcb"),
    ("多层PCB", "pcb"),
    ("高多层线路板", "pcb"),
    ("锂离子电池", "li_cell"),
    ("动力电池、储能电池", "li_cell"),
    ("圆柱锂电芯(18650/21700)", "li_cell"),
]
MULTI = ("高精度电子铜箔、覆铜板、印制电路板", ("copper_foil", "ccl", "pcb"))


@pytest.fixture(scope="module")
def fitted():
    texts = [t for t, _ in LIBRARY] + [MULTI[0]]
    labels = [link for _, link in LIBRARY] + [MULTI[1]]
    return LinkClassifier().fit(texts, labels)


def test_fit_returns_self_and_learns_every_link(fitted):
    assert list(fitted.classes_) == sorted({link for _, link in LIBRARY})
    assert fitted.dropped_classes_ == {}
    assert fitted.n_train_ == len(LIBRARY) + 1
    assert fitted.class_counts_["copper_foil"] == 5  # four texts plus the multi-link firm


@pytest.mark.parametrize("text, link", [
    ("锂电铜箔", "copper_foil"),
    ("PCB铜箔、RTF铜箔", "copper_foil"),
    ("高速覆铜板", "ccl"),
    ("电动摩托车", "vehicle"),
    ("高镍三元前驱体", "precursor"),
    ("HDI板、高多层板", "pcb"),
    ("轻型车锂电池电芯", "li_cell"),
])
def test_unseen_texts_go_to_their_link(fitted, text, link):
    p = fitted.predict_proba([text])
    assert p.idxmax(axis=1).iat[0] == link


def test_probabilities_have_a_sane_shape(fitted):
    texts = pd.Series(["覆铜板", "电动自行车", "完全无关的餐饮服务"], index=["f1", "f2", "f3"])
    p = fitted.predict_proba(texts)
    assert p.shape == (3, len(fitted.classes_))
    assert list(p.index) == ["f1", "f2", "f3"] and p.columns.name == "link_id"
    assert list(p.columns) == list(fitted.classes_)
    values = p.to_numpy()
    assert np.all((values >= 0) & (values <= 1))
    # one-vs-rest: rows are not normalised, but a clear text has one dominant link
    assert p.loc["f1"].max() > 0.5 and p.loc["f1"].drop("ccl").max() < p.loc["f1", "ccl"]
    # an unrelated text is confidently nothing
    assert p.loc["f3"].max() < p.loc["f1"].max()
    assert fitted.predict_proba([]).shape == (0, len(fitted.classes_))


def test_a_firm_in_several_links_gets_all_of_them(fitted):
    p = fitted.predict_proba(["电子铜箔、覆铜板、印制电路板"]).iloc[0]
    assert set(p.nlargest(3).index) == set(MULTI[1])
    assert p.sum() > 1  # several links at once: not a distribution over links


def test_predict_keeps_the_most_probable_link_at_least(fitted):
    out = fitted.predict(["覆铜板", "完全无关的餐饮服务"], threshold=0.99)
    assert out.iat[0] == ("ccl",) and len(out.iat[1]) == 1
    assert all(isinstance(v, tuple) for v in fitted.predict(["电动自行车"], threshold=0.0))


def test_training_is_deterministic():
    texts, labels = zip(*LIBRARY)
    a = LinkClassifier().fit(texts, labels).predict_proba(["覆铜板", "三元前驱体"])
    b = LinkClassifier().fit(texts, labels).predict_proba(["覆铜板", "三元前驱体"])
    pd.testing.assert_frame_equal(a, b)


def test_follows_scikit_learn_conventions():
    clf = LinkClassifier(C=2.0, ngram_range=(1, 2))
    assert clf.get_params()["C"] == 2.0
    assert clone(clf).get_params() == clf.get_params()
    assert not hasattr(clf, "classes_")
    with pytest.raises(NotFittedError):
        clf.predict_proba(["覆铜板"])


# ----------------------------------------------------------------------------- refusing to learn


def test_refuses_a_single_link_with_a_clear_message():
    with pytest.raises(ValueError) as e:
        LinkClassifier().fit(["覆铜板", "高频高速覆铜板", "覆铜板、粘结片"], ["ccl"] * 3)
    msg = str(e.value)
    assert "found 3 labelled texts over 1 links" in msg
    assert "min_per_class=3" in msg and "need at least 2" in msg and "ccl 3" in msg


def test_refuses_links_with_too_few_examples_each():
    with pytest.raises(ValueError, match=r"found 4 labelled texts over 2 links, of which 0 have at least"):
        LinkClassifier().fit(["覆铜板", "粘结片", "电动自行车", "电动摩托车"], ["ccl", "ccl", "vehicle", "vehicle"])


def test_refuses_when_there_is_nothing_labelled():
    with pytest.raises(ValueError, match="found 0 labelled texts over 0 links"):
        LinkClassifier().fit(["覆铜板", ""], [None, "ccl"])  # the labelled text is empty


def test_drops_rare_links_with_a_warning():
    texts, labels = zip(*LIBRARY)
    with pytest.warns(DroppedClassesWarning, match="1 links have fewer than 3.*tyres"):
        clf = LinkClassifier().fit([*texts, "电动车轮胎"], [*labels, "tyres"])
    assert clf.dropped_classes_ == {"tyres": 1}
    assert "tyres" not in clf.classes_


def test_rejects_inconsistent_input():
    with pytest.raises(ValueError, match="differ in length: 2 texts, 1 labels"):
        LinkClassifier().fit(["覆铜板", "铜箔"], ["ccl"])
    with pytest.raises(ValueError, match="cv ≤ min_per_class"):
        LinkClassifier(cv=5, min_per_class=3).fit(*zip(*LIBRARY))
    with pytest.raises(TypeError, match="not one string"):
        LinkClassifier().fit("覆铜板", ["ccl"])


# ----------------------------------------------------------------------------- on the bundled library


def test_training_data_is_the_labelled_library(bundled):
    data = training_data(bundled)
    assert list(data.columns) == ["firm_id", "text", "links"]
    assert data["firm_id"].is_unique and (data["text"] != "").all()
    assert data.set_index("firm_id").loc["chaohua", "links"] == ("ccl", "copper_foil", "pcb")
    linked = set(bundled.operations["firm_id"])
    assert set(data["firm_id"]) <= linked
    assert "tencent" not in set(data["firm_id"])  # no known operation
    assert all(tuple(sorted(s)) == s for s in data["links"])
    more = training_data(bundled, keywords=True)
    extra = more[more["firm_id"] == ""]
    assert len(more) == len(data) + len(extra) and ("覆铜板", ("ccl",)) in set(zip(extra["text"], extra["links"]))


def test_held_out_macro_f1_beats_the_majority_class(bundled, capsys):
    r = evaluate(bundled, test_size=0.25, seed=0)
    assert set(r) >= {"macro_f1", "per_class_f1", "n_train", "n_test", "classes", "baseline_macro_f1"}
    assert r["n_train"] + r["n_test"] <= len(training_data(bundled))
    assert r["n_test"] >= 10 and len(r["classes"]) >= 5
    assert set(r["per_class_f1"]) <= set(r["classes"])
    assert 0 <= r["baseline_macro_f1"] < r["macro_f1"] <= 1
    with capsys.disabled():
        print(f"\n[bundled library] held-out macro-F1 {r['macro_f1']:.3f} (majority-class baseline "
              f"{r['baseline_macro_f1']:.3f}, link {r['baseline_link']}); micro-F1 {r['micro_f1']:.3f}; "
              f"{r['n_train']} train / {r['n_test']} test firms; {len(r['classes'])} links learned, "
              f"{len(r['dropped_classes'])} dropped")


def test_inferred_fit_fills_only_firms_without_known_links(bundled):
    new = pd.DataFrame({"id": ["zz_foil", "zz_blank"], "name_zh": ["某铜箔公司", "某空白公司"],
                        "hq_city": ["赣州", "赣州"], "products": ["高端电子铜箔、锂电铜箔", ""]})
    tables = bundled.replace(firms=pd.concat([bundled.firms, new], ignore_index=True))
    data = training_data(tables)
    with pytest.warns(DroppedClassesWarning):
        clf = LinkClassifier().fit(data["text"], data["links"])
    fit = inferred_fit(tables, clf, threshold=0.3)
    assert sp.issparse(fit) and fit.format == "csr"
    assert fit.shape == (len(tables.firms), len(tables.links))
    firms = tables.firms["id"]
    filled = set(firms.iloc[np.unique(fit.nonzero()[0])])
    linked = set(tables.operations["firm_id"])
    assert filled and not filled & linked
    assert "zz_foil" in filled and "zz_blank" not in filled
    row = fit[firms.tolist().index("zz_foil")].toarray().ravel()
    assert tables.links["id"].iat[row.argmax()] == "copper_foil"
    assert fit.data.min() >= 0.3 and fit.data.max() <= 1
    # a higher threshold keeps a subset
    high = inferred_fit(tables, clf, threshold=0.9)
    assert high.nnz <= fit.nnz and (high.multiply(fit) != 0).sum() == high.nnz


def test_stacked_prediction_equals_scikit_learns(fitted):
    texts = ["覆铜板", "电动自行车", "完全无关的餐饮服务", "高精度电子铜箔、覆铜板、印制电路板", "HDI板"]
    X = fitted.vectorizer_.transform(texts)
    assert fitted.stacked_ is not None
    # float32 features and coefficients: the two sum in a different order, so agree to float32 precision
    np.testing.assert_allclose(fitted._proba(X, chunk=2), fitted.model_.predict_proba(X), rtol=0, atol=1e-6)


def test_capped_sample_keeps_every_link_within_the_cap():
    rows = [("pcb",)] * 900 + [("ccl", "pcb")] * 90 + [("copper_foil",)] * 10 + [("vehicle",)] * 2
    keep = capped_sample(rows, cap=100, seed=1)
    assert len(keep) <= 100 and len(set(keep)) == len(keep) and list(keep) == sorted(keep)
    kept = {link for i in keep for link in rows[i]}
    assert kept == {"pcb", "ccl", "copper_foil", "vehicle"}
    assert sum(rows[i] == ("vehicle",) for i in keep) == 2 and sum(rows[i] == ("copper_foil",) for i in keep) == 10
    np.testing.assert_array_equal(keep, capped_sample(rows, cap=100, seed=1))  # deterministic
    np.testing.assert_array_equal(capped_sample(rows[:50], cap=100), np.arange(50))  # under the cap: all


def test_fits_on_the_same_labelled_firms_share_one_classifier_and_place_alike(bundled):
    """A backtest's snapshots often hold the same labelled firms: one classifier serves them, placing exactly as
    a fresh fit does; a changed products text of a labelled firm trains another."""
    from chainmap.features import classifier as C
    from chainmap.scoring import TargetScorer

    a, b = TargetScorer().fit(bundled), TargetScorer().fit(bundled)
    assert a.classifier_ is b.classifier_
    shared = a.classifier_
    C._FITS.clear()
    fresh = TargetScorer().fit(bundled)
    assert fresh.classifier_ is not shared
    assert (fresh.inferred_proba_ != a.inferred_proba_).nnz == 0 and (fresh.fit_ != a.fit_).nnz == 0
    labelled = bundled.operations["firm_id"].iloc[0]
    firms = bundled.firms.copy()
    firms.loc[firms["id"] == labelled, "products"] += "、高端铜箔"
    assert TargetScorer().fit(bundled.replace(firms=firms)).classifier_ is not fresh.classifier_
