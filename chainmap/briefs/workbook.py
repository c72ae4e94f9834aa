"""The 八个一 workbook for the planners' meeting: a summary, then one sheet per chain, in zh or en.

An edge module (like the briefs): the analysis
(:func:`chainmap.analysis.mechanism.mechanism_review`) gives values and codes,
the catalogue of :mod:`chainmap.i18n` gives the words. The CLI
(``chainmap mechanism``) and the app's 八个一 page build the workbook with this
one function.
"""
from __future__ import annotations

import pandas as pd

from ..analysis.mechanism import review_summary
from ..i18n import MECHANISM_LABEL, SLOT_STATUS_LABEL, with_evidence
from ..io.schemas import SLOT_STATUS

__all__ = ["mechanism_sheets"]


def mechanism_sheets(reviews: dict[str, pd.DataFrame], lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Sheets of the 八个一 workbook: a summary, then one sheet per chain, headers and words in ``lang``.

    ``reviews`` maps a chain's display name to its
    :func:`~chainmap.analysis.mechanism.mechanism_review`. Slot names and
    what owners typed are data: they stay as they are.

    Examples
    --------
    >>> r = pd.DataFrame({"chain": ["ebike"], "slot": [1], "name_zh": ["一名链长（市领导）"], "kind": ["manual"],
    ...     "status": ["推进中"], "score": [0.5], "owner": ["市工信局"], "evidence": [""], "updated_on": ["2026-11"],
    ...     "metric": ["metric_manual"], "source": [""]})
    >>> s = mechanism_sheets({"电动自行车": r})
    >>> list(s)
    ['汇总', '电动自行车']
    >>> s["汇总"]
         产业链 机制完备度  已落实  推进中  未启动  事项数
    0  电动自行车   50%    0    1    0    1
    >>> s["电动自行车"][["类型", "状态", "计分方法"]].values.tolist()
    [['手工填报', '推进中', '已落实1／推进中½／未启动0']]
    >>> en = mechanism_sheets({"E-bike": r}, "en")
    >>> list(en), list(en["Summary"].columns)
    (['Summary', 'E-bike'], ['chain', 'completeness', 'in place', 'in progress', 'not started', 'slots'])
    >>> en["E-bike"][["kind", "status", "scored as"]].values.tolist()
    [['manual', 'in progress', 'done 1 / in progress ½ / not started 0']]
    """
    lang = "en" if lang == "en" else "zh"
    w, status = MECHANISM_LABEL[lang], SLOT_STATUS_LABEL[lang]
    summary, sheets = [], {}
    for name, r in reviews.items():
        values = review_summary(r)
        summary.append({w["chain"]: name, w["completeness"]: f"{values['completeness']:.0%}",
                        **{status[s]: values["by_status"][s] for s in SLOT_STATUS}, w["slots"]: values["slots"]})
        r = with_evidence(r, lang)
        sheets[name] = pd.DataFrame({
            w["slot"]: r["slot"].astype(int).to_numpy(), w["name_zh"]: r["name_zh"].to_numpy(),
            w["kind"]: r["kind"].map(lambda k: w.get(k, k)).to_numpy(),
            w["status"]: r["status"].map(lambda s: status.get(s, s)).to_numpy(),
            w["score"]: r["score"].astype(float).round(2).to_numpy(),
            w["owner"]: r["owner"].to_numpy(), w["evidence"]: r["evidence"].to_numpy(),
            w["updated_on"]: r["updated_on"].to_numpy(), w["metric"]: r["metric"].to_numpy(),
        })
    columns = [w["chain"], w["completeness"], *(status[s] for s in SLOT_STATUS), w["slots"]]
    return {w["summary"]: pd.DataFrame(summary, columns=columns), **sheets}
