"""模型回测: how often each strategy's list held the firms that really invested.

Shown at the foot of the overview. The figures saved when the weights were
learned appear at once (all chains together); "按当前数据重新回测" replays the
current data with a progress bar and keeps the result for this data version,
then shows every chain on its own tab: each method (the strategies, the
learned weights with and without the investment signals, and the three
baselines) with its interval, the coverage, what a random order would score,
and one sentence saying whether the default strategy beats the baselines by
more than chance. No command line is shown: officers use the button.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..io.messages import error_words
from ..io.strategies import read_learned
from ..learn.backtest import BASELINES, OVERALL, NoEventsError
from ..scoring.weights import COMPONENTS, STRATEGIES
from . import charts, data
from .state import T, ctx, lang
from .text import TEXT

_ORDER = ["稳健", "跨越", "learned", "signals", "recent", "biggest", "relatedness"]


def learned_strategy() -> dict | None:
    """The workspace's learned strategy document, or None (never replaces a default)."""
    try:
        return read_learned(data.workspace_path())
    except Exception:  # noqa: BLE001 - a damaged file only hides the learned option; the CLI explains it
        return None


@st.cache_data(max_entries=4, show_spinner=False)
def _backtest(key: str, version: str, _tables, _progress=None) -> pd.DataFrame | tuple[str, dict]:
    """The metrics, or why there is nothing to test as a code and its values (cached once, said in each
    session's language)."""
    from ..fitcache import refit
    from ..learn.backtest import backtest

    try:
        return backtest(_tables, n_boot=300, progress=_progress, baselines=tuple(BASELINES), signals=True,
                        home=ctx().city.home, fit=refit).metrics
    except NoEventsError as e:
        return e.code, e.params


def _method(m: str) -> str:
    key = f"bt.m.{m}"
    return T(key) if key in TEXT else m


def _figures(overall: pd.DataFrame) -> pd.DataFrame:
    rows = overall.set_index("method").reindex([m for m in _ORDER if m in set(overall["method"])])

    def ci(name):
        lo, hi = rows.get(f"{name}_lo"), rows.get(f"{name}_hi")
        if lo is None:
            return rows[name].map("{:.3f}".format)
        return [T("bt.interval", v=v, lo=a, hi=b) for v, a, b in zip(rows[name], lo, hi)]
    out = pd.DataFrame({T("bt.method"): [_method(m) for m in rows.index], "AUC-PR": ci("auc_pr"),
                        "P@20": ci("p@20"), "MRR": ci("mrr"), T("bt.n"): rows["n_events"].astype(int)})
    if "coverage" in rows:  # saved by an older `chainmap learn`, the figures may lack it
        out[T("bt.coverage")] = rows["coverage"].map(lambda v: "" if pd.isna(v) else f"{v:.0%}").to_numpy()
    return out


def _table(df: pd.DataFrame, key: str) -> None:
    """The figures with every column visible: narrow number columns, the method column wide enough."""
    cfg = {c: st.column_config.TextColumn(c, width="small") for c in df.columns[1:]}
    cfg[df.columns[0]] = st.column_config.TextColumn(df.columns[0], width="medium")
    st.dataframe(df, hide_index=True, width="stretch", column_config=cfg, key=key)


def verdict(metrics: pd.DataFrame, chain: str) -> tuple[str, str | None]:
    """Does the default strategy beat the baselines on ``chain``: ``better``, ``unsure`` or ``worse``, and the
    best baseline (by AUC-PR). Better only when its interval's lower end is above every baseline's AUC-PR.

    Examples
    --------
    >>> m = pd.DataFrame({"method": ["稳健", "biggest", "recent"], "chain": "ebike", "auc_pr": [0.3, 0.1, 0.2],
    ...                   "auc_pr_lo": [0.22, 0.05, 0.1], "auc_pr_hi": [0.4, 0.15, 0.3]})
    >>> verdict(m, "ebike")
    ('better', 'recent')
    >>> verdict(m.assign(auc_pr_lo=[0.15, 0.05, 0.1]), "ebike")
    ('unsure', 'recent')
    """
    from ..scoring.weights import DEFAULT_STRATEGY

    m = metrics[metrics["chain"] == chain].set_index("method")
    base = m.loc[[b for b in BASELINES if b in m.index]]
    if DEFAULT_STRATEGY not in m.index or base.empty:
        return "unsure", None
    best = str(base["auc_pr"].idxmax())
    own = m.loc[DEFAULT_STRATEGY]
    lo = own.get("auc_pr_lo", own["auc_pr"])
    hi = own.get("auc_pr_hi", own["auc_pr"])
    if lo > base["auc_pr"].max():
        return "better", best
    if hi < base["auc_pr"].max():
        return "worse", best
    return "unsure", best


def _per_chain(metrics: pd.DataFrame) -> None:
    c = ctx()
    chains = [ch for ch in c.tables.chains["id"] if ch in set(metrics["chain"])] + [OVERALL]
    tabs = st.tabs([T("bt.all_chains") if ch == OVERALL else c.chain_name(ch) for ch in chains])
    for ch, tab in zip(chains, tabs):
        with tab:
            rows = metrics[metrics["chain"] == ch]
            _table(_figures(rows), key=f"bt_fig_{ch}")
            name = T("bt.all_chains") if ch == OVERALL else c.chain_name(ch)
            how, best = verdict(metrics, ch)
            if best is not None:
                st.markdown(T(f"bt.verdict_{how}", chain=name, base=_method(best)))
            random = rows["random_ap"].dropna()
            if len(random):
                st.caption(f"{T('bt.random')}：AUC-PR ≈ {float(random.iloc[0]):.3f}")


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
            if isinstance(result, tuple):
                st.warning(error_words(*result, lang()), icon=":material/info:")
                return
            overall = None
            st.markdown(T("bt.live"))
            _per_chain(result)
            st.caption(T("bt.note"))
            st.caption(T("bt.coverage_note"))
            st.caption(T("bt.caveats"))
        elif doc and doc.get("backtest"):
            overall = pd.DataFrame([{"method": m, **v} for m, v in doc["backtest"].items()])
            st.markdown(T("bt.saved", date=doc.get("fitted_on", "?")))
        else:
            overall = None
            st.info(T("bt.none"), icon=":material/info:")
        if overall is not None and len(overall):
            _table(_figures(overall), key="bt_fig_saved")
            st.caption(T("bt.note"))
            if "coverage" in overall:
                st.caption(T("bt.coverage_note"))
            st.caption(T("bt.caveats"))
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
