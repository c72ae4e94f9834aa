"""Fast lookups over string columns.

pandas' ``isin``/``map`` on Arrow-backed strings walk Python objects and were the
slowest step of loading and analysis at scale (~30x behind one hash pass), so
every layer uses these two instead.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["positions", "present"]


def positions(index: pd.Series, values: pd.Series) -> np.ndarray:
    """Row of each of ``values`` in ``index``; ``index`` must be unique and contain every value.

    Examples
    --------
    >>> positions(pd.Series(["ccl", "pcb", "foil"]), pd.Series(["pcb", "pcb", "foil"])).tolist()
    [1, 1, 2]
    """
    return pd.factorize(pd.concat([index, values], ignore_index=True))[0][len(index):]


def present(values: pd.Series, target: pd.Series) -> np.ndarray:
    """``values.isin(target)`` as a boolean array, in one hash pass.

    Examples
    --------
    >>> present(pd.Series(["建滔集团", "豪美新材"]), pd.Series(["豪美新材"])).tolist()
    [False, True]
    """
    codes = pd.factorize(pd.concat([target, values], ignore_index=True))[0]
    known = codes[: len(target)].max() + 1 if len(target) else 0
    return codes[len(target):] < known
