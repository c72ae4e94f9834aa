"""模型回测: how often each strategy's list held the firms that really invested.

Shown at the foot of the overview. The figures saved by ``chainmap learn``
(with the learned weights) appear at once; "按当前数据重新回测" replays the
current data with a progress bar and keeps the result for this data version.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..io.strategies import read_learned
from ..learn.backtest import METHOD_ZH, OVERALL, NoEventsError
from ..scoring.weights import COMPONENTS, STRATEGIES
from . import charts, data
from .state import T, ctx, lang

_ORDER = ["稳健", "跨越", "learned", "relatedness", "biggest"]


def learned_strategy() -> dict | None:
    """The workspace's learned strategy document, or None (never replaces a default)."""
    try:
        return read_learned(data.workspace_path())
    except Exception:  # noqa: BLE001 - a damaged file only hides the learned option; the CLI explains it
        return None


@st.cache_data(max_entries=4, show_spinner=False)
def _backtest(key: str, version: str, _tables, _progress=None) -> pd.DataFrame | str:
    from ..learn.backtest import backtest

    try:
        return backtest(_tables, n_boot=300, progress=_progress).metrics
    except NoEventsError as e:
        return str(e)


def _method(m: str) -> str:
    return METHOD_ZH.get(m, m) if lang() == "zh" else m


def _figures(overall: pd.DataFrame) -> pd.DataFrame:
    rows = overall.set_index("method").reindex([m for m in _ORDER if m in set(overall["method"])])
    def ci(name):
        lo, hi = rows.get(f"{name}_lo"), rows.get(f"{name}_hi")
        if lo is None:
            return rows[name].map("{:.3f}".format)
        return [f"{v:.3f}（{a:.2f}–{b:.2f}）" for v, a, b in zip(rows[name], lo, hi)]
    out = pd.DataFrame({T("bt.method"): [_method(m) for m in rows.index], "AUC-PR": ci("auc_pr"),
                        "P@20": ci("p@20"), "MRR": ci("mrr"), T("bt.n"): rows["n_events"].astype(int)})
    if "coverage" in rows:  # saved by an older `chainmap learn`, the figures may lack it
        out[T("bt.coverage")] = rows["coverage"].map(lambda v: "" if pd.isna(v) else f"{v:.0%}").to_numpy()
    return out


def panel() -> None:
    c = ctx()
    st.subheader(T("bt.title"))
    st.caption(T("bt.caption"))
    doc = learned_strategy()
    left, right = st.columns([3, 2], gap="large")
    with left:
        if st.session_state.get("bt_live") == c.version:
            bar = st.progress(0.0, text=T("bt.running"))
            result = _backtest(c.key, c.version, c.tables,
                               _progress=lambda d, n, what: bar.progress(d / n, text=T("bt.step", what=what)))
            bar.empty()
            if isinstance(result, str):
                st.warning(result, icon=":material/info:")
                return
            overall = result[result["chain"] == OVERALL]
            st.markdown(T("bt.live"))
        elif doc and doc.get("backtest"):
            overall = pd.DataFrame([{"method": m, **v} for m, v in doc["backtest"].items()])
            st.markdown(T("bt.saved", date=doc.get("fitted_on", "?")))
        else:
            overall = None
            st.info(T("bt.none"), icon=":material/info:")
        if overall is not None and len(overall):
            st.dataframe(_figures(overall), hide_index=True, width="stretch")
            st.caption(T("bt.note"))
            if "coverage" in overall:
                st.caption(T("bt.coverage_note"))
        if st.button(T("bt.run"), key="bt_run", icon=":material/replay:"):
            st.session_state["bt_live"] = c.version
            st.rerun()
    with right:
        if doc:
            names = {k: T(f"tt.{k}") for k in COMPONENTS}
            st.plotly_chart(charts.weights_with_uncertainty(doc, STRATEGIES["稳健"], names,
                                                            T("bt.learned"), T("strategy.稳健")),
                            key="bt_weights", config={"displayModeBar": False})
            st.caption(T("bt.weights_note", pos=doc.get("n_positive", 0), neg=doc.get("n_negative", 0)))
