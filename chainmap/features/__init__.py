"""Features of firms and links: link relatedness and a products-text classifier.

Pure functions and scikit-learn-style estimators over :class:`~chainmap.model.Tables`;
no files, no environment, no Streamlit. The scorer builds on them; the evaluation
(:mod:`chainmap.learn`: backtest, learned weights) builds on the scorer.

* :mod:`chainmap.features.relatedness` — RCA, presence, proximity and density of
  links (Hidalgo et al. 2007), at city or firm level. Needs only numpy, scipy
  and pandas.
* :mod:`chainmap.features.classifier` — :class:`LinkClassifier`, calibrated
  probabilities of the links a firm operates in from its products text, used
  by the target scorer to place firms whose links are not known. scikit-learn
  is a core dependency, but importing it takes about a second, so the
  classifier is imported on first use: ``chainmap gaps`` never pays for it.

>>> from chainmap.features import proximity
>>> proximity([[1, 1], [1, 0]]).tolist()
[[0.0, 0.5], [0.5, 0.0]]
"""
from .relatedness import (city_matrix, density, firm_matrix, link_density, link_space, presence,
                          proximity, rca)

_CLASSIFIER = ("LinkClassifier", "DroppedClassesWarning", "training_data", "evaluate", "inferred_fit",
               "capped_sample")

__all__ = ["rca", "presence", "proximity", "density", "city_matrix", "firm_matrix",
           "link_density", "link_space", *_CLASSIFIER]


def __getattr__(name):  # importing scikit-learn takes ~1 s: only when the classifier is asked for
    if name in _CLASSIFIER:
        from . import classifier

        return getattr(classifier, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
