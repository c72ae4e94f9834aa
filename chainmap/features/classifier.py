"""Which links a firm operates in, learned from its products text (主营产品).

:class:`LinkClassifier` turns a firm's products text into a calibrated
probability for every link it was trained on. The target scorer
(:class:`chainmap.scoring.TargetScorer`) uses it to place firms whose links are
not known, in place of the keyword match (``_keyword_fit`` in
:mod:`chainmap.scoring.engine`, kept as the fallback): :func:`inferred_fit`
gives the sparse firm × link block of those probabilities, and
:func:`capped_sample` bounds the training set of a national library.

Model
-----
* **Features**: TF-IDF of character 1–3-grams (``analyzer="char_wb"``) with
  sublinear term frequency. Chinese has no spaces, so the text is first
  normalised: ASCII is lower-cased (``PCB`` = ``pcb``) and punctuation
  (``、，,/()（）``) becomes a space, which keeps n-grams inside one product
  name (``char_wb`` does not cross spaces).
* **Labels are multi-label, one-vs-rest.** A firm often operates in several
  links (超华: 电子铜箔, 覆铜板 and 印制电路板), and none of them is marked as
  its main one, so each link gets its own binary model: "does a firm with
  this text operate in link p?". Probabilities are therefore per link in
  [0, 1] and a row does **not** sum to 1 — which is what a fit matrix needs
  (a firm can fit several links fully).
* **Each binary model** is a logistic regression (L2, ``C``) wrapped in
  :class:`~sklearn.calibration.CalibratedClassifierCV` (Platt/sigmoid
  calibration on ``cv`` stratified folds, the fold models averaged), so that
  a probability of 0.8 aims to mean that about 80 % of such texts are in the
  link. With a handful of examples per link (the bundled library) the
  calibration is coarse: read the numbers as ranks with a sensible scale.
* **Too few labels are refused.** A link needs ``min_per_class`` labelled
  texts (at least ``cv``, so every calibration fold holds a positive); links
  with fewer are dropped with a :class:`DroppedClassesWarning` and listed in
  ``dropped_classes_``. Fewer than 2 remaining links is a ``ValueError``
  saying how many texts and links were found and what is needed.
* **Texts of dropped links stay, as negatives.** A firm known to make only
  环氧树脂 (a link too rare to learn) still says "this text is not 覆铜板";
  without such texts every learned model sees only the other learned links
  as negatives, and an unrelated text gets base-rate probabilities instead of
  low ones.

References
----------
J. Platt, "Probabilistic outputs for support vector machines and comparisons
to regularized likelihood methods", in *Advances in Large Margin Classifiers*,
MIT Press, 1999, 61–74.

A. Niculescu-Mizil and R. Caruana, "Predicting good probabilities with
supervised learning", *ICML* 2005, 625–632.

F. Pedregosa et al., "Scikit-learn: machine learning in Python", *JMLR* 12
(2011) 2825–2830.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .._memo import Memo
from ..model import Tables

__all__ = ["LinkClassifier", "DroppedClassesWarning", "training_data", "evaluate", "inferred_fit",
           "capped_sample", "firm_texts", "shared_fit"]

_PUNCT = re.compile(r"[\W_]+")


class DroppedClassesWarning(UserWarning):
    """Some links had too few labelled texts to be learned and were left out."""


def normalise_text(text: str) -> str:
    """Lower-case ASCII and turn punctuation into single spaces.

    >>> normalise_text("高端电子铜箔、锂电铜箔(PCB用)")
    '高端电子铜箔 锂电铜箔 pcb用 '
    """
    return _PUNCT.sub(" ", text.lower())


def _label_sets(labels: Iterable) -> list[tuple[str, ...]]:
    """Each label as a tuple of link ids: a plain string is one link."""
    out = []
    for lab in labels:
        if isinstance(lab, str):
            out.append((lab,) if lab else ())
        elif lab is None or (isinstance(lab, float) and np.isnan(lab)):
            out.append(())
        else:
            out.append(tuple(dict.fromkeys(str(x) for x in lab if x)))
    return out


def _texts(texts) -> pd.Series:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of strings, not one string")
    s = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    return s.fillna("").astype(str)


class LinkClassifier(BaseEstimator):
    """Calibrated probabilities of the links a products text belongs to.

    Multi-label, one-vs-rest: see the module docstring for the model and why.

    Parameters
    ----------
    ngram_range : tuple of int, default (1, 3)
        Character n-gram lengths of the TF-IDF features.
    analyzer : {"char_wb", "char"}, default "char_wb"
        ``char_wb`` keeps n-grams inside space-separated words (after
        punctuation became spaces); ``char`` lets them run across.
    C : float, default 1.0
        Inverse L2 regularisation of each logistic regression.
    min_per_class : int, default 3
        Labelled texts a link needs to be learned; must be ≥ ``cv``.
    cv : int, default 3
        Folds of the sigmoid calibration.
    max_features : int or None, default None
        Cap on the TF-IDF vocabulary (most frequent n-grams).
    n_jobs : int or None, default None
        Links fitted in parallel (joblib).

    Attributes
    ----------
    classes_ : ndarray of str
        Link ids learned, in column order of :meth:`predict_proba`.
    dropped_classes_ : dict
        Link id → number of labelled texts, for links left out (fewer than
        ``min_per_class``).
    class_counts_ : dict
        Link id → number of training texts, for the learned links.
    n_train_ : int
        Texts used: every labelled text, those of dropped links as negatives only.
    vectorizer_ : TfidfVectorizer
    binarizer_ : MultiLabelBinarizer
    model_ : OneVsRestClassifier
        One calibrated logistic regression per link.
    stacked_ : tuple or None
        The fold models of ``model_`` stacked for prediction in one product
        (coefficients, intercepts, Platt ``a`` and ``b``, folds).

    Examples
    --------
    >>> texts = ["高端电子铜箔", "锂电铜箔", "电解铜箔、PCB铜箔",
    ...          "覆铜板、粘结片", "高频高速覆铜板", "覆铜板",
    ...          "电动自行车、电动摩托车", "电动两轮车", "电动自行车"]
    >>> labels = ["copper_foil"] * 3 + ["ccl"] * 3 + ["vehicle"] * 3
    >>> clf = LinkClassifier().fit(texts, labels)
    >>> list(clf.classes_)
    ['ccl', 'copper_foil', 'vehicle']
    >>> p = clf.predict_proba(["极薄铜箔", "电动摩托车"])
    >>> p.idxmax(axis=1).tolist()
    ['copper_foil', 'vehicle']
    >>> clf.predict(["高端覆铜板"]).tolist()
    [('ccl',)]
    """

    def __init__(self, ngram_range: tuple[int, int] = (1, 3), analyzer: str = "char_wb", C: float = 1.0,
                 min_per_class: int = 3, cv: int = 3, max_features: int | None = None, n_jobs: int | None = None):
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.C = C
        self.min_per_class = min_per_class
        self.cv = cv
        self.max_features = max_features
        self.n_jobs = n_jobs

    def fit(self, texts: Sequence[str], labels: Sequence) -> "LinkClassifier":
        """Learn from products texts and the link(s) of each.

        Parameters
        ----------
        texts : sequence of str
            One products text per firm (or any document).
        labels : sequence
            For each text, a link id or a collection of link ids (a firm in
            several links). Texts with no label are ignored.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            If ``texts`` and ``labels`` differ in length, if ``cv`` exceeds
            ``min_per_class``, or if fewer than 2 links have
            ``min_per_class`` labelled texts each.

        Warns
        -----
        DroppedClassesWarning
            Links with fewer than ``min_per_class`` texts were left out.
        """
        if self.cv < 2 or self.min_per_class < self.cv:
            raise ValueError(f"need 2 ≤ cv ≤ min_per_class (each calibration fold needs a positive); "
                             f"got cv={self.cv}, min_per_class={self.min_per_class}")
        x = _texts(texts)
        sets = _label_sets(labels)
        if len(sets) != len(x):
            raise ValueError(f"texts and labels differ in length: {len(x)} texts, {len(sets)} labels")
        has_text = x.str.strip().ne("").to_numpy()
        sets = [s if t else () for s, t in zip(sets, has_text)]
        counts = pd.Series([link for s in sets for link in s], dtype=object).value_counts()
        n_labelled = sum(1 for s in sets if s)
        keep = counts[counts >= self.min_per_class]
        if len(keep) < 2:
            raise ValueError(
                f"too few labels to train a LinkClassifier: found {n_labelled} labelled texts over "
                f"{len(counts)} links, of which {len(keep)} have at least min_per_class="
                f"{self.min_per_class} texts; need at least 2 such links"
                + (f" (counts: {', '.join(f'{k} {v}' for k, v in counts.head(10).items())})" if len(counts) else ""))
        dropped = counts[counts < self.min_per_class]
        self.dropped_classes_ = {str(k): int(v) for k, v in dropped.sort_index().items()}
        if len(dropped):
            warnings.warn(f"{len(dropped)} links have fewer than {self.min_per_class} labelled texts and are "
                          f"not learned: {', '.join(self.dropped_classes_)}", DroppedClassesWarning, stacklevel=2)
        classes = sorted(map(str, keep.index))
        kept = set(classes)
        use = np.array([bool(s) for s in sets])  # labelled: a dropped link's text is still a negative
        sets = [tuple(link for link in s if link in kept) for s in sets]
        self.vectorizer_ = TfidfVectorizer(analyzer=self.analyzer, ngram_range=self.ngram_range,
                                           preprocessor=normalise_text, sublinear_tf=True,
                                           max_features=self.max_features, dtype=np.float32)
        X = self.vectorizer_.fit_transform(x[use])
        self.binarizer_ = MultiLabelBinarizer(classes=classes)
        Y = self.binarizer_.fit_transform([s for s, u in zip(sets, use) if u])
        base = LogisticRegression(C=self.C, max_iter=1000)
        # Thousands of tiny solver steps: BLAS threads only contend (5x slower on a busy 2-core machine).
        with threadpool_limits(limits=1, user_api="blas"):
            self.model_ = OneVsRestClassifier(CalibratedClassifierCV(base, method="sigmoid", cv=self.cv),
                                              n_jobs=self.n_jobs).fit(X, Y)
        self.stacked_ = self._stacked()
        self.classes_ = np.array(classes, dtype=object)
        self.class_counts_ = {c: int(n) for c, n in zip(classes, Y.sum(axis=0))}
        self.n_train_ = int(use.sum())
        return self

    def predict_proba(self, texts: Sequence[str]) -> pd.DataFrame:
        """Calibrated probability that each text's firm operates in each link.

        Parameters
        ----------
        texts : sequence of str

        Returns
        -------
        DataFrame, shape (len(texts), len(classes_))
            Rows follow ``texts`` (its index when a Series), columns are the
            link ids of ``classes_`` (name ``link_id``). Each entry is in
            [0, 1]; rows do not sum to 1 (one-vs-rest, multi-label).
        """
        check_is_fitted(self, "model_")
        x = _texts(texts)
        columns = pd.Index(self.classes_, name="link_id")
        if len(x) == 0:
            return pd.DataFrame(np.zeros((0, len(columns))), columns=columns)
        with threadpool_limits(limits=1, user_api="blas"):
            p = self._proba(self.vectorizer_.transform(x))
        return pd.DataFrame(np.asarray(p, dtype=float), index=x.index, columns=columns)

    def _stacked(self):
        """Every fold model as one matrix: coefficients (features × links·folds), intercepts, Platt a and b.

        None when a model is not a sigmoid-calibrated binary logistic regression
        (then sklearn's own predict_proba is used).
        """
        coef, icpt, a, b, folds = [], [], [], [], set()
        for est in self.model_.estimators_:
            ccs = getattr(est, "calibrated_classifiers_", None)
            if ccs is None or getattr(est, "method", None) != "sigmoid":
                return None
            folds.add(len(ccs))
            for cc in ccs:
                lr, cal = cc.estimator, cc.calibrators
                if len(cal) != 1 or getattr(lr, "coef_", np.zeros((2, 0))).shape[0] != 1 or list(lr.classes_) != [0, 1]:
                    return None
                coef.append(lr.coef_[0])
                icpt.append(lr.intercept_[0])
                a.append(cal[0].a_)
                b.append(cal[0].b_)
        if len(folds) != 1:
            return None
        return np.column_stack(coef), np.array(icpt), np.array(a), np.array(b), folds.pop()

    def _proba(self, X, chunk: int = 20_000) -> np.ndarray:
        """``model_.predict_proba(X)`` as one sparse × dense product per chunk of rows.

        The same arithmetic as scikit-learn's (per link, the mean over folds of
        ``expit(-(a·(X·w + c) + b))``), without its one pass over ``X`` per fold
        model: 3 × 150 passes for 150 links.
        """
        if self.stacked_ is None:
            return self.model_.predict_proba(X)
        W, c, a, b, k = self.stacked_
        shift = a * c + b  # a·(X·w + c) + b = a·X·w + (a·c + b)
        out = np.empty((X.shape[0], len(self.classes_)))
        for start in range(0, X.shape[0], chunk):
            d = np.asarray(X[start:start + chunk] @ W, dtype=float)
            d *= a  # in place: the chunk is rows × links·folds, the largest array here
            d += shift
            np.negative(d, out=d)
            expit(d, out=d)
            out[start:start + chunk] = d.reshape(len(d), len(self.classes_), k).mean(axis=2)
        return out

    def predict(self, texts: Sequence[str], threshold: float = 0.5) -> pd.Series:
        """The links of each text: those with probability ≥ ``threshold``, and always the most probable.

        Returns
        -------
        Series of tuples of link ids, indexed like :meth:`predict_proba`.
        """
        p = self.predict_proba(texts)
        hit = p.to_numpy() >= threshold
        if hit.shape[0]:
            hit[np.arange(hit.shape[0]), p.to_numpy().argmax(axis=1)] = True
        return pd.Series([tuple(self.classes_[row]) for row in hit], index=p.index, dtype=object)


#: Fitted classifiers by a digest of their parameters and training data, see :func:`shared_fit`: up to 16, of
#: 20,000 training texts in all (a fit on 5,000 texts, the scorer's cap, holds some 35 MB).
_FITS: Memo[LinkClassifier] = Memo(kept=16, weight=lambda clf: clf.n_train_, budget=20_000)


def shared_fit(texts: Sequence[str], labels: Sequence, **params) -> LinkClassifier:
    """``LinkClassifier(**params).fit(texts, labels)``, shared by every fit on the same texts and labels.

    A fit is deterministic (no shuffling, fixed folds), so an equal input gives
    an equal classifier: the backtest's yearly snapshots often hold the same
    labelled firms (no plant known between two cut-offs), and a save that
    changes no products text or operation refits the target scorer on the
    same training set. The last fits are kept in this process (up to 16, of
    20,000 training texts in all), keyed by a digest of the parameters, texts
    and labels; the one returned may be shared,
    so treat it as read-only. A fit that refuses (``ValueError``) is not kept;
    a :class:`DroppedClassesWarning` is issued by the fit that trains only.

    Examples
    --------
    >>> texts = ["电子铜箔", "锂电铜箔", "PCB铜箔", "覆铜板", "高频覆铜板", "覆铜板、粘结片"]
    >>> labels = ["copper_foil"] * 3 + ["ccl"] * 3
    >>> a = shared_fit(texts, labels)
    >>> a is shared_fit(list(texts), list(labels))   # the same input: the same fit, not a second one
    True
    >>> a is shared_fit(texts, labels, C=0.5)        # other parameters: another fit
    False
    """
    import hashlib

    sets = _label_sets(labels)
    h = hashlib.sha256(repr(sorted(LinkClassifier(**params).get_params().items())).encode())
    x = _texts(texts)
    h.update(f"{len(x)} {len(sets)}".encode())
    for text, s in zip(x, sets):  # length-prefixed: no text or label can pass for another
        h.update(repr((text, s)).encode())
    return _FITS.get(h.hexdigest(), lambda: LinkClassifier(**params).fit(texts, labels))


def firm_texts(firms: pd.DataFrame) -> pd.Series:
    """What a firm says it makes: its products text, then its business scope (经营范围), stripped.

    Either may be blank or absent (the bundled library has no business scope);
    the classifier learns from and predicts on this text.

    Examples
    --------
    >>> f = pd.DataFrame({"products": ["覆铜板", "", ""], "business_scope": ["", "印制电路板的生产", ""]})
    >>> firm_texts(f).tolist()
    ['覆铜板', '印制电路板的生产', '']
    """
    products = firms["products"].fillna("").astype(str).str.strip()
    if "business_scope" not in firms:
        return products
    scope = firms["business_scope"].fillna("").astype(str).str.strip()
    both = (products != "") & (scope != "")
    return (products + np.where(both, "；", "") + scope).rename(products.name)


def training_data(tables: Tables, keywords: bool = False) -> pd.DataFrame:
    """The labelled library: one row per firm with known operations and a products text.

    Parameters
    ----------
    tables : Tables
    keywords : bool, default False
        Also add one row per link name and per link keyword
        (``tables.links["keywords"]``, split on ``|``) labelled with that
        link, with an empty ``firm_id``: the chain files' vocabulary as extra
        training texts.

    Returns
    -------
    DataFrame with columns ``firm_id``, ``text`` (the products text and business scope, :func:`firm_texts`)
    and ``links`` (sorted tuple of the link ids the firm operates in, local or
    not), in firm-id order, then keyword rows in link order.

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> data = training_data(read_workspace(bundled_workspace()))
    >>> data.set_index("firm_id").loc["chaohua"].tolist()
    ['高精度电子铜箔、覆铜板、印制电路板', ('ccl', 'copper_foil', 'pcb')]
    """
    products = pd.Series(firm_texts(tables.firms).to_numpy(), index=tables.firms["id"])
    ops = tables.operations[["firm_id", "link_id"]].drop_duplicates()
    ops = ops.assign(text=ops["firm_id"].map(products).fillna(""))
    ops = ops[ops["text"] != ""].sort_values(["firm_id", "link_id"])
    # One tuple per firm by splitting the sorted links at firm boundaries: groupby(...).agg(tuple)
    # runs Python per group (8 s for 300,000 firms).
    firm = ops["firm_id"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, firm[1:] != firm[:-1]]) if len(firm) else np.zeros(0, dtype=int)
    out = pd.DataFrame({"firm_id": firm[starts], "text": ops["text"].to_numpy(dtype=object)[starts],
                        "links": [tuple(g) for g in np.split(ops["link_id"].to_numpy(dtype=object), starts[1:])]
                        if len(starts) else []})
    if keywords:
        kw = tables.links.assign(word=tables.links["name_zh"] + "|" + tables.links["keywords"].fillna(""))
        kw = kw.assign(word=kw["word"].str.split("|")).explode("word")
        kw = kw[kw["word"].str.strip() != ""].drop_duplicates(["id", "word"])
        extra = pd.DataFrame({"firm_id": "", "text": kw["word"].str.strip().to_numpy(),
                              "links": [(link,) for link in kw["id"]]})
        out = pd.concat([out, extra], ignore_index=True)
    return out[["firm_id", "text", "links"]]


def capped_sample(links: Sequence[tuple[str, ...]], cap: int, seed: int = 0) -> np.ndarray:
    """Rows of a labelled library to train on: at most ``cap``, every link kept where possible.

    Training cost grows with the number of texts (and, at a fixed number, with
    the number of links: one calibrated model each), so a national library is
    trained on a sample. A uniform sample would lose rare links; this one is
    stratified on each row's rarest link: half of ``cap`` is shared evenly
    between strata (a rare link keeps all its rows up to that share), the rest
    goes to strata in proportion to their size. Rows are drawn at random
    within a stratum (``seed``), without replacement.

    Parameters
    ----------
    links : sequence of tuple of str
        The link ids of each row (e.g. ``training_data(tables)["links"]``).
    cap : int
        Most rows returned; all rows (``arange``) when there are no more.
    seed : int, default 0

    Returns
    -------
    ndarray of int
        Sorted row positions, at most ``cap`` of them.

    Examples
    --------
    900 rows of ``pcb``, 90 of ``ccl`` and 10 of ``foil``; with a cap of 100
    each stratum first gets up to 50 // 3 = 16 rows (``foil`` all its 10), then
    the remaining 58 go by size (floored: 52, 5 and 0):

    >>> rows = [("pcb",)] * 900 + [("ccl",)] * 90 + [("foil",)] * 10
    >>> keep = capped_sample(rows, cap=100)
    >>> len(keep), pd.Series([rows[i][0] for i in keep]).value_counts().to_dict()
    (99, {'pcb': 68, 'ccl': 21, 'foil': 10})
    """
    n = len(links)
    if n <= cap:
        return np.arange(n)
    flat = pd.DataFrame({"row": np.repeat(np.arange(n), [len(s) for s in links]),
                         "link": [link for s in links for link in s]})
    flat["count"] = flat["link"].map(flat["link"].value_counts())
    rarest = flat.sort_values(["row", "count", "link"]).drop_duplicates("row")
    key = pd.Series("", index=np.arange(n), dtype=object)  # rows without a link form one stratum
    key[rarest["row"].to_numpy()] = rarest["link"].to_numpy()
    sizes = key.value_counts()
    even = np.minimum(sizes, (cap // 2) // len(sizes))
    rest = cap - int(even.sum())
    quota = np.minimum(sizes, even + np.floor(rest * sizes / n).astype(int))
    order = np.random.default_rng(seed).permutation(n)  # random rank within each stratum
    rank = pd.Series(np.empty(n, dtype=np.int64))
    rank[order] = key[order].groupby(key[order].to_numpy()).cumcount().to_numpy()
    return np.flatnonzero(rank.to_numpy() < key.map(quota).to_numpy())


def _strata(sets: list[tuple[str, ...]], n_test: int) -> np.ndarray:
    """A stratum per firm for a multi-label split: its rarest link.

    Strata of one firm, and the smallest strata beyond what a test set of
    ``n_test`` firms can hold, are pooled into one.
    """
    counts = pd.Series([link for s in sets for link in s], dtype=object).value_counts()
    key = pd.Series([min(s, key=lambda link: (counts[link], link)) for s in sets], dtype=object)
    sizes = key.value_counts()
    big = sizes[sizes >= 2].index[:max(1, min(n_test, len(sets) - n_test) - 1)]
    key = key.where(key.isin(big), "<pooled>")
    if (key == "<pooled>").sum() == 1:  # one firm alone: pool it with the largest stratum
        key[key == "<pooled>"] = key.value_counts().index[0]
    return key.to_numpy()


def evaluate(tables: Tables, test_size: float = 0.25, seed: int = 0, classifier: LinkClassifier | None = None,
             keywords: bool = False, threshold: float = 0.5) -> dict:
    """Held-out quality of a :class:`LinkClassifier` on the labelled library.

    Firms of :func:`training_data` are split into train and test, stratified
    on each firm's rarest link (single firms and the smallest strata beyond
    what the test set can hold are pooled); the classifier is
    fitted on train (plus keyword rows when ``keywords``), predicts the test
    firms' links (:meth:`LinkClassifier.predict` at ``threshold``) and is
    scored by F1 per learned link, averaged (macro) over the links that occur
    in the test set or in a prediction (model's or baseline's). Test firms
    none of whose links were learned are left out (the model cannot name
    them).

    The baseline predicts, for every test firm, the link most frequent in the
    training firms (the majority class), scored over the same links.

    Parameters
    ----------
    tables : Tables
    test_size : float, default 0.25
    seed : int, default 0
    classifier : LinkClassifier, optional
        Unfitted template (cloned); default ``LinkClassifier()``.
    keywords : bool, default False
        Add the links' keywords to the training texts (see :func:`training_data`).
    threshold : float, default 0.5

    Returns
    -------
    dict
        ``macro_f1``, ``micro_f1``, ``baseline_macro_f1``, ``baseline_link``,
        ``per_class_f1`` (link → F1, for the links averaged), ``n_train``, ``n_test`` (firms scored),
        ``classes`` (links learned) and ``dropped_classes`` (link → count).

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> r = evaluate(read_workspace(bundled_workspace()))
    >>> r["macro_f1"] > r["baseline_macro_f1"]
    True
    """
    data = training_data(tables)
    sets = list(data["links"])
    idx = np.arange(len(data))
    n_test = int(np.ceil(test_size * len(idx))) if isinstance(test_size, float) else int(test_size)
    train, test = train_test_split(idx, test_size=test_size, random_state=seed, stratify=_strata(sets, n_test))
    fit_texts = list(data["text"].to_numpy()[train])
    fit_labels = [sets[i] for i in train]
    if keywords:
        kw = training_data(tables, keywords=True)
        kw = kw[kw["firm_id"] == ""]
        fit_texts += list(kw["text"])
        fit_labels += list(kw["links"])
    clf = clone(classifier) if classifier is not None else LinkClassifier()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DroppedClassesWarning)
        clf.fit(fit_texts, fit_labels)
    classes = list(clf.classes_)
    learned = set(classes)
    test_sets = [tuple(link for link in sets[i] if link in learned) for i in test]
    scored = np.array([bool(s) for s in test_sets])
    test, test_sets = test[scored], [s for s in test_sets if s]
    mlb = MultiLabelBinarizer(classes=classes).fit([])
    y_true = mlb.transform(test_sets)
    y_pred = mlb.transform(clf.predict(data["text"].to_numpy()[test], threshold=threshold))
    train_counts = pd.Series([link for i in train for link in sets[i] if link in learned]).value_counts()
    majority = sorted(train_counts[train_counts == train_counts.max()].index)[0]
    y_base = mlb.transform([(majority,)] * len(test))
    # Average over the links that occur in the test set or in either prediction: a learned link
    # nobody has and nobody predicts says nothing about either method.
    scored_links = np.flatnonzero((y_true.sum(axis=0) + y_pred.sum(axis=0) + y_base.sum(axis=0)) > 0)
    per_class = f1_score(y_true, y_pred, labels=scored_links, average=None, zero_division=0)
    return {
        "macro_f1": float(per_class.mean()),
        "micro_f1": float(f1_score(y_true, y_pred, average="micro", zero_division=0)),
        "baseline_macro_f1": float(f1_score(y_true, y_base, labels=scored_links, average="macro", zero_division=0)),
        "baseline_link": majority,
        "per_class_f1": {classes[j]: float(f) for j, f in zip(scored_links, per_class)},
        "n_train": int(len(train)),
        "n_test": int(len(test)),
        "classes": classes,
        "dropped_classes": dict(clf.dropped_classes_),
    }


def inferred_fit(tables: Tables, classifier: LinkClassifier, threshold: float = 0.5,
                 rows: np.ndarray | None = None) -> sp.csr_matrix:
    """Probabilities of links for the firms whose links are not known.

    Parameters
    ----------
    tables : Tables
    classifier : LinkClassifier
        Fitted (e.g. on :func:`training_data` of the same tables).
    threshold : float, default 0.5
        Probabilities below it are dropped (stored as 0).
    rows : ndarray of int, optional
        Only these firms (positions in ``tables.firms``) are placed; default
        every firm with no operation and a text.

    Returns
    -------
    scipy.sparse.csr_matrix, float64, shape (len(tables.firms), len(tables.links))
        Rows in ``tables.firms`` order, columns in ``tables.links`` order.
        Only rows of firms with no operation and a non-empty products or
        business-scope text are filled; links the classifier does not know stay 0.

    Examples
    --------
    >>> from chainmap.io import bundled_workspace, read_workspace
    >>> t = read_workspace(bundled_workspace())
    >>> data = training_data(t)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DroppedClassesWarning)
    ...     clf = LinkClassifier().fit(data["text"], data["links"])
    >>> fit = inferred_fit(t, clf, threshold=0.2)
    >>> fit.shape == (len(t.firms), len(t.links))
    True
    >>> rows = sorted(set(fit.nonzero()[0]))
    >>> t.firms["id"].iloc[rows].tolist()
    ['lianhe_precision', 'tencent']
    """
    check_is_fitted(classifier, "model_")
    firms, links = tables.firms, tables.links
    text = firm_texts(firms)
    if rows is None:
        known = np.zeros(len(firms), dtype=bool)  # Index lookup: Series.isin on Arrow strings is slow at 10^6
        at = pd.Index(firms["id"]).get_indexer(tables.operations["firm_id"])
        known[at[at >= 0]] = True
        rows = np.flatnonzero(~known & (text != "").to_numpy())
    rows = np.asarray(rows, dtype=int)
    shape = (len(firms), len(links))
    if not len(rows):
        return sp.csr_matrix(shape)
    cols = pd.Index(links["id"]).get_indexer(classifier.classes_)
    # Libraries repeat products texts (几十家"覆铜板"): predict each distinct text once.
    codes, distinct = pd.factorize(text.iloc[rows])
    p = classifier.predict_proba(pd.Series(distinct, dtype=object)).to_numpy()[:, cols >= 0][codes]
    cols = cols[cols >= 0]
    p = sp.coo_matrix(np.where(p >= threshold, p, 0.0))
    return sp.csr_matrix((p.data, (rows[p.row], cols[p.col])), shape=shape)
